"""Stub of airflow.utils."""
