package io.unmask.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.unmask.testing.SparkTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** Look-alike and plain-genuine shares in the top 5% and the top R of a hand-made ranking. */
class EvaluationTest extends SparkTest {
  @Test
  void sharesInTopFivePercentAndTopR() {
    // 21 accounts ranked by score; a00 is labelled and left out, so 20 are evaluated: the top 5%
    // is 1 account, R = 2 concealed accounts (a03, a04).
    String[][] who = {
      {"a00", "true", null, "R1"},
      {"a01", "false", "agency", null},
      {"a02", "false", null, null},
      {"a03", "true", null, "R1"},
      {"a04", "true", null, null},
      {"a05", "false", "agency", null},
      {"a06", "false", "agency", null},
      {"a07", "false", "", null},
      {"a08", "false", null, null},
      {"a09", "false", null, null},
      {"a10", "false", null, null},
    };
    List<Row> truth = new ArrayList<>();
    List<Row> scores = new ArrayList<>();
    for (int i = 0; i < 21; i++) {
      String[] w =
          i < who.length
              ? who[i]
              : new String[] {String.format("a%02d", i), "false", "family", null};
      truth.add(RowFactory.create(w[0], w[1], w[2], w[3]));
      scores.add(RowFactory.create(w[0], 100.0 - i));
    }
    StructType truthSchema =
        new StructType()
            .add("account_id", DataTypes.StringType)
            .add("is_concealed", DataTypes.StringType)
            .add("lookalike", DataTypes.StringType)
            .add("ring_id", DataTypes.StringType);
    StructType scoreSchema =
        new StructType().add("account_id", DataTypes.StringType).add("score", DataTypes.DoubleType);
    StructType labelSchema =
        new StructType()
            .add("account_id", DataTypes.StringType)
            .add("label", DataTypes.IntegerType);
    Dataset<Row> labels =
        spark().createDataFrame(List.of(RowFactory.create("a00", 1)), labelSchema);
    Map<String, Double> m =
        Evaluation.evaluate(
            spark().createDataFrame(scores, scoreSchema),
            "score",
            spark().createDataFrame(truth, truthSchema),
            labels);

    assertThat(m.get("accounts")).isEqualTo(20.0);
    assertThat(m.get("positives")).isEqualTo(2.0);
    // agency: a01 (rank 1), a05, a06 -> 1/3 in the top 1, 1/3 in the top 2.
    assertThat(m.get("lookalike_top_5pct:agency")).isCloseTo(1 / 3.0, within(1e-12));
    assertThat(m.get("lookalike_top_R:agency")).isCloseTo(1 / 3.0, within(1e-12));
    // family: a11..a20, all below rank 2.
    assertThat(m.get("lookalike_top_5pct:family")).isEqualTo(0.0);
    assertThat(m.get("lookalike_top_R:family")).isEqualTo(0.0);
    // plain genuine: a02 (rank 2), a07 (empty look-alike), a08, a09, a10.
    assertThat(m.get("plain_genuine_top_5pct")).isEqualTo(0.0);
    assertThat(m.get("plain_genuine_top_R")).isCloseTo(1 / 5.0, within(1e-12));
    assertThat(m).doesNotContainKeys("lookalike_top_5pct:plain_genuine", "lookalike_top_R:");
    // Ring R1 is confirmed through a00: its member a03 is not counted as unconfirmed.
    assertThat(m.get("unconfirmed_ring_members")).isEqualTo(0.0);
  }
}
