package io.unmask.linking;

import static org.apache.spark.sql.functions.*;

import io.unmask.common.Cols;
import io.unmask.common.Progress;
import io.unmask.common.Schemas;
import io.unmask.common.Tables;
import io.unmask.io.DeltaIO;
import io.unmask.io.Inputs;
import java.time.LocalDate;
import java.util.Arrays;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * The linking stage: reads the day's clean profiles, payments and labels from the warehouse, takes
 * the day's sign-ins (with {@code is_anonymizer} from the features stage), and writes {@code
 * account_links}, {@code clusters} and {@code link_hubs} for that {@code as_of} (Delta {@code
 * replaceWhere}: a rerun replaces the day's rows). Logs counts only, never a key or personal datum.
 */
public final class LinkingJob {
  private LinkingJob() {}

  /**
   * Figures of one run, and the per-account cluster features read back from what was written.
   *
   * @param clusterFeatures one row per profile account (schema {@code Schemas.CLUSTER_FEATURES}) to
   *     join into account_features on account_id
   */
  public record Result(
      long links,
      long graphLinks,
      long hubs,
      long clusteredAccounts,
      long clusters,
      long oversizedClusters,
      Dataset<Row> clusterFeatures) {}

  /** As {@link #run(SparkSession, String, LocalDate, Dataset, LinkingConfig, Progress)}. */
  public static Result run(
      SparkSession spark,
      String warehouse,
      LocalDate asOf,
      Dataset<Row> logins,
      LinkingConfig config) {
    return run(spark, warehouse, asOf, logins, config, Progress.stdout());
  }

  /**
   * @param logins the day's sign-ins: account_id, ts, ip, ip_bytes, device_id, is_anonymizer (and
   *     optionally success). It is scanned twice (device and IP aggregations): pass a persisted
   *     frame when computing it is costly (the IP range look-up).
   */
  public static Result run(
      SparkSession spark,
      String warehouse,
      LocalDate asOf,
      Dataset<Row> logins,
      LinkingConfig config,
      Progress progress) {
    progress.start("linking");
    Dataset<Row> profiles = Inputs.profiles(spark, warehouse, asOf);
    Dataset<Row> payments = Inputs.payments(spark, warehouse, asOf);
    Dataset<Row> labels = io.unmask.review.Labels.effective(spark, warehouse, asOf);

    Links.Result linked = Links.build(profiles, logins, payments, config);
    Dataset<Row> links = linked.links().persist(StorageLevel.MEMORY_AND_DISK());
    io.unmask.common.Faults.beforeWrites(spark, "linking");
    try {
      DeltaIO.replaceDay(
          conform(links, asOf, Schemas.ACCOUNT_LINKS), warehouse, Tables.ACCOUNT_LINKS, asOf);
      Clusters.Result clustered = Clusters.build(links, config);
      DeltaIO.replaceDay(
          conform(clustered.clusters(), asOf, Schemas.CLUSTERS), warehouse, Tables.CLUSTERS, asOf);
      DeltaIO.replaceDay(
          conform(linked.hubs().unionByName(clustered.oversized()), asOf, Schemas.LINK_HUBS),
          warehouse,
          Tables.LINK_HUBS,
          asOf);
    } finally {
      links.unpersist();
      linked.release();
    }
    // Figures from what was written: one small aggregation per table.
    Row l =
        day(spark, warehouse, Tables.ACCOUNT_LINKS, asOf)
            .agg(count(lit(1)), count_if(col(Cols.IN_GRAPH)))
            .first();
    Row h =
        day(spark, warehouse, Tables.LINK_HUBS, asOf)
            .agg(
                count_if(col(Cols.KEY_TYPE).notEqual(Clusters.OVERSIZED_KEY_TYPE)),
                count_if(col(Cols.KEY_TYPE).equalTo(Clusters.OVERSIZED_KEY_TYPE)))
            .first();
    Dataset<Row> clusters = day(spark, warehouse, Tables.CLUSTERS, asOf).drop(Cols.AS_OF);
    Row c = clusters.agg(count(lit(1)), countDistinct(col(Cols.CLUSTER_ID))).first();
    Result result =
        new Result(
            l.getLong(0),
            l.getLong(1),
            h.getLong(0),
            c.getLong(0),
            c.getLong(1),
            h.getLong(1),
            ClusterFeatures.compute(profiles, clusters, labels));
    progress.done(
        result.links(),
        String.format(
            "links (%,d in graph), %,d hub keys, %,d clusters over %,d accounts, %,d oversized",
            result.graphLinks(),
            result.hubs(),
            result.clusters(),
            result.clusteredAccounts(),
            result.oversizedClusters()));
    return result;
  }

  private static Dataset<Row> day(
      SparkSession spark, String warehouse, String table, LocalDate asOf) {
    return DeltaIO.read(spark, warehouse, table).filter(col(Cols.AS_OF).equalTo(lit(asOf)));
  }

  /** Adds as_of and orders and types the columns as the table's schema says. */
  static Dataset<Row> conform(Dataset<Row> rows, LocalDate asOf, StructType schema) {
    Dataset<Row> withDay = rows.withColumn(Cols.AS_OF, lit(asOf));
    return withDay.select(
        Arrays.stream(schema.fields())
            .map(f -> col(f.name()).cast(f.dataType()).as(f.name()))
            .toArray(Column[]::new));
  }
}
