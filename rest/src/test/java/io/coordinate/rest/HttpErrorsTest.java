package io.coordinate.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.coordinate.api.BackendUnavailableException;
import io.coordinate.api.Coordinate;
import io.coordinate.api.CoordinateException;
import io.coordinate.api.ErrorKind;
import io.coordinate.api.GoneException;
import io.coordinate.api.InvalidRequestException;
import io.coordinate.api.InvalidWorkSpecException;
import io.coordinate.api.LostLeaseException;
import io.coordinate.api.MaintenanceException;
import io.coordinate.api.NoSuchWorkSpecException;
import io.coordinate.api.NoSuchWorkUnitException;
import io.coordinate.api.NoSuchWorkerException;
import io.coordinate.api.NotPendingException;
import io.coordinate.api.RequestTimeoutException;
import io.coordinate.api.WorkUnitKey;
import io.coordinate.rest.TestHttp.Answer;
import java.lang.reflect.Proxy;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * How errors become answers: the mapping itself, and over real HTTP the server errors no store
 * can be made to raise on demand (real outages: {@link ReadinessOutageTest}).
 */
class HttpErrorsTest {

  private static final List<CoordinateException> ONE_OF_EACH = List.of(
      new NoSuchWorkSpecException("s"),
      new NoSuchWorkUnitException("s", WorkUnitKey.of("k")),
      new NoSuchWorkerException("w"),
      new GoneException("work spec s"),
      new LostLeaseException("lost"),
      new NotPendingException("not pending"),
      new InvalidWorkSpecException("bad spec"),
      new InvalidRequestException("bad request"),
      new BackendUnavailableException("db down at 10.0.0.7"),
      new RequestTimeoutException("request timed out"),
      new MaintenanceException("the store is in maintenance mode"));

  @Test
  void everyErrorKindHasAStatusAndCode() {
    Set<ErrorKind> covered = EnumSet.noneOf(ErrorKind.class);
    ONE_OF_EACH.forEach(e -> covered.add(e.kind()));
    assertThat(covered).containsExactlyInAnyOrder(ErrorKind.values());

    assertThat(
            ONE_OF_EACH.stream()
                .map(HttpErrors::problemOf)
                .map(p -> p.status() + " " + p.code()))
        .containsExactly(
            "404 no_such_work_spec",
            "404 no_such_work_unit",
            "404 no_such_worker",
            "404 gone",
            "409 lost_lease",
            "409 not_pending",
            "400 invalid_work_spec",
            "400 invalid_request",
            "503 backend_unavailable",
            "503 request_timeout",
            "503 maintenance");
  }

  @Test
  void clientErrorsKeepTheirMessageServerErrorsDoNot() {
    assertThat(HttpErrors.problemOf(new InvalidRequestException("weight must not be negative"))
        .message()).isEqualTo("weight must not be negative");
    assertThat(HttpErrors.problemOf(new BackendUnavailableException("db down at 10.0.0.7"))
        .message()).doesNotContain("10.0.0.7");
    HttpErrors.Problem other = HttpErrors.problemOf(new NullPointerException("secret"));
    assertThat(other.status()).isEqualTo(500);
    assertThat(other.code()).isEqualTo("internal_error");
    assertThat(other.message()).doesNotContain("secret");
  }

  @Test
  void readinessIs503WhenTheBackendIsUnavailable() throws Exception {
    Coordinate down = stub(() -> {
      throw new BackendUnavailableException("jdbc:postgresql://db.internal refused");
    });
    try (AdminServer server = new AdminServer(AdminServer.Settings.loopback(down)).start()) {
      Answer a = TestHttp.get(server.port(), "/readyz");
      TestHttp.assertError(a, 503, "backend_unavailable");
      assertThat(a.raw().body()).doesNotContain("db.internal");
      assertThat(TestHttp.get(server.port(), "/healthz").status()).isEqualTo(200);
    }
  }

  @Test
  void unexpectedFailureIs500WithAGenericMessage() throws Exception {
    Coordinate broken = stub(() -> {
      throw new IllegalStateException("internal detail 42");
    });
    try (AdminServer server = new AdminServer(AdminServer.Settings.loopback(broken)).start()) {
      Answer a = TestHttp.get(server.port(), "/api/v1/namespaces");
      TestHttp.assertError(a, 500, "internal_error");
      assertThat(a.raw().body()).doesNotContain("internal detail 42").doesNotContain("Exception");
    }
  }

  /** A Coordinate whose namespaceNames() runs {@code names}; every other call fails the test. */
  static Coordinate stub(Supplier<List<String>> names) {
    return (Coordinate) Proxy.newProxyInstance(
        Coordinate.class.getClassLoader(),
        new Class<?>[] {Coordinate.class},
        (proxy, method, args) -> switch (method.getName()) {
          case "namespaceNames" -> names.get();
          case "toString" -> "stub";
          case "hashCode" -> 0;
          case "equals" -> proxy == args[0];
          default -> throw new AssertionError("unexpected call " + method.getName());
        });
  }
}
