package io.coordinate.api.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.coordinate.api.Attempt;
import io.coordinate.api.AttemptStatus;
import io.coordinate.api.Namespace;
import io.coordinate.api.WorkSpec;
import io.coordinate.api.WorkSpecMeta;
import io.coordinate.api.WorkUnit;
import io.coordinate.api.WorkUnitCounts;
import io.coordinate.api.WorkUnitKey;
import io.coordinate.api.WorkUnitMeta;
import io.coordinate.api.WorkUnitQuery;
import io.coordinate.api.WorkUnitStatus;
import io.coordinate.api.Worker;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Consistency rules every backend keeps at rest; checked after each kit test, through the public
 * API only:
 *
 * <ul>
 *   <li>work spec and worker names are sorted and distinct; a spec's name is its definition's;
 *   <li>units are listed in strictly increasing key order; per status, the exact count equals the
 *       number of units a status query lists, and the total equals the number of all units;
 *   <li>{@code meta(true)} available and pending counts equal the AVAILABLE and PENDING counts;
 *       {@code meta(false)} has none; only a spec that can be continuous is continuous;
 *   <li>each unit's status follows from its active attempt and not-before time (kit.md), and a
 *       pending active attempt is among its worker's active attempts;
 *   <li>workers' active attempts are pending, unexpired and theirs; attempts in workers' lists
 *       belong to units that still exist; pending attempts have no end time;
 *   <li>a worker past its expiration is inactive; parent and children links agree.
 * </ul>
 *
 * <p>Aggregate rules (counts against listings, sort orders) are checked over everything. Rules that
 * need a call per unit or per attempt are checked on a bounded number of them per namespace, so the
 * check stays within a second or two on a slow backend even after a test made ten thousand units.
 *
 * <p>Deliberately not checked: that pending ≤ max_running. {@link Worker#makeAttempt} forces an
 * attempt regardless of limits, and lowering max_running with {@link WorkSpec#setMeta} leaves the
 * units already pending, so a backend at rest may legitimately exceed it; the scheduling contract
 * tests the limit where it applies. Nor that a unit has at most one pending attempt, or that every
 * pending attempt a worker lists is its unit's active one: {@link WorkUnit#clearActiveAttempt} and
 * {@code makeAttempt} may leave the former active attempt pending (its worker learns of it as a
 * lost lease on renew).
 */
final class Invariants {
  /** Units examined one by one per namespace. */
  private static final int UNIT_BUDGET = 2_000;

  /** Units of one status of one spec examined one by one. */
  private static final int PER_STATUS = 300;

  /** Attempts examined one by one per namespace. */
  private static final int ATTEMPT_BUDGET = 2_000;

  /** Page size for listing units. */
  private static final int PAGE = 1_000;

  private Invariants() {}

  /** What tells two attempt handles apart through the API. */
  private record AttemptId(String spec, WorkUnitKey key, Instant start, Instant expiration) {}

  static void check(Namespace namespace, Instant now) {
    new Run(namespace, now).check();
  }

  private static final class Run {
    private final Namespace ns;
    private final Instant now;
    private int unitBudget = UNIT_BUDGET;
    private int attemptBudget = ATTEMPT_BUDGET;
    private final Map<String, Set<AttemptId>> activeByWorker = new HashMap<>();

    Run(Namespace ns, Instant now) {
      this.ns = ns;
      this.now = now;
    }

    void check() {
      List<String> names = ns.workSpecNames();
      assertThat(names).as("work spec names of %s", where()).isSorted().doesNotHaveDuplicates();
      for (String name : names) {
        checkSpec(ns.workSpec(name));
      }
      checkWorkers();
    }

    private String where() {
      return "namespace '" + ns.name() + "'";
    }

    // ------------------------------------------------------------ work specs and units

    private void checkSpec(WorkSpec spec) {
      String what = where() + " spec '" + spec.name() + "'";
      assertThat(spec.name()).as("name of %s", what).isEqualTo(spec.definition().name());
      assertThat(spec.meta(false).counts()).as("meta(false) counts of %s", what).isEmpty();

      List<WorkUnit> all = listAll(spec, WorkUnitQuery.all());
      List<WorkUnitKey> keys = new ArrayList<>(all.size());
      for (WorkUnit u : all) {
        keys.add(u.key());
      }
      assertThat(keys).as("keys of %s in order", what).isSorted().doesNotHaveDuplicates();

      WorkUnitCounts counts = spec.countWorkUnitStatus();
      assertThat(counts.total()).as("total count of %s", what).isEqualTo(all.size());
      for (WorkUnitStatus s : WorkUnitStatus.values()) {
        List<WorkUnit> listed = listAll(spec, WorkUnitQuery.statuses(s));
        assertThat((long) listed.size())
            .as("count of %s units of %s against their listing", s, what)
            .isEqualTo(counts.get(s));
        // A share per status, so that thousands of available units do not crowd out the few
        // pending or finished ones.
        int share = PER_STATUS;
        for (WorkUnit u : listed) {
          if (share-- <= 0 || unitBudget-- <= 0) {
            break;
          }
          checkUnit(u, s, spec.name(), what);
        }
      }

      WorkSpecMeta meta = spec.meta(true);
      assertThat(meta.counts()).as("meta(true) counts of %s", what).isPresent();
      assertThat(meta.availableCount())
          .as("meta available count of %s", what)
          .isEqualTo(counts.get(WorkUnitStatus.AVAILABLE));
      assertThat(meta.pendingCount())
          .as("meta pending count of %s", what)
          .isEqualTo(counts.get(WorkUnitStatus.PENDING));
      assertThat(meta.canBeContinuous() || !meta.continuous())
          .as("%s is continuous only if it can be", what)
          .isTrue();
    }

    /** Pages through a query so a huge spec is never listed in one call. */
    private List<WorkUnit> listAll(WorkSpec spec, WorkUnitQuery query) {
      List<WorkUnit> out = new ArrayList<>();
      WorkUnitKey after = null;
      while (true) {
        List<WorkUnit> page = spec.workUnits(query.withAfter(after).withLimit(PAGE));
        assertThat(page.size()).as("page size of %s", spec.name()).isLessThanOrEqualTo(PAGE);
        out.addAll(page);
        if (page.size() < PAGE) {
          return out;
        }
        after = page.get(page.size() - 1).key();
      }
    }

    /** The status rules of kit.md, for a unit listed under {@code listedAs}. */
    private void checkUnit(
        WorkUnit unit, WorkUnitStatus listedAs, String specName, String specWhat) {
      String what = specWhat + " unit '" + unit.key() + "'";
      WorkUnitStatus status = unit.status();
      assertThat(status).as("status of %s against the listing it came from", what)
          .isEqualTo(listedAs);
      assertThat(unit.workSpec().name()).as("spec of %s", what).isEqualTo(specName);

      WorkUnitMeta meta = unit.meta();
      boolean delayed = meta.notBefore() != null && meta.notBefore().isAfter(now);
      WorkUnitStatus idle = delayed ? WorkUnitStatus.DELAYED : WorkUnitStatus.AVAILABLE;
      Optional<Attempt> active = unit.activeAttempt();
      WorkUnitStatus expected;
      if (active.isEmpty()) {
        expected = idle;
      } else {
        Attempt a = active.get();
        AttemptStatus as = a.status();
        expected =
            switch (as) {
              case PENDING -> WorkUnitStatus.PENDING;
              case FINISHED -> WorkUnitStatus.FINISHED;
              case FAILED -> WorkUnitStatus.FAILED;
              case EXPIRED, RETRYABLE -> idle;
            };
        assertThat(a.workUnit().key()).as("unit of the active attempt of %s", what)
            .isEqualTo(unit.key());
        if (as == AttemptStatus.PENDING) {
          checkPendingAttemptIsListedByItsWorker(a, specName, what);
        }
      }
      assertThat(status)
          .as("status of %s (active attempt %s, not before %s, now %s)", what,
              active.map(Attempt::status), meta.notBefore(), now)
          .isEqualTo(expected);
    }

    /**
     * A unit's pending active attempt shows in its worker's active attempts. Attempts have no
     * identity in the API, so they are matched by unit, start and expiration.
     */
    private void checkPendingAttemptIsListedByItsWorker(
        Attempt a, String specName, String unitWhat) {
      checkAttemptShape(a, unitWhat);
      Worker w = a.worker();
      Set<AttemptId> listed = activeAttemptsOf(w);
      if (listed == null) {
        return; // over budget: this worker's list is too long to index here
      }
      assertThat(listed)
          .as("pending active attempt of %s is among worker '%s' active attempts", unitWhat,
              w.name())
          .contains(new AttemptId(specName, a.workUnit().key(), a.startTime(),
              a.expirationTime()));
    }

    /** The worker's active attempts as ids, indexed once per worker; null when over budget. */
    private Set<AttemptId> activeAttemptsOf(Worker w) {
      if (activeByWorker.containsKey(w.name())) {
        return activeByWorker.get(w.name());
      }
      List<Attempt> attempts = w.activeAttempts();
      Set<AttemptId> ids = null;
      if (attempts.size() <= attemptBudget) {
        attemptBudget -= attempts.size();
        ids = new HashSet<>();
        for (Attempt b : attempts) {
          WorkUnit u = b.workUnit();
          ids.add(new AttemptId(u.workSpec().name(), u.key(), b.startTime(), b.expirationTime()));
        }
      }
      activeByWorker.put(w.name(), ids);
      return ids;
    }

    // ------------------------------------------------------------ workers and their attempts

    private void checkWorkers() {
      List<Worker> workers = ns.workers();
      List<String> names = new ArrayList<>(workers.size());
      for (Worker w : workers) {
        names.add(w.name());
      }
      assertThat(names).as("worker names of %s", where()).isSorted().doesNotHaveDuplicates();
      for (Worker w : workers) {
        checkWorker(w);
      }
    }

    private void checkWorker(Worker w) {
      String what = where() + " worker '" + w.name() + "'";
      if (now.isAfter(w.expiration())) {
        assertThat(w.isActive()).as("%s is inactive past its expiration %s", what, w.expiration())
            .isFalse();
      }
      w.parent()
          .ifPresent(
              p ->
                  assertThat(names(p.children()))
                      .as("children of the parent of %s", what)
                      .contains(w.name()));
      for (Worker c : w.children()) {
        assertThat(c.parent().map(Worker::name))
            .as("parent of child '%s' of %s", c.name(), what)
            .contains(w.name());
      }
      List<Attempt> activeAttempts = w.activeAttempts();
      for (Attempt a : activeAttempts) {
        if (attemptBudget-- <= 0) {
          return;
        }
        checkAttemptShape(a, what);
        assertThat(a.status()).as("status of an active attempt of %s", what)
            .isEqualTo(AttemptStatus.PENDING);
        assertThat(a.worker().name()).as("worker of an active attempt of %s", what)
            .isEqualTo(w.name());
        checkUnitExists(a, what);
      }
      List<Attempt> history = w.allAttempts();
      assertThat(history.size()).as("history of %s holds its active attempts", what)
          .isGreaterThanOrEqualTo(activeAttempts.size());
      for (Attempt a : history) {
        if (attemptBudget-- <= 0) {
          return;
        }
        checkAttemptShape(a, what);
        assertThat(a.worker().name()).as("worker of an attempt of %s", what).isEqualTo(w.name());
        checkUnitExists(a, what);
      }
    }

    /** Attempts of deleted units vanish from workers' lists. */
    private void checkUnitExists(Attempt a, String what) {
      WorkUnit u = a.workUnit();
      WorkSpec spec = ns.workSpec(u.workSpec().name());
      assertThat(spec.workUnits(WorkUnitQuery.keys(u.key())))
          .as("unit '%s' of an attempt listed by %s still exists", u.key(), what)
          .hasSize(1);
    }

    private void checkAttemptShape(Attempt a, String what) {
      AttemptStatus s = a.status();
      assertThat(a.startTime()).as("start of an attempt of %s", what).isBeforeOrEqualTo(now);
      if (s == AttemptStatus.PENDING) {
        assertThat(a.endTime()).as("end of a pending attempt of %s", what).isEmpty();
        assertThat(a.expirationTime())
            .as("expiration of a pending attempt of %s (now %s)", what, now)
            .isAfterOrEqualTo(now);
      }
    }

    private static List<String> names(List<Worker> workers) {
      List<String> out = new ArrayList<>(workers.size());
      for (Worker w : workers) {
        out.add(w.name());
      }
      return out;
    }
  }
}
