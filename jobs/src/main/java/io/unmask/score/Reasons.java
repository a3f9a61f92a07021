package io.unmask.score;

import static io.unmask.common.FeatureCols.*;
import static org.apache.spark.sql.functions.*;

import io.unmask.common.Cols;
import io.unmask.model.GraphFeatures;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;

/**
 * The words of a reason: for each feature, a sentence built from the account's own evidence
 * (values, countries, zones, counts, wallet owners), neutral in tone and free of model jargon.
 * Which reasons an account gets, and in what order, comes from the model's contributions.
 */
public final class Reasons {
  /** A linked account's first-stage score from which its evidence is called strong. */
  static final double STRONG_NEIGHBOUR = 0.5;

  private Reasons() {}

  private static Column pct(String c) {
    return concat(format_number(col(c).multiply(100), 0), lit("%"));
  }

  /** A rise in a share, in percentage points: "35 points". */
  private static Column points(String c) {
    return concat(format_number(col(c).multiply(100), 0), lit(" points"));
  }

  private static Column switchDay() {
    return coalesce(col(SWITCH_ON).cast("string"), lit("an unknown day"));
  }

  private static Column n(String c) {
    return col(c).cast("long").cast("string");
  }

  /** A count and its noun in the right number: "1 sign-in", "3 sign-ins". */
  public static Column count(Column c, String one, String many) {
    return concat(
        c.cast("long").cast("string"),
        when(c.cast("long").equalTo(1), lit(one)).otherwise(lit(many)));
  }

  private static Column count(String c, String one, String many) {
    return count(col(c), one, many);
  }

  private static Column claimed() {
    return coalesce(col(Cols.CLAIMED_COUNTRY), lit("unknown"));
  }

  private static Column claimedZone() {
    return coalesce(col(Cols.CLAIMED_TIMEZONE), concat(lit("a zone of "), claimed()));
  }

  private static Column concernText() {
    return concat(
        count(CONCERN_IP_LOGINS, " direct sign-in", " direct sign-ins"),
        lit(" without VPN from "),
        coalesce(col(TOP_FOREIGN_COUNTRY), lit("a country of concern")),
        lit(", inconsistent with the claimed location "),
        claimed());
  }

  private static Column opt(String prefix, String c, String suffix) {
    return when(col(c).isNotNull(), concat(lit(prefix), col(c), lit(suffix))).otherwise(lit(""));
  }

  /** "linked to 2 accounts confirmed concealed by investigators (cluster c-1)". */
  private static Column confirmedNearby(String prefix, String c) {
    return concat(
        lit(prefix),
        n(c),
        when(col(c).equalTo(1), lit(" account")).otherwise(lit(" accounts")),
        lit(" confirmed concealed by investigators"),
        opt(" (cluster ", Cols.CLUSTER_ID, ")"));
  }

  /** Sentences per feature; features without one fall back to name and value. */
  static final Map<String, Column> TEXT =
      Map.ofEntries(
          Map.entry(
              SANCTIONED_HITS,
              concat(
                  count(SANCTIONED_HITS, " withdrawal", " withdrawals"),
                  lit(" to a wallet on the OFAC SDN list"),
                  opt(": ", SANCTIONED_ENTITY, ""))),
          Map.entry(
              KP_HITS,
              concat(
                  count(KP_HITS, " sign-in", " sign-ins"),
                  lit(" from North Korean address space (175.45.176.0/22)"))),
          Map.entry(
              PYONGYANG_TZ_LOGINS,
              concat(
                  count(PYONGYANG_TZ_LOGINS, " sign-in", " sign-ins"),
                  lit(" with browser time zone Asia/Pyongyang"))),
          Map.entry(
              VPN_SHARE,
              concat(
                  pct(VPN_SHARE),
                  lit(" of sign-ins from VPN exits"),
                  opt(" (", TOP_ANONYMIZER_AS, ")"))),
          Map.entry(
              HOSTING_SHARE,
              concat(
                  pct(HOSTING_SHARE), lit(" of sign-ins from data-centre or hosting addresses"))),
          Map.entry(
              FOREIGN_IP_SHARE,
              concat(
                  pct(FOREIGN_IP_SHARE),
                  lit(" of direct sign-ins from outside the claimed country "),
                  claimed(),
                  opt(" (mostly ", TOP_FOREIGN_COUNTRY, ")"))),
          Map.entry(CONCERN_IP_SHARE, concernText()),
          Map.entry(CONCERN_IP_LOGINS, concernText()),
          Map.entry(
              LEAK_AFTER_ANONYMIZER,
              concat(
                  count(LEAK_AFTER_ANONYMIZER, " direct sign-in", " direct sign-ins"),
                  lit(" from a country of concern within an hour after a VPN/hosting session"))),
          Map.entry(
              FAST_COUNTRY_SWITCHES,
              concat(
                  count(FAST_COUNTRY_SWITCHES, " switch", " switches"),
                  lit(" between countries faster than travel allows (< 2 h)"))),
          Map.entry(
              TZ_MISMATCH_SHARE,
              concat(
                  lit("browser time zone "),
                  coalesce(col(TOP_BROWSER_TZ), lit("unknown")),
                  lit(" on "),
                  pct(TZ_MISMATCH_SHARE),
                  lit(" of sign-ins outside the claimed country; profile says "),
                  claimedZone())),
          Map.entry(
              TZ_OFFSET_HOURS,
              concat(
                  lit("browser clock "),
                  format_number(col(TZ_OFFSET_HOURS), 1),
                  lit(" h away from the claimed zone "),
                  claimedZone(),
                  opt(" (browser: ", TOP_BROWSER_TZ, ")"))),
          Map.entry(
              EAST_ASIA_OFFICE_SHARE,
              concat(
                  pct(EAST_ASIA_OFFICE_SHARE),
                  lit(" of sign-ins at night in "),
                  claimedZone(),
                  lit(" that are office hours in UTC+8/+9"))),
          Map.entry(
              NIGHT_SHARE,
              concat(
                  pct(NIGHT_SHARE),
                  lit(" of sign-ins between 00:00 and 06:00 in "),
                  claimedZone())),
          Map.entry(
              LANG_MISMATCH_SHARE,
              concat(
                  pct(LANG_MISMATCH_SHARE),
                  lit(" of sign-ins with a browser language region other than "),
                  claimed())),
          Map.entry(
              DEVICE_SHARED_ACCOUNTS,
              concat(
                  lit("a device shared with "),
                  count(DEVICE_SHARED_ACCOUNTS, " other account", " other accounts"),
                  lit(" ("),
                  count(
                      DEVICE_DISTINCT_NAMES, " different name on it, ", " different names on it, "),
                  count(DEVICE_OTHER_PLACES, " other claimed place", " other claimed places"),
                  lit("), no shared agency"))),
          Map.entry(
              DEVICE_OTHER_PLACES,
              concat(
                  lit("a device used by accounts claiming "),
                  count(DEVICE_OTHER_PLACES, " other place", " other places"),
                  lit(" ("),
                  count(DEVICE_SHARED_ACCOUNTS, " other account", " other accounts"),
                  lit(", "),
                  count(DEVICE_DISTINCT_NAMES, " name", " names"),
                  lit("), no shared agency"))),
          Map.entry(
              IP_OTHER_PLACES,
              concat(
                  lit("a residential address used by accounts claiming "),
                  count(IP_OTHER_PLACES, " other place", " other places"),
                  lit("; not a VPN, hosting or carrier-NAT hub"))),
          Map.entry(
              DEVICE_DISTINCT_NAMES,
              concat(
                  n(DEVICE_DISTINCT_NAMES),
                  lit(" different profile names signed in on one device"))),
          Map.entry(
              IP_SHARED_ACCOUNTS,
              concat(
                  lit("a residential address shared with "),
                  count(IP_SHARED_ACCOUNTS, " other account", " other accounts"),
                  lit("; not a VPN, hosting or carrier-NAT hub"))),
          Map.entry(
              PAYOUT_SHARED_ACCOUNTS,
              concat(
                  lit("payout account shared with "),
                  count(PAYOUT_SHARED_ACCOUNTS, " other account", " other accounts"),
                  lit(", no shared agency"))),
          Map.entry(
              PAYOUT_OTHER_PLACES,
              concat(
                  lit("payout account shared with accounts claiming "),
                  count(PAYOUT_OTHER_PLACES, " other place", " other places"),
                  lit(" ("),
                  count(PAYOUT_SHARED_ACCOUNTS, " other account", " other accounts"),
                  lit("), no shared agency"))),
          Map.entry(
              PAYOUT_FOREIGN_SHARE,
              concat(
                  pct(PAYOUT_FOREIGN_SHARE),
                  lit(" of withdrawals to accounts outside "),
                  claimed(),
                  opt(" (", TOP_PAYOUT_COUNTRY, ")"))),
          Map.entry(
              HOLDER_MISMATCH_SHARE,
              concat(
                  pct(HOLDER_MISMATCH_SHARE),
                  lit(" of withdrawals to an account in a name other than the profile's"))),
          Map.entry(
              CRYPTO_SHARE, concat(pct(CRYPTO_SHARE), lit(" of withdrawn money taken as crypto"))),
          Map.entry(
              NEW_PAYOUT_RECENT,
              lit("a new payout account in the last 30 days after earlier withdrawals")),
          Map.entry(
              ID_DOC_MISMATCH,
              concat(
                  lit("identity document from "),
                  coalesce(col(Cols.ID_DOCUMENT_COUNTRY), lit("another country")),
                  lit(", profile claims "),
                  claimed())),
          Map.entry(PHONE_VOIP, lit("VoIP phone number on the profile")),
          Map.entry(
              RATE_TO_MARKET,
              concat(
                  lit("hourly rate at "),
                  format_number(col(RATE_TO_MARKET).multiply(100), 0),
                  lit("% of the market median for the same main skill"))),
          Map.entry(
              TAKEOVER_SIGNALS,
              concat(
                  n(TAKEOVER_SIGNALS),
                  when(col(TAKEOVER_SIGNALS).equalTo(1), lit(" sign")).otherwise(lit(" signs")),
                  lit(
                      " of a changed operator in the last 14 days (new devices, new country,"
                          + " time-zone shift, new payout)"))),
          Map.entry(
              SWITCH_SIGNALS,
              concat(
                  lit("only new devices since "),
                  switchDay(),
                  lit(", and with them "),
                  concat_ws(
                      ", ",
                      when(
                          col(SWITCH_NEW_NETWORK_SHARE).geq(0.7),
                          concat(
                              pct(SWITCH_NEW_NETWORK_SHARE),
                              lit(" of sign-ins from new addresses"))),
                      when(
                          col(SWITCH_ANONYMIZER_JUMP).geq(0.2),
                          concat(
                              points(SWITCH_ANONYMIZER_JUMP),
                              lit(" more VPN or hosting sign-ins"))),
                      when(
                          col(SWITCH_EAST_ASIA_JUMP).geq(0.1),
                          concat(
                              points(SWITCH_EAST_ASIA_JUMP),
                              lit(" more night sign-ins at East-Asian office hours"))),
                      when(col(SWITCH_ZONE_CHANGE).gt(0), lit("another browser time zone")),
                      when(
                          col(SWITCH_NEW_PAYOUT).gt(0), lit("pay only to a new payout account"))))),
          Map.entry(
              SWITCH_NEW_NETWORK_SHARE,
              concat(
                  pct(SWITCH_NEW_NETWORK_SHARE),
                  lit(" of sign-ins since the device switch on "),
                  switchDay(),
                  lit(" from addresses the account never used before"))),
          Map.entry(
              SWITCH_ANONYMIZER_JUMP,
              concat(
                  lit("VPN or hosting sign-ins up "),
                  points(SWITCH_ANONYMIZER_JUMP),
                  lit(" since the device switch on "),
                  switchDay())),
          Map.entry(
              SWITCH_EAST_ASIA_JUMP,
              concat(
                  lit("night sign-ins at East-Asian office hours up "),
                  points(SWITCH_EAST_ASIA_JUMP),
                  lit(" since the device switch on "),
                  switchDay())),
          Map.entry(
              SWITCH_ZONE_CHANGE,
              concat(lit("browser time zone changed with the device switch on "), switchDay())),
          Map.entry(
              SWITCH_NEW_PAYOUT,
              concat(
                  lit("withdrawals since the device switch on "),
                  switchDay(),
                  lit(" go only to a payout account new at that time"))),
          Map.entry(
              RECENT_NEW_DEVICE_SHARE,
              concat(
                  pct(RECENT_NEW_DEVICE_SHARE),
                  lit(" of the last 14 days' sign-ins from devices never seen before"))),
          Map.entry(RECENT_TZ_SHIFT, lit("browser time zone changed in the last 14 days")),
          Map.entry(
              IDENTITY_CHANGES,
              concat(
                  lit("profile "),
                  coalesce(col(IDENTITY_CHANGED), lit("name, phone or photo")),
                  lit(" changed on "),
                  coalesce(col(IDENTITY_CHANGED_ON).cast("string"), lit("an unknown day")),
                  lit(" ("),
                  count(IDENTITY_CHANGES, " such change", " such changes"),
                  lit(" in 90 days)"))),
          Map.entry(RECENT_NEW_COUNTRY, lit("sign-ins from a new country in the last 14 days")),
          Map.entry(
              Cols.CLUSTER_SIZE,
              concat(
                  lit("linked with "),
                  count(col(Cols.CLUSTER_SIZE).minus(1), " other account", " other accounts"),
                  lit(" in "),
                  coalesce(col(Cols.CLUSTER_ID), lit("a cluster")),
                  lit(" ("),
                  count(coalesce(col(Cols.CLUSTER_DISTINCT_NAMES), lit(0)), " name, ", " names, "),
                  count(
                      coalesce(col(Cols.CLUSTER_DISTINCT_CITIES), lit(0)),
                      " claimed city",
                      " claimed cities"),
                  lit(") by shared devices, payout accounts, phones, photos or bios"))),
          Map.entry(
              Cols.CLUSTER_PAYOUT_LINKS,
              concat(
                  lit("its linked group shares payout accounts ("),
                  col(Cols.CLUSTER_PAYOUT_LINKS).cast("string"),
                  lit(" payout links)"))),
          Map.entry(
              Cols.CLUSTER_PHOTO_LINKS,
              concat(
                  lit("near-identical profile photos in its linked group ("),
                  col(Cols.CLUSTER_PHOTO_LINKS).cast("string"),
                  lit(" photo links)"))),
          Map.entry(
              Cols.CLUSTER_BIO_LINKS,
              concat(
                  lit("copied profile text in its linked group ("),
                  col(Cols.CLUSTER_BIO_LINKS).cast("string"),
                  lit(" near-duplicate bios)"))),
          Map.entry(
              GraphFeatures.NB_CONFIRMED,
              confirmedNearby("linked to ", GraphFeatures.NB_CONFIRMED)),
          Map.entry(
              GraphFeatures.NB2_CONFIRMED,
              confirmedNearby("two links away from ", GraphFeatures.NB2_CONFIRMED)),
          Map.entry(
              GraphFeatures.NB_MAX_STRONG,
              concat(
                  lit(
                      "shares a device, payout account, phone or photo with an account whose own"
                          + " evidence is strong"),
                  opt(" (cluster ", Cols.CLUSTER_ID, ")"))),
          Map.entry(
              GraphFeatures.NB_MAX_WEAK,
              concat(
                  lit(
                      "shares a residential address or a copied bio with an account whose own"
                          + " evidence is strong"),
                  opt(" (cluster ", Cols.CLUSTER_ID, ")"))),
          Map.entry(
              GraphFeatures.NB_MEAN,
              concat(
                  lit("the accounts it is linked to show strong evidence of their own"),
                  opt(" (cluster ", Cols.CLUSTER_ID, ")"))),
          Map.entry(
              Cols.CLUSTER_CONFIRMED_SHARE,
              concat(
                  lit("linked to accounts already confirmed by investigators ("),
                  format_number(col(Cols.CLUSTER_CONFIRMED_SHARE).multiply(100), 0),
                  lit("% of the labelled others in its cluster)"))),
          Map.entry(
              Cols.CLUSTER_DISTINCT_NAMES,
              concat(
                  lit("linked group holds "),
                  count(
                      Cols.CLUSTER_DISTINCT_NAMES,
                      " different profile name",
                      " different profile names"))));

  /** Evidence columns the sentences quote; absent ones are added as nulls before scoring. */
  static final Map<String, org.apache.spark.sql.types.DataType> EVIDENCE =
      Map.ofEntries(
          Map.entry(TOP_ANONYMIZER_AS, org.apache.spark.sql.types.DataTypes.StringType),
          Map.entry(TOP_FOREIGN_COUNTRY, org.apache.spark.sql.types.DataTypes.StringType),
          Map.entry(TOP_BROWSER_TZ, org.apache.spark.sql.types.DataTypes.StringType),
          Map.entry(TOP_PAYOUT_COUNTRY, org.apache.spark.sql.types.DataTypes.StringType),
          Map.entry(SANCTIONED_ENTITY, org.apache.spark.sql.types.DataTypes.StringType),
          Map.entry(CONCERN_IP_LOGINS, org.apache.spark.sql.types.DataTypes.LongType),
          Map.entry(DEVICE_SHARED_ACCOUNTS, org.apache.spark.sql.types.DataTypes.LongType),
          Map.entry(DEVICE_DISTINCT_NAMES, org.apache.spark.sql.types.DataTypes.LongType),
          Map.entry(DEVICE_OTHER_PLACES, org.apache.spark.sql.types.DataTypes.LongType),
          Map.entry(PAYOUT_SHARED_ACCOUNTS, org.apache.spark.sql.types.DataTypes.LongType),
          Map.entry(Cols.CLUSTER_ID, org.apache.spark.sql.types.DataTypes.StringType),
          Map.entry(Cols.CLUSTER_DISTINCT_NAMES, org.apache.spark.sql.types.DataTypes.LongType),
          Map.entry(Cols.CLUSTER_DISTINCT_CITIES, org.apache.spark.sql.types.DataTypes.LongType),
          Map.entry(Cols.CLAIMED_COUNTRY, org.apache.spark.sql.types.DataTypes.StringType),
          Map.entry(Cols.CLAIMED_TIMEZONE, org.apache.spark.sql.types.DataTypes.StringType),
          Map.entry(Cols.ID_DOCUMENT_COUNTRY, org.apache.spark.sql.types.DataTypes.StringType));

  /** Adds the evidence columns a frame lacks, as nulls, so every sentence resolves. */
  public static org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> withEvidence(
      org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> in) {
    java.util.List<String> have = java.util.List.of(in.columns());
    for (Map.Entry<String, org.apache.spark.sql.types.DataType> e : EVIDENCE.entrySet()) {
      if (!have.contains(e.getKey())) {
        in = in.withColumn(e.getKey(), lit(null).cast(e.getValue()));
      }
    }
    return in;
  }

  /** The sentence for one feature. */
  public static Column detail(String feature) {
    Column t = TEXT.get(feature);
    return t != null
        ? t
        : concat(lit(feature.replace('_', ' ')), lit(" = "), col(feature).cast("string"));
  }

  /**
   * Whether the account shows the evidence a feature's sentence states: a reason is only given for
   * a fact that is there (a zero share is never a reason, even when a tree credits it).
   */
  static Column present(String feature) {
    if (feature.equals(Cols.CLUSTER_SIZE)) {
      return coalesce(col(feature), lit(1)).gt(1);
    }
    if (feature.equals(GraphFeatures.NB_MAX_STRONG)
        || feature.equals(GraphFeatures.NB_MAX_WEAK)
        || feature.equals(GraphFeatures.NB_MEAN)) {
      return coalesce(col(feature), lit(0.0)).geq(STRONG_NEIGHBOUR);
    }
    if (feature.equals(RATE_TO_MARKET)) {
      return col(feature).isNotNull().and(col(feature).lt(0.6));
    }
    return coalesce(col(feature).cast("double"), lit(0.0)).gt(0);
  }

  /**
   * The reasons column: (code, weight, detail) for each feature with a sentence, evidence present
   * and a positive contribution, largest first, at most {@code limit}. {@code weights} holds one
   * contribution column per feature.
   */
  public static Column reasons(List<String> features, List<Column> weights, int limit) {
    java.util.List<Column> items = new java.util.ArrayList<>();
    for (int i = 0; i < features.size(); i++) {
      String f = features.get(i);
      if (!TEXT.containsKey(f)) {
        continue; // context features (sign-in counts, account age) explain, they are not evidence
      }
      Column w = coalesce(weights.get(i), lit(0.0));
      items.add(
          struct(
              lit(f).as("code"),
              when(present(f), w).otherwise(lit(0.0)).as("weight"),
              coalesce(detail(f), lit(f)).as("detail")));
    }
    if (items.isEmpty()) {
      return array().cast(io.unmask.common.Schemas.RISK_SCORES.apply(Cols.REASONS).dataType());
    }
    Column all = array(items.toArray(Column[]::new));
    Column positive = filter(all, x -> x.getField("weight").gt(1e-6));
    Column sorted =
        array_sort(
            positive,
            (a, b) ->
                when(a.getField("weight").gt(b.getField("weight")), -1)
                    .when(a.getField("weight").lt(b.getField("weight")), 1)
                    .otherwise(0));
    return slice(sorted, 1, limit);
  }
}
