package io.coordinate.api;

import io.coordinate.api.data.ByteString;
import java.util.Objects;

/**
 * The key of a work unit: arbitrary bytes (not necessarily UTF-8), compared unsigned byte-wise, equal
 * by content. Most keys are text, so {@link #of(String)} and {@link #toString()} make them easy to
 * write and read.
 */
public record WorkUnitKey(ByteString bytes) implements Comparable<WorkUnitKey> {
  public WorkUnitKey {
    Objects.requireNonNull(bytes, "bytes");
  }

  /** The key whose bytes are the UTF-8 encoding of {@code text}. */
  public static WorkUnitKey of(String text) {
    return new WorkUnitKey(ByteString.utf8(text));
  }

  /** The key with a copy of these bytes. */
  public static WorkUnitKey of(byte[] bytes) {
    return new WorkUnitKey(ByteString.copyOf(bytes));
  }

  /** A copy of the key's bytes. */
  public byte[] toByteArray() {
    return bytes.toByteArray();
  }

  /** The key as UTF-8 text (malformed bytes become U+FFFD; see {@link #isUtf8()}). */
  public String toUtf8() {
    return bytes.toUtf8();
  }

  /** True if the key's bytes are well-formed UTF-8. */
  public boolean isUtf8() {
    return bytes.isValidUtf8();
  }

  @Override
  public int compareTo(WorkUnitKey other) {
    return bytes.compareTo(other.bytes);
  }

  /** The text of the key, or {@code 0x} and hex digits when it is not UTF-8. */
  @Override
  public String toString() {
    return bytes.toString();
  }
}
