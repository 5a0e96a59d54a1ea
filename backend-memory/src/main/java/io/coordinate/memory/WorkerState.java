package io.coordinate.memory;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.TreeMap;

/** One worker's state. Guarded by its namespace's lock. */
final class WorkerState {
  final String name;
  WorkerState parent;
  final TreeMap<String, WorkerState> children = new TreeMap<>();
  String mode = "";
  Map<String, Object> data = Map.of();
  boolean active = true;
  Instant lastUpdate;
  Instant expiration;
  /** Pending attempts, in the order they were made. */
  final LinkedHashSet<AttemptState> activeAttempts = new LinkedHashSet<>();
  /** Every attempt of units that still exist, in the order they were made. */
  final LinkedHashSet<AttemptState> allAttempts = new LinkedHashSet<>();

  WorkerState(String name, Instant now, Instant expiration) {
    this.name = name;
    this.lastUpdate = now;
    this.expiration = expiration;
  }

  boolean isActiveAt(Instant now) {
    return active && !now.isAfter(expiration);
  }
}
