package io.coordinate.api.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coordinate.api.UnitEvents.Transition;
import org.junit.jupiter.api.Test;

/** The recorder the backends' {@link UnitEventsKit} runs count with. */
class RecordingUnitEventsTest {
  @Test
  void addsUpPerNamespaceSpecAndTransition() {
    RecordingUnitEvents events = new RecordingUnitEvents();
    events.record("n", "s", Transition.LEASED, 3);
    events.record("n", "s", Transition.LEASED, 2);
    events.record("n", "t", Transition.LEASED, 1);
    events.record("m", "s", Transition.EXPIRED, 4);

    assertThat(events.count("n", "s", Transition.LEASED)).isEqualTo(5);
    assertThat(events.count("n", "t", Transition.LEASED)).isEqualTo(1);
    assertThat(events.count("n", "s", Transition.EXPIRED)).isZero();
    assertThat(events.count("m", "s", Transition.EXPIRED)).isEqualTo(4);
    assertThat(events.total(Transition.LEASED)).isEqualTo(6);
    assertThat(events.countsOf("n", "s"))
        .containsEntry(Transition.LEASED, 5L)
        .containsEntry(Transition.FINISHED, 0L)
        .hasSize(Transition.values().length);
  }

  @Test
  void refusesAnEventOfNoUnits() {
    // Backends tell only transitions that happened; zero units would be a backend bug.
    assertThatThrownBy(() -> new RecordingUnitEvents().record("n", "s", Transition.FAILED, 0))
        .isInstanceOf(AssertionError.class);
  }
}
