package io.unmask.common;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import io.unmask.testing.SparkTest;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.junit.jupiter.api.Test;

class LineageTest extends SparkTest {
  @Test
  void aCutDatasetHasTheSameRowsOverAPlanOfOneScan() {
    Dataset<Row> wide = spark().range(0, 1000).toDF("id");
    for (int i = 0; i < 30; i++) {
      wide = wide.withColumn("c" + i, col("id").plus(i)).filter(col("c" + i).geq(i));
    }
    Dataset<Row> cut = Lineage.cut(wide);
    LogicalPlan plan = cut.queryExecution().analyzed();
    assertThat(plan.children().isEmpty()).as(plan.treeString()).isTrue();
    // (compared on the driver: the cut keeps the original's attribute ids, and Spark cannot tell
    // the two sides of an exceptAll apart)
    assertThat(cut.orderBy("id").collectAsList())
        .hasSize(1000)
        .isEqualTo(wide.orderBy("id").collectAsList());
    assertThat(cut.columns()).containsExactly(wide.columns());
  }

  @Test
  void releaseFreesTheMaterialisedRows() {
    Dataset<Row> cut = Lineage.cut(spark().range(0, 100).toDF("id").withColumn("x", col("id")));
    Dataset<Row> derived = cut.filter(col("x").geq(50));
    java.util.Set<Object> before =
        new java.util.HashSet<>(
            scala.jdk.javaapi.CollectionConverters.asJava(
                    spark().sparkContext().getPersistentRDDs())
                .keySet());
    int rddId =
        ((org.apache.spark.sql.execution.LogicalRDD) cut.queryExecution().logical()).rdd().id();
    assertThat(before).contains(rddId);
    Lineage.release(derived); // through a plan built on the cut one
    assertThat(
            scala.jdk.javaapi.CollectionConverters.asJava(
                    spark().sparkContext().getPersistentRDDs())
                .keySet())
        .doesNotContain(rddId);
  }

  @Test
  void theSessionsConstraintPropagationSettingIsKept() {
    String key = Lineage.CONSTRAINT_PROPAGATION;
    String before = spark().conf().get(key, "true");
    try {
      spark().conf().set(key, "true");
      Lineage.cut(spark().range(0, 10).toDF("id"));
      assertThat(spark().conf().get(key)).isEqualTo("true");
    } finally {
      spark().conf().set(key, before);
    }
  }
}
