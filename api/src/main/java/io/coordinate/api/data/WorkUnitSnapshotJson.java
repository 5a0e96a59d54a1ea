package io.coordinate.api.data;

import com.fasterxml.jackson.databind.JsonNode;
import io.coordinate.api.AttemptStatus;
import io.coordinate.api.InvalidRequestException;
import io.coordinate.api.WorkUnitKey;
import io.coordinate.api.WorkUnitMeta;
import io.coordinate.api.WorkUnitSnapshot;
import io.coordinate.api.WorkUnitStatus;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The JSON form of a {@link WorkUnitSnapshot}, shared by the REST API, its client and the export
 * file, so one unit reads the same everywhere:
 *
 * <pre>{@code
 * {"key": "<base64url, no padding>", "data": {...}, "priority": 0.0, "not_before": null,
 *  "status": "finished",
 *  "last_attempt": {"worker": "w1", "status": "finished", "data": {...} | null,
 *                   "start_time": "2026-12-03T10:00:00Z", "end_time": "..." | null,
 *                   "expiration_time": "..."}}
 * }</pre>
 *
 * Data maps use {@link JsonData}'s tagged forms (write the map with a mapper that has {@link
 * JsonData#module()}); times are ISO-8601 instants; statuses are their names in lower case. {@code
 * last_attempt} is null or absent for a unit without one.
 */
public final class WorkUnitSnapshotJson {
  private WorkUnitSnapshotJson() {}

  private static final Set<String> UNIT_FIELDS =
      Set.of("key", "data", "priority", "not_before", "status", "last_attempt");
  private static final Set<String> ATTEMPT_FIELDS =
      Set.of("worker", "status", "data", "start_time", "end_time", "expiration_time");

  /** The snapshot as a JSON-ready map (data maps stay data maps, for the tagging serializers). */
  public static Map<String, Object> toJson(WorkUnitSnapshot unit) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("key", unit.key().toBase64Url());
    out.put("data", unit.data());
    out.put("priority", unit.meta().priority());
    out.put("not_before", text(unit.meta().notBefore()));
    out.put("status", name(unit.status()));
    WorkUnitSnapshot.LastAttempt a = unit.lastAttempt();
    if (a != null) {
      Map<String, Object> attempt = new LinkedHashMap<>();
      attempt.put("worker", a.worker());
      attempt.put("status", name(a.status()));
      attempt.put("data", a.data());
      attempt.put("start_time", text(a.startTime()));
      attempt.put("end_time", text(a.endTime()));
      attempt.put("expiration_time", text(a.expirationTime()));
      out.put("last_attempt", attempt);
    } else {
      out.put("last_attempt", null);
    }
    return out;
  }

  /**
   * The snapshot a JSON object stands for: the inverse of {@link #toJson}.
   *
   * @param field how to name {@code node} in an error message
   * @throws IllegalArgumentException naming the offending field, for anything malformed: a missing
   *     or unknown field, a wrong type, a bad key, time or status
   */
  public static WorkUnitSnapshot fromJson(JsonNode node, String field) {
    requireObject(node, field, UNIT_FIELDS);
    WorkUnitKey key;
    try {
      key = WorkUnitKey.fromBase64Url(text(node, "key", field, false));
    } catch (InvalidRequestException e) {
      throw new IllegalArgumentException(field + ".key: " + e.getMessage());
    }
    JsonNode priority = node.get("priority");
    if (priority != null && !priority.isNull() && !priority.isNumber()) {
      throw new IllegalArgumentException(field + ".priority must be a number");
    }
    WorkUnitMeta meta =
        new WorkUnitMeta(
            priority == null || priority.isNull() ? 0 : priority.doubleValue(),
            instant(node, "not_before", field, true));
    String status = text(node, "status", field, true);
    WorkUnitSnapshot.LastAttempt last = null;
    JsonNode a = node.get("last_attempt");
    if (a != null && !a.isNull()) {
      String af = field + ".last_attempt";
      requireObject(a, af, ATTEMPT_FIELDS);
      JsonNode attemptData = a.get("data");
      last =
          new WorkUnitSnapshot.LastAttempt(
              text(a, "worker", af, false),
              parse(AttemptStatus.class, text(a, "status", af, false), af + ".status"),
              attemptData == null || attemptData.isNull()
                  ? null
                  : JsonData.fromJson(attemptData, af + ".data"),
              instant(a, "start_time", af, false),
              instant(a, "end_time", af, true),
              instant(a, "expiration_time", af, false));
    }
    return new WorkUnitSnapshot(
        key,
        JsonData.fromJson(node.get("data"), field + ".data"),
        meta,
        status == null
            ? WorkUnitStatus.AVAILABLE
            : parse(WorkUnitStatus.class, status, field + ".status"),
        last);
  }

  private static void requireObject(JsonNode node, String field, Set<String> known) {
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException(field + " must be an object");
    }
    node.fieldNames()
        .forEachRemaining(
            name -> {
              if (!known.contains(name)) {
                throw new IllegalArgumentException(field + " has an unknown field \"" + name + "\"");
              }
            });
  }

  private static String text(JsonNode node, String name, String field, boolean optional) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      if (optional) {
        return null;
      }
      throw new IllegalArgumentException(field + "." + name + " is missing");
    }
    if (!v.isTextual()) {
      throw new IllegalArgumentException(field + "." + name + " must be a string");
    }
    return v.textValue();
  }

  private static Instant instant(JsonNode node, String name, String field, boolean optional) {
    String t = text(node, name, field, optional);
    try {
      return t == null ? null : Instant.parse(t);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          field + "." + name + " is not an ISO-8601 instant: \"" + t + "\"");
    }
  }

  private static <E extends Enum<E>> E parse(Class<E> type, String text, String field) {
    try {
      return Enum.valueOf(type, text.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(field + " is not a known status: \"" + text + "\"");
    }
  }

  private static String name(Enum<?> status) {
    return status.name().toLowerCase(Locale.ROOT);
  }

  private static String text(Instant t) {
    return t == null ? null : t.toString();
  }
}
