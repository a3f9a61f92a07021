package io.unmask.bench;

import static org.apache.spark.sql.functions.*;

import io.unmask.common.Cols;
import io.unmask.common.Progress;
import io.unmask.common.SparkSessions;
import io.unmask.common.Tables;
import io.unmask.io.DeltaIO;
import io.unmask.model.ModelInputs;
import io.unmask.model.ModelJob;
import io.unmask.model.RuleScore;
import io.unmask.score.Evaluation;
import io.unmask.score.ScoringJob;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Developer tool (prints figures; not a test): retrains and rescores the latest day of a warehouse
 * that a {@code pipeline} run filled, without redoing ingest, linking or features, and measures the
 * ranking against a generator's truth beside the rule score: the loop for working on the model.
 *
 * <p>Usage: {@code UNMASK_MAIN_CLASS=io.unmask.bench.ModelBenchmark bin/unmask x WAREHOUSE TRUTH}
 */
public final class ModelBenchmark {
  private ModelBenchmark() {}

  public static void main(String[] args) {
    String wh = args[0];
    String truthDir = args[1];
    SparkSession spark = SparkSessions.create("unmask model-benchmark");
    LocalDate d =
        DeltaIO.read(spark, wh, Tables.ACCOUNT_FEATURES)
            .agg(max(col(Cols.AS_OF)))
            .first()
            .getDate(0)
            .toLocalDate();
    Dataset<Row> rows = day(spark, wh, Tables.ACCOUNT_FEATURES, d).cache();
    Dataset<Row> labels = day(spark, wh, Tables.LABELS, d);
    Dataset<Row> links = day(spark, wh, Tables.ACCOUNT_LINKS, d);
    Dataset<Row> profiles = day(spark, wh, Tables.PROFILES, d);
    Dataset<Row> modelInput = RuleScore.score(rows, ModelInputs.RULE_SCORE, "_rule_contrib");
    List<String> featureCols = ModelInputs.present(modelInput, List.of(ModelInputs.RULE_SCORE));
    ModelJob.Options o = ModelJob.Options.defaults();
    long t0 = System.nanoTime();
    ModelJob.Choice c =
        ModelJob.run(
            spark,
            wh,
            d,
            modelInput,
            labels,
            links,
            featureCols,
            new ModelJob.Options(true, null, o.minPositives(), o.settings()),
            Progress.stdout());
    double trainS = (System.nanoTime() - t0) / 1e9;
    Dataset<Row> latest = ModelInputs.latestLabels(labels).cache();
    t0 = System.nanoTime();
    Dataset<Row> scored =
        ScoringJob.score(spark, rows, profiles, c, links, latest)
            .select(Cols.ACCOUNT_ID, Cols.SCORE, ModelInputs.RULE_SCORE)
            .cache();
    scored.count();
    double scoreS = (System.nanoTime() - t0) / 1e9;
    Dataset<Row> truth = spark.read().option("header", "true").csv(truthDir + "/accounts");
    Map<String, Double> main = Evaluation.evaluate(scored, Cols.SCORE, truth, latest);
    Map<String, Double> rule = Evaluation.evaluate(scored, ModelInputs.RULE_SCORE, truth, latest);
    System.out.printf(
        Locale.ROOT, "model %s: train %.1f s, score %.1f s%n", c.version(), trainS, scoreS);
    System.out.printf(Locale.ROOT, "%-44s %10s %10s%n", "metric (unlabelled)", "main", "rule");
    for (String k : main.keySet()) {
      System.out.printf(
          Locale.ROOT, "%-44s %10.3f %10.3f%n", k, main.get(k), rule.getOrDefault(k, Double.NaN));
    }
  }

  private static Dataset<Row> day(SparkSession spark, String wh, String table, LocalDate d) {
    return DeltaIO.read(spark, wh, table)
        .filter(col(Cols.AS_OF).equalTo(lit(java.sql.Date.valueOf(d))));
  }
}
