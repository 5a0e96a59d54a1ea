package io.coordinate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.coordinate.api.Attempt;
import io.coordinate.api.AttemptRequest;
import io.coordinate.api.Coordinate;
import io.coordinate.api.Namespace;
import io.coordinate.api.NewWorkUnit;
import io.coordinate.api.RateLimit;
import io.coordinate.api.Retention;
import io.coordinate.api.WorkSpec;
import io.coordinate.api.WorkUnit;
import io.coordinate.api.WorkUnitKey;
import io.coordinate.api.WorkUnitMeta;
import io.coordinate.api.WorkUnitQuery;
import io.coordinate.api.WorkUnitStatus;
import io.coordinate.api.Worker;
import io.coordinate.api.data.ByteString;
import io.coordinate.api.data.Tuple;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command against a daemon on a real socket, as an operator runs them: table and JSON
 * output, what they change (looked at through the API), and how they fail. Each store runs it.
 */
abstract class CliContract {
  @TempDir Path dir;

  TestDaemon daemon;
  Cli cli;

  /** A fresh, empty store. */
  abstract Coordinate newBackend();

  @BeforeEach
  void startDaemon() {
    daemon = TestDaemon.start(newBackend());
    cli = Cli.of(daemon, dir);
  }

  @AfterEach
  void stopDaemon() {
    daemon.close();
  }

  Namespace ns() {
    return daemon.backend().namespace("");
  }

  Cli.Result ok(String... args) {
    Cli.Result r = cli.run(args);
    assertThat(r.exitCode()).as(r.toString()).isZero();
    return r;
  }

  static JsonNode json(String text) throws IOException {
    return Json.MAPPER.readTree(text);
  }

  Path write(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return file;
  }

  /** fetch: 2 available, 1 pending, 1 finished, 1 failed, 1 delayed; parse: empty and paused. */
  void someWork() {
    WorkSpec fetch = ns().setWorkSpec(Map.of("name", "fetch", "priority", 3, "max_running", 7));
    WorkSpec parse = ns().setWorkSpec(Map.of("name", "parse", "weight", 5));
    parse.setMeta(parse.meta(false).withPaused(true));
    fetch.addWorkUnits(List.of(
        NewWorkUnit.of("a", Map.of()), NewWorkUnit.of("b", Map.of()),
        NewWorkUnit.of("c", Map.of()), NewWorkUnit.of("d", Map.of())));
    Worker worker = ns().worker("w1");
    worker.heartbeat("run", Map.of(), Duration.ofMinutes(5));
    List<Attempt> taken = new ArrayList<>(worker.requestAttempts(AttemptRequest.of(3)));
    taken.sort((x, y) -> x.workUnit().key().compareTo(y.workUnit().key()));
    taken.get(0).finish(Map.of("done", true)); // a
    taken.get(1).fail(Map.of("traceback", "boom")); // b
    // c stays pending; d stays available
    fetch.addWorkUnit(WorkUnitKey.of("e"), Map.of(), WorkUnitMeta.DEFAULT);
    fetch.addWorkUnit(WorkUnitKey.of("f"), Map.of(),
        new WorkUnitMeta(0, java.time.Instant.now().plus(Duration.ofHours(1))));
  }

  // ------------------------------------------------------------------ summary, work-specs

  @Test
  void summaryCountsEachSpecByStatus() throws IOException {
    someWork();
    assertThat(ok("summary").out()).isEqualTo("""
        work spec  paused  available  pending  finished  failed  delayed  total
        fetch      no              2        1         1       1        1      6
        parse      yes             0        0         0       0        0      0
        """);
    JsonNode doc = json(ok("summary", "--json").out());
    assertThat(doc.get("namespace").textValue()).isEmpty();
    JsonNode fetch = doc.get("work_specs").get(0);
    assertThat(fetch.get("name").textValue()).isEqualTo("fetch");
    assertThat(fetch.get("available").longValue()).isEqualTo(2);
    assertThat(fetch.get("pending").longValue()).isEqualTo(1);
    assertThat(fetch.get("finished").longValue()).isEqualTo(1);
    assertThat(fetch.get("failed").longValue()).isEqualTo(1);
    assertThat(fetch.get("delayed").longValue()).isEqualTo(1);
    assertThat(fetch.get("total").longValue()).isEqualTo(6);
    assertThat(fetch.get("paused").booleanValue()).isFalse();
    assertThat(doc.get("work_specs").get(1).get("paused").booleanValue()).isTrue();
  }

  @Test
  void anEmptyOrAbsentNamespaceSaysSoAndIsNotCreated() throws IOException {
    assertThat(ok("summary").out()).isEqualTo("no work specs in the default namespace\n");
    assertThat(ok("-n", "nowhere", "work-specs").out())
        .isEqualTo("no work specs in namespace \"nowhere\"\n");
    assertThat(json(ok("summary", "--json", "--namespace", "nowhere").out()).get("work_specs"))
        .isEmpty();
    assertThat(ok("workers", "-n", "nowhere").out()).isEqualTo("no workers in namespace \"nowhere\"\n");
    assertThat(daemon.backend().namespaceNames()).doesNotContain("nowhere");
  }

  @Test
  void workSpecsShowTheirSchedulingSettings() throws IOException {
    someWork();
    assertThat(ok("work-specs").out()).isEqualTo("""
        work spec  paused  priority  weight  max_running
        fetch      no             3      20            7
        parse      yes            0       5            0
        """);
    JsonNode specs = json(ok("work-specs", "--json").out()).get("work_specs");
    assertThat(specs.get(0).get("name").textValue()).isEqualTo("fetch");
    assertThat(specs.get(0).get("priority").intValue()).isEqualTo(3);
    assertThat(specs.get(0).get("max_running").intValue()).isEqualTo(7);
    assertThat(specs.get(1).get("weight").intValue()).isEqualTo(5);
    assertThat(specs.get(1).get("paused").booleanValue()).isTrue();
  }

  // ------------------------------------------------------------------ add-spec, delete-spec, pause

  @Test
  void addSpecReadsYamlDocumentsAndJsonFromStandardInput() throws IOException {
    Path yaml = write("specs.yaml", """
        name: fetch
        desc: fetches pages
        then: parse
        max_running: 4
        config: {timeout: 30, hosts: [a, b]}
        ---
        name: parse
        """);
    assertThat(ok("add-spec", yaml.toString()).out())
        .isEqualTo("created work spec fetch\ncreated work spec parse\n");
    WorkSpec fetch = ns().workSpec("fetch");
    assertThat(fetch.definition().map())
        .containsEntry("desc", "fetches pages")
        .containsEntry("config", Map.of("timeout", 30L, "hosts", List.of("a", "b")));
    assertThat(fetch.meta(false).nextWorkSpecName()).isEqualTo("parse");
    assertThat(fetch.meta(false).maxRunning()).isEqualTo(4);

    fetch.setMeta(fetch.meta(false).withPaused(true));
    Cli.Result replaced = cli.stdin("{\"name\": \"fetch\", \"priority\": 9}").run(
        "add-spec", "-", "--json");
    assertThat(replaced.exitCode()).as(replaced.toString()).isZero();
    JsonNode doc = json(replaced.out()).get("work_specs").get(0);
    assertThat(doc.get("name").textValue()).isEqualTo("fetch");
    assertThat(doc.get("created").booleanValue()).isFalse();
    assertThat(fetch.meta(false).priority()).isEqualTo(9);
    assertThat(fetch.meta(false).paused()).isFalse();
  }

  @Test
  void aMalformedDefinitionChangesNothing() throws IOException {
    Path file = write("bad.yaml", "- name: good\n- desc: no name\n");
    Cli.Result r = cli.run("add-spec", file.toString());
    assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(r.err()).startsWith("error: ").contains("name");
    assertThat(ns().workSpecNames()).isEmpty();

    Cli.Result notYaml = cli.run("add-spec", write("x.yaml", "name: [unclosed\n").toString());
    assertThat(notYaml.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(notYaml.err()).startsWith("error: cannot read a work spec definition from");

    Cli.Result missing = cli.run("add-spec", dir.resolve("absent.yaml").toString());
    assertThat(missing.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(missing.err()).contains("absent.yaml: no such file");
  }

  @Test
  void pauseResumeAndDeleteSpec() throws IOException {
    ns().setWorkSpec(Map.of("name", "s"));
    assertThat(ok("pause", "s").out()).isEqualTo("paused work spec s\n");
    assertThat(ns().workSpec("s").meta(false).paused()).isTrue();
    JsonNode resumed = json(ok("resume", "s", "--json").out());
    assertThat(resumed.get("work_spec").textValue()).isEqualTo("s");
    assertThat(resumed.get("paused").booleanValue()).isFalse();
    assertThat(ns().workSpec("s").meta(false).paused()).isFalse();
    assertThat(ok("delete-spec", "s").out()).isEqualTo("deleted work spec s\n");
    assertThat(ns().workSpecNames()).isEmpty();
  }

  @Test
  void rateLimitSetsChangesAndRemovesTheLimit() throws IOException {
    ns().setWorkSpec(Map.of("name", "s", "priority", 4));
    assertThat(ok("rate-limit", "s", "2.5").out())
        .isEqualTo("limited work spec s to 2.5 units a second, at most 3 at once\n");
    assertThat(ns().workSpec("s").meta(false).rateLimit()).isEqualTo(new RateLimit(2.5, 0));
    JsonNode doc = json(ok("rate-limit", "s", "10", "--burst", "50", "--json").out());
    assertThat(doc.get("work_spec").textValue()).isEqualTo("s");
    assertThat(doc.get("rate_limit").doubleValue()).isEqualTo(10.0);
    assertThat(doc.get("rate_burst").intValue()).isEqualTo(50);
    assertThat(ns().workSpec("s").meta(false).rateLimit()).isEqualTo(new RateLimit(10, 50));
    assertThat(ns().workSpec("s").meta(false).priority()).as("the rest stays").isEqualTo(4);

    for (String[] bad : List.of(new String[] {"rate-limit", "s", "-1"},
        new String[] {"rate-limit", "s", "NaN"}, new String[] {"rate-limit", "s", "fast"},
        new String[] {"rate-limit", "s", "5", "--burst", "0"},
        new String[] {"rate-limit", "s", "0", "--burst", "5"})) {
      Cli.Result r = cli.run(bad);
      assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
    }
    assertThat(ns().workSpec("s").meta(false).rateLimit()).isEqualTo(new RateLimit(10, 50));

    assertThat(ok("rate-limit", "s", "0").out()).isEqualTo("removed the rate limit of work spec s\n");
    assertThat(ns().workSpec("s").meta(false).rateLimit().unlimited()).isTrue();
    assertThat(cli.run("rate-limit", "nope", "1").exitCode()).isEqualTo(ExitCodes.FAILED);
  }

  @Test
  void retentionShowsAndChangesThePolicy() throws IOException {
    ns().setWorkSpec(Map.of("name", "s", "retain_failed_count", 5));
    assertThat(ok("retention", "s").out())
        .isEqualTo("work spec s keeps finished units forever; failed units at most 5\n");
    assertThat(ok("retention", "s", "--finished-for", "7d", "--finished-count", "1000",
            "--failed-for", "90m").out())
        .isEqualTo("work spec s keeps finished units for 604800 s, at most 1000; failed units"
            + " for 5400 s, at most 5\n");
    assertThat(ns().workSpec("s").meta(false).retention())
        .isEqualTo(new Retention(Duration.ofDays(7), 1000, Duration.ofMinutes(90), 5));
    JsonNode doc = json(ok("retention", "s", "--failed-for", "30", "--json").out());
    assertThat(doc.get("retain_failed_seconds").doubleValue()).isEqualTo(30.0);
    assertThat(doc.get("retain_finished_count").intValue()).isEqualTo(1000);

    for (String[] bad : List.of(new String[] {"retention", "s", "--finished-for", "soon"},
        new String[] {"retention", "s", "--failed-for", "-1h"},
        new String[] {"retention", "s", "--failed-count", "-1"},
        new String[] {"retention", "s", "--keep-all", "--failed-count", "3"})) {
      Cli.Result r = cli.run(bad);
      assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
    }
    assertThat(ns().workSpec("s").meta(false).retention().failedFor())
        .isEqualTo(Duration.ofSeconds(30));

    assertThat(ok("retention", "s", "--keep-all").out())
        .isEqualTo("work spec s keeps finished units forever; failed units forever\n");
    assertThat(ns().workSpec("s").meta(false).retention()).isEqualTo(Retention.NONE);
  }

  @Test
  void archiveAppliesTheRetentionPolicyNow() throws IOException {
    WorkSpec s = ns().setWorkSpec(Map.of("name", "s", "retain_finished_count", 2));
    Worker w = ns().worker("w");
    for (int i = 0; i < 5; i++) {
      WorkUnit u = s.addWorkUnit(WorkUnitKey.of("u" + i), Map.of(), WorkUnitMeta.DEFAULT);
      w.makeAttempt(u, Duration.ofMinutes(5)).finish(null);
    }
    s.addWorkUnit(WorkUnitKey.of("waiting"), Map.of(), WorkUnitMeta.DEFAULT);
    assertThat(ok("archive", "s", "--max", "1").out()).isEqualTo("archived 1 unit\n");
    JsonNode doc = json(ok("archive", "s", "--json").out());
    assertThat(doc.get("archived").longValue()).isEqualTo(2);
    assertThat(ok("archive", "s").out()).isEqualTo("archived 0 units\n");
    assertThat(s.countWorkUnitStatus().get(WorkUnitStatus.FINISHED)).isEqualTo(2);
    assertThat(s.countWorkUnitStatus().get(WorkUnitStatus.AVAILABLE)).isEqualTo(1);
    assertThat(cli.run("archive", "s", "--max", "-1").exitCode()).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void aMissingSpecIsExitOne() {
    for (String[] args : List.of(
        new String[] {"pause", "nope"}, new String[] {"units", "nope"},
        new String[] {"unit", "nope", "k"}, new String[] {"delete-spec", "nope"},
        new String[] {"delete", "nope", "--all"}, new String[] {"retry", "nope", "--all-failed"})) {
      Cli.Result r = cli.run(args);
      assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.FAILED);
      assertThat(r.err()).as(String.join(" ", args))
          .isEqualTo("error: no such work spec: nope in the default namespace\n");
      assertThat(r.out()).isEmpty();
    }
  }

  // ------------------------------------------------------------------ add-units

  @Test
  void addUnitsFromJsonLinesKeepsDataAndPriority() throws IOException {
    ns().setWorkSpec(Map.of("name", "s"));
    Path file = write("units.jsonl", """
        {"key": "u1", "data": {"url": "https://example.com/", "depth": 2}, "priority": 5}
        {"key": {"$bytes": "AP8="}, "data": {"raw": {"$bytes": "AQI="}, "pair": {"$tuple": [1, "x"]}}}

        {"key": "u3", "priority": -1.5}
        """);
    Cli.Result r = ok("add-units", "s", file.toString());
    assertThat(r.out()).isEqualTo("added 3 units\n");
    assertThat(r.err()).isEmpty(); // no terminal: no progress bar
    WorkSpec s = ns().workSpec("s");
    WorkUnit u1 = s.workUnit(WorkUnitKey.of("u1"));
    assertThat(u1.data()).isEqualTo(Map.of("url", "https://example.com/", "depth", 2L));
    assertThat(u1.priority()).isEqualTo(5.0);
    WorkUnit binary = s.workUnit(WorkUnitKey.of(new byte[] {0, (byte) 0xff}));
    assertThat(binary.data()).isEqualTo(
        Map.of("raw", ByteString.copyOf(new byte[] {1, 2}), "pair", Tuple.of(1L, "x")));
    assertThat(s.workUnit(WorkUnitKey.of("u3")).priority()).isEqualTo(-1.5);
  }

  @Test
  void addUnitsFromStandardInputAndItsErrorsNameTheLine() throws IOException {
    ns().setWorkSpec(Map.of("name", "s"));
    Cli.Result plain = cli.stdin("k1\r\nk2\n\n{not json but a key with --format keys}\n")
        .run("add-units", "s", "-", "--format", "keys", "--json");
    assertThat(plain.exitCode()).as(plain.toString()).isZero();
    assertThat(json(plain.out()).get("added").longValue()).isEqualTo(3);
    assertThat(ns().workSpec("s").workUnit(WorkUnitKey.of("{not json but a key with --format keys}")))
        .isNotNull();

    Cli.Result bad = cli.stdin("{\"key\": \"ok\"}\n{\"key\": \"x\", \"prio\": 1}\n")
        .run("add-units", "s", "-");
    assertThat(bad.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(bad.err()).isEqualTo(
        "error: standard input line 2: unknown field \"prio\" (known: key, data, priority)\n");
    assertThat(ns().workSpec("s").countWorkUnitStatus().total()).isEqualTo(3);

    Cli.Result missingSpec = cli.stdin("k\n").run("add-units", "nope", "-");
    assertThat(missingSpec.exitCode()).isEqualTo(ExitCodes.FAILED);
  }

  @Test
  void addUnitsStreamsAHundredThousandKeysInBatches() throws IOException {
    ns().setWorkSpec(Map.of("name", "big"));
    Path file = dir.resolve("keys.txt");
    try (var w = Files.newBufferedWriter(file)) {
      for (int i = 0; i < 100_000; i++) {
        w.write(String.format("https://example.com/page/%06d%n", i));
      }
    }
    Cli.Result r = ok("add-units", "big", file.toString(), "--progress", "--batch-size", "10000");
    assertThat(r.out()).isEqualTo("added 100000 units\n");
    assertThat(r.err()).contains("adding to big").contains("100000 units");
    WorkSpec big = ns().workSpec("big");
    assertThat(big.countWorkUnitStatus().get(WorkUnitStatus.AVAILABLE)).isEqualTo(100_000);
    assertThat(big.workUnits(WorkUnitQuery.all().withLimit(1)).getFirst().key())
        .isEqualTo(WorkUnitKey.of("https://example.com/page/000000"));
    assertThat(big.workUnits(WorkUnitQuery.all().withAfter(
            WorkUnitKey.of("https://example.com/page/099998"))).getFirst().key())
        .isEqualTo(WorkUnitKey.of("https://example.com/page/099999"));
  }

  // ------------------------------------------------------------------ units, unit

  @Test
  void unitsListsInKeyOrderWithStatusAndPriority() throws IOException {
    someWork();
    ns().workSpec("fetch").workUnit(WorkUnitKey.of("d")).setPriority(2.5);
    assertThat(ok("units", "fetch").out()).isEqualTo("""
        status       priority  key
        finished            0  a
        failed              0  b
        pending             0  c
        available         2.5  d
        available           0  e
        delayed             0  f
        """);
    assertThat(ok("units", "fetch", "--status", "available,failed").out()).isEqualTo("""
        status       priority  key
        failed              0  b
        available         2.5  d
        available           0  e
        """);
    Cli.Result page = ok("units", "fetch", "--limit", "2", "--after", "a");
    assertThat(page.out()).isEqualTo("""
        status       priority  key
        failed              0  b
        pending             0  c
        """);
    assertThat(page.err()).isEqualTo("more units follow: continue with --after 'c'\n");
    assertThat(ok("units", "fetch", "--after", "e").err()).isEmpty();

    String[] lines = ok("units", "fetch", "--json", "-s", "available").out().split("\n");
    assertThat(lines).hasSize(2);
    JsonNode d = json(lines[0]);
    assertThat(d.get("key").textValue()).isEqualTo("d");
    assertThat(d.get("status").textValue()).isEqualTo("available");
    assertThat(d.get("priority").doubleValue()).isEqualTo(2.5);
  }

  @Test
  void unitShowsDataAttemptsAndHistory() throws IOException {
    someWork();
    Cli.Result failed = ok("unit", "fetch", "b");
    assertThat(failed.out())
        .startsWith("work spec:  fetch\nkey:        b\nstatus:     failed\npriority:   0\n")
        .contains("data:       {\n              \"traceback\" : \"boom\"\n            }\n")
        .contains("active attempt: #0 by worker w1, failed, started ")
        .contains("attempts:\n  #  worker  status  started")
        .containsPattern("\n  0  w1      failed  \\S+Z  \\S+Z  \\S+Z\n");

    JsonNode doc = json(ok("unit", "fetch", "c", "--json").out());
    assertThat(doc.get("key").textValue()).isEqualTo("c");
    assertThat(doc.get("status").textValue()).isEqualTo("pending");
    assertThat(doc.get("active_attempt").get("worker").textValue()).isEqualTo("w1");
    assertThat(doc.get("active_attempt").get("status").textValue()).isEqualTo("pending");
    assertThat(doc.get("active_attempt").get("end_time").isNull()).isTrue();
    assertThat(doc.get("attempts")).hasSize(1);

    Cli.Result none = ok("unit", "fetch", "e");
    assertThat(none.out()).contains("active attempt: none\nattempts:   none\n");
    Cli.Result missing = cli.run("unit", "fetch", "zz");
    assertThat(missing.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(missing.err()).isEqualTo("error: no such work unit: zz in work spec fetch\n");
  }

  @Test
  void binaryKeysRoundTrip() throws IOException {
    ns().setWorkSpec(Map.of("name", "bin"));
    // 00 ff, a tab in text, text that looks like the base64 form, and plain text
    Cli.Result added = cli.stdin("AP8\nYQli\nYmFzZTY0OnRyaWNreQ\ndGV4dA\n")
        .run("add-units", "bin", "-", "--key-base64");
    assertThat(added.exitCode()).as(added.toString()).isZero();
    WorkSpec bin = ns().workSpec("bin");
    assertThat(bin.workUnits(WorkUnitQuery.all()).stream().map(WorkUnit::key).toList())
        .containsExactly(WorkUnitKey.of(new byte[] {0, (byte) 0xff}), WorkUnitKey.of("a\tb"),
            WorkUnitKey.of("base64:tricky"), WorkUnitKey.of("text"));
    assertThat(ok("units", "bin").out()).isEqualTo("""
        status       priority  key
        available           0  base64:AP8
        available           0  base64:YQli
        available           0  base64:YmFzZTY0OnRyaWNreQ
        available           0  text
        """);
    String[] lines = ok("units", "bin", "--json").out().split("\n");
    assertThat(json(lines[0]).get("key").get("$bytes").textValue()).isEqualTo("AP8=");
    assertThat(json(lines[1]).get("key").textValue()).isEqualTo("a\tb");

    assertThat(ok("unit", "bin", "AP8", "--key-base64").out()).contains("key:        base64:AP8\n");
    assertThat(json(ok("unit", "bin", "--key-base64", "AP8=", "--json").out())
        .get("key").get("$bytes").textValue()).isEqualTo("AP8=");
    assertThat(ok("prioritize", "bin", "--key-base64", "AP8", "--priority", "4").out())
        .isEqualTo("changed the priority of 1 unit\n");
    assertThat(bin.workUnit(WorkUnitKey.of(new byte[] {0, (byte) 0xff})).priority()).isEqualTo(4);
    assertThat(ok("delete", "bin", "--key-base64", "AP8").out()).isEqualTo("deleted 1 unit\n");
    assertThat(bin.countWorkUnitStatus().total()).isEqualTo(3);

    Cli.Result notBase64 = cli.run("unit", "bin", "--key-base64", "*");
    assertThat(notBase64.exitCode()).isEqualTo(ExitCodes.USAGE);
  }

  // ------------------------------------------------------------------ retry, prioritize, delete

  @Test
  void retryNamedUnitsAndAllFailed() throws IOException {
    someWork();
    WorkSpec fetch = ns().workSpec("fetch");
    Cli.Result named = ok("retry", "fetch", "b", "a");
    assertThat(named.out()).isEqualTo("retried 1 unit\n");
    assertThat(named.err()).isEqualTo("not failed, left as they are: a (finished)\n");
    assertThat(fetch.workUnit(WorkUnitKey.of("b")).status()).isEqualTo(WorkUnitStatus.AVAILABLE);
    assertThat(fetch.workUnit(WorkUnitKey.of("b")).attempts()).hasSize(1);

    Cli.Result missing = cli.run("retry", "fetch", "a", "zz");
    assertThat(missing.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(missing.err()).isEqualTo(
        "error: no such work unit in work spec fetch: zz; nothing was retried\n");

    Worker w = ns().worker("w2");
    for (Attempt a : w.requestAttempts(AttemptRequest.of(10))) {
      a.fail(Map.of());
    }
    long failed = fetch.countWorkUnitStatus().get(WorkUnitStatus.FAILED);
    assertThat(failed).isPositive();
    assertThat(json(ok("retry", "fetch", "--all-failed", "--json").out()).get("retried").intValue())
        .isEqualTo(failed);
    assertThat(fetch.countWorkUnitStatus().get(WorkUnitStatus.FAILED)).isZero();

    assertThat(cli.run("retry", "fetch").exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(cli.run("retry", "fetch", "a", "--all-failed").exitCode())
        .isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void prioritizeSetsOrAdjusts() throws IOException {
    someWork();
    WorkSpec fetch = ns().workSpec("fetch");
    assertThat(ok("prioritize", "fetch", "d", "e", "--priority", "10").out())
        .isEqualTo("changed the priority of 2 units\n");
    Cli.Result adjusted = ok("prioritize", "fetch", "d", "zz", "--adjust", "-2.5", "--json");
    assertThat(json(adjusted.out()).get("changed").intValue()).isEqualTo(1);
    assertThat(adjusted.err()).isEqualTo("1 of the named keys are not units of fetch\n");
    assertThat(fetch.workUnit(WorkUnitKey.of("d")).priority()).isEqualTo(7.5);
    assertThat(fetch.workUnit(WorkUnitKey.of("e")).priority()).isEqualTo(10);

    Cli.Result both = cli.run("prioritize", "fetch", "d", "--priority", "1", "--adjust", "1");
    assertThat(both.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(both.err()).contains("mutually exclusive");
    assertThat(cli.run("prioritize", "fetch", "d").exitCode()).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void deleteNeedsKeysAStatusOrAll() throws IOException {
    someWork();
    WorkSpec fetch = ns().workSpec("fetch");
    Cli.Result refused = cli.run("delete", "fetch");
    assertThat(refused.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(refused.err())
        .isEqualTo("error: refusing to delete every unit of fetch without --all; name keys or give"
            + " --status\n'coordinate delete --help' shows the usage\n");
    assertThat(fetch.countWorkUnitStatus().total()).isEqualTo(6);

    assertThat(ok("delete", "fetch", "--status", "finished").out()).isEqualTo("deleted 1 unit\n");
    assertThat(ok("delete", "fetch", "b", "d", "--status", "available").out())
        .isEqualTo("deleted 1 unit\n"); // b is failed, so only d
    assertThat(json(ok("delete", "fetch", "b", "--json").out()).get("deleted").intValue())
        .isEqualTo(1);
    assertThat(cli.run("delete", "fetch", "--all", "-s", "failed").exitCode())
        .isEqualTo(ExitCodes.USAGE);
    assertThat(ok("delete", "fetch", "--all").out()).isEqualTo("deleted 3 units\n");
    assertThat(fetch.countWorkUnitStatus().total()).isZero();
  }

  // ------------------------------------------------------------------ workers

  @Test
  void workersShowAsATreeWithTheirWork() throws IOException {
    ns().setWorkSpec(Map.of("name", "fetch"));
    ns().workSpec("fetch").addWorkUnits(List.of(NewWorkUnit.of("u1", Map.of())));
    Worker parent = ns().worker("parent");
    parent.heartbeat("run", Map.of("host", "h1"), Duration.ofMinutes(5));
    Worker child = ns().worker("child");
    child.setParent(parent);
    child.heartbeat("run", Map.of(), Duration.ofMinutes(5));
    child.requestAttempts(AttemptRequest.of(1));
    Worker idle = ns().worker("idle");
    idle.deactivate();

    String text = ok("workers").out();
    // A child is printed under its parent, indented, with the units it is working on.
    assertThat(text).containsPattern("(?m)^parent  active  mode run  last heartbeat \\S+\n"
        + "  child  active  mode run  last heartbeat \\S+\n"
        + "      working on fetch u1 since \\S+, expires \\S+\n");
    assertThat(text).containsPattern("(?m)^idle  inactive  last heartbeat ");
    assertThat(ok("workers", "--active").out()).doesNotContain("idle");

    JsonNode workers = json(ok("workers", "--json").out()).get("workers");
    JsonNode c = null;
    for (JsonNode w : workers) {
      if (w.get("name").textValue().equals("child")) {
        c = w;
      }
    }
    assertThat(c).isNotNull();
    assertThat(c.get("parent").textValue()).isEqualTo("parent");
    assertThat(c.get("active").booleanValue()).isTrue();
    assertThat(c.get("active_attempts").get(0).get("work_spec").textValue()).isEqualTo("fetch");
    assertThat(c.get("active_attempts").get(0).get("key").textValue()).isEqualTo("u1");
  }

  // ------------------------------------------------------------------ namespaces, options

  @Test
  void aNamespaceComesFromTheOptionOrTheEnvironment() throws IOException {
    String name = "ns-" + UUID.randomUUID();
    Path spec = write("spec.json", "{\"name\": \"s\"}");
    ok("add-spec", spec.toString(), "--namespace", name);
    assertThat(daemon.backend().namespace(name).workSpecNames()).containsExactly("s");
    assertThat(ns().workSpecNames()).isEmpty();
    cli.env(Configuration.NAMESPACE_VARIABLE, name);
    assertThat(ok("work-specs").out()).contains("\ns  ");
    // Global options also work before the command's name.
    assertThat(ok("--namespace", "", "work-specs").out()).startsWith("no work specs");
  }
}
