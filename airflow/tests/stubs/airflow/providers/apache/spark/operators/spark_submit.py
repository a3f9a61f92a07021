from airflow._stub import SparkSubmitOperator

__all__ = ["SparkSubmitOperator"]
