package io.unmask.model;

import static org.apache.spark.sql.functions.*;

import io.unmask.common.Cols;
import io.unmask.common.Lineage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.classification.GBTClassificationModel;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.feature.StandardScalerModel;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;

/**
 * Applies a trained model to feature rows: each account is scored by the fold model that did not
 * train on it (its fold comes from its cluster, as in training), then, for a two-stage model, the
 * second stage reads the first stage's scores of the linked accounts and the labels around it. Adds
 * the raw score and each stage's per-feature contributions, from which the reasons are chosen.
 */
public final class Scorer {
  /** The first stage's probability. */
  public static final String S1 = "_s1";

  /** The first stage's margin. */
  public static final String S1_MARGIN = "_s1_margin";

  /** Contributions of the first stage's features (aligned with {@code Choice.features()}). */
  public static final String CONTRIB1 = "_contrib1";

  /** Contributions of the second stage's inputs (aligned with {@link GraphFeatures#COLUMNS}). */
  public static final String CONTRIB2 = "_contrib2";

  private Scorer() {}

  /**
   * @param in feature rows with the rule score (and cluster_id when linking ran)
   * @param links the day's account_links (null: none)
   * @param labels account_id, label: latest label per account (null: none)
   * @return the rows with {@link Trainer#RAW} (the final stage's margin, which the calibration
   *     reads), {@link #S1}, {@link #CONTRIB1}, and for a two-stage model the columns of {@link
   *     GraphFeatures#COLUMNS} and {@link #CONTRIB2}
   */
  public static Dataset<Row> apply(
      SparkSession spark,
      Dataset<Row> in,
      ModelJob.Choice c,
      Dataset<Row> links,
      Dataset<Row> labels) {
    // the models read cleared evidence (as in training); the rows keep the values for the texts
    List<String> cleared = ModelInputs.rewritten(in);
    // Columns are added and replaced in one projection each, never one withColumn per column in a
    // loop: each call analyses the whole plan again, and over the two stages' fold unions that
    // took a minute of driver time at 100,000 accounts with no Spark job running.
    Map<String, Column> keep = new LinkedHashMap<>();
    for (String f : cleared) {
      keep.put(RAW_PREFIX + f, col(f));
    }
    Dataset<Row> raw = in.withColumns(keep);
    Dataset<Row> g =
        ModelInputs.cleared(raw)
            .withColumn(
                ModelInputs.GROUP,
                List.of(in.columns()).contains(Cols.CLUSTER_ID)
                    ? coalesce(col(Cols.CLUSTER_ID).cast("string"), col(Cols.ACCOUNT_ID))
                    : col(Cols.ACCOUNT_ID))
            .withColumn(ModelInputs.FOLD, Trainer.fold(col(ModelInputs.GROUP), c.stage1().size()));
    // Each fold's model is a pipeline of several projections over the input, and the second
    // stage reads the first one's union of folds: the input and the first stage are materialised
    // so that those plans are built over one scan each, not over the features' whole plan.
    g = Lineage.cut(g);
    Dataset<Row> s1 = stage(spark, g, c.stage1(), S1, S1_MARGIN, CONTRIB1);
    if (c.stage2() == null) {
      return restore(s1.withColumn(Trainer.RAW, col(S1_MARGIN)), cleared);
    }
    s1 = Lineage.cut(s1);
    Dataset<Row> graph =
        GraphFeatures.compute(
            s1.select(Cols.ACCOUNT_ID, S1, S1_MARGIN), S1, S1_MARGIN, links, labels);
    return restore(
        stage(
            spark,
            s1.join(graph.drop(S1), Cols.ACCOUNT_ID)
                .withColumn(GraphFeatures.RULE_LOGIT, GraphFeatures.ruleLogit(s1)),
            c.stage2(),
            "_s2",
            Trainer.RAW,
            CONTRIB2),
        cleared);
  }

  private static final String RAW_PREFIX = "_raw_";

  /** The features' own values back in place of the cleared ones. */
  private static Dataset<Row> restore(Dataset<Row> scored, List<String> cleared) {
    List<Column> out = new ArrayList<>();
    for (String c : scored.columns()) {
      if (cleared.contains(c)) {
        out.add(col("`" + RAW_PREFIX + c + "`").as(c));
      } else if (!(c.startsWith(RAW_PREFIX)
          && cleared.contains(c.substring(RAW_PREFIX.length())))) {
        out.add(col("`" + c + "`"));
      }
    }
    return scored.select(out.toArray(Column[]::new));
  }

  /** One stage: each fold's rows through that fold's model; probability and contributions kept. */
  static Dataset<Row> stage(
      SparkSession spark,
      Dataset<Row> in,
      List<PipelineModel> folds,
      String scoreCol,
      String marginCol,
      String contribCol) {
    List<String> before = List.of(in.columns());
    Dataset<Row> out = null;
    for (int k = 0; k < folds.size(); k++) {
      PipelineModel m = folds.get(k);
      Dataset<Row> part =
          m.transform(folds.size() == 1 ? in : in.filter(col(ModelInputs.FOLD).equalTo(k)));
      List<Column> keep = new ArrayList<>();
      for (String x : before) {
        keep.add(col("`" + x + "`"));
      }
      keep.add(Trainer.probability().as(scoreCol));
      keep.add(Trainer.margin().as(marginCol));
      keep.add(contributions(spark, m).apply(col(Trainer.ASSEMBLED)).as(contribCol));
      part = part.select(keep.toArray(Column[]::new));
      out = out == null ? part : out.unionByName(part);
    }
    return out;
  }

  /** Tree path contributions (GBT) or coefficient × standardised value (logistic). */
  static UserDefinedFunction contributions(SparkSession spark, PipelineModel model) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    org.apache.spark.sql.types.DataType out =
        DataTypes.createArrayType(DataTypes.DoubleType, false);
    Transformer[] stages = model.stages();
    GBTClassificationModel gbt = stage(stages, GBTClassificationModel.class);
    if (gbt != null) {
      Broadcast<Contributions.Trees> trees = jsc.broadcast(new Contributions.Trees(gbt));
      return udf((UDF1<Vector, double[]>) v -> trees.value().of(v), out);
    }
    LogisticRegressionModel lr = stage(stages, LogisticRegressionModel.class);
    StandardScalerModel scaler = stage(stages, StandardScalerModel.class);
    if (lr == null || scaler == null) {
      throw new IllegalStateException("model " + model.uid() + " holds no known classifier");
    }
    Broadcast<Contributions.Linear> linear = jsc.broadcast(new Contributions.Linear(lr, scaler));
    return udf((UDF1<Vector, double[]>) v -> linear.value().of(v), out);
  }

  private static <T> T stage(Transformer[] stages, Class<T> type) {
    return Arrays.stream(stages).filter(type::isInstance).map(type::cast).findFirst().orElse(null);
  }
}
