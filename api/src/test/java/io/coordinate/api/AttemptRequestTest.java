package io.coordinate.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link AttemptRequest}: defaults and validation. */
class AttemptRequestTest {

  @Test
  void oneIsASingleUnitFromAnySpecWithTheDefaultLease() {
    AttemptRequest r = AttemptRequest.one();
    assertThat(r.numberOfWorkUnits()).isEqualTo(1);
    assertThat(r.lifetime()).isEqualTo(AttemptRequest.DEFAULT_LIFETIME);
    assertThat(r.workSpecs()).isEmpty();
    assertThat(r.runtimes()).isEmpty();
  }

  @Test
  void defaultLifetimeIsFifteenMinutes() {
    assertThat(AttemptRequest.DEFAULT_LIFETIME).isEqualTo(Duration.ofMinutes(15));
    assertThat(new AttemptRequest(3, null, 0, null, null).lifetime())
        .isEqualTo(Duration.ofMinutes(15));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
  void fewerThanOneUnitMeansOne(int n) {
    assertThat(AttemptRequest.of(n).numberOfWorkUnits()).isEqualTo(1);
    assertThat(AttemptRequest.one().withNumberOfWorkUnits(n).numberOfWorkUnits()).isEqualTo(1);
  }

  @Test
  void largerCountsAreKept() {
    assertThat(AttemptRequest.of(25).numberOfWorkUnits()).isEqualTo(25);
  }

  @Test
  void explicitLifetimeIsKept() {
    assertThat(AttemptRequest.one().withLifetime(Duration.ofSeconds(1)).lifetime())
        .isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void nullLifetimeInAWitherMeansTheDefault() {
    assertThat(AttemptRequest.one().withLifetime(Duration.ofHours(2)).withLifetime(null).lifetime())
        .isEqualTo(AttemptRequest.DEFAULT_LIFETIME);
  }

  @Test
  void zeroOrNegativeLifetimeIsRejected() {
    assertThatThrownBy(() -> AttemptRequest.one().withLifetime(Duration.ZERO))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("lifetime");
    assertThatThrownBy(() -> AttemptRequest.one().withLifetime(Duration.ofSeconds(-5)))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> new AttemptRequest(1, Duration.ofNanos(-1), 0, null, null))
        .isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void withersKeepTheOtherFields() {
    AttemptRequest r =
        AttemptRequest.of(4)
            .withLifetime(Duration.ofMinutes(1))
            .withAvailableGb(2.5)
            .withWorkSpecs("a", "b")
            .withRuntimes("", "go");
    assertThat(r)
        .isEqualTo(
            new AttemptRequest(4, Duration.ofMinutes(1), 2.5, List.of("a", "b"), List.of("", "go")));
  }

  @Test
  void nameAndRuntimeListsAreCopied() {
    List<String> names = new ArrayList<>(List.of("a"));
    List<String> runtimes = new ArrayList<>(List.of("go"));
    AttemptRequest r = new AttemptRequest(1, null, 0, names, runtimes);
    names.add("b");
    runtimes.add("python");
    assertThat(r.workSpecs()).containsExactly("a");
    assertThat(r.runtimes()).containsExactly("go");
    assertThatThrownBy(() -> r.workSpecs().add("c"))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
