package io.coordinate.api;

import io.coordinate.api.data.DataValues;
import java.util.Map;
import java.util.Objects;

/**
 * One work unit to add: key, data and meta. The data is checked and copied on construction.
 *
 * @param key the unit's key
 * @param data the unit's data map (see {@link DataValues})
 * @param meta priority and not-before time
 */
public record NewWorkUnit(WorkUnitKey key, Map<String, Object> data, WorkUnitMeta meta) {
  public NewWorkUnit {
    Objects.requireNonNull(key, "key");
    data = DataValues.copyOf(data);
    meta = meta == null ? WorkUnitMeta.DEFAULT : meta;
  }

  /** A unit with the given meta ({@code null}: default); the data is checked and copied once. */
  @SuppressWarnings("unchecked")
  public static NewWorkUnit of(WorkUnitKey key, Map<String, ?> data, WorkUnitMeta meta) {
    // The canonical constructor copies (and so checks) the map; the cast only widens the view.
    return new NewWorkUnit(key, (Map<String, Object>) data, meta);
  }

  /** A unit with default meta. */
  public static NewWorkUnit of(WorkUnitKey key, Map<String, ?> data) {
    return of(key, data, WorkUnitMeta.DEFAULT);
  }

  /** A unit with a text key and default meta. */
  public static NewWorkUnit of(String key, Map<String, ?> data) {
    return of(WorkUnitKey.of(key), data);
  }
}
