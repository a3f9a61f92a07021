"""The unmask_daily DAG: shape, retries, rendered commands, the retrain and maintenance branches.

Run from ``airflow/``: ``python3 -m unittest discover -s tests`` (standard library only).
"""

from __future__ import annotations

import json
import unittest
from datetime import datetime, timedelta, timezone

import dagloader
from airflow._stub import BranchPythonOperator, EmptyOperator, SparkSubmitOperator, TriggerRule

DS = "2026-10-31"  # a Saturday, the sample data's as_of
RUN_ID = "scheduled__2026-10-31T00:00:00+00:00"
SPARK_TASKS = ("ingest", "quality_gate", "score", "retrain_and_score", "maintain")

SETTINGS = {
    "jar": "/opt/jobs/unmask.jar",
    "input": "s3a://exports/platform/day={{ ds }}/",
    "warehouse": "s3a://wh/unmask",
    "config_file": "s3a://wh/conf/unmask.properties",
    "spark_conn_id": "spark_prod",
    "max_quarantine_share": 0.02,
    "retrain_weekday": "Saturday",
    "maintain_weekday": "Friday",
    "retain_days": 30,
    "vacuum_hours": 336,
    "driver_memory": "6g",
    "executor_memory": "12g",
    "spark_conf": {"spark.sql.shuffle.partitions": 400, "spark.ui.enabled": "false"},
}


def load(settings: dict | None = None):
    variables = {} if settings is None else {"unmask_daily": json.dumps(settings)}
    return dagloader.load_dag(variables).dag


class DagShapeTest(unittest.TestCase):
    def setUp(self):
        self.dag = load()

    def test_schedule_and_run_settings(self):
        d = self.dag
        self.assertEqual(d.dag_id, "unmask_daily")
        self.assertEqual(d.schedule, "@daily")
        self.assertIs(d.catchup, True)
        self.assertEqual(d.max_active_runs, 1)
        self.assertEqual(d.start_date, datetime(2026, 10, 1, tzinfo=timezone.utc))
        self.assertEqual(d.dagrun_timeout, timedelta(hours=12))
        self.assertIn("quality_gate", d.doc_md)
        self.assertIn("unmask_daily", d.doc_md)

    def test_task_ids_and_exact_dependencies(self):
        edges = {
            (up, t.task_id) for t in self.dag.task_dict.values() for up in t.upstream_task_ids
        }
        self.assertEqual(
            set(self.dag.task_ids),
            {"ingest", "quality_gate", "retrain_or_score", "score", "retrain_and_score", "done",
             "maintain_or_skip", "maintain", "skip_maintenance"},  # fmt: skip
        )
        self.assertEqual(
            edges,
            {
                ("ingest", "quality_gate"),
                ("quality_gate", "retrain_or_score"),
                ("retrain_or_score", "score"),
                ("retrain_or_score", "retrain_and_score"),
                ("score", "done"),
                ("retrain_and_score", "done"),
                ("done", "maintain_or_skip"),
                ("maintain_or_skip", "maintain"),
                ("maintain_or_skip", "skip_maintenance"),
            },
        )
        for t in self.dag.task_dict.values():  # both directions agree
            for down in t.downstream_task_ids:
                self.assertIn(t.task_id, self.dag.get_task(down).upstream_task_ids)

    def test_operator_types_and_join_rule(self):
        for task_id in SPARK_TASKS:
            self.assertIsInstance(self.dag.get_task(task_id), SparkSubmitOperator)
        self.assertIsInstance(self.dag.get_task("retrain_or_score"), BranchPythonOperator)
        self.assertIsInstance(self.dag.get_task("maintain_or_skip"), BranchPythonOperator)
        self.assertIsInstance(self.dag.get_task("skip_maintenance"), EmptyOperator)
        done = self.dag.get_task("done")
        self.assertIsInstance(done, EmptyOperator)
        self.assertEqual(done.trigger_rule, TriggerRule.NONE_FAILED_MIN_ONE_SUCCESS)
        for task_id in SPARK_TASKS + ("retrain_or_score", "maintain_or_skip"):
            self.assertEqual(self.dag.get_task(task_id).trigger_rule, TriggerRule.ALL_SUCCESS)

    def test_every_task_retries_with_backoff_and_has_a_timeout(self):
        for t in self.dag.task_dict.values():
            with self.subTest(task=t.task_id):
                self.assertEqual(t.retries, 2)
                self.assertEqual(t.retry_delay, timedelta(minutes=10))
                self.assertIs(t.retry_exponential_backoff, True)
                self.assertEqual(t.max_retry_delay, timedelta(hours=1))
                self.assertIsInstance(t.execution_timeout, timedelta)
                self.assertLessEqual(t.execution_timeout, self.dag.dagrun_timeout)
                self.assertEqual(t.owner, "trust-and-safety")
        timeouts = {t: self.dag.get_task(t).execution_timeout for t in SPARK_TASKS}
        self.assertEqual(
            timeouts,
            {
                "ingest": timedelta(hours=2),
                "quality_gate": timedelta(minutes=30),
                "score": timedelta(hours=3),
                "retrain_and_score": timedelta(hours=4),
                "maintain": timedelta(hours=3),
            },
        )

    def test_spark_tasks_submit_the_jar_main_class_and_settings(self):
        dag = load(SETTINGS)
        ctx = dagloader.context_for(dag, DS, RUN_ID)
        for task_id in SPARK_TASKS:
            op = dag.get_task(task_id)
            with self.subTest(task=task_id):
                rendered = op.render_template_fields(ctx)
                self.assertEqual(rendered["application"], "/opt/jobs/unmask.jar")
                self.assertEqual(op.java_class, "io.unmask.cli.Main")
                self.assertEqual(op.conn_id, "spark_prod")
                self.assertEqual(op.driver_memory, "6g")
                self.assertEqual(op.executor_memory, "12g")
                self.assertEqual(
                    rendered["conf"],
                    {"spark.sql.shuffle.partitions": "400", "spark.ui.enabled": "false"},
                )
                self.assertEqual(rendered["name"], f"unmask-{task_id}-{DS}")


class RenderedArgsTest(unittest.TestCase):
    def args(self, task_id, settings=None, ds=DS, conf=None):
        dag = load(settings)
        ctx = dagloader.context_for(dag, ds, RUN_ID, conf)
        return dag.get_task(task_id).render_template_fields(ctx)["application_args"]

    def test_ingest(self):
        self.assertEqual(
            self.args("ingest", SETTINGS),
            ["ingest", "--input", "s3a://exports/platform/day=2026-10-31/", "--mode", "increment",
             "--warehouse", "s3a://wh/unmask", "--as-of", "2026-10-31",
             "--run-id", RUN_ID, "--config", "s3a://wh/conf/unmask.properties"],
        )  # fmt: skip

    def test_quality_gate(self):
        self.assertEqual(
            self.args("quality_gate", SETTINGS),
            ["check", "--warehouse", "s3a://wh/unmask", "--as-of", "2026-10-31",
             "--max-quarantine-share", "0.02", "--config", "s3a://wh/conf/unmask.properties"],
        )  # fmt: skip

    def test_score_and_retrain(self):
        score = ["pipeline", "--skip-ingest", "--warehouse", "s3a://wh/unmask",
                 "--as-of", "2026-10-31", "--run-id", RUN_ID,
                 "--config", "s3a://wh/conf/unmask.properties"]  # fmt: skip
        self.assertEqual(self.args("score", SETTINGS), score)
        self.assertEqual(self.args("retrain_and_score", SETTINGS), score + ["--retrain"])

    def test_maintain(self):
        self.assertEqual(
            self.args("maintain", SETTINGS),
            ["maintain", "--warehouse", "s3a://wh/unmask", "--retain-days", "30",
             "--vacuum-hours", "336", "--run-id", RUN_ID,
             "--config", "s3a://wh/conf/unmask.properties"],
        )  # fmt: skip
        defaults = self.args("maintain")
        self.assertEqual(defaults[defaults.index("--retain-days") + 1], "90")
        self.assertEqual(defaults[defaults.index("--vacuum-hours") + 1], "168")
        self.assertNotIn("--allow-short-vacuum", defaults)
        self.assertNotIn("--as-of", defaults)  # retention counts from the latest scored day

    def test_defaults(self):
        self.assertEqual(
            self.args("ingest"),
            ["ingest", "--input", "s3a://platform-exports/unmask/2026-10-31", "--mode", "increment",
             "--warehouse", "s3a://unmask-warehouse/unmask", "--as-of", "2026-10-31",
             "--run-id", RUN_ID, "--config", "/opt/unmask/unmask.properties"],
        )  # fmt: skip
        self.assertIn("0.05", self.args("quality_gate"))

    def test_the_day_follows_the_run(self):
        args = self.args("ingest", ds="2027-01-05")
        self.assertIn("s3a://platform-exports/unmask/2027-01-05", args)
        self.assertEqual(args[args.index("--as-of") + 1], "2027-01-05")

    def test_a_triggered_run_overrides_params(self):
        args = self.args(
            "quality_gate", conf={"max_quarantine_share": 0.2, "warehouse": "/mnt/wh"}
        )
        self.assertEqual(args[args.index("--max-quarantine-share") + 1], "0.2")
        self.assertEqual(args[args.index("--warehouse") + 1], "/mnt/wh")
        # a team whose exports are whole histories, or a one-off reload
        args = self.args("ingest", conf={"input_mode": "snapshot"})
        self.assertEqual(args[args.index("--mode") + 1], "snapshot")

    def test_variable_from_the_environment_like_airflow(self):
        with dagloader.environ(AIRFLOW_VAR_UNMASK_DAILY=json.dumps({"warehouse": "/env/wh"})):
            dag = dagloader.load_dag().dag
        self.assertEqual(dag.params["warehouse"], "/env/wh")


class BranchTest(unittest.TestCase):
    def chosen(self, ds, settings=None, conf=None):
        dag = load(settings)
        return dag.get_task("retrain_or_score").execute(
            dagloader.context_for(dag, ds, conf=conf)
        )

    def test_default_retrains_on_sunday_only(self):
        self.assertEqual(self.chosen("2026-11-01"), "retrain_and_score")  # Sunday
        for ds in ("2026-10-26", "2026-10-27", "2026-10-28", "2026-10-29", "2026-10-30",
                   "2026-10-31", "2026-11-02"):  # fmt: skip
            with self.subTest(ds=ds):
                self.assertEqual(self.chosen(ds), "score")

    def test_configured_weekday(self):
        self.assertEqual(self.chosen("2026-10-31", SETTINGS), "retrain_and_score")  # Saturday
        self.assertEqual(self.chosen("2026-11-01", SETTINGS), "score")
        self.assertEqual(
            self.chosen("2026-10-28", conf={"retrain_weekday": "wednesday"}), "retrain_and_score"
        )

    def test_run_follows_the_branch_and_joins(self):
        dag = load()
        self.assertEqual(
            dagloader.run_order(dag, dagloader.context_for(dag, "2026-10-31")),
            ["ingest", "quality_gate", "retrain_or_score", "score", "done",
             "maintain_or_skip", "skip_maintenance"],
        )  # fmt: skip
        self.assertEqual(
            dagloader.run_order(dag, dagloader.context_for(dag, "2026-11-01")),
            ["ingest", "quality_gate", "retrain_or_score", "retrain_and_score", "done",
             "maintain_or_skip", "maintain"],
        )  # fmt: skip

    def test_maintenance_runs_weekly_after_scoring(self):
        dag = load()
        self.assertEqual(
            dagloader.run_order(dag, dagloader.context_for(dag, "2026-11-01")),  # Sunday
            ["ingest", "quality_gate", "retrain_or_score", "retrain_and_score", "done",
             "maintain_or_skip", "maintain"],
        )  # fmt: skip
        for ds in ("2026-10-26", "2026-10-27", "2026-10-28", "2026-10-29", "2026-10-30",
                   "2026-10-31", "2026-11-02"):  # fmt: skip
            with self.subTest(ds=ds):
                order = dagloader.run_order(dag, dagloader.context_for(dag, ds))
                self.assertEqual(order[-2:], ["maintain_or_skip", "skip_maintenance"])
                self.assertNotIn("maintain", order)

    def test_configured_maintenance_weekday(self):
        def maintains(ds, settings=None, conf=None):
            dag = load(settings)
            ctx = dagloader.context_for(dag, ds, conf=conf)
            return dag.get_task("maintain_or_skip").execute(ctx)

        self.assertEqual(maintains("2026-10-30", SETTINGS), "maintain")  # Friday
        self.assertEqual(maintains("2026-11-01", SETTINGS), "skip_maintenance")
        self.assertEqual(maintains("2026-10-28", conf={"maintain_weekday": "wednesday"}), "maintain")
        with self.assertRaisesRegex(ValueError, "maintain_weekday"):
            maintains("2026-11-01", conf={"maintain_weekday": "sundy"})

    def test_a_failed_scoring_day_does_not_maintain(self):
        dag = load()
        self.assertEqual(dag.get_task("maintain_or_skip").upstream_task_ids, {"done"})
        self.assertEqual(
            dag.get_task("maintain_or_skip").trigger_rule, TriggerRule.ALL_SUCCESS
        )

    def test_bad_weekday_fails_the_branch(self):
        with self.assertRaisesRegex(ValueError, "retrain_weekday"):
            self.chosen("2026-11-01", conf={"retrain_weekday": "sundy"})

    def test_no_logical_date_fails_clearly(self):
        dag = load()
        ctx = dagloader.context_for(dag, DS)
        ctx["ds"] = None
        with self.assertRaisesRegex(ValueError, "logical date"):
            dag.get_task("retrain_or_score").execute(ctx)


class SettingsTest(unittest.TestCase):
    def test_unknown_key_is_an_import_error(self):
        with self.assertRaisesRegex(ValueError, "warehous"):
            load({"warehous": "/x"})

    def test_invalid_values_are_import_errors(self):
        for bad, pattern in (
            ({"max_quarantine_share": 1.5}, "max_quarantine_share"),
            ({"max_quarantine_share": "0.1"}, "max_quarantine_share"),
            ({"retrain_weekday": "someday"}, "retrain_weekday"),
            ({"maintain_weekday": "someday"}, "maintain_weekday"),
            ({"retain_days": "90"}, "retain_days"),
            ({"retain_days": 1.5}, "retain_days"),
            ({"vacuum_hours": 24}, "vacuum_hours"),
            ({"vacuum_hours": True}, "vacuum_hours"),
            ({"driver_memory": "lots"}, "driver_memory"),
            ({"spark_conf": ["a=b"]}, "spark_conf"),
            ({"warehouse": ""}, "warehouse"),
            ({"input_mode": "daily"}, "input_mode"),
        ):
            with self.subTest(bad=bad), self.assertRaisesRegex(ValueError, pattern):
                load(bad)

    def test_not_json(self):
        with self.assertRaisesRegex(ValueError, "not valid JSON"):
            dagloader.load_dag({"unmask_daily": "{warehouse: x}"})


class ImportCompatibilityTest(unittest.TestCase):
    """The DAG imports on the Airflow 2 layout as well as the Airflow 3 one."""

    AIRFLOW_3_ONLY = (
        "airflow.sdk",
        "airflow.providers.standard",
        "airflow.providers.standard.operators",
        "airflow.providers.standard.operators.empty",
        "airflow.providers.standard.operators.python",
    )

    def test_airflow_2_layout(self):
        module = dagloader.load_dag(hide=self.AIRFLOW_3_ONLY)
        self.assertEqual(len(module.dag.task_dict), 9)

    def test_airflow_3_layout(self):
        hidden = ("airflow.operators", "airflow.operators.empty", "airflow.operators.python",
                  "airflow.utils", "airflow.utils.trigger_rule", "airflow.models")  # fmt: skip
        module = dagloader.load_dag(hide=hidden)
        self.assertEqual(len(module.dag.task_dict), 9)


if __name__ == "__main__":
    unittest.main()
