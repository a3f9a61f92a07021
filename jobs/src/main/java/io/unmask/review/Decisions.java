package io.unmask.review;

import static org.apache.spark.sql.functions.*;

import io.unmask.common.Cols;
import io.unmask.common.Schemas;
import io.unmask.common.Tables;
import io.unmask.ingest.IngestJob;
import io.unmask.ingest.Validation;
import io.unmask.io.DeltaIO;
import io.unmask.io.RawTables;
import io.unmask.io.SourceFormat;
import io.unmask.io.TableSource;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * Investigators' decisions: the append-only {@code decisions} table that {@code review} writes and
 * every later run reads as labels ({@link Labels}). A decision is never rewritten; a newer one for
 * the same account supersedes it, as a newer label does.
 */
public final class Decisions {

  /** What an investigator concluded. {@code unsure} is recorded but is not a label. */
  public enum Decision {
    concealed,
    genuine,
    unsure
  }

  /** How many rows a decisions file held, and what became of them. */
  public record FileResult(long read, long accepted, Map<String, Long> quarantinedByRule) {
    public long quarantined() {
      return quarantinedByRule.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  private Decisions() {}

  /** Every recorded decision, in the stored shape; empty when nothing was recorded yet. */
  public static Dataset<Row> read(SparkSession spark, String warehouse) {
    return DeltaIO.exists(spark, warehouse, Tables.DECISIONS)
        ? DeltaIO.read(spark, warehouse, Tables.DECISIONS)
        : spark.createDataFrame(List.of(), Schemas.DECISIONS);
  }

  /**
   * Records one decision given on the command line.
   *
   * @throws IngestJob.InputException when the warehouse holds no profiles or the account is not
   *     among its latest day's profiles (nothing is written)
   */
  public static void recordOne(
      SparkSession spark,
      String warehouse,
      String accountId,
      Decision decision,
      String note,
      String by,
      Instant at,
      String runId) {
    LocalDate day = latestProfilesDay(spark, warehouse);
    long known =
        io.unmask.io.Inputs.profiles(spark, warehouse, day)
            .filter(col(Cols.ACCOUNT_ID).equalTo(lit(accountId)))
            .count();
    if (known == 0) {
      throw new IngestJob.InputException(
          "Invalid --account: "
              + accountId
              + " is not among the profiles of "
              + day
              + " in this warehouse; nothing recorded");
    }
    Row row =
        RowFactory.create(
            id(runId, accountId, "cli"),
            accountId,
            decision.name(),
            blankToNull(note),
            by,
            Timestamp.from(at),
            "cli",
            runId);
    append(spark.createDataFrame(List.of(row), Schemas.DECISIONS), warehouse);
  }

  /**
   * Records every good row of a decisions file (CSV, JSON Lines or Parquet, as an input table) and
   * puts each bad row into {@code quarantine} (table {@code decisions}, the as_of of the latest
   * profiles, this run's id) under the first rule it breaks: a missing account or decision, a
   * decision other than concealed/genuine/unsure, an unparsable or future {@code decided_at}, an
   * account not among the latest profiles. Rows without {@code decided_by} or {@code decided_at}
   * take {@code by} and {@code at}.
   *
   * @throws IngestJob.InputException when the file cannot be used at all (missing, unreadable, not
   *     text, a required column absent): nothing is written
   */
  public static FileResult recordFile(
      SparkSession spark, String warehouse, String file, String by, Instant at, String runId) {
    LocalDate day = latestProfilesDay(spark, warehouse);
    TableSource source = source(spark, file);
    List<String> problems = RawTables.inputProblems(spark, source, Schemas.DECISIONS_SPEC);
    if (!problems.isEmpty()) {
      throw new IngestJob.InputException("Cannot use --file: " + String.join("; ", problems));
    }
    Dataset<Row> raw = RawTables.read(spark, source, Schemas.DECISIONS_SPEC);
    Dataset<Row> profileIds =
        io.unmask.io.Inputs.profiles(spark, warehouse, day).select(Cols.ACCOUNT_ID);
    Dataset<Row> v = Validation.rowLevel(raw, Schemas.DECISIONS_SPEC);
    v = Validation.withFuture(v, Schemas.DECISIONS_SPEC, Timestamp.from(at.plusSeconds(3600)));
    v = Validation.withOrphans(v, profileIds, false).cache();
    try {
      long read = v.count();
      Dataset<Row> good =
          v.filter(col(Validation.RULE).isNull())
              .select(
                  sha2(
                          concat_ws(
                              "|",
                              lit(runId),
                              col(RawTables.FILE),
                              col(RawTables.LINE).cast("string")),
                          256)
                      .substr(1, 20)
                      .as(Cols.DECISION_ID),
                  col(Cols.ACCOUNT_ID),
                  col(Cols.DECISION),
                  col(Cols.NOTE),
                  coalesce(col(Cols.DECIDED_BY), lit(by)).as(Cols.DECIDED_BY),
                  coalesce(col(Cols.DECIDED_AT), lit(Timestamp.from(at))).as(Cols.DECIDED_AT),
                  concat(lit("file:"), col(RawTables.FILE), lit(":"), col(RawTables.LINE))
                      .as(Cols.SOURCE),
                  lit(runId).as(Cols.RUN_ID));
      Dataset<Row> bad =
          Validation.quarantined(v, Schemas.DECISIONS_SPEC)
              .withColumn(Cols.RUN_ID, lit(runId))
              .withColumn(Cols.AS_OF, lit(java.sql.Date.valueOf(day)));
      Map<String, Long> byRule = new LinkedHashMap<>();
      for (Row r : bad.groupBy(Cols.RULE).count().orderBy(Cols.RULE).collectAsList()) {
        byRule.put(r.getString(0), r.getLong(1));
      }
      long accepted = read - byRule.values().stream().mapToLong(Long::longValue).sum();
      // quarantine first: a failure between the two writes leaves the decisions unrecorded, and
      // the same file can simply be given again
      if (!byRule.isEmpty()) {
        DeltaIO.retryingConflicts(
            () ->
                bad.select(
                        java.util.Arrays.stream(Schemas.QUARANTINE.fieldNames())
                            .map(org.apache.spark.sql.functions::col)
                            .toArray(org.apache.spark.sql.Column[]::new))
                    .write()
                    .format("delta")
                    .mode(SaveMode.Append)
                    .option("mergeSchema", "true")
                    .partitionBy(Cols.AS_OF)
                    .save(Tables.path(warehouse, Tables.QUARANTINE)));
      }
      if (accepted > 0) {
        append(good, warehouse);
      }
      return new FileResult(read, accepted, byRule);
    } finally {
      v.unpersist();
    }
  }

  /**
   * The latest ingested day of the warehouse: the accounts a decision can be about are the profiles
   * as they stood on it.
   */
  static LocalDate latestProfilesDay(SparkSession spark, String warehouse) {
    if (!DeltaIO.exists(spark, warehouse, Tables.PROFILES)) {
      throw new IngestJob.InputException(
          "Invalid --warehouse: " + warehouse + " holds no profiles; run pipeline first");
    }
    // an increment that changed no profile stores none, so its day is in the ingest report only
    Dataset<Row> days =
        DeltaIO.read(spark, warehouse, Tables.PROFILES).select(col(Cols.INGESTED_ON).as("d"));
    if (DeltaIO.exists(spark, warehouse, Tables.INGEST_REPORT)) {
      days =
          days.unionByName(
              DeltaIO.read(spark, warehouse, Tables.INGEST_REPORT)
                  .filter(col(Cols.SOURCE_TABLE).equalTo(Tables.PROFILES))
                  .select(col(Cols.AS_OF).as("d")));
    }
    Row r = days.agg(max(col("d"))).first();
    if (r.isNullAt(0)) {
      throw new IngestJob.InputException(
          "Invalid --warehouse: " + warehouse + " holds no profiles; run pipeline first");
    }
    return r.getDate(0).toLocalDate();
  }

  private static void append(Dataset<Row> rows, String warehouse) {
    DeltaIO.retryingConflicts(
        () ->
            rows.write()
                .format("delta")
                .mode(SaveMode.Append)
                .save(Tables.path(warehouse, Tables.DECISIONS)));
  }

  private static TableSource source(SparkSession spark, String file) {
    Path p = new Path(file);
    try {
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      Path q = fs.makeQualified(p);
      if (!fs.exists(q) || fs.getFileStatus(q).isDirectory()) {
        throw new IngestJob.InputException("Invalid --file: " + file + " is not a file");
      }
      SourceFormat f =
          SourceFormat.ofFile(q.getName())
              .orElseThrow(
                  () ->
                      new IngestJob.InputException(
                          "Invalid --file: "
                              + file
                              + " must end in .csv, .csv.gz, .json, .jsonl(.gz) or .parquet"));
      return new TableSource(
          Tables.DECISIONS,
          q.getParent().toString(),
          null,
          List.of(new TableSource.DataFile(q.toString(), f)));
    } catch (java.io.IOException e) {
      throw new IngestJob.InputException("Cannot read --file " + file + ": " + e.getMessage());
    }
  }

  private static String id(String runId, String accountId, String source) {
    try {
      byte[] h =
          java.security.MessageDigest.getInstance("SHA-256")
              .digest(
                  (runId + "|" + accountId + "|" + source)
                      .getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(h).substring(0, 20);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
