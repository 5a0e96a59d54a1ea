package io.coordinate.bench;

import io.coordinate.api.Attempt;
import io.coordinate.api.AttemptRequest;
import io.coordinate.api.Namespace;
import io.coordinate.api.WorkSpec;
import io.coordinate.api.WorkUnitMeta;
import io.coordinate.api.WorkUnitQuery;
import io.coordinate.api.WorkUnitStatus;
import io.coordinate.api.Worker;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * get_work latency of the SQL backend against queue size: one {@link Worker#requestAttempts} of
 * one unit (one transaction), sampled per call, on a spec holding {@code queued} available units.
 * The goal: with a million units queued the lease costs at most 1.5 times what it costs with ten
 * thousand, since the lease reads the first entries of an index instead of scanning.
 *
 * <p>Only the lease is timed. Before every call (untimed) the unit leased by the previous call is
 * finished and one new unit is added, so the queue stays at exactly {@code queued} available units
 * and the spec holds one pending unit at most. The queue is filled once per trial, followed by an
 * {@code ANALYZE} on PostgreSQL (as autovacuum would do soon after such a fill); every iteration's
 * teardown deletes the finished units.
 *
 * <p>Run: {@code bench/run SqlGetWorkLatencyBenchmark} (needs {@value SqlStores#PG_URL_ENV};
 * {@code -p store=h2} runs it on H2).
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 3)
@State(Scope.Thread)
public class SqlGetWorkLatencyBenchmark {
  private static final AttemptRequest ONE = AttemptRequest.of(1);
  private static final WorkUnitQuery FINISHED = WorkUnitQuery.statuses(WorkUnitStatus.FINISHED);

  /** Which store: {@code h2}, {@code h2;OPTION=VALUE…} or {@code pg} (see {@link SqlStores}). */
  @Param({"pg"})
  public String store;

  /** Available units in the spec during the measurement. */
  @Param({"10000", "1000000"})
  public int queued;

  private SqlStores.Opened opened;
  private WorkSpec spec;
  private Worker worker;
  private long nextKey;
  private Attempt previous;

  @Setup(Level.Trial)
  public void fill() {
    opened =
        SqlStores.open(
            store,
            c -> BenchSupport.fill(
                c.namespace("bench").setWorkSpec(Map.of("name", "latency")), 0, queued));
    Namespace namespace = opened.coordinate().namespace("bench");
    spec = namespace.workSpec("latency");
    worker = namespace.worker("worker");
    nextKey = queued;
    BenchSupport.settleHeap();
  }

  // Per invocation is sound here: a call takes hundreds of microseconds, next to which the
  // harness's own per-call cost is negligible.
  @Setup(Level.Invocation)
  public void finishPreviousAndAddOne() {
    if (previous != null) {
      previous.finish(null);
      previous = null;
    }
    spec.addWorkUnit(BenchSupport.key(nextKey++), BenchSupport.UNIT_DATA, WorkUnitMeta.DEFAULT);
  }

  @TearDown(Level.Iteration)
  public void dropFinished() {
    if (previous != null) {
      previous.finish(null);
      previous = null;
    }
    spec.deleteWorkUnits(FINISHED);
    long available = spec.meta(true).availableCount();
    if (available != queued) {
      throw new IllegalStateException("queue holds " + available + " units, not " + queued);
    }
  }

  @TearDown(Level.Trial)
  public void close() {
    opened.close();
  }

  @Benchmark
  public Attempt getWork() {
    List<Attempt> attempts = worker.requestAttempts(ONE);
    previous = attempts.get(0);
    return previous;
  }
}
