package io.unmask.model;

import static org.apache.spark.sql.functions.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.unmask.common.Cols;
import io.unmask.testing.SparkTest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * The second stage's inputs on a tiny graph: A-B device, A-F payout, B-C address, C-D device; E-A
 * an address link a shared agency explains (out of the graph). D is confirmed concealed, F
 * confirmed genuine.
 */
class GraphFeaturesTest extends SparkTest {
  private static Map<String, Row> compute() {
    StructType ls =
        new StructType()
            .add(Cols.ACCOUNT_A, DataTypes.StringType)
            .add(Cols.ACCOUNT_B, DataTypes.StringType)
            .add(Cols.LINK_TYPE, DataTypes.StringType)
            .add(Cols.WEIGHT, DataTypes.DoubleType)
            .add(Cols.IN_GRAPH, DataTypes.BooleanType);
    Dataset<Row> links =
        spark()
            .createDataFrame(
                List.of(
                    RowFactory.create("A", "B", "device", 0.9, true),
                    RowFactory.create("A", "B", "ip", 0.3, true),
                    RowFactory.create("A", "F", "payout", 1.0, true),
                    RowFactory.create("B", "C", "ip", 0.3, true),
                    RowFactory.create("C", "D", "device", 0.9, true),
                    RowFactory.create("A", "E", "ip", 0.3, false)),
                ls);
    StructType ss =
        new StructType().add(Cols.ACCOUNT_ID, DataTypes.StringType).add("s", DataTypes.DoubleType);
    Dataset<Row> scores =
        spark()
            .createDataFrame(
                List.of(
                    RowFactory.create("A", 0.1),
                    RowFactory.create("B", 0.9),
                    RowFactory.create("C", 0.2),
                    RowFactory.create("D", 0.8),
                    RowFactory.create("E", 0.5),
                    RowFactory.create("F", 0.3)),
                ss);
    StructType lb =
        new StructType()
            .add(Cols.ACCOUNT_ID, DataTypes.StringType)
            .add(ModelInputs.LABEL, DataTypes.IntegerType);
    Dataset<Row> labels =
        spark().createDataFrame(List.of(RowFactory.create("D", 1), RowFactory.create("F", 0)), lb);
    Map<String, Row> out = new HashMap<>();
    for (Row r :
        GraphFeatures.compute(
                scores.withColumn("m", org.apache.spark.sql.functions.lit(0.0)),
                "s",
                "m",
                links,
                labels)
            .collectAsList()) {
      out.put(r.getAs(Cols.ACCOUNT_ID), r);
    }
    return out;
  }

  private static double v(Row r, String c) {
    return ((Number) r.getAs(c)).doubleValue();
  }

  @Test
  void neighbourScoresByLinkStrength() {
    Map<String, Row> g = compute();
    assertThat(g).hasSize(6);
    // A: device to B (0.9) and payout to F (0.3) are strong; the agency link to E is out.
    assertThat(v(g.get("A"), GraphFeatures.NB_MAX_STRONG)).isEqualTo(0.9);
    assertThat(v(g.get("A"), GraphFeatures.NB_MAX_WEAK)).isZero();
    assertThat(v(g.get("A"), GraphFeatures.NB_DEGREE)).isEqualTo(2.0);
    // weighted by the strongest link of each pair: (1.0 * 0.3 + 0.9 * 0.9) / 1.9
    assertThat(v(g.get("A"), GraphFeatures.NB_MEAN)).isCloseTo(1.11 / 1.9, within(1e-9));
    // B: device to A (strong), address to C (weak)
    assertThat(v(g.get("B"), GraphFeatures.NB_MAX_STRONG)).isEqualTo(0.1);
    assertThat(v(g.get("B"), GraphFeatures.NB_MAX_WEAK)).isEqualTo(0.2);
    // E's only link is explained by a shared agency: no neighbours
    assertThat(v(g.get("E"), GraphFeatures.NB_DEGREE)).isZero();
    assertThat(v(g.get("E"), GraphFeatures.NB_MAX_STRONG)).isZero();
  }

  @Test
  void labelsPropagateOneAndTwoLinksButNeverFromTheAccountItself() {
    Map<String, Row> g = compute();
    assertThat(v(g.get("C"), GraphFeatures.NB_CONFIRMED)).isEqualTo(1.0);
    assertThat(v(g.get("B"), GraphFeatures.NB_CONFIRMED)).isZero();
    assertThat(v(g.get("B"), GraphFeatures.NB2_CONFIRMED)).isEqualTo(1.0); // B - C - D
    assertThat(v(g.get("A"), GraphFeatures.NB2_CONFIRMED)).isZero(); // three links away
    // D's own label reaches neither its own one-hop nor its two-hop count
    assertThat(v(g.get("D"), GraphFeatures.NB_CONFIRMED)).isZero();
    assertThat(v(g.get("D"), GraphFeatures.NB2_CONFIRMED)).isZero();
    // C is D's direct neighbour: counted once, at one link, not again at two
    assertThat(v(g.get("C"), GraphFeatures.NB2_CONFIRMED)).isZero();
    // away from confirmed genuine accounts: A is linked to F
    assertThat(v(g.get("A"), GraphFeatures.NB_GENUINE)).isEqualTo(1.0);
    assertThat(v(g.get("B"), GraphFeatures.NB_GENUINE)).isZero();
  }

  @Test
  void ownMarginAndNoLinksAtAll() {
    StructType ss =
        new StructType().add(Cols.ACCOUNT_ID, DataTypes.StringType).add("s", DataTypes.DoubleType);
    Dataset<Row> scores =
        spark()
            .createDataFrame(List.of(RowFactory.create("A", 0.5), RowFactory.create("B", 0.9)), ss)
            .withColumn("m", log(col("s").divide(lit(1.0).minus(col("s")))));
    List<Row> rows =
        GraphFeatures.compute(scores, "s", "m", null, null)
            .orderBy(Cols.ACCOUNT_ID)
            .collectAsList();
    assertThat(v(rows.get(0), GraphFeatures.S1_LOGIT)).isCloseTo(0.0, within(1e-9));
    assertThat(v(rows.get(1), GraphFeatures.S1_LOGIT)).isCloseTo(Math.log(9), within(1e-9));
    for (String c : GraphFeatures.COLUMNS.subList(2, GraphFeatures.COLUMNS.size())) {
      assertThat(v(rows.get(1), c)).as(c).isZero();
    }
  }
}
