package io.coordinate.rpc;

import static io.coordinate.rpc.WireValues.b;
import static io.coordinate.rpc.WireValues.list;
import static io.coordinate.rpc.WireValues.map;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.UnixOperatingSystemMXBean;
import io.coordinate.api.Coordinate;
import io.coordinate.api.data.ByteString;
import io.coordinate.memory.MemoryCoordinate;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Many workers at once, each on its own connection: all connect first, then each heartbeats, gets
 * one unit and finishes it. Every unit ends finished exactly once and no request fails.
 */
class ConcurrentConnectionsTest {
  private static final Logger log = LoggerFactory.getLogger(ConcurrentConnectionsTest.class);

  private static final int WANTED_CONNECTIONS = 1000;

  /**
   * How many connections this JVM can hold open at once: each takes two descriptors here (client
   * and server side), and some are kept for everything else.
   */
  private static int affordableConnections() {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof UnixOperatingSystemMXBean unix) {
      long free = unix.getMaxFileDescriptorCount() - unix.getOpenFileDescriptorCount();
      long affordable = (free - 256) / 2;
      return (int) Math.max(10, Math.min(WANTED_CONNECTIONS, affordable));
    }
    return WANTED_CONNECTIONS;
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aThousandConcurrentConnectionsEachHeartbeatGetWorkAndFinish() throws Exception {
    int n = affordableConnections();
    if (n < WANTED_CONNECTIONS) {
      log.warn("file descriptor limit allows only {} concurrent connections (ulimit -n)", n);
    }
    try (Coordinate coordinate = MemoryCoordinate.create();
        CborRpcServer server =
            CborRpcServer.start(
                coordinate,
                CborRpcServer.Settings.defaults()
                    .withAddress(new InetSocketAddress("127.0.0.1", 0)));
        RpcTestClient admin = new RpcTestClient(server.address())) {
      admin.ok("set_work_spec", map("name", "s", "module", "m", "run_function", "f"));
      List<Object> units = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        units.add(list(b(String.format("u%05d", i)), map("i", (long) i)));
      }
      admin.ok("add_work_units", "s", units);

      CountDownLatch allConnected = new CountDownLatch(n);
      Set<ByteString> done = ConcurrentHashMap.newKeySet();
      List<Future<?>> futures = new ArrayList<>();
      try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
        for (int i = 0; i < n; i++) {
          String worker = "worker-" + i;
          futures.add(
              pool.submit(
                  () -> {
                    try (RpcTestClient c = new RpcTestClient(server.address())) {
                      allConnected.countDown();
                      allConnected.await();
                      c.ok("worker_heartbeat", worker, "RUN", 600L, map("pid", 1L), null);
                      List<Object> work =
                          RpcTestClient.asList(
                              c.pair("get_work", worker, map("lease_time", 300L, "max_jobs", 1L))
                                  .get(0));
                      ByteString key = (ByteString) work.get(1);
                      assertThat(key).as("%s got a unit", worker).isNotNull();
                      c.ok("update_work_unit", "s", key, map("status", 4L));
                      assertThat(done.add(key)).as("%s is finished once", key).isTrue();
                      c.ok("worker_unregister", worker);
                    }
                    return null;
                  }));
        }
        for (Future<?> f : futures) {
          f.get(); // rethrows the first failure of a worker
        }
      }
      assertThat(done).hasSize(n);
      assertThat(RpcTestClient.asList(admin.call("count_work_units", "s")).get(0))
          .isEqualTo(Map.of(4L, (long) n));
      assertThat(RpcTestClient.asList(admin.call("list_worker_modes")).get(0)).isEqualTo(Map.of());
    }
  }
}
