package io.unmask.cli;

import io.unmask.ingest.IngestJob;
import io.unmask.ingest.QualityGate;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code check}: the data-quality gate between ingest and the rest of a scheduled run. */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
      "Data-quality gate for one ingested day: fails (exit 1) when a required input table was",
      "not ingested or was empty that day, or when the quarantined share of any table passes",
      "--max-quarantine-share. With --input, first checks that every required input table and",
      "column is present there (without reading the rows)."
    })
public final class CheckCommand implements Callable<Integer> {
  @Mixin ConfigOption config;

  @Mixin WarehouseOption warehouse;

  @Option(
      names = "--as-of",
      paramLabel = "DATE",
      description = "Day to check (default: the latest day ingested).")
  String asOf;

  @Option(
      names = "--max-quarantine-share",
      paramLabel = "F",
      defaultValue = "0.05",
      description =
          "Largest accepted share of a table's rows quarantined, 0..1 (default: ${DEFAULT-VALUE}).")
  double maxShare;

  @Option(
      names = "--input",
      paramLabel = "DIR",
      description = "Also check that the input folder holds every required table and column.")
  String input;

  @Option(names = "--verbose", description = "Show Spark's own logging.")
  boolean verbose;

  @Override
  public Integer call() {
    if (!(maxShare >= 0 && maxShare <= 1)) {
      throw new UsageException(
          "Invalid --max-quarantine-share: " + maxShare + " (a fraction from 0 to 1)");
    }
    java.time.LocalDate day = CommonOptions.parseDate("--as-of", asOf);
    SparkSession spark = io.unmask.common.SparkSessions.create("unmask check");
    if (input != null) {
      System.out.println(
          "check      input " + String.join(", ", IngestJob.locateInputs(spark, input)) + " ok");
    }
    QualityGate.Verdict v = QualityGate.check(spark, warehouse.dir, day, maxShare);
    QualityGate.lines(v).forEach(System.out::println);
    if (!v.passed()) {
      throw new QualityGate.Failed(v);
    }
    System.out.printf("check      %s passed%n", v.asOf());
    return 0;
  }
}
