package io.unmask.score;

import static io.unmask.common.FeatureCols.*;
import static org.apache.spark.sql.functions.*;

import io.unmask.common.Cols;
import io.unmask.common.Progress;
import io.unmask.common.Schemas;
import io.unmask.common.Tables;
import io.unmask.io.DeltaIO;
import io.unmask.model.GraphFeatures;
import io.unmask.model.ModelInputs;
import io.unmask.model.ModelJob;
import io.unmask.model.RuleScore;
import io.unmask.model.Scorer;
import io.unmask.model.Trainer;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.ml.regression.IsotonicRegressionModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;

/**
 * Scores every account with the chosen model and writes {@code risk_scores}: a calibrated score in
 * [0, 1], the rank (ties by account_id), up to five reasons chosen and ordered by the model's own
 * contributions, the cluster, model version, as_of and run id. A withdrawal to a sanctioned wallet
 * stands on its own: such an account scores at least {@link #SANCTIONED_FLOOR} (every other
 * account's score is scaled into [0, {@link #SANCTIONED_FLOOR}), its order kept) with that reason
 * first.
 */
public final class ScoringJob {
  public static final double SANCTIONED_FLOOR = 0.99;
  public static final int MAX_REASONS = 5;

  /** Weight of the raw score kept beside the calibrated one (order inside isotonic steps). */
  static final double TIE_BREAK = 1e-4;

  static final String CONTRIB = "_contrib";
  static final String RULE_CONTRIB = "_rule_contrib";
  private static final String POSITIVE1 = "_positive1";
  private static final String S1_SCALE = "_s1_scale";
  private static final String RULE_SUM = "_rule_sum";
  private static final String RULE_SHARE1 = "_rule_share1";
  private static final String RULE_SHARE2 = "_rule_share2";
  private static final String WEIGHTS = "_weights";
  private static final String RANKED = "_reasons";

  private ScoringJob() {}

  /**
   * As {@link #score(SparkSession, Dataset, Dataset, ModelJob.Choice, Dataset, Dataset)}, without
   * links or labels.
   */
  public static Dataset<Row> score(
      SparkSession spark, Dataset<Row> features, Dataset<Row> profiles, ModelJob.Choice choice) {
    return score(spark, features, profiles, choice, null, null);
  }

  /**
   * Adds {@code score} and {@code reasons} to the feature rows (joined to their profiles).
   *
   * @param links the day's account_links, read by a two-stage model (null: none)
   * @param labels account_id, label: the latest label per account (null: none)
   */
  public static Dataset<Row> score(
      SparkSession spark,
      Dataset<Row> features,
      Dataset<Row> profiles,
      ModelJob.Choice choice,
      Dataset<Row> links,
      Dataset<Row> labels) {
    Dataset<Row> in =
        features.join(
            profiles.select(
                col(Cols.ACCOUNT_ID),
                col(Cols.CLAIMED_COUNTRY),
                col(Cols.CLAIMED_TIMEZONE),
                col(Cols.ID_DOCUMENT_COUNTRY)),
            Cols.ACCOUNT_ID,
            "left");
    in = RuleScore.score(Reasons.withEvidence(in), ModelInputs.RULE_SCORE, RULE_CONTRIB);
    List<String> ruleTerms =
        RuleScore.terms(List.of(in.columns())).stream().map(RuleScore.Term::feature).toList();
    Dataset<Row> scored;
    List<String> reasonFeatures = new java.util.ArrayList<>(ruleTerms);
    List<Column> weights = new java.util.ArrayList<>();
    if (choice.isRule()) {
      scored = in.withColumn(Cols.SCORE, col(ModelInputs.RULE_SCORE));
      for (int i = 0; i < ruleTerms.size(); i++) {
        weights.add(col(RULE_CONTRIB).getItem(i));
      }
    } else {
      Dataset<Row> t = Scorer.apply(spark, in, choice, links, labels);
      IsotonicRegressionModel cal =
          choice.calibration().copy(new org.apache.spark.ml.param.ParamMap());
      cal.setFeaturesCol(Trainer.RAW).setPredictionCol("_isotonic");
      // Isotonic calibration (of the margin) is a step function: a tiny share of the margin,
      // squashed into (0, 1), keeps the model's own order inside each step, so calibration
      // never turns a ranking into ties.
      scored =
          cal.transform(t)
              .withColumn(
                  Cols.SCORE,
                  col("_isotonic")
                      .multiply(1 - TIE_BREAK)
                      .plus(
                          lit(0.5)
                              .plus(atan(col(Trainer.RAW).divide(10)).divide(Math.PI))
                              .multiply(TIE_BREAK)));
      List<String> modelFeatures = choice.features();
      // A two-stage model credits the first stage's score as one input: that credit is shared
      // out over the first stage's own positive contributions, as the first stage's credit to
      // the rule score is shared over the rule's terms.
      Column c1 = col(Scorer.CONTRIB1);
      // Sums every weight reads are computed once, as columns: written inline they would be
      // copied into each of the ~60 weights (and each plan copy), an expression tree of hundreds
      // of thousands of nodes that exhausted a 2 GB driver while serialising the tasks.
      Column s1Scale = lit(1.0);
      if (choice.stage2() != null) {
        Column positive1 = lit(0.0);
        for (int i = 0; i < modelFeatures.size(); i++) {
          positive1 = positive1.plus(greatest(c1.getItem(i), lit(0.0)));
        }
        scored = scored.withColumn(POSITIVE1, positive1);
        scored =
            scored.withColumn(
                S1_SCALE,
                when(
                        col(POSITIVE1).gt(0),
                        greatest(
                                col(Scorer.CONTRIB2)
                                    .getItem(GraphFeatures.COLUMNS.indexOf(GraphFeatures.S1_LOGIT)),
                                lit(0.0))
                            .divide(col(POSITIVE1)))
                    .otherwise(0.0));
        s1Scale = col(S1_SCALE);
      }
      int ruleIdx = modelFeatures.indexOf(ModelInputs.RULE_SCORE);
      Column ruleSumExpr = lit(0.0);
      for (int i = 0; i < ruleTerms.size(); i++) {
        ruleSumExpr = ruleSumExpr.plus(coalesce(col(RULE_CONTRIB).getItem(i), lit(0.0)));
      }
      // The first stage's credit to the rule score, and the second stage's own, per unit of the
      // rule's terms: each term's share of the credit is its contribution times this.
      scored =
          scored
              .withColumn(RULE_SUM, ruleSumExpr)
              .withColumn(
                  RULE_SHARE1,
                  ruleIdx < 0
                      ? lit(0.0)
                      : when(
                              col(RULE_SUM).gt(0),
                              greatest(c1.getItem(ruleIdx), lit(0.0)).divide(col(RULE_SUM)))
                          .otherwise(0.0))
              .withColumn(
                  RULE_SHARE2,
                  choice.stage2() == null
                      ? lit(0.0)
                      : when(
                              col(RULE_SUM).gt(0),
                              greatest(
                                      col(Scorer.CONTRIB2)
                                          .getItem(
                                              GraphFeatures.COLUMNS.indexOf(
                                                  GraphFeatures.RULE_LOGIT)),
                                      lit(0.0))
                                  .divide(col(RULE_SUM)))
                          .otherwise(0.0));
      for (String f : modelFeatures) {
        if (!f.equals(ModelInputs.RULE_SCORE) && !reasonFeatures.contains(f)) {
          reasonFeatures.add(f);
        }
      }
      for (String f : reasonFeatures) {
        int m = modelFeatures.indexOf(f);
        int r = ruleTerms.indexOf(f);
        Column w = m < 0 ? lit(0.0) : c1.getItem(m);
        if (r >= 0) {
          w = w.plus(col(RULE_SHARE1).multiply(col(RULE_CONTRIB).getItem(r)));
        }
        if (choice.stage2() == null) {
          weights.add(w);
        } else {
          Column own = greatest(w, lit(0.0)).multiply(s1Scale);
          weights.add(
              r < 0 ? own : own.plus(col(RULE_SHARE2).multiply(col(RULE_CONTRIB).getItem(r))));
        }
      }
      if (choice.stage2() != null) {
        for (int i = 0; i < GraphFeatures.COLUMNS.size(); i++) {
          String g = GraphFeatures.COLUMNS.get(i);
          if (!g.equals(GraphFeatures.S1_LOGIT) && !g.equals(GraphFeatures.RULE_LOGIT)) {
            reasonFeatures.add(g);
            weights.add(col(Scorer.CONTRIB2).getItem(i));
          }
        }
      }
    }
    // The weights as one array column, then the chosen reasons as one column, so neither is
    // copied into the expressions that read it.
    scored = scored.withColumn(WEIGHTS, array(weights.toArray(Column[]::new)));
    List<Column> staged = new java.util.ArrayList<>();
    for (int i = 0; i < weights.size(); i++) {
      staged.add(col(WEIGHTS).getItem(i));
    }
    scored = scored.withColumn(RANKED, Reasons.reasons(reasonFeatures, staged, MAX_REASONS));
    Column reasons = col(RANKED);
    Column sanctioned = coalesce(col(SANCTIONED_HITS), lit(0L)).gt(0);
    Column hard =
        array(
            struct(
                lit(SANCTIONED_HITS).as("code"),
                lit(10.0).as("weight"),
                Reasons.detail(SANCTIONED_HITS).as("detail")));
    Column withHard =
        when(
                sanctioned,
                slice(
                    concat(
                        hard, filter(reasons, r -> r.getField("code").notEqual(SANCTIONED_HITS))),
                    1,
                    MAX_REASONS))
            .otherwise(reasons);
    Column clamped = least(greatest(coalesce(col(Cols.SCORE), lit(0.0)), lit(0.0)), lit(1.0));
    return scored
        .withColumn(
            Cols.SCORE,
            // [0.99, 1] belongs to sanctioned wallets, the rest keeps its order below it
            when(sanctioned, lit(SANCTIONED_FLOOR).plus(clamped.multiply(1 - SANCTIONED_FLOOR)))
                .otherwise(clamped.multiply(SANCTIONED_FLOOR)))
        .withColumn(Cols.REASONS, withHard)
        .drop(POSITIVE1, S1_SCALE, RULE_SUM, RULE_SHARE1, RULE_SHARE2, WEIGHTS, RANKED);
  }

  /** The contract's risk_scores rows: rank by score (ties by account_id). */
  public static Dataset<Row> riskScores(
      Dataset<Row> scored, String modelVersion, LocalDate asOf, String runId) {
    Column cluster =
        List.of(scored.columns()).contains(Cols.CLUSTER_ID)
            ? col(Cols.CLUSTER_ID).cast("string")
            : lit(null).cast("string");
    return scored
        .withColumn(
            Cols.RANK,
            row_number().over(Window.orderBy(col(Cols.SCORE).desc(), col(Cols.ACCOUNT_ID).asc())))
        .select(
            col(Cols.ACCOUNT_ID),
            col(Cols.SCORE).cast("double").as(Cols.SCORE),
            col(Cols.RANK).cast("int").as(Cols.RANK),
            col(Cols.REASONS)
                .cast(Schemas.RISK_SCORES.apply(Cols.REASONS).dataType())
                .as(Cols.REASONS),
            cluster.as(Cols.CLUSTER_ID),
            lit(modelVersion).as(Cols.MODEL_VERSION),
            lit(java.sql.Date.valueOf(asOf)).as(Cols.AS_OF),
            lit(runId).as(Cols.RUN_ID),
            Mitigating.of(scored).as(Schemas.MITIGATING));
  }

  public static void run(
      SparkSession spark,
      String warehouse,
      LocalDate asOf,
      String runId,
      Dataset<Row> features,
      Dataset<Row> profiles,
      ModelJob.Choice choice,
      Progress progress) {
    progress.start("score");
    Dataset<Row> links =
        DeltaIO.exists(spark, warehouse, Tables.ACCOUNT_LINKS)
            ? DeltaIO.read(spark, warehouse, Tables.ACCOUNT_LINKS)
                .filter(col(Cols.AS_OF).equalTo(lit(java.sql.Date.valueOf(asOf))))
            : null;
    Dataset<Row> effective = io.unmask.review.Labels.effective(spark, warehouse, asOf);
    Dataset<Row> labels = effective == null ? null : ModelInputs.latestLabels(effective);
    Dataset<Row> rows =
        riskScores(
            score(spark, features, profiles, choice, links, labels), choice.version(), asOf, runId);
    io.unmask.common.Faults.beforeWrites(spark, "score");
    DeltaIO.replaceDay(rows, warehouse, Tables.RISK_SCORES, asOf);
    Row r =
        DeltaIO.read(spark, warehouse, Tables.RISK_SCORES)
            .filter(col(Cols.AS_OF).equalTo(lit(java.sql.Date.valueOf(asOf))))
            .agg(count(lit(1)), sum(when(col(Cols.SCORE).geq(0.5), 1).otherwise(0)))
            .first();
    progress.done(
        r.getLong(0),
        String.format(
            "accounts ranked (%,d with score >= 0.5), model %s",
            r.isNullAt(1) ? 0 : r.getLong(1), choice.version()));
  }
}
