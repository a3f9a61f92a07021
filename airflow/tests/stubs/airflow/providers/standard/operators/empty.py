from airflow._stub import EmptyOperator

__all__ = ["EmptyOperator"]
