package io.coordinate.api.data;

import io.coordinate.api.InvalidRequestException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The data-map value model. A data map is a {@code Map<String, Object>} whose values are, recursively:
 * {@code null}, {@link Boolean}, {@link Long} (64-bit integers; {@link BigInteger} only outside the
 * long range), {@link Double}, {@link String}, {@link ByteString}, {@link List}, string-keyed
 * {@link Map}, {@link Tuple} and {@link UUID}.
 *
 * <p>{@link #copyOf(Map)} is the one entry point backends use on every map they accept: it checks
 * the types, widens {@code Integer}/{@code Short}/{@code Byte} to {@code Long} and {@code Float} to
 * {@code Double}, turns {@code byte[]} into {@link ByteString}, and returns a deeply immutable copy
 * that keeps insertion order. Because the copy is immutable, backends hand it out without copying
 * again.
 */
public final class DataValues {
  /** How deeply maps and lists may nest; deeper input is rejected rather than risking the stack. */
  public static final int MAX_DEPTH = 200;

  private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
  private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

  private DataValues() {}

  /** A checked, normalized, deeply immutable copy of a data map; {@code null} gives an empty map. */
  public static Map<String, Object> copyOf(Map<String, ?> map) {
    if (map == null) {
      return Map.of();
    }
    return copyMap(map, 0);
  }

  /** A checked, normalized, deeply immutable copy of one data value. */
  public static Object copyValue(Object value) {
    return normalize(value, 0);
  }

  private static Map<String, Object> copyMap(Map<?, ?> map, int depth) {
    Map<String, Object> copy = new LinkedHashMap<>(Math.max(4, map.size() * 4 / 3 + 1));
    for (Map.Entry<?, ?> e : map.entrySet()) {
      Object key = e.getKey();
      String name;
      if (key instanceof String s) {
        name = s;
      } else if (key instanceof ByteString b) {
        name = b.toUtf8(); // byte-string keys (Python 2 clients) are names too
      } else {
        throw new InvalidRequestException(
            "data map keys must be strings, not " + typeName(key));
      }
      copy.put(name, normalize(e.getValue(), depth + 1));
    }
    return Collections.unmodifiableMap(copy);
  }

  private static Object normalize(Object value, int depth) {
    if (depth > MAX_DEPTH) {
      throw new InvalidRequestException("data nests deeper than " + MAX_DEPTH + " levels");
    }
    if (value == null
        || value instanceof String
        || value instanceof Boolean
        || value instanceof Long
        || value instanceof Double
        || value instanceof ByteString
        || value instanceof UUID) {
      return value;
    }
    if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof Float f) {
      return f.doubleValue();
    }
    if (value instanceof BigInteger big) {
      return big.compareTo(LONG_MIN) >= 0 && big.compareTo(LONG_MAX) <= 0 ? big.longValue() : big;
    }
    if (value instanceof byte[] bytes) {
      return ByteString.copyOf(bytes);
    }
    if (value instanceof Tuple t) {
      return new Tuple(copyList(t.items(), depth));
    }
    if (value instanceof List<?> list) {
      return copyList(list, depth);
    }
    if (value instanceof Map<?, ?> map) {
      return copyMap(map, depth);
    }
    throw new InvalidRequestException("unsupported data value type: " + typeName(value));
  }

  private static List<Object> copyList(List<?> list, int depth) {
    List<Object> copy = new ArrayList<>(list.size());
    for (Object item : list) {
      copy.add(normalize(item, depth + 1));
    }
    return Collections.unmodifiableList(copy);
  }

  private static String typeName(Object value) {
    return value == null ? "null" : value.getClass().getName();
  }
}
