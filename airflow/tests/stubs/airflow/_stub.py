"""The few Airflow pieces the Unmask DAG uses, for tests that run without Airflow.

Strict on purpose: an argument real Airflow would reject (or that Airflow 3 removed) is an error
here too, and the template renderer knows only the Jinja forms the DAG uses and fails on any
other, so that a test cannot pass on a DAG that real Airflow would render differently.
"""

from __future__ import annotations

import enum
import os
import re
from datetime import datetime, timedelta

# ---------------------------------------------------------------------------------------------
# Templates


class TemplateError(ValueError):
    """A template uses a form the stub renderer does not support (or a missing value)."""


_EXPRESSION = re.compile(r"\{\{(.*?)\}\}", re.S)
_SUPPORTED = re.compile(r"^(ds|run_id|params\.[A-Za-z_][A-Za-z0-9_]*)$")


def render_string(text: str, context: dict) -> str:
    """Renders ``{{ ds }}``, ``{{ run_id }}`` and ``{{ params.NAME }}``; fails on anything else."""
    if "{%" in text or "{#" in text:
        raise TemplateError(f"unsupported Jinja statement or comment in {text!r}")

    def one(match: re.Match) -> str:
        expr = match.group(1).strip()
        if not _SUPPORTED.match(expr):
            raise TemplateError(f"unsupported template expression {{{{ {expr} }}}} in {text!r}")
        if expr in ("ds", "run_id"):
            value = context.get(expr)
            if value is None:
                raise TemplateError(f"{expr} is not in the context")
            return str(value)
        name = expr.split(".", 1)[1]
        params = context.get("params") or {}
        if name not in params:
            raise TemplateError(f"params.{name} is not a DAG param")
        return str(params[name])

    out = _EXPRESSION.sub(one, text)
    if "{{" in out or "}}" in out:
        raise TemplateError(f"unbalanced template braces in {text!r}")
    return out


def render(value, context: dict):
    """Renders a templated field the way Airflow walks it: strings, lists, tuples, dict values."""
    if isinstance(value, str):
        return render_string(value, context)
    if isinstance(value, list):
        return [render(v, context) for v in value]
    if isinstance(value, tuple):
        return tuple(render(v, context) for v in value)
    if isinstance(value, dict):
        return {k: render(v, context) for k, v in value.items()}
    return value


# ---------------------------------------------------------------------------------------------
# Variables

_NOTSET = object()


class Variable:
    """``Variable.get`` from an in-memory store, then ``AIRFLOW_VAR_<KEY>`` like Airflow."""

    store: dict[str, str] = {}

    @classmethod
    def get(cls, key: str, *args, deserialize_json: bool = False, **kwargs):
        if kwargs:
            # Airflow 2 calls the default `default_var`, Airflow 3 (airflow.sdk) `default`:
            # only a positional default works on both.
            raise TypeError(f"pass the default positionally, not as {sorted(kwargs)}")
        if len(args) > 1:
            raise TypeError("Variable.get takes one default")
        default = args[0] if args else _NOTSET
        if key in cls.store:
            value = cls.store[key]
        elif f"AIRFLOW_VAR_{key.upper()}" in os.environ:
            value = os.environ[f"AIRFLOW_VAR_{key.upper()}"]
        elif default is not _NOTSET:
            return default
        else:
            raise KeyError(f"Variable {key} does not exist")
        if deserialize_json:
            import json

            return json.loads(value)
        return value


# ---------------------------------------------------------------------------------------------
# Trigger rules


class TriggerRule(str, enum.Enum):
    ALL_SUCCESS = "all_success"
    ALL_FAILED = "all_failed"
    ALL_DONE = "all_done"
    ONE_SUCCESS = "one_success"
    ONE_FAILED = "one_failed"
    NONE_FAILED = "none_failed"
    NONE_SKIPPED = "none_skipped"
    NONE_FAILED_MIN_ONE_SUCCESS = "none_failed_min_one_success"
    ALWAYS = "always"

    def __str__(self) -> str:
        return self.value


# ---------------------------------------------------------------------------------------------
# DAG


_current_dag: list["DAG"] = []

_DAG_ARGS = {
    "dag_id", "description", "schedule", "start_date", "end_date", "catchup",
    "max_active_runs", "max_active_tasks", "dagrun_timeout", "default_args", "params",
    "doc_md", "tags", "owner_links", "render_template_as_native_obj", "is_paused_upon_creation",
    "on_success_callback", "on_failure_callback", "access_control",
}  # fmt: skip


class DAG:
    """A DAG as a context manager that collects the operators created inside it."""

    def __init__(self, dag_id: str | None = None, **kwargs):
        unknown = set(kwargs) - _DAG_ARGS
        if unknown:
            # e.g. schedule_interval, removed in Airflow 3
            raise TypeError(f"DAG got unsupported arguments {sorted(unknown)}")
        if not dag_id:
            raise TypeError("DAG needs a dag_id")
        self.dag_id = dag_id
        self.schedule = kwargs.get("schedule")
        self.start_date = kwargs.get("start_date")
        self.catchup = kwargs.get("catchup")
        self.max_active_runs = kwargs.get("max_active_runs")
        self.dagrun_timeout = kwargs.get("dagrun_timeout")
        self.default_args = dict(kwargs.get("default_args") or {})
        self.params = dict(kwargs.get("params") or {})
        self.doc_md = kwargs.get("doc_md")
        self.description = kwargs.get("description")
        self.tags = list(kwargs.get("tags") or [])
        self.task_dict: dict[str, BaseOperator] = {}
        if isinstance(self.start_date, datetime) and self.start_date.tzinfo is None:
            raise ValueError("start_date must be timezone-aware")

    def __enter__(self) -> "DAG":
        _current_dag.append(self)
        return self

    def __exit__(self, *exc) -> None:
        _current_dag.pop()

    @property
    def task_ids(self) -> list[str]:
        return list(self.task_dict)

    def get_task(self, task_id: str) -> "BaseOperator":
        return self.task_dict[task_id]

    def topological_order(self) -> list["BaseOperator"]:
        order: list[BaseOperator] = []
        seen: set[str] = set()
        pending = list(self.task_dict.values())
        while pending:
            ready = [t for t in pending if t.upstream_task_ids <= seen]
            if not ready:
                raise ValueError("the DAG has a cycle")
            for t in ready:
                order.append(t)
                seen.add(t.task_id)
                pending.remove(t)
        return order


# ---------------------------------------------------------------------------------------------
# Operators

_BASE_ARGS = {
    "task_id", "owner", "retries", "retry_delay", "retry_exponential_backoff", "max_retry_delay",
    "execution_timeout", "trigger_rule", "depends_on_past", "email", "email_on_failure",
    "email_on_retry", "doc_md", "pool", "queue", "priority_weight", "dag", "on_failure_callback",
    "on_retry_callback", "on_success_callback",
}  # fmt: skip


class BaseOperator:
    """An operator with Airflow's default_args merging, dependencies and templated fields."""

    template_fields: tuple[str, ...] = ()
    #: Arguments of the operator itself (besides BaseOperator's); anything else is an error.
    own_args: frozenset[str] = frozenset()

    def __init__(self, **kwargs):
        unknown = set(kwargs) - _BASE_ARGS - self.own_args
        if unknown:
            raise TypeError(f"{type(self).__name__} got invalid arguments {sorted(unknown)}")
        dag = kwargs.pop("dag", None) or (_current_dag[-1] if _current_dag else None)
        if dag is None:
            raise ValueError("operator created outside a DAG")
        # Like Airflow: default_args fill the arguments that were not given explicitly.
        merged = {k: v for k, v in dag.default_args.items() if k in _BASE_ARGS | self.own_args}
        merged.update(kwargs)
        self.task_id = merged.pop("task_id")
        self.owner = merged.pop("owner", "airflow")
        self.retries = merged.pop("retries", 0)
        self.retry_delay = merged.pop("retry_delay", timedelta(seconds=300))
        self.retry_exponential_backoff = merged.pop("retry_exponential_backoff", False)
        self.max_retry_delay = merged.pop("max_retry_delay", None)
        self.execution_timeout = merged.pop("execution_timeout", None)
        self.trigger_rule = TriggerRule(merged.pop("trigger_rule", TriggerRule.ALL_SUCCESS))
        self.depends_on_past = merged.pop("depends_on_past", False)
        self.kwargs = merged  # the operator's own arguments
        self.dag = dag
        self.upstream_task_ids: set[str] = set()
        self.downstream_task_ids: set[str] = set()
        if self.task_id in dag.task_dict:
            raise ValueError(f"duplicate task_id {self.task_id}")
        dag.task_dict[self.task_id] = self

    # dependencies -----------------------------------------------------------------------------
    def set_downstream(self, other) -> None:
        for o in other if isinstance(other, (list, tuple)) else [other]:
            self.downstream_task_ids.add(o.task_id)
            o.upstream_task_ids.add(self.task_id)

    def __rshift__(self, other):
        self.set_downstream(other)
        return other

    def __lshift__(self, other):
        for o in other if isinstance(other, (list, tuple)) else [other]:
            o.set_downstream(self)
        return other

    def __rrshift__(self, other):  # [a, b] >> self
        for o in other:
            o.set_downstream(self)
        return self

    def __rlshift__(self, other):  # [a, b] << self
        self.set_downstream(other)
        return self

    # templates --------------------------------------------------------------------------------
    def render_template_fields(self, context: dict) -> dict:
        """The templated fields rendered for ``context`` (the operator is left unchanged)."""
        return {f: render(getattr(self, f), context) for f in self.template_fields}

    def execute(self, context: dict):
        return None


class EmptyOperator(BaseOperator):
    pass


class BranchPythonOperator(BaseOperator):
    """Calls ``python_callable(**context)``; its answer must name direct downstream tasks."""

    own_args = frozenset({"python_callable", "op_args", "op_kwargs", "templates_dict"})

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.python_callable = self.kwargs["python_callable"]

    def execute(self, context: dict):
        chosen = self.python_callable(**context)
        ids = [chosen] if isinstance(chosen, str) else list(chosen)
        bad = [t for t in ids if t not in self.downstream_task_ids]
        if bad:
            raise ValueError(f"branch returned {bad}, not downstream of {self.task_id}")
        return chosen


class SparkSubmitOperator(BaseOperator):
    """Records the arguments it was given; renders the provider's templated fields."""

    template_fields = (
        "application", "conf", "files", "py_files", "jars", "driver_class_path", "packages",
        "exclude_packages", "keytab", "principal", "proxy_user", "name", "application_args",
        "env_vars", "properties_file",
    )  # fmt: skip
    own_args = frozenset({
        "application", "conf", "conn_id", "files", "py_files", "archives", "driver_class_path",
        "jars", "java_class", "packages", "exclude_packages", "repositories",
        "total_executor_cores", "executor_cores", "executor_memory", "driver_memory", "keytab",
        "principal", "proxy_user", "name", "num_executors", "status_poll_interval",
        "application_args", "env_vars", "verbose", "spark_binary", "properties_file",
        "yarn_queue", "deploy_mode", "use_krb5ccache",
    })  # fmt: skip

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        k = self.kwargs
        self.application = k.get("application", "")
        self.conf = k.get("conf")
        self.conn_id = k.get("conn_id", "spark_default")
        self.files = k.get("files")
        self.py_files = k.get("py_files")
        self.archives = k.get("archives")
        self.driver_class_path = k.get("driver_class_path")
        self.jars = k.get("jars")
        self.java_class = k.get("java_class")
        self.packages = k.get("packages")
        self.exclude_packages = k.get("exclude_packages")
        self.repositories = k.get("repositories")
        self.total_executor_cores = k.get("total_executor_cores")
        self.executor_cores = k.get("executor_cores")
        self.executor_memory = k.get("executor_memory")
        self.driver_memory = k.get("driver_memory")
        self.keytab = k.get("keytab")
        self.principal = k.get("principal")
        self.proxy_user = k.get("proxy_user")
        self.name = k.get("name", "arrow-spark")
        self.num_executors = k.get("num_executors")
        self.application_args = k.get("application_args")
        self.env_vars = k.get("env_vars")
        self.verbose = k.get("verbose", False)
        self.spark_binary = k.get("spark_binary")
        self.properties_file = k.get("properties_file")
        self.yarn_queue = k.get("yarn_queue")
        self.deploy_mode = k.get("deploy_mode")
