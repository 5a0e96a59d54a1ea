package io.coordinate.rpc;

import io.coordinate.api.Deadline;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection, served by one virtual thread: read a frame, answer it, repeat. Requests are
 * answered one at a time in the order they arrive, which is what pipelining clients rely on;
 * replies are flushed once no further request is already waiting, so a pipelined burst goes out in
 * few packets. A client that does not read its replies only blocks its own thread, and no further
 * request of its is read meanwhile, so it holds at most one reply beyond the socket's buffers;
 * after the write timeout the server's watchdog closes it ({@link #closeIfWriteStalled}). Each
 * request runs under a {@link Deadline} counted from when its frame was read.
 *
 * <p>Every request whose frame has been read gets a reply, even during a graceful stop; a request
 * that cannot be decoded gets an error reply carrying its id when the id can be read at all.
 */
final class RpcConnection implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(RpcConnection.class);

  /** How long a refused client's further input is discarded before the connection closes. */
  private static final Duration LINGER = Duration.ofSeconds(1);

  private final Socket socket;
  private final RequestHandler handler;
  private final int maxFrameBytes;
  private final long frameTimeoutNanos;
  private final Duration requestTimeout;
  private final CborRpcServer owner;
  private final RpcMetrics metrics;
  /** The connection's output once it is served, for the write watchdog. */
  private volatile ReplyOutput output;
  // Guarded by this. busy: a request is being answered, so a stop must let it finish; stopping:
  // close after the current reply instead of reading another request.
  private boolean busy;
  private boolean stopping;

  RpcConnection(
      Socket socket, JobServer jobServer, CborRpcServer.Settings settings, CborRpcServer owner) {
    this.socket = socket;
    this.handler = new RequestHandler(jobServer);
    this.maxFrameBytes = settings.maxFrameBytes();
    this.frameTimeoutNanos = settings.frameTimeout().toNanos();
    this.requestTimeout = settings.requestTimeout();
    this.owner = owner;
    this.metrics = jobServer.metrics();
  }

  @Override
  public void run() {
    try (socket) {
      // Buffers come and go with requests (see RequestInput, ReplyOutput): idle costs none.
      RequestInput in = new RequestInput(socket);
      ReplyOutput out = new ReplyOutput(socket.getOutputStream());
      output = out;
      while (true) {
        byte[] frame;
        try {
          // No limit while idle between frames; once a frame has begun, it must arrive in time.
          frame =
              Frames.read(
                  in, maxFrameBytes, () -> in.beginFrame(System.nanoTime() + frameTimeoutNanos));
          in.endFrame();
        } catch (Frames.FramingException e) {
          // The stream cannot be resynchronized: say why, then hang up on this client only.
          refuse(socket, in, out, e.getMessage(), true);
          return;
        } catch (SocketTimeoutException e) {
          metrics.timedOut(RpcMetrics.FRAME);
          String message = "frame not completed within " + frameTimeoutNanos / 1_000_000 + " ms";
          refuse(socket, in, out, message, true);
          return;
        }
        if (frame == null) {
          return; // the client closed the connection between requests (or the server stops)
        }
        long readAt = System.nanoTime(); // the request's deadline counts from here
        byte[] request = frame;
        beginRequest();
        byte[] reply = Deadline.within(readAt, requestTimeout, () -> handler.reply(request));
        Frames.write(out, reply);
        boolean keepGoing = endRequest();
        boolean idle = in.available() == 0;
        if (!keepGoing || idle) {
          out.flush();
        }
        if (!keepGoing) {
          return;
        }
        if (idle) {
          in.release();
          out.release();
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

  /**
   * Sends an error (about the framing, or the connection limit) and ends the connection so that the
   * client still gets to read it: closing a socket with unread input resets the connection, and a
   * reset may destroy the reply before the client has read it. So this side ends its output first,
   * then discards whatever the client still sends for a short while (bounded in time; nothing is
   * kept). Without {@code linger}, it closes at once (the server is flooded with connections).
   */
  private static void refuse(
      Socket socket, RequestInput in, ReplyOutput out, String message, boolean linger)
      throws IOException {
    Frames.write(out, WireEncoder.encode(RequestHandler.error(null, message)));
    out.flush();
    socket.shutdownOutput();
    if (!linger) {
      return;
    }
    in.beginFrame(System.nanoTime() + LINGER.toNanos()); // the discarding has a deadline too
    byte[] sink = new byte[RequestInput.BUFFER_BYTES];
    try {
      while (in.read(sink) >= 0) {
        // discard
      }
    } catch (SocketTimeoutException e) {
      // the client neither sent more nor closed: close now
    }
  }

  /** Refuses a client that is not served at all (over the connection limit); see above. */
  static void refuse(Socket socket, String message, boolean linger) throws IOException {
    RequestInput in = new RequestInput(socket);
    refuse(socket, in, new ReplyOutput(socket.getOutputStream()), message, linger);
  }

  /**
   * Closes the connection if writing a reply has been blocked for {@code limitNanos} or more at
   * {@code now} (a {@link System#nanoTime()} reading): its client does not read. Called by the
   * server's watchdog; true if it closed the connection.
   */
  boolean closeIfWriteStalled(long now, long limitNanos) {
    ReplyOutput out = output;
    long since = out == null ? 0 : out.writingSince();
    if (since == 0 || now - since < limitNanos) {
      return false;
    }
    log.info(
        "closing the connection from {}: it has not read its replies for {} ms",
        socket.getRemoteSocketAddress(),
        Duration.ofNanos(now - since).toMillis());
    closeQuietly();
    return true;
  }

  /**
   * Begins a graceful stop: nothing more is read; a request already read (or being answered) gets
   * its reply, and then the connection closes. An idle connection's reader sees the end of input
   * at once and closes.
   */
  synchronized void stop() {
    stopping = true;
    if (!busy) {
      try {
        // Not close(): a frame that was read a moment ago must still be answered on this socket.
        socket.shutdownInput();
      } catch (IOException e) {
        closeQuietly();
      }
    }
  }

  private synchronized void beginRequest() {
    busy = true;
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
