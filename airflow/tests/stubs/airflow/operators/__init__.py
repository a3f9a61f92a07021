"""Stub of airflow.operators (Airflow 2)."""
