package io.unmask.review;

import static org.assertj.core.api.Assertions.assertThat;

import io.unmask.common.Cols;
import io.unmask.common.Schemas;
import io.unmask.testing.SparkTest;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** Which accounts are still to review, and which go back to the queue when evidence changes. */
class ReviewQueueTest extends SparkTest {
  static final LocalDate BEFORE = LocalDate.parse("2026-03-01");
  static final LocalDate TODAY = LocalDate.parse("2026-03-08");

  static final StructType SCORES =
      new StructType()
          .add(Cols.ACCOUNT_ID, DataTypes.StringType)
          .add(Cols.REASONS, DataTypes.createArrayType(Schemas.REASON))
          .add(Cols.AS_OF, DataTypes.DateType);

  static final StructType REVIEWS =
      new StructType()
          .add(Cols.ACCOUNT_ID, DataTypes.StringType)
          .add("outcome", DataTypes.StringType)
          .add(Cols.LABELED_AT, DataTypes.TimestampType)
          .add(Cols.SOURCE, DataTypes.StringType)
          .add(Cols.NOTE, DataTypes.StringType);

  static Row score(String account, LocalDate day, String... codes) {
    List<Row> reasons = new ArrayList<>();
    for (String c : codes) {
      reasons.add(RowFactory.create(c, 1.0, c + " detail"));
    }
    return RowFactory.create(account, reasons.toArray(), Date.valueOf(day));
  }

  static Row review(String account, String outcome, String at) {
    return RowFactory.create(
        account,
        outcome,
        at == null ? null : Timestamp.from(Instant.parse(at)),
        "review:ana",
        null);
  }

  @Test
  void statesFollowTheLatestReviewAndNewEvidenceReopensAnInnocentVerdict() {
    List<Row> before =
        List.of(
            score("cleared", BEFORE, "vpn_exit"),
            score("cleared_again", BEFORE, "vpn_exit"),
            score("unsure", BEFORE, "shared_device"),
            score("confirmed", BEFORE, "vpn_exit"));
    List<Row> today =
        List.of(
            score("new", TODAY, "vpn_exit"),
            score("cleared", TODAY, "vpn_exit"),
            score("cleared_again", TODAY, "vpn_exit", "shared_payout"),
            score("unsure", TODAY, "shared_device", "night_hours"),
            score("confirmed", TODAY, "vpn_exit", "shared_payout"),
            score("old_label", TODAY, "shared_payout"));
    Dataset<Row> all = spark().createDataFrame(concat(before, today), SCORES);
    Dataset<Row> day = spark().createDataFrame(today, SCORES);
    Dataset<Row> reviews =
        spark()
            .createDataFrame(
                List.of(
                    review("cleared", "genuine", "2026-03-02T10:00:00Z"),
                    review("cleared_again", "genuine", "2026-03-02T10:00:00Z"),
                    review("unsure", "unsure", "2026-03-01T23:00:00Z"),
                    review("confirmed", "concealed", "2026-03-02T10:00:00Z"),
                    // reviewed before any ranking existed: nothing to compare, stays reviewed
                    review("old_label", "genuine", "2026-01-01T00:00:00Z")),
                REVIEWS);

    Map<String, String> states = new TreeMap<>();
    for (Row r : ReviewQueue.annotate(day, all, reviews, TODAY).collectAsList()) {
      states.put(r.getAs(Cols.ACCOUNT_ID), r.getAs(Cols.REVIEW_STATE));
    }

    assertThat(states)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "new", ReviewQueue.TO_REVIEW,
                "cleared", ReviewQueue.GENUINE,
                "cleared_again", ReviewQueue.EVIDENCE_CHANGED,
                "unsure", ReviewQueue.EVIDENCE_CHANGED,
                "confirmed", ReviewQueue.CONFIRMED,
                "old_label", ReviewQueue.GENUINE));
    assertThat(ReviewQueue.annotate(day, all, reviews, TODAY).filter(ReviewQueue.inQueue()).count())
        .isEqualTo(3);
  }

  @Test
  void aRingIsOneEntryAtItsBestRankWithItsMembersFolded() {
    StructType ranked =
        new StructType()
            .add(Cols.RANK, DataTypes.IntegerType)
            .add(Cols.ACCOUNT_ID, DataTypes.StringType)
            .add(Cols.CLUSTER_ID, DataTypes.StringType);
    Dataset<Row> rows =
        spark()
            .createDataFrame(
                List.of(
                    RowFactory.create(1, "r1", "ring-A"),
                    RowFactory.create(2, "solo1", null),
                    RowFactory.create(3, "r2", "ring-A"),
                    RowFactory.create(4, "b1", "ring-B"),
                    RowFactory.create(5, "r3", "ring-A"),
                    RowFactory.create(6, "solo2", null),
                    RowFactory.create(7, "b2", "ring-B")),
                ranked);

    List<QueueEntries.Entry> entries = QueueEntries.first(rows, 3, 2);

    assertThat(entries)
        .extracting(QueueEntries.Entry::clusterId)
        .containsExactly("ring-A", null, "ring-B");
    assertThat(entries).extracting(QueueEntries.Entry::rank).containsExactly(1, 2, 4);
    assertThat(entries).extracting(QueueEntries.Entry::size).containsExactly(3L, 1L, 2L);
    // at most two members shown per entry, best first
    assertThat(entries.get(0).members())
        .extracting(r -> r.<String>getAs(Cols.ACCOUNT_ID))
        .containsExactly("r1", "r2");
    assertThat(entries.get(1).isRing()).isFalse();
  }

  static List<Row> concat(List<Row> a, List<Row> b) {
    List<Row> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }
}
