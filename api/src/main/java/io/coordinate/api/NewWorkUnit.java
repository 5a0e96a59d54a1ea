package io.coordinate.api;

import io.coordinate.api.data.DataValues;
import java.util.List;
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

  /**
   * An immutable copy of a batch of units to add.
   *
   * @throws InvalidRequestException if the list or any item is {@code null}
   */
  public static List<NewWorkUnit> copyOfBatch(List<NewWorkUnit> units) {
    if (units == null) {
      throw new InvalidRequestException("the list of work units to add is missing");
    }
    for (int i = 0; i < units.size(); i++) {
      if (units.get(i) == null) {
        throw new InvalidRequestException("work unit " + i + " of the batch is missing");
      }
    }
    return List.copyOf(units);
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
