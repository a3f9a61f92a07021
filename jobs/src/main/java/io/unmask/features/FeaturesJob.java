package io.unmask.features;

import static io.unmask.common.FeatureCols.*;
import static org.apache.spark.sql.functions.*;

import io.unmask.common.Cols;
import io.unmask.common.Progress;
import io.unmask.common.Tables;
import io.unmask.io.DeltaIO;
import io.unmask.linking.LinkingConfig;
import io.unmask.linking.LinkingJob;
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
 * The feature stage: reads the clean tables of one {@code as_of}, builds every per-account feature
 * family and writes {@code account_features} (one row per profile account, partition {@code as_of},
 * rerun-safe).
 */
public final class FeaturesJob {
  private FeaturesJob() {}

  /** What later stages reuse: the enriched sign-ins (for linking) and the feature rows. */
  public record Output(Dataset<Row> enrichedLogins, Dataset<Row> features) {}

  /** End of the as_of day (exclusive): events at or after it are the future. */
  public static Timestamp endOf(LocalDate asOf) {
    return Timestamp.from(asOf.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC));
  }

  static Dataset<Row> day(SparkSession spark, String warehouse, String table, LocalDate asOf) {
    return DeltaIO.read(spark, warehouse, table)
        .filter(col(Cols.AS_OF).equalTo(lit(java.sql.Date.valueOf(asOf))))
        .drop(Cols.AS_OF);
  }

  /** Builds every feature from frames (no I/O): the testable core of the stage. */
  public static Output build(
      SparkSession spark,
      Dataset<Row> profiles,
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

    Dataset<Row> f =
        ProfileFeatures.perAccount(profiles, end, cfg)
            .join(LoginFeatures.perAccount(ctx, cfg), Cols.ACCOUNT_ID, "left")
            .join(LoginFeatures.sharing(ctx, cfg), Cols.ACCOUNT_ID, "left")
            .join(ChangeFeatures.perAccount(ctx, end, cfg), Cols.ACCOUNT_ID, "left")
            .join(
                PaymentFeatures.perAccount(pay, profiles, sanctioned, end, cfg),
                Cols.ACCOUNT_ID,
                "left")
            .join(
                ClearingFeatures.perAccount(ctx, pay, profiles, TimeZones.countryZones(spark), cfg),
                Cols.ACCOUNT_ID,
                "left");
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
            DIRECT_COUNTRY_CHANGES);
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
            RECENT_NEW_DEVICE_SHARE);
    for (String c : zeroLong) {
      f = f.withColumn(c, coalesce(col(c).cast("long"), lit(0L)));
    }
    for (String c : zeroDouble) {
      f = f.withColumn(c, coalesce(col(c).cast("double"), lit(0.0)));
    }
    return f;
  }

  /** As {@link #run(SparkSession, String, LocalDate, FeatureConfig, LinkingConfig, Progress)}. */
  public static Output run(
      SparkSession spark, String warehouse, LocalDate asOf, FeatureConfig cfg, Progress progress) {
    return run(spark, warehouse, asOf, cfg, LinkingConfig.defaults(), progress);
  }

  /**
   * Reads the as_of tables, builds the features, links the accounts ({@code linking} settings) and
   * writes {@code account_features} with the cluster features joined.
   */
  public static Output run(
      SparkSession spark,
      String warehouse,
      LocalDate asOf,
      FeatureConfig cfg,
      LinkingConfig linking,
      Progress progress) {
    progress.start("features");
    Dataset<Row> profiles = day(spark, warehouse, Tables.PROFILES, asOf);
    Dataset<Row> logins = day(spark, warehouse, Tables.LOGINS, asOf);
    Dataset<Row> payments = day(spark, warehouse, Tables.PAYMENTS, asOf);
    Broadcast<IpLookup> lookup =
        IpEnrichment.broadcast(
            spark, IpLookup.fromRanges(DeltaIO.read(spark, warehouse, Tables.IP_RANGES)));
    Dataset<Row> sanctioned = DeltaIO.read(spark, warehouse, Tables.SANCTIONED_ADDRESSES);
    Output out = build(spark, profiles, logins, payments, lookup, sanctioned, asOf, cfg);
    // Linking works on the same enriched sign-ins (it needs is_anonymizer); its cluster
    // features join the account's own.
    LinkingJob.Result links =
        LinkingJob.run(spark, warehouse, asOf, out.enrichedLogins(), linking, progress);
    progress.start("features");
    Dataset<Row> rows =
        out.features()
            .join(links.clusterFeatures(), Cols.ACCOUNT_ID, "left")
            .withColumn(Cols.AS_OF, lit(java.sql.Date.valueOf(asOf)));
    DeltaIO.replaceDay(rows, warehouse, Tables.ACCOUNT_FEATURES, asOf);
    out.enrichedLogins().unpersist();
    long n =
        DeltaIO.read(spark, warehouse, Tables.ACCOUNT_FEATURES)
            .filter(col(Cols.AS_OF).equalTo(lit(java.sql.Date.valueOf(asOf))))
            .count();
    progress.done(n, "accounts with features (with cluster features)");
    return out;
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
