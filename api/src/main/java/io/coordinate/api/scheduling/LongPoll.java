package io.coordinate.api.scheduling;

import io.coordinate.api.AttemptRequest;
import io.coordinate.api.Deadline;
import io.coordinate.api.UnitEvents;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Requests for work that wait when there is none ({@link AttemptRequest#waitUpTo()}), and what wakes
 * them. A backend owns one, passes every request through {@link #request}, and tells it of the unit
 * events that can make work appear (it is a {@link UnitEvents}): an add or re-add wakes as many
 * waiters as units arrived, a retry or an expiry one per unit, a finish or a failure one (a spec at
 * its {@code max_running} may now hand out another). Backends shared by several processes also
 * call {@link #signal} for what other processes report.
 *
 * <p>A waiter sleeps without touching the store. What no event reports — a delay or a lease that
 * runs out, a spec resumed, a rate limit refilled — is found by a probe: every {@link
 * #probeInterval()} the longest waiter of each namespace tries again, so a thousand idle waiters
 * cost one request per interval, not a thousand. A waiter that gets work wakes the next one, since
 * more may be there.
 */
public final class LongPoll implements UnitEvents, AutoCloseable {
  /** How often one waiter per namespace looks for work no event announced. */
  public static final Duration DEFAULT_PROBE_INTERVAL = Duration.ofSeconds(1);

  private static final class Waiter {
    final Thread thread;
    final Set<String> specs;
    volatile boolean woken;

    Waiter(Thread thread, Set<String> specs) {
      this.thread = thread;
      this.specs = specs;
    }

    boolean wants(String spec) {
      return spec == null || specs.isEmpty() || specs.contains(spec);
    }

    void wake() {
      woken = true;
      LockSupport.unpark(thread);
    }
  }

  private final Duration probeInterval;
  private final ReentrantLock lock = new ReentrantLock();
  /** Waiters per namespace, longest waiting first; guarded by {@link #lock}. */
  private final Map<String, ArrayDeque<Waiter>> waiting = new HashMap<>();
  /** How many wait now: events are ignored without a lock while nobody does. */
  private final AtomicInteger count = new AtomicInteger();
  private ScheduledExecutorService prober; // started with the first waiter; guarded by lock
  private Runnable beforeFirstWait; // guarded by lock; null once run
  private volatile boolean closed;

  /** Waiting with the default probe interval. */
  public LongPoll() {
    this(DEFAULT_PROBE_INTERVAL);
  }

  public LongPoll(Duration probeInterval) {
    if (probeInterval.isNegative() || probeInterval.isZero()) {
      throw new IllegalArgumentException("probe interval must be positive: " + probeInterval);
    }
    this.probeInterval = probeInterval;
  }

  public Duration probeInterval() {
    return probeInterval;
  }

  /**
   * Runs {@code action} once, before the first request waits: a backend shared by several
   * processes starts listening to them then, and not at all if nobody ever waits.
   */
  public void beforeFirstWait(Runnable action) {
    lock.lock();
    try {
      beforeFirstWait = action;
    } finally {
      lock.unlock();
    }
  }

  /** How many requests wait now. */
  public int waiting() {
    return count.get();
  }

  /**
   * Answers {@code request} with what {@code attempt} gets; when that is nothing and the request
   * may wait, tries again whenever this is woken for its namespace until it gets work or its wait
   * is over (then it answers empty). The thread's request {@link Deadline} is extended by the wait.
   * An interrupted or closed wait answers empty at once (an interrupt stays set).
   */
  public <T> List<T> request(
      String namespace, AttemptRequest request, Supplier<List<T>> attempt) {
    if (!request.waits() || closed) {
      return attempt.get();
    }
    long end = System.nanoTime() + request.waitUpTo().toNanos();
    return Deadline.<List<T>, RuntimeException>extendedBy(
        request.waitUpTo(), () -> waitFor(namespace, request, attempt, end));
  }

  private <T> List<T> waitFor(
      String namespace, AttemptRequest request, Supplier<List<T>> attempt, long end) {
    Waiter w = new Waiter(Thread.currentThread(), Set.copyOf(request.workSpecs()));
    while (true) {
      // Queued before looking, so work that arrives while this looks wakes it rather than nobody.
      w.woken = false;
      enqueue(namespace, w);
      List<T> got;
      try {
        got = attempt.get();
        if (got.isEmpty()) {
          park(w, end);
        }
      } finally {
        dequeue(namespace, w);
      }
      if (!got.isEmpty()) {
        signal(namespace, null, 1); // there may be more: pass it on
        return got;
      }
      if (!w.woken || closed || Thread.currentThread().isInterrupted()) {
        return List.of();
      }
    }
  }

  private void park(Waiter w, long end) {
    while (!w.woken && !closed && !Thread.currentThread().isInterrupted()) {
      long left = end - System.nanoTime();
      if (left <= 0) {
        return;
      }
      LockSupport.parkNanos(this, left);
    }
  }

  private void enqueue(String namespace, Waiter w) {
    Runnable first = null;
    lock.lock();
    try {
      waiting.computeIfAbsent(namespace, n -> new ArrayDeque<>()).addLast(w);
      count.incrementAndGet();
      if (prober == null && !closed) {
        prober =
            Executors.newSingleThreadScheduledExecutor(
                r -> {
                  Thread t = new Thread(r, "coordinate-long-poll-probe");
                  t.setDaemon(true);
                  return t;
                });
        long every = probeInterval.toNanos();
        prober.scheduleAtFixedRate(this::probe, every, every, TimeUnit.NANOSECONDS);
      }
      first = beforeFirstWait;
      beforeFirstWait = null;
    } finally {
      lock.unlock();
    }
    if (first != null) {
      first.run();
    }
  }

  private void dequeue(String namespace, Waiter w) {
    lock.lock();
    try {
      ArrayDeque<Waiter> queue = waiting.get(namespace);
      if (queue != null && queue.remove(w)) {
        count.decrementAndGet();
        if (queue.isEmpty()) {
          waiting.remove(namespace);
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /** Wakes the longest waiter of each namespace, to look for work no event announced. */
  private void probe() {
    if (count.get() == 0) {
      return;
    }
    lock.lock();
    try {
      for (ArrayDeque<Waiter> queue : waiting.values()) {
        Waiter head = queue.peekFirst();
        if (head != null) {
          head.wake();
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Work may have appeared in {@code spec} of {@code namespace} ({@code null}: in any spec): wakes
   * up to {@code units} of the longest waiters there that could take it. Woken waiters leave the
   * queue; each looks once and queues again at the back if it found nothing.
   */
  public void signal(String namespace, String spec, int units) {
    if (count.get() == 0 || units <= 0) {
      return;
    }
    List<Waiter> woken = new ArrayList<>();
    lock.lock();
    try {
      ArrayDeque<Waiter> queue = waiting.get(namespace);
      if (queue == null) {
        return;
      }
      for (Iterator<Waiter> it = queue.iterator(); it.hasNext() && woken.size() < units; ) {
        Waiter w = it.next();
        if (w.wants(spec)) {
          it.remove();
          count.decrementAndGet();
          woken.add(w);
        }
      }
      if (queue.isEmpty()) {
        waiting.remove(namespace);
      }
    } finally {
      lock.unlock();
    }
    woken.forEach(Waiter::wake);
  }

  /** Wakes every waiter: news may have been missed (a lost connection to the other processes). */
  public void signalAll() {
    if (count.get() == 0) {
      return;
    }
    lock.lock();
    try {
      waiting.values().forEach(queue -> queue.forEach(Waiter::wake));
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void record(String namespace, String workSpec, Transition transition, int units) {
    switch (transition) {
      case ADDED, RETRIED, EXPIRED -> signal(namespace, workSpec, units);
      case FINISHED, FAILED -> signal(namespace, workSpec, 1);
      case LEASED -> {}
    }
  }

  /** Wakes every waiter, which answers empty; later requests do not wait. */
  @Override
  public void close() {
    closed = true;
    lock.lock();
    try {
      waiting.values().forEach(queue -> queue.forEach(Waiter::wake));
      if (prober != null) {
        prober.shutdownNow();
      }
    } finally {
      lock.unlock();
    }
  }
}
