package io.unmask.features;

import static io.unmask.common.FeatureCols.*;
import static org.apache.spark.sql.functions.*;

import io.unmask.common.Cols;
import java.time.LocalDate;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * Changes of a profile the warehouse saw (its versions, {@code
 * io.unmask.io.Inputs#profileHistory}): a new display name, phone or photo is a sign that someone
 * else now operates the account (rented, bought, taken over); a new claimed country, city or time
 * zone is a move, which nomads and relocating freelancers make too. Counted over the lookback
 * window before the run's day. One snapshot has no history, so these are 0 on a warehouse loaded
 * only from snapshots.
 */
public final class ProfileChanges {
  private ProfileChanges() {}

  /**
   * Per account with a change in the window: profile_changes, identity_changes, claim_changes,
   * identity_changed_on, identity_changed.
   *
   * @param history every profile version known on {@code asOf} (account_id, contract columns,
   *     valid_from, ingested_on)
   */
  public static Dataset<Row> perAccount(Dataset<Row> history, LocalDate asOf, FeatureConfig cfg) {
    WindowSpec byAccount =
        Window.partitionBy(Cols.ACCOUNT_ID).orderBy(col(Cols.VALID_FROM), col(Cols.INGESTED_ON));
    Dataset<Row> v =
        history
            .withColumn("_rn", row_number().over(byAccount))
            .withColumn("_prev_name", lag(col(Cols.DISPLAY_NAME), 1).over(byAccount))
            .withColumn("_prev_phone", lag(col(Cols.PHONE), 1).over(byAccount))
            .withColumn("_prev_photo", lag(col(Cols.PHOTO_HASH), 1).over(byAccount))
            .withColumn("_prev_country", lag(col(Cols.CLAIMED_COUNTRY), 1).over(byAccount))
            .withColumn("_prev_city", lag(col(Cols.CLAIMED_CITY), 1).over(byAccount))
            .withColumn("_prev_zone", lag(col(Cols.CLAIMED_TIMEZONE), 1).over(byAccount))
            .filter(
                col("_rn")
                    .gt(1)
                    .and(col(Cols.VALID_FROM).leq(lit(java.sql.Date.valueOf(asOf))))
                    .and(
                        col(Cols.VALID_FROM)
                            .gt(lit(java.sql.Date.valueOf(asOf.minusDays(cfg.lookbackDays()))))));
    Column name = not(col(Cols.DISPLAY_NAME).eqNullSafe(col("_prev_name")));
    Column phone = not(col(Cols.PHONE).eqNullSafe(col("_prev_phone")));
    Column photo = not(col(Cols.PHOTO_HASH).eqNullSafe(col("_prev_photo")));
    Column claim =
        not(col(Cols.CLAIMED_COUNTRY).eqNullSafe(col("_prev_country")))
            .or(not(col(Cols.CLAIMED_CITY).eqNullSafe(col("_prev_city"))))
            .or(not(col(Cols.CLAIMED_TIMEZONE).eqNullSafe(col("_prev_zone"))));
    Column identity = name.or(phone).or(photo);
    Column what =
        concat_ws(
            ", ", when(name, lit("name")), when(phone, lit("phone")), when(photo, lit("photo")));
    return v.withColumn("_identity", identity)
        .withColumn("_claim", claim)
        .withColumn("_what", when(identity, what))
        .groupBy(Cols.ACCOUNT_ID)
        .agg(
            count(lit(1)).as(PROFILE_CHANGES),
            sum(when(col("_identity"), 1).otherwise(0)).cast("long").as(IDENTITY_CHANGES),
            sum(when(col("_claim"), 1).otherwise(0)).cast("long").as(CLAIM_CHANGES),
            // the latest identity change: its day and what it touched
            max_by(
                    struct(col(Cols.VALID_FROM).as("d"), col("_what").as("w")),
                    when(col("_identity"), col(Cols.VALID_FROM)))
                .as("_last"))
        .select(
            col(Cols.ACCOUNT_ID),
            col(PROFILE_CHANGES),
            col(IDENTITY_CHANGES),
            col(CLAIM_CHANGES),
            when(col(IDENTITY_CHANGES).gt(0), col("_last.d")).as(IDENTITY_CHANGED_ON),
            when(col(IDENTITY_CHANGES).gt(0), col("_last.w")).as(IDENTITY_CHANGED));
  }
}
