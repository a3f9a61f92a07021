package io.unmask.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.unmask.common.Cols;
import io.unmask.common.Schemas;
import io.unmask.testing.SparkTest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

/** {@code top} shows the mitigating column next to the reasons, and reads tables without it. */
class TopCommandTest extends SparkTest {
  private static final java.sql.Date DAY = java.sql.Date.valueOf("2026-03-31");

  private static List<Row> rows() {
    Row reason = RowFactory.create("vpn_share", 0.4, "80% of sign-ins from VPN exits");
    Row clears =
        RowFactory.create(
            "anonymizer_consistent",
            "=80% of sign-ins through VPN or hosting exits, otherwise consistent");
    Dataset<Row> d =
        spark()
            .createDataFrame(
                List.of(
                    RowFactory.create(
                        "a1", 0.9, 1, List.of(reason), null, "rule-v1", DAY, "r1", List.of(clears)),
                    RowFactory.create(
                        "a2", 0.1, 2, List.of(), null, "rule-v1", DAY, "r1", List.of())),
                Schemas.RISK_SCORES);
    return d.orderBy(Cols.RANK).collectAsList();
  }

  private static String print(TopCommand.Format format, List<Row> rows) throws Exception {
    TopCommand t = new TopCommand();
    t.format = format;
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    t.print(rows, DAY, new PrintStream(b, true, StandardCharsets.UTF_8));
    return b.toString(StandardCharsets.UTF_8);
  }

  @Test
  void mitigatingEntriesAreShownInEveryFormat() throws Exception {
    List<Row> rows = rows();
    assertThat(print(TopCommand.Format.table, rows))
        .contains("80% of sign-ins from VPN exits")
        .contains("mitigating: =80% of sign-ins through VPN or hosting exits");
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
    List<Row> old =
        spark()
            .createDataFrame(rows(), Schemas.RISK_SCORES)
            .drop(Schemas.MITIGATING)
            .orderBy(Cols.RANK)
            .collectAsList();
    assertThat(print(TopCommand.Format.table, old)).contains("a1").doesNotContain("mitigating");
    assertThat(print(TopCommand.Format.csv, old)).contains("a2");
    assertThat(print(TopCommand.Format.json, old)).contains("\"mitigating\" : [ ]");
  }
}
