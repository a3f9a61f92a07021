package io.unmask.bench;

import io.unmask.common.Progress;
import io.unmask.common.SparkSessions;
import io.unmask.common.Tables;
import io.unmask.generate.GenerateJob;
import io.unmask.generate.OutputFormat;
import io.unmask.generate.Scenario;
import io.unmask.ingest.IngestJob;
import io.unmask.ingest.Store;
import io.unmask.pipeline.PipelineJob;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;

/**
 * Daily-mode benchmark (prints figures; not a test), issue 13: the generator's world as DAYS daily
 * exports ({@code generate --daily}) run day by day through {@code pipeline} (a snapshot, then
 * increments) into one warehouse, against one snapshot run of the same history into a fresh
 * warehouse. Prints per day: seconds per stage, the bare read of the day's export, and the bytes of
 * the stored input tables (every Delta version kept: nothing vacuumed); then the snapshot run's
 * seconds and bytes, and the ratios the issue asks for (bytes after the last day against one
 * snapshot load; last day's run against day 2's and against the snapshot run).
 *
 * <p>Usage: {@code bin/bench-daily [ACCOUNTS] [DAYS] [WORKDIR] [LOGINS_PER_ACCOUNT]} (defaults
 * 20000, 14, a temp folder, 50). Generated inputs are kept in WORKDIR and reused.
 */
public final class DailyBenchmark {
  private DailyBenchmark() {}

  record Day(String day, String mode, double seconds, double bareRead, long bytes) {}

  public static void main(String[] args) throws IOException {
    long accounts = args.length > 0 ? Long.parseLong(args[0].replace("_", "")) : 20_000;
    int days = args.length > 1 ? Integer.parseInt(args[1]) : 14;
    Path work =
        args.length > 2 ? Path.of(args[2]) : Files.createTempDirectory("unmask-bench-daily");
    double perAccount = args.length > 3 ? Double.parseDouble(args[3]) : 50;
    Files.createDirectories(work);
    SparkSession spark = SparkSessions.create("unmask bench-daily");
    spark.sparkContext().setLogLevel("WARN");
    Progress quiet = new Progress(new PrintStream(OutputStream.nullOutputStream()));
    System.out.printf(
        Locale.ROOT,
        "daily benchmark: %,d accounts, %d days, %.0f sign-ins per account, %d cores, work %s%n",
        accounts,
        days,
        perAccount,
        Runtime.getRuntime().availableProcessors(),
        work);
    Path daily = work.resolve("daily-" + accounts + "-" + days);
    Path snapshot = work.resolve("snapshot-" + accounts);
    generate(spark, daily, accounts, perAccount, days, quiet);
    generate(spark, snapshot, accounts, perAccount, 0, quiet);
    List<String> dayNames;
    try (Stream<Path> s = Files.list(daily)) {
      dayNames =
          s.map(p -> p.getFileName().toString())
              .filter(n -> n.matches("\\d{4}-\\d\\d-\\d\\d"))
              .sorted()
              .toList();
    }

    // warm-up on the first two days into a throwaway warehouse (JIT, reference tables)
    Path warm = work.resolve("wh-warm");
    deleteTree(warm);
    run(spark, daily.resolve(dayNames.get(0)), warm, dayNames.get(0), Store.Mode.SNAPSHOT, quiet);

    Path wh = work.resolve("wh-daily");
    deleteTree(wh);
    List<Day> out = new ArrayList<>();
    for (int i = 0; i < dayNames.size(); i++) {
      String d = dayNames.get(i);
      Store.Mode mode = i == 0 ? Store.Mode.SNAPSHOT : Store.Mode.INCREMENT;
      Progress p = new Progress(System.out);
      double bare = BareScan.run(spark, daily.resolve(d), work.resolve("bare-" + d));
      long t0 = System.nanoTime();
      run(spark, daily.resolve(d), wh, d, mode, p);
      double secs = (System.nanoTime() - t0) / 1e9;
      out.add(new Day(d, mode.label(), secs, bare, inputBytes(wh)));
      System.out.printf(
          Locale.ROOT,
          "day %s (%s): %.1f s, bare read of the export %.1f s, stored inputs %s%n",
          d,
          mode.label(),
          secs,
          bare,
          RunMetrics.mb(inputBytes(wh)));
    }

    Path one = work.resolve("wh-snapshot");
    deleteTree(one);
    String last = dayNames.get(dayNames.size() - 1);
    long t0 = System.nanoTime();
    run(spark, snapshot, one, last, Store.Mode.SNAPSHOT, new Progress(System.out));
    double snapSecs = (System.nanoTime() - t0) / 1e9;
    long snapBytes = inputBytes(one);

    System.out.printf(
        "%n%-12s %-10s %10s %12s %14s%n", "day", "mode", "seconds", "bare read", "stored inputs");
    for (Day d : out) {
      System.out.printf(
          Locale.ROOT,
          "%-12s %-10s %10.1f %12.1f %14s%n",
          d.day(),
          d.mode(),
          d.seconds(),
          d.bareRead(),
          RunMetrics.mb(d.bytes()));
    }
    Day lastDay = out.get(out.size() - 1);
    System.out.printf(
        Locale.ROOT,
        "%none snapshot of the same history: %.1f s, stored inputs %s%n",
        snapSecs,
        RunMetrics.mb(snapBytes));
    System.out.printf(
        Locale.ROOT,
        "stored inputs after day %d / one snapshot load: %.2fx (goal <= 1.3x)%n",
        out.size(),
        (double) lastDay.bytes() / snapBytes);
    if (out.size() > 1) {
      System.out.printf(
          Locale.ROOT,
          "day %d run / day 2 run: %.2fx (goal <= 1.5x); day %d run / snapshot run: %.2fx%n",
          out.size(),
          lastDay.seconds() / out.get(1).seconds(),
          out.size(),
          lastDay.seconds() / snapSecs);
      System.out.printf(
          Locale.ROOT,
          "day %d run / bare read of its export: %.1fx (goal <= 3x, with the aggregates it needs)%n",
          out.size(),
          lastDay.seconds() / lastDay.bareRead());
    }
    System.out.printf(
        Locale.ROOT, "peak resident memory of the JVM: %s%n", RunMetrics.mb(RunMetrics.peakRss()));
    spark.stop();
  }

  private static void run(
      SparkSession spark, Path in, Path wh, String day, Store.Mode mode, Progress p) {
    PipelineJob.run(
        spark,
        new IngestJob.Options(
                in.toString(), wh.toString(), LocalDate.parse(day), "bench-" + day, false)
            .withMode(mode),
        PipelineJob.Settings.defaults(),
        p);
  }

  private static void generate(
      SparkSession spark, Path out, long accounts, double perAccount, int days, Progress p) {
    if (Files.exists(out.resolve(GenerateJob.TRUTH).resolve(GenerateJob.SUMMARY))) {
      return;
    }
    GenerateJob.Options o =
        new GenerateJob.Options(
            out.toString(),
            accounts,
            42,
            Scenario.STANDARD,
            OutputFormat.CSV,
            perAccount,
            GenerateJob.Options.DEFAULT_ACCOUNTS_PER_FILE,
            true);
    if (days > 0) {
      GenerateJob.run(spark, o, days, p);
    } else {
      GenerateJob.run(spark, o, p);
    }
  }

  /** Bytes on disk of the stored input tables (data files and logs, every version kept). */
  static long inputBytes(Path wh) throws IOException {
    long total = 0;
    for (String t : Tables.INPUT_TABLES) {
      Path dir = wh.resolve(t);
      if (!Files.exists(dir)) {
        continue;
      }
      try (Stream<Path> s = Files.walk(dir)) {
        total += s.filter(Files::isRegularFile).mapToLong(DailyBenchmark::size).sum();
      }
    }
    return total;
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      return 0;
    }
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(x);
      }
    }
  }
}
