package io.coordinate.api.conformance;

import io.coordinate.api.Coordinate;
import io.coordinate.api.Namespace;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The conformance kit: every rule of the data model and every API operation, as JUnit 5 tests that
 * any backend runs by extending this class and supplying {@link #newCoordinate(Clock)}:
 *
 * <pre>{@code
 * class MemoryConformanceTest extends ConformanceKit {
 *   protected Coordinate newCoordinate(Clock clock) { return MemoryCoordinate.create(clock); }
 * }
 * }</pre>
 *
 * After each test the {@link Invariants} are checked on every namespace the test touched.
 */
public abstract class ConformanceKit
    implements NamespaceContract,
        WorkSpecContract,
        WorkUnitContract,
        AttemptContract,
        WorkerContract,
        SchedulingContract,
        ContinuousContract,
        ChainingContract,
        ConcurrencyContract,
        RateLimitContract,
        RetentionContract,
        LongPollContract,
        TransferContract,
        LockContract {

  private MutableClock clock;
  private Coordinate coordinate;
  private Namespace namespace;

  /** A new, empty backend that takes its time from {@code clock}. */
  protected abstract Coordinate newCoordinate(Clock clock);

  @BeforeEach
  final void openBackend() {
    clock = new MutableClock();
    coordinate = newCoordinate(clock);
    namespace = coordinate.namespace("kit");
  }

  @AfterEach
  final void checkInvariantsAndClose() {
    if (coordinate == null) {
      return; // the backend could not be opened (a store this run skips)
    }
    try {
      for (String name : coordinate.namespaceNames()) {
        Invariants.check(coordinate.namespace(name), clock.instant());
      }
    } finally {
      coordinate.close();
    }
  }

  @Override
  public final Coordinate coordinate() {
    return coordinate;
  }

  @Override
  public final MutableClock clock() {
    return clock;
  }

  @Override
  public final Namespace namespace() {
    return namespace;
  }
}
