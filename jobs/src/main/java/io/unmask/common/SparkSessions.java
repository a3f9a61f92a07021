package io.unmask.common;

import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/** The one place a SparkSession is built: Delta enabled, UTC, adaptive execution on. */
public final class SparkSessions {
  private SparkSessions() {}

  /** Settings Unmask needs whatever the cluster; a user's --conf still wins where not listed. */
  public static Map<String, String> required() {
    return Map.of(
        "spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension",
        "spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog",
        "spark.sql.session.timeZone", "UTC");
  }

  private static final String EXTENSIONS = "spark.sql.extensions";

  /**
   * The cluster's own session extensions (e.g. Iceberg's, set in spark-defaults.conf) with Delta's
   * added, rather than replaced by it.
   */
  static String withDelta(SparkConf conf) {
    String delta = required().get(EXTENSIONS);
    String mine = conf.get(EXTENSIONS, "").trim();
    if (mine.isEmpty()) {
      return delta;
    }
    boolean has =
        java.util.Arrays.stream(mine.split(",")).map(String::trim).anyMatch(delta::equals);
    return has ? mine : mine + "," + delta;
  }

  /** Defaults a user may override with --conf. */
  public static Map<String, String> defaults() {
    return Map.of(
        "spark.sql.adaptive.enabled", "true",
        "spark.sql.adaptive.skewJoin.enabled", "true",
        "spark.serializer", "org.apache.spark.serializer.KryoSerializer",
        "spark.databricks.delta.schema.autoMerge.enabled", "false",
        "spark.sql.debug.maxToStringFields", "500",
        // Inferring filters from constraints walks every alias of every projection: over the
        // features' and the scorer's wide plans (hundreds of derived columns) it ran for many
        // minutes on the driver. It only adds redundant filters; results do not depend on it.
        "spark.sql.constraintPropagation.enabled", "false",
        // Compressing the in-memory cache cost ingest more than its parse and validation (the
        // validated sign-ins: 27 s cached compressed against 15 s uncompressed at 5M rows, 1.5
        // against 2.6 GB). Blocks that do not fit still go to disk (MEMORY_AND_DISK).
        "spark.sql.inMemoryColumnarStorage.compressed", "false");
  }

  /**
   * The session for a command: takes master and the user's settings from spark-submit (or the
   * defaults above when run elsewhere), and always adds the Delta settings.
   */
  public static SparkSession create(String appName) {
    SparkConf conf = new SparkConf();
    if (!conf.contains("spark.master")) {
      conf.setMaster("local[*]");
    }
    defaults().forEach(conf::setIfMissing);
    if (conf.get("spark.master").startsWith("local")) {
      // One machine: Spark's 200 shuffle partitions and Delta's 50 snapshot partitions only add
      // task overhead; AQE still splits skewed partitions.
      int cores = Runtime.getRuntime().availableProcessors();
      conf.setIfMissing("spark.sql.shuffle.partitions", String.valueOf(Math.max(4, cores * 4)));
      conf.setIfMissing(
          "spark.databricks.delta.snapshotPartitions", String.valueOf(Math.max(2, cores)));
    }
    required().forEach((k, v) -> conf.set(k, k.equals(EXTENSIONS) ? withDelta(conf) : v));
    conf.setAppName(appName);
    return SparkSession.builder().config(conf).getOrCreate();
  }
}
