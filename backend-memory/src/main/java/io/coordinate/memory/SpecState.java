package io.coordinate.memory;

import io.coordinate.api.WorkSpecDefinition;
import io.coordinate.api.WorkSpecMeta;
import io.coordinate.api.WorkUnitKey;
import io.coordinate.api.WorkUnitStatus;
import java.util.TreeMap;
import java.util.TreeSet;

/** One work spec's state, its units and their indexes. Guarded by its namespace's lock. */
final class SpecState {
  final String name;
  WorkSpecDefinition definition;
  /** Meta without counts; counts come from {@link #counts}. */
  WorkSpecMeta meta;
  final TreeMap<WorkUnitKey, UnitState> units = new TreeMap<>();
  /** Units with status AVAILABLE, in lease order. */
  final TreeSet<UnitState> available = new TreeSet<>(UnitState.BY_LEASE_ORDER);
  /** Units per status, indexed by {@link WorkUnitStatus#ordinal()}. */
  final long[] counts = new long[WorkUnitStatus.values().length];
  boolean deleted;

  SpecState(WorkSpecDefinition definition) {
    this.name = definition.name();
    this.definition = definition;
    this.meta = definition.defaultMeta();
  }

  long count(WorkUnitStatus status) {
    return counts[status.ordinal()];
  }

  WorkSpecMeta metaWithCounts() {
    return meta.withCounts(
        new WorkSpecMeta.Counts(count(WorkUnitStatus.AVAILABLE), count(WorkUnitStatus.PENDING)));
  }
}
