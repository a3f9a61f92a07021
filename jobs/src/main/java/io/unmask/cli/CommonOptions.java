package io.unmask.cli;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;
import picocli.CommandLine.Option;

/** Options every Spark command shares. */
public final class CommonOptions {
  @Option(
      names = "--verbose",
      description = "Show Spark's own logging and stack traces of failures.")
  boolean verbose;

  @Option(
      names = "--run-id",
      paramLabel = "ID",
      description = "Identifier written with every output row (default: time and a random tag).")
  String runId;

  @Option(
      names = "--progress-every",
      paramLabel = "SECONDS",
      defaultValue = "30",
      description =
          "While a stage runs, print tasks done and rows read/written this often (0: never;"
              + " default: ${DEFAULT-VALUE}).")
  int progressEvery;

  /** Standard output progress that also reports long stages as they go. */
  public io.unmask.common.Progress progress(org.apache.spark.sql.SparkSession spark) {
    if (progressEvery < 0) {
      throw new UsageException("Invalid --progress-every: " + progressEvery + " (0 or more)");
    }
    return io.unmask.common.Progress.stdout().watch(spark, progressEvery * 1000L);
  }

  public String runId() {
    if (runId == null) {
      runId =
          DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss")
                  .format(java.time.LocalDateTime.now(ZoneOffset.UTC))
              + "-"
              + UUID.randomUUID().toString().substring(0, 8);
    }
    return runId;
  }

  static LocalDate parseDate(String option, String value) {
    try {
      return value == null ? null : LocalDate.parse(value);
    } catch (java.time.format.DateTimeParseException e) {
      throw new UsageException(
          "Invalid " + option + ": '" + value + "' is not a date (YYYY-MM-DD)");
    }
  }
}
