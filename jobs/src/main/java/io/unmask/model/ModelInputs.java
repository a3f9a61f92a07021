package io.unmask.model;

import static io.unmask.common.FeatureCols.*;
import static org.apache.spark.sql.functions.*;

import io.unmask.common.Cols;
import io.unmask.common.Shares;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/** What the model learns from: the numeric features and the labels (latest per account). */
public final class ModelInputs {
  /** 1 confirmed concealed, 0 confirmed genuine, null unlabeled (latest labeled_at wins). */
  public static final String LABEL = "label";

  /** Training target: confirmed positives against everything else (positive-unlabeled). */
  public static final String TARGET = "_target";

  public static final String WEIGHT = "_weight";

  /** Group for cross-validation: members of one ring never sit on both sides of a split. */
  public static final String GROUP = "_group";

  public static final String FOLD = "_fold";

  /**
   * The rule score as one model input (stacking): with few confirmed accounts the trees can lean on
   * the documented prior; with many they learn past it. Computed by the same code at training and
   * scoring time ({@link RuleScore}, version {@code rule-v1}).
   */
  public static final String RULE_SCORE = "rule_score";

  /** Numeric feature columns used by every model, in a fixed order. */
  public static final List<String> FEATURES =
      List.of(
          N_LOGINS,
          FAILED_LOGIN_SHARE,
          VPN_SHARE,
          HOSTING_SHARE,
          FOREIGN_IP_SHARE,
          CONCERN_IP_SHARE,
          CONCERN_IP_LOGINS,
          KP_HITS,
          LEAK_AFTER_ANONYMIZER,
          FAST_COUNTRY_SWITCHES,
          N_IP_COUNTRIES,
          TZ_MISMATCH_SHARE,
          TZ_OFFSET_HOURS,
          PYONGYANG_TZ_LOGINS,
          NIGHT_SHARE,
          EAST_ASIA_OFFICE_SHARE,
          LANG_MISMATCH_SHARE,
          N_DEVICES,
          DEVICE_SHARED_ACCOUNTS,
          DEVICE_DISTINCT_NAMES,
          IP_SHARED_ACCOUNTS,
          HUB_IP_SHARE,
          EARNINGS_TOTAL,
          EARNINGS_30D_SHARE,
          N_CLIENTS,
          WITHDRAWAL_RATIO,
          N_PAYOUT_ACCOUNTS,
          PAYOUT_SHARED_ACCOUNTS,
          PAYOUT_OTHER_PLACES,
          PAYOUT_FOREIGN_SHARE,
          HOLDER_MISMATCH_SHARE,
          CRYPTO_SHARE,
          SANCTIONED_HITS,
          NEW_PAYOUT_RECENT,
          // not account_age_days: confirmed accounts are mostly new ones, so a model learns "old
          // means genuine" and buries the rented and bought aged accounts the scheme relies on
          PHONE_VOIP,
          ID_DOC_MISMATCH,
          RATE_TO_MARKET,
          HAS_AGENCY,
          RECENT_NEW_DEVICE_SHARE,
          RECENT_NEW_COUNTRY,
          RECENT_TZ_SHIFT,
          TAKEOVER_SIGNALS,
          SWITCH_NEW_NETWORK_SHARE,
          SWITCH_ANONYMIZER_JUMP,
          SWITCH_EAST_ASIA_JUMP,
          SWITCH_ZONE_CHANGE,
          SWITCH_NEW_PAYOUT,
          SWITCH_SIGNALS,
          // what clears (never null, so the median imputer always has values)
          ANONYMIZER_CONSISTENT,
          SHARED_KEYS,
          SHARED_KEYS_ONE_PLACE,
          SHARED_PLACE_CONSISTENT,
          DIRECT_COUNTRY_CHANGES,
          RELOCATION_CLEAN,
          TRAVEL_CONSISTENT,
          // profile history (0 on a warehouse loaded from snapshots only): last, so that the
          // other inputs keep their positions
          IDENTITY_CHANGES);

  /**
   * Evidence: a logistic model's coefficient on these is never below 0. With few confirmed accounts
   * of a kind (rented ones, say) a free model learns that their evidence means genuine, because
   * most accounts that show it are unlabeled; an investigator never accepts "switched to a VPN, so
   * less suspicious".
   */
  static final java.util.Set<String> EVIDENCE =
      java.util.Set.of(
          IDENTITY_CHANGES,
          VPN_SHARE,
          HOSTING_SHARE,
          FOREIGN_IP_SHARE,
          CONCERN_IP_SHARE,
          CONCERN_IP_LOGINS,
          KP_HITS,
          LEAK_AFTER_ANONYMIZER,
          FAST_COUNTRY_SWITCHES,
          TZ_MISMATCH_SHARE,
          PYONGYANG_TZ_LOGINS,
          NIGHT_SHARE,
          EAST_ASIA_OFFICE_SHARE,
          LANG_MISMATCH_SHARE,
          DEVICE_DISTINCT_NAMES,
          DEVICE_OTHER_PLACES,
          IP_OTHER_PLACES,
          PAYOUT_SHARED_ACCOUNTS,
          PAYOUT_OTHER_PLACES,
          PAYOUT_FOREIGN_SHARE,
          HOLDER_MISMATCH_SHARE,
          CRYPTO_SHARE,
          SANCTIONED_HITS,
          NEW_PAYOUT_RECENT,
          PHONE_VOIP,
          ID_DOC_MISMATCH,
          RECENT_NEW_DEVICE_SHARE,
          RECENT_NEW_COUNTRY,
          RECENT_TZ_SHIFT,
          TAKEOVER_SIGNALS,
          SWITCH_NEW_NETWORK_SHARE,
          SWITCH_ANONYMIZER_JUMP,
          SWITCH_EAST_ASIA_JUMP,
          SWITCH_ZONE_CHANGE,
          SWITCH_NEW_PAYOUT,
          SWITCH_SIGNALS,
          Cols.CLUSTER_CONFIRMED_SHARE,
          RULE_SCORE);

  /** What clears or lowers suspicion: a coefficient never above 0 (a low rate is evidence). */
  static final java.util.Set<String> EXCULPATORY =
      java.util.Set.of(
          RATE_TO_MARKET,
          ANONYMIZER_CONSISTENT,
          SHARED_PLACE_CONSISTENT,
          RELOCATION_CLEAN,
          TRAVEL_CONSISTENT);

  /** +1 for evidence, -1 for what clears, 0 for context (sign free). */
  public static int sign(String feature) {
    return EVIDENCE.contains(feature) ? 1 : EXCULPATORY.contains(feature) ? -1 : 0;
  }

  private ModelInputs() {}

  /** The latest label per account. */
  public static Dataset<Row> latestLabels(Dataset<Row> labels) {
    return labels
        .withColumn(
            "_r",
            row_number()
                .over(
                    Window.partitionBy(Cols.ACCOUNT_ID)
                        .orderBy(col(Cols.LABELED_AT).desc_nulls_last(), col(Cols.LABEL).desc())))
        .filter(col("_r").equalTo(1))
        .select(col(Cols.ACCOUNT_ID), col(Cols.LABEL).as(LABEL));
  }

  /**
   * The frame the trained models read: evidence a clearing flag explains ({@link
   * RuleScore#CLEARED_BY}) and evidence nothing corroborates set to none, as the rule score drops
   * them. Without this a model learns that VPN exits are what confirmed accounts share, and every
   * consistent VPN user inherits it: the labels hold no genuine VPN user to learn otherwise from.
   * The features table keeps the values.
   */
  public static Dataset<Row> cleared(Dataset<Row> features) {
    List<String> have = List.of(features.columns());
    // corroboration, as in the rule score: a supporting family's evidence (VPN exits, money,
    // profile) counts only beside a primary family; a device switch's parts only from its second
    // change (a new laptop and a new bank account are a new laptop and a new bank account)
    Dataset<Row> out =
        features
            .withColumn(PRIMARY, RuleScore.primaryPresent(have))
            .withColumn(TIME_ALONE, not(RuleScore.otherFamilyPresent(have, RuleScore.TIME)));
    for (String f : uncorroborated(have)) {
      out = out.withColumn(f, when(col(PRIMARY), col(f)).otherwise(neutral(features, f)));
    }
    if (have.contains(SWITCH_SIGNALS)) {
      Column single = coalesce(col(SWITCH_SIGNALS).cast("double"), lit(0.0)).lt(2);
      for (String f : SWITCH_PARTS) {
        if (have.contains(f)) {
          out = out.withColumn(f, when(single, neutral(features, f)).otherwise(col(f)));
        }
      }
    }
    // working hours alone: a night owl keeps East-Asian office hours at home, and nothing else
    // about the account says otherwise
    // and, beside it, at their lower confidence bound over the window's sign-ins, as the rule
    // score reads them: a share of a handful of sign-ins is mostly noise
    for (String f : TIME_FEATURES) {
      if (have.contains(f)) {
        Column value =
            have.contains(N_LOGINS)
                ? Shares.lowerBound(col(f), col(N_LOGINS))
                    .cast(features.schema().apply(f).dataType())
                : col(f);
        out = out.withColumn(f, when(col(TIME_ALONE), neutral(features, f)).otherwise(value));
      }
    }
    out = out.drop(PRIMARY, TIME_ALONE);
    for (String f : clearable(features)) {
      out =
          out.withColumn(
              f, when(RuleScore.cleared(f, have), neutral(features, f)).otherwise(col(f)));
    }
    return out;
  }

  private static final String PRIMARY = "_primary_family";

  private static final String TIME_ALONE = "_time_alone";

  /** Working-time evidence, read as none when no other family corroborates it. */
  private static final List<String> TIME_FEATURES =
      List.of(TZ_MISMATCH_SHARE, EAST_ASIA_OFFICE_SHARE, NIGHT_SHARE);

  private static final List<String> SWITCH_PARTS =
      List.of(
          SWITCH_NEW_NETWORK_SHARE,
          SWITCH_ANONYMIZER_JUMP,
          SWITCH_EAST_ASIA_JUMP,
          SWITCH_ZONE_CHANGE,
          SWITCH_NEW_PAYOUT,
          SWITCH_SIGNALS);

  /** The value of no evidence: 0, or a rate at the market median. */
  private static Column neutral(Dataset<Row> features, String f) {
    return lit(f.equals(RATE_TO_MARKET) ? 1.0 : 0.0).cast(features.schema().apply(f).dataType());
  }

  /** The model inputs of a frame that a clearing flag can explain. */
  static List<String> clearable(Dataset<Row> features) {
    return java.util.Arrays.stream(features.columns())
        .filter(RuleScore.CLEARED_BY::containsKey)
        .toList();
  }

  /**
   * Supporting evidence the models read only beside a primary family: the supporting families' rule
   * terms, and a browser language of another country (diaspora, expats).
   */
  private static List<String> uncorroborated(List<String> have) {
    java.util.List<String> out = new java.util.ArrayList<>(RuleScore.supportingFeatures(have));
    if (have.contains(LANG_MISMATCH_SHARE)) {
      out.add(LANG_MISMATCH_SHARE);
    }
    return out;
  }

  /** Every column of a frame that {@link #cleared} may rewrite. */
  public static List<String> rewritten(Dataset<Row> features) {
    List<String> have = List.of(features.columns());
    java.util.Set<String> out = new java.util.LinkedHashSet<>(clearable(features));
    out.addAll(uncorroborated(have));
    SWITCH_PARTS.stream().filter(have::contains).forEach(out::add);
    TIME_FEATURES.stream().filter(have::contains).forEach(out::add);
    return List.copyOf(out);
  }

  /** The feature columns present in a frame (linking adds more when it has run). */
  public static List<String> present(Dataset<Row> features, List<String> extra) {
    List<String> have = List.of(features.columns());
    java.util.ArrayList<String> out = new java.util.ArrayList<>();
    for (String c : FEATURES) {
      if (have.contains(c)) {
        out.add(c);
      }
    }
    for (String c : extra) {
      if (have.contains(c) && !out.contains(c)) {
        out.add(c);
      }
    }
    return out;
  }
}
