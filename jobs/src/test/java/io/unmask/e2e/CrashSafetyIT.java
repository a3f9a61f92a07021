package io.unmask.e2e;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import io.unmask.common.Cols;
import io.unmask.common.Faults;
import io.unmask.common.Tables;
import io.unmask.io.DeltaIO;
import io.unmask.testing.Processes;
import io.unmask.testing.SparkTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The driver dies at points inside the ingest, linking, model and scoring writes (the same effect
 * as {@code kill -9}, injected by {@link Faults}) while it reruns a day that a clean run already
 * wrote: after each crash every table still reads, holds exactly the clean run's rows, and {@code
 * top} prints the clean ranking; a final rerun ends with exactly the clean result.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CrashSafetyIT extends SparkTest {
  /** The last event day of the generated data: the day every run here writes. */
  private static final java.time.LocalDate DAY = java.time.LocalDate.parse("2026-10-31");

  private static Path input;
  private static String warehouse;
  private static Map<String, Long> cleanCounts;
  private static List<String> cleanRanking;
  private static String cleanTop;

  @BeforeAll
  static void cleanRun() {
    Path dir = SparkTest.tempDir("crash");
    input = dir.resolve("in");
    warehouse = dir.resolve("wh").toString();
    Processes.Result gen =
        Processes.unmask(
            Map.of(),
            "generate",
            "--output",
            input.toString(),
            "--accounts",
            "300",
            "--logins-per-account",
            "40",
            "--seed",
            "11");
    assertThat(gen.exit()).as(gen.output()).isZero();
    Processes.Result run = pipeline(Map.of());
    assertThat(run.exit()).as(run.output()).isZero();
    cleanCounts = counts();
    cleanRanking = ranking();
    cleanTop = top();
    assertThat(cleanRanking).hasSize(300);
    assertThat(run.output()).contains("as_of " + DAY);
  }

  private static Processes.Result pipeline(Map<String, String> env, String... extra) {
    List<String> args =
        new ArrayList<>(List.of("pipeline", "--input", input.toString(), "--warehouse", warehouse));
    args.addAll(List.of(extra));
    return Processes.unmask(env, args.toArray(String[]::new));
  }

  /** Rows per Delta table of the warehouse; reading each proves it is readable. */
  private static Map<String, Long> counts() {
    Map<String, Long> out = new TreeMap<>();
    try (Stream<Path> dirs = Files.list(Path.of(warehouse))) {
      for (Path d : dirs.toList()) {
        if (Files.isDirectory(d.resolve("_delta_log"))) {
          String t = d.getFileName().toString();
          org.apache.spark.sql.Dataset<Row> rows = DeltaIO.read(spark(), warehouse, t);
          if (java.util.Arrays.asList(rows.columns()).contains(Cols.AS_OF)) {
            rows = rows.filter(col(Cols.AS_OF).equalTo(java.sql.Date.valueOf(DAY)));
          }
          out.put(t, rows.count());
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out;
  }

  private static List<String> ranking() {
    return DeltaIO.read(spark(), warehouse, Tables.RISK_SCORES)
        .filter(col(Cols.AS_OF).equalTo(java.sql.Date.valueOf(DAY)))
        .orderBy(col(Cols.RANK))
        .select(Cols.ACCOUNT_ID, Cols.RANK, Cols.SCORE, Cols.MODEL_VERSION)
        .collectAsList()
        .stream()
        .map(Row::toString)
        .toList();
  }

  private static String top() {
    Processes.Result t =
        Processes.unmask(Map.of(), "top", "--warehouse", warehouse, "--limit", "20");
    assertThat(t.exit()).as(t.output()).isZero();
    return t.output();
  }

  /**
   * Crashes a rerun at a point: the tables then read as after the clean run. {@code top} (one more
   * JVM) is run only where the crash was inside the table it reads.
   */
  private static void crashAt(String point, String... extra) {
    Processes.Result r = pipeline(Map.of(Faults.ENV, point), extra);
    assertThat(r.exit()).as(r.output()).isEqualTo(Faults.HALTED);
    assertThat(r.output()).contains("halted at " + point);
    assertThat(counts()).as("tables after a crash at " + point).isEqualTo(cleanCounts);
    assertThat(ranking()).isEqualTo(cleanRanking);
    if (point.equals("score")) {
      assertThat(top()).isEqualTo(cleanTop);
    }
  }

  @Test
  @Order(1)
  void crashInsideTheIngestWrites() {
    crashAt("ingest");
  }

  @Test
  @Order(2)
  void crashInsideTheLinkingWrites() {
    crashAt("linking");
  }

  @Test
  @Order(3)
  void crashWhileSavingANewModel() {
    // labels are too few for the default run to train: this run trains, and dies saving
    crashAt("model", "--min-positives", "1", "--retrain");
  }

  @Test
  @Order(4)
  void crashInsideTheScoringWrite() {
    crashAt("score");
  }

  @Test
  @Order(5)
  void aRerunEndsWithExactlyTheCleanResult() {
    Processes.Result r = pipeline(Map.of());
    assertThat(r.exit()).as(r.output()).isZero();
    assertThat(counts()).isEqualTo(cleanCounts);
    assertThat(ranking()).isEqualTo(cleanRanking);
    assertThat(top()).isEqualTo(cleanTop);
  }

  /** Runs pipelines at once, each with its own extra arguments; their results in order. */
  private static List<Processes.Result> atOnce(List<List<String>> extras) {
    List<java.util.concurrent.CompletableFuture<Processes.Result>> runs = new ArrayList<>();
    for (List<String> extra : extras) {
      runs.add(
          java.util.concurrent.CompletableFuture.supplyAsync(
              () -> pipeline(Map.of(), extra.toArray(String[]::new))));
    }
    return runs.stream().map(java.util.concurrent.CompletableFuture::join).toList();
  }

  @Test
  @Order(6)
  void twoRunsOfOneDayAtOnceEndWithOneResult() {
    List<Processes.Result> r = atOnce(List.of(List.of(), List.of()));
    List<Integer> exits = r.stream().map(Processes.Result::exit).sorted().toList();
    assertThat(exits).as(r.get(0).output() + r.get(1).output()).containsExactly(0, 1);
    Processes.Result loser = r.get(0).exit() == 1 ? r.get(0) : r.get(1);
    assertThat(loser.lastLine())
        .contains("another run is writing " + DAY + " of this warehouse")
        .contains("stopped before writing anything");
    assertThat(counts()).isEqualTo(cleanCounts);
    assertThat(ranking()).isEqualTo(cleanRanking);
    assertThat(
            DeltaIO.read(spark(), warehouse, Tables.INGEST_REPORT)
                .filter(col(Cols.AS_OF).equalTo(java.sql.Date.valueOf(DAY)))
                .select(Cols.RUN_ID)
                .distinct()
                .count())
        .as("the day's ingest report comes from one run")
        .isEqualTo(1);
  }

  @Test
  @Order(7)
  void runsOfDifferentDaysAtOnceBothSucceed() {
    List<Processes.Result> r =
        atOnce(List.of(List.of("--as-of", "2026-10-30"), List.of("--as-of", "2026-10-29")));
    for (Processes.Result one : r) {
      assertThat(one.exit()).as(one.output()).isZero();
    }
    for (String day : List.of("2026-10-29", "2026-10-30")) {
      long profiles =
          io.unmask.io.Inputs.profiles(spark(), warehouse, java.time.LocalDate.parse(day)).count();
      assertThat(profiles).isPositive();
      assertThat(
              DeltaIO.read(spark(), warehouse, Tables.RISK_SCORES)
                  .filter(col(Cols.AS_OF).equalTo(java.sql.Date.valueOf(day)))
                  .count())
          .as(day)
          .isEqualTo(profiles);
    }
    assertThat(counts()).isEqualTo(cleanCounts);
    assertThat(ranking()).isEqualTo(cleanRanking);
  }
}
