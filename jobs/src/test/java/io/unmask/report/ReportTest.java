package io.unmask.report;

import static org.apache.spark.sql.functions.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.unmask.cli.Main;
import io.unmask.common.Cols;
import io.unmask.common.Tables;
import io.unmask.io.DeltaIO;
import io.unmask.model.Trainer;
import io.unmask.report.ReportData.Cluster;
import io.unmask.report.ReportData.Link;
import io.unmask.report.ReportData.PrCurve;
import io.unmask.review.ReviewQueue;
import io.unmask.testing.SampleWarehouse;
import io.unmask.testing.SparkTest;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The report gathered from the sample warehouse (a trained model, labels, clusters). */
class ReportTest extends SparkTest {
  private static String wh;
  private static ReportData data;
  private static Dataset<Row> scores;

  @BeforeAll
  static void gather() {
    wh = SampleWarehouse.get().toString();
    data =
        ReportGatherer.gather(
            spark(), wh, null, new ReportGatherer.Options(30, 4, 12), Instant.now());
    scores = DeltaIO.read(spark(), wh, Tables.RISK_SCORES);
  }

  @Test
  void headerDescribesTheLatestRun() {
    Row r = scores.agg(max(col(Cols.AS_OF)), count(lit(1)), max(col(Cols.MODEL_VERSION))).first();
    assertThat(data.header().asOf()).isEqualTo(r.getDate(0).toLocalDate());
    assertThat(data.header().accounts()).isEqualTo(r.getLong(1)).isEqualTo(3000);
    assertThat(data.header().modelVersion()).isEqualTo(r.getString(2));
    assertThat(data.header().runId()).isEqualTo("sample-run");
    assertThat(data.header().modelKind())
        .isIn("graph_stacked", "gbt", "logistic_regression", "rule_score");
    assertThat(data.header().modelMetrics()).containsKey("average_precision");
  }

  @Test
  void theQueueStartsWithUnreviewedAccountsFoldsRingsAndConfirmedAccountsLeaveIt() {
    LocalDate day = data.header().asOf();
    Dataset<Row> annotated =
        ReviewQueue.annotate(
            spark(),
            wh,
            day,
            scores.filter(col(Cols.AS_OF).equalTo(lit(java.sql.Date.valueOf(day)))),
            scores);
    Dataset<Row> queued = annotated.filter(ReviewQueue.inQueue());
    ReportData.Review r = data.review();
    assertThat(r.queueAccounts()).isEqualTo(queued.count());
    assertThat(r.queue()).hasSize(30);
    // the first entry holds the best-ranked queued account, and no entry is a confirmed account
    int firstQueued = queued.orderBy(col(Cols.RANK)).first().getAs(Cols.RANK);
    assertThat(r.queue().get(0).lead().account().rank()).isEqualTo(firstQueued);
    Set<String> confirmed =
        annotated
            .filter(col(Cols.REVIEW_STATE).equalTo(ReviewQueue.CONFIRMED))
            .select(Cols.ACCOUNT_ID)
            .collectAsList()
            .stream()
            .map(x -> x.getString(0))
            .collect(Collectors.toSet());
    assertThat(confirmed).hasSize((int) data.labels().positives());
    Set<String> rings = new HashSet<>();
    int prev = 0;
    for (ReportData.QueueEntry e : r.queue()) {
      assertThat(e.lead().account().rank()).isGreaterThan(prev);
      prev = e.lead().account().rank();
      if (e.isRing()) {
        assertThat(rings.add(e.clusterId())).as("ring " + e.clusterId() + " once").isTrue();
        assertThat(e.inQueue())
            .isEqualTo(queued.filter(col(Cols.CLUSTER_ID).equalTo(e.clusterId())).count());
        assertThat(e.members())
            .hasSize((int) Math.min(ReportGatherer.MAX_RING_MEMBERS, e.inQueue()));
      } else {
        assertThat(e.members()).hasSize(1);
      }
      for (ReportData.ReviewedAccount m : e.members()) {
        assertThat(confirmed).doesNotContain(m.account().accountId());
        assertThat(m.reviewState()).isIn(ReviewQueue.QUEUE);
        assertThat(m.account().clusterId()).isEqualTo(e.clusterId());
        assertThat(m.account().displayName()).isNotNull();
      }
    }
    // the confirmed accounts have their own list, by rank, with who confirmed them
    assertThat(r.confirmedAccounts()).isEqualTo(confirmed.size());
    assertThat(r.confirmed())
        .extracting(a -> a.account().accountId())
        .containsExactlyInAnyOrderElementsOf(confirmed);
    assertThat(r.confirmed())
        .isSortedAccordingTo(java.util.Comparator.comparingInt(a -> a.account().rank()));
    assertThat(r.confirmed())
        .allSatisfy(
            a -> {
              assertThat(a.reviewedBy()).isNotBlank();
              assertThat(a.account().label()).isEqualTo(1);
            });
    List<Row> top =
        scores
            .filter(col(Cols.AS_OF).equalTo(lit(java.sql.Date.valueOf(day))))
            .orderBy(col(Cols.RANK))
            .limit(1)
            .collectAsList();
    assertThat(top.get(0).<Double>getAs(Cols.SCORE))
        .isGreaterThanOrEqualTo(r.queue().get(0).lead().account().score());
    assertThat(r.queue().get(0).lead().account().reasons()).isNotEmpty();
  }

  @Test
  void reviewSectionsOfATinyWarehouseShowStatesRingsAndBoundedHistoryNewestFirst() {
    String tiny = ReviewWarehouse.create(spark(), tempDir("report-review-wh")).toString();
    ReportData d =
        ReportGatherer.gather(
            spark(), tiny, null, new ReportGatherer.Options(10, 2, 10), Instant.now());
    ReportData.Review r = d.review();
    assertThat(d.header().asOf()).isEqualTo(ReviewWarehouse.DAY);
    assertThat(r.queue())
        .extracting(
            e -> {
              List<String> ids = new java.util.ArrayList<>();
              ids.add(e.isRing() ? e.clusterId() : e.lead().account().accountId());
              if (e.isRing()) {
                e.members().forEach(m -> ids.add(m.account().accountId()));
              }
              return ids;
            })
        .containsExactlyElementsOf(ReviewWarehouse.QUEUE);
    assertThat(r.queueAccounts()).isEqualTo(6);
    assertThat(r.queueEntries()).isEqualTo(4);
    assertThat(r.settled()).isEqualTo(1);
    assertThat(r.cleared()).extracting(a -> a.account().accountId()).containsExactly("cleared");
    assertThat(r.cleared().get(0).reviewState()).isEqualTo(ReviewQueue.GENUINE);
    assertThat(r.cleared().get(0).history())
        .extracting(ReportData.Decision::note)
        .containsExactly("known to the client");
    assertThat(r.queue().get(0).inQueue()).isEqualTo(2);
    ReportData.ReviewedAccount changed = r.queue().get(0).members().get(1);
    assertThat(changed.reviewState()).isEqualTo(ReviewQueue.EVIDENCE_CHANGED);
    assertThat(changed.reviewedAt()).isEqualTo(Instant.parse("2026-03-02T10:00:00Z"));
    assertThat(changed.reviewedBy()).isEqualTo("review:ana");
    assertThat(changed.history())
        .extracting(ReportData.Decision::decision)
        .containsExactly("genuine", "unsure");
    assertThat(r.queue().get(0).lead().history()).isEmpty();

    assertThat(r.confirmed())
        .extracting(a -> a.account().accountId())
        .containsExactly("conf-1", "conf-2");
    assertThat(r.confirmedAccounts()).isEqualTo(2);
    assertThat(r.confirmed().get(0).reviewedBy()).isEqualTo("investigation");
    assertThat(r.confirmed().get(0).history()).isEmpty();
    List<ReportData.Decision> h = r.confirmed().get(1).history();
    assertThat(h).hasSize(ReportGatherer.MAX_DECISIONS);
    assertThat(h.get(0).decision()).isEqualTo("concealed");
    assertThat(h.get(0).note()).isEqualTo(ReviewWarehouse.NOTE);
    assertThat(h.get(0).decidedBy()).isEqualTo("ana");
    assertThat(h)
        .extracting(ReportData.Decision::decidedAt)
        .isSortedAccordingTo(java.util.Comparator.reverseOrder());
    assertThat(h.get(4).note()).isEqualTo("look again 3");

    // a smaller page: the first entry only, the confirmed list cut to one
    ReportData one =
        ReportGatherer.gather(
            spark(), tiny, null, new ReportGatherer.Options(1, 1, 10), Instant.now());
    assertThat(one.review().queue()).hasSize(1);
    assertThat(one.review().queueEntries()).isEqualTo(4);
    assertThat(one.review().confirmed()).hasSize(1);
    assertThat(one.review().confirmedAccounts()).isEqualTo(2);
  }

  @Test
  void historyIsEmptyWithoutADecisionsTable() {
    assertThat(ReportGatherer.history(spark(), wh, List.of("anyone"))).isEmpty();
    assertThat(data.review().shown()).allSatisfy(a -> assertThat(a.history()).isEmpty());
  }

  @Test
  void histogramCountsEveryScoredAccount() {
    assertThat(data.histogram().bins()).hasSize(ReportGatherer.BINS);
    assertThat(data.histogram().bins().stream().mapToLong(ReportData.Bin::count).sum())
        .isEqualTo(3000);
    long high = scores.filter(col(Cols.SCORE).geq(0.98)).count();
    assertThat(data.histogram().bins().get(ReportGatherer.BINS - 1).count()).isEqualTo(high);
    assertThat(data.histogram().bins().stream().mapToLong(ReportData.Bin::confirmed).sum())
        .isEqualTo(data.labels().positives());
  }

  @Test
  void precisionRecallOnTheLabelsMatchesTheTrainingMetric() {
    ReportData.Labels l = data.labels();
    assertThat(l.positives()).isEqualTo(8);
    assertThat(l.genuine()).isPositive();
    assertThat(l.curves()).hasSize(2);
    for (PrCurve c : l.curves()) {
      // one point per confirmed account, the last at full recall
      assertThat(c.points()).hasSize((int) l.positives());
      assertThat(c.averagePrecision()).isBetween(0.0, 1.0);
      assertThat(c.points().get((int) l.positives() - 1).recall()).isEqualTo(1.0);
      c.points()
          .forEach(
              p -> {
                assertThat(p.precision()).isBetween(0.0, 1.0);
                assertThat(p.recall()).isBetween(0.0, 1.0);
              });
    }
    // Fewer negatives can only raise precision.
    assertThat(l.curves().get(0).averagePrecision())
        .isGreaterThanOrEqualTo(l.curves().get(1).averagePrecision());
    // Against every other account it is the positive-unlabelled AP that training reports.
    Dataset<Row> labels =
        ReportGatherer.latestLabels(spark(), wh, data.header().asOf())
            .filter(col("label").equalTo(1));
    Dataset<Row> target =
        scores
            .join(labels, new String[] {Cols.ACCOUNT_ID}, "left")
            .withColumn("_t", when(col("label").equalTo(1), 1.0).otherwise(0.0));
    double ap = Trainer.metrics(target, Cols.SCORE, "_t").get("average_precision");
    assertThat(l.curves().get(1).averagePrecision()).isCloseTo(ap, within(1e-9));
  }

  @Test
  void importancesAreThereForTheModelAndForTheReasonCodes() {
    assertThat(data.importances().model()).isNotEmpty();
    assertThat(data.importances().model().get(0).value()).isPositive();
    assertThat(data.importances().reasons()).isNotEmpty();
    Set<String> codes =
        scores
            .select(explode(col(Cols.REASONS)).as("r"))
            .select(col("r.code"))
            .distinct()
            .collectAsList()
            .stream()
            .map(x -> x.getString(0))
            .collect(Collectors.toSet());
    assertThat(data.importances().reasons())
        .allSatisfy(
            r -> {
              assertThat(codes).contains(r.code());
              assertThat(r.accounts()).isPositive();
            });
    assertThat(data.importances().reasons()).hasSize(codes.size());
  }

  @Test
  void savedGbtAndLogisticPipelinesGiveOneImportancePerFeature() {
    Row m = DeltaIO.read(spark(), wh, Tables.MODELS).orderBy(col("created_at").desc()).first();
    List<String> features = List.of(m.<String>getAs("features").split(","));
    String dir = Tables.path(Tables.path(wh, Tables.MODEL_DIR), m.getAs(Cols.MODEL_VERSION));
    ModelImportances.Result gbt =
        ModelImportances.ofPipeline(PipelineModel.load(dir + "/gbt"), features);
    assertThat(gbt.importances()).hasSize(features.size());
    assertThat(gbt.importances().stream().mapToDouble(ReportData.Importance::value).sum())
        .isCloseTo(1.0, within(1e-6));
    assertThat(gbt.source()).contains("Gradient-boosted");
    ModelImportances.Result lr =
        ModelImportances.ofPipeline(
            PipelineModel.load(dir + "/baseline_logistic_regression"), features);
    assertThat(lr.importances()).hasSize(features.size());
    assertThat(lr.importances()).allSatisfy(i -> assertThat(i.value()).isNotNegative());
    assertThat(lr.importances().get(0).value()).isPositive();
    assertThat(lr.importances().stream().map(ReportData.Importance::name))
        .containsExactlyInAnyOrderElementsOf(features);
  }

  @Test
  void clustersAreTheMostSuspiciousWithTheirLinks() {
    assertThat(data.clusters()).isNotEmpty().hasSizeLessThanOrEqualTo(4);
    Set<String> linkTypes =
        DeltaIO.read(spark(), wh, Tables.ACCOUNT_LINKS)
            .select(Cols.LINK_TYPE)
            .distinct()
            .collectAsList()
            .stream()
            .map(x -> x.getString(0))
            .collect(Collectors.toSet());
    double prevMax = Double.MAX_VALUE;
    for (Cluster c : data.clusters()) {
      assertThat(c.size()).isGreaterThanOrEqualTo(2);
      assertThat(c.maxScore()).isLessThanOrEqualTo(prevMax);
      prevMax = c.maxScore();
      assertThat(c.members()).hasSize((int) Math.min(12, c.size()));
      assertThat(c.members().get(0).score()).isEqualTo(c.maxScore());
      assertThat(scores.filter(col(Cols.CLUSTER_ID).equalTo(c.clusterId())).count())
          .isEqualTo(c.size());
      Set<String> ids = new HashSet<>();
      c.members().forEach(m -> ids.add(m.accountId()));
      for (Link l : c.links()) {
        assertThat(ids).contains(l.a(), l.b());
        assertThat(linkTypes).contains(l.type());
      }
    }
    assertThat(data.clusters()).anySatisfy(c -> assertThat(c.links()).isNotEmpty());
    // the most suspicious cluster holds the top-ranked clustered account
    String topClustered =
        scores
            .filter(col(Cols.CLUSTER_ID).isNotNull())
            .orderBy(col(Cols.RANK))
            .first()
            .getAs(Cols.CLUSTER_ID);
    assertThat(data.clusters().get(0).clusterId()).isEqualTo(topClustered);
  }

  @Test
  void renderedPageShowsEveryQueuedAndConfirmedAccountAndEveryDrawnMember() {
    String html = ReportRenderer.render(data);
    for (ReportData.ReviewedAccount a : data.review().shown()) {
      assertThat(html).contains(Html.esc(a.account().accountId()));
    }
    assertThat(ReportRendererTest.count(html, "<tr class=\"entry "))
        .isEqualTo(data.review().queue().size());
    assertThat(ReportRendererTest.count(html, "<details class=\"ring\""))
        .isEqualTo((int) data.review().queue().stream().filter(e -> e.isRing()).count());
    int members = data.clusters().stream().mapToInt(c -> c.members().size()).sum();
    assertThat(ReportRendererTest.count(html, "class=\"cluster-node")).isEqualTo(members);
    int links = data.clusters().stream().mapToInt(c -> c.links().size()).sum();
    assertThat(ReportRendererTest.count(html, "class=\"cluster-edge\"")).isEqualTo(links);
    assertThat(ReportRendererTest.count(html, "class=\"imp-bar\""))
        .isEqualTo(Math.min(ReportRenderer.MAX_BARS, data.importances().model().size()));
  }

  @Test
  void aDayWithoutScoresIsAUsageError() {
    assertThatThrownBy(
            () ->
                ReportGatherer.gather(
                    spark(),
                    wh,
                    LocalDate.of(2001, 1, 1),
                    new ReportGatherer.Options(5, 1, 5),
                    Instant.now()))
        .hasMessageStartingWith("Invalid --as-of: risk_scores holds no rows for 2001-01-01")
        .hasMessageContaining(String.valueOf(data.header().asOf()));
  }

  @Test
  void writesTheFileThroughTheHadoopFileSystem() throws Exception {
    Path dir = tempDir("report-out");
    Path out = dir.resolve("sub/report.html");
    ReportJob.Result r =
        ReportJob.run(spark(), wh, null, new ReportGatherer.Options(5, 2, 10), out.toString());
    byte[] bytes = Files.readAllBytes(out);
    assertThat(r.bytes()).isEqualTo(bytes.length);
    assertThat(r.path()).endsWith("sub/report.html");
    assertThat(new String(bytes, StandardCharsets.UTF_8)).startsWith("<!DOCTYPE html>");
    assertThat(Files.list(out.getParent()).map(p -> p.getFileName().toString()))
        .containsExactly("report.html"); // no .crc beside it
    assertThatThrownBy(
            () ->
                ReportJob.run(
                    spark(), wh, null, new ReportGatherer.Options(5, 2, 10), dir.toString()))
        .hasMessageStartingWith("Invalid --out:");
  }

  @Test
  void commandRejectsBadOptionsWithExitTwo() {
    assertThat(run("report", "--warehouse", wh, "--out", "/tmp/x.html", "--top", "0"))
        .isEqualTo("2 Invalid --top: 0 (must be at least 1)");
    assertThat(run("report", "--warehouse", wh, "--out", "/tmp/x.html", "--clusters", "-1"))
        .isEqualTo("2 Invalid --clusters: -1 (must be at least 1)");
    assertThat(run("report", "--warehouse", wh, "--out", "/tmp/x.html", "--top", "10001"))
        .isEqualTo(
            "2 Invalid --top: 10001 (must be at least 1 and at most 10000: every one is drawn on"
                + " the page)");
    Map<String, String> before = new HashMap<>();
    List<String> keys =
        List.of(
            "spark.sql.shuffle.partitions",
            "spark.databricks.delta.snapshotPartitions",
            "spark.sql.adaptive.skewJoin.enabled",
            "spark.sql.debug.maxToStringFields");
    keys.forEach(k -> before.put(k, spark().conf().get(k, null)));
    try {
      String empty = tempDir("no-scores").toString();
      assertThat(run("report", "--warehouse", empty, "--out", empty + "/r.html"))
          .startsWith("2 Invalid --warehouse: " + empty + " holds no risk_scores table");
    } finally {
      // the command opens "its" session, which is the shared test session: restore its settings
      before.forEach(
          (k, v) -> {
            if (v == null) {
              spark().conf().unset(k);
            } else {
              spark().conf().set(k, v);
            }
          });
    }
  }

  /** Runs the command in this JVM: exit code and the cause of the error line. */
  private static String run(String... args) {
    CommandLine cl = Main.commandLine();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    int code = cl.execute(args);
    String text = err.toString(StandardCharsets.UTF_8);
    String first = text.lines().findFirst().orElse("");
    int at = first.indexOf("error: ");
    return code + " " + (at < 0 ? first : first.substring(at + 7));
  }
}
