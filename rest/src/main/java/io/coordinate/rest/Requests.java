package io.coordinate.rest;

import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Set;

/** Reading the parts of a request the handlers share: query parameters, numbers, times. */
final class Requests {
  private Requests() {}

  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;

  /** Refuses unknown query parameters, so a misspelt filter never widens what a request does. */
  static void allowOnly(Context ctx, Set<String> allowed) {
    for (String name : ctx.queryParamMap().keySet()) {
      if (!allowed.contains(name)) {
        throw new ApiException(400, "invalid_request", "unknown query parameter \"" + name + "\"");
      }
    }
  }

  /** {@code limit}: 1 to {@link #MAX_LIMIT}, {@link #DEFAULT_LIMIT} when absent. */
  static int limit(Context ctx) {
    String text = ctx.queryParam("limit");
    if (text == null) {
      return DEFAULT_LIMIT;
    }
    int limit;
    try {
      limit = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      limit = -1;
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new ApiException(400, "invalid_request",
          "limit must be an integer from 1 to " + MAX_LIMIT);
    }
    return limit;
  }

  /** A required query parameter that must be a whole number of at least 1. */
  static long positiveLong(Context ctx, String name) {
    String text = ctx.queryParam(name);
    long value;
    try {
      value = text == null ? -1 : Long.parseLong(text);
    } catch (NumberFormatException e) {
      value = -1;
    }
    if (value < 1) {
      throw new ApiException(400, "invalid_request",
          "query parameter \"" + name + "\" must be a whole number of at least 1");
    }
    return value;
  }

  /** A {@code true}/{@code false} query parameter, false when absent. */
  static boolean flag(Context ctx, String name) {
    String text = ctx.queryParam(name);
    if (text == null || text.equals("false")) {
      return false;
    }
    if (text.equals("true")) {
      return true;
    }
    throw new ApiException(400, "invalid_request", name + " must be true or false");
  }

  static double finite(double value, String field) {
    if (!Double.isFinite(value)) {
      throw new ApiException(400, "invalid_request", field + " must be a finite number");
    }
    return value;
  }

  /** A required field of a body: 400 {@code malformed_body} when absent. */
  static <T> T required(T value, String field) {
    if (value == null) {
      throw new ApiException(400, "malformed_body", "field \"" + field + "\" is required");
    }
    return value;
  }

  /**
   * A duration given as a JSON number of seconds (fractional allowed), at least zero, or more than
   * zero when {@code positive}.
   */
  static Duration seconds(double seconds, String field, boolean positive) {
    if (!Double.isFinite(seconds) || seconds < 0 || (positive && seconds == 0)) {
      throw new ApiException(400, "invalid_request", field + " must be a "
          + (positive ? "positive" : "non-negative") + " number of seconds");
    }
    if (seconds > MAX_SECONDS) {
      throw new ApiException(400, "invalid_request",
          field + " must be at most " + (long) MAX_SECONDS + " seconds (100 years)");
    }
    return Duration.ofNanos(Math.round(seconds * 1e9));
  }

  /** A hundred years: far beyond any lease, far within what an instant can add. */
  static final double MAX_SECONDS = 100 * 366 * 86400.0;

  /** An ISO-8601 instant such as {@code 2024-01-31T12:00:00Z}. */
  static Instant instant(String text, String field) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new ApiException(400, "invalid_request",
          field + " is not an ISO-8601 instant such as 2024-01-31T12:00:00Z");
    }
  }
}
