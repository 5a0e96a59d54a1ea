package io.coordinate.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.coordinate.api.UnitEvents.Transition;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** Unit events as counters per namespace, work spec and transition. */
class MeteredUnitEventsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final MeteredUnitEvents events = new MeteredUnitEvents(registry);

  private double count(String namespace, String spec, Transition transition) {
    Counter counter =
        registry
            .find(MeteredUnitEvents.meterName(transition))
            .tag("namespace", namespace)
            .tag("work_spec", spec)
            .counter();
    assertThat(counter).as("%s of %s/%s", transition, namespace, spec).isNotNull();
    return counter.count();
  }

  @Test
  void countsAddUpPerNamespaceSpecAndTransition() {
    events.record("n", "s", Transition.LEASED, 5);
    events.record("n", "s", Transition.LEASED, 1);
    events.record("n", "s", Transition.FINISHED, 4);
    events.record("n", "t", Transition.EXPIRED, 2);
    events.record("m", "s", Transition.FAILED, 1);

    assertThat(count("n", "s", Transition.LEASED)).isEqualTo(6);
    assertThat(count("n", "s", Transition.FINISHED)).isEqualTo(4);
    assertThat(count("n", "t", Transition.EXPIRED)).isEqualTo(2);
    assertThat(count("m", "s", Transition.FAILED)).isEqualTo(1);
    assertThat(count("m", "s", Transition.LEASED)).isZero();
  }

  @Test
  void aSpecGetsAllFiveCountersAtItsFirstEvent() {
    events.record("n", "s", Transition.RETRIED, 1);
    for (Transition t : Transition.values()) {
      assertThat(count("n", "s", t)).isEqualTo(t == Transition.RETRIED ? 1 : 0);
    }
    assertThat(registry.getMeters()).hasSize(Transition.values().length);
  }

  @Test
  void namesFollowTheTransitions() {
    assertThat(MeteredUnitEvents.meterName(Transition.LEASED)).isEqualTo("coordinate.units.leased");
    assertThat(MeteredUnitEvents.meterName(Transition.EXPIRED))
        .isEqualTo("coordinate.units.expired");
  }
}
