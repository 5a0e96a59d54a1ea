package io.coordinate.rpc;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The framing of CBOR-RPC: every message is CBOR tag 24 ("encoded CBOR data item") wrapping a byte
 * string whose content is the message map. Reading checks the two headers by hand, so a frame's
 * size is known (and limited) before any of it is buffered. Public for clients written in Java
 * (the load generator), so the framing lives in one place.
 */
public final class Frames {
  private Frames() {}

  /** The framing itself is broken: the connection cannot be read further. */
  static final class FramingException extends IOException {
    private static final long serialVersionUID = 1L;

    FramingException(String message) {
      super(message);
    }
  }

  /** Told when a frame's first byte has arrived, before the rest is read. */
  interface FrameStart {
    void started() throws IOException;
  }

  /**
   * Reads one frame's content, or returns {@code null} at a clean end of stream (between frames).
   *
   * @throws FramingException if the bytes are not a tag-24 byte string, or it is larger than {@code
   *     maxBytes}
   * @throws EOFException if the stream ends inside a frame
   */
  public static byte[] read(InputStream in, int maxBytes) throws IOException {
    return read(in, maxBytes, () -> {});
  }

  /** As {@link #read(InputStream, int)}, calling {@code onStart} once a frame has begun. */
  static byte[] read(InputStream in, int maxBytes, FrameStart onStart) throws IOException {
    int first = in.read();
    if (first < 0) {
      return null;
    }
    onStart.started();
    long tag = argument(in, first, 6, "a tag-24 frame");
    if (tag != 24) {
      throw new FramingException("expected a frame (CBOR tag 24), got tag " + tag);
    }
    int header = readByte(in);
    long length = argument(in, header, 2, "a byte string inside tag 24");
    if (length > maxBytes) {
      throw new FramingException(
          "frame of " + length + " bytes is larger than the limit of " + maxBytes + " bytes");
    }
    byte[] content = in.readNBytes((int) length);
    if (content.length != length) {
      throw new EOFException("connection closed inside a frame");
    }
    return content;
  }

  /** Reads the argument of a CBOR head whose first byte is {@code initial} and checks its type. */
  private static long argument(InputStream in, int initial, int majorType, String expected)
      throws IOException {
    if (initial >>> 5 != majorType) {
      throw new FramingException(
          "expected " + expected + ", got CBOR major type " + (initial >>> 5));
    }
    int info = initial & 0x1f;
    if (info < 24) {
      return info;
    }
    int size =
        switch (info) {
          case 24 -> 1;
          case 25 -> 2;
          case 26 -> 4;
          case 27 -> 8;
          default -> throw new FramingException(
              "expected " + expected + " with a definite length, got additional info " + info);
        };
    long value = 0;
    for (int i = 0; i < size; i++) {
      value = (value << 8) | readByte(in);
    }
    if (value < 0) {
      throw new FramingException("length out of range");
    }
    return value;
  }

  private static int readByte(InputStream in) throws IOException {
    int b = in.read();
    if (b < 0) {
      throw new EOFException("connection closed inside a frame");
    }
    return b;
  }

  /** Writes {@code content} as one frame (not flushed). */
  public static void write(OutputStream out, byte[] content) throws IOException {
    out.write(0xd8);
    out.write(24);
    int n = content.length;
    if (n < 24) {
      out.write(0x40 | n);
    } else if (n < 0x100) {
      out.write(0x58);
      out.write(n);
    } else if (n < 0x10000) {
      out.write(0x59);
      out.write(n >>> 8);
      out.write(n);
    } else {
      out.write(0x5a);
      out.write(n >>> 24);
      out.write(n >>> 16);
      out.write(n >>> 8);
      out.write(n);
    }
    out.write(content);
  }
}
