package io.coordinate.sql;

import io.coordinate.api.GoneException;
import io.coordinate.api.InvalidRequestException;
import io.coordinate.api.Locks;
import io.coordinate.api.Namespace;
import io.coordinate.api.NoSuchWorkSpecException;
import io.coordinate.api.WorkSpec;
import io.coordinate.api.WorkSpecDefinition;
import io.coordinate.api.WorkSpecMeta;
import io.coordinate.api.Worker;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

final class SqlNamespace implements Namespace {
  private final SqlStore store;
  private final long id;
  private final String name;
  private final SqlLocks locks;

  SqlNamespace(SqlStore store, long id, String name) {
    this.store = store;
    this.id = id;
    this.name = name;
    this.locks = new SqlLocks(this);
  }

  long id() {
    return id;
  }

  SqlStore store() {
    return store;
  }

  @Override
  public String name() {
    return name;
  }

  /** Throws {@link GoneException} if this namespace was destroyed. */
  void requireLive(Handle h) {
    if (h.createQuery("SELECT 1 FROM namespace WHERE id = :id").bind("id", id).mapTo(Integer.class)
        .findOne()
        .isEmpty()) {
      throw new GoneException("namespace " + name);
    }
  }

  @Override
  public void destroy() {
    store.txRun(
        (h, now) -> {
          // The namespace row first: creating a spec in it waits (its foreign key), then fails.
          if (h.createQuery("SELECT 1 FROM namespace WHERE id = :id FOR UPDATE")
              .bind("id", id)
              .mapTo(Integer.class)
              .findOne()
              .isEmpty()) {
            throw new GoneException("namespace " + name);
          }
          store.dialect.queueToDestroy(
              h,
              h.createQuery("SELECT id FROM work_spec WHERE namespace_id = :ns")
                  .bind("ns", id)
                  .mapTo(Long.class)
                  .list());
          deleteUnits(
              h,
              h.createQuery("SELECT id FROM work_spec WHERE namespace_id = :ns FOR UPDATE")
                  .bind("ns", id)
                  .mapTo(Long.class)
                  .list());
          h.createUpdate("DELETE FROM namespace WHERE id = :id").bind("id", id).execute();
        });
  }

  @Override
  public WorkSpec setWorkSpec(Map<String, ?> definition) {
    WorkSpecDefinition parsed = WorkSpecDefinition.parse(definition);
    long specId =
        store.tx(
            (h, now) -> {
              requireLive(h);
              Optional<Long> existing =
                  h.createQuery(
                          "SELECT id FROM work_spec WHERE namespace_id = :ns AND name = :name"
                              + " FOR UPDATE")
                      .bind("ns", id)
                      .bind("name", parsed.name())
                      .mapTo(Long.class)
                      .findOne();
              if (existing.isPresent()) {
                writeDefinition(h, existing.get(), parsed, now);
                return existing.get();
              }
              WorkSpecMeta m = parsed.defaultMeta();
              long created = h.createUpdate(
                      "INSERT INTO work_spec (namespace_id, name, definition, priority, weight,"
                          + " paused, continuous, can_be_continuous, interval_us,"
                          + " next_continuous_us, max_running, max_getwork, max_retries,"
                          + " next_work_spec, runtime, min_gb) VALUES (:ns, :name, :definition,"
                          + " :priority, :weight, :paused, :continuous, :canBeContinuous,"
                          + " :interval, :nextContinuous, :maxRunning, :maxGetwork, :maxRetries,"
                          + " :next, :runtime, :minGb)")
                  .bind("ns", id)
                  .bind("name", parsed.name())
                  .bind("definition", SqlStore.cbor(parsed.map()))
                  .bind("priority", m.priority())
                  .bind("weight", m.weight())
                  .bind("paused", m.paused())
                  .bind("continuous", m.continuous())
                  .bind("canBeContinuous", m.canBeContinuous())
                  .bind("interval", SpecRow.intervalMicros(m))
                  .bind("nextContinuous", SqlStore.micros(m.nextContinuous()))
                  .bind("maxRunning", m.maxRunning())
                  .bind("maxGetwork", m.maxAttemptsReturned())
                  .bind("maxRetries", m.maxRetries())
                  .bind("next", m.nextWorkSpecName())
                  .bind("runtime", m.runtime())
                  .bind("minGb", m.minMemoryGb())
                  .executeAndReturnGeneratedKeys("id")
                  .mapTo(Long.class)
                  .one();
              SpecPolicies.write(h, created, m, now);
              return created;
            });
    return new SqlWorkSpec(this, specId, parsed.name());
  }

  /** Replaces a spec's definition and resets its meta, keeping the next-continuous time. */
  static void writeDefinition(Handle h, long specId, WorkSpecDefinition parsed, long now) {
    WorkSpecMeta m = parsed.defaultMeta();
    h.createUpdate(
            "UPDATE work_spec SET definition = :definition, priority = :priority,"
                + " weight = :weight, paused = :paused, continuous = :continuous,"
                + " can_be_continuous = :canBeContinuous, interval_us = :interval,"
                + " max_running = :maxRunning, max_getwork = :maxGetwork,"
                + " max_retries = :maxRetries, next_work_spec = :next, runtime = :runtime,"
                + " min_gb = :minGb WHERE id = :id")
        .bind("id", specId)
        .bind("definition", SqlStore.cbor(parsed.map()))
        .bind("priority", m.priority())
        .bind("weight", m.weight())
        .bind("paused", m.paused())
        .bind("continuous", m.continuous())
        .bind("canBeContinuous", m.canBeContinuous())
        .bind("interval", SpecRow.intervalMicros(m))
        .bind("maxRunning", m.maxRunning())
        .bind("maxGetwork", m.maxAttemptsReturned())
        .bind("maxRetries", m.maxRetries())
        .bind("next", m.nextWorkSpecName())
        .bind("runtime", m.runtime())
        .bind("minGb", m.minMemoryGb())
        .execute();
    SpecPolicies.write(h, specId, m, now);
  }

  @Override
  public WorkSpec workSpec(String specName) {
    long specId =
        store.tx(
            (h, now) -> {
              requireLive(h);
              return h.createQuery(
                      "SELECT id FROM work_spec WHERE namespace_id = :ns AND name = :name")
                  .bind("ns", id)
                  .bind("name", specName)
                  .mapTo(Long.class)
                  .findOne()
                  .orElseThrow(() -> new NoSuchWorkSpecException(specName));
            });
    return new SqlWorkSpec(this, specId, specName);
  }

  @Override
  public void destroyWorkSpec(String specName) {
    store.txRun(
        (h, now) -> {
          requireLive(h);
          Long specId =
              h.createQuery("SELECT id FROM work_spec WHERE namespace_id = :ns AND name = :name")
                  .bind("ns", id)
                  .bind("name", specName)
                  .mapTo(Long.class)
                  .findOne()
                  .orElseThrow(() -> new NoSuchWorkSpecException(specName));
          store.dialect.queueToDestroy(h, List.of(specId));
          if (h.createQuery("SELECT 1 FROM work_spec WHERE id = :id FOR UPDATE")
              .bind("id", specId)
              .mapTo(Integer.class)
              .findOne()
              .isEmpty()) {
            throw new NoSuchWorkSpecException(specName); // destroyed meanwhile
          }
          deleteUnits(h, List.of(specId));
          h.createUpdate("DELETE FROM work_spec WHERE id = :id").bind("id", specId).execute();
        });
  }

  /**
   * Deletes the units (and with them their attempts) of specs this transaction has queued to
   * destroy and locked for update. An add holds a lock on its spec until it commits, so those locks
   * waited for adds in flight, whose units are deleted here too, and adds that come later find the
   * spec gone (no foreign key does it: see {@code SqlWorkSpec.upsert}).
   */
  private static void deleteUnits(Handle h, List<Long> lockedSpecs) {
    if (!lockedSpecs.isEmpty()) {
      h.createUpdate("DELETE FROM work_unit WHERE spec_id IN (<specs>)")
          .bindList("specs", lockedSpecs)
          .execute();
    }
  }

  @Override
  public List<String> workSpecNames() {
    List<String> names =
        new ArrayList<>(
            store.tx(
                (h, now) -> {
                  requireLive(h);
                  return h.createQuery("SELECT name FROM work_spec WHERE namespace_id = :ns")
                      .bind("ns", id)
                      .mapTo(String.class)
                      .list();
                }));
    names.sort(null);
    return names;
  }

  @Override
  public Worker worker(String workerName) {
    if (workerName == null) {
      throw new InvalidRequestException("worker name must not be null");
    }
    long workerId =
        store.tx(
            (h, now) -> {
              requireLive(h);
              return SqlWorker.getOrCreate(h, id, workerName, now);
            });
    return new SqlWorker(this, workerId, workerName);
  }

  @Override
  public List<Worker> workers() {
    List<Worker> result =
        new ArrayList<>(
            store.tx(
                (h, now) -> {
                  requireLive(h);
                  return h.createQuery("SELECT id, name FROM worker WHERE namespace_id = :ns")
                      .bind("ns", id)
                      .map((rs, ctx) -> (Worker) new SqlWorker(this, rs.getLong("id"), rs.getString("name")))
                      .list();
                }));
    result.sort(Comparator.comparing(Worker::name));
    return result;
  }

  @Override
  public Locks locks() {
    return locks;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SqlNamespace other && other.id == id && other.store == store;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(id);
  }

  @Override
  public String toString() {
    return "Namespace[" + name + "]";
  }
}
