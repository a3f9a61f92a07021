package io.unmask.features;

import static io.unmask.common.FeatureCols.*;
import static org.apache.spark.sql.functions.*;

import io.unmask.common.Cols;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * Per-account features from sign-ins: where the account really signs in from, when it really works,
 * and who it shares devices and addresses with. Input: enriched sign-ins ({@link IpEnrichment})
 * already cut to the look-back window, and profiles. All shares are over successful sign-ins; every
 * aggregation is per account or per key (no pairwise joins), so a hub address seen by thousands of
 * accounts costs one group, not a quadratic join.
 */
public final class LoginFeatures {
  static final String BROWSER_ZONE = "_browser_zone";
  static final String CLAIMED_ZONE = "_claimed_zone";
  static final String ZONE_IN_COUNTRY = "_zone_in_country";
  static final String LOCAL_HOUR = "_local_hour";
  static final String OWNER = "_owner";
  static final String PLACE = "_place";

  /** A switch between two countries faster than this (minutes) is not travel. */
  static final int FAST_SWITCH_MINUTES = 120;

  /** A direct sign-in this soon (minutes) after an anonymised one is a "leak". */
  static final int LEAK_MINUTES = 60;

  private LoginFeatures() {}

  /**
   * Sign-ins joined to their profile, with the canonical browser zone, the claimed zone and the
   * local hour in it, and whether the browser zone is used in the claimed country.
   */
  public static Dataset<Row> withContext(
      Dataset<Row> logins,
      Dataset<Row> profiles,
      Dataset<Row> canonicalZones,
      Dataset<Row> countryZones,
      Dataset<Row> defaultZones) {
    Dataset<Row> p =
        profiles.select(
            col(Cols.ACCOUNT_ID),
            col(Cols.CLAIMED_COUNTRY),
            col(Cols.CLAIMED_TIMEZONE),
            col(Cols.DISPLAY_NAME),
            coalesce(concat(lit("agency:"), col(Cols.AGENCY_ID)), col(Cols.ACCOUNT_ID)).as(OWNER),
            concat_ws(
                    "/",
                    col(Cols.CLAIMED_COUNTRY),
                    lower(trim(coalesce(col(Cols.CLAIMED_CITY), lit("")))))
                .as(PLACE));
    Dataset<Row> l = logins.join(p, Cols.ACCOUNT_ID);
    Dataset<Row> bz = broadcast(canonicalZones);
    l =
        l.join(bz, l.col(Cols.BROWSER_TIMEZONE).equalTo(bz.col(TimeZones.ALIAS)), "left")
            .withColumnRenamed(TimeZones.TARGET, BROWSER_ZONE)
            .drop(TimeZones.ALIAS);
    Dataset<Row> cz = broadcast(canonicalZones.toDF("_cz_alias", "_cz_target"));
    l =
        l.join(cz, l.col(Cols.CLAIMED_TIMEZONE).equalTo(cz.col("_cz_alias")), "left")
            .join(
                broadcast(defaultZones),
                col(Cols.CLAIMED_COUNTRY).equalTo(col(TimeZones.ZONE_COUNTRY)),
                "left")
            .withColumn(CLAIMED_ZONE, coalesce(col("_cz_target"), col(TimeZones.DEFAULT_ZONE)))
            .drop("_cz_alias", "_cz_target", TimeZones.ZONE_COUNTRY, TimeZones.DEFAULT_ZONE);
    Dataset<Row> inCountry = broadcast(countryZones.withColumn(ZONE_IN_COUNTRY, lit(true)));
    l =
        l.join(
                inCountry,
                col(Cols.CLAIMED_COUNTRY)
                    .equalTo(col(TimeZones.ZONE_COUNTRY))
                    .and(col(BROWSER_ZONE).equalTo(col(TimeZones.ZONE))),
                "left")
            .drop(TimeZones.ZONE_COUNTRY, TimeZones.ZONE);
    return l.withColumn(
        LOCAL_HOUR,
        when(
            col(CLAIMED_ZONE).isNotNull(),
            hour(from_utc_timestamp(col(Cols.TS), col(CLAIMED_ZONE)))));
  }

  private static Column share(Column condition) {
    return avg(when(condition, 1.0).otherwise(0.0));
  }

  /** Location, working-time and language features per account (one row per signed-in account). */
  public static Dataset<Row> perAccount(Dataset<Row> ctx, FeatureConfig cfg) {
    Dataset<Row> ok = ctx.filter(col(Cols.SUCCESS));
    Column direct = not(col(IS_ANONYMIZER));
    Column concern =
        direct
            .and(col(IP_COUNTRY).isin(cfg.countriesOfConcern().toArray()))
            .and(not(col(Cols.CLAIMED_COUNTRY).isin(cfg.countriesOfConcern().toArray())));
    WindowSpec byTime = Window.partitionBy(Cols.ACCOUNT_ID).orderBy(Cols.TS);
    Column minutesSincePrev =
        col(Cols.TS).cast("long").minus(lag(col(Cols.TS), 1).over(byTime).cast("long")).divide(60);
    Dataset<Row> seq =
        ok.withColumn("_concern", concern)
            .withColumn("_prev_anon", lag(col(IS_ANONYMIZER), 1).over(byTime))
            .withColumn("_gap_min", minutesSincePrev);
    // Country switches among direct sign-ins only (VPN exits move by design).
    WindowSpec directByTime = Window.partitionBy(Cols.ACCOUNT_ID).orderBy(Cols.TS);
    Dataset<Row> directSeq =
        ok.filter(direct.and(col(IP_COUNTRY).isNotNull()))
            .withColumn("_prev_country", lag(col(IP_COUNTRY), 1).over(directByTime))
            .withColumn(
                "_gap",
                col(Cols.TS)
                    .cast("long")
                    .minus(lag(col(Cols.TS), 1).over(directByTime).cast("long"))
                    .divide(60))
            .groupBy(Cols.ACCOUNT_ID)
            .agg(
                sum(when(
                            col("_prev_country")
                                .isNotNull()
                                .and(col("_prev_country").notEqual(col(IP_COUNTRY)))
                                .and(col("_gap").lt(FAST_SWITCH_MINUTES)),
                            1)
                        .otherwise(0))
                    .as(FAST_COUNTRY_SWITCHES));

    Column offsetHours =
        abs(unix_timestamp(from_utc_timestamp(col(Cols.TS), col(BROWSER_ZONE)))
                .minus(unix_timestamp(from_utc_timestamp(col(Cols.TS), col(CLAIMED_ZONE)))))
            .divide(3600.0);
    Column langRegion =
        upper(regexp_extract(col(Cols.BROWSER_LANGUAGE), "^[A-Za-z]{2,3}[-_]([A-Za-z]{2})\\b", 1));
    Column directKnown = direct.and(col(IP_COUNTRY).isNotNull());

    Dataset<Row> agg =
        seq.groupBy(Cols.ACCOUNT_ID)
            .agg(
                count(lit(1)).as(N_LOGINS),
                share(col(IS_VPN)).as(VPN_SHARE),
                share(col(IS_HOSTING)).as(HOSTING_SHARE),
                sum(when(directKnown, 1.0)).as("_direct_known"),
                sum(when(directKnown.and(col(IP_COUNTRY).notEqual(col(Cols.CLAIMED_COUNTRY))), 1.0))
                    .as("_foreign"),
                sum(when(col("_concern"), 1)).as(CONCERN_IP_LOGINS),
                sum(when(col(IP_COUNTRY).equalTo("KP"), 1).otherwise(0)).as(KP_HITS),
                sum(when(
                            col("_concern")
                                .and(col("_prev_anon"))
                                .and(col("_gap_min").leq(LEAK_MINUTES)),
                            1)
                        .otherwise(0))
                    .as(LEAK_AFTER_ANONYMIZER),
                countDistinct(when(directKnown, col(IP_COUNTRY))).as(N_IP_COUNTRIES),
                mode(when(
                        directKnown.and(col(IP_COUNTRY).notEqual(col(Cols.CLAIMED_COUNTRY))),
                        col(IP_COUNTRY)))
                    .as(TOP_FOREIGN_COUNTRY),
                mode(when(col(IS_ANONYMIZER), col(IP_AS_NAME))).as(TOP_ANONYMIZER_AS),
                avg(when(
                        col(BROWSER_ZONE).isNotNull(),
                        when(col(ZONE_IN_COUNTRY).isNull(), 1.0).otherwise(0.0)))
                    .as(TZ_MISMATCH_SHARE),
                avg(when(
                        col(BROWSER_ZONE).isNotNull().and(col(CLAIMED_ZONE).isNotNull()),
                        offsetHours))
                    .as(TZ_OFFSET_HOURS),
                mode(col(BROWSER_ZONE)).as(TOP_BROWSER_TZ),
                sum(when(col(BROWSER_ZONE).equalTo("Asia/Pyongyang"), 1).otherwise(0))
                    .as(PYONGYANG_TZ_LOGINS),
                avg(when(
                        col(LOCAL_HOUR).isNotNull(),
                        when(col(LOCAL_HOUR).lt(6), 1.0).otherwise(0.0)))
                    .as(NIGHT_SHARE),
                avg(when(col(LOCAL_HOUR).isNotNull(), when(eastAsiaOffice(), 1.0).otherwise(0.0)))
                    .as(EAST_ASIA_OFFICE_SHARE),
                avg(when(
                        langRegion.notEqual(""),
                        when(langRegion.notEqual(col(Cols.CLAIMED_COUNTRY)), 1.0).otherwise(0.0)))
                    .as(LANG_MISMATCH_SHARE),
                countDistinct(col(Cols.DEVICE_ID)).as(N_DEVICES))
            .withColumn(
                FOREIGN_IP_SHARE, coalesce(col("_foreign").divide(col("_direct_known")), lit(0.0)))
            .withColumn(
                CONCERN_IP_SHARE,
                coalesce(col(CONCERN_IP_LOGINS).divide(col("_direct_known")), lit(0.0)))
            .withColumn(CONCERN_IP_LOGINS, coalesce(col(CONCERN_IP_LOGINS), lit(0)))
            .drop("_direct_known", "_foreign");
    Dataset<Row> failed =
        ctx.groupBy(Cols.ACCOUNT_ID).agg(share(not(col(Cols.SUCCESS))).as(FAILED_LOGIN_SHARE));
    return agg.join(failed, Cols.ACCOUNT_ID, "full").join(directSeq, Cols.ACCOUNT_ID, "left");
  }

  /**
   * Sharing: for each account, the most other owners (accounts, or agencies counted once) seen on
   * one of its devices and on one of its direct, non-hub addresses; the most distinct display names
   * on one device; and the share of its sign-ins from hub addresses. Keys above the hub caps
   * (carrier NAT, campus, default device ids) do not count as sharing.
   */
  public static Dataset<Row> sharing(Dataset<Row> ctx, FeatureConfig cfg) {
    Dataset<Row> ok = ctx.filter(col(Cols.SUCCESS));
    Dataset<Row> byDevice =
        ok.filter(col(Cols.DEVICE_ID).isNotNull())
            .groupBy(Cols.DEVICE_ID)
            .agg(
                countDistinct(col(Cols.ACCOUNT_ID)).as("_dev_accounts"),
                countDistinct(col(OWNER)).as("_dev_owners"),
                countDistinct(col(Cols.DISPLAY_NAME)).as("_dev_names"),
                countDistinct(
                        when(col(OWNER).startsWith("agency:"), col(OWNER)).otherwise(col(PLACE)))
                    .as("_dev_places"));
    Dataset<Row> deviceFeatures =
        ok.select(Cols.ACCOUNT_ID, Cols.DEVICE_ID)
            .distinct()
            .join(
                byDevice.filter(col("_dev_accounts").leq(cfg.deviceHubAccounts())), Cols.DEVICE_ID)
            .groupBy(Cols.ACCOUNT_ID)
            .agg(
                max(col("_dev_owners").minus(1)).as(DEVICE_SHARED_ACCOUNTS),
                max(col("_dev_names")).as(DEVICE_DISTINCT_NAMES),
                max(col("_dev_places").minus(1)).as(DEVICE_OTHER_PLACES));
    Dataset<Row> byIp =
        ok.filter(not(col(IS_ANONYMIZER)))
            .groupBy(Cols.IP)
            .agg(
                countDistinct(col(Cols.ACCOUNT_ID)).as("_ip_accounts"),
                countDistinct(col(OWNER)).as("_ip_owners"),
                countDistinct(
                        when(col(OWNER).startsWith("agency:"), col(OWNER)).otherwise(col(PLACE)))
                    .as("_ip_places"));
    Dataset<Row> ipPerAccount =
        ok.filter(not(col(IS_ANONYMIZER)))
            .groupBy(Cols.ACCOUNT_ID, Cols.IP)
            .agg(count(lit(1)).as("_n"))
            .join(byIp, Cols.IP)
            .groupBy(Cols.ACCOUNT_ID)
            .agg(
                max(when(col("_ip_accounts").leq(cfg.ipHubAccounts()), col("_ip_owners").minus(1)))
                    .as(IP_SHARED_ACCOUNTS),
                max(when(col("_ip_accounts").leq(cfg.ipHubAccounts()), col("_ip_places").minus(1)))
                    .as(IP_OTHER_PLACES),
                sum(when(col("_ip_accounts").gt(cfg.ipHubAccounts()), col("_n")).otherwise(0))
                    .as("_hub_n"));
    Dataset<Row> totals = ok.groupBy(Cols.ACCOUNT_ID).agg(count(lit(1)).as("_all"));
    Dataset<Row> ipFeatures =
        ipPerAccount
            .join(totals, Cols.ACCOUNT_ID)
            .withColumn(HUB_IP_SHARE, col("_hub_n").divide(col("_all")))
            .drop("_hub_n", "_all");
    return deviceFeatures.join(ipFeatures, Cols.ACCOUNT_ID, "full");
  }

  /**
   * A sign-in at night in the claimed zone (before 06:00 or from 22:00) that falls in office hours
   * in Seoul and Pyongyang (08:00 to 18:00).
   */
  static Column eastAsiaOffice() {
    Column seoulHour = hour(from_utc_timestamp(col(Cols.TS), lit("Asia/Seoul")));
    return col(LOCAL_HOUR).lt(6).or(col(LOCAL_HOUR).geq(22)).and(seoulHour.between(8, 18));
  }
}
