package io.unmask.common;

import java.io.PrintStream;
import java.util.Locale;

/**
 * One line per stage on standard output: what it did, how many rows, how many seconds. This is the
 * quiet default output of every command (Spark's own logging is turned down to warnings).
 */
public final class Progress {
  private final PrintStream out;
  private long started;
  private String stage;
  private final java.util.Map<String, Double> seconds = new java.util.LinkedHashMap<>();
  private volatile boolean running;
  private StageWatcher watcher;
  private java.util.concurrent.ScheduledExecutorService ticker;
  private org.apache.spark.SparkContext watched;
  private long everyNanos;

  public Progress(PrintStream out) {
    this.out = out;
  }

  /**
   * Also reports, every {@code everyMillis} while a stage runs, how far Spark has got: tasks
   * finished of tasks submitted, rows read and written so far, seconds since the stage started (a
   * line starting with {@code ...}). Zero or less turns it off. The listener and its daemon thread
   * live as long as the session; {@link #close()} ends them earlier.
   */
  public Progress watch(org.apache.spark.sql.SparkSession spark, long everyMillis) {
    if (everyMillis <= 0 || watcher != null) {
      return this;
    }
    this.everyNanos = everyMillis * 1_000_000L;
    watcher = new StageWatcher();
    spark.sparkContext().addSparkListener(watcher);
    ticker =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "unmask-progress");
              t.setDaemon(true);
              return t;
            });
    ticker.scheduleAtFixedRate(
        this::tick, everyMillis, everyMillis, java.util.concurrent.TimeUnit.MILLISECONDS);
    watched = spark.sparkContext();
    return this;
  }

  /** Stops the periodic reports. */
  public void close() {
    if (ticker != null) {
      ticker.shutdownNow();
      watched.removeSparkListener(watcher);
      ticker = null;
      watcher = null;
    }
  }

  private synchronized void tick() {
    if (!running || watcher == null) {
      return;
    }
    long elapsed = System.nanoTime() - started;
    if (elapsed < everyNanos) {
      return; // a stage shorter than one period prints only its summary line
    }
    StageWatcher.Counts c = watcher.counts();
    double s = elapsed / 1e9;
    out.println(
        String.format(
            Locale.ROOT,
            "... %-10s %7.0f s  %,d rows read, %,d rows written, tasks %,d/%,d",
            stage,
            s,
            c.rowsRead(),
            c.rowsWritten(),
            c.tasksDone(),
            c.tasksTotal()));
    out.flush();
  }

  public static Progress stdout() {
    return new Progress(System.out);
  }

  public synchronized void start(String stage) {
    this.stage = stage;
    this.started = System.nanoTime();
    this.running = true;
    if (watcher != null) {
      watcher.reset();
    }
  }

  /** Ends the current stage with a summary line such as {@code ingest 12,345 rows 3.2 s}. */
  public synchronized void done(long rows, String detail) {
    running = false;
    double s = (System.nanoTime() - started) / 1e9;
    seconds.merge(stage, s, Double::sum);
    out.println(
        String.format(
            Locale.ROOT,
            "%-10s %,12d rows %7.1f s  %s",
            stage,
            rows,
            s,
            detail == null ? "" : detail));
    out.flush();
  }

  /** The stage running now, or null between stages (benchmarks attribute their metrics to it). */
  public synchronized String stage() {
    return running ? stage : null;
  }

  /** Seconds of every stage ended so far, in order (a stage ended twice counts both times). */
  public java.util.Map<String, Double> seconds() {
    return java.util.Collections.unmodifiableMap(seconds);
  }

  public synchronized void info(String line) {
    out.println(line);
    out.flush();
  }
}
