package io.coordinate.rpc;

import static io.coordinate.rpc.WireValues.b;
import static io.coordinate.rpc.WireValues.list;
import static org.assertj.core.api.Assertions.assertThat;

import io.coordinate.api.Coordinate;
import io.coordinate.api.conformance.MutableClock;
import io.coordinate.api.data.ByteString;
import io.coordinate.sql.SqlConfig;
import io.coordinate.sql.SqlTestStores;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two job servers, each over its own backend on one SQL store, as two daemons on one database:
 * Python-style clients of either see and respect the locks taken through the other, over real
 * sockets, with expiry on the clock both backends share.
 */
class SharedLocksOverRpcTest {
  @RegisterExtension final SqlTestStores stores = new SqlTestStores();

  private final MutableClock clock = new MutableClock();
  private final List<CborRpcServer> servers = new ArrayList<>();
  private final List<RpcTestClient> clients = new ArrayList<>();

  @AfterEach
  void stop() throws IOException {
    for (RpcTestClient c : clients) {
      c.close();
    }
    for (CborRpcServer s : servers) {
      s.stop(Duration.ofSeconds(5));
    }
  }

  /** Two servers of namespace "shared", each over a backend of its own on one store. */
  private List<CborRpcServer> twoServers(String store) throws IOException {
    SqlConfig config =
        (store.equals("h2")
                ? SqlConfig.h2Memory("rpc_locks_" + UUID.randomUUID().toString().replace("-", ""))
                : stores.postgresSchema())
            .withClock(clock);
    for (int i = 0; i < 2; i++) {
      Coordinate backend = stores.open(config);
      servers.add(
          CborRpcServer.start(
              backend,
              CborRpcServer.Settings.defaults()
                  .withAddress(new InetSocketAddress("127.0.0.1", 0))
                  .withNamespace("shared")
                  .withClock(clock)));
    }
    return servers;
  }

  private RpcTestClient client(CborRpcServer server) throws IOException {
    RpcTestClient c = new RpcTestClient(server.address());
    clients.add(c);
    return c;
  }

  private static List<String> owners(RpcTestClient c, Object... paths) throws IOException {
    List<String> owners = new ArrayList<>();
    for (Object o : RpcTestClient.asList(c.call("readlock", list(paths)))) {
      owners.add(o instanceof ByteString bs ? bs.toUtf8() : (String) o);
    }
    return owners;
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgresql"})
  void eachServerSeesAndRespectsTheOthersLocks(String store) throws Exception {
    List<CborRpcServer> two = twoServers(store);
    RpcTestClient one = client(two.get(0));
    RpcTestClient other = client(two.get(1));

    assertThat(one.pair("lock", "worker-1", 10L, list(list("jobs", "a"))))
        .containsExactly(true, null);
    assertThat(owners(other, list("jobs", "a"))).containsExactly("worker-1");
    List<Object> refused = other.pair("lock", "worker-2", 10L, list(list(b("jobs"))));
    assertThat(refused.get(0)).as("an ancestor of a lock held through the other server")
        .isEqualTo(false);
    assertThat(refused.get(1).toString()).contains("not lockable");
    List<Object> renew = other.pair("renew", "worker-2", 10L, list(list("jobs", "a")));
    assertThat(renew.get(0)).isEqualTo(false);
    assertThat(renew.get(1).toString()).contains("held by worker-1");
    List<Object> unlock = other.pair("unlock", "worker-2", list(list("jobs", "a")));
    assertThat(unlock.get(0)).isEqualTo(false);
    assertThat(unlock.get(1).toString()).contains("held by worker-1");
    assertThat(other.pair("renew", "worker-1", 10L, list(list("jobs", "a"))))
        .as("the owner renews through either server")
        .containsExactly(true, null);

    clock.advance(Duration.ofSeconds(10));
    assertThat(owners(one, list("jobs", "a"))).containsExactly((String) null);
    assertThat(owners(other, list("jobs", "a"))).containsExactly((String) null);
    assertThat(other.pair("lock", "worker-2", 10L, list(list("jobs"))))
        .containsExactly(true, null);
    assertThat(owners(one, list("jobs"))).containsExactly("worker-2");

    assertThat(one.call("delete_namespace", "jobs")).isEqualTo(0L);
    assertThat(owners(other, list("jobs"))).containsExactly((String) null);
  }

  /** Four clients, two on each server, send the same lock at once: exactly one wins each round. */
  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgresql"})
  void clientsOfBothServersRacingForOnePathHaveOneWinner(String store) throws Exception {
    List<CborRpcServer> two = twoServers(store);
    List<RpcTestClient> racers = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      racers.add(client(two.get(i % 2)));
    }
    ExecutorService pool = Executors.newFixedThreadPool(racers.size());
    try {
      for (int round = 0; round < 15; round++) {
        CyclicBarrier start = new CyclicBarrier(racers.size());
        List<Future<Boolean>> outcomes = new ArrayList<>();
        for (int i = 0; i < racers.size(); i++) {
          RpcTestClient racer = racers.get(i);
          String owner = "racer-" + i;
          // The racers want overlapping paths: the root, or one of two paths under it.
          List<Object> path = i == 0 ? list("root") : list("root", "p" + (i % 2));
          Callable<Boolean> race =
              () -> {
                start.await(10, TimeUnit.SECONDS);
                return (Boolean) racer.pair("lock", owner, 60L, list(path)).get(0);
              };
          outcomes.add(pool.submit(race));
        }
        List<Integer> winners = new ArrayList<>();
        for (int i = 0; i < outcomes.size(); i++) {
          if (outcomes.get(i).get(30, TimeUnit.SECONDS)) {
            winners.add(i);
          }
        }
        // The root excludes everything; the two paths under it exclude only their own kind.
        assertThat(winners).as("round %d", round).isNotEmpty();
        if (winners.contains(0)) {
          assertThat(winners).as("round %d", round).containsExactly(0);
        } else {
          assertThat(winners.stream().map(i -> i % 2).distinct().count())
              .as("round %d: one winner per path under the root", round)
              .isEqualTo(winners.size());
        }
        for (int i : winners) {
          List<Object> path = i == 0 ? list("root") : list("root", "p" + (i % 2));
          assertThat(racers.get(i).pair("unlock", "racer-" + i, list(path)))
              .containsExactly(true, null);
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
