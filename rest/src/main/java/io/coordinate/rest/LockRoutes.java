package io.coordinate.rest;

import static io.coordinate.rest.Requests.allowOnly;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.coordinate.api.Locks;
import io.coordinate.api.data.Tuple;
import io.coordinate.api.locks.LockPath;
import io.javalin.http.Context;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The handlers of a namespace's advisory locks ({@code /api/v1/namespaces/{ns}/locks/...}, see
 * {@link Locks}); {@link AdminRoutes#routes()} lists them. Every one is a {@code POST} whose body
 * is a JSON object read as a data map, so labels keep their types through the tagged forms ({@code
 * {"$bytes": ...}}, {@code {"$tuple": [...]}}): {@code owner} (text), {@code timeout} (seconds,
 * fractional allowed, negative for a lock that has expired already) and {@code paths} (a list of
 * paths, each a list of labels). Locks are not the queue, so maintenance mode does not refuse
 * them, as the CBOR-RPC lock methods go on too.
 */
final class LockRoutes {
  private static final Set<String> LOCKING = Set.of("owner", "timeout", "paths");
  private static final Set<String> UNLOCKING = Set.of("owner", "paths");
  private static final Set<String> READING = Set.of("paths");
  private static final Set<String> DELETING = Set.of("label");

  private final Lookup lookup;
  private final ObjectMapper mapper;

  LockRoutes(Lookup lookup, ObjectMapper mapper) {
    this.lookup = lookup;
    this.mapper = mapper;
  }

  /** {@code lock}: the answer of {@link #lock}; {@code blocked} is null on success. */
  record Locked(boolean locked, Integer blocked) {}

  /** {@code lock-some}: per path, whether it was locked. */
  record LockedSome(List<Boolean> locked) {}

  /** Why a renew or unlock changed nothing: the first path not held, and its holder or null. */
  record Refused(int index, String holder) {
    static Refused of(Optional<Locks.Refusal> refusal) {
      return refusal.map(r -> new Refused(r.index(), r.holder())).orElse(null);
    }
  }

  record Renewed(boolean renewed, Refused refused) {}

  record Unlocked(boolean unlocked, Refused refused) {}

  record Owners(List<String> owners) {}

  void lock(Context ctx) throws JsonProcessingException {
    Map<String, Object> body = body(ctx, LOCKING);
    OptionalInt blocked =
        lookup.namespace(ctx).locks().lockAll(owner(body), timeout(body), paths(body));
    ctx.json(new Locked(blocked.isEmpty(), blocked.isEmpty() ? null : blocked.getAsInt()));
  }

  void lockSome(Context ctx) throws JsonProcessingException {
    Map<String, Object> body = body(ctx, LOCKING);
    boolean[] locked =
        lookup.namespace(ctx).locks().lockSome(owner(body), timeout(body), paths(body));
    List<Boolean> answer = new ArrayList<>(locked.length);
    for (boolean l : locked) {
      answer.add(l);
    }
    ctx.json(new LockedSome(answer));
  }

  void renew(Context ctx) throws JsonProcessingException {
    Map<String, Object> body = body(ctx, LOCKING);
    Optional<Locks.Refusal> refused =
        lookup.namespace(ctx).locks().renewAll(owner(body), timeout(body), paths(body));
    ctx.json(new Renewed(refused.isEmpty(), Refused.of(refused)));
  }

  void unlock(Context ctx) throws JsonProcessingException {
    Map<String, Object> body = body(ctx, UNLOCKING);
    Optional<Locks.Refusal> refused =
        lookup.namespace(ctx).locks().unlockAll(owner(body), paths(body));
    ctx.json(new Unlocked(refused.isEmpty(), Refused.of(refused)));
  }

  void owners(Context ctx) throws JsonProcessingException {
    Map<String, Object> body = body(ctx, READING);
    ctx.json(new Owners(lookup.namespace(ctx).locks().owners(paths(body))));
  }

  void deleteTree(Context ctx) throws JsonProcessingException {
    Map<String, Object> body = body(ctx, DELETING);
    if (!body.containsKey("label")) {
      throw new ApiException(400, "malformed_body", "field \"label\" is required");
    }
    lookup.namespace(ctx).locks().deleteTree(body.get("label")); // null is a label too
    ctx.json(new Views.Status("ok"));
  }

  /** The body as a data map with exactly the {@code fields} it may have (all required but none). */
  private Map<String, Object> body(Context ctx, Set<String> fields)
      throws JsonProcessingException {
    allowOnly(ctx, Set.of());
    Map<String, Object> body = Json.dataFromJson(Json.readTree(mapper, ctx.body()), "body");
    for (String name : body.keySet()) {
      if (!fields.contains(name)) {
        throw new ApiException(400, "malformed_body", "unknown field \"" + name + "\"");
      }
    }
    return body;
  }

  private static Object required(Map<String, Object> body, String field) {
    Object value = body.get(field);
    if (value == null) {
      throw new ApiException(400, "malformed_body", "field \"" + field + "\" is required");
    }
    return value;
  }

  private static String owner(Map<String, Object> body) {
    if (required(body, "owner") instanceof String owner) {
      return owner;
    }
    throw new ApiException(400, "malformed_body", "field \"owner\" must be a string");
  }

  /** Seconds, either way, at most {@link LockPath#MAX_TIMEOUT}. */
  private static Duration timeout(Map<String, Object> body) {
    Object value = required(body, "timeout");
    double seconds =
        switch (value) {
          case Long l -> l;
          case Double d -> d;
          case BigInteger big -> big.doubleValue();
          default ->
              throw new ApiException(
                  400, "malformed_body", "field \"timeout\" must be a number of seconds");
        };
    if (!Double.isFinite(seconds) || Math.abs(seconds) > LockPath.MAX_TIMEOUT.toSeconds()) {
      throw new ApiException(400, "invalid_request", "timeout must be a number of seconds from -"
          + LockPath.MAX_TIMEOUT.toSeconds() + " to " + LockPath.MAX_TIMEOUT.toSeconds());
    }
    return Duration.ofNanos(Math.round(seconds * 1e9));
  }

  /** A list of paths, each a list (or tuple) of labels; the backend checks the labels. */
  private static List<List<?>> paths(Map<String, Object> body) {
    if (!(required(body, "paths") instanceof List<?> raw)) {
      throw new ApiException(400, "malformed_body", "field \"paths\" must be a list of paths");
    }
    List<List<?>> paths = new ArrayList<>(raw.size());
    for (int i = 0; i < raw.size(); i++) {
      switch (raw.get(i)) {
        case List<?> path -> paths.add(path);
        case Tuple t -> paths.add(t.items());
        case null, default ->
            throw new ApiException(
                400, "malformed_body", "field \"paths[" + i + "]\" must be a list of labels");
      }
    }
    return paths;
  }
}
