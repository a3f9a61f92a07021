package io.unmask.common;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Runs independent pieces of driver code side by side, each submitting its own Spark jobs: for work
 * made of many small jobs (model fits) that one at a time leaves the cores idle between jobs.
 * Spark's scheduler shares the cores between the jobs; each piece computes what it would alone.
 * Threads inherit the caller's Spark local properties (job group, description).
 */
public final class Concurrently {
  private static final AtomicInteger THREADS = new AtomicInteger();

  private Concurrently() {}

  /**
   * The results of {@code tasks}, in their order, computed in parallel (one thread each). The first
   * failure, in task order, is rethrown as it was thrown once every task has ended; a failure does
   * not leave the other tasks running after this returns.
   */
  public static <T> List<T> all(List<? extends Supplier<T>> tasks) {
    if (tasks.size() <= 1) {
      List<T> one = new ArrayList<>();
      tasks.forEach(t -> one.add(t.get()));
      return one;
    }
    ExecutorService pool =
        Executors.newFixedThreadPool(
            tasks.size(),
            r -> {
              Thread t = new Thread(r, "unmask-concurrent-" + THREADS.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    try {
      List<Future<T>> futures = new ArrayList<>();
      for (Supplier<T> task : tasks) {
        futures.add(pool.submit(task::get));
      }
      List<T> out = new ArrayList<>();
      Throwable first = null;
      for (Future<T> f : futures) {
        try {
          out.add(f.get());
        } catch (ExecutionException e) {
          if (first == null) {
            first = e.getCause();
          }
          out.add(null);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          futures.forEach(x -> x.cancel(true));
          throw new IllegalStateException("interrupted while waiting for parallel work", e);
        }
      }
      if (first instanceof RuntimeException re) {
        throw re;
      }
      if (first instanceof Error err) {
        throw err;
      }
      if (first != null) {
        throw new IllegalStateException(first);
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }
}
