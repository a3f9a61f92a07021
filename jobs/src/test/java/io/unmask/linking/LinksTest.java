package io.unmask.linking;

import static io.unmask.linking.LinkFixtures.*;
import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import io.unmask.common.Cols;
import io.unmask.testing.SparkTest;
import java.sql.Timestamp;
import java.time.Instant;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class LinksTest extends SparkTest {

  private static final LinkingConfig CFG = LinkingConfig.defaults();

  @Test
  void deviceIpPayoutAndPhoneLinksWithEvidence() {
    Dataset<Row> profiles =
        profiles(
            spark(),
            profile("a1", "\"phone\":\"+1 (555) 010-0001\""),
            profile("a2", "\"phone\":\"+15550100001\""),
            profile("a3", "\"phone\":\"+15550100002\""),
            profile("a4", ""),
            profile("a7", ""));
    Dataset<Row> logins =
        logins(
            spark(),
            // a1 and a2 on device d1: a1 on 1 and 2 March, a2 on 2 March -> 1 shared day
            login("a1", "2026-03-01T10:00:00Z", "198.51.100.1", "d1", false),
            login("a1", "2026-03-02T10:00:00Z", "198.51.100.1", "d1", false),
            login("a2", "2026-03-02T12:00:00Z", "198.51.100.2", "d1", false),
            // a3 and a4 on one IPv6 address written two ways
            login("a3", "2026-03-03T08:00:00Z", "2001:db8::1", "d3", false),
            login("a4", "2026-03-04T08:00:00Z", "2001:0db8:0:0:0:0:0:1", "d4", false));
    Dataset<Row> payments =
        payments(
            spark(),
            "{\"payment_id\":\"p1\",\"account_id\":\"a1\",\"ts\":\"2026-03-05T00:00:00Z\","
                + "\"kind\":\"withdrawal\",\"amount\":10,\"payout_account\":\"BANK-9\"}",
            "{\"payment_id\":\"p2\",\"account_id\":\"a7\",\"ts\":\"2026-03-06T00:00:00Z\","
                + "\"kind\":\"withdrawal\",\"amount\":20,\"payout_account\":\"BANK-9\"}",
            "{\"payment_id\":\"p3\",\"account_id\":\"a7\",\"ts\":\"2026-03-07T00:00:00Z\","
                + "\"kind\":\"withdrawal\",\"amount\":20,\"payout_account\":\"BANK-9\"}",
            // an earning never links, whatever its payout_account says
            "{\"payment_id\":\"p4\",\"account_id\":\"a3\",\"ts\":\"2026-03-07T00:00:00Z\","
                + "\"kind\":\"earning\",\"amount\":20,\"payout_account\":\"BANK-9\"}");

    Dataset<Row> links = Links.build(profiles, logins, payments, CFG).links();

    assertThat(pairs(links))
        .containsExactly(
            "a1|a2|device|d1",
            "a3|a4|ip|2001:db8::1",
            "a1|a7|payout|BANK-9",
            "a1|a2|phone|+15550100001");
    Row device = links.filter(col(Cols.LINK_TYPE).equalTo("device")).first();
    assertThat(device.<Long>getAs(Cols.EVIDENCE_COUNT)).isEqualTo(3L);
    assertThat(device.<Integer>getAs(Cols.SHARED_DAYS)).isEqualTo(1);
    assertThat(device.<Long>getAs(Cols.SHARED_KEYS)).isEqualTo(1L);
    assertThat(device.<Timestamp>getAs(Cols.FIRST_SEEN))
        .isEqualTo(Timestamp.from(Instant.parse("2026-03-01T10:00:00Z")));
    assertThat(device.<Timestamp>getAs(Cols.LAST_SEEN))
        .isEqualTo(Timestamp.from(Instant.parse("2026-03-02T12:00:00Z")));
    assertThat(device.<Double>getAs(Cols.WEIGHT)).isEqualTo(0.9);
    Row payout = links.filter(col(Cols.LINK_TYPE).equalTo("payout")).first();
    assertThat(payout.<Long>getAs(Cols.EVIDENCE_COUNT)).isEqualTo(3L);
    assertThat(payout.<Integer>getAs(Cols.SHARED_DAYS)).isEqualTo(0);
    assertThat(payout.<Double>getAs(Cols.WEIGHT)).isEqualTo(1.0);
    assertThat(links.filter(col(Cols.IN_GRAPH)).count()).isEqualTo(4);
  }

  @Test
  void hubIpLinksNobodyAndIsReportedAndVpnExitsNeverLink() {
    Dataset<Row> profiles =
        profiles(spark(), profile("h1", ""), profile("h2", ""), profile("h3", ""));
    Dataset<Row> logins =
        logins(
            spark(),
            // 100.64.0.1 on 4 accounts, over an ip cap of 3: a carrier NAT hub
            login("h1", "2026-03-01T10:00:00Z", "100.64.0.1", null, false),
            login("h2", "2026-03-01T10:00:00Z", "100.64.0.1", null, false),
            login("h3", "2026-03-01T10:00:00Z", "100.64.0.1", null, false),
            login("h4", "2026-03-01T10:00:00Z", "100.64.0.1", null, false),
            // h1 and h2 share a VPN exit: no link
            login("h1", "2026-03-02T10:00:00Z", "203.0.113.9", null, true),
            login("h2", "2026-03-02T11:00:00Z", "203.0.113.9", null, true),
            // h3 and h4 share a residential address under the cap: a link
            login("h3", "2026-03-02T10:00:00Z", "192.0.2.7", null, false),
            login("h4", "2026-03-02T11:00:00Z", "192.0.2.7", null, false));
    Links.Result r =
        Links.build(profiles, logins, noPayments(spark()), CFG.withCaps(20, 3, 50, 20, 50));

    assertThat(pairs(r.links())).containsExactly("h3|h4|ip|192.0.2.7");
    assertThat(r.links().first().<Double>getAs(Cols.WEIGHT)).isEqualTo(0.3);
    assertThat(r.hubs().collectAsList())
        .extracting(h -> h.getString(0) + " " + h.getString(1) + " " + h.getLong(2))
        .containsExactly("ip 100.64.0.1 4");
    // The hubs are read from the usages the links were computed from (cached: device, IP, payout,
    // the bios' shingles and their buckets), not from the sign-ins again; release frees them.
    assertThat(r.kept()).hasSize(5);
    String hubsPlan = r.hubs().queryExecution().withCachedData().treeString();
    assertThat(hubsPlan.split("InMemoryRelation", -1).length - 1)
        .as(hubsPlan)
        .isGreaterThanOrEqualTo(4);
    r.release();
    assertThat(r.kept()).allSatisfy(d -> assertThat(d.storageLevel().isValid()).isFalse());
  }

  @Test
  void sameAgencyLinksStayVisibleButOutOfTheGraph() {
    Dataset<Row> profiles =
        profiles(
            spark(),
            profile("g1", "\"agency_id\":\"AG1\""),
            profile("g2", "\"agency_id\":\"AG1\""),
            profile("g3", "\"agency_id\":\"AG2\""));
    Dataset<Row> logins =
        logins(
            spark(),
            login("g1", "2026-03-01T10:00:00Z", "192.0.2.1", "dev-agency", false),
            login("g2", "2026-03-01T10:00:00Z", "192.0.2.2", "dev-agency", false),
            login("g3", "2026-03-01T10:00:00Z", "192.0.2.3", "dev-agency", false));

    Dataset<Row> links = Links.build(profiles, logins, noPayments(spark()), CFG).links();

    assertThat(
            links
                .orderBy(Cols.ACCOUNT_A, Cols.ACCOUNT_B)
                .select(Cols.ACCOUNT_A, Cols.ACCOUNT_B, Cols.SAME_AGENCY, Cols.IN_GRAPH)
                .collectAsList())
        .extracting(Row::toString)
        .containsExactly("[g1,g2,true,false]", "[g1,g3,false,true]", "[g2,g3,false,true]");
  }

  @Test
  void photosWithinDistanceLinkThroughBandedLshAndDefaultAvatarsAreHubs() {
    Dataset<Row> profiles =
        profiles(
            spark(),
            profile("p1", "\"photo_hash\":\"0123456789abcdef\""),
            // 3 bits from p1, all in the last hex digit (f=1111 -> 8=1000)
            profile("p2", "\"photo_hash\":\"0123456789abcde8\""),
            // 10 bits from p1, all in band 0: a candidate that the exact distance rejects
            profile("p3", "\"photo_hash\":\"FE13456789ABCDEF\""),
            // 6 bits from p1 spread over four bands (2+2+1+1)
            profile("p4", "\"photo_hash\":\"3123756799abddef\""),
            // a default avatar on four accounts, over a bucket cap of 3
            profile("p5", "\"photo_hash\":\"ffffffffffffffff\""),
            profile("p9", "\"photo_hash\":\"ffffffffffffffff\""),
            profile("p6", "\"photo_hash\":\"ffffffffffffffff\""),
            profile("p7", "\"photo_hash\":\"ffffffffffffffff\""),
            profile("p8", "\"photo_hash\":\"not-a-hash\""));
    for (int bands : new int[] {4, 8}) {
      Links.Result r =
          Links.photoLinks(profiles, CFG.withCaps(20, 30, 50, 20, 3).withPhoto(6, bands));
      assertThat(pairs(r.links()))
          .as("%d bands", bands)
          .containsExactly(
              "p1|p2|photo|photo hash distance 3", "p1|p4|photo|photo hash distance 6");
      // the avatar fills one bucket per band; with 8-bit bands "67" and "ab" are on 4 accounts too
      Dataset<Row> avatar =
          r.hubs().filter(col(Cols.HUB_KEY).endsWith(bands == 4 ? "0xffff" : "0xff"));
      assertThat(avatar.count()).isEqualTo(bands);
      assertThat(r.hubs().filter(col(Cols.ACCOUNT_COUNT).notEqual(4)).count()).isZero();
      assertThat(r.hubs().count()).isEqualTo(bands == 4 ? 4 : 10);
    }
  }

  @Test
  void nearIdenticalBiosLinkAndUnrelatedOrShortOnesDoNot() {
    String bio =
        "Senior Java developer with ten years of experience building scalable backend systems"
            + " for fintech clients in Europe and North America";
    Dataset<Row> profiles =
        profiles(
            spark(),
            profile("b1", "\"headline\":\"Backend engineer\",\"bio\":\"" + bio + "\""),
            profile(
                "b2",
                "\"headline\":\"Backend engineer\",\"bio\":\""
                    + bio.replace("North America", "Asia")
                    + "\""),
            profile(
                "b3",
                "\"headline\":\"Graphic designer\",\"bio\":\"I draw logos and brand identities"
                    + " for small companies and love typography and colour theory\""),
            profile("b4", "\"headline\":\"Backend engineer\",\"bio\":\"Java dev\""),
            profile("b5", "\"headline\":\"Backend engineer\",\"bio\":\"Java dev\""));

    Links.Result r = Links.bioLinks(profiles, CFG);

    // b1: 2 + 20 words = 20 word 3-grams; b2 drops "north america" for "asia": 19 3-grams,
    // 18 shared, union 21 -> Jaccard distance 3/21 = 0.14. b4/b5 have 4 words: skipped.
    assertThat(pairs(r.links())).containsExactly("b1|b2|bio|bio jaccard distance 0.14");
  }
}
