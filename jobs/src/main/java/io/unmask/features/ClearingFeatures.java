package io.unmask.features;

import static io.unmask.common.FeatureCols.*;
import static org.apache.spark.sql.functions.*;

import io.unmask.common.Cols;
import io.unmask.common.Shares;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * Evidence that clears: the legitimate look-alikes of {@code shared/indicators.md} explain one
 * family of evidence by a pattern that stays consistent with the claim, where a concealed identity
 * breaks it somewhere.
 *
 * <ul>
 *   <li><b>Consistent VPN user</b> ({@link #ANONYMIZER_CONSISTENT}): VPN or hosting exits, but few
 *       devices not shared with accounts claiming other places, a browser zone of the claimed
 *       country, no East-Asian office hours at claimed night, payout at home (or none) in the
 *       profile's name, and no direct sign-in from a country of concern, no leak, no KP.
 *   <li><b>Shared place</b> ({@link #SHARED_PLACE_CONSISTENT}): every device or direct address the
 *       account shares with other owners is used only by accounts claiming one place, whose direct
 *       sign-ins come from that place's country, at its local day and evening hours; and the
 *       account is paid to its own account in its own name.
 *   <li><b>Relocation</b> ({@link #RELOCATION_CLEAN}): exactly one change of direct sign-in
 *       country, from one steady place to the claimed one, after which address, browser zone, hours
 *       and payout fit the claim.
 *   <li><b>Travel</b> ({@link #TRAVEL_CONSISTENT}): several direct countries, the browser clock
 *       following each country's own zone, some sign-ins from home, and the same few devices (not
 *       mostly new ones lately) and payout accounts at home (no new one lately).
 * </ul>
 *
 * {@link #perAccount} builds the parts that need the sign-ins and payments (aggregations per key or
 * per account, never pairwise); {@link #combine} turns them, with the other families' features,
 * into the flags.
 */
public final class ClearingFeatures {
  /** Share of sign-ins that must fit for a pattern to count as consistent. */
  static final double CONSISTENT = 0.9;

  /** Share above which a contradicting sign is more than noise. */
  static final double NOISE = 0.1;

  /**
   * Whether a share of {@code n} sign-ins is noise: its lower confidence bound (Wilson, one
   * standard error) is at most {@link #NOISE}. Two late sign-ins of twelve are an evening, not a
   * pattern; a fifth of fifty is one. A plain share threshold fails one genuine user in eight on a
   * sparse window. A single such sign-in is never a pattern (one late evening of three sign-ins
   * since a move).
   */
  static Column withinNoise(Column share, Column n) {
    return Shares.lowerBound(share, n)
        .leq(NOISE)
        .or(coalesce(share.multiply(n).lt(1.5), lit(false)));
  }

  /** At most this many devices for a "few, stable devices" VPN user or traveller. */
  static final int FEW_DEVICES = 3;

  /** Local hours at or after this (and before midnight) are day and evening. */
  static final int DAY_STARTS = 7;

  /**
   * Countries where the international payout providers hold their users' accounts: a Wise account
   * of anyone in Europe is often Belgian or British, a Payoneer or PayPal receiving account
   * American (shared/indicators.md: "Wise/Payoneer accounts held elsewhere").
   */
  static final List<String> PROVIDER_HUBS = List.of("GB", "BE", "US", "LU");

  static final List<String> PROVIDERS = List.of("wise", "payoneer", "paypal");

  /**
   * Payout places that are home for a claimed country: the country itself; Hong Kong or Macau for
   * mainland-China freelancers, who are commonly paid there; and an international provider's
   * account held in one of its {@link #PROVIDER_HUBS}.
   */
  static Column payoutHome(Column method, Column payoutCountry, Column claimed) {
    return payoutCountry
        .equalTo(claimed)
        .or(claimed.equalTo("CN").and(payoutCountry.isin("HK", "MO")))
        .or(
            lower(method)
                .isin(PROVIDERS.toArray())
                .and(payoutCountry.isin(PROVIDER_HUBS.toArray())));
  }

  /** {@link #payoutHome} over the standard payment columns. */
  static Column payoutHome() {
    return payoutHome(col(Cols.METHOD), col(Cols.PAYOUT_COUNTRY), col(Cols.CLAIMED_COUNTRY));
  }

  private ClearingFeatures() {}

  /**
   * Per-account parts: shared keys and how many of them serve one claimed place at its local hours;
   * direct-country changes and whether everything after the one change fits the claim; how often
   * the browser zone follows the address's country; payout at home.
   */
  public static Dataset<Row> perAccount(
      Dataset<Row> ctx,
      Dataset<Row> payments,
      Dataset<Row> profiles,
      Dataset<Row> countryZones,
      FeatureConfig cfg) {
    Dataset<Row> ok = ctx.filter(col(Cols.SUCCESS));
    Dataset<Row> claims = profiles.select(Cols.ACCOUNT_ID, Cols.CLAIMED_COUNTRY);
    return sharedPlace(ok, cfg)
        .join(relocation(ok, payments, claims, cfg), Cols.ACCOUNT_ID, "full")
        .join(zoneFollowsIp(ok, countryZones), Cols.ACCOUNT_ID, "full")
        .join(payoutHome(payments, claims), Cols.ACCOUNT_ID, "full");
  }

  /**
   * Devices and direct addresses used by more than one owner, below the hub caps. Per key (one
   * group per key, however many accounts share it): owners, claimed places, the share of direct
   * sign-ins from the claimed country and of sign-ins at local day hours; then joined back to the
   * distinct (account, key) pairs.
   */
  static Dataset<Row> sharedPlace(Dataset<Row> ok, FeatureConfig cfg) {
    Column direct = not(col(IS_ANONYMIZER)).and(col(IP_COUNTRY).isNotNull());
    Dataset<Row> devices =
        ok.filter(col(Cols.DEVICE_ID).isNotNull())
            .withColumn("_key", concat(lit("d:"), col(Cols.DEVICE_ID)));
    Dataset<Row> ips =
        ok.filter(not(col(IS_ANONYMIZER))).withColumn("_key", concat(lit("i:"), col(Cols.IP)));
    Dataset<Row> keyed =
        devices
            .select(
                col("_key"),
                col(Cols.ACCOUNT_ID),
                col(LoginFeatures.OWNER),
                col(LoginFeatures.PLACE),
                direct.as("_direct"),
                col(IP_COUNTRY),
                col(Cols.CLAIMED_COUNTRY),
                col(LoginFeatures.LOCAL_HOUR))
            .unionByName(
                ips.select(
                    col("_key"),
                    col(Cols.ACCOUNT_ID),
                    col(LoginFeatures.OWNER),
                    col(LoginFeatures.PLACE),
                    direct.as("_direct"),
                    col(IP_COUNTRY),
                    col(Cols.CLAIMED_COUNTRY),
                    col(LoginFeatures.LOCAL_HOUR)));
    Dataset<Row> byKey =
        keyed
            .groupBy("_key")
            .agg(
                countDistinct(col(Cols.ACCOUNT_ID)).as("_accounts"),
                countDistinct(col(LoginFeatures.OWNER)).as("_owners"),
                countDistinct(col(LoginFeatures.PLACE)).as("_places"),
                avg(when(
                        col("_direct"),
                        when(col(IP_COUNTRY).equalTo(col(Cols.CLAIMED_COUNTRY)), 1.0)
                            .otherwise(0.0)))
                    .as("_home"),
                avg(when(
                        col(LoginFeatures.LOCAL_HOUR).isNotNull(),
                        when(col(LoginFeatures.LOCAL_HOUR).geq(DAY_STARTS), 1.0).otherwise(0.0)))
                    .as("_day"))
            // hubs (carrier NAT, campus, default device ids) are not sharing, as in LoginFeatures
            .filter(
                col("_owners")
                    .gt(1)
                    .and(
                        when(
                                col("_key").startsWith("d:"),
                                col("_accounts").leq(cfg.deviceHubAccounts()))
                            .otherwise(col("_accounts").leq(cfg.ipHubAccounts()))));
    Column onePlace =
        col("_places")
            .equalTo(1)
            .and(coalesce(col("_home"), lit(0.0)).geq(CONSISTENT))
            .and(coalesce(col("_day"), lit(0.0)).geq(CONSISTENT - NOISE));
    return keyed
        .select("_key", Cols.ACCOUNT_ID)
        .distinct()
        .join(byKey, "_key")
        .groupBy(Cols.ACCOUNT_ID)
        .agg(
            count(lit(1)).as(SHARED_KEYS),
            sum(when(onePlace, 1).otherwise(0)).cast("long").as(SHARED_KEYS_ONE_PLACE),
            max(when(onePlace, col("_owners").minus(1))).as(SHARED_PLACE_ACCOUNTS));
  }

  /**
   * One change point of the direct sign-in country: the number of changes between consecutive
   * direct sign-ins, the first and last country, when the last country began, and how well the
   * sign-ins and withdrawals since then fit the claim (address country, browser zone, hours, payout
   * country); and whether the browser zone stayed one before it.
   */
  static Dataset<Row> relocation(
      Dataset<Row> ok, Dataset<Row> payments, Dataset<Row> claims, FeatureConfig cfg) {
    Column direct = not(col(IS_ANONYMIZER)).and(col(IP_COUNTRY).isNotNull());
    WindowSpec byTime = Window.partitionBy(Cols.ACCOUNT_ID).orderBy(Cols.TS);
    Dataset<Row> changes =
        ok.filter(direct)
            .withColumn("_prev", lag(col(IP_COUNTRY), 1).over(byTime))
            .withColumn(
                "_changed", col("_prev").isNotNull().and(col("_prev").notEqual(col(IP_COUNTRY))))
            .groupBy(Cols.ACCOUNT_ID)
            .agg(
                sum(when(col("_changed"), 1).otherwise(0)).cast("long").as(DIRECT_COUNTRY_CHANGES),
                min_by(col(IP_COUNTRY), col(Cols.TS)).as("_from"),
                max_by(col(IP_COUNTRY), col(Cols.TS)).as("_to"),
                max(when(col("_changed"), col(Cols.TS))).as("_change_ts"));
    Column after = col(Cols.TS).geq(col("_change_ts"));
    Column asianOffice = LoginFeatures.eastAsiaOffice();
    Column concern =
        direct
            .and(col(IP_COUNTRY).isin(cfg.countriesOfConcern().toArray()))
            .and(not(col(Cols.CLAIMED_COUNTRY).isin(cfg.countriesOfConcern().toArray())));
    Dataset<Row> points = changes.filter(col(DIRECT_COUNTRY_CHANGES).equalTo(1));
    Dataset<Row> fit =
        ok.join(points.select(Cols.ACCOUNT_ID, "_change_ts"), Cols.ACCOUNT_ID)
            .groupBy(Cols.ACCOUNT_ID)
            .agg(
                avg(when(
                        after.and(direct),
                        when(col(IP_COUNTRY).equalTo(col(Cols.CLAIMED_COUNTRY)), 1.0)
                            .otherwise(0.0)))
                    .as("_after_home"),
                avg(when(
                        after.and(col(LoginFeatures.BROWSER_ZONE).isNotNull()),
                        when(col(LoginFeatures.ZONE_IN_COUNTRY).isNotNull(), 1.0).otherwise(0.0)))
                    .as("_after_zone"),
                avg(when(
                        after.and(col(LoginFeatures.LOCAL_HOUR).isNotNull()),
                        when(asianOffice, 1.0).otherwise(0.0)))
                    .as("_after_asian"),
                sum(when(after.and(col(LoginFeatures.LOCAL_HOUR).isNotNull()), 1).otherwise(0))
                    .as("_after_hours"),
                sum(when(after.and(concern), 1).otherwise(0)).as("_after_concern"),
                countDistinct(when(not(after), col(LoginFeatures.BROWSER_ZONE)))
                    .as("_before_zones"));
    Dataset<Row> w =
        payments.filter(
            col(Cols.KIND).equalTo("withdrawal").and(col(Cols.PAYOUT_COUNTRY).isNotNull()));
    Dataset<Row> payAfter =
        w.join(points.select(Cols.ACCOUNT_ID, "_change_ts"), Cols.ACCOUNT_ID)
            .filter(after)
            .join(claims, Cols.ACCOUNT_ID)
            .groupBy(Cols.ACCOUNT_ID)
            .agg(avg(when(payoutHome(), 1.0).otherwise(0.0)).as("_after_pay_home"));
    Dataset<Row> claimed = claims.withColumnRenamed(Cols.CLAIMED_COUNTRY, "_c");
    Column clean =
        col(DIRECT_COUNTRY_CHANGES)
            .equalTo(1)
            .and(col("_to").equalTo(col("_c")))
            .and(col("_from").notEqual(col("_c")))
            .and(coalesce(col("_after_home"), lit(0.0)).geq(CONSISTENT))
            .and(coalesce(col("_after_zone"), lit(1.0)).geq(CONSISTENT))
            .and(withinNoise(col("_after_asian"), col("_after_hours")))
            .and(coalesce(col("_after_concern"), lit(0)).equalTo(0))
            .and(coalesce(col("_before_zones"), lit(0)).leq(1))
            .and(coalesce(col("_after_pay_home"), lit(1.0)).geq(CONSISTENT));
    return changes
        .join(claimed, Cols.ACCOUNT_ID, "left")
        .join(fit, Cols.ACCOUNT_ID, "left")
        .join(payAfter, Cols.ACCOUNT_ID, "left")
        .select(
            col(Cols.ACCOUNT_ID),
            col(DIRECT_COUNTRY_CHANGES),
            when(clean, 1).otherwise(0).as("_relocation_fit"),
            when(clean, col("_from")).as(RELOCATED_FROM),
            when(clean, to_date(col("_change_ts"))).as(RELOCATED_ON));
  }

  /** Share of direct sign-ins whose browser zone is a zone of the address's own country. */
  static Dataset<Row> zoneFollowsIp(Dataset<Row> ok, Dataset<Row> countryZones) {
    Dataset<Row> zones =
        broadcast(
            countryZones.select(
                col(TimeZones.ZONE_COUNTRY).as("_zc"),
                col(TimeZones.ZONE).as("_zz"),
                lit(true).as("_zone_of_ip")));
    Dataset<Row> d =
        ok.filter(
            not(col(IS_ANONYMIZER))
                .and(col(IP_COUNTRY).isNotNull())
                .and(col(LoginFeatures.BROWSER_ZONE).isNotNull()));
    return d.join(
            zones,
            d.col(IP_COUNTRY)
                .equalTo(col("_zc"))
                .and(d.col(LoginFeatures.BROWSER_ZONE).equalTo(col("_zz"))),
            "left")
        .groupBy(Cols.ACCOUNT_ID)
        .agg(
            avg(when(col("_zone_of_ip").isNotNull(), 1.0).otherwise(0.0))
                .as(ZONE_FOLLOWS_IP_SHARE));
  }

  /**
   * Share of withdrawals (with a payout country) paid in the claimed country or its payout region
   * (see {@link #payoutHome}); null without such withdrawals.
   */
  static Dataset<Row> payoutHome(Dataset<Row> payments, Dataset<Row> claims) {
    Dataset<Row> w =
        payments.filter(
            col(Cols.KIND).equalTo("withdrawal").and(col(Cols.PAYOUT_COUNTRY).isNotNull()));
    return w.groupBy(Cols.ACCOUNT_ID, Cols.METHOD, Cols.PAYOUT_COUNTRY)
        .agg(count(lit(1)).as("_n"))
        .join(claims, Cols.ACCOUNT_ID)
        .groupBy(Cols.ACCOUNT_ID)
        .agg(
            sum(when(payoutHome(), col("_n")).otherwise(0))
                .divide(sum(col("_n")))
                .as(PAYOUT_HOME_SHARE));
  }

  private static Column n(String c) {
    return coalesce(col(c).cast("double"), lit(0.0));
  }

  /**
   * The flags, from the parts above and the other families' features (after defaults): each is 1
   * when the look-alike's pattern holds and nothing contradicts it.
   */
  public static Dataset<Row> combine(Dataset<Row> f) {
    Column noHardSigns =
        n(CONCERN_IP_LOGINS)
            .equalTo(0)
            .and(n(LEAK_AFTER_ANONYMIZER).equalTo(0))
            .and(n(KP_HITS).equalTo(0))
            .and(n(PYONGYANG_TZ_LOGINS).equalTo(0))
            .and(n(SANCTIONED_HITS).equalTo(0));
    Column ownMoney =
        n(HOLDER_MISMATCH_SHARE)
            .leq(NOISE)
            .and(n(PAYOUT_OTHER_PLACES).equalTo(0))
            .and(coalesce(col(PAYOUT_HOME_SHARE), lit(1.0)).geq(CONSISTENT));
    Column stableDevices = n(N_DEVICES).leq(FEW_DEVICES).and(n(DEVICE_OTHER_PLACES).equalTo(0));
    Column anonymized = greatest(n(VPN_SHARE), n(HOSTING_SHARE)).gt(0);
    Column vpnConsistent =
        anonymized
            .and(stableDevices)
            .and(n(TZ_MISMATCH_SHARE).leq(NOISE))
            .and(withinNoise(col(EAST_ASIA_OFFICE_SHARE), col(N_LOGINS)))
            .and(n(FOREIGN_IP_SHARE).leq(2 * NOISE))
            // a wallet is no payout at home in the profile's name
            .and(n(CRYPTO_SHARE).leq(NOISE))
            .and(noHardSigns)
            .and(ownMoney);
    Column sharedPlace =
        n(SHARED_KEYS)
            .gt(0)
            .and(n(SHARED_KEYS_ONE_PLACE).equalTo(n(SHARED_KEYS)))
            .and(n(PAYOUT_SHARED_ACCOUNTS).equalTo(0))
            .and(n(HOLDER_MISMATCH_SHARE).leq(NOISE))
            .and(noHardSigns);
    // a move before the window: the device switch of the last year, with pay moved home or the
    // browser clock moved into the claimed country, and everything in the window fits the claim
    Column movedEarlier =
        n(SWITCH_PAY_MOVED_HOME)
            .equalTo(1)
            .or(n(SWITCH_INTO_CLAIM).equalTo(1))
            .and(n(TZ_MISMATCH_SHARE).leq(NOISE))
            .and(withinNoise(col(EAST_ASIA_OFFICE_SHARE), col(N_LOGINS)))
            .and(n(FOREIGN_IP_SHARE).leq(NOISE))
            .and(n(PAYOUT_OTHER_PLACES).equalTo(0))
            .and(n(DEVICE_OTHER_PLACES).equalTo(0));
    Column relocation =
        n("_relocation_fit")
            .equalTo(1)
            .or(movedEarlier)
            .and(noHardSigns)
            .and(n(HOLDER_MISMATCH_SHARE).leq(NOISE));
    Column travel =
        n(N_IP_COUNTRIES)
            .geq(2)
            .and(coalesce(col(ZONE_FOLLOWS_IP_SHARE), lit(0.0)).geq(CONSISTENT - NOISE))
            .and(n(FOREIGN_IP_SHARE).leq(1 - NOISE))
            .and(n(N_DEVICES).leq(FEW_DEVICES))
            .and(n(RECENT_NEW_DEVICE_SHARE).leq(0.5))
            .and(n(DEVICE_OTHER_PLACES).equalTo(0))
            .and(n(N_PAYOUT_ACCOUNTS).leq(2))
            .and(n(NEW_PAYOUT_RECENT).equalTo(0))
            .and(noHardSigns)
            .and(ownMoney);
    return f.withColumn(ANONYMIZER_CONSISTENT, when(vpnConsistent, 1).otherwise(0))
        .withColumn(SHARED_PLACE_CONSISTENT, when(sharedPlace, 1).otherwise(0))
        .withColumn(RELOCATION_CLEAN, when(relocation, 1).otherwise(0))
        .withColumn(
            RELOCATED_FROM, when(relocation, coalesce(col(RELOCATED_FROM), col(SWITCH_PAID_FROM))))
        .withColumn(RELOCATED_ON, when(relocation, coalesce(col(RELOCATED_ON), col(SWITCH_ON))))
        .withColumn(TRAVEL_CONSISTENT, when(travel, 1).otherwise(0))
        .drop("_relocation_fit");
  }
}
