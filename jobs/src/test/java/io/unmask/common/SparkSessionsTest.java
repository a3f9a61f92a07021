package io.unmask.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

class SparkSessionsTest {
  private static final String DELTA = "io.delta.sql.DeltaSparkSessionExtension";

  @Test
  void deltaJoinsTheClustersOwnExtensionsInsteadOfReplacingThem() {
    SparkConf none = new SparkConf(false);
    assertThat(SparkSessions.withDelta(none)).isEqualTo(DELTA);
    SparkConf iceberg =
        new SparkConf(false)
            .set(
                "spark.sql.extensions",
                "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions");
    assertThat(SparkSessions.withDelta(iceberg))
        .isEqualTo("org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions," + DELTA);
    SparkConf already = new SparkConf(false).set("spark.sql.extensions", "a.B, " + DELTA);
    assertThat(SparkSessions.withDelta(already)).isEqualTo("a.B, " + DELTA);
  }
}
