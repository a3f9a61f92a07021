package io.unmask.pipeline;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import io.unmask.common.Cols;
import io.unmask.common.FeatureCols;
import io.unmask.common.Progress;
import io.unmask.common.Tables;
import io.unmask.generate.GenerateJob;
import io.unmask.generate.OutputFormat;
import io.unmask.generate.Scenario;
import io.unmask.ingest.IngestJob;
import io.unmask.ingest.Store;
import io.unmask.testing.Processes;
import io.unmask.testing.SparkTest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.Test;

/**
 * The daily sample ({@code data-samples/daily}: a snapshot, then six increments with late,
 * re-delivered and changed rows) loaded day by day gives the same features and the same ranking on
 * the last day as one snapshot of the same history (the generator's plain export, same seed),
 * except the profile-history features, which one snapshot cannot know.
 */
class DailyEquivalenceTest extends SparkTest {
  static final Progress QUIET = new Progress(new PrintStream(new ByteArrayOutputStream()));

  @Test
  void dailyIncrementsGiveTheSnapshotsFeaturesAndRanking() throws Exception {
    Path daily = Processes.root().resolve("data-samples/daily");
    List<String> days;
    try (Stream<Path> s = Files.list(daily)) {
      days =
          s.map(p -> p.getFileName().toString())
              .filter(n -> n.matches("\\d{4}-\\d\\d-\\d\\d"))
              .sorted()
              .toList();
    }
    assertThat(days).hasSize(7);
    LocalDate last = LocalDate.parse(days.get(days.size() - 1));

    // the same world as one export (the sample was made with these settings: data-samples/README)
    Path snapshot = SparkTest.tempDir("daily-snapshot");
    GenerateJob.run(
        spark(),
        new GenerateJob.Options(
            snapshot.toString(),
            300,
            42,
            Scenario.STANDARD,
            OutputFormat.CSV,
            30,
            GenerateJob.Options.DEFAULT_ACCOUNTS_PER_FILE,
            true),
        QUIET);

    String one = SparkTest.tempDir("wh-snapshot").toString();
    PipelineJob.run(
        spark(),
        new IngestJob.Options(snapshot.toString(), one, last, "snap", false),
        PipelineJob.Settings.defaults(),
        QUIET);

    String inc = SparkTest.tempDir("wh-daily").toString();
    for (int i = 0; i < days.size(); i++) {
      LocalDate d = LocalDate.parse(days.get(i));
      IngestJob.Options o =
          new IngestJob.Options(daily.resolve(days.get(i)).toString(), inc, d, "day-" + d, false)
              .withMode(i == 0 ? Store.Mode.SNAPSHOT : Store.Mode.INCREMENT);
      IngestJob.Result r = IngestJob.run(spark(), o, QUIET);
      if (i > 0) {
        assertThat(r.table(Tables.LOGINS).orElseThrow().quarantined()).as(d.toString()).isZero();
      }
    }
    PipelineJob.analyse(spark(), inc, last, "daily", PipelineJob.Settings.defaults(), QUIET);

    // each event once: as many sign-ins as in the snapshot
    assertThat(io.unmask.io.DeltaIO.read(spark(), inc, Tables.LOGINS).count())
        .isEqualTo(io.unmask.io.DeltaIO.read(spark(), one, Tables.LOGINS).count());

    Dataset<Row> a = PipelineJob.dayOf(spark(), one, Tables.ACCOUNT_FEATURES, last);
    Dataset<Row> b = PipelineJob.dayOf(spark(), inc, Tables.ACCOUNT_FEATURES, last);
    assertThat(b.count()).isEqualTo(a.count()).isEqualTo(300);
    // profile history is what only daily loads can see: a snapshot holds each profile's last
    // version, so its change counts are 0; the daily run sees the sample's changes
    List<String> history =
        List.of(
            FeatureCols.PROFILE_CHANGES,
            FeatureCols.IDENTITY_CHANGES,
            FeatureCols.CLAIM_CHANGES,
            FeatureCols.IDENTITY_CHANGED_ON,
            FeatureCols.IDENTITY_CHANGED);
    assertThat(a.filter(col(FeatureCols.PROFILE_CHANGES).gt(0)).count()).isZero();
    assertThat(b.filter(col(FeatureCols.PROFILE_CHANGES).gt(0)).count()).isPositive();
    a = a.drop(history.toArray(String[]::new));
    b = b.drop(history.toArray(String[]::new));
    List<String> numeric =
        Arrays.stream(a.schema().fields())
            .filter(f -> f.dataType() instanceof NumericType)
            .map(StructField::name)
            .toList();
    List<String> other =
        Arrays.stream(a.schema().fields())
            .filter(f -> !(f.dataType() instanceof NumericType))
            .map(StructField::name)
            .filter(n -> !n.equals(Cols.ACCOUNT_ID))
            .toList();
    Dataset<Row> joined = a.as("a").join(b.as("b"), Cols.ACCOUNT_ID);
    assertThat(joined.count()).isEqualTo(300);
    for (String c : numeric) {
      long differ =
          joined
              .filter(
                  col("a." + c)
                      .isNull()
                      .notEqual(col("b." + c).isNull())
                      .or(
                          org.apache
                              .spark
                              .sql
                              .functions
                              .abs(col("a." + c).cast("double").minus(col("b." + c).cast("double")))
                              .gt(1e-9)))
              .count();
      assertThat(differ).as(c).isZero();
    }
    for (String c : other) {
      assertThat(joined.filter(not(col("a." + c).eqNullSafe(col("b." + c)))).count())
          .as(c)
          .isZero();
    }

    // the same ranking
    assertThat(ranking(inc, last)).isEqualTo(ranking(one, last));
  }

  private static org.apache.spark.sql.Column not(org.apache.spark.sql.Column c) {
    return org.apache.spark.sql.functions.not(c);
  }

  private static List<String> ranking(String wh, LocalDate day) {
    return PipelineJob.dayOf(spark(), wh, Tables.RISK_SCORES, day)
        .orderBy(Cols.RANK)
        .select(Cols.ACCOUNT_ID)
        .as(org.apache.spark.sql.Encoders.STRING())
        .collectAsList();
  }
}
