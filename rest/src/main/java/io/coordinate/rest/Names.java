package io.coordinate.rest;

import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * How a namespace, work spec or worker name is written as a path segment: percent-encoded UTF-8
 * (everything but the RFC 3986 unreserved {@code A-Za-z0-9-._~}), with one {@code ~} in front of
 * the empty name and of any name beginning with {@code ~}, since an empty segment cannot be routed:
 * {@code ""} is {@code ~}, {@code "~x"} is {@code ~~x}, {@code "a/b c"} is {@code a%2Fb%20c}.
 *
 * <p>The segment is read from the raw request path and decoded here, exactly once: Javalin's own
 * {@code pathParam} decoding turns a literal {@code %2B} in a name into {@code +}.
 */
final class Names {
  private Names() {}

  private static final char ESCAPE = '~';

  /** The name in the path parameter {@code param} ({@code ns}, {@code spec} or {@code worker}). */
  static String fromPath(Context ctx, String param) {
    return decode(rawSegment(ctx, param));
  }

  /**
   * The segment of the request path under {@code {param}} of the route, as sent. Routes have no
   * wildcards and the raw path keeps {@code %2F} inside its segment, so the segments of route and
   * path pair up one to one.
   */
  private static String rawSegment(Context ctx, String param) {
    String[] pattern = ctx.endpointHandlerPath().split("/", -1);
    String[] actual = ctx.path().substring(ctx.contextPath().length()).split("/", -1);
    String wanted = "{" + param + "}";
    for (int i = 0; i < pattern.length && i < actual.length; i++) {
      if (pattern[i].equals(wanted)) {
        return actual[i];
      }
    }
    throw new IllegalStateException(
        "route " + ctx.endpointHandlerPath() + " has no {" + param + "}");
  }

  /**
   * The name a path segment stands for: percent-decoded as UTF-8, then one leading {@code ~}
   * dropped.
   *
   * @throws ApiException 400 {@code invalid_request} if the escapes are malformed or not UTF-8
   */
  static String decode(String segment) {
    String text = percentDecode(segment);
    return !text.isEmpty() && text.charAt(0) == ESCAPE ? text.substring(1) : text;
  }

  /** The path segment of {@code name}: the inverse of {@link #decode}. */
  static String encode(String name) {
    String escaped = name.isEmpty() || name.charAt(0) == ESCAPE ? ESCAPE + name : name;
    StringBuilder out = new StringBuilder(escaped.length());
    for (byte b : escaped.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (isUnreserved(c)) {
        out.append((char) c);
      } else {
        out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
      }
    }
    return out.toString();
  }

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private static boolean isUnreserved(int c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
        || c == '-' || c == '.' || c == '_' || c == '~';
  }

  /** Strict percent-decoding: {@code +} stays a plus, bad escapes and bad UTF-8 are refused. */
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

  private static ApiException invalid(String segment, String why) {
    return new ApiException(400, "invalid_request",
        "the name segment \"" + segment + "\" has " + why
            + "; names are percent-encoded UTF-8, \"\" written ~");
  }
}
