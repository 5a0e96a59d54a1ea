package io.coordinate.cli;

import io.coordinate.api.Coordinate;
import io.coordinate.rest.AdminServer;
import java.net.URI;

/**
 * Test-only: a backend served in this JVM by the daemon's REST admin server on 127.0.0.1 (a free
 * port), with an admin token. Tests drive it with the tool and look at the result through {@link
 * #backend()}. Closing it stops the server and closes the backend.
 */
final class TestDaemon implements AutoCloseable {
  static final String TOKEN = "s3cret-token";

  private final Coordinate backend;
  private final AdminServer server;

  private TestDaemon(Coordinate backend, AdminServer server) {
    this.backend = backend;
    this.server = server;
  }

  static TestDaemon start(Coordinate backend) {
    try {
      AdminServer server =
          new AdminServer(AdminServer.Settings.loopback(backend).withAdminToken(TOKEN)).start();
      return new TestDaemon(backend, server);
    } catch (RuntimeException e) {
      backend.close();
      throw e;
    }
  }

  String url() {
    return URI.create("http://127.0.0.1:" + server.port()).toString();
  }

  Coordinate backend() {
    return backend;
  }

  @Override
  public void close() {
    try {
      server.close();
    } finally {
      backend.close();
    }
  }
}
