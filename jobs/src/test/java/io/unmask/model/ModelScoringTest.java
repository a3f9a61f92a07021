package io.unmask.model;

import static io.unmask.common.FeatureCols.*;
import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import io.unmask.common.Cols;
import io.unmask.common.Progress;
import io.unmask.common.Tables;
import io.unmask.io.DeltaIO;
import io.unmask.score.ScoringJob;
import io.unmask.testing.SparkTest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Training, model choice, reuse, scoring and reasons on a tiny labelled platform: 30 concealed
 * accounts (browser language and zone abroad, devices shared across claimed places, payouts in
 * other names) among 90 genuine ones, 40% of which also show a foreign zone and another holder name
 * (so the rule score alone ranks poorly and a trained model must win), 24 of the concealed
 * confirmed.
 */
class ModelScoringTest extends SparkTest {
  private static final LocalDate DAY = LocalDate.parse("2026-03-31");
  private static final List<String> FEATS =
      List.of(
          TZ_MISMATCH_SHARE,
          LANG_MISMATCH_SHARE,
          DEVICE_OTHER_PLACES,
          HOLDER_MISMATCH_SHARE,
          VPN_SHARE,
          SANCTIONED_HITS);
  private static Dataset<Row> features;
  private static Dataset<Row> labels;
  private static Dataset<Row> profiles;

  @BeforeAll
  static void fixture() {
    Random rnd = new Random(3);
    StructType fs =
        new StructType()
            .add(Cols.ACCOUNT_ID, DataTypes.StringType)
            .add(TZ_MISMATCH_SHARE, DataTypes.DoubleType)
            .add(DEVICE_OTHER_PLACES, DataTypes.LongType)
            .add(HOLDER_MISMATCH_SHARE, DataTypes.DoubleType)
            .add(VPN_SHARE, DataTypes.DoubleType)
            .add(SANCTIONED_HITS, DataTypes.LongType)
            .add(TOP_BROWSER_TZ, DataTypes.StringType)
            .add(LANG_MISMATCH_SHARE, DataTypes.DoubleType)
            .add(DEVICE_SHARED_ACCOUNTS, DataTypes.LongType)
            .add(DEVICE_DISTINCT_NAMES, DataTypes.LongType)
            .add(SANCTIONED_ENTITY, DataTypes.StringType);
    List<Row> rows = new ArrayList<>();
    List<Row> labelRows = new ArrayList<>();
    List<Row> profileRows = new ArrayList<>();
    for (int i = 0; i < 120; i++) {
      boolean bad = i < 30;
      String id = String.format("acc-%03d", i);
      rows.add(
          RowFactory.create(
              id,
              bad || rnd.nextDouble() < 0.4 ? 0.6 + 0.4 * rnd.nextDouble() : 0.0,
              bad ? (long) (1 + rnd.nextInt(3)) : (rnd.nextDouble() < 0.05 ? 1L : 0L),
              bad || rnd.nextDouble() < 0.4 ? 1.0 : 0.0,
              rnd.nextDouble() < 0.3 ? rnd.nextDouble() : 0.0,
              i == 1 ? 2L : 0L,
              bad ? "Asia/Shanghai" : "Asia/Tokyo",
              bad ? 0.7 + 0.3 * rnd.nextDouble() : 0.05 * rnd.nextDouble(),
              bad ? 3L : 0L,
              bad ? 4L : 1L,
              i == 1 ? "CHEIL CREDIT BANK [DPRK4]" : null));
      if (bad && i < 24) {
        labelRows.add(RowFactory.create(id, 1, java.sql.Timestamp.valueOf("2026-03-01 00:00:00")));
      }
      if (i == 100) {
        labelRows.add(RowFactory.create(id, 0, java.sql.Timestamp.valueOf("2026-03-02 00:00:00")));
      }
      profileRows.add(RowFactory.create(id, "US", "America/Chicago", null));
    }
    features = spark().createDataFrame(rows, fs);
    labels =
        spark()
            .createDataFrame(
                labelRows,
                new StructType()
                    .add(Cols.ACCOUNT_ID, DataTypes.StringType)
                    .add(Cols.LABEL, DataTypes.IntegerType)
                    .add(Cols.LABELED_AT, DataTypes.TimestampType));
    profiles =
        spark()
            .createDataFrame(
                profileRows,
                new StructType()
                    .add(Cols.ACCOUNT_ID, DataTypes.StringType)
                    .add(Cols.CLAIMED_COUNTRY, DataTypes.StringType)
                    .add(Cols.CLAIMED_TIMEZONE, DataTypes.StringType)
                    .add(Cols.ID_DOCUMENT_COUNTRY, DataTypes.StringType));
  }

  private static Progress quiet() {
    return new Progress(new PrintStream(new ByteArrayOutputStream()));
  }

  private static ModelJob.Options options(boolean retrain, String pinned, int minPositives) {
    return new ModelJob.Options(
        retrain, pinned, minPositives, new Trainer.Settings(2, 15, 3, 5.0, 1L));
  }

  @Test
  void trainsChoosesReusesAndPinsAVersion() {
    Path wh = SparkTest.tempDir("model-wh");
    Dataset<Row> in = RuleScore.score(features, ModelInputs.RULE_SCORE, "_rc");
    List<String> cols = new ArrayList<>(FEATS);
    cols.add(ModelInputs.RULE_SCORE);
    ModelJob.Choice first =
        ModelJob.run(
            spark(), wh.toString(), DAY, in, labels, cols, options(false, null, 20), quiet());
    assertThat(first.isRule()).isFalse();
    assertThat(first.version()).matches("(graph|gbt|lr)-\\d{8}T\\d{6}-[0-9a-f]{8}");
    Dataset<Row> metrics = DeltaIO.read(spark(), wh.toString(), Tables.MODEL_METRICS);
    assertThat(metrics.select("model").distinct().count()).isEqualTo(4);
    double ap =
        metrics
            .filter(
                col("model").equalTo(first.kind()).and(col("metric").equalTo("average_precision")))
            .first()
            .getDouble(3);
    assertThat(ap).isGreaterThan(0.8);

    ModelJob.Choice again =
        ModelJob.run(
            spark(), wh.toString(), DAY, in, labels, cols, options(false, null, 20), quiet());
    assertThat(again.version()).isEqualTo(first.version()); // labels unchanged: reused
    ModelJob.Choice pinned =
        ModelJob.run(
            spark(),
            wh.toString(),
            DAY,
            in,
            labels,
            cols,
            options(true, first.version(), 20),
            quiet());
    assertThat(pinned.version()).isEqualTo(first.version());
    assertThat(DeltaIO.read(spark(), wh.toString(), Tables.MODELS).count()).isEqualTo(1);

    Dataset<Row> scores =
        ScoringJob.riskScores(
            ScoringJob.score(spark(), in, profiles, first), first.version(), DAY, "r1");
    List<Row> rows = scores.orderBy(Cols.RANK).collectAsList();
    assertThat(rows).hasSize(120);
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      assertThat(r.<Integer>getAs(Cols.RANK)).isEqualTo(i + 1);
      assertThat(r.<Double>getAs(Cols.SCORE)).isBetween(0.0, 1.0);
      if (i > 0) {
        assertThat(r.<Double>getAs(Cols.SCORE))
            .isLessThanOrEqualTo(rows.get(i - 1).getAs(Cols.SCORE));
      }
    }
    // the sanctioned account is on top with that reason first
    assertThat(rows.get(0).<String>getAs(Cols.ACCOUNT_ID)).isEqualTo("acc-001");
    assertThat(rows.get(0).<Double>getAs(Cols.SCORE))
        .isGreaterThanOrEqualTo(ScoringJob.SANCTIONED_FLOOR);
    Row firstReason = rows.get(0).<Row>getList(rows.get(0).fieldIndex(Cols.REASONS)).get(0);
    assertThat(firstReason.<String>getAs("detail"))
        .contains("OFAC SDN")
        .contains("CHEIL CREDIT BANK");
    // the unlabelled concealed accounts (24..29) rank among the top 30
    for (Row r : rows.subList(0, 30)) {
      List<Row> reasons = r.getList(r.fieldIndex(Cols.REASONS));
      assertThat(reasons).isNotEmpty();
      for (Row reason : reasons) {
        assertThat(reason.<Double>getAs("weight")).isPositive();
      }
    }
    long unlabeledConcealedOnTop =
        rows.subList(0, 30).stream()
            .map(r -> r.<String>getAs(Cols.ACCOUNT_ID))
            .filter(id -> id.compareTo("acc-024") >= 0 && id.compareTo("acc-030") < 0)
            .count();
    assertThat(unlabeledConcealedOnTop).isGreaterThanOrEqualTo(5);
    // reasons are consistent with the features: a device reason only where devices are shared
    java.util.Map<String, Long> places = new java.util.HashMap<>();
    for (Row f : features.collectAsList()) {
      places.put(f.getAs(Cols.ACCOUNT_ID), f.<Long>getAs(DEVICE_OTHER_PLACES));
    }
    long deviceReasons = 0;
    for (Row r : rows) {
      List<Row> reasons = r.getList(r.fieldIndex(Cols.REASONS));
      if (reasons.stream().anyMatch(x -> x.<String>getAs("code").equals(DEVICE_OTHER_PLACES))) {
        deviceReasons++;
        assertThat(places.get(r.<String>getAs(Cols.ACCOUNT_ID))).isPositive();
      }
    }
    assertThat(deviceReasons).isPositive();
  }

  @Test
  void tooFewLabelsScoreWithTheRuleScore() {
    Path wh = SparkTest.tempDir("rule-wh");
    Dataset<Row> none = labels.limit(0);
    ModelJob.Choice c =
        ModelJob.run(
            spark(), wh.toString(), DAY, features, none, FEATS, options(false, null, 20), quiet());
    assertThat(c.isRule()).isTrue();
    assertThat(c.version()).startsWith("rule-v1").contains("0 confirmed < 20");
    List<Row> rows =
        ScoringJob.riskScores(
                ScoringJob.score(spark(), features, profiles, c), c.version(), DAY, "r0")
            .orderBy(Cols.RANK)
            .collectAsList();
    assertThat(rows.get(0).<String>getAs(Cols.ACCOUNT_ID)).isEqualTo("acc-001");
    Row top = rows.get(1);
    assertThat(top.<String>getAs(Cols.ACCOUNT_ID).compareTo("acc-030")).isNegative();
    List<Row> reasons = top.getList(top.fieldIndex(Cols.REASONS));
    assertThat(reasons).extracting(r -> r.<String>getAs("code")).contains(TZ_MISMATCH_SHARE);
    String tz =
        reasons.stream()
            .filter(r -> r.<String>getAs("code").equals(TZ_MISMATCH_SHARE))
            .findFirst()
            .orElseThrow()
            .getAs("detail");
    assertThat(tz).contains("Asia/Shanghai").contains("America/Chicago");
  }

  @Test
  void rerunOfOneDayReplacesRiskScores() {
    Path wh = SparkTest.tempDir("rerun-wh");
    ModelJob.Choice c =
        ModelJob.run(
            spark(),
            wh.toString(),
            DAY,
            features,
            labels.limit(0),
            FEATS,
            options(false, null, 20),
            quiet());
    ScoringJob.run(spark(), wh.toString(), DAY, "run-1", features, profiles, c, quiet());
    ScoringJob.run(spark(), wh.toString(), DAY, "run-2", features, profiles, c, quiet());
    Dataset<Row> rs = DeltaIO.read(spark(), wh.toString(), Tables.RISK_SCORES);
    assertThat(rs.count()).isEqualTo(120);
    assertThat(rs.select(Cols.RUN_ID).distinct().first().getString(0)).isEqualTo("run-2");
    assertThat(rs.select(Cols.ACCOUNT_ID).distinct().count()).isEqualTo(120);
  }
}
