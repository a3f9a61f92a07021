package io.unmask.model;

import static org.apache.spark.sql.functions.*;

import io.unmask.common.Cols;
import io.unmask.common.Progress;
import io.unmask.common.Tables;
import io.unmask.io.DeltaIO;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.regression.IsotonicRegressionModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Chooses the model a run scores with: reuses the current one when the labels have not changed,
 * retrains when they have (or on request), pins a version when asked, and falls back to the
 * documented rule score when there are too few confirmed positives. Every trained version is saved
 * whole (cast, imputation, assembly, classifier) under {@code <warehouse>/_models/<version>} with
 * its isotonic calibration, listed in {@code models}, with its metrics (and those of the baselines
 * measured beside it) in {@code model_metrics}.
 */
public final class ModelJob {
  public static final String RULE_VERSION = "rule-v1";
  public static final String RULE_KIND = "rule_score";

  public static final StructType MODELS =
      new StructType()
          .add(Cols.MODEL_VERSION, DataTypes.StringType, false)
          .add("created_at", DataTypes.TimestampType, false)
          .add("kind", DataTypes.StringType, false)
          .add("n_positive", DataTypes.LongType, false)
          .add("n_genuine", DataTypes.LongType, false)
          .add("n_accounts", DataTypes.LongType, false)
          .add("label_fingerprint", DataTypes.StringType, false)
          .add("features", DataTypes.StringType, false)
          .add("path", DataTypes.StringType, true)
          .add(Cols.AS_OF, DataTypes.DateType, false);

  public static final StructType METRICS =
      new StructType()
          .add(Cols.MODEL_VERSION, DataTypes.StringType, false)
          .add("model", DataTypes.StringType, false)
          .add("metric", DataTypes.StringType, false)
          .add("value", DataTypes.DoubleType, true)
          .add(Cols.AS_OF, DataTypes.DateType, false);

  /**
   * @param retrain train even when the labels are unchanged
   * @param pinnedVersion score with this saved version (null: choose)
   * @param minPositives below this many confirmed positives, use the rule score
   */
  public record Options(
      boolean retrain, String pinnedVersion, int minPositives, Trainer.Settings settings) {
    public static Options defaults() {
      return new Options(false, null, 20, Trainer.Settings.defaults());
    }
  }

  /** The model a run scores with. {@code pipeline} is null for the rule score. */
  public record Choice(
      String kind,
      String version,
      List<String> features,
      PipelineModel pipeline,
      IsotonicRegressionModel calibration) {
    public boolean isRule() {
      return pipeline == null;
    }
  }

  private ModelJob() {}

  static String fingerprint(Dataset<Row> latestLabels) {
    Row r =
        latestLabels
            .agg(
                sha2(
                        concat_ws(
                            ",",
                            sort_array(
                                collect_list(
                                    concat(
                                        col(Cols.ACCOUNT_ID),
                                        lit(":"),
                                        col(ModelInputs.LABEL).cast("string"))))),
                        256)
                    .substr(1, 16))
            .first();
    return r.isNullAt(0) ? "none" : r.getString(0);
  }

  public static Choice run(
      SparkSession spark,
      String warehouse,
      LocalDate asOf,
      Dataset<Row> features,
      Dataset<Row> labels,
      List<String> featureCols,
      Options o,
      Progress progress) {
    progress.start("model");
    Dataset<Row> latest = ModelInputs.latestLabels(labels).cache();
    String fp = fingerprint(latest);
    Row counts =
        latest
            .agg(
                sum(when(col(ModelInputs.LABEL).equalTo(1), 1).otherwise(0)),
                sum(when(col(ModelInputs.LABEL).equalTo(0), 1).otherwise(0)))
            .first();
    long positives = counts.isNullAt(0) ? 0 : counts.getLong(0);
    long genuine = counts.isNullAt(1) ? 0 : counts.getLong(1);
    String featureList = String.join(",", featureCols);

    if (o.pinnedVersion() != null) {
      Choice c = load(spark, warehouse, o.pinnedVersion());
      progress.done(positives, "confirmed positives; pinned model " + c.version());
      return c;
    }
    if (positives < o.minPositives()) {
      String v =
          RULE_VERSION
              + " (rule score: "
              + positives
              + " confirmed < "
              + o.minPositives()
              + " needed to train)";
      progress.done(positives, "confirmed positives; scoring with the rule score");
      return new Choice(RULE_KIND, v, featureCols, null, null);
    }
    if (!o.retrain() && DeltaIO.exists(spark, warehouse, Tables.MODELS)) {
      List<Row> same =
          DeltaIO.read(spark, warehouse, Tables.MODELS)
              .filter(
                  col("label_fingerprint")
                      .equalTo(fp)
                      .and(col("features").equalTo(featureList))
                      .and(col("label_fingerprint").isNotNull()))
              .orderBy(col("created_at").desc())
              .limit(1)
              .collectAsList();
      if (!same.isEmpty()) {
        Choice c = load(spark, warehouse, same.get(0).getString(0));
        progress.done(positives, "confirmed positives; labels unchanged, reusing " + c.version());
        return c;
      }
    }
    Dataset<Row> data =
        features
            .join(latest, Cols.ACCOUNT_ID, "left")
            .withColumn(
                ModelInputs.GROUP,
                List.of(features.columns()).contains(Cols.CLUSTER_ID)
                    ? coalesce(col(Cols.CLUSTER_ID), col(Cols.ACCOUNT_ID))
                    : col(Cols.ACCOUNT_ID));
    long total = data.count();
    Dataset<Row> prepared =
        Trainer.prepare(data, positives, total, o.settings())
            .persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
    Trainer.Fitted gbt = Trainer.fit(Trainer.Kind.GBT, prepared, featureCols, o.settings());
    Trainer.Fitted lr = Trainer.fit(Trainer.Kind.LOGISTIC, prepared, featureCols, o.settings());
    Dataset<Row> ruled =
        List.of(prepared.columns()).contains(ModelInputs.RULE_SCORE)
            ? prepared.withColumn("_rule", col(ModelInputs.RULE_SCORE))
            : RuleScore.score(prepared, "_rule", "_rule_terms");
    Map<String, Double> ruleMetrics = Trainer.metrics(ruled, "_rule", ModelInputs.TARGET);
    prepared.unpersist();

    // The main model is the one with the best out-of-fold average precision on the labels:
    // with few labels that is often the simpler one.
    double apGbt = gbt.metrics().getOrDefault("average_precision", 0.0);
    double apLr = lr.metrics().getOrDefault("average_precision", 0.0);
    double apRule = ruleMetrics.getOrDefault("average_precision", 0.0);
    String kind =
        apGbt >= apLr && apGbt >= apRule
            ? Trainer.Kind.GBT.id
            : apLr >= apRule ? Trainer.Kind.LOGISTIC.id : RULE_KIND;
    Trainer.Fitted main = kind.equals(Trainer.Kind.LOGISTIC.id) ? lr : gbt;
    String version =
        (kind.equals(RULE_KIND) ? "rule-v1" : kind.equals(Trainer.Kind.GBT.id) ? "gbt" : "lr")
            + "-"
            + DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss")
                .format(Instant.now().atOffset(ZoneOffset.UTC))
            + "-"
            + fp.substring(0, Math.min(8, fp.length()));
    String dir = Tables.path(Tables.path(warehouse, Tables.MODEL_DIR), version);
    try {
      main.pipeline().write().overwrite().save(dir + "/pipeline");
      main.calibration().write().overwrite().save(dir + "/calibration");
      gbt.pipeline().write().overwrite().save(dir + "/gbt");
      lr.pipeline().write().overwrite().save(dir + "/baseline_logistic_regression");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot save model " + version, e);
    }
    java.sql.Date day = java.sql.Date.valueOf(asOf);
    List<Row> metricRows = new ArrayList<>();
    gbt.metrics()
        .forEach(
            (k, v) -> metricRows.add(RowFactory.create(version, Trainer.Kind.GBT.id, k, v, day)));
    lr.metrics()
        .forEach(
            (k, v) ->
                metricRows.add(RowFactory.create(version, Trainer.Kind.LOGISTIC.id, k, v, day)));
    ruleMetrics.forEach((k, v) -> metricRows.add(RowFactory.create(version, RULE_KIND, k, v, day)));
    append(spark.createDataFrame(metricRows, METRICS), warehouse, Tables.MODEL_METRICS);
    append(
        spark.createDataFrame(
            List.of(
                RowFactory.create(
                    version,
                    Timestamp.from(Instant.now()),
                    kind,
                    positives,
                    genuine,
                    total,
                    fp,
                    featureList,
                    dir,
                    day)),
            MODELS),
        warehouse,
        Tables.MODELS);
    progress.done(
        positives,
        String.format(
            java.util.Locale.ROOT,
            "confirmed positives; trained %s, main model %s (out-of-fold AP: gbt %.3f, logistic"
                + " %.3f, rule %.3f)",
            version,
            kind,
            apGbt,
            apLr,
            apRule));
    return kind.equals(RULE_KIND)
        ? new Choice(RULE_KIND, version, featureCols, null, null)
        : new Choice(kind, version, featureCols, main.pipeline(), main.calibration());
  }

  private static void append(Dataset<Row> rows, String warehouse, String table) {
    rows.write().format("delta").mode("append").save(Tables.path(warehouse, table));
  }

  /** Loads a saved version (pipeline, calibration and feature list) named in {@code models}. */
  public static Choice load(SparkSession spark, String warehouse, String version) {
    List<Row> rows =
        DeltaIO.exists(spark, warehouse, Tables.MODELS)
            ? DeltaIO.read(spark, warehouse, Tables.MODELS)
                .filter(col(Cols.MODEL_VERSION).equalTo(version))
                .limit(1)
                .collectAsList()
            : List.of();
    if (rows.isEmpty()) {
      throw new IllegalArgumentException(
          "Invalid --model-version: " + version + " is not in the models table");
    }
    Row r = rows.get(0);
    String dir = r.getAs("path");
    List<String> feats = List.of(r.<String>getAs("features").split(","));
    String kind = r.getAs("kind");
    if (kind.equals(RULE_KIND)) {
      return new Choice(RULE_KIND, version, feats, null, null);
    }
    return new Choice(
        kind,
        version,
        feats,
        PipelineModel.load(dir + "/pipeline"),
        IsotonicRegressionModel.load(dir + "/calibration"));
  }
}
