package io.coordinate.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A text table: a header and rows, columns padded to their widest cell, numbers to the right. */
final class Table {
  private final String[] headers;
  private final boolean[] right;
  private final List<String[]> rows = new ArrayList<>();

  Table(String... headers) {
    this.headers = headers.clone();
    this.right = new boolean[headers.length];
  }

  /** Aligns these columns (0-based) to the right, as numbers read best. */
  Table alignRight(int... columns) {
    for (int c : columns) {
      right[c] = true;
    }
    return this;
  }

  /** Adds a row; cells are printed with {@link String#valueOf(Object)}. */
  void add(Object... cells) {
    if (cells.length != headers.length) {
      throw new IllegalArgumentException(
          "a row of " + cells.length + " cells in a table of " + headers.length + " columns");
    }
    rows.add(Arrays.stream(cells).map(String::valueOf).toArray(String[]::new));
  }

  boolean isEmpty() {
    return rows.isEmpty();
  }

  void print(PrintWriter out) {
    int[] width = new int[headers.length];
    for (int c = 0; c < headers.length; c++) {
      width[c] = length(headers[c]);
      for (String[] row : rows) {
        width[c] = Math.max(width[c], length(row[c]));
      }
    }
    line(out, headers, width);
    for (String[] row : rows) {
      line(out, row, width);
    }
  }

  private void line(PrintWriter out, String[] cells, int[] width) {
    StringBuilder b = new StringBuilder();
    for (int c = 0; c < cells.length; c++) {
      boolean last = c == cells.length - 1;
      String pad = " ".repeat(width[c] - length(cells[c]));
      if (right[c]) {
        b.append(pad).append(cells[c]);
      } else {
        b.append(cells[c]);
        if (!last) {
          b.append(pad);
        }
      }
      if (!last) {
        b.append("  ");
      }
    }
    out.println(b);
  }

  private static int length(String s) {
    return s.codePointCount(0, s.length());
  }
}
