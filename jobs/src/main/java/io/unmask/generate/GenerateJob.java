package io.unmask.generate;

import io.unmask.common.Progress;
import io.unmask.common.Schemas;
import io.unmask.common.Schemas.ColumnSpec;
import io.unmask.common.Schemas.TableSpec;
import io.unmask.common.Tables;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.SerializableConfiguration;

/**
 * {@code generate}: writes a synthetic platform data set in the contract's input format (profiles,
 * logins, payments, labels) and its ground truth under {@code _truth/}. The plan (who is in which
 * ring, agency or family) is made on the driver; the rows are made on the executors, one task per
 * part file, each account from its own random stream, so the same seed and size give the same bytes
 * whatever the cluster.
 */
public final class GenerateJob {
  /** Folder of the ground truth, next to the tables (not a contract table: ingest ignores it). */
  public static final String TRUTH = "_truth";

  public static final String SUMMARY = "summary.json";
  public static final String EXPECTED_QUARANTINE = "expected_quarantine.csv";

  /** Manifest of a daily export ({@code --daily}): the days and their row counts. */
  public static final String MANIFEST = "_days.json";

  /** The four contract tables the generator writes. */
  public static final List<TableSpec> TABLES =
      List.of(
          Schemas.PROFILES_SPEC, Schemas.LOGINS_SPEC, Schemas.PAYMENTS_SPEC, Schemas.LABELS_SPEC);

  /**
   * @param accountsPerFile accounts per part file (and task); the file count follows from it
   * @param overwrite replace the tables and truth of an existing output folder
   */
  public record Options(
      String output,
      long accounts,
      long seed,
      Scenario scenario,
      OutputFormat format,
      double loginsPerAccount,
      int accountsPerFile,
      boolean overwrite) {
    public static final int DEFAULT_ACCOUNTS_PER_FILE = 20_000;
    public static final double DEFAULT_LOGINS = 100;

    public int parts() {
      return (int) Math.max(1, (accounts + accountsPerFile - 1) / accountsPerFile);
    }
  }

  /** What was written: rows per table, expected quarantine per table and rule, population. */
  public record Result(Map<String, Long> tallies) {
    public long rows(String table) {
      return tallies.getOrDefault(PartitionJob.rowsKey(table), 0L);
    }

    /** Expected quarantine counts of a table by rule (empty for clean scenarios). */
    public Map<String, Long> expectedRules(String table) {
      Map<String, Long> out = new TreeMap<>();
      String prefix = "rule|" + table + "|";
      tallies.forEach(
          (k, v) -> {
            if (k.startsWith(prefix)) {
              out.put(k.substring(prefix.length()), v);
            }
          });
      return out;
    }

    public long quarantined(String table) {
      return expectedRules(table).values().stream().mapToLong(Long::longValue).sum();
    }

    public Map<String, Long> byPrefix(String prefix) {
      Map<String, Long> out = new TreeMap<>();
      tallies.forEach(
          (k, v) -> {
            if (k.startsWith(prefix + "|")) {
              out.put(k.substring(prefix.length() + 1), v);
            }
          });
      return out;
    }
  }

  private GenerateJob() {}

  public static Result run(SparkSession spark, Options o, Progress progress) {
    return run(spark, o, 0, progress);
  }

  /**
   * The same world delivered as daily exports {@code DIR/<yyyy-mm-dd>/<table>/}: D1 a snapshot, the
   * later days increments (see {@link Daily}), the truth of the last day in {@code _truth} as the
   * snapshot has it and a manifest {@value #MANIFEST}; {@code days == 0}: the one snapshot.
   */
  public static Result run(SparkSession spark, Options o, int days, Progress progress) {
    Daily daily = null;
    if (days != 0) {
      if (o.scenario() == Scenario.DIRTY) {
        throw new IllegalArgumentException(
            "--daily cannot be combined with --scenario dirty: its bad rows and duplicates would"
                + " blur the daily deliveries");
      }
      if (o.format() == OutputFormat.PARQUET) {
        throw new IllegalArgumentException("--daily writes csv or jsonl, not parquet");
      }
      daily = new Daily(o.seed(), days);
    }
    if (o.scenario() == Scenario.DIRTY && o.format() == OutputFormat.PARQUET) {
      throw new IllegalArgumentException(
          "--scenario dirty writes broken text rows: use --format csv or jsonl");
    }
    if (o.accountsPerFile() < 1 || o.loginsPerAccount() < 0) {
      throw new IllegalArgumentException("accounts per file must be positive, logins not negative");
    }
    progress.start("generate");
    Plan plan = new Plan(o.accounts(), o.seed(), o.scenario(), o.loginsPerAccount());
    Configuration hconf = spark.sparkContext().hadoopConfiguration();
    String output;
    try {
      output = prepare(hconf, o, daily);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot prepare --output " + o.output(), e);
    }
    World world = World.load(o.seed());
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<Plan> bPlan = jsc.broadcast(plan);
    Broadcast<World> bWorld = jsc.broadcast(world);
    SerializableConfiguration conf = new SerializableConfiguration(hconf);
    int parts = o.parts();
    long n = o.accounts();
    OutputFormat format = o.format();
    boolean truthOnly = format == OutputFormat.PARQUET;
    Daily split = daily;
    List<Integer> ids = IntStream.range(0, parts).boxed().toList();
    jsc.setJobDescription(
        String.format(
            Locale.ROOT, "generate %,d accounts (%s) in %d files", n, o.scenario().label(), parts));
    List<Map<String, Long>> tallies =
        jsc.parallelize(ids, parts)
            .map(
                p -> {
                  FileSystem fs = new Path(output).getFileSystem(conf.value());
                  return new PartitionJob(bPlan.value(), bWorld.value(), format, split)
                      .run(fs, output, p, from(p, n, parts), from(p + 1, n, parts), truthOnly);
                })
            .collect();
    Map<String, Long> total = new TreeMap<>();
    tallies.forEach(t -> t.forEach((k, v) -> total.merge(k, v, Long::sum)));
    if (truthOnly) {
      for (TableSpec spec : TABLES) {
        writeParquet(spark, jsc, bPlan, bWorld, spec, output, parts, n, total);
      }
    }
    Result result = new Result(total);
    try {
      writeSummary(hconf, output, o, plan, result);
      if (daily != null) {
        writeManifest(hconf, output, o, daily, result);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + TRUTH + " under " + output, e);
    }
    long rows = TABLES.stream().mapToLong(t -> result.rows(t.name())).sum();
    progress.done(
        rows,
        String.format(
            Locale.ROOT,
            "%,d accounts, %,d logins, %,d payments, %s, %d %s per table%s",
            n,
            result.rows(Tables.LOGINS),
            result.rows(Tables.PAYMENTS),
            o.scenario().label(),
            parts,
            parts == 1 ? "file" : "files",
            daily == null
                ? ""
                : String.format(
                    Locale.ROOT,
                    ", %d daily exports %s..%s",
                    daily.days,
                    daily.names[0],
                    daily.names[daily.days - 1])));
    return result;
  }

  /** First account index of a part: parts split the accounts evenly. */
  static long from(int part, long accounts, int parts) {
    return Math.multiplyHigh(accounts, part) == 0
        ? accounts * part / parts
        : java.math.BigInteger.valueOf(accounts)
            .multiply(java.math.BigInteger.valueOf(part))
            .divide(java.math.BigInteger.valueOf(parts))
            .longValue();
  }

  /** Creates the output folder, refusing to mix with an earlier data set unless asked to. */
  private static String prepare(Configuration hconf, Options o, Daily daily) throws IOException {
    Path out = new Path(o.output());
    FileSystem fs = out.getFileSystem(hconf);
    out = fs.makeQualified(out);
    if (fs.exists(out)) {
      if (!fs.getFileStatus(out).isDirectory()) {
        throw new IllegalArgumentException("--output " + o.output() + " is a file, not a folder");
      }
      List<String> ours = new ArrayList<>(TABLES.stream().map(TableSpec::name).toList());
      ours.add(TRUTH);
      ours.add(MANIFEST);
      FileStatus[] existing = fs.listStatus(out);
      if (existing.length > 0 && !o.overwrite()) {
        throw new IllegalArgumentException(
            "--output " + o.output() + " is not empty; add --overwrite to replace its tables");
      }
      for (FileStatus st : existing) {
        String name = st.getPath().getName().toLowerCase(Locale.ROOT);
        if (ours.stream().anyMatch(t -> name.equals(t) || name.startsWith(t + "."))
            || name.matches("\\d{4}-\\d{2}-\\d{2}")) {
          fs.delete(st.getPath(), true);
        }
      }
    }
    fs.mkdirs(out);
    List<Path> roots = new ArrayList<>();
    if (daily == null) {
      roots.add(out);
    } else {
      for (String day : daily.names) {
        roots.add(new Path(out, day));
      }
    }
    for (Path root : roots) {
      for (TableSpec t : TABLES) {
        fs.mkdirs(new Path(root, t.name()));
      }
    }
    fs.mkdirs(new Path(new Path(out, TRUTH), "accounts"));
    return out.toString();
  }

  // ------------------------------------------------------------------ parquet

  private static void writeParquet(
      SparkSession spark,
      JavaSparkContext jsc,
      Broadcast<Plan> bPlan,
      Broadcast<World> bWorld,
      TableSpec spec,
      String output,
      int parts,
      long n,
      Map<String, Long> total) {
    String table = spec.name();
    StructType schema = new StructType();
    List<DataType> types = new ArrayList<>();
    for (ColumnSpec c : spec.columns()) {
      DataType t = c.type() == Schemas.ColType.IP ? DataTypes.StringType : c.type().sparkType;
      schema = schema.add(c.name(), t, !c.required());
      types.add(t);
    }
    List<Integer> ids = IntStream.range(0, parts).boxed().toList();
    JavaRDD<Row> rows =
        jsc.parallelize(ids, parts)
            .flatMap(
                p ->
                    new TableRows(
                        bPlan.value(),
                        bWorld.value(),
                        table,
                        types,
                        from(p, n, parts),
                        from(p + 1, n, parts)));
    String dir = output + "/" + table;
    String tmp = output + "/" + table + "/_parquet_tmp";
    spark.createDataFrame(rows, schema).write().mode("overwrite").parquet(tmp);
    try {
      FileSystem fs = new Path(output).getFileSystem(spark.sparkContext().hadoopConfiguration());
      FileStatus[] files = fs.listStatus(new Path(tmp));
      Arrays.sort(files, (x, y) -> x.getPath().getName().compareTo(y.getPath().getName()));
      for (FileStatus f : files) {
        String name = f.getPath().getName();
        if (name.startsWith("part-") && name.endsWith(".parquet")) {
          int part = Integer.parseInt(name.substring(5, 10));
          String target = String.format("part-%05d.parquet", part);
          fs.rename(f.getPath(), new Path(dir, target));
          Path crc = new Path(dir, "." + target + ".crc");
          if (fs.exists(crc)) {
            fs.delete(crc, false);
          }
        }
      }
      fs.delete(new Path(tmp), true);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot rename the parquet files of " + table, e);
    }
    long count = spark.read().parquet(dir).count();
    total.put(PartitionJob.rowsKey(table), count);
  }

  /** The rows of one table for the accounts [from, to), made lazily, one account at a time. */
  private static final class TableRows implements java.util.Iterator<Row> {
    private final Accounts accounts;
    private final Activity activity;
    private final String table;
    private final List<DataType> types;
    private final long to;
    private long next;
    private final java.util.ArrayDeque<String[]> buffer = new java.util.ArrayDeque<>();

    TableRows(Plan plan, World world, String table, List<DataType> types, long from, long to) {
      this.accounts = new Accounts(plan, world);
      this.activity = new Activity(accounts, world);
      this.table = table;
      this.types = types;
      this.next = from;
      this.to = to;
    }

    @Override
    public boolean hasNext() {
      while (buffer.isEmpty() && next < to) {
        Account a = accounts.build(next++);
        switch (table) {
          case Tables.PROFILES -> buffer.add(Activity.profile(a));
          case Tables.LOGINS -> activity.logins(a, buffer::add);
          case Tables.PAYMENTS -> activity.payments(a, buffer::add);
          default -> Activity.labels(a, buffer::add);
        }
      }
      return !buffer.isEmpty();
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new java.util.NoSuchElementException();
      }
      return typed(buffer.poll(), types);
    }
  }

  private static Row typed(String[] v, List<DataType> types) {
    Object[] o = new Object[v.length];
    for (int i = 0; i < v.length; i++) {
      DataType t = types.get(i);
      String s = v[i];
      if (s == null) {
        o[i] = null;
      } else if (t.equals(DataTypes.TimestampType)) {
        o[i] = Timestamp.from(Instant.parse(s));
      } else if (t.equals(DataTypes.BooleanType)) {
        o[i] = Boolean.parseBoolean(s);
      } else if (t.equals(DataTypes.IntegerType)) {
        o[i] = Integer.parseInt(s);
      } else if (t instanceof org.apache.spark.sql.types.DecimalType) {
        o[i] = new BigDecimal(s).setScale(Schemas.MONEY.scale());
      } else {
        o[i] = s;
      }
    }
    return RowFactory.create(o);
  }

  // ------------------------------------------------------------------ truth summary

  private static void writeSummary(
      Configuration hconf, String output, Options o, Plan plan, Result r) throws IOException {
    Path dir = new Path(output, TRUTH);
    FileSystem fs = dir.getFileSystem(hconf);
    StringBuilder csv = new StringBuilder("table,rule,count\n");
    StringBuilder json = header("unmask generate", o);
    json.append("  \"history_end\": \"").append(Dates.iso(Accounts.END)).append("\",\n");
    json.append("  \"rings\": ").append(plan.groups(Plan.Kind.RING)).append(",\n");
    json.append("  \"agencies\": ").append(plan.groups(Plan.Kind.AGENCY)).append(",\n");
    json.append("  \"families\": ").append(plan.groups(Plan.Kind.FAMILY)).append(",\n");
    json.append("  \"internet_cafes\": ").append(plan.groups(Plan.Kind.CAFE)).append(",\n");
    json.append("  \"coworking_spaces\": ").append(plan.groups(Plan.Kind.COWORKING)).append(",\n");
    json.append("  \"archetypes\": ").append(map(r.byPrefix("archetype"))).append(",\n");
    json.append("  \"lookalikes\": ").append(map(r.byPrefix("lookalike"))).append(",\n");
    json.append("  \"tables\": {\n");
    for (int i = 0; i < TABLES.size(); i++) {
      String t = TABLES.get(i).name();
      long rows = r.rows(t);
      long q = r.quarantined(t);
      json.append("    \"").append(t).append("\": {\"rows_read\": ").append(rows);
      json.append(", \"accepted\": ").append(rows - q);
      json.append(", \"quarantined\": ").append(q);
      json.append(", \"by_rule\": ").append(map(r.expectedRules(t))).append("}");
      json.append(i < TABLES.size() - 1 ? ",\n" : "\n");
      r.expectedRules(t)
          .forEach(
              (rule, c) ->
                  csv.append(t).append(',').append(rule).append(',').append(c).append('\n'));
    }
    json.append("  }\n}\n");
    write(fs, new Path(dir, SUMMARY), json.toString());
    write(fs, new Path(dir, EXPECTED_QUARANTINE), csv.toString());
  }

  /** The opening of {@value #SUMMARY} and {@value #MANIFEST}: what generated them, and how. */
  private static StringBuilder header(String generator, Options o) {
    StringBuilder json = new StringBuilder("{\n");
    json.append("  \"generator\": \"").append(generator).append("\",\n");
    json.append("  \"scenario\": \"").append(o.scenario().label()).append("\",\n");
    json.append("  \"seed\": ").append(o.seed()).append(",\n");
    json.append("  \"accounts\": ").append(o.accounts()).append(",\n");
    json.append("  \"logins_per_account\": ").append(fmt(o.loginsPerAccount())).append(",\n");
    json.append("  \"format\": \"")
        .append(o.format().name().toLowerCase(Locale.ROOT))
        .append("\",\n");
    return json;
  }

  /** {@value #MANIFEST}: the days, which one is the snapshot, rows and kinds of rows per day. */
  private static void writeManifest(
      Configuration hconf, String output, Options o, Daily daily, Result r) throws IOException {
    Path path = new Path(output, MANIFEST);
    FileSystem fs = path.getFileSystem(hconf);
    Map<String, Long> byDay = r.byPrefix("day");
    StringBuilder json = header("unmask generate --daily", o);
    json.append("  \"days\": ").append(daily.days).append(",\n");
    json.append("  \"first_day\": \"").append(daily.names[0]).append("\",\n");
    json.append("  \"last_day\": \"").append(daily.names[daily.days - 1]).append("\",\n");
    json.append("  \"snapshot\": \"").append(daily.names[0]).append("\",\n");
    json.append("  \"rates\": {\"late\": ").append(Daily.LATE);
    json.append(", \"late_max_days\": ").append(Daily.LATE_MAX_DAYS);
    json.append(", \"redelivered\": ").append(Daily.REDELIVERED);
    json.append(", \"change_rented\": ").append(Daily.CHANGE_RENTED);
    json.append(", \"change_concealed\": ").append(Daily.CHANGE_CONCEALED);
    json.append(", \"change_relocated\": ").append(Daily.CHANGE_RELOCATED);
    json.append(", \"change_genuine\": ").append(Daily.CHANGE_GENUINE).append("},\n");
    Map<String, Long> changed = new TreeMap<>(Map.of("concealed", 0L, "genuine", 0L));
    changed.putAll(r.byPrefix("changed"));
    json.append("  \"changed_profiles\": ").append(map(changed)).append(",\n");
    json.append("  \"per_day\": [\n");
    List<String> figures = new ArrayList<>();
    for (TableSpec t : TABLES) {
      figures.add(t.name());
    }
    figures.addAll(
        List.of(
            "late_" + Tables.LOGINS,
            "late_" + Tables.PAYMENTS,
            "redelivered_" + Tables.LOGINS,
            "redelivered_" + Tables.PAYMENTS,
            "new_profiles",
            "changed_profiles"));
    for (int d = 0; d < daily.days; d++) {
      json.append("    {\"day\": \"").append(daily.names[d]).append('"');
      json.append(", \"kind\": \"").append(d == 0 ? "snapshot" : "increment").append('"');
      for (String f : figures) {
        json.append(", \"").append(f).append("\": ").append(byDay.getOrDefault(d + "|" + f, 0L));
      }
      json.append(d < daily.days - 1 ? "},\n" : "}\n");
    }
    json.append("  ]\n}\n");
    write(fs, path, json.toString());
  }

  private static String fmt(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  private static String map(Map<String, Long> m) {
    StringBuilder sb = new StringBuilder("{");
    m.forEach(
        (k, v) ->
            sb.append(sb.length() > 1 ? ", " : "").append('"').append(k).append("\": ").append(v));
    return sb.append('}').toString();
  }

  private static void write(FileSystem fs, Path p, String text) throws IOException {
    try (OutputStream out = fs.create(p, true)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
    Path crc = new Path(p.getParent(), "." + p.getName() + ".crc");
    if (fs.exists(crc)) {
      fs.delete(crc, false);
    }
  }
}
