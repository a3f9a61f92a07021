package io.unmask.review;

import static org.apache.spark.sql.functions.*;

import io.unmask.common.Cols;
import io.unmask.common.Schemas;
import io.unmask.score.Reasons;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * {@code suggest}: the unreviewed accounts (no label, no decision, not even "unsure") whose review
 * would teach the model most, beside the risk ranking. Four criteria each rank their own candidates
 * by a value, higher first:
 *
 * <ul>
 *   <li>{@link #UNCERTAIN}: the model is least sure. Calibrated scores summed over the unreviewed
 *       accounts estimate how many of them are concealed (R); the R-th best score is where the
 *       ranking's expected precision gives out, and accounts whose unreviewed rank is nearest R are
 *       the ones a label moves across that line. Value: minus the rank distance.
 *   <li>{@link #BRIDGE}: linked ({@code account_links}) both to a confirmed-concealed account and
 *       to unreviewed ones: its label decides a whole neighbourhood. Value: its unreviewed
 *       neighbours.
 *   <li>{@link #NEW_CLUSTER}: a cluster none of whose members has a label; one representative, its
 *       best-scored unreviewed member. Value: that score.
 *   <li>{@link #UNSEEN_PATTERN}: a look-alike pattern (the set of mitigating codes together with
 *       the top reason code) no genuine-labelled account shows: the model has never been told such
 *       accounts can be innocent. The highest-scoring unreviewed account of each such pattern.
 *       Value: its score.
 * </ul>
 *
 * The list takes the criteria in turns (round robin by each criterion's own order, in the order
 * above), an account once, with the why of every criterion that chose it; ties break by score, then
 * account id. Only the final bounded list is meant to reach the driver.
 */
public final class Suggestions {
  public static final String UNCERTAIN = "uncertain_score";
  public static final String BRIDGE = "ring_bridge";
  public static final String NEW_CLUSTER = "unlabeled_cluster";
  public static final String UNSEEN_PATTERN = "unseen_lookalike";

  /** The criteria in the order they take turns. */
  public static final List<String> CRITERIA =
      List.of(UNCERTAIN, BRIDGE, NEW_CLUSTER, UNSEEN_PATTERN);

  /** Output: 1-based place in the list. */
  public static final String POSITION = "position";

  /** Output: the criteria that chose the account, in turn order. */
  public static final String CRITERIA_COL = "criteria";

  /** Output: array of (code, detail), one per criterion that chose the account. */
  public static final String WHY = "why";

  static final String CRITERION = "_criterion";
  static final String VALUE = "_value";
  static final String DETAIL = "_detail";
  static final String ORDER = "_order";

  private Suggestions() {}

  /**
   * The suggestions: {@link #POSITION}, account_id, score, rank, cluster_id, {@link #CRITERIA_COL},
   * {@link #WHY}, ordered by position, at most {@code limit} rows.
   *
   * @param dayScores one day of {@code risk_scores} (account_id, score, rank, reasons, cluster_id,
   *     mitigating)
   * @param latestReviews the latest review per account ({@link Labels#latestReviews}: account_id,
   *     outcome)
   * @param links that day's {@code account_links} (account_a, account_b), null when none
   */
  public static Dataset<Row> suggest(
      Dataset<Row> dayScores, Dataset<Row> latestReviews, Dataset<Row> links, int limit) {
    Dataset<Row> reviews =
        latestReviews.select(col(Cols.ACCOUNT_ID).as("_rid"), col("outcome").as("_outcome"));
    Dataset<Row> scored = withPattern(dayScores);
    Dataset<Row> annotated =
        scored.join(reviews, scored.col(Cols.ACCOUNT_ID).equalTo(col("_rid")), "left").drop("_rid");
    Dataset<Row> unreviewed = annotated.filter(col("_outcome").isNull()).drop("_outcome");
    Dataset<Row> cands = uncertain(annotated).unionByName(newClusters(annotated));
    cands = cands.unionByName(unseenPatterns(annotated));
    if (links != null) {
      cands = cands.unionByName(bridges(unreviewed, reviews, links));
    }
    return combine(cands, unreviewed, limit);
  }

  /**
   * Candidates of the uncertain-score criterion: account_id, {@link #CRITERION}, {@link #VALUE},
   * {@link #DETAIL}.
   *
   * <p>The line is where the reviewed accounts turn from concealed to genuine: the score threshold
   * that misplaces the fewest of them (genuine at or above it, concealed below it), halfway to the
   * next reviewed score below. That is the model's decision boundary as investigators have drawn
   * it, whatever the score's scale (the rule score is not a probability, so summed scores say
   * little). Without reviews of both kinds, the line falls back to the R-th best unreviewed score,
   * R being the sum of the scores (the expected number of concealed accounts if they are
   * calibrated). Candidates are the unreviewed accounts nearest that line by unreviewed rank.
   *
   * @param annotated the day's scores with {@code _outcome} (the latest review, null if none)
   */
  static Dataset<Row> uncertain(Dataset<Row> annotated) {
    Dataset<Row> reviewed =
        annotated
            .filter(col("_outcome").isin("concealed", "genuine"))
            .select(
                col(Cols.SCORE).as("_s"),
                when(col("_outcome").equalTo("concealed"), 1).otherwise(0).as("_y"));
    WindowSpec byScore = Window.orderBy(col("_s").desc(), col("_y"));
    WindowSpec all = Window.partitionBy(lit(1));
    // errors if the line sat just below this reviewed account: genuine ones at or above it plus
    // concealed ones below it; the best line, halfway to the next reviewed score below
    Dataset<Row> line =
        reviewed
            .withColumn("_genuine_above", sum(lit(1).minus(col("_y"))).over(byScore))
            .withColumn("_concealed_above", sum(col("_y")).over(byScore))
            .withColumn("_concealed", sum(col("_y")).over(all))
            .withColumn("_genuine", sum(lit(1).minus(col("_y"))).over(all))
            .withColumn("_next", lead(col("_s"), 1).over(byScore))
            .filter(col("_concealed").gt(0).and(col("_genuine").gt(0)))
            .withColumn(
                "_errors",
                col("_genuine_above").plus(col("_concealed")).minus(col("_concealed_above")))
            // on a tie, the lower line: a concealed account missed costs more than a review
            .orderBy(col("_errors"), col("_s"))
            .limit(1)
            .select(
                when(col("_next").isNull(), col("_s"))
                    .otherwise(col("_s").plus(col("_next")).divide(2))
                    .as("_t_score"),
                lit("where the reviewed accounts turn from concealed to genuine").as("_t_why"),
                lit(0).as("_pref"));
    Dataset<Row> unreviewed = annotated.filter(col("_outcome").isNull()).drop("_outcome");
    Dataset<Row> u =
        unreviewed
            .withColumn(
                "_urank",
                row_number().over(Window.orderBy(col(Cols.SCORE).desc(), col(Cols.ACCOUNT_ID))))
            .withColumn("_n", count(lit(1)).over(all))
            // fallback: expected concealed accounts among the unreviewed, at least 1, at most all
            .withColumn(
                "_r",
                least(
                    col("_n"),
                    greatest(lit(1L), round(sum(col(Cols.SCORE)).over(all)).cast("long"))));
    Dataset<Row> fallback =
        u.filter(col("_urank").equalTo(col("_r")))
            .select(
                col(Cols.SCORE).as("_t_score"),
                lit("where the ranking's expected precision gives out").as("_t_why"),
                lit(1).as("_pref"));
    // the line: the reviewed accounts' when they give one, else the fallback (one row)
    Dataset<Row> chosen = line.unionByName(fallback).orderBy(col("_pref")).limit(1).drop("_pref");
    Dataset<Row> boundary =
        u.select(col(Cols.SCORE).as("_us"))
            .crossJoin(broadcast(chosen))
            .groupBy(col("_t_score"), col("_t_why"))
            .agg(greatest(lit(1L), count_if(col("_us").geq(col("_t_score")))).as("_t_rank"));
    return u.crossJoin(broadcast(boundary))
        .select(
            col(Cols.ACCOUNT_ID),
            lit(UNCERTAIN).as(CRITERION),
            abs(col("_urank").minus(col("_t_rank"))).cast("double").multiply(-1).as(VALUE),
            concat(
                    lit("score "),
                    format_number(col(Cols.SCORE), 3),
                    lit(" at unreviewed rank "),
                    col("_urank").cast("string"),
                    lit(", beside the line "),
                    col("_t_why"),
                    lit(" (unreviewed rank "),
                    col("_t_rank").cast("string"),
                    lit(", score "),
                    format_number(col("_t_score"), 3),
                    lit("): the model is least sure here"))
                .as(DETAIL),
            col(Cols.SCORE));
  }

  /** Candidates of the bridge criterion. */
  static Dataset<Row> bridges(Dataset<Row> unreviewed, Dataset<Row> reviews, Dataset<Row> links) {
    Dataset<Row> pairs =
        links
            .select(col(Cols.ACCOUNT_A).as("_x"), col(Cols.ACCOUNT_B).as("_y"))
            .unionByName(links.select(col(Cols.ACCOUNT_B).as("_x"), col(Cols.ACCOUNT_A).as("_y")))
            .filter(col("_x").notEqual(col("_y")))
            .distinct();
    Dataset<Row> u = unreviewed.select(col(Cols.ACCOUNT_ID), col(Cols.SCORE));
    Dataset<Row> neighbours =
        pairs
            .join(reviews, col("_y").equalTo(col("_rid")), "left")
            .groupBy(col("_x"))
            .agg(
                count_if(col("_outcome").equalTo("concealed")).as("_confirmed"),
                count_if(col("_outcome").isNull()).as("_open"),
                array_sort(collect_set(when(col("_outcome").equalTo("concealed"), col("_y"))))
                    .as("_confirmed_ids"));
    return u.join(neighbours, u.col(Cols.ACCOUNT_ID).equalTo(col("_x")))
        .filter(col("_confirmed").gt(0).and(col("_open").gt(0)))
        .select(
            col(Cols.ACCOUNT_ID),
            lit(BRIDGE).as(CRITERION),
            col("_open").cast("double").as(VALUE),
            concat(
                    lit("linked to "),
                    Reasons.count(
                        col("_confirmed"),
                        " confirmed-concealed account",
                        " confirmed-concealed accounts"),
                    lit(" ("),
                    array_join(slice(col("_confirmed_ids"), 1, 3), ", "),
                    when(col("_confirmed").gt(3), lit(", ...")).otherwise(lit("")),
                    lit(") and to "),
                    Reasons.count(col("_open"), " unreviewed account", " unreviewed accounts"),
                    lit(": its label decides that neighbourhood"))
                .as(DETAIL),
            col(Cols.SCORE));
  }

  /** Candidates of the unlabelled-cluster criterion: one per cluster without a labelled member. */
  static Dataset<Row> newClusters(Dataset<Row> annotated) {
    Dataset<Row> c =
        annotated
            .filter(col(Cols.CLUSTER_ID).isNotNull())
            .withColumn(
                "_labelled",
                max(when(col("_outcome").isin("concealed", "genuine"), 1).otherwise(0))
                    .over(Window.partitionBy(col(Cols.CLUSTER_ID))))
            .withColumn("_size", count(lit(1)).over(Window.partitionBy(col(Cols.CLUSTER_ID))))
            .filter(col("_labelled").equalTo(0).and(col("_outcome").isNull()))
            .withColumn(
                "_m",
                row_number()
                    .over(
                        Window.partitionBy(col(Cols.CLUSTER_ID))
                            .orderBy(col(Cols.SCORE).desc(), col(Cols.ACCOUNT_ID))))
            .filter(col("_m").equalTo(1));
    return c.select(
        col(Cols.ACCOUNT_ID),
        lit(NEW_CLUSTER).as(CRITERION),
        col(Cols.SCORE).as(VALUE),
        concat(
                lit("best-scored member of cluster "),
                col(Cols.CLUSTER_ID),
                lit(" ("),
                col("_size").cast("string"),
                lit(" accounts, none labelled): its label speaks for the cluster"))
            .as(DETAIL),
        col(Cols.SCORE));
  }

  /**
   * Candidates of the unseen look-alike criterion: per pattern (see {@link #withPattern}) no
   * genuine-labelled account shows, its highest-scoring unreviewed account.
   */
  static Dataset<Row> unseenPatterns(Dataset<Row> annotated) {
    Dataset<Row> p =
        annotated
            .filter(col("_pattern").isNotNull())
            .withColumn(
                "_genuine",
                max(when(col("_outcome").equalTo("genuine"), 1).otherwise(0))
                    .over(Window.partitionBy(col("_pattern"))))
            .withColumn("_psize", count(lit(1)).over(Window.partitionBy(col("_pattern"))))
            .filter(col("_genuine").equalTo(0).and(col("_outcome").isNull()))
            .withColumn(
                "_m",
                row_number()
                    .over(
                        Window.partitionBy(col("_pattern"))
                            .orderBy(col(Cols.SCORE).desc(), col(Cols.ACCOUNT_ID))))
            .filter(col("_m").equalTo(1));
    return p.select(
        col(Cols.ACCOUNT_ID),
        lit(UNSEEN_PATTERN).as(CRITERION),
        col(Cols.SCORE).as(VALUE),
        concat(
                lit("highest-scoring of "),
                Reasons.count(col("_psize"), " account", " accounts"),
                lit(" showing "),
                col("_pattern"),
                lit("; no account with this pattern is labelled genuine yet"))
            .as(DETAIL),
        col(Cols.SCORE));
  }

  /**
   * Adds {@code _pattern}: the account's clearing evidence (mitigating codes, sorted) and its top
   * reason code, as text ("mitigating a+b, top reason c"); null without mitigating codes.
   */
  static Dataset<Row> withPattern(Dataset<Row> scores) {
    boolean hasMitigating = List.of(scores.columns()).contains(Schemas.MITIGATING);
    if (!hasMitigating) {
      return scores.withColumn("_pattern", lit(null).cast("string"));
    }
    Column codes =
        array_sort(
            array_distinct(
                transform(coalesce(col(Schemas.MITIGATING), array()), m -> m.getField("code"))));
    Column top =
        coalesce(
            try_element_at(transform(col(Cols.REASONS), r -> r.getField("code")), lit(1)),
            lit("no reason"));
    return scores.withColumn(
        "_pattern",
        when(
            size(codes).gt(0),
            concat(
                lit("mitigating "),
                array_join(codes, "+"),
                lit(", top reason "),
                coalesce(top, lit("no reason")))));
  }

  /** Round robin over the criteria, each account once (at its best turn), limited. */
  static Dataset<Row> combine(Dataset<Row> cands, Dataset<Row> unreviewed, int limit) {
    Column turnOrder = lit(CRITERIA.size());
    for (int i = CRITERIA.size() - 1; i >= 0; i--) {
      turnOrder = when(col(CRITERION).equalTo(CRITERIA.get(i)), lit(i)).otherwise(turnOrder);
    }
    Dataset<Row> ranked =
        cands
            .withColumn("_turn", turnOrder)
            .withColumn(
                "_k",
                row_number()
                    .over(
                        Window.partitionBy(col(CRITERION))
                            .orderBy(
                                col(VALUE).desc(), col(Cols.SCORE).desc(), col(Cols.ACCOUNT_ID))))
            .filter(col("_k").leq(limit))
            .withColumn(
                ORDER,
                col("_k").minus(1).cast("long").multiply(CRITERIA.size() + 1).plus(col("_turn")));
    Dataset<Row> perAccount =
        ranked
            .groupBy(col(Cols.ACCOUNT_ID).as("_aid"))
            .agg(
                min(col(ORDER)).as(ORDER),
                array_sort(collect_list(struct(col(ORDER), col(CRITERION), col(DETAIL))))
                    .as("_picks"));
    Dataset<Row> top =
        perAccount
            .withColumn(
                POSITION, row_number().over(Window.orderBy(col(ORDER), col("_aid"))).cast("int"))
            .filter(col(POSITION).leq(limit));
    return top.join(unreviewed, col("_aid").equalTo(unreviewed.col(Cols.ACCOUNT_ID)))
        .select(
            col(POSITION),
            col(Cols.ACCOUNT_ID),
            col(Cols.SCORE),
            col(Cols.RANK),
            col(Cols.CLUSTER_ID),
            transform(col("_picks"), x -> x.getField(CRITERION)).as(CRITERIA_COL),
            transform(
                    col("_picks"),
                    x -> struct(x.getField(CRITERION).as("code"), x.getField(DETAIL).as("detail")))
                .as(WHY))
        .orderBy(col(POSITION));
  }
}
