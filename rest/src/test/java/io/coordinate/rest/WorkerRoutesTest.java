package io.coordinate.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.coordinate.api.Attempt;
import io.coordinate.api.Namespace;
import io.coordinate.api.NewWorkUnit;
import io.coordinate.api.WorkSpec;
import io.coordinate.api.WorkUnitKey;
import io.coordinate.api.WorkUnitMeta;
import io.coordinate.api.WorkUnitQuery;
import io.coordinate.api.Worker;
import io.coordinate.api.conformance.MutableClock;
import io.coordinate.api.data.ByteString;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Workers: listing, creating, the tree, heartbeats, getting work and their attempts. */
class WorkerRoutesTest extends RouteTestSupport {
  private static final String WORKERS = API + "ns1/workers";
  private static final Instant T0 = MutableClock.START;

  private Namespace ns;

  @BeforeEach
  void namespace() {
    ns = coordinate.namespace("ns1");
  }

  private static String worker(String name) {
    return WORKERS + "/" + seg(name);
  }

  private static List<String> names(JsonNode list) {
    List<String> out = new ArrayList<>();
    list.get("workers").forEach(w -> out.add(w.get("name").asText()));
    return out;
  }

  @Test
  void putCreatesAWorkerAndGetShowsIt() throws Exception {
    open();
    JsonNode w = ok("PUT", worker("w1"), null);
    assertThat(w).isEqualTo(json("{\"name\":\"w1\",\"parent\":null,\"active\":true,\"mode\":\"\","
        + "\"data\":{},\"expiration\":\"" + ns.findWorker("w1").orElseThrow().expiration()
        + "\",\"last_update\":\"" + T0 + "\"}"));
    assertThat(ok(worker("w1"))).isEqualTo(w);
    // Again: the same worker, unchanged.
    ns.worker("w1").heartbeat("run", Map.of("host", "h"), Duration.ofMinutes(1));
    JsonNode again = ok("PUT", worker("w1"), null);
    assertThat(again.get("mode").asText()).isEqualTo("run");
    assertThat(again.get("data")).isEqualTo(json("{\"host\":\"h\"}"));
    assertThat(ns.workers()).extracting(Worker::name).containsExactly("w1");

    // GET never creates.
    assertError(get(worker("ghost")), 404, "no_such_worker");
    for (String sub : List.of("/children", "/attempts", "/active-attempts", "/child-attempts")) {
      assertError(get(worker("ghost") + sub), 404, "no_such_worker");
    }
    assertThat(ns.findWorker("ghost")).isEmpty();
    assertError(call("PUT", worker("w2") + "?parent=w1", null), 400, "invalid_request");
  }

  @Test
  void listPagesThroughWorkersByName() throws Exception {
    List<String> all = new ArrayList<>(List.of("", "a b", "a+b", "a/b", "b", "é", "~", "~x"));
    for (int i = 0; i < 7; i++) {
      all.add("w" + i);
    }
    all.forEach(ns::worker);
    all.sort(null);
    open();

    JsonNode one = ok(WORKERS);
    assertThat(names(one)).isEqualTo(all);
    assertThat(one.get("next_after").isNull()).isTrue();

    List<String> seen = new ArrayList<>();
    String after = null;
    int pages = 0;
    do {
      JsonNode page = ok(WORKERS + "?limit=4" + (after == null ? "" : "&after=" + q(after)));
      seen.addAll(names(page));
      after = page.get("next_after").isNull() ? null : page.get("next_after").asText();
      pages++;
    } while (after != null && pages < 10);
    assertThat(seen).isEqualTo(all);
    assertThat(pages).isEqualTo(4);

    assertThat(names(ok(WORKERS + "?after=" + q("a+b")))).isEqualTo(all.subList(3, all.size()));
    assertThat(ok(WORKERS + "?after=" + q(all.getLast())).get("workers")).isEmpty();
    assertThat(ok(WORKERS + "?limit=1000").get("workers")).hasSize(all.size());
    for (String bad : List.of("?limit=0", "?limit=1001", "?limit=x", "?before=a")) {
      assertError(get(WORKERS + bad), 400, "invalid_request");
    }
  }

  @Test
  void parentsAndChildren() throws Exception {
    ns.worker("parent");
    ns.worker("c2");
    ns.worker("c1");
    open();
    assertThat(ok("PUT", worker("c2") + "/parent", "{\"parent\":\"parent\"}").get("parent")
        .asText()).isEqualTo("parent");
    ok("PUT", worker("c1") + "/parent", "{\"parent\":\"parent\"}");
    assertThat(names(ok(worker("parent") + "/children"))).containsExactly("c1", "c2");
    assertThat(ok(worker("c1")).get("parent").asText()).isEqualTo("parent");

    assertThat(ok("DELETE", worker("c1") + "/parent", null).get("parent").isNull()).isTrue();
    assertThat(names(ok(worker("parent") + "/children"))).containsExactly("c2");
    assertThat(ns.findWorker("c1").orElseThrow().parent()).isEmpty();

    assertError(call("PUT", worker("c1") + "/parent", "{\"parent\":\"ghost\"}"), 404,
        "no_such_worker");
    assertError(call("PUT", worker("ghost") + "/parent", "{\"parent\":\"parent\"}"), 404,
        "no_such_worker");
    assertError(call("DELETE", worker("ghost") + "/parent", null), 404, "no_such_worker");
    assertError(call("PUT", worker("parent") + "/parent", "{\"parent\":\"c2\"}"), 400,
        "invalid_request");
    assertError(call("PUT", worker("c1") + "/parent", "{}"), 400, "malformed_body");
    assertError(call("PUT", worker("c1") + "/parent", "{\"parent\":null}"), 400, "malformed_body");
    assertError(call("PUT", worker("c1") + "/parent", "{\"parent\":1}"), 400, "malformed_body");
    assertThat(ns.findWorker("ghost")).isEmpty();
    assertThat(ns.findWorker("parent").orElseThrow().parent()).isEmpty();
  }

  @Test
  void heartbeatAndDeactivate() throws Exception {
    ns.worker("w1");
    open();
    clock.advance(Duration.ofSeconds(10));
    JsonNode w = ok("POST", worker("w1") + "/heartbeat",
        "{\"mode\":\"RUN\",\"data\":{\"pid\":42,\"host\":{\"$bytes\":\"aA==\"}},"
            + "\"lifetime\":90.5}");
    assertThat(w).isEqualTo(json("{\"name\":\"w1\",\"parent\":null,\"active\":true,"
        + "\"mode\":\"RUN\",\"data\":{\"pid\":42,\"host\":{\"$bytes\":\"aA==\"}},"
        + "\"expiration\":\"" + T0.plusSeconds(100).plusMillis(500) + "\","
        + "\"last_update\":\"" + T0.plusSeconds(10) + "\"}"));
    Worker w1 = ns.findWorker("w1").orElseThrow();
    assertThat(w1.data())
        .isEqualTo(Map.of("pid", 42L, "host", ByteString.copyOf(new byte[] {'h'})));

    clock.advance(Duration.ofSeconds(91));
    assertThat(ok(worker("w1")).get("active").asBoolean()).isFalse();
    ok("POST", worker("w1") + "/heartbeat", "{\"mode\":\"\",\"data\":{},\"lifetime\":60}");
    assertThat(ok(worker("w1")).get("active").asBoolean()).isTrue();
    JsonNode off = ok("POST", worker("w1") + "/deactivate", null);
    assertThat(off.get("active").asBoolean()).isFalse();
    assertThat(w1.isActive()).isFalse();

    for (String bad : List.of("{}", "{\"mode\":\"x\",\"data\":{}}", "{\"data\":{},\"lifetime\":1}",
        "{\"mode\":\"x\",\"lifetime\":1}", "{\"mode\":1,\"data\":{},\"lifetime\":1}",
        "{\"mode\":\"x\",\"data\":[],\"lifetime\":1}",
        "{\"mode\":\"x\",\"data\":{},\"lifetime\":1,\"extra\":true}")) {
      assertError(call("POST", worker("w1") + "/heartbeat", bad), 400, "malformed_body");
    }
    assertError(call("POST", worker("w1") + "/heartbeat",
        "{\"mode\":\"x\",\"data\":{},\"lifetime\":-1}"), 400, "invalid_request");
    assertError(call("POST", worker("ghost") + "/heartbeat",
        "{\"mode\":\"x\",\"data\":{},\"lifetime\":1}"), 404, "no_such_worker");
    assertError(call("POST", worker("ghost") + "/deactivate", null), 404, "no_such_worker");
    assertThat(ns.findWorker("ghost")).isEmpty();
    assertThat(w1.isActive()).isFalse();
  }

  @Test
  void workLeasesUnitsAsAttempts() throws Exception {
    WorkSpec a = ns.setWorkSpec(Map.of("name", "a"));
    for (String k : List.of("1", "2", "3")) {
      a.addWorkUnit(WorkUnitKey.of(k), Map.of("k", k), WorkUnitMeta.DEFAULT);
    }
    ns.worker("w1");
    open();

    // Defaults: one unit, a 15-minute lease.
    JsonNode one = ok("POST", worker("w1") + "/work", "");
    assertThat(one.get("attempts")).hasSize(1);
    JsonNode first = one.get("attempts").get(0);
    assertThat(first.get("work_spec").asText()).isEqualTo("a");
    assertThat(first.get("number").asInt()).isZero();
    assertThat(first.get("status").asText()).isEqualTo("pending");
    assertThat(first.get("expiration_time").asText()).isEqualTo(T0.plusSeconds(900).toString());
    assertThat(first.get("worker").asText()).isEqualTo("w1");

    WorkSpec b = ns.setWorkSpec(Map.of("name", "b", "runtime", "go"));
    b.addWorkUnit(WorkUnitKey.of(new byte[] {(byte) 0xfe}), Map.of(), WorkUnitMeta.DEFAULT);
    JsonNode two = ok("POST", worker("w1") + "/work",
        "{\"work_units\":5,\"lifetime\":30,\"available_gb\":2.5,\"work_specs\":[\"a\"]}");
    assertThat(two.get("attempts")).hasSize(2);
    two.get("attempts").forEach(at -> {
      assertThat(at.get("work_spec").asText()).isEqualTo("a");
      assertThat(at.get("expiration_time").asText()).isEqualTo(T0.plusSeconds(30).toString());
    });
    assertThat(ok("POST", worker("w1") + "/work", "{\"work_specs\":[\"a\"]}").get("attempts"))
        .isEmpty();
    JsonNode go = ok("POST", worker("w1") + "/work", "{\"runtimes\":[\"go\"],\"work_units\":1}");
    assertThat(go.get("attempts").get(0).get("key").asText()).isEqualTo("_g");
    assertThat(go.get("attempts").get(0).get("key_text").isNull()).isTrue();

    for (String bad : List.of("[]", "{\"work_units\":\"2\"}", "{\"work_units\":1.5}",
        "{\"work_specs\":\"a\"}", "{\"work_specs\":[null]}", "{\"runtimes\":[1]}",
        "{\"lifetime\":null}", "{\"units\":1}")) {
      assertError(call("POST", worker("w1") + "/work", bad), 400, "malformed_body");
    }
    for (String bad : List.of("{\"work_units\":0}", "{\"lifetime\":0}", "{\"lifetime\":-1}")) {
      assertError(call("POST", worker("w1") + "/work", bad), 400, "invalid_request");
    }
    assertError(call("POST", worker("ghost") + "/work", "{}"), 404, "no_such_worker");
    assertThat(ns.findWorker("ghost")).isEmpty();
  }

  @Test
  void attemptListsOfAWorker() throws Exception {
    WorkSpec spec = ns.setWorkSpec(Map.of("name", "s"));
    for (String k : List.of("a", "b", "c")) {
      spec.addWorkUnit(WorkUnitKey.of(k), Map.of(), WorkUnitMeta.DEFAULT);
    }
    Worker parent = ns.worker("parent");
    Worker child = ns.worker("child");
    child.setParent(parent);
    Worker other = ns.worker("other");
    other.makeAttempt(spec.workUnit(WorkUnitKey.of("a")), Duration.ofMinutes(1)).fail(null);
    Attempt a = child.makeAttempt(spec.workUnit(WorkUnitKey.of("a")), Duration.ofMinutes(1));
    child.makeAttempt(spec.workUnit(WorkUnitKey.of("b")), Duration.ofMinutes(1)).finish(null);
    child.makeAttempt(spec.workUnit(WorkUnitKey.of("c")), Duration.ofMinutes(10));
    open();

    JsonNode all = ok(worker("child") + "/attempts");
    assertThat(all.get("attempts")).hasSize(3);
    // Each is numbered within its unit: "a" had an attempt by someone else first.
    assertThat(all.get("attempts").get(0).get("key_text").asText()).isEqualTo("a");
    assertThat(all.get("attempts").get(0).get("number").asInt()).isEqualTo(1);
    assertThat(all.get("attempts").get(1).get("number").asInt()).isZero();
    assertThat(all.get("attempts").get(1).get("status").asText()).isEqualTo("finished");
    // The same view as the attempt route.
    assertThat(all.get("attempts").get(0))
        .isEqualTo(ok(API + "ns1/work-specs/s/work-units/YQ/attempts/1"));

    assertThat(ok(worker("child") + "/active-attempts").get("attempts"))
        .extracting(at -> at.get("key_text").asText()).containsExactly("a", "c");
    assertThat(ok(worker("parent") + "/child-attempts").get("attempts"))
        .extracting(at -> at.get("key_text").asText()).containsExactly("a", "c");
    assertThat(ok(worker("parent") + "/attempts").get("attempts")).isEmpty();
    assertThat(ok(worker("child") + "/child-attempts").get("attempts")).isEmpty();

    // Time passes: the short leases run out.
    clock.advance(Duration.ofMinutes(2));
    assertThat(ok(worker("child") + "/active-attempts").get("attempts"))
        .extracting(at -> at.get("key_text").asText()).containsExactly("c");
    assertThat(a.status().name()).isEqualTo("EXPIRED");

    // A deleted unit's attempts leave the lists.
    spec.deleteWorkUnits(WorkUnitQuery.keys(WorkUnitKey.of("c")));
    assertThat(ok(worker("child") + "/attempts").get("attempts")).hasSize(2);
    assertThat(ok(worker("child") + "/active-attempts").get("attempts")).isEmpty();
    assertError(get(worker("child") + "/attempts?limit=1"), 400, "invalid_request");
  }

  @Test
  void oddWorkerNamesInPaths() throws Exception {
    ns.worker("p");
    open();
    for (String name : ODD_NAMES) {
      assertThat(ok("PUT", worker(name), null).get("name").asText()).isEqualTo(name);
      assertThat(ok(worker(name)).get("name").asText()).isEqualTo(name);
      assertThat(ok("POST", worker(name) + "/heartbeat",
          "{\"mode\":\"m\",\"data\":{},\"lifetime\":5}").get("mode").asText()).isEqualTo("m");
      assertThat(ok("PUT", worker(name) + "/parent", "{\"parent\":\"p\"}").get("parent").asText())
          .isEqualTo("p");
      assertThat(ok(worker(name) + "/attempts").get("attempts")).isEmpty();
      assertThat(ok("POST", worker(name) + "/work", "{}").get("attempts")).isEmpty();
    }
    assertThat(names(ok(worker("p") + "/children")))
        .containsExactlyElementsOf(new java.util.TreeSet<>(ODD_NAMES));
    // A worker as a parent is named in the body as it is, not encoded.
    ok("PUT", worker("q"), null);
    ok("PUT", worker("q") + "/parent", "{\"parent\":\"a/b\"}");
    assertThat(ok(worker("q")).get("parent").asText()).isEqualTo("a/b");
    assertThat(names(ok(worker("a/b") + "/children"))).containsExactly("q");
    for (String name : ODD_NAMES) {
      assertThat(ok("POST", worker(name) + "/deactivate", null).get("active").asBoolean())
          .isFalse();
    }
  }

  @Test
  void mutationsNeedTheToken() throws Exception {
    ns.worker("w1");
    ns.worker("p");
    openWithToken();
    Map<String, String> calls = new java.util.LinkedHashMap<>();
    calls.put("PUT " + worker("w2"), null);
    calls.put("PUT " + worker("w1") + "/parent", "{\"parent\":\"p\"}");
    calls.put("DELETE " + worker("w1") + "/parent", null);
    calls.put("POST " + worker("w1") + "/deactivate", null);
    calls.put("POST " + worker("w1") + "/heartbeat", "{\"mode\":\"x\",\"data\":{},\"lifetime\":1}");
    calls.put("POST " + worker("w1") + "/work", "{}");
    for (var c : calls.entrySet()) {
      String[] mp = c.getKey().split(" ", 2);
      assertError(call(mp[0], mp[1], c.getValue(), null), 401, "unauthorized");
      assertError(call(mp[0], mp[1], c.getValue(), "Bearer wrong"), 401, "unauthorized");
    }
    assertThat(ns.workers()).extracting(Worker::name).containsExactly("p", "w1");
    Worker w1 = ns.findWorker("w1").orElseThrow();
    assertThat(w1.isActive()).isTrue();
    assertThat(w1.parent()).isEmpty();
    assertThat(w1.mode()).isEmpty();

    // Reads stay open on loopback.
    for (String path : List.of(WORKERS, worker("w1"), worker("w1") + "/children",
        worker("w1") + "/attempts", worker("w1") + "/active-attempts",
        worker("w1") + "/child-attempts")) {
      assertThat(get(path).status()).as(path).isEqualTo(200);
    }
    assertThat(call("POST", worker("w1") + "/deactivate", null, "Bearer " + TOKEN).status())
        .isEqualTo(200);
    assertThat(w1.isActive()).isFalse();
  }

  @Test
  void manyConcurrentClientsAreServed() throws Exception {
    WorkSpec spec = ns.setWorkSpec(Map.of("name", "s"));
    int n = 200;
    List<NewWorkUnit> units = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      units.add(NewWorkUnit.of(String.format("u%03d", i), Map.of()));
    }
    spec.addWorkUnits(units);
    open();
    ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor();
    HttpClient http = HttpClient.newBuilder().executor(clients).build();
    String root = "http://127.0.0.1:" + server.port();
    List<CompletableFuture<String>> work = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String name = "w" + i;
      work.add(CompletableFuture.supplyAsync(() -> {
        try {
          String base = root + worker(name);
          send(http, "PUT", base, "");
          send(http, "POST", base + "/heartbeat",
              "{\"mode\":\"run\",\"data\":{},\"lifetime\":60}");
          JsonNode got = TestHttp.JSON.readTree(send(http, "POST", base + "/work", "{}"));
          JsonNode at = got.get("attempts").get(0);
          String done = root + API + "ns1/work-specs/s/work-units/" + at.get("key").asText()
              + "/attempts/" + at.get("number").asInt() + "/finish?worker=" + q(name)
              + "&start_time=" + q(at.get("start_time").asText());
          send(http, "POST", done, "{\"data\":{\"by\":\"" + name + "\"}}");
          return at.get("key_text").asText();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }, clients));
    }
    List<String> keys = new ArrayList<>();
    for (var f : work) {
      keys.add(f.get(60, TimeUnit.SECONDS));
    }
    clients.close();
    // Every client got a different unit and finished it.
    assertThat(keys).doesNotHaveDuplicates().hasSize(n);
    assertThat(ok(API + "ns1/work-specs/s/counts").get("counts").get("finished").asInt())
        .isEqualTo(n);
    assertThat(ok(WORKERS + "?limit=1000").get("workers")).hasSize(n);
  }

  private static String send(HttpClient http, String method, String uri, String body)
      throws Exception {
    HttpResponse<String> r = http.send(
        HttpRequest.newBuilder(URI.create(uri)).method(method,
            HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException(method + " " + uri + ": " + r.statusCode() + " " + r.body());
    }
    return r.body();
  }
}
