package io.unmask.cli;

import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;

import io.unmask.common.Cols;
import io.unmask.common.Schemas;
import io.unmask.review.ReviewQueue;
import io.unmask.testing.SparkTest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * {@code top}: the review queue by default, every account with --all; a ring is one entry of the
 * table; the table fits 100 columns; the mitigating column is shown and may be absent.
 */
class TopCommandTest extends SparkTest {
  private static final java.sql.Date DAY = java.sql.Date.valueOf("2026-03-31");

  private static Dataset<Row> rows() {
    Row reason = RowFactory.create("vpn_share", 0.4, "80% of sign-ins from VPN exits");
    Row clears =
        RowFactory.create(
            "anonymizer_consistent",
            "=80% of sign-ins through VPN or hosting exits, otherwise consistent");
    return spark()
        .createDataFrame(
            List.of(
                RowFactory.create(
                    "a1", 0.9, 1, List.of(reason), null, "rule-v1", DAY, "r1", List.of(clears)),
                RowFactory.create("a2", 0.1, 2, List.of(), null, "rule-v1", DAY, "r1", List.of())),
            Schemas.RISK_SCORES);
  }

  /** One account's row: its first reason is {@code why}. */
  private static Row score(String id, double score, int rank, String cluster, String why) {
    return RowFactory.create(
        id,
        score,
        rank,
        List.of(RowFactory.create("kp_hits", 0.5, why)),
        cluster,
        "gbt-v1",
        DAY,
        "r1",
        List.of());
  }

  /** Annotated as by ReviewQueue: {@code reviews} holds account, outcome pairs. */
  private static Dataset<Row> annotated(List<Row> scores, String... reviews) {
    Dataset<Row> day = spark().createDataFrame(scores, Schemas.RISK_SCORES);
    List<Row> r = new ArrayList<>();
    for (int i = 0; i < reviews.length; i += 2) {
      r.add(
          RowFactory.create(
              reviews[i],
              reviews[i + 1],
              java.sql.Timestamp.valueOf("2026-03-30 10:00:00"),
              "review:ana",
              null));
    }
    Dataset<Row> latest =
        spark()
            .createDataFrame(
                r,
                new StructType()
                    .add(Cols.ACCOUNT_ID, DataTypes.StringType)
                    .add("outcome", DataTypes.StringType)
                    .add(Cols.LABELED_AT, DataTypes.TimestampType)
                    .add(Cols.SOURCE, DataTypes.StringType)
                    .add(Cols.NOTE, DataTypes.StringType));
    return ReviewQueue.annotate(day, day, latest, DAY.toLocalDate());
  }

  /**
   * Seven accounts: a1 (lone, confirmed), a ring R of m1, m2, m3 (genuine), m4, lone a2 and a3; a3
   * has a very long id and a very long reason.
   */
  private static Dataset<Row> queue() {
    return annotated(
        List.of(
            score("a1", 0.99, 1, null, "22 withdrawals to a wallet on the OFAC SDN list"),
            score("m1", 0.95, 2, "R", "3 sign-ins from North Korean address space"),
            score("a2", 0.90, 3, null, "1 sign-in from North Korean address space"),
            score("m2", 0.80, 4, "R", "payout account shared with 3 other accounts"),
            score("m3", 0.70, 5, "R", "a device shared with 2 other accounts"),
            score("m4", 0.60, 6, "R", "copied profile text in its linked group"),
            score(LONG_ID, 0.50, 7, null, LONG_REASON)),
        "a1",
        "concealed",
        "m3",
        "genuine");
  }

  private static final String LONG_ID = "acct-" + "x".repeat(40);

  private static final String LONG_REASON =
      "a residential address used by accounts claiming 12 other places; "
          + "not a VPN, hosting or carrier-NAT hub ".repeat(6)
          + "https://example.org/"
          + "y".repeat(150);

  private static String print(TopCommand.Format format, Dataset<Row> ranked) throws Exception {
    return print(format, ranked, true, 20);
  }

  private static String print(TopCommand.Format format, Dataset<Row> ranked, boolean all, int limit)
      throws Exception {
    TopCommand t = new TopCommand();
    t.format = format;
    t.all = all;
    t.limit = limit;
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    t.print(ranked, DAY, new PrintStream(b, true, StandardCharsets.UTF_8));
    return b.toString(StandardCharsets.UTF_8);
  }

  private static List<String> lines(String out) {
    return out.lines().toList();
  }

  @Test
  void mitigatingEntriesAreShownInEveryFormat() throws Exception {
    Dataset<Row> rows = rows().withColumn(Cols.REVIEW_STATE, lit(ReviewQueue.TO_REVIEW));
    assertThat(print(TopCommand.Format.table, rows))
        .contains("80% of sign-ins from VPN exits")
        .contains("mitigating: =80% of sign-ins through VPN");
    String csv = print(TopCommand.Format.csv, rows);
    assertThat(csv)
        .startsWith("rank,account_id,score,cluster_id,model_version,as_of,reasons,mitigating");
    // a leading "=" is neutralised as in every other cell
    assertThat(csv).contains(",\"'=80% of sign-ins through VPN or hosting exits");
    assertThat(print(TopCommand.Format.json, rows))
        .contains("\"mitigating\"")
        .contains("\"code\" : \"anonymizer_consistent\"");
  }

  @Test
  void anOlderTableWithoutTheColumnStillPrints() throws Exception {
    Dataset<Row> old =
        rows().drop(Schemas.MITIGATING).withColumn(Cols.REVIEW_STATE, lit(ReviewQueue.TO_REVIEW));
    assertThat(print(TopCommand.Format.table, old)).contains("a1").doesNotContain("mitigating");
    assertThat(print(TopCommand.Format.csv, old)).contains("a2");
    assertThat(print(TopCommand.Format.json, old)).contains("\"mitigating\" : [ ]");
  }

  @Test
  void byDefaultOnlyTheQueueIsShownAndAllShowsEveryAccount() throws Exception {
    Dataset<Row> q = queue().cache();
    String table = print(TopCommand.Format.table, q, false, 20);
    assertThat(lines(table).get(0))
        .isEqualTo(
            "risk_scores as_of 2026-03-31, model gbt-v1:"
                + " 5 accounts to review of 7 ranked (--all: every account)");
    assertThat(table).doesNotContain(" a1 ").doesNotContain("m3").contains("a2").contains("m4");
    assertThat(table).contains("ring R: 3 of its 4 accounts to review, best score 0.950");

    String all = print(TopCommand.Format.table, q, true, 20);
    assertThat(lines(all).get(0)).contains("every account: 7 ranked, 5 to review");
    assertThat(all).contains("    1  a1 ").contains("m3").contains("review: confirmed 2026-03-30");
    assertThat(all).contains("ring R: 4 accounts, 3 to review");
    // a reviewed member says so in the cluster column
    assertThat(all).containsPattern("    5  \u00b7 m3 +0\\.700  genuine +a device shared");

    List<String> csv = lines(print(TopCommand.Format.csv, q, false, 20));
    assertThat(csv.get(0))
        .isEqualTo(
            "rank,account_id,score,cluster_id,model_version,as_of,reasons,mitigating,review_state");
    assertThat(csv.subList(1, csv.size()))
        .hasSize(5)
        .allSatisfy(l -> assertThat(l).endsWith(",\"to_review\""));
    assertThat(csv.get(1)).startsWith("2,\"m1\",0.9500,\"R\",");
    List<String> csvAll = lines(print(TopCommand.Format.csv, q, true, 20));
    assertThat(csvAll).hasSize(8);
    assertThat(csvAll.get(1)).startsWith("1,\"a1\",").endsWith(",\"confirmed\"");
    assertThat(csvAll.get(5)).startsWith("5,\"m3\",").endsWith(",\"genuine\"");
    assertThat(print(TopCommand.Format.json, q, false, 20))
        .contains("\"review_state\" : \"to_review\"")
        .doesNotContain("\"a1\"");
  }

  @Test
  void aRingIsOneEntryAndTheLimitCountsEntries() throws Exception {
    Dataset<Row> q = queue().cache();
    List<String> table = lines(print(TopCommand.Format.table, q, false, 2));
    // the ring (best rank 2) and a2 (rank 3); a3 at rank 7 is the third entry
    assertThat(table.stream().filter(l -> l.contains("ring R")).count()).isEqualTo(1);
    assertThat(table.stream().filter(l -> l.startsWith("    2  ring R")).count()).isEqualTo(1);
    assertThat(table)
        .anySatisfy(l -> assertThat(l).matches(" +2  \u00b7 m1 +0\\.950 +3 sign-ins from .*"))
        .anySatisfy(l -> assertThat(l).matches(" +4  \u00b7 m2 +0\\.800 +payout account .*"))
        .anySatisfy(l -> assertThat(l).matches(" +6  \u00b7 m4 +0\\.600 +copied profile .*"))
        .anySatisfy(l -> assertThat(l).matches(" +3  a2 +0\\.900 +- +1 sign-in from .*"));
    assertThat(String.join("\n", table)).doesNotContain("acct-").doesNotContain("m3");
    // CSV and JSON stay one row per account: the limit counts accounts
    List<String> csv = lines(print(TopCommand.Format.csv, q, false, 2));
    assertThat(csv).hasSize(3);
    assertThat(csv.get(2)).startsWith("3,\"a2\",");
  }

  @Test
  void aLargeRingShowsTenMembersOneLineEachAndCountsTheRest() throws Exception {
    List<Row> rows = new ArrayList<>();
    for (int i = 1; i <= 13; i++) {
      rows.add(score("r" + i, 1.0 - i / 100.0, i, "BIG", "reason " + i + " " + LONG_REASON));
    }
    String table = print(TopCommand.Format.table, annotated(rows), false, 5);
    assertThat(table).contains("ring BIG: 13 of its 13 accounts to review");
    assertThat(table).contains("r10 ").doesNotContain("r11 ").contains("\u2026 and 3 more members");
    List<String> lines = lines(table);
    assertThat(lines).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(100));
    int r2 = lines.indexOf(lines.stream().filter(l -> l.contains("\u00b7 r2 ")).findFirst().get());
    assertThat(lines.get(r2)).endsWith("\u2026");
    assertThat(lines.get(r2 + 1)).contains("\u00b7 r3 ");
  }

  @Test
  void theTableFitsOneHundredColumnsAndWrapsLongReasonsAtWords() throws Exception {
    String table = print(TopCommand.Format.table, queue(), true, 20);
    List<String> lines = lines(table);
    assertThat(lines).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(100));
    // the long id is cut in the table only
    assertThat(table).contains("acct-xxxxxxxxxxxx\u2026").doesNotContain(LONG_ID);
    assertThat(print(TopCommand.Format.csv, queue(), true, 20)).contains(LONG_ID);
    // the long reason continues under the reasons column, broken between words
    int at = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains("acct-")) {
        at = i;
      }
    }
    assertThat(at).isPositive();
    int column = lines.get(at).indexOf("a residential");
    assertThat(column).isGreaterThan(40);
    StringBuilder words = new StringBuilder(lines.get(at).substring(column));
    for (int i = at + 1; i < lines.size(); i++) {
      assertThat(lines.get(i).substring(0, column)).isBlank();
      assertThat(lines.get(i).charAt(column)).isNotEqualTo(' ');
      words.append(' ').append(lines.get(i).substring(column));
    }
    assertThat(lines.size() - at).isGreaterThan(3);
    assertThat(lines.get(at + 1)).doesNotEndWith(" ");
    for (String l : lines.subList(at, at + 3)) {
      // no word is split: each line ends where a word of the reason ends
      String last = l.substring(l.lastIndexOf(' ') + 1);
      assertThat(LONG_REASON)
          .containsPattern("(^| )" + java.util.regex.Pattern.quote(last) + "( |$)");
    }
    assertThat(words.toString().replace(" ", "")).isEqualTo(LONG_REASON.replace(" ", ""));
  }

  @Test
  void wrapBreaksAtSpacesAndCutsOnlyWordsLongerThanALine() {
    assertThat(TopCommand.wrap("one two three four", 9, 2))
        .containsExactly("one two", "  three", "  four");
    assertThat(TopCommand.wrap("ab " + "x".repeat(12), 5, 0))
        .containsExactly("ab", "xxxxx", "xxxxx", "xx");
    assertThat(TopCommand.clip("abcdef", 4)).isEqualTo("abc\u2026");
    assertThat(TopCommand.clip("abcd", 4)).isEqualTo("abcd");
  }
}
