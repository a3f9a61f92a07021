package io.unmask.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which candidate becomes the main model, from out-of-fold figures on the labels. */
class ModelChoiceTest {
  private static Map<String, Map<String, Double>> candidates(
      double twoStage, double gbt, double lr, double rule) {
    Map<String, Map<String, Double>> m = new LinkedHashMap<>();
    m.put(ModelJob.STACKED_KIND, Map.of("roc_auc", twoStage, "average_precision", 0.35));
    m.put(Trainer.Kind.GBT.id, Map.of("roc_auc", gbt, "average_precision", 0.34));
    m.put(Trainer.Kind.LOGISTIC.id, Map.of("roc_auc", lr, "average_precision", 0.35));
    m.put(ModelJob.RULE_KIND, Map.of("roc_auc", rule, "average_precision", 0.40));
    return m;
  }

  @Test
  void rankingQualityOnTheLabelsNotTheirApDecides() {
    // the figures measured on the realistic scenario: the rule had the best AP on the labels
    // (0.398) but ranked the truth worst; its AUC on the labels was the lowest too
    assertThat(ModelJob.choose(candidates(0.992, 0.963, 0.995, 0.961)))
        .isEqualTo(ModelJob.STACKED_KIND);
  }

  @Test
  void aClearlyBetterCandidateWinsAndTheRuleCanStillWin() {
    assertThat(ModelJob.choose(candidates(0.90, 0.97, 0.93, 0.92))).isEqualTo(Trainer.Kind.GBT.id);
    assertThat(ModelJob.choose(candidates(0.90, 0.91, 0.92, 0.96))).isEqualTo(ModelJob.RULE_KIND);
  }

  @Test
  void fromFiftyConfirmedATrainedModelIsAlwaysChosen() {
    // the rule is left out of the candidates from 50 confirmed positives on (ModelJob.run)
    Map<String, Map<String, Double>> m = candidates(0.981, 0.782, 0.979, 0.996);
    m.remove(ModelJob.RULE_KIND);
    assertThat(ModelJob.choose(m)).isEqualTo(ModelJob.STACKED_KIND);
    assertThat(ModelJob.TRAINED_ONLY_POSITIVES).isEqualTo(50);
  }

  @Test
  void aMissingFigureNeverWins() {
    assertThat(ModelJob.choose(candidates(Double.NaN, 0.80, 0.81, 0.70)))
        .isEqualTo(Trainer.Kind.LOGISTIC.id);
    assertThat(ModelJob.choose(candidates(Double.NaN, 0.808, 0.81, 0.70)))
        .isEqualTo(Trainer.Kind.GBT.id);
  }
}
