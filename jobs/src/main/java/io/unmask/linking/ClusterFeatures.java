package io.unmask.linking;

import static io.unmask.common.Cols.*;
import static io.unmask.linking.Links.seq;
import static org.apache.spark.sql.functions.*;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;

/**
 * Per-account features drawn from the account's cluster, to join into {@code account_features} on
 * account_id. One row per profile account (schema {@code Schemas.CLUSTER_FEATURES}):
 *
 * <ul>
 *   <li>{@code cluster_id}: null when the account has no (kept) cluster;
 *   <li>{@code cluster_size}: accounts in the cluster (1 when unclustered);
 *   <li>{@code cluster_distinct_names}, {@code _countries}, {@code _cities}: distinct normalised
 *       display names, claimed countries and (country, city) pairs among its members: many
 *       identities run from one device, payout account or photo (laptop farm);
 *   <li>{@code cluster_<type>_links}: the cluster's in-graph links of each type (0 when
 *       unclustered);
 *   <li>{@code cluster_other_labeled}: labelled members other than the account itself;
 *   <li>{@code cluster_confirmed_share}: confirmed (label 1) share among those other labelled
 *       members, leave-one-out so that an account's own label never leaks into its feature; null
 *       when no other member is labelled.
 * </ul>
 */
public final class ClusterFeatures {
  private ClusterFeatures() {}

  /**
   * @param profiles clean profiles (account_id, display_name, claimed_country, claimed_city)
   * @param clusters the {@code clusters} rows of the day (account_id, cluster_id, cluster_size,
   *     *_links)
   * @param labels labels (account_id, label, labeled_at); may be null when there are none
   */
  public static Dataset<Row> compute(
      Dataset<Row> profiles, Dataset<Row> clusters, Dataset<Row> labels) {
    Column name = nullIfBlank(lower(trim(regexp_replace(col(DISPLAY_NAME), "\\s+", " "))));
    Column country = nullIfBlank(upper(trim(col(CLAIMED_COUNTRY))));
    Column city = nullIfBlank(lower(trim(col(CLAIMED_CITY))));
    Dataset<Row> people =
        profiles.select(
            col(ACCOUNT_ID),
            name.as("_name"),
            country.as("_country"),
            when(city.isNotNull(), concat_ws("|", coalesce(country, lit("")), city)).as("_city"));
    Dataset<Row> latest = latestLabels(profiles, labels);
    Dataset<Row> members =
        clusters
            .select(
                col(ACCOUNT_ID),
                col(CLUSTER_ID),
                col(CLUSTER_SIZE),
                col(Clusters.countColumn(LinkType.DEVICE)),
                col(Clusters.countColumn(LinkType.IP)),
                col(Clusters.countColumn(LinkType.PAYOUT)),
                col(Clusters.countColumn(LinkType.PHONE)),
                col(Clusters.countColumn(LinkType.PHOTO)),
                col(Clusters.countColumn(LinkType.BIO)))
            .join(people, seq(ACCOUNT_ID), "left")
            .join(latest, seq(ACCOUNT_ID), "left")
            .withColumn("_pos", when(col(LABEL).equalTo(1), 1L).otherwise(0L))
            .withColumn("_lab", when(col(LABEL).isNotNull(), 1L).otherwise(0L));
    Dataset<Row> perCluster =
        members
            .groupBy(CLUSTER_ID)
            .agg(
                countDistinct(col("_name")).as("_names"),
                countDistinct(col("_country")).as("_countries"),
                countDistinct(col("_city")).as("_cities"),
                sum("_pos").as("_cpos"),
                sum("_lab").as("_clab"));
    Column otherLabeled = col("_clab").minus(col("_lab"));
    Dataset<Row> clustered =
        members
            .join(perCluster, seq(CLUSTER_ID))
            .select(
                col(ACCOUNT_ID),
                col(CLUSTER_ID),
                col(CLUSTER_SIZE),
                col("_names").as(CLUSTER_DISTINCT_NAMES),
                col("_countries").as(CLUSTER_DISTINCT_COUNTRIES),
                col("_cities").as(CLUSTER_DISTINCT_CITIES),
                col(Clusters.countColumn(LinkType.DEVICE)).as(CLUSTER_DEVICE_LINKS),
                col(Clusters.countColumn(LinkType.IP)).as(CLUSTER_IP_LINKS),
                col(Clusters.countColumn(LinkType.PAYOUT)).as(CLUSTER_PAYOUT_LINKS),
                col(Clusters.countColumn(LinkType.PHONE)).as(CLUSTER_PHONE_LINKS),
                col(Clusters.countColumn(LinkType.PHOTO)).as(CLUSTER_PHOTO_LINKS),
                col(Clusters.countColumn(LinkType.BIO)).as(CLUSTER_BIO_LINKS),
                otherLabeled.as(CLUSTER_OTHER_LABELED),
                when(
                        otherLabeled.gt(0),
                        col("_cpos")
                            .minus(col("_pos"))
                            .cast(DataTypes.DoubleType)
                            .divide(otherLabeled))
                    .as(CLUSTER_CONFIRMED_SHARE));
    // Every profile account once; unclustered ones describe only themselves.
    List<Column> out = new ArrayList<>();
    out.add(col(ACCOUNT_ID));
    out.add(col(CLUSTER_ID));
    out.add(coalesce(col(CLUSTER_SIZE), lit(1L)).as(CLUSTER_SIZE));
    out.add(self(CLUSTER_DISTINCT_NAMES, "_name"));
    out.add(self(CLUSTER_DISTINCT_COUNTRIES, "_country"));
    out.add(self(CLUSTER_DISTINCT_CITIES, "_city"));
    for (String c :
        List.of(
            CLUSTER_DEVICE_LINKS,
            CLUSTER_IP_LINKS,
            CLUSTER_PAYOUT_LINKS,
            CLUSTER_PHONE_LINKS,
            CLUSTER_PHOTO_LINKS,
            CLUSTER_BIO_LINKS,
            CLUSTER_OTHER_LABELED)) {
      out.add(coalesce(col(c), lit(0L)).as(c));
    }
    out.add(col(CLUSTER_CONFIRMED_SHARE));
    return people.join(clustered, seq(ACCOUNT_ID), "left").select(out.toArray(Column[]::new));
  }

  private static Column self(String feature, String own) {
    return coalesce(col(feature), when(col(own).isNotNull(), 1L).otherwise(0L)).as(feature);
  }

  /**
   * One label per account: the latest labeled_at wins (a label without a time loses to any dated
   * one; among equals the confirmed label wins, so the result is deterministic).
   */
  public static Dataset<Row> latestLabels(Dataset<Row> profiles, Dataset<Row> labels) {
    if (labels == null) {
      return profiles
          .sparkSession()
          .emptyDataFrame()
          .select(lit(null).cast("string").as(ACCOUNT_ID), lit(null).cast("int").as(LABEL));
    }
    return labels
        .filter(col(LABEL).isNotNull())
        .withColumn(
            "_rn",
            row_number()
                .over(
                    Window.partitionBy(ACCOUNT_ID)
                        .orderBy(col(LABELED_AT).desc_nulls_last(), col(LABEL).desc())))
        .filter(col("_rn").equalTo(1))
        .select(col(ACCOUNT_ID), col(LABEL).cast("int").as(LABEL));
  }

  private static Column nullIfBlank(Column c) {
    return when(length(c).gt(0), c);
  }
}
