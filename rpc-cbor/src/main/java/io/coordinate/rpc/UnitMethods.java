package io.coordinate.rpc;

import io.coordinate.api.Attempt;
import io.coordinate.api.AttemptStatus;
import io.coordinate.api.NewWorkUnit;
import io.coordinate.api.NoSuchWorkUnitException;
import io.coordinate.api.WorkSpec;
import io.coordinate.api.WorkUnit;
import io.coordinate.api.WorkUnitKey;
import io.coordinate.api.WorkUnitMeta;
import io.coordinate.api.WorkUnitQuery;
import io.coordinate.api.WorkUnitStatus;
import io.coordinate.api.Worker;
import io.coordinate.api.data.Tuple;
import io.coordinate.api.retention.RetentionSweeper;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Work unit methods. {@code update_work_unit} is how workers finish, fail, renew, give back and
 * retry units; its transition table is documented on {@link #updateWorkUnit}.
 */
final class UnitMethods {
  /** {@code get_work_units} default and largest page. */
  static final int DEFAULT_UNIT_LIMIT = 1000;

  static final int MAX_UNIT_LIMIT = 10_000;

  /** The longest lease a renew may ask for (a day), as the Python client and server agree. */
  static final Duration MAX_LEASE = Duration.ofDays(1);

  /** The lease when none or an unusable one is asked for. */
  static final Duration DEFAULT_LEASE = Duration.ofSeconds(300);

  private final JobServer server;

  UnitMethods(JobServer server) {
    this.server = server;
  }

  void register() {
    server.pair("add_work_units", 2, 2, false, this::addWorkUnits);
    server.pair("count_work_units", 1, 1, null, this::countWorkUnits);
    server.pair("get_work_units", 1, 2, null, this::getWorkUnits);
    server.pair("get_work_unit_status", 2, 2, null, this::getWorkUnitStatus);
    server.pair("prioritize_work_units", 2, 2, false, this::prioritizeWorkUnits);
    server.pair("del_work_units", 1, 2, 0L, this::delWorkUnits);
    server.pair("update_work_unit", 3, 3, false, this::updateWorkUnit);
    server.bare("archive", 0, 1, this::archive);
  }

  private WorkSpec spec(Params p) {
    return server.namespace().workSpec(p.string(0, "work spec name"));
  }

  // ---------------------------------------------------------------------------------------
  // Adding and reading
  // ---------------------------------------------------------------------------------------

  private Object addWorkUnits(Params p) {
    WorkSpec spec = spec(p);
    List<?> items = p.list(1, "work units");
    List<NewWorkUnit> units = new ArrayList<>(items.size());
    Instant now = server.clock().instant();
    for (int i = 0; i < items.size(); i++) {
      units.add(newUnit(items.get(i), i, now));
    }
    spec.addWorkUnits(units);
    return JobServer.ok(true);
  }

  /** One {@code [key, data, meta?, priority?]} item; meta may hold priority and delay. */
  private static NewWorkUnit newUnit(Object item, int index, Instant now) {
    List<?> parts = Params.asList(item);
    if (parts == null) {
      throw new RpcError("work unit " + index + " must be a list [key, data, meta?, priority?]");
    }
    if (parts.size() < 2) {
      throw new RpcError("work unit " + index + " needs at least a key and data");
    }
    WorkUnitKey key = Params.asKey(parts.get(0));
    if (key == null) {
      throw new RpcError("work unit " + index + ": key must be a byte or text string");
    }
    if (!(parts.get(1) instanceof Map<?, ?> data)) {
      throw new RpcError("work unit " + index + ": data must be a map");
    }
    double priority = 0;
    Instant notBefore = null;
    if (parts.size() > 2 && parts.get(2) != null) {
      if (!(parts.get(2) instanceof Map<?, ?> meta)) {
        throw new RpcError("work unit " + index + ": meta must be a map");
      }
      Double metaPriority = Numbers.optionalDouble(meta.get("priority"), "priority");
      if (metaPriority != null) {
        priority = metaPriority;
      }
      Double delay = Numbers.optionalDouble(meta.get("delay"), "delay");
      if (delay != null && delay > 0) {
        notBefore = now.plus(Duration.ofNanos(Math.round(delay * 1e9)));
      }
    }
    if (parts.size() > 3 && parts.get(3) != null) {
      priority = Numbers.requireDouble(parts.get(3), "priority");
    }
    @SuppressWarnings("unchecked")
    Map<String, ?> typed = (Map<String, ?>) data;
    return NewWorkUnit.of(key, typed, new WorkUnitMeta(priority, notBefore));
  }

  private Object countWorkUnits(Params p) {
    var counts = spec(p).countWorkUnitStatus();
    Map<Long, Long> result = new LinkedHashMap<>();
    for (WorkUnitStatus status : WorkUnitStatus.values()) {
      long n = counts.get(status);
      if (n > 0) {
        result.merge(PyStatus.of(status), n, Long::sum);
      }
    }
    return JobServer.ok(result);
  }

  private Object getWorkUnits(Params p) {
    WorkSpec spec = spec(p);
    Map<String, Object> options = p.optionalMap(1, "options");
    List<Object> result = new ArrayList<>();
    List<?> keys = Params.asList(options.get("work_unit_keys"));
    if (keys != null && !keys.isEmpty()) {
      // One entry per requested key, in the order asked; (key, None) for a missing one. The units
      // come in one query rather than one lookup per key.
      List<WorkUnitKey> unitKeys = keys.stream().map(UnitMethods::requireKey).toList();
      Map<WorkUnitKey, Object> found = new HashMap<>();
      for (WorkUnit unit : spec.workUnits(WorkUnitQuery.all().withKeys(unitKeys))) {
        found.put(unit.key(), unit.data());
      }
      for (WorkUnitKey key : unitKeys) {
        result.add(Tuple.of(key.bytes(), found.get(key)));
      }
      return JobServer.ok(result);
    }
    WorkUnitQuery query = WorkUnitQuery.all();
    if (options.get("state") != null) {
      Set<WorkUnitStatus> statuses = PyStatus.parseState(options.get("state"));
      if (statuses.isEmpty()) {
        return JobServer.ok(result); // only BLOCKED was asked for: nothing is blocked
      }
      query = query.withStatuses(statuses);
    }
    if (options.get("start") != null) {
      query = query.withFrom(requireKey(options.get("start")));
    }
    int limit = Numbers.optionalInt(options.get("limit"), DEFAULT_UNIT_LIMIT, "limit");
    query = query.withLimit(Math.max(1, Math.min(limit, MAX_UNIT_LIMIT)));
    for (WorkUnit unit : spec.workUnits(query)) {
      result.add(Tuple.of(unit.key().bytes(), unit.data()));
    }
    return JobServer.ok(result);
  }

  private static WorkUnitKey requireKey(Object k) {
    WorkUnitKey key = Params.asKey(k);
    if (key == null) {
      throw new RpcError("work unit keys must be byte or text strings, got " + Params.typeName(k));
    }
    return key;
  }

  private Object getWorkUnitStatus(Params p) {
    WorkSpec spec = spec(p);
    List<?> keys = Params.asList(p.raw(1));
    if (keys == null) {
      keys = List.of(p.key(1, "work unit keys")); // one key alone, as the CLI may send it
    }
    List<Object> result = new ArrayList<>(keys.size());
    for (Object k : keys) {
      try {
        result.add(statusOf(spec.workUnit(requireKey(k))));
      } catch (NoSuchWorkUnitException e) {
        result.add(null);
      }
    }
    return JobServer.ok(result);
  }

  /** {status, worker_id?, expiration? (while pending), traceback? (when failed)}. */
  private static Map<String, Object> statusOf(WorkUnit unit) {
    Map<String, Object> status = new LinkedHashMap<>();
    WorkUnitStatus s = unit.status();
    status.put("status", PyStatus.of(s));
    Optional<Attempt> active = unit.activeAttempt();
    if (active.isPresent() && s != WorkUnitStatus.AVAILABLE && s != WorkUnitStatus.DELAYED) {
      Attempt a = active.get();
      status.put("worker_id", a.worker().name());
      if (s == WorkUnitStatus.PENDING) {
        status.put("expiration", a.expirationTime().getEpochSecond());
      }
      if (s == WorkUnitStatus.FAILED && a.data().containsKey("traceback")) {
        status.put("traceback", a.data().get("traceback"));
      }
    }
    return status;
  }

  // ---------------------------------------------------------------------------------------
  // Changing and deleting
  // ---------------------------------------------------------------------------------------

  private Object prioritizeWorkUnits(Params p) {
    WorkSpec spec = spec(p);
    Map<String, Object> options = p.map(1, "options");
    List<?> keys = Params.asList(options.get("work_unit_keys"));
    if (keys == null) {
      return JobServer.soft(false, "missing work_unit_keys");
    }
    List<WorkUnitKey> unitKeys = keys.stream().map(UnitMethods::requireKey).toList();
    WorkUnitQuery query = WorkUnitQuery.all().withKeys(unitKeys);
    Double priority = Numbers.optionalDouble(options.get("priority"), "priority");
    Double adjustment = Numbers.optionalDouble(options.get("adjustment"), "adjustment");
    if (priority != null) {
      spec.setWorkUnitPriorities(query, priority);
    } else if (adjustment != null) {
      spec.adjustWorkUnitPriorities(query, adjustment);
    }
    return JobServer.ok(true);
  }

  private Object delWorkUnits(Params p) {
    WorkSpec spec = spec(p);
    Map<String, Object> options = p.optionalMap(1, "options");
    if (Numbers.truthy(options.get("all"))) {
      return JobServer.ok((long) spec.deleteWorkUnits(WorkUnitQuery.all()));
    }
    List<?> keys = Params.asList(options.get("work_unit_keys"));
    Object state = options.get("state");
    if (keys == null && state == null) {
      return JobServer.soft(0L, "no usable options to del_work_units");
    }
    WorkUnitQuery query = WorkUnitQuery.all();
    if (keys != null) {
      query = query.withKeys(keys.stream().map(UnitMethods::requireKey).toList());
    }
    if (state != null) {
      Set<WorkUnitStatus> statuses = PyStatus.parseState(state);
      if (statuses.isEmpty()) {
        return JobServer.ok(0L);
      }
      query = query.withStatuses(statuses);
    }
    return JobServer.ok((long) spec.deleteWorkUnits(query));
  }

  /**
   * {@code update_work_unit(spec, key, {lease_time?, status?, data?, worker_id?})}. The Python
   * client never says which worker it is, so the unit's current attempt is acted upon. By the
   * unit's state and the requested status:
   *
   * <ul>
   *   <li>pending (or expired but not taken over): no status renews for {@code lease_time} (at
   *       most a day); a lease of 0 or less gives the unit back (available now); AVAILABLE retries
   *       it; PENDING renews; FINISHED finishes and chains; FAILED fails.
   *   <li>available: FINISHED and FAILED make an attempt (for {@code worker_id}, or an anonymous
   *       worker) and complete it, as a parent's report about a child's unit needs; PENDING makes
   *       a pending attempt; AVAILABLE only replaces the data if given; no status is refused.
   *   <li>finished: a second FINISHED is a no-op (workers finish twice; it does not chain again);
   *       FAILED is ignored (the success stands, with its data); AVAILABLE queues it again.
   *   <li>failed: FINISHED wins (a late success after the parent gave up) with the data it carries
   *       and chains; FAILED is a no-op; AVAILABLE queues it again.
   * </ul>
   */
  private Object updateWorkUnit(Params p) {
    WorkSpec spec = spec(p);
    WorkUnitKey key = p.key(1, "work unit key");
    Map<String, Object> options = p.map(2, "options");
    Double leaseSeconds = Numbers.optionalDouble(options.get("lease_time"), "lease_time");
    Long status = options.get("status") == null ? null : Numbers.requireLong(options.get("status"), "status");
    Map<String, Object> data = null;
    if (options.get("data") != null) {
      if (!(options.get("data") instanceof Map<?, ?> m)) {
        throw new RpcError("update_work_unit: data must be a map");
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> typed = (Map<String, Object>) m;
      data = typed;
    }
    if (leaseSeconds == null && status == null) {
      return JobServer.soft(false, "nothing to do");
    }
    if (status != null && status != PyStatus.AVAILABLE && status != PyStatus.PENDING
        && status != PyStatus.FINISHED && status != PyStatus.FAILED) {
      throw new RpcError("update_work_unit: invalid status " + status);
    }
    WorkUnit unit = spec.workUnit(key);
    WorkUnitStatus current = unit.status();
    Optional<Attempt> active = unit.activeAttempt();
    boolean live =
        active.isPresent()
            && (current == WorkUnitStatus.PENDING
                || (active.get().status() == AttemptStatus.EXPIRED));

    if (live) {
      Attempt a = active.get();
      if (status == null || status == PyStatus.PENDING) {
        if (status == null && leaseSeconds != null && leaseSeconds <= 0) {
          a.expire(data); // the worker gives the unit back
        } else {
          a.renew(renewLease(leaseSeconds), data);
        }
      } else if (status == PyStatus.AVAILABLE) {
        a.retry(data, null);
      } else if (status == PyStatus.FINISHED) {
        a.finish(data);
      } else {
        a.fail(data);
      }
      return JobServer.ok(true);
    }

    switch (current) {
      case FINISHED -> {
        if (status != null && status == PyStatus.AVAILABLE) {
          requeue(spec, unit, data);
          return JobServer.ok(true);
        }
        if (status != null && (status == PyStatus.FINISHED || status == PyStatus.FAILED)) {
          return JobServer.ok(true); // the success stands; a repeated finish does not chain again
        }
        return JobServer.soft(false, "work unit " + key + " is already finished");
      }
      case FAILED -> {
        if (status != null && status == PyStatus.AVAILABLE) {
          requeue(spec, unit, data);
          return JobServer.ok(true);
        }
        if (status != null && status == PyStatus.FINISHED) {
          active.orElseThrow().finish(data); // a late success wins over the failure
          return JobServer.ok(true);
        }
        if (status != null && status == PyStatus.FAILED) {
          return JobServer.ok(true);
        }
        return JobServer.soft(false, "work unit " + key + " has failed");
      }
      default -> {
        // Available or delayed: nobody holds it.
        if (status == null) {
          return JobServer.soft(false, "work unit " + key + " is not pending");
        }
        if (status == PyStatus.AVAILABLE) {
          if (data != null) {
            spec.addWorkUnit(key, data, unit.meta());
          }
          return JobServer.ok(true);
        }
        Attempt a = worker(options).makeAttempt(unit, renewLease(leaseSeconds));
        if (status == PyStatus.PENDING) {
          if (data != null) {
            a.renew(renewLease(leaseSeconds), data);
          }
        } else if (status == PyStatus.FINISHED) {
          a.finish(data);
        } else {
          a.fail(data);
        }
        return JobServer.ok(true);
      }
    }
  }

  /** Queues a completed unit again, with new data if given. */
  private static void requeue(WorkSpec spec, WorkUnit unit, Map<String, Object> data) {
    if (data != null) {
      spec.addWorkUnit(unit.key(), data, unit.meta()); // re-adding a completed unit reopens it
    } else {
      unit.clearActiveAttempt();
    }
  }

  /** The worker an update names, or the anonymous one when it names none (the Python client). */
  private Worker worker(Map<String, Object> options) {
    String name = Params.asString(options.get("worker_id"));
    if (name != null) {
      return server.namespace().worker(name);
    }
    Worker anonymous = server.namespace().worker("");
    anonymous.deactivate(); // it does no work itself: keep it out of the worker listings
    return anonymous;
  }

  /** A renew's lease: what was asked, at most a day; the default when nothing usable was. */
  static Duration renewLease(Double seconds) {
    if (seconds == null || seconds < 1) {
      return DEFAULT_LEASE;
    }
    Duration lease = Duration.ofNanos(Math.round(Math.min(seconds, MAX_LEASE.toSeconds()) * 1e9));
    return lease;
  }

  /**
   * {@code archive([options])}: one retention sweep of the served namespace now, on this
   * connection's thread: every work spec with a retention policy (see {@link
   * io.coordinate.api.Retention}) loses its finished and failed units beyond it. Specs without one
   * (the default, as with the Python daemon) keep everything. The options are accepted and
   * ignored; the answer is null, as the Python server's.
   */
  private Object archive(Params p) {
    if (p.size() == 1 && p.raw(0) != null) {
      p.map(0, "options");
    }
    RetentionSweeper.sweep(
        server.namespace(), RetentionSweeper.DEFAULT_BATCH, server.metrics().archived());
    return null;
  }
}
