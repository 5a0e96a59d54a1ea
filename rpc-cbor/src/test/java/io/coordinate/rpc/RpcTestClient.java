package io.coordinate.rpc;

import io.coordinate.api.data.ByteString;
import io.coordinate.api.data.CborCodec;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A CBOR-RPC client for tests, over a real socket. Like the Python 2 client it can send the request
 * map's keys and the method name as byte strings ({@link #pythonStyle}).
 */
final class RpcTestClient implements Closeable {
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private long nextId = 1;
  /** Send keys and method names as byte strings, as the Python 2 client does. */
  boolean pythonStyle = true;

  RpcTestClient(InetSocketAddress address) throws IOException {
    socket = new Socket(address.getAddress(), address.getPort());
    socket.setSoTimeout(30_000);
    in = new BufferedInputStream(socket.getInputStream());
    out = socket.getOutputStream();
  }

  /** Calls a method and returns its {@code result}; an error response throws {@link ServerError}. */
  Object call(String method, Object... params) throws IOException {
    send(method, params);
    return result(receive());
  }

  /** Sends one request without waiting for the reply (for pipelining); returns its id. */
  long send(String method, Object... params) throws IOException {
    long id = nextId++;
    sendRaw(frame(request(id, method, List.of(params))));
    return id;
  }

  void sendRaw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** The next response map. */
  Map<String, Object> receive() throws IOException {
    byte[] content = Frames.read(in, Integer.MAX_VALUE);
    if (content == null) {
      throw new java.io.EOFException("server closed the connection");
    }
    return CborCodec.decodeMap(content);
  }

  static Object result(Map<String, Object> response) {
    if (response.containsKey("error")) {
      Object error = response.get("error");
      throw new ServerError(String.valueOf(error instanceof Map<?, ?> m ? m.get("message") : error));
    }
    if (!response.containsKey("result")) {
      throw new AssertionError("response without a result: " + response);
    }
    return response.get("result");
  }

  /** The CBOR bytes of a request map, keys as byte strings when {@link #pythonStyle}. */
  byte[] request(long id, String method, List<Object> params) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(0xa3); // map of 3 pairs
    key(b, "id");
    b.writeBytes(CborCodec.encode(id));
    key(b, "method");
    b.writeBytes(CborCodec.encode(pythonStyle ? ByteString.utf8(method) : method));
    key(b, "params");
    b.writeBytes(CborCodec.encode(new ArrayList<>(params)));
    return b.toByteArray();
  }

  private void key(ByteArrayOutputStream b, String name) {
    byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
    b.write((pythonStyle ? 0x40 : 0x60) | bytes.length);
    b.writeBytes(bytes);
  }

  static byte[] frame(byte[] content) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try {
      Frames.write(b, content);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return b.toByteArray();
  }

  Socket socket() {
    return socket;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  /** An error response. */
  static final class ServerError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ServerError(String message) {
      super(message);
    }
  }
}
