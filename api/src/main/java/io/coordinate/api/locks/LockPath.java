package io.coordinate.api.locks;

import io.coordinate.api.InvalidRequestException;
import io.coordinate.api.Locks;
import io.coordinate.api.data.ByteString;
import io.coordinate.api.data.DataValues;
import io.coordinate.api.data.Tuple;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * A checked lock path (see {@link Locks}) in the canonical form every backend compares: one
 * <em>segment</em> per label, the label's canonical encoding in lower-case hex, and the path's
 * {@link #key()} the segments each followed by {@code /}. Two labels are the same label exactly
 * when their segments are equal, so backends compare strings instead of values:
 *
 * <ul>
 *   <li>the ancestors of a path are the keys of its proper prefixes ({@link #ancestorKeys()});
 *   <li>its descendants are the keys that begin with its key, which are exactly the keys strictly
 *       between {@link #key()} and {@link #descendantBound()} in byte order ({@code /} sorts just
 *       below {@code 0}, and keys hold nothing but hex digits and {@code /}), a range an index
 *       answers.
 * </ul>
 *
 * <p>The encoding: a type byte, then the content; lengths and counts are unsigned LEB128. Text and
 * byte strings holding well-formed UTF-8 share one form (so they are the same label), at any depth.
 * Map entries are sorted by key. An encoding longer than {@value #MAX_RAW_SEGMENT_BYTES} bytes is
 * replaced by {@code ff} and the first 16 bytes of its SHA-256, so keys stay short enough to index
 * whatever the labels (no encoding begins with {@code ff}).
 */
public final class LockPath {
  /** The most labels a path may have. */
  public static final int MAX_DEPTH = 32;

  /** The longest owner, in characters (code points). */
  public static final int MAX_OWNER_LENGTH = 1000;

  /** The longest timeout either way: a hundred years, far inside what every clock can add. */
  public static final Duration MAX_TIMEOUT = Duration.ofDays(36_525);

  /** Encodings up to this long are kept as they are; longer ones are hashed. */
  public static final int MAX_RAW_SEGMENT_BYTES = 24;

  /** What follows every segment in a key. */
  public static final char SEPARATOR = '/';

  private static final HexFormat HEX = HexFormat.of();

  private static final int NULL = 0;
  private static final int FALSE = 1;
  private static final int TRUE = 2;
  private static final int LONG = 3;
  private static final int BIG_INTEGER = 4;
  private static final int DOUBLE = 5;
  private static final int TEXT = 6;
  private static final int BYTES = 7;
  private static final int UUID_TYPE = 8;
  private static final int LIST = 9;
  private static final int TUPLE = 10;
  private static final int MAP = 11;
  /** Text that is not well-formed UTF-16 (a lone surrogate), which no byte string equals. */
  private static final int ILL_FORMED_TEXT = 12;

  private final List<String> segments;
  private final String key;

  private LockPath(List<String> segments) {
    this.segments = Collections.unmodifiableList(segments);
    StringBuilder k = new StringBuilder();
    for (String s : segments) {
      k.append(s).append(SEPARATOR);
    }
    this.key = k.toString();
  }

  /**
   * The path of these labels.
   *
   * @throws InvalidRequestException if {@code labels} is null or empty, longer than {@value
   *     #MAX_DEPTH}, or holds something that is not a data value
   */
  public static LockPath of(List<?> labels) {
    if (labels == null) {
      throw new InvalidRequestException("a lock path must be a list of labels, not null");
    }
    if (labels.isEmpty()) {
      // An empty path would name the root of the tree, which no lock may hold.
      throw new InvalidRequestException("a lock path must hold at least one label");
    }
    if (labels.size() > MAX_DEPTH) {
      throw new InvalidRequestException(
          "a lock path may hold at most " + MAX_DEPTH + " labels, not " + labels.size());
    }
    List<String> segments = new ArrayList<>(labels.size());
    for (Object label : labels) {
      segments.add(segment(label));
    }
    return new LockPath(segments);
  }

  /** The one-label path {@code [label]}. */
  public static LockPath ofLabel(Object label) {
    return new LockPath(new ArrayList<>(List.of(segment(label))));
  }

  /**
   * Every path of a request, checked before anything is done with any of them.
   *
   * @throws InvalidRequestException if {@code paths} is null or one of them is malformed
   */
  public static List<LockPath> all(List<? extends List<?>> paths) {
    if (paths == null) {
      throw new InvalidRequestException("the lock paths must be a list, not null");
    }
    List<LockPath> checked = new ArrayList<>(paths.size());
    for (List<?> path : paths) {
      checked.add(of(path));
    }
    return checked;
  }

  /**
   * {@code owner}, checked.
   *
   * @throws InvalidRequestException if it is null or longer than {@value #MAX_OWNER_LENGTH}
   */
  public static String owner(String owner) {
    if (owner == null) {
      throw new InvalidRequestException("a lock owner must not be null");
    }
    if (owner.length() > MAX_OWNER_LENGTH
        && owner.codePointCount(0, owner.length()) > MAX_OWNER_LENGTH) {
      throw new InvalidRequestException(
          "a lock owner may be at most " + MAX_OWNER_LENGTH + " characters long");
    }
    return owner;
  }

  /**
   * {@code timeout}, checked.
   *
   * @throws InvalidRequestException if it is null or longer than {@link #MAX_TIMEOUT} either way
   */
  public static Duration timeout(Duration timeout) {
    if (timeout == null) {
      throw new InvalidRequestException("a lock timeout must not be null");
    }
    if (timeout.abs().compareTo(MAX_TIMEOUT) > 0) {
      throw new InvalidRequestException(
          "a lock timeout may be at most " + MAX_TIMEOUT.toDays() + " days either way");
    }
    return timeout;
  }

  /** One segment per label. */
  public List<String> segments() {
    return segments;
  }

  /** How many labels the path has. */
  public int depth() {
    return segments.size();
  }

  /** The segments, each followed by {@value #SEPARATOR}. */
  public String key() {
    return key;
  }

  /** The keys of the proper prefixes of this path, shortest first. */
  public List<String> ancestorKeys() {
    List<String> keys = new ArrayList<>(segments.size() - 1);
    int end = 0;
    for (int i = 0; i < segments.size() - 1; i++) {
      end += segments.get(i).length() + 1;
      keys.add(key.substring(0, end));
    }
    return keys;
  }

  /**
   * The least key above every descendant's key: this key with its final {@value #SEPARATOR}
   * replaced by {@code 0}, the character just after it.
   */
  public String descendantBound() {
    return key.substring(0, key.length() - 1) + (char) (SEPARATOR + 1);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LockPath other && other.key.equals(key);
  }

  @Override
  public int hashCode() {
    return key.hashCode();
  }

  @Override
  public String toString() {
    return "LockPath[" + key + "]";
  }

  // ------------------------------------------------------------------ the canonical encoding

  /** The segment of one label. */
  static String segment(Object label) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    encode(DataValues.copyValue(label), out);
    byte[] bytes = out.toByteArray();
    if (bytes.length <= MAX_RAW_SEGMENT_BYTES) {
      return HEX.formatHex(bytes);
    }
    return "ff" + HEX.formatHex(sha256(bytes), 0, 16);
  }

  private static void encode(Object v, ByteArrayOutputStream out) {
    switch (v) {
      case null -> out.write(NULL);
      case Boolean b -> out.write(b ? TRUE : FALSE);
      case Long l -> {
        out.write(LONG);
        writeLong(l, out);
      }
      case BigInteger big -> {
        out.write(BIG_INTEGER);
        writeBytes(big.toByteArray(), out);
      }
      case Double d -> {
        out.write(DOUBLE);
        writeLong(Double.doubleToLongBits(d), out); // one NaN; 0.0 and -0.0 stay apart
      }
      case String s -> {
        if (wellFormed(s)) {
          out.write(TEXT);
          writeBytes(s.getBytes(StandardCharsets.UTF_8), out);
        } else {
          out.write(ILL_FORMED_TEXT);
          writeBytes(s.getBytes(StandardCharsets.UTF_16BE), out);
        }
      }
      case ByteString b -> {
        out.write(b.isValidUtf8() ? TEXT : BYTES);
        writeBytes(b.toByteArray(), out);
      }
      case UUID u -> {
        out.write(UUID_TYPE);
        writeLong(u.getMostSignificantBits(), out);
        writeLong(u.getLeastSignificantBits(), out);
      }
      case Tuple t -> {
        out.write(TUPLE);
        writeItems(t.items(), out);
      }
      case List<?> list -> {
        out.write(LIST);
        writeItems(list, out);
      }
      case Map<?, ?> map -> {
        out.write(MAP);
        // DataValues made every key a String; sorted, equal maps encode alike.
        TreeMap<String, Object> sorted = new TreeMap<>();
        map.forEach((k, value) -> sorted.put((String) k, value));
        writeLength(sorted.size(), out);
        for (Map.Entry<String, Object> e : sorted.entrySet()) {
          encode(e.getKey(), out);
          encode(e.getValue(), out);
        }
      }
      default ->
          // DataValues.copyValue lets nothing else through.
          throw new IllegalStateException("not a data value: " + v.getClass().getName());
    }
  }

  private static void writeItems(List<?> items, ByteArrayOutputStream out) {
    writeLength(items.size(), out);
    for (Object item : items) {
      encode(item, out);
    }
  }

  private static void writeBytes(byte[] bytes, ByteArrayOutputStream out) {
    writeLength(bytes.length, out);
    out.writeBytes(bytes);
  }

  private static void writeLength(int n, ByteArrayOutputStream out) {
    int rest = n;
    while (rest >= 0x80) {
      out.write((rest & 0x7F) | 0x80);
      rest >>>= 7;
    }
    out.write(rest);
  }

  private static void writeLong(long v, ByteArrayOutputStream out) {
    for (int shift = 56; shift >= 0; shift -= 8) {
      out.write((int) (v >>> shift) & 0xFF);
    }
  }

  /** Whether {@code s} has no lone surrogate, so that its UTF-8 form decodes back to it. */
  private static boolean wellFormed(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }
}
