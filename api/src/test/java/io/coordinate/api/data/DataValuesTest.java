package io.coordinate.api.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coordinate.api.InvalidRequestException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class DataValuesTest {
  @Test
  void widensSmallIntegersToLong() {
    assertThat(DataValues.copyValue(7)).isEqualTo(7L);
    assertThat(DataValues.copyValue((short) -3)).isEqualTo(-3L);
    assertThat(DataValues.copyValue((byte) 5)).isEqualTo(5L);
    assertThat(DataValues.copyValue(Long.MIN_VALUE)).isEqualTo(Long.MIN_VALUE);
  }

  @Test
  void keepsBigIntegersOnlyOutsideTheLongRange() {
    assertThat(DataValues.copyValue(BigInteger.valueOf(42))).isEqualTo(42L);
    assertThat(DataValues.copyValue(BigInteger.valueOf(Long.MAX_VALUE))).isEqualTo(Long.MAX_VALUE);
    BigInteger big = BigInteger.valueOf(Long.MAX_VALUE).add(BigInteger.ONE);
    assertThat(DataValues.copyValue(big)).isEqualTo(big);
    BigInteger small = BigInteger.valueOf(Long.MIN_VALUE).subtract(BigInteger.ONE);
    assertThat(DataValues.copyValue(small)).isEqualTo(small);
  }

  @Test
  void widensFloatToDouble() {
    assertThat(DataValues.copyValue(1.5f)).isEqualTo(1.5d);
    assertThat(DataValues.copyValue(Float.NaN)).isEqualTo(Double.NaN);
  }

  @Test
  void keepsDoublesIncludingNaNAndSignedZero() {
    assertThat(DataValues.copyValue(Double.NaN)).isEqualTo(Double.NaN);
    assertThat(DataValues.copyValue(-0.0d)).isEqualTo(-0.0d).isNotEqualTo(0.0d);
    // Lists compare items with Double.equals, under which NaN equals NaN.
    assertThat(DataValues.copyValue(List.of(Double.NaN))).isEqualTo(List.of(Double.NaN));
  }

  @Test
  void turnsByteArraysIntoByteStringCopies() {
    byte[] raw = {(byte) 0xff, 0};
    Object copy = DataValues.copyValue(raw);
    raw[0] = 1;
    assertThat(copy).isEqualTo(ByteString.copyOf(new byte[] {(byte) 0xff, 0}));
  }

  @Test
  void keepsScalarsThatAreAlreadyNormal() {
    UUID uuid = UUID.randomUUID();
    ByteString bytes = ByteString.utf8("x");
    assertThat(DataValues.copyValue(null)).isNull();
    assertThat(DataValues.copyValue(true)).isEqualTo(true);
    assertThat(DataValues.copyValue("text")).isEqualTo("text");
    assertThat(DataValues.copyValue(uuid)).isSameAs(uuid);
    assertThat(DataValues.copyValue(bytes)).isSameAs(bytes);
  }

  @Test
  void turnsByteStringKeysIntoNames() {
    Map<Object, Object> map = new LinkedHashMap<>();
    map.put(ByteString.utf8("module"), ByteString.utf8("coordinate.tests"));
    map.put("name", "spec");
    assertThat(DataValues.copyValue(map))
        .isEqualTo(Map.of("module", ByteString.utf8("coordinate.tests"), "name", "spec"));
  }

  @Test
  void normalizesInsideContainers() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("list", Arrays.asList(1, 2.5f, null, new byte[] {1}));
    map.put("tuple", Tuple.of(3, "x"));
    map.put("nested", Map.of("n", (short) 4));

    Map<String, Object> copy = DataValues.copyOf(map);

    assertThat(copy)
        .isEqualTo(
            Map.of(
                "list", Arrays.asList(1L, 2.5d, null, ByteString.copyOf(new byte[] {1})),
                "tuple", Tuple.of(3L, "x"),
                "nested", Map.of("n", 4L)));
    assertThat(copy.get("tuple")).isInstanceOf(Tuple.class);
    assertThat(copy.get("list")).isInstanceOf(List.class).isNotInstanceOf(Tuple.class);
  }

  @Test
  void keepsInsertionOrder() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("z", 1);
    map.put("a", 2);
    map.put("m", 3);
    assertThat(DataValues.copyOf(map).keySet()).containsExactly("z", "a", "m");
  }

  @Test
  void nullMapIsEmpty() {
    assertThat(DataValues.copyOf(null)).isEmpty();
  }

  @Test
  void copyIsDeeplyImmutable() {
    Map<String, Object> map = new HashMap<>();
    map.put("list", new ArrayList<>(List.of(1)));
    map.put("map", new HashMap<>(Map.of("k", 1)));
    map.put("tuple", Tuple.of(new ArrayList<>(List.of(1))));

    Map<String, Object> copy = DataValues.copyOf(map);

    assertThatThrownBy(() -> copy.put("new", 1)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> asList(copy.get("list")).add(2))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> asMap(copy.get("map")).put("k", 2))
        .isInstanceOf(UnsupportedOperationException.class);
    Tuple tuple = (Tuple) copy.get("tuple");
    assertThatThrownBy(() -> tuple.items().add(2))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> asList(tuple.get(0)).add(2))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void copyDoesNotFollowLaterChangesToTheOriginal() {
    List<Object> list = new ArrayList<>(List.of(1));
    Map<String, Object> map = new HashMap<>(Map.of("list", list));

    Map<String, Object> copy = DataValues.copyOf(map);
    list.add(2);
    map.put("other", 3);

    assertThat(copy).isEqualTo(Map.of("list", List.of(1L)));
  }

  @Test
  void rejectsUnsupportedTypes() {
    for (Object bad : List.of(new Date(0), new Object(), new BigDecimal("1.5"), new int[] {1}, 'c')) {
      assertThatThrownBy(() -> DataValues.copyValue(bad))
          .as("%s", bad.getClass())
          .isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("unsupported data value type");
    }
    assertThatThrownBy(() -> DataValues.copyOf(Map.of("when", new Date(0))))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> DataValues.copyValue(List.of(List.of(new Object()))))
        .isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void rejectsKeysThatAreNotStrings() {
    assertThatThrownBy(() -> DataValues.copyValue(Map.of(1, "one")))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("keys must be strings");
    Map<Object, Object> nullKey = new HashMap<>();
    nullKey.put(null, 1);
    assertThatThrownBy(() -> DataValues.copyValue(nullKey))
        .isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void acceptsNestingUpToTheLimit() {
    assertThat(DataValues.copyValue(nestedLists(DataValues.MAX_DEPTH + 1)))
        .isEqualTo(nestedLists(DataValues.MAX_DEPTH + 1));
  }

  @Test
  void rejectsNestingBeyondTheLimit() {
    assertThatThrownBy(() -> DataValues.copyValue(nestedLists(DataValues.MAX_DEPTH + 2)))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("deeper than " + DataValues.MAX_DEPTH);
  }

  @Test
  void rejectsACycleInsteadOfOverflowingTheStack() {
    List<Object> cycle = new ArrayList<>();
    cycle.add(cycle);
    assertThatThrownBy(() -> DataValues.copyValue(cycle))
        .isInstanceOf(InvalidRequestException.class);
  }

  /** {@code levels} lists, each the only item of the one outside it; the innermost is empty. */
  static Object nestedLists(int levels) {
    Object value = List.of();
    for (int i = 1; i < levels; i++) {
      value = List.of(value);
    }
    return value;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> asList(Object o) {
    return (List<Object>) o;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object o) {
    return (Map<String, Object>) o;
  }
}
