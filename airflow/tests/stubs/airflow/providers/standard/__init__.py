"""Stub of the standard provider (Airflow 3)."""
