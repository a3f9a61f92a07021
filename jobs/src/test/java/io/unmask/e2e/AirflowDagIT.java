package io.unmask.e2e;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.unmask.common.Cols;
import io.unmask.common.Tables;
import io.unmask.io.DeltaIO;
import io.unmask.model.ModelJob;
import io.unmask.testing.Processes;
import io.unmask.testing.SparkTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Date;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Airflow DAG's commands, run for real: {@code airflow/tests/render_commands.py} loads {@code
 * airflow/dags/unmask_daily.py} (against stubbed Airflow) and prints the exact spark-submit argv
 * the Apache Spark provider would run for each task of one day's run, following the DAG's own
 * branch; this test executes those argv lists in order through a {@code spark-submit} like a Spark
 * distribution's (the Maven-resolved Spark jars), on the bundled sample data.
 */
class AirflowDagIT extends SparkTest {
  private static final String DAY = "2026-10-31"; // the samples' last event day, a Saturday
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> JVM_FLAGS = Processes.SPARK_JVM_FLAGS;

  private static Path sparkHome;
  private static Path configFile;

  @BeforeAll
  static void sparkDistributionAndSettings() throws IOException {
    // A SPARK_HOME whose bin/spark-submit does what a distribution's does: start SparkSubmit on
    // Spark's jars with the JVM flags Spark needs on Java 17, the heap from --driver-memory.
    sparkHome = SparkTest.tempDir("airflow-spark-home");
    Path submit = Files.createDirectories(sparkHome.resolve("bin")).resolve("spark-submit");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Files.writeString(
        submit,
        String.join(
            "\n",
            "#!/usr/bin/env bash",
            "set -euo pipefail",
            "HEAP=()",
            "args=(\"$@\")",
            "for ((i = 0; i + 1 < ${#args[@]}; i++)); do",
            "  if [[ \"${args[i]}\" == --driver-memory ]]; then HEAP=(-Xmx\"${args[i+1]}\"); fi",
            "done",
            "exec '" + java + "' " + String.join(" ", JVM_FLAGS) + " \"${HEAP[@]}\" \\",
            "  -cp \"$(cat '"
                + System.getProperty("unmask.sparkClasspath")
                + "')\" org.apache.spark.deploy.SparkSubmit \"$@\"",
            ""));
    Files.setPosixFilePermissions(submit, PosixFilePermissions.fromString("rwxr-xr-x"));
    // The team's settings file, given to every command as --config: with the sample's 10
    // confirmed positives, min-positives 5 trains a model (the default, 20, would not).
    configFile = SparkTest.tempDir("airflow-conf").resolve("unmask.properties");
    Files.writeString(
        configFile, "# Unmask settings for the daily DAG\npipeline.min-positives = 5\n");
  }

  @Test
  void oneDailyRunOfTheDagScoresTheDay() throws IOException {
    Path wh = SparkTest.tempDir("airflow-wh");
    String input = exportsOf("standard");
    JsonNode run = render(settings(input, wh).put("retrain_weekday", "saturday"), Map.of());

    assertThat(run.path("branch").path("retrain_or_score").asText()).isEqualTo("retrain_and_score");
    assertThat(taskIds(run)).containsExactly("ingest", "quality_gate", "retrain_and_score");
    JsonNode ingest = run.path("commands").get(0).path("argv");
    assertThat(argv(ingest)).contains("--input", input.replace("{{ ds }}", DAY));

    for (JsonNode command : run.path("commands")) {
      Processes.Result r = submit(command.path("argv"));
      assertThat(r.exit()).as(command.path("task_id").asText() + ":\n" + r.output()).isZero();
    }

    var scores =
        DeltaIO.read(spark(), wh.toString(), Tables.RISK_SCORES)
            .filter(col(Cols.AS_OF).equalTo(lit(Date.valueOf(DAY))));
    long profiles =
        io.unmask.io.Inputs.profiles(spark(), wh.toString(), java.time.LocalDate.parse(DAY))
            .count();
    assertThat(profiles).isPositive();
    assertThat(scores.count()).isEqualTo(profiles);
    // the settings file reached the job: min-positives 5 trained models on the sample's 10
    // positives (the default, 20, would have scored with the rule score without training)
    assertThat(
            DeltaIO.read(spark(), wh.toString(), Tables.MODEL_METRICS)
                .filter(col(Cols.AS_OF).equalTo(lit(Date.valueOf(DAY))))
                .filter(col("model").notEqual(ModelJob.RULE_KIND))
                .count())
        .isPositive();
  }

  @Test
  void theQualityGateStopsADayWhoseQuarantinedSharePassesTheThreshold() throws IOException {
    // data-samples/dirty: 7 of its 26 label rows are bad (27%), every other table at most 2%.
    JsonNode summary =
        JSON.readTree(Processes.root().resolve("data-samples/dirty/_truth/summary.json").toFile());
    JsonNode labels = summary.path("tables").path("labels");
    assertThat(labels.path("quarantined").asLong() / (double) labels.path("rows_read").asLong())
        .isBetween(0.05, 0.35);
    summary
        .path("tables")
        .properties()
        .forEach(
            t -> {
              if (!t.getKey().equals("labels")) {
                assertThat(t.getValue().path("quarantined").asDouble())
                    .isLessThan(0.05 * t.getValue().path("rows_read").asDouble());
              }
            });

    Path wh = SparkTest.tempDir("airflow-dirty-wh");
    ObjectNode settings = settings(exportsOf("dirty"), wh);
    JsonNode run = render(settings, Map.of());
    assertThat(taskIds(run).subList(0, 2)).containsExactly("ingest", "quality_gate");
    Processes.Result ingest = submit(run.path("commands").get(0).path("argv"));
    assertThat(ingest.exit()).as(ingest.output()).isZero();

    // the default threshold, 5%: the gate fails and names the table
    JsonNode gate = run.path("commands").get(1).path("argv");
    assertThat(argv(gate)).containsSubsequence("--max-quarantine-share", "0.05");
    Processes.Result failed = submit(gate);
    assertThat(failed.exit()).as(failed.output()).isEqualTo(1);
    // Spark's own INFO lines (the distribution's default logging) may follow the cause
    String cause =
        failed
            .output()
            .lines()
            .filter(l -> l.contains("quality gate failed"))
            .findFirst()
            .orElse("");
    assertThat(cause)
        .contains("quality gate failed for " + DAY)
        .contains(
            "labels quarantined "
                + labels.path("quarantined").asLong()
                + " of "
                + labels.path("rows_read").asLong()
                + " rows")
        .doesNotContain("logins")
        .doesNotContain("payments")
        .doesNotContain("profiles");

    // the same day with the threshold raised for this run (params from the run's conf): passes
    JsonNode relaxed = render(settings, Map.of("max_quarantine_share", "0.35"));
    Processes.Result passed = submit(relaxed.path("commands").get(1).path("argv"));
    assertThat(passed.exit()).as(passed.output()).isZero();
  }

  /** The sample copied to {@code exports/<DAY>}; returns the input template pointing there. */
  private static String exportsOf(String sample) throws IOException {
    Path exports = SparkTest.tempDir("airflow-exports-" + sample);
    copyTree(Processes.root().resolve("data-samples").resolve(sample), exports.resolve(DAY));
    return exports + "/{{ ds }}";
  }

  private static ObjectNode settings(String input, Path warehouse) {
    ObjectNode s = JSON.createObjectNode();
    s.put("jar", System.getProperty("unmask.jar"));
    s.put("input", input);
    s.put("warehouse", warehouse.toString());
    s.put("config_file", configFile.toString());
    s.put("driver_memory", "2g");
    s.putObject("spark_conf").put("spark.ui.enabled", "false");
    return s;
  }

  /** Runs the renderer with these settings as the {@code unmask_daily} Variable. */
  private static JsonNode render(ObjectNode settings, Map<String, String> runConf)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.addAll(
        List.of(
            "python3",
            "-B",
            Processes.root().resolve("airflow/tests/render_commands.py").toString(),
            "--ds",
            DAY,
            "--var",
            "unmask_daily=" + JSON.writeValueAsString(settings),
            "--conn",
            "spark_unmask={\"conn_type\": \"spark\", \"host\": \"local[2]\"}"));
    runConf.forEach((k, v) -> cmd.addAll(List.of("--conf", k + "=" + v)));
    Processes.Result r = Processes.run(cmd, Map.of(), 60);
    assertThat(r.exit()).as(r.output()).isZero();
    return JSON.readTree(r.output());
  }

  /** Executes one rendered argv the way the provider does, with our spark-submit on the PATH. */
  private static Processes.Result submit(JsonNode argv) {
    List<String> cmd = argv(argv);
    assertThat(cmd.get(0)).isEqualTo("spark-submit");
    assertThat(cmd.subList(1, 3)).containsExactly("--master", "local[2]");
    assertThat(cmd).containsSubsequence("--class", "io.unmask.cli.Main");
    cmd.set(0, sparkHome.resolve("bin/spark-submit").toString());
    return Processes.run(
        cmd, Map.of("SPARK_HOME", sparkHome.toString(), "SPARK_LOCAL_IP", "127.0.0.1"), 2400);
  }

  private static List<String> taskIds(JsonNode run) {
    List<String> ids = new ArrayList<>();
    run.path("commands").forEach(c -> ids.add(c.path("task_id").asText()));
    return ids;
  }

  private static List<String> argv(JsonNode argv) {
    List<String> out = new ArrayList<>();
    argv.forEach(a -> out.add(a.asText()));
    return out;
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        if (p.startsWith(from.resolve("_truth"))) {
          continue;
        }
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          try {
            Files.copy(p, target);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      }
    }
  }
}
