package io.unmask.model;

import static io.unmask.common.FeatureCols.*;
import static org.apache.spark.sql.functions.*;

import io.unmask.common.Cols;
import io.unmask.common.Shares;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The transparent rule score: a documented weighted sum of capped evidence, squashed to (0, 1). It
 * scores when there are too few confirmed accounts to train on, and it is the baseline every
 * trained model is measured against. Weights follow the strength column of the published indicators
 * (docs/model.md).
 *
 * <p>Each look-alike (a family on one device, an expat paid at home, a privacy VPN user, a night
 * owl) shows one kind of evidence; a concealed identity shows several. So evidence counts in full
 * only when corroborated: by two primary families (location, working time, linking, change), or by
 * one primary family and two supporting ones (network, money, profile). One primary family with one
 * supporting family counts at {@link #HALF_CORROBORATED}; a single family, or supporting families
 * only, at {@link #SINGLE_FAMILY_FACTOR} (a laptop-farm device or shared payout account, linking
 * alone, at {@link #LINKING_ALONE_FACTOR}). Each family beyond two adds {@link
 * #CORROBORATION_BONUS} when the evidence is corroborated. Direct hits (a sanctioned wallet, North
 * Korean address space or clock) stand on their own.
 *
 * <p>Clearing evidence ({@code io.unmask.features.ClearingFeatures}) cancels the evidence it
 * explains: a consistent VPN user's network family, a one-place shared machine's device and address
 * sharing, a clean relocation's change family, a consistent traveller's clock, hours, country
 * switches and change family.
 */
public final class RuleScore {
  /** One term: weight × evidence in [0, 1], in one evidence family. */
  public record Term(String feature, String family, double weight, Column evidence) {}

  /** Sum at which the score is one half. */
  static final double MIDPOINT = 3.0;

  /** A single family, or supporting families only: as good as nothing (look-alikes). */
  static final double SINGLE_FAMILY_FACTOR = 0.0;

  /** Linking alone (identities claiming other places on one device or payout account). */
  static final double LINKING_ALONE_FACTOR = 0.4;

  /** One primary family with one supporting family. */
  static final double HALF_CORROBORATED = 0.5;

  static final double CORROBORATION_BONUS = 0.75;

  /** A family counts as present when its terms add up to at least this. */
  static final double FAMILY_PRESENT = 0.3;

  /**
   * A supporting family needs more: one weak hint on its own (a VoIP phone, a low rate, some
   * crypto, a lightly shared address, a minority of VPN sign-ins) does not corroborate anything.
   */
  static final double SUPPORT_PRESENT = 0.4;

  static final String DIRECT = "direct";

  /**
   * Families that only support: each alone is a look-alike's (a privacy VPN, a payout chosen for
   * fees, an expat's home passport), so they count only beside a primary family or another
   * supporting family.
   */
  static final Set<String> SUPPORTING = Set.of("money", "profile", "network");

  private RuleScore() {}

  private static Column capped(String c, double cap) {
    return least(greatest(coalesce(col(c).cast("double"), lit(0.0)), lit(0.0)), lit(cap))
        .divide(cap);
  }

  private static Column flag(String c) {
    return when(coalesce(col(c), lit(0)).cast("double").gt(0), 1.0).otherwise(0.0);
  }

  private static Column share(String c) {
    return coalesce(col(c).cast("double"), lit(0.0));
  }

  /**
   * A share of the window's sign-ins at its lower confidence bound ({@link Shares#lowerBound}) when
   * the frame has the sign-in count: two late evenings of twelve sign-ins are not working hours.
   */
  private static Column signInShare(String c, List<String> available) {
    return available.contains(N_LOGINS) ? Shares.lowerBound(col(c), col(N_LOGINS)) : share(c);
  }

  /**
   * Which clearing flags explain which evidence: a consistent VPN user's exits, a traveller's or a
   * clean mover's foreign clock and hours, a public place's shared machine. The rule score drops
   * such evidence, and the trained models see it as 0 ({@link ModelInputs#cleared}).
   */
  public static final Map<String, List<String>> CLEARED_BY =
      Map.ofEntries(
          Map.entry(VPN_SHARE, List.of(ANONYMIZER_CONSISTENT)),
          Map.entry(HOSTING_SHARE, List.of(ANONYMIZER_CONSISTENT)),
          Map.entry(FAST_COUNTRY_SWITCHES, List.of(TRAVEL_CONSISTENT)),
          Map.entry(TZ_MISMATCH_SHARE, List.of(TRAVEL_CONSISTENT, RELOCATION_CLEAN)),
          Map.entry(EAST_ASIA_OFFICE_SHARE, List.of(TRAVEL_CONSISTENT, RELOCATION_CLEAN)),
          Map.entry(DEVICE_OTHER_PLACES, List.of(SHARED_PLACE_CONSISTENT)),
          Map.entry(IP_OTHER_PLACES, List.of(SHARED_PLACE_CONSISTENT, ANONYMIZER_CONSISTENT)),
          // how many share the machine or the address, and under how many names: a public place's
          // many users, or a VPN exit's, explain it as they explain the places
          Map.entry(DEVICE_SHARED_ACCOUNTS, List.of(SHARED_PLACE_CONSISTENT)),
          Map.entry(DEVICE_DISTINCT_NAMES, List.of(SHARED_PLACE_CONSISTENT)),
          Map.entry(IP_SHARED_ACCOUNTS, List.of(SHARED_PLACE_CONSISTENT, ANONYMIZER_CONSISTENT)),
          Map.entry(PAYOUT_FOREIGN_SHARE, List.of(RELOCATION_CLEAN)),
          Map.entry(TAKEOVER_SIGNALS, List.of(RELOCATION_CLEAN, TRAVEL_CONSISTENT)),
          Map.entry(RECENT_NEW_DEVICE_SHARE, List.of(RELOCATION_CLEAN, TRAVEL_CONSISTENT)),
          Map.entry(RECENT_NEW_COUNTRY, List.of(RELOCATION_CLEAN, TRAVEL_CONSISTENT)),
          Map.entry(RECENT_TZ_SHIFT, List.of(RELOCATION_CLEAN, TRAVEL_CONSISTENT)),
          Map.entry(NEW_PAYOUT_RECENT, List.of(RELOCATION_CLEAN)),
          Map.entry(SWITCH_SIGNALS, List.of(RELOCATION_CLEAN, TRAVEL_CONSISTENT)),
          Map.entry(SWITCH_NEW_NETWORK_SHARE, List.of(RELOCATION_CLEAN, TRAVEL_CONSISTENT)),
          Map.entry(SWITCH_ANONYMIZER_JUMP, List.of(RELOCATION_CLEAN, TRAVEL_CONSISTENT)),
          Map.entry(SWITCH_EAST_ASIA_JUMP, List.of(RELOCATION_CLEAN, TRAVEL_CONSISTENT)),
          Map.entry(SWITCH_ZONE_CHANGE, List.of(RELOCATION_CLEAN, TRAVEL_CONSISTENT)),
          Map.entry(SWITCH_NEW_PAYOUT, List.of(RELOCATION_CLEAN, TRAVEL_CONSISTENT)));

  /**
   * Whether the account's evidence is corroborated: a primary family (location, linking, change;
   * working time only beside a supporting family) or a direct hit, or two supporting families (VPN
   * exits and pay in another name; pay to a stranger abroad and an ID document of another country),
   * each after clearing. One supporting family alone corroborates nothing: an expat's home passport
   * and language are profile evidence only, and a spouse's or joint account is half a mismatch
   * ({@code NameMatch.RELATED}).
   */
  public static Column primaryPresent(List<String> available) {
    List<Term> terms = terms(available);
    Set<String> families = new LinkedHashSet<>();
    terms.forEach(t -> families.add(t.family()));
    Column any = lit(false);
    Column supporting = lit(0);
    Column time = lit(false);
    for (String fam : families) {
      Column sum = familySum(terms, fam);
      if (SUPPORTING.contains(fam)) {
        supporting = supporting.plus(when(sum.geq(SUPPORT_PRESENT), 1).otherwise(0));
      } else if (fam.equals(TIME)) {
        time = sum.geq(FAMILY_PRESENT);
      } else {
        any = any.or(fam.equals(DIRECT) ? sum.gt(0) : sum.geq(FAMILY_PRESENT));
      }
    }
    // two supporting families together (pay to a stranger abroad and a foreign ID document, say)
    // corroborate; working hours are primary only beside another family (a night owl's hours
    // stand alone)
    return any.or(supporting.geq(2)).or(time.and(supporting.geq(1)));
  }

  /**
   * Whether any family but {@code family} shows evidence after clearing (a primary family at least
   * {@link #FAMILY_PRESENT}, a supporting one at least {@link #SUPPORT_PRESENT}), or a direct hit:
   * what keeps one family's evidence from standing alone.
   */
  public static Column otherFamilyPresent(List<String> available, String family) {
    List<Term> terms = terms(available);
    Set<String> families = new LinkedHashSet<>();
    terms.forEach(t -> families.add(t.family()));
    Column any = lit(false);
    for (String fam : families) {
      if (fam.equals(family)) {
        continue;
      }
      Column sum = familySum(terms, fam);
      double threshold = SUPPORTING.contains(fam) ? SUPPORT_PRESENT : FAMILY_PRESENT;
      any = any.or(fam.equals(DIRECT) ? sum.gt(0) : sum.geq(threshold));
    }
    return any;
  }

  static final String TIME = "time";

  /** The weighted evidence of one family's terms. */
  private static Column familySum(List<Term> terms, String family) {
    Column sum = lit(0.0);
    for (Term t : terms) {
      if (t.family().equals(family)) {
        sum = sum.plus(t.evidence().multiply(t.weight()));
      }
    }
    return sum;
  }

  /** The features of the supporting families (weak alone). */
  public static List<String> supportingFeatures(List<String> available) {
    return terms(available).stream()
        .filter(t -> SUPPORTING.contains(t.family()))
        .map(Term::feature)
        .toList();
  }

  /** Whether a clearing flag the frame has (among {@link #CLEARED_BY} of the feature) is set. */
  static Column cleared(String feature, List<String> available) {
    Column cleared = lit(false);
    for (String f : CLEARED_BY.getOrDefault(feature, List.of())) {
      if (available.contains(f)) {
        cleared = cleared.or(coalesce(col(f).cast("double"), lit(0.0)).gt(0));
      }
    }
    return cleared;
  }

  /** The evidence, or 0 where a clearing flag says a legitimate pattern explains the feature. */
  private static Column unless(Column evidence, List<String> available, String feature) {
    return when(cleared(feature, available), 0.0).otherwise(evidence);
  }

  public static List<Term> terms(List<String> available) {
    List<Term> t = new ArrayList<>();
    List<String> a = available;
    t.add(new Term(SANCTIONED_HITS, DIRECT, 8.0, flag(SANCTIONED_HITS)));
    t.add(new Term(KP_HITS, DIRECT, 4.0, flag(KP_HITS)));
    t.add(new Term(PYONGYANG_TZ_LOGINS, DIRECT, 3.0, flag(PYONGYANG_TZ_LOGINS)));
    // location
    t.add(new Term(LEAK_AFTER_ANONYMIZER, "location", 1.2, capped(LEAK_AFTER_ANONYMIZER, 2)));
    t.add(new Term(CONCERN_IP_SHARE, "location", 0.8, capped(CONCERN_IP_SHARE, 0.2)));
    // VPN and hosting exits alone are a privacy choice (indicators: weak alone): they support
    t.add(new Term(VPN_SHARE, "network", 0.5, unless(share(VPN_SHARE), a, VPN_SHARE)));
    t.add(new Term(HOSTING_SHARE, "network", 0.4, unless(share(HOSTING_SHARE), a, HOSTING_SHARE)));
    t.add(
        new Term(
            FAST_COUNTRY_SWITCHES,
            "location",
            0.3,
            unless(capped(FAST_COUNTRY_SWITCHES, 3), a, FAST_COUNTRY_SWITCHES)));
    // working time
    t.add(
        new Term(
            TZ_MISMATCH_SHARE,
            "time",
            1.0,
            unless(signInShare(TZ_MISMATCH_SHARE, a), a, TZ_MISMATCH_SHARE)));
    t.add(
        new Term(
            EAST_ASIA_OFFICE_SHARE,
            "time",
            0.8,
            unless(
                least(signInShare(EAST_ASIA_OFFICE_SHARE, a), lit(0.5)).divide(0.5),
                a,
                EAST_ASIA_OFFICE_SHARE)));
    // linking: identities that claim different places on one device, address or payout account
    t.add(
        new Term(
            DEVICE_OTHER_PLACES,
            "linking",
            1.5,
            unless(capped(DEVICE_OTHER_PLACES, 3), a, DEVICE_OTHER_PLACES)));
    t.add(new Term(PAYOUT_OTHER_PLACES, "linking", 1.5, capped(PAYOUT_OTHER_PLACES, 3)));
    t.add(new Term(PAYOUT_SHARED_ACCOUNTS, "money", 0.4, capped(PAYOUT_SHARED_ACCOUNTS, 3)));
    // a shared residential address is weak (families, co-working, carrier NAT below the cap)
    t.add(
        new Term(
            IP_OTHER_PLACES,
            "network",
            0.3,
            unless(capped(IP_OTHER_PLACES, 3), a, IP_OTHER_PLACES)));
    t.add(
        new Term(
            Cols.CLUSTER_CONFIRMED_SHARE, "linking", 2.0, share(Cols.CLUSTER_CONFIRMED_SHARE)));
    // money
    t.add(new Term(HOLDER_MISMATCH_SHARE, "money", 0.7, share(HOLDER_MISMATCH_SHARE)));
    // before a clean move, pay went to the old home
    t.add(
        new Term(
            PAYOUT_FOREIGN_SHARE,
            "money",
            0.4,
            unless(share(PAYOUT_FOREIGN_SHARE), a, PAYOUT_FOREIGN_SHARE)));
    t.add(new Term(CRYPTO_SHARE, "money", 0.3, share(CRYPTO_SHARE)));
    // profile
    t.add(new Term(ID_DOC_MISMATCH, "profile", 0.4, flag(ID_DOC_MISMATCH)));
    t.add(new Term(PHONE_VOIP, "profile", 0.3, flag(PHONE_VOIP)));
    t.add(
        new Term(
            RATE_TO_MARKET,
            "profile",
            0.3,
            when(col(RATE_TO_MARKET).isNotNull().and(col(RATE_TO_MARKET).lt(0.6)), 1.0)
                .otherwise(0.0)));
    // change
    t.add(
        new Term(
            TAKEOVER_SIGNALS,
            "change",
            1.2,
            unless(capped(TAKEOVER_SIGNALS, 3), a, TAKEOVER_SIGNALS)));
    // new devices alone are a new laptop; with new networks, more VPN, East-Asian hours, another
    // zone or a new payout account at the same time, another operator
    t.add(
        new Term(
            SWITCH_SIGNALS,
            "change",
            1.2,
            unless(
                least(greatest(share(SWITCH_SIGNALS).minus(1), lit(0.0)), lit(3.0)).divide(3),
                a,
                SWITCH_SIGNALS)));
    // what changed with a switch of two or more changes also counts in its own family: a handover
    // that brings VPN exits, East-Asian hours and pay to a new account shows network, time and
    // money evidence, not one family (a relocation that fits the claim is cleared above)
    if (a.contains(SWITCH_SIGNALS)) {
      Column handover = share(SWITCH_SIGNALS).geq(2);
      t.add(
          new Term(
              SWITCH_ANONYMIZER_JUMP,
              "network",
              0.5,
              unless(
                  when(handover, capped(SWITCH_ANONYMIZER_JUMP, 0.5)).otherwise(0.0),
                  a,
                  SWITCH_ANONYMIZER_JUMP)));
      t.add(
          new Term(
              SWITCH_EAST_ASIA_JUMP,
              "time",
              0.8,
              unless(
                  when(handover, capped(SWITCH_EAST_ASIA_JUMP, 0.3)).otherwise(0.0),
                  a,
                  SWITCH_EAST_ASIA_JUMP)));
      t.add(
          new Term(
              SWITCH_NEW_PAYOUT,
              "money",
              0.4,
              unless(
                  when(handover, flag(SWITCH_NEW_PAYOUT)).otherwise(0.0), a, SWITCH_NEW_PAYOUT)));
    }
    return t.stream().filter(x -> available.contains(x.feature())).toList();
  }

  /**
   * Adds {@code score} (0..1) and {@code contributions}: an array of each term's share of the
   * adjusted sum, aligned with {@link #terms}{@code (features.columns())}.
   */
  public static Dataset<Row> score(Dataset<Row> features, String scoreCol, String contribCol) {
    List<Term> terms = terms(List.of(features.columns()));
    Set<String> families = new LinkedHashSet<>();
    terms.forEach(t -> families.add(t.family()));
    families.remove(DIRECT);
    Column direct = lit(0.0);
    Column soft = lit(0.0);
    Column present = lit(0);
    Column primary = lit(0);
    Column linking = lit(false);
    for (String fam : families) {
      Column sum = familySum(terms, fam);
      soft = soft.plus(sum);
      double threshold = SUPPORTING.contains(fam) ? SUPPORT_PRESENT : FAMILY_PRESENT;
      present = present.plus(when(sum.geq(threshold), 1).otherwise(0));
      if (!SUPPORTING.contains(fam)) {
        primary = primary.plus(when(sum.geq(FAMILY_PRESENT), 1).otherwise(0));
      }
      if (fam.equals("linking")) {
        linking = sum.geq(FAMILY_PRESENT);
      }
    }
    for (Term t : terms) {
      if (t.family().equals(DIRECT)) {
        direct = direct.plus(t.evidence().multiply(t.weight()));
      }
    }
    Column supporting = present.minus(primary);
    Column corroborated = primary.geq(2).or(primary.equalTo(1).and(supporting.geq(2)));
    Column factor =
        when(corroborated, 1.0)
            .when(primary.equalTo(1).and(supporting.equalTo(1)), HALF_CORROBORATED)
            .when(primary.equalTo(1).and(linking), LINKING_ALONE_FACTOR)
            .otherwise(SINGLE_FAMILY_FACTOR);
    Column bonus =
        when(corroborated, greatest(present.minus(2), lit(0)).multiply(CORROBORATION_BONUS))
            .otherwise(0.0);
    Dataset<Row> withParts =
        features.withColumn("_rs_factor", factor).withColumn("_rs_bonus", bonus);
    List<Column> parts = new ArrayList<>();
    for (Term t : terms) {
      Column c = t.evidence().multiply(t.weight());
      parts.add(t.family().equals(DIRECT) ? c : c.multiply(col("_rs_factor")));
    }
    Column total = direct.plus(soft.multiply(col("_rs_factor"))).plus(col("_rs_bonus"));
    return withParts
        .withColumn(scoreCol, lit(1.0).divide(lit(1.0).plus(exp(lit(MIDPOINT).minus(total)))))
        .withColumn(contribCol, array(parts.toArray(Column[]::new)))
        .drop("_rs_factor", "_rs_bonus");
  }
}
