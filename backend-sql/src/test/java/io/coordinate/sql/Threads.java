package io.coordinate.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Real threads for tests, bounded in time: a stuck thread fails the test instead of hanging it. */
final class Threads {
  private Threads() {}

  /** A thread body; {@code id} runs from 0 to n - 1. */
  interface Body {
    void run(int id) throws Exception;
  }

  /**
   * Runs {@code n} threads that start together and asserts that all of them ended, without an
   * exception, within {@code timeout}.
   */
  static void run(int n, Duration timeout, Body body) throws InterruptedException {
    CountDownLatch start = new CountDownLatch(1);
    CountDownLatch done = new CountDownLatch(n);
    ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int id = i;
      Thread t =
          Thread.ofPlatform()
              .name("test-" + id)
              .daemon()
              .start(
                  () -> {
                    try {
                      start.await();
                      body.run(id);
                    } catch (Throwable e) {
                      errors.add(e);
                    } finally {
                      done.countDown();
                    }
                  });
      threads.add(t);
    }
    start.countDown();
    boolean finished = done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (!finished) {
      threads.forEach(Thread::interrupt);
    }
    if (!errors.isEmpty()) {
      AssertionError failure = new AssertionError(errors.size() + " threads failed", errors.peek());
      errors.stream().skip(1).limit(5).forEach(failure::addSuppressed);
      throw failure;
    }
    assertThat(finished).as("all %d threads ended within %s", n, timeout).isTrue();
  }

  /** Whether {@code deadline} (a {@link System#nanoTime()} value) is still ahead. */
  static boolean before(long deadline) {
    return System.nanoTime() - deadline < 0;
  }

  static long deadline(Duration fromNow) {
    return System.nanoTime() + fromNow.toNanos();
  }
}
