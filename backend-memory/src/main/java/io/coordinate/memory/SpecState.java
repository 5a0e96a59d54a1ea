package io.coordinate.memory;

import io.coordinate.api.WorkSpecDefinition;
import io.coordinate.api.WorkSpecMeta;
import io.coordinate.api.WorkUnitKey;
import io.coordinate.api.WorkUnitStatus;
import io.coordinate.api.scheduling.TokenBucket;
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
  /** Finished units in the order retention deletes them (see {@link UnitState#BY_END}). */
  final TreeSet<UnitState> finished = new TreeSet<>(UnitState.BY_END);
  /** Failed units, likewise. */
  final TreeSet<UnitState> failed = new TreeSet<>(UnitState.BY_END);
  /** The rate limit's bucket; null when full or when the spec has no limit. */
  TokenBucket bucket;
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

  /** The units of one ended status in end order; null for other statuses. */
  TreeSet<UnitState> ended(WorkUnitStatus status) {
    return switch (status) {
      case FINISHED -> finished;
      case FAILED -> failed;
      default -> null;
    };
  }

  WorkSpecMeta metaWithCounts() {
    return meta.withCounts(
        new WorkSpecMeta.Counts(count(WorkUnitStatus.AVAILABLE), count(WorkUnitStatus.PENDING)));
  }
}
