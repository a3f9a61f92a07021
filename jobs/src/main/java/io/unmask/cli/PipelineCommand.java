package io.unmask.cli;

import io.unmask.common.Progress;
import io.unmask.features.FeatureConfig;
import io.unmask.ingest.IngestJob;
import io.unmask.model.ModelJob;
import io.unmask.model.Trainer;
import io.unmask.pipeline.PipelineJob;
import java.time.LocalDate;
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
      "Runs every stage on --input: ingest, features, model (train on the labels or reuse the",
      "current model), scoring; writes Delta tables under --warehouse, risk_scores among them.",
      "A rerun of one --as-of replaces that day's rows."
    })
public final class PipelineCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(names = "--input", required = true, paramLabel = "DIR", description = "Input folder.")
  String input;

  @Mixin WarehouseOption warehouse;

  @Option(
      names = "--as-of",
      paramLabel = "DATE",
      description = "Day the run describes (default: the last event day in the data).")
  String asOf;

  @Option(
      names = "--replace-reference",
      description = "A user's ip_ranges / sanctioned_addresses replace the shipped lists.")
  boolean replaceReference;

  @Option(names = "--retrain", description = "Train a new model even if the labels are unchanged.")
  boolean retrain;

  @Option(
      names = "--model-version",
      paramLabel = "VERSION",
      description = "Score with this saved model version (see the models table).")
  String modelVersion;

  @Option(
      names = "--min-positives",
      paramLabel = "N",
      defaultValue = "20",
      description =
          "Below this many confirmed positives, score with the rule score (default: ${DEFAULT-VALUE}).")
  int minPositives;

  @Override
  public Integer call() {
    if (minPositives < 1) {
      throw new UsageException(
          "Invalid --min-positives: " + minPositives + " (must be at least 1)");
    }
    LocalDate day = CommonOptions.parseDate("--as-of", asOf);
    SparkSession spark = Sessions.open("unmask pipeline");
    PipelineJob.run(
        spark,
        new IngestJob.Options(input, warehouse.dir, day, common.runId(), replaceReference),
        FeatureConfig.defaults(),
        new ModelJob.Options(retrain, modelVersion, minPositives, Trainer.Settings.defaults()),
        Progress.stdout());
    return 0;
  }
}
