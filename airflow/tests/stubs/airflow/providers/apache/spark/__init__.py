"""Stub of apache-airflow-providers-apache-spark."""
