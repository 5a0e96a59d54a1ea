package io.coordinate.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.coordinate.api.AttemptStatus;
import io.coordinate.api.BackendUnavailableException;
import io.coordinate.api.MaintenanceState;
import io.coordinate.api.RateLimit;
import io.coordinate.api.Retention;
import io.coordinate.api.WorkSpecMeta;
import io.coordinate.api.WorkUnitCounts;
import io.coordinate.api.WorkUnitKey;
import io.coordinate.api.WorkUnitMeta;
import io.coordinate.api.WorkUnitSnapshot;
import io.coordinate.api.WorkUnitStatus;
import io.coordinate.api.data.DataValues;
import io.coordinate.api.data.JsonData;
import io.coordinate.api.data.WorkUnitSnapshotJson;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON forms of the REST API as the client reads them: records Jackson fills (snake_case
 * property names; unknown properties are ignored, so a newer daemon may add some), and the
 * conversions to api values. A form that lacks what the API promises raises {@link
 * BackendUnavailableException} (see {@link #malformed}).
 */
final class Wire {
  private Wire() {}

  /** An answer that does not have the documented form: the daemon is not usable as it stands. */
  static BackendUnavailableException malformed(String message, Throwable cause) {
    return new BackendUnavailableException(
        "the daemon's answer is not the REST API's form: " + message, cause);
  }

  static BackendUnavailableException malformed(String message) {
    return malformed(message, null);
  }

  // ------------------------------------------------------------------ answers

  record NamespaceList(List<String> namespaces) {}

  record WorkSpecList(List<String> workSpecs) {}

  record Named(String name) {}

  record Definition(JsonNode definition) {}

  record Counted(Integer added, Integer deleted, Integer changed) {}

  record Archived(Integer archived) {}

  record Counts(Map<String, Long> counts) {}

  record Maintenance(Boolean on, String reason, String since) {}

  static MaintenanceState maintenance(Maintenance m) {
    return new MaintenanceState(
        require(m.on(), "on"),
        m.reason() == null ? "" : m.reason(),
        m.since() == null ? null : instant(m.since(), "since"));
  }

  record SnapshotPage(List<JsonNode> workUnits, String nextAfter) {}

  record Restored(Integer restored) {}

  static WorkUnitSnapshot snapshot(JsonNode row) {
    try {
      return WorkUnitSnapshotJson.fromJson(row, "work_units[]");
    } catch (IllegalArgumentException e) {
      throw malformed("a malformed work unit snapshot: " + e.getMessage(), e);
    }
  }

  /**
   * A work spec's meta; the two counts only when asked for. A daemon older than rate limits and
   * retention leaves their fields out: none of either.
   */
  record MetaView(
      Integer priority,
      Integer weight,
      Boolean paused,
      Boolean continuous,
      Boolean canBeContinuous,
      Double interval,
      String nextContinuous,
      Integer maxRunning,
      Integer maxGetwork,
      Integer maxRetries,
      String then,
      String runtime,
      Double minGb,
      Double rateLimit,
      Integer rateBurst,
      Double retainFinishedSeconds,
      Integer retainFinishedCount,
      Double retainFailedSeconds,
      Integer retainFailedCount,
      Long availableCount,
      Long pendingCount) {

    WorkSpecMeta toMeta(boolean withCounts) {
      WorkSpecMeta.Counts counts = null;
      if (withCounts) {
        counts = new WorkSpecMeta.Counts(
            require(availableCount, "available_count"), require(pendingCount, "pending_count"));
      }
      return new WorkSpecMeta(
          require(priority, "priority"),
          require(weight, "weight"),
          require(paused, "paused"),
          require(continuous, "continuous"),
          require(canBeContinuous, "can_be_continuous"),
          duration(require(interval, "interval")),
          instant(require(nextContinuous, "next_continuous"), "next_continuous"),
          require(maxRunning, "max_running"),
          require(maxGetwork, "max_getwork"),
          require(maxRetries, "max_retries"),
          then,
          runtime,
          minGb == null ? 0 : minGb,
          new RateLimit(orZero(rateLimit), orZero(rateBurst)),
          new Retention(
              duration(orZero(retainFinishedSeconds)),
              orZero(retainFinishedCount),
              duration(orZero(retainFailedSeconds)),
              orZero(retainFailedCount)),
          Optional.ofNullable(counts));
    }

    private static double orZero(Double v) {
      return v == null ? 0 : v;
    }

    private static int orZero(Integer v) {
      return v == null ? 0 : v;
    }
  }

  /** A row of a work unit listing. */
  record UnitSummary(String key, String status, Double priority, String notBefore) {
    WorkUnitKey unitKey() {
      return Wire.key(key);
    }

    WorkUnitStatus unitStatus() {
      return Wire.unitStatus(status);
    }

    WorkUnitMeta meta() {
      return Wire.unitMeta(priority, notBefore);
    }
  }

  record UnitPage(List<UnitSummary> workUnits, String nextAfter) {}

  /** One work unit in full. */
  record UnitDetail(
      String key,
      String status,
      Double priority,
      String notBefore,
      JsonNode data,
      AttemptView activeAttempt,
      List<AttemptView> attempts) {

    Map<String, Object> dataMap() {
      return Wire.data(data, "data");
    }
  }

  static WorkUnitMeta unitMeta(Double priority, String notBefore) {
    return new WorkUnitMeta(
        require(priority, "priority"), notBefore == null ? null : instant(notBefore, "not_before"));
  }

  /** An attempt, with what identifies it: spec, key, index, worker and start time. */
  record AttemptView(
      String workSpec,
      String key,
      Integer number,
      String worker,
      String status,
      String startTime,
      String endTime,
      String expirationTime,
      JsonNode data) {

    AttemptStatus attemptStatus() {
      try {
        return AttemptStatus.valueOf(require(status, "status").toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw malformed("unknown attempt status \"" + status + "\"");
      }
    }

    Instant start() {
      return instant(require(startTime, "start_time"), "start_time");
    }

    Optional<Instant> end() {
      return endTime == null ? Optional.empty() : Optional.of(instant(endTime, "end_time"));
    }

    Instant expiration() {
      return instant(require(expirationTime, "expiration_time"), "expiration_time");
    }

    Map<String, Object> dataMap() {
      return Wire.data(data, "data");
    }
  }

  record AttemptList(List<AttemptView> attempts) {}

  /** A worker. */
  record WorkerView(
      String name,
      String parent,
      Boolean active,
      String mode,
      JsonNode data,
      String expiration,
      String lastUpdate) {

    Map<String, Object> dataMap() {
      return Wire.data(data, "data");
    }
  }

  record WorkerList(List<WorkerView> workers, String nextAfter) {}

  // ------------------------------------------------------------------ conversions

  static <T> T require(T value, String field) {
    if (value == null) {
      throw malformed("field \"" + field + "\" is missing");
    }
    return value;
  }

  static <T> List<T> list(List<T> value, String field) {
    return require(value, field);
  }

  static Instant instant(String text, String field) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw malformed("field \"" + field + "\" is not an ISO-8601 instant: " + text, e);
    }
  }

  static WorkUnitKey key(String base64url) {
    try {
      return WorkUnitKey.fromBase64Url(require(base64url, "key"));
    } catch (RuntimeException e) {
      throw malformed(e.getMessage(), e);
    }
  }

  static WorkUnitStatus unitStatus(String name) {
    try {
      return WorkUnitStatus.valueOf(require(name, "status").toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw malformed("unknown work unit status \"" + name + "\"");
    }
  }

  /** The lower-case wire name of a status. */
  static String statusName(Enum<?> status) {
    return status.name().toLowerCase(Locale.ROOT);
  }

  /** A data map in the tagged forms, as an immutable normalized map. */
  static Map<String, Object> data(JsonNode node, String field) {
    try {
      return DataValues.copyOf(JsonData.fromJson(node, field));
    } catch (RuntimeException e) {
      throw malformed(e.getMessage(), e);
    }
  }

  static WorkUnitCounts counts(Map<String, Long> byName) {
    Map<WorkUnitStatus, Long> out = new EnumMap<>(WorkUnitStatus.class);
    for (WorkUnitStatus s : WorkUnitStatus.values()) {
      Long n = byName.get(statusName(s));
      if (n != null) {
        out.put(s, n);
      }
    }
    return new WorkUnitCounts(out);
  }

  /** Seconds on the wire, fractional: what the server rounds back to nanoseconds. */
  static double seconds(Duration d) {
    return d.getSeconds() + d.getNano() / 1e9;
  }

  static Duration duration(double seconds) {
    return Duration.ofNanos(Math.round(seconds * 1e9));
  }
}
