package io.coordinate.client;

import io.coordinate.api.Locks;
import io.coordinate.api.data.DataValues;
import io.coordinate.api.locks.LockPath;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A namespace's advisory locks on the daemon ({@code P/locks/...}): one request per call, so the
 * daemon's backend (and every process sharing its store) decides. Arguments are checked here first
 * with the same rules, so a malformed one is refused as a backend would, without a request; labels
 * travel in the tagged forms, keeping bytes and tuples.
 */
record RemoteLocks(RemoteNamespace namespace) implements Locks {

  /** The answer of {@code lock}. */
  record Locked(Boolean locked, Integer blocked) {}

  /** The answer of {@code lock-some}. */
  record LockedSome(List<Boolean> locked) {}

  /** The first path a renew or unlock found not held by its owner, and who holds it. */
  record Refused(Integer index, String holder) {
    Refusal toRefusal() {
      return new Refusal(Wire.require(index, "refused.index"), holder);
    }
  }

  record Renewed(Boolean renewed, Refused refused) {}

  record Unlocked(Boolean unlocked, Refused refused) {}

  record Owners(List<String> owners) {}

  private String path(String route) {
    return namespace.path() + "/locks/" + route;
  }

  private <T> T post(String route, Map<String, Object> body, Class<T> answer) {
    return namespace.http().call("POST", path(route), body, answer, namespace.target());
  }

  /** The body of a call that locks: checked, with the labels in their normalized form. */
  private static Map<String, Object> locking(
      String owner, Duration timeout, List<? extends List<?>> paths) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("owner", LockPath.owner(owner));
    body.put("timeout", Wire.seconds(LockPath.timeout(timeout)));
    body.put("paths", checked(paths));
    return body;
  }

  private static Object checked(List<? extends List<?>> paths) {
    LockPath.all(paths);
    return DataValues.copyValue(paths); // byte[] labels become bytes the JSON forms carry
  }

  @Override
  public OptionalInt lockAll(String owner, Duration timeout, List<? extends List<?>> paths) {
    Locked answer = post("lock", locking(owner, timeout, paths), Locked.class);
    if (Wire.require(answer.locked(), "locked")) {
      return OptionalInt.empty();
    }
    return OptionalInt.of(index(Wire.require(answer.blocked(), "blocked"), paths.size()));
  }

  @Override
  public boolean[] lockSome(String owner, Duration timeout, List<? extends List<?>> paths) {
    List<Boolean> answer =
        Wire.list(post("lock-some", locking(owner, timeout, paths), LockedSome.class).locked(),
            "locked");
    if (answer.size() != paths.size()) {
      throw Wire.malformed("lock-some answered " + answer.size() + " flags for "
          + paths.size() + " paths");
    }
    boolean[] locked = new boolean[answer.size()];
    for (int i = 0; i < locked.length; i++) {
      locked[i] = Wire.require(answer.get(i), "locked[" + i + "]");
    }
    return locked;
  }

  @Override
  public Optional<Refusal> renewAll(
      String owner, Duration timeout, List<? extends List<?>> paths) {
    Renewed answer = post("renew", locking(owner, timeout, paths), Renewed.class);
    return Wire.require(answer.renewed(), "renewed")
        ? Optional.empty()
        : Optional.of(refusal(answer.refused(), paths.size()));
  }

  @Override
  public List<String> owners(List<? extends List<?>> paths) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("paths", checked(paths));
    List<String> owners = Wire.list(post("owners", body, Owners.class).owners(), "owners");
    if (owners.size() != paths.size()) {
      throw Wire.malformed("owners answered " + owners.size() + " owners for "
          + paths.size() + " paths");
    }
    return owners;
  }

  @Override
  public Optional<Refusal> unlockAll(String owner, List<? extends List<?>> paths) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("owner", LockPath.owner(owner));
    body.put("paths", checked(paths));
    Unlocked answer = post("unlock", body, Unlocked.class);
    return Wire.require(answer.unlocked(), "unlocked")
        ? Optional.empty()
        : Optional.of(refusal(answer.refused(), paths.size()));
  }

  @Override
  public void deleteTree(Object top) {
    LockPath.ofLabel(top);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("label", DataValues.copyValue(top)); // null is a label too
    post("delete-tree", body, Map.class);
  }

  private static Refusal refusal(Refused refused, int paths) {
    Refusal r = Wire.require(refused, "refused").toRefusal();
    index(r.index(), paths);
    return r;
  }

  /** An index the daemon answered, which must name one of the request's paths. */
  private static int index(int i, int paths) {
    if (i < 0 || i >= paths) {
      throw Wire.malformed("the index " + i + " names none of the " + paths + " paths");
    }
    return i;
  }

  @Override
  public String toString() {
    return "RemoteLocks[" + namespace + "]";
  }
}
