package io.unmask.model;

import static io.unmask.common.FeatureCols.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.unmask.common.Cols;
import io.unmask.common.Progress;
import io.unmask.score.ScoringJob;
import io.unmask.testing.SparkTest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * The second stage on a small linked platform: 12 rings of 5 accounts sharing devices (6 rings
 * confirmed whole, 6 with no confirmed member) among 240 genuine accounts, 30 of which show the
 * same own evidence (a foreign browser zone) and 40 of which share a home address in pairs. In the
 * unconfirmed rings, only some members show own evidence; their ring-mates show none. Only the
 * links can lift those: the two-stage model must be chosen and rank every member of an unconfirmed
 * ring above every genuine account without own evidence.
 */
class TwoStageTest extends SparkTest {
  private static final LocalDate DAY = LocalDate.parse("2026-03-31");

  @Test
  void linksLiftUnconfirmedRingMembersWithoutOwnEvidence() {
    Random rnd = new Random(11);
    StructType fs =
        new StructType()
            .add(Cols.ACCOUNT_ID, DataTypes.StringType)
            .add(Cols.CLUSTER_ID, DataTypes.StringType)
            .add(TZ_MISMATCH_SHARE, DataTypes.DoubleType)
            .add(HOLDER_MISMATCH_SHARE, DataTypes.DoubleType)
            .add(VPN_SHARE, DataTypes.DoubleType)
            .add(SANCTIONED_HITS, DataTypes.LongType);
    StructType ls =
        new StructType()
            .add(Cols.ACCOUNT_A, DataTypes.StringType)
            .add(Cols.ACCOUNT_B, DataTypes.StringType)
            .add(Cols.LINK_TYPE, DataTypes.StringType)
            .add(Cols.WEIGHT, DataTypes.DoubleType)
            .add(Cols.IN_GRAPH, DataTypes.BooleanType);
    List<Row> rows = new ArrayList<>();
    List<Row> links = new ArrayList<>();
    List<Row> labels = new ArrayList<>();
    List<String> silentRingMembers = new ArrayList<>();
    for (int ring = 0; ring < 12; ring++) {
      boolean confirmed = ring < 6;
      for (int m = 0; m < 5; m++) {
        String id = String.format("r%02d-%d", ring, m);
        // unconfirmed rings: members 0-1 show own evidence, 2-4 show none
        boolean evidence = confirmed || m < 2;
        rows.add(
            RowFactory.create(
                id,
                "C" + ring,
                evidence ? 0.6 + 0.4 * rnd.nextDouble() : 0.0,
                evidence ? 1.0 : 0.0,
                rnd.nextDouble() * 0.5,
                0L));
        for (int other = 0; other < m; other++) { // one shared laptop: every pair linked
          links.add(
              RowFactory.create(String.format("r%02d-%d", ring, other), id, "device", 0.9, true));
        }
        if (confirmed) {
          labels.add(RowFactory.create(id, 1, java.sql.Timestamp.valueOf("2026-03-01 00:00:00")));
        } else if (!evidence) {
          silentRingMembers.add(id);
        }
      }
    }
    List<String> plain = new ArrayList<>();
    for (int i = 0; i < 240; i++) {
      String id = String.format("g%03d", i);
      boolean lookalike = i < 30;
      String cluster = i >= 100 && i < 140 ? "P" + (i / 2) : null;
      // look-alikes show one family each: a foreign clock (a night owl's) or pay in another name
      // (an expat's spouse's account)
      boolean clock = rnd.nextBoolean();
      rows.add(
          RowFactory.create(
              id,
              cluster,
              lookalike && clock ? 0.6 + 0.4 * rnd.nextDouble() : 0.0,
              lookalike && !clock ? 1.0 : 0.0,
              rnd.nextDouble() * 0.5,
              0L));
      if (cluster != null && i % 2 == 1) {
        links.add(RowFactory.create(String.format("g%03d", i - 1), id, "ip", 0.3, true));
      }
      if (!lookalike) {
        plain.add(id);
      }
    }
    Dataset<Row> features =
        RuleScore.score(spark().createDataFrame(rows, fs), ModelInputs.RULE_SCORE, "_rc");
    Dataset<Row> linkRows = spark().createDataFrame(links, ls);
    Dataset<Row> labelRows =
        spark()
            .createDataFrame(
                labels,
                new StructType()
                    .add(Cols.ACCOUNT_ID, DataTypes.StringType)
                    .add(Cols.LABEL, DataTypes.IntegerType)
                    .add(Cols.LABELED_AT, DataTypes.TimestampType));
    List<String> cols =
        List.of(TZ_MISMATCH_SHARE, HOLDER_MISMATCH_SHARE, VPN_SHARE, ModelInputs.RULE_SCORE);
    ModelJob.Choice c =
        ModelJob.run(
            spark(),
            tempDir("two-stage-wh").toString(),
            DAY,
            features,
            labelRows,
            linkRows,
            cols,
            new ModelJob.Options(true, null, 20, new Trainer.Settings(3, 15, 3, 5.0, 1L)),
            new Progress(new PrintStream(new ByteArrayOutputStream())));
    assertThat(c.kind()).isEqualTo(ModelJob.STACKED_KIND);
    assertThat(c.stage2()).hasSize(3);

    StructType ps =
        new StructType()
            .add(Cols.ACCOUNT_ID, DataTypes.StringType)
            .add(Cols.CLAIMED_COUNTRY, DataTypes.StringType)
            .add(Cols.CLAIMED_TIMEZONE, DataTypes.StringType)
            .add(Cols.ID_DOCUMENT_COUNTRY, DataTypes.StringType);
    List<Row> profiles = new ArrayList<>();
    rows.forEach(
        r -> profiles.add(RowFactory.create(r.getString(0), "US", "America/Chicago", null)));
    Dataset<Row> scored =
        ScoringJob.score(
            spark(),
            features,
            spark().createDataFrame(profiles, ps),
            c,
            linkRows,
            ModelInputs.latestLabels(labelRows));
    // The reasons' weights read shared sums as columns: written inline, each weight copied them
    // and the plan grew to hundreds of thousands of expressions (a 2 GB driver ran out of heap).
    long size = expressions(scored.queryExecution().optimizedPlan());
    System.out.println("two-stage scoring plan: " + size + " expressions");
    assertThat(size).isLessThan(8_000); // 13,293 before
    Map<String, Row> byId = new HashMap<>();
    for (Row r : scored.select(Cols.ACCOUNT_ID, Cols.SCORE, Cols.REASONS).collectAsList()) {
      byId.put(r.getString(0), r);
    }
    double bestPlain =
        plain.stream().mapToDouble(id -> byId.get(id).getDouble(1)).max().orElseThrow();
    for (String id : silentRingMembers) {
      assertThat(byId.get(id).getDouble(1)).as(id).isGreaterThan(bestPlain);
      List<Row> reasons = byId.get(id).getList(2);
      assertThat(reasons)
          .as(id)
          .extracting(r -> r.<String>getAs("code"))
          .containsAnyOf(
              GraphFeatures.NB_MAX_STRONG, GraphFeatures.NB_MEAN, GraphFeatures.NB_CONFIRMED);
    }
  }

  private static long expressions(org.apache.spark.sql.catalyst.plans.logical.LogicalPlan plan) {
    long n = 0;
    for (org.apache.spark.sql.catalyst.expressions.Expression e :
        scala.jdk.javaapi.CollectionConverters.asJava(plan.expressions())) {
      n += nodes(e);
    }
    for (org.apache.spark.sql.catalyst.plans.logical.LogicalPlan child :
        scala.jdk.javaapi.CollectionConverters.asJava(plan.children())) {
      n += expressions(child);
    }
    return n;
  }

  private static long nodes(org.apache.spark.sql.catalyst.expressions.Expression e) {
    long n = 1;
    for (org.apache.spark.sql.catalyst.expressions.Expression c :
        scala.jdk.javaapi.CollectionConverters.asJava(e.children())) {
      n += nodes(c);
    }
    return n;
  }
}
