package io.coordinate.rpc;

import io.coordinate.api.NoSuchWorkSpecException;
import io.coordinate.api.Retention;
import io.coordinate.api.WorkSpec;
import io.coordinate.api.WorkSpecMeta;
import io.coordinate.api.data.ByteString;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Work spec methods: set, get, list, control, meta, delete, clear. */
final class SpecMethods {
  /** Python's work spec status codes. */
  static final long RUNNABLE = 1;

  static final long PAUSED = 2;

  /** Definition keys returned as byte strings: Python 2's {@code __import__} needs them so. */
  private static final List<String> BYTE_STRING_KEYS = List.of("module", "run_function");

  private static final int DEFAULT_LIST_LIMIT = 1000;

  private final JobServer server;

  SpecMethods(JobServer server) {
    this.server = server;
  }

  void register() {
    server.pair("set_work_spec", 1, 1, false, this::setWorkSpec);
    server.bare("get_work_spec", 1, 1, this::getWorkSpec);
    server.pair("list_work_specs", 0, 1, null, this::listWorkSpecs);
    server.pair("control_work_spec", 2, 2, false, this::controlWorkSpec);
    server.pair("get_work_spec_meta", 1, 1, null, this::getWorkSpecMeta);
    server.pair("del_work_spec", 1, 1, false, this::delWorkSpec);
    server.bare("clear", 0, 0, this::clear);
  }

  private Object setWorkSpec(Params p) {
    server.namespace().setWorkSpec(p.map(0, "work spec"));
    return JobServer.ok(true);
  }

  private Object getWorkSpec(Params p) {
    try {
      return wireDefinition(server.namespace().workSpec(p.string(0, "work spec name")));
    } catch (NoSuchWorkSpecException e) {
      return null; // the Python client reads a missing spec as None
    }
  }

  /** A spec's definition as the Python client expects it back. */
  static Map<String, Object> wireDefinition(WorkSpec spec) {
    Map<String, Object> map = new LinkedHashMap<>(spec.definition().map());
    for (String key : BYTE_STRING_KEYS) {
      if (map.get(key) instanceof String s) {
        map.put(key, ByteString.utf8(s));
      }
    }
    return map;
  }

  private Object listWorkSpecs(Params p) {
    Map<String, Object> options = p.optionalMap(0, "options");
    String start = Params.asString(options.get("start"));
    int limit = Numbers.optionalInt(options.get("limit"), DEFAULT_LIST_LIMIT, "limit");
    List<Map<String, Object>> specs = new ArrayList<>();
    String next = null;
    for (String name : server.namespace().workSpecNames()) {
      if (start != null && name.compareTo(start) < 0) {
        continue;
      }
      if (limit > 0 && specs.size() >= limit) {
        next = name;
        break;
      }
      try {
        specs.add(wireDefinition(server.namespace().workSpec(name)));
      } catch (NoSuchWorkSpecException e) {
        // deleted while listing: leave it out
      }
    }
    // The pair is the value itself: [specs, next name], which the client unpacks and pages by.
    return Arrays.asList(specs, next);
  }

  private Object controlWorkSpec(Params p) {
    String name = p.string(0, "work spec name");
    Map<String, Object> options = p.map(1, "options");
    WorkSpec spec = server.namespace().workSpec(name);
    WorkSpecMeta meta = spec.meta(false);
    if (options.containsKey("continuous")) {
      boolean continuous = Numbers.truthy(options.get("continuous"));
      if (continuous && !meta.canBeContinuous()) {
        return JobServer.soft(false, "cannot make non-continuous work spec " + name + " continuous");
      }
      meta = meta.withContinuous(continuous);
    }
    if (options.containsKey("status")) {
      long status = Numbers.requireLong(options.get("status"), "status");
      meta = meta.withPaused(status == PAUSED);
    }
    if (options.containsKey("weight")) {
      meta = meta.withWeight(Numbers.requireInt(options.get("weight"), "weight"));
    }
    if (options.containsKey("priority")) {
      meta = meta.withPriority(Numbers.requireInt(options.get("priority"), "priority"));
    }
    if (options.containsKey("interval")) {
      Object interval = options.get("interval");
      double seconds = interval == null ? 0 : Numbers.requireDouble(interval, "interval");
      meta = meta.withInterval(Duration.ofNanos(Math.round(seconds * 1e9)));
    }
    if (options.containsKey("max_running")) {
      Object max = options.get("max_running");
      meta = meta.withMaxRunning(max == null ? 0 : Numbers.requireInt(max, "max_running"));
    }
    // Keys of this daemon's own (Python clients never send them); null, like absent in a
    // definition, is none: no limit, keep forever.
    if (options.containsKey("rate_limit")) {
      double rate = orZero(options.get("rate_limit"), "rate_limit");
      meta = meta.withRateLimit(meta.rateLimit().withPerSecond(rate));
    }
    if (options.containsKey("rate_burst")) {
      int burst = Numbers.optionalInt(options.get("rate_burst"), 0, "rate_burst");
      meta = meta.withRateLimit(meta.rateLimit().withBurst(burst));
    }
    Retention r = meta.retention();
    if (options.containsKey("retain_finished_seconds")) {
      r = r.withFinishedFor(Retention.seconds(
          orZero(options.get("retain_finished_seconds"), "retain_finished_seconds"),
          "retain_finished_seconds"));
    }
    if (options.containsKey("retain_finished_count")) {
      r = r.withFinishedCount(
          Numbers.optionalInt(options.get("retain_finished_count"), 0, "retain_finished_count"));
    }
    if (options.containsKey("retain_failed_seconds")) {
      r = r.withFailedFor(Retention.seconds(
          orZero(options.get("retain_failed_seconds"), "retain_failed_seconds"),
          "retain_failed_seconds"));
    }
    if (options.containsKey("retain_failed_count")) {
      r = r.withFailedCount(
          Numbers.optionalInt(options.get("retain_failed_count"), 0, "retain_failed_count"));
    }
    spec.setMeta(meta.withRetention(r));
    return JobServer.ok(true);
  }

  /** A number option where null means 0. */
  private static double orZero(Object v, String name) {
    return v == null ? 0 : Numbers.requireDouble(v, name);
  }

  private Object getWorkSpecMeta(Params p) {
    WorkSpecMeta meta = server.namespace().workSpec(p.string(0, "work spec name")).meta(false);
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("status", meta.paused() ? PAUSED : RUNNABLE);
    result.put("continuous", meta.continuous());
    result.put("interval", meta.interval().toNanos() / 1e9);
    result.put("max_running", (long) meta.maxRunning());
    result.put("weight", (long) meta.weight());
    result.put("rate_limit", meta.rateLimit().perSecond());
    result.put("rate_burst", (long) meta.rateLimit().burst());
    Retention r = meta.retention();
    result.put("retain_finished_seconds", r.finishedFor().toNanos() / 1e9);
    result.put("retain_finished_count", (long) r.finishedCount());
    result.put("retain_failed_seconds", r.failedFor().toNanos() / 1e9);
    result.put("retain_failed_count", (long) r.failedCount());
    return JobServer.ok(result);
  }

  private Object delWorkSpec(Params p) {
    server.namespace().destroyWorkSpec(p.string(0, "work spec name"));
    return JobServer.ok(true);
  }

  private Object clear(Params p) {
    long deleted = 0;
    for (String name : server.namespace().workSpecNames()) {
      try {
        server.namespace().destroyWorkSpec(name);
        deleted++;
      } catch (NoSuchWorkSpecException e) {
        // deleted meanwhile by someone else
      }
    }
    return deleted;
  }
}
