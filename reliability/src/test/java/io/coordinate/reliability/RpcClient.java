package io.coordinate.reliability;

import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import io.coordinate.api.data.CborCodec;
import io.coordinate.rpc.Frames;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A blocking CBOR-RPC client with a connection of its own, as a worker process has. An {@link
 * IOException} means the connection failed (the reply, if any, is unknown); {@link ServerError}
 * means the daemon answered with an error.
 */
final class RpcClient implements Closeable {
  private static final CBORMapper CBOR = new CBORMapper();

  /**
   * The daemon answered with an error (an error reply or an in-band failure): unlike other
   * IOExceptions, the connection is fine. Catch it first.
   */
  static final class ServerError extends IOException {
    private static final long serialVersionUID = 1L;

    ServerError(String message) {
      super(message);
    }
  }

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private long nextId = 1;

  /** Connects; every read waits at most {@code timeout} (then the call fails with an IOException). */
  RpcClient(InetSocketAddress address, Duration timeout) throws IOException {
    socket = new Socket();
    try {
      socket.connect(address, (int) timeout.toMillis());
      socket.setSoTimeout((int) timeout.toMillis());
      socket.setTcpNoDelay(true);
      in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
      out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  /** Calls {@code method}; returns the reply's result, or throws {@link ServerError} for an error. */
  Object call(String method, Object... params) throws IOException {
    long id = send(method, params);
    out.flush();
    return result(id, receive());
  }

  /**
   * Calls a method answering {@code [value, message]}: returns the value, and throws {@link
   * ServerError} when the call failed in-band (a false or null value with a message).
   */
  Object callPair(String method, Object... params) throws IOException {
    Object result = call(method, params);
    if (!(result instanceof List<?> pair) || pair.size() != 2) {
      throw new IOException(method + ": expected [value, message], got " + result);
    }
    if ((pair.get(0) == null || Boolean.FALSE.equals(pair.get(0))) && pair.get(1) != null) {
      throw new ServerError(method + ": " + text(pair.get(1)));
    }
    return pair.get(0);
  }

  /** Writes a request without flushing or waiting; returns its id. */
  long send(String method, Object... params) throws IOException {
    long id = nextId++;
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("id", id);
    request.put("method", method);
    request.put("params", Arrays.asList(params));
    Frames.write(out, CborCodec.encode(request));
    return id;
  }

  void flush() throws IOException {
    out.flush();
  }

  /** Reads the next reply. */
  Map<?, ?> receive() throws IOException {
    byte[] frame = Frames.read(in, Integer.MAX_VALUE);
    if (frame == null) {
      throw new IOException("the daemon closed the connection");
    }
    Object reply = CBOR.readValue(frame, Object.class);
    if (!(reply instanceof Map<?, ?> map)) {
      throw new IOException("reply is not a map: " + reply);
    }
    return map;
  }

  /** The result of reply {@code reply} to request {@code id}. */
  static Object result(long id, Map<?, ?> reply) throws IOException {
    Object error = reply.get("error");
    if (error != null) {
      Object message = error instanceof Map<?, ?> m ? m.get("message") : error;
      throw new ServerError(text(message));
    }
    if (!(reply.get("id") instanceof Number n) || n.longValue() != id) {
      throw new IOException("reply to " + reply.get("id") + ", expected " + id);
    }
    return reply.get("result");
  }

  static String text(Object value) {
    return value instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(value);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
