"""Stub of airflow.sdk (the Airflow 3 authoring API)."""

from airflow._stub import DAG, TriggerRule, Variable

__all__ = ["DAG", "TriggerRule", "Variable"]
