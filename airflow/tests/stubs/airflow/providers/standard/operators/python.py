from airflow._stub import BranchPythonOperator

__all__ = ["BranchPythonOperator"]
