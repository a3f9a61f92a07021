package io.unmask.cli;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.unmask.common.Cols;
import io.unmask.common.Progress;
import io.unmask.common.Tables;
import io.unmask.features.FeatureConfig;
import io.unmask.features.FeaturesJob;
import io.unmask.ingest.IngestJob;
import io.unmask.io.DeltaIO;
import io.unmask.model.ModelInputs;
import io.unmask.model.ModelJob;
import io.unmask.model.RuleScore;
import io.unmask.model.Trainer;
import io.unmask.score.ScoringJob;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
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
    Progress p = Progress.stdout();
    IngestJob.Result r =
        IngestJob.run(
            spark,
            new IngestJob.Options(input, warehouse.dir, day, common.runId(), replaceReference),
            p);
    p.info(IngestJob.format(r));
    LocalDate d = r.asOf();
    FeaturesJob.run(spark, warehouse.dir, d, FeatureConfig.defaults(), p);
    Dataset<Row> features = dayOf(spark, Tables.ACCOUNT_FEATURES, d);
    Dataset<Row> labels =
        DeltaIO.exists(spark, warehouse.dir, Tables.LABELS)
            ? dayOf(spark, Tables.LABELS, d)
            : spark
                .emptyDataFrame()
                .select(
                    lit(null).cast("string").as(Cols.ACCOUNT_ID),
                    lit(null).cast("int").as(Cols.LABEL),
                    lit(null).cast("timestamp").as(Cols.LABELED_AT));
    Dataset<Row> modelInput = RuleScore.score(features, ModelInputs.RULE_SCORE, "_rule_contrib");
    List<String> featureCols = ModelInputs.present(modelInput, List.of(ModelInputs.RULE_SCORE));
    ModelJob.Choice choice =
        ModelJob.run(
            spark,
            warehouse.dir,
            d,
            modelInput,
            labels,
            featureCols,
            new ModelJob.Options(retrain, modelVersion, minPositives, Trainer.Settings.defaults()),
            p);
    ScoringJob.run(
        spark,
        warehouse.dir,
        d,
        common.runId(),
        features,
        dayOf(spark, Tables.PROFILES, d),
        choice,
        p);
    return 0;
  }

  private Dataset<Row> dayOf(SparkSession spark, String table, LocalDate d) {
    return DeltaIO.read(spark, warehouse.dir, table)
        .filter(col(Cols.AS_OF).equalTo(lit(java.sql.Date.valueOf(d))));
  }
}
