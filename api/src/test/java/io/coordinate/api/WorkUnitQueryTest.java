package io.coordinate.api;

import static io.coordinate.api.WorkUnitStatus.AVAILABLE;
import static io.coordinate.api.WorkUnitStatus.DELAYED;
import static io.coordinate.api.WorkUnitStatus.FAILED;
import static io.coordinate.api.WorkUnitStatus.FINISHED;
import static io.coordinate.api.WorkUnitStatus.PENDING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link WorkUnitQuery}: key bounds, key list, status filter and limit. */
class WorkUnitQueryTest {
  private static WorkUnitKey k(String s) {
    return WorkUnitKey.of(s);
  }

  @Test
  void allMatchesEveryKeyAndStatus() {
    WorkUnitQuery q = WorkUnitQuery.all();
    assertThat(q.keys()).isNull();
    assertThat(q.statuses()).isEmpty();
    assertThat(q.from()).isNull();
    assertThat(q.after()).isNull();
    assertThat(q.limit()).isZero();
    assertThat(q.matchesKey(k(""))).isTrue();
    assertThat(q.matchesKey(WorkUnitKey.of(new byte[] {(byte) 0xff}))).isTrue();
    for (WorkUnitStatus s : WorkUnitStatus.values()) {
      assertThat(q.matchesStatus(s)).isTrue();
    }
  }

  @Test
  void fromIsInclusive() {
    WorkUnitQuery q = WorkUnitQuery.all().withFrom(k("b"));
    assertThat(q.matchesKey(k("a"))).isFalse();
    assertThat(q.matchesKey(k("az"))).isFalse();
    assertThat(q.matchesKey(k("b"))).isTrue();
    assertThat(q.matchesKey(k("b0"))).isTrue();
    assertThat(q.matchesKey(k("c"))).isTrue();
  }

  @Test
  void afterIsExclusive() {
    WorkUnitQuery q = WorkUnitQuery.all().withAfter(k("b"));
    assertThat(q.matchesKey(k("a"))).isFalse();
    assertThat(q.matchesKey(k("b"))).isFalse();
    assertThat(q.matchesKey(k("b\u0000"))).isTrue();
    assertThat(q.matchesKey(k("c"))).isTrue();
  }

  @Test
  void fromAndAfterTogetherBothApply() {
    WorkUnitQuery q = WorkUnitQuery.all().withFrom(k("b")).withAfter(k("d"));
    assertThat(q.matchesKey(k("c"))).isFalse();
    assertThat(q.matchesKey(k("d"))).isFalse();
    assertThat(q.matchesKey(k("e"))).isTrue();
  }

  @Test
  void boundsCompareUnsignedBytes() {
    // 0x80 sorts after 0x7f: a signed comparison would get this wrong.
    WorkUnitQuery q = WorkUnitQuery.all().withFrom(WorkUnitKey.of(new byte[] {0x7f}));
    assertThat(q.matchesKey(WorkUnitKey.of(new byte[] {(byte) 0x80}))).isTrue();
    assertThat(q.matchesKey(WorkUnitKey.of(new byte[] {0x10}))).isFalse();
  }

  @Test
  void keysFilterMatchesOnlyTheNamedKeysByContent() {
    WorkUnitQuery q = WorkUnitQuery.keys(k("a"), k("c"));
    assertThat(q.keys()).containsExactly(k("a"), k("c"));
    assertThat(q.matchesKey(k("a"))).isTrue();
    assertThat(q.matchesKey(WorkUnitKey.of(new byte[] {'c'}))).isTrue();
    assertThat(q.matchesKey(k("b"))).isFalse();
  }

  @Test
  void emptyKeyListMatchesNothingWhileNullMatchesEverything() {
    assertThat(WorkUnitQuery.all().withKeys(List.of()).matchesKey(k("a"))).isFalse();
    assertThat(WorkUnitQuery.keys(k("a")).withKeys(null).matchesKey(k("zzz"))).isTrue();
  }

  @Test
  void keysAndBoundsCombine() {
    WorkUnitQuery q = WorkUnitQuery.keys(k("a"), k("c")).withAfter(k("a"));
    assertThat(q.matchesKey(k("a"))).isFalse();
    assertThat(q.matchesKey(k("c"))).isTrue();
  }

  @Test
  void keyListIsCopied() {
    List<WorkUnitKey> keys = new ArrayList<>(List.of(k("a")));
    WorkUnitQuery q = WorkUnitQuery.all().withKeys(keys);
    keys.add(k("b"));
    assertThat(q.matchesKey(k("b"))).isFalse();
    assertThatThrownBy(() -> q.keys().add(k("c")))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void statusFilterMatchesOnlyListedStatuses() {
    WorkUnitQuery q = WorkUnitQuery.statuses(FAILED, FINISHED);
    assertThat(q.statuses()).containsExactlyInAnyOrder(FAILED, FINISHED);
    assertThat(q.matchesStatus(FAILED)).isTrue();
    assertThat(q.matchesStatus(FINISHED)).isTrue();
    assertThat(q.matchesStatus(AVAILABLE)).isFalse();
    assertThat(q.matchesStatus(PENDING)).isFalse();
    assertThat(q.matchesStatus(DELAYED)).isFalse();
  }

  @Test
  void nullOrEmptyStatusesMeanAny() {
    assertThat(WorkUnitQuery.statuses(PENDING).withStatuses((Set<WorkUnitStatus>) null).statuses())
        .isEmpty();
    WorkUnitQuery q = WorkUnitQuery.statuses(PENDING).withStatuses(Set.of());
    assertThat(q.matchesStatus(FAILED)).isTrue();
  }

  @Test
  void statusSetIsCopied() {
    Set<WorkUnitStatus> given = EnumSet.of(PENDING);
    WorkUnitQuery q = WorkUnitQuery.all().withStatuses(given);
    given.add(FAILED);
    assertThat(q.matchesStatus(FAILED)).isFalse();
    assertThatThrownBy(() -> q.statuses().add(AVAILABLE))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void withersKeepTheOtherFields() {
    WorkUnitQuery q =
        WorkUnitQuery.keys(k("a"))
            .withStatuses(AVAILABLE)
            .withFrom(k("a"))
            .withAfter(k("0"))
            .withLimit(7);
    assertThat(q)
        .isEqualTo(new WorkUnitQuery(List.of(k("a")), Set.of(AVAILABLE), k("a"), k("0"), 7));
  }

  @Test
  void limitZeroIsUnlimitedAndPositiveIsKept() {
    assertThat(WorkUnitQuery.all().withLimit(0).limit()).isZero();
    assertThat(WorkUnitQuery.all().withLimit(1000).limit()).isEqualTo(1000);
  }

  @Test
  void negativeLimitIsRejected() {
    assertThatThrownBy(() -> WorkUnitQuery.all().withLimit(-1))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("limit");
  }
}
