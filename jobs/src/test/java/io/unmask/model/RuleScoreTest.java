package io.unmask.model;

import static io.unmask.common.FeatureCols.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.unmask.common.Cols;
import io.unmask.testing.SparkTest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rule score on hand-made feature rows: one family of evidence alone scores as a plain account
 * does, clearing evidence cancels what it explains, corroborated evidence and direct hits still
 * score high.
 */
class RuleScoreTest extends SparkTest {
  private static final List<String> COLS =
      List.of(
          N_LOGINS,
          SANCTIONED_HITS,
          KP_HITS,
          PYONGYANG_TZ_LOGINS,
          LEAK_AFTER_ANONYMIZER,
          CONCERN_IP_SHARE,
          VPN_SHARE,
          HOSTING_SHARE,
          FAST_COUNTRY_SWITCHES,
          TZ_MISMATCH_SHARE,
          EAST_ASIA_OFFICE_SHARE,
          NIGHT_SHARE,
          DEVICE_OTHER_PLACES,
          DEVICE_SHARED_ACCOUNTS,
          DEVICE_DISTINCT_NAMES,
          IP_SHARED_ACCOUNTS,
          PAYOUT_OTHER_PLACES,
          PAYOUT_SHARED_ACCOUNTS,
          IP_OTHER_PLACES,
          Cols.CLUSTER_CONFIRMED_SHARE,
          HOLDER_MISMATCH_SHARE,
          PAYOUT_FOREIGN_SHARE,
          CRYPTO_SHARE,
          ID_DOC_MISMATCH,
          PHONE_VOIP,
          RATE_TO_MARKET,
          TAKEOVER_SIGNALS,
          SWITCH_SIGNALS,
          SWITCH_ANONYMIZER_JUMP,
          SWITCH_EAST_ASIA_JUMP,
          SWITCH_NEW_PAYOUT,
          ANONYMIZER_CONSISTENT,
          SHARED_PLACE_CONSISTENT,
          RELOCATION_CLEAN,
          TRAVEL_CONSISTENT);

  private static final Map<String, Map<String, Double>> ROWS = new LinkedHashMap<>();
  private static final Map<String, Double> score = new HashMap<>();
  private static Map<String, Row> cleared;

  /**
   * The Wilson lower bound (one standard error) of a share p of n sign-ins, as the models read it.
   */
  private static double lower(double p, double n) {
    double k = 1 / n;
    double center = (p + k / 2) / (1 + k);
    double margin = Math.sqrt(p * (1 - p) / n + k / n / 4) / (1 + k);
    return Math.max(center - margin, 0);
  }

  private static void account(String id, Object... kv) {
    Map<String, Double> m = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], ((Number) kv[i + 1]).doubleValue());
    }
    ROWS.put(id, m);
  }

  @BeforeAll
  static void fixture() {
    account("plain");
    // one family each: the look-alikes
    account("vpn_only", VPN_SHARE, 1.0, HOSTING_SHARE, 0.6);
    account("hosting_only", HOSTING_SHARE, 1.0);
    account("night_only", NIGHT_SHARE, 0.7, EAST_ASIA_OFFICE_SHARE, 0.7);
    account("foreign_id_only", ID_DOC_MISMATCH, 1);
    account("crypto_only", CRYPTO_SHARE, 1.0);
    account("clock_only", TZ_MISMATCH_SHARE, 1.0);
    // working time with one weak hint (a VoIP phone): a night owl who keeps the number private
    account("night_and_voip", EAST_ASIA_OFFICE_SHARE, 0.7, PHONE_VOIP, 1);
    account("money_and_profile", PAYOUT_FOREIGN_SHARE, 1.0, ID_DOC_MISMATCH, 1, PHONE_VOIP, 1);
    account("profile_only", ID_DOC_MISMATCH, 1, PHONE_VOIP, 1, RATE_TO_MARKET, 0.4);
    account("vpn_and_pay_elsewhere", VPN_SHARE, 0.9, HOLDER_MISMATCH_SHARE, 1.0);
    // two late evenings of twelve sign-ins are no working hours to corroborate pay in another
    // name; fourteen of forty are
    account(
        "pay_elsewhere_late_evenings",
        HOLDER_MISMATCH_SHARE,
        1.0,
        EAST_ASIA_OFFICE_SHARE,
        0.17,
        N_LOGINS,
        12);
    account(
        "pay_elsewhere_asian_hours",
        HOLDER_MISMATCH_SHARE,
        1.0,
        EAST_ASIA_OFFICE_SHARE,
        0.35,
        N_LOGINS,
        40);
    account(
        "stranger_abroad_foreign_id",
        HOLDER_MISMATCH_SHARE,
        1.0,
        PAYOUT_FOREIGN_SHARE,
        1.0,
        ID_DOC_MISMATCH,
        1);
    // an expat: a home passport, a third of the pay to an own account at home
    account("expat_home_passport", ID_DOC_MISMATCH, 1, PAYOUT_FOREIGN_SHARE, 0.3);
    account(
        "pay_elsewhere_voip_cheap",
        HOLDER_MISMATCH_SHARE,
        1.0,
        PAYOUT_FOREIGN_SHARE,
        1.0,
        PHONE_VOIP,
        1,
        RATE_TO_MARKET,
        0.4);
    account("night_and_pay_elsewhere", EAST_ASIA_OFFICE_SHARE, 0.5, HOLDER_MISMATCH_SHARE, 1.0);
    // corroborated: a leak between VPN sessions, a foreign clock at Asian office hours, pay in
    // another name
    account(
        "corroborated",
        LEAK_AFTER_ANONYMIZER,
        2,
        CONCERN_IP_SHARE,
        0.2,
        VPN_SHARE,
        0.8,
        TZ_MISMATCH_SHARE,
        1.0,
        EAST_ASIA_OFFICE_SHARE,
        0.6,
        HOLDER_MISMATCH_SHARE,
        1.0);
    account("farm_clock", DEVICE_OTHER_PLACES, 3, TZ_MISMATCH_SHARE, 0.8);
    account("sanctioned_only", SANCTIONED_HITS, 1);
    account("kp_only", KP_HITS, 2);
    // clearing: the same evidence, explained
    account("vpn_and_hours", VPN_SHARE, 1.0, EAST_ASIA_OFFICE_SHARE, 0.5);
    account("vpn_and_hours_consistent", VPN_SHARE, 1.0, EAST_ASIA_OFFICE_SHARE, 0.5);
    ROWS.get("vpn_and_hours_consistent").put(ANONYMIZER_CONSISTENT, 1.0);
    account(
        "café_clock",
        DEVICE_OTHER_PLACES,
        2,
        IP_OTHER_PLACES,
        2,
        DEVICE_SHARED_ACCOUNTS,
        12,
        DEVICE_DISTINCT_NAMES,
        12,
        IP_SHARED_ACCOUNTS,
        12,
        TZ_MISMATCH_SHARE,
        0.8);
    // the same machine, its users all claiming its own town
    ROWS.put("café_clock_one_place", new HashMap<>(ROWS.get("café_clock")));
    ROWS.get("café_clock_one_place").put(SHARED_PLACE_CONSISTENT, 1.0);
    account("moved", TAKEOVER_SIGNALS, 3, TZ_MISMATCH_SHARE, 0.6, PAYOUT_FOREIGN_SHARE, 0.5);
    account(
        "moved_clean",
        TAKEOVER_SIGNALS,
        3,
        TZ_MISMATCH_SHARE,
        0.6,
        PAYOUT_FOREIGN_SHARE,
        0.5,
        RELOCATION_CLEAN,
        1);
    account("travel", TZ_MISMATCH_SHARE, 0.7, EAST_ASIA_OFFICE_SHARE, 0.5, TAKEOVER_SIGNALS, 2);
    account(
        "travel_consistent",
        TZ_MISMATCH_SHARE,
        0.7,
        EAST_ASIA_OFFICE_SHARE,
        0.5,
        TAKEOVER_SIGNALS,
        2,
        TRAVEL_CONSISTENT,
        1);

    // a device switch: with new networks, hours and payout, or a new laptop and nothing else
    account("handover", SWITCH_SIGNALS, 4, EAST_ASIA_OFFICE_SHARE, 0.3);
    account("hours_only", EAST_ASIA_OFFICE_SHARE, 0.3);
    account("new_laptop", SWITCH_SIGNALS, 1);
    // a handover and nothing else: VPN exits, East-Asian hours and a new payout account arrive
    // with the new devices, so the change shows in the network, time and money families too
    account(
        "handover_parts",
        SWITCH_SIGNALS,
        4,
        SWITCH_ANONYMIZER_JUMP,
        0.6,
        SWITCH_EAST_ASIA_JUMP,
        0.25,
        SWITCH_NEW_PAYOUT,
        1);
    // a new laptop bought the week the bank account changed
    account("laptop_and_bank", SWITCH_SIGNALS, 1, SWITCH_NEW_PAYOUT, 1);
    account(
        "moved_parts_clean",
        SWITCH_SIGNALS,
        3,
        SWITCH_NEW_PAYOUT,
        1,
        SWITCH_EAST_ASIA_JUMP,
        0.2,
        RELOCATION_CLEAN,
        1);

    StructType s = new StructType().add(Cols.ACCOUNT_ID, DataTypes.StringType);
    for (String c : COLS) {
      s = s.add(c, DataTypes.DoubleType);
    }
    List<Row> rows = new ArrayList<>();
    for (var e : ROWS.entrySet()) {
      Object[] v = new Object[COLS.size() + 1];
      v[0] = e.getKey();
      for (int i = 0; i < COLS.size(); i++) {
        // a rate at the market median unless a row says otherwise
        v[i + 1] =
            e.getValue()
                .getOrDefault(
                    COLS.get(i),
                    COLS.get(i).equals(RATE_TO_MARKET)
                        ? 1.0
                        : COLS.get(i).equals(N_LOGINS) ? 100.0 : 0.0);
      }
      rows.add(RowFactory.create(v));
    }
    cleared = new HashMap<>();
    for (Row r : ModelInputs.cleared(spark().createDataFrame(rows, s)).collectAsList()) {
      cleared.put(r.getString(0), r);
    }
    for (Row r :
        RuleScore.score(spark().createDataFrame(rows, s), "s", "c")
            .select(Cols.ACCOUNT_ID, "s")
            .collectAsList()) {
      score.put(r.getString(0), r.getDouble(1));
    }
  }

  @Test
  void oneFamilyAloneScoresAsAPlainAccount() {
    double plain = score.get("plain");
    for (String a :
        List.of(
            "vpn_only",
            "hosting_only",
            "night_only",
            "foreign_id_only",
            "crypto_only",
            "clock_only",
            "night_and_voip",
            "money_and_profile")) {
      assertThat(score.get(a)).as(a).isLessThanOrEqualTo(plain + 1e-9);
    }
  }

  @Test
  void corroboratedEvidenceAndDirectHitsStillScoreHigh() {
    assertThat(score.get("corroborated")).isGreaterThan(0.85);
    assertThat(score.get("farm_clock")).isGreaterThan(0.25);
    assertThat(score.get("sanctioned_only")).isGreaterThan(0.99);
    assertThat(score.get("kp_only")).isGreaterThan(0.7);
    assertThat(score.get("corroborated")).isGreaterThan(score.get("vpn_and_hours"));
  }

  @Test
  void clearingEvidenceCancelsWhatItExplains() {
    double plain = score.get("plain");
    for (String a : List.of("vpn_and_hours", "café_clock", "moved", "travel")) {
      assertThat(score.get(a)).as(a).isGreaterThan(plain + 0.02);
    }
    for (String a :
        List.of(
            "vpn_and_hours_consistent",
            "café_clock_one_place",
            "moved_clean",
            "travel_consistent")) {
      assertThat(score.get(a)).as(a).isLessThanOrEqualTo(plain + 1e-9);
    }
  }

  @Test
  void aSwitchCountsFromItsSecondChange() {
    assertThat(score.get("handover")).isGreaterThan(score.get("plain") + 0.02);
    assertThat(score.get("hours_only")).isLessThanOrEqualTo(score.get("plain") + 1e-9);
    assertThat(score.get("new_laptop")).isLessThanOrEqualTo(score.get("plain") + 1e-9);
    // corroborated by its own parts: as high as evidence from two families
    assertThat(score.get("handover_parts")).isGreaterThan(0.5);
    assertThat(score.get("handover_parts")).isGreaterThan(score.get("handover"));
    assertThat(score.get("laptop_and_bank")).isLessThanOrEqualTo(score.get("plain") + 1e-9);
    assertThat(score.get("moved_parts_clean")).isLessThanOrEqualTo(score.get("plain") + 1e-9);
  }

  @Test
  void theModelsReadExplainedEvidenceAsZeroAndTheRestAsItIs() {
    Row vpn = cleared.get("vpn_and_hours_consistent");
    assertThat(vpn.<Double>getAs(VPN_SHARE)).isZero();
    // once the VPN is explained, the hours stand alone and read as none; beside VPN exits that
    // nothing explains, both count
    assertThat(vpn.<Double>getAs(EAST_ASIA_OFFICE_SHARE)).isZero();
    assertThat(cleared.get("vpn_and_hours").<Double>getAs(VPN_SHARE)).isEqualTo(1.0);
    assertThat(cleared.get("vpn_and_hours").<Double>getAs(EAST_ASIA_OFFICE_SHARE))
        .isCloseTo(lower(0.5, 100), within(1e-9));
    Row moved = cleared.get("moved_clean");
    assertThat(moved.<Double>getAs(TZ_MISMATCH_SHARE)).isZero();
    assertThat(moved.<Double>getAs(PAYOUT_FOREIGN_SHARE)).isZero();
    assertThat(moved.<Double>getAs(TAKEOVER_SIGNALS)).isZero();
    assertThat(cleared.get("moved").<Double>getAs(TAKEOVER_SIGNALS)).isEqualTo(3.0);
    Row cafe = cleared.get("café_clock_one_place");
    assertThat(cafe.<Double>getAs(DEVICE_OTHER_PLACES)).isZero();
    assertThat(cafe.<Double>getAs(IP_OTHER_PLACES)).isZero();
    // and so are how many share the machine and address, under how many names: a public place's
    assertThat(cafe.<Double>getAs(DEVICE_SHARED_ACCOUNTS)).isZero();
    assertThat(cafe.<Double>getAs(DEVICE_DISTINCT_NAMES)).isZero();
    assertThat(cafe.<Double>getAs(IP_SHARED_ACCOUNTS)).isZero();
    assertThat(cleared.get("café_clock").<Double>getAs(DEVICE_SHARED_ACCOUNTS)).isEqualTo(12.0);
    assertThat(cleared.get("café_clock").<Double>getAs(DEVICE_DISTINCT_NAMES)).isEqualTo(12.0);
    // the machine's clock, once the sharing is explained, stands alone
    assertThat(cafe.<Double>getAs(TZ_MISMATCH_SHARE)).isZero();
    assertThat(cleared.get("café_clock").<Double>getAs(TZ_MISMATCH_SHARE))
        .isCloseTo(lower(0.8, 100), within(1e-9));
    assertThat(cleared.get("corroborated").<Double>getAs(VPN_SHARE)).isEqualTo(0.8);
    assertThat(cleared.get("vpn_and_hours").<Double>getAs(VPN_SHARE)).isEqualTo(1.0);
  }

  @Test
  void theModelsReadUncorroboratedEvidenceAsNone() {
    // a supporting family alone: crypto, a foreign ID with a VoIP phone and a low rate, VPN exits
    assertThat(cleared.get("crypto_only").<Double>getAs(CRYPTO_SHARE)).isZero();
    assertThat(cleared.get("vpn_only").<Double>getAs(VPN_SHARE)).isZero();
    Row profile = cleared.get("profile_only");
    assertThat(profile.<Double>getAs(ID_DOC_MISMATCH)).isZero();
    assertThat(profile.<Double>getAs(RATE_TO_MARKET)).isEqualTo(1.0);
    // beside a primary family, or VPN exits beside money or profile evidence, they count
    assertThat(cleared.get("corroborated").<Double>getAs(HOLDER_MISMATCH_SHARE)).isEqualTo(1.0);
    Row vm = cleared.get("vpn_and_pay_elsewhere");
    assertThat(vm.<Double>getAs(VPN_SHARE)).isEqualTo(0.9);
    assertThat(vm.<Double>getAs(HOLDER_MISMATCH_SHARE)).isEqualTo(1.0);
    // money and profile evidence together count: pay to a stranger abroad with a VoIP phone, or
    // with an ID document of a third country, is what a lone worker who hides location and hours
    // still shows
    Row lone = cleared.get("pay_elsewhere_voip_cheap");
    assertThat(lone.<Double>getAs(HOLDER_MISMATCH_SHARE)).isEqualTo(1.0);
    assertThat(lone.<Double>getAs(PHONE_VOIP)).isEqualTo(1.0);
    assertThat(lone.<Double>getAs(RATE_TO_MARKET)).isEqualTo(0.4);
    Row stranger = cleared.get("stranger_abroad_foreign_id");
    assertThat(stranger.<Double>getAs(HOLDER_MISMATCH_SHARE)).isEqualTo(1.0);
    assertThat(stranger.<Double>getAs(ID_DOC_MISMATCH)).isEqualTo(1.0);
    assertThat(cleared.get("pay_elsewhere_late_evenings").<Double>getAs(HOLDER_MISMATCH_SHARE))
        .isZero();
    assertThat(cleared.get("pay_elsewhere_asian_hours").<Double>getAs(HOLDER_MISMATCH_SHARE))
        .isEqualTo(1.0);
    assertThat(cleared.get("pay_elsewhere_asian_hours").<Double>getAs(EAST_ASIA_OFFICE_SHARE))
        .isCloseTo(lower(0.35, 40), within(1e-9));
    // an expat's home passport and some pay home: profile evidence alone, read as none
    Row expat = cleared.get("expat_home_passport");
    assertThat(expat.<Double>getAs(ID_DOC_MISMATCH)).isZero();
    assertThat(expat.<Double>getAs(PAYOUT_FOREIGN_SHARE)).isZero();
    // working hours alone, or beside one weak hint, are a night owl's; beside a second family
    // they count
    Row night = cleared.get("night_only");
    assertThat(night.<Double>getAs(EAST_ASIA_OFFICE_SHARE)).isZero();
    assertThat(night.<Double>getAs(NIGHT_SHARE)).isZero();
    assertThat(cleared.get("night_and_voip").<Double>getAs(EAST_ASIA_OFFICE_SHARE)).isZero();
    assertThat(cleared.get("night_and_voip").<Double>getAs(PHONE_VOIP)).isZero();
    Row nightPay = cleared.get("night_and_pay_elsewhere");
    assertThat(nightPay.<Double>getAs(EAST_ASIA_OFFICE_SHARE))
        .isCloseTo(lower(0.5, 100), within(1e-9));
    assertThat(nightPay.<Double>getAs(HOLDER_MISMATCH_SHARE)).isEqualTo(1.0);
    assertThat(cleared.get("corroborated").<Double>getAs(EAST_ASIA_OFFICE_SHARE))
        .isCloseTo(lower(0.6, 100), within(1e-9));
    assertThat(cleared.get("farm_clock").<Double>getAs(TZ_MISMATCH_SHARE))
        .isCloseTo(lower(0.8, 100), within(1e-9));
    // a switch's parts from its second change
    assertThat(cleared.get("new_laptop").<Double>getAs(SWITCH_SIGNALS)).isZero();
    assertThat(cleared.get("handover").<Double>getAs(SWITCH_SIGNALS)).isEqualTo(4.0);
  }
}
