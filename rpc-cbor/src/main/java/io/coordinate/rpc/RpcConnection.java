package io.coordinate.rpc;

import io.coordinate.api.CoordinateException;
import io.coordinate.api.InvalidRequestException;
import io.coordinate.api.data.CborCodec;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection, served by one virtual thread: read a frame, answer it, repeat. Requests are
 * answered one at a time in the order they arrive, which is what pipelining clients rely on;
 * replies are flushed once no further request is already waiting, so a pipelined burst goes out in
 * few packets. A client that does not read its replies only blocks its own thread.
 */
final class RpcConnection implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(RpcConnection.class);

  private final Socket socket;
  private final JobServer jobServer;
  private final int maxFrameBytes;
  private final CborRpcServer owner;
  // Guarded by this: a request is either refused (stopping) or handled to its reply (busy).
  private boolean busy;
  private boolean stopping;

  RpcConnection(Socket socket, JobServer jobServer, int maxFrameBytes, CborRpcServer owner) {
    this.socket = socket;
    this.jobServer = jobServer;
    this.maxFrameBytes = maxFrameBytes;
    this.owner = owner;
  }

  @Override
  public void run() {
    try (socket) {
      InputStream in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
      OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
      while (true) {
        byte[] frame;
        try {
          frame = Frames.read(in, maxFrameBytes);
        } catch (Frames.FramingException e) {
          // The stream cannot be resynchronized: say why, then hang up on this client only.
          writeError(out, null, e.getMessage());
          out.flush();
          return;
        }
        if (frame == null) {
          return; // the client closed the connection between requests
        }
        if (!beginRequest()) {
          return; // stopping: this request was never acted on
        }
        Frames.write(out, WireEncoder.encode(handle(frame)));
        boolean keepGoing = endRequest();
        if (!keepGoing || in.available() == 0) {
          out.flush();
        }
        if (!keepGoing) {
          return;
        }
      }
    } catch (EOFException | SocketException e) {
      log.debug("connection from {} ended: {}", socket.getRemoteSocketAddress(), e.getMessage());
    } catch (IOException e) {
      log.info("connection from {} failed: {}", socket.getRemoteSocketAddress(), e.toString());
    } catch (RuntimeException e) {
      log.error("connection from {} broke", socket.getRemoteSocketAddress(), e);
    } finally {
      owner.closed(this);
    }
  }

  /** Decodes one request and produces its response map; never throws. */
  private Map<String, Object> handle(byte[] frame) {
    Object id = null;
    try {
      Map<String, Object> request;
      try {
        request = CborCodec.decodeMap(frame);
      } catch (InvalidRequestException e) {
        return error(null, "malformed request: " + e.getMessage());
      }
      id = request.get("id");
      String method = Params.asString(request.get("method"));
      if (method == null) {
        return error(id, "request has no method name");
      }
      Object rawParams = request.get("params");
      List<?> params = rawParams == null ? List.of() : Params.asList(rawParams);
      if (params == null) {
        return error(id, "params of " + method + " must be a list");
      }
      Object result = jobServer.call(method, params);
      Map<String, Object> response = new LinkedHashMap<>(4);
      response.put("id", id);
      response.put("result", result);
      return response;
    } catch (RpcError e) {
      return error(id, e.getMessage());
    } catch (CoordinateException e) {
      return error(id, e.getMessage());
    } catch (RuntimeException e) {
      log.error("request {} failed unexpectedly", id, e);
      return error(id, "internal server error: " + e.getClass().getSimpleName());
    }
  }

  private static Map<String, Object> error(Object id, String message) {
    Map<String, Object> response = new LinkedHashMap<>(4);
    response.put("id", id);
    response.put("error", Map.of("message", message == null ? "error" : message));
    return response;
  }

  private static void writeError(OutputStream out, Object id, String message) throws IOException {
    Frames.write(out, WireEncoder.encode(error(id, message)));
  }

  /**
   * Begins a graceful stop: an idle connection is closed now; a busy one finishes its request,
   * sends the reply, and then closes.
   */
  synchronized void stop() {
    stopping = true;
    if (!busy) {
      closeQuietly();
    }
  }

  private synchronized boolean beginRequest() {
    busy = !stopping;
    return busy;
  }

  /** Ends a request; false if the connection should close now. */
  private synchronized boolean endRequest() {
    busy = false;
    return !stopping;
  }

  void closeQuietly() {
    try {
      socket.close();
    } catch (IOException e) {
      // already closed
    }
  }
}
