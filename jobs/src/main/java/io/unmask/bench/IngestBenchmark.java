package io.unmask.bench;

import io.unmask.common.Progress;
import io.unmask.common.SparkSessions;
import io.unmask.common.Tables;
import io.unmask.ingest.IngestJob;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.SparkSession;

/**
 * Ingest benchmark (prints figures; not a test): writes a logins CSV.gz of N rows with 0.5% bad
 * rows of mixed kinds, checks every bad row lands in quarantine under its rule and that rows_read =
 * accepted + quarantined, and times full ingest against a bare {@code spark.read.csv().count()} of
 * the same file in the same JVM.
 *
 * <p>Usage: {@code bin/bench-ingest [ROWS] [WORKDIR]}
 */
public final class IngestBenchmark {
  private static final String[] BAD_KINDS = {
    "bad_ip:ip",
    "bad_timestamp:ts",
    "missing_required:account_id",
    "duplicate_key:event_id",
    "orphan_account",
    "malformed_record:too_few_fields",
    "bad_boolean:success"
  };

  private IngestBenchmark() {}

  public static void main(String[] args) throws Exception {
    long rows = args.length > 0 ? Long.parseLong(args[0].replace("_", "")) : 1_000_000L;
    Path work =
        args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("unmask-bench-ingest");
    Path input = work.resolve("input");
    Files.createDirectories(input.resolve("logins"));
    int accounts = (int) Math.max(100, rows / 100);

    long t0 = System.nanoTime();
    Map<String, Long> expected = writeInput(input, rows, accounts);
    double genS = (System.nanoTime() - t0) / 1e9;
    Path logins = input.resolve("logins/part-00000.csv.gz");
    System.out.printf(
        Locale.ROOT,
        "input: %,d login rows (%,d bad) in %s, %.1f MB gzip, written in %.1f s%n",
        rows,
        expected.values().stream().mapToLong(Long::longValue).sum(),
        logins,
        Files.size(logins) / 1e6,
        genS);

    SparkSession spark = SparkSessions.create("unmask bench-ingest");
    String wh = work.resolve("warehouse").toString();
    PrintStream quiet = new PrintStream(java.io.OutputStream.nullOutputStream());
    // Warm-up: JIT, and the reference tables a warehouse gets once (skipped when unchanged).
    Path tiny = work.resolve("warmup");
    Files.createDirectories(tiny);
    Files.copy(input.resolve("profiles.csv"), tiny.resolve("profiles.csv"));
    Files.writeString(tiny.resolve("logins.csv"), "event_id,account_id,ts,ip\n");
    Files.writeString(tiny.resolve("payments.csv"), "payment_id,account_id,ts,kind,amount\n");
    IngestJob.run(
        spark,
        new IngestJob.Options(tiny.toString(), wh, LocalDate.parse("2026-01-01"), "warm", false),
        new Progress(quiet));
    spark.read().option("header", "true").csv(logins.toString()).count();

    long b0 = System.nanoTime();
    long bare = spark.read().option("header", "true").csv(logins.toString()).count();
    double bareS = (System.nanoTime() - b0) / 1e9;

    long f0 = System.nanoTime();
    spark
        .read()
        .option("header", "true")
        .option("multiLine", "true")
        .csv(logins.toString())
        .write()
        .format("noop")
        .mode("overwrite")
        .save();
    double fullParseS = (System.nanoTime() - f0) / 1e9;

    long i0 = System.nanoTime();
    IngestJob.Result r =
        IngestJob.run(
            spark,
            new IngestJob.Options(input.toString(), wh, null, "bench", false),
            new Progress(System.out));
    double ingestS = (System.nanoTime() - i0) / 1e9;

    IngestJob.TableReport t = r.table(Tables.LOGINS).orElseThrow();
    boolean sums = t.rowsRead() == t.accepted() + t.quarantined() && t.rowsRead() == rows;
    boolean rules = t.byRule().equals(expected);
    System.out.print(IngestJob.format(r));
    System.out.printf(
        Locale.ROOT, "bare spark.read.csv(...).count(): %,d rows in %.2f s%n", bare, bareS);
    System.out.printf(
        Locale.ROOT,
        "full ingest (all tables, validation, dedup, orphans, Delta writes): %.2f s, %,.0f login rows/s%n",
        ingestS,
        rows / ingestS);
    System.out.printf(
        Locale.ROOT, "ratio ingest / bare read: %.2fx (goal <= 2.5x)%n", ingestS / bareS);
    System.out.printf(
        Locale.ROOT,
        "for scale: Spark parsing every column of the same file (multiLine, to noop): %.2f s;"
            + " ingest / that: %.2fx%n",
        fullParseS,
        ingestS / fullParseS);
    System.out.printf(
        "rows_read = accepted + quarantined = %,d: %s; quarantine by rule matches the %d injected kinds: %s%n",
        rows, sums ? "yes" : "NO", expected.size(), rules ? "yes" : "NO " + expected);
    spark.stop();
    System.exit(sums && rules ? 0 : 1);
  }

  /** Profiles (a-0 … a-(n-1)) and one logins part with bad rows of every kind above. */
  static Map<String, Long> writeInput(Path input, long rows, int accounts) throws IOException {
    try (Writer w = Files.newBufferedWriter(input.resolve("profiles.csv"))) {
      w.write("account_id,created_at,display_name,claimed_country\n");
      for (int a = 0; a < accounts; a++) {
        w.write("a-" + a + ",2025-01-01T00:00:00Z,Name " + a + ",US\n");
      }
    }
    Files.writeString(input.resolve("payments.csv"), "payment_id,account_id,ts,kind,amount\n");
    Map<String, Long> expected = new TreeMap<>();
    Random rnd = new Random(42);
    try (Writer w =
        new BufferedWriter(
            new OutputStreamWriter(
                new GZIPOutputStream(
                    Files.newOutputStream(input.resolve("logins/part-00000.csv.gz")), 1 << 16),
                StandardCharsets.UTF_8),
            1 << 16)) {
      w.write(
          "event_id,account_id,ts,ip,device_id,user_agent,browser_timezone,browser_language,success\n");
      for (long i = 0; i < rows; i++) {
        int a = rnd.nextInt(accounts);
        String ip =
            (1 + rnd.nextInt(220))
                + "."
                + rnd.nextInt(256)
                + "."
                + rnd.nextInt(256)
                + "."
                + rnd.nextInt(256);
        String ts =
            String.format(
                Locale.ROOT,
                "2026-03-%02dT%02d:%02d:%02dZ",
                1 + rnd.nextInt(28),
                rnd.nextInt(24),
                rnd.nextInt(60),
                rnd.nextInt(60));
        String event = "e-" + i;
        String account = "a-" + a;
        String success = "true";
        String kind = null;
        if (i > 0 && i % 200 == 0) { // 0.5%: one bad row in 200, kinds in turn
          kind = BAD_KINDS[(int) ((i / 200) % BAD_KINDS.length)];
          switch (kind) {
            case "bad_ip:ip" -> ip = "300.1.2.3";
            case "bad_timestamp:ts" -> ts = "03/01/2026 10:00";
            case "missing_required:account_id" -> account = "";
            case "duplicate_key:event_id" -> event = "e-" + (i - 1);
            case "orphan_account" -> account = "ghost-" + i;
            case "bad_boolean:success" -> success = "maybe";
            default -> {}
          }
          expected.merge(kind, 1L, Long::sum);
        }
        if ("malformed_record:too_few_fields".equals(kind)) {
          w.write(event + "," + account + "," + ts + "\n");
          continue;
        }
        w.write(event);
        w.write(',');
        w.write(account);
        w.write(',');
        w.write(ts);
        w.write(',');
        w.write(ip);
        w.write(",dev-");
        w.write(Integer.toString(a));
        w.write(",\"Mozilla/5.0 (X11; Linux x86_64)\",America/Chicago,en-US,");
        w.write(success);
        w.write('\n');
      }
    }
    return expected;
  }
}
