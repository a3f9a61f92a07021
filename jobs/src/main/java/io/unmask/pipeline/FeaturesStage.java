package io.unmask.pipeline;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.unmask.common.Cols;
import io.unmask.common.Progress;
import io.unmask.common.Tables;
import io.unmask.features.ChangeFeatures;
import io.unmask.features.FeatureConfig;
import io.unmask.features.FeaturesJob;
import io.unmask.features.IpEnrichment;
import io.unmask.features.IpLookup;
import io.unmask.io.DeltaIO;
import io.unmask.io.Inputs;
import io.unmask.linking.LinkingConfig;
import io.unmask.linking.LinkingJob;
import java.time.LocalDate;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The features stage as the pipeline runs it, with linking inside: reads the as_of tables, builds
 * the features ({@link FeaturesJob#build}), links the accounts on the same enriched sign-ins
 * ({@link LinkingJob#run}) and writes {@code account_features} with the cluster features joined
 * (partition {@code as_of}, rerun-safe). It lives here, not in {@code features}, so that the
 * dependency runs one way: linking uses the features' IP enrichment, features never use linking.
 */
public final class FeaturesStage {
  private FeaturesStage() {}

  /**
   * Reads the as_of tables, builds the features, links the accounts ({@code linking} settings) and
   * writes {@code account_features} with the cluster features joined.
   */
  public static FeaturesJob.Output run(
      SparkSession spark,
      String warehouse,
      LocalDate asOf,
      FeatureConfig cfg,
      LinkingConfig linking,
      Progress progress) {
    progress.start("features");
    Dataset<Row> profiles = Inputs.profiles(spark, warehouse, asOf);
    // only the partitions of the longest window a feature reads
    Dataset<Row> logins =
        Inputs.logins(
            spark,
            warehouse,
            asOf,
            Math.max(cfg.lookbackDays(), ChangeFeatures.SWITCH_HISTORY_DAYS) + 1);
    Dataset<Row> payments = Inputs.payments(spark, warehouse, asOf);
    Broadcast<IpLookup> lookup =
        IpEnrichment.broadcast(
            spark, IpLookup.fromRanges(DeltaIO.read(spark, warehouse, Tables.IP_RANGES)));
    Dataset<Row> sanctioned = DeltaIO.read(spark, warehouse, Tables.SANCTIONED_ADDRESSES);
    FeaturesJob.Output out =
        FeaturesJob.build(
            spark,
            profiles,
            Inputs.profileHistory(spark, warehouse, asOf),
            logins,
            payments,
            lookup,
            sanctioned,
            asOf,
            cfg);
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
}
