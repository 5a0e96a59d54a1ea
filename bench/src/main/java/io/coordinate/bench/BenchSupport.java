package io.coordinate.bench;

import io.coordinate.api.NewWorkUnit;
import io.coordinate.api.WorkSpec;
import io.coordinate.api.WorkUnitKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Keys, data and queue filling shared by the benchmarks. */
final class BenchSupport {
  /** The data of every unit: small, like a typical crawl or batch job's parameters. */
  static final Map<String, Object> UNIT_DATA =
      Map.of("url", "https://example.com/some/page.html", "depth", 2L, "tags", List.of("a", "b"));

  /** Units per addWorkUnits call when filling a queue: large enough to amortise the call. */
  private static final int FILL_CHUNK = 10_000;

  private BenchSupport() {}

  /**
   * The key of unit number {@code n}: zero-padded so that byte order is numeric order, and new
   * units therefore queue behind the old ones (the lease order is by key at equal priority).
   */
  static WorkUnitKey key(long n) {
    String digits = Long.toString(n);
    return WorkUnitKey.of("u" + "0".repeat(Math.max(0, 12 - digits.length())) + digits);
  }

  /** Units number {@code from} to {@code from + count - 1}, with {@link #UNIT_DATA}. */
  static List<NewWorkUnit> units(long from, int count) {
    List<NewWorkUnit> batch = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      batch.add(NewWorkUnit.of(key(from + i), UNIT_DATA));
    }
    return batch;
  }

  /** Adds units number {@code from} to {@code from + count - 1} to {@code spec}, in chunks. */
  static void fill(WorkSpec spec, long from, long count) {
    for (long done = 0; done < count; ) {
      int n = (int) Math.min(FILL_CHUNK, count - done);
      spec.addWorkUnits(units(from + done, n));
      done += n;
    }
  }

  /**
   * Collects garbage now, before the timed part: a freshly filled queue still sits in the young
   * generation, and the first collection while timing would otherwise copy all of it.
   */
  static void settleHeap() {
    System.gc();
  }
}
