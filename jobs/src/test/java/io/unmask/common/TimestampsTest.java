package io.unmask.common;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import io.unmask.testing.SparkTest;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class TimestampsTest extends SparkTest {

  private static Map<String, Instant> parsed(List<String> texts) {
    Map<String, Instant> out = new HashMap<>();
    for (Row r :
        spark()
            .createDataset(texts, Encoders.STRING())
            .select(col("value"), Timestamps.parse(col("value")).as("t"))
            .collectAsList()) {
      out.put(r.getString(0), r.isNullAt(1) ? null : ((Timestamp) r.get(1)).toInstant());
    }
    return out;
  }

  @Test
  void readsTheContractFormsAsUtc() {
    Map<String, Instant> p =
        parsed(
            List.of(
                "2025-09-30T14:05:00Z",
                "2025-09-30 14:05:00",
                "2025-09-30T14:05",
                "2025-09-30t14:05:00z",
                " 2025-09-30T14:05:00.123456Z ",
                "2025-09-30T14:05:00.123456789Z",
                "2025-09-30T23:05:00+09:00",
                "2025-09-30T23:05:00+0900",
                "2025-09-30T23:05+09",
                "2025-09-30T09:05:00-05:00",
                "2025-09-30"));
    Instant t = Instant.parse("2025-09-30T14:05:00Z");
    assertThat(p.get("2025-09-30T14:05:00Z")).isEqualTo(t);
    assertThat(p.get("2025-09-30 14:05:00")).isEqualTo(t);
    assertThat(p.get("2025-09-30T14:05")).isEqualTo(t);
    assertThat(p.get("2025-09-30t14:05:00z")).isEqualTo(t);
    assertThat(p.get(" 2025-09-30T14:05:00.123456Z ")).isEqualTo(t.plusNanos(123_456_000));
    assertThat(p.get("2025-09-30T14:05:00.123456789Z")).isEqualTo(t.plusNanos(123_456_000));
    assertThat(p.get("2025-09-30T23:05:00+09:00")).isEqualTo(t);
    assertThat(p.get("2025-09-30T23:05:00+0900")).isEqualTo(t);
    assertThat(p.get("2025-09-30T23:05+09")).isEqualTo(t);
    assertThat(p.get("2025-09-30T09:05:00-05:00")).isEqualTo(t);
    assertThat(p.get("2025-09-30")).isEqualTo(Instant.parse("2025-09-30T00:00:00Z"));
  }

  @Test
  void castsTheCanonicalFormAsItIsWithTheGeneralParsersResult() {
    List<String> canonical =
        List.of(
            "2025-09-30T14:05:00Z",
            "2025-09-30T14:05:00.1Z",
            "2025-09-30T14:05:00.123456Z",
            "2025-09-30T23:05:00+09:00",
            "2025-09-30T09:05:00-05:30",
            "2025-09-30T14:05:00+00:00",
            "2025-09-30T14:05:00+19:00",
            "2026-02-30T10:00:00Z",
            "2026-03-01T24:00:00Z");
    List<Row> rows =
        spark()
            .createDataset(canonical, Encoders.STRING())
            .select(
                col("value"),
                col("value").rlike(Timestamps.CANONICAL).as("fast"),
                Timestamps.parse(col("value")).as("parsed"),
                Timestamps.general(col("value")).as("general"))
            .collectAsList();
    assertThat(rows).hasSize(canonical.size());
    int nulls = 0;
    for (Row r : rows) {
      assertThat(r.getBoolean(1)).as(r.getString(0)).isTrue();
      assertThat(r.get(2)).as(r.getString(0)).isEqualTo(r.get(3));
      nulls += r.isNullAt(2) ? 1 : 0;
    }
    assertThat(nulls).isEqualTo(3); // +19:00, 30 February, 24:00
  }

  @Test
  void refusesBareTimesPartialDatesAndImpossibleValues() {
    List<String> bad =
        List.of(
            "12:00",
            "T12:00",
            "2025",
            "2025-06",
            "2025-6-1T10:00:00Z",
            "2025-09-30T14",
            "2025-09-30T14:05:00 UTC",
            "2025-09-30T14:05:00+19:00",
            "2026-02-30T10:00:00Z",
            "2026-03-01T25:61:00Z",
            "2026-03-01T24:00:00Z",
            "30/09/2025 14:05",
            "1727705100",
            "yesterday",
            "");
    Map<String, Instant> p = parsed(bad);
    for (String s : bad) {
      assertThat(p.get(s)).as(s).isNull();
    }
  }

  @Test
  void doesNotDependOnTheSessionTimeZone() {
    String zone = spark().conf().get("spark.sql.session.timeZone");
    try {
      spark().conf().set("spark.sql.session.timeZone", "Asia/Tokyo");
      assertThat(parsed(List.of("2025-09-30 14:05:00")).get("2025-09-30 14:05:00"))
          .isEqualTo(Instant.parse("2025-09-30T14:05:00Z"));
    } finally {
      spark().conf().set("spark.sql.session.timeZone", zone);
    }
  }
}
