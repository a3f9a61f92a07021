package io.unmask.review;

import static org.apache.spark.sql.functions.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.unmask.common.Cols;
import io.unmask.common.Schemas;
import io.unmask.common.Tables;
import io.unmask.ingest.IngestJob;
import io.unmask.io.DeltaIO;
import io.unmask.testing.Fixtures;
import io.unmask.testing.SparkTest;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** Decisions recorded by {@code review} become the next run's labels; bad ones are quarantined. */
class DecisionsTest extends SparkTest {
  static final LocalDate DAY = LocalDate.parse("2026-03-01");
  static final Instant NOW = Instant.parse("2026-03-02T09:00:00Z");

  /** A warehouse with profiles a1..a4 and the export's labels a1 = 1, a2 = 0 (of 2026-02-01). */
  static String warehouse() {
    String wh = tempDir("review-wh").toString();
    StructType profiles =
        new StructType()
            .add(Cols.ACCOUNT_ID, DataTypes.StringType)
            .add(Cols.VALID_FROM, DataTypes.DateType)
            .add(Cols.INGESTED_ON, DataTypes.DateType);
    List<Row> ids =
        List.of("a1", "a2", "a3", "a4").stream()
            .map(a -> RowFactory.create(a, Date.valueOf(DAY), Date.valueOf(DAY)))
            .toList();
    spark()
        .createDataFrame(ids, profiles)
        .write()
        .format("delta")
        .save(Tables.path(wh, Tables.PROFILES));
    StructType labels =
        new StructType()
            .add(Cols.ACCOUNT_ID, DataTypes.StringType)
            .add(Cols.LABEL, DataTypes.IntegerType)
            .add(Cols.LABELED_AT, DataTypes.TimestampType)
            .add(Cols.SOURCE, DataTypes.StringType)
            .add(Cols.INGESTED_ON, DataTypes.DateType);
    Timestamp feb = Timestamp.from(Instant.parse("2026-02-01T00:00:00Z"));
    spark()
        .createDataFrame(
            List.of(
                RowFactory.create("a1", 1, feb, "investigation", Date.valueOf(DAY)),
                RowFactory.create("a2", 0, feb, "appeal", Date.valueOf(DAY))),
            labels)
        .write()
        .format("delta")
        .save(Tables.path(wh, Tables.LABELS));
    return wh;
  }

  static Map<String, Integer> labels(String wh) {
    Map<String, Integer> out = new TreeMap<>();
    for (Row r : Labels.effective(spark(), wh, DAY).collectAsList()) {
      out.put(r.getString(0), r.getInt(1));
    }
    return out;
  }

  @Test
  void decisionsRoundTripIntoLabelsLatestWinsAndUnsureIsNoLabel() {
    String wh = warehouse();
    assertThat(labels(wh)).isEqualTo(Map.of("a1", 1, "a2", 0));

    Decisions.recordOne(
        spark(), wh, "a2", Decisions.Decision.concealed, "same payout as a1", "ana", NOW, "r1");
    Decisions.recordOne(
        spark(), wh, "a3", Decisions.Decision.genuine, null, "ana", NOW.plusSeconds(1), "r2");
    Decisions.recordOne(
        spark(), wh, "a1", Decisions.Decision.unsure, "appeal pending", "bo", NOW, "r3");
    Decisions.recordOne(
        spark(), wh, "a4", Decisions.Decision.unsure, null, "bo", NOW.plusSeconds(2), "r4");

    // a2's newer decision overrides the export, a3 gains a label, a1's newer "unsure" withdraws
    // its label, a4's "unsure" adds none
    assertThat(labels(wh)).isEqualTo(Map.of("a2", 1, "a3", 0));

    Row a2 = Decisions.read(spark(), wh).filter(col(Cols.ACCOUNT_ID).equalTo("a2")).first();
    assertThat(a2.<String>getAs(Cols.NOTE)).isEqualTo("same payout as a1");
    assertThat(a2.<String>getAs(Cols.DECIDED_BY)).isEqualTo("ana");
    assertThat(a2.<Timestamp>getAs(Cols.DECIDED_AT).toInstant()).isEqualTo(NOW);

    // a newer export label wins over an older decision again
    spark()
        .createDataFrame(
            List.of(
                RowFactory.create(
                    "a2", 0, Timestamp.from(NOW.plusSeconds(60)), "appeal", Date.valueOf(DAY))),
            DeltaIO.read(spark(), wh, Tables.LABELS).schema())
        .write()
        .format("delta")
        .mode(SaveMode.Append)
        .save(Tables.path(wh, Tables.LABELS));
    assertThat(labels(wh)).containsEntry("a2", 0);
  }

  @Test
  void anUnknownAccountIsRefusedAndNothingIsWritten() {
    String wh = warehouse();
    assertThatThrownBy(
            () ->
                Decisions.recordOne(
                    spark(), wh, "zz", Decisions.Decision.concealed, null, "ana", NOW, "r1"))
        .isInstanceOf(IngestJob.InputException.class)
        .hasMessageContaining("zz is not among the profiles of 2026-03-01");
    assertThat(DeltaIO.exists(spark(), wh, Tables.DECISIONS)).isFalse();
  }

  @Test
  void aBadDecisionsFileIsQuarantinedRowByRowAndIngestDoesNotEraseIt() {
    String wh = warehouse();
    Path dir = tempDir("decisions");
    Path file =
        Fixtures.write(
            dir,
            "decisions.csv",
            "account_id,decision,note,decided_by,decided_at\n"
                + "a3,Concealed,\"shares a laptop, with a1\",cy,2026-03-01T10:00:00Z\n"
                + "a4,maybe,,cy,\n"
                + ",genuine,,cy,\n"
                + "zz,genuine,,cy,\n"
                + "a4,genuine,,cy,last tuesday\n"
                + "a4,genuine,,cy,2099-01-01T00:00:00Z\n"
                + "a2,genuine,=HYPERLINK(\"x\"),,\n");

    Decisions.FileResult r = Decisions.recordFile(spark(), wh, file.toString(), "ana", NOW, "r9");

    assertThat(r.read()).isEqualTo(7);
    assertThat(r.accepted()).isEqualTo(2);
    assertThat(r.quarantinedByRule())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "bad_value:decision", 1L,
                "missing_required:account_id", 1L,
                "orphan_account", 1L,
                "bad_timestamp:decided_at", 1L,
                "future_timestamp:decided_at", 1L));
    List<Row> bad =
        DeltaIO.read(spark(), wh, Tables.QUARANTINE)
            .filter(col(Cols.SOURCE_TABLE).equalTo(Tables.DECISIONS))
            .orderBy(Cols.LINE)
            .collectAsList();
    assertThat(bad).hasSize(5);
    assertThat(bad.get(0).<String>getAs(Cols.RAW)).contains("maybe");
    assertThat(bad.get(0).<Long>getAs(Cols.LINE)).isEqualTo(3L);
    assertThat(bad.get(0).<String>getAs(Cols.RUN_ID)).isEqualTo("r9");

    // the good rows: a3 concealed at its own time, a2 genuine by the caller, note kept as text
    assertThat(labels(wh)).containsEntry("a3", 1).containsEntry("a2", 0);
    Row a2 = Decisions.read(spark(), wh).filter(col(Cols.ACCOUNT_ID).equalTo("a2")).first();
    assertThat(a2.<String>getAs(Cols.DECIDED_BY)).isEqualTo("ana");
    assertThat(a2.<String>getAs(Cols.NOTE)).isEqualTo("=HYPERLINK(\"x\")");
    assertThat(a2.<String>getAs(Cols.SOURCE)).isEqualTo("file:decisions.csv:8");

    // a rerun of ingest replaces the day's ingest quarantine, not the decisions' rows
    DeltaIO.replaceDay(
        spark().createDataFrame(List.of(), Schemas.QUARANTINE),
        wh,
        Tables.QUARANTINE,
        DAY,
        Cols.SOURCE_TABLE + " <> '" + Tables.DECISIONS + "'");
    assertThat(DeltaIO.read(spark(), wh, Tables.QUARANTINE).count()).isEqualTo(5);
  }

  @Test
  void aFileThatCannotBeUsedStopsBeforeWriting() {
    String wh = warehouse();
    Path dir = tempDir("decisions-bad");
    Path noDecision = Fixtures.write(dir, "d.csv", "account_id,note\na1,x\n");
    assertThatThrownBy(
            () -> Decisions.recordFile(spark(), wh, noDecision.toString(), "ana", NOW, "r1"))
        .isInstanceOf(IngestJob.InputException.class)
        .hasMessageContaining("decision");
    assertThatThrownBy(
            () ->
                Decisions.recordFile(
                    spark(), wh, dir.resolve("missing.csv").toString(), "ana", NOW, "r1"))
        .isInstanceOf(IngestJob.InputException.class)
        .hasMessageContaining("is not a file");
    assertThat(DeltaIO.exists(spark(), wh, Tables.DECISIONS)).isFalse();
    assertThat(DeltaIO.exists(spark(), wh, Tables.QUARANTINE)).isFalse();
  }
}
