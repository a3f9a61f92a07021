package io.unmask.common;

import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * Counts what Spark has done since the last {@link #reset()}: tasks finished of tasks submitted,
 * rows read (input and shuffle) and rows written. {@link Progress} prints these while a long stage
 * runs. Listener callbacks come on Spark's listener-bus thread; the counters are atomic.
 */
final class StageWatcher extends SparkListener {
  private final AtomicLong tasksTotal = new AtomicLong();
  private final AtomicLong tasksDone = new AtomicLong();
  private final AtomicLong rowsRead = new AtomicLong();
  private final AtomicLong rowsWritten = new AtomicLong();

  /** A snapshot of the counters. */
  record Counts(long tasksDone, long tasksTotal, long rowsRead, long rowsWritten) {}

  void reset() {
    tasksTotal.set(0);
    tasksDone.set(0);
    rowsRead.set(0);
    rowsWritten.set(0);
  }

  Counts counts() {
    return new Counts(tasksDone.get(), tasksTotal.get(), rowsRead.get(), rowsWritten.get());
  }

  @Override
  public void onStageSubmitted(SparkListenerStageSubmitted e) {
    tasksTotal.addAndGet(e.stageInfo().numTasks());
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd e) {
    tasksDone.incrementAndGet();
    TaskMetrics m = e.taskMetrics();
    if (m == null || !e.taskInfo().successful()) {
      return;
    }
    rowsRead.addAndGet(m.inputMetrics().recordsRead() + m.shuffleReadMetrics().recordsRead());
    rowsWritten.addAndGet(m.outputMetrics().recordsWritten());
  }
}
