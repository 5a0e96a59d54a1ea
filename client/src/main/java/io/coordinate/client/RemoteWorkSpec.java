package io.coordinate.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.coordinate.api.InvalidRequestException;
import io.coordinate.api.NewWorkUnit;
import io.coordinate.api.Retention;
import io.coordinate.api.WorkSpec;
import io.coordinate.api.WorkSpecDefinition;
import io.coordinate.api.WorkSpecMeta;
import io.coordinate.api.WorkUnit;
import io.coordinate.api.WorkUnitCounts;
import io.coordinate.api.WorkUnitKey;
import io.coordinate.api.WorkUnitMeta;
import io.coordinate.api.WorkUnitQuery;
import io.coordinate.api.WorkUnitSnapshot;
import io.coordinate.api.WorkUnitStatus;
import io.coordinate.api.data.WorkUnitSnapshotJson;
import io.coordinate.client.RemoteErrors.Target;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A work spec on the daemon, by namespace and name.
 *
 * <p>Queries map onto the routes' filters. A listing pages with {@code after=next_after} until it
 * has {@code limit} units (all for 0); a key list is sorted, deduplicated, cut to the query's key
 * bounds and sent in chunks of at most {@value #KEY_CHUNK} keys (fewer when the keys are long, so
 * that a URL stays well under the server's limit), the answers merged in key order. Deleting and
 * changing priorities send {@code status} and {@code key} filters directly; a query with key bounds
 * or a limit, which those routes do not take, first lists the selected keys and then acts on them
 * by key (with the status filter again, so a unit that changed meanwhile is left alone). Such a
 * query is therefore not one atomic step on the daemon.
 */
record RemoteWorkSpec(RemoteNamespace namespace, String name) implements WorkSpec {

  /** Most units one listing request asks for (the route's maximum). */
  static final int PAGE = 1000;

  /** Most keys one request names. */
  static final int KEY_CHUNK = 100;

  /** Most characters of {@code key=} parameters in one request's query string. */
  static final int KEY_CHARS = 4000;

  Transport http() {
    return namespace.http();
  }

  Target target() {
    return Target.handle(describe());
  }

  String describe() {
    return "work spec " + RemoteErrors.quote(name) + " of namespace "
        + RemoteErrors.quote(namespace.name());
  }

  String path() {
    return Routes.workSpec(namespace.name(), name);
  }

  @Override
  public WorkSpecDefinition definition() {
    Wire.Definition answer = http().get(path() + "/definition", Wire.Definition.class, target());
    return WorkSpecDefinition.parse(
        Wire.data(Wire.require(answer.definition(), "definition"), "definition"));
  }

  @Override
  public void setDefinition(Map<String, ?> definition) {
    WorkSpecDefinition parsed = WorkSpecDefinition.parse(definition);
    http().call("PUT", path() + "/definition", Map.of("definition", parsed.map()),
        Wire.Named.class, target());
  }

  @Override
  public WorkSpecMeta meta(boolean withCounts) {
    return http()
        .get(path() + "/meta?counts=" + withCounts, Wire.MetaView.class, target())
        .toMeta(withCounts);
  }

  @Override
  public void setMeta(WorkSpecMeta meta) {
    if (meta == null) {
      throw new InvalidRequestException("work spec meta must not be null");
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("priority", meta.priority());
    body.put("weight", meta.weight());
    body.put("paused", meta.paused());
    body.put("continuous", meta.continuous());
    body.put("interval", Wire.seconds(meta.interval()));
    body.put("next_continuous", meta.nextContinuous().toString());
    body.put("max_running", meta.maxRunning());
    body.put("max_getwork", meta.maxAttemptsReturned());
    body.put("max_retries", meta.maxRetries());
    body.put("rate_limit", meta.rateLimit().perSecond());
    body.put("rate_burst", meta.rateLimit().burst());
    Retention r = meta.retention();
    body.put("retain_finished_seconds", Wire.seconds(r.finishedFor()));
    body.put("retain_finished_count", r.finishedCount());
    body.put("retain_failed_seconds", Wire.seconds(r.failedFor()));
    body.put("retain_failed_count", r.failedCount());
    http().call("PATCH", path() + "/meta", body, Wire.MetaView.class, target());
  }

  @Override
  public WorkUnit addWorkUnit(WorkUnitKey key, Map<String, ?> data, WorkUnitMeta meta) {
    if (key == null) {
      throw new InvalidRequestException("work unit key must not be null");
    }
    post(List.of(NewWorkUnit.of(key, data, meta)));
    return new RemoteWorkUnit(this, key);
  }

  @Override
  public void addWorkUnits(List<NewWorkUnit> units) {
    // One request, however big: the batch is atomic on the daemon.
    post(NewWorkUnit.copyOfBatch(units));
  }

  private void post(List<NewWorkUnit> units) {
    List<Map<String, Object>> items = new ArrayList<>(units.size());
    for (NewWorkUnit u : units) {
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("key", u.key().toBase64Url());
      item.put("data", u.data());
      item.put("priority", u.meta().priority());
      if (u.meta().notBefore() != null) {
        item.put("not_before", u.meta().notBefore().toString());
      }
      items.add(item);
    }
    http().call("POST", path() + "/work-units", Map.of("work_units", items), Wire.Counted.class,
        target());
  }

  @Override
  public WorkUnit workUnit(WorkUnitKey key) {
    if (key == null) {
      throw new InvalidRequestException("work unit key must not be null");
    }
    RemoteWorkUnit unit = new RemoteWorkUnit(this, key);
    unit.summary(Target.workUnitLookup(namespace.name(), name, key));
    return unit;
  }

  @Override
  public List<WorkUnit> workUnits(WorkUnitQuery query) {
    List<WorkUnitKey> keys = select(requireQuery(query));
    List<WorkUnit> out = new ArrayList<>(keys.size());
    for (WorkUnitKey k : keys) {
      out.add(new RemoteWorkUnit(this, k));
    }
    return out;
  }

  @Override
  public WorkUnitCounts countWorkUnitStatus() {
    Wire.Counts answer = http().get(path() + "/counts", Wire.Counts.class, target());
    return Wire.counts(Wire.require(answer.counts(), "counts"));
  }

  @Override
  public int setWorkUnitPriorities(WorkUnitQuery query, double priority) {
    return change(requireQuery(query), "POST", "/work-units/priority",
        Map.of("priority", priority), Wire.Counted::changed, "changed");
  }

  @Override
  public int adjustWorkUnitPriorities(WorkUnitQuery query, double adjustment) {
    return change(requireQuery(query), "POST", "/work-units/priority",
        Map.of("adjust", adjustment), Wire.Counted::changed, "changed");
  }

  @Override
  public int deleteWorkUnits(WorkUnitQuery query) {
    return change(requireQuery(query), "DELETE", "/work-units", null, Wire.Counted::deleted,
        "deleted");
  }

  @Override
  public int archive(int maxUnits) {
    if (maxUnits < 0) {
      throw new InvalidRequestException(
          "the most units to archive must not be negative: " + maxUnits);
    }
    Wire.Archived answer =
        http().call("POST", path() + "/archive", Map.of("max_units", maxUnits),
            Wire.Archived.class, target());
    return Wire.require(answer.archived(), "archived");
  }

  @Override
  public List<WorkUnitSnapshot> workUnitSnapshots(WorkUnitQuery query) {
    return collect(
        requireQuery(query),
        q -> {
          Wire.SnapshotPage page =
              http().get(path() + "/snapshots" + q, Wire.SnapshotPage.class, target());
          List<JsonNode> rows = Wire.list(page.workUnits(), "work_units");
          List<WorkUnitSnapshot> units = new ArrayList<>(rows.size());
          for (JsonNode row : rows) {
            units.add(Wire.snapshot(row));
          }
          return new Page<>(units, page.nextAfter());
        });
  }

  /** Restores in requests of at most {@value #RESTORE_BATCH} units, each one transaction. */
  @Override
  public void restoreWorkUnits(List<WorkUnitSnapshot> units) {
    if (units == null) {
      throw new InvalidRequestException("work unit snapshots must not be null");
    }
    for (int i = 0; i < units.size(); i += RESTORE_BATCH) {
      List<Map<String, Object>> batch = new ArrayList<>();
      for (WorkUnitSnapshot u : units.subList(i, Math.min(units.size(), i + RESTORE_BATCH))) {
        batch.add(WorkUnitSnapshotJson.toJson(Objects.requireNonNull(u, "snapshot")));
      }
      http().call("POST", path() + "/restore", Map.of("work_units", batch), Wire.Restored.class,
          target());
    }
  }

  /** The daemon's limit on units per restore request. */
  static final int RESTORE_BATCH = 10_000;

  // ------------------------------------------------------------------ queries

  private static WorkUnitQuery requireQuery(WorkUnitQuery query) {
    if (query == null) {
      throw new InvalidRequestException("work unit query must not be null");
    }
    return query;
  }

  /** The keys of the units the query selects, in key order. */
  private List<WorkUnitKey> select(WorkUnitQuery q) {
    return collect(
        q,
        query -> {
          Wire.UnitPage page = page(query);
          return new Page<>(
              page.workUnits().stream().map(Wire.UnitSummary::unitKey).toList(), page.nextAfter());
        });
  }

  /** One page of a listing route, and where the next starts (null after the last). */
  private record Page<T>(List<T> items, String nextAfter) {}

  /**
   * What a listing route ({@code fetch}, given the query string) answers for the whole query, in
   * key order: key lists in chunks, anything else page by page up to the query's limit.
   */
  private <T> List<T> collect(WorkUnitQuery q, Function<Routes.Query, Page<T>> fetch) {
    List<T> out = new ArrayList<>();
    String status = statusFilter(q.statuses());
    if (q.keys() != null) {
      List<List<WorkUnitKey>> chunks = chunks(keysInBounds(q));
      if (chunks.isEmpty()) {
        touch();
        return out;
      }
      for (List<WorkUnitKey> chunk : chunks) {
        Routes.Query query = keyQuery(chunk, status).add("limit", chunk.size());
        for (T item : fetch.apply(query).items()) {
          out.add(item);
          if (q.limit() > 0 && out.size() >= q.limit()) {
            return out;
          }
        }
      }
      return out;
    }
    String from = q.from() == null ? null : q.from().toBase64Url();
    String after = q.after() == null ? null : q.after().toBase64Url();
    while (true) {
      int want = q.limit() == 0 ? PAGE : Math.min(PAGE, q.limit() - out.size());
      Routes.Query query =
          new Routes.Query()
              .add("status", status)
              .add("from", from)
              .add("after", after)
              .add("limit", want);
      Page<T> page = fetch.apply(query);
      out.addAll(page.items());
      if ((q.limit() > 0 && out.size() >= q.limit()) || page.nextAfter() == null) {
        return q.limit() > 0 && out.size() > q.limit() ? out.subList(0, q.limit()) : out;
      }
      after = page.nextAfter();
    }
  }

  private Wire.UnitPage page(Routes.Query query) {
    Wire.UnitPage page = http().get(path() + "/work-units" + query, Wire.UnitPage.class, target());
    Wire.list(page.workUnits(), "work_units");
    return page;
  }

  /**
   * Deletes or changes the priority of the selected units; the sum of the counts. A query the
   * route takes as it is (status and key filters) goes directly, in key chunks; one with key
   * bounds or a limit is listed first.
   */
  private int change(
      WorkUnitQuery q, String method, String route, Object body,
      Function<Wire.Counted, Integer> count, String field) {
    String status = statusFilter(q.statuses());
    boolean bounded = q.from() != null || q.after() != null || q.limit() > 0;
    if (q.keys() == null && !bounded) {
      Routes.Query query = new Routes.Query().add("status", status);
      if (status == null && method.equals("DELETE")) {
        query.add("all", true); // the route's safety catch: emptying a spec is said explicitly
      }
      return Wire.require(count.apply(http().call(method, path() + route + query, body,
          Wire.Counted.class, target())), field);
    }
    List<WorkUnitKey> keys = q.limit() > 0 || q.keys() == null ? select(q) : keysInBounds(q);
    List<List<WorkUnitKey>> chunks = chunks(keys);
    if (chunks.isEmpty()) {
      touch();
      return 0;
    }
    int total = 0;
    for (List<WorkUnitKey> chunk : chunks) {
      total += Wire.require(count.apply(http().call(method, path() + route
          + keyQuery(chunk, status), body, Wire.Counted.class, target())), field);
    }
    return total;
  }

  /** Fails with GoneException when the spec (or its namespace) no longer exists. */
  private void touch() {
    http().get(path() + "/meta", Wire.MetaView.class, target());
  }

  /** The query's keys, sorted, without duplicates, within its from/after bounds. */
  private static List<WorkUnitKey> keysInBounds(WorkUnitQuery q) {
    Set<WorkUnitKey> sorted = new TreeSet<>();
    for (WorkUnitKey k : q.keys()) {
      if (k != null
          && (q.from() == null || k.compareTo(q.from()) >= 0)
          && (q.after() == null || k.compareTo(q.after()) > 0)) {
        sorted.add(k);
      }
    }
    return new ArrayList<>(sorted);
  }

  /** Sorted keys cut into request-sized chunks, in order. */
  private static List<List<WorkUnitKey>> chunks(List<WorkUnitKey> keys) {
    List<List<WorkUnitKey>> out = new ArrayList<>();
    List<WorkUnitKey> chunk = new ArrayList<>();
    int chars = 0;
    for (WorkUnitKey k : keys) {
      int length = k.toBase64Url().length() + 5; // "&key=" and the key
      if (!chunk.isEmpty() && (chunk.size() >= KEY_CHUNK || chars + length > KEY_CHARS)) {
        out.add(chunk);
        chunk = new ArrayList<>();
        chars = 0;
      }
      chunk.add(k);
      chars += length;
    }
    if (!chunk.isEmpty()) {
      out.add(chunk);
    }
    return out;
  }

  private static Routes.Query keyQuery(List<WorkUnitKey> keys, String status) {
    Routes.Query query = new Routes.Query().add("status", status);
    for (WorkUnitKey k : keys) {
      query.add("key", k.toBase64Url());
    }
    return query;
  }

  /** The {@code status} parameter: a comma-separated list, {@code null} for any status. */
  private static String statusFilter(Set<WorkUnitStatus> statuses) {
    if (statuses.isEmpty()) {
      return null;
    }
    return statuses.stream().map(Wire::statusName).collect(Collectors.joining(","));
  }

  @Override
  public String toString() {
    return "RemoteWorkSpec[" + http().base() + ", " + describe() + "]";
  }
}
