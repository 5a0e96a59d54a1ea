package io.coordinate.api;

import java.time.Instant;
import java.util.Objects;

/**
 * Whether the store is in maintenance mode, why, and since when. Maintenance belongs to the store,
 * so every process sharing it sees the same state; the servers in front of it decide what it stops
 * (handing out work, changing queues) while reads, exports and imports go on.
 *
 * @param on whether maintenance mode is on
 * @param reason what the operator said when turning it on ("" when none or off)
 * @param since when it was last turned on or off; {@code null} if it never was
 */
public record MaintenanceState(boolean on, String reason, Instant since) {
  /** Never turned on. */
  public static final MaintenanceState OFF = new MaintenanceState(false, "", null);

  public MaintenanceState {
    Objects.requireNonNull(reason, "reason");
  }
}
