"""Stub of airflow.providers."""
