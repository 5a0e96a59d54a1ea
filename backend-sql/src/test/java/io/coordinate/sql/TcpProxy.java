package io.coordinate.sql;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.HashSet;
import java.util.Set;

/**
 * A TCP proxy on a loopback port that a test can cut and restore, to play a database outage
 * without touching the database: {@link #cut()} closes every forwarded connection and refuses new
 * ones (they are accepted and closed at once, as a server that is down would reset them), and
 * {@link #restore()} forwards again on the same port.
 */
public final class TcpProxy implements AutoCloseable {
  private final ServerSocket server;
  private final InetSocketAddress target;
  private final Set<Socket> open = new HashSet<>(); // guarded by this
  private boolean cut; // guarded by this

  public TcpProxy(String targetHost, int targetPort) throws IOException {
    this.target = new InetSocketAddress(targetHost, targetPort);
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofPlatform().name("proxy-accept").daemon().start(this::acceptLoop);
  }

  /** The loopback port clients connect to. */
  public int port() {
    return server.getLocalPort();
  }

  /** Closes every forwarded connection and refuses new ones until {@link #restore()}. */
  public synchronized void cut() {
    cut = true;
    for (Socket s : open) {
      abort(s);
    }
    open.clear();
  }

  /** Forwards new connections again. */
  public synchronized void restore() {
    cut = false;
  }

  @Override
  public void close() throws IOException {
    cut();
    server.close();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      Thread.ofPlatform().name("proxy-connect").daemon().start(() -> connect(client));
    }
  }

  private void connect(Socket client) {
    Socket upstream = new Socket();
    try {
      if (isCut()) {
        abort(client);
        return;
      }
      upstream.connect(target, 5_000);
    } catch (IOException e) {
      abort(client);
      abort(upstream);
      return;
    }
    synchronized (this) {
      if (cut) { // cut while connecting
        abort(client);
        abort(upstream);
        return;
      }
      open.add(client);
      open.add(upstream);
    }
    Thread.ofPlatform().name("proxy-up").daemon().start(() -> pump(client, upstream));
    Thread.ofPlatform().name("proxy-down").daemon().start(() -> pump(upstream, client));
  }

  private synchronized boolean isCut() {
    return cut;
  }

  /** Copies bytes one way until either side ends, then closes both. */
  private void pump(Socket from, Socket to) {
    byte[] buffer = new byte[16 * 1024];
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // one side went away: the other goes too
    } finally {
      synchronized (this) {
        open.remove(from);
        open.remove(to);
      }
      abort(from);
      abort(to);
    }
  }

  /** Closes with a reset rather than an orderly shutdown, as a dropped connection looks. */
  private static void abort(Socket s) {
    try {
      if (!s.isClosed() && s.isConnected()) {
        s.setSoLinger(true, 0);
      }
      s.close();
    } catch (IOException e) {
      // already gone
    }
  }
}
