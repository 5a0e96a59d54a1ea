package io.coordinate.bench;

import io.coordinate.api.Attempt;
import io.coordinate.api.AttemptRequest;
import io.coordinate.api.Namespace;
import io.coordinate.api.WorkSpec;
import io.coordinate.api.Worker;
import io.coordinate.memory.MemoryCoordinate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Lease-cycle throughput of the in-memory backend: one get_work ({@link Worker#requestAttempts}
 * for {@code batch} units) followed by {@link Attempt#finish} of every unit it returned, as a
 * worker loop does with no work in between. {@link #oneThread} runs it on one thread,
 * {@link #fourThreads} on four; each thread is its own worker, all share one work spec of one
 * namespace.
 *
 * <p>The score is cycles (get_work calls) per second. Every call returns a full batch (see below),
 * so units leased and finished per second are {@code batch} × the score. (JMH aux counters would
 * count units directly, but with several threads they also count calls made outside the
 * synchronised measurement window, so they read a few percent high.)
 *
 * <p>The queue must never run dry, and refilling it must not be timed. So every iteration starts
 * on a fresh backend whose spec holds enough units for the whole iteration, filled in an untimed
 * iteration setup (followed by a GC, so the fill is not copied by collections while timing). The
 * fill size is 1.5 times the most units an earlier iteration consumed, at least {@value
 * #FIRST_FILL} and at most {@value #MAX_FILL}. A thread that still finds the queue short refills it
 * inline (timed) and the iteration teardown prints a note; that should only happen in the first
 * warm-up iteration, or if a machine leases more than {@value #MAX_FILL} units in one iteration.
 *
 * <p>Run: {@code bench/run LeaseCycleBenchmark -f 1 -wi 2 -w 2s -i 3 -r 3s}
 * (add {@code -p batch=1} for one batch size, {@code -t N} to run both methods on N threads).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms6g", "-Xmx6g"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class LeaseCycleBenchmark {
  /** The first iteration's fill: a guess, corrected by the units each iteration really used. */
  private static final long FIRST_FILL = 2_000_000;

  /** Never fill more than this: a unit with its finished attempt takes about 1 KB of heap. */
  private static final long MAX_FILL = 4_000_000;

  /** Units added when a thread finds the queue short (a few milliseconds of work). */
  private static final int INLINE_REFILL = 10_000;

  /** The shared queue: one namespace with one work spec, refilled before every iteration. */
  @State(Scope.Benchmark)
  public static class Queue {
    /** Units per get_work call. */
    @Param({"1", "10"})
    public int batch;

    Namespace namespace;
    WorkSpec spec;
    AttemptRequest request;
    final AtomicLong nextKey = new AtomicLong();
    final AtomicLong inlineRefills = new AtomicLong();
    private long fillSize = FIRST_FILL;
    private long filled;

    @Setup(Level.Iteration)
    public void fill() {
      // A fresh backend each iteration: finished units and attempt history do not pile up.
      namespace = MemoryCoordinate.create().namespace("bench");
      spec = namespace.setWorkSpec(Map.of("name", "cycle"));
      request = AttemptRequest.of(batch);
      nextKey.set(fillSize);
      inlineRefills.set(0);
      BenchSupport.fill(spec, 0, fillSize);
      filled = fillSize;
      BenchSupport.settleHeap();
    }

    @TearDown(Level.Iteration)
    public void plan() {
      long used = nextKey.get() - spec.meta(true).availableCount() - spec.meta(true).pendingCount();
      fillSize = Math.min(MAX_FILL, Math.max(fillSize, used + used / 2));
      if (inlineRefills.get() > 0) {
        System.out.printf(
            "%n[queue ran short %d times after %d units; refilled inline, timed; next fill %d]%n",
            inlineRefills.get(), filled, fillSize);
      }
      spec = null;
      namespace = null;
    }

    /** Adds units when a get_work came back short; timed, but only once the plan was wrong. */
    void refill() {
      inlineRefills.incrementAndGet();
      long from = nextKey.getAndAdd(INLINE_REFILL);
      BenchSupport.fill(spec, from, INLINE_REFILL);
    }
  }

  /** One thread's worker, a fresh one on each iteration's fresh backend. */
  @State(Scope.Thread)
  public static class Lessee {
    private static final AtomicInteger WORKERS = new AtomicInteger();
    Worker worker;

    @Setup(Level.Iteration)
    public void join(Queue queue) {
      worker = queue.namespace.worker("worker-" + WORKERS.incrementAndGet());
    }

    @TearDown(Level.Iteration)
    public void leave() {
      worker = null; // the handle would keep the old backend alive through the next fill
    }
  }

  @Benchmark
  @Threads(1)
  public int oneThread(Queue queue, Lessee lessee) {
    return cycle(queue, lessee);
  }

  @Benchmark
  @Threads(4)
  public int fourThreads(Queue queue, Lessee lessee) {
    return cycle(queue, lessee);
  }

  private static int cycle(Queue queue, Lessee lessee) {
    List<Attempt> attempts = lessee.worker.requestAttempts(queue.request);
    for (Attempt attempt : attempts) {
      attempt.finish(null);
    }
    if (attempts.size() < queue.batch) {
      queue.refill();
    }
    return attempts.size();
  }
}
