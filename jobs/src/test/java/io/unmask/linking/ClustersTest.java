package io.unmask.linking;

import static org.assertj.core.api.Assertions.assertThat;

import io.unmask.common.Cols;
import io.unmask.testing.SparkTest;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class ClustersTest extends SparkTest {

  private static final StructType LINKS =
      new StructType()
          .add(Cols.ACCOUNT_A, DataTypes.StringType)
          .add(Cols.ACCOUNT_B, DataTypes.StringType)
          .add(Cols.LINK_TYPE, DataTypes.StringType)
          .add(Cols.IN_GRAPH, DataTypes.BooleanType);

  private static Dataset<Row> links(String... abTypeInGraph) {
    List<Row> rows = new ArrayList<>();
    for (String s : abTypeInGraph) {
      String[] f = s.split(" ");
      rows.add(RowFactory.create(f[0], f[1], f[2], f.length < 4 || Boolean.parseBoolean(f[3])));
    }
    return spark().createDataFrame(rows, LINKS);
  }

  /** "account cluster size device ip payout phone photo bio", sorted by account. */
  private static List<String> rows(Dataset<Row> clusters) {
    return clusters.orderBy(Cols.ACCOUNT_ID).collectAsList().stream()
        .map(
            r -> {
              StringBuilder b = new StringBuilder();
              for (int i = 0; i < r.length(); i++) {
                b.append(i == 0 ? "" : " ").append(r.get(i));
              }
              return b.toString();
            })
        .toList();
  }

  @Test
  void chainAndPairGiveTwoClustersAndAgencyLinksJoinNobody() {
    Dataset<Row> links =
        links(
            "b c device",
            "a b ip",
            "a b payout",
            "d e photo",
            // same-agency device link: visible in account_links, not in any cluster
            "f g device false");

    Clusters.Result r = Clusters.build(links, LinkingConfig.defaults());

    assertThat(rows(r.clusters()))
        .containsExactly(
            "a c-a 3 1 1 1 0 0 0",
            "b c-a 3 1 1 1 0 0 0",
            "c c-a 3 1 1 1 0 0 0",
            "d c-d 2 0 0 0 0 1 0",
            "e c-d 2 0 0 0 0 1 0");
    assertThat(r.oversized().count()).isZero();
  }

  @Test
  void noLinksAtAllGiveNoClusters() {
    Dataset<Row> links =
        Links.build(
                LinkFixtures.profiles(spark(), LinkFixtures.profile("z1", "")),
                LinkFixtures.noLogins(spark()),
                LinkFixtures.noPayments(spark()),
                LinkingConfig.defaults())
            .links();
    Clusters.Result r = Clusters.build(links, LinkingConfig.defaults());
    assertThat(links.count()).isZero();
    assertThat(r.clusters().count()).isZero();
    assertThat(r.oversized().count()).isZero();
  }

  @Test
  void longChainConvergesThroughCheckpoints() {
    // n09-n08-...-n00 given in an order that makes plain propagation slow
    List<String> chain = new ArrayList<>();
    for (int i = 9; i > 0; i--) {
      chain.add(String.format("n%02d n%02d device", i - 1, i));
    }
    Dataset<Row> comp =
        Clusters.components(
            Clusters.edges(links(chain.toArray(String[]::new))),
            LinkingConfig.defaults().withIterations(20, 2));
    assertThat(comp.select(Clusters.LABEL).distinct().collectAsList())
        .extracting(r -> r.getString(0))
        .containsExactly("n00");
    assertThat(comp.count()).isEqualTo(10);
  }

  @Test
  void giantComponentsLoseTheirWeakestLinksAndWhatStaysTooBigIsReported() {
    Dataset<Row> links =
        links(
            // 4 accounts only through one IP link: split into two pairs once ip is dropped
            "a b device",
            "c d device",
            "b c ip",
            // 4 accounts chained by payout accounts: still 4 after dropping ip and bio
            "e f payout",
            "f g payout",
            "g h payout",
            "e h bio",
            // a small cluster is untouched
            "x y phone");

    Clusters.Result r = Clusters.build(links, LinkingConfig.defaults().withMaxClusterSize(3));

    assertThat(rows(r.clusters()))
        .containsExactly(
            "a c-a 2 1 0 0 0 0 0",
            "b c-a 2 1 0 0 0 0 0",
            "c c-c 2 1 0 0 0 0 0",
            "d c-c 2 1 0 0 0 0 0",
            "x c-x 2 0 0 0 1 0 0",
            "y c-x 2 0 0 0 1 0 0");
    assertThat(r.oversized().collectAsList())
        .extracting(Row::toString)
        .containsExactly("[oversized_cluster,c-e,4]");
  }

  @Test
  void driverUnionFindAndLabelPropagationGiveTheSameComponents() {
    // A random forest of chains and stars, with ids whose string order is not numeric order.
    java.util.Random rnd = new java.util.Random(7);
    List<String> edges = new ArrayList<>();
    for (int i = 1; i < 300; i++) {
      if (rnd.nextInt(10) > 0) {
        edges.add("v" + rnd.nextInt(i) + " v" + i + " device");
      }
    }
    edges.add("\u00e9x v5 device");
    Dataset<Row> e = Clusters.edges(links(edges.toArray(String[]::new)));
    LinkingConfig cfg = LinkingConfig.defaults();
    List<String> local = sortedRows(Clusters.components(e, cfg));
    String key = Clusters.LOCAL_MAX_EDGES_CONF;
    try {
      spark().conf().set(key, "0");
      assertThat(sortedRows(Clusters.components(e, cfg))).isEqualTo(local);
      spark().conf().set(key, "10"); // fewer than the edges: propagation as well
      assertThat(sortedRows(Clusters.components(e, cfg))).isEqualTo(local);
    } finally {
      spark().conf().unset(key);
    }
    assertThat(local).hasSizeGreaterThan(250);
  }

  private static List<String> sortedRows(Dataset<Row> comp) {
    return comp.select(Clusters.ID, Clusters.LABEL).collectAsList().stream()
        .map(r -> r.getString(0) + " " + r.getString(1))
        .sorted()
        .toList();
  }
}
