package io.coordinate.cli;

import io.coordinate.api.GoneException;
import io.coordinate.api.WorkSpec;
import io.coordinate.api.WorkUnit;
import io.coordinate.api.WorkUnitKey;
import io.coordinate.api.WorkUnitQuery;
import io.coordinate.api.WorkUnitStatus;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A work spec's units with status and priority, in key order, a page at a time.
 *
 * <p>A listing by one status tells every listed unit's status at once, so a page asks once per
 * status and merges the answers by key; a unit that changes status between two of those asks may
 * show under either. Priorities are read per unit, {@value #PARALLEL} at a time. A unit deleted
 * meanwhile is left out.
 */
final class UnitListing implements AutoCloseable {
  /** Most units one page holds. */
  static final int PAGE = 1000;

  /** Priority reads in flight at once. */
  static final int PARALLEL = 8;

  /** One unit as listed. */
  record Row(WorkUnitKey key, WorkUnitStatus status, double priority) {}

  private final WorkSpec spec;
  private final Set<WorkUnitStatus> statuses;
  private final ExecutorService readers = Executors.newFixedThreadPool(PARALLEL, r -> {
    Thread t = new Thread(r, "unit-listing");
    t.setDaemon(true);
    return t;
  });

  /** The units of {@code spec} in any of {@code statuses} (all when empty). */
  UnitListing(WorkSpec spec, Set<WorkUnitStatus> statuses) {
    this.spec = spec;
    this.statuses = statuses.isEmpty()
        ? EnumSet.allOf(WorkUnitStatus.class) : EnumSet.copyOf(statuses);
  }

  /** The first {@code n} (at most {@value #PAGE}) units after {@code after} ({@code null}: from the start). */
  List<Row> page(WorkUnitKey after, int n) {
    int want = Math.min(n, PAGE);
    Map<WorkUnitKey, Listed> merged = new TreeMap<>();
    for (WorkUnitStatus status : statuses) {
      WorkUnitQuery query = WorkUnitQuery.statuses(status).withAfter(after).withLimit(want);
      for (WorkUnit unit : spec.workUnits(query)) {
        merged.putIfAbsent(unit.key(), new Listed(unit, status));
      }
    }
    List<Listed> chosen = merged.values().stream().limit(want).toList();
    List<Future<Double>> priorities = new ArrayList<>(chosen.size());
    for (Listed l : chosen) {
      priorities.add(readers.submit(l.unit()::priority));
    }
    List<Row> out = new ArrayList<>(chosen.size());
    for (int i = 0; i < chosen.size(); i++) {
      try {
        Listed l = chosen.get(i);
        out.add(new Row(l.unit().key(), l.status(), get(priorities.get(i))));
      } catch (GoneException e) {
        // Deleted since it was listed.
      }
    }
    return out;
  }

  /**
   * Whether a unit exists after {@code key}. A page may come back short when units are deleted
   * while it is read, so "fewer than asked" does not mean "no more".
   */
  boolean hasMoreAfter(WorkUnitKey key) {
    for (WorkUnitStatus status : statuses) {
      if (!spec.workUnits(WorkUnitQuery.statuses(status).withAfter(key).withLimit(1)).isEmpty()) {
        return true;
      }
    }
    return false;
  }

  private static double get(Future<Double> f) {
    try {
      return f.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while listing units", e);
    }
  }

  private record Listed(WorkUnit unit, WorkUnitStatus status) {}

  @Override
  public void close() {
    readers.shutdownNow();
  }
}
