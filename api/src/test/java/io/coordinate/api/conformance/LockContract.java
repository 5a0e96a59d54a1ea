package io.coordinate.api.conformance;

import static io.coordinate.api.conformance.KitSupport.assertGone;
import static io.coordinate.api.conformance.KitSupportB.GROUP_TIMEOUT;
import static io.coordinate.api.conformance.KitSupportB.deadline;
import static io.coordinate.api.conformance.KitSupportB.runThreads;
import static io.coordinate.api.conformance.KitSupportB.timeLeft;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coordinate.api.InvalidRequestException;
import io.coordinate.api.Locks;
import io.coordinate.api.Locks.Refusal;
import io.coordinate.api.Namespace;
import io.coordinate.api.data.ByteString;
import io.coordinate.api.data.Tuple;
import io.coordinate.api.locks.LockPath;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The hierarchical advisory locks of a namespace ({@link Locks}): lockability (a path, its
 * ancestors and its descendants), no reentrance, all-or-nothing locking, renewing and unlocking,
 * expiry on the backend's clock, byte and text labels alike at every depth, deleting a tree, locks
 * per namespace and across processes sharing the store, argument checks, and real threads never
 * holding overlapping paths at once.
 */
public interface LockContract extends KitFixture {
  Duration TEN_SECONDS = Duration.ofSeconds(10);

  private Locks locks() {
    return namespace().locks();
  }

  /** A path of these labels (nulls allowed). */
  private static List<Object> path(Object... labels) {
    return Arrays.asList(labels);
  }

  private static List<List<Object>> paths(List<?>... paths) {
    List<List<Object>> out = new ArrayList<>();
    for (List<?> p : paths) {
      out.add(new ArrayList<>(p));
    }
    return out;
  }

  private static ByteString bytes(String text) {
    return ByteString.utf8(text);
  }

  private boolean lock(String owner, Duration timeout, List<?>... paths) {
    return locks().lockAll(owner, timeout, paths(paths)).isEmpty();
  }

  private List<String> owners(List<?>... paths) {
    return locks().owners(paths(paths));
  }

  private static List<String> nulls(int n) {
    return Collections.nCopies(n, null);
  }

  // ---------------------------------------------------------------- locking and reading

  @Test
  default void locksLockReadAndUnlock() {
    assertThat(locks().lockAll("o1", TEN_SECONDS, paths(path("a", "b")))).isEmpty();
    assertThat(owners(path("a", "b"), path("a"), path("a", "b", "c"), path("x")))
        .as("only the path itself has an owner")
        .containsExactly("o1", null, null, null);
    assertThat(locks().unlockAll("o1", paths(path("a", "b")))).isEmpty();
    assertThat(owners(path("a", "b"))).isEqualTo(nulls(1));
    assertThat(lock("o2", TEN_SECONDS, path("a"))).as("nothing is left under a").isTrue();
    assertThat(owners(path("a"))).containsExactly("o2");
  }

  @Test
  default void locksNoPathsIsASuccessThatChangesNothing() {
    assertThat(locks().lockAll("o1", TEN_SECONDS, List.of())).isEmpty();
    assertThat(locks().lockSome("o1", TEN_SECONDS, List.of())).isEmpty();
    assertThat(locks().renewAll("o1", TEN_SECONDS, List.of())).isEmpty();
    assertThat(locks().unlockAll("o1", List.of())).isEmpty();
    assertThat(locks().owners(List.of())).isEmpty();
  }

  @Test
  default void locksAreNotReentrant() {
    assertThat(lock("o1", TEN_SECONDS, path("a"))).isTrue();
    assertThat(locks().lockAll("o1", TEN_SECONDS, paths(path("a")))).hasValue(0);
    assertThat(locks().lockSome("o1", TEN_SECONDS, paths(path("a")))).containsExactly(false);
    assertThat(owners(path("a"))).containsExactly("o1");
  }

  @Test
  default void locksBlockAncestorsAndDescendantsButNotSiblings() {
    assertThat(lock("o1", TEN_SECONDS, path("a", "b"))).isTrue();
    assertThat(lock("o2", TEN_SECONDS, path("a"))).as("an ancestor").isFalse();
    assertThat(lock("o2", TEN_SECONDS, path("a", "b", "c"))).as("a descendant").isFalse();
    assertThat(lock("o2", TEN_SECONDS, path("a", "b", "c", "d"))).as("a deeper one").isFalse();
    assertThat(lock("o2", TEN_SECONDS, path("a", "c"))).as("a sibling").isTrue();
    assertThat(lock("o2", TEN_SECONDS, path("ab"))).as("a label that begins alike").isTrue();
    assertThat(lock("o2", TEN_SECONDS, path("b", "a", "b"))).as("elsewhere").isTrue();
    assertThat(owners(path("a", "b"), path("a", "c"), path("ab"), path("b", "a", "b")))
        .containsExactly("o1", "o2", "o2", "o2");
  }

  @Test
  default void locksLockAllIsAllOrNothing() {
    assertThat(lock("o1", TEN_SECONDS, path("a"))).isTrue();
    OptionalInt blocked =
        locks().lockAll("o2", TEN_SECONDS, paths(path("b"), path("c"), path("a", "x"), path("d")));
    assertThat(blocked).as("the index of the first path that cannot be locked").hasValue(2);
    assertThat(owners(path("b"), path("c"), path("a", "x"), path("d"))).isEqualTo(nulls(4));
    assertThat(lock("o3", TEN_SECONDS, path("b"), path("c"))).isTrue();
  }

  @Test
  default void locksLockAllChecksEachPathAgainstTheLocksHeldBeforeTheCall() {
    assertThat(lock("o1", TEN_SECONDS, path("a"), path("a", "b"), path("a"))).isTrue();
    assertThat(owners(path("a"), path("a", "b"))).containsExactly("o1", "o1");
    assertThat(locks().unlockAll("o1", paths(path("a")))).isEmpty();
    assertThat(owners(path("a"), path("a", "b")))
        .as("unlocking a leaves the lock under it")
        .containsExactly(null, "o1");
    assertThat(lock("o2", TEN_SECONDS, path("a"))).isFalse();
  }

  @Test
  default void locksLockSomeLocksWhatItCanInOrder() {
    assertThat(lock("o1", TEN_SECONDS, path("a"))).isTrue();
    boolean[] locked =
        locks()
            .lockSome(
                "o2",
                TEN_SECONDS,
                paths(path("a"), path("b"), path("b", "c"), path("c", "d"), path("c"), path("b")));
    assertThat(locked)
        .as("each path against the locks held before it, this call's included")
        .containsExactly(false, true, false, true, false, false);
    assertThat(owners(path("a"), path("b"), path("b", "c"), path("c", "d"), path("c")))
        .containsExactly("o1", "o2", null, "o2", null);
  }

  // ---------------------------------------------------------------- expiry

  @Test
  default void locksExpireWithTheClock() {
    assertThat(lock("o1", TEN_SECONDS, path("a", "b"))).isTrue();
    clock().advance(Duration.ofSeconds(9));
    assertThat(owners(path("a", "b"))).containsExactly("o1");
    assertThat(lock("o2", TEN_SECONDS, path("a"))).isFalse();
    clock().advance(Duration.ofSeconds(1));
    assertThat(owners(path("a", "b"))).as("at its deadline").isEqualTo(nulls(1));
    assertThat(lock("o2", TEN_SECONDS, path("a"))).as("an expired lock blocks nothing").isTrue();
    assertThat(owners(path("a"), path("a", "b"))).containsExactly("o2", null);
  }

  @Test
  default void locksWithATimeoutOfZeroOrLessHaveExpiredAlready() {
    assertThat(lock("o1", Duration.ofSeconds(-5), path("a"))).isTrue();
    assertThat(owners(path("a"))).isEqualTo(nulls(1));
    assertThat(lock("o2", Duration.ZERO, path("b"))).isTrue();
    assertThat(owners(path("b"))).isEqualTo(nulls(1));
    assertThat(lock("o3", TEN_SECONDS, path("a"), path("b"))).isTrue();
    assertThat(owners(path("a"), path("b"))).containsExactly("o3", "o3");
  }

  @Test
  default void locksExpiredOnesCannotBeRenewedOrUnlocked() {
    assertThat(lock("o1", TEN_SECONDS, path("a"), path("b"))).isTrue();
    clock().advance(Duration.ofSeconds(11));
    assertThat(locks().renewAll("o1", TEN_SECONDS, paths(path("a"))))
        .contains(new Refusal(0, null));
    assertThat(locks().unlockAll("o1", paths(path("b")))).contains(new Refusal(0, null));
    assertThat(owners(path("a"), path("b"))).isEqualTo(nulls(2));
  }

  // ---------------------------------------------------------------- renew

  @Test
  default void locksRenewMovesTheDeadline() {
    assertThat(lock("o1", TEN_SECONDS, path("a"), path("b"))).isTrue();
    clock().advance(Duration.ofSeconds(8));
    assertThat(locks().renewAll("o1", TEN_SECONDS, paths(path("a"), path("b")))).isEmpty();
    clock().advance(Duration.ofSeconds(9));
    assertThat(owners(path("a"), path("b"))).as("17 s after locking").containsExactly("o1", "o1");
    clock().advance(Duration.ofSeconds(1));
    assertThat(owners(path("a"), path("b"))).as("10 s after the renew").isEqualTo(nulls(2));
  }

  @Test
  default void locksRenewCanShortenAndEndALock() {
    assertThat(lock("o1", Duration.ofMinutes(10), path("a"))).isTrue();
    assertThat(locks().renewAll("o1", Duration.ofSeconds(2), paths(path("a")))).isEmpty();
    clock().advance(Duration.ofSeconds(2));
    assertThat(owners(path("a"))).isEqualTo(nulls(1));
    assertThat(lock("o1", Duration.ofMinutes(10), path("b"))).isTrue();
    assertThat(locks().renewAll("o1", Duration.ofSeconds(-1), paths(path("b")))).isEmpty();
    assertThat(owners(path("b"))).isEqualTo(nulls(1));
  }

  @Test
  default void locksRenewIsOnlyForTheOwnerAndAllOrNone() {
    assertThat(lock("o1", TEN_SECONDS, path("a"), path("b"))).isTrue();
    assertThat(lock("o2", TEN_SECONDS, path("c"))).isTrue();
    clock().advance(Duration.ofSeconds(5));
    assertThat(locks().renewAll("o2", Duration.ofMinutes(1), paths(path("c"), path("a"))))
        .as("a lock of another owner")
        .contains(new Refusal(1, "o1"));
    assertThat(
            locks().renewAll("o1", Duration.ofMinutes(1), paths(path("a"), path("zz"), path("c"))))
        .as("a path nobody holds comes first")
        .contains(new Refusal(1, null));
    assertThat(locks().renewAll("o1", Duration.ofMinutes(1), paths(path("a", "x"))))
        .as("a descendant of a held path is not held")
        .contains(new Refusal(0, null));
    clock().advance(Duration.ofSeconds(5));
    assertThat(owners(path("a"), path("b"), path("c")))
        .as("no refused renew moved a deadline")
        .isEqualTo(nulls(3));
  }

  // ---------------------------------------------------------------- unlock

  @Test
  default void locksUnlockIsOnlyForTheOwnerAndAllOrNone() {
    assertThat(lock("o1", TEN_SECONDS, path("a"), path("b"))).isTrue();
    assertThat(locks().unlockAll("o2", paths(path("a")))).contains(new Refusal(0, "o1"));
    assertThat(locks().unlockAll("o1", paths(path("a"), path("zz"), path("b"))))
        .contains(new Refusal(1, null));
    assertThat(locks().unlockAll("o1", paths(path("a", "b")))).contains(new Refusal(0, null));
    assertThat(owners(path("a"), path("b"))).containsExactly("o1", "o1");
    assertThat(locks().unlockAll("o1", paths(path("b"), path("a")))).isEmpty();
    assertThat(owners(path("a"), path("b"))).isEqualTo(nulls(2));
    assertThat(locks().unlockAll("o1", paths(path("a"))))
        .as("twice")
        .contains(new Refusal(0, null));
  }

  // ---------------------------------------------------------------- labels

  @Test
  default void locksByteAndTextLabelsWithTheSameUtf8AreTheSameLabel() {
    assertThat(lock("o1", TEN_SECONDS, path(bytes("a"), "b"))).isTrue();
    assertThat(lock("o2", TEN_SECONDS, path("a", bytes("b")))).isFalse();
    assertThat(lock("o2", TEN_SECONDS, path("a"))).isFalse();
    assertThat(owners(path("a", "b"), path(bytes("a"), bytes("b")))).containsExactly("o1", "o1");
    assertThat(locks().renewAll("o1", TEN_SECONDS, paths(path("a", "b")))).isEmpty();
    assertThat(locks().unlockAll("o1", paths(path(bytes("a"), bytes("b"))))).isEmpty();
    assertThat(owners(path("a", "b"))).isEqualTo(nulls(1));

    assertThat(lock("o1", TEN_SECONDS, path("é", "ü"))).isTrue();
    assertThat(owners(path(bytes("é"), bytes("ü")))).as("non-ASCII text").containsExactly("o1");
  }

  @Test
  default void locksBytesThatAreNotUtf8AreLabelsOfTheirOwn() {
    ByteString ff = ByteString.wrap(new byte[] {(byte) 0xff});
    ByteString fe = ByteString.wrap(new byte[] {(byte) 0xfe});
    assertThat(lock("o1", TEN_SECONDS, path(ff))).isTrue();
    assertThat(lock("o2", TEN_SECONDS, path(fe))).as("different bytes").isTrue();
    assertThat(lock("o3", TEN_SECONDS, path("\ufffd")))
        .as("not the replacement character")
        .isTrue();
    assertThat(owners(path(ff), path(fe), path("\ufffd"))).containsExactly("o1", "o2", "o3");
  }

  @Test
  default void locksTupleAndListLabelsCompareByContentWithBytesAsText() {
    assertThat(lock("o1", TEN_SECONDS, path(Tuple.of("a", 1L), List.of(bytes("b"), "c")))).isTrue();
    assertThat(lock("o2", TEN_SECONDS, path(Tuple.of(bytes("a"), 1L), List.of("b", bytes("c")))))
        .as("byte and text strings inside tuple and list labels are alike")
        .isFalse();
    assertThat(owners(path(Tuple.of(bytes("a"), 1L), List.of("b", "c")))).containsExactly("o1");
    assertThat(lock("o2", TEN_SECONDS, path(List.of("a", 1L)))).as("a list is no tuple").isTrue();
    assertThat(lock("o2", TEN_SECONDS, path(Tuple.of("a", 2L)))).as("other items").isTrue();
    assertThat(lock("o3", TEN_SECONDS, path(Tuple.of(Tuple.of("n", bytes("m")))))).isTrue();
    assertThat(owners(path(Tuple.of(Tuple.of(bytes("n"), "m")))))
        .as("nested")
        .containsExactly("o3");
  }

  @Test
  default void locksOtherLabelsCompareByNormalizedValue() {
    UUID id = UUID.fromString("8d5ad1e8-0e0c-4b27-9b36-2d3c7a1f5e44");
    assertThat(
            lock("o1", TEN_SECONDS,
                path(1, 2.5, true, null, id, Map.of("k", bytes("v"), "j", 1), "x".repeat(100))))
        .isTrue();
    assertThat(
            owners(path(1L, 2.5, true, null, id, Map.of("j", 1L, "k", "v"), "x".repeat(100))))
        .as("an int is a long, map entries in any order, long labels alike")
        .containsExactly("o1");
    assertThat(owners(path(1.0), path(false))).as("1.0 is not 1").isEqualTo(nulls(2));
    assertThat(lock("o2", TEN_SECONDS, path(1.0), path(false), path("x".repeat(101)))).isTrue();
    assertThat(lock("o2", TEN_SECONDS, path(1L, 2.5, true))).isFalse();
  }

  // ---------------------------------------------------------------- deleteTree

  @Test
  default void locksDeleteTreeDropsEveryLockUnderATopLevelLabel() {
    assertThat(lock("o1", TEN_SECONDS, path("ns", "a"), path("ns", "b", "c"))).isTrue();
    assertThat(lock("o2", TEN_SECONDS, path("other"), path("nsx", "a"), path("x", "ns"))).isTrue();
    locks().deleteTree("ns");
    assertThat(owners(path("ns", "a"), path("ns", "b", "c"), path("other"), path("nsx", "a"),
            path("x", "ns")))
        .containsExactly(null, null, "o2", "o2", "o2");
    assertThat(lock("o3", TEN_SECONDS, path("ns"))).as("nothing is left under ns").isTrue();
    locks().deleteTree(bytes("ns"));
    assertThat(owners(path("ns"))).as("the top label itself, named by bytes").isEqualTo(nulls(1));
    locks().deleteTree("absent");
    locks().deleteTree(Tuple.of("t", 1L));
    assertThat(owners(path("other"))).containsExactly("o2");
  }

  // ---------------------------------------------------------------- namespaces and stores

  @Test
  default void locksBelongToTheirNamespace() {
    Namespace a = coordinate().namespace("locks-a");
    Namespace b = coordinate().namespace("locks-b");
    assertThat(a.locks().lockAll("o1", TEN_SECONDS, paths(path("p")))).isEmpty();
    assertThat(b.locks().owners(paths(path("p")))).isEqualTo(nulls(1));
    assertThat(b.locks().lockAll("o2", TEN_SECONDS, paths(path("p")))).isEmpty();
    b.locks().deleteTree("p");
    assertThat(a.locks().owners(paths(path("p")))).containsExactly("o1");
    assertThat(coordinate().namespace("locks-a").locks().owners(paths(path("p"))))
        .as("through another handle of the namespace")
        .containsExactly("o1");
  }

  @Test
  default void locksAreDroppedWithTheirNamespace() {
    Namespace doomed = coordinate().namespace("doomed");
    Locks old = doomed.locks();
    assertThat(old.lockAll("o1", TEN_SECONDS, paths(path("p")))).isEmpty();
    doomed.destroy();
    Namespace fresh = coordinate().namespace("doomed");
    assertThat(fresh.locks().owners(paths(path("p")))).isEqualTo(nulls(1));
    assertThat(fresh.locks().lockAll("o2", TEN_SECONDS, paths(path("p")))).isEmpty();
    if (handlesFollowNames()) {
      assertThat(old.owners(paths(path("p")))).containsExactly("o2");
    } else {
      assertGone(
          "the locks of a destroyed namespace",
          () -> old.lockAll("o1", TEN_SECONDS, paths(path("q"))),
          () -> old.lockSome("o1", TEN_SECONDS, paths(path("q"))),
          () -> old.renewAll("o1", TEN_SECONDS, paths(path("p"))),
          () -> old.owners(paths(path("p"))),
          () -> old.unlockAll("o1", paths(path("p"))),
          () -> old.deleteTree("p"));
      assertThat(fresh.locks().owners(paths(path("p"), path("q")))).containsExactly("o2", null);
    }
  }

  @Test
  default void locksAreSharedByEveryProcessOnTheStore() {
    Locks other = sameStore().namespace(namespace().name()).locks();
    assertThat(lock("o1", TEN_SECONDS, path("a", "b"))).isTrue();
    assertThat(other.owners(paths(path("a", "b")))).containsExactly("o1");
    assertThat(other.lockAll("o2", TEN_SECONDS, paths(path("a")))).hasValue(0);
    assertThat(other.renewAll("o2", TEN_SECONDS, paths(path("a", "b"))))
        .contains(new Refusal(0, "o1"));
    assertThat(other.unlockAll("o2", paths(path("a", "b")))).contains(new Refusal(0, "o1"));
    assertThat(other.renewAll("o1", TEN_SECONDS, paths(path("a", "b")))).isEmpty();
    clock().advance(Duration.ofSeconds(10));
    assertThat(owners(path("a", "b"))).isEqualTo(nulls(1));
    assertThat(other.owners(paths(path("a", "b")))).isEqualTo(nulls(1));
    assertThat(other.lockAll("o2", TEN_SECONDS, paths(path("a")))).isEmpty();
    assertThat(owners(path("a"))).containsExactly("o2");
  }

  // ---------------------------------------------------------------- bad arguments

  @Test
  default void locksRefuseMalformedArgumentsAndChangeNothing() {
    List<Object> tooDeep = new ArrayList<>(Collections.nCopies(LockPath.MAX_DEPTH + 1, "l"));
    List<List<Object>> withEmpty = paths(path("ok"), path());
    List<List<Object>> withNull = new ArrayList<>(paths(path("ok")));
    withNull.add(null);
    List<List<Object>> withBadLabel = paths(path("ok"), path("a", new Object()));
    for (List<List<Object>> bad : List.of(withEmpty, withNull, withBadLabel, paths(tooDeep))) {
      assertThatThrownBy(() -> locks().lockAll("o1", TEN_SECONDS, bad))
          .isInstanceOf(InvalidRequestException.class);
      assertThatThrownBy(() -> locks().lockSome("o1", TEN_SECONDS, bad))
          .isInstanceOf(InvalidRequestException.class);
      assertThatThrownBy(() -> locks().owners(bad)).isInstanceOf(InvalidRequestException.class);
    }
    assertThat(owners(path("ok"))).as("no good path of a bad call was locked").isEqualTo(nulls(1));

    assertThatThrownBy(() -> locks().lockAll(null, TEN_SECONDS, paths(path("ok"))))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> locks().lockAll("o1", null, paths(path("ok"))))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> locks().lockAll("o1", Duration.ofDays(365 * 1000), paths(path("ok"))))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> locks().lockAll("o".repeat(1001), TEN_SECONDS, paths(path("ok"))))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> locks().lockAll("o1", TEN_SECONDS, null))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> locks().deleteTree(new Object()))
        .isInstanceOf(InvalidRequestException.class);
    assertThat(owners(path("ok"))).isEqualTo(nulls(1));

    assertThat(lock("o1", TEN_SECONDS, path("ok"))).isTrue();
    assertThatThrownBy(() -> locks().renewAll("o1", TEN_SECONDS, withEmpty))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> locks().unlockAll("o1", withBadLabel))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> locks().unlockAll(null, paths(path("ok"))))
        .isInstanceOf(InvalidRequestException.class);
    assertThat(owners(path("ok"))).containsExactly("o1");

    assertThat(lock("o1", TEN_SECONDS, new ArrayList<>(tooDeep.subList(1, tooDeep.size()))))
        .as("the deepest path allowed")
        .isTrue();
    assertThat(lock("\u00e9".repeat(1000), TEN_SECONDS, path("longest owner"))).isTrue();
    assertThat(owners(path("longest owner"))).containsExactly("\u00e9".repeat(1000));
  }

  // ---------------------------------------------------------------- concurrency

  /**
   * Threads on both processes of the store lock random overlapping paths of one small tree, hold
   * them a moment and unlock them. A ledger records what each holds, entered after the lock was
   * granted and removed before the unlock: two owners with overlapping paths in it at once means
   * two holders at once.
   */
  @Test
  default void locksConcurrentLockersNeverHoldOverlappingPaths() throws Exception {
    List<List<Object>> tree =
        paths(path("r"), path("r", "a"), path("r", "b"), path("r", "a", "x"), path("r", "a", "y"),
            path("r", "b", "x"), path("s"), path("s", "a"));
    Locks here = locks();
    Locks there = sameStore().namespace(namespace().name()).locks();
    record Entry(String owner, List<Object> path) {}
    List<Entry> ledger = new ArrayList<>();
    List<String> overlaps = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger granted = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    int rounds = 40;
    long deadline = deadline();

    runThreads(
        8,
        GROUP_TIMEOUT,
        id -> {
          Locks locks = id % 2 == 0 ? here : there;
          String owner = "t" + id;
          ThreadLocalRandom random = ThreadLocalRandom.current();
          for (int round = 0; round < rounds && timeLeft(deadline); round++) {
            List<List<Object>> want = new ArrayList<>();
            want.add(tree.get(random.nextInt(tree.size())));
            if (random.nextBoolean()) {
              want.add(tree.get(random.nextInt(tree.size())));
            }
            List<List<Object>> got = new ArrayList<>();
            if (random.nextInt(3) == 0) {
              boolean[] some = locks.lockSome(owner, Duration.ofMinutes(5), want);
              for (int i = 0; i < some.length; i++) {
                if (some[i]) {
                  got.add(want.get(i));
                }
              }
            } else if (locks.lockAll(owner, Duration.ofMinutes(5), want).isEmpty()) {
              got.addAll(new LinkedHashSet<>(want));
            }
            if (got.isEmpty()) {
              refused.incrementAndGet();
              continue;
            }
            granted.incrementAndGet();
            synchronized (ledger) {
              for (List<Object> mine : got) {
                for (Entry other : ledger) {
                  if (overlap(mine, other.path())) {
                    overlaps.add(owner + " got " + mine + " while " + other + " was held");
                  }
                }
              }
              for (List<Object> mine : got) {
                ledger.add(new Entry(owner, mine));
              }
            }
            Thread.yield();
            synchronized (ledger) {
              ledger.removeIf(e -> e.owner().equals(owner));
            }
            assertThat(locks.unlockAll(owner, got)).as("%s unlocks %s", owner, got).isEmpty();
          }
        });

    assertThat(overlaps).isEmpty();
    assertThat(granted.get()).as("locks granted").isPositive();
    assertThat(refused.get()).as("locks refused (the paths overlap)").isPositive();
    assertThat(locks().owners(tree)).as("everything was unlocked").isEqualTo(nulls(tree.size()));
  }

  /** Whether one path is a prefix of the other (equal paths included). */
  private static boolean overlap(List<Object> p, List<Object> q) {
    int n = Math.min(p.size(), q.size());
    return p.subList(0, n).equals(q.subList(0, n));
  }
}
