package io.unmask.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.spark.SparkContext;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * What a benchmark run cost besides seconds, per stage of the run (the label {@code current}
 * returns when Spark reports a job or a task): Spark jobs, tasks, shuffle bytes written and read,
 * bytes spilled (memory and disk), the largest peak execution memory of a task, and the peak JVM
 * heap in use, sampled every 200 ms. In local mode the driver is the executor, so the heap is both;
 * on a cluster it is the driver's and the task figures are the executors'. Listener events arrive a
 * few milliseconds late, so a job at a stage boundary can be counted in its neighbour.
 */
final class RunMetrics extends SparkListener implements AutoCloseable {
  /** The figures of one stage. */
  static final class Counts {
    long jobs;
    long tasks;
    long shuffleWrite;
    long shuffleRead;
    long spillMemory;
    long spillDisk;
    long peakTaskMemory;
    long peakHeap;

    void add(Counts o) {
      jobs += o.jobs;
      tasks += o.tasks;
      shuffleWrite += o.shuffleWrite;
      shuffleRead += o.shuffleRead;
      spillMemory += o.spillMemory;
      spillDisk += o.spillDisk;
      peakTaskMemory = Math.max(peakTaskMemory, o.peakTaskMemory);
      peakHeap = Math.max(peakHeap, o.peakHeap);
    }

    String format() {
      return String.format(
          Locale.ROOT,
          "%5d jobs %7d tasks, shuffle %s written %s read, spill %s / %s disk, peak task %s, heap %s",
          jobs,
          tasks,
          mb(shuffleWrite),
          mb(shuffleRead),
          mb(spillMemory),
          mb(spillDisk),
          mb(peakTaskMemory),
          mb(peakHeap));
    }
  }

  private final Supplier<String> current;
  private final Map<String, Counts> byStage = new LinkedHashMap<>();
  private final ScheduledExecutorService sampler;
  private final SparkContext sc;

  private RunMetrics(SparkContext sc, Supplier<String> current) {
    this.sc = sc;
    this.current = current;
    MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
    this.sampler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "unmask-bench-heap");
              t.setDaemon(true);
              return t;
            });
    sampler.scheduleAtFixedRate(
        () -> {
          long used = mem.getHeapMemoryUsage().getUsed();
          synchronized (this) {
            Counts c = counts();
            c.peakHeap = Math.max(c.peakHeap, used);
          }
        },
        0,
        200,
        TimeUnit.MILLISECONDS);
  }

  /** Starts listening to {@code sc}; {@link #close()} stops. */
  static RunMetrics attach(SparkContext sc, Supplier<String> current) {
    RunMetrics m = new RunMetrics(sc, current);
    sc.addSparkListener(m);
    return m;
  }

  private Counts counts() {
    String s = current.get();
    return byStage.computeIfAbsent(s == null ? "(between stages)" : s, k -> new Counts());
  }

  @Override
  public synchronized void onJobStart(SparkListenerJobStart e) {
    counts().jobs++;
  }

  @Override
  public synchronized void onTaskEnd(SparkListenerTaskEnd e) {
    TaskMetrics m = e.taskMetrics();
    Counts c = counts();
    c.tasks++;
    if (m == null) {
      return;
    }
    c.shuffleWrite += m.shuffleWriteMetrics().bytesWritten();
    c.shuffleRead += m.shuffleReadMetrics().totalBytesRead();
    c.spillMemory += m.memoryBytesSpilled();
    c.spillDisk += m.diskBytesSpilled();
    c.peakTaskMemory = Math.max(c.peakTaskMemory, m.peakExecutionMemory());
  }

  /** A copy of the figures so far, per stage in order of first appearance. */
  synchronized Map<String, Counts> snapshot() {
    Map<String, Counts> out = new LinkedHashMap<>();
    byStage.forEach(
        (k, v) -> {
          Counts c = new Counts();
          c.add(v);
          out.put(k, c);
        });
    return out;
  }

  /** The sum over every stage (peaks: the largest). */
  synchronized Counts total() {
    Counts t = new Counts();
    byStage.values().forEach(t::add);
    return t;
  }

  /** Forgets what was counted (the next run starts from zero). */
  synchronized void reset() {
    byStage.clear();
  }

  /** Peak resident set of this JVM so far (Linux {@code VmHWM}), or -1 where unknown. */
  static long peakRss() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (Exception e) {
      return -1;
    }
    return -1;
  }

  static String mb(long bytes) {
    return bytes < 0 ? "n/a" : String.format(Locale.ROOT, "%,.0f MB", bytes / 1e6);
  }

  @Override
  public void close() {
    sampler.shutdownNow();
    sc.removeSparkListener(this);
  }
}
