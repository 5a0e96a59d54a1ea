package io.coordinate.api;

import java.time.Instant;

/**
 * Scheduling control data of a work unit.
 *
 * @param priority higher runs first; 0 by default
 * @param notBefore the unit is {@link WorkUnitStatus#DELAYED} until this time; {@code null} for no
 *     delay
 */
public record WorkUnitMeta(double priority, Instant notBefore) {
  /** Priority 0, no delay. */
  public static final WorkUnitMeta DEFAULT = new WorkUnitMeta(0, null);

  public WorkUnitMeta {
    if (Double.isNaN(priority)) {
      throw new InvalidRequestException("work unit priority must be a number, not NaN");
    }
  }

  /** Priority {@code priority}, no delay. */
  public static WorkUnitMeta ofPriority(double priority) {
    return new WorkUnitMeta(priority, null);
  }

  public WorkUnitMeta withPriority(double newPriority) {
    return new WorkUnitMeta(newPriority, notBefore);
  }

  public WorkUnitMeta withNotBefore(Instant newNotBefore) {
    return new WorkUnitMeta(priority, newNotBefore);
  }
}
