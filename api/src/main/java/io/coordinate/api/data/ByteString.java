package io.coordinate.api.data;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * An immutable string of bytes: equal by content, ordered unsigned byte-wise (so {@code 0x80} sorts
 * after {@code 0x7f}), as a byte string in a data map and as the bytes of a work unit key.
 */
public final class ByteString implements Comparable<ByteString> {
  /** The empty byte string. */
  public static final ByteString EMPTY = new ByteString(new byte[0]);

  private final byte[] bytes;
  private int hash;

  private ByteString(byte[] bytes) {
    this.bytes = bytes;
  }

  /** A copy of {@code bytes}. */
  public static ByteString copyOf(byte[] bytes) {
    return bytes.length == 0 ? EMPTY : new ByteString(bytes.clone());
  }

  /** A copy of {@code length} bytes of {@code bytes} from {@code offset}. */
  public static ByteString copyOf(byte[] bytes, int offset, int length) {
    return length == 0 ? EMPTY : new ByteString(Arrays.copyOfRange(bytes, offset, offset + length));
  }

  /** The UTF-8 encoding of {@code text}. */
  public static ByteString utf8(String text) {
    return text.isEmpty() ? EMPTY : new ByteString(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Takes ownership of {@code bytes} without copying; only for callers that never touch it again. */
  public static ByteString wrap(byte[] bytes) {
    return bytes.length == 0 ? EMPTY : new ByteString(bytes);
  }

  /** A fresh copy of the bytes. */
  public byte[] toByteArray() {
    return bytes.clone();
  }

  public int size() {
    return bytes.length;
  }

  public byte byteAt(int index) {
    return bytes[index];
  }

  /** True if the bytes are well-formed UTF-8. */
  public boolean isValidUtf8() {
    return Utf8.isValid(bytes);
  }

  /** The bytes decoded as UTF-8; malformed sequences become U+FFFD. */
  public String toUtf8() {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** Lower-case hexadecimal, two digits per byte. */
  public String toHex() {
    return HexFormat.of().formatHex(bytes);
  }

  @Override
  public int compareTo(ByteString other) {
    return Arrays.compareUnsigned(bytes, other.bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ByteString other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0) {
      h = Arrays.hashCode(bytes);
      hash = h;
    }
    return h;
  }

  /** The text itself when the bytes are UTF-8, else {@code 0x} and hex digits. */
  @Override
  public String toString() {
    return isValidUtf8() ? toUtf8() : "0x" + toHex();
  }

  /** Package access to the array for the codec, which only reads it. */
  byte[] unsafeArray() {
    return bytes;
  }
}
