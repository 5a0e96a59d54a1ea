package io.coordinate.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.coordinate.api.Attempt;
import io.coordinate.api.AttemptState;
import io.coordinate.api.GoneException;
import io.coordinate.api.Retention;
import io.coordinate.api.WorkSpec;
import io.coordinate.api.WorkSpecMeta;
import io.coordinate.api.WorkUnit;
import io.coordinate.api.WorkUnitCounts;
import io.coordinate.api.WorkUnitKey;
import io.coordinate.api.WorkUnitMeta;
import io.coordinate.api.WorkUnitStatus;
import io.coordinate.api.Worker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The JSON shapes of the REST API, as records Jackson renders (property names in snake_case). */
final class Views {
  private Views() {}

  record NamespaceList(List<String> namespaces) {}

  record WorkSpecList(List<String> workSpecs) {}

  record Status(String status) {}

  /** A work spec: its definition as given, its meta, and a count for every unit status. */
  record WorkSpecView(
      String name, Map<String, Object> definition, MetaView meta, Map<String, Long> counts) {
    static WorkSpecView of(WorkSpec spec) {
      return new WorkSpecView(
          spec.name(),
          spec.definition().map(),
          MetaView.of(spec.meta(false)),
          countsByStatus(spec.countWorkUnitStatus()));
    }
  }

  /** Every status, zeros included, in declaration order, so clients need no defaults. */
  static Map<String, Long> countsByStatus(WorkUnitCounts counts) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (WorkUnitStatus s : WorkUnitStatus.values()) {
      out.put(s.name().toLowerCase(Locale.ROOT), counts.get(s));
    }
    return out;
  }

  /**
   * A work spec's meta. {@code interval} is in seconds; {@code next_continuous} is ISO-8601;
   * {@code max_getwork} is {@link WorkSpecMeta#maxAttemptsReturned()}, named as in definitions;
   * {@code rate_limit} (units a second, 0: none) and {@code rate_burst} (0: the default) are the
   * rate limit, the {@code retain_*} fields the retention policy (seconds and counts, 0: keep), all
   * named as in definitions; {@code available_count} and {@code pending_count} only when counts
   * were asked for.
   */
  record MetaView(
      int priority,
      int weight,
      boolean paused,
      boolean continuous,
      boolean canBeContinuous,
      double interval,
      String nextContinuous,
      int maxRunning,
      int maxGetwork,
      int maxRetries,
      String then,
      String runtime,
      double minGb,
      double rateLimit,
      int rateBurst,
      double retainFinishedSeconds,
      int retainFinishedCount,
      double retainFailedSeconds,
      int retainFailedCount,
      @JsonInclude(JsonInclude.Include.NON_NULL) Long availableCount,
      @JsonInclude(JsonInclude.Include.NON_NULL) Long pendingCount) {
    static MetaView of(WorkSpecMeta m) {
      return new MetaView(
          m.priority(),
          m.weight(),
          m.paused(),
          m.continuous(),
          m.canBeContinuous(),
          seconds(m.interval()),
          m.nextContinuous().toString(),
          m.maxRunning(),
          m.maxAttemptsReturned(),
          m.maxRetries(),
          m.nextWorkSpecName(),
          m.runtime(),
          m.minMemoryGb(),
          m.rateLimit().perSecond(),
          m.rateLimit().burst(),
          seconds(m.retention().finishedFor()),
          m.retention().finishedCount(),
          seconds(m.retention().failedFor()),
          m.retention().failedCount(),
          m.counts().map(WorkSpecMeta.Counts::available).orElse(null),
          m.counts().map(WorkSpecMeta.Counts::pending).orElse(null));
    }
  }

  static double seconds(Duration d) {
    return d.getSeconds() + d.getNano() / 1e9;
  }

  /**
   * A change to a work spec's meta: absent fields stay as they are. Unknown fields, nulls and
   * wrong types are rejected (see {@link Json}) before this record exists.
   */
  record MetaPatch(
      Integer priority,
      Integer weight,
      Boolean paused,
      Boolean continuous,
      Double interval,
      Integer maxRunning,
      Integer maxGetwork,
      Integer maxRetries,
      String nextContinuous,
      Double rateLimit,
      Integer rateBurst,
      Double retainFinishedSeconds,
      Integer retainFinishedCount,
      Double retainFailedSeconds,
      Integer retainFailedCount) {

    /** {@code current} with this patch applied; the meta record checks the ranges. */
    WorkSpecMeta applyTo(WorkSpecMeta current) {
      WorkSpecMeta m = current;
      if (priority != null) {
        m = m.withPriority(priority);
      }
      if (weight != null) {
        m = m.withWeight(weight);
      }
      if (paused != null) {
        m = m.withPaused(paused);
      }
      if (continuous != null) {
        m = m.withContinuous(continuous);
      }
      if (interval != null) {
        m = m.withInterval(Requests.seconds(interval, "interval", false));
      }
      if (maxRunning != null) {
        m = m.withMaxRunning(maxRunning);
      }
      if (maxGetwork != null) {
        m = m.withMaxAttemptsReturned(maxGetwork);
      }
      if (maxRetries != null) {
        m = m.withMaxRetries(maxRetries);
      }
      if (nextContinuous != null) {
        m = m.withNextContinuous(Requests.instant(nextContinuous, "next_continuous"));
      }
      if (rateLimit != null) {
        m = m.withRateLimit(m.rateLimit().withPerSecond(rateLimit));
      }
      if (rateBurst != null) {
        m = m.withRateLimit(m.rateLimit().withBurst(rateBurst));
      }
      Retention r = m.retention();
      if (retainFinishedSeconds != null) {
        r = r.withFinishedFor(Retention.seconds(retainFinishedSeconds, "retain_finished_seconds"));
      }
      if (retainFinishedCount != null) {
        r = r.withFinishedCount(retainFinishedCount);
      }
      if (retainFailedSeconds != null) {
        r = r.withFailedFor(Retention.seconds(retainFailedSeconds, "retain_failed_seconds"));
      }
      if (retainFailedCount != null) {
        r = r.withFailedCount(retainFailedCount);
      }
      return m.withRetention(r);
    }
  }

  /** A status as it appears on the wire: the enum name in lower case. */
  static String statusName(Enum<?> status) {
    return status.name().toLowerCase(Locale.ROOT);
  }

  private static String instant(Instant t) {
    return t == null ? null : t.toString();
  }

  /** One row of a work unit listing; {@code not_before} is left out when the unit has none. */
  record WorkUnitSummary(
      String key,
      String keyText,
      String status,
      double priority,
      @JsonInclude(JsonInclude.Include.NON_NULL) String notBefore) {
    static WorkUnitSummary of(WorkUnit unit) {
      WorkUnitKey key = unit.key();
      WorkUnitMeta meta = unit.meta();
      return new WorkUnitSummary(Keys.encode(key), Keys.text(key), statusName(unit.status()),
          meta.priority(), instant(meta.notBefore()));
    }
  }

  /** A page of units; {@code next_after} is the key to continue after, null on the last page. */
  record WorkUnitPage(List<WorkUnitSummary> workUnits, String nextAfter) {}

  /**
   * One work unit in full: the listing's fields, then its data, its active attempt (null if none)
   * and every attempt, oldest first.
   */
  record WorkUnitDetail(
      String key,
      String keyText,
      String status,
      double priority,
      @JsonInclude(JsonInclude.Include.NON_NULL) String notBefore,
      Map<String, Object> data,
      AttemptView activeAttempt,
      List<AttemptView> attempts) {
    static WorkUnitDetail of(WorkUnit unit) {
      WorkUnitSummary s = WorkUnitSummary.of(unit);
      List<Attempt> attempts = unit.attempts();
      Optional<Attempt> active = unit.activeAttempt();
      List<AttemptView> views = new ArrayList<>(attempts.size());
      for (int i = 0; i < attempts.size(); i++) {
        views.add(AttemptView.of(attempts.get(i), i));
      }
      AttemptView activeView = active.map(a -> {
        int n = AttemptView.indexOf(attempts, a);
        return n >= 0 ? views.get(n) : AttemptView.of(a, AttemptView.number(a));
      }).orElse(null);
      return new WorkUnitDetail(s.key(), s.keyText(), s.status(), s.priority(), s.notBefore(),
          unit.data(), activeView, views);
    }
  }

  /**
   * An attempt: of which unit ({@code work_spec}, {@code key}, {@code key_text}), its {@code
   * number} (its index among the unit's attempts, oldest first: the {@code {n}} of its routes),
   * who, how it stands, when (ISO-8601; {@code end_time} null while pending), and its data.
   */
  record AttemptView(
      String workSpec,
      String key,
      String keyText,
      int number,
      String worker,
      String status,
      String startTime,
      String endTime,
      String expirationTime,
      Map<String, Object> data) {

    static AttemptView of(Attempt a, int number) {
      WorkUnit unit = a.workUnit();
      AttemptState s = a.state();
      return new AttemptView(unit.workSpec().name(), Keys.encode(unit.key()), Keys.text(unit.key()),
          number, a.worker().name(), statusName(s.status()), instant(s.startTime()),
          s.endTime().map(Instant::toString).orElse(null), instant(s.expirationTime()), s.data());
    }

    /** Its index among its unit's attempts (one read of the unit's history). */
    static int number(Attempt a) {
      int n = indexOf(a.workUnit().attempts(), a);
      if (n < 0) {
        // Its unit was deleted and re-added meanwhile: a new history without it.
        throw new GoneException("attempt at " + Keys.encode(a.workUnit().key()));
      }
      return n;
    }

    /**
     * Where {@code a} is in {@code attempts}: attempt handles are equal when they are the same
     * attempt; failing that (a backend without equality), the same worker and start time.
     */
    static int indexOf(List<Attempt> attempts, Attempt a) {
      int n = attempts.indexOf(a);
      if (n >= 0) {
        return n;
      }
      String worker = a.worker().name();
      Instant start = a.startTime();
      for (int i = 0; i < attempts.size(); i++) {
        Attempt other = attempts.get(i);
        if (other.worker().name().equals(worker) && other.startTime().equals(start)) {
          return i;
        }
      }
      return -1;
    }

    /**
     * Views of {@code attempts} (of any units), numbering each with one history read per unit.
     * Attempts whose unit was deleted while the list was built are left out.
     */
    static List<AttemptView> ofAll(List<Attempt> attempts) {
      Map<UnitId, List<Attempt>> histories = new HashMap<>();
      List<AttemptView> out = new ArrayList<>(attempts.size());
      for (Attempt a : attempts) {
        try {
          WorkUnit unit = a.workUnit();
          List<Attempt> history = histories.computeIfAbsent(
              new UnitId(unit.workSpec().name(), unit.key()), id -> unit.attempts());
          int n = indexOf(history, a);
          if (n >= 0) {
            out.add(of(a, n));
          }
        } catch (GoneException e) {
          // Deleted meanwhile: no longer one of the worker's attempts.
        }
      }
      return out;
    }

    private record UnitId(String spec, WorkUnitKey key) {}
  }

  record AttemptList(List<AttemptView> attempts) {}

  /** The body of {@code POST .../work-units}. */
  record AddWorkUnits(List<NewUnitBody> workUnits) {}

  /**
   * One unit to add: exactly one of {@code key} (base64url) and {@code key_text}; {@code data} in
   * the tagged forms, read by {@link Json#dataFromJson}; {@code not_before} ISO-8601.
   */
  record NewUnitBody(
      String key, String keyText, JsonNode data, Double priority, String notBefore) {}

  /** The body of {@code POST .../work-units/priority}: exactly one of the two. */
  record PriorityChange(Double priority, Double adjust) {}

  /** The body of {@code PUT .../work-units/{key}/meta}; {@code not_before} absent is none. */
  record UnitMetaBody(Double priority, String notBefore) {}

  /** The body of {@code PATCH .../work-units/{key}/meta}. */
  record UnitPriorityBody(Double priority) {}

  /** The body of {@code POST .../work-units/{key}/attempts}. */
  record MakeAttemptBody(String worker, Double lifetime) {}

  /** The body of {@code POST .../attempts/{n}/renew}; {@code data} absent keeps the data. */
  record RenewBody(Double extension, JsonNode data) {}

  /** The body of {@code POST .../attempts/{n}/expire}, {@code finish} and {@code fail}. */
  record DataBody(JsonNode data) {}

  /** The body of {@code POST .../attempts/{n}/retry}; {@code delay} in seconds, absent for none. */
  record RetryBody(JsonNode data, Double delay) {}

  /** The body of {@code PUT .../work-specs/{spec}/definition}. */
  record DefinitionBody(JsonNode definition) {}

  record DefinitionView(Map<String, Object> definition) {}

  record CountsView(Map<String, Long> counts) {}

  /** A namespace or work spec created or changed, or a worker's name. */
  record Named(String name) {}

  /** A namespace or work spec deleted. */
  record DeletedName(String deleted) {}

  /**
   * A worker: {@code parent} null when none, {@code active} whether it is (not deactivated and not
   * expired), the {@code mode} and {@code data} of its last heartbeat, and ISO-8601 times.
   */
  record WorkerView(
      String name,
      String parent,
      boolean active,
      String mode,
      Map<String, Object> data,
      String expiration,
      String lastUpdate) {
    static WorkerView of(Worker w) {
      return new WorkerView(w.name(), w.parent().map(Worker::name).orElse(null), w.isActive(),
          w.mode(), w.data(), instant(w.expiration()), instant(w.lastUpdate()));
    }
  }

  /** A page of workers by name; {@code next_after} is the name to continue after, or null. */
  record WorkerPage(List<WorkerView> workers, String nextAfter) {}

  record WorkerList(List<WorkerView> workers) {}

  /** The body of {@code PUT .../workers/{worker}/parent}. */
  record ParentBody(String parent) {}

  /** The body of {@code POST .../workers/{worker}/heartbeat}; {@code lifetime} in seconds. */
  record HeartbeatBody(String mode, JsonNode data, Double lifetime) {}

  /**
   * The body of {@code POST .../workers/{worker}/work}, every field optional: {@code work_units}
   * 1, {@code lifetime} 900 seconds, {@code available_gb} 0, any work spec, any runtime.
   */
  record WorkBody(
      Integer workUnits,
      Double lifetime,
      Double availableGb,
      List<String> workSpecs,
      List<String> runtimes,
      @JsonProperty("wait") Double waitSeconds) {}

  record Added(int added) {}

  record Deleted(int deleted) {}

  record Retried(int retried) {}

  /** The body of {@code POST .../archive}: the most units to delete (default 1,000). */
  record ArchiveBody(Integer maxUnits) {}

  record Archived(int archived) {}

  record Changed(int changed) {}

  /** The store's maintenance mode ({@code since}: ISO-8601, null if it was never set). */
  record MaintenanceView(boolean on, String reason, String since) {}

  /** The body of {@code PUT /api/v1/maintenance}. */
  record MaintenanceBody(Boolean on, String reason) {}

  /** A page of unit snapshots (see {@code WorkUnitSnapshotJson}) and where the next starts. */
  record SnapshotPage(List<Map<String, Object>> workUnits, String nextAfter) {}

  /** How many units a restore wrote. */
  record Restored(int restored) {}

  /** What an import request applied, and the line the import goes on from. */
  record Imported(long position, long workSpecs, long workers, long workUnits) {}
}
