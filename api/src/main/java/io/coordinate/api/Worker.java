package io.coordinate.api;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A process doing work, named by itself. Workers form a tree (a parent supervises children).
 * Heartbeats keep a worker active; past its expiration it is inactive.
 */
public interface Worker {

  /** The namespace this worker belongs to. */
  Namespace namespace();

  /** The worker's self-chosen name (often a UUID). */
  String name();

  /** The parent, if any. */
  Optional<Worker> parent();

  /** Sets or (with {@code null}) clears the parent. */
  void setParent(Worker parent);

  /** The workers whose parent this is, sorted by name. */
  List<Worker> children();

  /** Active: not deactivated and not past its expiration. */
  boolean isActive();

  /** Marks the worker inactive now. */
  void deactivate();

  /** The mode of the last heartbeat ("" before any). */
  String mode();

  /** The data (environment) of the last heartbeat. */
  Map<String, Object> data();

  /** When the worker stops being active without another heartbeat. */
  Instant expiration();

  /** The time of the last heartbeat (or of creation). */
  Instant lastUpdate();

  /**
   * Records a heartbeat: mode and data replace the old ones, the worker becomes active until now +
   * {@code lifetime}.
   */
  void heartbeat(String mode, Map<String, ?> data, Duration lifetime);

  /**
   * Leases work: up to {@link AttemptRequest#numberOfWorkUnits()} units of one work spec chosen by
   * the scheduler, each with a new pending attempt. Empty when no spec can do work.
   */
  List<Attempt> requestAttempts(AttemptRequest request);

  /**
   * Makes a pending attempt at a specific unit regardless of its state and makes it the unit's
   * active attempt. For tests, tools, and a late finish after a parent's fail; normal workers use
   * {@link #requestAttempts}.
   */
  Attempt makeAttempt(WorkUnit unit, Duration lifetime);

  /** The attempts this worker is doing now (pending, not yet expired by time). */
  List<Attempt> activeAttempts();

  /** Every attempt this worker ever made (of units that still exist), oldest first. */
  List<Attempt> allAttempts();

  /** The active attempts of this worker's children. */
  List<Attempt> childAttempts();
}
