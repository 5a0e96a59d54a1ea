package io.coordinate.bench;

import io.coordinate.api.Attempt;
import io.coordinate.api.AttemptRequest;
import io.coordinate.api.Namespace;
import io.coordinate.api.WorkSpec;
import io.coordinate.api.WorkSpecMeta;
import io.coordinate.api.WorkUnitQuery;
import io.coordinate.api.WorkUnitStatus;
import io.coordinate.api.Worker;
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
 * Lease-cycle throughput of the SQL backend: one get_work ({@link Worker#requestAttempts} for
 * {@code batch} units, one transaction) followed by {@link Attempt#finish} of every unit it
 * returned (one transaction each), as a worker loop does with no work in between. {@link
 * #oneThread}, {@link #fourThreads} and {@link #sixteenThreads} run it on 1, 4 and 16 threads; each
 * thread is its own worker, all share one work spec. The pool has 16 connections (the default).
 *
 * <p>The score is get_work calls per second; every call returns a full batch, so units per second
 * = {@code batch} × the score.
 *
 * <p>The store is opened empty and filled with {@value #FIRST_FILL} units once per trial (followed
 * by an {@code ANALYZE} on PostgreSQL, as autovacuum would do soon after). Before every iteration
 * (untimed) the finished units of the previous one are deleted and the queue is topped up to 1.5
 * times the most units an earlier iteration used (at least {@value #FIRST_FILL}); a thread that
 * still finds it short adds units inline, timed, and the iteration prints a note.
 *
 * <p>Warm-up is 2 × 5 s rather than the memory benchmarks' 2 × 2 s: on a 2-core machine the
 * JDBC and Jdbi path keeps getting faster for about ten seconds while the JIT compiles it.
 *
 * <p>Run: {@code bench/run SqlLeaseCycleBenchmark} (needs {@value SqlStores#PG_URL_ENV} for
 * {@code store=pg}; {@code -p store=h2} runs H2 alone).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 3)
public class SqlLeaseCycleBenchmark {
  /** The first fill: more than any of these runs leased in one iteration on the test machine. */
  private static final long FIRST_FILL = 50_000;

  /** Never keep more than this queued (a fill of that many takes seconds, untimed). */
  private static final long MAX_FILL = 1_000_000;

  /** Units added when a thread finds the queue short. */
  private static final int INLINE_REFILL = 5_000;

  private static final WorkUnitQuery FINISHED = WorkUnitQuery.statuses(WorkUnitStatus.FINISHED);

  /** The shared queue: one namespace, one work spec, on a store opened for the trial. */
  @State(Scope.Benchmark)
  public static class Queue {
    /** Which store: {@code h2}, {@code h2;OPTION=VALUE…} or {@code pg} (see {@link SqlStores}). */
    @Param({"h2", "pg"})
    public String store;

    /** Units per get_work call. */
    @Param({"1", "10"})
    public int batch;

    SqlStores.Opened opened;
    Namespace namespace;
    WorkSpec spec;
    AttemptRequest request;
    final AtomicLong nextKey = new AtomicLong();
    final AtomicLong inlineRefills = new AtomicLong();
    private long fillSize = FIRST_FILL;
    private long startKey;
    private long startAvailable;

    @Setup(Level.Trial)
    public void open() {
      opened =
          SqlStores.open(
              store,
              c -> BenchSupport.fill(
                  c.namespace("bench").setWorkSpec(Map.of("name", "cycle")), 0, FIRST_FILL));
      nextKey.set(FIRST_FILL);
      namespace = opened.coordinate().namespace("bench");
      spec = namespace.workSpec("cycle");
      request = AttemptRequest.of(batch);
    }

    @Setup(Level.Iteration)
    public void topUp() {
      spec.deleteWorkUnits(FINISHED);
      long available = spec.meta(true).availableCount();
      if (available < fillSize) {
        long from = nextKey.getAndAdd(fillSize - available);
        BenchSupport.fill(spec, from, fillSize - available);
        SqlStores.analyze(opened);
      }
      startKey = nextKey.get();
      startAvailable = Math.max(available, fillSize);
      inlineRefills.set(0);
      BenchSupport.settleHeap();
    }

    @TearDown(Level.Iteration)
    public void plan() {
      WorkSpecMeta meta = spec.meta(true);
      long added = nextKey.get() - startKey;
      long used = startAvailable + added - meta.availableCount();
      fillSize = Math.min(MAX_FILL, Math.max(fillSize, used + used / 2));
      if (inlineRefills.get() > 0) {
        System.out.printf(
            "%n[queue ran short %d times; refilled inline, timed; next fill %d]%n",
            inlineRefills.get(), fillSize);
      }
    }

    @TearDown(Level.Trial)
    public void close() {
      opened.close();
    }

    /** Adds units when a get_work came back short; timed, but only once the plan was wrong. */
    void refill() {
      inlineRefills.incrementAndGet();
      long from = nextKey.getAndAdd(INLINE_REFILL);
      BenchSupport.fill(spec, from, INLINE_REFILL);
    }
  }

  /** One thread's worker. */
  @State(Scope.Thread)
  public static class Lessee {
    private static final AtomicInteger WORKERS = new AtomicInteger();
    Worker worker;

    @Setup(Level.Trial)
    public void join(Queue queue) {
      worker = queue.namespace.worker("worker-" + WORKERS.incrementAndGet());
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

  @Benchmark
  @Threads(16)
  public int sixteenThreads(Queue queue, Lessee lessee) {
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
