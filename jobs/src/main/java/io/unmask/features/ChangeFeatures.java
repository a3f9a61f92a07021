package io.unmask.features;

import static io.unmask.common.FeatureCols.*;
import static org.apache.spark.sql.functions.*;

import io.unmask.common.Cols;
import java.sql.Timestamp;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * How far an account's recent sign-ins depart from its own history: the sign of a rented, bought or
 * taken-over account. Applies only to accounts with enough history before the recent window ({@link
 * FeatureConfig#minHistoryDays()}); others get zeros.
 */
public final class ChangeFeatures {
  private ChangeFeatures() {}

  public static Dataset<Row> perAccount(Dataset<Row> ctx, Timestamp asOfEnd, FeatureConfig cfg) {
    Timestamp recentStart = new Timestamp(asOfEnd.getTime() - cfg.recentDays() * 86_400_000L);
    Dataset<Row> ok = ctx.filter(col(Cols.SUCCESS));
    Column recent = col(Cols.TS).geq(lit(recentStart));
    Dataset<Row> firstDevice =
        ok.filter(col(Cols.DEVICE_ID).isNotNull())
            .groupBy(Cols.ACCOUNT_ID, Cols.DEVICE_ID)
            .agg(min(Cols.TS).as("_dev_first"));
    Dataset<Row> firstCountry =
        ok.filter(not(col(IS_ANONYMIZER)).and(col(IP_COUNTRY).isNotNull()))
            .groupBy(Cols.ACCOUNT_ID, IP_COUNTRY)
            .agg(min(Cols.TS).as("_country_first"));
    Dataset<Row> newCountry =
        firstCountry
            .groupBy(Cols.ACCOUNT_ID)
            .agg(
                max(when(col("_country_first").geq(lit(recentStart)), 1).otherwise(0))
                    .as(RECENT_NEW_COUNTRY),
                max(when(col("_country_first").lt(lit(recentStart)), 1).otherwise(0))
                    .as("_had_country"));
    Dataset<Row> withDev =
        ok.join(firstDevice, new String[] {Cols.ACCOUNT_ID, Cols.DEVICE_ID}, "left");
    Dataset<Row> agg =
        withDev
            .groupBy(Cols.ACCOUNT_ID)
            .agg(
                min(Cols.TS).as("_first"),
                avg(when(recent, when(col("_dev_first").geq(lit(recentStart)), 1.0).otherwise(0.0)))
                    .as(RECENT_NEW_DEVICE_SHARE),
                mode(when(not(recent), col(LoginFeatures.BROWSER_ZONE))).as("_tz_before"),
                mode(when(recent, col(LoginFeatures.BROWSER_ZONE))).as("_tz_recent"));
    Column enoughHistory =
        col("_first")
            .lt(lit(new Timestamp(recentStart.getTime() - cfg.minHistoryDays() * 86_400_000L)));
    return agg.join(newCountry, Cols.ACCOUNT_ID, "left")
        .select(
            col(Cols.ACCOUNT_ID),
            when(enoughHistory, coalesce(col(RECENT_NEW_DEVICE_SHARE), lit(0.0)))
                .otherwise(0.0)
                .as(RECENT_NEW_DEVICE_SHARE),
            when(enoughHistory.and(col("_had_country").equalTo(1)), col(RECENT_NEW_COUNTRY))
                .otherwise(0)
                .as(RECENT_NEW_COUNTRY),
            when(
                    enoughHistory
                        .and(col("_tz_before").isNotNull())
                        .and(col("_tz_recent").isNotNull())
                        .and(col("_tz_before").notEqual(col("_tz_recent"))),
                    1)
                .otherwise(0)
                .as(RECENT_TZ_SHIFT));
  }
}
