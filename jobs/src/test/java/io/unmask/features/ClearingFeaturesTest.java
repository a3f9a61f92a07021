package io.unmask.features;

import static io.unmask.common.FeatureCols.*;
import static org.assertj.core.api.Assertions.assertThat;

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
 * Clearing evidence, both ways, on a hand-made platform (as_of 2026-03-31; late March Chicago is
 * UTC-5, New York UTC-4, Shanghai UTC+8, Berlin UTC+2 from 29 March, UTC+1 before): each look-alike
 * clears, and the concealed account that resembles it does not.
 */
class ClearingFeaturesTest extends SparkTest {
  private static Map<String, Row> f;
  private static final List<Row> LOGINS = new ArrayList<>();
  private static final List<Row> PAYMENTS = new ArrayList<>();
  private static int seq;

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

  /** A successful sign-in. */
  private static void in(String account, String ts, String ip, String device, String tz) {
    LOGINS.add(
        RowFactory.create(
            "e" + (++seq),
            account,
            Timestamp.from(Instant.parse(ts)),
            ip,
            4,
            IpAddress.toBytes(ip),
            device,
            null,
            tz,
            null,
            true));
  }

  /** Sign-ins on each of the given days at the given UTC time. */
  private static void daily(
      String account, String from, int days, String time, String ip, String device, String tz) {
    LocalDate d = LocalDate.parse(from);
    for (int i = 0; i < days; i++) {
      in(account, d.plusDays(i) + "T" + time + "Z", ip, device, tz);
    }
  }

  private static void withdrawal(
      String account, String ts, String payout, String country, String holder) {
    withdrawal(account, ts, "bank", payout, country, holder);
  }

  private static void withdrawal(
      String account, String ts, String method, String payout, String country, String holder) {
    PAYMENTS.add(
        RowFactory.create(
            "p" + (++seq),
            account,
            Timestamp.from(Instant.parse(ts)),
            "withdrawal",
            new java.math.BigDecimal(100),
            "USD",
            null,
            method,
            payout,
            country,
            holder));
  }

  private static Row profile(
      StructType schema, String id, String name, String country, String city, String tz) {
    Map<String, Object> m = new HashMap<>();
    m.put(Cols.ACCOUNT_ID, id);
    m.put(Cols.CREATED_AT, Timestamp.from(Instant.parse("2025-01-01T00:00:00Z")));
    m.put(Cols.DISPLAY_NAME, name);
    m.put(Cols.PHONE_TYPE, "mobile");
    m.put(Cols.CLAIMED_COUNTRY, country);
    m.put(Cols.CLAIMED_CITY, city);
    m.put(Cols.CLAIMED_TIMEZONE, tz);
    Object[] v = new Object[schema.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = m.get(schema.fields()[i].name());
    }
    return RowFactory.create(v);
  }

  @BeforeAll
  static void build() {
    var spark = spark();
    Dataset<Row> ranges =
        spark.createDataFrame(
            List.of(
                range("8.0.0.0", "8.255.255.255", "US", null, null),
                range("1.0.1.0", "1.0.3.255", "CN", null, null),
                range("20.0.0.0", "20.255.255.255", "JP", null, null),
                range("30.0.0.0", "30.255.255.255", "DE", null, null),
                range("40.0.0.0", "40.255.255.255", "TH", null, null),
                range("9.9.9.0", "9.9.9.255", null, true, null),
                range("10.10.0.0", "10.10.255.255", null, null, true)),
            Schemas.IP_RANGES);
    Broadcast<IpLookup> lookup = IpEnrichment.broadcast(spark, IpLookup.fromRanges(ranges));
    StructType ps = Schemas.PROFILES_SPEC.cleanSchema();
    List<Row> profiles = new ArrayList<>();
    String chicago = "America/Chicago";

    // Consistent VPN user: VPN most days at 10:00 Chicago, home address now and then, one laptop,
    // Chicago clock, paid at home in own name.
    profiles.add(profile(ps, "vpn_ok", "Ann Lee", "US", "Chicago", chicago));
    daily("vpn_ok", "2026-03-01", 20, "15:00:00", "9.9.9.1", "dv1", chicago);
    daily("vpn_ok", "2026-03-21", 3, "23:00:00", "8.1.1.1", "dv1", chicago);
    withdrawal("vpn_ok", "2026-03-15T00:00:00Z", "US-1", "US", "Ann Lee");
    // A freelancer in China who says so: VPN and hosting exits, Shanghai clock at 10:00 local,
    // direct sign-ins from China, paid to a Hong Kong account in own name.
    profiles.add(profile(ps, "cn_ok", "Wei Zhang", "CN", "Shenzhen", "Asia/Shanghai"));
    daily("cn_ok", "2026-03-01", 10, "02:00:00", "9.9.9.2", "dc1", "Asia/Shanghai");
    daily("cn_ok", "2026-03-11", 10, "03:00:00", "10.10.0.2", "dc1", "Asia/Shanghai");
    daily("cn_ok", "2026-03-21", 3, "04:00:00", "1.0.1.10", "dc1", "Asia/Shanghai");
    withdrawal("cn_ok", "2026-03-15T00:00:00Z", "HK-1", "HK", "Zhang Wei");
    // Concealed VPN users: the same VPN, but a Shanghai clock; a leak; pay abroad in another name;
    // office hours in Seoul at night in Chicago.
    profiles.add(profile(ps, "vpn_zone", "Bob Ray", "US", "Austin", chicago));
    daily("vpn_zone", "2026-03-01", 20, "15:00:00", "9.9.9.3", "dx1", "Asia/Shanghai");
    profiles.add(profile(ps, "vpn_leak", "Cy Bell", "US", "Austin", chicago));
    daily("vpn_leak", "2026-03-01", 20, "15:00:00", "9.9.9.4", "dx2", chicago);
    in("vpn_leak", "2026-03-10T15:20:00Z", "1.0.1.20", "dx2", chicago);
    profiles.add(profile(ps, "vpn_pay", "Dee Fox", "US", "Austin", chicago));
    daily("vpn_pay", "2026-03-01", 20, "15:00:00", "9.9.9.5", "dx3", chicago);
    withdrawal("vpn_pay", "2026-03-15T00:00:00Z", "CN-9", "CN", "Kim Chol");
    profiles.add(profile(ps, "vpn_hours", "Eve Moss", "US", "Austin", chicago));
    daily("vpn_hours", "2026-03-01", 20, "05:00:00", "9.9.9.6", "dx4", chicago);
    // two late evenings of twelve sign-ins (22:00 in Chicago, office hours in Seoul) are noise;
    // eight of twenty-eight are a pattern
    profiles.add(profile(ps, "vpn_late", "Fay Gold", "US", "Chicago", chicago));
    daily("vpn_late", "2026-03-01", 10, "15:00:00", "9.9.9.7", "dx5", chicago);
    daily("vpn_late", "2026-03-12", 2, "04:00:00", "9.9.9.7", "dx5", chicago);
    withdrawal("vpn_late", "2026-03-15T00:00:00Z", "US-7", "US", "Fay Gold");
    profiles.add(profile(ps, "vpn_some_nights", "Gus Hale", "US", "Chicago", chicago));
    daily("vpn_some_nights", "2026-03-01", 20, "15:00:00", "9.9.9.8", "dx6", chicago);
    daily("vpn_some_nights", "2026-03-21", 8, "04:00:00", "9.9.9.8", "dx6", chicago);
    withdrawal("vpn_some_nights", "2026-03-15T00:00:00Z", "US-8", "US", "Gus Hale");
    // a VPN user in Berlin paid to a Wise account held in Belgium, as Wise holds many European
    // users' accounts, clears; the same paid to a Belgian bank account does not
    String berlin = "Europe/Berlin";
    profiles.add(profile(ps, "vpn_wise", "Jan Kurz", "DE", "Berlin", berlin));
    daily("vpn_wise", "2026-03-01", 20, "09:00:00", "9.9.9.10", "dx8", berlin);
    withdrawal("vpn_wise", "2026-03-15T00:00:00Z", "wise", "wise:1", "BE", "Jan Kurz");
    profiles.add(profile(ps, "vpn_be_bank", "Kai Lenz", "DE", "Berlin", berlin));
    daily("vpn_be_bank", "2026-03-01", 20, "09:00:00", "9.9.9.11", "dx9", berlin);
    withdrawal("vpn_be_bank", "2026-03-15T00:00:00Z", "bank", "BE-1", "BE", "Kai Lenz");
    // paid to a wallet: no payout at home in the profile's name
    profiles.add(profile(ps, "vpn_wallet", "Hana Irwin", "US", "Chicago", chicago));
    daily("vpn_wallet", "2026-03-01", 20, "15:00:00", "9.9.9.9", "dx7", chicago);
    withdrawal(
        "vpn_wallet",
        "2026-03-15T00:00:00Z",
        "crypto",
        "TXyz1234567890abcdefghijklmnopqrst",
        null,
        null);

    // An internet café: three people of Springfield on one PC and one address, in the afternoon,
    // each paid to an own account in own name.
    for (String c : List.of("cafe1:Gil Hart", "cafe2:Hal Ives", "cafe3:Ida Jans")) {
      String id = c.split(":")[0];
      profiles.add(profile(ps, id, c.split(":")[1], "US", "Springfield ", chicago));
      daily(id, "2026-03-01", 10, "20:00:00", "8.2.2.2", "cafe-pc", chicago);
      withdrawal(id, "2026-03-15T00:00:00Z", "US-" + id, "US", c.split(":")[1]);
    }
    // A laptop farm: one PC and one address, personas claiming three different towns.
    String[] farm = {"farm1:Jo Kent:Austin", "farm2:Kai Lund:Denver", "farm3:Lu Marr:Boise"};
    for (String c : farm) {
      String[] p = c.split(":");
      profiles.add(profile(ps, p[0], p[1], "US", p[2], chicago));
      daily(p[0], "2026-03-01", 10, "20:00:00", "8.3.3.3", "farm-pc", chicago);
      withdrawal(p[0], "2026-03-15T00:00:00Z", "US-" + p[0], "US", p[1]);
    }

    // A move from Berlin to New York: Germany, Berlin clock, German pay until 10 February; from
    // 20 February the US, New York clock, a new laptop, US pay.
    String ny = "America/New_York";
    profiles.add(profile(ps, "moved", "Mia Noll", "US", "New York", ny));
    daily("moved", "2026-01-10", 30, "09:00:00", "30.1.1.1", "dm1", "Europe/Berlin");
    withdrawal("moved", "2026-01-30T00:00:00Z", "DE-1", "DE", "Mia Noll");
    daily("moved", "2026-02-20", 30, "15:00:00", "8.4.4.4", "dm2", ny);
    withdrawal("moved", "2026-03-15T00:00:00Z", "US-m", "US", "Mia Noll");
    // A rented account: months in the US, then Japan with a Tokyo clock.
    profiles.add(profile(ps, "rented", "Ned Orr", "US", "New York", ny));
    daily("rented", "2026-01-10", 60, "15:00:00", "8.5.5.5", "dr1", ny);
    daily("rented", "2026-03-20", 10, "01:00:00", "20.2.2.2", "dr2", "Asia/Tokyo");
    // Handed over on 11 March: new device, a VPN, nights in Chicago that are office hours in
    // Seoul, pay to a new account; beside it a person who only replaced a laptop that day.
    profiles.add(profile(ps, "handover", "Quin Ruiz", "US", "Chicago", chicago));
    daily("handover", "2026-01-20", 50, "15:00:00", "8.6.6.1", "dq1", chicago);
    withdrawal("handover", "2026-02-15T00:00:00Z", "US-q", "US", "Quin Ruiz");
    daily("handover", "2026-03-11", 20, "03:30:00", "9.9.9.7", "dq2", chicago);
    withdrawal("handover", "2026-03-20T00:00:00Z", "US-q2", "US", "Chen Jing");
    // a handover whose new operator went quiet six weeks before the day
    profiles.add(profile(ps, "handover_quiet", "Ada Vance", "US", "Chicago", chicago));
    daily("handover_quiet", "2025-12-01", 50, "15:00:00", "8.6.6.55", "dqq1", chicago);
    withdrawal("handover_quiet", "2026-01-05T00:00:00Z", "US-v", "US", "Ada Vance");
    daily("handover_quiet", "2026-01-25", 20, "05:30:00", "9.9.9.77", "dqq2", chicago);
    withdrawal("handover_quiet", "2026-02-05T00:00:00Z", "HK-v2", "HK", "Ada Vance");
    // a handover worked in three sessions since, each from an address never used before, at
    // Seoul's office hours, paid to a new account; beside it a new laptop used three times at home,
    // and a handover seen only twice since (too few to read)
    profiles.add(profile(ps, "handover_brief", "Bea Lowe", "US", "Chicago", chicago));
    daily("handover_brief", "2026-01-20", 50, "15:00:00", "8.6.6.60", "dqb1", chicago);
    withdrawal("handover_brief", "2026-02-15T00:00:00Z", "US-b", "US", "Bea Lowe");
    in("handover_brief", "2026-03-20T03:30:00Z", "9.9.9.78", "dqb2", chicago);
    in("handover_brief", "2026-03-24T03:30:00Z", "9.9.9.79", "dqb2", chicago);
    in("handover_brief", "2026-03-28T03:30:00Z", "9.9.9.80", "dqb2", chicago);
    // a mule who shares the claimed surname: not the person's own account
    withdrawal("handover_brief", "2026-03-26T00:00:00Z", "US-b2", "US", "Tom Lowe");
    profiles.add(profile(ps, "laptop_brief", "Cal Moe", "US", "Chicago", chicago));
    daily("laptop_brief", "2026-01-20", 50, "15:00:00", "8.6.6.61", "dlb1", chicago);
    withdrawal("laptop_brief", "2026-02-15T00:00:00Z", "US-lb", "US", "Cal Moe");
    daily("laptop_brief", "2026-03-26", 3, "15:00:00", "8.6.6.61", "dlb2", chicago);
    withdrawal("laptop_brief", "2026-03-27T00:00:00Z", "US-lb", "US", "Cal Moe");
    profiles.add(profile(ps, "handover_twice", "Dot Nye", "US", "Chicago", chicago));
    daily("handover_twice", "2026-01-20", 50, "15:00:00", "8.6.6.62", "dqt1", chicago);
    daily("handover_twice", "2026-03-27", 2, "03:30:00", "9.9.9.81", "dqt2", chicago);
    // an aged account its owner used three times in two months, then handed over
    profiles.add(profile(ps, "handover_dormant", "Eli Ford", "US", "Chicago", chicago));
    for (String d : List.of("2025-12-01", "2025-12-20", "2026-01-25")) {
      in("handover_dormant", d + "T15:00:00Z", "8.6.6.63", "dqd1", chicago);
    }
    withdrawal("handover_dormant", "2026-01-26T00:00:00Z", "US-d", "US", "Eli Ford");
    daily("handover_dormant", "2026-03-10", 10, "03:30:00", "9.9.9.82", "dqd2", chicago);
    withdrawal("handover_dormant", "2026-03-18T00:00:00Z", "US-d2", "US", "Li Wei");
    // a new laptop, a new home network and a new bank account in the person's name at home
    profiles.add(profile(ps, "new_bank", "Sam Ford", "US", "Chicago", chicago));
    daily("new_bank", "2026-01-05", 40, "15:00:00", "8.6.6.70", "dnb1", chicago);
    withdrawal("new_bank", "2026-01-20T00:00:00Z", "US-nb1", "US", "Sam Ford");
    daily("new_bank", "2026-02-20", 30, "15:00:00", "8.6.6.71", "dnb2", chicago);
    withdrawal("new_bank", "2026-03-05T00:00:00Z", "US-nb2", "US", "Sam Ford");
    profiles.add(profile(ps, "laptop", "Rob Sage", "US", "Chicago", chicago));
    daily("laptop", "2026-01-20", 50, "15:00:00", "8.6.6.2", "dl1", chicago);
    withdrawal("laptop", "2026-02-15T00:00:00Z", "US-l", "US", "Rob Sage");
    daily("laptop", "2026-03-11", 20, "15:00:00", "8.6.6.2", "dl2", chicago);
    withdrawal("laptop", "2026-03-20T00:00:00Z", "US-l", "US", "Rob Sage");
    // A move before the window: Berlin and German pay until December, then from 5 January New
    // York, a new laptop, US pay; the window sees only New York.
    profiles.add(profile(ps, "moved_early", "Uma Voss", "US", "New York", ny));
    daily("moved_early", "2025-11-01", 30, "09:00:00", "30.1.1.9", "de1", "Europe/Berlin");
    withdrawal("moved_early", "2025-11-20T00:00:00Z", "DE-e", "DE", "Uma Voss");
    withdrawal("moved_early", "2025-12-10T00:00:00Z", "DE-e", "DE", "Uma Voss");
    daily("moved_early", "2026-01-05", 85, "15:00:00", "8.4.4.9", "de2", ny);
    withdrawal("moved_early", "2026-02-15T00:00:00Z", "US-e", "US", "Uma Voss");
    withdrawal("moved_early", "2026-03-15T00:00:00Z", "US-e", "US", "Uma Voss");
    // The same move, keeping the German bank account: the clock moved into the claim.
    profiles.add(profile(ps, "moved_kept_bank", "Vic Wolf", "US", "New York", ny));
    daily("moved_kept_bank", "2025-11-01", 30, "09:00:00", "30.1.1.8", "dk1", "Europe/Berlin");
    withdrawal("moved_kept_bank", "2025-11-20T00:00:00Z", "DE-k", "DE", "Vic Wolf");
    daily("moved_kept_bank", "2026-01-05", 85, "15:00:00", "8.4.4.8", "dk2", ny);
    withdrawal("moved_kept_bank", "2026-02-15T00:00:00Z", "DE-k", "DE", "Vic Wolf");
    // A "move" to the claimed country that brings a Shanghai clock with it.
    profiles.add(profile(ps, "moved_bad", "Oda Pike", "US", "New York", ny));
    daily("moved_bad", "2026-01-10", 30, "09:00:00", "30.1.1.2", "db1", "Europe/Berlin");
    daily("moved_bad", "2026-02-20", 30, "15:00:00", "8.4.4.5", "db2", "Asia/Shanghai");

    // A traveller from Berlin: Germany, Thailand, Japan, home again, the clock following each
    // country, one laptop and one German account throughout.
    profiles.add(profile(ps, "nomad", "Pia Quist", "DE", "Berlin", "Europe/Berlin"));
    daily("nomad", "2026-01-05", 20, "09:00:00", "30.2.2.2", "dn1", "Europe/Berlin");
    daily("nomad", "2026-02-01", 20, "03:00:00", "40.1.1.1", "dn1", "Asia/Bangkok");
    daily("nomad", "2026-03-01", 15, "01:00:00", "20.3.3.3", "dn1", "Asia/Tokyo");
    daily("nomad", "2026-03-20", 10, "09:00:00", "30.2.2.2", "dn1", "Europe/Berlin");
    withdrawal("nomad", "2026-02-15T00:00:00Z", "DE-n", "DE", "Pia Quist");
    withdrawal("nomad", "2026-03-15T00:00:00Z", "DE-n", "DE", "Pia Quist");
    // Countries and clocks that move, but a new device and a new payout account in each place.
    profiles.add(profile(ps, "hopper", "Rae Sims", "DE", "Berlin", "Europe/Berlin"));
    daily("hopper", "2026-01-05", 20, "09:00:00", "30.2.2.3", "dh1", "Europe/Berlin");
    daily("hopper", "2026-02-01", 20, "03:00:00", "40.1.1.2", "dh2", "Asia/Bangkok");
    daily("hopper", "2026-03-01", 15, "01:00:00", "20.3.3.4", "dh3", "Asia/Tokyo");
    withdrawal("hopper", "2026-02-15T00:00:00Z", "TH-h", "TH", "Rae Sims");
    withdrawal("hopper", "2026-03-15T00:00:00Z", "JP-h", "JP", "Rae Sims");

    Dataset<Row> p = spark.createDataFrame(profiles, ps);
    Dataset<Row> l = spark.createDataFrame(LOGINS, Schemas.LOGINS_SPEC.cleanSchema());
    Dataset<Row> pay = spark.createDataFrame(PAYMENTS, Schemas.PAYMENTS_SPEC.cleanSchema());
    FeatureConfig cfg = new FeatureConfig(90, 14, List.of("CN", "RU", "KP"), 30, 20, 60, 20);
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

  private static int flag(String account, String column) {
    return ((Number) f.get(account).getAs(column)).intValue();
  }

  @Test
  void aConsistentVpnUserClearsAndAConcealedOneDoesNot() {
    assertThat(flag("vpn_ok", ANONYMIZER_CONSISTENT)).isEqualTo(1);
    assertThat(flag("cn_ok", ANONYMIZER_CONSISTENT)).isEqualTo(1);
    assertThat(f.get("cn_ok").<Double>getAs(PAYOUT_HOME_SHARE)).isEqualTo(1.0);
    assertThat(flag("vpn_zone", ANONYMIZER_CONSISTENT)).isZero();
    assertThat(flag("vpn_leak", ANONYMIZER_CONSISTENT)).isZero();
    assertThat(flag("vpn_pay", ANONYMIZER_CONSISTENT)).isZero();
    assertThat(flag("vpn_hours", ANONYMIZER_CONSISTENT)).isZero();
    assertThat(flag("vpn_late", ANONYMIZER_CONSISTENT)).isEqualTo(1);
    assertThat(f.get("vpn_late").<Double>getAs(EAST_ASIA_OFFICE_SHARE)).isGreaterThan(0.1);
    assertThat(flag("vpn_some_nights", ANONYMIZER_CONSISTENT)).isZero();
    assertThat(flag("vpn_wallet", ANONYMIZER_CONSISTENT)).isZero();
    assertThat(flag("vpn_wise", ANONYMIZER_CONSISTENT)).isEqualTo(1);
    assertThat(f.get("vpn_wise").<Double>getAs(PAYOUT_FOREIGN_SHARE)).isZero();
    assertThat(flag("vpn_be_bank", ANONYMIZER_CONSISTENT)).isZero();
    assertThat(f.get("vpn_be_bank").<Double>getAs(PAYOUT_FOREIGN_SHARE)).isEqualTo(1.0);
    // no VPN at all: nothing to clear
    assertThat(flag("cafe1", ANONYMIZER_CONSISTENT)).isZero();
  }

  @Test
  void aShareIsNoiseWhenItsLowerBoundIsSmallOrItIsOneSignIn() {
    List<Boolean> noise =
        spark()
            .sql(
                "SELECT * FROM VALUES (1 / 3.0, 3), (2 / 3.0, 3), (4 / 22.0, 22), (2 / 12.0, 12),"
                    + " (5 / 100.0, 100) AS t(s, n)")
            .select(
                ClearingFeatures.withinNoise(
                    org.apache.spark.sql.functions.col("s"),
                    org.apache.spark.sql.functions.col("n")))
            .as(org.apache.spark.sql.Encoders.BOOLEAN())
            .collectAsList();
    // one late evening of three; two of three; four of 22; two of twelve; five of a hundred
    assertThat(noise).containsExactly(true, false, false, true, true);
  }

  @Test
  void aCafeOfOneTownClearsALaptopFarmDoesNot() {
    for (String c : List.of("cafe1", "cafe2", "cafe3")) {
      assertThat(flag(c, SHARED_PLACE_CONSISTENT)).as(c).isEqualTo(1);
      assertThat(flag(c, SHARED_KEYS)).as(c).isEqualTo(2); // the PC and the address
      assertThat(flag(c, SHARED_PLACE_ACCOUNTS)).as(c).isEqualTo(2);
    }
    for (String c : List.of("farm1", "farm2", "farm3")) {
      assertThat(flag(c, SHARED_PLACE_CONSISTENT)).as(c).isZero();
      assertThat(flag(c, SHARED_KEYS_ONE_PLACE)).as(c).isZero();
    }
    // nothing shared: nothing to clear
    assertThat(flag("vpn_ok", SHARED_PLACE_CONSISTENT)).isZero();
  }

  @Test
  void aCleanMoveClearsARentedAccountDoesNot() {
    assertThat(flag("moved", DIRECT_COUNTRY_CHANGES)).isEqualTo(1);
    assertThat(flag("moved", RELOCATION_CLEAN)).isEqualTo(1);
    assertThat(f.get("moved").<String>getAs(RELOCATED_FROM)).isEqualTo("DE");
    assertThat(f.get("moved").<Object>getAs(RELOCATED_ON).toString()).isEqualTo("2026-02-20");
    assertThat(flag("rented", DIRECT_COUNTRY_CHANGES)).isEqualTo(1);
    assertThat(flag("rented", RELOCATION_CLEAN)).isZero();
    assertThat(flag("moved_bad", RELOCATION_CLEAN)).isZero();
    // a move before the window shows in the year's switch and pay moving home with it
    assertThat(flag("moved_early", DIRECT_COUNTRY_CHANGES)).isZero();
    assertThat(flag("moved_early", SWITCH_PAY_MOVED_HOME)).isEqualTo(1);
    assertThat(flag("moved_early", RELOCATION_CLEAN)).isEqualTo(1);
    assertThat(f.get("moved_early").<String>getAs(RELOCATED_FROM)).isEqualTo("DE");
    assertThat(f.get("moved_early").<Object>getAs(RELOCATED_ON).toString()).isEqualTo("2026-01-05");
    assertThat(flag("moved_early", SWITCH_INTO_CLAIM)).isEqualTo(1);
    // its clock moved into the claimed country: no zone change to count against it
    assertThat(flag("moved_early", SWITCH_ZONE_CHANGE)).isZero();
    assertThat(flag("moved_kept_bank", SWITCH_PAY_MOVED_HOME)).isZero();
    assertThat(flag("moved_kept_bank", SWITCH_INTO_CLAIM)).isEqualTo(1);
    assertThat(flag("moved_kept_bank", RELOCATION_CLEAN)).isEqualTo(1);
    // a handover paid at home before and after, its clock in the claim all along, is no move
    assertThat(flag("handover", SWITCH_INTO_CLAIM)).isZero();
    assertThat(flag("handover", SWITCH_PAY_MOVED_HOME)).isZero();
    assertThat(flag("handover", RELOCATION_CLEAN)).isZero();
    assertThat(f.get("moved_bad").<Object>getAs(RELOCATED_FROM)).isNull();
  }

  @Test
  void aHandoverChangesNetworksHoursAndPayWithTheDevicesANewLaptopChangesNothingElse() {
    Row h = f.get("handover");
    assertThat(h.<Object>getAs(SWITCH_ON).toString()).isEqualTo("2026-03-11");
    assertThat(h.<Double>getAs(SWITCH_NEW_NETWORK_SHARE)).isEqualTo(1.0);
    assertThat(h.<Double>getAs(SWITCH_ANONYMIZER_JUMP)).isEqualTo(1.0);
    assertThat(h.<Double>getAs(SWITCH_EAST_ASIA_JUMP)).isEqualTo(1.0);
    assertThat(flag("handover", SWITCH_ZONE_CHANGE)).isZero();
    assertThat(flag("handover", SWITCH_NEW_PAYOUT)).isEqualTo(1);
    assertThat(flag("handover", SWITCH_SIGNALS)).isEqualTo(4);

    Row l = f.get("laptop");
    assertThat(l.<Object>getAs(SWITCH_ON).toString()).isEqualTo("2026-03-11");
    assertThat(l.<Double>getAs(SWITCH_NEW_NETWORK_SHARE)).isZero();
    assertThat(flag("laptop", SWITCH_NEW_PAYOUT)).isZero();
    assertThat(flag("laptop", SWITCH_SIGNALS)).isZero();

    // the rented account of the fixture: new device, country and Tokyo clock on 20 March
    assertThat(f.get("rented").<Object>getAs(SWITCH_ON).toString()).isEqualTo("2026-03-20");
    assertThat(flag("rented", SWITCH_ZONE_CHANGE)).isEqualTo(1);
    assertThat(flag("rented", SWITCH_SIGNALS)).isEqualTo(2);
    // a new bank account at home in the person's own name is no redirected pay
    assertThat(f.get("new_bank").<Object>getAs(SWITCH_ON).toString()).isEqualTo("2026-02-20");
    assertThat(f.get("new_bank").<Double>getAs(SWITCH_NEW_NETWORK_SHARE)).isEqualTo(1.0);
    assertThat(flag("new_bank", SWITCH_NEW_PAYOUT)).isZero();
    assertThat(flag("new_bank", SWITCH_SIGNALS)).isEqualTo(1);
    // lately is the account's own last days: a handover gone quiet since shows as well
    Row q = f.get("handover_quiet");
    assertThat(q.<Object>getAs(SWITCH_ON).toString()).isEqualTo("2026-01-25");
    assertThat(flag("handover_quiet", SWITCH_NEW_PAYOUT)).isEqualTo(1);
    assertThat(flag("handover_quiet", SWITCH_SIGNALS)).as(q.toString()).isEqualTo(4);
    // three sign-ins since are enough to read a bundle of changes, not a new laptop's none,
    assertThat(f.get("handover_brief").<Object>getAs(SWITCH_ON).toString()).isEqualTo("2026-03-20");
    assertThat(f.get("handover_brief").<Double>getAs(SWITCH_NEW_NETWORK_SHARE)).isEqualTo(1.0);
    assertThat(flag("handover_brief", SWITCH_NEW_PAYOUT)).isEqualTo(1); // a relative's account
    assertThat(flag("handover_brief", SWITCH_SIGNALS)).isGreaterThanOrEqualTo(3);
    assertThat(f.get("laptop_brief").<Object>getAs(SWITCH_ON).toString()).isEqualTo("2026-03-26");
    assertThat(flag("laptop_brief", SWITCH_SIGNALS)).isZero();
    // so are three before it, over weeks: an aged account its owner barely used
    assertThat(f.get("handover_dormant").<Object>getAs(SWITCH_ON).toString())
        .isEqualTo("2026-03-10");
    assertThat(flag("handover_dormant", SWITCH_SIGNALS)).isGreaterThanOrEqualTo(3);
    // two sign-ins since are too few
    assertThat(f.get("handover_twice").<Object>getAs(SWITCH_ON)).isNull();
    // one device all along: no switch
    assertThat(f.get("vpn_ok").<Object>getAs(SWITCH_ON)).isNull();
    assertThat(flag("vpn_ok", SWITCH_SIGNALS)).isZero();
    // the hopper's last device came with another country's clock, in its own last days
    assertThat(f.get("hopper").<Object>getAs(SWITCH_ON).toString()).isEqualTo("2026-03-01");
    assertThat(flag("hopper", SWITCH_ZONE_CHANGE)).isEqualTo(1);
  }

  @Test
  void aTravellerWithOneDeviceAndOnePayoutClearsAHopperDoesNot() {
    assertThat(f.get("nomad").<Double>getAs(ZONE_FOLLOWS_IP_SHARE)).isEqualTo(1.0);
    assertThat(flag("nomad", TRAVEL_CONSISTENT)).isEqualTo(1);
    assertThat(flag("nomad", RELOCATION_CLEAN)).isZero(); // three changes, not one
    assertThat(flag("hopper", TRAVEL_CONSISTENT)).isZero();
    assertThat(flag("moved_bad", TRAVEL_CONSISTENT)).isZero();
  }
}
