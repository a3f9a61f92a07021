package io.unmask.cli;

import io.unmask.common.Progress;
import io.unmask.features.FeatureConfig;
import io.unmask.features.FeaturesJob;
import io.unmask.ingest.IngestJob;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pipeline}: every stage end to end, one line per stage. */
@Command(
    name = "pipeline",
    mixinStandardHelpOptions = true,
    description = {
      "Runs every stage on --input: ingest, features (then linking, model and scoring as they",
      "are built), writing Delta tables under --warehouse. A rerun of one --as-of replaces",
      "that day's rows."
    })
public final class PipelineCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(names = "--input", required = true, paramLabel = "DIR", description = "Input folder.")
  String input;

  @Option(
      names = "--warehouse",
      required = true,
      paramLabel = "DIR",
      description = "Where the Delta tables live.")
  String warehouse;

  @Option(
      names = "--as-of",
      paramLabel = "DATE",
      description = "Day the run describes (default: the last event day in the data).")
  String asOf;

  @Option(
      names = "--replace-reference",
      description = "A user's ip_ranges / sanctioned_addresses replace the shipped lists.")
  boolean replaceReference;

  @Override
  public Integer call() {
    SparkSession spark = Sessions.open("unmask pipeline");
    Progress p = Progress.stdout();
    IngestJob.Result r =
        IngestJob.run(
            spark,
            new IngestJob.Options(
                input,
                warehouse,
                CommonOptions.parseDate("--as-of", asOf),
                common.runId(),
                replaceReference),
            p);
    p.info(IngestJob.format(r));
    FeaturesJob.run(spark, warehouse, r.asOf(), FeatureConfig.defaults(), p);
    return 0;
  }
}
