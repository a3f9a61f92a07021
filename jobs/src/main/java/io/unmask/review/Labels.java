package io.unmask.review;

import static org.apache.spark.sql.functions.*;

import io.unmask.common.Cols;
import io.unmask.common.Tables;
import io.unmask.io.DeltaIO;
import java.time.LocalDate;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;

/**
 * The labels a run learns from: the day's ingested {@code labels} export together with every
 * decision recorded by {@code review}. Per account the latest review wins, whichever side it comes
 * from (a review without a time loses to any dated one); when the latest is an {@code unsure}
 * decision the account has no label.
 *
 * <p>Decisions apply to every run after they are recorded, reruns of past days included: a backfill
 * learns from what investigators know now.
 */
public final class Labels {
  private static final String OUTCOME = "_outcome";

  private Labels() {}

  /**
   * Every review per account, newest first, before any is chosen: account_id, {@code _outcome}
   * (concealed, genuine, unsure), reviewed_at, source (export source, or review:who), note.
   */
  static Dataset<Row> reviews(SparkSession spark, String warehouse, LocalDate day) {
    Dataset<Row> fromReview =
        Decisions.read(spark, warehouse)
            .select(
                col(Cols.ACCOUNT_ID),
                col(Cols.DECISION).as(OUTCOME),
                col(Cols.DECIDED_AT).as(Cols.LABELED_AT),
                concat(lit("review:"), col(Cols.DECIDED_BY)).as(Cols.SOURCE),
                col(Cols.NOTE));
    if (!DeltaIO.exists(spark, warehouse, Tables.LABELS)) {
      return fromReview;
    }
    Dataset<Row> fromExport =
        io.unmask.io.Inputs.labels(spark, warehouse, day)
            .filter(col(Cols.LABEL).isNotNull())
            .select(
                col(Cols.ACCOUNT_ID),
                when(col(Cols.LABEL).equalTo(1), lit("concealed"))
                    .otherwise(lit("genuine"))
                    .as(OUTCOME),
                col(Cols.LABELED_AT),
                col(Cols.SOURCE),
                lit(null).cast("string").as(Cols.NOTE));
    return fromExport.unionByName(fromReview);
  }

  /**
   * The latest review per account: account_id, outcome (concealed, genuine, unsure), labeled_at,
   * source, note. Among reviews of the same time a confirmation wins, then genuine, as for labels.
   */
  public static Dataset<Row> latestReviews(SparkSession spark, String warehouse, LocalDate day) {
    return reviews(spark, warehouse, day)
        .withColumn(
            "_rn",
            row_number()
                .over(
                    Window.partitionBy(Cols.ACCOUNT_ID)
                        .orderBy(
                            col(Cols.LABELED_AT).desc_nulls_last(),
                            when(col(OUTCOME).equalTo("concealed"), 0)
                                .when(col(OUTCOME).equalTo("genuine"), 1)
                                .otherwise(2))))
        .filter(col("_rn").equalTo(1))
        .select(
            col(Cols.ACCOUNT_ID),
            col(OUTCOME).as("outcome"),
            col(Cols.LABELED_AT),
            col(Cols.SOURCE),
            col(Cols.NOTE));
  }

  /**
   * The run's labels, one per account, in the labels' shape (account_id, label, labeled_at,
   * source); null when the warehouse holds neither labels nor decisions.
   */
  public static Dataset<Row> effective(SparkSession spark, String warehouse, LocalDate day) {
    if (!DeltaIO.exists(spark, warehouse, Tables.LABELS)
        && !DeltaIO.exists(spark, warehouse, Tables.DECISIONS)) {
      return null;
    }
    return latestReviews(spark, warehouse, day)
        .filter(col("outcome").isin("concealed", "genuine"))
        .select(
            col(Cols.ACCOUNT_ID),
            when(col("outcome").equalTo("concealed"), 1).otherwise(0).as(Cols.LABEL),
            col(Cols.LABELED_AT),
            col(Cols.SOURCE));
  }

  /** As {@link #effective}, but an empty frame of the labels' shape instead of null. */
  public static Dataset<Row> effectiveOrEmpty(SparkSession spark, String warehouse, LocalDate day) {
    Dataset<Row> l = effective(spark, warehouse, day);
    return l != null
        ? l
        : spark
            .emptyDataFrame()
            .select(
                lit(null).cast("string").as(Cols.ACCOUNT_ID),
                lit(null).cast("int").as(Cols.LABEL),
                lit(null).cast("timestamp").as(Cols.LABELED_AT),
                lit(null).cast("string").as(Cols.SOURCE));
  }
}
