package io.unmask.report;

import io.unmask.common.Cols;
import io.unmask.common.Schemas;
import io.unmask.common.Tables;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A tiny warehouse of two ranked days with investigators' work on it, for the review sections of
 * the report: {@code risk_scores} (2026-03-01 and 2026-03-08), the latest day's {@code profiles}, a
 * {@code labels} export and a {@code decisions} table.
 *
 * <p>On 2026-03-08, by rank: conf-1 (ring-A, confirmed by the labels export), conf-2 (confirmed by
 * a decision, with seven decisions in all and a hostile note), ring-a1 (ring-A, never reviewed),
 * lone-1, ring-a2 (ring-A, judged genuine on 03-02, now with a new reason: evidence changed),
 * cleared (judged genuine, nothing new: left out), ring-b1, ring-b2 (ring-B) and low.
 */
final class ReviewWarehouse {
  static final LocalDate BEFORE = LocalDate.parse("2026-03-01");
  static final LocalDate DAY = LocalDate.parse("2026-03-08");

  /** A note that would run a script if it were not escaped. */
  static final String NOTE = "seen at <script>window.__pwned=5</script> & co";

  /** The queue's entries as the report must list them: cluster (or account) and queued members. */
  static final List<List<String>> QUEUE =
      List.of(
          List.of("ring-A", "ring-a1", "ring-a2"),
          List.of("lone-1"),
          List.of("ring-B", "ring-b1", "ring-b2"),
          List.of("low"));

  private ReviewWarehouse() {}

  static Path create(SparkSession spark, Path dir) {
    String wh = dir.toString();
    List<Row> scores = new ArrayList<>();
    scores.add(score("ring-a2", 0.5, 1, "ring-A", BEFORE, "vpn_exit"));
    scores.add(score("cleared", 0.4, 2, null, BEFORE, "vpn_exit"));
    scores.add(score("conf-1", 0.99, 1, "ring-A", DAY, "shared_payout", "kp_hours"));
    scores.add(score("conf-2", 0.98, 2, null, DAY, "kp_hours"));
    scores.add(score("ring-a1", 0.95, 3, "ring-A", DAY, "shared_device", "kp_hours"));
    scores.add(score("lone-1", 0.90, 4, null, DAY, "tz_mismatch"));
    scores.add(score("ring-a2", 0.85, 5, "ring-A", DAY, "vpn_exit", "shared_payout"));
    scores.add(score("cleared", 0.80, 6, null, DAY, "vpn_exit"));
    scores.add(score("ring-b1", 0.70, 7, "ring-B", DAY, "shared_device"));
    scores.add(score("ring-b2", 0.60, 8, "ring-B", DAY, "shared_device"));
    scores.add(score("low", 0.10, 9, null, DAY));
    spark
        .createDataFrame(scores, Schemas.RISK_SCORES)
        .write()
        .format("delta")
        .mode(SaveMode.Overwrite)
        .partitionBy(Cols.AS_OF)
        .save(Tables.path(wh, Tables.RISK_SCORES));

    List<Row> profiles = new ArrayList<>();
    for (Row r : scores) {
      if (r.getDate(6).toLocalDate().equals(DAY)) {
        String id = r.getString(0);
        profiles.add(
            RowFactory.create(id, "Name of " + id, "US", Date.valueOf(DAY), Date.valueOf(DAY)));
      }
    }
    spark
        .createDataFrame(
            profiles,
            new StructType()
                .add(Cols.ACCOUNT_ID, DataTypes.StringType)
                .add(Cols.DISPLAY_NAME, DataTypes.StringType)
                .add(Cols.CLAIMED_COUNTRY, DataTypes.StringType)
                .add(Cols.VALID_FROM, DataTypes.DateType)
                .add(Cols.INGESTED_ON, DataTypes.DateType))
        .write()
        .format("delta")
        .mode(SaveMode.Overwrite)
        .save(Tables.path(wh, Tables.PROFILES));

    spark
        .createDataFrame(
            List.of(
                RowFactory.create(
                    "conf-1", 1, ts("2026-02-20T10:00:00Z"), "investigation", Date.valueOf(DAY))),
            new StructType()
                .add(Cols.ACCOUNT_ID, DataTypes.StringType)
                .add(Cols.LABEL, DataTypes.IntegerType)
                .add(Cols.LABELED_AT, DataTypes.TimestampType)
                .add(Cols.SOURCE, DataTypes.StringType)
                .add(Cols.INGESTED_ON, DataTypes.DateType))
        .write()
        .format("delta")
        .mode(SaveMode.Overwrite)
        .save(Tables.path(wh, Tables.LABELS));

    List<Row> decisions = new ArrayList<>();
    for (int i = 1; i <= 6; i++) {
      decisions.add(decision("conf-2", "unsure", "look again " + i, "bo", "2026-02-0" + i));
    }
    decisions.add(decision("conf-2", "concealed", NOTE, "ana", "2026-03-05"));
    decisions.add(decision("ring-a2", "unsure", null, "bo", "2026-03-01"));
    decisions.add(decision("ring-a2", "genuine", "a real designer", "ana", "2026-03-02"));
    decisions.add(decision("cleared", "genuine", "known to the client", "ana", "2026-03-02"));
    spark
        .createDataFrame(decisions, Schemas.DECISIONS)
        .write()
        .format("delta")
        .mode(SaveMode.Overwrite)
        .save(Tables.path(wh, Tables.DECISIONS));
    return dir;
  }

  private static Row score(
      String id, double score, int rank, String cluster, LocalDate day, String... codes) {
    List<Row> reasons = new ArrayList<>();
    for (String c : codes) {
      reasons.add(RowFactory.create(c, 1.0, c + " evidence of " + id));
    }
    return RowFactory.create(
        id,
        score,
        rank,
        reasons.toArray(),
        cluster,
        "rule-v1",
        Date.valueOf(day),
        "run-" + day,
        null);
  }

  private static Row decision(String account, String decision, String note, String by, String day) {
    String at = day + "T10:00:00Z";
    return RowFactory.create(
        account + "@" + at, account, decision, note, by, ts(at), "cli", "review-" + day);
  }

  private static Timestamp ts(String at) {
    return Timestamp.from(Instant.parse(at));
  }
}
