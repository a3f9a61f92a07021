package io.unmask.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.unmask.common.Schemas;
import io.unmask.review.Suggestions;
import io.unmask.testing.SparkTest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** {@code suggest} prints its list as a table, CSV (formula-neutral) and JSON. */
class SuggestCommandTest extends SparkTest {
  private static final java.sql.Date DAY = java.sql.Date.valueOf("2026-03-31");

  private static List<Row> rows() {
    Row reason = RowFactory.create("vpn_share", 0.4, "80% of sign-ins from VPN exits");
    Row clears = RowFactory.create("anonymizer_consistent", "consistent otherwise");
    var scores =
        spark()
            .createDataFrame(
                List.of(
                    RowFactory.create(
                        "=HYPERLINK(1)",
                        0.7,
                        1,
                        List.of(reason),
                        "@k1",
                        "v1",
                        DAY,
                        "r1",
                        List.of(clears)),
                    RowFactory.create(
                        "a2", 0.1, 2, List.of(reason), "@k1", "v1", DAY, "r1", List.of(clears))),
                Schemas.RISK_SCORES);
    var reviews =
        spark()
            .createDataFrame(
                List.<Row>of(),
                new StructType()
                    .add("account_id", DataTypes.StringType)
                    .add("outcome", DataTypes.StringType));
    return Suggestions.suggest(scores, reviews, null, 5).collectAsList();
  }

  private static String print(TopCommand.Format format, List<Row> rows) throws Exception {
    SuggestCommand c = new SuggestCommand();
    c.format = format;
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    c.print(rows, DAY, new PrintStream(b, true, StandardCharsets.UTF_8));
    return b.toString(StandardCharsets.UTF_8);
  }

  @Test
  void everyFormatPrintsAndCsvIsNeutralised() throws Exception {
    List<Row> rows = rows();
    assertThat(rows).hasSize(2);
    String csv = print(TopCommand.Format.csv, rows);
    assertThat(csv).startsWith("position,account_id,score,rank,cluster_id,criteria,why");
    assertThat(csv).contains("\"'=HYPERLINK(1)\"").contains("\"'@k1\"").doesNotContain(",=");
    String table = print(TopCommand.Format.table, rows);
    assertThat(table).contains(Suggestions.UNCERTAIN).contains("=HYPERLINK(1)");
    assertThat(table.lines().mapToInt(String::length).max().orElse(0)).isLessThanOrEqualTo(100);
    assertThat(print(TopCommand.Format.json, rows))
        .contains("\"why\"")
        .contains("\"code\" : \"" + Suggestions.NEW_CLUSTER + "\"");
  }
}
