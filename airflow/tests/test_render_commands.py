"""The command renderer the Java integration test runs, and the stubs it relies on."""

from __future__ import annotations

import json
import subprocess
import sys
import unittest
from datetime import timedelta
from pathlib import Path

import dagloader
import spark_submit_command as ssc
from airflow._stub import DAG, SparkSubmitOperator, TemplateError, Variable, render_string

RENDERER = Path(__file__).resolve().parent / "render_commands.py"
CTX = {"ds": "2026-10-31", "run_id": "r1", "params": {"warehouse": "/wh"}}


class RendererTest(unittest.TestCase):
    def run_renderer(self, *args):
        out = subprocess.run(
            [sys.executable, "-B", str(RENDERER), *args],
            capture_output=True,
            text=True,
            check=True,
            env={"PATH": "/usr/bin:/bin"},
        )
        return json.loads(out.stdout)

    def test_exact_argv_of_a_saturday_run(self):
        settings = {
            "jar": "/build/unmask.jar",
            "input": "/data/{{ ds }}",
            "warehouse": "/wh",
            "config_file": "/conf/u.properties",
            "spark_conf": {"spark.ui.enabled": "false"},
        }
        out = self.run_renderer(
            "--ds", "2026-10-31",
            "--var", "unmask_daily=" + json.dumps(settings),
            "--conn", 'spark_unmask={"conn_type": "spark", "host": "local[2]"}',
        )  # fmt: skip
        self.assertEqual(
            out["branch"], {"retrain_or_score": "score", "maintain_or_skip": "skip_maintenance"}
        )
        self.assertEqual(
            out["run_order"],
            ["ingest", "quality_gate", "retrain_or_score", "score", "done",
             "maintain_or_skip", "skip_maintenance"],
        )  # fmt: skip
        self.assertEqual([c["task_id"] for c in out["commands"]], ["ingest", "quality_gate", "score"])

        def spark(task):
            return ["spark-submit", "--master", "local[2]", "--conf", "spark.ui.enabled=false",
                    "--executor-memory", "8g", "--driver-memory", "4g",
                    "--name", f"unmask-{task}-2026-10-31", "--class", "io.unmask.cli.Main",
                    "/build/unmask.jar"]  # fmt: skip

        day = ["--warehouse", "/wh", "--as-of", "2026-10-31"]
        run = ["--run-id", "scheduled__2026-10-31T00:00:00+00:00"]
        conf = ["--config", "/conf/u.properties"]
        self.assertEqual(
            [c["argv"] for c in out["commands"]],
            [
                spark("ingest") + ["ingest", "--input", "/data/2026-10-31", "--mode", "increment",
                                   *day, *run, *conf],
                spark("quality_gate") + ["check", *day, "--max-quarantine-share", "0.05", *conf],
                spark("score") + ["pipeline", "--skip-ingest", *day, *run, *conf],
            ],
        )

    def test_maintenance_day(self):
        out = self.run_renderer("--ds", "2026-11-01")  # Sunday: retrain, then maintain
        self.assertEqual(
            out["branch"], {"retrain_or_score": "retrain_and_score", "maintain_or_skip": "maintain"}
        )
        self.assertEqual(
            [c["task_id"] for c in out["commands"]],
            ["ingest", "quality_gate", "retrain_and_score", "maintain"],
        )
        argv = out["commands"][-1]["argv"]
        self.assertEqual(
            argv[argv.index("io.unmask.cli.Main") + 2 :],
            ["maintain", "--warehouse", "s3a://unmask-warehouse/unmask", "--retain-days", "90",
             "--vacuum-hours", "168", "--run-id", "scheduled__2026-11-01T00:00:00+00:00",
             "--config", "/opt/unmask/unmask.properties"],
        )  # fmt: skip

    def test_retrain_day_and_run_conf(self):
        out = self.run_renderer(
            "--ds", "2026-11-04", "--run-id", "manual__1",
            "--conf", "retrain_weekday=wednesday",
        )  # fmt: skip
        self.assertEqual(
            out["branch"],
            {"retrain_or_score": "retrain_and_score", "maintain_or_skip": "skip_maintenance"},
        )
        last = out["commands"][-1]
        self.assertEqual(last["task_id"], "retrain_and_score")
        self.assertEqual(last["argv"][-1], "--retrain")
        self.assertIn("manual__1", last["argv"])
        # no connection: the provider falls back to yarn
        self.assertEqual(last["argv"][1:3], ["--master", "yarn"])


class ConnectionTest(unittest.TestCase):
    def test_masters_as_the_hook_resolves_them(self):
        cases = [
            ({"conn_type": "spark", "host": "local[*]"}, "local[*]"),
            ({"conn_type": "spark", "host": "spark://m1", "port": 7077}, "spark://m1:7077"),
            ({"conn_type": "spark", "host": "k8s://https://api:6443"}, "k8s://https://api:6443"),
            ({"conn_type": "spark", "host": "yarn"}, "yarn"),
            (None, "yarn"),
        ]
        for conn, master in cases:
            with self.subTest(conn=conn):
                self.assertEqual(ssc.resolve_connection(conn)["master"], master)

    def test_uri_and_json_forms(self):
        env = {
            "AIRFLOW_CONN_A": "spark://master.example:7077?deploy-mode=cluster&queue=q",
            "AIRFLOW_CONN_B": '{"conn_type": "spark", "host": "local[2]", "extra": "{}"}',
        }
        a = ssc.resolve_connection(ssc.connection_from_env("a", env))
        self.assertEqual(
            (a["master"], a["deploy_mode"], a["queue"]),
            ("spark://master.example:7077", "cluster", "q"),
        )
        self.assertEqual(ssc.resolve_connection(ssc.connection_from_env("b", env))["master"], "local[2]")
        self.assertIsNone(ssc.connection_from_env("c", env))

    def test_flag_order_follows_the_hook(self):
        with DAG("t", default_args={"retries": 1}):
            op = SparkSubmitOperator(
                task_id="x", application="app.jar", java_class="M", name="n",
                conf={"a": "1"}, jars="j.jar", num_executors=3, executor_cores=2,
                executor_memory="1g", driver_memory="2g", application_args=["cmd", 5],
            )  # fmt: skip
        conn = ssc.resolve_connection({"conn_type": "spark", "host": "local", "extra": {"deploy-mode": "client"}})
        self.assertEqual(
            ssc.build_command(op, op.render_template_fields(CTX), conn),
            ["spark-submit", "--master", "local", "--conf", "a=1", "--jars", "j.jar",
             "--num-executors", "3", "--executor-cores", "2", "--executor-memory", "1g",
             "--driver-memory", "2g", "--name", "n", "--class", "M", "--deploy-mode", "client",
             "app.jar", "cmd", "5"],
        )  # fmt: skip


class StubStrictnessTest(unittest.TestCase):
    def test_templates_render_only_the_supported_forms(self):
        self.assertEqual(
            render_string("{{ds}}/{{ run_id }}/{{ params.warehouse }}", CTX), "2026-10-31/r1//wh"
        )
        for bad in ("{{ ds_nodash }}", "{{ var.value.x }}", "{{ params.nope }}",
                    "{% if x %}y{% endif %}", "{{ ds | upper }}", "{{ ds", "{# c #}"):  # fmt: skip
            with self.subTest(template=bad), self.assertRaises(TemplateError):
                render_string(bad, CTX)

    def test_operators_reject_unknown_arguments(self):
        with DAG("t"), self.assertRaisesRegex(TypeError, "java_clas"):
            SparkSubmitOperator(task_id="x", java_clas="M")

    def test_dag_rejects_airflow_2_only_arguments(self):
        with self.assertRaisesRegex(TypeError, "schedule_interval"):
            DAG("t", schedule_interval="@daily")

    def test_default_args_fill_only_what_is_not_given(self):
        with DAG("t", default_args={"retries": 3, "execution_timeout": timedelta(minutes=1)}):
            op = SparkSubmitOperator(task_id="x", retries=0)
        self.assertEqual((op.retries, op.execution_timeout), (0, timedelta(minutes=1)))

    def test_variable_default_must_be_positional(self):
        with self.assertRaises(TypeError):
            Variable.get("missing", default_var="x")
        self.assertEqual(Variable.get("missing", "x"), "x")
        with self.assertRaises(KeyError):
            Variable.get("missing")

    def test_stubs_shadow_any_installed_airflow(self):
        import airflow

        self.assertTrue(str(Path(airflow.__file__).resolve()).startswith(str(dagloader.STUBS)))


if __name__ == "__main__":
    unittest.main()
