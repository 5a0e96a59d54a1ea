package io.coordinate.rpc;

import io.coordinate.api.data.ByteString;
import io.coordinate.api.data.Tuple;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Short builders for the values tests send and expect. */
final class WireValues {
  private WireValues() {}

  /** A byte string holding {@code s} in UTF-8 (a Python 2 {@code str}). */
  static ByteString b(String s) {
    return ByteString.utf8(s);
  }

  /** A byte string of these bytes. */
  static ByteString bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return ByteString.wrap(b);
  }

  /** A map of alternating keys and values; values may be null. */
  static Map<Object, Object> map(Object... keysAndValues) {
    if (keysAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("odd number of keys and values");
    }
    Map<Object, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }

  /** A list that may hold nulls. */
  static List<Object> list(Object... items) {
    return Arrays.asList(items);
  }

  static Tuple tuple(Object... items) {
    return Tuple.of(items);
  }
}
