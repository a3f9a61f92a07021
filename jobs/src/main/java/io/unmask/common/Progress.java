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

  public Progress(PrintStream out) {
    this.out = out;
  }

  public static Progress stdout() {
    return new Progress(System.out);
  }

  public void start(String stage) {
    this.stage = stage;
    this.started = System.nanoTime();
  }

  /** Ends the current stage with a summary line such as {@code ingest 12,345 rows 3.2 s}. */
  public void done(long rows, String detail) {
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

  /** Seconds of every stage ended so far, in order (a stage ended twice counts both times). */
  public java.util.Map<String, Double> seconds() {
    return java.util.Collections.unmodifiableMap(seconds);
  }

  public void info(String line) {
    out.println(line);
    out.flush();
  }
}
