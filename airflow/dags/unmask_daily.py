"""Unmask, once a day: ingest the day's export, gate it, then score (retraining once a week),
and once a week compact the warehouse and drop old per-run days (``maintain``).

Deploy: copy this file into the Airflow ``dags/`` folder of an Airflow 2.7+ or 3.x installation
with ``apache-airflow-providers-apache-spark``; see ``airflow/README.md`` in the Unmask
repository (Variables, the Spark connection, backfill).

Settings come from one JSON Airflow Variable, ``unmask_daily`` (read once per parse of this
file), merged over ``DEFAULTS`` below; a key this file does not know is an import error, so a
typo cannot silently leave a setting at its default. The settings that the tasks read through
templates (jar, warehouse, config file, quarantine threshold, retrain weekday, maintenance
weekday and retention) are also DAG
``params``, so one run can override them ("Trigger DAG w/ config").
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta, timezone

# Airflow 3 moved the DAG-authoring API to airflow.sdk and the core operators to the standard
# provider; Airflow 2.7+ has them in their old homes. Try the new home first.
try:
    from airflow.sdk import DAG, Variable
except ImportError:  # Airflow 2
    from airflow import DAG
    from airflow.models import Variable
try:
    from airflow.providers.standard.operators.empty import EmptyOperator
    from airflow.providers.standard.operators.python import BranchPythonOperator
except ImportError:  # Airflow 2, or Airflow 3 without the standard provider's new paths
    from airflow.operators.empty import EmptyOperator
    from airflow.operators.python import BranchPythonOperator
try:
    from airflow.sdk import TriggerRule
except ImportError:  # Airflow 2 and 3.0
    from airflow.utils.trigger_rule import TriggerRule
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

DAG_ID = "unmask_daily"
VARIABLE = "unmask_daily"
MAIN_CLASS = "io.unmask.cli.Main"
# The first day to run. With catchup=True, Airflow runs every day from here on: set it to the
# first day your platform export exists.
START_DATE = datetime(2026, 10, 1, tzinfo=timezone.utc)

#: Every setting, with its default. Override any of them in the JSON Variable ``unmask_daily``.
DEFAULTS: dict[str, object] = {
    # The application jar (built by `mvn package`), readable by spark-submit: a path on the
    # Airflow worker, or hdfs:// / s3a:// / local:// as your cluster manager accepts.
    "jar": "/opt/unmask/unmask-jobs-0.1.0-SNAPSHOT.jar",
    # Where the day's export is, as a Jinja template rendered per run ({{ ds }} is the day).
    "input": "s3a://platform-exports/unmask/{{ ds }}",
    # What each day's export holds: "increment" (the day's new and changed rows: the normal way;
    # the first day's full export loads as one too) or "snapshot" (a team whose every export is
    # the whole history). Either way each event is stored once (docs/daily.md).
    "input_mode": "increment",
    # The Delta warehouse every task reads and writes.
    "warehouse": "s3a://unmask-warehouse/unmask",
    # The settings file given to every command as --config (Java properties; see docs/airflow.md).
    "config_file": "/opt/unmask/unmask.properties",
    # The Airflow connection of the Spark cluster (conn type "spark").
    "spark_conn_id": "spark_unmask",
    # The quality gate fails the run when a table's quarantined share that day passes this.
    "max_quarantine_share": 0.05,
    # Runs on this weekday (of the logical date) train a new model before scoring.
    "retrain_weekday": "sunday",
    # Runs on this weekday (of the logical date) run `maintain` after scoring: OPTIMIZE (logins
    # and payments Z-ordered by account), retention of the per-run tables, VACUUM.
    "maintain_weekday": "sunday",
    # Days of the per-run tables (risk_scores, quarantine, ...) kept before the latest scored
    # day; 0 or less keeps every day.
    "retain_days": 90,
    # VACUUM retention in hours; at least 168 (7 days, Delta's default), since a shorter one can
    # break readers running across the VACUUM and time travel (the DAG never shortens it).
    "vacuum_hours": 168,
    "driver_memory": "4g",
    "executor_memory": "8g",
    # Extra Spark settings, passed as --conf key=value.
    "spark_conf": {},
}

#: VACUUM retention below this needs `maintain --allow-short-vacuum`, which the DAG never passes.
MIN_VACUUM_HOURS = 168
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MEMORY = re.compile(r"^[0-9]+[kmgtKMGT]?$")


def load_settings(raw: str | None) -> dict[str, object]:
    """``DEFAULTS`` overridden by the Variable's JSON text ``raw``; fails on unknown keys."""
    settings = dict(DEFAULTS)
    if raw:
        try:
            given = json.loads(raw)
        except ValueError as e:
            raise ValueError(f"Variable {VARIABLE} is not valid JSON: {e}") from None
        if not isinstance(given, dict):
            raise ValueError(f"Variable {VARIABLE} must be a JSON object of settings")
        unknown = sorted(set(given) - set(DEFAULTS))
        if unknown:
            raise ValueError(
                f"Variable {VARIABLE}: unknown setting(s) {unknown}; known: {sorted(DEFAULTS)}"
            )
        settings.update(given)
    share = settings["max_quarantine_share"]
    if isinstance(share, bool) or not isinstance(share, (int, float)) or not 0 <= share <= 1:
        raise ValueError(f"Variable {VARIABLE}: max_quarantine_share must be 0..1, got {share!r}")
    settings["max_quarantine_share"] = float(share)
    for key in ("retrain_weekday", "maintain_weekday"):
        weekday_index(settings[key], key)
        settings[key] = str(settings[key]).strip().lower()
    for key, least in (("retain_days", None), ("vacuum_hours", MIN_VACUUM_HOURS)):
        value = settings[key]
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"Variable {VARIABLE}: {key} must be a whole number, got {value!r}")
        if least is not None and value < least:
            raise ValueError(
                f"Variable {VARIABLE}: {key} must be at least {least} (7 days), got {value!r}"
            )
    for key in ("driver_memory", "executor_memory"):
        if not _MEMORY.match(str(settings[key])):
            raise ValueError(f"Variable {VARIABLE}: {key} must be a size such as 4g")
    if settings["input_mode"] not in ("increment", "snapshot"):
        raise ValueError(
            f"Variable {VARIABLE}: input_mode must be increment or snapshot,"
            f" got {settings['input_mode']!r}"
        )
    if not isinstance(settings["spark_conf"], dict):
        raise ValueError(f"Variable {VARIABLE}: spark_conf must be a JSON object")
    for key in ("jar", "input", "warehouse", "config_file", "spark_conn_id"):
        if not isinstance(settings[key], str) or not settings[key].strip():
            raise ValueError(f"Variable {VARIABLE}: {key} must be a non-empty string")
    return settings


def weekday_index(name: object, setting: str = "retrain_weekday") -> int:
    """0 for Monday to 6 for Sunday; fails on anything but an English weekday name."""
    day = str(name).strip().lower()
    if day not in WEEKDAYS:
        raise ValueError(f"{setting} must be one of {list(WEEKDAYS)}, got {name!r}")
    return WEEKDAYS.index(day)


def _logical_day(context) -> date:
    ds = context.get("ds")
    if not ds:
        raise ValueError("the run has no logical date (ds); trigger it with a logical date")
    return date.fromisoformat(ds)


def choose_scoring_task(**context) -> str:
    """The branch: ``retrain_and_score`` on the retrain weekday of the run's day, else ``score``."""
    wanted = weekday_index(context["params"]["retrain_weekday"])
    return "retrain_and_score" if _logical_day(context).weekday() == wanted else "score"


def choose_maintenance(**context) -> str:
    """The weekly branch after scoring: ``maintain`` on the maintenance weekday, else skip it."""
    wanted = weekday_index(context["params"]["maintain_weekday"], "maintain_weekday")
    return "maintain" if _logical_day(context).weekday() == wanted else "skip_maintenance"


SETTINGS = load_settings(Variable.get(VARIABLE, None))

DOC_MD = """
### Unmask, daily

One run per day (`{{ ds }}` = the day the export describes):

1. **ingest**: the day's export to the Delta warehouse (`bin/unmask ingest`); bad rows go to
   `quarantine`, never silently dropped.
2. **quality_gate**: `check` fails the run (nothing downstream runs) when a required table is
   missing or empty that day, or when a table's quarantined share passes
   `max_quarantine_share`. Look at the task log for the cause, fix the export, then clear
   `ingest` for that day.
3. **retrain_or_score** picks **retrain_and_score** on the retrain weekday, **score** otherwise:
   linking, features, model and `risk_scores` for the day (`pipeline --skip-ingest`).
4. **done** joins the two branches.
5. **maintain_or_skip** picks **maintain** on the maintenance weekday (`maintain_weekday`),
   **skip_maintenance** otherwise: `bin/unmask maintain` compacts every table (logins and
   payments Z-ordered by account), drops per-run days older than `retain_days` before the
   latest scored day and VACUUMs with `vacuum_hours` (at least 7 days). It runs after the
   day's scoring, so it never overlaps a pipeline of this DAG.

Every task replaces only its own day in the per-day tables, so retries, reruns and backfills
are safe; `max_active_runs=1` because runs share the model and reference tables.
Settings: the JSON Variable `unmask_daily` (see the repository's `docs/airflow.md`).
"""

default_args = {
    "owner": "trust-and-safety",
    "depends_on_past": False,
    "retries": 2,
    "retry_delay": timedelta(minutes=10),
    "retry_exponential_backoff": True,
    "max_retry_delay": timedelta(hours=1),
    "execution_timeout": timedelta(hours=1),
}


def _spark_task(task_id: str, args: list[str], timeout: timedelta) -> SparkSubmitOperator:
    return SparkSubmitOperator(
        task_id=task_id,
        conn_id=SETTINGS["spark_conn_id"],
        application="{{ params.jar }}",
        java_class=MAIN_CLASS,
        name=f"unmask-{task_id}-{{{{ ds }}}}",
        application_args=args,
        conf={str(k): str(v) for k, v in SETTINGS["spark_conf"].items()},
        driver_memory=SETTINGS["driver_memory"],
        executor_memory=SETTINGS["executor_memory"],
        execution_timeout=timeout,
    )


DAY = ["--warehouse", "{{ params.warehouse }}", "--as-of", "{{ ds }}"]
CONFIG = ["--config", "{{ params.config_file }}"]
RUN = ["--run-id", "{{ run_id }}"]

with DAG(
    dag_id=DAG_ID,
    description="Unmask: ingest, quality gate, score (weekly retrain and maintenance)",
    schedule="@daily",
    start_date=START_DATE,
    catchup=True,
    max_active_runs=1,
    dagrun_timeout=timedelta(hours=12),
    default_args=default_args,
    params={
        "jar": SETTINGS["jar"],
        "warehouse": SETTINGS["warehouse"],
        "config_file": SETTINGS["config_file"],
        "max_quarantine_share": SETTINGS["max_quarantine_share"],
        "input_mode": SETTINGS["input_mode"],
        "retrain_weekday": SETTINGS["retrain_weekday"],
        "maintain_weekday": SETTINGS["maintain_weekday"],
        "retain_days": SETTINGS["retain_days"],
        "vacuum_hours": SETTINGS["vacuum_hours"],
    },
    doc_md=DOC_MD,
    tags=["unmask", "spark"],
) as dag:
    ingest = _spark_task(
        "ingest",
        ["ingest", "--input", SETTINGS["input"], "--mode", "{{ params.input_mode }}", *DAY, *RUN,
         *CONFIG],
        timedelta(hours=2),
    )
    quality_gate = _spark_task(
        "quality_gate",
        ["check", *DAY, "--max-quarantine-share", "{{ params.max_quarantine_share }}", *CONFIG],
        timedelta(minutes=30),
    )
    retrain_or_score = BranchPythonOperator(
        task_id="retrain_or_score",
        python_callable=choose_scoring_task,
        execution_timeout=timedelta(minutes=5),
    )
    score = _spark_task(
        "score",
        ["pipeline", "--skip-ingest", *DAY, *RUN, *CONFIG],
        timedelta(hours=3),
    )
    retrain_and_score = _spark_task(
        "retrain_and_score",
        ["pipeline", "--skip-ingest", *DAY, *RUN, *CONFIG, "--retrain"],
        timedelta(hours=4),
    )
    done = EmptyOperator(
        task_id="done",
        trigger_rule=TriggerRule.NONE_FAILED_MIN_ONE_SUCCESS,
        execution_timeout=timedelta(minutes=5),
    )

    maintain_or_skip = BranchPythonOperator(
        task_id="maintain_or_skip",
        python_callable=choose_maintenance,
        execution_timeout=timedelta(minutes=5),
    )
    maintain = _spark_task(
        "maintain",
        ["maintain", "--warehouse", "{{ params.warehouse }}",
         "--retain-days", "{{ params.retain_days }}",
         "--vacuum-hours", "{{ params.vacuum_hours }}", *RUN, *CONFIG],
        timedelta(hours=3),
    )  # fmt: skip
    skip_maintenance = EmptyOperator(
        task_id="skip_maintenance",
        execution_timeout=timedelta(minutes=5),
    )

    ingest >> quality_gate >> retrain_or_score >> [score, retrain_and_score] >> done
    done >> maintain_or_skip >> [maintain, skip_maintenance]
