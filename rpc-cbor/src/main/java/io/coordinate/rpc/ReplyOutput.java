package io.coordinate.rpc;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A connection's output: replies are buffered while a pipelined burst is answered, the buffer is
 * let go once the connection is idle ({@link #release()}), and every write to the socket is timed
 * so that a watchdog can tell a client that stopped reading ({@link #writingSince()}).
 *
 * <p>Writes to the socket go in pieces of at most {@link #WRITE_CHUNK} bytes, each timed on its
 * own: a large reply to a slow but reading client makes progress and is not mistaken for a stall.
 */
final class ReplyOutput extends OutputStream {
  /** Holds some dozens of ordinary replies; a larger reply goes to the socket directly. */
  static final int BUFFER_BYTES = 8 * 1024;

  private static final int WRITE_CHUNK = 16 * 1024;

  private final OutputStream raw;
  private byte[] buffer;
  private int count;
  /** {@link System#nanoTime()} when the socket write under way began; 0: none is. */
  private volatile long writeStarted;

  ReplyOutput(OutputStream raw) {
    this.raw = raw;
  }

  @Override
  public void write(int b) throws IOException {
    if (buffer == null) {
      buffer = new byte[BUFFER_BYTES];
    } else if (count == buffer.length) {
      drain();
    }
    buffer[count++] = (byte) b;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    if (len >= BUFFER_BYTES) {
      drain();
      rawWrite(b, off, len);
      return;
    }
    if (buffer == null) {
      buffer = new byte[BUFFER_BYTES];
    } else if (len > buffer.length - count) {
      drain();
    }
    System.arraycopy(b, off, buffer, count, len);
    count += len;
  }

  @Override
  public void flush() throws IOException {
    drain();
    raw.flush();
  }

  /** Lets go of the buffer if it holds nothing: the connection is about to wait idle. */
  void release() {
    if (count == 0) {
      buffer = null;
    }
  }

  /**
   * When the socket write under way began (a {@link System#nanoTime()} reading), or 0 if none is:
   * read by the watchdog from another thread.
   */
  long writingSince() {
    return writeStarted;
  }

  private void drain() throws IOException {
    if (count > 0) {
      rawWrite(buffer, 0, count);
      count = 0;
    }
  }

  private void rawWrite(byte[] b, int off, int len) throws IOException {
    try {
      while (len > 0) {
        int n = Math.min(len, WRITE_CHUNK);
        long now = System.nanoTime();
        writeStarted = now == 0 ? 1 : now;
        raw.write(b, off, n);
        off += n;
        len -= n;
      }
    } finally {
      writeStarted = 0;
    }
  }
}
