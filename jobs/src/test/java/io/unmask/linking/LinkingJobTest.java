package io.unmask.linking;

import static io.unmask.linking.LinkFixtures.*;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;

import io.unmask.common.Cols;
import io.unmask.common.Progress;
import io.unmask.common.Schemas;
import io.unmask.common.Tables;
import io.unmask.ingest.Store;
import io.unmask.io.DeltaIO;
import io.unmask.testing.SparkTest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class LinkingJobTest extends SparkTest {

  private static final LocalDate DAY = LocalDate.parse("2026-03-31");
  private static final LocalDate OTHER_DAY = LocalDate.parse("2026-03-30");

  @Test
  void writesLinksClustersAndHubsAndARerunReplacesTheDay() {
    String wh = tempDir("linking-wh").toString();
    Dataset<Row> profiles =
        profiles(
            spark(),
            profile("a1", "\"display_name\":\"Ann\""),
            profile("a2", "\"display_name\":\"Bo\""),
            profile("a3", "\"display_name\":\"Cy\""),
            profile("a4", "\"display_name\":\"Di\""));
    Dataset<Row> payments =
        payments(
            spark(),
            "{\"payment_id\":\"p1\",\"account_id\":\"a2\",\"ts\":\"2026-03-05T00:00:00Z\","
                + "\"kind\":\"withdrawal\",\"amount\":10,\"payout_account\":\"W-1\"}",
            "{\"payment_id\":\"p2\",\"account_id\":\"a3\",\"ts\":\"2026-03-06T00:00:00Z\","
                + "\"kind\":\"withdrawal\",\"amount\":20,\"payout_account\":\"W-1\"}");
    Dataset<Row> labels =
        labels(
            spark(), "{\"account_id\":\"a1\",\"label\":1,\"labeled_at\":\"2026-01-01T00:00:00Z\"}");
    for (LocalDate d : List.of(OTHER_DAY, DAY)) {
      Store.write(profiles, wh, Schemas.PROFILES_SPEC, d);
      Store.write(payments, wh, Schemas.PAYMENTS_SPEC, d);
      Store.write(labels, wh, Schemas.LABELS_SPEC, d);
    }
    Dataset<Row> logins =
        logins(
            spark(),
            login("a1", "2026-03-01T10:00:00Z", "192.0.2.1", "d-1", false),
            login("a2", "2026-03-01T11:00:00Z", "192.0.2.2", "d-1", false));
    Progress quiet = new Progress(new PrintStream(new ByteArrayOutputStream()));
    LinkingConfig cfg = LinkingConfig.defaults();

    // another day's links, written earlier, must survive the runs of DAY
    DeltaIO.replaceDay(
        LinkingJob.conform(
            Links.build(profiles, logins, payments, cfg).links(), OTHER_DAY, Schemas.ACCOUNT_LINKS),
        wh,
        Tables.ACCOUNT_LINKS,
        OTHER_DAY);
    LinkingJob.Result first = LinkingJob.run(spark(), wh, DAY, logins, cfg, quiet);
    LinkingJob.Result again = LinkingJob.run(spark(), wh, DAY, logins, cfg, quiet);

    assertThat(first.links()).isEqualTo(2); // a1-a2 device, a2-a3 payout
    assertThat(first.clusters()).isEqualTo(1);
    assertThat(first.clusteredAccounts()).isEqualTo(3);
    assertThat(again.links()).isEqualTo(first.links());
    Dataset<Row> links = DeltaIO.read(spark(), wh, Tables.ACCOUNT_LINKS);
    assertThat(links.count()).isEqualTo(4); // two per day, the rerun replaced its own
    assertThat(List.of(links.columns()))
        .containsExactlyInAnyOrder(Schemas.ACCOUNT_LINKS.fieldNames());
    Dataset<Row> clusters =
        DeltaIO.read(spark(), wh, Tables.CLUSTERS).filter(col(Cols.AS_OF).equalTo(lit(DAY)));
    assertThat(
            clusters
                .select(Cols.ACCOUNT_ID, Cols.CLUSTER_ID, Cols.CLUSTER_SIZE)
                .orderBy(Cols.ACCOUNT_ID)
                .collectAsList())
        .extracting(Row::toString)
        .containsExactly("[a1,c-a1,3]", "[a2,c-a1,3]", "[a3,c-a1,3]");
    assertThat(DeltaIO.read(spark(), wh, Tables.CLUSTERS).count()).isEqualTo(3);
    assertThat(DeltaIO.read(spark(), wh, Tables.LINK_HUBS).count()).isZero();
    // features for every profile account; a2 and a3 see a1's confirmed label, a1 sees none
    assertThat(
            first
                .clusterFeatures()
                .orderBy(Cols.ACCOUNT_ID)
                .select(Cols.ACCOUNT_ID, Cols.CLUSTER_SIZE, Cols.CLUSTER_CONFIRMED_SHARE)
                .collectAsList())
        .extracting(Row::toString)
        .containsExactly("[a1,3,null]", "[a2,3,1.0]", "[a3,3,1.0]", "[a4,1,null]");
  }
}
