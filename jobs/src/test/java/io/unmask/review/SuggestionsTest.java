package io.unmask.review;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import io.unmask.common.Cols;
import io.unmask.common.Schemas;
import io.unmask.testing.SparkTest;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** Each criterion of {@code suggest} on a hand-built ranking, and the combined list. */
class SuggestionsTest extends SparkTest {
  private static final java.sql.Date DAY = java.sql.Date.valueOf("2026-03-31");

  private static final StructType REVIEWS =
      new StructType()
          .add(Cols.ACCOUNT_ID, DataTypes.StringType)
          .add("outcome", DataTypes.StringType);

  private static final StructType LINKS =
      new StructType()
          .add(Cols.ACCOUNT_A, DataTypes.StringType)
          .add(Cols.ACCOUNT_B, DataTypes.StringType);

  private static Row score(
      String id, double score, String cluster, String reason, String... mitigating) {
    List<Row> reasons =
        reason == null ? List.of() : List.of(RowFactory.create(reason, 0.5, reason + " seen"));
    List<Row> m = new ArrayList<>();
    for (String c : mitigating) {
      m.add(RowFactory.create(c, c + " holds"));
    }
    return RowFactory.create(id, score, 0, reasons, cluster, "v1", DAY, "r1", m);
  }

  /** The rows with their rank set by score (best first). */
  private static Dataset<Row> scores(Row... rows) {
    Dataset<Row> d = spark().createDataFrame(List.of(rows), Schemas.RISK_SCORES);
    return d.withColumn(
        Cols.RANK,
        org.apache
            .spark
            .sql
            .functions
            .row_number()
            .over(
                org.apache.spark.sql.expressions.Window.orderBy(
                    col(Cols.SCORE).desc(), col(Cols.ACCOUNT_ID))));
  }

  private static Dataset<Row> reviews(String... idOutcome) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < idOutcome.length; i += 2) {
      rows.add(RowFactory.create(idOutcome[i], idOutcome[i + 1]));
    }
    return spark().createDataFrame(rows, REVIEWS);
  }

  private static Dataset<Row> links(String... pairs) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < pairs.length; i += 2) {
      rows.add(RowFactory.create(pairs[i], pairs[i + 1]));
    }
    return spark().createDataFrame(rows, LINKS);
  }

  /** A ranking where each criterion has one right answer. */
  private static Dataset<Row> fixture() {
    return scores(
        // a confirmed ring: c1 confirmed; b1 links it to u1 (unreviewed); x1 links only to c1
        score("c1", 0.95, "k1", "device_other_places"),
        score("b1", 0.55, "k1", "device_other_places"),
        score("u1", 0.35, "k1", "payout_shared_accounts"),
        score("x1", 0.30, "k1", "payout_shared_accounts"),
        // an unlabelled cluster: m1 is its best-scored member
        score("m1", 0.62, "k2", "photo_shared"),
        score("m2", 0.41, "k2", "photo_shared"),
        // a cluster with a genuine member: no representative
        score("g1", 0.50, "k3", "ip_shared_accounts"),
        score("m3", 0.45, "k3", "ip_shared_accounts"),
        // privacy-VPN look-alikes, none labelled genuine: p1 is the highest-scoring
        score("p1", 0.70, null, "vpn_share", "anonymizer_consistent"),
        score("p2", 0.52, null, "vpn_share", "anonymizer_consistent"),
        // internet-café look-alikes with a genuine example (q1): no suggestion for q2
        score("q1", 0.40, null, "ip_shared_accounts", "shared_place_consistent"),
        score("q2", 0.80, null, "ip_shared_accounts", "shared_place_consistent"),
        // an account judged unsure: reviewed, never suggested
        score("s1", 0.90, null, "vpn_share", "travel_consistent"),
        score("z1", 0.02, null, null, "travel_consistent"),
        score("z2", 0.01, null, null));
  }

  private static Dataset<Row> fixtureReviews() {
    return reviews("c1", "concealed", "g1", "genuine", "q1", "genuine", "s1", "unsure");
  }

  private static Dataset<Row> fixtureLinks() {
    return links("b1", "c1", "b1", "u1", "c1", "x1", "m1", "m2", "g1", "m3");
  }

  private static Dataset<Row> annotated(Dataset<Row> scores, Dataset<Row> reviews) {
    Dataset<Row> r = reviews.select(col(Cols.ACCOUNT_ID).as("_rid"), col("outcome").as("_outcome"));
    Dataset<Row> s = Suggestions.withPattern(scores);
    return s.join(r, s.col(Cols.ACCOUNT_ID).equalTo(col("_rid")), "left").drop("_rid");
  }

  private static List<String> ids(Dataset<Row> cands) {
    return cands
        .orderBy(col(Suggestions.VALUE).desc(), col(Cols.SCORE).desc(), col(Cols.ACCOUNT_ID))
        .select(Cols.ACCOUNT_ID)
        .as(org.apache.spark.sql.Encoders.STRING())
        .collectAsList();
  }

  @Test
  void aBridgeLinksAConfirmedAccountToUnreviewedOnes() {
    Dataset<Row> a = annotated(fixture(), fixtureReviews());
    Dataset<Row> reviews =
        fixtureReviews().select(col(Cols.ACCOUNT_ID).as("_rid"), col("outcome").as("_outcome"));
    List<String> got =
        ids(
            Suggestions.bridges(
                a.filter(col("_outcome").isNull()).drop("_outcome"), reviews, fixtureLinks()));
    // x1 is linked to the confirmed c1 only: nothing else hangs on its label
    assertThat(got).containsExactly("b1");
  }

  @Test
  void anUnlabelledClusterIsRepresentedByItsBestScoredMember() {
    List<String> got = ids(Suggestions.newClusters(annotated(fixture(), fixtureReviews())));
    // k1 has a confirmed member, k3 a genuine one
    assertThat(got).containsExactly("m1");
  }

  @Test
  void aLookAlikePatternWithoutAGenuineExampleGetsItsTopAccount() {
    List<String> got = ids(Suggestions.unseenPatterns(annotated(fixture(), fixtureReviews())));
    // q2's café pattern has a genuine example (q1); s1 is reviewed (unsure); z1, a traveller
    // without any reason, is a pattern of its own
    assertThat(got).containsExactly("p1", "z1");
  }

  @Test
  void theUncertainBandIsWhereTheReviewedAccountsTurnFromConcealedToGenuine() {
    Dataset<Row> s =
        scores(
            score("r1", 0.95, null, null),
            score("u1", 0.90, null, null),
            score("r2", 0.85, null, null),
            score("u2", 0.80, null, null),
            score("u3", 0.60, null, null),
            score("u4", 0.50, null, null),
            score("r3", 0.30, null, null),
            score("u5", 0.28, null, null),
            score("r4", 0.20, null, null),
            score("u6", 0.05, null, null),
            score("r5", 0.04, null, null));
    // r1 and r3 concealed, r2, r4 and r5 genuine: a line below r1 or below r3 misplaces one
    // reviewed account each (r3 or r2); the lower one wins, halfway between r3 and r4 (0.25).
    // Five unreviewed accounts score above it, so u5 (unreviewed rank 5) is nearest, then u4
    // and u6; the sum of the unreviewed scores (3.13) would have put the line at u3.
    Dataset<Row> annotated =
        Suggestions.withPattern(s)
            .join(
                reviews(
                        "r1",
                        "concealed",
                        "r2",
                        "genuine",
                        "r3",
                        "concealed",
                        "r4",
                        "genuine",
                        "r5",
                        "genuine")
                    .withColumnRenamed("outcome", "_outcome"),
                new String[] {Cols.ACCOUNT_ID},
                "left");
    List<Row> got =
        Suggestions.uncertain(annotated)
            .orderBy(col("_value").desc(), col(Cols.SCORE).desc())
            .collectAsList();
    assertThat(got.stream().map(r -> r.<String>getAs(Cols.ACCOUNT_ID)).toList().subList(0, 3))
        .containsExactly("u5", "u4", "u6");
    assertThat(got.get(0).<String>getAs("_detail"))
        .contains("unreviewed rank 5", "turn from concealed to genuine", "score 0.250");
  }

  @Test
  void withoutReviewsOfBothKindsTheUncertainBandIsAroundTheExpectedCountOfConcealedAccounts() {
    Dataset<Row> s =
        scores(
            score("a1", 0.95, null, null),
            score("a2", 0.90, null, null),
            score("a3", 0.60, null, null),
            score("a4", 0.20, null, null),
            score("a5", 0.15, null, null),
            score("a6", 0.10, null, null),
            score("a7", 0.05, null, null),
            score("a8", 0.03, null, null),
            score("a9", 0.02, null, null));
    // scores sum to 3.0: three concealed accounts expected, so the line is at the 3rd score
    List<String> got =
        ids(
            Suggestions.uncertain(
                Suggestions.withPattern(s)
                    .withColumn(
                        "_outcome", org.apache.spark.sql.functions.lit(null).cast("string"))));
    assertThat(got.get(0)).isEqualTo("a3");
    assertThat(got.subList(1, 3)).containsExactly("a2", "a4");
  }

  @Test
  void reviewedAccountsAreNeverSuggestedAndTheListIsDeduplicatedAndLimited() {
    List<Row> all =
        Suggestions.suggest(fixture(), fixtureReviews(), fixtureLinks(), 50).collectAsList();
    List<String> got = all.stream().map(r -> r.<String>getAs(Cols.ACCOUNT_ID)).toList();
    assertThat(got).doesNotContain("c1", "g1", "q1", "s1");
    assertThat(got).doesNotHaveDuplicates().contains("b1", "m1", "p1");
    assertThat(all.stream().map(r -> r.<Integer>getAs(Suggestions.POSITION)).toList())
        .isEqualTo(java.util.stream.IntStream.rangeClosed(1, all.size()).boxed().toList());
    // every why has a code and a sentence
    for (Row r : all) {
      List<Row> why = r.getList(r.fieldIndex(Suggestions.WHY));
      assertThat(why).isNotEmpty();
      assertThat(why).allSatisfy(w -> assertThat(w.<String>getAs("detail")).isNotBlank());
    }

    List<Row> two =
        Suggestions.suggest(fixture(), fixtureReviews(), fixtureLinks(), 2).collectAsList();
    assertThat(two).hasSize(2);
    // the first turn of the round robin: the most uncertain account, then the bridge
    assertThat(two.get(0).<String>getAs(Cols.ACCOUNT_ID)).isEqualTo(got.get(0));
    assertThat(two.get(1).<String>getAs(Cols.ACCOUNT_ID)).isEqualTo("b1");
  }

  @Test
  void anAccountChosenTwiceIsListedOnceWithBothReasons() {
    // m1 is both the representative of k2 and a bridge (linked to the confirmed c1 and to m2)
    Dataset<Row> l = links("b1", "c1", "b1", "u1", "m1", "c1", "m1", "m2");
    List<Row> all = Suggestions.suggest(fixture(), fixtureReviews(), l, 50).collectAsList();
    List<Row> m1 = all.stream().filter(r -> r.getAs(Cols.ACCOUNT_ID).equals("m1")).toList();
    assertThat(m1).hasSize(1);
    assertThat(m1.get(0).<String>getList(m1.get(0).fieldIndex(Suggestions.CRITERIA_COL)))
        .contains(Suggestions.BRIDGE, Suggestions.NEW_CLUSTER);
  }

  @Test
  void withoutLinksOrReviewsTheOtherCriteriaStillWork() {
    List<Row> all = Suggestions.suggest(fixture(), reviews(), null, 50).collectAsList();
    assertThat(all).isNotEmpty();
    assertThat(all.stream().map(r -> r.<String>getAs(Cols.ACCOUNT_ID)).toList())
        .doesNotHaveDuplicates()
        .hasSize(all.size());
  }
}
