package io.unmask.cli;

import io.unmask.common.SparkSessions;
import org.apache.spark.sql.SparkSession;

/** Opens the session for a command and says where its UI is, when there is one. */
final class Sessions {
  private Sessions() {}

  static SparkSession open(String app) {
    SparkSession spark = SparkSessions.create(app);
    spark
        .sparkContext()
        .uiWebUrl()
        .foreach(
            url -> {
              System.out.println("Spark UI: " + url);
              return null;
            });
    return spark;
  }
}
