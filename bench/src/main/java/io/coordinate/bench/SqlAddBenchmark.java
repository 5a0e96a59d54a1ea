package io.coordinate.bench;

import io.coordinate.api.NewWorkUnit;
import io.coordinate.api.WorkSpec;
import java.util.ArrayList;
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
 * Bulk add on the SQL backend: the time to add {@code units} (100,000) new units (small data maps,
 * {@link BenchSupport#UNIT_DATA}) to an empty store with {@link WorkSpec#addWorkUnits}, in calls of
 * {@code chunk} units each (every call is one transaction). Units per second = {@code units} / the
 * score in seconds. The goal on PostgreSQL is at least 100,000 units/s.
 *
 * <p>Every iteration is one timed bulk add (single-shot) on a fresh store: a new H2 file, or the
 * PostgreSQL bench schema dropped and migrated again, so each starts from empty tables. Opening the
 * store and building the {@link NewWorkUnit}s happen in the untimed setup.
 *
 * <p>Run: {@code bench/run SqlAddBenchmark} (needs {@value SqlStores#PG_URL_ENV} for {@code
 * store=pg}; {@code -p store=h2} runs H2 alone).
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 2)
@Measurement(iterations = 3)
@State(Scope.Thread)
public class SqlAddBenchmark {
  /** Which store: {@code h2}, {@code h2;OPTION=VALUE…} or {@code pg} (see {@link SqlStores}). */
  @Param({"h2", "pg"})
  public String store;

  /** Units added in one timed invocation. */
  @Param({"100000"})
  public int units;

  /** Units per addWorkUnits call. */
  @Param({"1000", "100000"})
  public int chunk;

  private SqlStores.Opened opened;
  private WorkSpec spec;
  private List<List<NewWorkUnit>> calls;
  private long nextKey;

  @Setup(Level.Iteration)
  public void freshStore() {
    opened = SqlStores.open(store);
    spec = opened.coordinate().namespace("bench").setWorkSpec(Map.of("name", "add"));
    calls = new ArrayList<>();
    for (int done = 0; done < units; done += chunk) {
      calls.add(BenchSupport.units(nextKey, Math.min(chunk, units - done)));
      nextKey += chunk;
    }
    BenchSupport.settleHeap();
  }

  @TearDown(Level.Iteration)
  public void check() {
    long available = spec.meta(true).availableCount();
    opened.close();
    if (available != units) {
      throw new IllegalStateException("store holds " + available + " units, not " + units);
    }
  }

  @Benchmark
  public void bulkAdd() {
    for (List<NewWorkUnit> call : calls) {
      spec.addWorkUnits(call);
    }
  }
}
