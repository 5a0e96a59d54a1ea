package io.coordinate.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.coordinate.api.Attempt;
import io.coordinate.api.AttemptRequest;
import io.coordinate.api.Namespace;
import io.coordinate.api.NewWorkUnit;
import io.coordinate.api.WorkSpec;
import io.coordinate.api.Worker;
import io.coordinate.api.conformance.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A rate limit across two backends with separate pools on one PostgreSQL schema, as two daemons on
 * one database sharing a clock: many threads request units as fast as they can while the clock
 * moves in steps, and the total handed out never exceeds the burst plus the rate times the time
 * passed, and reaches it (the workers are always hungry).
 */
@EnabledIfEnvironmentVariable(named = TestStores.PG_URL_VARIABLE, matches = ".+")
class PostgresRateLimitTest {
  private static final int THREADS_PER_INSTANCE = 8;
  private static final double RATE = 50;
  private static final int BURST = 20;
  private static final Duration STEP = Duration.ofMillis(100);
  private static final int STEPS = 40;
  private static final Duration TIMEOUT = Duration.ofSeconds(120);

  @RegisterExtension final TestStores stores = new TestStores();

  @Test
  void twoInstancesTogetherNeverExceedTheBucket() throws Exception {
    MutableClock clock = new MutableClock();
    SqlConfig config = stores.postgresSchema().withPoolSize(10).withClock(clock);
    List<Namespace> instances =
        List.of(stores.open(config).namespace("ns"), stores.open(config).namespace("ns"));
    WorkSpec spec =
        instances.get(0)
            .setWorkSpec(Map.of("name", "limited", "rate_limit", RATE, "rate_burst", BURST));
    List<NewWorkUnit> units = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      units.add(NewWorkUnit.of(String.format("u%05d", i), Map.of("i", i)));
    }
    spec.addWorkUnits(units);

    AtomicInteger leased = new AtomicInteger();
    AtomicInteger steps = new AtomicInteger();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicReference<String> violation = new AtomicReference<>();
    long deadline = Threads.deadline(TIMEOUT);

    Threads.run(
        2 * THREADS_PER_INSTANCE + 1,
        TIMEOUT.plusSeconds(10),
        id -> {
          if (id == 2 * THREADS_PER_INSTANCE) {
            // The clock: one step each time the workers have taken everything the bucket allows.
            for (int step = 0; step <= STEPS; step++) {
              int allowed = allowedAfter(step);
              while (leased.get() < allowed && Threads.before(deadline)) {
                Thread.sleep(2);
              }
              Thread.sleep(50); // room for a lease beyond the bound to show itself
              if (step < STEPS) {
                steps.incrementAndGet();
                clock.advance(STEP);
              }
            }
            stop.set(true);
            return;
          }
          Worker w = instances.get(id % 2).worker("w" + id);
          AttemptRequest request =
              AttemptRequest.of(1 + id % 4).withWorkSpecs("limited").withLifetime(Duration.ofHours(1));
          while (!stop.get() && Threads.before(deadline)) {
            // The step is read before the lease, so the bound is never the stricter for a lease
            // that began before the clock moved.
            int stepBefore = steps.get();
            List<Attempt> got = w.requestAttempts(request);
            int total = leased.addAndGet(got.size());
            int bound = allowedAfter(steps.get());
            if (total > bound) {
              violation.compareAndSet(
                  null, total + " units leased by step " + stepBefore + ", at most " + bound);
            }
          }
        });

    assertThat(violation.get()).as("the bucket bound").isNull();
    assertThat(leased.get()).isEqualTo(allowedAfter(STEPS));
    assertThat(TestStores.count(config, "SELECT COUNT(*) FROM attempt"))
        .isEqualTo(allowedAfter(STEPS));
  }

  /** Burst plus rate times the time passed after {@code step} steps of the clock. */
  private static int allowedAfter(int step) {
    return BURST + (int) Math.floor(RATE * step * STEP.toNanos() / 1e9 + 1e-9);
  }
}
