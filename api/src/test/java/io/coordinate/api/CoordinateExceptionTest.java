package io.coordinate.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The {@link CoordinateException} hierarchy: kinds, category helpers, messages. */
class CoordinateExceptionTest {
  private static final WorkUnitKey KEY = WorkUnitKey.of("unit-1");

  /** One instance of every concrete exception. */
  private static List<CoordinateException> all() {
    return List.of(
        new NoSuchWorkSpecException("spec-a"),
        new NoSuchWorkUnitException("spec-a", KEY),
        new NoSuchWorkerException("worker-9"),
        new GoneException("work spec spec-a"),
        new LostLeaseException("lost"),
        new NotPendingException("not pending"),
        new InvalidWorkSpecException("bad spec"),
        new InvalidRequestException("bad request"),
        new BackendUnavailableException("down"),
        new RequestTimeoutException("request timed out"),
        MaintenanceException.refusing("adding work units", new MaintenanceState(true, "upgrade",
            Instant.parse("2026-01-01T00:00:00Z"))));
  }

  @Test
  void eachExceptionHasItsOwnKind() {
    assertThat(all())
        .extracting(CoordinateException::kind)
        .containsExactly(
            ErrorKind.NO_SUCH_WORK_SPEC,
            ErrorKind.NO_SUCH_WORK_UNIT,
            ErrorKind.NO_SUCH_WORKER,
            ErrorKind.GONE,
            ErrorKind.LOST_LEASE,
            ErrorKind.NOT_PENDING,
            ErrorKind.INVALID_WORK_SPEC,
            ErrorKind.INVALID_REQUEST,
            ErrorKind.BACKEND_UNAVAILABLE,
            ErrorKind.REQUEST_TIMEOUT,
            ErrorKind.MAINTENANCE);
    // every kind is covered by exactly one exception type
    assertThat(all().stream().map(CoordinateException::kind).collect(Collectors.toSet()))
        .isEqualTo(EnumSet.allOf(ErrorKind.class));
  }

  @Test
  void kindOfIsTheKindForCoordinateErrorsAndNullOtherwise() {
    for (CoordinateException e : all()) {
      assertThat(CoordinateException.kindOf(e)).isEqualTo(e.kind());
    }
    assertThat(CoordinateException.kindOf(new IllegalStateException())).isNull();
    assertThat(CoordinateException.kindOf(null)).isNull();
  }

  @Test
  void isNotFoundCoversTheThreeNoSuchErrors() {
    assertThat(kindsMatching(CoordinateException::isNotFound))
        .containsExactlyInAnyOrder(
            ErrorKind.NO_SUCH_WORK_SPEC, ErrorKind.NO_SUCH_WORK_UNIT, ErrorKind.NO_SUCH_WORKER);
  }

  @Test
  void isMaintenanceIsOnlyMaintenanceAndSaysWhyAndWhatWasRefused() {
    assertThat(kindsMatching(CoordinateException::isMaintenance))
        .containsExactly(ErrorKind.MAINTENANCE);
    assertThat(all().getLast().getMessage())
        .isEqualTo("the store is in maintenance mode (upgrade): adding work units is refused"
            + " until it is turned off");
  }

  @Test
  void isGoneIsOnlyGone() {
    assertThat(kindsMatching(CoordinateException::isGone)).containsExactly(ErrorKind.GONE);
  }

  @Test
  void isLostLeaseIsOnlyLostLease() {
    assertThat(kindsMatching(CoordinateException::isLostLease))
        .containsExactly(ErrorKind.LOST_LEASE);
  }

  @Test
  void isNotPendingIsOnlyNotPending() {
    assertThat(kindsMatching(CoordinateException::isNotPending))
        .containsExactly(ErrorKind.NOT_PENDING);
  }

  @Test
  void isInvalidCoversBadSpecsAndBadRequests() {
    assertThat(kindsMatching(CoordinateException::isInvalid))
        .containsExactlyInAnyOrder(ErrorKind.INVALID_WORK_SPEC, ErrorKind.INVALID_REQUEST);
  }

  @Test
  void isUnavailableIsOnlyBackendUnavailable() {
    assertThat(kindsMatching(CoordinateException::isUnavailable))
        .containsExactly(ErrorKind.BACKEND_UNAVAILABLE);
  }

  @Test
  void helpersAreFalseForOtherThrowablesAndNull() {
    List<Predicate<Throwable>> helpers =
        List.of(
            CoordinateException::isNotFound,
            CoordinateException::isGone,
            CoordinateException::isLostLease,
            CoordinateException::isNotPending,
            CoordinateException::isInvalid,
            CoordinateException::isUnavailable);
    for (Predicate<Throwable> h : helpers) {
      assertThat(h.test(new RuntimeException("x"))).isFalse();
      assertThat(h.test(null)).isFalse();
    }
  }

  @Test
  void notFoundErrorsNameWhatWasMissing() {
    NoSuchWorkSpecException spec = new NoSuchWorkSpecException("spec-a");
    assertThat(spec.workSpecName()).isEqualTo("spec-a");
    assertThat(spec).hasMessageContaining("spec-a");

    NoSuchWorkUnitException unit = new NoSuchWorkUnitException("spec-a", KEY);
    assertThat(unit.workSpecName()).isEqualTo("spec-a");
    assertThat(unit.key()).isEqualTo(KEY);
    assertThat(unit).hasMessageContaining("unit-1").hasMessageContaining("spec-a");

    NoSuchWorkerException worker = new NoSuchWorkerException("worker-9");
    assertThat(worker.workerName()).isEqualTo("worker-9");
    assertThat(worker).hasMessageContaining("worker-9");
  }

  @Test
  void goneSaysWhatWasDeleted() {
    assertThat(new GoneException("work unit u")).hasMessage("work unit u has been deleted");
  }

  @Test
  void backendUnavailableKeepsItsCause() {
    IOException cause = new IOException("connection refused");
    BackendUnavailableException e = new BackendUnavailableException("database down", cause);
    assertThat(e).hasMessage("database down").hasCause(cause);
    assertThat(CoordinateException.isUnavailable(e)).isTrue();
  }

  private static Set<ErrorKind> kindsMatching(Predicate<Throwable> helper) {
    return all().stream()
        .filter(helper)
        .map(CoordinateException::kind)
        .collect(Collectors.toCollection(() -> EnumSet.noneOf(ErrorKind.class)));
  }
}
