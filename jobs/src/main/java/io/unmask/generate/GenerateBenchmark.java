package io.unmask.generate;

import io.unmask.common.Progress;
import io.unmask.common.SparkSessions;
import io.unmask.common.Tables;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;

/**
 * Seconds to generate 25k, 50k and 100k accounts (about 100 sign-ins each) on this machine, and how
 * the time grows against linear. Run through {@code bin/bench-generate [sizes...]}; the data go to
 * a temporary folder that is removed afterwards.
 */
public final class GenerateBenchmark {
  private GenerateBenchmark() {}

  public static void main(String[] args) throws IOException {
    List<Long> sizes = new ArrayList<>();
    for (String a : args) {
      sizes.add(Long.parseLong(a.replace("_", "").replace(",", "")));
    }
    if (sizes.isEmpty()) {
      sizes = List.of(25_000L, 50_000L, 100_000L);
    }
    SparkSession spark = SparkSessions.create("unmask generate benchmark");
    spark.sparkContext().setLogLevel("WARN");
    Progress quiet = new Progress(new PrintStream(new ByteArrayOutputStream()));
    Path root = Files.createTempDirectory("unmask-bench");
    try {
      // Warm-up: JIT, reference loading, Spark's first job.
      run(spark, root.resolve("warmup"), 5_000, quiet);
      System.out.printf(
          Locale.ROOT,
          "%-10s %12s %12s %10s %12s %10s %10s%n",
          "accounts",
          "logins",
          "payments",
          "seconds",
          "logins/s",
          "MB",
          "vs linear");
      double base = 0;
      long baseN = 0;
      for (long n : sizes) {
        Path out = root.resolve("n" + n);
        long t0 = System.nanoTime();
        GenerateJob.Result r = run(spark, out, n, quiet);
        double s = (System.nanoTime() - t0) / 1e9;
        if (baseN == 0) {
          base = s;
          baseN = n;
        }
        double linear = base * n / baseN;
        System.out.printf(
            Locale.ROOT,
            "%-10d %,12d %,12d %10.1f %,12.0f %10.1f %10.2f%n",
            n,
            r.rows(Tables.LOGINS),
            r.rows(Tables.PAYMENTS),
            s,
            r.rows(Tables.LOGINS) / s,
            size(out) / 1e6,
            s / linear);
        delete(out);
      }
      System.out.println(
          "cores: "
              + spark.sparkContext().defaultParallelism()
              + " (master "
              + spark.sparkContext().master()
              + "); 'vs linear' is seconds / (first seconds x size ratio)");
    } finally {
      delete(root);
      spark.stop();
    }
  }

  private static GenerateJob.Result run(SparkSession spark, Path out, long n, Progress p) {
    return GenerateJob.run(
        spark,
        new GenerateJob.Options(
            out.toString(),
            n,
            42,
            Scenario.STANDARD,
            OutputFormat.CSV,
            GenerateJob.Options.DEFAULT_LOGINS,
            GenerateJob.Options.DEFAULT_ACCOUNTS_PER_FILE,
            false),
        p);
  }

  private static long size(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
    }
  }

  private static void delete(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
