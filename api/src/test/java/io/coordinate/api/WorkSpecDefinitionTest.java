package io.coordinate.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coordinate.api.data.ByteString;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link WorkSpecDefinition#parse}: the special keys of SPEC §3, their defaults and their errors. */
class WorkSpecDefinitionTest {

  /** A definition with name "spec" and the given extra key/value pairs, in order. */
  private static Map<String, Object> def(Object... keysAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", "spec");
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }

  private static WorkSpecMeta meta(Object... keysAndValues) {
    return WorkSpecDefinition.parse(def(keysAndValues)).defaultMeta();
  }

  @Nested
  class Defaults {
    @Test
    void minimalDefinitionGivesDocumentedDefaults() {
      WorkSpecDefinition d = WorkSpecDefinition.parse(Map.of("name", "spec"));
      WorkSpecMeta m = d.defaultMeta();

      assertThat(d.name()).isEqualTo("spec");
      assertThat(m.priority()).isZero();
      assertThat(m.weight()).isEqualTo(WorkSpecMeta.DEFAULT_WEIGHT).isEqualTo(20);
      assertThat(m.paused()).isFalse();
      assertThat(m.continuous()).isFalse();
      assertThat(m.canBeContinuous()).isFalse();
      assertThat(m.interval()).isEqualTo(Duration.ZERO);
      assertThat(m.nextContinuous()).isEqualTo(Instant.EPOCH);
      assertThat(m.maxRunning()).isZero();
      assertThat(m.maxAttemptsReturned()).isZero();
      assertThat(m.maxRetries()).isZero();
      assertThat(m.nextWorkSpecName()).isEmpty();
      assertThat(m.runtime()).isEmpty();
      assertThat(m.minMemoryGb()).isZero();
      assertThat(m.counts()).isEmpty();
      assertThat(m.rateLimit()).isEqualTo(RateLimit.NONE);
      assertThat(m.retention()).isEqualTo(Retention.NONE);
      assertThat(d.then()).isEmpty();
    }

    @Test
    void nullValuesCountAsAbsent() {
      Map<String, Object> withNulls = def();
      for (String key :
          List.of("min_gb", "disabled", "continuous", "interval", "priority", "weight", "nice",
              "max_running", "max_getwork", "max_retries", "then", "runtime")) {
        withNulls.put(key, null);
      }
      WorkSpecDefinition d = WorkSpecDefinition.parse(withNulls);

      assertThat(d.defaultMeta()).isEqualTo(WorkSpecDefinition.parse(def()).defaultMeta());
      // ...and the nulls themselves stay in the definition as given.
      assertThat(d.map()).containsEntry("weight", null).hasSize(withNulls.size());
    }
  }

  @Nested
  class SpecialKeys {
    @Test
    void priorityIsTakenAsGivenIncludingNegative() {
      assertThat(meta("priority", 7).priority()).isEqualTo(7);
      assertThat(meta("priority", -3L).priority()).isEqualTo(-3);
    }

    @Test
    void weightIsTakenAsGiven() {
      assertThat(meta("weight", 5).weight()).isEqualTo(5);
      assertThat(meta("weight", 1000L).weight()).isEqualTo(1000);
    }

    @Test
    void niceGivesTwentyMinusNiceWhenWeightIsAbsent() {
      assertThat(meta("nice", 5).weight()).isEqualTo(15);
      assertThat(meta("nice", -10).weight()).isEqualTo(30);
      assertThat(meta("nice", 0).weight()).isEqualTo(20);
    }

    @Test
    void weightWinsOverNice() {
      assertThat(meta("weight", 3, "nice", 5).weight()).isEqualTo(3);
      assertThat(meta("nice", 5, "weight", 3).weight()).isEqualTo(3);
    }

    @Test
    void nullWeightFallsBackToNice() {
      assertThat(meta("weight", null, "nice", 4).weight()).isEqualTo(16);
    }

    @ParameterizedTest
    @ValueSource(ints = {20, 25, 1000})
    void niceAtOrAboveTwentyClampsWeightToOne(int nice) {
      assertThat(meta("nice", nice).weight()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, -50})
    void explicitWeightBelowOneIsClampedToOne(int weight) {
      assertThat(meta("weight", weight).weight()).isEqualTo(1);
    }

    @Test
    void veryNegativeNiceGivesLargestWeightRatherThanOverflowing() {
      assertThat(meta("nice", Integer.MIN_VALUE).weight()).isEqualTo(Integer.MAX_VALUE);
      assertThat(meta("nice", -(Integer.MAX_VALUE - 20)).weight()).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void disabledStartsPaused() {
      assertThat(meta("disabled", true).paused()).isTrue();
      assertThat(meta("disabled", false).paused()).isFalse();
    }

    @Test
    void integerBooleansFollowPythonTruthiness() {
      assertThat(meta("disabled", 1).paused()).isTrue();
      assertThat(meta("disabled", 0).paused()).isFalse();
      assertThat(meta("continuous", 1L).continuous()).isTrue();
    }

    @Test
    void continuousSetsBothContinuousAndCanBeContinuous() {
      WorkSpecMeta m = meta("continuous", true);
      assertThat(m.continuous()).isTrue();
      assertThat(m.canBeContinuous()).isTrue();

      WorkSpecMeta not = meta("continuous", false);
      assertThat(not.continuous()).isFalse();
      assertThat(not.canBeContinuous()).isFalse();
    }

    @Test
    void intervalIsSecondsIntegerOrFractional() {
      assertThat(meta("interval", 60).interval()).isEqualTo(Duration.ofMinutes(1));
      assertThat(meta("interval", 1.5).interval()).isEqualTo(Duration.ofMillis(1500));
      assertThat(meta("interval", 0).interval()).isEqualTo(Duration.ZERO);
    }

    @Test
    void limitsAreTakenAsGiven() {
      WorkSpecMeta m = meta("max_running", 4, "max_getwork", 10, "max_retries", 3);
      assertThat(m.maxRunning()).isEqualTo(4);
      assertThat(m.maxAttemptsReturned()).isEqualTo(10);
      assertThat(m.maxRetries()).isEqualTo(3);
    }

    @Test
    void integralDoublesAreAcceptedAsIntegers() {
      WorkSpecMeta m = meta("max_running", 4.0, "weight", 7.0, "priority", -2.0);
      assertThat(m.maxRunning()).isEqualTo(4);
      assertThat(m.weight()).isEqualTo(7);
      assertThat(m.priority()).isEqualTo(-2);
      assertThat(meta("priority", (double) Integer.MIN_VALUE).priority())
          .isEqualTo(Integer.MIN_VALUE);
    }

    @Test
    void thenAndRuntimeAreRecorded() {
      WorkSpecDefinition d = WorkSpecDefinition.parse(def("then", "next", "runtime", "go1.5"));
      assertThat(d.then()).isEqualTo("next");
      assertThat(d.defaultMeta().nextWorkSpecName()).isEqualTo("next");
      assertThat(d.defaultMeta().runtime()).isEqualTo("go1.5");
    }

    @Test
    void minGbIsRecordedFromIntegerOrFloat() {
      assertThat(meta("min_gb", 2).minMemoryGb()).isEqualTo(2.0);
      assertThat(meta("min_gb", 0.5).minMemoryGb()).isEqualTo(0.5);
    }

    @Test
    void byteStringTextValuesAreAccepted() {
      WorkSpecDefinition d =
          WorkSpecDefinition.parse(
              Map.of(
                  "name", ByteString.utf8("bytes-spec"),
                  "then", ByteString.utf8("after"),
                  "runtime", ByteString.utf8("python_2")));
      assertThat(d.name()).isEqualTo("bytes-spec");
      assertThat(d.then()).isEqualTo("after");
      assertThat(d.defaultMeta().runtime()).isEqualTo("python_2");
      // The map keeps the bytes: the definition is returned as given.
      assertThat(d.map().get("name")).isEqualTo(ByteString.utf8("bytes-spec"));
    }

    @Test
    void byteStringKeysFromPython2ClientsAreNames() {
      Map<Object, Object> raw = new LinkedHashMap<>();
      raw.put(ByteString.utf8("name"), ByteString.utf8("py2"));
      raw.put(ByteString.utf8("weight"), 3L);
      @SuppressWarnings("unchecked")
      WorkSpecDefinition d = WorkSpecDefinition.parse((Map<String, ?>) (Map<?, ?>) raw);
      assertThat(d.name()).isEqualTo("py2");
      assertThat(d.defaultMeta().weight()).isEqualTo(3);
      assertThat(d.map()).containsOnlyKeys("name", "weight");
    }
  }

  @Nested
  class Verbatim {
    @Test
    void pythonWorkerKeysAreKeptVerbatim() {
      Map<String, Object> config = Map.of("input", "/data", "threads", 4L);
      WorkSpecDefinition d =
          WorkSpecDefinition.parse(
              def("module", "my.module", "run_function", "run", "config", config));
      assertThat(d.map())
          .containsEntry("module", "my.module")
          .containsEntry("run_function", "run")
          .containsEntry("config", config);
      assertThat(d.getText("module")).isEqualTo("my.module");
      assertThat(d.getText("run_function")).isEqualTo("run");
    }

    @Test
    void everyKeyIsKeptInTheOrderGiven() {
      Map<String, Object> given = new LinkedHashMap<>();
      given.put("zeta", 1L);
      given.put("name", "spec");
      given.put("alpha", List.of("x", "y"));
      given.put("weight", 5L);
      given.put("desc", "something");
      WorkSpecDefinition d = WorkSpecDefinition.parse(given);

      assertThat(d.map()).containsExactlyEntriesOf(given);
    }

    @Test
    void specialKeysStayAsGivenEvenWhenMetaDiffers() {
      // weight 0 is clamped in the meta but the definition still says 0.
      WorkSpecDefinition d = WorkSpecDefinition.parse(def("weight", 0L, "nice", 3L));
      assertThat(d.map()).containsEntry("weight", 0L).containsEntry("nice", 3L);
      assertThat(d.defaultMeta().weight()).isEqualTo(1);
    }

    @Test
    void definitionIsACopyUnaffectedByLaterChangesToTheInput() {
      Map<String, Object> given = def("desc", "before");
      WorkSpecDefinition d = WorkSpecDefinition.parse(given);
      given.put("desc", "after");
      given.put("extra", 1L);

      assertThat(d.map()).containsEntry("desc", "before").doesNotContainKey("extra");
      assertThatThrownBy(() -> d.map().put("x", 1L))
          .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void getTextDecodesByteStringsAndReturnsNullWhenAbsent() {
      WorkSpecDefinition d = WorkSpecDefinition.parse(def("module", ByteString.utf8("m.py")));
      assertThat(d.getText("module")).isEqualTo("m.py");
      assertThat(d.getText("absent")).isNull();
    }

    @Test
    void getTextOfANonTextValueIsAnInvalidWorkSpec() {
      WorkSpecDefinition d = WorkSpecDefinition.parse(def("module", 5L));
      assertThatThrownBy(() -> d.getText("module"))
          .isInstanceOf(InvalidWorkSpecException.class)
          .hasMessageContaining("module");
    }
  }

  @Nested
  class Errors {
    @Test
    void nullDefinitionIsRejected() {
      assertThatThrownBy(() -> WorkSpecDefinition.parse(null))
          .isInstanceOf(InvalidWorkSpecException.class);
    }

    @Test
    void missingNameIsRejected() {
      assertThatThrownBy(() -> WorkSpecDefinition.parse(Map.of("weight", 5L)))
          .isInstanceOf(InvalidWorkSpecException.class)
          .hasMessageContaining("name");
    }

    @Test
    void nullNameIsRejectedAsMissing() {
      Map<String, Object> m = new HashMap<>();
      m.put("name", null);
      assertThatThrownBy(() -> WorkSpecDefinition.parse(m))
          .isInstanceOf(InvalidWorkSpecException.class)
          .hasMessageContaining("name");
    }

    @Test
    void emptyNameIsRejected() {
      assertThatThrownBy(() -> WorkSpecDefinition.parse(Map.of("name", "")))
          .isInstanceOf(InvalidWorkSpecException.class)
          .hasMessageContaining("name")
          .hasMessageContaining("empty");
      assertThatThrownBy(() -> WorkSpecDefinition.parse(Map.of("name", ByteString.EMPTY)))
          .isInstanceOf(InvalidWorkSpecException.class);
    }

    @ParameterizedTest
    @MethodSource("io.coordinate.api.WorkSpecDefinitionTest#nonStringNames")
    void nonStringNameIsRejected(Object name) {
      assertThatThrownBy(() -> WorkSpecDefinition.parse(Map.of("name", name)))
          .isInstanceOf(InvalidWorkSpecException.class)
          .hasMessageContaining("\"name\" must be a string");
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("io.coordinate.api.WorkSpecDefinitionTest#wrongTypes")
    void wrongTypedSpecialKeyIsRejectedNamingTheKey(String key, Object value) {
      assertThatThrownBy(() -> WorkSpecDefinition.parse(def(key, value)))
          .isInstanceOf(InvalidWorkSpecException.class)
          .hasMessageContaining("\"" + key + "\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"max_running", "max_getwork", "max_retries"})
    void negativeLimitIsRejected(String key) {
      assertThatThrownBy(() -> WorkSpecDefinition.parse(def(key, -1L)))
          .isInstanceOf(InvalidWorkSpecException.class)
          .hasMessageContaining(key)
          .hasMessageContaining("negative");
    }

    @Test
    void negativeOrInfiniteIntervalIsRejected() {
      assertThatThrownBy(() -> WorkSpecDefinition.parse(def("interval", -1L)))
          .isInstanceOf(InvalidWorkSpecException.class)
          .hasMessageContaining("interval");
      assertThatThrownBy(() -> WorkSpecDefinition.parse(def("interval", -0.5)))
          .isInstanceOf(InvalidWorkSpecException.class);
      assertThatThrownBy(
              () -> WorkSpecDefinition.parse(def("interval", Double.POSITIVE_INFINITY)))
          .isInstanceOf(InvalidWorkSpecException.class);
    }

    @Test
    void integersOutsideThirtyTwoBitsAreRejected() {
      assertThatThrownBy(() -> WorkSpecDefinition.parse(def("max_running", 1L << 40)))
          .isInstanceOf(InvalidWorkSpecException.class)
          .hasMessageContaining("max_running");
      assertThatThrownBy(() -> WorkSpecDefinition.parse(def("priority", 1e12)))
          .isInstanceOf(InvalidWorkSpecException.class);
    }

    @Test
    void nonStringKeyInTheDefinitionIsAnInvalidWorkSpec() {
      Map<Object, Object> raw = new HashMap<>();
      raw.put("name", "spec");
      raw.put(5L, "five");
      @SuppressWarnings("unchecked")
      Map<String, ?> cast = (Map<String, ?>) (Map<?, ?>) raw;
      assertThatThrownBy(() -> WorkSpecDefinition.parse(cast))
          .isInstanceOf(InvalidWorkSpecException.class);
    }

    @Test
    void errorsAreClassifiedAsInvalid() {
      Throwable t =
          org.assertj.core.api.Assertions.catchThrowable(
              () -> WorkSpecDefinition.parse(def("weight", "x")));
      assertThat(CoordinateException.isInvalid(t)).isTrue();
      assertThat(CoordinateException.kindOf(t)).isEqualTo(ErrorKind.INVALID_WORK_SPEC);
    }
  }

  static List<Object> nonStringNames() {
    return List.of(5L, 1.5, true, List.of("spec"), Map.of("name", "spec"));
  }

  static List<Arguments> wrongTypes() {
    return List.of(
        Arguments.of("weight", "x"),
        Arguments.of("weight", 1.5),
        Arguments.of("weight", true),
        Arguments.of("nice", "low"),
        Arguments.of("priority", "high"),
        Arguments.of("priority", 0.25),
        Arguments.of("disabled", "yes"),
        Arguments.of("disabled", 1.0),
        Arguments.of("continuous", "true"),
        Arguments.of("interval", "soon"),
        Arguments.of("interval", Double.NaN),
        Arguments.of("interval", true),
        Arguments.of("max_running", 1.5),
        Arguments.of("max_running", "4"),
        Arguments.of("max_getwork", List.of(1L)),
        Arguments.of("max_retries", Map.of()),
        Arguments.of("min_gb", "2G"),
        Arguments.of("then", 5L),
        Arguments.of("then", List.of("a", "b")),
        Arguments.of("runtime", 2.7));
  }

  @Nested
  class RateLimitAndRetention {
    @Test
    void rateLimitKeysSetTheLimitAndTheBurstDefaultsToOneSecondsWorth() {
      assertThat(meta("rate_limit", 2.5).rateLimit()).isEqualTo(new RateLimit(2.5, 0));
      assertThat(meta("rate_limit", 2.5).rateLimit().capacity()).isEqualTo(3);
      assertThat(meta("rate_limit", 0.1).rateLimit().capacity()).isEqualTo(1);
      assertThat(meta("rate_limit", 10L, "rate_burst", 50L).rateLimit())
          .isEqualTo(new RateLimit(10, 50));
      assertThat(meta("rate_limit", 10L, "rate_burst", 50L).rateLimit().capacity()).isEqualTo(50);
      assertThat(meta("rate_limit", 0L).rateLimit().unlimited()).isTrue();
    }

    @Test
    void retentionKeysSetThePolicy() {
      Retention r =
          meta("retain_finished_seconds", 3600L, "retain_finished_count", 10L,
                  "retain_failed_seconds", 0.5, "retain_failed_count", 3L)
              .retention();
      assertThat(r)
          .isEqualTo(new Retention(Duration.ofHours(1), 10, Duration.ofMillis(500), 3));
      assertThat(r.keepsEverything()).isFalse();
      assertThat(meta("retain_failed_count", 1L).retention().keepsAllFinished()).isTrue();
    }

    @Test
    void badValuesAreInvalidWorkSpecsNamingTheKey() {
      assertThatThrownBy(() -> meta("rate_limit", -1L))
          .isInstanceOf(InvalidWorkSpecException.class).hasMessageContaining("rate_limit");
      assertThatThrownBy(() -> meta("rate_limit", Double.POSITIVE_INFINITY))
          .isInstanceOf(InvalidWorkSpecException.class).hasMessageContaining("rate_limit");
      assertThatThrownBy(() -> meta("rate_limit", "fast"))
          .isInstanceOf(InvalidWorkSpecException.class).hasMessageContaining("rate_limit");
      assertThatThrownBy(() -> meta("rate_limit", 1L, "rate_burst", -2L))
          .isInstanceOf(InvalidWorkSpecException.class).hasMessageContaining("rate_burst");
      assertThatThrownBy(() -> meta("rate_burst", 1.5))
          .isInstanceOf(InvalidWorkSpecException.class).hasMessageContaining("rate_burst");
      assertThatThrownBy(() -> meta("retain_finished_seconds", -1L))
          .isInstanceOf(InvalidWorkSpecException.class)
          .hasMessageContaining("retain_finished_seconds");
      assertThatThrownBy(() -> meta("retain_failed_count", -1L))
          .isInstanceOf(InvalidWorkSpecException.class)
          .hasMessageContaining("retain_failed_count");
    }
  }
}
