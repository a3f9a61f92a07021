"""Loads ``dags/unmask_daily.py`` against the Airflow stubs in ``stubs/`` (no Airflow needed)."""

from __future__ import annotations

import contextlib
import importlib.util
import sys
from datetime import date, datetime, time, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
STUBS = HERE / "stubs"
DAG_FILE = HERE.parent / "dags" / "unmask_daily.py"

# The stubs go ahead of everything, so that an installed Airflow (or the repository's own
# `airflow/` folder) can never be imported in their place.
if sys.path[:1] != [str(STUBS)]:
    sys.path.insert(0, str(STUBS))
for _name in [m for m in sys.modules if m == "airflow" or m.startswith("airflow.")]:
    if not str(getattr(sys.modules[_name], "__file__", "") or "").startswith(str(STUBS)):
        del sys.modules[_name]

import airflow._stub as stub  # noqa: E402

if not str(Path(stub.__file__).resolve()).startswith(str(STUBS)):
    raise ImportError(f"airflow resolved to {stub.__file__}, not the stubs")


def load_dag(variables: dict[str, str] | None = None, hide: tuple[str, ...] = ()):
    """Imports the DAG file afresh with these Airflow Variables and returns the module.

    ``hide`` names stub modules to make unimportable for the import (to test the fallbacks for
    the other Airflow major version).
    """
    stub.Variable.store = dict(variables or {})
    saved = {name: sys.modules.get(name) for name in hide}
    try:
        for name in hide:
            sys.modules[name] = None  # an import of it raises ImportError
        spec = importlib.util.spec_from_file_location("unmask_daily", DAG_FILE)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        for name, mod in saved.items():
            if mod is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = mod
        stub.Variable.store = {}


def context_for(dag, ds: str, run_id: str | None = None, conf: dict | None = None) -> dict:
    """The template context of a scheduled run of ``dag`` for logical date ``ds``.

    ``conf`` overrides params like a triggered run's configuration does.
    """
    day = date.fromisoformat(ds)
    logical = datetime.combine(day, time(), tzinfo=timezone.utc)
    params = dict(dag.params)
    for key, value in (conf or {}).items():
        if key not in params:
            raise KeyError(f"{key} is not a param of {dag.dag_id}")
        params[key] = value
    return {
        "ds": ds,
        "logical_date": logical,
        "run_id": run_id or f"scheduled__{logical.isoformat()}",
        "params": params,
        "dag": dag,
    }


def run_order(dag, context: dict) -> list[str]:
    """The task ids a run executes, in order: branches followed, skips propagated by rule."""
    skipped: set[str] = set()
    ran: list[str] = []
    for task in dag.topological_order():
        ups = task.upstream_task_ids
        rule = task.trigger_rule
        if task.task_id in skipped:  # a branch did not choose it
            runs = False
        elif rule == stub.TriggerRule.ALL_SUCCESS:
            runs = not (ups & skipped)
        elif rule == stub.TriggerRule.NONE_FAILED_MIN_ONE_SUCCESS:
            runs = not ups or bool(ups - skipped)
        else:
            raise NotImplementedError(f"trigger rule {rule} of {task.task_id}")
        if not runs:
            skipped.add(task.task_id)
            continue
        ran.append(task.task_id)
        if isinstance(task, stub.BranchPythonOperator):
            chosen = task.execute(context)
            chosen = {chosen} if isinstance(chosen, str) else set(chosen)
            skipped |= task.downstream_task_ids - chosen
    return ran


@contextlib.contextmanager
def environ(**values: str):
    """Temporarily sets environment variables."""
    import os

    old = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
