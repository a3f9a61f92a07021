package io.unmask.score;

import static io.unmask.common.FeatureCols.*;
import static org.apache.spark.sql.functions.*;

import io.unmask.common.Cols;
import io.unmask.common.Schemas;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The {@code mitigating} column of {@code risk_scores}: clearing evidence shown next to the reasons
 * ({@code io.unmask.features.ClearingFeatures}), each as (code, sentence) with the account's own
 * values, in neutral words an investigator can check. Empty when nothing clears; entries whose
 * columns a feature table lacks (older tables) are left out.
 */
public final class Mitigating {
  private Mitigating() {}

  /** One entry: shown when {@code when} holds; needs {@code columns} in the frame. */
  private record Entry(String code, List<String> columns, Column when, Column detail) {}

  private static Column num(String c) {
    return coalesce(col(c).cast("double"), lit(0.0));
  }

  private static Column pct(Column share) {
    return concat(format_number(share.multiply(100), 0), lit("%"));
  }

  private static Column n(String c) {
    return coalesce(col(c).cast("long"), lit(0L)).cast("string");
  }

  /** "1 device", "2 devices" (a missing count reads 0). */
  private static Column count(String c, String one, String many) {
    return Reasons.count(coalesce(col(c).cast("long"), lit(0L)), one, many);
  }

  private static Column claimed() {
    return coalesce(col(Cols.CLAIMED_COUNTRY), lit("country"));
  }

  private static List<Entry> entries() {
    List<Entry> e = new ArrayList<>();
    e.add(
        new Entry(
            ANONYMIZER_CONSISTENT,
            List.of(
                ANONYMIZER_CONSISTENT,
                VPN_SHARE,
                HOSTING_SHARE,
                N_DEVICES,
                TOP_BROWSER_TZ,
                EAST_ASIA_OFFICE_SHARE,
                PAYOUT_HOME_SHARE,
                Cols.CLAIMED_COUNTRY),
            num(ANONYMIZER_CONSISTENT).gt(0),
            concat(
                pct(greatest(num(VPN_SHARE), num(HOSTING_SHARE))),
                lit(
                    " of sign-ins through VPN or hosting exits, otherwise consistent with the"
                        + " claimed "),
                claimed(),
                lit(": "),
                count(N_DEVICES, " device", " devices"),
                lit(" not shared with accounts claiming other places, browser time zone "),
                coalesce(col(TOP_BROWSER_TZ), lit("not reported")),
                lit(", "),
                pct(num(EAST_ASIA_OFFICE_SHARE)),
                lit(" of sign-ins at night in the claimed zone during East-Asian office hours, "),
                when(col(PAYOUT_HOME_SHARE).isNull(), lit("no withdrawals abroad"))
                    .otherwise(
                        concat(
                            pct(col(PAYOUT_HOME_SHARE)),
                            lit(" of withdrawals paid in "),
                            claimed(),
                            lit(" (or its payout region)"))),
                lit(" in the profile's name, no direct sign-in from a country of concern"))));
    e.add(
        new Entry(
            SHARED_PLACE_CONSISTENT,
            List.of(
                SHARED_PLACE_CONSISTENT, SHARED_PLACE_ACCOUNTS, SHARED_KEYS, Cols.CLAIMED_COUNTRY),
            num(SHARED_PLACE_CONSISTENT).gt(0),
            concat(
                lit("shares "),
                count(SHARED_KEYS, " device or address", " devices or addresses"),
                lit(" with up to "),
                count(SHARED_PLACE_ACCOUNTS, " other account", " other accounts"),
                lit(", all claiming the same town in "),
                claimed(),
                lit(
                    ", signing in from that country at its local day and evening hours; paid to"
                        + " its own payout account in the profile's name (a shared place such as"
                        + " an internet café, office or family computer)"))));
    e.add(
        new Entry(
            RELOCATION_CLEAN,
            List.of(RELOCATION_CLEAN, RELOCATED_FROM, RELOCATED_ON, Cols.CLAIMED_COUNTRY),
            num(RELOCATION_CLEAN).gt(0),
            concat(
                lit("one move, from "),
                coalesce(col(RELOCATED_FROM), lit("another country")),
                lit(" to "),
                claimed(),
                lit(" on "),
                coalesce(col(RELOCATED_ON).cast("string"), lit("an unknown day")),
                lit(
                    ": since then direct sign-ins, browser zone, hours and payout all match the claimed "),
                claimed())));
    e.add(
        new Entry(
            TRAVEL_CONSISTENT,
            List.of(
                TRAVEL_CONSISTENT,
                N_IP_COUNTRIES,
                ZONE_FOLLOWS_IP_SHARE,
                N_DEVICES,
                N_PAYOUT_ACCOUNTS),
            num(TRAVEL_CONSISTENT).gt(0),
            concat(
                lit("direct sign-ins from "),
                n(N_IP_COUNTRIES),
                lit(" countries with the browser clock set to the local zone on "),
                pct(num(ZONE_FOLLOWS_IP_SHARE)),
                lit(" of them, some from home, on the same "),
                count(N_DEVICES, " device", " devices"),
                lit(" and "),
                count(N_PAYOUT_ACCOUNTS, " payout account", " payout accounts"),
                lit(" throughout (travel)"))));
    e.add(
        new Entry(
            HAS_AGENCY,
            List.of(HAS_AGENCY),
            num(HAS_AGENCY).gt(0),
            lit(
                "works through an agency: devices, addresses and payout accounts shared inside"
                    + " it are not counted as sharing")));
    return e;
  }

  /** The column, from the columns a frame has (entries needing absent ones are left out). */
  public static Column column(List<String> available) {
    List<Column> items = new ArrayList<>();
    for (Entry x : entries()) {
      if (available.containsAll(x.columns())) {
        items.add(when(x.when(), struct(lit(x.code()).as("code"), x.detail().as("detail"))));
      }
    }
    org.apache.spark.sql.types.DataType type =
        Schemas.RISK_SCORES.apply(Schemas.MITIGATING).dataType();
    if (items.isEmpty()) {
      return array().cast(type);
    }
    return filter(array(items.toArray(Column[]::new)), x -> x.isNotNull()).cast(type);
  }

  /** As {@link #column(List)} for one frame. */
  public static Column of(Dataset<Row> frame) {
    return column(List.of(frame.columns()));
  }
}
