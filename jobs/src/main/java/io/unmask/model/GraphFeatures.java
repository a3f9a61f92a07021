package io.unmask.model;

import static org.apache.spark.sql.functions.*;

import io.unmask.common.Cols;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What an account's links say about it, for the second stage of the model: the first stage's scores
 * of the accounts it is linked to (by link strength), and labels propagated from confirmed accounts
 * over {@code account_links} (one and two links away, never from the account itself), and away from
 * confirmed genuine ones.
 *
 * <p>Only links that count for clustering ({@code in_graph}: hubs and links a shared agency
 * explains are out) are used, so an account's neighbourhood is bounded by the hub caps of the
 * linking stage and no join here is quadratic in a hub. Two-hop propagation joins only towards
 * confirmed accounts, which are few.
 */
public final class GraphFeatures {
  /** Highest first-stage score among accounts sharing a device, payout account, phone or photo. */
  public static final String NB_MAX_STRONG = "nb_max_score_strong";

  /** Highest first-stage score among accounts linked only by a residential address or a bio. */
  public static final String NB_MAX_WEAK = "nb_max_score_weak";

  /** Link-weighted mean first-stage score of the linked accounts. */
  public static final String NB_MEAN = "nb_mean_score";

  /** Number of linked accounts (capped). */
  public static final String NB_DEGREE = "nb_degree";

  /** Linked accounts confirmed concealed (capped). */
  public static final String NB_CONFIRMED = "nb_confirmed";

  /** Accounts confirmed concealed two links away, not linked directly (capped). */
  public static final String NB2_CONFIRMED = "nb2_confirmed";

  /** Linked accounts confirmed genuine (capped). */
  public static final String NB_GENUINE = "nb_genuine";

  /** The first stage's own margin (log-odds scale), an input of the second stage. */
  public static final String S1_LOGIT = "s1_logit";

  /**
   * The rule score as log-odds (its own weighted sum of evidence less the midpoint): the second
   * stage weighs the documented prior against what the first stage learned from the labels.
   */
  public static final String RULE_LOGIT = "rule_logit";

  /**
   * The second stage's inputs, in a fixed order. The number of linked accounts ({@link #NB_DEGREE})
   * is kept beside them but is not an input: how many accounts share a device is the first stage's
   * evidence, what they are is the second stage's.
   */
  public static final List<String> COLUMNS =
      List.of(
          S1_LOGIT,
          RULE_LOGIT,
          NB_MAX_STRONG,
          NB_MAX_WEAK,
          NB_MEAN,
          NB_DEGREE,
          NB_CONFIRMED,
          NB2_CONFIRMED,
          NB_GENUINE);

  /** Link types that mean the same machine, money or identity element. */
  static final List<String> STRONG = List.of("device", "payout", "phone", "photo");

  static final int CAP = 5;
  static final int DEGREE_CAP = 50;

  private GraphFeatures() {}

  /** {@link #RULE_LOGIT} from the rule score column (0 where there is none). */
  public static Column ruleLogit(Dataset<Row> in) {
    if (!List.of(in.columns()).contains(ModelInputs.RULE_SCORE)) {
      return lit(0.0);
    }
    Column r =
        least(greatest(col(ModelInputs.RULE_SCORE).cast("double"), lit(1e-12)), lit(1 - 1e-12));
    return log(r.divide(lit(1.0).minus(r)));
  }

  /** Both directions of every in-graph link, one row per (src, dst) with its strongest type. */
  static Dataset<Row> edges(Dataset<Row> links) {
    Dataset<Row> l =
        links
            .filter(col(Cols.IN_GRAPH))
            .select(
                col(Cols.ACCOUNT_A).as("a"),
                col(Cols.ACCOUNT_B).as("b"),
                col(Cols.WEIGHT).as("w"),
                col(Cols.LINK_TYPE).isin(STRONG.toArray()).as("strong"));
    return l.select(col("a").as("src"), col("b").as("dst"), col("w"), col("strong"))
        .unionByName(l.select(col("b").as("src"), col("a").as("dst"), col("w"), col("strong")))
        .filter(col("src").notEqual(col("dst")))
        .groupBy("src", "dst")
        .agg(max("w").as("w"), max(col("strong").cast("int")).equalTo(1).as("strong"));
  }

  /**
   * @param accounts every account: account_id, {@code scoreCol} (the first stage's probability) and
   *     {@code marginCol} (its margin)
   * @param links account_links rows of the day (null: no links)
   * @param labels account_id, label (latest per account; null or empty: none)
   * @return every account of {@code accounts} with {@code scoreCol} and the columns of {@link
   *     #COLUMNS}
   */
  public static Dataset<Row> compute(
      Dataset<Row> accounts,
      String scoreCol,
      String marginCol,
      Dataset<Row> links,
      Dataset<Row> labels) {
    Dataset<Row> base =
        accounts.select(
            col(Cols.ACCOUNT_ID),
            coalesce(col(scoreCol).cast("double"), lit(0.0)).as(scoreCol),
            coalesce(col(marginCol).cast("double"), lit(0.0)).as("_margin"));
    Column logit = col("_margin");
    if (links == null) {
      return withDefaults(base.withColumn(S1_LOGIT, logit)).drop("_margin");
    }
    Dataset<Row> e = edges(links);
    Dataset<Row> lab =
        labels == null
            ? null
            : labels.select(col(Cols.ACCOUNT_ID).as("dst"), col(ModelInputs.LABEL).as("_l"));
    Dataset<Row> nb =
        e.join(base.select(col(Cols.ACCOUNT_ID).as("dst"), col(scoreCol).as("_s")), "dst", "left");
    if (lab != null) {
      nb = nb.join(broadcast(lab), "dst", "left");
    } else {
      nb = nb.withColumn("_l", lit(null).cast("int"));
    }
    Dataset<Row> one =
        nb.groupBy(col("src").as(Cols.ACCOUNT_ID))
            .agg(
                max(when(col("strong"), col("_s"))).as(NB_MAX_STRONG),
                max(when(not(col("strong")), col("_s"))).as(NB_MAX_WEAK),
                sum(col("w").multiply(coalesce(col("_s"), lit(0.0))))
                    .divide(sum(col("w")))
                    .as(NB_MEAN),
                count(lit(1)).as(NB_DEGREE),
                count_if(col("_l").equalTo(1)).as(NB_CONFIRMED),
                count_if(col("_l").equalTo(0)).as(NB_GENUINE));
    Dataset<Row> out = base.join(one, Cols.ACCOUNT_ID, "left");
    if (lab != null) {
      // Two links away: src - mid - dst with dst confirmed, dst != src and not a direct neighbour.
      Dataset<Row> toConfirmed =
          e.join(broadcast(lab.filter(col("_l").equalTo(1))), "dst")
              .select(col("src").as("mid"), col("dst").as("far"));
      Dataset<Row> two =
          e.select(col("src"), col("dst").as("mid"))
              .join(toConfirmed, "mid")
              .filter(col("far").notEqual(col("src")))
              .join(
                  e.select(col("src"), col("dst").as("far")),
                  new String[] {"src", "far"},
                  "left_anti")
              .groupBy(col("src").as(Cols.ACCOUNT_ID))
              .agg(countDistinct("far").as(NB2_CONFIRMED));
      out = out.join(two, Cols.ACCOUNT_ID, "left");
    }
    return withDefaults(out.withColumn(S1_LOGIT, logit)).drop("_margin");
  }

  private static Dataset<Row> withDefaults(Dataset<Row> f) {
    for (String c : List.of(NB_MAX_STRONG, NB_MAX_WEAK, NB_MEAN)) {
      f =
          List.of(f.columns()).contains(c)
              ? f.withColumn(c, coalesce(col(c).cast("double"), lit(0.0)))
              : f.withColumn(c, lit(0.0));
    }
    for (String c : List.of(NB_CONFIRMED, NB2_CONFIRMED, NB_GENUINE)) {
      f =
          List.of(f.columns()).contains(c)
              ? f.withColumn(c, least(coalesce(col(c).cast("double"), lit(0.0)), lit((double) CAP)))
              : f.withColumn(c, lit(0.0));
    }
    f =
        List.of(f.columns()).contains(NB_DEGREE)
            ? f.withColumn(
                NB_DEGREE,
                least(coalesce(col(NB_DEGREE).cast("double"), lit(0.0)), lit((double) DEGREE_CAP)))
            : f.withColumn(NB_DEGREE, lit(0.0));
    return f;
  }
}
