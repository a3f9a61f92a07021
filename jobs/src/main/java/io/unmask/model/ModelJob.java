package io.unmask.model;

import static org.apache.spark.sql.functions.*;

import io.unmask.common.Cols;
import io.unmask.common.Concurrently;
import io.unmask.common.Lineage;
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
import org.apache.spark.ml.util.MLWritable;
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

  /**
   * The model a run scores with: the first stage's fold models (an account is scored by the model
   * of its fold), the second stage's fold models over the linked accounts (null for a one-stage
   * model) and the calibration of the final score. {@code stage1} is null for the rule score.
   */
  public record Choice(
      String kind,
      String version,
      List<String> features,
      List<PipelineModel> stage1,
      List<PipelineModel> stage2,
      IsotonicRegressionModel calibration) {
    public boolean isRule() {
      return stage1 == null;
    }
  }

  /** Kind of the two-stage model: first stage (trees or logistic) plus the graph stage. */
  public static final String STACKED_KIND = "graph_stacked"; // = Trainer.Kind.GRAPH.id

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

  /**
   * As {@link #run(SparkSession, String, LocalDate, Dataset, Dataset, Dataset, List, Options,
   * Progress)} without links.
   */
  public static Choice run(
      SparkSession spark,
      String warehouse,
      LocalDate asOf,
      Dataset<Row> features,
      Dataset<Row> labels,
      List<String> featureCols,
      Options o,
      Progress progress) {
    return run(spark, warehouse, asOf, features, labels, null, featureCols, o, progress);
  }

  /**
   * @param links the day's account_links (null: none); the second stage reads them
   */
  public static Choice run(
      SparkSession spark,
      String warehouse,
      LocalDate asOf,
      Dataset<Row> features,
      Dataset<Row> labels,
      Dataset<Row> links,
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
      return new Choice(RULE_KIND, v, featureCols, null, null, null);
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
    Candidates cands = train(features, latest, links, featureCols, positives, o.settings());
    Trainer.Fitted gbt = cands.gbt();
    Trainer.Fitted lr = cands.lr();
    Trainer.Fitted first = cands.first();
    Trainer.Fitted stacked = cands.stacked();
    Map<String, Double> ruleMetrics = cands.ruleMetrics();
    long total = cands.total();
    Map<String, Map<String, Double>> byKind = new java.util.LinkedHashMap<>();
    byKind.put(STACKED_KIND, stacked.metrics());
    byKind.put(Trainer.Kind.GBT.id, gbt.metrics());
    byKind.put(Trainer.Kind.LOGISTIC.id, lr.metrics());
    if (positives < TRAINED_ONLY_POSITIVES) {
      byKind.put(RULE_KIND, ruleMetrics);
    }
    String kind = choose(byKind);
    Trainer.Fitted stage1 =
        kind.equals(STACKED_KIND) ? first : kind.equals(Trainer.Kind.LOGISTIC.id) ? lr : gbt;
    Trainer.Fitted stage2 = kind.equals(STACKED_KIND) ? stacked : null;
    IsotonicRegressionModel calibration =
        stage2 != null ? stage2.calibration() : stage1.calibration();
    String version =
        (switch (kind) {
              case RULE_KIND -> "rule-v1";
              case STACKED_KIND -> "graph";
              default -> kind.equals(Trainer.Kind.GBT.id) ? "gbt" : "lr";
            })
            + "-"
            + DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss")
                .format(Instant.now().atOffset(ZoneOffset.UTC))
            + "-"
            + fp.substring(0, Math.min(8, fp.length()));
    String dir = Tables.path(Tables.path(warehouse, Tables.MODEL_DIR), version);
    io.unmask.common.Faults.beforeWrites(spark, "model");
    Map<String, MLWritable> parts = new java.util.LinkedHashMap<>();
    for (int k = 0; k < stage1.folds().size(); k++) {
      parts.put("stage1/fold-" + k, stage1.folds().get(k));
    }
    for (int k = 0; stage2 != null && k < stage2.folds().size(); k++) {
      parts.put("stage2/fold-" + k, stage2.folds().get(k));
    }
    parts.put("calibration", calibration);
    // One fold model of each kind, for importances (report) and the baseline (evaluate).
    parts.put("pipeline", stage1.folds().get(0));
    parts.put("gbt", gbt.folds().get(0));
    parts.put("baseline_logistic_regression", lr.folds().get(0));
    save(parts, dir, version);
    java.sql.Date day = java.sql.Date.valueOf(asOf);
    List<Row> metricRows = new ArrayList<>();
    gbt.metrics()
        .forEach(
            (k, v) -> metricRows.add(RowFactory.create(version, Trainer.Kind.GBT.id, k, v, day)));
    lr.metrics()
        .forEach(
            (k, v) ->
                metricRows.add(RowFactory.create(version, Trainer.Kind.LOGISTIC.id, k, v, day)));
    stacked
        .metrics()
        .forEach((k, v) -> metricRows.add(RowFactory.create(version, STACKED_KIND, k, v, day)));
    ruleMetrics.forEach((k, v) -> metricRows.add(RowFactory.create(version, RULE_KIND, k, v, day)));
    cands.release();
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
            "confirmed positives; trained %s, main model %s (out-of-fold ROC AUC on the labels:"
                + " two-stage %.3f, gbt %.3f, logistic %.3f, rule %.3f)",
            version,
            kind,
            auc(stacked.metrics()),
            auc(gbt.metrics()),
            auc(lr.metrics()),
            auc(ruleMetrics)));
    return kind.equals(RULE_KIND)
        ? new Choice(RULE_KIND, version, featureCols, null, null, null)
        : new Choice(
            kind,
            version,
            featureCols,
            stage1.folds(),
            stage2 == null ? null : stage2.folds(),
            calibration);
  }

  /**
   * From this many confirmed positives on, a trained model is always the main model (the rule
   * score's figures are still written). The comparison on the labels is biased towards the rule:
   * its terms are the tells that led investigators to the accounts they confirmed, so the confirmed
   * accounts are the ones it ranks best. Measured against the truth of the generator's standard and
   * realistic scenarios (20,000 accounts, 70 and 102 confirmed) the trained models ranked the
   * unlabelled accounts better than the rule score every time, while the rule had the best figures
   * on the labels.
   */
  static final long TRAINED_ONLY_POSITIVES = 50;

  /** Differences of out-of-fold ROC AUC that a few hundred confirmed accounts cannot resolve. */
  static final double AUC_TOLERANCE = 0.005;

  static double auc(Map<String, Double> m) {
    Double v = m.get("roc_auc");
    return v == null || v.isNaN() ? 0.0 : v;
  }

  /**
   * The main model: the best out-of-fold ROC AUC of confirmed positives against every other
   * account, preferring, within {@link #AUC_TOLERANCE} of the best, the earlier of {@code byKind}'s
   * order (two-stage, trees, logistic, rule). ROC AUC, not average precision: most concealed
   * accounts carry no label, and AP on the labels counts every unlabelled concealed account a model
   * ranks above a confirmed one as a false alarm, so it rewards the ranking that finds only what
   * investigators already found (the rule score, whose terms are the tells that led to the labels).
   * A positive-unlabeled AUC is an increasing function of the AUC against the truth when the
   * confirmed accounts are a fair sample of the concealed ones.
   */
  static String choose(Map<String, Map<String, Double>> byKind) {
    double best = byKind.values().stream().mapToDouble(ModelJob::auc).max().orElse(0.0);
    return byKind.entrySet().stream()
        .filter(e -> auc(e.getValue()) >= best - AUC_TOLERANCE)
        .findFirst()
        .orElseThrow()
        .getKey();
  }

  /**
   * Every candidate of one training, cross-fitted on the same folds: trees and logistic regression
   * on the account's own features, the second stage over the better one's out-of-fold scores, and
   * the rule score's figures. {@code prepared} and {@code second} (and each candidate's out-of-fold
   * frame) are materialised: the caller frees them with {@link #release}.
   */
  public record Candidates(
      Trainer.Fitted gbt,
      Trainer.Fitted lr,
      Trainer.Fitted first,
      Trainer.Fitted stacked,
      Map<String, Double> ruleMetrics,
      Dataset<Row> prepared,
      Dataset<Row> second,
      long total) {
    /** Frees the materialised inputs and out-of-fold frames. */
    public void release() {
      for (Dataset<Row> d : List.of(gbt.oof(), lr.oof(), stacked.oof(), second, prepared)) {
        Lineage.release(d);
      }
    }
  }

  /**
   * @param latest account_id, label: the latest label per account
   * @param links the day's account_links (null: none)
   */
  public static Candidates train(
      Dataset<Row> features,
      Dataset<Row> latest,
      Dataset<Row> links,
      List<String> featureCols,
      long positives,
      Trainer.Settings settings) {
    Dataset<Row> data =
        ModelInputs.cleared(features)
            .join(latest, Cols.ACCOUNT_ID, "left")
            .withColumn(
                ModelInputs.GROUP,
                List.of(features.columns()).contains(Cols.CLUSTER_ID)
                    ? coalesce(col(Cols.CLUSTER_ID), col(Cols.ACCOUNT_ID))
                    : col(Cols.ACCOUNT_ID));
    // Materialised once, before the fits below read it side by side, as a plan of one scan: each
    // fit analyses its input's plan many times over (imputer, assembler, summaries, transforms),
    // and over the features' own plan of some 300 derived columns that analysis, on the driver,
    // took longer than the fits' Spark jobs.
    Dataset<Row> read = Lineage.cut(data);
    long total = read.count();
    // and in one layout, so that the same features give the same models (Trainer.laidOut)
    data = Lineage.cut(Trainer.laidOut(read, total));
    Lineage.release(read);
    Dataset<Row> prepared = Trainer.prepare(data, positives, total, settings);
    // Trees and logistic regression are fitted side by side (and each one's folds, see
    // Trainer.fit): each is the same model as when fitted alone.
    List<Trainer.Fitted> firsts =
        Concurrently.all(
            List.<java.util.function.Supplier<Trainer.Fitted>>of(
                () -> Trainer.fit(Trainer.Kind.GBT, prepared, featureCols, settings),
                () -> Trainer.fit(Trainer.Kind.LOGISTIC, prepared, featureCols, settings)));
    Trainer.Fitted gbt = firsts.get(0);
    Trainer.Fitted lr = firsts.get(1);
    Dataset<Row> ruled =
        List.of(prepared.columns()).contains(ModelInputs.RULE_SCORE)
            ? prepared.withColumn("_rule", col(ModelInputs.RULE_SCORE))
            : RuleScore.score(prepared, "_rule", "_rule_terms");
    Map<String, Double> ruleMetrics = Trainer.metrics(ruled, "_rule", ModelInputs.TARGET);

    // Second stage: the better first stage's out-of-fold scores of the linked accounts, and the
    // labels around each account, on the same folds.
    Trainer.Fitted first = auc(gbt.metrics()) >= auc(lr.metrics()) ? gbt : lr;
    Dataset<Row> graph =
        GraphFeatures.compute(first.oof(), Trainer.OOF, Trainer.OOF_MARGIN, links, latest)
            .drop(Trainer.OOF);
    Dataset<Row> second =
        prepared
            .select(
                col(Cols.ACCOUNT_ID),
                col(ModelInputs.GROUP),
                col(ModelInputs.FOLD),
                col(ModelInputs.TARGET),
                col(ModelInputs.WEIGHT),
                col(ModelInputs.LABEL),
                GraphFeatures.ruleLogit(prepared).as(GraphFeatures.RULE_LOGIT))
            .join(graph, Cols.ACCOUNT_ID);
    second = Lineage.cut(Trainer.laidOut(second, total));
    Trainer.Fitted stacked =
        Trainer.fit(Trainer.Kind.GRAPH, second, GraphFeatures.COLUMNS, settings);
    return new Candidates(gbt, lr, first, stacked, ruleMetrics, prepared, second, total);
  }

  /**
   * Saves the parts of a version side by side: each part is a pipeline of several stages, each
   * stage a few one-task Spark jobs (metadata, then data), so one after another they left the cores
   * idle for most of ten seconds.
   */
  private static void save(Map<String, MLWritable> parts, String dir, String version) {
    List<java.util.function.Supplier<Void>> saves = new ArrayList<>();
    parts.forEach(
        (name, part) ->
            saves.add(
                () -> {
                  try {
                    part.write().overwrite().save(dir + "/" + name);
                    return null;
                  } catch (IOException e) {
                    throw new UncheckedIOException("Cannot save model " + version, e);
                  }
                }));
    Concurrently.all(saves);
  }

  private static void append(Dataset<Row> rows, String warehouse, String table) {
    DeltaIO.retryingConflicts(
        () -> rows.write().format("delta").mode("append").save(Tables.path(warehouse, table)));
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
      return new Choice(RULE_KIND, version, feats, null, null, null);
    }
    List<PipelineModel> stage1 = folds(dir + "/stage1");
    if (stage1.isEmpty()) {
      stage1 = List.of(PipelineModel.load(dir + "/pipeline")); // versions before cross-fitting
    }
    List<PipelineModel> stage2 = folds(dir + "/stage2");
    return new Choice(
        kind,
        version,
        feats,
        stage1,
        stage2.isEmpty() ? null : stage2,
        IsotonicRegressionModel.load(dir + "/calibration"));
  }

  private static List<PipelineModel> folds(String dir) {
    List<PipelineModel> out = new ArrayList<>();
    org.apache.hadoop.fs.Path base = new org.apache.hadoop.fs.Path(dir);
    try {
      org.apache.hadoop.fs.FileSystem fs =
          base.getFileSystem(SparkSession.active().sparkContext().hadoopConfiguration());
      for (int k = 0; fs.exists(new org.apache.hadoop.fs.Path(base, "fold-" + k)); k++) {
        out.add(PipelineModel.load(dir + "/fold-" + k));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read model folder " + dir, e);
    }
    return out;
  }
}
