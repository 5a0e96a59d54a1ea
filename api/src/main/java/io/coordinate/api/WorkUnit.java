package io.coordinate.api;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One input of a work spec. Every call raises {@link GoneException} once the unit is deleted. */
public interface WorkUnit {

  /** The spec this unit belongs to. */
  WorkSpec workSpec();

  /** The unit's key (never changes). */
  WorkUnitKey key();

  /**
   * The unit's data: the data of its active attempt when that attempt recorded any (outputs,
   * tracebacks), else the data the unit was added with.
   */
  Map<String, Object> data();

  /** Status derived from the active attempt and the not-before time. */
  WorkUnitStatus status();

  /** Priority and not-before time. */
  WorkUnitMeta meta();

  /** Changes priority and not-before time. */
  void setMeta(WorkUnitMeta meta);

  /** Shorthand for {@code meta().priority()}. */
  default double priority() {
    return meta().priority();
  }

  /** Changes the priority, keeping the not-before time. */
  void setPriority(double priority);

  /** The active attempt: pending, or the one that completed or expired last; empty if none. */
  Optional<Attempt> activeAttempt();

  /**
   * Forgets the active attempt, making the unit available (the attempt stays in the histories but
   * is no longer active; a pending one's worker gets {@link LostLeaseException} on renew).
   */
  void clearActiveAttempt();

  /** Every attempt at this unit, oldest first. */
  List<Attempt> attempts();
}
