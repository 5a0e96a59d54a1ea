package io.coordinate.api.chaining;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.coordinate.api.NewWorkUnit;
import io.coordinate.api.WorkUnitKey;
import io.coordinate.api.WorkUnitMeta;
import io.coordinate.api.data.ByteString;
import io.coordinate.api.data.Tuple;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link WorkUnitOutputs#parse}: the three output forms of SPEC §3 "Chaining". */
class WorkUnitOutputsTest {
  private static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");
  private static final double INHERITED = 2.5;

  private static List<NewWorkUnit> parse(Object output) {
    return WorkUnitOutputs.parse(output, INHERITED, NOW);
  }

  private static WorkUnitKey k(String s) {
    return WorkUnitKey.of(s);
  }

  /** A mutable list, since {@link List#of} rejects nulls. */
  private static List<Object> list(Object... items) {
    return new ArrayList<>(Arrays.asList(items));
  }

  private static Map<String, Object> map(Object... keysAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }

  @Nested
  class MapForm {
    @Test
    void eachEntryIsAUnitWithItsDataAndTheInheritedPriority() {
      List<NewWorkUnit> units =
          parse(map("a", Map.of("x", 1L), "b", Map.of("y", "z"), "c", Map.of()));

      assertThat(units)
          .extracting(NewWorkUnit::key, NewWorkUnit::data, NewWorkUnit::meta)
          .containsExactly(
              tuple(k("a"), Map.of("x", 1L), WorkUnitMeta.ofPriority(INHERITED)),
              tuple(k("b"), Map.of("y", "z"), WorkUnitMeta.ofPriority(INHERITED)),
              tuple(k("c"), Map.of(), WorkUnitMeta.ofPriority(INHERITED)));
    }

    @Test
    void nullDataIsAnEmptyMap() {
      assertThat(parse(map("a", null)))
          .singleElement()
          .satisfies(u -> assertThat(u.data()).isEmpty());
    }

    @Test
    void byteStringKeysKeepTheirBytes() {
      ByteString raw = ByteString.copyOf(new byte[] {(byte) 0xff, 0x00, 'k'});
      Map<Object, Object> output = new LinkedHashMap<>();
      output.put(raw, Map.of());
      output.put(ByteString.utf8("text"), Map.of());

      assertThat(parse(output))
          .extracting(NewWorkUnit::key)
          .containsExactly(new WorkUnitKey(raw), k("text"));
    }

    @Test
    void entriesWithUnusableKeysOrDataAreSkipped() {
      Map<Object, Object> output = new LinkedHashMap<>();
      output.put(5L, Map.of());
      output.put("not-a-map", "data");
      output.put("list-data", List.of(1L));
      output.put("good", Map.of("ok", true));

      assertThat(parse(output)).extracting(NewWorkUnit::key).containsExactly(k("good"));
    }

    @Test
    void emptyMapGivesNoUnits() {
      assertThat(parse(Map.of())).isEmpty();
    }
  }

  @Nested
  class KeyListForm {
    @Test
    void eachKeyIsAUnitWithEmptyDataAndTheInheritedPriority() {
      assertThat(parse(List.of("a", "b")))
          .extracting(NewWorkUnit::key, NewWorkUnit::data, NewWorkUnit::meta)
          .containsExactly(
              tuple(k("a"), Map.of(), WorkUnitMeta.ofPriority(INHERITED)),
              tuple(k("b"), Map.of(), WorkUnitMeta.ofPriority(INHERITED)));
    }

    @Test
    void nonUtf8ByteKeysArePreserved() {
      byte[] bytes = {(byte) 0xc3, (byte) 0x28, (byte) 0x80};
      List<NewWorkUnit> units = parse(List.of(ByteString.copyOf(bytes), "plain"));

      assertThat(units).extracting(NewWorkUnit::key)
          .containsExactly(WorkUnitKey.of(bytes), k("plain"));
      assertThat(units.get(0).key().toByteArray()).containsExactly(bytes);
      assertThat(units.get(0).key().isUtf8()).isFalse();
    }

    @Test
    void aTupleOfKeysWorksLikeAList() {
      assertThat(parse(Tuple.of("a", ByteString.utf8("b"))))
          .extracting(NewWorkUnit::key)
          .containsExactly(k("a"), k("b"));
    }

    @Test
    void emptyStringIsAValidKey() {
      assertThat(parse(List.of(""))).extracting(NewWorkUnit::key).containsExactly(k(""));
    }
  }

  @Nested
  class ItemListForm {
    @Test
    void keyAndData() {
      assertThat(parse(List.of(List.of("a", Map.of("x", 1L)))))
          .singleElement()
          .satisfies(
              u -> {
                assertThat(u.key()).isEqualTo(k("a"));
                assertThat(u.data()).isEqualTo(Map.of("x", 1L));
                assertThat(u.meta()).isEqualTo(WorkUnitMeta.ofPriority(INHERITED));
              });
    }

    @Test
    void tuplesWorkLikeLists() {
      List<NewWorkUnit> fromTuples =
          parse(Tuple.of(Tuple.of("a", Map.of("x", 1L), Map.of("priority", 9L))));
      List<NewWorkUnit> fromLists = parse(List.of(List.of("a", Map.of("x", 1L),
          Map.of("priority", 9L))));
      assertThat(fromTuples).isEqualTo(fromLists).hasSize(1);
      assertThat(fromTuples.get(0).meta().priority()).isEqualTo(9.0);
    }

    @Test
    void byteStringKeyInAnItem() {
      ByteString raw = ByteString.copyOf(new byte[] {(byte) 0x80, 0x01});
      assertThat(parse(List.of(Tuple.of(raw, Map.of()))))
          .extracting(NewWorkUnit::key)
          .containsExactly(new WorkUnitKey(raw));
    }

    @Test
    void metaPriorityOverridesTheInheritedOne() {
      assertThat(parse(List.of(List.of("a", Map.of(), Map.of("priority", 7L)))))
          .singleElement()
          .extracting(u -> u.meta().priority())
          .isEqualTo(7.0);
      assertThat(parse(List.of(List.of("a", Map.of(), Map.of("priority", -0.5)))))
          .singleElement()
          .extracting(u -> u.meta().priority())
          .isEqualTo(-0.5);
    }

    @Test
    void metaWithoutPriorityInherits() {
      assertThat(parse(List.of(List.of("a", Map.of(), Map.of("other", 1L)))))
          .singleElement()
          .extracting(u -> u.meta().priority())
          .isEqualTo(INHERITED);
    }

    @Test
    void nullMetaAndNullPriorityCountAsAbsent() {
      assertThat(parse(List.of(list("a", Map.of(), null, null))))
          .singleElement()
          .extracting(NewWorkUnit::meta)
          .isEqualTo(WorkUnitMeta.ofPriority(INHERITED));
      assertThat(parse(List.of(list("a", Map.of(), map("priority", null, "delay", null)))))
          .singleElement()
          .extracting(NewWorkUnit::meta)
          .isEqualTo(WorkUnitMeta.ofPriority(INHERITED));
    }

    @Test
    void explicitFourthElementOverridesMetaPriority() {
      assertThat(parse(List.of(List.of("a", Map.of(), Map.of("priority", 7L), 3L))))
          .singleElement()
          .extracting(u -> u.meta().priority())
          .isEqualTo(3.0);
    }

    @Test
    void explicitPriorityMayBeIntOrFloat() {
      List<NewWorkUnit> units =
          parse(
              List.of(
                  list("int", Map.of(), null, 4L),
                  list("float", Map.of(), null, 4.75),
                  list("small-int", Map.of(), Map.of(), 2),
                  list("big", Map.of(), Map.of(), BigInteger.TEN)));
      assertThat(units)
          .extracting(NewWorkUnit::key, u -> u.meta().priority())
          .containsExactly(
              tuple(k("int"), 4.0),
              tuple(k("float"), 4.75),
              tuple(k("small-int"), 2.0),
              tuple(k("big"), 10.0));
    }

    @Test
    void explicitPriorityOverridesInheritedWithoutMeta() {
      assertThat(parse(List.of(list("a", Map.of(), null, -1L))))
          .singleElement()
          .extracting(u -> u.meta().priority())
          .isEqualTo(-1.0);
    }

    @Test
    void delayBecomesANotBeforeTime() {
      assertThat(parse(List.of(List.of("a", Map.of(), Map.of("delay", 90L)))))
          .singleElement()
          .extracting(u -> u.meta().notBefore())
          .isEqualTo(NOW.plusSeconds(90));
      assertThat(parse(List.of(List.of("a", Map.of(), Map.of("delay", 1.5)))))
          .singleElement()
          .extracting(u -> u.meta().notBefore())
          .isEqualTo(NOW.plus(Duration.ofMillis(1500)));
    }

    @Test
    void delayAndPriorityTogether() {
      assertThat(parse(List.of(List.of("a", Map.of(), Map.of("delay", 10L, "priority", 4L)))))
          .singleElement()
          .extracting(NewWorkUnit::meta)
          .isEqualTo(new WorkUnitMeta(4.0, NOW.plusSeconds(10)));
    }

    @Test
    void zeroOrNegativeDelayMeansNoDelay() {
      assertThat(parse(List.of(
              List.of("zero", Map.of(), Map.of("delay", 0L)),
              List.of("negative", Map.of(), Map.of("delay", -30.0)))))
          .extracting(u -> u.meta().notBefore())
          .containsExactly(null, null);
    }

    @Test
    void absurdDelaySaturatesInsteadOfFailing() {
      assertThat(parse(List.of(List.of("a", Map.of(), Map.of("delay", 1e300)))))
          .singleElement()
          .extracting(u -> u.meta().notBefore())
          .satisfies(t -> assertThat(t).isAfter(NOW.plus(Duration.ofDays(365L * 200))));
    }

    @Test
    void metaKeysMayBeByteStrings() {
      Map<Object, Object> meta = new HashMap<>();
      meta.put(ByteString.utf8("priority"), 6L);
      meta.put(ByteString.utf8("delay"), 5L);
      assertThat(parse(List.of(List.of("a", Map.of(), meta))))
          .singleElement()
          .extracting(NewWorkUnit::meta)
          .isEqualTo(new WorkUnitMeta(6.0, NOW.plusSeconds(5)));
    }

    @Test
    void sortedMetaMapIsReadWithoutClassCastTrouble() {
      Map<String, Object> meta = new TreeMap<>(Map.of("priority", 1L));
      assertThat(parse(List.of(List.of("a", Map.of(), meta))))
          .singleElement()
          .extracting(u -> u.meta().priority())
          .isEqualTo(1.0);
    }

    @Test
    void dataIsCopiedAndNormalized() {
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("n", 3); // Integer widens to Long
      data.put("b", new byte[] {1, 2});
      List<NewWorkUnit> units = parse(List.of(List.of("a", data)));
      data.put("later", 1L);

      assertThat(units.get(0).data())
          .containsExactly(
              Map.entry("n", 3L), Map.entry("b", ByteString.copyOf(new byte[] {1, 2})));
    }

    @Test
    void mixedFormsInOneList() {
      ByteString raw = ByteString.utf8("bytes");
      List<NewWorkUnit> units =
          parse(
              List.of(
                  "plain",
                  raw,
                  List.of("listed", Map.of("x", 1L)),
                  Tuple.of("tupled", Map.of(), Map.of("priority", 1L))));
      assertThat(units)
          .extracting(NewWorkUnit::key, u -> u.meta().priority())
          .containsExactly(
              tuple(k("plain"), INHERITED),
              tuple(k("bytes"), INHERITED),
              tuple(k("listed"), INHERITED),
              tuple(k("tupled"), 1.0));
    }

    @Test
    void extraElementsBeyondTheFourthAreIgnored() {
      assertThat(parse(List.of(List.of("a", Map.of(), Map.of(), 1L, "extra"))))
          .singleElement()
          .extracting(u -> u.meta().priority())
          .isEqualTo(1.0);
    }
  }

  @Nested
  class Malformed {
    static List<Object> malformedItems() {
      Map<Object, Object> intKeyedData = new HashMap<>();
      intKeyedData.put(1L, "x");
      return List.of(
          5L,
          2.5,
          true,
          Map.of("key", "a"),
          UUID.fromString("00000000-0000-0000-0000-000000000001"),
          List.of(),
          List.of("only-key"),
          Tuple.of("only-key"),
          List.of(5L, Map.of()),
          list(null, Map.of()),
          List.of(List.of("nested"), Map.of()),
          List.of("a", "data-not-a-map"),
          List.of("a", List.of("x")),
          List.of("a", Map.of(), "meta-not-a-map"),
          List.of("a", Map.of(), List.of(1L)),
          List.of("a", Map.of(), Map.of("priority", "high")),
          List.of("a", Map.of(), Map.of("priority", Double.NaN)),
          List.of("a", Map.of(), Map.of("priority", true)),
          List.of("a", Map.of(), Map.of("delay", "soon")),
          List.of("a", Map.of(), Map.of(), "high"),
          List.of("a", Map.of(), Map.of(), Double.NaN),
          List.of("a", Map.of(), Map.of(), true),
          List.of("a", intKeyedData),
          List.of("a", Map.of("thread", new Object())));
    }

    @ParameterizedTest
    @MethodSource("malformedItems")
    void malformedItemIsSkippedWithoutAffectingItsNeighbours(Object item) {
      List<Object> output = list("before", item, List.of("after", Map.of("ok", true)));

      assertThat(parse(output))
          .extracting(NewWorkUnit::key)
          .containsExactly(k("before"), k("after"));
    }

    @Test
    void nullItemIsSkipped() {
      assertThat(parse(list("a", null, "b")))
          .extracting(NewWorkUnit::key)
          .containsExactly(k("a"), k("b"));
    }

    @ParameterizedTest
    @MethodSource("notAnOutput")
    void anythingButAMapListOrTupleGivesNoUnits(Object output) {
      assertThat(parse(output)).isEmpty();
    }

    static List<Object> notAnOutput() {
      return List.of(
          "a-string-is-not-a-list-of-keys",
          ByteString.utf8("bytes"),
          42L,
          3.5,
          true,
          UUID.fromString("00000000-0000-0000-0000-000000000002"),
          new Object());
    }

    @Test
    void nullOutputGivesNoUnits() {
      assertThat(parse(null)).isEmpty();
    }

    @Test
    void emptyListOrTupleGivesNoUnits() {
      assertThat(parse(List.of())).isEmpty();
      assertThat(parse(Tuple.of())).isEmpty();
    }
  }

  @Test
  void inheritedPriorityIsTheGivenOne() {
    assertThat(WorkUnitOutputs.parse(List.of("a"), -4.0, NOW))
        .singleElement()
        .extracting(u -> u.meta().priority())
        .isEqualTo(-4.0);
  }

  @Test
  void resultIsInOutputOrder() {
    assertThat(parse(List.of("c", "a", "b")))
        .extracting(NewWorkUnit::key)
        .containsExactly(k("c"), k("a"), k("b"));
  }
}
