package io.unmask.score;

import static org.apache.spark.sql.functions.*;

import io.unmask.common.Cols;
import io.unmask.model.Trainer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * Quality of a ranking against a generator's ground truth, over the accounts investigators have not
 * labelled (the ones a ranking is for): average precision, precision at k (k = concealed accounts),
 * recall in the top 1% and 5%, recall in the top 5% of rings with no confirmed member, and for each
 * look-alike type and for plain genuine accounts (no look-alike type) the share of its innocent
 * accounts in the top 5% ({@code lookalike_top_5pct:<type>}, {@code plain_genuine_top_5pct}) and in
 * the top R, R being the number of concealed accounts among the unlabelled ones ({@code
 * lookalike_top_R:<type>}, {@code plain_genuine_top_R}).
 */
public final class Evaluation {
  public static final String TRUTH_CONCEALED = "is_concealed";
  public static final String TRUTH_LOOKALIKE = "lookalike";
  public static final String TRUTH_RING = "ring_id";

  /** The key of genuine accounts without a look-alike type. */
  public static final String PLAIN_GENUINE = "plain_genuine";

  private Evaluation() {}

  /**
   * @param scores account_id and {@code scoreCol}
   * @param truth account_id, is_concealed, lookalike, ring_id
   * @param labels account_id and label (latest per account)
   */
  public static Map<String, Double> evaluate(
      Dataset<Row> scores, String scoreCol, Dataset<Row> truth, Dataset<Row> labels) {
    Dataset<Row> t =
        truth.select(
            col(Cols.ACCOUNT_ID),
            when(lower(col(TRUTH_CONCEALED).cast("string")).isin("true", "1"), 1.0)
                .otherwise(0.0)
                .as("_y"),
            col(TRUTH_LOOKALIKE),
            col(TRUTH_RING));
    Dataset<Row> confirmedRings =
        t.join(labels.filter(col("label").equalTo(1)), Cols.ACCOUNT_ID)
            .filter(col(TRUTH_RING).isNotNull())
            .select(col(TRUTH_RING).as("_confirmed_ring"))
            .distinct();
    Dataset<Row> unlabeled =
        scores
            .select(col(Cols.ACCOUNT_ID), col(scoreCol).cast("double").as("_s"))
            .join(t, Cols.ACCOUNT_ID)
            .join(labels.select(Cols.ACCOUNT_ID), new String[] {Cols.ACCOUNT_ID}, "left_anti")
            .join(
                broadcast(confirmedRings), col(TRUTH_RING).equalTo(col("_confirmed_ring")), "left")
            .cache();
    long n = unlabeled.count();
    Map<String, Double> m = new LinkedHashMap<>(Trainer.metrics(unlabeled, "_s", "_y"));
    long top5 = Math.max(1, (long) Math.ceil(n * 0.05));
    Dataset<Row> ranked =
        unlabeled.withColumn(
            "_r", row_number().over(Window.orderBy(col("_s").desc(), col(Cols.ACCOUNT_ID))));
    Row ring =
        ranked
            .filter(
                col(TRUTH_RING)
                    .isNotNull()
                    .and(col("_confirmed_ring").isNull())
                    .and(col("_y").equalTo(1.0)))
            .agg(count(lit(1)), sum(when(col("_r").leq(top5), 1).otherwise(0)))
            .first();
    m.put("unconfirmed_ring_members", (double) ring.getLong(0));
    m.put(
        "unconfirmed_ring_recall_top_5pct",
        ring.getLong(0) == 0 ? Double.NaN : (double) ring.getLong(1) / ring.getLong(0));
    long topR = Math.round(m.getOrDefault("positives", 0.0));
    List<Row> byType =
        ranked
            .filter(col("_y").equalTo(0.0))
            .groupBy(
                when(
                        col(TRUTH_LOOKALIKE).isNull().or(col(TRUTH_LOOKALIKE).equalTo("")),
                        PLAIN_GENUINE)
                    .otherwise(col(TRUTH_LOOKALIKE))
                    .as("_type"))
            .agg(
                count(lit(1)),
                sum(when(col("_r").leq(top5), 1).otherwise(0)),
                sum(when(col("_r").leq(topR), 1).otherwise(0)))
            .orderBy("_type")
            .collectAsList();
    for (Row r : byType) {
      if (!r.getString(0).equals(PLAIN_GENUINE)) {
        m.put("lookalike_top_5pct:" + r.getString(0), (double) r.getLong(2) / r.getLong(1));
      }
    }
    for (Row r : byType) {
      if (!r.getString(0).equals(PLAIN_GENUINE)) {
        m.put("lookalike_top_R:" + r.getString(0), (double) r.getLong(3) / r.getLong(1));
      }
    }
    for (Row r : byType) {
      if (r.getString(0).equals(PLAIN_GENUINE)) {
        m.put(PLAIN_GENUINE + "_top_5pct", (double) r.getLong(2) / r.getLong(1));
        m.put(PLAIN_GENUINE + "_top_R", (double) r.getLong(3) / r.getLong(1));
      }
    }
    unlabeled.unpersist();
    return m;
  }
}
