package io.coordinate.api.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A Python tuple: an ordered, immutable sequence that stays distinct from a list through every
 * backend and wire format (CBOR tag 128). Items follow the same rules as data map values.
 */
public record Tuple(List<Object> items) {
  public Tuple {
    items = Collections.unmodifiableList(new ArrayList<>(items));
  }

  /** A tuple of the given items. */
  public static Tuple of(Object... items) {
    List<Object> list = new ArrayList<>(items.length);
    Collections.addAll(list, items);
    return new Tuple(list);
  }

  public int size() {
    return items.size();
  }

  public Object get(int index) {
    return items.get(index);
  }
}
