package io.unmask.ingest;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.unmask.common.Cols;
import io.unmask.common.Progress;
import io.unmask.common.Tables;
import io.unmask.io.DeltaIO;
import io.unmask.io.Inputs;
import io.unmask.testing.Fixtures;
import io.unmask.testing.SparkTest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** Daily increments on top of a snapshot: each event once, profile history, reruns of a day. */
class StoreTest extends SparkTest {
  static final LocalDate DAY1 = LocalDate.parse("2026-03-03");
  static final LocalDate DAY2 = LocalDate.parse("2026-03-04");

  private static IngestJob.Result ingest(Path in, Path wh, LocalDate asOf, Store.Mode mode) {
    return IngestJob.run(
        spark(),
        new IngestJob.Options(in.toString(), wh.toString(), asOf, "run-" + asOf, false)
            .withMode(mode),
        new Progress(new PrintStream(new ByteArrayOutputStream())));
  }

  /** The first load: the fixtures' snapshot plus a label. */
  private static Path snapshot() {
    Path in = Fixtures.minimalInput("snap");
    Fixtures.write(
        in, "labels.csv", "account_id,label,labeled_at\n" + "a1,1,2026-03-02T00:00:00Z\n");
    return in;
  }

  /**
   * The next day: a new sign-in, e2 delivered again, e4 late (its ts a day earlier), a new account
   * a3, a2's changed name, an orphan, the same label again plus a new one.
   */
  private static Path increment(String name, boolean withLate, String a2Name) {
    Path in = SparkTest.tempDir(name);
    Fixtures.write(
        in,
        "profiles.csv",
        "account_id,created_at,display_name,claimed_country,claimed_timezone,hourly_rate\n"
            + "a2,2025-02-01,"
            + a2Name
            + ",JP,Asia/Tokyo,55.5\n"
            + "a3,2026-03-04T08:00:00Z,New Person,DE,Europe/Berlin,30\n");
    Fixtures.write(
        in,
        "logins.csv",
        "event_id,account_id,ts,ip,device_id\n"
            + "e3,a1,2026-03-04T09:00:00Z,8.8.8.8,d1\n"
            + "e2,a2,2026-03-02T10:00:00Z,2001:db8::1,d2\n"
            + (withLate ? "e4,a2,2026-03-02T12:00:00Z,2001:db8::1,d2\n" : "")
            + "e5,a3,2026-03-04T10:00:00Z,9.9.9.9,d3\n"
            + "e6,zz,2026-03-04T11:00:00Z,9.9.9.9,d3\n");
    Fixtures.write(
        in,
        "payments.csv",
        "payment_id,account_id,ts,kind,amount\n" + "p2,a1,2026-03-04T12:00:00Z,earning,50\n");
    Fixtures.write(
        in,
        "labels.csv",
        "account_id,label,labeled_at\n"
            + "a1,1,2026-03-02T00:00:00Z\n"
            + "a2,0,2026-03-04T00:00:00Z\n");
    return in;
  }

  private static List<String> ids(org.apache.spark.sql.Dataset<Row> rows, String column) {
    return rows.select(column).orderBy(column).as(Encoders.STRING()).collectAsList();
  }

  private static String name(Path wh, LocalDate day, String account) {
    return Inputs.profiles(spark(), wh.toString(), day)
        .filter(col(Cols.ACCOUNT_ID).equalTo(account))
        .select(Cols.DISPLAY_NAME)
        .as(Encoders.STRING())
        .first();
  }

  @Test
  void incrementsStoreEachEventOnceLateInItsDayAndProfilesAsHistory() {
    Path wh = SparkTest.tempDir("wh-inc");
    IngestJob.Result first = ingest(snapshot(), wh, DAY1, Store.Mode.SNAPSHOT);
    assertThat(first.table(Tables.LOGINS).orElseThrow().stored()).isEqualTo(2);

    IngestJob.Result r =
        ingest(increment("inc", true, "Kenji Sato"), wh, DAY2, Store.Mode.INCREMENT);

    // a1 has no profile in the increment but one in the warehouse: not an orphan; zz has none
    IngestJob.TableReport logins = r.table(Tables.LOGINS).orElseThrow();
    assertThat(logins.byRule()).containsExactlyEntriesOf(java.util.Map.of("orphan_account", 1L));
    assertThat(logins.accepted()).isEqualTo(4);
    assertThat(logins.stored()).isEqualTo(3); // e2 was stored on day 1
    org.apache.spark.sql.Dataset<Row> stored = DeltaIO.read(spark(), wh.toString(), Tables.LOGINS);
    assertThat(ids(stored, Cols.EVENT_ID)).containsExactly("e1", "e2", "e3", "e4", "e5");
    Row e4 = stored.filter(col(Cols.EVENT_ID).equalTo("e4")).first();
    assertThat(e4.<java.sql.Date>getAs(Cols.EVENT_DATE).toLocalDate())
        .isEqualTo(LocalDate.parse("2026-03-02"));
    assertThat(e4.<java.sql.Date>getAs(Cols.INGESTED_ON).toLocalDate()).isEqualTo(DAY2);
    // the late event counts in every window that covers its day, later ones not in earlier days
    assertThat(ids(Inputs.logins(spark(), wh.toString(), DAY1), Cols.EVENT_ID))
        .containsExactly("e1", "e2", "e4");
    assertThat(ids(Inputs.logins(spark(), wh.toString(), DAY2), Cols.EVENT_ID))
        .containsExactly("e1", "e2", "e3", "e4", "e5");

    // profiles: a2's name changed on day 2, a3 is new; a1 (not delivered) keeps its version
    assertThat(r.table(Tables.PROFILES).orElseThrow().stored()).isEqualTo(2);
    assertThat(name(wh, DAY1, "a2")).isEqualTo("Ken Sato");
    assertThat(name(wh, DAY2, "a2")).isEqualTo("Kenji Sato");
    assertThat(ids(Inputs.profiles(spark(), wh.toString(), DAY1), Cols.ACCOUNT_ID))
        .containsExactly("a1", "a2");
    assertThat(ids(Inputs.profiles(spark(), wh.toString(), DAY2), Cols.ACCOUNT_ID))
        .containsExactly("a1", "a2", "a3");
    List<Row> a2 =
        Inputs.profileHistory(spark(), wh.toString(), DAY2)
            .filter(col(Cols.ACCOUNT_ID).equalTo("a2"))
            .orderBy(Cols.VALID_FROM)
            .collectAsList();
    assertThat(a2).hasSize(2);
    assertThat(a2.get(0).<java.sql.Date>getAs(Cols.VALID_FROM).toLocalDate())
        .isEqualTo(LocalDate.parse("2025-02-01"));
    assertThat(a2.get(0).<java.sql.Date>getAs(Cols.VALID_TO).toLocalDate()).isEqualTo(DAY2);
    assertThat(a2.get(1).<java.sql.Date>getAs(Cols.VALID_TO)).isNull();

    // the change becomes a feature: a new name on day 2 (not on day 1)
    Row change =
        io.unmask.features.ProfileChanges.perAccount(
                Inputs.profileHistory(spark(), wh.toString(), DAY2),
                DAY2,
                io.unmask.features.FeatureConfig.defaults())
            .filter(col(Cols.ACCOUNT_ID).equalTo("a2"))
            .first();
    assertThat(change.<Long>getAs(io.unmask.common.FeatureCols.IDENTITY_CHANGES)).isEqualTo(1L);
    assertThat(change.<Long>getAs(io.unmask.common.FeatureCols.CLAIM_CHANGES)).isZero();
    assertThat(change.<String>getAs(io.unmask.common.FeatureCols.IDENTITY_CHANGED))
        .isEqualTo("name");
    assertThat(
            io.unmask.features.ProfileChanges.perAccount(
                    Inputs.profileHistory(spark(), wh.toString(), DAY1),
                    DAY1,
                    io.unmask.features.FeatureConfig.defaults())
                .count())
        .isZero();

    // labels accumulate, the one delivered again is stored once
    assertThat(r.table(Tables.LABELS).orElseThrow().stored()).isEqualTo(1);
    assertThat(DeltaIO.read(spark(), wh.toString(), Tables.LABELS).count()).isEqualTo(2);
    assertThat(Inputs.labels(spark(), wh.toString(), DAY1).count()).isEqualTo(1);
  }

  @Test
  void aRerunOfADayReplacesExactlyItsContribution() {
    Path wh = SparkTest.tempDir("wh-rerun");
    ingest(snapshot(), wh, DAY1, Store.Mode.SNAPSHOT);
    ingest(increment("inc-a", true, "Kenji Sato"), wh, DAY2, Store.Mode.INCREMENT);
    java.util.Map<String, Long> before = counts(wh);

    // the same day again (an Airflow retry): nothing changes
    ingest(increment("inc-b", true, "Kenji Sato"), wh, DAY2, Store.Mode.INCREMENT);
    assertThat(counts(wh)).isEqualTo(before);

    // a corrected export of the day: without e4, with another name; day 1 stays as it was
    ingest(increment("inc-c", false, "K. Sato"), wh, DAY2, Store.Mode.INCREMENT);
    assertThat(ids(DeltaIO.read(spark(), wh.toString(), Tables.LOGINS), Cols.EVENT_ID))
        .containsExactly("e1", "e2", "e3", "e5");
    assertThat(name(wh, DAY2, "a2")).isEqualTo("K. Sato");
    assertThat(name(wh, DAY1, "a2")).isEqualTo("Ken Sato");
    assertThat(DeltaIO.read(spark(), wh.toString(), Tables.PROFILES).count()).isEqualTo(4);
    assertThat(
            DeltaIO.read(spark(), wh.toString(), Tables.INGEST_REPORT)
                .filter(col(Cols.AS_OF).equalTo(java.sql.Date.valueOf(DAY2)))
                .count())
        .isEqualTo(4);

    // the whole history again as a snapshot stores nothing new
    IngestJob.Result again = ingest(snapshot(), wh, DAY2, Store.Mode.SNAPSHOT);
    assertThat(again.table(Tables.LOGINS).orElseThrow().stored()).isZero();
  }

  @Test
  void aWarehouseInTheOldPerAsOfLayoutIsRefusedByIngestAndAnalysis() {
    Path wh = SparkTest.tempDir("old-layout");
    // what an older Unmask wrote: one full copy of the sign-ins per as_of
    spark()
        .sql("SELECT 'e1' AS event_id, 'a1' AS account_id, DATE'2026-03-02' AS as_of")
        .write()
        .format("delta")
        .partitionBy(Cols.AS_OF)
        .save(wh.resolve(Tables.LOGINS).toString());
    String expected = "written by an older Unmask (one copy of logins per as_of)";

    assertThatThrownBy(() -> ingest(snapshot(), wh, DAY1, Store.Mode.SNAPSHOT))
        .isInstanceOf(IngestJob.InputException.class)
        .hasMessageContaining(expected);
    assertThatThrownBy(
            () ->
                io.unmask.pipeline.PipelineJob.analyse(
                    spark(),
                    wh.toString(),
                    DAY1,
                    "run-old",
                    io.unmask.pipeline.PipelineJob.Settings.defaults(),
                    new Progress(new PrintStream(new ByteArrayOutputStream()))))
        .isInstanceOf(IngestJob.InputException.class)
        .hasMessageContaining(expected);
    // nothing was written beside the old table
    assertThat(DeltaIO.exists(spark(), wh.toString(), Tables.PROFILES)).isFalse();
  }

  private static java.util.Map<String, Long> counts(Path wh) {
    java.util.Map<String, Long> out = new java.util.TreeMap<>();
    for (String t : Tables.INPUT_TABLES) {
      out.put(t, DeltaIO.read(spark(), wh.toString(), t).count());
    }
    out.put("logins@" + DAY1, Inputs.logins(spark(), wh.toString(), DAY1).count());
    return out;
  }
}
