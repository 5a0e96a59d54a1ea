package io.coordinate.rpc;

/** Number and truth conversions of option values, with errors that name the option. */
final class Numbers {
  private Numbers() {}

  static long requireLong(Object v, String name) {
    if (v instanceof Long l) {
      return l;
    }
    if (v instanceof Double d && d == Math.rint(d) && !d.isInfinite()) {
      return d.longValue();
    }
    throw new RpcError(name + " must be an integer, got " + describe(v));
  }

  static int requireInt(Object v, String name) {
    long l = requireLong(v, name);
    if (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
      throw new RpcError(name + " is out of range: " + l);
    }
    return (int) l;
  }

  static double requireDouble(Object v, String name) {
    if (v instanceof Long l) {
      return l;
    }
    if (v instanceof Double d && !d.isNaN()) {
      return d;
    }
    throw new RpcError(name + " must be a number, got " + describe(v));
  }

  /** An optional integer option: {@code fallback} when absent or null. */
  static int optionalInt(Object v, int fallback, String name) {
    return v == null ? fallback : requireInt(v, name);
  }

  /** An optional number option: {@code null} when absent or null. */
  static Double optionalDouble(Object v, String name) {
    return v == null ? null : requireDouble(v, name);
  }

  /** Python truthiness of an option value. */
  static boolean truthy(Object v) {
    if (v == null) {
      return false;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    if (v instanceof Long l) {
      return l != 0;
    }
    if (v instanceof Double d) {
      return d != 0;
    }
    if (v instanceof String s) {
      return !s.isEmpty();
    }
    if (v instanceof io.coordinate.api.data.ByteString b) {
      return b.size() > 0;
    }
    if (v instanceof java.util.Collection<?> c) {
      return !c.isEmpty();
    }
    if (v instanceof java.util.Map<?, ?> m) {
      return !m.isEmpty();
    }
    return true;
  }

  /** A number of seconds as Python would print it: integral values without a fraction. */
  static String format(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }

  private static String describe(Object v) {
    return v == null ? "null" : Params.typeName(v);
  }
}
