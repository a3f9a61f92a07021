package io.unmask.cli;

import static org.apache.spark.sql.functions.*;

import io.unmask.common.Cols;
import io.unmask.common.Tables;
import io.unmask.io.DeltaIO;
import io.unmask.model.ModelInputs;
import io.unmask.model.RuleScore;
import io.unmask.score.Evaluation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code evaluate}: the latest ranking against a generator's ground truth, beside the baselines.
 */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description = {
      "Measures the latest risk_scores against --truth (a generator's _truth folder) over the",
      "accounts without a label, with the logistic-regression and rule-score baselines beside it."
    })
public final class EvaluateCommand implements Callable<Integer> {
  @Mixin ConfigOption config;

  @Mixin WarehouseOption warehouse;

  @Option(
      names = "--truth",
      required = true,
      paramLabel = "DIR",
      description = "The _truth folder of generated data.")
  String truth;

  @Option(names = "--verbose", description = "Show Spark's own logging.")
  boolean verbose;

  @Override
  public Integer call() {
    SparkSession spark = io.unmask.common.SparkSessions.create("unmask evaluate");
    if (!DeltaIO.exists(spark, warehouse.dir, Tables.RISK_SCORES)) {
      throw new UsageException(
          "Invalid --warehouse: " + warehouse.dir + " holds no risk_scores; run pipeline first");
    }
    Dataset<Row> scores = DeltaIO.read(spark, warehouse.dir, Tables.RISK_SCORES);
    java.sql.Date day = scores.agg(max(col(Cols.AS_OF))).first().getDate(0);
    scores = scores.filter(col(Cols.AS_OF).equalTo(lit(day)));
    String version = scores.select(Cols.MODEL_VERSION).first().getString(0);
    Dataset<Row> truthRows = spark.read().option("header", "true").csv(truth + "/accounts");
    // the labels the run learned from (export and decisions): evaluated accounts are the others
    Dataset<Row> labels =
        ModelInputs.latestLabels(
            io.unmask.review.Labels.effectiveOrEmpty(spark, warehouse.dir, day.toLocalDate()));
    Dataset<Row> features =
        RuleScore.score(
            DeltaIO.read(spark, warehouse.dir, Tables.ACCOUNT_FEATURES)
                .filter(col(Cols.AS_OF).equalTo(lit(day))),
            ModelInputs.RULE_SCORE,
            "_rule_terms");

    Map<String, Map<String, Double>> results = new LinkedHashMap<>();
    results.put(
        "main (" + version.split(" ")[0] + ")",
        Evaluation.evaluate(scores, Cols.SCORE, truthRows, labels));
    List<Row> model =
        DeltaIO.exists(spark, warehouse.dir, Tables.MODELS)
            ? DeltaIO.read(spark, warehouse.dir, Tables.MODELS)
                .filter(col(Cols.MODEL_VERSION).equalTo(version))
                .collectAsList()
            : List.of();
    if (!model.isEmpty()) {
      String path = model.get(0).getAs("path");
      Dataset<Row> lr =
          PipelineModel.load(path + "/baseline_logistic_regression")
              .transform(features)
              .withColumn(
                  "_lr",
                  org.apache
                      .spark
                      .ml
                      .functions
                      .vector_to_array(col("probability"), "float64")
                      .getItem(1));
      results.put("logistic_regression", Evaluation.evaluate(lr, "_lr", truthRows, labels));
    }
    results.put(
        "rule_score", Evaluation.evaluate(features, ModelInputs.RULE_SCORE, truthRows, labels));
    print(results);
    return 0;
  }

  private static void print(Map<String, Map<String, Double>> results) {
    TreeSet<String> keys = new TreeSet<>();
    List<String> order = new java.util.ArrayList<>();
    for (Map<String, Double> m : results.values()) {
      for (String k : m.keySet()) {
        if (keys.add(k)) {
          order.add(k);
        }
      }
    }
    StringBuilder sb = new StringBuilder(String.format("%-44s", "metric (unlabelled accounts)"));
    results.keySet().forEach(k -> sb.append(String.format("%22s", k)));
    System.out.println(sb);
    for (String k : order) {
      StringBuilder line = new StringBuilder(String.format("%-44s", k));
      for (Map<String, Double> m : results.values()) {
        Double v = m.get(k);
        line.append(
            v == null
                ? String.format("%22s", "-")
                : k.equals("positives")
                        || k.equals("accounts")
                        || k.equals("unconfirmed_ring_members")
                    ? String.format(Locale.ROOT, "%22.0f", v)
                    : String.format(Locale.ROOT, "%22.3f", v));
      }
      System.out.println(line);
    }
  }
}
