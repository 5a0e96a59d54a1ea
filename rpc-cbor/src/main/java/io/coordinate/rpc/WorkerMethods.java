package io.coordinate.rpc;

import io.coordinate.api.Attempt;
import io.coordinate.api.Worker;
import io.coordinate.api.data.ByteString;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Worker methods, the worker tree, and the daemon-level {@code get_config} and {@code now}. */
final class WorkerMethods {
  /** Heartbeat lifetimes outside 0 .. 1 day are replaced, as the Python server does. */
  static final Duration NEGATIVE_LIFETIME_DEFAULT = Duration.ofMinutes(5);

  static final Duration HUGE_LIFETIME_DEFAULT = Duration.ofHours(1);

  private final JobServer server;

  WorkerMethods(JobServer server) {
    this.server = server;
  }

  void register() {
    server.pair("worker_heartbeat", 1, 5, false, this::heartbeat);
    server.pair("worker_unregister", 1, 1, false, this::unregister);
    server.pair("list_worker_modes", 0, 0, null, this::listWorkerModes);
    server.pair("get_worker_info", 1, 1, null, this::getWorkerInfo);
    server.pair("mode_counts", 0, 0, null, this::modeCounts);
    server.bare("worker_stats", 0, 0, this::workerStats);
    server.pair("get_child_work_units", 1, 1, null, this::getChildWorkUnits);
    server.pair("get_config", 0, 0, null, p -> JobServer.ok(server.globalConfig()));
    server.bare("now", 0, 0, p -> server.clock().instant().getEpochSecond());
  }

  /** {@code worker_heartbeat(worker_id, mode, lifetime, environment, parent)}. */
  private Object heartbeat(Params p) {
    String id = p.string(0, "worker id");
    Object rawMode = p.raw(1);
    String mode = rawMode instanceof Long l ? l.toString() : p.optionalString(1, "mode");
    double lifetime = p.raw(2) == null ? 0 : Numbers.requireDouble(p.raw(2), "lifetime");
    Map<String, Object> environment = p.optionalMap(3, "environment");
    String parent = p.optionalString(4, "parent");
    String message = null;
    Duration life;
    if (lifetime < 0) {
      life = NEGATIVE_LIFETIME_DEFAULT;
      message = "negative expire time " + Numbers.format(lifetime) + " defaulted to 5 minutes";
    } else if (lifetime > Duration.ofDays(1).toSeconds()) {
      life = HUGE_LIFETIME_DEFAULT;
      message = "huge expire time " + Numbers.format(lifetime) + " defaulted to one hour";
    } else {
      life = Duration.ofNanos(Math.round(lifetime * 1e9));
    }
    Worker worker = server.namespace().worker(id);
    worker.heartbeat(mode, environment, life);
    worker.setParent(parent == null || parent.isEmpty() ? null : server.namespace().worker(parent));
    return JobServer.okWithNote(true, message);
  }

  private Object unregister(Params p) {
    String id = p.string(0, "worker id");
    Optional<Worker> worker = server.namespace().findWorker(id);
    if (worker.isEmpty()) {
      return JobServer.soft(false, "no worker '" + id + "'");
    }
    worker.get().deactivate();
    return JobServer.ok(true);
  }

  private Object listWorkerModes(Params p) {
    Map<String, Object> modes = new LinkedHashMap<>();
    for (Worker w : server.namespace().workers()) {
      if (w.isActive()) {
        modes.put(w.name(), w.mode());
      }
    }
    return JobServer.ok(modes);
  }

  private Object getWorkerInfo(Params p) {
    Optional<Worker> worker = server.namespace().findWorker(p.string(0, "worker id"));
    if (worker.isEmpty() || !worker.get().isActive()) {
      return JobServer.ok(null);
    }
    return JobServer.ok(worker.get().data());
  }

  private Object modeCounts(Params p) {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (Worker w : server.namespace().workers()) {
      if (w.isActive()) {
        counts.merge(w.mode(), 1L, Long::sum);
      }
    }
    return JobServer.ok(counts);
  }

  /** {num_workers: active workers, num_children: active ones with a parent, num_expirable}. */
  private Object workerStats(Params p) {
    long active = 0;
    long children = 0;
    for (Worker w : server.namespace().workers()) {
      if (w.isActive()) {
        active++;
        if (w.parent().isPresent()) {
          children++;
        }
      }
    }
    Map<String, Object> stats = new LinkedHashMap<>();
    stats.put("num_workers", active);
    stats.put("num_children", children);
    stats.put("num_expirable", active);
    return stats;
  }

  /**
   * {@code get_child_work_units(parent)}: {child: [{work_spec_name, work_unit_key, work_unit_data,
   * worker_id, expires}]} over the children's pending units; {@code expires} is absolute Unix
   * time, which the Python parent compares with its clock to find stuck children.
   */
  private Object getChildWorkUnits(Params p) {
    Optional<Worker> parent = server.namespace().findWorker(p.string(0, "worker id"));
    Map<String, Object> result = new LinkedHashMap<>();
    if (parent.isEmpty()) {
      return JobServer.ok(result);
    }
    for (Attempt a : parent.get().childAttempts()) {
      Map<String, Object> unit = new LinkedHashMap<>();
      unit.put("work_spec_name", ByteString.utf8(a.workUnit().workSpec().name()));
      unit.put("work_unit_key", a.workUnit().key().bytes());
      unit.put("work_unit_data", a.data());
      unit.put("worker_id", a.worker().name());
      unit.put("expires", a.expirationTime().getEpochSecond());
      @SuppressWarnings("unchecked")
      List<Object> units =
          (List<Object>) result.computeIfAbsent(a.worker().name(), k -> new java.util.ArrayList<>());
      units.add(unit);
    }
    return JobServer.ok(result);
  }
}
