package io.coordinate.rest;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import java.util.Set;

/**
 * Who may call what. With a token, every mutation needs {@code Authorization: Bearer <token>};
 * when {@code everyRequest} (a non-loopback bind), reads need it too. Without a token, and only on
 * loopback, everything is open.
 */
final class AccessControl {
  private static final Set<HandlerType> MUTATIONS =
      Set.of(HandlerType.POST, HandlerType.PUT, HandlerType.PATCH, HandlerType.DELETE);
  private static final String BEARER = "bearer ";

  private final Optional<byte[]> tokenDigest;
  private final boolean everyRequest;

  AccessControl(Optional<String> token, boolean everyRequest) {
    if (everyRequest && token.isEmpty()) {
      throw new IllegalArgumentException("a token is required when every request needs one");
    }
    this.tokenDigest = token.map(AccessControl::digest);
    this.everyRequest = everyRequest;
  }

  /** Javalin before-handler: throws {@link ApiException#unauthorized()} when access is denied. */
  void check(Context ctx) {
    if (tokenDigest.isEmpty() || !(everyRequest || MUTATIONS.contains(ctx.method()))) {
      return;
    }
    String header = ctx.header("Authorization");
    if (header == null
        || header.length() <= BEARER.length()
        || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      throw ApiException.unauthorized();
    }
    // Comparing fixed-length digests in constant time hides both the token and its length.
    byte[] given = digest(header.substring(BEARER.length()).strip());
    if (!MessageDigest.isEqual(tokenDigest.get(), given)) {
      throw ApiException.unauthorized();
    }
  }

  private static byte[] digest(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }
}
