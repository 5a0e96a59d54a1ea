package io.coordinate.bench;

import io.coordinate.api.NewWorkUnit;
import io.coordinate.api.WorkSpec;
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
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Add throughput of the in-memory backend: {@link WorkSpec#addWorkUnits} with batches of
 * {@value #BATCH} new units, each with a small data map ({@link BenchSupport#UNIT_DATA}). Scores are
 * units per second (each call counts as {@value #BATCH} operations).
 *
 * <ul>
 *   <li>{@link #add}: the call alone; the batch of {@link NewWorkUnit}s is built untimed before each
 *       call.
 *   <li>{@link #buildAndAdd}: what a caller pays, building the batch (which checks and copies every
 *       data map) and adding it.
 * </ul>
 *
 * <p>Every key is new, so each unit is an insertion, never a replacement. The spec grows from empty
 * to {@value #SPEC_LIMIT} units and then the benchmark moves to a fresh backend (a cheap step, timed),
 * so the figures are for specs of up to that size and the heap stays bounded.
 *
 * <p>Run: {@code bench/run AddWorkUnitsBenchmark -f 1 -wi 2 -w 2s -i 3 -r 3s}
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class AddWorkUnitsBenchmark {
  static final int BATCH = 1_000;
  static final int SPEC_LIMIT = 1_000_000;

  /** The spec being filled, and the number of the next new unit. */
  @State(Scope.Thread)
  public static class Target {
    WorkSpec spec;
    long nextKey;
    private long inSpec;

    @Setup(Level.Iteration)
    public void start() {
      fresh();
      BenchSupport.settleHeap(); // the previous iteration's units are garbage now
    }

    private void fresh() {
      spec = MemoryCoordinate.create().namespace("bench").setWorkSpec(Map.of("name", "add"));
      inSpec = 0;
    }

    /** The spec to add one more batch to; a fresh one once this one is full. */
    WorkSpec next() {
      if (inSpec >= SPEC_LIMIT) {
        fresh();
      }
      inSpec += BATCH;
      return spec;
    }

    List<NewWorkUnit> build() {
      List<NewWorkUnit> batch = BenchSupport.units(nextKey, BATCH);
      nextKey += BATCH;
      return batch;
    }
  }

  /** The next batch for {@link #add}, built outside the timed call. */
  @State(Scope.Thread)
  public static class Prebuilt {
    List<NewWorkUnit> batch;

    // Per invocation is sound here: one call takes about a millisecond, so the harness's own
    // per-call cost is negligible next to it.
    @Setup(Level.Invocation)
    public void build(Target target) {
      batch = target.build();
    }
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void add(Target target, Prebuilt prebuilt) {
    target.next().addWorkUnits(prebuilt.batch);
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void buildAndAdd(Target target) {
    target.next().addWorkUnits(target.build());
  }
}
