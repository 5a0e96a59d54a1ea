package io.coordinate.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.coordinate.api.WorkUnitKey;
import io.coordinate.api.WorkUnitMeta;
import io.coordinate.api.WorkUnitQuery;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Creating and destroying namespaces, and names in paths, over real HTTP. */
class NamespaceRoutesTest extends RouteTestSupport {

  @Test
  void putCreatesANamespaceAndIsIdempotent() throws Exception {
    open();
    assertThat(ok("PUT", API + "ns1", null)).isEqualTo(json("{\"name\":\"ns1\"}"));
    assertThat(coordinate.namespaceNames()).containsExactly("ns1");
    coordinate.namespace("ns1").setWorkSpec(Map.of("name", "s"));

    // Again: nothing is reset.
    assertThat(ok("PUT", API + "ns1", "")).isEqualTo(json("{\"name\":\"ns1\"}"));
    assertThat(ok(API + "ns1/work-specs")).isEqualTo(json("{\"work_specs\":[\"s\"]}"));
    assertThat(ok("/api/v1/namespaces")).isEqualTo(json("{\"namespaces\":[\"ns1\"]}"));
  }

  @Test
  void deleteDestroysTheNamespaceWithEverythingInIt() throws Exception {
    var ns = coordinate.namespace("ns1");
    var spec = ns.setWorkSpec(Map.of("name", "s"));
    spec.addWorkUnit(WorkUnitKey.of("u"), Map.of(), WorkUnitMeta.DEFAULT);
    ns.worker("w");
    coordinate.namespace("other");
    open();

    assertThat(ok("DELETE", API + "ns1", null)).isEqualTo(json("{\"deleted\":\"ns1\"}"));
    assertThat(coordinate.namespaceNames()).containsExactly("other");
    assertError(get(API + "ns1/work-specs"), 404, "no_such_namespace");
    assertError(call("DELETE", API + "ns1", null), 404, "no_such_namespace");
    // A new namespace of the same name starts empty.
    ok("PUT", API + "ns1", null);
    assertThat(ok(API + "ns1/work-specs").get("work_specs")).isEmpty();
    assertThat(ok(API + "ns1/workers").get("workers")).isEmpty();
  }

  @Test
  void namesWithAnyCharactersRoundTripThroughPaths() throws Exception {
    open();
    for (String name : ODD_NAMES) {
      String ns = seg(name);
      assertThat(ok("PUT", API + ns, null).get("name").asText()).as(ns).isEqualTo(name);
      assertThat(ok(API + ns + "/work-specs").get("work_specs")).as(ns).isEmpty();

      // The same name as a work spec (which cannot be "") and as a worker in that namespace.
      String specName = name.isEmpty() ? "-" : name;
      String definition = TestHttp.JSON.writeValueAsString(Map.of("name", specName));
      assertThat(ok("POST", API + ns + "/work-specs", definition).get("name").asText())
          .isEqualTo(specName);
      assertThat(ok(API + ns + "/work-specs/" + seg(specName)).get("name").asText())
          .isEqualTo(specName);
      assertThat(ok("PUT", API + ns + "/workers/" + seg(name), null).get("name").asText())
          .isEqualTo(name);
      assertThat(ok(API + ns + "/workers/" + seg(name)).get("name").asText()).isEqualTo(name);
      assertThat(coordinate.namespace(name).workSpecNames()).containsExactly(specName);
    }
    assertThat(coordinate.namespaceNames()).containsExactlyInAnyOrderElementsOf(
        new TreeSet<>(ODD_NAMES));

    for (String name : ODD_NAMES) {
      String specName = name.isEmpty() ? "-" : name;
      assertThat(ok("DELETE", API + seg(name) + "/work-specs/" + seg(specName), null))
          .isEqualTo(TestHttp.JSON.valueToTree(Map.of("deleted", specName)));
      assertThat(ok("DELETE", API + seg(name), null))
          .isEqualTo(TestHttp.JSON.valueToTree(Map.of("deleted", name)));
    }
    assertThat(coordinate.namespaceNames()).isEmpty();
  }

  @Test
  void theServersEncodingIsTheContracts() {
    assertThat(Names.encode("")).isEqualTo("~");
    assertThat(Names.encode("~")).isEqualTo("~~");
    assertThat(Names.encode("~x")).isEqualTo("~~x");
    assertThat(Names.encode("x~")).isEqualTo("x~");
    assertThat(Names.encode("a/b c")).isEqualTo("a%2Fb%20c");
    assertThat(Names.encode("é")).isEqualTo("%C3%A9");
    assertThat(Names.encode("Az09-._")).isEqualTo("Az09-._");
    assertThat(Names.encode("a+b%")).isEqualTo("a%2Bb%25");
    for (String name : ODD_NAMES) {
      assertThat(Names.decode(Names.encode(name))).isEqualTo(name);
      assertThat(Names.decode(seg(name))).isEqualTo(name);
    }
    // Decoding percent-decodes once, then drops exactly one leading ~.
    assertThat(Names.decode("%7E")).isEqualTo("");
    assertThat(Names.decode("~~~")).isEqualTo("~~");
    assertThat(Names.decode("a+b")).isEqualTo("a+b");
    assertThat(Names.decode("a%252B")).isEqualTo("a%2B");
  }

  @Test
  void theDefaultNamespaceIsWrittenTilde() throws Exception {
    coordinate.namespace("").setWorkSpec(Map.of("name", "s"));
    coordinate.namespace("~").setWorkSpec(Map.of("name", "t"));
    open();
    assertThat(ok(API + "~/work-specs")).isEqualTo(json("{\"work_specs\":[\"s\"]}"));
    assertThat(ok(API + "%7E/work-specs")).isEqualTo(json("{\"work_specs\":[\"s\"]}"));
    assertThat(ok(API + "~~/work-specs")).isEqualTo(json("{\"work_specs\":[\"t\"]}"));
    assertThat(ok("PUT", API + "~", null)).isEqualTo(json("{\"name\":\"\"}"));
    assertThat(ok("/api/v1/namespaces")).isEqualTo(json("{\"namespaces\":[\"\",\"~\"]}"));
  }

  @Test
  void malformedNameSegmentsAre400WithAJsonBody() throws Exception {
    open();
    // Refused by Jetty before routing, still as the JSON error form.
    for (String segment : List.of("%zz", "%u0041", "%00", "%4")) {
      Raw r = raw(server.port(), "PUT", API + segment);
      assertThat(r.status()).as(segment).isEqualTo(400);
      assertThat(r.headers()).contains("content-type: application/json");
      assertThat(r.json().get("code").asText()).as(segment).isEqualTo("bad_request");
      assertThat(r.json().get("message").asText()).isNotBlank();
    }
    // Well-formed escapes that are not UTF-8.
    for (String segment : List.of("%FF", "%C3", "a%C3%28")) {
      Raw r = raw(server.port(), "PUT", API + segment);
      assertThat(r.status()).as(segment).isEqualTo(400);
      assertThat(r.json().get("code").asText()).isEqualTo("invalid_request");
    }
    assertThat(coordinate.namespaceNames()).isEmpty();
  }

  @Test
  void nothingButPutCreatesANamespace() throws Exception {
    open();
    assertError(get(API + "nope/work-specs"), 404, "no_such_namespace");
    assertError(get(API + "nope/work-specs/s"), 404, "no_such_namespace");
    assertError(get(API + "nope/workers"), 404, "no_such_namespace");
    assertError(get(API + "nope/workers/w"), 404, "no_such_namespace");
    assertError(call("PUT", API + "nope/workers/w", null), 404, "no_such_namespace");
    assertError(call("POST", API + "nope/work-specs", "{\"name\":\"s\"}"), 404,
        "no_such_namespace");
    assertError(call("DELETE", API + "nope", null), 404, "no_such_namespace");
    assertError(get(API + "~/work-specs"), 404, "no_such_namespace");
    assertThat(coordinate.namespaceNames()).isEmpty();
  }

  @Test
  void unknownQueryParametersAre400() throws Exception {
    open();
    assertError(call("PUT", API + "ns1?force=true", null), 400, "invalid_request");
    assertError(call("DELETE", API + "ns1?force=true", null), 400, "invalid_request");
    assertThat(coordinate.namespaceNames()).isEmpty();
  }

  @Test
  void putAndDeleteNeedTheToken() throws Exception {
    coordinate.namespace("keep");
    openWithToken();
    assertError(call("PUT", API + "ns1", null, null), 401, "unauthorized");
    assertError(call("PUT", API + "ns1", null, "Bearer wrong"), 401, "unauthorized");
    assertError(call("DELETE", API + "keep", null, null), 401, "unauthorized");
    assertThat(coordinate.namespaceNames()).containsExactly("keep");

    assertThat(call("PUT", API + "ns1", null, "Bearer " + TOKEN).status()).isEqualTo(200);
    assertThat(call("DELETE", API + "keep", null, "Bearer " + TOKEN).status()).isEqualTo(200);
    assertThat(ok("/api/v1/namespaces")).isEqualTo(json("{\"namespaces\":[\"ns1\"]}"));
  }

  @Test
  void requestBodiesOfManyMegabytesAreRead() throws Exception {
    assertThat(AdminServer.MAX_REQUEST_BYTES).isEqualTo(64L * 1024 * 1024);
    coordinate.namespace("ns1").setWorkSpec(Map.of("name", "s"));
    open();
    // About 6 MB, far over Javalin's default limit of 1 MB.
    String blob = "x".repeat(6000);
    List<String> items = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      items.add("{\"key_text\":\"u" + i + "\",\"data\":{\"blob\":\"" + blob + "\"}}");
    }
    String body = "{\"work_units\":[" + String.join(",", items) + "]}";
    assertThat(body.length()).isGreaterThan(6_000_000);
    TestHttp.Answer added = call("POST", API + "ns1/work-specs/s/work-units", body);
    assertThat(added.status()).as("%s", added.body()).isEqualTo(201);
    assertThat(coordinate.namespace("ns1").workSpec("s").workUnits(WorkUnitQuery.all()))
        .hasSize(1000);
  }
}
