package io.unmask.model;

import static io.unmask.common.FeatureCols.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.unmask.testing.SparkTest;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * The first-stage logistic regression's coefficients are signed by meaning: when the confirmed
 * accounts happen to show less of some evidence than the unlabeled ones (few rented accounts among
 * them, say), the evidence gets no weight rather than a negative one; context stays free.
 */
class SignedCoefficientsTest extends SparkTest {
  @Test
  void evidenceNeverLowersAScoreAndContextIsFree() {
    StructType s =
        new StructType()
            .add(SWITCH_SIGNALS, DataTypes.DoubleType)
            .add(RATE_TO_MARKET, DataTypes.DoubleType)
            .add(N_LOGINS, DataTypes.DoubleType)
            .add(ModelInputs.TARGET, DataTypes.DoubleType)
            .add(ModelInputs.WEIGHT, DataTypes.DoubleType);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      boolean positive = i % 10 == 0;
      // the confirmed ones never switched devices, have high rates and sign in a lot: in these
      // labels every feature points the "wrong" way
      double switched = positive ? 0.0 : (i % 3 == 0 ? 3.0 : 0.0);
      double rate = positive ? 1.5 + (i % 7) * 0.1 : 0.5 + (i % 5) * 0.1;
      double logins = positive ? 5.0 + i % 4 : 30.0 + i % 9;
      rows.add(RowFactory.create(switched, rate, logins, positive ? 1.0 : 0.0, 1.0));
    }
    Dataset<Row> data = spark().createDataFrame(rows, s);
    List<String> features = List.of(SWITCH_SIGNALS, RATE_TO_MARKET, N_LOGINS);

    PipelineModel m =
        Trainer.pipeline(Trainer.Kind.LOGISTIC, features, Trainer.Settings.defaults()).fit(data);
    double[] c = logistic(m).coefficients().toArray();

    assertThat(c[0]).as("evidence: a switch").isGreaterThanOrEqualTo(0.0);
    assertThat(c[1]).as("what clears: a market rate").isLessThanOrEqualTo(0.0);
    assertThat(c[2]).as("context: sign-ins").isLessThan(-0.1);
    assertThat(ModelInputs.sign(SWITCH_SIGNALS)).isEqualTo(1);
    assertThat(ModelInputs.sign(ANONYMIZER_CONSISTENT)).isEqualTo(-1);
    assertThat(ModelInputs.sign(N_DEVICES)).isZero();
  }

  private static LogisticRegressionModel logistic(PipelineModel m) {
    for (Transformer t : m.stages()) {
      if (t instanceof LogisticRegressionModel lr) {
        return lr;
      }
    }
    throw new AssertionError("no logistic regression in " + m.uid());
  }
}
