"""Stub of the Airflow package for tests without Airflow (see _stub.py); Airflow 2 layout."""

from airflow._stub import DAG

__all__ = ["DAG"]
