package io.coordinate.rpc;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import io.coordinate.api.data.ByteString;
import io.coordinate.api.data.DataValues;
import io.coordinate.api.data.Tuple;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Values of the wire's data model (what a request's parameters decode to) drawn from a fuzzer's
 * input: null, booleans, integers (big ones included), floats, text, bytes, lists, tuples, maps,
 * UUIDs, and nesting up to and past the depth limit. They lean toward what the methods look for:
 * the names {@link FuzzedJobServer} sets up, the option keys the methods read, and the edge values
 * of each number type.
 *
 * <p>Every choice reads the input from its end (Jazzer's convention for numbers), so an input
 * that runs out picks the first choice each time: an unchanged example, see {@link #mutate}.
 */
final class FuzzedValues {
  private FuzzedValues() {}

  /** Names the fixture uses and option keys the methods read. */
  static final List<String> WORDS =
      List.of("s", "t", "s2", "u1", "u2", "u3", "nope", "w", "c", "o", "a", "b", "", "name",
          "module", "run_function", "status", "priority", "data", "lease_time", "max_jobs",
          "work_unit_keys", "state", "limit", "start", "then", "then_preempts", "continuous",
          "interval", "weight", "max_running", "max_getwork", "max_retries", "available_gb",
          "work_spec_names", "worker_id", "delay", "all", "adjustment", "min_gb", "runtime",
          "nice", "disabled", "traceback", "pid");

  private static final List<Long> EDGE_LONGS =
      List.of(0L, 1L, -1L, 2L, 3L, 4L, 5L, Long.MIN_VALUE, Long.MAX_VALUE,
          (long) Integer.MAX_VALUE, (long) Integer.MAX_VALUE + 1, (long) Integer.MIN_VALUE,
          (long) Integer.MIN_VALUE - 1, 86_400L * 366 * 100_000, -86_400L * 366 * 100_000);

  private static final List<Double> EDGE_DOUBLES =
      List.of(0.0, -0.0, 0.5, 1.0, -1.0, Double.NaN, Double.POSITIVE_INFINITY,
          Double.NEGATIVE_INFINITY, Double.MAX_VALUE, Double.MIN_VALUE, 1e18, -1e18, 1e300,
          9.3e18, 2147483648.0);

  private static final List<BigInteger> BIG =
      List.of(BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE), BigInteger.ONE.shiftLeft(63),
          BigInteger.ONE.shiftLeft(64).negate(), BigInteger.TEN.pow(40));

  /** How deep ordinary values nest; deeper ones come only from the dedicated choice. */
  private static final int SHALLOW = 4;

  /** Any value. */
  static Object value(FuzzedDataProvider data, int depth) {
    int kind = data.consumeInt(0, depth >= SHALLOW ? 12 : 16);
    return switch (kind) {
      case 0 -> null;
      case 1 -> data.consumeBoolean();
      case 2 -> data.pickValue(EDGE_LONGS);
      case 3 -> data.consumeLong();
      case 4 -> data.pickValue(EDGE_DOUBLES);
      case 5 -> data.consumeDouble();
      case 6 -> data.pickValue(WORDS);
      case 7 -> data.consumeString(24);
      case 8 -> ByteString.utf8(data.pickValue(WORDS));
      case 9 -> ByteString.wrap(data.consumeBytes(24));
      case 10 -> data.consumeBoolean()
          ? data.pickValue(BIG)
          : new BigInteger(data.consumeBoolean() ? 1 : -1, data.consumeBytes(12));
      case 11 -> new UUID(data.consumeLong(), data.consumeLong());
      case 12 -> data.consumeBoolean() ? (long) data.consumeInt(-2, 6) : data.pickValue(WORDS);
      case 13 -> list(data, depth);
      case 14 -> Tuple.of(list(data, depth).toArray());
      case 15 -> map(data, depth);
      default -> nested(data);
    };
  }

  private static List<Object> list(FuzzedDataProvider data, int depth) {
    int n = data.consumeInt(0, 4);
    List<Object> items = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      items.add(value(data, depth + 1));
    }
    return items;
  }

  private static Map<String, Object> map(FuzzedDataProvider data, int depth) {
    int n = data.consumeInt(0, 4);
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      map.put(key(data), value(data, depth + 1));
    }
    return map;
  }

  private static String key(FuzzedDataProvider data) {
    return data.consumeInt(0, 3) == 3 ? data.consumeString(12) : data.pickValue(WORDS);
  }

  /** A list or map nesting about as deep as the data model allows, or just past it. */
  private static Object nested(FuzzedDataProvider data) {
    int levels = data.consumeInt(DataValues.MAX_DEPTH - 8, DataValues.MAX_DEPTH + 2);
    boolean maps = data.consumeBoolean();
    Object value = data.pickValue(WORDS);
    for (int i = 0; i < levels; i++) {
      value = maps ? Map.of(data.pickValue(WORDS), value) : List.of(value);
    }
    return value;
  }

  /**
   * {@code example}, left as it is (the first choice), or with one change: a map or list gets an
   * entry replaced, added or removed, a scalar becomes another value; or a value of its own.
   */
  static Object mutate(FuzzedDataProvider data, Object example, int depth) {
    int how = data.consumeInt(0, 3);
    if (how == 0) {
      return example;
    }
    if (how == 3) {
      return value(data, depth);
    }
    return switch (example) {
      case Map<?, ?> m -> mutateMap(data, m, depth);
      case Tuple t -> Tuple.of(mutateList(data, t.items(), depth).toArray());
      case List<?> l -> mutateList(data, l, depth);
      case null, default -> value(data, depth);
    };
  }

  private static Map<Object, Object> mutateMap(FuzzedDataProvider data, Map<?, ?> m, int depth) {
    Map<Object, Object> copy = new LinkedHashMap<>(m);
    List<Object> keys = new ArrayList<>(m.keySet());
    int op = keys.isEmpty() ? 0 : data.consumeInt(0, 2);
    switch (op) {
      case 0 -> copy.put(key(data), value(data, depth + 1));
      case 1 -> copy.remove(data.pickValue(keys));
      default -> {
        Object k = data.pickValue(keys);
        copy.put(k, mutate(data, m.get(k), depth + 1));
      }
    }
    return copy;
  }

  private static List<Object> mutateList(FuzzedDataProvider data, List<?> l, int depth) {
    List<Object> copy = new ArrayList<>(l);
    int op = copy.isEmpty() ? 0 : data.consumeInt(0, 2);
    switch (op) {
      case 0 -> copy.add(data.consumeInt(0, copy.size()), value(data, depth + 1));
      case 1 -> copy.remove(data.consumeInt(0, copy.size() - 1));
      default -> {
        int i = data.consumeInt(0, copy.size() - 1);
        copy.set(i, mutate(data, copy.get(i), depth + 1));
      }
    }
    return copy;
  }
}
