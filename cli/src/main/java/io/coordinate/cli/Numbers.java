package io.coordinate.cli;

/** Numbers as tables show them. */
final class Numbers {
  private Numbers() {}

  /** A priority without a needless ".0": 0, 2.5, -1. */
  static String format(double value) {
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return Long.toString((long) value);
    }
    return Double.toString(value);
  }
}
