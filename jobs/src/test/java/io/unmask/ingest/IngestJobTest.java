package io.unmask.ingest;

import static io.unmask.testing.Fixtures.write;
import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.unmask.common.Cols;
import io.unmask.common.Progress;
import io.unmask.common.Tables;
import io.unmask.io.DeltaIO;
import io.unmask.testing.Fixtures;
import io.unmask.testing.SparkTest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class IngestJobTest extends SparkTest {

  private static IngestJob.Result ingest(Path input, Path warehouse, LocalDate asOf) {
    return IngestJob.run(
        spark(),
        new IngestJob.Options(input.toString(), warehouse.toString(), asOf, "run-test", false),
        new Progress(new PrintStream(new ByteArrayOutputStream())));
  }

  private static Dataset<Row> table(Path warehouse, String table) {
    return DeltaIO.read(spark(), warehouse.toString(), table);
  }

  @Test
  void readsEveryFormatWithQuirks() throws Exception {
    Path in = SparkTest.tempDir("formats");
    // profiles: BOM, mixed-case header, an extra column, a quoted bio with comma and newline, CRLF
    write(
        in,
        "profiles.csv",
        "\uFEFFAccount_ID,Created_At,Display_Name,CLAIMED_COUNTRY,bio,favourite_colour\r\n"
            + "a1,2025-01-01T00:00:00Z,Ann Lee,us,\"Java, Spark\r\nand Delta\",blue\r\n"
            + "a2,2025-02-01,Ken Sato,JP,,green\r\n");
    // logins: a folder of gzipped CSV parts
    write(
        in,
        "logins/part-0001.csv.gz",
        "event_id,account_id,ts,ip\ne1,a1,2026-03-01T10:00:00+09:00,8.8.8.8\n");
    write(
        in,
        "logins/part-0002.csv.gz",
        "EVENT_ID,ACCOUNT_ID,TS,IP,SUCCESS\ne2,a2,2026-03-02 10:00:00,2001:db8::1,false\n");
    write(in, "logins/_SUCCESS", "");
    // payments: gzipped JSON Lines with numbers, mixed-case keys and an extra key
    write(
        in,
        "payments.jsonl.gz",
        "{\"payment_id\":\"p1\",\"Account_Id\":\"a1\",\"ts\":\"2026-03-03T00:00:00Z\",\"kind\":\"EARNING\",\"amount\":100.25,\"note\":{\"x\":1}}\n"
            + "\n"
            + "{\"payment_id\":\"p2\",\"account_id\":\"a1\",\"ts\":\"2026-03-04T00:00:00Z\",\"kind\":\"withdrawal\",\"amount\":1e2,\"method\":\"crypto\",\"payout_account\":\"TXyz\"}\n");
    // labels: Parquet written by Spark
    Path labelsDir = in.resolve("labels");
    spark()
        .sql("select 'a2' as ACCOUNT_ID, 1L as label, timestamp'2026-03-01 00:00:00' as labeled_at")
        .write()
        .parquet(labelsDir.toString());
    Path wh = SparkTest.tempDir("wh");

    IngestJob.Result r = ingest(in, wh, null);

    assertThat(r.asOf()).isEqualTo(LocalDate.parse("2026-03-04"));
    for (String t : List.of(Tables.PROFILES, Tables.LOGINS, Tables.PAYMENTS, Tables.LABELS)) {
      assertThat(r.table(t).orElseThrow().quarantined()).as(t).isZero();
    }
    Row a1 = table(wh, Tables.PROFILES).filter(col(Cols.ACCOUNT_ID).equalTo("a1")).first();
    assertThat(a1.<String>getAs(Cols.BIO)).isEqualTo("Java, Spark\r\nand Delta");
    assertThat(a1.<String>getAs(Cols.CLAIMED_COUNTRY)).isEqualTo("US");
    Map<String, Row> logins =
        Map.of(
            "e1", table(wh, Tables.LOGINS).filter(col(Cols.EVENT_ID).equalTo("e1")).first(),
            "e2", table(wh, Tables.LOGINS).filter(col(Cols.EVENT_ID).equalTo("e2")).first());
    assertThat(logins.get("e1").<java.sql.Timestamp>getAs(Cols.TS).toInstant().toString())
        .isEqualTo("2026-03-01T01:00:00Z");
    assertThat(logins.get("e1").<Integer>getAs(Cols.IP_VERSION)).isEqualTo(4);
    assertThat(logins.get("e1").<Boolean>getAs(Cols.SUCCESS)).isTrue();
    assertThat(logins.get("e2").<Integer>getAs(Cols.IP_VERSION)).isEqualTo(6);
    assertThat(logins.get("e2").<Boolean>getAs(Cols.SUCCESS)).isFalse();
    Row p1 = table(wh, Tables.PAYMENTS).filter(col(Cols.PAYMENT_ID).equalTo("p1")).first();
    assertThat(p1.<String>getAs(Cols.KIND)).isEqualTo("earning");
    assertThat(p1.<java.math.BigDecimal>getAs(Cols.AMOUNT)).isEqualByComparingTo("100.25");
    assertThat(p1.<String>getAs(Cols.CURRENCY)).isEqualTo("USD");
    Row p2 = table(wh, Tables.PAYMENTS).filter(col(Cols.PAYMENT_ID).equalTo("p2")).first();
    assertThat(p2.<java.math.BigDecimal>getAs(Cols.AMOUNT)).isEqualByComparingTo("100");
    assertThat(table(wh, Tables.LABELS).first().<Integer>getAs(Cols.LABEL)).isEqualTo(1);
    assertThat(table(wh, Tables.IP_RANGES).count()).isGreaterThan(200_000);
    assertThat(
            table(wh, Tables.SANCTIONED_ADDRESSES)
                .filter(col(Cols.PROGRAMS).contains("DPRK"))
                .count())
        .isPositive();
  }

  @Test
  void readsDeltaInput() {
    Path in = Fixtures.minimalInput("delta-in");
    Path logins = in.resolve("logins.csv");
    spark()
        .read()
        .option("header", "true")
        .csv(logins.toString())
        .write()
        .format("delta")
        .save(in.resolve("logins").toString());
    logins.toFile().delete();
    Path wh = SparkTest.tempDir("wh");
    IngestJob.Result r = ingest(in, wh, null);
    assertThat(r.table(Tables.LOGINS).orElseThrow().accepted()).isEqualTo(2);
  }

  @Test
  void typesEachValueOnceNotOncePerRule() {
    // not a local relation: the optimizer would evaluate the projections over it and drop them
    Dataset<Row> raw =
        spark()
            .range(1)
            .select(
                java.util.Arrays.stream(
                        io.unmask.io.RawTables.rawSchema(io.unmask.common.Schemas.LOGINS_SPEC)
                            .fields())
                    .map(f -> col("id").cast(f.dataType()).as(f.name()))
                    .toArray(org.apache.spark.sql.Column[]::new));
    String plan =
        Validation.rowLevel(raw, io.unmask.common.Schemas.LOGINS_SPEC)
            .queryExecution()
            .optimizedPlan()
            .toString();
    // the IP parser and the timestamp's first match each appear once, though the bad-value rule,
    // the IP version and the output all read them
    assertThat(plan.split("(?i)ip_bytes\\(", -1)).hasSize(2);
    // the timestamp parser appears once: its canonical fast path and its general form's gate
    assertThat(plan.split("(?i)rlike\\(", -1)).hasSize(3);
  }

  @Test
  void everyRuleQuarantinesWithFileLineAndRawRow() {
    Path in = SparkTest.tempDir("rules");
    write(
        in,
        "profiles.csv",
        Fixtures.PROFILES_CSV
            + "a1,2025-03-01,Dup Ann,US,,\n" // line 4: duplicate key
            + "a3,,No Date,US,,\n" // line 5: missing created_at
            + "a4,yesterday,Bad Date,US,,\n" // line 6: bad timestamp
            + "a5,2025-01-01,Bad Rate,US,,forty\n" // line 7: bad number
            + ",not-a-date,Both Bad,,,\n" // line 8: first fault wins: account_id
            + "a6,2025-01-01,Short\n"); // line 9: cut short
    write(
        in,
        "logins.csv",
        Fixtures.LOGINS_CSV
            + "e3,a1,2026-03-01T11:00:00Z,999.1.1.1,d1\n" // bad ip
            + "e4,a1,2026-03-01T11:00:00Z,,d1\n" // missing ip
            + "e5,zz,2026-03-01T11:00:00Z,1.1.1.1,d1\n" // orphan
            + "e1,a1,2026-03-01T10:00:00Z,8.8.8.8,d1\n" // duplicate of line 2
            + "e6,a3,2026-03-01T10:00:00Z,8.8.8.8,d1\n"); // orphan: a3 was quarantined
    write(
        in,
        "payments.jsonl",
        "{\"payment_id\":\"p1\",\"account_id\":\"a1\",\"ts\":\"2026-03-03T00:00:00Z\",\"kind\":\"earning\",\"amount\":100}\n"
            + "{\"payment_id\":\"p2\",\"account_id\":\"a1\",\"ts\":\"2026-03-03T00:00:00Z\",\"kind\":\"refund\",\"amount\":1}\n"
            + "{\"payment_id\":\"p3\",\"account_id\":\"a1\",\"ts\":\"2026-03-03T00:00:00Z\",\"kind\":\"earning\",\"amount\":-5}\n"
            + "{\"payment_id\":\"p4\",\"account_id\":\"a1\",\"ts\":\"2026-03-03T00:00:00Z\",\"kind\":\"earning\",\"amount\":\"12 USD\"}\n"
            + "{\"payment_id\": \"p5\", broken\n"
            + "[1,2]\n");
    write(in, "labels.csv", "account_id,label\na1,1\na2,2\na2,x\nzz,0\n");
    Path wh = SparkTest.tempDir("wh");

    IngestJob.Result r = ingest(in, wh, LocalDate.parse("2026-03-05"));

    assertThat(r.table(Tables.PROFILES).orElseThrow().byRule())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "duplicate_key:account_id", 1L,
                "missing_required:created_at", 1L,
                "bad_timestamp:created_at", 1L,
                "bad_number:hourly_rate", 1L,
                "missing_required:account_id", 1L,
                "malformed_record:too_few_fields", 1L));
    assertThat(r.table(Tables.LOGINS).orElseThrow().byRule())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "bad_ip:ip", 1L,
                "missing_required:ip", 1L,
                "orphan_account", 2L,
                "duplicate_key:event_id", 1L));
    assertThat(r.table(Tables.PAYMENTS).orElseThrow().byRule())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "bad_value:kind", 1L,
                "negative_amount:amount", 1L,
                "bad_number:amount", 1L,
                "malformed_record:invalid_json", 1L,
                "malformed_record:not_an_object", 1L));
    assertThat(r.table(Tables.LABELS).orElseThrow().byRule())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("bad_value:label", 1L, "bad_number:label", 1L, "orphan_account", 1L));
    for (IngestJob.TableReport t : r.tables()) {
      assertThat(t.rowsRead()).isEqualTo(t.accepted() + t.quarantined());
    }

    Dataset<Row> q = table(wh, Tables.QUARANTINE);
    assertThat(q.count())
        .isEqualTo(r.tables().stream().mapToLong(IngestJob.TableReport::quarantined).sum());
    Row dup = q.filter(col(Cols.RULE).equalTo("duplicate_key:account_id")).first();
    assertThat(dup.<String>getAs(Cols.SOURCE_FILE)).isEqualTo("profiles.csv");
    assertThat(dup.<Long>getAs(Cols.LINE)).isEqualTo(4L);
    assertThat(dup.<String>getAs(Cols.RAW)).isEqualTo("a1,2025-03-01,Dup Ann,US,,");
    Row broken = q.filter(col(Cols.RULE).equalTo("malformed_record:invalid_json")).first();
    assertThat(broken.<Long>getAs(Cols.LINE)).isEqualTo(5L);
    assertThat(broken.<String>getAs(Cols.RAW)).isEqualTo("{\"payment_id\": \"p5\", broken");
    // the kept duplicate is the first one read
    assertThat(
            table(wh, Tables.PROFILES)
                .filter(col(Cols.ACCOUNT_ID).equalTo("a1"))
                .first()
                .<String>getAs(Cols.DISPLAY_NAME))
        .isEqualTo("Ann Lee");
    Row report =
        table(wh, Tables.INGEST_REPORT)
            .filter(col(Cols.SOURCE_TABLE).equalTo(Tables.LOGINS))
            .first();
    assertThat(report.<Long>getAs(Cols.ROWS_READ)).isEqualTo(7L);
    assertThat(report.<Long>getAs(Cols.ACCEPTED)).isEqualTo(2L);
    assertThat(report.<Long>getAs(Cols.QUARANTINED)).isEqualTo(5L);
  }

  @Test
  void strictTimestampsAndFutureEventsNeverMoveTheRunsDay() {
    Path in = SparkTest.tempDir("future");
    write(in, "profiles.csv", Fixtures.PROFILES_CSV);
    write(
        in,
        "logins.csv",
        Fixtures.LOGINS_CSV
            + "e3,a1,2026-03-02T18:00:00Z,8.8.8.8,d1\n"
            + "e4,a2,2026-03-02 19:00:00,8.8.8.8,d2\n"
            + "e5,a1,12:00,8.8.8.8,d1\n" // a bare time: not today at noon
            + "e6,a1,2026,8.8.8.8,d1\n" // a partial date
            + "e7,a1,2099-01-01T00:00:00Z,8.8.8.8,d1\n" // one stray row far ahead
            + "e8,a1,2026-03-03T00:30:00Z,8.8.8.8,d1\n" // the next day, within the allowance
            + "e7,a1,2026-03-02T20:00:00Z,8.8.8.8,d1\n"); // a future row does not take its key
    write(in, "payments.csv", "payment_id,account_id,ts,kind,amount\n");
    Path wh = SparkTest.tempDir("wh");

    IngestJob.Result r = ingest(in, wh, null);

    // 03-02 holds four sign-ins; 03-03 and 2099 one each: too few to be the run's day
    assertThat(r.asOf()).isEqualTo(LocalDate.parse("2026-03-02"));
    assertThat(r.table(Tables.LOGINS).orElseThrow().byRule())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("bad_timestamp:ts", 2L, "future_timestamp:ts", 1L));
    assertThat(
            table(wh, Tables.QUARANTINE)
                .filter(col(Cols.RULE).equalTo("future_timestamp:ts"))
                .first()
                .<Long>getAs(Cols.LINE))
        .isEqualTo(8L); // the 2099 row
    assertThat(table(wh, Tables.LOGINS).select(Cols.EVENT_ID).as(Encoders.STRING()).collectAsList())
        .containsExactlyInAnyOrder("e1", "e2", "e3", "e4", "e8", "e7");

    // a given --as-of with no allowance: everything after its end is in the future
    IngestJob.Result strict =
        IngestJob.run(
            spark(),
            new IngestJob.Options(
                in.toString(),
                SparkTest.tempDir("wh").toString(),
                LocalDate.parse("2026-03-01"),
                "run-test",
                false,
                java.time.Duration.ZERO),
            new Progress(new PrintStream(new ByteArrayOutputStream())));
    assertThat(strict.table(Tables.LOGINS).orElseThrow().byRule())
        .containsEntry("future_timestamp:ts", 6L)
        .containsEntry("bad_timestamp:ts", 2L);
  }

  @Test
  void theRunsDayIsTheLastDayWithATypicalShareOfRows() {
    java.util.TreeMap<LocalDate, Long> days = new java.util.TreeMap<>();
    for (int d = 1; d <= 20; d++) {
      days.put(LocalDate.of(2026, 3, d), 1_000L);
    }
    days.put(LocalDate.of(2026, 3, 21), 60L); // a short last day still counts (5 % of 1,000)
    assertThat(IngestJob.asOfFrom(days)).isEqualTo(LocalDate.of(2026, 3, 21));
    days.put(LocalDate.of(2026, 3, 22), 3L); // a few rows from a clock gone wrong do not
    days.put(LocalDate.of(2099, 1, 1), 1L);
    assertThat(IngestJob.asOfFrom(days)).isEqualTo(LocalDate.of(2026, 3, 21));
    // a handful of rows in all: the latest day
    assertThat(
            IngestJob.asOfFrom(
                new java.util.TreeMap<>(
                    Map.of(LocalDate.of(2026, 3, 1), 1L, LocalDate.of(2026, 3, 2), 1L))))
        .isEqualTo(LocalDate.of(2026, 3, 2));
  }

  @Test
  void missingRequiredTableOrColumnStopsBeforeWriting() {
    Path in = SparkTest.tempDir("missing");
    write(in, "profiles.csv", Fixtures.PROFILES_CSV);
    write(in, "logins.csv", "event_id,account_id,timestamp,ip\ne1,a1,2026-03-01,1.1.1.1\n");
    Path wh = SparkTest.tempDir("wh");
    assertThatThrownBy(() -> ingest(in, wh, null))
        .isInstanceOf(IngestJob.InputException.class)
        .hasMessageContaining("required table payments is missing")
        .hasMessageContaining("table logins lacks required column ts");
    assertThat(wh.toFile().list()).isEmpty();
  }

  @Test
  void rerunsAndLaterSnapshotsStoreEachEventOnce() {
    Path in = Fixtures.minimalInput("rerun");
    Path wh = SparkTest.tempDir("wh");
    IngestJob.Result first = ingest(in, wh, LocalDate.parse("2026-03-03"));
    assertThat(first.table(Tables.LOGINS).orElseThrow().stored()).isEqualTo(2);
    ingest(in, wh, LocalDate.parse("2026-03-03"));
    IngestJob.Result later = ingest(in, wh, LocalDate.parse("2026-03-04"));
    // the same snapshot a day later: every event accepted, none stored again
    assertThat(later.table(Tables.LOGINS).orElseThrow().accepted()).isEqualTo(2);
    assertThat(later.table(Tables.LOGINS).orElseThrow().stored()).isZero();
    assertThat(later.table(Tables.PROFILES).orElseThrow().stored()).isZero();
    Dataset<Row> logins = table(wh, Tables.LOGINS);
    assertThat(logins.count()).isEqualTo(2);
    assertThat(logins.filter(col(Cols.INGESTED_ON).equalTo("2026-03-03")).count()).isEqualTo(2);
    assertThat(table(wh, Tables.PROFILES).count())
        .isEqualTo(first.table(Tables.PROFILES).orElseThrow().accepted());
    assertThat(table(wh, Tables.INGEST_REPORT).count()).isEqualTo(6); // 3 tables x 2 days
  }

  @Test
  void userIpRangesExtendTheShippedOnes() throws Exception {
    Path in = Fixtures.minimalInput("ranges");
    write(
        in,
        "ip_ranges.csv",
        "start_ip,end_ip,country,asn,as_name\n"
            + "10.0.0.0,10.0.0.255,US,9009,M247\n"
            + "10.0.1.0,10.0.0.1,US,,\n" // end before start
            + "2001:db8::,2001:db8::ffff,DE,64500,Example\n");
    Path wh = SparkTest.tempDir("wh");
    IngestJob.Result r = ingest(in, wh, null);
    assertThat(r.table(Tables.IP_RANGES).orElseThrow().byRule())
        .containsExactlyEntriesOf(Map.of("bad_range:end_ip", 1L));
    Dataset<Row> ranges = table(wh, Tables.IP_RANGES);
    Row m247 =
        ranges.filter(col(Cols.ORIGIN).equalTo("input").and(col(Cols.ASN).equalTo(9009))).first();
    assertThat(m247.<Boolean>getAs(Cols.IS_VPN)).isTrue();
    assertThat(m247.<Boolean>getAs(Cols.IS_HOSTING)).isTrue();
    assertThat(ranges.filter(col(Cols.ORIGIN).startsWith("shipped")).count())
        .isGreaterThan(200_000);
    assertThat(Files.exists(wh.resolve(Tables.QUARANTINE))).isTrue();
  }
}
