package io.coordinate.client;

import io.coordinate.api.PathSegments;
import io.coordinate.api.WorkUnitKey;

/**
 * The paths and query strings of the REST API v1. Names become path segments percent-encoded as
 * UTF-8 (everything but the RFC 3986 unreserved characters), with one rule for the empty name,
 * which cannot be routed: it is written {@code ~}, and a name that begins with {@code ~} gets one
 * more in front ({@code ~x} is {@code ~~x}), so the server drops exactly one leading {@code ~}
 * after decoding. Keys are base64url without padding ({@link WorkUnitKey#toBase64Url()}; see
 * {@link #keySegment} for the empty key).
 */
final class Routes {
  private Routes() {}

  static final String API = "/api/v1";
  static final String NAMESPACES = API + "/namespaces";
  static final String MAINTENANCE = API + "/maintenance";

  /** {@code P}: one namespace. */
  static String namespace(String ns) {
    return NAMESPACES + "/" + name(ns);
  }

  /** {@code S}: one work spec. */
  static String workSpec(String ns, String spec) {
    return namespace(ns) + "/work-specs/" + name(spec);
  }

  /** {@code U}: one work unit. */
  static String workUnit(String ns, String spec, WorkUnitKey key) {
    return workSpec(ns, spec) + "/work-units/" + keySegment(key);
  }

  /**
   * The path segment of a key: its base64url form, except for the empty key, whose form is empty
   * and cannot be routed (it would name the listing instead): it is written {@code ~}, which no
   * base64url form contains, as the empty name is. In query parameters and JSON the empty key is
   * the empty string.
   */
  static String keySegment(WorkUnitKey key) {
    return PathSegments.ofKey(key);
  }

  /** {@code W}: one worker. */
  static String worker(String ns, String worker) {
    return namespace(ns) + "/workers/" + name(worker);
  }

  /** The path segment of a namespace, work spec or worker name. */
  static String name(String name) {
    return PathSegments.ofName(name);
  }

  /** Percent-encodes the UTF-8 bytes of {@code text} but the unreserved {@code A-Za-z0-9-._~}. */
  static String encode(String text) {
    return PathSegments.percentEncode(text);
  }

  /** A query string built parameter by parameter; every value is percent-encoded. */
  static final class Query {
    private final StringBuilder text = new StringBuilder();

    /** Adds {@code name=value} (nothing when {@code value} is {@code null}). */
    Query add(String name, Object value) {
      if (value != null) {
        text.append(text.isEmpty() ? '?' : '&').append(name).append('=')
            .append(encode(value.toString()));
      }
      return this;
    }

    /** Its length in characters, "?" included. */
    int length() {
      return text.length();
    }

    @Override
    public String toString() {
      return text.toString();
    }
  }
}
