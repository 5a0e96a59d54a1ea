package io.coordinate.api;

import io.coordinate.api.data.ByteString;
import io.coordinate.api.data.DataValues;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * What the user declared for a work spec: the map as given (every key kept verbatim), its name, and
 * the default {@link WorkSpecMeta} its special keys imply. Static once set: run-time control data
 * lives in {@link WorkSpec#meta(boolean)} instead.
 *
 * <p>Special keys: {@code name} (required string), {@code min_gb}, {@code disabled}, {@code
 * continuous}, {@code interval} (seconds), {@code priority}, {@code weight}, {@code nice}, {@code
 * max_running}, {@code max_getwork}, {@code max_retries}, {@code then}, {@code runtime}, {@code
 * rate_limit} and {@code rate_burst} (see {@link RateLimit}), {@code retain_finished_seconds},
 * {@code retain_finished_count}, {@code retain_failed_seconds} and {@code retain_failed_count} (see
 * {@link Retention}). A key whose
 * value is {@code null} counts as absent. Python 2 clients send byte strings for text; they are
 * accepted wherever a string is expected.
 *
 * @param name the spec's name
 * @param map the definition as given, normalized by {@link DataValues#copyOf(Map)}
 * @param defaultMeta the meta the special keys imply
 */
public record WorkSpecDefinition(String name, Map<String, Object> map, WorkSpecMeta defaultMeta) {

  /**
   * Checks a definition and derives its default meta.
   *
   * @throws InvalidWorkSpecException if the name is missing, not a string or empty, or a special
   *     key has the wrong type or a negative limit
   */
  public static WorkSpecDefinition parse(Map<String, ?> definition) {
    if (definition == null) {
      throw new InvalidWorkSpecException("work spec definition is missing");
    }
    Map<String, Object> map;
    try {
      map = DataValues.copyOf(definition);
    } catch (InvalidRequestException e) {
      throw new InvalidWorkSpecException("work spec definition: " + e.getMessage());
    }
    Object rawName = map.get("name");
    if (rawName == null) {
      throw new InvalidWorkSpecException("work spec definition has no \"name\"");
    }
    String name = text(rawName, "name");
    if (name.isEmpty()) {
      throw new InvalidWorkSpecException("work spec \"name\" must not be empty");
    }

    // In long arithmetic so that a very negative nice gives a very large weight, not an overflow.
    long weight;
    Integer givenWeight = integer(map, "weight");
    Integer nice = integer(map, "nice");
    if (givenWeight != null) {
      weight = givenWeight;
    } else if (nice != null) {
      weight = (long) WorkSpecMeta.DEFAULT_WEIGHT - nice;
    } else {
      weight = WorkSpecMeta.DEFAULT_WEIGHT;
    }
    weight = Math.clamp(weight, 1, Integer.MAX_VALUE);

    boolean continuous = bool(map, "continuous");
    Double intervalSeconds = number(map, "interval");
    if (intervalSeconds != null && (intervalSeconds < 0 || intervalSeconds.isInfinite())) {
      throw new InvalidWorkSpecException("\"interval\" must be a non-negative number of seconds");
    }
    Duration interval =
        intervalSeconds == null ? Duration.ZERO : Duration.ofNanos(Math.round(intervalSeconds * 1e9));
    Double minGb = number(map, "min_gb");
    RateLimit rateLimit;
    Retention retention;
    try {
      Double rate = number(map, "rate_limit");
      rateLimit = new RateLimit(rate == null ? 0 : rate, limit(map, "rate_burst"));
      retention =
          new Retention(
              seconds(map, "retain_finished_seconds"),
              limit(map, "retain_finished_count"),
              seconds(map, "retain_failed_seconds"),
              limit(map, "retain_failed_count"));
    } catch (InvalidRequestException e) {
      throw new InvalidWorkSpecException(e.getMessage());
    }

    WorkSpecMeta meta =
        new WorkSpecMeta(
            orZero(integer(map, "priority")),
            (int) weight,
            bool(map, "disabled"),
            continuous,
            continuous,
            interval,
            Instant.EPOCH,
            limit(map, "max_running"),
            limit(map, "max_getwork"),
            limit(map, "max_retries"),
            optionalText(map, "then"),
            optionalText(map, "runtime"),
            minGb == null ? 0 : minGb,
            rateLimit,
            retention,
            Optional.empty());
    return new WorkSpecDefinition(name, map, meta);
  }

  /** The {@code then} spec's name, or "" for none. */
  public String then() {
    return defaultMeta.nextWorkSpecName();
  }

  /**
   * A definition value as text (byte strings decoded as UTF-8), or {@code null} when absent.
   *
   * @throws InvalidWorkSpecException if the value is neither a text nor a byte string
   */
  public String getText(String key) {
    Object v = map.get(key);
    return v == null ? null : text(v, key);
  }

  private static String text(Object value, String key) {
    if (value instanceof String s) {
      return s;
    }
    if (value instanceof ByteString b) {
      return b.toUtf8();
    }
    throw new InvalidWorkSpecException("\"" + key + "\" must be a string, not " + describe(value));
  }

  private static String optionalText(Map<String, Object> map, String key) {
    Object v = map.get(key);
    return v == null ? "" : text(v, key);
  }

  private static boolean bool(Map<String, Object> map, String key) {
    Object v = map.get(key);
    if (v == null) {
      return false;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    if (v instanceof Long n) {
      return n != 0; // Python truthiness: 0 and 1 stand in for booleans in old definitions
    }
    throw new InvalidWorkSpecException("\"" + key + "\" must be a boolean, not " + describe(v));
  }

  private static Double number(Map<String, Object> map, String key) {
    Object v = map.get(key);
    if (v == null) {
      return null;
    }
    if (v instanceof Long n) {
      return n.doubleValue();
    }
    if (v instanceof Double d && !d.isNaN()) {
      return d;
    }
    throw new InvalidWorkSpecException("\"" + key + "\" must be a number, not " + describe(v));
  }

  private static Duration seconds(Map<String, Object> map, String key) {
    Double v = number(map, key);
    return v == null ? Duration.ZERO : Retention.seconds(v, key);
  }

  private static Integer integer(Map<String, Object> map, String key) {
    Object v = map.get(key);
    if (v == null) {
      return null;
    }
    if (v instanceof Long n && n >= Integer.MIN_VALUE && n <= Integer.MAX_VALUE) {
      return n.intValue();
    }
    if (v instanceof Double d
        && d == Math.rint(d)
        && d >= Integer.MIN_VALUE
        && d <= Integer.MAX_VALUE) {
      return d.intValue();
    }
    throw new InvalidWorkSpecException(
        "\"" + key + "\" must be a 32-bit integer, not " + describe(v));
  }

  private static int limit(Map<String, Object> map, String key) {
    Integer v = integer(map, key);
    if (v != null && v < 0) {
      throw new InvalidWorkSpecException("\"" + key + "\" must not be negative: " + v);
    }
    return orZero(v);
  }

  private static int orZero(Integer v) {
    return v == null ? 0 : v;
  }

  private static String describe(Object v) {
    return v.getClass().getSimpleName() + " " + v;
  }
}
