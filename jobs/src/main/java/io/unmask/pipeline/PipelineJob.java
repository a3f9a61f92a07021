package io.unmask.pipeline;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.unmask.common.Cols;
import io.unmask.common.Progress;
import io.unmask.common.Schemas;
import io.unmask.common.Tables;
import io.unmask.features.FeatureConfig;
import io.unmask.ingest.IngestJob;
import io.unmask.io.DeltaIO;
import io.unmask.linking.LinkingConfig;
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

  /** The settings of the stages after ingest, as a team sets them once (see --config). */
  public record Settings(FeatureConfig features, LinkingConfig linking, ModelJob.Options model) {
    public static Settings defaults() {
      return new Settings(
          FeatureConfig.defaults(), LinkingConfig.defaults(), ModelJob.Options.defaults());
    }
  }

  /** As {@link #run(SparkSession, IngestJob.Options, Settings, Progress)} with default linking. */
  public static Result run(
      SparkSession spark,
      IngestJob.Options ingest,
      FeatureConfig features,
      ModelJob.Options model,
      Progress p) {
    return run(spark, ingest, new Settings(features, LinkingConfig.defaults(), model), p);
  }

  /** Ingests {@code ingest.input()} for its day, then {@link #analyse} that day. */
  public static Result run(
      SparkSession spark, IngestJob.Options ingest, Settings settings, Progress p) {
    IngestJob.Result r = IngestJob.run(spark, ingest, p);
    p.info(IngestJob.format(r));
    Analysis a = analyse(spark, ingest.warehouse(), r.asOf(), ingest.runId(), settings, p);
    return new Result(r, r.asOf(), a.model(), a.featuresSeconds());
  }

  /** What the stages after ingest did: the model scored with and the feature-stage seconds. */
  public record Analysis(LocalDate asOf, ModelJob.Choice model, double featuresSeconds) {}

  /**
   * Linking, features, model and scoring of a day already ingested into {@code warehouse}: what a
   * scheduler runs after its own ingest and quality gate ({@code pipeline --skip-ingest}).
   *
   * @throws IngestJob.InputException when the day has not been ingested
   */
  public static Analysis analyse(
      SparkSession spark,
      String warehouse,
      LocalDate d,
      String runId,
      Settings settings,
      Progress p) {
    requireIngested(spark, warehouse, d);
    io.unmask.io.RunLock.hold(spark.sparkContext().hadoopConfiguration(), warehouse, d, runId);
    long f0 = System.nanoTime();
    FeaturesStage.run(spark, warehouse, d, settings.features(), settings.linking(), p);
    double featureSeconds = (System.nanoTime() - f0) / 1e9;
    Dataset<Row> rows = dayOf(spark, warehouse, Tables.ACCOUNT_FEATURES, d);
    Dataset<Row> labels = io.unmask.review.Labels.effectiveOrEmpty(spark, warehouse, d);
    Dataset<Row> modelInput = RuleScore.score(rows, ModelInputs.RULE_SCORE, "_rule_contrib");
    List<String> featureCols = ModelInputs.present(modelInput, List.of(ModelInputs.RULE_SCORE));
    Dataset<Row> links =
        DeltaIO.exists(spark, warehouse, Tables.ACCOUNT_LINKS)
            ? dayOf(spark, warehouse, Tables.ACCOUNT_LINKS, d)
            : null;
    ModelJob.Choice choice =
        ModelJob.run(
            spark, warehouse, d, modelInput, labels, links, featureCols, settings.model(), p);
    ScoringJob.run(
        spark,
        warehouse,
        d,
        runId,
        rows,
        io.unmask.io.Inputs.profiles(spark, warehouse, d),
        choice,
        p);
    return new Analysis(d, choice, featureSeconds);
  }

  /** Fails with a clear cause unless every required input table was ingested for {@code d}. */
  static void requireIngested(SparkSession spark, String warehouse, LocalDate d) {
    io.unmask.ingest.Store.requireCurrentLayout(spark, warehouse);
    if (!DeltaIO.exists(spark, warehouse, Tables.INGEST_REPORT)) {
      throw new IngestJob.InputException(
          "Nothing ingested in " + warehouse + ": run ingest (or pipeline without --skip-ingest)");
    }
    java.util.Set<String> present =
        new java.util.HashSet<>(
            dayOf(spark, warehouse, Tables.INGEST_REPORT, d)
                .select(Cols.SOURCE_TABLE)
                .distinct()
                .as(org.apache.spark.sql.Encoders.STRING())
                .collectAsList());
    List<String> missing =
        Schemas.INPUTS.stream()
            .filter(Schemas.TableSpec::required)
            .map(Schemas.TableSpec::name)
            .filter(t -> !present.contains(t))
            .toList();
    if (!missing.isEmpty()) {
      throw new IngestJob.InputException(
          "Day "
              + d
              + " has not been ingested into "
              + warehouse
              + " (no "
              + String.join(", ", missing)
              + "): run ingest --as-of "
              + d
              + " first");
    }
  }

  /** One day's rows of a warehouse table. */
  public static Dataset<Row> dayOf(
      SparkSession spark, String warehouse, String table, LocalDate d) {
    return DeltaIO.read(spark, warehouse, table)
        .filter(col(Cols.AS_OF).equalTo(lit(java.sql.Date.valueOf(d))));
  }
}
