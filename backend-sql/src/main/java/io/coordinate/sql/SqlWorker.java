package io.coordinate.sql;

import io.coordinate.api.Attempt;
import io.coordinate.api.AttemptRequest;
import io.coordinate.api.GoneException;
import io.coordinate.api.InvalidRequestException;
import io.coordinate.api.Namespace;
import io.coordinate.api.WorkUnit;
import io.coordinate.api.Worker;
import io.coordinate.api.data.DataValues;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

final class SqlWorker implements Worker {
  private final SqlNamespace namespace;
  private final SqlStore store;
  private final long id;
  private final String name;

  SqlWorker(SqlNamespace namespace, long id, String name) {
    this.namespace = namespace;
    this.store = namespace.store();
    this.id = id;
    this.name = name;
  }

  long id() {
    return id;
  }

  /** The worker's id, creating it (active, no parent) if needed. */
  static long getOrCreate(Handle h, long namespaceId, String name, long now) {
    Optional<Long> existing =
        h.createQuery("SELECT id FROM worker WHERE namespace_id = :ns AND name = :name")
            .bind("ns", namespaceId)
            .bind("name", name)
            .mapTo(Long.class)
            .findOne();
    if (existing.isPresent()) {
      return existing.get();
    }
    // A concurrent creator makes this fail with a unique violation; the retry finds it.
    return h.createUpdate(
            "INSERT INTO worker (namespace_id, name, mode, data, active, last_update_us,"
                + " expiration_us) VALUES (:ns, :name, '', :data, TRUE, :now, :exp)")
        .bind("ns", namespaceId)
        .bind("name", name)
        .bind("data", SqlStore.cbor(Map.of()))
        .bind("now", now)
        .bind("exp", now + SqlStore.micros(AttemptRequest.DEFAULT_LIFETIME))
        .executeAndReturnGeneratedKeys("id")
        .mapTo(Long.class)
        .one();
  }

  @Override
  public Namespace namespace() {
    return namespace;
  }

  @Override
  public String name() {
    return name;
  }

  private record Row(Long parentId, String mode, byte[] data, boolean active, long lastUpdate, long expiration) {}

  private Row row(Handle h) {
    return h.createQuery(
            "SELECT parent_id, mode, data, active, last_update_us, expiration_us FROM worker"
                + " WHERE id = :id")
        .bind("id", id)
        .map(
            (rs, ctx) ->
                new Row(
                    rs.getObject(1, Long.class),
                    rs.getString(2),
                    rs.getBytes(3),
                    rs.getBoolean(4),
                    rs.getLong(5),
                    rs.getLong(6)))
        .findOne()
        .orElseThrow(() -> new GoneException("worker " + name));
  }

  @Override
  public Optional<Worker> parent() {
    return store.tx(
        (h, now) -> {
          Long parentId = row(h).parentId();
          if (parentId == null) {
            return Optional.<Worker>empty();
          }
          return h.createQuery("SELECT name FROM worker WHERE id = :id")
              .bind("id", parentId)
              .mapTo(String.class)
              .findOne()
              .map(n -> (Worker) new SqlWorker(namespace, parentId, n));
        });
  }

  @Override
  public void setParent(Worker parent) {
    Long parentId;
    if (parent == null) {
      parentId = null;
    } else if (parent instanceof SqlWorker p && p.namespace.equals(namespace)) {
      parentId = p.id;
    } else {
      throw new InvalidRequestException(
          "worker " + parent.name() + " belongs to another namespace or backend");
    }
    store.txRun(
        (h, now) -> {
          row(h);
          for (Long p = parentId; p != null; ) {
            if (p == id) {
              throw new InvalidRequestException("worker " + name + " cannot be its own ancestor");
            }
            p = h.createQuery("SELECT parent_id FROM worker WHERE id = :id")
                .bind("id", p)
                .mapTo(Long.class)
                .findOne()
                .orElse(null);
          }
          h.createUpdate("UPDATE worker SET parent_id = :parent WHERE id = :id")
              .bind("id", id)
              .bindByType("parent", parentId, Long.class)
              .execute();
        });
  }

  @Override
  public List<Worker> children() {
    List<Worker> result =
        new ArrayList<>(
            store.tx(
                (h, now) -> {
                  row(h);
                  return h.createQuery("SELECT id, name FROM worker WHERE parent_id = :id")
                      .bind("id", id)
                      .map((rs, ctx) -> (Worker) new SqlWorker(namespace, rs.getLong(1), rs.getString(2)))
                      .list();
                }));
    result.sort(Comparator.comparing(Worker::name));
    return result;
  }

  @Override
  public boolean isActive() {
    return store.tx(
        (h, now) -> {
          Row r = row(h);
          return r.active() && r.expiration() >= now;
        });
  }

  @Override
  public void deactivate() {
    store.txRun(
        (h, now) -> {
          row(h);
          h.createUpdate("UPDATE worker SET active = FALSE WHERE id = :id").bind("id", id).execute();
        });
  }

  @Override
  public String mode() {
    return store.tx((h, now) -> row(h).mode());
  }

  @Override
  public Map<String, Object> data() {
    return store.tx((h, now) -> SqlStore.map(row(h).data()));
  }

  @Override
  public Instant expiration() {
    return store.tx((h, now) -> SqlStore.instant(row(h).expiration()));
  }

  @Override
  public Instant lastUpdate() {
    return store.tx((h, now) -> SqlStore.instant(row(h).lastUpdate()));
  }

  @Override
  public void heartbeat(String mode, Map<String, ?> data, Duration lifetime) {
    if (lifetime == null) {
      throw new InvalidRequestException("worker lifetime must not be null");
    }
    byte[] cbor = SqlStore.cbor(DataValues.copyOf(data));
    store.txRun(
        (h, now) -> {
          int n =
              h.createUpdate(
                      "UPDATE worker SET mode = :mode, data = :data, active = TRUE,"
                          + " last_update_us = :now, expiration_us = :exp WHERE id = :id")
                  .bind("id", id)
                  .bind("mode", mode == null ? "" : mode)
                  .bind("data", cbor)
                  .bind("now", now)
                  .bind("exp", now + SqlStore.micros(lifetime))
                  .execute();
          if (n == 0) {
            throw new GoneException("worker " + name);
          }
        });
  }

  @Override
  public List<Attempt> requestAttempts(AttemptRequest request) {
    if (request == null) {
      throw new InvalidRequestException("request must not be null");
    }
    return store.longPoll()
        .request(
            namespace.name(),
            request,
            () -> store.leasing(namespace.id(), () -> leaseInRounds(request)));
  }

  private List<Attempt> leaseInRounds(AttemptRequest request) {
    for (int round = 1; ; round++) {
      Leasing.Outcome outcome =
          store.tx(
              (h, now) -> {
                row(h);
                return Leasing.lease(h, store, namespace, this, request, now);
              });
      if (!outcome.again() || round == Leasing.MAX_ROUNDS) {
        return outcome.attempts();
      }
    }
  }

  @Override
  public Attempt makeAttempt(WorkUnit unit, Duration lifetime) {
    if (!(unit instanceof SqlWorkUnit u) || !u.sqlSpec().sqlNamespace().equals(namespace)) {
      throw new InvalidRequestException(
          "work unit " + unit.key() + " belongs to another namespace or backend");
    }
    Duration lease = lifetime == null ? AttemptRequest.DEFAULT_LIFETIME : lifetime;
    return store.tx(
        (h, now) -> {
          row(h);
          UnitRow locked = u.row(h, true);
          long attemptId =
              Leasing.newAttempt(
                  h, store, u.sqlSpec(), locked, id, now, now + SqlStore.micros(lease));
          return new SqlAttempt(u, this, attemptId);
        });
  }

  @Override
  public List<Attempt> activeAttempts() {
    return store.tx(
        (h, now) -> {
          row(h);
          return SqlAttempt.list(
              h, namespace, "a.worker_id = :w AND a.status = 1 AND a.expiration_us >= :now",
              Map.of("w", id, "now", now));
        });
  }

  @Override
  public List<Attempt> allAttempts() {
    return store.tx(
        (h, now) -> {
          row(h);
          return SqlAttempt.list(h, namespace, "a.worker_id = :w", Map.of("w", id));
        });
  }

  @Override
  public List<Attempt> childAttempts() {
    return store.tx(
        (h, now) -> {
          row(h);
          return SqlAttempt.list(
              h,
              namespace,
              "w.parent_id = :w AND a.status = 1 AND a.expiration_us >= :now",
              Map.of("w", id, "now", now));
        });
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SqlWorker other && other.id == id && other.store == store;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(id);
  }

  @Override
  public String toString() {
    return "Worker[" + name + "]";
  }
}
