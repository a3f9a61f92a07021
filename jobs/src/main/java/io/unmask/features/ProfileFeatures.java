package io.unmask.features;

import static io.unmask.common.FeatureCols.*;
import static org.apache.spark.sql.functions.*;

import io.unmask.common.Cols;
import java.sql.Timestamp;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Per-account profile features: account age, VoIP phone, an identity document from another country
 * than the claimed one, and the hourly rate against the market for the same main skill (in the same
 * claimed country when that market is large enough).
 */
public final class ProfileFeatures {
  private ProfileFeatures() {}

  static Column mainSkill() {
    return lower(trim(element_at(split(col(Cols.SKILLS), ";"), 1)));
  }

  public static Dataset<Row> perAccount(
      Dataset<Row> profiles, Timestamp asOfEnd, FeatureConfig cfg) {
    Dataset<Row> p = profiles.withColumn("_skill", mainSkill());
    Dataset<Row> local =
        p.filter(col(Cols.HOURLY_RATE).isNotNull().and(col("_skill").isNotNull()))
            .groupBy("_skill", Cols.CLAIMED_COUNTRY)
            .agg(
                percentile_approx(col(Cols.HOURLY_RATE).cast("double"), lit(0.5), lit(1000))
                    .as("_local_median"),
                count(lit(1)).as("_local_n"));
    Dataset<Row> global =
        p.filter(col(Cols.HOURLY_RATE).isNotNull().and(col("_skill").isNotNull()))
            .groupBy("_skill")
            .agg(
                percentile_approx(col(Cols.HOURLY_RATE).cast("double"), lit(0.5), lit(1000))
                    .as("_global_median"));
    Column market =
        when(col("_local_n").geq(cfg.peerGroupMin()), col("_local_median"))
            .otherwise(col("_global_median"));
    return p.join(local, new String[] {"_skill", Cols.CLAIMED_COUNTRY}, "left")
        .join(global, new String[] {"_skill"}, "left")
        .select(
            col(Cols.ACCOUNT_ID),
            floor(
                    unix_timestamp(lit(asOfEnd))
                        .minus(unix_timestamp(col(Cols.CREATED_AT)))
                        .divide(86_400))
                .cast("int")
                .as(ACCOUNT_AGE_DAYS),
            when(col(Cols.PHONE_TYPE).equalTo("voip"), 1).otherwise(0).as(PHONE_VOIP),
            when(
                    col(Cols.ID_DOCUMENT_COUNTRY)
                        .isNotNull()
                        .and(col(Cols.ID_DOCUMENT_COUNTRY).notEqual(col(Cols.CLAIMED_COUNTRY))),
                    1)
                .otherwise(0)
                .as(ID_DOC_MISMATCH),
            when(market.gt(0), col(Cols.HOURLY_RATE).cast("double").divide(market))
                .as(RATE_TO_MARKET),
            when(col(Cols.AGENCY_ID).isNotNull(), 1).otherwise(0).as(HAS_AGENCY));
  }
}
