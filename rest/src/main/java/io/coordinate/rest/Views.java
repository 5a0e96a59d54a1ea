package io.coordinate.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.coordinate.api.Attempt;
import io.coordinate.api.WorkSpec;
import io.coordinate.api.WorkSpecMeta;
import io.coordinate.api.WorkUnit;
import io.coordinate.api.WorkUnitCounts;
import io.coordinate.api.WorkUnitKey;
import io.coordinate.api.WorkUnitMeta;
import io.coordinate.api.WorkUnitStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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
   * {@code max_getwork} is {@link WorkSpecMeta#maxAttemptsReturned()}, named as in definitions.
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
      double minGb) {
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
          m.minMemoryGb());
    }
  }

  private static double seconds(Duration d) {
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
      Integer maxRetries) {

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
        if (!Double.isFinite(interval) || interval < 0) {
          throw new ApiException(400, "invalid_request",
              "interval must be a non-negative number of seconds");
        }
        m = m.withInterval(Duration.ofNanos(Math.round(interval * 1e9)));
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
      return m;
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
      return new WorkUnitDetail(s.key(), s.keyText(), s.status(), s.priority(), s.notBefore(),
          unit.data(),
          unit.activeAttempt().map(AttemptView::of).orElse(null),
          unit.attempts().stream().map(AttemptView::of).toList());
    }
  }

  /** An attempt: who, how it stands, and when (ISO-8601; {@code end_time} null while pending). */
  record AttemptView(
      String worker, String status, String startTime, String endTime, String expirationTime) {
    static AttemptView of(Attempt a) {
      return new AttemptView(a.worker().name(), statusName(a.status()), instant(a.startTime()),
          a.endTime().map(Instant::toString).orElse(null), instant(a.expirationTime()));
    }
  }

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

  record Added(int added) {}

  record Deleted(int deleted) {}

  record Retried(int retried) {}

  record Changed(int changed) {}
}
