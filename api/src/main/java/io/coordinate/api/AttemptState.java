package io.coordinate.api;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How an attempt stands, read at one moment ({@link Attempt#state()}): the values of its accessors
 * together, so a view of it costs one read instead of five.
 */
public record AttemptState(
    AttemptStatus status,
    Map<String, Object> data,
    Instant startTime,
    Optional<Instant> endTime,
    Instant expirationTime) {
  public AttemptState {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(startTime, "startTime");
    Objects.requireNonNull(endTime, "endTime");
    Objects.requireNonNull(expirationTime, "expirationTime");
  }
}
