package io.coordinate.rpc;

import io.coordinate.api.Coordinate;
import io.coordinate.api.conformance.MutableClock;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

/**
 * Every CBOR-RPC method over a real socket, against one backend: a subclass names the backend,
 * the contracts (one interface per area) hold the tests. The backend is opened once per class on a
 * {@link MutableClock} it shares with the servers, so leases and expiry are tested without
 * sleeping; each test gets its own namespace (served through {@code Settings.withNamespace}), a
 * fresh server on a free loopback port, and a Python-style client.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class JobServerContract
    implements SpecMethodsContract,
        UnitMethodsContract,
        UpdateWorkUnitContract,
        GetWorkContract,
        WorkerMethodsContract,
        LockMethodsContract,
        ServerMethodsContract,
        MaintenanceContract {
  private static final Map<String, Object> CONFIG = config();

  private final MutableClock clock = new MutableClock();
  private Coordinate coordinate;
  private int tests;
  private String namespace;
  private CborRpcServer server;
  private RpcTestClient client;
  private final List<RpcTestClient> clients = new ArrayList<>();

  /** A fresh backend whose time is {@code clock}; opened once for all tests of the class. */
  abstract Coordinate openBackend(Clock clock);

  @BeforeAll
  void openTheBackend() {
    coordinate = openBackend(clock);
  }

  @AfterAll
  void closeTheBackend() {
    if (coordinate != null) {
      coordinate.close();
    }
  }

  @BeforeEach
  void startServer() throws IOException {
    namespace = "test-" + ++tests;
    server =
        CborRpcServer.start(
            coordinate,
            CborRpcServer.Settings.defaults()
                .withAddress(new InetSocketAddress("127.0.0.1", 0))
                .withNamespace(namespace)
                .withClock(clock)
                .withGlobalConfig(CONFIG)
                .withMaintenanceRefresh(Duration.ZERO));
    client = newClient(true);
  }

  @AfterEach
  void stopServer() throws IOException {
    for (RpcTestClient c : clients) {
      c.close();
    }
    clients.clear();
    if (server != null) {
      server.stop(Duration.ofSeconds(5));
    }
  }

  private static Map<String, Object> config() {
    Map<String, Object> coordinate = new LinkedHashMap<>();
    coordinate.put("addresses", List.of("127.0.0.1:5932"));
    coordinate.put("default_lifetime", 900L);
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("coordinate", coordinate);
    config.put("ratio", 0.5);
    config.put("enabled", true);
    return config;
  }

  @Override
  public RpcTestClient rpc() {
    return client;
  }

  @Override
  public RpcTestClient newClient(boolean pythonStyle) throws IOException {
    RpcTestClient c = new RpcTestClient(server.address());
    c.pythonStyle = pythonStyle;
    clients.add(c);
    return c;
  }

  @Override
  public MutableClock clock() {
    return clock;
  }

  @Override
  public void destroyNamespaceBehindServer() {
    coordinate.namespace(namespace).destroy();
  }

  @Override
  public void setMaintenance(boolean on) {
    coordinate.setMaintenance(on, on ? "database upgrade" : "");
  }

  @Override
  public Map<String, Object> serverConfig() {
    return CONFIG;
  }
}
