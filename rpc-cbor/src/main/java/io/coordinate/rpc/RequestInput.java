package io.coordinate.rpc;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;

/**
 * A connection's input. It is buffered while requests arrive, but an idle connection holds no
 * buffer: after {@link #release()}, a frame's first byte is awaited on the socket directly, and the
 * buffer is allocated again only once a frame has begun. Thousands of
 * idle clients then cost their sockets and parked threads, not buffers.
 *
 * <p>Inside a frame, reads also obey the frame's deadline (see {@link #beginFrame}): a client
 * trickling a byte now and then cannot stretch a frame past it, because each wait on the socket is
 * given only the time that is left, not a fresh timeout.
 */
final class RequestInput extends InputStream {
  /** Big enough for a pipelined burst of ordinary requests per read; larger reads bypass it. */
  static final int BUFFER_BYTES = 8 * 1024;

  private final Socket socket;
  private final InputStream raw;
  private byte[] buffer;
  private int position;
  private int limit;
  /** {@link System#nanoTime()} by which the frame being read must be complete; 0: none. */
  private long frameDeadline;
  /** The socket's read timeout as last set, so that it is set only when it changes. */
  private int soTimeout;

  RequestInput(Socket socket) throws IOException {
    this.socket = socket;
    this.raw = socket.getInputStream();
    this.soTimeout = socket.getSoTimeout();
  }

  /** From now on, reading waits no later than {@code deadlineNanos} (a nanoTime reading). */
  void beginFrame(long deadlineNanos) {
    frameDeadline = deadlineNanos == 0 ? 1 : deadlineNanos;
  }

  /** Reading waits without limit again (between frames, a client may stay idle). */
  void endFrame() {
    frameDeadline = 0;
  }

  /** Lets go of the buffer if it holds nothing: the connection is about to wait idle. */
  void release() {
    if (position == limit) {
      buffer = null;
      position = 0;
      limit = 0;
    }
  }

  @Override
  public int read() throws IOException {
    if (position < limit) {
      return buffer[position++] & 0xff;
    }
    if (buffer == null && frameDeadline == 0) {
      // Idle: wait for a frame's first byte without holding a buffer meanwhile.
      byte[] one = new byte[1];
      int n = rawRead(one, 0, 1);
      return n <= 0 ? -1 : one[0] & 0xff;
    }
    return fill() ? buffer[position++] & 0xff : -1;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    int buffered = limit - position;
    if (buffered > 0) {
      int n = Math.min(buffered, len);
      System.arraycopy(buffer, position, b, off, n);
      position += n;
      return n;
    }
    if (len >= BUFFER_BYTES) {
      return rawRead(b, off, len); // a large frame's content: no point copying it twice
    }
    if (!fill()) {
      return -1;
    }
    int n = Math.min(limit - position, len);
    System.arraycopy(buffer, position, b, off, n);
    position += n;
    return n;
  }

  @Override
  public int available() throws IOException {
    return (limit - position) + raw.available();
  }

  /** Refills the (empty) buffer; false at the end of the stream. */
  private boolean fill() throws IOException {
    if (buffer == null) {
      buffer = new byte[BUFFER_BYTES];
    }
    position = 0;
    limit = 0;
    int n = rawRead(buffer, 0, buffer.length);
    if (n <= 0) {
      return false;
    }
    limit = n;
    return true;
  }

  private int rawRead(byte[] b, int off, int len) throws IOException {
    int timeout = 0;
    if (frameDeadline != 0) {
      long left = frameDeadline - System.nanoTime();
      if (left <= 0) {
        throw new SocketTimeoutException("frame deadline passed");
      }
      timeout = (int) Math.max(1, Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(left)));
    }
    if (timeout != soTimeout) {
      socket.setSoTimeout(timeout);
      soTimeout = timeout;
    }
    return raw.read(b, off, len);
  }
}
