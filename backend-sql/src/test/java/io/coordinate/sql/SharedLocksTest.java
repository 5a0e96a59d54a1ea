package io.coordinate.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coordinate.api.GoneException;
import io.coordinate.api.Locks;
import io.coordinate.api.Locks.Refusal;
import io.coordinate.api.conformance.MutableClock;
import io.coordinate.api.data.ByteString;
import io.coordinate.sql.TestStores.Store;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two backends with their own pools on one database, as two daemons: the locks one takes bind the
 * other, end for both at the same clock time, cannot be renewed or unlocked by another owner
 * through either, and threads of both competing for one chain of paths (every two of which
 * overlap) are never inside at the same time.
 */
class SharedLocksTest {
  private static final Duration TEN_SECONDS = Duration.ofSeconds(10);

  @RegisterExtension final TestStores stores = new TestStores();

  private final MutableClock clock = new MutableClock();
  private SqlCoordinate first;
  private SqlCoordinate second;

  private void openTwo(Store store) {
    SqlConfig config = store.config(stores).withClock(clock).withPoolSize(8);
    first = stores.open(config);
    second = stores.open(config);
  }

  private static List<List<Object>> paths(List<?>... paths) {
    return List.of(paths).stream().map(p -> List.<Object>copyOf(p)).toList();
  }

  @ParameterizedTest
  @EnumSource(value = Store.class, names = {"H2_FILE", "POSTGRESQL"})
  void aLockTakenThroughOneBackendBindsTheOtherUntilItsDeadline(Store store) {
    openTwo(store);
    Locks one = first.namespace("ns").locks();
    Locks two = second.namespace("ns").locks();

    assertThat(one.lockAll("daemon-1", TEN_SECONDS, paths(List.of("jobs", "a")))).isEmpty();
    assertThat(two.owners(paths(List.of("jobs", "a")))).containsExactly("daemon-1");
    assertThat(two.lockAll("daemon-2", TEN_SECONDS, paths(List.of("jobs", "a")))).hasValue(0);
    assertThat(two.lockAll("daemon-2", TEN_SECONDS, paths(List.of("jobs")))).hasValue(0);
    assertThat(two.lockSome("daemon-2", TEN_SECONDS,
            paths(List.of(ByteString.utf8("jobs"), "a", "x"), List.of("jobs", "b"))))
        .containsExactly(false, true);

    clock.advance(Duration.ofSeconds(9));
    assertThat(two.owners(paths(List.of("jobs", "a")))).containsExactly("daemon-1");
    clock.advance(Duration.ofSeconds(1));
    assertThat(one.owners(paths(List.of("jobs", "a"), List.of("jobs", "b"))))
        .as("both ended at their deadline, for both backends")
        .containsExactly(null, null);
    assertThat(two.owners(paths(List.of("jobs", "a")))).containsExactly((String) null);
    assertThat(two.lockAll("daemon-2", TEN_SECONDS, paths(List.of("jobs")))).isEmpty();
    assertThat(one.lockAll("daemon-1", TEN_SECONDS, paths(List.of("jobs", "a")))).hasValue(0);
  }

  @ParameterizedTest
  @EnumSource(value = Store.class, names = {"H2_FILE", "POSTGRESQL"})
  void onlyTheOwnerRenewsOrUnlocksThroughEitherBackend(Store store) {
    openTwo(store);
    Locks one = first.namespace("ns").locks();
    Locks two = second.namespace("ns").locks();
    assertThat(one.lockAll("daemon-1", TEN_SECONDS, paths(List.of("a"), List.of("b")))).isEmpty();

    assertThat(two.renewAll("daemon-2", TEN_SECONDS, paths(List.of("a"))))
        .contains(new Refusal(0, "daemon-1"));
    assertThat(two.unlockAll("daemon-2", paths(List.of("b")))).contains(new Refusal(0, "daemon-1"));
    clock.advance(Duration.ofSeconds(8));
    assertThat(two.renewAll("daemon-1", TEN_SECONDS, paths(List.of("a")))).isEmpty();
    clock.advance(Duration.ofSeconds(5));
    assertThat(one.owners(paths(List.of("a"), List.of("b"))))
        .as("the renew through the other backend moved a's deadline only")
        .containsExactly("daemon-1", null);
    assertThat(one.renewAll("daemon-1", TEN_SECONDS, paths(List.of("b"))))
        .contains(new Refusal(0, null));
    assertThat(two.unlockAll("daemon-1", paths(List.of("a")))).isEmpty();
    assertThat(one.owners(paths(List.of("a")))).containsExactly((String) null);
  }

  @ParameterizedTest
  @EnumSource(value = Store.class, names = {"H2_FILE", "POSTGRESQL"})
  void deletingATreeOrTheNamespaceThroughOneBackendShowsInTheOther(Store store) {
    openTwo(store);
    Locks one = first.namespace("ns").locks();
    Locks two = second.namespace("ns").locks();
    assertThat(one.lockAll("daemon-1", TEN_SECONDS, paths(List.of("t", "a"), List.of("u"))))
        .isEmpty();
    two.deleteTree("t");
    assertThat(one.owners(paths(List.of("t", "a"), List.of("u"))))
        .containsExactly(null, "daemon-1");

    second.namespace("ns").destroy();
    assertThatThrownBy(() -> one.owners(paths(List.of("u")))).isInstanceOf(GoneException.class);
    assertThat(first.namespace("ns").locks().owners(paths(List.of("u"))))
        .as("the namespace made anew has no locks")
        .containsExactly((String) null);
  }

  @ParameterizedTest
  @EnumSource(value = Store.class, names = {"H2_FILE", "POSTGRESQL"})
  void lockersOnBothBackendsAreNeverInsideTogether(Store store) throws Exception {
    openTwo(store);
    List<Locks> locks = List.of(first.namespace("ns").locks(), second.namespace("ns").locks());
    // Every two of these overlap: one lock at a time, whichever path it is on.
    List<List<Object>> chain =
        paths(List.of("r"), List.of("r", "a"), List.of("r", "a", "b"), List.of("r", "a", "b", "c"));
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger mostInside = new AtomicInteger();
    AtomicInteger entries = new AtomicInteger();
    int perThread = 10;

    Threads.run(
        12,
        Duration.ofSeconds(120),
        id -> {
          Locks mine = locks.get(id % 2);
          String owner = "daemon-" + (id % 2) + "-thread-" + id;
          int entered = 0;
          long deadline = Threads.deadline(Duration.ofSeconds(90));
          for (int attempt = 0; entered < perThread && Threads.before(deadline); attempt++) {
            List<List<Object>> want = List.of(chain.get((id + attempt) % chain.size()));
            boolean got =
                attempt % 2 == 0
                    ? mine.lockAll(owner, Duration.ofMinutes(5), want).isEmpty()
                    : mine.lockSome(owner, Duration.ofMinutes(5), want)[0];
            if (!got) {
              Thread.sleep(1); // let the holder finish rather than queue behind its row lock
              continue;
            }
            entered++;
            entries.incrementAndGet();
            int now = inside.incrementAndGet();
            mostInside.accumulateAndGet(now, Math::max);
            Thread.yield();
            inside.decrementAndGet();
            assertThat(mine.unlockAll(owner, want)).isEmpty();
          }
        });

    assertThat(mostInside.get()).as("holders at once").isEqualTo(1);
    assertThat(entries.get()).isEqualTo(12 * perThread);
    assertThat(locks.get(0).owners(chain)).containsOnlyNulls();
  }
}
