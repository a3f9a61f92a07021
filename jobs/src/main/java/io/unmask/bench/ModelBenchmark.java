package io.unmask.bench;

import static org.apache.spark.sql.functions.*;

import io.unmask.common.Cols;
import io.unmask.common.SparkSessions;
import io.unmask.common.Tables;
import io.unmask.io.DeltaIO;
import io.unmask.model.ModelInputs;
import io.unmask.model.ModelJob;
import io.unmask.model.RuleScore;
import io.unmask.model.Trainer;
import io.unmask.score.Evaluation;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Developer tool (prints figures; not a test): trains every candidate model on the latest day of a
 * warehouse that a {@code pipeline} run filled, without redoing ingest, linking or features, and
 * measures each one's out-of-fold ranking against a generator's truth (unlabelled accounts) beside
 * its out-of-fold AP on the labels, which is what the model choice sees: the loop for working on
 * the model.
 *
 * <p>Usage: {@code bin/bench-model WAREHOUSE TRUTH [--driver-memory 6g]}
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
    Dataset<Row> labels = io.unmask.review.Labels.effectiveOrEmpty(spark, wh, d);
    Dataset<Row> links = day(spark, wh, Tables.ACCOUNT_LINKS, d);
    Dataset<Row> modelInput = RuleScore.score(rows, ModelInputs.RULE_SCORE, "_rule_contrib");
    List<String> featureCols = ModelInputs.present(modelInput, List.of(ModelInputs.RULE_SCORE));
    ModelJob.Options o = ModelJob.Options.defaults();
    Dataset<Row> latest = ModelInputs.latestLabels(labels).cache();
    long positives = latest.filter(col(ModelInputs.LABEL).equalTo(1)).count();
    long t0 = System.nanoTime();
    ModelJob.Candidates c =
        ModelJob.train(modelInput, latest, links, featureCols, positives, o.settings());
    double trainS = (System.nanoTime() - t0) / 1e9;
    Dataset<Row> truth = spark.read().option("header", "true").csv(truthDir + "/accounts");
    Map<String, Map<String, Double>> results = new LinkedHashMap<>();
    Map<String, Double> oofAp = new LinkedHashMap<>();
    for (Map.Entry<String, io.unmask.model.Trainer.Fitted> e :
        Map.of("two_stage", c.stacked(), "gbt", c.gbt(), "logistic", c.lr()).entrySet()) {
      results.put(
          e.getKey(), Evaluation.evaluate(e.getValue().oof(), Trainer.OOF_MARGIN, truth, latest));
      oofAp.put(e.getKey(), e.getValue().metrics().get("average_precision"));
    }
    results.put("rule", Evaluation.evaluate(modelInput, ModelInputs.RULE_SCORE, truth, latest));
    oofAp.put("rule", c.ruleMetrics().get("average_precision"));
    System.out.printf(
        Locale.ROOT,
        "%d confirmed positives; train %.1f s; first stage of two_stage: %s%n",
        positives,
        trainS,
        c.first().kind().id);
    StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-40s", "metric"));
    results.keySet().forEach(k -> head.append(String.format(Locale.ROOT, "%12s", k)));
    System.out.println(head);
    StringBuilder oof = new StringBuilder(String.format(Locale.ROOT, "%-40s", "oof AP on labels"));
    results.keySet().forEach(k -> oof.append(String.format(Locale.ROOT, "%12.3f", oofAp.get(k))));
    System.out.println(oof);
    for (String m : List.of("roc_auc", "recall_top_1pct", "recall_top_5pct", "pu_recall")) {
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-40s", "oof " + m));
      for (String k : results.keySet()) {
        Map<String, Double> mm =
            switch (k) {
              case "two_stage" -> c.stacked().metrics();
              case "gbt" -> c.gbt().metrics();
              case "logistic" -> c.lr().metrics();
              default -> c.ruleMetrics();
            };
        line.append(String.format(Locale.ROOT, "%12.3f", mm.getOrDefault(m, Double.NaN)));
      }
      System.out.println(line);
    }
    for (String k : results.get("rule").keySet()) {
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-40s", k));
      for (Map<String, Double> m : results.values()) {
        line.append(String.format(Locale.ROOT, "%12.3f", m.getOrDefault(k, Double.NaN)));
      }
      System.out.println(line);
    }
    // Where the two-stage model misses: concealed, unlabelled accounts below the top R, by
    // archetype, with the evidence they show; and the innocents above them, by look-alike.
    Dataset<Row> ranked =
        c.stacked()
            .oof()
            .select(Cols.ACCOUNT_ID, Trainer.OOF_MARGIN)
            .join(latest.select(Cols.ACCOUNT_ID), new String[] {Cols.ACCOUNT_ID}, "left_anti")
            .join(truth, Cols.ACCOUNT_ID)
            .withColumn(
                "_rank",
                row_number()
                    .over(
                        org.apache.spark.sql.expressions.Window.orderBy(
                            col(Trainer.OOF_MARGIN).desc(), col(Cols.ACCOUNT_ID))))
            .join(modelInput, Cols.ACCOUNT_ID)
            .cache();
    long r = ranked.filter(col("is_concealed").equalTo("true")).count();
    System.out.println("R = " + r + "; concealed below the top R, by archetype:");
    List<String> show =
        List.of(
            "vpn_share",
            "hosting_share",
            "concern_ip_logins",
            "leak_after_anonymizer",
            "tz_mismatch_share",
            "east_asia_office_share",
            "device_other_places",
            "payout_other_places",
            "payout_foreign_share",
            "holder_mismatch_share",
            "crypto_share",
            "takeover_signals",
            "cluster_size",
            ModelInputs.RULE_SCORE);
    List<org.apache.spark.sql.Column> aggs = new java.util.ArrayList<>();
    aggs.add(count(lit(1)).as("n"));
    aggs.add(avg("_rank").as("mean_rank"));
    for (String f : show) {
      if (List.of(ranked.columns()).contains(f)) {
        aggs.add(round(avg(col(f).cast("double")), 2).as(f));
      }
    }
    ranked
        .filter(col("is_concealed").equalTo("true").and(col("_rank").gt(r)))
        .groupBy("archetype")
        .agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(org.apache.spark.sql.Column[]::new))
        .show(20, false);
    System.out.println("innocents in the top R, by look-alike:");
    ranked
        .filter(col("is_concealed").notEqual("true").and(col("_rank").leq(r)))
        .groupBy("lookalike")
        .agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(org.apache.spark.sql.Column[]::new))
        .show(30, false);
  }

  private static Dataset<Row> day(SparkSession spark, String wh, String table, LocalDate d) {
    return DeltaIO.read(spark, wh, table)
        .filter(col(Cols.AS_OF).equalTo(lit(java.sql.Date.valueOf(d))));
  }
}
