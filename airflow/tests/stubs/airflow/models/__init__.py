"""Stub of airflow.models (Airflow 2)."""

from airflow._stub import DAG, BaseOperator, Variable

__all__ = ["DAG", "BaseOperator", "Variable"]
