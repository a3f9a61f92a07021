from airflow._stub import TriggerRule

__all__ = ["TriggerRule"]
