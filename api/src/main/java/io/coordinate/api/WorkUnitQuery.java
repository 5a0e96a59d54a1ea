package io.coordinate.api;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Selects work units of one work spec. Results always come in key order. Build one from {@link
 * #all()} and the {@code with…} methods: {@code WorkUnitQuery.all().withStatuses(FAILED).withLimit(100)}.
 *
 * @param keys only these keys (keys that do not exist are skipped); {@code null} for any key
 * @param statuses only these statuses; empty for any status
 * @param from only keys {@code >=} this (inclusive, as Python's {@code start}); {@code null} for no
 *     bound
 * @param after only keys {@code >} this (exclusive, for paging: the last key of the previous page);
 *     {@code null} for no bound
 * @param limit at most this many units, the first in key order; 0 for no limit
 */
public record WorkUnitQuery(
    List<WorkUnitKey> keys, Set<WorkUnitStatus> statuses, WorkUnitKey from, WorkUnitKey after,
    int limit) {

  private static final WorkUnitQuery ALL = new WorkUnitQuery(null, Set.of(), null, null, 0);

  public WorkUnitQuery {
    keys = keys == null ? null : List.copyOf(keys);
    statuses =
        statuses == null || statuses.isEmpty()
            ? Set.of()
            : java.util.Collections.unmodifiableSet(EnumSet.copyOf(statuses));
    if (limit < 0) {
      throw new InvalidRequestException("query limit must not be negative: " + limit);
    }
  }

  /** Every unit of the spec. */
  public static WorkUnitQuery all() {
    return ALL;
  }

  /** The named units. */
  public static WorkUnitQuery keys(WorkUnitKey... keys) {
    return ALL.withKeys(List.of(keys));
  }

  /** The units in any of these statuses. */
  public static WorkUnitQuery statuses(WorkUnitStatus first, WorkUnitStatus... rest) {
    return ALL.withStatuses(EnumSet.of(first, rest));
  }

  public WorkUnitQuery withKeys(List<WorkUnitKey> v) {
    return new WorkUnitQuery(v, statuses, from, after, limit);
  }

  public WorkUnitQuery withStatuses(Set<WorkUnitStatus> v) {
    return new WorkUnitQuery(keys, v, from, after, limit);
  }

  public WorkUnitQuery withStatuses(WorkUnitStatus first, WorkUnitStatus... rest) {
    return withStatuses(EnumSet.of(first, rest));
  }

  public WorkUnitQuery withFrom(WorkUnitKey v) {
    return new WorkUnitQuery(keys, statuses, v, after, limit);
  }

  public WorkUnitQuery withAfter(WorkUnitKey v) {
    return new WorkUnitQuery(keys, statuses, from, v, limit);
  }

  public WorkUnitQuery withLimit(int v) {
    return new WorkUnitQuery(keys, statuses, from, after, v);
  }

  /** True if {@code key} is within the key bounds and key list of this query. */
  public boolean matchesKey(WorkUnitKey key) {
    if (from != null && key.compareTo(from) < 0) {
      return false;
    }
    if (after != null && key.compareTo(after) <= 0) {
      return false;
    }
    return keys == null || keys.contains(key);
  }

  /** True if {@code status} passes the status filter. */
  public boolean matchesStatus(WorkUnitStatus status) {
    return statuses.isEmpty() || statuses.contains(status);
  }
}
