package io.coordinate.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.coordinate.api.data.CborCodec;
import io.coordinate.rpc.Frames;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A minimal CBOR-RPC client for tests: request maps with text keys, one reply at a time. */
final class Rpc implements AutoCloseable {
  private final Socket socket;
  private final OutputStream out;
  private final InputStream in;
  private long id;

  Rpc(InetSocketAddress address) throws IOException {
    socket = new Socket(address.getAddress(), address.getPort());
    socket.setSoTimeout(30_000);
    out = socket.getOutputStream();
    in = new BufferedInputStream(socket.getInputStream());
  }

  /** Calls a method and returns the {@code result} of its reply, which must have one. */
  Object call(String method, Object... params) throws IOException {
    Map<String, Object> reply = request(method, params);
    assertThat(reply).as("reply to %s", method).containsKey("result");
    return reply.get("result");
  }

  /** Sends one request and returns its whole reply map (a result or an error). */
  Map<String, Object> request(String method, Object... params) throws IOException {
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("id", ++id);
    request.put("method", method);
    request.put("params", new ArrayList<>(List.of(params)));
    Frames.write(out, CborCodec.encode(request));
    out.flush();
    byte[] content = Frames.read(in, Integer.MAX_VALUE);
    if (content == null) {
      throw new EOFException("the daemon closed the connection");
    }
    Map<String, Object> reply = CborCodec.decodeMap(content);
    assertThat(reply.get("id")).isEqualTo(id);
    return reply;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
