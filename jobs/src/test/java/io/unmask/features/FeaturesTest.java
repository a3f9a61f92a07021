package io.unmask.features;

import static io.unmask.common.FeatureCols.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.unmask.common.Cols;
import io.unmask.common.Schemas;
import io.unmask.ingest.IpAddress;
import io.unmask.reference.ReferenceData;
import io.unmask.testing.SparkTest;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every feature family on one hand-made platform of five accounts, with the expected values worked
 * out by hand in the comments. as_of 2026-03-31 (window ends 2026-04-01T00:00Z); in late March
 * Chicago is UTC-5, Shanghai UTC+8.
 */
class FeaturesTest extends SparkTest {
  private static final String SANCTIONED = "TDe2UNAvuUnTbbDo7518eMe3TXN5qJW8Ft"; // DPRK4
  private static Map<String, Row> f;

  private static Row range(String start, String end, String country, Boolean vpn, Boolean hosting) {
    byte[] s = IpAddress.toBytes(start);
    return RowFactory.create(
        start,
        end,
        IpAddress.version(s),
        s,
        IpAddress.toBytes(end),
        country,
        null,
        null,
        hosting,
        vpn,
        "shipped:test");
  }

  private static Row login(
      String id,
      String account,
      String ts,
      String ip,
      String device,
      String tz,
      String lang,
      boolean success) {
    byte[] b = IpAddress.toBytes(ip);
    return RowFactory.create(
        id, account, Timestamp.from(Instant.parse(ts)), ip, 4, b, device, null, tz, lang, success);
  }

  private static Row payment(
      String id,
      String account,
      String ts,
      String kind,
      double amount,
      String client,
      String method,
      String payout,
      String country,
      String holder) {
    return RowFactory.create(
        id,
        account,
        Timestamp.from(Instant.parse(ts)),
        kind,
        new java.math.BigDecimal(amount),
        "USD",
        client,
        method,
        payout,
        country,
        holder);
  }

  @BeforeAll
  static void build() {
    var spark = spark();
    Dataset<Row> ranges =
        spark.createDataFrame(
            List.of(
                range("8.0.0.0", "8.255.255.255", "US", null, null),
                range("1.0.1.0", "1.0.3.255", "CN", null, null),
                range("175.45.176.0", "175.45.179.255", "KP", null, null),
                range("20.0.0.0", "20.255.255.255", "JP", null, null),
                range("9.9.9.0", "9.9.9.255", null, true, null),
                range("10.10.0.0", "10.10.255.255", null, null, true)),
            Schemas.IP_RANGES);
    Broadcast<IpLookup> lookup = IpEnrichment.broadcast(spark, IpLookup.fromRanges(ranges));

    StructType profileSchema = Schemas.PROFILES_SPEC.cleanSchema();
    List<Row> profiles = new ArrayList<>();
    Timestamp created = Timestamp.from(Instant.parse("2025-01-01T00:00:00Z"));
    profiles.add(
        profile(
            profileSchema,
            "u1",
            created,
            "Ann Lee",
            "voip",
            "US",
            "America/Chicago",
            "java;spark",
            20,
            "KR",
            null));
    profiles.add(
        profile(
            profileSchema, "u2", created, "Bob Ray", "mobile", "US", null, "java", 60, null, null));
    profiles.add(
        profile(
            profileSchema,
            "u3",
            created,
            "Ken Sato",
            "mobile",
            "JP",
            "Asia/Tokyo",
            "java",
            40,
            "JP",
            "ag1"));
    profiles.add(
        profile(
            profileSchema,
            "u4",
            created,
            "Yui Mori",
            "mobile",
            "JP",
            "Asia/Tokyo",
            "java",
            40,
            null,
            "ag1"));
    profiles.add(
        profile(profileSchema, "u5", created, "No Logins", null, "DE", null, null, 0, null, null));
    Dataset<Row> p = spark.createDataFrame(profiles, profileSchema);

    List<Row> logins =
        List.of(
            login(
                "e1",
                "u1",
                "2026-03-30T14:00:00Z",
                "9.9.9.9",
                "d1",
                "Asia/Shanghai",
                "zh-CN",
                true),
            login("e2", "u1", "2026-03-30T14:30:00Z", "1.0.1.5", "d1", "Asia/Shanghai", null, true),
            login(
                "e3", "u1", "2026-03-30T15:00:00Z", "8.8.8.8", "d1", "Asia/Shanghai", null, false),
            login(
                "e4",
                "u1",
                "2026-03-31T02:00:00Z",
                "8.8.8.8",
                "d1",
                "America/Chicago",
                "en-US",
                true),
            login("e5", "u2", "2026-03-31T03:00:00Z", "8.8.8.8", "d1", null, null, true),
            login("e6", "u2", "2026-03-31T05:00:00Z", "8.8.4.4", "d2", null, null, true),
            login(
                "e10", "u3", "2026-01-01T01:00:00Z", "20.1.1.1", "d3", "Asia/Tokyo", "ja-JP", true),
            login(
                "e11",
                "u3",
                "2026-03-25T01:00:00Z",
                "175.45.176.1",
                "d9",
                "Asia/Pyongyang",
                null,
                true),
            login(
                "e12", "u3", "2026-03-31T05:00:00Z", "8.8.4.4", "d3", "Asia/Pyongyang", null, true),
            login("e13", "u4", "2026-03-30T01:00:00Z", "20.1.1.1", "d3", "Asia/Tokyo", null, true),
            login("e14", "u4", "2026-03-31T05:00:00Z", "8.8.4.4", "d4", "Asia/Tokyo", null, true),
            login(
                "e99",
                "u4",
                "2026-04-02T05:00:00Z",
                "1.0.1.1",
                "d4",
                "Asia/Tokyo",
                null,
                true)); // future
    Dataset<Row> l = spark.createDataFrame(logins, Schemas.LOGINS_SPEC.cleanSchema());

    List<Row> payments =
        List.of(
            payment(
                "p1", "u1", "2026-03-20T00:00:00Z", "earning", 1000, "c1", null, null, null, null),
            payment(
                "p2", "u1", "2026-01-10T00:00:00Z", "earning", 500, "c2", null, null, null, null),
            payment(
                "p3",
                "u1",
                "2026-03-21T00:00:00Z",
                "withdrawal",
                1400,
                null,
                "crypto",
                SANCTIONED,
                "CN",
                "Kim Chol"),
            payment(
                "p4",
                "u1",
                "2026-03-22T00:00:00Z",
                "withdrawal",
                100,
                null,
                "bank",
                "P-shared",
                "US",
                "Ann Lee"),
            payment(
                "p5", "u2", "2026-03-22T00:00:00Z", "earning", 100, "c1", null, null, null, null),
            payment(
                "p6",
                "u2",
                "2026-03-23T00:00:00Z",
                "withdrawal",
                100,
                null,
                "bank",
                "P-shared",
                "US",
                "Ray, Bob"),
            payment(
                "p7",
                "u3",
                "2026-03-23T00:00:00Z",
                "withdrawal",
                10,
                null,
                "bank",
                "P-agency",
                "JP",
                "Agency One Ltd"),
            payment(
                "p8",
                "u4",
                "2026-03-23T00:00:00Z",
                "withdrawal",
                10,
                null,
                "bank",
                "P-agency",
                "JP",
                "Agency One Ltd"));
    Dataset<Row> pay = spark.createDataFrame(payments, Schemas.PAYMENTS_SPEC.cleanSchema());

    FeatureConfig cfg = new FeatureConfig(90, 14, List.of("CN", "RU", "KP"), 2, 20, 60, 20);
    Dataset<Row> features =
        FeaturesJob.build(
                spark,
                p,
                l,
                pay,
                lookup,
                ReferenceData.shippedSanctioned(spark),
                LocalDate.parse("2026-03-31"),
                cfg)
            .features();
    f = new HashMap<>();
    for (Row r : features.collectAsList()) {
      f.put(r.getAs(Cols.ACCOUNT_ID), r);
    }
  }

  private static Row profile(
      StructType schema,
      String id,
      Timestamp created,
      String name,
      String phoneType,
      String country,
      String tz,
      String skills,
      double rate,
      String idDoc,
      String agency) {
    Object[] v = new Object[schema.size()];
    Map<String, Object> m = new HashMap<>();
    m.put(Cols.ACCOUNT_ID, id);
    m.put(Cols.CREATED_AT, created);
    m.put(Cols.DISPLAY_NAME, name);
    m.put(Cols.PHONE_TYPE, phoneType);
    m.put(Cols.CLAIMED_COUNTRY, country);
    m.put(Cols.CLAIMED_TIMEZONE, tz);
    m.put(Cols.SKILLS, skills);
    m.put(Cols.HOURLY_RATE, rate > 0 ? new java.math.BigDecimal(rate) : null);
    m.put(Cols.ID_VERIFIED, idDoc != null);
    m.put(Cols.ID_DOCUMENT_COUNTRY, idDoc);
    m.put(Cols.AGENCY_ID, agency);
    for (int i = 0; i < v.length; i++) {
      v[i] = m.get(schema.fields()[i].name());
    }
    return RowFactory.create(v);
  }

  private static double d(String account, String column) {
    return ((Number) f.get(account).getAs(column)).doubleValue();
  }

  @Test
  void everyProfileAccountHasOneRowEvenWithoutSignIns() {
    assertThat(f).containsOnlyKeys("u1", "u2", "u3", "u4", "u5");
    assertThat(d("u5", N_LOGINS)).isZero();
    assertThat(d("u5", VPN_SHARE)).isZero();
    assertThat(d("u5", SANCTIONED_HITS)).isZero();
  }

  @Test
  void whereTheyReallyAre() {
    // u1: successful e1 (VPN), e2 (CN, 30 min after the VPN), e4 (US); e3 failed
    assertThat(d("u1", N_LOGINS)).isEqualTo(3);
    assertThat(d("u1", FAILED_LOGIN_SHARE)).isCloseTo(0.25, within(1e-9));
    assertThat(d("u1", VPN_SHARE)).isCloseTo(1 / 3.0, within(1e-9));
    assertThat(d("u1", FOREIGN_IP_SHARE)).isCloseTo(0.5, within(1e-9)); // CN of {CN, US}
    assertThat(d("u1", CONCERN_IP_LOGINS)).isEqualTo(1);
    assertThat(d("u1", LEAK_AFTER_ANONYMIZER)).isEqualTo(1);
    assertThat(d("u1", FAST_COUNTRY_SWITCHES)).isZero(); // CN -> US after 11.5 h
    assertThat(f.get("u1").<String>getAs(TOP_FOREIGN_COUNTRY)).isEqualTo("CN");
    // u3 claims JP: KP direct, then the US; e99 of u4 is after as_of and ignored
    assertThat(d("u3", KP_HITS)).isEqualTo(1);
    assertThat(d("u3", FOREIGN_IP_SHARE)).isCloseTo(2 / 3.0, within(1e-9));
    assertThat(d("u4", N_LOGINS)).isEqualTo(2);
  }

  @Test
  void whenTheyReallyWork() {
    // u1 browser zones: Shanghai, Shanghai, Chicago -> 2 of 3 outside the US; 13 h apart twice
    assertThat(d("u1", TZ_MISMATCH_SHARE)).isCloseTo(2 / 3.0, within(1e-9));
    assertThat(d("u1", TZ_OFFSET_HOURS)).isCloseTo(26 / 3.0, within(1e-9));
    assertThat(d("u1", LANG_MISMATCH_SHARE)).isCloseTo(0.5, within(1e-9)); // zh-CN vs en-US
    assertThat(d("u1", NIGHT_SHARE)).isZero(); // 09:00, 09:30, 21:00 Chicago
    assertThat(f.get("u1").<String>getAs(TOP_BROWSER_TZ)).isEqualTo("Asia/Shanghai");
    assertThat(d("u3", PYONGYANG_TZ_LOGINS)).isEqualTo(2);
    // u2 has no browser zone at all: nothing to compare
    assertThat(d("u2", TZ_MISMATCH_SHARE)).isZero();
  }

  @Test
  void whoSharesWhatAndHubsDoNotCount() {
    // d1: u1 and u2 (two owners); 8.8.8.8: u1 and u2; 8.8.4.4: u2, u3, u4 > cap 2 -> hub
    assertThat(d("u1", DEVICE_SHARED_ACCOUNTS)).isEqualTo(1);
    assertThat(d("u1", DEVICE_DISTINCT_NAMES)).isEqualTo(2);
    assertThat(d("u2", IP_SHARED_ACCOUNTS)).isEqualTo(1);
    assertThat(d("u2", HUB_IP_SHARE)).isCloseTo(0.5, within(1e-9));
    // u3 and u4 share d3 and 20.1.1.1 inside agency ag1: one owner, no sharing
    assertThat(d("u3", DEVICE_SHARED_ACCOUNTS)).isZero();
    assertThat(d("u3", IP_SHARED_ACCOUNTS)).isZero();
    assertThat(d("u3", HUB_IP_SHARE)).isCloseTo(1 / 3.0, within(1e-9));
  }

  @Test
  void money() {
    assertThat(d("u1", EARNINGS_TOTAL)).isEqualTo(1500);
    assertThat(d("u1", EARNINGS_30D_SHARE)).isCloseTo(1000 / 1500.0, within(1e-9));
    assertThat(d("u1", N_CLIENTS)).isEqualTo(2);
    assertThat(d("u1", CRYPTO_SHARE)).isCloseTo(1400 / 1500.0, within(1e-9));
    assertThat(d("u1", PAYOUT_SHARED_ACCOUNTS)).isEqualTo(1);
    assertThat(d("u1", PAYOUT_FOREIGN_SHARE)).isCloseTo(0.5, within(1e-9));
    assertThat(d("u1", HOLDER_MISMATCH_SHARE)).isCloseTo(0.5, within(1e-9)); // Kim Chol vs Ann Lee
    assertThat(d("u1", SANCTIONED_HITS)).isEqualTo(1);
    assertThat(f.get("u1").<String>getAs(SANCTIONED_ENTITY))
        .contains("AMNOKGANG")
        .contains("DPRK4");
    assertThat(d("u2", HOLDER_MISMATCH_SHARE)).isZero(); // "Ray, Bob" is Bob Ray
    // the agency's own payout account in the agency's name is no mismatch and no sharing
    assertThat(d("u3", HOLDER_MISMATCH_SHARE)).isZero();
    assertThat(d("u3", PAYOUT_SHARED_ACCOUNTS)).isZero();
  }

  @Test
  void theProfile() {
    assertThat(d("u1", ACCOUNT_AGE_DAYS)).isEqualTo(455);
    assertThat(d("u1", PHONE_VOIP)).isEqualTo(1);
    assertThat(d("u1", ID_DOC_MISMATCH)).isEqualTo(1);
    assertThat(d("u3", ID_DOC_MISMATCH)).isZero();
    assertThat(d("u1", RATE_TO_MARKET)).isCloseTo(0.5, within(1e-9)); // 20 vs java median 40
    assertThat(f.get("u5").<Object>getAs(RATE_TO_MARKET)).isNull();
  }

  @Test
  void changeAgainstOwnHistory() {
    // u3: history since 1 Jan (JP, d3, Tokyo); recent: KP on new d9 and Pyongyang zone
    assertThat(d("u3", RECENT_NEW_DEVICE_SHARE)).isCloseTo(0.5, within(1e-9));
    assertThat(d("u3", RECENT_NEW_COUNTRY)).isEqualTo(1);
    assertThat(d("u3", RECENT_TZ_SHIFT)).isEqualTo(1);
    assertThat(d("u3", TAKEOVER_SIGNALS)).isEqualTo(2);
    // u1 has no history before the recent window: no change signals
    assertThat(d("u1", TAKEOVER_SIGNALS)).isZero();
  }

  @Test
  void ipLookupCoversIpv6AndUnknownAddresses() {
    Dataset<Row> ranges =
        spark()
            .createDataFrame(
                List.of(
                    range("2001:db8::", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", "DE", null, null),
                    range("2001:db8:1::", "2001:db8:1:ffff:ffff:ffff:ffff:ffff", null, true, null)),
                Schemas.IP_RANGES);
    IpLookup lookup = IpLookup.fromRanges(ranges);
    IpLookup.Info v6 = lookup.lookup(IpAddress.toBytes("2001:db8:1::5"));
    assertThat(v6.country()).isEqualTo("DE");
    assertThat(v6.vpn()).isTrue();
    assertThat(lookup.lookup(IpAddress.toBytes("2001:db8:2::5")).vpn()).isFalse();
    assertThat(lookup.lookup(IpAddress.toBytes("192.0.2.1")).country()).isNull();
    assertThat(lookup.lookup(null)).isNull();
  }

  @Test
  void rangesThatStartAtOneAddressResolveToTheNarrowestInAnyOrder() {
    Row wide = range("198.51.0.0", "198.51.255.255", "US", null, null);
    Row narrow = range("198.51.0.0", "198.51.0.255", "NL", null, null);
    for (List<Row> order : List.of(List.of(wide, narrow), List.of(narrow, wide))) {
      IpLookup lookup =
          IpLookup.fromRanges(spark().createDataFrame(order, Schemas.IP_RANGES).repartition(2));
      assertThat(lookup.lookup(IpAddress.toBytes("198.51.0.7")).country()).isEqualTo("NL");
      assertThat(lookup.lookup(IpAddress.toBytes("198.51.1.7")).country()).isEqualTo("US");
    }
  }
}
