package io.coordinate.api.retention;

import io.coordinate.api.BackendUnavailableException;
import io.coordinate.api.Coordinate;
import io.coordinate.api.GoneException;
import io.coordinate.api.InvalidRequestException;
import io.coordinate.api.Namespace;
import io.coordinate.api.NoSuchWorkSpecException;
import io.coordinate.api.Retention;
import io.coordinate.api.WorkSpec;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Applies the work specs' {@link Retention} policies: a sweep walks every work spec that has one and
 * calls {@link WorkSpec#archive} in batches until nothing more is due. {@link #sweep(Namespace, int,
 * Listener)} sweeps one namespace now (the CBOR-RPC {@code archive} call does); an instance sweeps
 * every namespace of a backend at a fixed interval on a thread of its own (the daemon runs one).
 *
 * <p>A sweep skips a store in maintenance mode (an export or import is under way and expects the
 * units to stay put). A failure, such as a database that cannot be reached, ends that sweep and is
 * told to the {@link Listener}; the next interval tries again, and the thread lives on.
 */
public final class RetentionSweeper implements AutoCloseable {
  /** Units one {@link WorkSpec#archive} call deletes at most. */
  public static final int DEFAULT_BATCH = 1_000;

  /** How often the daemon sweeps by default. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(60);

  /** What a sweep tells as it goes. Every method has a default that does nothing. */
  public interface Listener {
    /** {@code units} units of this spec were just deleted (one batch). */
    default void archived(String namespace, String workSpec, int units) {}

    /** A sweep of every namespace ended; {@code totals} is what it did. */
    default void swept(Totals totals) {}

    /** A sweep ended early because of {@code failure}; the next one tries again. */
    default void failed(RuntimeException failure) {}

    /** A sweep was skipped because the store is in maintenance mode. */
    default void skippedForMaintenance() {}
  }

  /** A listener that is told nothing. */
  public static final Listener SILENT = new Listener() {};

  /**
   * What a sweep did.
   *
   * @param units units deleted
   * @param workSpecs work specs with a retention policy that were swept
   */
  public record Totals(long units, int workSpecs) {
    Totals plus(Totals other) {
      return new Totals(units + other.units, workSpecs + other.workSpecs);
    }
  }

  private final Coordinate coordinate;
  private final Duration interval;
  private final int batchSize;
  private final Listener listener;
  private ScheduledExecutorService executor; // guarded by this

  /**
   * A sweeper of every namespace of {@code coordinate}, every {@code interval}, in batches of
   * {@code batchSize} units; not started.
   */
  public RetentionSweeper(
      Coordinate coordinate, Duration interval, int batchSize, Listener listener) {
    this.coordinate = Objects.requireNonNull(coordinate, "coordinate");
    this.interval = Objects.requireNonNull(interval, "interval");
    this.listener = Objects.requireNonNull(listener, "listener");
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("the retention interval must be positive: " + interval);
    }
    this.batchSize = checkBatch(batchSize);
  }

  /** Starts sweeping: the first sweep one interval from now. */
  public synchronized RetentionSweeper start() {
    if (executor != null) {
      throw new IllegalStateException("the retention sweeper was started already");
    }
    executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "coordinate-retention");
              t.setDaemon(true);
              return t;
            });
    long millis = Math.max(1, interval.toMillis());
    // With a fixed delay a slow sweep (a large backlog) never queues a second behind it.
    executor.scheduleWithFixedDelay(this::runOnce, millis, millis, TimeUnit.MILLISECONDS);
    return this;
  }

  /** One scheduled sweep: never throws, so the schedule goes on after a failure. */
  private void runOnce() {
    try {
      sweepAll();
    } catch (RuntimeException e) {
      listener.failed(e);
    }
  }

  /**
   * Sweeps every namespace now, on the calling thread, unless the store is in maintenance mode.
   * Empty totals when skipped.
   *
   * @throws RuntimeException what the backend raised (the sweep stops there)
   */
  public Totals sweepAll() {
    if (coordinate.maintenance().on()) {
      listener.skippedForMaintenance();
      return new Totals(0, 0);
    }
    Totals totals = new Totals(0, 0);
    for (String name : coordinate.namespaceNames()) {
      if (Thread.currentThread().isInterrupted()) {
        break;
      }
      try {
        totals = totals.plus(sweep(coordinate.namespace(name), batchSize, listener));
      } catch (GoneException e) {
        continue; // destroyed while being swept
      }
    }
    listener.swept(totals);
    return totals;
  }

  /**
   * Sweeps one namespace now, on the calling thread: every spec with a retention policy is archived
   * in batches of {@code batchSize} until a batch comes back short. Each batch is a call of its
   * own, so requests for work go on in between; an interrupt stops the sweep between batches.
   *
   * @throws BackendUnavailableException or another backend error (the sweep stops there)
   * @throws GoneException if the namespace itself was destroyed
   */
  public static Totals sweep(Namespace namespace, int batchSize, Listener listener) {
    checkBatch(batchSize);
    long units = 0;
    int specs = 0;
    for (String name : namespace.workSpecNames()) {
      if (Thread.currentThread().isInterrupted()) {
        break;
      }
      try {
        WorkSpec spec = namespace.workSpec(name);
        if (spec.meta(false).retention().keepsEverything()) {
          continue;
        }
        specs++;
        while (!Thread.currentThread().isInterrupted()) {
          int n = spec.archive(batchSize);
          if (n > 0) {
            units += n;
            listener.archived(namespace.name(), name, n);
          }
          if (n < batchSize) {
            break;
          }
          Thread.yield();
        }
      } catch (NoSuchWorkSpecException e) {
        // deleted since the names were listed: nothing to keep or delete
      } catch (GoneException e) {
        namespace.workSpecNames(); // the namespace itself is gone: that raises GoneException
      }
    }
    return new Totals(units, specs);
  }

  private static int checkBatch(int batchSize) {
    if (batchSize < 1) {
      throw new InvalidRequestException("the archive batch must be at least 1 unit: " + batchSize);
    }
    return batchSize;
  }

  /** Stops sweeping; a sweep under way stops at its next batch. */
  @Override
  public synchronized void close() {
    if (executor == null) {
      return;
    }
    executor.shutdownNow();
    try {
      if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
        listener.failed(new IllegalStateException("the retention sweep did not stop within 10 s"));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
