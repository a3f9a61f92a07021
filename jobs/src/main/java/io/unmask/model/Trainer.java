package io.unmask.model;

import static org.apache.spark.sql.functions.*;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.GBTClassifier;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.feature.Imputer;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.regression.IsotonicRegression;
import org.apache.spark.ml.regression.IsotonicRegressionModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * Trains the classifiers on what investigators confirmed. Labels are few and skewed, and most
 * accounts carry none: confirmed positives are the target against everything else
 * (positive-unlabeled), confirmed genuine accounts weigh more, positives get the class weight.
 * Folds are drawn by cluster, so members of one ring never sit on both sides; out-of-fold
 * predictions give the metrics and fit the isotonic calibration of the final model.
 */
public final class Trainer {
  public static final String ASSEMBLED = "_features";
  public static final String SCALED = "_scaled";
  public static final String RAW = "_raw_score";
  public static final String OOF = "_oof";

  /** The classifier's margin (log-odds scale), out of fold: it never saturates as 0 or 1 do. */
  public static final String OOF_MARGIN = "_oof_margin";

  /** Kinds of model trained side by side. */
  public enum Kind {
    GBT("gbt"),
    LOGISTIC("logistic_regression"),
    /**
     * The second stage: logistic regression over {@link GraphFeatures#COLUMNS} whose coefficients
     * are signed by meaning (evidence never counts against an account, a confirmed genuine
     * neighbour never for it), so every contribution reads as a reason or a mitigation.
     */
    GRAPH("graph_stacked");

    public final String id;

    Kind(String id) {
      this.id = id;
    }
  }

  /** Settings: folds, trees, depth; confirmed-genuine weight. */
  public record Settings(int folds, int trees, int depth, double genuineWeight, long seed) {
    public static Settings defaults() {
      return new Settings(3, 60, 4, 5.0, 7L);
    }
  }

  /** The fold an account falls in: by its group (cluster), the same at training and scoring. */
  public static Column fold(Column group, int folds) {
    return pmod(xxhash64(group), lit(folds));
  }

  /**
   * A cross-fitted model: one pipeline per fold, each trained on the other folds; the calibration
   * and figures of their out-of-fold predictions; and those predictions ({@code account_id}, {@link
   * #OOF}), materialised: the caller frees them ({@link io.unmask.common.Lineage#release}).
   */
  public record Fitted(
      Kind kind,
      List<PipelineModel> folds,
      IsotonicRegressionModel calibration,
      Map<String, Double> metrics,
      Dataset<Row> oof) {}

  private Trainer() {}

  /** Cast to double, impute missing values (median), assemble; the shared front of each model. */
  static List<PipelineStage> front(List<String> features) {
    StringBuilder sql = new StringBuilder("SELECT *");
    List<String> doubles = new ArrayList<>();
    List<String> imputed = new ArrayList<>();
    for (String f : features) {
      sql.append(", CAST(`").append(f).append("` AS DOUBLE) AS `").append(f).append("__d`");
      doubles.add(f + "__d");
      imputed.add(f + "__i");
    }
    sql.append(" FROM __THIS__");
    List<PipelineStage> s = new ArrayList<>();
    s.add(new SQLTransformer().setStatement(sql.toString()));
    s.add(
        new Imputer()
            .setStrategy("median")
            .setInputCols(doubles.toArray(String[]::new))
            .setOutputCols(imputed.toArray(String[]::new)));
    s.add(
        new VectorAssembler()
            .setInputCols(imputed.toArray(String[]::new))
            .setOutputCol(ASSEMBLED)
            .setHandleInvalid("keep"));
    return s;
  }

  static Pipeline pipeline(Kind kind, List<String> features, Settings st) {
    List<PipelineStage> s = front(features);
    if (kind == Kind.GBT) {
      s.add(
          new GBTClassifier()
              .setFeaturesCol(ASSEMBLED)
              .setLabelCol(ModelInputs.TARGET)
              .setWeightCol(ModelInputs.WEIGHT)
              .setMaxIter(st.trees())
              .setMaxDepth(st.depth())
              .setStepSize(0.1)
              .setSubsamplingRate(0.8)
              .setSeed(st.seed()));
    } else {
      s.add(
          new StandardScaler()
              .setInputCol(ASSEMBLED)
              .setOutputCol(SCALED)
              .setWithMean(true)
              .setWithStd(true));
      s.add(
          logistic(kind, features)
              .setFeaturesCol(SCALED)
              .setLabelCol(ModelInputs.TARGET)
              .setWeightCol(ModelInputs.WEIGHT)
              .setRegParam(0.01)
              .setMaxIter(100));
    }
    return new Pipeline().setStages(s.toArray(PipelineStage[]::new));
  }

  /**
   * The open side of a coefficient bound: finite, because MLlib scales bounds by each feature's
   * deviation and an infinite bound on a constant feature would become NaN.
   */
  static final double UNBOUNDED = 1e4;

  /**
   * A logistic regression with coefficients signed by meaning: evidence never lowers a score and
   * what clears never raises it ({@link ModelInputs#sign}; in the second stage every input is
   * evidence but the confirmed genuine neighbours); context features are free.
   */
  static LogisticRegression logistic(Kind kind, List<String> features) {
    LogisticRegression lr = new LogisticRegression();
    double[] lower = new double[features.size()];
    double[] upper = new double[features.size()];
    for (int i = 0; i < features.size(); i++) {
      String f = features.get(i);
      int sign =
          kind == Kind.GRAPH ? (f.equals(GraphFeatures.NB_GENUINE) ? -1 : 1) : ModelInputs.sign(f);
      lower[i] = sign > 0 ? 0.0 : -UNBOUNDED;
      upper[i] = sign < 0 ? 0.0 : UNBOUNDED;
    }
    return lr.setLowerBoundsOnCoefficients(
            org.apache.spark.ml.linalg.Matrices.dense(1, features.size(), lower))
        .setUpperBoundsOnCoefficients(
            org.apache.spark.ml.linalg.Matrices.dense(1, features.size(), upper));
  }

  /** Positive probability of a fitted pipeline's output. */
  static Column probability() {
    return org.apache.spark.ml.functions.vector_to_array(col("probability"), "float64").getItem(1);
  }

  /**
   * The positive margin of a fitted pipeline's output (log-odds for logistic regression, half of it
   * for trees): unlike the probability, it keeps its order where the probability rounds to 1.
   */
  static Column margin() {
    return org.apache
        .spark
        .ml
        .functions
        .vector_to_array(col("rawPrediction"), "float64")
        .getItem(1);
  }

  /** Rows per partition of a training frame ({@link #laidOut}). */
  static final long ROWS_PER_PARTITION = 50_000;

  /**
   * One layout of a training frame, whatever order its rows were read in: hashed by account into a
   * number of partitions set by the row count (not by the cluster), sorted by account within each.
   * Trees draw their subsample and their split candidates per partition, in row order, seeded by
   * the partition's index; on the layout a read or a join happened to leave, the same features gave
   * another model on each run (out-of-fold AUC 0.91 on one run, 0.83 on the next). Laid out, the
   * same rows give the same model on any number of executors.
   */
  public static Dataset<Row> laidOut(Dataset<Row> rows, long count) {
    int n =
        (int) Math.max(1, Math.min(4096, (count + ROWS_PER_PARTITION - 1) / ROWS_PER_PARTITION));
    return rows.repartition(n, col(io.unmask.common.Cols.ACCOUNT_ID))
        .sortWithinPartitions(io.unmask.common.Cols.ACCOUNT_ID);
  }

  /**
   * Adds the training columns: target (confirmed positive), weight (class weight for positives,
   * {@code genuineWeight} for confirmed genuine, 1 otherwise) and fold (by group).
   */
  public static Dataset<Row> prepare(Dataset<Row> data, long positives, long total, Settings st) {
    double posWeight =
        Math.min(100.0, Math.max(1.0, (double) (total - positives) / Math.max(1, positives)));
    return data.withColumn(
            ModelInputs.TARGET, when(col(ModelInputs.LABEL).equalTo(1), 1.0).otherwise(0.0))
        .withColumn(
            ModelInputs.WEIGHT,
            when(col(ModelInputs.LABEL).equalTo(1), posWeight)
                .when(col(ModelInputs.LABEL).equalTo(0), st.genuineWeight())
                .otherwise(1.0))
        .withColumn(ModelInputs.FOLD, fold(col(ModelInputs.GROUP), st.folds()));
  }

  /**
   * Cross-fitting (the calibration is fitted on the margin): one model per fold, trained on the
   * other folds, scores that fold. Every account, labelled or not, is scored by a model that never
   * saw it, so an unlabelled concealed account is never scored by a model that learned it as a
   * negative (positive-unlabeled data: unlabelled is not genuine). The out-of-fold scores give the
   * metrics and fit the calibration; scoring applies the same fold models by the same fold rule
   * ({@link #prepare}).
   */
  public static Fitted fit(Kind kind, Dataset<Row> prepared, List<String> features, Settings st) {
    // The folds are fitted side by side: each fit is a long chain of small Spark jobs (a few per
    // tree, one per optimiser step) with driver work between them, so one fit alone leaves the
    // cores idle most of the time. Each fold's model is the same as when fitted alone.
    List<java.util.function.Supplier<PipelineModel>> fits = new ArrayList<>();
    for (int k = 0; k < st.folds(); k++) {
      int fold = k;
      fits.add(
          () -> {
            Dataset<Row> train = prepared.filter(col(ModelInputs.FOLD).notEqual(fold));
            // A fold whose complement holds no positive (tiny data) is scored by a model of
            // everything.
            return pipeline(kind, features, st)
                .fit(
                    train.filter(col(ModelInputs.TARGET).equalTo(1.0)).isEmpty()
                        ? prepared
                        : train);
          });
    }
    List<PipelineModel> folds = io.unmask.common.Concurrently.all(fits);
    Dataset<Row> oof = null;
    for (int k = 0; k < st.folds(); k++) {
      Dataset<Row> test = prepared.filter(col(ModelInputs.FOLD).equalTo(k));
      PipelineModel m = folds.get(k);
      Dataset<Row> scored =
          m.transform(test)
              .select(
                  col(io.unmask.common.Cols.ACCOUNT_ID),
                  col(ModelInputs.TARGET),
                  col(ModelInputs.LABEL),
                  probability().as(OOF),
                  margin().as(OOF_MARGIN));
      oof = oof == null ? scored : oof.unionByName(scored);
    }
    // One scan under the calibration, the metrics and the second stage's graph inputs.
    oof = io.unmask.common.Lineage.cut(oof);
    IsotonicRegressionModel calibration =
        new IsotonicRegression()
            .setFeaturesCol(OOF_MARGIN)
            .setLabelCol(ModelInputs.TARGET)
            .setPredictionCol("_calibrated")
            .fit(oof);
    // On the margin, not the probability: boosted trees' probabilities round to exactly 1.0 for
    // many accounts, and a ranking of ties is no ranking.
    Map<String, Double> metrics = metrics(oof, OOF_MARGIN, ModelInputs.TARGET);
    return new Fitted(kind, folds, calibration, metrics, oof);
  }

  /**
   * Ranking metrics of a score against a 0/1 target: average precision, precision at k (k = number
   * of positives), recall in the top 1% and 5%. One global sort over the scored rows.
   */
  public static Map<String, Double> metrics(Dataset<Row> scored, String score, String target) {
    Dataset<Row> ranked =
        scored
            .withColumn(
                "_rank",
                row_number()
                    .over(Window.orderBy(col(score).desc(), col(io.unmask.common.Cols.ACCOUNT_ID))))
            .withColumn(
                "_hits",
                sum(col(target))
                    .over(Window.orderBy("_rank").rowsBetween(Window.unboundedPreceding(), 0)));
    Row totals = scored.agg(count(lit(1)), sum(col(target))).first();
    long n = totals.getLong(0);
    double pos = totals.isNullAt(1) ? 0 : totals.getDouble(1);
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("positives", pos);
    m.put("accounts", (double) n);
    if (pos == 0) {
      return m;
    }
    long top1 = Math.max(1, Math.round(n * 0.01));
    long top5 = Math.max(1, Math.round(n * 0.05));
    Row r =
        ranked
            .agg(
                sum(when(col(target).equalTo(1.0), col("_hits").divide(col("_rank")))).divide(pos),
                max(when(col("_rank").equalTo(Math.round(pos)), col("_hits"))),
                max(when(col("_rank").equalTo(top1), col("_hits"))),
                max(when(col("_rank").equalTo(top5), col("_hits"))),
                // negatives ranked below each positive
                sum(
                    when(
                        col(target).equalTo(1.0),
                        lit((double) n).minus(col("_rank")).minus(lit(pos).minus(col("_hits"))))))
            .first();
    m.put("average_precision", r.getDouble(0));
    m.put("precision_at_k", r.isNullAt(1) ? 0.0 : r.getDouble(1) / pos);
    m.put("recall_top_1pct", r.isNullAt(2) ? 0.0 : r.getDouble(2) / pos);
    m.put("recall_top_5pct", r.isNullAt(3) ? 0.0 : r.getDouble(3) / pos);
    m.put("roc_auc", n > pos && !r.isNullAt(4) ? r.getDouble(4) / (pos * (n - pos)) : Double.NaN);
    // Positive-unlabeled: the share of confirmed positives a ranking puts in its top 1% and 5%
    // estimates the share of all concealed accounts it puts there when the confirmed ones are a
    // fair sample of them; AP on the labels does not, since it counts every unlabelled concealed
    // account ranked above a confirmed one as a false alarm.
    m.put("pu_recall", (m.get("recall_top_1pct") + m.get("recall_top_5pct")) / 2);
    return m;
  }
}
