package io.unmask.linking;

import static io.unmask.linking.LinkFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.unmask.common.Cols;
import io.unmask.common.Schemas;
import io.unmask.testing.SparkTest;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class ClusterFeaturesTest extends SparkTest {

  @Test
  void clusterFiguresAndLeaveOneOutConfirmedShare() {
    Dataset<Row> profiles =
        profiles(
            spark(),
            profile("a", "\"display_name\":\"Ann Lee\",\"claimed_city\":\"Austin\""),
            profile("b", "\"display_name\":\" ann  lee\",\"claimed_city\":\"austin\""),
            "{\"account_id\":\"c\",\"created_at\":\"2025-01-01T00:00:00Z\","
                + "\"claimed_country\":\"JP\",\"display_name\":\"Bob\",\"claimed_city\":\"Tokyo\"}",
            profile("d", ""),
            profile("e", "\"display_name\":\"Eve\""));
    Dataset<Row> clusters =
        json(spark(), Schemas.CLUSTERS, cluster("a"), cluster("b"), cluster("c"), cluster("d"));
    Dataset<Row> labels =
        labels(
            spark(),
            "{\"account_id\":\"a\",\"label\":1,\"labeled_at\":\"2026-01-01T00:00:00Z\"}",
            // b: the later label wins
            "{\"account_id\":\"b\",\"label\":0,\"labeled_at\":\"2025-01-01T00:00:00Z\"}",
            "{\"account_id\":\"b\",\"label\":1,\"labeled_at\":\"2026-06-01T00:00:00Z\"}",
            "{\"account_id\":\"c\",\"label\":0,\"labeled_at\":\"2026-01-01T00:00:00Z\"}",
            "{\"account_id\":\"e\",\"label\":1,\"labeled_at\":\"2026-01-01T00:00:00Z\"}");

    Dataset<Row> f = ClusterFeatures.compute(profiles, clusters, labels);

    assertThat(List.of(f.columns())).containsExactly(Schemas.CLUSTER_FEATURES.fieldNames());
    // a: others b(1), c(0) -> 1/2; b: a(1), c(0) -> 1/2; c: a, b -> 2/2; d: 2/3; e: alone
    assertThat(f.orderBy(Cols.ACCOUNT_ID).collectAsList().stream().map(Row::toString).toList())
        .containsExactly(
            "[a,c-a,4,2,2,2,2,0,1,0,0,0,2,0.5]",
            "[b,c-a,4,2,2,2,2,0,1,0,0,0,2,0.5]",
            "[c,c-a,4,2,2,2,2,0,1,0,0,0,2,1.0]",
            "[d,c-a,4,2,2,2,2,0,1,0,0,0,3,0.6666666666666666]",
            "[e,null,1,1,1,0,0,0,0,0,0,0,0,null]");
  }

  private static String cluster(String id) {
    return "{\"account_id\":\""
        + id
        + "\",\"cluster_id\":\"c-a\",\"cluster_size\":4,\"device_links\":2,\"ip_links\":0,"
        + "\"payout_links\":1,\"phone_links\":0,\"photo_links\":0,\"bio_links\":0,"
        + "\"as_of\":\"2026-03-31\"}";
  }
}
