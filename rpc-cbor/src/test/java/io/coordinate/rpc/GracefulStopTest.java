package io.coordinate.rpc;

import static io.coordinate.rpc.WireValues.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coordinate.api.Coordinate;
import io.coordinate.api.Namespace;
import io.coordinate.memory.MemoryCoordinate;
import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * stop(): no new connections, idle connections closed, requests in flight answered. The backend is
 * wrapped so that listing work specs blocks until the test lets it go, which keeps requests in
 * flight for as long as the test needs.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GracefulStopTest {

  /** A backend whose namespaces' {@code workSpecNames()} waits for a permit once armed. */
  private static final class Gate {
    final Semaphore permits = new Semaphore(0);
    final Semaphore entered = new Semaphore(0);
    volatile boolean armed;

    Coordinate wrap(Coordinate real) {
      return proxy(Coordinate.class, real, (method, result) ->
          result instanceof Namespace ns && method.equals("namespace")
              ? proxy(Namespace.class, ns, (m, r) -> r, this)
              : result, null);
    }

    void passIfArmed(String method) throws InterruptedException {
      if (armed && method.equals("workSpecNames")) {
        entered.release();
        permits.acquire();
      }
    }

    interface After {
      Object apply(String method, Object result);
    }

    @SuppressWarnings("unchecked")
    static <T> T proxy(Class<T> type, T target, After after, Gate gate) {
      InvocationHandler handler =
          (p, method, args) -> {
            if (gate != null) {
              gate.passIfArmed(method.getName());
            }
            try {
              return after.apply(method.getName(), method.invoke(target, args));
            } catch (InvocationTargetException e) {
              throw e.getCause();
            }
          };
      return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler);
    }
  }

  @Test
  void stopAnswersRequestsInFlightClosesIdleConnectionsAndRefusesNewOnes() throws Exception {
    Gate gate = new Gate();
    try (Coordinate coordinate = gate.wrap(MemoryCoordinate.create())) {
      CborRpcServer server =
          CborRpcServer.start(
              coordinate,
              CborRpcServer.Settings.defaults().withAddress(new InetSocketAddress("127.0.0.1", 0)));
      InetSocketAddress address = server.address();
      RpcTestClient idle = new RpcTestClient(address);
      assertThat(idle.call("now")).isInstanceOf(Long.class);
      List<RpcTestClient> busy = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        busy.add(new RpcTestClient(address));
        busy.get(i).ok("set_work_spec", map("name", "s" + i));
      }

      gate.armed = true;
      for (RpcTestClient c : busy) {
        c.send("list_work_specs", map());
      }
      assertThat(gate.entered.tryAcquire(3, 10, TimeUnit.SECONDS))
          .as("three requests in flight")
          .isTrue();

      long stopStart = System.nanoTime();
      CompletableFuture<Void> stopped =
          CompletableFuture.runAsync(() -> server.stop(Duration.ofSeconds(30)));

      assertThat(idle.closedByServer()).as("the idle connection is closed").isTrue();
      awaitRefused(address);
      assertThat(stopped).as("stop waits for the requests in flight").isNotDone();

      gate.permits.release(3);
      for (RpcTestClient c : busy) {
        Map<Object, Object> reply = c.receive();
        List<Object> pair = RpcTestClient.asList(RpcTestClient.result(reply));
        assertThat(RpcTestClient.asList(pair.get(0))).hasSize(3);
        assertThat(c.closedByServer()).as("closed after its answer").isTrue();
      }
      stopped.get(10, TimeUnit.SECONDS);
      assertThat(Duration.ofNanos(System.nanoTime() - stopStart))
          .as("stop returned once the requests were answered, long before its deadline")
          .isLessThan(Duration.ofSeconds(20));
      assertThat(server.connectionCount()).isZero();
      server.awaitStop();
      idle.close();
      for (RpcTestClient c : busy) {
        c.close();
      }
    }
  }

  @Test
  void stopWithOnlyIdleConnectionsReturnsPromptly() throws Exception {
    try (Coordinate coordinate = MemoryCoordinate.create()) {
      CborRpcServer server =
          CborRpcServer.start(
              coordinate,
              CborRpcServer.Settings.defaults().withAddress(new InetSocketAddress("127.0.0.1", 0)));
      List<RpcTestClient> clients = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        clients.add(new RpcTestClient(server.address()));
        assertThat(clients.get(i).call("now")).isInstanceOf(Long.class);
      }
      long start = System.nanoTime();
      server.stop(Duration.ofSeconds(30));
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
      for (RpcTestClient c : clients) {
        assertThat(c.closedByServer()).isTrue();
        c.close();
      }
      assertThatThrownBy(() -> new Socket(server.address().getAddress(), server.address().getPort()))
          .isInstanceOf(ConnectException.class);
    }
  }

  /** Waits until connecting is refused: the listening socket closes first thing in stop(). */
  private static void awaitRefused(InetSocketAddress address) throws IOException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      try (Socket s = new Socket(address.getAddress(), address.getPort())) {
        if (System.nanoTime() > end) {
          throw new AssertionError("still accepting connections after stop()");
        }
        Thread.onSpinWait();
      } catch (ConnectException e) {
        return;
      }
    }
  }
}
