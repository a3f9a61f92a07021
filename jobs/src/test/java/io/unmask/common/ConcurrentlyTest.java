package io.unmask.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class ConcurrentlyTest {
  @Test
  void runsEveryTaskAtTheSameTimeAndKeepsTheirOrder() {
    // Each task waits until all three have started: only passes when they run side by side.
    CyclicBarrier all = new CyclicBarrier(3);
    Supplier<String> a = () -> meet(all, "a");
    Supplier<String> b = () -> meet(all, "b");
    Supplier<String> c = () -> meet(all, "c");
    assertThat(Concurrently.all(List.of(a, b, c))).containsExactly("a", "b", "c");
  }

  @Test
  void aFailureIsRethrownAsThrownOnceEveryTaskHasEnded() {
    IllegalArgumentException boom = new IllegalArgumentException("bad fold");
    java.util.concurrent.atomic.AtomicBoolean slowEnded =
        new java.util.concurrent.atomic.AtomicBoolean();
    Supplier<String> fails =
        () -> {
          throw boom;
        };
    Supplier<String> slow =
        () -> {
          sleep(200);
          slowEnded.set(true);
          return "slow";
        };
    assertThatThrownBy(() -> Concurrently.all(List.of(slow, fails))).isSameAs(boom);
    assertThat(slowEnded).isTrue();
  }

  @Test
  void oneTaskRunsOnTheCallersThread() {
    Thread caller = Thread.currentThread();
    Supplier<Thread> which = Thread::currentThread;
    assertThat(Concurrently.all(List.of(which))).containsExactly(caller);
  }

  private static String meet(CyclicBarrier barrier, String value) {
    try {
      barrier.await(20, TimeUnit.SECONDS);
      return value;
    } catch (Exception e) {
      throw new IllegalStateException("the tasks did not run at the same time", e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
