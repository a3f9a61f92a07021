package io.unmask.model;

import static io.unmask.common.FeatureCols.*;
import static org.apache.spark.sql.functions.*;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The transparent rule score: a documented weighted sum of capped evidence, squashed to (0, 1). It
 * scores when there are too few confirmed accounts to train on, and it is the baseline every
 * trained model is measured against. Weights follow the strength column of the published indicators
 * (docs/model.md); a sanctioned wallet alone puts an account at the top.
 */
public final class RuleScore {
  /** One term: weight × evidence in [0, 1]. */
  public record Term(String feature, double weight, Column evidence) {}

  /** Sum of weights at which the score is one half. */
  static final double MIDPOINT = 3.0;

  private RuleScore() {}

  private static Column capped(String c, double cap) {
    return least(coalesce(col(c).cast("double"), lit(0.0)), lit(cap)).divide(cap);
  }

  private static Column flag(String c) {
    return when(coalesce(col(c), lit(0)).cast("double").gt(0), 1.0).otherwise(0.0);
  }

  private static Column share(String c) {
    return coalesce(col(c).cast("double"), lit(0.0));
  }

  public static List<Term> terms(List<String> available) {
    List<Term> t = new ArrayList<>();
    t.add(new Term(SANCTIONED_HITS, 8.0, flag(SANCTIONED_HITS)));
    t.add(new Term(KP_HITS, 4.0, flag(KP_HITS)));
    t.add(new Term(PYONGYANG_TZ_LOGINS, 3.0, flag(PYONGYANG_TZ_LOGINS)));
    t.add(new Term(DEVICE_SHARED_ACCOUNTS, 1.5, capped(DEVICE_SHARED_ACCOUNTS, 3)));
    t.add(new Term(PAYOUT_SHARED_ACCOUNTS, 1.5, capped(PAYOUT_SHARED_ACCOUNTS, 3)));
    t.add(new Term(LEAK_AFTER_ANONYMIZER, 1.2, capped(LEAK_AFTER_ANONYMIZER, 2)));
    t.add(new Term(CONCERN_IP_SHARE, 0.8, share(CONCERN_IP_SHARE)));
    t.add(new Term(TZ_MISMATCH_SHARE, 1.0, share(TZ_MISMATCH_SHARE)));
    t.add(new Term(EAST_ASIA_OFFICE_SHARE, 0.8, share(EAST_ASIA_OFFICE_SHARE)));
    t.add(new Term(HOLDER_MISMATCH_SHARE, 0.7, share(HOLDER_MISMATCH_SHARE)));
    t.add(new Term(PAYOUT_FOREIGN_SHARE, 0.6, share(PAYOUT_FOREIGN_SHARE)));
    t.add(new Term(IP_SHARED_ACCOUNTS, 0.5, capped(IP_SHARED_ACCOUNTS, 4)));
    t.add(new Term(VPN_SHARE, 0.5, share(VPN_SHARE)));
    t.add(new Term(HOSTING_SHARE, 0.4, share(HOSTING_SHARE)));
    t.add(new Term(ID_DOC_MISMATCH, 0.5, flag(ID_DOC_MISMATCH)));
    t.add(new Term(PHONE_VOIP, 0.3, flag(PHONE_VOIP)));
    t.add(new Term(CRYPTO_SHARE, 0.3, share(CRYPTO_SHARE)));
    t.add(new Term(TAKEOVER_SIGNALS, 1.0, capped(TAKEOVER_SIGNALS, 3)));
    t.add(
        new Term(
            RATE_TO_MARKET,
            0.3,
            when(col(RATE_TO_MARKET).isNotNull().and(col(RATE_TO_MARKET).lt(0.6)), 1.0)
                .otherwise(0.0)));
    t.add(new Term(DEVICE_DISTINCT_NAMES, 0.5, capped(DEVICE_DISTINCT_NAMES, 4)));
    // linking features, when the linking stage has run
    t.add(new Term("cluster_confirmed_share", 2.0, share("cluster_confirmed_share")));
    t.add(new Term("cluster_distinct_names", 0.5, capped("cluster_distinct_names", 5)));
    return t.stream().filter(x -> available.contains(x.feature())).toList();
  }

  /**
   * Adds {@code score} (0..1) and {@code contributions}: an array of weight × evidence aligned with
   * {@link #terms}{@code (features.columns())}.
   */
  public static Dataset<Row> score(Dataset<Row> features, String scoreCol, String contribCol) {
    List<Term> terms = terms(List.of(features.columns()));
    Column sum = lit(0.0);
    List<Column> parts = new ArrayList<>();
    for (Term t : terms) {
      Column c = t.evidence().multiply(t.weight());
      sum = sum.plus(c);
      parts.add(c);
    }
    return features
        .withColumn(scoreCol, lit(1.0).divide(lit(1.0).plus(exp(lit(MIDPOINT).minus(sum)))))
        .withColumn(contribCol, array(parts.toArray(Column[]::new)));
  }
}
