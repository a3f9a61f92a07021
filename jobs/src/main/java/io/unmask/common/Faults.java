package io.unmask.common;

import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;

/**
 * Crash injection for the crash-safety tests: with {@code UNMASK_HALT_AT=<point>} in the driver's
 * environment, the driver stops dead ({@link Runtime#halt}: no shutdown hook, no {@code finally},
 * as after {@code kill -9}) when the first task that wrote bytes after the named point ends, so
 * some data files of the write exist and nothing of it is committed. Points: {@code ingest}, {@code
 * linking}, {@code model}, {@code score}. Unset (always, outside tests), it does nothing.
 */
public final class Faults {
  public static final String ENV = "UNMASK_HALT_AT";

  /** Exit status of a halted driver: 128 + SIGKILL, as a killed process reports. */
  public static final int HALTED = 137;

  private Faults() {}

  /** Arms the crash if {@code point} is the one named in the environment. */
  public static void beforeWrites(SparkSession spark, String point) {
    if (!point.equals(System.getenv(ENV))) {
      return;
    }
    spark
        .sparkContext()
        .addSparkListener(
            new SparkListener() {
              @Override
              public void onTaskEnd(SparkListenerTaskEnd taskEnd) {
                if (taskEnd.taskMetrics() == null
                    || taskEnd.taskMetrics().outputMetrics().bytesWritten() <= 0) {
                  return;
                }
                System.err.println("unmask: halted at " + point + " (" + ENV + ")");
                System.err.flush();
                Runtime.getRuntime().halt(HALTED);
              }
            });
  }
}
