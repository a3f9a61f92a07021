package io.unmask.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.unmask.common.Schemas;
import io.unmask.common.Tables;
import io.unmask.testing.SparkTest;
import java.nio.file.Path;
import java.sql.Date;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

/** The check command's gate over ingest_report: missing, empty and over-quarantined tables. */
class QualityGateTest extends SparkTest {
  private static final LocalDate D1 = LocalDate.parse("2026-10-30");
  private static final LocalDate D2 = LocalDate.parse("2026-10-31");

  private static Row row(LocalDate d, String table, long read, long bad) {
    return RowFactory.create("r", Date.valueOf(d), table, read, read - bad, bad, null, "snapshot");
  }

  private static Row increment(LocalDate d, String table, long read) {
    return RowFactory.create("r", Date.valueOf(d), table, read, read, 0L, read, "increment");
  }

  private static String warehouse(List<Row> rows) {
    Path wh = tempDir("gate");
    spark()
        .createDataFrame(rows, Schemas.INGEST_REPORT)
        .write()
        .format("delta")
        .save(Tables.path(wh.toString(), Tables.INGEST_REPORT));
    return wh.toString();
  }

  @Test
  void aCleanDayPassesAndTheLatestDayIsTheDefault() {
    String wh =
        warehouse(
            List.of(
                row(D1, "profiles", 10, 5),
                row(D2, "profiles", 100, 1),
                row(D2, "logins", 1000, 50),
                row(D2, "payments", 400, 0),
                row(D2, "labels", 0, 0)));
    QualityGate.Verdict v = QualityGate.check(spark(), wh, null, 0.05);
    assertThat(v.asOf()).isEqualTo(D2);
    assertThat(v.passed()).isTrue();
    assertThat(v.tables())
        .extracting(QualityGate.TableCheck::table)
        .containsExactly("profiles", "logins", "payments", "labels");
    // 50 of 1000 is exactly 5%: not past the threshold.
    assertThat(v.tables().get(1).share()).isEqualTo(0.05);
    assertThat(QualityGate.lines(v)).allMatch(l -> l.endsWith("ok"));

    // The earlier day: profiles quarantined 50%, and sign-ins and payments were never ingested.
    QualityGate.Verdict old = QualityGate.check(spark(), wh, D1, 0.05);
    assertThat(old.passed()).isFalse();
    assertThat(old.problems())
        .containsExactly(
            "profiles quarantined 5 of 10 rows (50.00% > 5.00%)",
            "logins was not ingested", "payments was not ingested");
    assertThat(new QualityGate.Failed(old).getMessage())
        .startsWith("quality gate failed for 2026-10-30: profiles quarantined");
  }

  @Test
  void overThresholdAndEmptyRequiredTablesFail() {
    String wh =
        warehouse(
            List.of(
                row(D2, "profiles", 100, 0),
                row(D2, "logins", 1000, 51),
                row(D2, "payments", 0, 0),
                row(D2, "labels", 10, 9)));
    QualityGate.Verdict v = QualityGate.check(spark(), wh, D2, 0.05);
    assertThat(v.problems())
        .containsExactly(
            "logins quarantined 51 of 1,000 rows (5.10% > 5.00%)",
            "payments is empty", "labels quarantined 9 of 10 rows (90.00% > 5.00%)");
    // A looser gate lets the quarantine through but never an empty required table.
    assertThat(QualityGate.check(spark(), wh, D2, 1.0).problems())
        .containsExactly("payments is empty");
  }

  @Test
  void anIncrementMayBringNoProfilesOrPaymentsButNeverNoSignIns() {
    String wh =
        warehouse(
            List.of(
                increment(D1, "profiles", 0),
                increment(D1, "logins", 1000),
                increment(D1, "payments", 0),
                increment(D2, "profiles", 3),
                increment(D2, "logins", 0),
                increment(D2, "payments", 40)));
    assertThat(QualityGate.check(spark(), wh, D1, 0.05).passed()).isTrue();
    assertThat(QualityGate.check(spark(), wh, D2, 0.05).problems())
        .containsExactly("logins is empty");
  }

  @Test
  void noIngestAtAllOrABadThresholdIsAClearError() {
    String empty = tempDir("gate-empty").toString();
    assertThatThrownBy(() -> QualityGate.check(spark(), empty, D2, 0.05))
        .isInstanceOf(IngestJob.InputException.class)
        .hasMessageContaining("run ingest first");
    assertThatThrownBy(() -> QualityGate.check(spark(), empty, D2, 1.5))
        .hasMessageStartingWith("Invalid --max-quarantine-share");
  }
}
