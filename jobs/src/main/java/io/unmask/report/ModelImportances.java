package io.unmask.report;

import io.unmask.model.ModelJob;
import io.unmask.model.RuleScore;
import io.unmask.report.ReportData.Importance;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.classification.GBTClassificationModel;
import org.apache.spark.ml.classification.LogisticRegressionModel;

/**
 * What a model leans on, per feature: a trained GBT's {@code featureImportances}, a logistic
 * regression's absolute coefficients (its features are standardised, so these compare), or the rule
 * score's documented term weights with their evidence family.
 */
public final class ModelImportances {
  private ModelImportances() {}

  /** Importances and how they were obtained. */
  public record Result(String source, List<Importance> importances) {}

  /**
   * The importances of a saved pipeline.
   *
   * @param features the feature names in assembly order ({@code models.features})
   */
  public static Result ofPipeline(PipelineModel pipeline, List<String> features) {
    Transformer[] stages = pipeline.stages();
    Transformer last = stages[stages.length - 1];
    double[] values;
    String source;
    if (last instanceof GBTClassificationModel gbt) {
      values = gbt.featureImportances().toArray();
      source =
          "Gradient-boosted trees: each feature's share of the total gain of the splits that use"
              + " it (MLlib featureImportances, summing to 1).";
    } else if (last instanceof LogisticRegressionModel lr) {
      values = lr.coefficients().toArray();
      for (int i = 0; i < values.length; i++) {
        values[i] = Math.abs(values[i]);
      }
      source =
          "Logistic regression: the absolute coefficient of each feature on standardised values"
              + " (change of the log-odds per standard deviation).";
    } else {
      return new Result(
          "The saved model is of a kind whose importances the report cannot read ("
              + last.getClass().getSimpleName()
              + ").",
          List.of());
    }
    List<Importance> out = new ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      String name = i < features.size() ? features.get(i) : "feature_" + i;
      out.add(new Importance(name, values[i], null));
    }
    return new Result(source, sorted(out));
  }

  /** The rule score's term weights for the features present, with their families. */
  public static Result ofRuleScore(List<String> available) {
    List<Importance> out = new ArrayList<>();
    for (RuleScore.Term t : RuleScore.terms(available)) {
      out.add(new Importance(t.feature(), t.weight(), t.family()));
    }
    return new Result(
        "Rule score ("
            + ModelJob.RULE_VERSION
            + "): the documented weight of each term (weight × evidence in [0, 1]); terms of one"
            + " evidence family alone count less, corroborating families add a bonus (see"
            + " docs/model.md). Colour: evidence family.",
        sorted(out));
  }

  private static List<Importance> sorted(List<Importance> in) {
    List<Importance> out = new ArrayList<>(in);
    out.sort(
        Comparator.comparingDouble((Importance i) -> -Math.abs(i.value()))
            .thenComparing(Importance::name));
    return out;
  }
}
