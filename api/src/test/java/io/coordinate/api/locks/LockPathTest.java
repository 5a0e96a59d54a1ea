package io.coordinate.api.locks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coordinate.api.InvalidRequestException;
import io.coordinate.api.data.ByteString;
import io.coordinate.api.data.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The canonical form of lock paths that every backend compares: which labels are the same, and
 * keys whose byte order puts a path's descendants in one range.
 */
class LockPathTest {

  private static LockPath path(Object... labels) {
    return LockPath.of(Arrays.asList(labels));
  }

  @Test
  void keysAreSegmentsEachFollowedByASlash() {
    LockPath p = path("a", 1L);
    assertThat(p.segments()).hasSize(2);
    assertThat(p.key()).isEqualTo(p.segments().get(0) + "/" + p.segments().get(1) + "/");
    assertThat(p.key()).matches("[0-9a-f/]+");
    assertThat(p.ancestorKeys()).containsExactly(p.segments().get(0) + "/");
    assertThat(path("a").ancestorKeys()).isEmpty();
    assertThat(p.descendantBound()).isEqualTo(p.key().substring(0, p.key().length() - 1) + "0");
  }

  @Test
  void utf8BytesAreTheirTextAtEveryDepth() {
    assertThat(path(ByteString.utf8("é"))).isEqualTo(path("é"));
    assertThat(path(Tuple.of(ByteString.utf8("a"), List.of(ByteString.utf8("b")))))
        .isEqualTo(path(Tuple.of("a", List.of("b"))));
    assertThat(path(Map.of("k", ByteString.utf8("v")))).isEqualTo(path(Map.of("k", "v")));
    assertThat(path(ByteString.wrap(new byte[] {(byte) 0xff})))
        .isNotEqualTo(path("\ufffd"))
        .isNotEqualTo(path(ByteString.wrap(new byte[] {(byte) 0xfe})));
    assertThat(path("\ud800")).as("a lone surrogate").isNotEqualTo(path("?"));
  }

  @Test
  void labelsAreTheirNormalizedValue() {
    assertThat(path(1)).isEqualTo(path(1L));
    assertThat(path(1.5f)).isEqualTo(path(1.5));
    assertThat(path((Object) "x".getBytes(StandardCharsets.UTF_8))).isEqualTo(path("x"));
    assertThat(path(1L)).isNotEqualTo(path(1.0));
    assertThat(path(0.0)).isNotEqualTo(path(-0.0));
    assertThat(path(Double.NaN)).isEqualTo(path(Double.longBitsToDouble(0x7ff8000000000001L)));
    assertThat(path(List.of("a"))).isNotEqualTo(path(Tuple.of("a")));
    assertThat(path((Object) null)).isNotEqualTo(path("")).isNotEqualTo(path(false));
    assertThat(path(List.of("ab", "c"))).isNotEqualTo(path(List.of("a", "bc")));
    assertThat(path(Map.of("a", 1L, "b", 2L))).isEqualTo(path(Map.of("b", 2L, "a", 1L)));
  }

  @Test
  void longLabelsAreHashedToAFixedLength() {
    String long1 = "x".repeat(10_000);
    LockPath p = path(long1);
    assertThat(p.segments().getFirst()).startsWith("ff").hasSize(34);
    assertThat(p).isEqualTo(path(ByteString.utf8(long1)));
    assertThat(p).isNotEqualTo(path(long1 + "y"));
    assertThat(path("short").segments().getFirst()).doesNotStartWith("ff");
    List<Object> deepest = new ArrayList<>();
    for (int i = 0; i < LockPath.MAX_DEPTH; i++) {
      deepest.add(long1 + i);
    }
    assertThat(LockPath.of(deepest).key().length())
        .as("the longest key whatever the labels")
        .isLessThanOrEqualTo(LockPath.MAX_DEPTH * (2 * LockPath.MAX_RAW_SEGMENT_BYTES + 1));
  }

  /** Over random paths of a small alphabet: descendant exactly when the key is in the range. */
  @Test
  void descendantsAreExactlyTheKeysInsideTheRange() {
    Random random = new Random(42);
    Object[] labels = {"a", "b", "ab", ByteString.utf8("a"), 0L, 1L, Tuple.of("a"), ""};
    List<List<Object>> paths = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      List<Object> p = new ArrayList<>();
      int depth = 1 + random.nextInt(4);
      for (int d = 0; d < depth; d++) {
        p.add(labels[random.nextInt(labels.length)]);
      }
      paths.add(p);
    }
    for (List<Object> p : paths) {
      LockPath lp = LockPath.of(p);
      for (List<Object> q : paths) {
        LockPath lq = LockPath.of(q);
        boolean descendant =
            q.size() > p.size() && LockPath.of(q.subList(0, p.size())).equals(lp);
        boolean inRange =
            lq.key().compareTo(lp.key()) > 0 && lq.key().compareTo(lp.descendantBound()) < 0;
        assertThat(inRange).as("%s under %s", q, p).isEqualTo(descendant);
        boolean ancestor = lp.ancestorKeys().contains(lq.key());
        assertThat(ancestor)
            .as("%s above %s", q, p)
            .isEqualTo(q.size() < p.size() && LockPath.of(p.subList(0, q.size())).equals(lq));
      }
    }
  }

  @Test
  void malformedPathsOwnersAndTimeoutsAreRefused() {
    assertThatThrownBy(() -> LockPath.of(null)).isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> LockPath.of(List.of()))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("at least one label");
    assertThatThrownBy(() -> LockPath.of(List.of(new Object())))
        .isInstanceOf(InvalidRequestException.class);
    List<Object> tooDeep = new ArrayList<>();
    for (int i = 0; i <= LockPath.MAX_DEPTH; i++) {
      tooDeep.add("l");
    }
    assertThatThrownBy(() -> LockPath.of(tooDeep))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("at most " + LockPath.MAX_DEPTH);
    assertThatThrownBy(() -> LockPath.all(null)).isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> LockPath.owner(null)).isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> LockPath.owner("o".repeat(LockPath.MAX_OWNER_LENGTH + 1)))
        .isInstanceOf(InvalidRequestException.class);
    String emoji = "\ud83d\ude00";
    assertThat(LockPath.owner(emoji.repeat(LockPath.MAX_OWNER_LENGTH)))
        .as("characters, not UTF-16 units")
        .hasSize(2 * LockPath.MAX_OWNER_LENGTH);
    assertThatThrownBy(() -> LockPath.timeout(null)).isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> LockPath.timeout(LockPath.MAX_TIMEOUT.plusSeconds(1)))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> LockPath.timeout(LockPath.MAX_TIMEOUT.negated().minusSeconds(1)))
        .isInstanceOf(InvalidRequestException.class);
    assertThat(LockPath.timeout(Duration.ofSeconds(-5))).isEqualTo(Duration.ofSeconds(-5));
  }
}
