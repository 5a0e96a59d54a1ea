package io.coordinate.client;

import io.coordinate.api.Coordinate;
import io.coordinate.api.MaintenanceState;
import io.coordinate.api.Namespace;
import io.coordinate.rest.AdminServer;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Test-only: a backend served in this JVM by an {@link AdminServer} on 127.0.0.1 (a free port),
 * and a {@link RemoteCoordinate} connected to it. Calls go to the remote client; {@link #close()}
 * closes the client (and any {@link #anotherClient()}), stops the server and closes the backend.
 *
 * <p>The backend takes its time from the clock the test gave it, so a test that moves that clock
 * moves the daemon's: this is the conformance kit's test-only hook for expiry over HTTP.
 */
final class Served implements Coordinate {
  private final Coordinate backend;
  private final AdminServer server;
  private final RemoteCoordinate remote;
  private final List<RemoteCoordinate> others = new ArrayList<>();

  private Served(Coordinate backend, AdminServer server, RemoteCoordinate remote) {
    this.backend = backend;
    this.server = server;
    this.remote = remote;
  }

  /** Serves {@code backend} without a token and connects a client to it. */
  static Served start(Coordinate backend) {
    AdminServer server;
    try {
      server = new AdminServer(AdminServer.Settings.loopback(backend)).start();
    } catch (RuntimeException e) {
      backend.close();
      throw e;
    }
    return new Served(backend, server, RemoteCoordinate.connect(url(server)));
  }

  static URI url(AdminServer server) {
    return URI.create("http://127.0.0.1:" + server.port());
  }

  /** The daemon's address. */
  URI url() {
    return url(server);
  }

  /** The backend behind the server (to look past the REST API). */
  Coordinate backend() {
    return backend;
  }

  /** The client every call of this object goes through. */
  RemoteCoordinate remote() {
    return remote;
  }

  /** A second client of the same server, closed with this object: a second program. */
  synchronized RemoteCoordinate anotherClient() {
    RemoteCoordinate other = RemoteCoordinate.connect(url());
    others.add(other);
    return other;
  }

  @Override
  public Namespace namespace(String name) {
    return remote.namespace(name);
  }

  @Override
  public List<String> namespaceNames() {
    return remote.namespaceNames();
  }

  @Override
  public MaintenanceState maintenance() {
    return remote.maintenance();
  }

  @Override
  public void setMaintenance(boolean on, String reason) {
    remote.setMaintenance(on, reason);
  }

  @Override
  public void close() {
    try {
      remote.close();
      synchronized (this) {
        others.forEach(RemoteCoordinate::close);
      }
    } finally {
      try {
        server.close();
      } finally {
        backend.close();
      }
    }
  }
}
