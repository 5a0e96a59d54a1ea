package io.coordinate.memory;

import io.coordinate.api.NewWorkUnit;
import io.coordinate.api.WorkSpec;
import io.coordinate.api.WorkSpecDefinition;
import io.coordinate.api.WorkSpecMeta;
import io.coordinate.api.WorkUnit;
import io.coordinate.api.WorkUnitCounts;
import io.coordinate.api.WorkUnitKey;
import io.coordinate.api.WorkUnitMeta;
import io.coordinate.api.WorkUnitQuery;
import io.coordinate.api.WorkUnitSnapshot;
import io.coordinate.api.Namespace;
import java.util.List;
import java.util.Map;
import java.util.Objects;

final class MemWorkSpec implements WorkSpec {
  private final NamespaceStore store;
  private final SpecState state;

  MemWorkSpec(NamespaceStore store, SpecState state) {
    this.store = store;
    this.state = state;
  }

  @Override
  public Namespace namespace() {
    return store.handle();
  }

  @Override
  public String name() {
    return state.name;
  }

  @Override
  public WorkSpecDefinition definition() {
    return store.definition(state);
  }

  @Override
  public void setDefinition(Map<String, ?> definition) {
    store.setDefinition(state, definition);
  }

  @Override
  public WorkSpecMeta meta(boolean withCounts) {
    return store.meta(state, withCounts);
  }

  @Override
  public void setMeta(WorkSpecMeta meta) {
    store.setMeta(state, Objects.requireNonNull(meta, "meta"));
  }

  @Override
  public WorkUnit addWorkUnit(WorkUnitKey key, Map<String, ?> data, WorkUnitMeta meta) {
    NewWorkUnit unit = NewWorkUnit.of(key, data, meta);
    return store.wrap(store.addWorkUnit(state, unit));
  }

  @Override
  public void addWorkUnits(List<NewWorkUnit> units) {
    store.addWorkUnits(state, NewWorkUnit.copyOfBatch(units));
  }

  @Override
  public WorkUnit workUnit(WorkUnitKey key) {
    return store.wrap(store.workUnit(state, Objects.requireNonNull(key, "key")));
  }

  @Override
  public List<WorkUnit> workUnits(WorkUnitQuery query) {
    return store.workUnits(state, query).stream().<WorkUnit>map(store::wrap).toList();
  }

  @Override
  public WorkUnitCounts countWorkUnitStatus() {
    return new WorkUnitCounts(store.counts(state));
  }

  @Override
  public int setWorkUnitPriorities(WorkUnitQuery query, double priority) {
    return store.changePriorities(state, query, false, priority);
  }

  @Override
  public int adjustWorkUnitPriorities(WorkUnitQuery query, double adjustment) {
    return store.changePriorities(state, query, true, adjustment);
  }

  @Override
  public int deleteWorkUnits(WorkUnitQuery query) {
    return store.deleteWorkUnits(state, query);
  }

  /** Units one archive batch deletes under the namespace's lock, which others wait for. */
  private static final int ARCHIVE_BATCH = 1_000;

  @Override
  public int archive(int maxUnits) {
    if (maxUnits <= 0) {
      return store.archive(state, maxUnits); // checks the argument and that the spec is live
    }
    // In batches, releasing the lock in between, so a large archive does not hold up leases.
    int deleted = 0;
    while (deleted < maxUnits) {
      int want = Math.min(ARCHIVE_BATCH, maxUnits - deleted);
      int n = store.archive(state, want);
      deleted += n;
      if (n < want) {
        break;
      }
    }
    return deleted;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MemWorkSpec other && other.state == state;
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(state);
  }

  @Override
  public String toString() {
    return "WorkSpec[" + state.name + "]";
  }

  @Override
  public List<WorkUnitSnapshot> workUnitSnapshots(WorkUnitQuery query) {
    return store.snapshots(state, Objects.requireNonNull(query, "query"));
  }

  @Override
  public void restoreWorkUnits(List<WorkUnitSnapshot> units) {
    store.restoreWorkUnits(state, units);
  }
}
