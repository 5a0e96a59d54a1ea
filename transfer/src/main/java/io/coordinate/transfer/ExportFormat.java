package io.coordinate.transfer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.coordinate.api.InvalidRequestException;
import io.coordinate.api.WorkSpecMeta;
import io.coordinate.api.Worker;
import io.coordinate.api.WorkUnitSnapshot;
import io.coordinate.api.data.JsonData;
import io.coordinate.api.data.WorkUnitSnapshotJson;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The export file: UTF-8 JSON lines, one record per line, each an object whose {@code type} says
 * what it holds. In order:
 *
 * <pre>{@code
 * {"type":"header","format":"coordinate-export","version":2,"namespace":"","exported_at":"...",
 *  "work_specs":2,"work_units":1000000}
 * {"type":"work_spec","name":"s","definition":{...},"meta":{"priority":0,"weight":20,
 *  "paused":false,"continuous":false,"interval":0.0,"next_continuous":"...","max_running":0,
 *  "max_getwork":1,"max_retries":0,"rate_limit":0.0,"rate_burst":0,
 *  "retain_finished_seconds":0.0,"retain_finished_count":0,"retain_failed_seconds":0.0,
 *  "retain_failed_count":0}}
 * {"type":"worker","name":"w1","parent":null,"mode":"RUN","data":{...},"active":true,
 *  "expiration":"...","last_update":"..."}
 * {"type":"work_unit","spec":"s","unit":{snapshot}}
 * {"type":"end","work_specs":2,"workers":1,"work_units":1000000}
 * }</pre>
 *
 * Every work spec comes before the units of it, every worker before the units whose last attempt
 * names it; the units of a spec are together, in key order. A unit's snapshot is {@link
 * WorkUnitSnapshotJson}'s form; data maps everywhere use {@link JsonData}'s tagged forms; times are
 * ISO-8601. The header's {@code work_units} is the count when the export began (for progress); the
 * {@code end} record's counts are what the file holds, so a file cut short is recognized. A reader
 * takes files of its own version or older and refuses newer ones.
 */
public final class ExportFormat {
  private ExportFormat() {}

  /** The header's {@code format}. */
  public static final String FORMAT = "coordinate-export";

  /**
   * The version this code writes and the newest it reads. Version 2 added the rate limit and
   * retention to a spec's meta; a version 1 file leaves them as the definition says.
   */
  public static final int VERSION = 2;

  public static final String HEADER = "header";
  public static final String WORK_SPEC = "work_spec";
  public static final String WORKER = "worker";
  public static final String WORK_UNIT = "work_unit";
  public static final String END = "end";

  /** A mapper for records: data maps in their tagged forms. */
  public static ObjectMapper mapper() {
    return JsonMapper.builder().addModule(JsonData.module()).build();
  }

  static Map<String, Object> header(String namespace, Instant at, long specs, long units) {
    Map<String, Object> r = record(HEADER);
    r.put("format", FORMAT);
    r.put("version", VERSION);
    r.put("namespace", namespace);
    r.put("exported_at", at.toString());
    r.put("work_specs", specs);
    r.put("work_units", units);
    return r;
  }

  static Map<String, Object> workSpec(String name, Map<String, Object> definition, WorkSpecMeta m) {
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("priority", m.priority());
    meta.put("weight", m.weight());
    meta.put("paused", m.paused());
    meta.put("continuous", m.continuous());
    meta.put("interval", m.interval().toNanos() / 1e9);
    meta.put("next_continuous", m.nextContinuous().toString());
    meta.put("max_running", m.maxRunning());
    meta.put("max_getwork", m.maxAttemptsReturned());
    meta.put("max_retries", m.maxRetries());
    meta.put("rate_limit", m.rateLimit().perSecond());
    meta.put("rate_burst", m.rateLimit().burst());
    meta.put("retain_finished_seconds", m.retention().finishedFor().toNanos() / 1e9);
    meta.put("retain_finished_count", m.retention().finishedCount());
    meta.put("retain_failed_seconds", m.retention().failedFor().toNanos() / 1e9);
    meta.put("retain_failed_count", m.retention().failedCount());
    Map<String, Object> r = record(WORK_SPEC);
    r.put("name", name);
    r.put("definition", definition);
    r.put("meta", meta);
    return r;
  }

  static Map<String, Object> worker(Worker w) {
    Map<String, Object> r = record(WORKER);
    r.put("name", w.name());
    r.put("parent", w.parent().map(Worker::name).orElse(null));
    r.put("mode", w.mode());
    r.put("data", w.data());
    r.put("active", w.isActive());
    r.put("expiration", w.expiration().toString());
    r.put("last_update", w.lastUpdate().toString());
    return r;
  }

  static Map<String, Object> workUnit(String spec, WorkUnitSnapshot unit) {
    Map<String, Object> r = record(WORK_UNIT);
    r.put("spec", spec);
    r.put("unit", WorkUnitSnapshotJson.toJson(unit));
    return r;
  }

  static Map<String, Object> end(long specs, long workers, long units) {
    Map<String, Object> r = record(END);
    r.put("work_specs", specs);
    r.put("workers", workers);
    r.put("work_units", units);
    return r;
  }

  private static Map<String, Object> record(String type) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("type", type);
    return r;
  }

  /**
   * The type of a record.
   *
   * @throws InvalidRequestException if it is not an object with a known {@code type}
   */
  public static String typeOf(JsonNode record, long line) {
    if (record == null || !record.isObject()) {
      throw bad(line, "a record must be a JSON object");
    }
    JsonNode type = record.get("type");
    String t = type == null || !type.isTextual() ? null : type.textValue();
    if (t == null
        || !(t.equals(HEADER) || t.equals(WORK_SPEC) || t.equals(WORKER) || t.equals(WORK_UNIT)
            || t.equals(END))) {
      throw bad(line, "unknown record type " + type);
    }
    return t;
  }

  /**
   * Checks a header record: this format, a version this code reads.
   *
   * @throws InvalidRequestException naming what is wrong
   */
  public static void checkHeader(JsonNode header, long line) {
    if (!HEADER.equals(typeOf(header, line))) {
      throw bad(line, "an export file begins with its header record");
    }
    if (!FORMAT.equals(text(header, "format", line))) {
      throw bad(line, "not a Coordinate export (format is not " + FORMAT + ")");
    }
    JsonNode version = header.get("version");
    if (version == null || !version.isInt() || version.intValue() < 1) {
      throw bad(line, "the header's version must be a positive integer");
    }
    if (version.intValue() > VERSION) {
      throw bad(line, "this file is export version " + version.intValue()
          + "; this Coordinate reads versions up to " + VERSION + ": use a newer one to import it");
    }
  }

  /** The error for a record that cannot be read, naming its line (the header is line 1). */
  static InvalidRequestException bad(long line, String message) {
    return new InvalidRequestException("line " + line + ": " + message);
  }

  static String text(JsonNode record, String field, long line) {
    JsonNode v = record.get(field);
    if (v == null || !v.isTextual()) {
      throw bad(line, "field \"" + field + "\" must be a string");
    }
    return v.textValue();
  }

  static Instant instant(JsonNode record, String field, long line) {
    String t = text(record, field, line);
    try {
      return Instant.parse(t);
    } catch (DateTimeParseException e) {
      throw bad(line, "field \"" + field + "\" is not an ISO-8601 instant");
    }
  }

  static Duration seconds(JsonNode record, String field, long line) {
    JsonNode v = record.get(field);
    if (v == null || !v.isNumber() || !(v.doubleValue() >= 0) || Double.isInfinite(v.doubleValue())) {
      throw bad(line, "field \"" + field + "\" must be a non-negative number");
    }
    return Duration.ofNanos(Math.round(v.doubleValue() * 1e9));
  }

  static double number(JsonNode record, String field, long line) {
    JsonNode v = record.get(field);
    if (v == null || !v.isNumber() || !Double.isFinite(v.doubleValue())) {
      throw bad(line, "field \"" + field + "\" must be a number");
    }
    return v.doubleValue();
  }

  static int integer(JsonNode record, String field, long line) {
    JsonNode v = record.get(field);
    if (v == null || !v.isInt()) {
      throw bad(line, "field \"" + field + "\" must be an integer");
    }
    return v.intValue();
  }

  static boolean bool(JsonNode record, String field, long line) {
    JsonNode v = record.get(field);
    if (v == null || !v.isBoolean()) {
      throw bad(line, "field \"" + field + "\" must be true or false");
    }
    return v.booleanValue();
  }
}
