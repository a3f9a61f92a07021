package io.unmask.pipeline;

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
import io.unmask.score.ScoringJob;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Every stage end to end, in order: ingest, features (with linking), model (train, reuse or the
 * rule score), scoring. The one place the stages are chained: {@code pipeline} and the pipeline
 * benchmark both call it.
 */
public final class PipelineJob {
  private PipelineJob() {}

  /** What a run did: the ingest figures, the day, the model, and feature-stage seconds. */
  public record Result(
      IngestJob.Result ingest, LocalDate asOf, ModelJob.Choice model, double featuresSeconds) {}

  public static Result run(
      SparkSession spark,
      IngestJob.Options ingest,
      FeatureConfig features,
      ModelJob.Options model,
      Progress p) {
    String warehouse = ingest.warehouse();
    IngestJob.Result r = IngestJob.run(spark, ingest, p);
    p.info(IngestJob.format(r));
    LocalDate d = r.asOf();
    long f0 = System.nanoTime();
    FeaturesJob.run(spark, warehouse, d, features, p);
    double featureSeconds = (System.nanoTime() - f0) / 1e9;
    Dataset<Row> rows = dayOf(spark, warehouse, Tables.ACCOUNT_FEATURES, d);
    Dataset<Row> labels =
        DeltaIO.exists(spark, warehouse, Tables.LABELS)
            ? dayOf(spark, warehouse, Tables.LABELS, d)
            : spark
                .emptyDataFrame()
                .select(
                    lit(null).cast("string").as(Cols.ACCOUNT_ID),
                    lit(null).cast("int").as(Cols.LABEL),
                    lit(null).cast("timestamp").as(Cols.LABELED_AT));
    Dataset<Row> modelInput = RuleScore.score(rows, ModelInputs.RULE_SCORE, "_rule_contrib");
    List<String> featureCols = ModelInputs.present(modelInput, List.of(ModelInputs.RULE_SCORE));
    ModelJob.Choice choice =
        ModelJob.run(spark, warehouse, d, modelInput, labels, featureCols, model, p);
    ScoringJob.run(
        spark,
        warehouse,
        d,
        ingest.runId(),
        rows,
        dayOf(spark, warehouse, Tables.PROFILES, d),
        choice,
        p);
    return new Result(r, d, choice, featureSeconds);
  }

  /** One day's rows of a warehouse table. */
  public static Dataset<Row> dayOf(
      SparkSession spark, String warehouse, String table, LocalDate d) {
    return DeltaIO.read(spark, warehouse, table)
        .filter(col(Cols.AS_OF).equalTo(lit(java.sql.Date.valueOf(d))));
  }
}
