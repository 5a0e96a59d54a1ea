package io.coordinate.transfer;

import com.fasterxml.jackson.databind.JsonNode;
import io.coordinate.api.InvalidRequestException;
import io.coordinate.api.Namespace;
import io.coordinate.api.RateLimit;
import io.coordinate.api.Retention;
import io.coordinate.api.WorkSpec;
import io.coordinate.api.WorkSpecMeta;
import io.coordinate.api.Worker;
import io.coordinate.api.WorkUnitSnapshot;
import io.coordinate.api.data.JsonData;
import io.coordinate.api.data.WorkUnitSnapshotJson;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Applies the records of an export file (see {@link ExportFormat}) to a namespace. Callers feed
 * the file in batches of consecutive lines; within a batch, the units of one spec that come
 * together are restored in one call, which backends make one transaction. Every record is
 * idempotent (a spec is defined, a worker set, a unit replaced), so a batch that failed, or was
 * cut off, is simply sent again: the position to resume from is the first line of the first batch
 * not acknowledged.
 */
public final class Importer {
  /** What a batch (or a whole import) applied. */
  public record Summary(long workSpecs, long workers, long workUnits) {
    public Summary plus(Summary other) {
      return new Summary(
          workSpecs + other.workSpecs, workers + other.workers, workUnits + other.workUnits);
    }

    public static final Summary NONE = new Summary(0, 0, 0);
  }

  private final Clock clock;

  public Importer(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Applies {@code records} to {@code ns}, {@code firstLine} being the line number of the first
   * (for messages). Header and end records are checked, not applied. Every record is read before
   * anything is applied, so a malformed record applies nothing of its batch.
   *
   * @throws InvalidRequestException naming the line of a malformed record
   */
  public Summary apply(Namespace ns, List<JsonNode> records, long firstLine) {
    List<Runnable> steps = new ArrayList<>();
    long[] counts = new long[3];
    String unitsSpec = null;
    List<WorkUnitSnapshot> units = new ArrayList<>();
    for (int i = 0; i < records.size(); i++) {
      long line = firstLine + i;
      JsonNode r = records.get(i);
      String type = ExportFormat.typeOf(r, line);
      if (type.equals(ExportFormat.WORK_UNIT)) {
        String spec = ExportFormat.text(r, "spec", line);
        if (!spec.equals(unitsSpec)) {
          flush(ns, unitsSpec, units, steps);
          unitsSpec = spec;
          units = new ArrayList<>();
        }
        units.add(unit(r, line));
        counts[2]++;
        continue;
      }
      flush(ns, unitsSpec, units, steps);
      unitsSpec = null;
      units = new ArrayList<>();
      switch (type) {
        case ExportFormat.HEADER -> ExportFormat.checkHeader(r, line);
        case ExportFormat.WORK_SPEC -> {
          steps.add(workSpec(ns, r, line));
          counts[0]++;
        }
        case ExportFormat.WORKER -> {
          steps.add(worker(ns, r, line));
          counts[1]++;
        }
        default -> {} // the end record: its counts are the file's, checked by whoever reads it all
      }
    }
    flush(ns, unitsSpec, units, steps);
    steps.forEach(Runnable::run);
    return new Summary(counts[0], counts[1], counts[2]);
  }

  private static void flush(
      Namespace ns, String spec, List<WorkUnitSnapshot> units, List<Runnable> steps) {
    if (spec != null && !units.isEmpty()) {
      List<WorkUnitSnapshot> batch = List.copyOf(units);
      steps.add(() -> ns.workSpec(spec).restoreWorkUnits(batch));
    }
  }

  private static WorkUnitSnapshot unit(JsonNode r, long line) {
    try {
      return WorkUnitSnapshotJson.fromJson(r.get("unit"), "unit");
    } catch (IllegalArgumentException | InvalidRequestException e) {
      throw ExportFormat.bad(line, e.getMessage());
    }
  }

  private static Runnable workSpec(Namespace ns, JsonNode r, long line) {
    String name = ExportFormat.text(r, "name", line);
    Map<String, Object> definition = data(r, "definition", line);
    JsonNode meta = r.get("meta");
    if (meta == null || !meta.isObject()) {
      throw ExportFormat.bad(line, "field \"meta\" must be an object");
    }
    int priority = ExportFormat.integer(meta, "priority", line);
    int weight = ExportFormat.integer(meta, "weight", line);
    boolean paused = ExportFormat.bool(meta, "paused", line);
    boolean continuous = ExportFormat.bool(meta, "continuous", line);
    Duration interval = ExportFormat.seconds(meta, "interval", line);
    Instant nextContinuous = ExportFormat.instant(meta, "next_continuous", line);
    int maxRunning = ExportFormat.integer(meta, "max_running", line);
    int maxGetwork = ExportFormat.integer(meta, "max_getwork", line);
    int maxRetries = ExportFormat.integer(meta, "max_retries", line);
    // Version 1 files have neither: the spec keeps what its definition says.
    RateLimit rateLimit = null;
    Retention retention = null;
    try {
      if (meta.has("rate_limit")) {
        rateLimit =
            new RateLimit(
                ExportFormat.number(meta, "rate_limit", line),
                ExportFormat.integer(meta, "rate_burst", line));
      }
      if (meta.has("retain_finished_seconds")) {
        retention =
            new Retention(
                ExportFormat.seconds(meta, "retain_finished_seconds", line),
                ExportFormat.integer(meta, "retain_finished_count", line),
                ExportFormat.seconds(meta, "retain_failed_seconds", line),
                ExportFormat.integer(meta, "retain_failed_count", line));
      }
    } catch (InvalidRequestException e) {
      throw ExportFormat.bad(line, e.getMessage());
    }
    RateLimit importedRateLimit = rateLimit;
    Retention importedRetention = retention;
    return () -> {
      WorkSpec spec = ns.setWorkSpec(definition);
      if (!spec.name().equals(name)) {
        throw ExportFormat.bad(line, "the definition names work spec \"" + spec.name()
            + "\", the record \"" + name + "\"");
      }
      WorkSpecMeta current = spec.meta(false);
      spec.setMeta(
          current
              .withRateLimit(importedRateLimit != null ? importedRateLimit : current.rateLimit())
              .withRetention(importedRetention != null ? importedRetention : current.retention())
              .withPriority(priority)
              .withWeight(weight)
              .withPaused(paused)
              .withContinuous(continuous && spec.meta(false).canBeContinuous())
              .withInterval(interval)
              .withNextContinuous(nextContinuous)
              .withMaxRunning(maxRunning)
              .withMaxAttemptsReturned(maxGetwork)
              .withMaxRetries(maxRetries));
    };
  }

  private Runnable worker(Namespace ns, JsonNode r, long line) {
    String name = ExportFormat.text(r, "name", line);
    JsonNode parentNode = r.get("parent");
    String parent = parentNode == null || parentNode.isNull()
        ? null
        : ExportFormat.text(r, "parent", line);
    String mode = ExportFormat.text(r, "mode", line);
    Map<String, Object> data = data(r, "data", line);
    boolean active = ExportFormat.bool(r, "active", line);
    Instant expiration = ExportFormat.instant(r, "expiration", line);
    return () -> {
      Worker w = ns.worker(name);
      Duration left = Duration.between(clock.instant(), expiration);
      w.heartbeat(mode, data, left.isNegative() ? Duration.ZERO : left);
      if (!active) {
        w.deactivate();
      }
      if (parent != null) {
        w.setParent(ns.worker(parent));
      }
    };
  }

  private static Map<String, Object> data(JsonNode r, String field, long line) {
    JsonNode v = r.get(field);
    if (v == null || !v.isObject()) {
      throw ExportFormat.bad(line, "field \"" + field + "\" must be an object");
    }
    try {
      return JsonData.fromJson(v, field);
    } catch (IllegalArgumentException e) {
      throw ExportFormat.bad(line, e.getMessage());
    }
  }
}
