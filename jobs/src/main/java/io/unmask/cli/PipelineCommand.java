package io.unmask.cli;

import io.unmask.common.Progress;
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
  @Mixin ConfigOption config;

  @Mixin CommonOptions common;

  @Option(
      names = "--input",
      paramLabel = "DIR",
      description = "Input folder (required unless --skip-ingest).")
  String input;

  @Option(
      names = "--skip-ingest",
      description = {
        "Run linking, features, model and scoring on the --as-of day already ingested (by",
        "'ingest' and gated by 'check', as the Airflow DAG does)."
      })
  boolean skipIngest;

  @Mixin TuningOptions tuning;

  @Mixin WarehouseOption warehouse;

  @Option(
      names = "--as-of",
      paramLabel = "DATE",
      description = "Day the run describes (default: the last event day in the data).")
  String asOf;

  @Mixin IngestOptions ingest;

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
    if (skipIngest && day == null) {
      throw new UsageException("Invalid --skip-ingest: needs --as-of, the day already ingested");
    }
    if (skipIngest && input != null) {
      throw new UsageException("Invalid --skip-ingest: --input is not read; give one or the other");
    }
    if (!skipIngest && input == null) {
      throw new UsageException("Invalid --input: missing (required unless --skip-ingest)");
    }
    IngestJob.Options ingestOptions = ingest.options(input, warehouse.dir, day, common.runId());
    PipelineJob.Settings settings =
        new PipelineJob.Settings(
            tuning.features(),
            tuning.linking(),
            new ModelJob.Options(retrain, modelVersion, minPositives, Trainer.Settings.defaults()));
    SparkSession spark = Sessions.open("unmask pipeline");
    Progress p = common.progress(spark);
    try {
      if (skipIngest) {
        PipelineJob.analyse(spark, warehouse.dir, day, common.runId(), settings, p);
      } else {
        PipelineJob.run(spark, ingestOptions, settings, p);
      }
    } finally {
      io.unmask.io.RunLock.releaseAll(spark.sparkContext().hadoopConfiguration());
    }
    return 0;
  }
}
