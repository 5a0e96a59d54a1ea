package io.coordinate.rpc;

import io.coordinate.api.WorkUnitKey;
import io.coordinate.api.data.ByteString;
import io.coordinate.api.data.Tuple;
import java.util.List;
import java.util.Map;

/**
 * The positional parameters of one request, with typed accessors that accept what Python 2 clients
 * send (byte strings for text, tuples for lists) and turn anything else into an {@link RpcError}
 * naming the method and the parameter.
 */
final class Params {
  private final String method;
  private final List<?> values;

  Params(String method, List<?> values) {
    this.method = method;
    this.values = values;
  }

  int size() {
    return values.size();
  }

  /** Requires between {@code min} and {@code max} parameters. */
  Params expect(int min, int max) {
    if (values.size() < min || values.size() > max) {
      String want = min == max ? String.valueOf(min) : min + " to " + max;
      throw new RpcError(
          method + " takes " + want + " parameters, got " + values.size());
    }
    return this;
  }

  Object raw(int i) {
    return i < values.size() ? values.get(i) : null;
  }

  String string(int i, String name) {
    String s = asString(raw(i));
    if (s == null) {
      throw bad(i, name, "a string");
    }
    return s;
  }

  String optionalString(int i, String name) {
    Object v = raw(i);
    if (v == null) {
      return null;
    }
    String s = asString(v);
    if (s == null) {
      throw bad(i, name, "a string");
    }
    return s;
  }

  WorkUnitKey key(int i, String name) {
    WorkUnitKey k = asKey(raw(i));
    if (k == null) {
      throw bad(i, name, "a work unit key (byte or text string)");
    }
    return k;
  }

  @SuppressWarnings("unchecked")
  Map<String, Object> map(int i, String name) {
    if (raw(i) instanceof Map<?, ?> m) {
      return (Map<String, Object>) m;
    }
    throw bad(i, name, "a map");
  }

  /** The map at {@code i}, or an empty one when absent or null. */
  Map<String, Object> optionalMap(int i, String name) {
    return raw(i) == null ? Map.of() : map(i, name);
  }

  List<?> list(int i, String name) {
    List<?> l = asList(raw(i));
    if (l == null) {
      throw bad(i, name, "a list");
    }
    return l;
  }

  RpcError bad(int i, String name, String expected) {
    Object v = raw(i);
    String got = v == null ? (i < values.size() ? "null" : "nothing") : typeName(v);
    return new RpcError(
        method + ": parameter " + (i + 1) + " (" + name + ") must be " + expected + ", got " + got);
  }

  // ---------------------------------------------------------------------------------------
  // Conversions shared by the methods
  // ---------------------------------------------------------------------------------------

  static String asString(Object v) {
    if (v instanceof String s) {
      return s;
    }
    if (v instanceof ByteString b) {
      return b.toUtf8();
    }
    return null;
  }

  static WorkUnitKey asKey(Object v) {
    if (v instanceof ByteString b) {
      return new WorkUnitKey(b);
    }
    if (v instanceof String s) {
      return WorkUnitKey.of(s);
    }
    return null;
  }

  static List<?> asList(Object v) {
    if (v instanceof List<?> l) {
      return l;
    }
    if (v instanceof Tuple t) {
      return t.items();
    }
    return null;
  }

  static String typeName(Object v) {
    if (v == null) {
      return "null"; // an item of a list may be null, as in [null] for a list of key paths
    }
    if (v instanceof ByteString) {
      return "a byte string";
    }
    if (v instanceof String) {
      return "a text string";
    }
    if (v instanceof Long || v instanceof java.math.BigInteger) {
      return "an integer";
    }
    if (v instanceof Double) {
      return "a float";
    }
    if (v instanceof Boolean) {
      return "a boolean";
    }
    if (v instanceof Map) {
      return "a map";
    }
    if (v instanceof List || v instanceof Tuple) {
      return "a list";
    }
    return v.getClass().getSimpleName();
  }
}
