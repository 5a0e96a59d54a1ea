package io.coordinate.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.coordinate.api.data.ByteString;
import io.coordinate.api.data.Tuple;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The advisory lock routes over real HTTP: the answers' shapes, labels in the tagged forms, expiry
 * on the backend's clock, the admin token, and bad bodies refused before anything changes.
 */
class LockRoutesTest extends RouteTestSupport {
  private static final String LOCKS = API + "ns/locks/";

  @Test
  void lockReadRenewAndUnlock() throws Exception {
    coordinate.namespace("ns");
    open();
    assertThat(ok("POST", LOCKS + "lock",
            "{\"owner\": \"o1\", \"timeout\": 10, \"paths\": [[\"a\", \"b\"], [\"c\"]]}"))
        .isEqualTo(json("{\"locked\": true, \"blocked\": null}"));
    assertThat(coordinate.namespace("ns").locks().owners(List.of(List.of("a", "b"))))
        .containsExactly("o1");
    assertThat(ok("POST", LOCKS + "lock",
            "{\"owner\": \"o2\", \"timeout\": 10, \"paths\": [[\"d\"], [\"a\"]]}"))
        .isEqualTo(json("{\"locked\": false, \"blocked\": 1}"));
    assertThat(ok("POST", LOCKS + "lock-some",
            "{\"owner\": \"o2\", \"timeout\": 10.5, \"paths\": [[\"a\"], [\"d\"], [\"d\", 1]]}"))
        .isEqualTo(json("{\"locked\": [false, true, false]}"));
    assertThat(ok("POST", LOCKS + "owners", "{\"paths\": [[\"a\", \"b\"], [\"d\"], [\"x\"]]}"))
        .isEqualTo(json("{\"owners\": [\"o1\", \"o2\", null]}"));

    assertThat(ok("POST", LOCKS + "renew",
            "{\"owner\": \"o1\", \"timeout\": 10, \"paths\": [[\"c\"], [\"d\"]]}"))
        .isEqualTo(json("{\"renewed\": false, \"refused\": {\"index\": 1, \"holder\": \"o2\"}}"));
    clock.advance(Duration.ofSeconds(5));
    assertThat(ok("POST", LOCKS + "renew",
            "{\"owner\": \"o1\", \"timeout\": 10, \"paths\": [[\"c\"]]}"))
        .isEqualTo(json("{\"renewed\": true, \"refused\": null}"));
    clock.advance(Duration.ofSeconds(6));
    assertThat(ok("POST", LOCKS + "owners", "{\"paths\": [[\"a\", \"b\"], [\"c\"], [\"d\"]]}"))
        .as("a and d ended at their deadline, c was renewed")
        .isEqualTo(json("{\"owners\": [null, \"o1\", null]}"));

    assertThat(ok("POST", LOCKS + "unlock", "{\"owner\": \"o2\", \"paths\": [[\"c\"]]}"))
        .isEqualTo(json("{\"unlocked\": false, \"refused\": {\"index\": 0, \"holder\": \"o1\"}}"));
    assertThat(ok("POST", LOCKS + "unlock", "{\"owner\": \"o1\", \"paths\": [[\"c\"]]}"))
        .isEqualTo(json("{\"unlocked\": true, \"refused\": null}"));
    assertThat(ok("POST", LOCKS + "owners", "{\"paths\": [[\"c\"]]}"))
        .isEqualTo(json("{\"owners\": [null]}"));
  }

  @Test
  void labelsKeepTheirTypesThroughTheTaggedForms() throws Exception {
    var locks = coordinate.namespace("ns").locks();
    locks.lockAll("o1", Duration.ofMinutes(1),
        List.of(List.of(Tuple.of("t", 1L)), List.of("top", ByteString.wrap(new byte[] {-1}))));
    open();
    String ab = "{\"$bytes\": \"YWI=\"}"; // "ab"
    assertThat(ok("POST", LOCKS + "owners",
            "{\"paths\": [[{\"$tuple\": [\"t\", 1]}], [[\"t\", 1]],"
                + " [\"top\", {\"$bytes\": \"/w==\"}], [\"top\", \"\\ufffd\"]]}"))
        .as("a tuple is no list; bytes that are not UTF-8 are no text")
        .isEqualTo(json("{\"owners\": [\"o1\", null, \"o1\", null]}"));
    assertThat(ok("POST", LOCKS + "lock",
            "{\"owner\": \"o2\", \"timeout\": 60, \"paths\": [[" + ab + ", null, 2.5]]}"))
        .isEqualTo(json("{\"locked\": true, \"blocked\": null}"));
    assertThat(locks.owners(List.of(Arrays.asList("ab", null, 2.5)))).containsExactly("o2");
    assertThat(ok("POST", LOCKS + "delete-tree", "{\"label\": " + ab + "}"))
        .isEqualTo(json("{\"status\": \"ok\"}"));
    assertThat(locks.owners(List.of(Arrays.asList("ab", null, 2.5))))
        .containsExactly((String) null);
    assertThat(ok("POST", LOCKS + "delete-tree", "{\"label\": null}"))
        .isEqualTo(json("{\"status\": \"ok\"}"));
    assertThat(locks.owners(List.of(List.of(Tuple.of("t", 1L))))).containsExactly("o1");
  }

  @Test
  void lockRoutesNeedTheTokenAndAMissingNamespaceIs404() throws Exception {
    coordinate.namespace("ns");
    openWithToken();
    String body = "{\"owner\": \"o1\", \"timeout\": 10, \"paths\": [[\"a\"]]}";
    assertError(call("POST", LOCKS + "lock", body), 401, "unauthorized");
    assertThat(coordinate.namespace("ns").locks().owners(List.of(List.of("a"))))
        .containsExactly((String) null);
    var answer = call("POST", LOCKS + "lock", body, "Bearer " + TOKEN);
    assertThat(answer.status()).isEqualTo(200);
    assertThat(coordinate.namespace("ns").locks().owners(List.of(List.of("a"))))
        .containsExactly("o1");
    assertError(call("POST", API + "absent/locks/lock", body, "Bearer " + TOKEN),
        404, "no_such_namespace");
    assertThat(coordinate.namespaceNames()).as("no lock route creates a namespace")
        .containsExactly("ns");
  }

  @Test
  void malformedBodiesAreRefusedAndChangeNothing() throws Exception {
    coordinate.namespace("ns");
    open();
    for (String body : List.of(
        "{\"owner\": \"o1\", \"timeout\": 10}",
        "{\"owner\": 5, \"timeout\": 10, \"paths\": [[\"a\"]]}",
        "{\"owner\": \"o1\", \"timeout\": \"10\", \"paths\": [[\"a\"]]}",
        "{\"owner\": \"o1\", \"timeout\": 10, \"paths\": [\"a\"]}",
        "{\"owner\": \"o1\", \"timeout\": 10, \"paths\": {\"a\": 1}}",
        "{\"owner\": \"o1\", \"timeout\": 10, \"paths\": [[\"a\"]], \"extra\": 1}",
        "{\"owner\": null, \"timeout\": 10, \"paths\": [[\"a\"]]}",
        "[1]",
        "not json")) {
      assertError(call("POST", LOCKS + "lock", body), 400, "malformed_body");
    }
    assertError(call("POST", LOCKS + "lock", "{\"owner\": \"o1\", \"timeout\": 10,"
        + " \"paths\": [[\"ok\"], []]}"), 400, "invalid_request");
    assertError(call("POST", LOCKS + "lock", "{\"owner\": \"o1\", \"timeout\": 1e12,"
        + " \"paths\": [[\"ok\"]]}"), 400, "invalid_request");
    assertError(call("POST", LOCKS + "lock?x=1", "{\"owner\": \"o1\", \"timeout\": 10,"
        + " \"paths\": [[\"ok\"]]}"), 400, "invalid_request");
    assertError(call("POST", LOCKS + "delete-tree", "{}"), 400, "malformed_body");
    assertError(call("POST", LOCKS + "unlock", "{\"owner\": \"o1\", \"timeout\": 10,"
        + " \"paths\": [[\"ok\"]]}"), 400, "malformed_body");
    assertThat(coordinate.namespace("ns").locks().owners(List.of(List.of("a"), List.of("ok"))))
        .containsExactly(null, null);
  }
}
