package io.coordinate.bench;

import io.coordinate.api.data.CborCodec;
import io.coordinate.rpc.Frames;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A minimal blocking CBOR-RPC client for the load generator: one connection, one request at a
 * time. Requests are {@code {id, method, params}} maps with text keys, encoded with the API's
 * {@link CborCodec} and framed as tag 24 around a byte string; replies are read with {@link
 * ReplyDecoder} and must carry the request's id. Not thread-safe: one per connection.
 */
final class RpcClient implements Closeable {
  /** The server answered with an error reply, or with something this client cannot read. */
  static final class RpcException extends IOException {
    private static final long serialVersionUID = 1L;

    RpcException(String message) {
      super(message);
    }
  }

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private long nextId = 1;

  RpcClient(String host, int port) throws IOException {
    socket = new Socket(host, port);
    socket.setTcpNoDelay(true);
    socket.setSoTimeout(120_000); // a stuck server fails the run instead of hanging it
    in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
    out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
  }

  /** Calls {@code method} and returns the reply's {@code result}. */
  Object call(String method, Object... params) throws IOException {
    long id = nextId++;
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("id", id);
    request.put("method", method);
    request.put("params", Arrays.asList(params));
    Frames.write(out, CborCodec.encode(request));
    out.flush();
    Object reply = ReplyDecoder.decode(readFrame());
    if (!(reply instanceof Map<?, ?> map)) {
      throw new RpcException(method + ": reply is not a map: " + reply);
    }
    if (!Long.valueOf(id).equals(map.get("id"))) {
      throw new RpcException(method + ": reply id " + map.get("id") + ", expected " + id);
    }
    if (map.containsKey("error")) {
      throw new RpcException(method + ": error reply " + map.get("error"));
    }
    if (!map.containsKey("result")) {
      throw new RpcException(method + ": reply without a result: " + map);
    }
    return map.get("result");
  }

  /**
   * Calls a method that answers a pair {@code [value, message]} and returns the value; a non-null
   * message with a false or null value (an in-band failure) throws.
   */
  Object callPair(String method, Object... params) throws IOException {
    Object result = call(method, params);
    List<?> pair = result instanceof ReplyDecoder.Tup t ? t.items() : (List<?>) result;
    if (pair.size() != 2) {
      throw new RpcException(method + ": expected [value, message], got " + result);
    }
    Object value = pair.get(0);
    if (pair.get(1) != null && (value == null || Boolean.FALSE.equals(value))) {
      throw new RpcException(method + ": " + pair.get(1));
    }
    return value;
  }

  private byte[] readFrame() throws IOException {
    byte[] content = Frames.read(in, Integer.MAX_VALUE - 8);
    if (content == null) {
      throw new EOFException("connection closed by the server");
    }
    return content;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
