#!/usr/bin/env python3
"""Prints, as JSON, the spark-submit commands one run of ``unmask_daily`` would execute.

Loads the DAG against the Airflow stubs, renders every task of a scheduled run for ``--ds``
(following the branch the DAG's own callable picks) and builds each Spark task's argv the way the
Apache Spark provider's SparkSubmitHook does. Airflow Variables and connections are read from
the environment as Airflow does (``AIRFLOW_VAR_UNMASK_DAILY``, ``AIRFLOW_CONN_<CONN_ID>``) or
given with ``--var`` / ``--conn``.

    python3 airflow/tests/render_commands.py --ds 2026-10-31 \\
        --var unmask_daily='{"warehouse": "/tmp/wh"}' \\
        --conn spark_unmask='{"conn_type": "spark", "host": "local[2]"}'

Output: {"dag_id", "ds", "run_id", "branch": {task_id: chosen}, "run_order": [...],
"commands": [{"task_id", "argv"}, ...]} with commands in the order the run executes them.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import dagloader  # noqa: E402  (puts the stubs on sys.path first)
import spark_submit_command as ssc  # noqa: E402
from airflow._stub import BranchPythonOperator, SparkSubmitOperator  # noqa: E402


def _pair(text: str) -> tuple[str, str]:
    if "=" not in text:
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {text!r}")
    name, value = text.split("=", 1)
    return name, value


def render(ds: str, run_id: str | None, variables: dict, connections: dict, conf: dict) -> dict:
    """The commands of one run, as described in the module docstring."""
    env = dict(os.environ)
    for conn_id, value in connections.items():
        env[f"AIRFLOW_CONN_{conn_id.upper()}"] = value
    module = dagloader.load_dag(variables)
    dag = module.dag
    context = dagloader.context_for(dag, ds, run_id, conf)
    order = dagloader.run_order(dag, context)
    branch = {
        t.task_id: t.execute(context)
        for t in dag.task_dict.values()
        if isinstance(t, BranchPythonOperator) and t.task_id in order
    }
    commands = []
    for task_id in order:
        op = dag.get_task(task_id)
        if not isinstance(op, SparkSubmitOperator):
            continue
        connection = ssc.resolve_connection(
            ssc.connection_from_env(op.conn_id, env), op.spark_binary
        )
        rendered = op.render_template_fields(context)
        commands.append({"task_id": task_id, "argv": ssc.build_command(op, rendered, connection)})
    return {
        "dag_id": dag.dag_id,
        "ds": ds,
        "run_id": context["run_id"],
        "branch": branch,
        "run_order": order,
        "commands": commands,
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--ds", required=True, help="logical date of the run, YYYY-MM-DD")
    p.add_argument("--run-id", help="default: scheduled__<ds>T00:00:00+00:00")
    p.add_argument("--var", type=_pair, action="append", default=[], help="Variable NAME=VALUE")
    p.add_argument("--conn", type=_pair, action="append", default=[], help="connection ID=JSON")
    p.add_argument("--conf", type=_pair, action="append", default=[], help="run param KEY=VALUE")
    a = p.parse_args(argv)
    out = render(a.ds, a.run_id, dict(a.var), dict(a.conn), dict(a.conf))
    json.dump(out, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
