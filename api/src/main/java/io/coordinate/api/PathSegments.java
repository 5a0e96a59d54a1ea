package io.coordinate.api;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * How names and keys are written as URL path segments, the one form the REST server reads and its
 * clients write.
 *
 * <ul>
 *   <li>A namespace, work spec or worker name is percent-encoded UTF-8 (everything but the RFC 3986
 *       unreserved {@code A-Za-z0-9-._~}), with one {@code ~} in front of the empty name and of any
 *       name beginning with {@code ~}, since an empty segment cannot be routed: {@code ""} is
 *       {@code ~}, {@code "~x"} is {@code ~~x}, {@code "a/b c"} is {@code a%2Fb%20c}.
 *   <li>A work unit key is {@link WorkUnitKey#toBase64Url()}, except the empty key, whose form is
 *       empty: it is {@code ~}, a character base64url never uses.
 * </ul>
 */
public final class PathSegments {
  private static final char ESCAPE = '~';
  private static final String EMPTY_KEY = "~";
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private PathSegments() {}

  /** The segment of a name. */
  public static String ofName(String name) {
    return percentEncode(name.isEmpty() || name.charAt(0) == ESCAPE ? ESCAPE + name : name);
  }

  /**
   * The name a segment stands for: percent-decoded as UTF-8 ({@code +} stays a plus), then one
   * leading {@code ~} dropped.
   *
   * @throws InvalidRequestException if an escape is malformed or the bytes are not UTF-8
   */
  public static String name(String segment) {
    String text = percentDecode(segment);
    return !text.isEmpty() && text.charAt(0) == ESCAPE ? text.substring(1) : text;
  }

  /** The segment of a key. */
  public static String ofKey(WorkUnitKey key) {
    return key.bytes().size() == 0 ? EMPTY_KEY : key.toBase64Url();
  }

  /**
   * The key a segment stands for.
   *
   * @throws InvalidRequestException if it is neither {@code ~} nor canonical base64url
   */
  public static WorkUnitKey key(String segment) {
    return segment.equals(EMPTY_KEY) ? WorkUnitKey.of("") : WorkUnitKey.fromBase64Url(segment);
  }

  /** Percent-encodes the UTF-8 bytes of {@code text} but the unreserved {@code A-Za-z0-9-._~}. */
  public static String percentEncode(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    StringBuilder out = new StringBuilder(bytes.length + 8);
    for (byte b : bytes) {
      int c = b & 0xff;
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
          || c == '-' || c == '.' || c == '_' || c == '~') {
        out.append((char) c);
      } else {
        out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
      }
    }
    return out.toString();
  }

  private static String percentDecode(String segment) {
    if (segment.indexOf('%') < 0) {
      return segment;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(segment.length());
    byte[] raw = segment.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < raw.length; i++) {
      if (raw[i] != '%') {
        bytes.write(raw[i]);
        continue;
      }
      int hi = i + 2 < raw.length ? Character.digit(raw[i + 1], 16) : -1;
      int lo = hi >= 0 ? Character.digit(raw[i + 2], 16) : -1;
      if (lo < 0) {
        throw invalid(segment, "a % not followed by two hex digits");
      }
      bytes.write((hi << 4) | lo);
      i += 2;
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw invalid(segment, "escapes that are not UTF-8");
    }
  }

  private static InvalidRequestException invalid(String segment, String why) {
    return new InvalidRequestException("the name segment \"" + segment + "\" has " + why
        + "; names are percent-encoded UTF-8, \"\" written ~");
  }
}
