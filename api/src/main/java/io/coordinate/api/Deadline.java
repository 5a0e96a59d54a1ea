package io.coordinate.api;

import java.time.Duration;

/**
 * The time by which the request being served on this thread must be answered. A server starts it
 * when it has read a request, so time spent queued behind other requests (waiting for a database
 * connection, say) counts against it; a backend that would wait past it gives up with {@link
 * RequestTimeoutException} before it changes anything.
 *
 * <pre>{@code
 * long readAt = System.nanoTime();
 * Object reply = Deadline.within(readAt, Duration.ofSeconds(30), () -> serve(request));
 * }</pre>
 *
 * <p>Outside {@link #within}, there is no deadline: {@link #remainingNanos()} is {@link
 * Long#MAX_VALUE}. Deadlines are per thread; a server thread serves one request at a time.
 */
public final class Deadline {
  /**
   * The budget servers give a request unless configured otherwise: far more than any request
   * needs from a healthy store, short enough that a client is not left waiting on a stuck one.
   */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private static final ThreadLocal<long[]> CURRENT = new ThreadLocal<>();

  private Deadline() {}

  /** What runs under a deadline: a request's handling, which may throw what its server expects. */
  @FunctionalInterface
  public interface Body<T, E extends Exception> {
    T run() throws E;
  }

  /**
   * Runs {@code body} with a deadline {@code budget} after {@code startNanos} (a {@link
   * System#nanoTime()} reading, taken when the request was read). A deadline already running on
   * this thread stays in force if it is earlier.
   */
  public static <T, E extends Exception> T within(long startNanos, Duration budget, Body<T, E> body)
      throws E {
    long[] outer = CURRENT.get();
    long end = startNanos + budget.toNanos();
    if (outer != null && outer[0] - end < 0) {
      end = outer[0];
    }
    CURRENT.set(new long[] {end});
    try {
      return body.run();
    } finally {
      if (outer == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(outer);
      }
    }
  }

  /**
   * Runs {@code body} with this thread's deadline moved {@code extra} later: a request that asked to
   * wait (a long-poll for work) may take that long on top of its budget. Without a deadline on this
   * thread, just runs {@code body}.
   */
  public static <T, E extends Exception> T extendedBy(Duration extra, Body<T, E> body) throws E {
    long[] outer = CURRENT.get();
    if (outer == null) {
      return body.run();
    }
    CURRENT.set(new long[] {outer[0] + extra.toNanos()});
    try {
      return body.run();
    } finally {
      CURRENT.set(outer);
    }
  }

  /** Nanoseconds left before this thread's deadline (0 or less: passed; no deadline: max). */
  public static long remainingNanos() {
    long[] current = CURRENT.get();
    return current == null ? Long.MAX_VALUE : current[0] - System.nanoTime();
  }

  /** Whether this thread serves a request with a deadline. */
  public static boolean isSet() {
    return CURRENT.get() != null;
  }

  /**
   * Throws {@link RequestTimeoutException} if this thread's deadline has passed; {@code doing}
   * says what the request was waiting for, for the message.
   */
  public static void check(String doing) {
    long left = remainingNanos();
    if (left <= 0) {
      throw expired(doing);
    }
  }

  /** The error for a request whose deadline passed while it was {@code doing} something. */
  public static RequestTimeoutException expired(String doing) {
    return new RequestTimeoutException(
        "request timed out: its deadline passed while " + doing + "; nothing was changed");
  }
}
