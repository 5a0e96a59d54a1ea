package io.coordinate.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coordinate.api.Attempt;
import io.coordinate.api.AttemptRequest;
import io.coordinate.api.AttemptStatus;
import io.coordinate.api.Namespace;
import io.coordinate.api.NewWorkUnit;
import io.coordinate.api.NotPendingException;
import io.coordinate.api.WorkSpec;
import io.coordinate.api.WorkUnitKey;
import io.coordinate.api.WorkUnitStatus;
import io.coordinate.api.Worker;
import io.coordinate.api.conformance.MutableClock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two backends with separate pools on one PostgreSQL schema, as two daemons on one database, with
 * 32 threads each: every unit leased exactly once, max_running held at every observed instant
 * across both, and an expired lease taken over through the other backend without any worker
 * noticing the expiry first.
 */
@EnabledIfEnvironmentVariable(named = TestStores.PG_URL_VARIABLE, matches = ".+")
class PostgresMultiInstanceTest {
  private static final int THREADS_PER_INSTANCE = 32;
  private static final int POOL_SIZE = 12;
  private static final Duration TIMEOUT = Duration.ofSeconds(150);

  @RegisterExtension final TestStores stores = new TestStores();

  private SqlConfig config;
  private List<Namespace> instances;

  private void openTwo(MutableClock clock) {
    config = stores.postgresSchema().withPoolSize(POOL_SIZE);
    if (clock != null) {
      config = config.withClock(clock);
    }
    instances = List.of(stores.open(config).namespace("ns"), stores.open(config).namespace("ns"));
  }

  private static void addUnits(WorkSpec spec, int total) {
    List<NewWorkUnit> batch = new ArrayList<>();
    for (int i = 0; i < total; i++) {
      batch.add(NewWorkUnit.of(String.format("u%06d", i), Map.of("i", i)));
      if (batch.size() == 2_000 || i == total - 1) {
        spec.addWorkUnits(batch);
        batch.clear();
      }
    }
  }

  @Test
  void twoInstancesLeaseEachOfTwentyThousandUnitsExactlyOnce() throws Exception {
    int total = 20_000;
    openTwo(null);
    WorkSpec spec = instances.get(0).setWorkSpec(Map.of("name", "bulk"));
    addUnits(spec, total);
    ConcurrentHashMap<String, Integer> leases = new ConcurrentHashMap<>();
    AtomicInteger finished = new AtomicInteger();
    long deadline = Threads.deadline(TIMEOUT);

    Threads.run(
        2 * THREADS_PER_INSTANCE,
        TIMEOUT.plusSeconds(10),
        id -> {
          Namespace ns = instances.get(id % 2);
          Worker w = ns.worker("w" + id);
          AttemptRequest request = AttemptRequest.of(1 + id % 10);
          while (Threads.before(deadline)) {
            List<Attempt> got = w.requestAttempts(request);
            if (got.isEmpty()) {
              return; // nothing available: drained (no unit is ever given back)
            }
            for (Attempt a : got) {
              leases.merge(a.workUnit().key().toUtf8(), 1, Integer::sum);
              a.finish(null);
              finished.incrementAndGet();
            }
          }
        });

    assertThat(leases).hasSize(total);
    assertThat(leases.values()).as("leases per unit").containsOnly(1);
    assertThat(finished).hasValue(total);
    assertThat(spec.countWorkUnitStatus().get(WorkUnitStatus.FINISHED)).isEqualTo(total);
    // The database agrees: one attempt per unit, each finished.
    assertThat(TestStores.count(config, "SELECT COUNT(*) FROM attempt")).isEqualTo(total);
    assertThat(TestStores.count(config, "SELECT COUNT(*) FROM work_unit WHERE attempt_count <> 1"))
        .isZero();
  }

  @Test
  void maxRunningHoldsAcrossTwoInstancesAtEveryObservedInstant() throws Exception {
    int total = 600;
    int maxRunning = 5;
    openTwo(null);
    WorkSpec spec =
        instances.get(0).setWorkSpec(Map.of("name", "limited", "max_running", maxRunning));
    addUnits(spec, total);
    WorkSpec specOnB = instances.get(1).workSpec("limited");

    // Held leases as the workers see them: counted up after a lease returns and down before its
    // finish, so this never exceeds the pending units in the database at that moment.
    AtomicInteger held = new AtomicInteger();
    AtomicInteger maxHeld = new AtomicInteger();
    AtomicInteger finished = new AtomicInteger();
    AtomicLong maxPendingInDatabase = new AtomicLong();
    AtomicLong maxPendingInMeta = new AtomicLong();
    AtomicLong observations = new AtomicLong();
    AtomicBoolean stop = new AtomicBoolean();
    long deadline = Threads.deadline(TIMEOUT);

    Thread monitor =
        Thread.ofPlatform()
            .name("pending-monitor")
            .daemon()
            .start(
                () -> {
                  try (Connection c = TestStores.connect(config);
                      PreparedStatement pending =
                          c.prepareStatement("SELECT COUNT(*) FROM work_unit WHERE status = 2")) {
                    while (!stop.get()) {
                      try (ResultSet rs = pending.executeQuery()) {
                        rs.next();
                        maxPendingInDatabase.accumulateAndGet(rs.getLong(1), Math::max);
                      }
                      long viaMeta = specOnB.meta(true).counts().orElseThrow().pending();
                      maxPendingInMeta.accumulateAndGet(viaMeta, Math::max);
                      observations.incrementAndGet();
                    }
                  } catch (Exception e) {
                    maxPendingInDatabase.set(Long.MAX_VALUE); // fails the test below, loudly
                    throw new IllegalStateException(e);
                  }
                });
    try {
      Threads.run(
          2 * THREADS_PER_INSTANCE,
          TIMEOUT.plusSeconds(10),
          id -> {
            Worker w = instances.get(id % 2).worker("w" + id);
            AttemptRequest request = AttemptRequest.of(1 + id % 3);
            while (finished.get() < total && Threads.before(deadline)) {
              List<Attempt> got = w.requestAttempts(request);
              if (got.isEmpty()) {
                Thread.yield();
                continue;
              }
              maxHeld.accumulateAndGet(held.addAndGet(got.size()), Math::max);
              for (Attempt a : got) {
                held.decrementAndGet();
                a.finish(null);
                finished.incrementAndGet();
              }
            }
          });
    } finally {
      stop.set(true);
      monitor.join(10_000);
    }

    assertThat(finished).hasValue(total);
    assertThat(maxHeld.get()).as("leases held at once").isBetween(2, maxRunning);
    assertThat(observations.get()).isPositive();
    assertThat(maxPendingInDatabase.get())
        .as("pending rows at once")
        .isBetween(1L, (long) maxRunning);
    assertThat(maxPendingInMeta.get()).as("pending per meta(true)").isLessThanOrEqualTo(maxRunning);
    assertThat(spec.countWorkUnitStatus().get(WorkUnitStatus.FINISHED)).isEqualTo(total);
  }

  @Test
  void daemonsStartingTogetherOnAnEmptySchemaAllOpenIt() throws Exception {
    SqlConfig fresh = stores.postgresSchema().withPoolSize(2);
    int daemons = 3;
    List<SqlCoordinate> opened = java.util.Collections.synchronizedList(new ArrayList<>());
    try {
      Threads.run(daemons, TIMEOUT, id -> opened.add(SqlCoordinate.open(fresh)));
      assertThat(opened).hasSize(daemons);
      opened.get(0).namespace("n").setWorkSpec(Map.of("name", "s"));
      for (SqlCoordinate c : opened) {
        assertThat(c.namespace("n").workSpecNames()).containsExactly("s");
      }
    } finally {
      opened.forEach(SqlCoordinate::close);
    }
  }

  @Test
  void anExpiredLeaseOnOneInstanceGoesToTheOthersNextRequest() {
    MutableClock clock = new MutableClock();
    openTwo(clock);
    WorkSpec spec = instances.get(0).setWorkSpec(Map.of("name", "s", "max_running", 1));
    spec.addWorkUnit(WorkUnitKey.of("only"), Map.of(), null);
    Worker onA = instances.get(0).worker("a");
    Worker onB = instances.get(1).worker("b");

    Attempt first =
        onA.requestAttempts(AttemptRequest.one().withLifetime(Duration.ofMinutes(1))).get(0);
    assertThat(onB.requestAttempts(AttemptRequest.one())).as("while A holds the lease").isEmpty();

    clock.advance(Duration.ofMinutes(2)); // nobody renews, nobody sweeps: only time passes
    List<Attempt> second = onB.requestAttempts(AttemptRequest.one());

    assertThat(second).hasSize(1);
    Attempt taken = second.get(0);
    assertThat(taken.workUnit().key().toUtf8()).isEqualTo("only");
    assertThat(first.status()).isEqualTo(AttemptStatus.EXPIRED);
    assertThat(taken.status()).isEqualTo(AttemptStatus.PENDING);
    // Seen from A, the unit's active attempt is now B's (handles of two backends are not equal).
    assertThat(spec.workUnit(taken.workUnit().key()).activeAttempt())
        .hasValueSatisfying(a -> assertThat(a.worker().name()).isEqualTo("b"));
    assertThatThrownBy(() -> first.finish(null)).isInstanceOf(NotPendingException.class);
    taken.finish(null);
    assertThat(spec.countWorkUnitStatus().get(WorkUnitStatus.FINISHED)).isEqualTo(1);
  }
}
