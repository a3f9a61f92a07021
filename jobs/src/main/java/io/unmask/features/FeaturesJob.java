package io.unmask.features;

import static io.unmask.common.FeatureCols.*;
import static org.apache.spark.sql.functions.*;

import io.unmask.common.Cols;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * The feature stage's core: builds every per-account feature family (one row per profile account)
 * from the clean tables of one {@code as_of}, without I/O. {@code pipeline.FeaturesStage} reads the
 * tables, runs linking on the enriched sign-ins and writes {@code account_features}.
 */
public final class FeaturesJob {
  private FeaturesJob() {}

  /** What later stages reuse: the enriched sign-ins (for linking) and the feature rows. */
  public record Output(Dataset<Row> enrichedLogins, Dataset<Row> features) {}

  /** End of the as_of day (exclusive): events at or after it are the future. */
  public static Timestamp endOf(LocalDate asOf) {
    return Timestamp.from(asOf.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC));
  }

  /**
   * As {@link #build(SparkSession, Dataset, Dataset, Dataset, Dataset, Broadcast, Dataset,
   * LocalDate, FeatureConfig)} without profile history (a single snapshot's view).
   */
  public static Output build(
      SparkSession spark,
      Dataset<Row> profiles,
      Dataset<Row> logins,
      Dataset<Row> payments,
      Broadcast<IpLookup> lookup,
      Dataset<Row> sanctioned,
      LocalDate asOf,
      FeatureConfig cfg) {
    return build(spark, profiles, null, logins, payments, lookup, sanctioned, asOf, cfg);
  }

  /**
   * Builds every feature from frames (no I/O): the testable core of the stage.
   *
   * @param profileHistory every profile version known on {@code asOf} ({@link ProfileChanges});
   *     null: no history, the change counts are 0
   */
  public static Output build(
      SparkSession spark,
      Dataset<Row> profiles,
      Dataset<Row> profileHistory,
      Dataset<Row> logins,
      Dataset<Row> payments,
      Broadcast<IpLookup> lookup,
      Dataset<Row> sanctioned,
      LocalDate asOf,
      FeatureConfig cfg) {
    Timestamp end = endOf(asOf);
    Timestamp start = new Timestamp(end.getTime() - cfg.lookbackDays() * 86_400_000L);
    Dataset<Row> window =
        logins.filter(col(Cols.TS).lt(lit(end)).and(col(Cols.TS).geq(lit(start))));
    Dataset<Row> enriched = IpEnrichment.enrich(window, lookup);
    Dataset<Row> ctx =
        LoginFeatures.withContext(
                enriched,
                profiles,
                TimeZones.canonical(spark),
                TimeZones.countryZones(spark),
                TimeZones.defaultZones(spark))
            .persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> pay = payments.filter(col(Cols.TS).lt(lit(end)));
    // a longer history for the device switch: the points from four raw columns, then the cheap
    // context columns (no address lookup) of the switched accounts' sign-ins only
    Timestamp historyStart =
        new Timestamp(end.getTime() - ChangeFeatures.SWITCH_HISTORY_DAYS * 86_400_000L);
    Dataset<Row> rawHistory =
        logins.filter(col(Cols.TS).lt(lit(end)).and(col(Cols.TS).geq(lit(historyStart))));
    Dataset<Row> points = ChangeFeatures.switchPoints(rawHistory, cfg);
    Dataset<Row> history =
        LoginFeatures.withContext(
            rawHistory.join(points.select(Cols.ACCOUNT_ID), Cols.ACCOUNT_ID, "left_semi"),
            profiles,
            TimeZones.canonical(spark),
            TimeZones.countryZones(spark),
            TimeZones.defaultZones(spark));

    Dataset<Row> f =
        ProfileFeatures.perAccount(profiles, end, cfg)
            .join(LoginFeatures.perAccount(ctx, cfg), Cols.ACCOUNT_ID, "left")
            .join(LoginFeatures.sharing(ctx, cfg), Cols.ACCOUNT_ID, "left")
            .join(ChangeFeatures.perAccount(ctx, end, cfg), Cols.ACCOUNT_ID, "left")
            .join(
                ChangeFeatures.switchPoint(
                    history,
                    points,
                    ctx,
                    pay,
                    profiles.select(Cols.ACCOUNT_ID, Cols.CLAIMED_COUNTRY, Cols.DISPLAY_NAME),
                    cfg),
                Cols.ACCOUNT_ID,
                "left")
            .join(
                PaymentFeatures.perAccount(pay, profiles, sanctioned, end, cfg),
                Cols.ACCOUNT_ID,
                "left")
            .join(
                ClearingFeatures.perAccount(ctx, pay, profiles, TimeZones.countryZones(spark), cfg),
                Cols.ACCOUNT_ID,
                "left");
    if (profileHistory != null) {
      f = f.join(ProfileChanges.perAccount(profileHistory, asOf, cfg), Cols.ACCOUNT_ID, "left");
    } else {
      f =
          f.withColumn(PROFILE_CHANGES, lit(0L))
              .withColumn(IDENTITY_CHANGES, lit(0L))
              .withColumn(CLAIM_CHANGES, lit(0L))
              .withColumn(IDENTITY_CHANGED_ON, lit(null).cast("date"))
              .withColumn(IDENTITY_CHANGED, lit(null).cast("string"));
    }
    f = withDefaults(f);
    f =
        f.withColumn(
            TAKEOVER_SIGNALS,
            when(col(RECENT_NEW_DEVICE_SHARE).gt(0.5), 1)
                .otherwise(0)
                .plus(col(RECENT_NEW_COUNTRY))
                .plus(col(RECENT_TZ_SHIFT))
                .plus(col(NEW_PAYOUT_RECENT)));
    f = ClearingFeatures.combine(f);
    return new Output(ctx, f);
  }

  /** Counts and shares are 0 where there is nothing to count; ratios stay null when unknown. */
  static Dataset<Row> withDefaults(Dataset<Row> f) {
    List<String> zeroLong =
        List.of(
            N_LOGINS,
            CONCERN_IP_LOGINS,
            KP_HITS,
            LEAK_AFTER_ANONYMIZER,
            FAST_COUNTRY_SWITCHES,
            N_IP_COUNTRIES,
            PYONGYANG_TZ_LOGINS,
            N_DEVICES,
            DEVICE_SHARED_ACCOUNTS,
            DEVICE_DISTINCT_NAMES,
            IP_SHARED_ACCOUNTS,
            N_CLIENTS,
            N_PAYOUT_ACCOUNTS,
            PAYOUT_SHARED_ACCOUNTS,
            PAYOUT_OTHER_PLACES,
            SANCTIONED_HITS,
            NEW_PAYOUT_RECENT,
            RECENT_NEW_COUNTRY,
            RECENT_TZ_SHIFT,
            SHARED_KEYS,
            SHARED_KEYS_ONE_PLACE,
            DIRECT_COUNTRY_CHANGES,
            SWITCH_ZONE_CHANGE,
            SWITCH_NEW_PAYOUT,
            SWITCH_SIGNALS,
            SWITCH_PAY_MOVED_HOME,
            SWITCH_INTO_CLAIM,
            PROFILE_CHANGES,
            IDENTITY_CHANGES,
            CLAIM_CHANGES);
    List<String> zeroDouble =
        List.of(
            FAILED_LOGIN_SHARE,
            VPN_SHARE,
            HOSTING_SHARE,
            FOREIGN_IP_SHARE,
            CONCERN_IP_SHARE,
            TZ_MISMATCH_SHARE,
            NIGHT_SHARE,
            EAST_ASIA_OFFICE_SHARE,
            LANG_MISMATCH_SHARE,
            HUB_IP_SHARE,
            EARNINGS_TOTAL,
            PAYOUT_FOREIGN_SHARE,
            HOLDER_MISMATCH_SHARE,
            CRYPTO_SHARE,
            RECENT_NEW_DEVICE_SHARE,
            SWITCH_NEW_NETWORK_SHARE,
            SWITCH_ANONYMIZER_JUMP,
            SWITCH_EAST_ASIA_JUMP);
    for (String c : zeroLong) {
      f = f.withColumn(c, coalesce(col(c).cast("long"), lit(0L)));
    }
    for (String c : zeroDouble) {
      f = f.withColumn(c, coalesce(col(c).cast("double"), lit(0.0)));
    }
    return f;
  }

  /** Columns of the feature frame that are model inputs (numeric), in a stable order. */
  public static List<String> numericColumns(Dataset<Row> features) {
    return java.util.Arrays.stream(features.schema().fields())
        .filter(
            f ->
                f.dataType() instanceof org.apache.spark.sql.types.NumericType
                    && !f.name().equals(Cols.AS_OF))
        .map(org.apache.spark.sql.types.StructField::name)
        .toList();
  }
}
