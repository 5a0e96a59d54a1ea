package io.coordinate.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.coordinate.api.CoordinateException;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.stream.Collectors;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where errors become HTTP answers: a status and a body {@code {"code": ...,
 * "message": ...}} whose code is stable for machines. Client errors (4xx) carry the exception's
 * message; server errors (5xx) carry a generic one, the detail going only to the log.
 */
final class HttpErrors {
  private static final Logger LOG = LoggerFactory.getLogger(HttpErrors.class);

  private HttpErrors() {}

  /** What an error becomes on the wire. */
  record Problem(int status, String code, String message) {}

  /** The JSON body of every error answer. */
  record ErrorBody(String code, String message) {}

  static Problem problemOf(Throwable t) {
    return switch (t) {
      case CoordinateException e -> ofKind(e);
      case ApiException e -> new Problem(e.status(), e.code(), e.getMessage());
      case JsonProcessingException e -> new Problem(400, "malformed_body", describe(e));
      case HttpResponseException e -> ofHttp(e);
      default -> new Problem(500, "internal_error", "internal server error");
    };
  }

  // A switch expression without default: a new ErrorKind does not compile until it is mapped here.
  private static Problem ofKind(CoordinateException e) {
    String m = e.getMessage();
    return switch (e.kind()) {
      case NO_SUCH_WORK_SPEC -> new Problem(404, "no_such_work_spec", m);
      case NO_SUCH_WORK_UNIT -> new Problem(404, "no_such_work_unit", m);
      case NO_SUCH_WORKER -> new Problem(404, "no_such_worker", m);
      case GONE -> new Problem(404, "gone", m);
      case NOT_PENDING -> new Problem(409, "not_pending", m);
      case LOST_LEASE -> new Problem(409, "lost_lease", m);
      case INVALID_WORK_SPEC -> new Problem(400, "invalid_work_spec", m);
      case INVALID_REQUEST -> new Problem(400, "invalid_request", m);
      // The backend's own message may name hosts or files: keep it in the log.
      case BACKEND_UNAVAILABLE ->
          new Problem(503, "backend_unavailable", "the backend is unavailable; try again later");
      case REQUEST_TIMEOUT -> new Problem(503, "request_timeout", m);
      case MAINTENANCE -> new Problem(503, "maintenance", m);
    };
  }

  /** Javalin's own answers, such as a path no route matches. */
  private static Problem ofHttp(HttpResponseException e) {
    return ofStatus(e.getStatus(), e.getMessage());
  }

  /** An answer of the HTTP layer (Javalin's or Jetty's): the code its status stands for. */
  static Problem ofStatus(int status, String reason) {
    String code =
        switch (status) {
          case 400 -> "bad_request";
          case 401 -> "unauthorized";
          case 404 -> "not_found";
          case 405 -> "method_not_allowed";
          case 413 -> "payload_too_large";
          case 415 -> "unsupported_media_type";
          case 431 -> "headers_too_large";
          default -> status >= 500 ? "internal_error" : "http_" + status;
        };
    String message =
        status >= 500 || reason == null || reason.isBlank() ? defaultMessage(status) : reason;
    return new Problem(status, code, message);
  }

  private static String defaultMessage(int status) {
    return status >= 500
        ? "internal server error"
        : "HTTP " + status + " " + HttpStatus.getMessage(status);
  }

  /**
   * Names the offending field without echoing Jackson's text, which quotes the input and Java
   * class names.
   */
  private static String describe(JsonProcessingException e) {
    if (e instanceof UnrecognizedPropertyException u) {
      return "unknown field \"" + u.getPropertyName() + "\"";
    }
    if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
      String path =
          m.getPath().stream()
              .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
              .collect(Collectors.joining("."));
      return "field \"" + path + "\" is null or has the wrong type";
    }
    if (e instanceof JsonMappingException) {
      return "the body must be a JSON object";
    }
    return "the body is not well-formed JSON";
  }

  /** Javalin exception handler: answers for {@code e}, logging what the client does not see. */
  static void handle(Exception e, Context ctx) {
    Problem p = problemOf(e);
    if (p.status() >= 500) {
      LOG.error("{} {} failed with {}", ctx.method(), ctx.path(), p.code(), e);
    } else {
      LOG.debug("{} {} answered {} {}: {}", ctx.method(), ctx.path(), p.status(), p.code(),
          e.getMessage());
    }
    if (p.status() == 401) {
      ctx.header("WWW-Authenticate", "Bearer");
    }
    ctx.status(p.status()).json(new ErrorBody(p.code(), p.message()));
  }

  private static final ObjectMapper BODY_MAPPER = Json.mapper();

  private static byte[] bodyOf(Problem p) {
    try {
      return BODY_MAPPER.writeValueAsBytes(new ErrorBody(p.code(), p.message()));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write an error body", e);
    }
  }

  /**
   * Jetty's answers to what it refuses before any route sees it (a malformed URI such as {@code
   * %zz} or {@code %u0041} in the path, an oversized header): the same JSON error body, with the
   * code {@link #ofStatus} gives its status.
   */
  static final class JettyErrors extends ErrorHandler {
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
      fields.put(HttpHeader.CONTENT_TYPE, "application/json");
      return ByteBuffer.wrap(bodyOf(ofStatus(status, reason)));
    }

    @Override
    protected void generateAcceptableResponse(
        Request baseRequest,
        HttpServletRequest request,
        HttpServletResponse response,
        int code,
        String message)
        throws IOException {
      baseRequest.setHandled(true);
      response.setContentType("application/json");
      response.getOutputStream().write(bodyOf(ofStatus(code, message)));
    }
  }
}
