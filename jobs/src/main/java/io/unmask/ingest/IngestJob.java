package io.unmask.ingest;

import static org.apache.spark.sql.functions.*;

import io.unmask.common.Cols;
import io.unmask.common.Progress;
import io.unmask.common.Schemas;
import io.unmask.common.Schemas.TableSpec;
import io.unmask.common.Tables;
import io.unmask.io.DeltaIO;
import io.unmask.io.Inputs;
import io.unmask.io.RawTables;
import io.unmask.io.RunLock;
import io.unmask.io.TableSource;
import io.unmask.io.TextRecords;
import io.unmask.reference.ReferenceData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * The first stage of {@code pipeline} (and the {@code ingest} command): reads every contract table
 * under {@code --input}, enforces the contract ({@link Validation}), and writes the clean rows, the
 * quarantine and the ingest report as Delta tables, replacing only this {@code as_of}. Every check
 * that can stop the run (a missing table or column) runs before anything is written.
 */
public final class IngestJob {

  /**
   * @param asOf the day the run describes; null means the last event day in the data ({@link
   *     #asOfFrom})
   * @param replaceReference a user's ip_ranges / sanctioned_addresses replace the shipped ones
   * @param clockSkew events later than the end of the run's day by more than this are quarantined
   *     as {@code future_timestamp:<col>}
   * @param mode whether the input is the whole history or the day's new and changed rows ({@link
   *     Store.Mode}); either way each event is stored once
   */
  public record Options(
      String input,
      String warehouse,
      LocalDate asOf,
      String runId,
      boolean replaceReference,
      java.time.Duration clockSkew,
      Store.Mode mode) {
    /** Events up to this long after the end of the run's day are still accepted. */
    public static final java.time.Duration DEFAULT_CLOCK_SKEW = java.time.Duration.ofHours(1);

    public Options {
      if (clockSkew == null || clockSkew.isNegative()) {
        throw new IllegalArgumentException("clockSkew must be zero or more");
      }
      if (mode == null) {
        throw new IllegalArgumentException("mode is required");
      }
    }

    public Options(
        String input,
        String warehouse,
        LocalDate asOf,
        String runId,
        boolean replaceReference,
        java.time.Duration clockSkew) {
      this(input, warehouse, asOf, runId, replaceReference, clockSkew, Store.Mode.SNAPSHOT);
    }

    public Options(
        String input, String warehouse, LocalDate asOf, String runId, boolean replaceReference) {
      this(input, warehouse, asOf, runId, replaceReference, DEFAULT_CLOCK_SKEW);
    }

    /** The same run with another input mode. */
    public Options withMode(Store.Mode m) {
      return new Options(input, warehouse, asOf, runId, replaceReference, clockSkew, m);
    }
  }

  /**
   * Figures of one input table; {@code rowsRead = accepted + quarantined} by construction; {@code
   * stored} of the accepted rows were new to the warehouse (-1 where not stored: reference tables).
   */
  public record TableReport(
      String table,
      long rowsRead,
      long accepted,
      long quarantined,
      Map<String, Long> byRule,
      long stored) {
    public TableReport(
        String table, long rowsRead, long accepted, long quarantined, Map<String, Long> byRule) {
      this(table, rowsRead, accepted, quarantined, byRule, -1);
    }

    TableReport withStored(long n) {
      return new TableReport(table, rowsRead, accepted, quarantined, byRule, n);
    }
  }

  public record Result(LocalDate asOf, String runId, List<TableReport> tables) {
    public Optional<TableReport> table(String name) {
      return tables.stream().filter(t -> t.table().equals(name)).findFirst();
    }
  }

  /** Thrown when the input cannot be used at all: a missing table or required column. */
  public static final class InputException extends RuntimeException {
    public InputException(String message) {
      super(message);
    }
  }

  /** Above this many keys (repeated keys, profile ids) joins shuffle instead of broadcasting. */
  static final long MAX_BROADCAST_KEYS = 2_000_000L;

  private IngestJob() {}

  public static Result run(SparkSession spark, Options o, Progress progress) {
    progress.start("ingest");
    Map<TableSpec, TableSource> sources = locateAll(spark, o.input());
    Store.requireCurrentLayout(spark, o.warehouse());
    Map<TableSpec, Dataset<Row>> validated = new LinkedHashMap<>();
    List<TableReport> reports = new ArrayList<>();
    List<Dataset<Row>> persisted = new ArrayList<>();
    try {
      // Row-level rules once per table, cached; the run's day, future events, duplicate and
      // orphan checks then read the cache and join small broadcast tables against it, so the rows
      // themselves are never shuffled.
      Map<TableSpec, Dataset<Row>> rowLevel = new LinkedHashMap<>();
      for (Map.Entry<TableSpec, TableSource> e : sources.entrySet()) {
        TableSpec spec = e.getKey();
        Dataset<Row> raw = RawTables.read(spark, e.getValue(), spec);
        Dataset<Row> rows = Validation.rowLevel(raw, spec).persist(StorageLevel.MEMORY_AND_DISK());
        persisted.add(rows);
        rowLevel.put(spec, rows);
      }
      LocalDate asOf = o.asOf() != null ? o.asOf() : derivedAsOf(rowLevel, progress);
      // One run per day of a warehouse: the loser of a race stops here, before any write.
      RunLock.hold(spark.sparkContext().hadoopConfiguration(), o.warehouse(), asOf, o.runId());
      java.sql.Timestamp latest =
          java.sql.Timestamp.from(
              asOf.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC).plus(o.clockSkew()));
      Dataset<Row> profileIds = null;
      long profileCount = 0;
      for (Map.Entry<TableSpec, Dataset<Row>> e : rowLevel.entrySet()) {
        TableSpec spec = e.getKey();
        Dataset<Row> rows = Validation.withFuture(e.getValue(), spec, latest);
        Dataset<Row> v = rows;
        if (spec.keyColumn().isPresent()) {
          Dataset<Row> repeated = Validation.repeatedKeys(rows, spec);
          long n = repeated.count();
          v =
              n <= MAX_BROADCAST_KEYS
                  ? Validation.withDuplicatesBroadcast(v, spec, repeated)
                  : Validation.withDuplicates(v, spec);
        }
        if (spec.referencesProfiles()) {
          v = Validation.withOrphans(v, profileIds, profileCount <= MAX_BROADCAST_KEYS);
        }
        validated.put(spec, v);
        TableReport report = report(spec.name(), v);
        reports.add(report);
        reportDamage(v, report, progress);
        if (spec == Schemas.PROFILES_SPEC) {
          Dataset<Row> ids = Validation.accepted(v, spec).select(Cols.ACCOUNT_ID);
          long n = report.accepted();
          if (o.mode() == Store.Mode.INCREMENT
              && DeltaIO.exists(spark, o.warehouse(), Tables.PROFILES)) {
            // an increment's events may name any account the warehouse knows
            ids =
                ids.unionByName(Inputs.profiles(spark, o.warehouse(), asOf).select(Cols.ACCOUNT_ID))
                    .distinct();
          }
          ids = ids.persist(StorageLevel.MEMORY_AND_DISK());
          persisted.add(ids);
          if (o.mode() == Store.Mode.INCREMENT) {
            n = ids.count();
          }
          profileIds = ids;
          profileCount = n;
        }
      }
      Dataset<Row> quarantine = null;
      List<Runnable> writes = new ArrayList<>();
      Map<String, Long> stored = new java.util.concurrent.ConcurrentHashMap<>();
      for (Map.Entry<TableSpec, Dataset<Row>> e : validated.entrySet()) {
        TableSpec spec = e.getKey();
        Dataset<Row> q = Validation.quarantined(e.getValue(), spec);
        quarantine = quarantine == null ? q : quarantine.unionByName(q);
        if (spec.name().equals(Tables.IP_RANGES)
            || spec.name().equals(Tables.SANCTIONED_ADDRESSES)) {
          continue;
        }
        Dataset<Row> clean = Validation.accepted(e.getValue(), spec);
        writes.add(() -> stored.put(spec.name(), Store.write(clean, o.warehouse(), spec, asOf)));
      }
      Dataset<Row> quarantineRows =
          quarantine
              .withColumn(Cols.RUN_ID, lit(o.runId()))
              .withColumn(Cols.AS_OF, lit(asOf))
              .select(
                  java.util.Arrays.stream(Schemas.QUARANTINE.fieldNames())
                      .map(org.apache.spark.sql.functions::col)
                      .toArray(org.apache.spark.sql.Column[]::new));
      // decisions files' bad rows (review --file) share the table and are not ingest's to replace
      writes.add(
          () ->
              DeltaIO.replaceDay(
                  quarantineRows,
                  o.warehouse(),
                  Tables.QUARANTINE,
                  asOf,
                  Cols.SOURCE_TABLE + " <> '" + Tables.DECISIONS + "'"));
      writes.add(() -> writeReference(spark, o, sources, validated));
      io.unmask.common.Faults.beforeWrites(spark, "ingest");
      DeltaIO.inParallel(writes);
      reports.replaceAll(r -> r.withStored(stored.getOrDefault(r.table(), -1L)));
      // The report goes last: it is present only when every table of the run was written.
      DeltaIO.replaceDay(
          reportFrame(spark, o.runId(), asOf, o.mode(), reports),
          o.warehouse(),
          Tables.INGEST_REPORT,
          asOf);
      Result result = new Result(asOf, o.runId(), reports);
      long total = reports.stream().mapToLong(TableReport::rowsRead).sum();
      long bad = reports.stream().mapToLong(TableReport::quarantined).sum();
      progress.done(
          total, String.format("as_of %s (%s), %,d quarantined", asOf, o.mode().label(), bad));
      return result;
    } finally {
      persisted.forEach(Dataset::unpersist);
    }
  }

  /** Locates every input table and checks required tables and columns; writes nothing. */
  /**
   * The contract tables found under {@code input}, after checking that every required table and
   * required column is there (the checks ingest makes before it writes anything).
   *
   * @throws InputException naming every missing table and column
   */
  public static List<String> locateInputs(SparkSession spark, String input) {
    return locateAll(spark, input).keySet().stream().map(TableSpec::name).toList();
  }

  static Map<TableSpec, TableSource> locateAll(SparkSession spark, String input) {
    Map<TableSpec, TableSource> out = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    try {
      Path dir = new Path(input);
      FileSystem fs = dir.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.getFileStatus(dir).isDirectory()) {
        throw new InputException("Invalid --input: " + input + " is not a directory");
      }
      for (TableSpec spec : Schemas.INPUTS) {
        Optional<TableSource> src;
        try {
          src = TableSource.locate(fs, dir, spec.name());
        } catch (IllegalArgumentException e) {
          problems.add(e.getMessage());
          continue;
        }
        if (src.isEmpty()) {
          if (spec.required()) {
            problems.add("required table " + spec.name() + " is missing from " + input);
          }
          continue;
        }
        problems.addAll(RawTables.inputProblems(spark, src.get(), spec));
        out.put(spec, src.get());
      }
    } catch (java.io.FileNotFoundException e) {
      throw new InputException("Invalid --input: " + input + " does not exist");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list --input " + input, e);
    }
    if (!problems.isEmpty()) {
      throw new InputException("Cannot use --input: " + String.join("; ", problems));
    }
    return out;
  }

  private static TableReport report(String table, Dataset<Row> validated) {
    Map<String, Long> byRule = new TreeMap<>();
    long accepted = 0;
    long bad = 0;
    for (Row r : validated.groupBy(Validation.RULE).count().collectAsList()) {
      long n = r.getLong(1);
      if (r.isNullAt(0)) {
        accepted += n;
      } else {
        byRule.put(r.getString(0), n);
        bad += n;
      }
    }
    return new TableReport(table, accepted + bad, accepted, bad, byRule);
  }

  /** One line per damaged file: which, and how many of its records were read before it. */
  private static void reportDamage(Dataset<Row> validated, TableReport report, Progress progress) {
    if (report.byRule().keySet().stream().noneMatch(r -> r.startsWith(TextRecords.DAMAGED))) {
      return;
    }
    for (Row r :
        validated
            .filter(col(Validation.RULE).startsWith(TextRecords.DAMAGED))
            .select(RawTables.FILE, RawTables.RAW, Validation.RULE)
            .collectAsList()) {
      progress.info(
          String.format(
              "ingest: %s is damaged: %s (quarantined as %s)",
              r.getString(0), r.getString(1), r.getString(2)));
    }
  }

  /**
   * The run's day when --as-of is not given: from the accepted sign-ins and payments (profiles'
   * creation when there are none), by {@link #asOfFrom}, so that no single row can move it.
   *
   * @throws InputException when no accepted row carries a date (nothing is written)
   */
  private static LocalDate derivedAsOf(Map<TableSpec, Dataset<Row>> rowLevel, Progress progress) {
    TreeMap<LocalDate, Long> days = new TreeMap<>();
    for (TableSpec spec : List.of(Schemas.LOGINS_SPEC, Schemas.PAYMENTS_SPEC)) {
      addDays(days, rowLevel.get(spec), Cols.TS);
    }
    if (days.isEmpty()) {
      addDays(days, rowLevel.get(Schemas.PROFILES_SPEC), Cols.CREATED_AT);
    }
    if (days.isEmpty()) {
      throw new InputException(
          "Cannot derive the run's day: no accepted row carries a date; pass --as-of");
    }
    LocalDate asOf = asOfFrom(days);
    long later = days.tailMap(asOf, false).values().stream().mapToLong(Long::longValue).sum();
    if (later > 0) {
      progress.info(
          String.format(
              "ingest: as_of %s; %,d rows dated after it are too few to define the day"
                  + " (quarantined as future_timestamp)",
              asOf, later));
    }
    return asOf;
  }

  /** Accepted rows per UTC day of {@code column}: one small aggregate, a row per distinct day. */
  private static void addDays(TreeMap<LocalDate, Long> days, Dataset<Row> rows, String column) {
    if (rows == null) {
      return;
    }
    for (Row r :
        rows.filter(col(Validation.RULE).isNull())
            .groupBy(to_date(col(column)).as("day"))
            .count()
            .collectAsList()) {
      days.merge(r.getDate(0).toLocalDate(), r.getLong(1), Long::sum);
    }
  }

  /** A day needs at least this share of a typical (median) day's rows to be the run's day. */
  static final double MIN_DAY_SHARE = 0.05;

  /**
   * The latest day holding at least {@link #MIN_DAY_SHARE} of the median day's rows and at least
   * two rows: a stray row (a clock gone wrong, a {@code 2099-01-01}) cannot make a day of its own.
   * When no day holds two rows (a handful of rows in all), the latest day.
   */
  static LocalDate asOfFrom(java.util.SortedMap<LocalDate, Long> rowsPerDay) {
    long[] counts = rowsPerDay.values().stream().mapToLong(Long::longValue).sorted().toArray();
    long median = counts[counts.length / 2];
    long need = Math.max(2, (long) Math.ceil(MIN_DAY_SHARE * median));
    LocalDate best = null;
    for (Map.Entry<LocalDate, Long> e : rowsPerDay.entrySet()) {
      if (e.getValue() >= need) {
        best = e.getKey();
      }
    }
    return best != null ? best : rowsPerDay.lastKey();
  }

  /**
   * Writes ip_ranges and sanctioned_addresses: the shipped lists plus (or, with
   * --replace-reference, instead of) the user's. Skipped when the stored table already holds the
   * same version (shipped lists and the user's input files unchanged).
   */
  private static void writeReference(
      SparkSession spark,
      Options o,
      Map<TableSpec, TableSource> sources,
      Map<TableSpec, Dataset<Row>> validated) {
    String ipVersion = referenceVersion(spark, o, sources.get(Schemas.IP_RANGES_SPEC));
    if (!ipVersion.equals(DeltaIO.latestVersionTag(spark, o.warehouse(), Tables.IP_RANGES))) {
      Dataset<Row> userRanges = validated.get(Schemas.IP_RANGES_SPEC);
      Dataset<Row> ranges =
          userRanges == null
              ? null
              : ReferenceData.inputIpRanges(
                  Validation.accepted(userRanges, Schemas.IP_RANGES_SPEC));
      if (ranges == null || !o.replaceReference()) {
        Dataset<Row> shipped = ReferenceData.shippedIpRanges(spark);
        ranges = ranges == null ? shipped : ranges.unionByName(shipped);
      }
      DeltaIO.replaceAll(ranges, o.warehouse(), Tables.IP_RANGES, ipVersion);
    }
    String walletVersion =
        referenceVersion(spark, o, sources.get(Schemas.SANCTIONED_ADDRESSES_SPEC));
    if (!walletVersion.equals(
        DeltaIO.latestVersionTag(spark, o.warehouse(), Tables.SANCTIONED_ADDRESSES))) {
      Dataset<Row> userWallets = validated.get(Schemas.SANCTIONED_ADDRESSES_SPEC);
      Dataset<Row> wallets =
          userWallets == null
              ? null
              : ReferenceData.inputSanctioned(
                  Validation.accepted(userWallets, Schemas.SANCTIONED_ADDRESSES_SPEC));
      if (wallets == null || !o.replaceReference()) {
        Dataset<Row> shipped = ReferenceData.shippedSanctioned(spark);
        wallets = wallets == null ? shipped : wallets.unionByName(shipped);
      }
      DeltaIO.replaceAll(wallets, o.warehouse(), Tables.SANCTIONED_ADDRESSES, walletVersion);
    }
  }

  /** Shipped version, mode and the user's files (path, size, modification time). */
  private static String referenceVersion(SparkSession spark, Options o, TableSource user) {
    StringBuilder sb = new StringBuilder(ReferenceData.SHIPPED_VERSION);
    if (user != null) {
      sb.append(o.replaceReference() ? "|replace" : "|extend");
      try {
        List<String> paths =
            user.delta() != null
                ? List.of(user.delta() + "/_delta_log")
                : user.files().stream().map(TableSource.DataFile::path).toList();
        for (String p : paths) {
          Path path = new Path(p);
          org.apache.hadoop.fs.FileStatus st =
              path.getFileSystem(spark.sparkContext().hadoopConfiguration()).getFileStatus(path);
          sb.append('|')
              .append(p)
              .append(':')
              .append(st.getLen())
              .append(':')
              .append(st.getModificationTime());
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return Integer.toHexString(sb.toString().hashCode())
        + ":"
        + sb.length()
        + ":"
        + ReferenceData.SHIPPED_VERSION;
  }

  private static Dataset<Row> reportFrame(
      SparkSession spark,
      String runId,
      LocalDate asOf,
      Store.Mode mode,
      List<TableReport> reports) {
    List<Row> rows = new ArrayList<>();
    for (TableReport r : reports) {
      rows.add(
          RowFactory.create(
              runId,
              java.sql.Date.valueOf(asOf),
              r.table(),
              r.rowsRead(),
              r.accepted(),
              r.quarantined(),
              r.stored() < 0 ? null : r.stored(),
              mode.label()));
    }
    return spark.createDataFrame(rows, Schemas.INGEST_REPORT);
  }

  /** The figures as printed at the end of the run. */
  public static String format(Result r) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            "%-22s %12s %12s %12s %12s%n", "table", "rows_read", "accepted", "quarantined", "new"));
    for (TableReport t : r.tables()) {
      sb.append(
          String.format(
              "%-22s %,12d %,12d %,12d %12s%n",
              t.table(),
              t.rowsRead(),
              t.accepted(),
              t.quarantined(),
              t.stored() < 0 ? "" : String.format("%,d", t.stored())));
      t.byRule().forEach((rule, n) -> sb.append(String.format("    %-38s %,12d%n", rule, n)));
    }
    return sb.toString();
  }
}
