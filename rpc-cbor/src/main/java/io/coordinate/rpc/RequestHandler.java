package io.coordinate.rpc;

import io.coordinate.api.CoordinateException;
import io.coordinate.api.InvalidRequestException;
import io.coordinate.api.data.CborCodec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request in, one reply out: decodes a frame's content, dispatches it to the {@link
 * JobServer}, and turns every failure into the error reply the client gets (with the request's id
 * whenever it can be read). Never throws: what would be a crash is logged and answered "internal
 * server error", so one bad request cannot cost its connection or anyone else theirs.
 */
final class RequestHandler {
  private static final Logger log = LoggerFactory.getLogger(RequestHandler.class);

  private final JobServer jobServer;
  private final RpcMetrics metrics;

  RequestHandler(JobServer jobServer) {
    this.jobServer = jobServer;
    this.metrics = jobServer.metrics();
  }

  /** The encoded reply to the request in {@code frame}. */
  byte[] reply(byte[] frame) {
    return encode(answer(frame));
  }

  /** Decodes one request and produces its response map; never throws. Each request is timed. */
  Map<String, Object> answer(byte[] frame) {
    long start = System.nanoTime();
    Object id = null;
    String method = null;
    String outcome = RpcMetrics.INTERNAL_ERROR;
    try {
      Map<String, Object> request;
      try {
        request = CborCodec.decodeMap(frame);
      } catch (InvalidRequestException e) {
        RequestScan.Found found = RequestScan.of(frame);
        method = found.method();
        outcome = RpcMetrics.MALFORMED;
        String what = found.method() == null ? "request" : "request to " + found.method();
        return error(found.id(), "malformed " + what + ": " + e.getMessage());
      }
      id = request.get("id");
      method = Params.asString(request.get("method"));
      if (method == null) {
        outcome = RpcMetrics.MALFORMED;
        return error(id, "request has no method name");
      }
      Object rawParams = request.get("params");
      List<?> params = rawParams == null ? List.of() : Params.asList(rawParams);
      if (params == null) {
        outcome = RpcMetrics.MALFORMED;
        return error(id, "params of " + method + " must be a list");
      }
      JobServer.Reply reply = jobServer.call(method, params);
      outcome = reply.outcome();
      Map<String, Object> response = new LinkedHashMap<>(4);
      response.put("id", id);
      response.put("result", reply.result());
      return response;
    } catch (RpcError e) {
      outcome = RpcMetrics.BAD_REQUEST;
      return error(id, e.getMessage());
    } catch (CoordinateException e) {
      outcome = RpcMetrics.outcomeOf(e.kind());
      return error(id, e.getMessage());
    } catch (RuntimeException e) {
      log.error("request {} failed unexpectedly", id, e);
      return error(id, "internal server error: " + e.getClass().getSimpleName());
    } finally {
      metrics.request(method, outcome, System.nanoTime() - start);
    }
  }

  /**
   * The bytes of a response. A result the wire cannot carry (a value outside the data model, say in
   * the daemon's configuration) becomes an error reply rather than a dropped connection.
   */
  static byte[] encode(Map<String, Object> response) {
    try {
      return WireEncoder.encode(response);
    } catch (RuntimeException e) {
      Object id = response.get("id");
      log.error("the reply to request {} cannot be encoded", id, e);
      return WireEncoder.encode(
          error(id, "internal server error: the reply cannot be encoded (" + e.getMessage() + ")"));
    }
  }

  static Map<String, Object> error(Object id, String message) {
    Map<String, Object> response = new LinkedHashMap<>(4);
    response.put("id", id);
    response.put("error", Map.of("message", message == null ? "error" : message));
    return response;
  }
}
