package io.coordinate.rest;

import static io.coordinate.rest.Requests.allowOnly;
import static io.coordinate.rest.Requests.limit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.coordinate.api.MaintenanceState;
import io.coordinate.api.MaintenanceWatch;
import io.coordinate.api.WorkUnitQuery;
import io.coordinate.api.WorkUnitSnapshot;
import io.coordinate.api.data.WorkUnitSnapshotJson;
import io.coordinate.api.Namespace;
import io.coordinate.transfer.ExportFormat;
import io.coordinate.transfer.Exporter;
import io.coordinate.transfer.Importer;
import io.javalin.http.Context;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Maintenance mode, unit snapshots and their restore (see {@link WorkUnitSnapshotJson} for their
 * JSON form), and whole-namespace export and import in the export file format.
 */
final class TransferRoutes {
  /** The most units one restore request may carry: one transaction each. */
  static final int MAX_RESTORE_BATCH = 10_000;

  private final Lookup lookup;
  private final ObjectMapper mapper;
  private final MaintenanceWatch maintenance;
  private final Clock clock;

  TransferRoutes(Lookup lookup, ObjectMapper mapper, MaintenanceWatch maintenance, Clock clock) {
    this.lookup = lookup;
    this.mapper = mapper;
    this.maintenance = maintenance;
    this.clock = clock;
  }

  void maintenance(Context ctx) {
    allowOnly(ctx, Set.of());
    ctx.json(view(maintenance.current()));
  }

  void setMaintenance(Context ctx) throws JsonProcessingException {
    allowOnly(ctx, Set.of());
    Views.MaintenanceBody body = Json.readObject(mapper, ctx.body(), Views.MaintenanceBody.class);
    if (body.on() == null) {
      throw new ApiException(400, "malformed_body", "field \"on\" is required");
    }
    ctx.json(view(maintenance.set(body.on(), body.reason() == null ? "" : body.reason())));
  }

  private static Views.MaintenanceView view(MaintenanceState s) {
    return new Views.MaintenanceView(
        s.on(), s.reason(), s.since() == null ? null : s.since().toString());
  }

  /** A page of units as stored, with their active attempts: what an export reads. */
  void snapshots(Context ctx) {
    allowOnly(ctx, Set.of("status", "key", "from", "after", "limit"));
    int limit = limit(ctx);
    WorkUnitQuery query = AdminRoutes.pageFilters(ctx);
    List<WorkUnitSnapshot> units = lookup.spec(ctx).workUnitSnapshots(query.withLimit(limit + 1));
    List<WorkUnitSnapshot> page = units.size() > limit ? units.subList(0, limit) : units;
    String nextAfter = units.size() > limit ? Keys.encode(page.getLast().key()) : null;
    List<Map<String, Object>> json = new ArrayList<>(page.size());
    page.forEach(u -> json.add(WorkUnitSnapshotJson.toJson(u)));
    ctx.json(new Views.SnapshotPage(json, nextAfter));
  }

  /**
   * Writes units back from snapshots, in one transaction: what an import does. Only in maintenance
   * mode (read afresh, not from the watch), so no worker or operator changes the queue meanwhile.
   */
  void restore(Context ctx) throws JsonProcessingException {
    allowOnly(ctx, Set.of());
    JsonNode body = Json.readTree(mapper, ctx.body());
    JsonNode items = body.get("work_units");
    if (body.size() != 1 || items == null || !items.isArray()) {
      throw new ApiException(
          400, "malformed_body", "the body must be {\"work_units\": [snapshots...]}");
    }
    if (items.size() > MAX_RESTORE_BATCH) {
      throw new ApiException(400, "invalid_request",
          "at most " + MAX_RESTORE_BATCH + " units per restore request, not " + items.size());
    }
    List<WorkUnitSnapshot> units = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      try {
        units.add(WorkUnitSnapshotJson.fromJson(items.get(i), "work_units[" + i + "]"));
      } catch (IllegalArgumentException e) {
        throw new ApiException(400, "malformed_body", e.getMessage());
      }
    }
    if (!lookup.coordinate().maintenance().on()) {
      throw new ApiException(409, "maintenance_off",
          "restoring units (an import) needs maintenance mode on: PUT /api/v1/maintenance");
    }
    lookup.spec(ctx).restoreWorkUnits(units);
    ctx.json(new Views.Restored(units.size()));
  }

  /** The namespace as an export file, streamed as it is read (see {@link ExportFormat}). */
  void export(Context ctx) throws IOException {
    allowOnly(ctx, Set.of());
    Namespace ns = lookup.namespace(ctx);
    ctx.contentType(NDJSON);
    // Once the first line is out an error can no longer change the status; the file then lacks
    // its end record, which every reader takes as cut short.
    new Exporter(clock).export(ns, ctx.outputStream(), new Exporter.Progress() {});
  }

  /**
   * Applies consecutive lines of an export file ({@code position}: the line number of the first),
   * the namespace created if needed; only in maintenance mode. Answers the position after them,
   * from which the import goes on. The lines are read in full before anything is applied.
   */
  void importLines(Context ctx) throws IOException {
    allowOnly(ctx, Set.of("position"));
    long position = Requests.positiveLong(ctx, "position");
    List<JsonNode> records = new ArrayList<>();
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(ctx.bodyInputStream(), StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        long number = position + records.size();
        try {
          records.add(mapper.readTree(line));
        } catch (JsonProcessingException e) {
          throw new ApiException(400, "malformed_body",
              "line " + number + ": not a JSON record: " + e.getOriginalMessage());
        }
      }
    }
    if (!lookup.coordinate().maintenance().on()) {
      throw new ApiException(409, "maintenance_off",
          "an import needs maintenance mode on: PUT /api/v1/maintenance");
    }
    Namespace ns = lookup.coordinate().namespace(Lookup.namespaceName(ctx));
    Importer.Summary applied = new Importer(clock).apply(ns, records, position);
    ctx.json(new Views.Imported(position + records.size(), applied.workSpecs(),
        applied.workers(), applied.workUnits()));
  }

  /** JSON lines, the export file's media type. */
  static final String NDJSON = "application/x-ndjson";
}
