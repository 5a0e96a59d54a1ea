package io.coordinate.bench;

import io.coordinate.api.Attempt;
import io.coordinate.api.AttemptRequest;
import io.coordinate.api.Namespace;
import io.coordinate.api.WorkSpec;
import io.coordinate.api.WorkUnitMeta;
import io.coordinate.api.WorkUnitQuery;
import io.coordinate.api.WorkUnitStatus;
import io.coordinate.api.Worker;
import io.coordinate.memory.MemoryCoordinate;
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
 * get_work latency against queue size: the time of one lease cycle on a spec holding {@code queued}
 * available units, sampled per call (p50, p99, … in microseconds). The goal it checks: with a
 * million units queued a lease costs at most 1.5 times what it costs with ten thousand, since the
 * backend takes the next unit from an ordered index instead of scanning.
 *
 * <p>One timed operation: add one new unit (so the queue stays at exactly {@code queued} units),
 * {@link Worker#requestAttempts} for one unit, and {@link Attempt#finish} of it. The add is one
 * more index insertion of the same O(log n) kind as the lease, so it scales the same way.
 *
 * <p>The queue is filled once per trial. Finished units would pile up in the spec (and their
 * attempts in the worker's history), so every iteration's teardown deletes them, untimed.
 *
 * <p>Run: {@code bench/run GetWorkLatencyBenchmark -f 1 -wi 2 -w 2s -i 3 -r 3s}
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@State(Scope.Thread)
public class GetWorkLatencyBenchmark {
  private static final AttemptRequest ONE = AttemptRequest.of(1);
  private static final WorkUnitQuery FINISHED = WorkUnitQuery.statuses(WorkUnitStatus.FINISHED);

  /** Available units in the spec during the measurement. */
  @Param({"10000", "1000000"})
  public int queued;

  private WorkSpec spec;
  private Worker worker;
  private long nextKey;

  @Setup(Level.Trial)
  public void fill() {
    Namespace namespace = MemoryCoordinate.create().namespace("bench");
    spec = namespace.setWorkSpec(Map.of("name", "latency"));
    worker = namespace.worker("worker");
    BenchSupport.fill(spec, 0, queued);
    nextKey = queued;
    BenchSupport.settleHeap();
  }

  @TearDown(Level.Iteration)
  public void dropFinished() {
    spec.deleteWorkUnits(FINISHED);
    long available = spec.meta(true).availableCount();
    if (available != queued) {
      throw new IllegalStateException("queue holds " + available + " units, not " + queued);
    }
    BenchSupport.settleHeap();
  }

  @Benchmark
  public void leaseCycle() {
    spec.addWorkUnit(BenchSupport.key(nextKey++), BenchSupport.UNIT_DATA, WorkUnitMeta.DEFAULT);
    List<Attempt> attempts = worker.requestAttempts(ONE);
    attempts.get(0).finish(null);
  }
}
