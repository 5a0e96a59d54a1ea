package io.coordinate.api.conformance;

import static io.coordinate.api.WorkUnitStatus.AVAILABLE;
import static io.coordinate.api.WorkUnitStatus.DELAYED;
import static io.coordinate.api.WorkUnitStatus.FAILED;
import static io.coordinate.api.WorkUnitStatus.FINISHED;
import static io.coordinate.api.WorkUnitStatus.PENDING;
import static io.coordinate.api.conformance.KitSupport.addUnit;
import static io.coordinate.api.conformance.KitSupport.addUnits;
import static io.coordinate.api.conformance.KitSupport.assertGone;
import static io.coordinate.api.conformance.KitSupport.bytesKey;
import static io.coordinate.api.conformance.KitSupport.counts;
import static io.coordinate.api.conformance.KitSupport.expectCounts;
import static io.coordinate.api.conformance.KitSupport.key;
import static io.coordinate.api.conformance.KitSupport.keyNames;
import static io.coordinate.api.conformance.KitSupport.keysOf;
import static io.coordinate.api.conformance.KitSupport.leaseAllOneByOne;
import static io.coordinate.api.conformance.KitSupport.leaseKeysOneByOne;
import static io.coordinate.api.conformance.KitSupport.leaseOne;
import static io.coordinate.api.conformance.KitSupport.map;
import static io.coordinate.api.conformance.KitSupport.spec;
import static io.coordinate.api.conformance.KitSupport.unitKey;
import static io.coordinate.api.conformance.KitSupport.unitName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.coordinate.api.NotPendingException;
import io.coordinate.api.LostLeaseException;
import io.coordinate.api.Attempt;
import io.coordinate.api.AttemptRequest;
import io.coordinate.api.AttemptStatus;
import io.coordinate.api.InvalidRequestException;
import io.coordinate.api.NewWorkUnit;
import io.coordinate.api.NoSuchWorkUnitException;
import io.coordinate.api.WorkSpec;
import io.coordinate.api.WorkUnit;
import io.coordinate.api.WorkUnitKey;
import io.coordinate.api.WorkUnitMeta;
import io.coordinate.api.WorkUnitQuery;
import io.coordinate.api.Worker;
import io.coordinate.api.data.ByteString;
import io.coordinate.api.data.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Work units (SPEC §2–3): adding and replacing them, data round-trips of every value type, byte
 * keys and their unsigned order, every {@link WorkUnitQuery} feature, exact counts driven by the
 * clock, priorities and the lease order they give, deletion by every query form, and the gone
 * rule for deleted units and their attempts.
 */
public interface WorkUnitContract extends KitFixture {

  /**
   * A spec "s" with one unit in each status: "avail", "delayed" (one hour), "fail", "fin" and
   * "pend" (held by worker "w").
   */
  private WorkSpec fiveStatuses() {
    WorkSpec s = spec(namespace(), "s");
    addUnit(s, "avail");
    s.addWorkUnit(key("delayed"), Map.of(), delayedBy(Duration.ofHours(1)));
    Worker w = namespace().worker("w");
    Duration lease = Duration.ofMinutes(5);
    w.makeAttempt(addUnit(s, "fail"), lease).fail(null);
    w.makeAttempt(addUnit(s, "fin"), lease).finish(null);
    w.makeAttempt(addUnit(s, "pend"), lease);
    return s;
  }

  /** Default priority, not before now + {@code delay}. */
  private WorkUnitMeta delayedBy(Duration delay) {
    return WorkUnitMeta.DEFAULT.withNotBefore(clock().instant().plus(delay));
  }

  // ---------------------------------------------------------------- adding and reading

  @Test
  default void unitAddReturnsAnAvailableUnitWithItsKeyDataAndMeta() {
    WorkSpec s = spec(namespace(), "s");
    WorkUnit u = s.addWorkUnit(key("a"), Map.of("v", 1L), WorkUnitMeta.DEFAULT);
    assertThat(u.key()).isEqualTo(key("a"));
    assertThat(u.workSpec().name()).isEqualTo("s");
    assertThat(u.data()).isEqualTo(Map.of("v", 1L));
    assertThat(u.status()).isEqualTo(AVAILABLE);
    assertThat(u.meta()).isEqualTo(WorkUnitMeta.DEFAULT);
    assertThat(u.priority()).isZero();
    WorkUnit found = s.workUnit(key("a"));
    assertThat(found.key()).isEqualTo(key("a"));
    assertThat(found.data()).isEqualTo(Map.of("v", 1L));
  }

  @Test
  default void unitAddWithPriorityAndDelayKeepsTheMeta() {
    WorkSpec s = spec(namespace(), "s");
    Instant later = clock().instant().plus(Duration.ofMinutes(30));
    s.addWorkUnit(key("a"), Map.of(), new WorkUnitMeta(2.5, later));
    s.addWorkUnit(key("b"), Map.of(), WorkUnitMeta.ofPriority(-4));
    WorkUnit a = s.workUnit(key("a"));
    assertThat(a.meta()).isEqualTo(new WorkUnitMeta(2.5, later));
    assertThat(a.status()).isEqualTo(DELAYED);
    assertThat(s.workUnit(key("b")).priority()).isEqualTo(-4.0);
    assertThat(s.workUnit(key("b")).meta().notBefore()).isNull();
  }

  @Test
  default void unitMissingKeyThrowsNoSuchWorkUnit() {
    WorkSpec s = spec(namespace(), "s");
    addUnit(s, "present");
    assertThatThrownBy(() -> s.workUnit(key("absent")))
        .isInstanceOfSatisfying(
            NoSuchWorkUnitException.class,
            e -> {
              assertThat(e.key()).isEqualTo(key("absent"));
              assertThat(e.workSpecName()).isEqualTo("s");
            });
    assertThat(keyNames(s, WorkUnitQuery.all())).containsExactly("present");
  }

  @Test
  default void unitFreshHasNoActiveAttemptOrHistory() {
    WorkUnit u = addUnit(spec(namespace(), "s"), "a");
    assertThat(u.activeAttempt()).isEmpty();
    assertThat(u.attempts()).isEmpty();
  }

  @Test
  default void unitHandlesReadTheCurrentState() {
    WorkSpec s = spec(namespace(), "s");
    WorkUnit early = addUnit(s, "a");
    List<WorkUnit> listed = s.workUnits(WorkUnitQuery.all());
    Attempt attempt = leaseOne(namespace(), "w");
    assertThat(early.status()).isEqualTo(PENDING);
    assertThat(listed.get(0).status()).isEqualTo(PENDING);
    attempt.finish(Map.of("done", true));
    assertThat(early.status()).isEqualTo(FINISHED);
    assertThat(early.data()).isEqualTo(Map.of("done", true));
  }

  @Test
  default void unitStatusFollowsFinishAndFail() {
    WorkSpec s = spec(namespace(), "s");
    addUnit(s, "a");
    addUnit(s, "b");
    Worker w = namespace().worker("w");
    leaseOne(w).finish(null);
    leaseOne(w).fail(null);
    assertThat(s.workUnit(key("a")).status()).isEqualTo(FINISHED);
    assertThat(s.workUnit(key("a")).activeAttempt().map(Attempt::status))
        .contains(AttemptStatus.FINISHED);
    assertThat(s.workUnit(key("b")).status()).isEqualTo(FAILED);
    assertThat(s.workUnit(key("b")).activeAttempt().map(Attempt::status))
        .contains(AttemptStatus.FAILED);
  }

  // ---------------------------------------------------------------- data round-trips

  /** Adds a unit with {@code data} and asserts it reads back equal through a fresh handle. */
  private void assertRoundTrip(Map<String, Object> data, Map<String, Object> expected) {
    WorkSpec s = spec(namespace(), "s");
    s.addWorkUnit(key("rt"), data, WorkUnitMeta.DEFAULT);
    assertThat(namespace().workSpec("s").workUnit(key("rt")).data()).isEqualTo(expected);
  }

  @Test
  default void unitDataRoundTripsScalars() {
    Map<String, Object> data =
        map(
            "null", null,
            "true", true,
            "false", false,
            "zero", 0L,
            "negative", -42L,
            "min", Long.MIN_VALUE,
            "max", Long.MAX_VALUE,
            "double", 3.25,
            "whole double", 2.0,
            "negative double", -0.5,
            "tiny", Double.MIN_VALUE,
            "huge", Double.MAX_VALUE);
    assertRoundTrip(data, data);
    Map<String, Object> got = namespace().workSpec("s").workUnit(key("rt")).data();
    assertThat(got).containsKey("null");
    // 2.0 stays a double, and integers stay integers.
    assertThat(got.get("whole double")).isInstanceOf(Double.class);
    assertThat(got.get("zero")).isInstanceOf(Long.class);
  }

  @Test
  default void unitDataRoundTripsTextAndBytes() {
    byte[] every = new byte[256];
    for (int i = 0; i < 256; i++) {
      every[i] = (byte) i;
    }
    Map<String, Object> data =
        map(
            "empty text", "",
            "text", "plain",
            "unicode", "ünïcødé ✓ 😀 漢字",
            "newline", "a\nb\tc",
            "empty bytes", ByteString.EMPTY,
            "every byte", ByteString.copyOf(every),
            "text-like bytes", ByteString.utf8("looks like text"));
    assertRoundTrip(data, data);
    Object bytes = namespace().workSpec("s").workUnit(key("rt")).data().get("text-like bytes");
    assertThat(bytes).isInstanceOf(ByteString.class);
  }

  @Test
  default void unitDataRoundTripsListsAndNestedMaps() {
    Map<String, Object> data =
        map(
            "list", List.of(1L, "two", 3.0, true),
            "empty list", List.of(),
            "nested lists", List.of(List.of(1L, 2L), List.of(), List.of(List.of("deep"))),
            "list with map", List.of(map("k", "v")),
            "map", map("a", map("b", map("c", List.of(1L)))),
            "empty map", map(),
            "list with null", Arrays.asList(1L, null, 3L));
    assertRoundTrip(data, data);
  }

  @Test
  default void unitDataKeepsTuplesDistinctFromLists() {
    Map<String, Object> data =
        map(
            "tuple", Tuple.of(1L, "x"),
            "empty tuple", Tuple.of(),
            "list of tuples", List.of(Tuple.of("k", 1L), Tuple.of("l", 2L)),
            "tuple of lists", Tuple.of(List.of(1L), Tuple.of(2L)),
            "list", List.of(1L, "x"));
    assertRoundTrip(data, data);
    Map<String, Object> got = namespace().workSpec("s").workUnit(key("rt")).data();
    assertThat(got.get("tuple")).isInstanceOf(Tuple.class).isNotInstanceOf(List.class);
    assertThat(got.get("list")).isInstanceOf(List.class).isNotInstanceOf(Tuple.class);
    assertThat(((List<?>) got.get("list of tuples")).get(0)).isInstanceOf(Tuple.class);
    assertThat(((Tuple) got.get("tuple of lists")).get(0)).isInstanceOf(List.class);
    assertThat(((Tuple) got.get("tuple of lists")).get(1)).isInstanceOf(Tuple.class);
  }

  @Test
  default void unitDataRoundTripsUuids() {
    UUID id = UUID.fromString("123e4567-e89b-12d3-a456-426614174000");
    Map<String, Object> data =
        map("id", id, "random", UUID.randomUUID(), "ids", List.of(id, new UUID(0, 0)));
    assertRoundTrip(data, data);
    assertThat(namespace().workSpec("s").workUnit(key("rt")).data().get("id"))
        .isInstanceOf(UUID.class);
  }

  @Test
  default void unitDataIsNormalized() {
    Map<String, Object> data =
        map(
            "int", 7,
            "short", (short) 8,
            "byte", (byte) 9,
            "float", 1.5f,
            "byte array", new byte[] {1, 2, (byte) 0xff},
            "nested", List.of(10, map("i", 11), Tuple.of(12)));
    Map<String, Object> expected =
        map(
            "int", 7L,
            "short", 8L,
            "byte", 9L,
            "float", 1.5,
            "byte array", ByteString.copyOf(new byte[] {1, 2, (byte) 0xff}),
            "nested", List.of(10L, map("i", 11L), Tuple.of(12L)));
    assertRoundTrip(data, expected);
  }

  @Test
  default void unitDataRoundTripsThroughEveryReadPath() {
    Map<String, Object> data =
        map(
            "n", null, "b", true, "l", 5L, "d", 0.25, "t", "text",
            "bytes", ByteString.copyOf(new byte[] {0, (byte) 0x80}),
            "list", List.of(1L, "x"), "map", map("k", List.of()),
            "tuple", Tuple.of("a", 1L), "uuid", new UUID(1, 2));
    WorkSpec s = spec(namespace(), "s");
    s.addWorkUnits(List.of(NewWorkUnit.of(key("k"), data)));
    assertThat(s.workUnit(key("k")).data()).isEqualTo(data);
    assertThat(s.workUnits(WorkUnitQuery.all()).get(0).data()).isEqualTo(data);
    assertThat(s.workUnits(WorkUnitQuery.keys(key("k"))).get(0).data()).isEqualTo(data);
    assertThat(s.workUnits(WorkUnitQuery.statuses(AVAILABLE)).get(0).data()).isEqualTo(data);
    Attempt attempt = leaseOne(namespace(), "w");
    assertThat(attempt.data()).isEqualTo(data);
  }

  @Test
  default void unitDataIsImmutable() {
    WorkUnit u =
        addUnit(spec(namespace(), "s"), "a", map("list", List.of(1L), "map", map("k", "v")));
    Map<String, Object> data = u.data();
    assertThatThrownBy(() -> data.put("x", 1L)).isInstanceOf(UnsupportedOperationException.class);
    @SuppressWarnings("unchecked")
    List<Object> list = (List<Object>) data.get("list");
    assertThatThrownBy(() -> list.add(2L)).isInstanceOf(UnsupportedOperationException.class);
    @SuppressWarnings("unchecked")
    Map<String, Object> inner = (Map<String, Object>) data.get("map");
    assertThatThrownBy(() -> inner.put("k2", "v2"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(u.data()).isEqualTo(map("list", List.of(1L), "map", map("k", "v")));
  }

  @Test
  default void unitDataIsCopiedOnAdd() {
    List<Object> list = new ArrayList<>(List.of(1L));
    Map<String, Object> data = map("list", list, "v", 1L);
    WorkSpec s = spec(namespace(), "s");
    addUnit(s, "a", data);
    data.put("v", 2L);
    data.put("extra", true);
    list.add(2L);
    assertThat(s.workUnit(key("a")).data()).isEqualTo(map("list", List.of(1L), "v", 1L));
  }

  @Test
  default void unitDataOfUnsupportedTypeIsRejected() {
    WorkSpec s = spec(namespace(), "s");
    assertThatThrownBy(() -> addUnit(s, "a", map("when", Instant.EPOCH)))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> addUnit(s, "a", map("deep", List.of(new StringBuilder("x")))))
        .isInstanceOf(InvalidRequestException.class);
    assertThat(s.countWorkUnitStatus().total()).isZero();
    assertThatThrownBy(() -> s.workUnit(key("a"))).isInstanceOf(NoSuchWorkUnitException.class);
  }

  @Test
  @SuppressWarnings({"unchecked", "rawtypes"})
  default void unitDataWithNonStringKeyIsRejected() {
    WorkSpec s = spec(namespace(), "s");
    Map<String, Object> topLevel = (Map) Map.of(1L, "x");
    assertThatThrownBy(() -> addUnit(s, "a", topLevel))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> addUnit(s, "b", map("inner", Map.of(2, "y"))))
        .isInstanceOf(InvalidRequestException.class);
    assertThat(s.workUnits(WorkUnitQuery.all())).isEmpty();
  }

  @Test
  default void unitDataNestedTooDeeplyIsRejected() {
    WorkSpec s = spec(namespace(), "s");
    Object deep = "bottom";
    for (int i = 0; i < 1_000; i++) {
      deep = List.of(deep);
    }
    Map<String, Object> data = map("deep", deep);
    assertThatThrownBy(() -> addUnit(s, "a", data)).isInstanceOf(InvalidRequestException.class);
    assertThat(s.countWorkUnitStatus().total()).isZero();
  }

  @Test
  default void unitReplaceWithBadDataKeepsTheOldUnit() {
    WorkSpec s = spec(namespace(), "s");
    s.addWorkUnit(key("a"), Map.of("v", 1L), WorkUnitMeta.ofPriority(2));
    assertThatThrownBy(
            () -> s.addWorkUnit(key("a"), map("bad", new Object()), WorkUnitMeta.ofPriority(5)))
        .isInstanceOf(InvalidRequestException.class);
    WorkUnit a = s.workUnit(key("a"));
    assertThat(a.data()).isEqualTo(Map.of("v", 1L));
    assertThat(a.priority()).isEqualTo(2.0);
  }

  @Test
  default void unitDataFollowsTheActiveAttemptsRecordedData() {
    WorkSpec s = spec(namespace(), "s");
    addUnit(s, "a", Map.of("in", 1L));
    addUnit(s, "b", Map.of("in", 2L));
    Worker w = namespace().worker("w");
    Map<String, Object> output = map("in", 1L, "output", List.of("x"), "result", 1L);
    leaseOne(w).finish(output);
    leaseOne(w).fail(Map.of("traceback", "boom"));
    assertThat(s.workUnit(key("a")).data()).isEqualTo(output);
    assertThat(s.workUnit(key("b")).data()).isEqualTo(Map.of("traceback", "boom"));
    // Adding the unit again forgets the finished attempt: its own data shows.
    addUnit(s, "a", Map.of("in", 3L));
    assertThat(s.workUnit(key("a")).data()).isEqualTo(Map.of("in", 3L));
  }

  // ---------------------------------------------------------------- keys

  @Test
  default void unitNonUtf8KeyRoundTrips() {
    WorkSpec s = spec(namespace(), "s");
    WorkUnitKey k = bytesKey(0xff, 0xfe, 0x00, 0x80);
    s.addWorkUnit(k, Map.of("v", 1L), WorkUnitMeta.DEFAULT);
    WorkUnit u = s.workUnit(bytesKey(0xff, 0xfe, 0x00, 0x80));
    assertThat(u.key().toByteArray()).containsExactly(0xff, 0xfe, 0x00, 0x80);
    assertThat(u.key().isUtf8()).isFalse();
    assertThat(u.data()).isEqualTo(Map.of("v", 1L));
    assertThat(keysOf(s.workUnits(WorkUnitQuery.all()))).containsExactly(k);
    assertThat(keysOf(s.workUnits(WorkUnitQuery.keys(k)))).containsExactly(k);
    Attempt attempt = leaseOne(namespace(), "w");
    assertThat(attempt.workUnit().key()).isEqualTo(k);
    attempt.finish(null);
    assertThat(s.workUnit(k).status()).isEqualTo(FINISHED);
  }

  @Test
  default void unitKeysAreOrderedUnsignedBytewise() {
    WorkSpec s = spec(namespace(), "s");
    List<WorkUnitKey> expected =
        List.of(
            bytesKey(0x00),
            bytesKey(0x01),
            key("Z"),
            key("a"),
            key("a\0"),
            key("ab"),
            key("b"),
            bytesKey(0x7f),
            bytesKey(0x80),
            key("é"),
            bytesKey(0xff),
            bytesKey(0xff, 0x00));
    List<WorkUnitKey> shuffled = new ArrayList<>(expected);
    Collections.shuffle(shuffled, new Random(7));
    for (WorkUnitKey k : shuffled) {
      s.addWorkUnit(k, Map.of(), WorkUnitMeta.DEFAULT);
    }
    assertThat(keysOf(s.workUnits(WorkUnitQuery.all()))).containsExactlyElementsOf(expected);
  }

  @Test
  default void unitKeysDifferingOnlyByATrailingNulAreDistinct() {
    WorkSpec s = spec(namespace(), "s");
    addUnit(s, "a", Map.of("v", 1L));
    addUnit(s, "a\0", Map.of("v", 2L));
    assertThat(s.countWorkUnitStatus().total()).isEqualTo(2);
    assertThat(s.workUnit(key("a")).data()).isEqualTo(Map.of("v", 1L));
    assertThat(s.workUnit(bytesKey(0x61, 0x00)).data()).isEqualTo(Map.of("v", 2L));
  }

  @Test
  default void unitTextKeyAndItsUtf8BytesAreTheSameUnit() {
    WorkSpec s = spec(namespace(), "s");
    addUnit(s, "é", Map.of("v", 1L));
    assertThat(s.workUnit(bytesKey(0xc3, 0xa9)).data()).isEqualTo(Map.of("v", 1L));
    s.addWorkUnit(bytesKey(0xc3, 0xa9), Map.of("v", 2L), WorkUnitMeta.DEFAULT);
    assertThat(s.countWorkUnitStatus().total()).isEqualTo(1);
    assertThat(s.workUnit(key("é")).data()).isEqualTo(Map.of("v", 2L));
  }

  @Test
  default void unitLeaseOrderUsesUnsignedKeyOrder() {
    WorkSpec s = spec(namespace(), "s");
    for (WorkUnitKey k : List.of(bytesKey(0xff), bytesKey(0x80), bytesKey(0x7f), key("A"))) {
      s.addWorkUnit(k, Map.of(), WorkUnitMeta.DEFAULT);
    }
    assertThat(leaseKeysOneByOne(namespace().worker("w")))
        .containsExactly(key("A"), bytesKey(0x7f), bytesKey(0x80), bytesKey(0xff));
  }

  // ---------------------------------------------------------------- queries

  @Test
  default void queryKeysSelectsExistingKeysInKeyOrder() {
    WorkSpec s = spec(namespace(), "s");
    for (String k : List.of("a", "b", "c", "d")) {
      addUnit(s, k);
    }
    assertThat(keyNames(s, WorkUnitQuery.keys(key("d"), key("zz"), key("b"))))
        .containsExactly("b", "d");
    assertThat(keyNames(s, WorkUnitQuery.keys(key("nope")))).isEmpty();
  }

  @Test
  default void queryEmptyKeyListSelectsNothing() {
    WorkSpec s = spec(namespace(), "s");
    addUnits(s, 3);
    assertThat(s.workUnits(WorkUnitQuery.all().withKeys(List.of()))).isEmpty();
  }

  @Test
  default void queryStatusesSelectEachStatus() {
    WorkSpec s = fiveStatuses();
    assertThat(keyNames(s, WorkUnitQuery.statuses(AVAILABLE))).containsExactly("avail");
    assertThat(keyNames(s, WorkUnitQuery.statuses(DELAYED))).containsExactly("delayed");
    assertThat(keyNames(s, WorkUnitQuery.statuses(FAILED))).containsExactly("fail");
    assertThat(keyNames(s, WorkUnitQuery.statuses(FINISHED))).containsExactly("fin");
    assertThat(keyNames(s, WorkUnitQuery.statuses(PENDING))).containsExactly("pend");
    assertThat(keyNames(s, WorkUnitQuery.all()))
        .containsExactly("avail", "delayed", "fail", "fin", "pend");
  }

  @Test
  default void queryStatusesCombine() {
    WorkSpec s = fiveStatuses();
    assertThat(keyNames(s, WorkUnitQuery.statuses(AVAILABLE, DELAYED)))
        .containsExactly("avail", "delayed");
    assertThat(keyNames(s, WorkUnitQuery.statuses(PENDING, FINISHED, FAILED)))
        .containsExactly("fail", "fin", "pend");
    assertThat(keyNames(s, WorkUnitQuery.statuses(AVAILABLE, DELAYED, FAILED, FINISHED, PENDING)))
        .hasSize(5);
  }

  @Test
  default void queryFromIsInclusive() {
    WorkSpec s = spec(namespace(), "s");
    addUnits(s, 10);
    assertThat(keyNames(s, WorkUnitQuery.all().withFrom(unitKey(3))))
        .containsExactly(
            unitName(3), unitName(4), unitName(5), unitName(6), unitName(7), unitName(8),
            unitName(9));
    // A bound between two keys starts at the next one.
    assertThat(keyNames(s, WorkUnitQuery.all().withFrom(key(unitName(7) + "x"))))
        .containsExactly(unitName(8), unitName(9));
    assertThat(s.workUnits(WorkUnitQuery.all().withFrom(key("v")))).isEmpty();
  }

  @Test
  default void queryAfterIsExclusive() {
    WorkSpec s = spec(namespace(), "s");
    addUnits(s, 10);
    assertThat(keyNames(s, WorkUnitQuery.all().withAfter(unitKey(6))))
        .containsExactly(unitName(7), unitName(8), unitName(9));
    assertThat(keyNames(s, WorkUnitQuery.all().withAfter(key(unitName(7) + "x"))))
        .containsExactly(unitName(8), unitName(9));
    assertThat(s.workUnits(WorkUnitQuery.all().withAfter(unitKey(9)))).isEmpty();
    assertThat(s.workUnits(WorkUnitQuery.all().withAfter(key("")))).hasSize(10);
  }

  @Test
  default void queryFromAndAfterTogetherUseTheStricterBound() {
    WorkSpec s = spec(namespace(), "s");
    addUnits(s, 10);
    assertThat(keyNames(s, WorkUnitQuery.all().withFrom(unitKey(2)).withAfter(unitKey(7))))
        .containsExactly(unitName(8), unitName(9));
    assertThat(keyNames(s, WorkUnitQuery.all().withFrom(unitKey(8)).withAfter(unitKey(2))))
        .containsExactly(unitName(8), unitName(9));
    assertThat(keyNames(s, WorkUnitQuery.all().withFrom(unitKey(8)).withAfter(unitKey(8))))
        .containsExactly(unitName(9));
  }

  @Test
  default void queryLimitTakesTheFirstInKeyOrder() {
    WorkSpec s = spec(namespace(), "s");
    addUnits(s, 10);
    assertThat(keyNames(s, WorkUnitQuery.all().withLimit(3)))
        .containsExactly(unitName(0), unitName(1), unitName(2));
    assertThat(s.workUnits(WorkUnitQuery.all().withLimit(0))).hasSize(10);
    assertThat(s.workUnits(WorkUnitQuery.all().withLimit(100))).hasSize(10);
    assertThat(keyNames(s, WorkUnitQuery.all().withFrom(unitKey(5)).withLimit(2)))
        .containsExactly(unitName(5), unitName(6));
  }

  @Test
  default void queryLimitAppliesAfterTheStatusFilter() {
    WorkSpec s = spec(namespace(), "s");
    addUnits(s, 10);
    Worker w = namespace().worker("w");
    for (int i = 0; i < 4; i++) {
      leaseOne(w);
    }
    assertThat(keyNames(s, WorkUnitQuery.statuses(AVAILABLE).withLimit(2)))
        .containsExactly(unitName(4), unitName(5));
    assertThat(keyNames(s, WorkUnitQuery.statuses(PENDING).withAfter(unitKey(1)).withLimit(5)))
        .containsExactly(unitName(2), unitName(3));
  }

  @Test
  default void queryKeysAndStatusesTogether() {
    WorkSpec s = fiveStatuses();
    WorkUnitQuery q =
        WorkUnitQuery.keys(key("avail"), key("fin"), key("pend"), key("missing"))
            .withStatuses(FINISHED, PENDING);
    assertThat(keyNames(s, q)).containsExactly("fin", "pend");
    assertThat(keyNames(s, q.withAfter(key("fin")))).containsExactly("pend");
    assertThat(keyNames(s, q.withLimit(1))).containsExactly("fin");
  }

  @Test
  default void queryKeyBoundsUseUnsignedOrder() {
    WorkSpec s = spec(namespace(), "s");
    for (WorkUnitKey k : List.of(bytesKey(0x7f), bytesKey(0x80), bytesKey(0xff))) {
      s.addWorkUnit(k, Map.of(), WorkUnitMeta.DEFAULT);
    }
    assertThat(keysOf(s.workUnits(WorkUnitQuery.all().withFrom(bytesKey(0x80)))))
        .containsExactly(bytesKey(0x80), bytesKey(0xff));
    assertThat(keysOf(s.workUnits(WorkUnitQuery.all().withAfter(bytesKey(0x7f)))))
        .containsExactly(bytesKey(0x80), bytesKey(0xff));
    assertThat(keysOf(s.workUnits(WorkUnitQuery.all().withAfter(bytesKey(0x80)))))
        .containsExactly(bytesKey(0xff));
    assertThat(keysOf(s.workUnits(WorkUnitQuery.all().withFrom(bytesKey(0x7f, 0x00)))))
        .containsExactly(bytesKey(0x80), bytesKey(0xff));
  }

  @Test
  default void queryPagesThroughAThousandUnits() {
    WorkSpec s = spec(namespace(), "s");
    List<WorkUnitKey> all = addUnits(s, 1_000);
    List<WorkUnitKey> seen = new ArrayList<>();
    WorkUnitKey after = null;
    int pages = 0;
    while (true) {
      List<WorkUnit> page = s.workUnits(WorkUnitQuery.all().withAfter(after).withLimit(100));
      if (page.isEmpty()) {
        break;
      }
      assertThat(page).hasSize(100);
      seen.addAll(keysOf(page));
      after = page.get(page.size() - 1).key();
      pages++;
      assertThat(pages).as("pages").isLessThanOrEqualTo(10);
    }
    assertThat(pages).isEqualTo(10);
    assertThat(seen).containsExactlyElementsOf(all);
  }

  @Test
  default void queryPagesFromAStartKeyWithAnUnevenPageSize() {
    WorkSpec s = spec(namespace(), "s");
    List<WorkUnitKey> all = addUnits(s, 1_000);
    List<WorkUnitKey> seen = new ArrayList<>();
    List<WorkUnit> page = s.workUnits(WorkUnitQuery.all().withFrom(unitKey(500)).withLimit(333));
    List<Integer> sizes = new ArrayList<>();
    while (!page.isEmpty()) {
      sizes.add(page.size());
      seen.addAll(keysOf(page));
      WorkUnitKey last = page.get(page.size() - 1).key();
      page = s.workUnits(WorkUnitQuery.all().withAfter(last).withLimit(333));
    }
    assertThat(sizes).containsExactly(333, 167);
    assertThat(seen).containsExactlyElementsOf(all.subList(500, 1_000));
  }

  @Test
  default void queryOnAnEmptySpecIsEmpty() {
    WorkSpec s = spec(namespace(), "s");
    assertThat(s.workUnits(WorkUnitQuery.all())).isEmpty();
    assertThat(s.workUnits(WorkUnitQuery.keys(key("a")))).isEmpty();
    assertThat(s.workUnits(WorkUnitQuery.statuses(AVAILABLE).withLimit(5))).isEmpty();
  }

  @Test
  default void querySeesExpiredLeasesAsAvailable() {
    WorkSpec s = spec(namespace(), "s");
    addUnit(s, "a");
    addUnit(s, "b");
    leaseOne(namespace().worker("w"), "s", Duration.ofSeconds(60));
    assertThat(keyNames(s, WorkUnitQuery.statuses(PENDING))).containsExactly("a");
    clock().advance(Duration.ofSeconds(61));
    assertThat(s.workUnits(WorkUnitQuery.statuses(PENDING))).isEmpty();
    assertThat(keyNames(s, WorkUnitQuery.statuses(AVAILABLE))).containsExactly("a", "b");
    WorkUnit a = s.workUnit(key("a"));
    assertThat(a.status()).isEqualTo(AVAILABLE);
    assertThat(a.activeAttempt().map(Attempt::status)).contains(AttemptStatus.EXPIRED);
  }

  // ---------------------------------------------------------------- counts

  @Test
  default void countOfAnEmptySpecIsZero() {
    WorkSpec s = spec(namespace(), "s");
    assertThat(s.countWorkUnitStatus().total()).isZero();
    assertThat(counts(s)).isEqualTo(expectCounts());
  }

  @Test
  default void countIsExactForEveryStatus() {
    WorkSpec s = fiveStatuses();
    addUnit(s, "avail2");
    assertThat(counts(s))
        .isEqualTo(
            expectCounts(AVAILABLE, 2, DELAYED, 1, FAILED, 1, FINISHED, 1, PENDING, 1));
    assertThat(s.countWorkUnitStatus().total()).isEqualTo(6);
  }

  @Test
  default void countDelayedUnitBecomesAvailableAtItsNotBefore() {
    WorkSpec s = spec(namespace(), "s");
    s.addWorkUnit(key("a"), Map.of(), delayedBy(Duration.ofHours(1)));
    assertThat(counts(s)).isEqualTo(expectCounts(DELAYED, 1));
    clock().advance(Duration.ofHours(1).minusSeconds(1));
    assertThat(counts(s)).isEqualTo(expectCounts(DELAYED, 1));
    assertThat(s.workUnit(key("a")).status()).isEqualTo(DELAYED);
    clock().advance(Duration.ofSeconds(1));
    assertThat(counts(s)).isEqualTo(expectCounts(AVAILABLE, 1));
    assertThat(s.workUnit(key("a")).status()).isEqualTo(AVAILABLE);
  }

  @Test
  default void countExpiredLeaseMakesTheUnitAvailableWithoutAnyWorker() {
    WorkSpec s = spec(namespace(), "s");
    addUnit(s, "a");
    Attempt attempt = leaseOne(namespace().worker("w"), "s", Duration.ofSeconds(60));
    assertThat(attempt.expirationTime()).isEqualTo(clock().instant().plusSeconds(60));
    clock().advance(Duration.ofSeconds(60));
    assertThat(counts(s)).as("at the expiration time").isEqualTo(expectCounts(PENDING, 1));
    clock().advance(Duration.ofMillis(1));
    assertThat(counts(s)).as("past the expiration time").isEqualTo(expectCounts(AVAILABLE, 1));
    assertThat(s.meta(true).pendingCount()).isZero();
    assertThat(namespace().worker("w").activeAttempts()).isEmpty();
  }

  @Test
  default void countRetryWithDelayIsDelayedThenAvailable() {
    WorkSpec s = spec(namespace(), "s");
    addUnit(s, "a");
    leaseOne(namespace(), "w").retry(null, Duration.ofMinutes(10));
    assertThat(counts(s)).isEqualTo(expectCounts(DELAYED, 1));
    assertThat(s.workUnit(key("a")).meta().notBefore())
        .isEqualTo(clock().instant().plus(Duration.ofMinutes(10)));
    assertThat(namespace().worker("w2").requestAttempts(AttemptRequest.one()))
        .isEmpty();
    clock().advance(Duration.ofMinutes(10).plusSeconds(1));
    assertThat(counts(s)).isEqualTo(expectCounts(AVAILABLE, 1));
    assertThat(leaseOne(namespace(), "w2").workUnit().key()).isEqualTo(key("a"));
  }

  @Test
  default void countIsExactForAThousandUnits() {
    WorkSpec s = spec(namespace(), "s");
    addUnits(s, 1_000);
    Worker w = namespace().worker("w");
    for (int i = 0; i < 10; i++) {
      Attempt a = leaseOne(w);
      if (i < 3) {
        a.finish(null);
      }
    }
    assertThat(counts(s)).isEqualTo(expectCounts(AVAILABLE, 990, PENDING, 7, FINISHED, 3));
    assertThat(s.countWorkUnitStatus().total()).isEqualTo(1_000);
  }

  // ---------------------------------------------------------------- replacing units

  @Test
  default void replaceAvailableUnitReplacesDataAndMeta() {
    WorkSpec s = spec(namespace(), "s");
    s.addWorkUnit(key("a"), Map.of("v", 1L), WorkUnitMeta.ofPriority(1));
    WorkUnit again = s.addWorkUnit(key("a"), Map.of("v", 2L), WorkUnitMeta.ofPriority(5));
    assertThat(again.data()).isEqualTo(Map.of("v", 2L));
    WorkUnit a = s.workUnit(key("a"));
    assertThat(a.data()).isEqualTo(Map.of("v", 2L));
    assertThat(a.priority()).isEqualTo(5.0);
    assertThat(a.status()).isEqualTo(AVAILABLE);
    assertThat(s.countWorkUnitStatus().total()).isEqualTo(1);
  }

  @Test
  default void replacePendingUnitQueuesItAgainAndTheLeaseIsLost() {
    WorkSpec s = spec(namespace(), "s");
    addUnit(s, "a", Map.of("v", 1L));
    Worker w = namespace().worker("w");
    Attempt attempt = leaseOne(w);
    s.addWorkUnit(key("a"), Map.of("v", 2L), WorkUnitMeta.ofPriority(3));
    WorkUnit a = s.workUnit(key("a"));
    // As with the Python daemon: re-adding a key queues the unit again with its new data.
    assertThat(a.status()).isEqualTo(AVAILABLE);
    assertThat(a.priority()).isEqualTo(3.0);
    assertThat(a.data()).isEqualTo(Map.of("v", 2L));
    assertThat(a.activeAttempt()).isEmpty();
    assertThat(a.attempts()).hasSize(1);
    assertThat(attempt.status()).isEqualTo(AttemptStatus.EXPIRED);
    assertThat(w.activeAttempts()).isEmpty();
    assertThatThrownBy(() -> attempt.finish(null)).isInstanceOf(NotPendingException.class);
    assertThatThrownBy(() -> attempt.renew(Duration.ofMinutes(1), null))
        .isInstanceOf(LostLeaseException.class);
    Attempt again = leaseOne(namespace(), "w2");
    assertThat(again.workUnit().key()).isEqualTo(key("a"));
    assertThat(again.data()).isEqualTo(Map.of("v", 2L));
  }

  @Test
  default void replaceRetriedUnitShowsTheNewData() {
    WorkSpec s = spec(namespace(), "s");
    addUnit(s, "a", Map.of("v", 1L));
    leaseOne(namespace(), "w").retry(Map.of("v", 1L, "note", "try again"), null);
    s.addWorkUnit(key("a"), Map.of("v", 2L), WorkUnitMeta.DEFAULT);
    WorkUnit a = s.workUnit(key("a"));
    assertThat(a.status()).isEqualTo(AVAILABLE);
    assertThat(a.data()).isEqualTo(Map.of("v", 2L));
  }

  @Test
  default void replaceFinishedUnitMakesItAvailableAndKeepsHistory() {
    WorkSpec s = spec(namespace(), "s");
    addUnit(s, "a", Map.of("v", 1L));
    Worker w = namespace().worker("w");
    leaseOne(w).finish(Map.of("output", "x"));
    s.addWorkUnit(key("a"), Map.of("v", 2L), WorkUnitMeta.DEFAULT);
    WorkUnit a = s.workUnit(key("a"));
    assertThat(a.status()).isEqualTo(AVAILABLE);
    assertThat(a.activeAttempt()).isEmpty();
    assertThat(a.attempts()).extracting(Attempt::status).containsExactly(AttemptStatus.FINISHED);
    assertThat(a.data()).isEqualTo(Map.of("v", 2L));
    assertThat(w.allAttempts()).hasSize(1);
    Attempt again = leaseOne(namespace(), "w2");
    assertThat(again.workUnit().key()).isEqualTo(key("a"));
    assertThat(again.data()).isEqualTo(Map.of("v", 2L));
  }

  @Test
  default void replaceFailedUnitMakesItAvailable() {
    WorkSpec s = spec(namespace(), "s");
    addUnit(s, "a", Map.of("v", 1L));
    leaseOne(namespace(), "w").fail(Map.of("traceback", "boom"));
    assertThat(s.workUnit(key("a")).status()).isEqualTo(FAILED);
    s.addWorkUnit(key("a"), Map.of("v", 2L), WorkUnitMeta.ofPriority(1));
    WorkUnit a = s.workUnit(key("a"));
    assertThat(a.status()).isEqualTo(AVAILABLE);
    assertThat(a.activeAttempt()).isEmpty();
    assertThat(a.attempts()).extracting(Attempt::status).containsExactly(AttemptStatus.FAILED);
    assertThat(a.data()).isEqualTo(Map.of("v", 2L));
    assertThat(counts(s)).isEqualTo(expectCounts(AVAILABLE, 1));
  }

  @Test
  default void replaceDelayedUnitWithoutDelayMakesItAvailable() {
    WorkSpec s = spec(namespace(), "s");
    s.addWorkUnit(key("a"), Map.of(), delayedBy(Duration.ofHours(1)));
    s.addWorkUnit(key("a"), Map.of(), WorkUnitMeta.DEFAULT);
    WorkUnit a = s.workUnit(key("a"));
    assertThat(a.status()).isEqualTo(AVAILABLE);
    assertThat(a.meta().notBefore()).isNull();
    // And the other way round: an available unit added again with a delay is delayed.
    s.addWorkUnit(key("a"), Map.of(), delayedBy(Duration.ofHours(1)));
    assertThat(s.workUnit(key("a")).status()).isEqualTo(DELAYED);
  }

  @Test
  default void replaceThroughAddWorkUnitsFollowsTheSameRules() {
    WorkSpec s = spec(namespace(), "s");
    addUnit(s, "a", Map.of("v", 1L));
    addUnit(s, "b", Map.of("v", 1L));
    leaseOne(namespace(), "w").finish(null);
    s.addWorkUnits(
        List.of(
            NewWorkUnit.of("a", Map.of("v", 2L)),
            NewWorkUnit.of("b", Map.of("v", 2L)),
            NewWorkUnit.of("c", Map.of("v", 2L))));
    assertThat(keyNames(s, WorkUnitQuery.all())).containsExactly("a", "b", "c");
    for (WorkUnit u : s.workUnits(WorkUnitQuery.all())) {
      assertThat(u.status()).as("status of %s", u.key()).isEqualTo(AVAILABLE);
      assertThat(u.data()).as("data of %s", u.key()).isEqualTo(Map.of("v", 2L));
    }
    assertThat(s.workUnit(key("a")).attempts()).hasSize(1);
  }

  // ---------------------------------------------------------------- addWorkUnits

  @Test
  default void addWorkUnitsAddsEveryUnitWithItsMeta() {
    WorkSpec s = spec(namespace(), "s");
    s.addWorkUnits(
        List.of(
            new NewWorkUnit(key("a"), Map.of("v", 1L), WorkUnitMeta.ofPriority(2)),
            new NewWorkUnit(key("b"), Map.of("v", 2L), delayedBy(Duration.ofMinutes(1))),
            NewWorkUnit.of(bytesKey(0xff), Map.of("v", 3L))));
    assertThat(counts(s)).isEqualTo(expectCounts(AVAILABLE, 2, DELAYED, 1));
    assertThat(s.workUnit(key("a")).priority()).isEqualTo(2.0);
    assertThat(s.workUnit(key("b")).status()).isEqualTo(DELAYED);
    assertThat(s.workUnit(bytesKey(0xff)).data()).isEqualTo(Map.of("v", 3L));
  }

  @Test
  default void addWorkUnitsWithAnEmptyListChangesNothing() {
    WorkSpec s = spec(namespace(), "s");
    addUnit(s, "a", Map.of("v", 1L));
    s.addWorkUnits(List.of());
    assertThat(keyNames(s, WorkUnitQuery.all())).containsExactly("a");
    assertThat(s.workUnit(key("a")).data()).isEqualTo(Map.of("v", 1L));
  }

  @Test
  default void addWorkUnitsWithANullItemAddsNothing() {
    WorkSpec s = spec(namespace(), "s");
    addUnit(s, "keep", Map.of("v", 1L));
    List<NewWorkUnit> batch =
        Arrays.asList(
            NewWorkUnit.of("a", Map.of()),
            NewWorkUnit.of("keep", Map.of("v", 2L)),
            null,
            NewWorkUnit.of("z", Map.of()));
    Throwable thrown = catchThrowable(() -> s.addWorkUnits(batch));
    // State first, so a wrong exception type does not hide a broken batch (or the reverse).
    assertThat(keyNames(s, WorkUnitQuery.all())).containsExactly("keep");
    assertThat(s.workUnit(key("keep")).data()).isEqualTo(Map.of("v", 1L));
    assertThat(thrown).isInstanceOf(InvalidRequestException.class);
  }

  /**
   * A batch large enough for a backend's bulk path (PostgreSQL copies batches of 64 and more):
   * every unit's key, data and meta arrive exactly, delayed and prioritized ones included.
   */
  @Test
  default void addWorkUnitsInALargeBatchKeepsEveryUnitExactly() {
    WorkSpec s = spec(namespace(), "s");
    List<NewWorkUnit> batch = new ArrayList<>();
    Instant later = clock().instant().plus(Duration.ofHours(1));
    for (int i = 0; i < 300; i++) {
      WorkUnitMeta meta =
          i % 3 == 0 ? WorkUnitMeta.DEFAULT : new WorkUnitMeta(i * 0.5, i % 3 == 1 ? null : later);
      batch.add(
          new NewWorkUnit(
              bytesKey(0x80, i >> 8, i & 0xff), Map.of("i", (long) i, "raw", ByteString.utf8("x")), meta));
    }
    s.addWorkUnits(batch);
    assertThat(counts(s)).isEqualTo(expectCounts(AVAILABLE, 200L, DELAYED, 100L));
    for (NewWorkUnit expected : List.of(batch.get(0), batch.get(1), batch.get(2), batch.get(299))) {
      WorkUnit u = s.workUnit(expected.key());
      assertThat(u.data()).isEqualTo(expected.data());
      assertThat(u.meta()).isEqualTo(expected.meta());
    }
  }

  /**
   * A large batch in which some keys exist (one leased, one finished) and one key comes twice:
   * the new keys are added, the existing ones queued again with their new data (the lease is
   * lost), the repeated key takes its last data, all in one call.
   */
  @Test
  default void addWorkUnitsInALargeBatchWithExistingKeysQueuesThemAgain() {
    WorkSpec s = spec(namespace(), "s");
    addUnit(s, "u000", Map.of("v", 0L));
    addUnit(s, "u001", Map.of("v", 0L));
    Attempt done = leaseOne(namespace(), "w");
    done.finish(null);
    Attempt leased = leaseOne(namespace(), "w");
    List<NewWorkUnit> batch = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      batch.add(NewWorkUnit.of(String.format("u%03d", i), Map.of("v", 1L)));
    }
    batch.add(NewWorkUnit.of("u150", Map.of("v", 2L)));
    s.addWorkUnits(batch);
    assertThat(counts(s)).isEqualTo(expectCounts(AVAILABLE, 200L));
    assertThat(s.workUnit(key("u000")).data()).isEqualTo(Map.of("v", 1L));
    assertThat(s.workUnit(key("u001")).data()).isEqualTo(Map.of("v", 1L));
    assertThat(s.workUnit(key("u150")).data()).isEqualTo(Map.of("v", 2L));
    assertThat(leased.status()).isEqualTo(AttemptStatus.EXPIRED);
    assertThat(done.status()).isEqualTo(AttemptStatus.FINISHED);
  }

  // ---------------------------------------------------------------- unit meta

  @Test
  default void unitSetMetaChangesPriorityAndDelay() {
    WorkSpec s = spec(namespace(), "s");
    WorkUnit u = addUnit(s, "a");
    Instant later = clock().instant().plus(Duration.ofHours(1));
    u.setMeta(new WorkUnitMeta(4.5, later));
    assertThat(u.meta()).isEqualTo(new WorkUnitMeta(4.5, later));
    assertThat(s.workUnit(key("a")).meta()).isEqualTo(new WorkUnitMeta(4.5, later));
    assertThat(u.status()).isEqualTo(DELAYED);
    assertThat(namespace().worker("w").requestAttempts(AttemptRequest.one()))
        .isEmpty();
  }

  @Test
  default void unitSetMetaWithoutNotBeforeEndsTheDelay() {
    WorkSpec s = spec(namespace(), "s");
    s.addWorkUnit(key("a"), Map.of(), delayedBy(Duration.ofHours(1)));
    WorkUnit u = s.workUnit(key("a"));
    u.setMeta(WorkUnitMeta.ofPriority(1));
    assertThat(u.status()).isEqualTo(AVAILABLE);
    assertThat(u.meta()).isEqualTo(WorkUnitMeta.ofPriority(1));
    assertThat(leaseOne(namespace(), "w").workUnit().key()).isEqualTo(key("a"));
  }

  @Test
  default void unitSetPriorityKeepsTheNotBefore() {
    WorkSpec s = spec(namespace(), "s");
    WorkUnitMeta delayed = delayedBy(Duration.ofHours(1));
    s.addWorkUnit(key("a"), Map.of(), delayed);
    WorkUnit u = s.workUnit(key("a"));
    u.setPriority(7);
    assertThat(u.priority()).isEqualTo(7.0);
    assertThat(u.meta().notBefore()).isEqualTo(delayed.notBefore());
    assertThat(u.status()).isEqualTo(DELAYED);
  }

  @Test
  default void unitDelayDoesNotAffectAPendingUnit() {
    WorkSpec s = spec(namespace(), "s");
    WorkUnit u = addUnit(s, "a");
    Attempt attempt = leaseOne(namespace(), "w");
    u.setMeta(delayedBy(Duration.ofHours(1)));
    assertThat(u.status()).isEqualTo(PENDING);
    attempt.finish(null);
    assertThat(u.status()).isEqualTo(FINISHED);
  }

  @Test
  default void unitDelayedUnitIsNotLeasedUntilItsTime() {
    WorkSpec s = spec(namespace(), "s");
    s.addWorkUnit(key("a"), Map.of(), delayedBy(Duration.ofHours(1)));
    addUnit(s, "b");
    Worker w = namespace().worker("w");
    assertThat(leaseOne(w).workUnit().key()).isEqualTo(key("b"));
    assertThat(w.requestAttempts(AttemptRequest.of(5))).isEmpty();
    clock().advance(Duration.ofHours(1));
    assertThat(leaseOne(w).workUnit().key()).isEqualTo(key("a"));
  }

  // ---------------------------------------------------------------- priorities

  @Test
  default void prioritySetByKeysCountsOnlyExistingUnits() {
    WorkSpec s = spec(namespace(), "s");
    for (String k : List.of("a", "b", "c")) {
      addUnit(s, k);
    }
    int changed =
        s.setWorkUnitPriorities(WorkUnitQuery.keys(key("a"), key("c"), key("missing")), 5);
    assertThat(changed).isEqualTo(2);
    assertThat(s.workUnit(key("a")).priority()).isEqualTo(5.0);
    assertThat(s.workUnit(key("b")).priority()).isZero();
    assertThat(s.workUnit(key("c")).priority()).isEqualTo(5.0);
  }

  @Test
  default void prioritySetByStatus() {
    WorkSpec s = fiveStatuses();
    assertThat(s.setWorkUnitPriorities(WorkUnitQuery.statuses(AVAILABLE, DELAYED), 3))
        .isEqualTo(2);
    assertThat(s.workUnit(key("avail")).priority()).isEqualTo(3.0);
    assertThat(s.workUnit(key("delayed")).priority()).isEqualTo(3.0);
    assertThat(s.workUnit(key("delayed")).status()).isEqualTo(DELAYED);
    for (String k : List.of("fail", "fin", "pend")) {
      assertThat(s.workUnit(key(k)).priority()).as("priority of %s", k).isZero();
    }
  }

  @Test
  default void priorityAdjustAddsToEachSelectedUnit() {
    WorkSpec s = spec(namespace(), "s");
    addUnit(s, "a", 1);
    addUnit(s, "b", -2);
    addUnit(s, "c", 0);
    assertThat(s.adjustWorkUnitPriorities(WorkUnitQuery.all(), 1.5)).isEqualTo(3);
    assertThat(s.workUnit(key("a")).priority()).isEqualTo(2.5);
    assertThat(s.workUnit(key("b")).priority()).isEqualTo(-0.5);
    assertThat(s.workUnit(key("c")).priority()).isEqualTo(1.5);
    assertThat(s.adjustWorkUnitPriorities(WorkUnitQuery.keys(key("b"), key("zz")), -1))
        .isEqualTo(1);
    assertThat(s.workUnit(key("b")).priority()).isEqualTo(-1.5);
  }

  @Test
  default void priorityQueriesHonourKeyBoundsAndLimit() {
    WorkSpec s = spec(namespace(), "s");
    addUnits(s, 10);
    WorkUnitQuery middle = WorkUnitQuery.all().withFrom(unitKey(5)).withLimit(3);
    assertThat(s.adjustWorkUnitPriorities(middle, 10)).isEqualTo(3);
    assertThat(s.setWorkUnitPriorities(WorkUnitQuery.all().withAfter(unitKey(8)), -1))
        .isEqualTo(1);
    List<Double> priorities = new ArrayList<>();
    for (WorkUnit u : s.workUnits(WorkUnitQuery.all())) {
      priorities.add(u.priority());
    }
    assertThat(priorities).containsExactly(0.0, 0.0, 0.0, 0.0, 0.0, 10.0, 10.0, 10.0, 0.0, -1.0);
  }

  @Test
  default void priorityChangesTheLeaseOrder() {
    WorkSpec s = spec(namespace(), "s");
    for (String k : List.of("a", "b", "c", "d")) {
      addUnit(s, k);
    }
    s.setWorkUnitPriorities(WorkUnitQuery.keys(key("c")), 10);
    s.adjustWorkUnitPriorities(WorkUnitQuery.keys(key("b")), 5);
    s.workUnit(key("d")).setPriority(-1);
    assertThat(leaseAllOneByOne(namespace().worker("w"))).containsExactly("c", "b", "a", "d");
  }

  @Test
  default void leaseOrderIsPriorityDescendingThenKeyAscending() {
    WorkSpec s = spec(namespace(), "s");
    addUnit(s, "b", 1);
    addUnit(s, "a", 1);
    addUnit(s, "c", 2);
    addUnit(s, "d", 0);
    addUnit(s, "e", -1);
    s.addWorkUnit(bytesKey(0x80), Map.of(), WorkUnitMeta.ofPriority(1));
    s.addWorkUnit(bytesKey(0x7f), Map.of(), WorkUnitMeta.ofPriority(1));
    s.addWorkUnit(key("f"), Map.of(), WorkUnitMeta.ofPriority(1.5));
    assertThat(leaseKeysOneByOne(namespace().worker("w")))
        .containsExactly(
            key("c"), key("f"), key("a"), key("b"), bytesKey(0x7f), bytesKey(0x80), key("d"),
            key("e"));
  }

  // ---------------------------------------------------------------- deleting units

  @Test
  default void deleteAllReturnsTheCount() {
    WorkSpec s = spec(namespace(), "s");
    addUnits(s, 5);
    assertThat(s.deleteWorkUnits(WorkUnitQuery.all())).isEqualTo(5);
    assertThat(s.workUnits(WorkUnitQuery.all())).isEmpty();
    assertThat(s.countWorkUnitStatus().total()).isZero();
    assertThat(namespace().workSpecNames()).containsExactly("s");
  }

  @Test
  default void deleteByKeysCountsOnlyExistingUnits() {
    WorkSpec s = spec(namespace(), "s");
    for (String k : List.of("a", "b", "c")) {
      addUnit(s, k);
    }
    assertThat(s.deleteWorkUnits(WorkUnitQuery.keys(key("a"), key("c"), key("zz"))))
        .isEqualTo(2);
    assertThat(keyNames(s, WorkUnitQuery.all())).containsExactly("b");
  }

  @Test
  default void deleteByStatus() {
    WorkSpec s = fiveStatuses();
    assertThat(s.deleteWorkUnits(WorkUnitQuery.statuses(FAILED))).isEqualTo(1);
    assertThat(keyNames(s, WorkUnitQuery.all()))
        .containsExactly("avail", "delayed", "fin", "pend");
    assertThat(s.deleteWorkUnits(WorkUnitQuery.statuses(FINISHED, DELAYED))).isEqualTo(2);
    assertThat(keyNames(s, WorkUnitQuery.all())).containsExactly("avail", "pend");
    assertThat(s.deleteWorkUnits(WorkUnitQuery.statuses(FAILED))).isZero();
  }

  @Test
  default void deleteByKeyBounds() {
    WorkSpec s = spec(namespace(), "s");
    addUnits(s, 10);
    assertThat(s.deleteWorkUnits(WorkUnitQuery.all().withFrom(unitKey(7)))).isEqualTo(3);
    assertThat(s.deleteWorkUnits(WorkUnitQuery.all().withAfter(unitKey(4)))).isEqualTo(2);
    assertThat(keyNames(s, WorkUnitQuery.all()))
        .containsExactly(unitName(0), unitName(1), unitName(2), unitName(3), unitName(4));
  }

  @Test
  default void deleteWithLimitDeletesTheFirstInKeyOrder() {
    WorkSpec s = spec(namespace(), "s");
    addUnits(s, 10);
    assertThat(s.deleteWorkUnits(WorkUnitQuery.all().withLimit(3))).isEqualTo(3);
    assertThat(s.workUnits(WorkUnitQuery.all().withLimit(1)).get(0).key()).isEqualTo(unitKey(3));
    assertThat(s.countWorkUnitStatus().total()).isEqualTo(7);
  }

  @Test
  default void deleteKeysAndStatusTogetherDeletesOnlyUnitsInBoth() {
    WorkSpec s = fiveStatuses();
    WorkUnitQuery q =
        WorkUnitQuery.keys(key("avail"), key("fin"), key("pend")).withStatuses(FINISHED);
    assertThat(s.deleteWorkUnits(q)).isEqualTo(1);
    assertThat(keyNames(s, WorkUnitQuery.all()))
        .containsExactly("avail", "delayed", "fail", "pend");
  }

  @Test
  default void deleteOnNothingReturnsZero() {
    WorkSpec s = spec(namespace(), "s");
    assertThat(s.deleteWorkUnits(WorkUnitQuery.all())).isZero();
    addUnit(s, "a");
    assertThat(s.deleteWorkUnits(WorkUnitQuery.keys(key("b")))).isZero();
    assertThat(s.deleteWorkUnits(WorkUnitQuery.statuses(PENDING))).isZero();
    assertThat(keyNames(s, WorkUnitQuery.all())).containsExactly("a");
  }

  @Test
  default void deleteByPendingStatusSkipsExpiredLeases() {
    WorkSpec s = spec(namespace(), "s");
    addUnit(s, "a");
    leaseOne(namespace().worker("w"), "s", Duration.ofSeconds(60));
    clock().advance(Duration.ofSeconds(61));
    assertThat(s.deleteWorkUnits(WorkUnitQuery.statuses(PENDING))).isZero();
    assertThat(s.deleteWorkUnits(WorkUnitQuery.statuses(AVAILABLE))).isEqualTo(1);
    assertThat(s.workUnits(WorkUnitQuery.all())).isEmpty();
  }

  @Test
  default void deletedUnitHandleIsGone() {
    WorkSpec s = spec(namespace(), "s");
    WorkUnit u = addUnit(s, "a");
    s.deleteWorkUnits(WorkUnitQuery.keys(key("a")));
    assertGone(
        "a deleted work unit",
        u::data,
        u::status,
        u::meta,
        u::activeAttempt,
        u::attempts,
        u::clearActiveAttempt,
        () -> u.setMeta(WorkUnitMeta.ofPriority(1)),
        () -> u.setPriority(2));
    assertThat(s.workUnits(WorkUnitQuery.all())).isEmpty();
  }

  @Test
  default void deletedUnitAttemptsAreGoneAndLeaveTheirWorkers() {
    WorkSpec s = spec(namespace(), "s");
    addUnit(s, "a");
    addUnit(s, "b");
    addUnit(s, "c");
    Worker w = namespace().worker("w");
    Attempt pending = leaseOne(w);
    Attempt finished = leaseOne(w);
    finished.finish(null);
    Attempt kept = leaseOne(w);
    assertThat(s.deleteWorkUnits(WorkUnitQuery.keys(key("a"), key("b")))).isEqualTo(2);
    assertGone(
        "attempts of deleted units",
        pending::status,
        pending::data,
        () -> pending.finish(null),
        () -> pending.renew(Duration.ofMinutes(1), null),
        finished::status);
    assertThat(w.activeAttempts()).hasSize(1);
    assertThat(w.activeAttempts().get(0).workUnit().key()).isEqualTo(key("c"));
    assertThat(w.allAttempts()).hasSize(1);
    kept.finish(null);
    assertThat(s.workUnit(key("c")).status()).isEqualTo(FINISHED);
  }

  @Test
  default void deletedUnitLookupThrowsNoSuchWorkUnit() {
    WorkSpec s = spec(namespace(), "s");
    addUnit(s, "a");
    s.deleteWorkUnits(WorkUnitQuery.all());
    assertThatThrownBy(() -> s.workUnit(key("a"))).isInstanceOf(NoSuchWorkUnitException.class);
    assertThat(s.workUnits(WorkUnitQuery.keys(key("a")))).isEmpty();
  }

  @Test
  default void deletedUnitAddedAgainIsFresh() {
    WorkSpec s = spec(namespace(), "s");
    addUnit(s, "a", Map.of("v", 1L));
    leaseOne(namespace(), "w").finish(Map.of("output", "x"));
    s.deleteWorkUnits(WorkUnitQuery.keys(key("a")));
    s.addWorkUnit(key("a"), Map.of("v", 2L), WorkUnitMeta.ofPriority(4));
    WorkUnit a = s.workUnit(key("a"));
    assertThat(a.status()).isEqualTo(AVAILABLE);
    assertThat(a.attempts()).isEmpty();
    assertThat(a.activeAttempt()).isEmpty();
    assertThat(a.data()).isEqualTo(Map.of("v", 2L));
    assertThat(a.priority()).isEqualTo(4.0);
    assertThat(namespace().worker("w").allAttempts()).isEmpty();
  }

  @Test
  default void deletedUnitsAreNotLeased() {
    WorkSpec s = spec(namespace(), "s");
    for (String k : List.of("a", "b", "c")) {
      addUnit(s, k);
    }
    s.deleteWorkUnits(WorkUnitQuery.keys(key("a")));
    assertThat(leaseAllOneByOne(namespace().worker("w"))).containsExactly("b", "c");
    assertThat(counts(s)).isEqualTo(expectCounts(PENDING, 2));
  }

  // ---------------------------------------------------------------- active attempt and history

  @Test
  default void clearActiveAttemptMakesAPendingUnitAvailable() {
    WorkSpec s = spec(namespace(), "s");
    WorkUnit u = addUnit(s, "a");
    leaseOne(namespace(), "w1");
    u.clearActiveAttempt();
    assertThat(u.status()).isEqualTo(AVAILABLE);
    assertThat(u.activeAttempt()).isEmpty();
    assertThat(u.attempts()).hasSize(1);
    assertThat(s.meta(true).availableCount()).isEqualTo(1);
    Attempt second = leaseOne(namespace(), "w2");
    assertThat(second.workUnit().key()).isEqualTo(key("a"));
    assertThat(u.status()).isEqualTo(PENDING);
    assertThat(u.activeAttempt().map(a -> a.worker().name())).contains("w2");
    assertThat(u.attempts()).hasSize(2);
  }

  @Test
  default void clearActiveAttemptMakesAFinishedUnitAvailableWithItsOwnData() {
    WorkSpec s = spec(namespace(), "s");
    WorkUnit u = addUnit(s, "a", Map.of("v", 1L));
    leaseOne(namespace(), "w").finish(Map.of("output", 1L));
    assertThat(u.data()).isEqualTo(Map.of("output", 1L));
    u.clearActiveAttempt();
    assertThat(u.status()).isEqualTo(AVAILABLE);
    assertThat(u.data()).isEqualTo(Map.of("v", 1L));
    assertThat(u.attempts()).extracting(Attempt::status).containsExactly(AttemptStatus.FINISHED);
  }

  @Test
  default void attemptsAreListedOldestFirst() {
    WorkSpec s = spec(namespace(), "s");
    WorkUnit u = addUnit(s, "a");
    leaseOne(namespace().worker("w1"), "s", Duration.ofSeconds(60));
    clock().advance(Duration.ofSeconds(61));
    leaseOne(namespace().worker("w2"), "s", Duration.ofSeconds(60));
    List<Attempt> history = u.attempts();
    assertThat(history).extracting(a -> a.worker().name()).containsExactly("w1", "w2");
    assertThat(history)
        .extracting(Attempt::status)
        .containsExactly(AttemptStatus.EXPIRED, AttemptStatus.PENDING);
    assertThat(history.get(0).startTime()).isBefore(history.get(1).startTime());
    assertThat(u.activeAttempt().map(a -> a.worker().name())).contains("w2");
  }
}
