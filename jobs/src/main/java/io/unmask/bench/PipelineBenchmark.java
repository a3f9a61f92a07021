package io.unmask.bench;

import static org.apache.spark.sql.functions.*;

import io.unmask.common.Cols;
import io.unmask.common.Progress;
import io.unmask.common.SparkSessions;
import io.unmask.common.Tables;
import io.unmask.features.FeatureConfig;
import io.unmask.generate.GenerateJob;
import io.unmask.generate.IpPools;
import io.unmask.generate.OutputFormat;
import io.unmask.generate.Rng;
import io.unmask.generate.Scenario;
import io.unmask.ingest.IngestJob;
import io.unmask.io.DeltaIO;
import io.unmask.model.ModelJob;
import io.unmask.model.Trainer;
import io.unmask.pipeline.PipelineJob;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Pipeline benchmark (prints figures; not a test), issue 5: generates data sets of several sizes
 * with the generator (standard scenario, ~100 sign-ins per account), runs the stages exactly as
 * {@code pipeline} does (ingest; features with linking inside; model; score) on a fresh warehouse
 * each, and prints seconds per stage per size, the ratio to linear against the smallest size, the
 * largest cluster; then the largest size again with one residential address added to the sign-ins
 * of 30% of accounts (a quarter of each such account's sign-ins move to it), and the slowdown.
 *
 * <p>Usage: {@code bin/bench-pipeline [SIZES] [WORKDIR] [LOGINS_PER_ACCOUNT]}, SIZES a comma list
 * (default 25000,50000,100000). Generated inputs are kept in WORKDIR and reused when present.
 */
public final class PipelineBenchmark {
  static final String[] STAGES = {"ingest", "linking", "features", "model", "score"};
  static final double HUB_SHARE = 0.30;
  static final int HUB_LOGIN_PERCENT = 25;

  private PipelineBenchmark() {}

  /** One pipeline run: seconds per stage and the linking outcome. */
  record Run(
      String label,
      long accounts,
      long logins,
      Map<String, Double> seconds,
      double total,
      long largestCluster,
      long clusteredAccounts,
      long oversized,
      long ipHubs,
      double bareScan,
      double typedParse,
      Map<String, RunMetrics.Counts> metrics,
      RunMetrics.Counts bareMetrics,
      String load) {}

  public static void main(String[] args) throws IOException {
    List<Long> sizes = new ArrayList<>();
    String sizeArg = args.length > 0 ? args[0] : "25000,100000";
    for (String s : sizeArg.split(",")) {
      sizes.add(Long.parseLong(s.trim().replace("_", "")));
    }
    Path work =
        args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("unmask-bench-pipeline");
    double perAccount = args.length > 2 ? Double.parseDouble(args[2]) : 50;
    boolean withHub = !"0".equals(System.getenv("BENCH_HUB"));
    Files.createDirectories(work);
    SparkSession spark = SparkSessions.create("unmask bench-pipeline");
    spark.sparkContext().setLogLevel("WARN");
    Progress quiet = new Progress(new PrintStream(OutputStream.nullOutputStream()));
    System.out.printf(
        Locale.ROOT,
        "pipeline benchmark: sizes %s, %.0f sign-ins per account, %d cores, max heap %.1f GB, work %s%n",
        sizes,
        perAccount,
        Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() / 1e9,
        work);

    // Warm-up (JIT, reference tables, Spark's first jobs), not reported.
    Path warm = input(spark, work, 2_000, 20, quiet);
    pipeline(spark, "warm-up", warm, work.resolve("wh-warmup"), quiet);

    List<Run> runs = new ArrayList<>();
    for (long n : sizes) {
      Path in = input(spark, work, n, perAccount, new Progress(System.out));
      runs.add(pipeline(spark, "n=" + n, in, work.resolve("wh-" + n), new Progress(System.out)));
    }
    long largest = sizes.get(sizes.size() - 1);
    Run hub = null;
    if (withHub) {
      Path hubIn =
          hubInput(spark, work.resolve("in-" + largest), work.resolve("in-" + largest + "-hub"));
      hub =
          pipeline(
              spark,
              "n=" + largest + " +hub",
              hubIn,
              work.resolve("wh-" + largest + "-hub"),
              new Progress(System.out));
    }
    print(runs, hub);
    System.out.printf(
        Locale.ROOT,
        "%npeak resident memory of the JVM: %s%n",
        RunMetrics.mb(RunMetrics.peakRss()));
    spark.stop();
  }

  // ---------------------------------------------------------------- data

  /** The generated input of n accounts under work/in-n (reused when already there). */
  static Path input(SparkSession spark, Path work, long n, double perAccount, Progress p) {
    Path out = work.resolve("in-" + n);
    if (Files.exists(out.resolve(GenerateJob.TRUTH).resolve(GenerateJob.SUMMARY))) {
      return out;
    }
    long t0 = System.nanoTime();
    GenerateJob.run(
        spark,
        new GenerateJob.Options(
            out.toString(),
            n,
            42,
            Scenario.STANDARD,
            OutputFormat.CSV,
            perAccount,
            GenerateJob.Options.DEFAULT_ACCOUNTS_PER_FILE,
            true),
        p);
    p.info(String.format(Locale.ROOT, "(generated in %.1f s; not part of the figures)", secs(t0)));
    return out;
  }

  /**
   * The same data set with one hub address: for the 30% of accounts whose hash falls there, a
   * quarter of their sign-ins (by event hash) come from one fixed residential US address instead.
   * Same rows, same files count; profiles, payments and labels are copied unchanged.
   */
  static Path hubInput(SparkSession spark, Path base, Path out) throws IOException {
    if (Files.exists(out.resolve("logins"))) {
      return out;
    }
    String hubIp = IpPools.load(42).residential("US", new Rng(20261125L, Rng.POOLS, 7));
    Files.createDirectories(out);
    for (String t : List.of(Tables.PROFILES, Tables.PAYMENTS, Tables.LABELS)) {
      copyTree(base.resolve(t), out.resolve(t));
    }
    long parts;
    try (Stream<Path> s = Files.list(base.resolve(Tables.LOGINS))) {
      parts = s.filter(f -> f.getFileName().toString().endsWith(".csv.gz")).count();
    }
    Column inHub = pmod(xxhash64(col(Cols.ACCOUNT_ID)), lit(100)).lt(lit((int) (HUB_SHARE * 100)));
    Column moved = pmod(xxhash64(col(Cols.EVENT_ID)), lit(100)).lt(lit(HUB_LOGIN_PERCENT));
    Dataset<Row> logins =
        spark
            .read()
            .option("header", "true")
            .option("escape", "\"")
            .option("multiLine", "true")
            .csv(base.resolve(Tables.LOGINS).toString());
    logins
        .withColumn(Cols.IP, when(inHub.and(moved), lit(hubIp)).otherwise(col(Cols.IP)))
        .repartition((int) Math.max(1, parts), col(Cols.ACCOUNT_ID))
        .sortWithinPartitions(Cols.ACCOUNT_ID, Cols.EVENT_ID)
        .write()
        .option("header", "true")
        .option("escape", "\"")
        .option("compression", "gzip")
        .csv(out.resolve(Tables.LOGINS).toString());
    System.out.printf(
        Locale.ROOT,
        "hub variant: one residential address on %.0f%% of accounts (%d%% of their sign-ins)%n",
        HUB_SHARE * 100,
        HUB_LOGIN_PERCENT);
    return out;
  }

  private static void copyTree(Path from, Path to) throws IOException {
    if (!Files.exists(from)) {
      return;
    }
    try (Stream<Path> s = Files.walk(from)) {
      for (Path f : s.sorted(Comparator.naturalOrder()).toList()) {
        Path dest = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(dest);
        } else {
          Files.copy(f, dest);
        }
      }
    }
  }

  // ---------------------------------------------------------------- the stages, as PipelineCommand

  static Run pipeline(SparkSession spark, String label, Path in, Path wh, Progress p)
      throws IOException {
    deleteTree(wh);
    String warehouse = wh.toString();
    p.info("-- " + label + ": " + in);
    String loadBefore = loadAverage();
    // The floor: the same input read by Spark's CSV reader, every column as text, one shuffle by
    // account, Parquet out; in the same JVM, just before the pipeline.
    Path bareOut = wh.resolveSibling(wh.getFileName() + "-bare");
    RunMetrics bareM = RunMetrics.attach(spark.sparkContext(), () -> "bare scan");
    double bare;
    try {
      bare = BareScan.run(spark, in, bareOut);
    } finally {
      bareM.close();
    }
    deleteTree(bareOut);
    p.info(String.format(Locale.ROOT, "bare scan  %7.1f s  %s", bare, bareM.total().format()));
    // Ingest's floor: Spark's own typed parse of the same files and a Delta write, no rules.
    Path typedOut = wh.resolveSibling(wh.getFileName() + "-typed");
    double typed = BareScan.typedParse(spark, in, typedOut);
    deleteTree(typedOut);
    p.info(String.format(Locale.ROOT, "typed parse + Delta write  %7.1f s", typed));
    RunMetrics metrics = RunMetrics.attach(spark.sparkContext(), p::stage);
    long t0 = System.nanoTime();
    PipelineJob.Result run;
    try {
      run =
          PipelineJob.run(
              spark,
              new IngestJob.Options(in.toString(), warehouse, null, "bench", false),
              FeatureConfig.defaults(),
              new ModelJob.Options(false, null, 20, Trainer.Settings.defaults()),
              p);
    } finally {
      metrics.close();
    }
    IngestJob.Result r = run.ingest();
    LocalDate d = run.asOf();
    double featuresAndLinking = run.featuresSeconds();
    double total = secs(t0);
    // Stage seconds as the stage lines print them; "features" is the whole feature stage without
    // linking (its lines are split around linking, which runs inside it).
    Map<String, Double> s = new LinkedHashMap<>();
    for (String stage : STAGES) {
      s.put(stage, p.seconds().getOrDefault(stage, 0.0));
    }
    s.put("features", featuresAndLinking - s.get("linking"));
    Row c =
        dayOf(spark, warehouse, Tables.CLUSTERS, d)
            .agg(coalesce(max(Cols.CLUSTER_SIZE), lit(0L)), count(lit(1)))
            .first();
    Row h =
        dayOf(spark, warehouse, Tables.LINK_HUBS, d)
            .agg(
                count_if(col(Cols.KEY_TYPE).equalTo("oversized_cluster")),
                count_if(col(Cols.KEY_TYPE).equalTo("ip")))
            .first();
    long logins = r.table(Tables.LOGINS).map(IngestJob.TableReport::accepted).orElse(0L);
    long accounts = r.table(Tables.PROFILES).map(IngestJob.TableReport::accepted).orElse(0L);
    return new Run(
        label,
        accounts,
        logins,
        s,
        total,
        ((Number) c.get(0)).longValue(),
        c.getLong(1),
        h.getLong(0),
        h.getLong(1),
        bare,
        typed,
        metrics.snapshot(),
        bareM.total(),
        loadBefore + " before, " + loadAverage() + " after");
  }

  /** The 1, 5 and 15 minute load averages (Linux), to say how quiet the machine was. */
  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return "n/a";
    }
  }

  private static Dataset<Row> dayOf(SparkSession spark, String wh, String table, LocalDate d) {
    return DeltaIO.read(spark, wh, table)
        .filter(col(Cols.AS_OF).equalTo(lit(java.sql.Date.valueOf(d))));
  }

  // ---------------------------------------------------------------- report

  static void print(List<Run> runs, Run hub) {
    System.out.println();
    System.out.println("seconds per stage, and the bare scan of the same input in the same run");
    StringBuilder head =
        new StringBuilder(
            String.format(Locale.ROOT, "%-16s %10s %12s", "run", "accounts", "sign-ins"));
    for (String st : STAGES) {
      head.append(String.format(Locale.ROOT, " %9s", st));
    }
    head.append(
        String.format(
            Locale.ROOT,
            " %9s %9s %6s %8s %9s %9s",
            "total",
            "bare",
            "ratio",
            "largest",
            "clustered",
            "oversized"));
    System.out.println(head);
    List<Run> all = new ArrayList<>(runs);
    if (hub != null) {
      all.add(hub);
    }
    for (Run r : all) {
      StringBuilder b =
          new StringBuilder(
              String.format(Locale.ROOT, "%-16s %,10d %,12d", r.label(), r.accounts(), r.logins()));
      for (String st : STAGES) {
        b.append(String.format(Locale.ROOT, " %9.1f", r.seconds().get(st)));
      }
      b.append(
          String.format(
              Locale.ROOT,
              " %9.1f %9.1f %6.1f %8d %,9d %9d",
              r.total(),
              r.bareScan(),
              r.total() / r.bareScan(),
              r.largestCluster(),
              r.clusteredAccounts(),
              r.oversized()));
      System.out.println(b);
    }
    for (Run r : all) {
      System.out.println();
      System.out.printf(
          Locale.ROOT,
          "%s: pipeline %.1f s = %.1fx the bare scan (%.1f s; goal <= 3x); load average %s%n",
          r.label(),
          r.total(),
          r.total() / r.bareScan(),
          r.bareScan(),
          r.load());
      System.out.printf(
          Locale.ROOT,
          "  ingest %.1f s = %.2fx Spark's typed parse + Delta write of the same files (%.1f s;"
              + " goal <= 1.5x)%n",
          r.seconds().get("ingest"),
          r.seconds().get("ingest") / r.typedParse(),
          r.typedParse());
      System.out.printf(Locale.ROOT, "  %-17s %s%n", "bare scan", r.bareMetrics().format());
      r.metrics()
          .forEach((st, c) -> System.out.printf(Locale.ROOT, "  %-17s %s%n", st, c.format()));
    }
    Run base = runs.get(0);
    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "ratio to linear (seconds / (seconds at %,d x size factor); 1.00 = linear; goal: 4x the"
            + " data at most 4.2x the time, i.e. <= 1.05)%n",
        base.accounts());
    for (Run r : runs) {
      double factor = r.accounts() / (double) base.accounts();
      StringBuilder b =
          new StringBuilder(String.format(Locale.ROOT, "%-16s x%-5.1f", r.label(), factor));
      for (String st : STAGES) {
        b.append(
            String.format(
                Locale.ROOT,
                " %s %.2f",
                st,
                r.seconds().get(st) / (base.seconds().get(st) * factor)));
      }
      b.append(String.format(Locale.ROOT, " | total %.2f", r.total() / (base.total() * factor)));
      b.append(
          String.format(Locale.ROOT, " | bare %.2f", r.bareScan() / (base.bareScan() * factor)));
      System.out.println(b);
    }
    if (hub == null) {
      return;
    }
    Run same = runs.get(runs.size() - 1);
    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "hub variant (one address on %.0f%% of accounts) at %,d accounts: %.1f s vs %.1f s,"
            + " slowdown %+.1f%% (goal <= +20%%); largest cluster %d vs %d (cap 500), %d oversized,"
            + " %d IP hub keys vs %d%n",
        HUB_SHARE * 100,
        same.accounts(),
        hub.total(),
        same.total(),
        (hub.total() / same.total() - 1) * 100,
        hub.largestCluster(),
        same.largestCluster(),
        hub.oversized(),
        hub.ipHubs(),
        same.ipHubs());
    for (String st : STAGES) {
      System.out.printf(
          Locale.ROOT,
          "  %-9s %7.1f s vs %7.1f s (%+.1f%%)%n",
          st,
          hub.seconds().get(st),
          same.seconds().get(st),
          (hub.seconds().get(st) / same.seconds().get(st) - 1) * 100);
    }
  }

  private static double secs(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path f : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(f);
      }
    }
  }
}
