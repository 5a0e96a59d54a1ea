/**
 * The Coordinate API over a daemon's REST API: a Java program uses a remote daemon exactly as it
 * would an in-process backend.
 *
 * <pre>{@code
 * try (Coordinate coordinate = RemoteCoordinate.connect(
 *     RemoteCoordinate.Settings.of(URI.create("http://127.0.0.1:5980"))
 *         .withAdminToken(System.getenv("COORDINATE_ADMIN_TOKEN")))) {
 *   Namespace ns = coordinate.namespace("");
 *   WorkSpec spec = ns.setWorkSpec(Map.of("name", "fetch", "then", "parse"));
 *   spec.addWorkUnit(WorkUnitKey.of("https://example.com/"), Map.of(), WorkUnitMeta.DEFAULT);
 *   Worker worker = ns.worker("worker-1");
 *   for (Attempt attempt : worker.requestAttempts(AttemptRequest.of(10))) {
 *     attempt.finish(Map.of("output", List.of("page-1")));
 *   }
 * }
 * }</pre>
 *
 * <h2>How it maps onto the REST API</h2>
 *
 * <ul>
 *   <li>{@link io.coordinate.client.RemoteCoordinate#connect(java.net.URI)} sends nothing; a
 *       daemon that cannot be reached shows on the first call. Every API call is one HTTP/1.1
 *       request (JDK {@link java.net.http.HttpClient}), except the few listed below, and the
 *       client is safe to share between threads.
 *   <li>Handles stand for names: a work spec handle is its namespace and name, a unit handle its
 *       spec and key, a worker handle its namespace and name, an attempt handle its unit, its
 *       index in the unit's history, its worker and its start time (the daemon checks all of
 *       them, so a handle never acts on someone else's attempt). Reads fetch the current state;
 *       nothing is cached. A handle of a deleted object raises {@link
 *       io.coordinate.api.GoneException}; one of an object deleted and then created again under
 *       the same name follows the new object, as the cache decorator's handles do.
 *   <li>Look-ups ({@code Namespace.workSpec}, {@code WorkSpec.workUnit}, {@code
 *       Namespace.destroyWorkSpec}, {@code Namespace.findWorker}) check with one request and raise
 *       the {@code NoSuch...} exceptions. {@code Coordinate.namespace} and {@code
 *       Namespace.worker} create what is missing, as every backend does.
 *   <li>Definitions and data are checked on the client before anything is sent, so a malformed
 *       one is refused with the same exception as in process.
 *   <li>Names go into paths percent-encoded, the empty name as {@code ~} (and a name beginning
 *       with {@code ~} with one more in front); keys as base64url, the empty key, whose form is
 *       empty, as {@code ~}.
 *   <li>{@code WorkSpec.workUnits} pages through the listing (1000 units a request);
 *       long key lists are sent in chunks of at most 100 keys; deleting or changing priorities
 *       with key bounds or a limit lists the keys first and then acts on them by key, so such a
 *       call is several requests and not one atomic step. {@code addWorkUnits} is always one
 *       request (the batch stays atomic; the daemon accepts request bodies up to its limit).
 *   <li>Errors: the daemon's JSON error codes map to the api exceptions in one table; a network
 *       failure, a timeout, a 5xx answer or an answer that is not the API's JSON raise {@link
 *       io.coordinate.api.BackendUnavailableException} with the cause (a request that timed out
 *       may still have been carried out). A refused admin token raises {@link
 *       io.coordinate.api.InvalidRequestException}.
 *   <li>Times come from the daemon's clock: expiry, delays and heartbeats are all judged there.
 * </ul>
 */
package io.coordinate.client;
