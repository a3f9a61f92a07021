package io.unmask.features;

import static io.unmask.common.FeatureCols.*;
import static org.apache.spark.sql.functions.*;

import io.unmask.common.Cols;
import java.sql.Timestamp;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * How far an account's recent sign-ins depart from its own history: the sign of a rented, bought or
 * taken-over account. Applies only to accounts with enough history before the recent window ({@link
 * FeatureConfig#minHistoryDays()}); others get zeros.
 */
public final class ChangeFeatures {
  private ChangeFeatures() {}

  public static Dataset<Row> perAccount(Dataset<Row> ctx, Timestamp asOfEnd, FeatureConfig cfg) {
    Timestamp recentStart = new Timestamp(asOfEnd.getTime() - cfg.recentDays() * 86_400_000L);
    Dataset<Row> ok = ctx.filter(col(Cols.SUCCESS));
    Column recent = col(Cols.TS).geq(lit(recentStart));
    Dataset<Row> firstDevice =
        ok.filter(col(Cols.DEVICE_ID).isNotNull())
            .groupBy(Cols.ACCOUNT_ID, Cols.DEVICE_ID)
            .agg(min(Cols.TS).as("_dev_first"));
    Dataset<Row> firstCountry =
        ok.filter(not(col(IS_ANONYMIZER)).and(col(IP_COUNTRY).isNotNull()))
            .groupBy(Cols.ACCOUNT_ID, IP_COUNTRY)
            .agg(min(Cols.TS).as("_country_first"));
    Dataset<Row> newCountry =
        firstCountry
            .groupBy(Cols.ACCOUNT_ID)
            .agg(
                max(when(col("_country_first").geq(lit(recentStart)), 1).otherwise(0))
                    .as(RECENT_NEW_COUNTRY),
                max(when(col("_country_first").lt(lit(recentStart)), 1).otherwise(0))
                    .as("_had_country"));
    Dataset<Row> withDev =
        ok.join(firstDevice, new String[] {Cols.ACCOUNT_ID, Cols.DEVICE_ID}, "left");
    Dataset<Row> agg =
        withDev
            .groupBy(Cols.ACCOUNT_ID)
            .agg(
                min(Cols.TS).as("_first"),
                avg(when(recent, when(col("_dev_first").geq(lit(recentStart)), 1.0).otherwise(0.0)))
                    .as(RECENT_NEW_DEVICE_SHARE),
                mode(when(not(recent), col(LoginFeatures.BROWSER_ZONE))).as("_tz_before"),
                mode(when(recent, col(LoginFeatures.BROWSER_ZONE))).as("_tz_recent"));
    Column enoughHistory =
        col("_first")
            .lt(lit(new Timestamp(recentStart.getTime() - cfg.minHistoryDays() * 86_400_000L)));
    return agg.join(newCountry, Cols.ACCOUNT_ID, "left")
        .select(
            col(Cols.ACCOUNT_ID),
            when(enoughHistory, coalesce(col(RECENT_NEW_DEVICE_SHARE), lit(0.0)))
                .otherwise(0.0)
                .as(RECENT_NEW_DEVICE_SHARE),
            when(enoughHistory.and(col("_had_country").equalTo(1)), col(RECENT_NEW_COUNTRY))
                .otherwise(0)
                .as(RECENT_NEW_COUNTRY),
            when(
                    enoughHistory
                        .and(col("_tz_before").isNotNull())
                        .and(col("_tz_recent").isNotNull())
                        .and(col("_tz_before").notEqual(col("_tz_recent"))),
                    1)
                .otherwise(0)
                .as(RECENT_TZ_SHIFT));
  }

  /**
   * Sign-ins needed on each side of a switch (and {@link #SWITCH_MIN_DAYS_BEFORE} days of them
   * before it). Few: an aged account bought from an owner who barely used it, or a rented one
   * worked in a few sessions a month, has only a handful on one side, and what counts is the bundle
   * of changes ({@code switch_signals} from two), never one share of a handful of sign-ins; a new
   * laptop at home brings none.
   */
  static final int SWITCH_MIN_LOGINS = 3;

  /** Days of sign-ins needed before a switch. */
  static final int SWITCH_MIN_DAYS_BEFORE = 14;

  /**
   * Days of sign-in history read for a switch: a handover months ago shows only in a longer history
   * than the features' window. Only cheap columns of it are read (devices, addresses, clock, hour);
   * the VPN share before a switch comes from the window.
   */
  public static final int SWITCH_HISTORY_DAYS = 365;

  /** Sign-ins in the window before a switch needed to compare its VPN share. */
  static final int SWITCH_MIN_WINDOW_BEFORE = 3;

  /** Share of sign-ins after a switch from addresses never used before: new networks. */
  static final double SWITCH_NEW_NETWORKS = 0.7;

  /** Rise in the share of VPN or hosting sign-ins at a switch that counts as a change. */
  static final double SWITCH_ANONYMIZER_RISE = 0.2;

  /** Rise in the share of night sign-ins at East-Asian office hours that counts as a change. */
  static final double SWITCH_EAST_ASIA_RISE = 0.1;

  /** At most this share of browser clocks in the claimed country before a switch: elsewhere. */
  static final double SWITCH_OUTSIDE_CLAIM = 0.1;

  /** At least this share of browser clocks in the claimed country after a switch: arrived. */
  static final double SWITCH_INSIDE_CLAIM = 0.9;

  /** A payout account first used this many days before a switch still counts as new with it. */
  static final int SWITCH_PAYOUT_SLACK_DAYS = 7;

  /**
   * The accounts with a switch and its time ({@code account_id}, {@code _switch}): the first use of
   * the earliest of the devices in use lately (the last {@code recentDays} of the account's own
   * sign-ins), when the account had used other devices for {@link #SWITCH_MIN_DAYS_BEFORE} days
   * before it. Reads only {@code account_id}, {@code device_id}, {@code ts} and {@code success} of
   * the sign-ins, so the history's context (profiles, zones) is joined only to the few accounts
   * returned.
   */
  public static Dataset<Row> switchPoints(Dataset<Row> logins, FeatureConfig cfg) {
    Dataset<Row> ok = logins.filter(col(Cols.SUCCESS).and(col(Cols.DEVICE_ID).isNotNull()));
    // lately: the last recentDays of the account's own sign-ins, so a handover whose new operator
    // has gone quiet since (a rented account returned, a bought one parked) still shows
    Dataset<Row> devices =
        ok.groupBy(Cols.ACCOUNT_ID, Cols.DEVICE_ID)
            .agg(min(Cols.TS).as("_first"), max(Cols.TS).as("_last"))
            .withColumn("_end", max(col("_last")).over(Window.partitionBy(Cols.ACCOUNT_ID)));
    Column lately =
        col("_last").geq(col("_end").minus(expr("INTERVAL " + cfg.recentDays() + " DAYS")));
    return devices
        .groupBy(Cols.ACCOUNT_ID)
        .agg(min(when(lately, col("_first"))).as("_switch"), min(col("_first")).as("_since"))
        .filter(
            col("_switch")
                .isNotNull()
                .and(
                    col("_switch")
                        .geq(
                            col("_since")
                                .plus(expr("INTERVAL " + SWITCH_MIN_DAYS_BEFORE + " DAYS")))))
        .select(Cols.ACCOUNT_ID, "_switch");
  }

  /**
   * A change of operator at any point of the last year, not only in the recent days: the day from
   * which every device in use lately (the last {@code recentDays} of the account's own sign-ins)
   * was new, when the account had signed in on other devices for a while before it, and what
   * changed with the devices. A person who replaces a laptop keeps the home address, the same share
   * of VPN, the same hours, zone and payout account; an account handed to someone else changes them
   * together. Columns: {@link #SWITCH_ON} (null without a switch), {@link
   * #SWITCH_NEW_NETWORK_SHARE}, {@link #SWITCH_ANONYMIZER_JUMP}, {@link #SWITCH_EAST_ASIA_JUMP}
   * (rises, never below 0), {@link #SWITCH_ZONE_CHANGE}, {@link #SWITCH_NEW_PAYOUT} and {@link
   * #SWITCH_SIGNALS}, the number of those changes (0 without a switch); and {@link
   * #SWITCH_PAY_MOVED_HOME} (every withdrawal before the switch paid abroad, from {@link
   * #SWITCH_PAID_FROM}, every one since at home: the trace of a move, which {@link
   * ClearingFeatures#combine} weighs).
   *
   * @param history sign-ins of the last {@link #SWITCH_HISTORY_DAYS} days with the context columns
   *     of {@link LoginFeatures#withContext} (not enriched: no address lookup); only those of the
   *     accounts in {@code points} are needed
   * @param points the accounts' switch points, from {@link #switchPoints}
   * @param ctx the window's enriched sign-ins, for the VPN share on each side
   * @param payments payments before the end of as_of (the whole history)
   * @param claims account_id, claimed_country and display_name of every account
   */
  public static Dataset<Row> switchPoint(
      Dataset<Row> history,
      Dataset<Row> points,
      Dataset<Row> ctx,
      Dataset<Row> payments,
      Dataset<Row> claims,
      FeatureConfig cfg) {
    Dataset<Row> ok = history.filter(col(Cols.SUCCESS).and(col(Cols.DEVICE_ID).isNotNull()));
    Column after = col(Cols.TS).geq(col("_switch"));
    Column known = col(LoginFeatures.LOCAL_HOUR).isNotNull();
    Column office = when(LoginFeatures.eastAsiaOffice(), 1.0).otherwise(0.0);
    Column zoned = col(LoginFeatures.BROWSER_ZONE).isNotNull();
    Column inClaim = when(col(LoginFeatures.ZONE_IN_COUNTRY).isNotNull(), 1.0).otherwise(0.0);
    // addresses already used before the switch: a window over (account, address), one shuffle
    // of the sign-ins, not a distinct and a join back (three)
    Dataset<Row> seen =
        ok.join(points, Cols.ACCOUNT_ID)
            .withColumn(
                "_old_ip",
                when(
                    col(Cols.IP).isNotNull(),
                    max(when(not(after), lit(true)))
                        .over(Window.partitionBy(Cols.ACCOUNT_ID, Cols.IP))));
    Dataset<Row> sides =
        seen.groupBy(Cols.ACCOUNT_ID)
            .agg(
                first(col("_switch")).as("_switch"),
                sum(when(not(after), 1).otherwise(0)).as("_n_before"),
                sum(when(after, 1).otherwise(0)).as("_n_after"),
                avg(when(after, when(col("_old_ip").isNull(), 1.0).otherwise(0.0)))
                    .as(SWITCH_NEW_NETWORK_SHARE),
                avg(when(not(after).and(known), office)).as("_asia_before"),
                avg(when(after.and(known), office)).as("_asia_after"),
                avg(when(not(after).and(zoned), inClaim)).as("_claim_zone_before"),
                avg(when(after.and(zoned), inClaim)).as("_claim_zone_after"),
                mode(when(not(after), col(LoginFeatures.BROWSER_ZONE))).as("_zone_before"),
                mode(when(after, col(LoginFeatures.BROWSER_ZONE))).as("_zone_after"))
            .filter(
                col("_n_before")
                    .geq(SWITCH_MIN_LOGINS)
                    .and(col("_n_after").geq(SWITCH_MIN_LOGINS)));
    // the VPN share on each side, where the window reaches back before the switch; joined to the
    // points, not to the sides: the sides' plan read here again (pruned to two columns, so not
    // reused) ran the year's sign-ins of the switched accounts twice more, and the left joins to
    // the sides below keep only their accounts either way
    Column anon = when(col(IS_ANONYMIZER), 1.0).otherwise(0.0);
    Dataset<Row> anonymized =
        ctx.filter(col(Cols.SUCCESS))
            .join(points, Cols.ACCOUNT_ID)
            .groupBy(Cols.ACCOUNT_ID)
            .agg(
                sum(when(not(after), 1).otherwise(0)).as("_w_n_before"),
                avg(when(not(after), anon)).as("_anon_before"),
                avg(when(after, anon)).as("_anon_after"));
    // pay: withdrawals before the switch, and every one since to an account new around it
    Dataset<Row> w =
        payments
            .filter(col(Cols.KIND).equalTo("withdrawal").and(col(Cols.PAYOUT_ACCOUNT).isNotNull()))
            .join(points, Cols.ACCOUNT_ID)
            .join(claims, Cols.ACCOUNT_ID, "left");
    Column home = coalesce(ClearingFeatures.payoutHome(), lit(false));
    Column abroad = col(Cols.PAYOUT_COUNTRY).isNotNull().and(not(home));
    // pay that is not the person's own money at home: abroad, to a wallet, or in any name but the
    // person's own (a relative's or a company's too: a mule often shares a surname with the
    // borrowed identity); a new bank account at home in the person's name comes with a move or a
    // new job
    // the names compared on each withdrawal of the switched accounts (a few), and the first use of
    // each payout account by a window: one shuffle of the withdrawals, not three plans over them
    Column mismatch =
        when(
            col(Cols.PAYOUT_HOLDER_NAME).isNotNull(),
            PaymentFeatures.HOLDER_MISMATCH.apply(
                col(Cols.DISPLAY_NAME), col(Cols.PAYOUT_HOLDER_NAME)));
    Column notOwnAtHome =
        not(home)
            .or(lower(col(Cols.METHOD)).equalTo("crypto"))
            .or(coalesce(mismatch, lit(0.0)).gt(0.0));
    Column newAround =
        col("_payout_first")
            .geq(col("_switch").minus(expr("INTERVAL " + SWITCH_PAYOUT_SLACK_DAYS + " DAYS")));
    Dataset<Row> pay =
        w.withColumn(
                "_payout_first",
                min(Cols.TS).over(Window.partitionBy(Cols.ACCOUNT_ID, Cols.PAYOUT_ACCOUNT)))
            .groupBy(Cols.ACCOUNT_ID)
            .agg(
                sum(when(col(Cols.TS).lt(col("_switch")), 1).otherwise(0)).as("_w_before"),
                sum(when(col(Cols.TS).geq(col("_switch")), 1).otherwise(0)).as("_w_after"),
                sum(when(col(Cols.TS).geq(col("_switch")).and(not(newAround)), 1).otherwise(0))
                    .as("_w_after_old"),
                sum(when(col(Cols.TS).geq(col("_switch")).and(notOwnAtHome), 1).otherwise(0))
                    .as("_w_after_not_own"),
                sum(when(col(Cols.TS).lt(col("_switch")).and(abroad), 1).otherwise(0))
                    .as("_w_before_abroad"),
                sum(when(col(Cols.TS).geq(col("_switch")).and(home), 1).otherwise(0))
                    .as("_w_after_home"),
                mode(when(col(Cols.TS).lt(col("_switch")).and(abroad), col(Cols.PAYOUT_COUNTRY)))
                    .as(SWITCH_PAID_FROM));
    Column rise1 =
        when(
                coalesce(col("_w_n_before"), lit(0)).geq(SWITCH_MIN_WINDOW_BEFORE),
                greatest(col("_anon_after").minus(col("_anon_before")), lit(0.0)))
            .otherwise(0.0);
    Column rise2 =
        greatest(
            coalesce(col("_asia_after"), lit(0.0)).minus(coalesce(col("_asia_before"), lit(0.0))),
            lit(0.0));
    Dataset<Row> out =
        sides
            .join(anonymized, Cols.ACCOUNT_ID, "left")
            .join(pay, Cols.ACCOUNT_ID, "left")
            .select(
                col(Cols.ACCOUNT_ID),
                to_date(col("_switch")).as(SWITCH_ON),
                col(SWITCH_NEW_NETWORK_SHARE),
                coalesce(rise1, lit(0.0)).as(SWITCH_ANONYMIZER_JUMP),
                rise2.as(SWITCH_EAST_ASIA_JUMP),
                // a clock that moved away from the claim: one that moved into it is a move home
                when(
                        col("_zone_before")
                            .isNotNull()
                            .and(col("_zone_after").isNotNull())
                            .and(col("_zone_before").notEqual(col("_zone_after")))
                            .and(
                                coalesce(col("_claim_zone_after"), lit(0.0))
                                    .lt(SWITCH_INSIDE_CLAIM)),
                        1)
                    .otherwise(0)
                    .as(SWITCH_ZONE_CHANGE),
                when(
                        coalesce(col("_w_before"), lit(0))
                            .gt(0)
                            .and(coalesce(col("_w_after"), lit(0)).gt(0))
                            .and(coalesce(col("_w_after_old"), lit(0)).equalTo(0))
                            .and(coalesce(col("_w_after_not_own"), lit(0)).gt(0)),
                        1)
                    .otherwise(0)
                    .as(SWITCH_NEW_PAYOUT),
                when(
                        coalesce(col("_w_before"), lit(0))
                            .gt(0)
                            .and(col("_w_before_abroad").equalTo(col("_w_before")))
                            .and(coalesce(col("_w_after"), lit(0)).gt(0))
                            .and(col("_w_after_home").equalTo(col("_w_after"))),
                        1)
                    .otherwise(0)
                    .as(SWITCH_PAY_MOVED_HOME),
                when(
                        coalesce(col("_claim_zone_before"), lit(1.0))
                            .leq(SWITCH_OUTSIDE_CLAIM)
                            .and(
                                coalesce(col("_claim_zone_after"), lit(0.0))
                                    .geq(SWITCH_INSIDE_CLAIM)),
                        1)
                    .otherwise(0)
                    .as(SWITCH_INTO_CLAIM),
                col(SWITCH_PAID_FROM));
    Column signals =
        when(col(SWITCH_NEW_NETWORK_SHARE).geq(SWITCH_NEW_NETWORKS), 1)
            .otherwise(0)
            .plus(when(col(SWITCH_ANONYMIZER_JUMP).geq(SWITCH_ANONYMIZER_RISE), 1).otherwise(0))
            .plus(when(col(SWITCH_EAST_ASIA_JUMP).geq(SWITCH_EAST_ASIA_RISE), 1).otherwise(0))
            .plus(col(SWITCH_ZONE_CHANGE))
            .plus(col(SWITCH_NEW_PAYOUT));
    return out.withColumn(SWITCH_SIGNALS, signals);
  }
}
