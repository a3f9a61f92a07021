package io.unmask.maintain;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.unmask.common.Progress;
import io.unmask.common.Tables;
import io.unmask.io.DeltaIO;
import io.unmask.io.RunLock;
import io.unmask.testing.SparkTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * {@code maintain} on a tiny warehouse of many small files: compaction without changing a row,
 * retention of the per-run tables relative to the latest scored day, idempotence, VACUUM.
 */
public class MaintenanceTest extends SparkTest {
  private static final LocalDate ANCHOR = LocalDate.parse("2026-10-31");

  private static final StructType LOGINS =
      new StructType()
          .add("event_id", DataTypes.StringType)
          .add("account_id", DataTypes.StringType)
          .add("ts", DataTypes.TimestampType)
          .add("ip", DataTypes.StringType)
          .add("ingested_on", DataTypes.DateType)
          .add("event_date", DataTypes.DateType);

  private static final StructType PER_RUN =
      new StructType()
          .add("account_id", DataTypes.StringType)
          .add("score", DataTypes.DoubleType)
          .add("as_of", DataTypes.DateType);

  private static final StructType PROFILES =
      new StructType()
          .add("account_id", DataTypes.StringType)
          .add("claimed_country", DataTypes.StringType);

  private static void append(List<Row> rows, StructType schema, String wh, String table) {
    var w =
        spark()
            .createDataFrame(rows, schema)
            .coalesce(1)
            .write()
            .format("delta")
            .mode(SaveMode.Append);
    String[] parts =
        schema.fieldNames()[schema.size() - 1].equals("event_date")
            ? new String[] {"event_date"}
            : schema.fieldNames()[schema.size() - 1].equals("as_of")
                ? new String[] {"as_of"}
                : new String[0];
    if (parts.length > 0) {
      w = w.partitionBy(parts);
    }
    w.save(Tables.path(wh, table));
  }

  private static Row login(int i, LocalDate day) {
    return RowFactory.create(
        "e" + i,
        "a" + (i % 5),
        Timestamp.valueOf(day.atTime(10, i % 60)),
        "10.0.0." + i,
        Date.valueOf(day),
        Date.valueOf(day));
  }

  private static Row perRun(int i, LocalDate day) {
    return RowFactory.create("a" + i, i / 10.0, Date.valueOf(day));
  }

  /** Per-run rows of {@code days} (days before the anchor), two accounts a day. */
  private static List<Row> days(int... daysBack) {
    List<Row> rows = new ArrayList<>();
    for (int back : daysBack) {
      rows.add(perRun(1, ANCHOR.minusDays(back)));
      rows.add(perRun(2, ANCHOR.minusDays(back)));
    }
    return rows;
  }

  /**
   * logins: 3 appends over 2 event days plus a lone third day (7 files); profiles: 3 appends;
   * risk_scores: days spanning 200 days in 2 appends; quarantine and ingest_report with older and
   * recent days; a Delta table under {@code _scratch} and a {@code _locks} folder, both skipped.
   */
  public static String warehouse() throws IOException {
    String wh = tempDir("maintain").toString();
    LocalDate d1 = ANCHOR.minusDays(2);
    LocalDate d2 = ANCHOR.minusDays(1);
    int id = 0;
    for (int a = 0; a < 3; a++) {
      List<Row> rows = new ArrayList<>();
      for (int k = 0; k < 4; k++) {
        rows.add(login(id++, d1));
        rows.add(login(id++, d2));
      }
      append(rows, LOGINS, wh, Tables.LOGINS);
    }
    append(List.of(login(id++, ANCHOR), login(id++, ANCHOR)), LOGINS, wh, Tables.LOGINS);
    for (int a = 0; a < 3; a++) {
      append(
          List.of(RowFactory.create("p" + a, "US"), RowFactory.create("q" + a, "JP")),
          PROFILES,
          wh,
          Tables.PROFILES);
    }
    append(days(199, 150, 120, 91, 90), PER_RUN, wh, Tables.RISK_SCORES);
    append(days(60, 30, 7, 1, 0), PER_RUN, wh, Tables.RISK_SCORES);
    append(days(0), PER_RUN, wh, Tables.RISK_SCORES); // a second file in the latest day
    append(days(180, 95, 10), PER_RUN, wh, Tables.QUARANTINE);
    // ingest_report's latest day is later than risk_scores' (ingested, not yet scored):
    // retention still counts from the scored day
    append(days(-1, 89, 100), PER_RUN, wh, Tables.INGEST_REPORT);
    append(days(100), PER_RUN, wh, "_scratch");
    append(days(200), PER_RUN, wh, "_scratch");
    Files.createDirectories(Path.of(wh, RunLock.DIR));
    Files.createDirectories(Path.of(wh, Tables.MODEL_DIR, "v1"));
    return wh;
  }

  private static Progress quiet(ByteArrayOutputStream out) {
    return new Progress(new PrintStream(out, true, StandardCharsets.UTF_8));
  }

  private static Maintenance.Result maintain(String wh, Maintenance.Options o) {
    try {
      return Maintenance.run(spark(), o, quiet(new ByteArrayOutputStream()));
    } finally {
      RunLock.releaseAll(spark().sparkContext().hadoopConfiguration());
    }
  }

  private static Set<LocalDate> asOfDays(String wh, String table) {
    return DeltaIO.read(spark(), wh, table).select("as_of").distinct().collectAsList().stream()
        .map(r -> r.getDate(0).toLocalDate())
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static Set<LocalDate> daysBack(int... back) {
    Set<LocalDate> s = new TreeSet<>();
    for (int b : back) {
      s.add(ANCHOR.minusDays(b));
    }
    return s;
  }

  /** A table's rows now, held in memory (the files they came from may be removed). */
  private static Dataset<Row> snapshot(String wh, String table) {
    Dataset<Row> t = DeltaIO.read(spark(), wh, table);
    return spark().createDataFrame(t.collectAsList(), t.schema());
  }

  private static void assertSameRows(Dataset<Row> before, Dataset<Row> after) {
    assertThat(after.count()).isEqualTo(before.count());
    assertThat(after.exceptAll(before).count()).isZero();
    assertThat(before.exceptAll(after).count()).isZero();
  }

  private static Set<String> dataFiles(String wh, String table) {
    return Set.of(DeltaIO.read(spark(), wh, table).inputFiles());
  }

  private static long parquetFilesOnDisk(String wh, String table) throws IOException {
    try (Stream<Path> s = Files.walk(Path.of(wh, table))) {
      return s.filter(p -> p.toString().endsWith(".parquet"))
          .filter(p -> !p.toString().contains("_delta_log"))
          .count();
    }
  }

  @Test
  void compactsWithoutChangingARowDropsOldDaysAndASecondRunChangesNothing() throws IOException {
    String wh = warehouse();
    Map<String, Dataset<Row>> kept = new HashMap<>();
    for (String t : List.of(Tables.LOGINS, Tables.PROFILES, "_scratch")) {
      kept.put(t, snapshot(wh, t));
    }
    Dataset<Row> scoresBefore = snapshot(wh, Tables.RISK_SCORES);
    Set<String> scratchFiles = dataFiles(wh, "_scratch");

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Maintenance.Result r;
    try {
      r = Maintenance.run(spark(), Maintenance.Options.defaults(wh), quiet(out));
    } finally {
      RunLock.releaseAll(spark().sparkContext().hadoopConfiguration());
    }

    assertThat(r.anchor()).isEqualTo(ANCHOR);
    assertThat(r.tables().stream().map(Maintenance.TableResult::table))
        .containsExactly(
            Tables.INGEST_REPORT,
            Tables.LOGINS,
            Tables.PROFILES,
            Tables.QUARANTINE,
            Tables.RISK_SCORES);
    // every table readable; the tables of record row-for-row equal
    for (Maintenance.TableResult t : r.tables()) {
      assertThat(DeltaIO.read(spark(), wh, t.table()).count()).isEqualTo(t.rowsAfter());
    }
    for (String t : List.of(Tables.LOGINS, Tables.PROFILES)) {
      assertSameRows(kept.get(t), DeltaIO.read(spark(), wh, t));
    }
    // logins: the two crowded days compacted (and Z-ordered), the lone file left alone
    Maintenance.TableResult logins = r.table(Tables.LOGINS);
    assertThat(logins.filesBefore()).isEqualTo(7);
    assertThat(logins.filesAfter()).isEqualTo(3);
    assertThat(logins.zordered()).isTrue();
    assertThat(logins.cutoff()).isNull();
    assertThat(logins.partitionsDropped()).isEmpty();
    assertThat(r.table(Tables.PROFILES).filesAfter()).isEqualTo(1);
    // retention: 90 days before the latest scored day, in every per-run table
    LocalDate cutoff = ANCHOR.minusDays(90);
    Maintenance.TableResult scores = r.table(Tables.RISK_SCORES);
    assertThat(scores.cutoff()).isEqualTo(cutoff);
    assertThat(scores.partitionsDropped()).containsExactlyElementsOf(daysBack(199, 150, 120, 91));
    assertThat(asOfDays(wh, Tables.RISK_SCORES)).isEqualTo(daysBack(90, 60, 30, 7, 1, 0));
    assertSameRows(
        scoresBefore.filter(col("as_of").geq(Date.valueOf(cutoff))),
        DeltaIO.read(spark(), wh, Tables.RISK_SCORES));
    assertThat(scores.rowsBefore() - scores.rowsAfter()).isEqualTo(8);
    assertThat(asOfDays(wh, Tables.QUARANTINE)).isEqualTo(daysBack(10));
    assertThat(asOfDays(wh, Tables.INGEST_REPORT)).isEqualTo(daysBack(-1, 89));
    assertThat(r.table(Tables.INGEST_REPORT).partitionsDropped())
        .containsExactly(ANCHOR.minusDays(100));
    // a folder starting with _ is not a table of the warehouse
    assertThat(dataFiles(wh, "_scratch")).isEqualTo(scratchFiles);
    assertSameRows(kept.get("_scratch"), DeltaIO.read(spark(), wh, "_scratch"));
    // one line per table; no account appears in the output
    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(printed.lines().filter(l -> l.startsWith("maintain"))).hasSize(5);
    assertThat(printed).contains("logins").contains("files 7 -> 3").doesNotContain("a1");

    // a second run: nothing to compact, nothing to drop, the same files
    Map<String, Set<String>> files = new HashMap<>();
    for (Maintenance.TableResult t : r.tables()) {
      files.put(t.table(), dataFiles(wh, t.table()));
    }
    Maintenance.Result again = maintain(wh, Maintenance.Options.defaults(wh));
    for (Maintenance.TableResult t : again.tables()) {
      assertThat(t.partitionsDropped()).as(t.table()).isEmpty();
      assertThat(t.zordered()).as(t.table()).isFalse();
      assertThat(t.filesAfter()).as(t.table()).isEqualTo(t.filesBefore());
      assertThat(t.rowsAfter()).as(t.table()).isEqualTo(t.rowsBefore());
      assertThat(dataFiles(wh, t.table())).as(t.table()).isEqualTo(files.get(t.table()));
    }

    // a week's retention keeps the files compacted away; none with the short retention allowed
    assertThat(parquetFilesOnDisk(wh, Tables.LOGINS)).isEqualTo(7 + 2);
    maintain(wh, new Maintenance.Options(wh, 0, 0, true, true, "test"));
    assertThat(parquetFilesOnDisk(wh, Tables.LOGINS)).isEqualTo(3);
    assertThat(spark().conf().get(Maintenance.RETENTION_CHECK, null)).isNull();
    assertThat(spark().conf().contains(Maintenance.LISTING_PARALLELISM)).isFalse();
    assertThat(spark().conf().contains(Maintenance.RETENTION_WINDOW_IGNORE)).isFalse();
    assertSameRows(kept.get(Tables.LOGINS), DeltaIO.read(spark(), wh, Tables.LOGINS));
  }

  @Test
  void aShortVacuumRetentionNeedsToBeAllowed() {
    assertThatThrownBy(() -> new Maintenance.Options("/wh", 90, 1, false, true, "r"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Invalid --vacuum-hours: 1")
        .hasMessageContaining("--allow-short-vacuum");
    assertThat(new Maintenance.Options("/wh", 90, 1, true, true, "r").vacuumHours()).isEqualTo(1);
    assertThatThrownBy(() -> new Maintenance.Options("/wh", 90, -1, true, true, "r"))
        .hasMessageStartingWith("Invalid --vacuum-hours: -1");
  }
}
