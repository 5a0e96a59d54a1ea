package io.coordinate.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.coordinate.api.data.Tuple;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A CBOR-RPC client for tests, over a real socket. By default it speaks like the Python 2 client
 * ({@link #pythonStyle}): the request map's keys, the method name and every string parameter go out
 * as byte strings. Replies are read with {@link TestCbor}, as strictly as the Python client reads
 * them, and checked to carry the id of their request.
 */
final class RpcTestClient implements Closeable {
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private long nextId = 1;
  /** Ids sent with {@link #send} whose replies have not been received yet, oldest first. */
  private final ArrayDeque<Long> outstanding = new ArrayDeque<>();

  /** Send keys, method names and strings as byte strings, as the Python 2 client does. */
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

  /** Calls a method whose result is a pair {@code [value, message]} and returns the pair. */
  List<Object> pair(String method, Object... params) throws IOException {
    Object result = call(method, params);
    List<Object> items = asList(result);
    assertThat(items).as("reply of %s must be a pair, got %s", method, result).hasSize(2);
    return items;
  }

  /** Calls a method that must answer {@code [true, null]}. */
  void ok(String method, Object... params) throws IOException {
    assertThat(pair(method, params)).as("reply of %s", method).containsExactly(true, null);
  }

  /** An array or a tuple as a list; fails on anything else. */
  static List<Object> asList(Object value) {
    if (value instanceof Tuple t) {
      return t.items();
    }
    if (value instanceof List<?> l) {
      return new ArrayList<>(l);
    }
    throw new AssertionError("expected an array or a tuple, got " + value);
  }

  /** Sends one request without waiting for the reply (for pipelining); returns its id. */
  long send(String method, Object... params) throws IOException {
    long id = nextId++;
    sendRaw(frame(request(id, method, Arrays.asList(params))));
    outstanding.add(id);
    return id;
  }

  /** Sends bytes as they are; the next {@link #receive} expects no particular id. */
  void sendRaw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /**
   * The next response map. If it answers a request made with {@link #send}, its id must be that
   * request's: replies come back in order.
   */
  Map<Object, Object> receive() throws IOException {
    Map<Object, Object> response = receiveAny();
    Long expected = outstanding.poll();
    if (expected != null) {
      assertThat(response.get("id")).as("id of the reply").isEqualTo(expected);
    }
    return response;
  }

  /** The next response map, whatever its id. */
  Map<Object, Object> receiveAny() throws IOException {
    byte[] content = Frames.read(in, Integer.MAX_VALUE);
    if (content == null) {
      throw new EOFException("server closed the connection");
    }
    return TestCbor.decodeMap(content);
  }

  /** True if the server has closed the connection (reads end of stream before any reply). */
  boolean closedByServer() throws IOException {
    try {
      return in.read() < 0;
    } catch (java.net.SocketException e) {
      return true; // reset by the server
    }
  }

  static Object result(Map<Object, Object> response) {
    if (response.containsKey("error")) {
      throw new ServerError(errorMessage(response));
    }
    if (!response.containsKey("result")) {
      throw new AssertionError("response without a result: " + response);
    }
    return response.get("result");
  }

  /** The message of an error response; fails if the response is not an error. */
  static String errorMessage(Map<Object, Object> response) {
    assertThat(response).as("an error response").containsKey("error").doesNotContainKey("result");
    Object error = response.get("error");
    assertThat(error).as("error of %s", response).isInstanceOf(Map.class);
    Object message = ((Map<?, ?>) error).get("message");
    assertThat(message).as("error message of %s", response).isNotNull();
    return message instanceof String s ? s : message.toString();
  }

  /** The CBOR bytes of a request map, Python-style when {@link #pythonStyle}. */
  byte[] request(long id, String method, List<Object> params) {
    Map<Object, Object> request = new LinkedHashMap<>();
    request.put("id", id);
    request.put("method", method);
    request.put("params", new ArrayList<>(params));
    return TestCbor.encode(request, pythonStyle);
  }

  /** Any map encoded the way this client encodes requests. */
  byte[] encode(Object value) {
    return TestCbor.encode(value, pythonStyle);
  }

  /** {@code content} framed as tag 24 around a byte string. */
  static byte[] frame(byte[] content) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try {
      Frames.write(b, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
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
