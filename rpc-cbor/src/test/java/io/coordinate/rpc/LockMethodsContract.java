package io.coordinate.rpc;

import static io.coordinate.rpc.WireValues.b;
import static io.coordinate.rpc.WireValues.list;
import static io.coordinate.rpc.WireValues.tuple;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coordinate.api.data.ByteString;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The hierarchical advisory locks (rpc-reference §7), with expiry on the shared clock. */
interface LockMethodsContract extends RpcFixture {

  private List<Object> lock(String owner, long timeout, Object... paths) throws IOException {
    return rpc().pair("lock", owner, timeout, list(paths));
  }

  /** Owners as text, whatever string type they came back as. */
  private List<String> readlock(Object... paths) throws IOException {
    List<String> owners = new ArrayList<>();
    for (Object o : RpcTestClient.asList(rpc().call("readlock", list(paths)))) {
      owners.add(o instanceof ByteString bs ? bs.toUtf8() : (String) o);
    }
    return owners;
  }

  @Test
  default void lockReadlockAndUnlock() throws IOException {
    assertThat(lock("o1", 10, list("a", "b"))).containsExactly(true, null);
    assertThat(readlock(list("a", "b"), list("a"), list("x"))).containsExactly("o1", null, null);
    rpc().ok("unlock", "o1", list(list("a", "b")));
    assertThat(readlock(list("a", "b"))).containsExactly((String) null);
    assertThat(lock("o2", 10, list("a"))).as("the branch was pruned").containsExactly(true, null);
  }

  @Test
  default void lockIsAllOrNothingAndNotReentrant() throws IOException {
    lock("o1", 10, list("a"));
    List<Object> refused = lock("o2", 10, list("b"), list("a"));
    assertThat(refused.get(0)).isEqualTo(false);
    assertThat(refused.get(1).toString()).contains("not lockable");
    assertThat(readlock(list("b"))).containsExactly((String) null);
    assertThat(lock("o1", 10, list("a")).get(0)).as("not reentrant").isEqualTo(false);
  }

  @Test
  default void aLockBlocksItsAncestorsAndDescendantsButNotSiblings() throws IOException {
    lock("o1", 10, list("a", "b"));
    assertThat(lock("o2", 10, list("a")).get(0)).isEqualTo(false);
    assertThat(lock("o2", 10, list("a", "b", "c")).get(0)).isEqualTo(false);
    assertThat(lock("o2", 10, list("a", "c"))).containsExactly(true, null);
  }

  @Test
  default void locksomeLocksWhatItCanAndEchoesThePaths() throws IOException {
    lock("o1", 10, list("a"));
    List<Object> reply =
        rpc().pair("locksome", "o2", 10L, list(list("a"), list("b"), tuple("c", 4L)));
    assertThat(reply.get(1)).isNull();
    assertThat(RpcTestClient.asList(reply.get(0)))
        .containsExactly(null, list(b("b")), list(b("c"), 4L));
    assertThat(readlock(list("a"), list("b"), list("c", 4L))).containsExactly("o1", "o2", "o2");
  }

  @Test
  default void locksExpireWithTheClock() throws IOException {
    lock("o1", 10, list("a"));
    clock().advance(Duration.ofSeconds(9));
    assertThat(readlock(list("a"))).containsExactly("o1");
    clock().advance(Duration.ofSeconds(2));
    assertThat(readlock(list("a"))).containsExactly((String) null);
    assertThat(lock("o2", 10, list("a"))).containsExactly(true, null);
  }

  @Test
  default void aZeroTimeoutMeansOneMinute() throws IOException {
    lock("o1", 0, list("a"));
    clock().advance(Duration.ofSeconds(59));
    assertThat(readlock(list("a"))).containsExactly("o1");
    clock().advance(Duration.ofSeconds(2));
    assertThat(readlock(list("a"))).containsExactly((String) null);
  }

  @Test
  default void renewExtendsOnlyTheOwnersLocks() throws IOException {
    lock("o1", 10, list("a"));
    clock().advance(Duration.ofSeconds(8));
    assertThat(rpc().pair("renew", "o1", 10L, list(list("a")))).containsExactly(true, null);
    clock().advance(Duration.ofSeconds(8));
    assertThat(readlock(list("a"))).containsExactly("o1");

    List<Object> other = rpc().pair("renew", "o2", 10L, list(list("a")));
    assertThat(other.get(0)).isEqualTo(false);
    assertThat(other.get(1).toString()).contains("held by o1");
    List<Object> missing = rpc().pair("renew", "o1", 10L, list(list("a"), list("zz")));
    assertThat(missing.get(0)).isEqualTo(false);
    assertThat(missing.get(1).toString()).contains("held by None");
  }

  @Test
  default void unlockIsAllOrNothingAndOnlyForTheOwner() throws IOException {
    lock("o1", 10, list("a"));
    List<Object> notOwner = rpc().pair("unlock", "o2", list(list("a")));
    assertThat(notOwner.get(0)).isEqualTo(false);
    assertThat(notOwner.get(1).toString()).contains("held by o1");
    List<Object> partly = rpc().pair("unlock", "o1", list(list("a"), list("zz")));
    assertThat(partly.get(0)).isEqualTo(false);
    assertThat(partly.get(1).toString()).contains("not held");
    assertThat(readlock(list("a"))).containsExactly("o1");
  }

  @Test
  default void deleteNamespaceDropsTheWholeSubtreeAndAnswersZero() throws IOException {
    lock("o1", 10, list("ns", "a"), list("ns", "b", "c"), list("other"));
    assertThat(rpc().call("delete_namespace", "ns")).isEqualTo(0L);
    assertThat(readlock(list("ns", "a"), list("ns", "b", "c"), list("other")))
        .containsExactly(null, null, "o1");
    assertThat(rpc().call("delete_namespace", "absent")).isEqualTo(0L);
  }

  @Test
  default void byteAndTextLabelsNameTheSameLock() throws IOException {
    lock("o1", 10, list("a"));
    RpcTestClient text = newClient(false);
    List<Object> reply =
        RpcTestClient.asList(text.call("lock", "o2", 10L, list(list("a"))));
    assertThat(reply.get(0)).isEqualTo(false);
    assertThat(RpcTestClient.asList(text.call("readlock", list(list("a")))))
        .containsExactly("o1");
  }

  @Test
  default void compositeLabelsCompareByContent() throws IOException {
    lock("o1", 10, list(tuple("a", 1L), list("b")));
    RpcTestClient text = newClient(false);
    List<Object> reply =
        RpcTestClient.asList(text.call("lock", "o2", 10L, list(list(tuple("a", 1L), list("b")))));
    assertThat(reply.get(0)).as("byte and text strings inside labels are alike").isEqualTo(false);
    assertThat(readlock(list(tuple("a", 1L), list("b")))).containsExactly("o1");
  }

  @Test
  default void aNegativeTimeoutLockIsGoneAtTheNextCall() throws IOException {
    assertThat(lock("o1", -5, list("a"))).containsExactly(true, null);
    assertThat(readlock(list("a"))).containsExactly((String) null);
    assertThat(rpc().pair("lock", "o2", -1e300, list(list("b")))).containsExactly(true, null);
    assertThat(lock("o3", 10, list("b"))).containsExactly(true, null);
  }

  @Test
  default void theLocksAreTheNamespacesAndGoWithIt() throws IOException {
    lock("o1", 10, list("a"));
    destroyNamespaceBehindServer();
    assertThat(readlock(list("a"))).as("a namespace made anew").containsExactly((String) null);
    assertThat(lock("o2", 10, list("a"))).containsExactly(true, null);
    assertThat(readlock(list("a"))).containsExactly("o2");
  }

  @Test
  default void aPathOfMoreThan32LabelsIsAnErrorReply() throws IOException {
    Object[] labels = new Object[33];
    Arrays.fill(labels, "l");
    assertThatThrownBy(() -> lock("o1", 10, list(labels)))
        .isInstanceOf(RpcTestClient.ServerError.class);
    assertThat(lock("o1", 10, list(Arrays.copyOf(labels, 32))))
        .containsExactly(true, null);
  }

  @Test
  default void anEmptyOrMalformedKeyPathIsAnErrorReply() throws IOException {
    assertThatThrownBy(() -> lock("o1", 10, list()))
        .isInstanceOf(RpcTestClient.ServerError.class);
    assertThatThrownBy(() -> rpc().call("lock", "o1", 10L, list("not-a-path")))
        .isInstanceOf(RpcTestClient.ServerError.class);
    assertThat(lock("o1", 10, list("a"))).containsExactly(true, null);
  }
}
