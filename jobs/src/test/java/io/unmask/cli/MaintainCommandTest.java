package io.unmask.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.unmask.common.Tables;
import io.unmask.io.DeltaIO;
import io.unmask.maintain.MaintenanceTest;
import io.unmask.testing.SparkTest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code maintain}: bad values are usage errors before any Spark work; a run prints a line a table.
 */
class MaintainCommandTest extends SparkTest {
  /** Exit code and standard error of the command run in this JVM. */
  private static String run(String... args) {
    CommandLine cl = Main.commandLine();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    int code = cl.execute(args);
    return code + " " + err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void badValuesAreUsageErrors() {
    assertThat(run("maintain", "--warehouse", "/nowhere", "--vacuum-hours", "1"))
        .startsWith("2 unmask maintain: error: Invalid --vacuum-hours: 1")
        .contains("--allow-short-vacuum");
    assertThat(run("maintain", "--warehouse", "/nowhere", "--vacuum-hours", "-5"))
        .startsWith("2 ")
        .contains("Invalid --vacuum-hours: -5");
    assertThat(run("maintain", "--warehouse", "/nowhere", "--retain-days", "soon"))
        .startsWith("2 ")
        .contains("--retain-days");
    assertThat(run("maintain")).startsWith("2 ").contains("--warehouse");
  }

  @Test
  void aRunPrintsOneLinePerTableAndAMissingWarehouseIsAUsageError() throws Exception {
    // the command opens "its" session, which is the shared test session: restore its settings
    List<String> keys =
        List.of(
            "spark.sql.shuffle.partitions",
            "spark.databricks.delta.snapshotPartitions",
            "spark.sql.adaptive.skewJoin.enabled",
            "spark.sql.debug.maxToStringFields");
    Map<String, String> before = new HashMap<>();
    keys.forEach(k -> before.put(k, spark().conf().get(k, null)));
    PrintStream stdout = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      String missing = tempDir("maintain-cli").resolve("none").toString();
      assertThat(run("maintain", "--warehouse", missing))
          .startsWith("2 unmask maintain: error: Invalid --warehouse: " + missing);
      String wh = MaintenanceTest.warehouse();
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      assertThat(run("maintain", "--warehouse", wh, "--no-zorder", "--progress-every", "0"))
          .isEqualTo("0 ");
      System.setOut(stdout);
      String printed = out.toString(StandardCharsets.UTF_8);
      assertThat(printed.lines().filter(l -> l.startsWith("maintain "))).hasSize(5 + 1);
      assertThat(printed)
          .contains("files 7 -> 3")
          .doesNotContain("z-ordered")
          .contains("retention counted from 2026-10-31");
      assertThat(DeltaIO.read(spark(), wh, Tables.RISK_SCORES).count()).isEqualTo(14);
    } finally {
      System.setOut(stdout);
      before.forEach(
          (k, v) -> {
            if (v == null) {
              spark().conf().unset(k);
            } else {
              spark().conf().set(k, v);
            }
          });
    }
  }
}
