package io.coordinate.memory;

import io.coordinate.api.Attempt;
import io.coordinate.api.AttemptRequest;
import io.coordinate.api.AttemptStatus;
import io.coordinate.api.GoneException;
import io.coordinate.api.InvalidRequestException;
import io.coordinate.api.InvalidWorkSpecException;
import io.coordinate.api.LostLeaseException;
import io.coordinate.api.NewWorkUnit;
import io.coordinate.api.NoSuchWorkSpecException;
import io.coordinate.api.NoSuchWorkUnitException;
import io.coordinate.api.NotPendingException;
import io.coordinate.api.Retention;
import io.coordinate.api.UnitEvents;
import io.coordinate.api.WorkSpecDefinition;
import io.coordinate.api.WorkSpecMeta;
import io.coordinate.api.WorkUnit;
import io.coordinate.api.WorkUnitKey;
import io.coordinate.api.WorkUnitMeta;
import io.coordinate.api.WorkUnitQuery;
import io.coordinate.api.WorkUnitSnapshot;
import io.coordinate.api.WorkUnitStatus;
import io.coordinate.api.Worker;
import io.coordinate.api.chaining.WorkUnitOutputs;
import io.coordinate.api.data.DataValues;
import io.coordinate.api.scheduling.LongPoll;
import io.coordinate.api.scheduling.Scheduler;
import io.coordinate.api.scheduling.TokenBucket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * All state of one namespace and every rule that changes it. The one deliberately large class of
 * this backend: each public-API call lands in one method here, under {@link #lock}, so the rules
 * that tie units, attempts, counts and workers together are in one place. Sections: the call
 * wrapper and time, indexing, work specs, work units, leasing, attempt transitions, workers.
 */
final class NamespaceStore {
  private static final String TOO_MANY_RETRIES = "too many retries";

  private final String name;
  private final Clock clock;
  private final UnitEvents events;
  private final MemoryCoordinate owner;
  private final MemNamespace handle;
  private final ReentrantLock lock = new ReentrantLock();

  // Everything below is guarded by lock.
  private final TreeMap<String, SpecState> specs = new TreeMap<>();
  private final TreeMap<String, WorkerState> workers = new TreeMap<>();
  private final TreeSet<AttemptState> pendingByExpiration = new TreeSet<>(AttemptState.BY_EXPIRATION);
  private final TreeSet<UnitState> delayedByTime = new TreeSet<>(UnitState.BY_NOT_BEFORE);
  private long seq;
  private boolean deleted;
  /** The time of the call in progress. */
  private Instant now;

  NamespaceStore(String name, Clock clock, UnitEvents events, MemoryCoordinate owner) {
    this.name = name;
    this.clock = clock;
    this.events = events;
    this.owner = owner;
    this.handle = new MemNamespace(this);
  }

  /** Where requests for this namespace's work wait when there is none. */
  LongPoll longPoll() {
    return owner.longPoll();
  }

  String name() {
    return name;
  }

  MemNamespace handle() {
    return handle;
  }

  // ===================================================================================
  // The call wrapper and time
  // ===================================================================================

  /** Runs {@code body} under the lock, after checking the namespace and applying due time events. */
  <T> T call(Supplier<T> body) {
    lock.lock();
    try {
      if (deleted) {
        throw new GoneException("namespace " + name);
      }
      Instant t = clock.instant();
      // A clock that steps back must not undo what already happened.
      if (now == null || t.isAfter(now)) {
        now = t;
      }
      applyTimeEvents();
      return body.get();
    } finally {
      lock.unlock();
    }
  }

  void run(Runnable body) {
    call(
        () -> {
          body.run();
          return null;
        });
  }

  Instant now() {
    return now;
  }

  /** Expires leases whose time has passed and releases units whose delay has ended. */
  private void applyTimeEvents() {
    while (!pendingByExpiration.isEmpty() && pendingByExpiration.first().expiration.isBefore(now)) {
      AttemptState a = pendingByExpiration.first();
      endAttempt(a, AttemptStatus.EXPIRED, null, a.expiration);
    }
    while (!delayedByTime.isEmpty() && !delayedByTime.first().notBefore.isAfter(now)) {
      reindex(delayedByTime.first());
    }
  }

  // ===================================================================================
  // Indexing: counts, the available tree and the delayed index follow each unit's status
  // ===================================================================================

  private void index(UnitState u) {
    WorkUnitStatus status = u.statusAt(now);
    u.indexedStatus = status;
    u.spec.counts[status.ordinal()]++;
    if (status == WorkUnitStatus.AVAILABLE) {
      u.spec.available.add(u);
    } else if (status == WorkUnitStatus.DELAYED) {
      delayedByTime.add(u);
    } else if (status == WorkUnitStatus.FINISHED || status == WorkUnitStatus.FAILED) {
      u.indexedEnd = u.active.end != null ? u.active.end : now;
      u.spec.ended(status).add(u);
    }
  }

  /** Removes a unit from the indexes; call before changing its priority or not-before time. */
  private void unindex(UnitState u) {
    WorkUnitStatus status = u.indexedStatus;
    u.spec.counts[status.ordinal()]--;
    if (status == WorkUnitStatus.AVAILABLE) {
      u.spec.available.remove(u);
    } else if (status == WorkUnitStatus.DELAYED) {
      delayedByTime.remove(u);
    } else if (status == WorkUnitStatus.FINISHED || status == WorkUnitStatus.FAILED) {
      u.spec.ended(status).remove(u);
    }
  }

  private void reindex(UnitState u) {
    unindex(u);
    index(u);
  }

  // ===================================================================================
  // Namespace and work specs
  // ===================================================================================

  void destroy() {
    run(
        () -> {
          deleted = true;
          for (SpecState s : specs.values()) {
            s.deleted = true;
          }
          owner.forget(this);
        });
  }

  SpecState setWorkSpec(Map<String, ?> definition) {
    WorkSpecDefinition parsed = WorkSpecDefinition.parse(definition);
    return call(
        () -> {
          SpecState s = specs.get(parsed.name());
          if (s == null) {
            s = new SpecState(parsed);
            specs.put(s.name, s);
          } else {
            setDefinition(s, parsed, now);
          }
          return s;
        });
  }

  void setDefinition(SpecState s, Map<String, ?> definition) {
    WorkSpecDefinition parsed = WorkSpecDefinition.parse(definition);
    run(
        () -> {
          checkLive(s);
          if (!parsed.name().equals(s.name)) {
            throw new InvalidWorkSpecException(
                "cannot rename work spec " + s.name + " to " + parsed.name());
          }
          setDefinition(s, parsed, now);
        });
  }

  private static void setDefinition(SpecState s, WorkSpecDefinition parsed, Instant now) {
    s.definition = parsed;
    changeMeta(s, parsed.defaultMeta().withNextContinuous(s.meta.nextContinuous()), now);
  }

  /** Sets a spec's meta, carrying its rate limit's bucket over to the new limit. */
  private static void changeMeta(SpecState s, WorkSpecMeta meta, Instant now) {
    s.bucket = TokenBucket.afterChange(s.meta.rateLimit(), meta.rateLimit(), s.bucket, now);
    s.meta = meta;
  }

  SpecState workSpec(String specName) {
    return call(() -> existingSpec(specName));
  }

  private SpecState existingSpec(String specName) {
    SpecState s = specs.get(specName);
    if (s == null) {
      throw new NoSuchWorkSpecException(specName);
    }
    return s;
  }

  void destroyWorkSpec(String specName) {
    run(
        () -> {
          SpecState s = existingSpec(specName);
          for (UnitState u : s.units.values()) {
            forgetUnit(u);
          }
          s.units.clear();
          s.available.clear();
          s.finished.clear();
          s.failed.clear();
          s.deleted = true;
          specs.remove(specName);
        });
  }

  List<String> workSpecNames() {
    return call(() -> List.copyOf(specs.keySet()));
  }

  WorkSpecDefinition definition(SpecState s) {
    return call(
        () -> {
          checkLive(s);
          return s.definition;
        });
  }

  WorkSpecMeta meta(SpecState s, boolean withCounts) {
    return call(
        () -> {
          checkLive(s);
          return withCounts ? s.metaWithCounts() : s.meta;
        });
  }

  void setMeta(SpecState s, WorkSpecMeta requested) {
    run(
        () -> {
          checkLive(s);
          changeMeta(s, s.meta.applyChange(requested), now);
        });
  }

  private static void checkLive(SpecState s) {
    if (s.deleted) {
      throw new GoneException("work spec " + s.name);
    }
  }

  private static void checkLive(UnitState u) {
    checkLive(u.spec);
    if (u.deleted) {
      throw new GoneException("work unit " + u.key + " of work spec " + u.spec.name);
    }
  }

  // ===================================================================================
  // Work units
  // ===================================================================================

  UnitState addWorkUnit(SpecState s, NewWorkUnit unit) {
    return call(
        () -> {
          checkLive(s);
          UnitState u = add(s, unit);
          events.record(name, s.name, UnitEvents.Transition.ADDED, 1);
          return u;
        });
  }

  void addWorkUnits(SpecState s, List<NewWorkUnit> units) {
    // NewWorkUnit validated every item on construction, so nothing below can fail half-way.
    run(
        () -> {
          checkLive(s);
          for (NewWorkUnit unit : units) {
            add(s, unit);
          }
          if (!units.isEmpty()) {
            events.record(name, s.name, UnitEvents.Transition.ADDED, units.size());
          }
        });
  }

  /** Adds a unit, or replaces an existing one's data and meta and queues it again. */
  private UnitState add(SpecState s, NewWorkUnit nu) {
    UnitState u = s.units.get(nu.key());
    if (u == null) {
      u = new UnitState(s, nu.key(), ++seq);
      u.data = nu.data();
      u.priority = nu.meta().priority();
      u.notBefore = nu.meta().notBefore();
      s.units.put(u.key, u);
      index(u);
      return u;
    }
    // Re-adding queues the unit again with its new data, whatever its state (as the Python daemon
    // does): a pending lease is lost, and the history stays.
    if (u.active != null && u.active.status == AttemptStatus.PENDING) {
      endAttempt(u.active, AttemptStatus.EXPIRED, null, now);
    }
    unindex(u);
    u.data = nu.data();
    u.priority = nu.meta().priority();
    u.notBefore = nu.meta().notBefore();
    u.active = null;
    index(u);
    return u;
  }

  List<WorkUnitSnapshot> snapshots(SpecState s, WorkUnitQuery query) {
    return call(
        () -> {
          checkLive(s);
          List<WorkUnitSnapshot> result = new ArrayList<>();
          forEachMatch(s, query, u -> result.add(snapshot(u)));
          return result;
        });
  }

  private static WorkUnitSnapshot snapshot(UnitState u) {
    AttemptState a = u.active;
    return new WorkUnitSnapshot(
        u.key,
        u.data,
        new WorkUnitMeta(u.priority, u.notBefore),
        u.indexedStatus,
        a == null
            ? null
            : new WorkUnitSnapshot.LastAttempt(
                a.worker.name, a.status, a.data, a.start, a.end, a.expiration));
  }

  void restoreWorkUnits(SpecState s, List<WorkUnitSnapshot> snapshots) {
    // The snapshots validated their data on construction, so nothing below can fail half-way.
    List<WorkUnitSnapshot> units = List.copyOf(snapshots);
    run(
        () -> {
          checkLive(s);
          for (WorkUnitSnapshot snap : units) {
            UnitState u = add(s, new NewWorkUnit(snap.key(), snap.data(), snap.meta()));
            if (snap.lastAttempt() == null) {
              continue;
            }
            WorkUnitSnapshot.LastAttempt last = snap.lastAttempt().restored();
            WorkerState w =
                workers.computeIfAbsent(
                    last.worker(),
                    n -> {
                      WorkerState created = new WorkerState(n, now, now);
                      created.active = false;
                      return created;
                    });
            AttemptState a = new AttemptState(u, w, ++seq, last.startTime(), last.expirationTime());
            a.status = last.status();
            a.end = last.endTime();
            a.data = last.data();
            unindex(u);
            u.attempts.add(a);
            u.active = a;
            w.allAttempts.add(a);
            index(u);
          }
        });
  }

  UnitState workUnit(SpecState s, WorkUnitKey key) {
    return call(
        () -> {
          checkLive(s);
          UnitState u = s.units.get(key);
          if (u == null) {
            throw new NoSuchWorkUnitException(s.name, key);
          }
          return u;
        });
  }

  List<UnitState> workUnits(SpecState s, WorkUnitQuery query) {
    return call(
        () -> {
          checkLive(s);
          List<UnitState> result = new ArrayList<>();
          forEachMatch(s, query, result::add);
          return result;
        });
  }

  /** Visits the units a query selects, in key order, up to its limit. */
  private static void forEachMatch(SpecState s, WorkUnitQuery q, Consumer<UnitState> visitor) {
    int limit = q.limit() == 0 ? Integer.MAX_VALUE : q.limit();
    Iterable<UnitState> candidates;
    if (q.keys() != null) {
      List<UnitState> named = new ArrayList<>();
      for (WorkUnitKey k : new TreeSet<>(q.keys())) {
        UnitState u = s.units.get(k);
        if (u != null) {
          named.add(u);
        }
      }
      candidates = named;
    } else if (q.after() != null && (q.from() == null || q.after().compareTo(q.from()) >= 0)) {
      candidates = s.units.tailMap(q.after(), false).values();
    } else if (q.from() != null) {
      candidates = s.units.tailMap(q.from(), true).values();
    } else {
      candidates = s.units.values();
    }
    int seen = 0;
    for (UnitState u : candidates) {
      if (seen >= limit) {
        break;
      }
      if (q.matchesKey(u.key) && q.matchesStatus(u.indexedStatus)) {
        visitor.accept(u);
        seen++;
      }
    }
  }

  Map<WorkUnitStatus, Long> counts(SpecState s) {
    return call(
        () -> {
          checkLive(s);
          Map<WorkUnitStatus, Long> counts = new HashMap<>();
          for (WorkUnitStatus status : WorkUnitStatus.values()) {
            counts.put(status, s.count(status));
          }
          return counts;
        });
  }

  int changePriorities(SpecState s, WorkUnitQuery query, boolean adjust, double value) {
    if (Double.isNaN(value)) {
      throw new InvalidRequestException("priority must be a number, not NaN");
    }
    return call(
        () -> {
          checkLive(s);
          List<UnitState> matched = new ArrayList<>();
          forEachMatch(s, query, matched::add);
          for (UnitState u : matched) {
            unindex(u);
            u.priority = adjust ? u.priority + value : value;
            index(u);
          }
          return matched.size();
        });
  }

  int deleteWorkUnits(SpecState s, WorkUnitQuery query) {
    return call(
        () -> {
          checkLive(s);
          List<UnitState> matched = new ArrayList<>();
          forEachMatch(s, query, matched::add);
          for (UnitState u : matched) {
            forgetUnit(u);
            s.units.remove(u.key);
          }
          return matched.size();
        });
  }

  /**
   * Deletes up to {@code maxUnits} finished and failed units beyond the spec's retention, those
   * that ended first going first (see {@link io.coordinate.api.WorkSpec#archive}).
   */
  int archive(SpecState s, int maxUnits) {
    if (maxUnits < 0) {
      throw new InvalidRequestException("the most units to archive must not be negative: " + maxUnits);
    }
    return call(
        () -> {
          checkLive(s);
          Retention r = s.meta.retention();
          int deleted = archive(s, s.finished, r.finishedFor(), r.finishedCount(), maxUnits);
          return deleted + archive(s, s.failed, r.failedFor(), r.failedCount(), maxUnits - deleted);
        });
  }

  /**
   * Deletes from the front of one end-ordered set while its first unit is beyond the policy: older
   * than {@code keepFor} (zero: no age limit), or one of more than {@code keepCount} (0: no count
   * limit). The set is in end order, so what goes is always its front.
   */
  private int archive(
      SpecState s, TreeSet<UnitState> ended, Duration keepFor, int keepCount, int maxUnits) {
    Instant cutoff = keepFor.isZero() ? null : now.minus(keepFor);
    int deleted = 0;
    while (deleted < maxUnits && !ended.isEmpty()) {
      UnitState u = ended.first();
      boolean tooMany = keepCount > 0 && ended.size() > keepCount;
      boolean tooOld = cutoff != null && u.indexedEnd.isBefore(cutoff);
      if (!tooMany && !tooOld) {
        break;
      }
      forgetUnit(u);
      s.units.remove(u.key);
      deleted++;
    }
    return deleted;
  }

  /** Takes a unit and its attempts out of every index and worker list (not out of its spec's map). */
  private void forgetUnit(UnitState u) {
    unindex(u);
    for (AttemptState a : u.attempts) {
      if (a.status == AttemptStatus.PENDING) {
        pendingByExpiration.remove(a);
      }
      a.worker.activeAttempts.remove(a);
      a.worker.allAttempts.remove(a);
    }
    u.deleted = true;
  }

  WorkUnitStatus status(UnitState u) {
    return call(
        () -> {
          checkLive(u);
          return u.indexedStatus;
        });
  }

  Map<String, Object> data(UnitState u) {
    return call(
        () -> {
          checkLive(u);
          return u.effectiveData();
        });
  }

  WorkUnitMeta meta(UnitState u) {
    return call(
        () -> {
          checkLive(u);
          return new WorkUnitMeta(u.priority, u.notBefore);
        });
  }

  void setMeta(UnitState u, WorkUnitMeta meta) {
    run(
        () -> {
          checkLive(u);
          unindex(u);
          u.priority = meta.priority();
          u.notBefore = meta.notBefore();
          index(u);
        });
  }

  void setPriority(UnitState u, double priority) {
    setMeta(u, new WorkUnitMeta(priority, meta(u).notBefore()));
  }

  Optional<AttemptState> activeAttempt(UnitState u) {
    return call(
        () -> {
          checkLive(u);
          return Optional.ofNullable(u.active);
        });
  }

  void clearActiveAttempt(UnitState u) {
    run(
        () -> {
          checkLive(u);
          AttemptState a = u.active;
          if (a == null) {
            return;
          }
          if (a.status == AttemptStatus.PENDING) {
            endAttempt(a, AttemptStatus.EXPIRED, null, now);
          }
          u.active = null;
          reindex(u);
        });
  }

  List<AttemptState> attempts(UnitState u) {
    return call(
        () -> {
          checkLive(u);
          return List.copyOf(u.attempts);
        });
  }

  // ===================================================================================
  // Leasing
  // ===================================================================================

  List<AttemptState> requestAttempts(WorkerState w, AttemptRequest request) {
    return call(
        () -> {
          List<AttemptState> leased = new ArrayList<>();
          while (leased.isEmpty()) {
            List<Scheduler.Candidate> candidates = new ArrayList<>(specs.size());
            for (SpecState s : specs.values()) {
              candidates.add(new Scheduler.Candidate(s.name, s.metaWithCounts(), allowance(s)));
            }
            Optional<String> chosen =
                Scheduler.choose(candidates, request, now, ThreadLocalRandom.current());
            if (chosen.isEmpty()) {
              break;
            }
            SpecState s = specs.get(chosen.get());
            int n = Scheduler.batchSize(request, s.metaWithCounts(), allowance(s));
            // Each round either leases a unit or fails one for too many retries, so the outer loop
            // ends: failed units are never available again.
            while (leased.size() < n) {
              UnitState u = nextUnit(s);
              if (u == null) {
                break;
              }
              AttemptState a = newAttempt(w, u, request.lifetime());
              if (s.meta.maxRetries() > 0 && u.attempts.size() > s.meta.maxRetries()) {
                Map<String, Object> data = new LinkedHashMap<>(u.effectiveData());
                data.put("traceback", TOO_MANY_RETRIES);
                endAttempt(a, AttemptStatus.FAILED, DataValues.copyOf(data), now);
                continue;
              }
              leased.add(a);
            }
            if (!leased.isEmpty()) {
              TokenBucket bucket = TokenBucket.current(s.meta.rateLimit(), s.bucket, now);
              s.bucket = bucket == null ? null : bucket.take(leased.size());
              events.record(name, s.name, UnitEvents.Transition.LEASED, leased.size());
            }
          }
          return leased;
        });
  }

  /** How many units the spec's rate limit lets go now ({@link Integer#MAX_VALUE}: no limit). */
  private int allowance(SpecState s) {
    return TokenBucket.allowance(s.meta.rateLimit(), s.bucket, now);
  }

  /** The next unit to lease from a spec: the first available one, or a new continuous unit. */
  private UnitState nextUnit(SpecState s) {
    if (!s.available.isEmpty()) {
      return s.available.first();
    }
    if (s.metaWithCounts().canStartContinuous(now)) {
      WorkUnitKey key = WorkUnitKey.of(Scheduler.continuousUnitName(now));
      UnitState u = s.units.get(key);
      if (u == null) {
        u = add(s, NewWorkUnit.of(key, Map.of()));
      }
      s.meta = s.meta.withNextContinuous(now.plus(s.meta.interval()));
      return u;
    }
    return null;
  }

  AttemptState makeAttempt(WorkerState w, UnitState u, Duration lifetime) {
    Duration lease = lifetime == null ? AttemptRequest.DEFAULT_LIFETIME : lifetime;
    return call(
        () -> {
          checkLive(u);
          AttemptState a = newAttempt(w, u, lease);
          events.record(name, u.spec.name, UnitEvents.Transition.LEASED, 1);
          return a;
        });
  }

  /** A new pending attempt that becomes the unit's active one; a pending predecessor loses it. */
  private AttemptState newAttempt(WorkerState w, UnitState u, Duration lifetime) {
    AttemptState previous = u.active;
    if (previous != null && previous.status == AttemptStatus.PENDING) {
      endAttempt(previous, AttemptStatus.EXPIRED, null, now);
    }
    AttemptState a = new AttemptState(u, w, ++seq, now, now.plus(lifetime));
    u.attempts.add(a);
    u.active = a;
    w.activeAttempts.add(a);
    w.allAttempts.add(a);
    pendingByExpiration.add(a);
    reindex(u);
    return a;
  }

  // ===================================================================================
  // Attempt transitions (the rules are documented on io.coordinate.api.Attempt)
  // ===================================================================================

  /** Pending, or expired but still the active attempt: may still be completed or renewed. */
  private static boolean completable(AttemptState a) {
    return a.status == AttemptStatus.PENDING
        || (a.status == AttemptStatus.EXPIRED && a.isActive());
  }

  /**
   * Moves an attempt to a final status, taking it off its worker's list and the expiry index, and
   * tells the unit events (an expiry only when a pending lease ends, not when an attempt that has
   * expired already is marked again).
   */
  private void endAttempt(AttemptState a, AttemptStatus status, Map<String, Object> data, Instant end) {
    boolean wasPending = a.status == AttemptStatus.PENDING;
    if (wasPending) {
      pendingByExpiration.remove(a);
      a.worker.activeAttempts.remove(a);
    }
    if (wasPending || status != AttemptStatus.EXPIRED) {
      events.record(name, a.unit.spec.name, transitionTo(status), 1);
    }
    a.status = status;
    a.end = end;
    if (data != null) {
      a.data = data;
    }
    if (a.isActive()) {
      reindex(a.unit);
    }
  }

  private static UnitEvents.Transition transitionTo(AttemptStatus status) {
    return switch (status) {
      case EXPIRED -> UnitEvents.Transition.EXPIRED;
      case FINISHED -> UnitEvents.Transition.FINISHED;
      case FAILED -> UnitEvents.Transition.FAILED;
      case RETRYABLE -> UnitEvents.Transition.RETRIED;
      case PENDING -> throw new IllegalArgumentException("an attempt does not end pending");
    };
  }

  <T> T readAttempt(AttemptState a, Function<AttemptState, T> field) {
    return call(
        () -> {
          checkLive(a.unit);
          return field.apply(a);
        });
  }

  void renew(AttemptState a, Duration extension, Map<String, ?> data) {
    Map<String, Object> copy = data == null ? null : DataValues.copyOf(data);
    run(
        () -> {
          checkLive(a.unit);
          if (a.status != AttemptStatus.PENDING && a.status != AttemptStatus.EXPIRED) {
            throw new NotPendingException("attempt is " + a.status + ", cannot renew it");
          }
          if (!a.isActive()) {
            endAttempt(a, AttemptStatus.EXPIRED, copy, a.end == null ? now : a.end);
            throw new LostLeaseException(
                "work unit " + a.unit.key + " was given to another worker");
          }
          if (a.status == AttemptStatus.PENDING) {
            pendingByExpiration.remove(a);
          } else {
            a.status = AttemptStatus.PENDING;
            a.end = null;
            a.worker.activeAttempts.add(a);
          }
          a.expiration = now.plus(extension);
          pendingByExpiration.add(a);
          if (copy != null) {
            a.data = copy;
          }
          reindex(a.unit);
        });
  }

  void expire(AttemptState a, Map<String, ?> data) {
    Map<String, Object> copy = data == null ? null : DataValues.copyOf(data);
    run(
        () -> {
          checkLive(a.unit);
          if (a.status == AttemptStatus.EXPIRED) {
            return;
          }
          if (a.status != AttemptStatus.PENDING) {
            throw new NotPendingException("attempt is " + a.status + ", cannot expire it");
          }
          endAttempt(a, AttemptStatus.EXPIRED, copy, now);
        });
  }

  void finish(AttemptState a, Map<String, ?> data) {
    Map<String, Object> copy = data == null ? null : DataValues.copyOf(data);
    run(
        () -> {
          checkLive(a.unit);
          // A late success after a failure wins (a child finishing after its parent gave up).
          if (!completable(a) && a.status != AttemptStatus.FAILED) {
            throw new NotPendingException("attempt is " + a.status + ", cannot finish it");
          }
          endAttempt(a, AttemptStatus.FINISHED, copy, now);
          if (a.isActive()) {
            chain(a.unit, a.effectiveData());
          }
        });
  }

  void fail(AttemptState a, Map<String, ?> data) {
    Map<String, Object> copy = data == null ? null : DataValues.copyOf(data);
    run(
        () -> {
          checkLive(a.unit);
          if (!completable(a)) {
            throw new NotPendingException("attempt is " + a.status + ", cannot fail it");
          }
          endAttempt(a, AttemptStatus.FAILED, copy, now);
        });
  }

  void retry(AttemptState a, Map<String, ?> data, Duration delay) {
    Map<String, Object> copy = data == null ? null : DataValues.copyOf(data);
    if (delay != null && delay.isNegative()) {
      throw new InvalidRequestException("retry delay must not be negative: " + delay);
    }
    run(
        () -> {
          checkLive(a.unit);
          if (!completable(a)) {
            throw new NotPendingException("attempt is " + a.status + ", cannot retry it");
          }
          UnitState u = a.unit;
          if (a.isActive()) {
            unindex(u);
            u.notBefore = delay == null || delay.isZero() ? null : now.plus(delay);
            index(u);
          }
          endAttempt(a, AttemptStatus.RETRYABLE, copy, now);
        });
  }

  /** Creates the {@code then} spec's units from a finished unit's {@code output}. */
  private void chain(UnitState u, Map<String, Object> data) {
    String then = u.spec.meta.nextWorkSpecName();
    if (then.isEmpty() || data == null || !data.containsKey("output")) {
      return;
    }
    SpecState next = specs.get(then);
    if (next == null) {
      return; // like the references: a missing next spec drops the outputs, the finish stands
    }
    List<NewWorkUnit> outputs = WorkUnitOutputs.parse(data.get("output"), u.priority, now);
    for (NewWorkUnit nu : outputs) {
      add(next, nu);
    }
    if (!outputs.isEmpty()) {
      events.record(name, next.name, UnitEvents.Transition.ADDED, outputs.size());
    }
  }

  // ===================================================================================
  // Workers
  // ===================================================================================

  WorkerState worker(String workerName) {
    if (workerName == null) {
      throw new InvalidRequestException("worker name must not be null");
    }
    return call(
        () ->
            workers.computeIfAbsent(
                workerName,
                n -> new WorkerState(n, now, now.plus(AttemptRequest.DEFAULT_LIFETIME))));
  }

  Optional<WorkerState> findWorker(String workerName) {
    return call(() -> Optional.ofNullable(workers.get(workerName)));
  }

  List<WorkerState> workers() {
    return call(() -> List.copyOf(workers.values()));
  }

  <T> T readWorker(WorkerState w, Function<WorkerState, T> field) {
    return call(() -> field.apply(w));
  }

  boolean isActive(WorkerState w) {
    return call(() -> w.isActiveAt(now));
  }

  void deactivate(WorkerState w) {
    run(() -> w.active = false);
  }

  void heartbeat(WorkerState w, String mode, Map<String, ?> data, Duration lifetime) {
    if (lifetime == null) {
      throw new InvalidRequestException("worker lifetime must not be null");
    }
    Map<String, Object> copy = DataValues.copyOf(data);
    run(
        () -> {
          w.mode = mode == null ? "" : mode;
          w.data = copy;
          w.lastUpdate = now;
          w.expiration = now.plus(lifetime);
          w.active = true;
        });
  }

  void setParent(WorkerState w, WorkerState parent) {
    run(
        () -> {
          for (WorkerState p = parent; p != null; p = p.parent) {
            if (p == w) {
              throw new InvalidRequestException(
                  "worker " + w.name + " cannot be its own ancestor");
            }
          }
          if (w.parent != null) {
            w.parent.children.remove(w.name);
          }
          w.parent = parent;
          if (parent != null) {
            parent.children.put(w.name, w);
          }
        });
  }

  List<AttemptState> childAttempts(WorkerState w) {
    return call(
        () -> {
          List<AttemptState> result = new ArrayList<>();
          for (WorkerState child : w.children.values()) {
            result.addAll(child.activeAttempts);
          }
          return result;
        });
  }

  // ===================================================================================
  // Handles
  // ===================================================================================

  MemWorkSpec wrap(SpecState s) {
    return new MemWorkSpec(this, s);
  }

  MemWorkUnit wrap(UnitState u) {
    return new MemWorkUnit(this, u);
  }

  MemWorker wrap(WorkerState w) {
    return new MemWorker(this, w);
  }

  MemAttempt wrap(AttemptState a) {
    return new MemAttempt(this, a);
  }

  List<Attempt> wrapAttempts(List<AttemptState> attempts) {
    List<Attempt> result = new ArrayList<>(attempts.size());
    for (AttemptState a : attempts) {
      result.add(wrap(a));
    }
    return result;
  }

  /** The state behind a worker handle, which must come from this namespace. */
  WorkerState unwrap(Worker worker) {
    if (worker instanceof MemWorker m && m.store() == this) {
      return m.state();
    }
    throw new InvalidRequestException("worker " + worker.name() + " belongs to another namespace or backend");
  }

  /** The state behind a work unit handle, which must come from this namespace. */
  UnitState unwrap(WorkUnit unit) {
    if (unit instanceof MemWorkUnit m && m.store() == this) {
      return m.state();
    }
    throw new InvalidRequestException("work unit " + unit.key() + " belongs to another namespace or backend");
  }
}
