package io.coordinate.api;

import io.coordinate.api.data.DataValues;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A work unit as stored, read in one piece for export and written back by {@link
 * WorkSpec#restoreWorkUnits}: its key, the data it was added with, its meta, its status, and the
 * outcome of its active attempt.
 *
 * @param key the unit's key
 * @param data the data the unit was added with (its attempt's data, if any, is in {@code
 *     lastAttempt})
 * @param meta priority and not-before time
 * @param status the unit's status when read; derived again from {@code lastAttempt} and {@code meta}
 *     on restore
 * @param lastAttempt the unit's active attempt, or {@code null} if it has none
 */
public record WorkUnitSnapshot(
    WorkUnitKey key,
    Map<String, Object> data,
    WorkUnitMeta meta,
    WorkUnitStatus status,
    LastAttempt lastAttempt) {

  public WorkUnitSnapshot {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(meta, "meta");
    Objects.requireNonNull(status, "status");
    data = DataValues.copyOf(data == null ? Map.of() : data);
  }

  /**
   * The active attempt of a unit: who did it, how it ended, what it recorded.
   *
   * @param worker the worker's name, in the unit's namespace
   * @param status the attempt's status
   * @param data what the attempt recorded (outputs, a traceback), or {@code null} if nothing
   * @param startTime when it was leased
   * @param endTime when it ended, or {@code null} while pending
   * @param expirationTime when its lease runs (or ran) out
   */
  public record LastAttempt(
      String worker,
      AttemptStatus status,
      Map<String, Object> data,
      Instant startTime,
      Instant endTime,
      Instant expirationTime) {
    public LastAttempt {
      Objects.requireNonNull(worker, "worker");
      Objects.requireNonNull(status, "status");
      Objects.requireNonNull(startTime, "startTime");
      Objects.requireNonNull(expirationTime, "expirationTime");
      data = data == null ? null : DataValues.copyOf(data);
    }

    /**
     * This attempt as a restore writes it: a lease does not survive a move between stores, so a
     * pending attempt is restored expired, and its unit available; an attempt that ended without
     * an end time ended when its lease ran out.
     */
    public LastAttempt restored() {
      AttemptStatus restoredStatus = status == AttemptStatus.PENDING ? AttemptStatus.EXPIRED : status;
      Instant end = endTime == null || status == AttemptStatus.PENDING ? expirationTime : endTime;
      return restoredStatus == status && end.equals(endTime)
          ? this
          : new LastAttempt(worker, restoredStatus, data, startTime, end, expirationTime);
    }
  }
}
