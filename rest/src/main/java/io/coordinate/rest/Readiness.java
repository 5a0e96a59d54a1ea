package io.coordinate.rest;

import io.coordinate.api.BackendUnavailableException;
import io.coordinate.api.Coordinate;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The check behind {@code /readyz}: one cheap read of the backend, with an answer within {@link
 * #WAIT} whatever the backend does. While its database is down the SQL backend waits for a
 * connection up to its connection timeout (5 s by default) on every call, longer than a readiness
 * probe waits (1 s by default in Kubernetes); the probe should hear 503, not time out.
 */
final class Readiness {
  /** How long the check waits for the backend: short enough to answer inside a 1 s probe. */
  static final Duration WAIT = Duration.ofMillis(800);

  /**
   * A thread per check, so the answer does not wait for it; a check that outlives {@link #WAIT}
   * ends by itself when the backend gives up (its connection timeout).
   */
  private static final Executor CHECKS = task -> Thread.ofVirtual().name("readyz").start(task);

  private Readiness() {}

  /**
   * Returns if the backend answers within {@link #WAIT}.
   *
   * @throws BackendUnavailableException if it does not, or reports itself unavailable
   */
  static void check(Coordinate coordinate) {
    CompletableFuture<?> check = CompletableFuture.runAsync(coordinate::namespaceNames, CHECKS);
    try {
      check.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new BackendUnavailableException(
          "the backend did not answer within " + WAIT.toMillis() + " ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BackendUnavailableException("interrupted while waiting for the backend");
    } catch (ExecutionException e) {
      // The backend's own failure, answered as on any other route.
      switch (e.getCause()) {
        case RuntimeException r -> throw r;
        case Error r -> throw r;
        default -> throw new IllegalStateException(e.getCause());
      }
    }
  }
}
