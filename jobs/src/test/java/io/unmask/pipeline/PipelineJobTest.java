package io.unmask.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.unmask.common.Cols;
import io.unmask.common.Progress;
import io.unmask.common.Tables;
import io.unmask.features.FeatureConfig;
import io.unmask.ingest.IngestJob;
import io.unmask.io.DeltaIO;
import io.unmask.model.ModelJob;
import io.unmask.testing.Fixtures;
import io.unmask.testing.SparkTest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** The stages chained on a two-account input without labels: every account ranked once. */
class PipelineJobTest extends SparkTest {
  @Test
  void everyStageRunsAndEveryAccountIsRankedOnce() {
    Path in = Fixtures.minimalInput("pipeline");
    Path wh = SparkTest.tempDir("pipeline-wh");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PipelineJob.Result r =
        PipelineJob.run(
            spark(),
            new IngestJob.Options(in.toString(), wh.toString(), null, "run-p", false),
            FeatureConfig.defaults(),
            ModelJob.Options.defaults(),
            new Progress(new PrintStream(out)));

    assertThat(r.model().isRule()).isTrue();
    assertThat(out.toString())
        .contains("ingest")
        .contains("linking")
        .contains("features")
        .contains("model")
        .contains("score");
    List<Row> scores =
        PipelineJob.dayOf(spark(), wh.toString(), Tables.RISK_SCORES, r.asOf())
            .orderBy(Cols.RANK)
            .collectAsList();
    assertThat(scores).extracting(x -> x.<Integer>getAs(Cols.RANK)).containsExactly(1, 2);
    assertThat(scores).extracting(x -> x.<String>getAs(Cols.RUN_ID)).containsOnly("run-p");
    assertThat(DeltaIO.exists(spark(), wh.toString(), Tables.ACCOUNT_FEATURES)).isTrue();
  }

  @Test
  void analyseRunsTheStagesAfterAnIngestAndRefusesADayNotIngested() {
    Path in = Fixtures.minimalInput("pipeline-split");
    Path wh = SparkTest.tempDir("pipeline-split-wh");
    Progress quiet = new Progress(new PrintStream(new ByteArrayOutputStream()));
    IngestJob.Result ingested =
        IngestJob.run(
            spark(),
            new IngestJob.Options(in.toString(), wh.toString(), null, "run-i", false),
            quiet);
    java.time.LocalDate other = ingested.asOf().plusDays(1);
    assertThatThrownBy(
            () ->
                PipelineJob.analyse(
                    spark(), wh.toString(), other, "run-a", PipelineJob.Settings.defaults(), quiet))
        .isInstanceOf(IngestJob.InputException.class)
        .hasMessageContaining("has not been ingested")
        .hasMessageContaining("profiles, logins, payments");
    assertThat(DeltaIO.exists(spark(), wh.toString(), Tables.ACCOUNT_FEATURES)).isFalse();

    PipelineJob.Analysis a =
        PipelineJob.analyse(
            spark(),
            wh.toString(),
            ingested.asOf(),
            "run-a",
            PipelineJob.Settings.defaults(),
            quiet);
    assertThat(a.model().isRule()).isTrue();
    assertThat(
            PipelineJob.dayOf(spark(), wh.toString(), Tables.RISK_SCORES, ingested.asOf())
                .select(Cols.RUN_ID)
                .distinct()
                .collectAsList())
        .extracting(r -> r.getString(0))
        .containsExactly("run-a");
  }
}
