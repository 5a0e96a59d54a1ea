package io.coordinate.api;

import java.util.List;
import java.util.Map;

/**
 * A kind of job and its queue of work units.
 *
 * <p>Two accessors, two kinds of data: {@link #definition()} is what the user declared (static
 * until {@link #setDefinition}); {@link #meta(boolean)} is run-time control data (paused, weight,
 * max running, …) that operators change with {@link #setMeta} and that the scheduler reads, with
 * exact counts on request.
 */
public interface WorkSpec {

  /** The namespace this spec belongs to. */
  Namespace namespace();

  /** The spec's name (never changes). */
  String name();

  /** The definition as given. */
  WorkSpecDefinition definition();

  /**
   * Replaces the definition and resets the meta to its defaults (keeping the next-continuous time).
   *
   * @throws InvalidWorkSpecException if malformed or if it names a different spec
   */
  void setDefinition(Map<String, ?> definition);

  /** The run-time control data; with exact available and pending counts if {@code withCounts}. */
  WorkSpecMeta meta(boolean withCounts);

  /**
   * Changes the mutable meta fields (see {@link WorkSpecMeta#applyChange}); counts and fixed fields
   * in {@code meta} are ignored.
   *
   * @throws InvalidRequestException if it asks a spec that cannot be continuous to be continuous
   */
  void setMeta(WorkSpecMeta meta);

  /**
   * Adds a unit, or replaces the data and meta of the unit with this key and queues it again,
   * whatever its state (as the Python daemon does): a pending lease on it is lost (the attempt
   * expires), and its past attempts stay in its history.
   */
  WorkUnit addWorkUnit(WorkUnitKey key, Map<String, ?> data, WorkUnitMeta meta);

  /** Adds many units at once, atomically, with the same rules as {@link #addWorkUnit}. */
  void addWorkUnits(List<NewWorkUnit> units);

  /**
   * The unit with this key.
   *
   * @throws NoSuchWorkUnitException if there is none
   */
  WorkUnit workUnit(WorkUnitKey key);

  /** The units the query selects, in key order. */
  List<WorkUnit> workUnits(WorkUnitQuery query);

  /** Exact counts of units per status. */
  WorkUnitCounts countWorkUnitStatus();

  /** Sets the priority of the selected units; returns how many changed. */
  int setWorkUnitPriorities(WorkUnitQuery query, double priority);

  /** Adds {@code adjustment} to the priority of the selected units; returns how many changed. */
  int adjustWorkUnitPriorities(WorkUnitQuery query, double adjustment);

  /**
   * Deletes the selected units and their attempts (pending attempts vanish from their workers'
   * lists; their workers get {@link GoneException} on the next call). Returns how many.
   */
  int deleteWorkUnits(WorkUnitQuery query);

  /**
   * Deletes up to {@code maxUnits} finished and failed units beyond the spec's {@link Retention}
   * (older than its duration by the end of their last attempt, or beyond its count, the units that
   * ended first going first), with their attempts, as {@link #deleteWorkUnits} would. Units of
   * other statuses are never touched. Returns how many were deleted: fewer than {@code maxUnits}
   * when no more were due. Backends work in short batches that do not hold up requests for work, so
   * a background sweeper calls this repeatedly until it returns less than it asked for.
   *
   * @throws InvalidRequestException if {@code maxUnits} is negative
   */
  int archive(int maxUnits);

  /**
   * The selected units as stored, in key order, each read in one piece with its active attempt
   * (see {@link WorkUnitSnapshot}): what an export writes. Page with {@code after} and {@code limit}.
   */
  List<WorkUnitSnapshot> workUnitSnapshots(WorkUnitQuery query);

  /**
   * Writes units back from snapshots, atomically: each unit gets the snapshot's data and meta, and
   * the snapshot's last attempt (see {@link WorkUnitSnapshot.LastAttempt#restored}) by the named
   * worker, created inactive in this namespace when it does not exist, becomes its active attempt.
   * A unit whose key exists is replaced in the same way, its earlier attempts staying in its
   * history, so restoring the same snapshots twice leaves the units as restoring them once.
   * Restoring is what an import does; it may be used in maintenance mode.
   */
  void restoreWorkUnits(List<WorkUnitSnapshot> units);
}
