package io.unmask.review;

import static org.apache.spark.sql.functions.*;

import io.unmask.common.Cols;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Where each ranked account stands for investigators ({@code review_state}):
 *
 * <ul>
 *   <li>{@link #TO_REVIEW}: no label and no decision;
 *   <li>{@link #EVIDENCE_CHANGED}: judged genuine or unsure, but its reasons now hold evidence (a
 *       reason code) that the ranking of the day of that judgement did not: the judgement was about
 *       other evidence, so it is back in the queue;
 *   <li>{@link #CONFIRMED}: its latest review says concealed;
 *   <li>{@link #GENUINE} / {@link #UNSURE}: its latest review says so, and nothing new since.
 * </ul>
 *
 * A review whose day has no earlier ranking (a label older than the warehouse, or one without a
 * time) cannot be compared and counts as current. The queue is {@link #QUEUE}: to_review and
 * evidence_changed.
 */
public final class ReviewQueue {
  public static final String TO_REVIEW = "to_review";
  public static final String EVIDENCE_CHANGED = "evidence_changed";
  public static final String CONFIRMED = "confirmed";
  public static final String GENUINE = "genuine";
  public static final String UNSURE = "unsure";

  /** The states an investigator still has to look at. */
  public static final List<String> QUEUE = List.of(TO_REVIEW, EVIDENCE_CHANGED);

  /** When the account was last reviewed (null: never). */
  public static final String REVIEWED_AT = "reviewed_at";

  /** Who or what gave the latest review (export source, or review:who). */
  public static final String REVIEWED_BY = "reviewed_by";

  private ReviewQueue() {}

  /** True for rows still to review. */
  public static Column inQueue() {
    return col(Cols.REVIEW_STATE).isin(QUEUE.toArray());
  }

  /**
   * The day's ranking ({@code risk_scores} rows of {@code day}) with {@code review_state}, {@link
   * #REVIEWED_AT} and {@link #REVIEWED_BY} added.
   *
   * @param allScores every day of risk_scores (earlier rankings are what evidence is compared with)
   */
  public static Dataset<Row> annotate(
      SparkSession spark,
      String warehouse,
      LocalDate day,
      Dataset<Row> dayScores,
      Dataset<Row> allScores) {
    return annotate(dayScores, allScores, Labels.latestReviews(spark, warehouse, day), day);
  }

  /** As above, with the latest review per account given (see {@link Labels#latestReviews}). */
  public static Dataset<Row> annotate(
      Dataset<Row> dayScores, Dataset<Row> allScores, Dataset<Row> latestReviews, LocalDate day) {
    java.sql.Date d = java.sql.Date.valueOf(day);
    Dataset<Row> reviewed =
        latestReviews.select(
            col(Cols.ACCOUNT_ID).as("_rid"),
            col("outcome").as("_outcome"),
            col(Cols.LABELED_AT).as("_at"),
            col(Cols.SOURCE).as("_by"));
    // the ranking of the latest earlier day on or before each review's day, for judged-innocent
    // accounts only (confirmed accounts stay confirmed whatever they do next)
    Dataset<Row> then =
        allScores
            .filter(col(Cols.AS_OF).lt(lit(d)))
            .select(
                col(Cols.ACCOUNT_ID).as("_tid"),
                col(Cols.AS_OF).as("_then"),
                transform(col(Cols.REASONS), r -> r.getField("code")).as("_codes"))
            .join(
                reviewed.filter(col("_outcome").isin(GENUINE, UNSURE).and(col("_at").isNotNull())),
                col("_tid").equalTo(col("_rid")))
            .filter(col("_then").leq(to_date(col("_at"))))
            .groupBy(col("_tid"))
            .agg(max_by(col("_codes"), col("_then")).as("_codes_then"));
    Dataset<Row> out =
        dayScores
            .join(reviewed, dayScores.col(Cols.ACCOUNT_ID).equalTo(col("_rid")), "left")
            .join(then, dayScores.col(Cols.ACCOUNT_ID).equalTo(col("_tid")), "left");
    Column now = transform(col(Cols.REASONS), r -> r.getField("code"));
    Column changed =
        col("_codes_then").isNotNull().and(size(array_except(now, col("_codes_then"))).gt(0));
    Column state =
        when(col("_outcome").isNull(), lit(TO_REVIEW))
            .when(col("_outcome").equalTo("concealed"), lit(CONFIRMED))
            .when(changed, lit(EVIDENCE_CHANGED))
            .otherwise(col("_outcome"));
    return out.withColumn(Cols.REVIEW_STATE, state)
        .withColumn(REVIEWED_AT, col("_at"))
        .withColumn(REVIEWED_BY, col("_by"))
        .drop("_rid", "_outcome", "_at", "_by", "_tid", "_codes_then");
  }
}
