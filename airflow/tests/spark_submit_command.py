"""The ``spark-submit`` argv the Apache Spark provider runs for a ``SparkSubmitOperator``.

Follows ``SparkSubmitHook._resolve_connection`` and ``_build_spark_submit_command`` of
``apache-airflow-providers-apache-spark`` (binary, ``--master``, ``--conf k=v`` per entry, the
optional resource flags in the hook's order, ``--name``, ``--class``, ``--queue``,
``--deploy-mode``, the application, then the application arguments). Only what a client-mode
submit of a jar needs; Kerberos and Kubernetes/YARN env handling are left out.
"""

from __future__ import annotations

import json
import os
from urllib.parse import parse_qsl, urlsplit

ALLOWED_BINARIES = ("spark-submit", "spark2-submit", "spark3-submit")


def connection_from_env(conn_id: str, environ=os.environ) -> dict | None:
    """The connection ``AIRFLOW_CONN_<ID>`` (JSON or URI form), as Airflow reads it, or None."""
    raw = environ.get(f"AIRFLOW_CONN_{conn_id.upper()}")
    if raw is None:
        return None
    if raw.lstrip().startswith("{"):
        c = json.loads(raw)
        extra = c.get("extra") or {}
        if isinstance(extra, str):
            extra = json.loads(extra)
        return {
            "conn_type": c.get("conn_type"),
            "host": c.get("host"),
            "port": c.get("port"),
            "extra": extra,
        }
    u = urlsplit(raw)
    return {
        "conn_type": u.scheme.replace("-", "_"),
        "host": u.hostname,
        "port": u.port,
        "extra": dict(parse_qsl(u.query)),
    }


def resolve_connection(conn: dict | None, spark_binary: str | None = None) -> dict:
    """Master, deploy mode, queue and binary as the hook derives them (yarn when no connection)."""
    data = {
        "master": "yarn",
        "queue": None,
        "deploy_mode": None,
        "spark_binary": spark_binary or "spark-submit",
    }
    if conn is None:
        return data
    host, port = conn.get("host"), conn.get("port")
    if conn.get("conn_type") == "spark" and host and ("://" in host or not port):
        master = host
    else:
        master = f"{conn.get('conn_type')}://{host or ''}"
    data["master"] = f"{master}:{port}" if port else master
    extra = conn.get("extra") or {}
    data["queue"] = extra.get("queue")
    data["deploy_mode"] = extra.get("deploy-mode")
    if not spark_binary:
        data["spark_binary"] = extra.get("spark-binary", "spark-submit")
    if data["spark_binary"] not in ALLOWED_BINARIES:
        raise ValueError(f"spark-binary must be one of {ALLOWED_BINARIES}")
    if extra.get("spark-home"):
        raise ValueError("the spark-home extra is not allowed any more")
    return data


def build_command(op, rendered: dict, connection: dict) -> list[str]:
    """The argv for operator ``op`` whose templated fields rendered to ``rendered``."""
    cmd = [connection["spark_binary"], "--master", connection["master"]]
    for key, value in (rendered.get("conf") or {}).items():
        cmd += ["--conf", f"{key}={value}"]
    if rendered.get("env_vars"):
        raise NotImplementedError("env_vars")
    optional = [
        ("--properties-file", rendered.get("properties_file")),
        ("--files", rendered.get("files")),
        ("--py-files", rendered.get("py_files")),
        ("--archives", op.archives),
        ("--driver-class-path", rendered.get("driver_class_path")),
        ("--jars", rendered.get("jars")),
        ("--packages", rendered.get("packages")),
        ("--exclude-packages", rendered.get("exclude_packages")),
        ("--repositories", op.repositories),
        ("--num-executors", op.num_executors),
        ("--total-executor-cores", op.total_executor_cores),
        ("--executor-cores", op.executor_cores),
        ("--executor-memory", op.executor_memory),
        ("--driver-memory", op.driver_memory),
        ("--keytab", rendered.get("keytab")),
        ("--principal", rendered.get("principal")),
        ("--proxy-user", rendered.get("proxy_user")),
        ("--name", rendered.get("name")),
        ("--class", op.java_class),
    ]
    for flag, value in optional:
        if value:
            cmd += [flag, str(value)]
    if op.verbose:
        cmd += ["--verbose"]
    queue = op.yarn_queue or connection["queue"]
    if queue:
        cmd += ["--queue", queue]
    deploy_mode = op.deploy_mode or connection["deploy_mode"]
    if deploy_mode:
        cmd += ["--deploy-mode", deploy_mode]
    cmd += [rendered["application"]]
    cmd += [str(a) for a in rendered.get("application_args") or []]
    return cmd
