package io.coordinate.api;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/** How many work units of a work spec are in each status. Exact, never an estimate. */
public record WorkUnitCounts(Map<WorkUnitStatus, Long> byStatus) {
  public WorkUnitCounts {
    EnumMap<WorkUnitStatus, Long> copy = new EnumMap<>(WorkUnitStatus.class);
    byStatus.forEach(
        (status, count) -> {
          if (count != null && count != 0) {
            copy.put(status, count);
          }
        });
    byStatus = Collections.unmodifiableMap(copy);
  }

  /** The count for one status, 0 when none. */
  public long get(WorkUnitStatus status) {
    return byStatus.getOrDefault(status, 0L);
  }

  /** All units of the work spec. */
  public long total() {
    long sum = 0;
    for (long n : byStatus.values()) {
      sum += n;
    }
    return sum;
  }
}
