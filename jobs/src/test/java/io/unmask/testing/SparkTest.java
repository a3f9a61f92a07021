package io.unmask.testing;

import io.unmask.common.SparkSessions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * One local SparkSession per test JVM (local[2], two shuffle partitions, no UI, Delta on), shared
 * by every test class and never stopped between them; a JVM shutdown hook ends it.
 */
public abstract class SparkTest {
  private static SparkSession spark;

  protected static synchronized SparkSession spark() {
    if (spark == null) {
      SparkConf conf =
          new SparkConf()
              .setMaster("local[2]")
              .setAppName("unmask-tests")
              .set("spark.sql.shuffle.partitions", "2")
              .set("spark.default.parallelism", "2")
              .set("spark.ui.enabled", "false")
              .set("spark.sql.adaptive.enabled", "true")
              .set("spark.databricks.delta.snapshotPartitions", "1")
              .set("spark.sql.warehouse.dir", tempDir("spark-warehouse").toString());
      SparkSessions.required().forEach(conf::set);
      spark = SparkSession.builder().config(conf).getOrCreate();
      spark.sparkContext().setLogLevel("WARN");
    }
    return spark;
  }

  /** A fresh temporary directory, deleted by the OS's temp cleaning, not by the test. */
  protected static Path tempDir(String prefix) {
    try {
      return Files.createTempDirectory("unmask-" + prefix);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
