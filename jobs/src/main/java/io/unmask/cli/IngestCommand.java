package io.unmask.cli;

import io.unmask.common.Progress;
import io.unmask.ingest.IngestJob;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ingest}: the contract tables under --input to clean Delta tables plus quarantine. */
@Command(
    name = "ingest",
    mixinStandardHelpOptions = true,
    description = {
      "Reads the contract tables under --input (CSV, JSON Lines, Parquet or Delta), enforces the",
      "contract, and writes profiles, logins, payments, labels, quarantine, ingest_report,",
      "ip_ranges and sanctioned_addresses as Delta tables under --warehouse."
    })
public final class IngestCommand implements Callable<Integer> {
  @Mixin ConfigOption config;

  @Mixin CommonOptions common;

  @Option(names = "--input", required = true, paramLabel = "DIR", description = "Input folder.")
  String input;

  @Mixin WarehouseOption warehouse;

  @Option(
      names = "--as-of",
      paramLabel = "DATE",
      description = "Day the run describes (default: the last event day in the data).")
  String asOf;

  @Mixin IngestOptions ingest;

  @Override
  public Integer call() {
    IngestJob.Options o =
        ingest.options(
            input, warehouse.dir, CommonOptions.parseDate("--as-of", asOf), common.runId());
    SparkSession spark = Sessions.open("unmask ingest");
    Progress p = common.progress(spark);
    try {
      IngestJob.Result r = IngestJob.run(spark, o, p);
      p.info(IngestJob.format(r));
    } finally {
      io.unmask.io.RunLock.releaseAll(spark.sparkContext().hadoopConfiguration());
    }
    return 0;
  }
}
