/**
 * An HTTP/JSON admin API over any {@link io.coordinate.api.Coordinate} backend, served by {@link
 * io.coordinate.rest.AdminServer}. Every answer, errors included, is JSON ({@code
 * application/json}); property names are snake_case.
 *
 * <h2>Routes</h2>
 *
 * <table>
 *   <caption>Routes</caption>
 *   <tr><th>Method and path</th><th>Answer</th></tr>
 *   <tr><td>{@code GET /healthz}</td>
 *       <td>200 {@code {"status":"ok"}} while the process serves</td></tr>
 *   <tr><td>{@code GET /readyz}</td><td>200 {@code {"status":"ok"}} when the backend answers
 *       {@code namespaceNames()}; 503 {@code backend_unavailable} when it cannot</td></tr>
 *   <tr><td>{@code GET /openapi.json}</td><td>the OpenAPI 3 document of exactly these routes
 *       (a resource beside {@code AdminRoutes}; a test keeps the two equal)</td></tr>
 *   <tr><td>{@code GET /api/v1/namespaces}</td>
 *       <td>{@code {"namespaces": [name, ...]}}, sorted</td></tr>
 *   <tr><td>{@code GET /api/v1/namespaces/{ns}/work-specs}</td>
 *       <td>{@code {"work_specs": [name, ...]}}, sorted</td></tr>
 *   <tr><td>{@code GET /api/v1/namespaces/{ns}/work-specs/{spec}}</td>
 *       <td>{@code {"name", "definition", "meta", "counts"}}, below</td></tr>
 *   <tr><td>{@code PATCH /api/v1/namespaces/{ns}/work-specs/{spec}/meta}</td>
 *       <td>changes the meta fields in the body; answers the new meta</td></tr>
 *   <tr><td>{@code GET .../work-specs/{spec}/work-units?status=&after=&limit=}</td>
 *       <td>{@code {"work_units": [unit summary, ...], "next_after": key or null}}: one page in
 *       key order; {@code limit} 1 to 1000, 100 by default; {@code next_after} is the last key of
 *       the page when more follow (pass it as {@code after}), null on the last page</td></tr>
 *   <tr><td>{@code GET .../work-units/{key}}</td><td>the unit in full, below</td></tr>
 *   <tr><td>{@code POST .../work-units}</td><td>adds (or replaces and requeues) the units in
 *       the body, all or none; 201 {@code {"added": n}}</td></tr>
 *   <tr><td>{@code DELETE .../work-units?status=&key=&all=}</td><td>deletes the selected units
 *       and their attempts; {@code {"deleted": n}}. Without a {@code status} or {@code key}
 *       filter it is refused (400) unless {@code all=true}</td></tr>
 *   <tr><td>{@code POST .../work-units/retry?key=}</td><td>makes every failed unit (or every
 *       failed one among the keys) available again; its failed attempt stays in the history;
 *       {@code {"retried": n}}</td></tr>
 *   <tr><td>{@code POST .../work-units/priority?status=&key=}</td><td>body {@code {"priority":
 *       p}} sets, {@code {"adjust": d}} adds to, the priority of the selected units (all when
 *       unfiltered); {@code {"changed": n}}</td></tr>
 * </table>
 *
 * <p>{@code ...} stands for {@code /api/v1/namespaces/{ns}/work-specs/{spec}}. Query filters:
 * {@code status} is a comma-separated list of unit statuses ({@code available}, {@code pending},
 * {@code finished}, {@code failed}, {@code delayed}) and may repeat; {@code key} repeats, one key
 * each; {@code after} is a key. Unknown query parameters are 400 {@code invalid_request}, so a
 * misspelt filter never widens what a request does.
 *
 * <h2>Work unit keys in URLs</h2>
 *
 * <p>Keys are bytes, not necessarily UTF-8. In a path segment, a query parameter and the {@code
 * "key"} property of JSON a key is the base64url encoding of its bytes without padding (RFC 4648
 * §5): the key {@code "u1"} is {@code dTE}, the bytes {@code ff 00 80} are {@code _wCA}. Only that
 * exact form is accepted (no padding, no {@code +} or {@code /}); anything else is 400 {@code
 * invalid_request}.
 *
 * <p>Reads never create anything: a namespace that {@code namespaceNames()} does not list is 404
 * {@code no_such_namespace}, for reads and for the PATCH alike. The default namespace ({@code ""})
 * cannot be named in a path yet.
 *
 * <h2>JSON forms</h2>
 *
 * <ul>
 *   <li>{@code definition}: the work spec's definition map as given. Data-model values JSON has no
 *       type for are tagged objects with a single {@code $}-key: a byte string is {@code
 *       {"$bytes": "<standard base64, padded>"}}, a tuple is {@code {"$tuple": [items...]}}, a
 *       UUID is {@code {"$uuid": "<canonical text>"}}. Integers beyond 64 bits are plain JSON
 *       numbers; non-finite floats are the strings {@code "NaN"}, {@code "Infinity"}, {@code
 *       "-Infinity"}. Request bodies use the same forms and read back to the same values: a
 *       JSON integer is a 64-bit integer (or a big one beyond), any other number a double, and a
 *       single-key object {@code $bytes}, {@code $tuple} or {@code $uuid} the tagged value (a bad
 *       value under a tag is 400 {@code malformed_body}). So a map whose only key is one of these
 *       tags cannot be sent or told apart, and non-finite floats come back as strings.
 *   <li>unit summary (list rows): {@code key} (base64url, above), {@code key_text} (the key as
 *       UTF-8 text, null when its bytes are not UTF-8), {@code status}, {@code priority} (a
 *       number), and {@code not_before} (ISO-8601) only when the unit has one.
 *   <li>unit in full: the summary's fields, then {@code data} (the unit's data map in the tagged
 *       forms: the active attempt's data when it recorded any), {@code active_attempt} (null if
 *       none) and {@code attempts} (every attempt, oldest first), each attempt being {@code
 *       {"worker", "status", "start_time", "end_time", "expiration_time"}} with ISO-8601 times,
 *       {@code end_time} null while pending and the status one of {@code pending}, {@code
 *       expired}, {@code finished}, {@code failed}, {@code retryable}.
 *   <li>POST work-units body: {@code {"work_units": [{"key_text": "a"} or {"key": "<base64url>"},
 *       "data": {...}, "priority": 0, "not_before": "2024-01-31T12:00:00Z"}, ...]}}; exactly one
 *       of {@code key} and {@code key_text}; {@code data} defaults to {@code {}}, {@code priority}
 *       to 0, {@code not_before} to none. Nothing is added unless every item is valid.
 *   <li>{@code meta}: {@code priority}, {@code weight}, {@code paused}, {@code continuous}, {@code
 *       can_be_continuous}, {@code interval} (seconds, fractional), {@code next_continuous}
 *       (ISO-8601 instant), {@code max_running}, {@code max_getwork}, {@code max_retries}, {@code
 *       then} ("" for none), {@code runtime}, {@code min_gb}.
 *   <li>{@code counts}: every unit status with its exact count, zeros included: {@code available},
 *       {@code pending}, {@code finished}, {@code failed}, {@code delayed}.
 *   <li>PATCH body: an object with any of {@code priority}, {@code weight}, {@code max_running},
 *       {@code max_getwork}, {@code max_retries} (32-bit integers), {@code paused}, {@code
 *       continuous} (booleans), {@code interval} (non-negative seconds). Absent fields keep their
 *       value. Unknown fields, {@code null}, wrong types (including {@code "5"} for 5, 1.5 for an
 *       integer, 1 for true) and trailing content are 400 {@code malformed_body}, and nothing
 *       changes. Out-of-range values (negative weight, continuous on a spec whose definition does
 *       not allow it) are 400 {@code invalid_request}.
 * </ul>
 *
 * <h2>Errors</h2>
 *
 * <p>Every error is {@code {"code": "<stable machine code>", "message": "<text for people>"}},
 * mapped in one place ({@code HttpErrors}). 4xx messages explain the request's fault; 5xx messages
 * are generic, the detail going only to the server log.
 *
 * <table>
 *   <caption>Errors</caption>
 *   <tr><th>Status</th><th>Codes</th><th>When</th></tr>
 *   <tr><td>400</td><td>{@code malformed_body}, {@code invalid_request}, {@code
 *       invalid_work_spec}</td><td>the body cannot be read; an argument or definition is
 *       invalid</td></tr>
 *   <tr><td>401</td><td>{@code unauthorized}</td><td>the bearer token is missing or wrong (same
 *       message either way; {@code WWW-Authenticate: Bearer})</td></tr>
 *   <tr><td>404</td><td>{@code no_such_namespace}, {@code no_such_work_spec}, {@code
 *       no_such_work_unit}, {@code no_such_worker}, {@code gone}, {@code not_found}</td><td>the
 *       object does not exist, was deleted meanwhile, or no route matches</td></tr>
 *   <tr><td>409</td><td>{@code not_pending}, {@code lost_lease}</td><td>the attempt is in the
 *       wrong state or no longer holds its unit</td></tr>
 *   <tr><td>503</td><td>{@code backend_unavailable}</td><td>the storage cannot be reached; retry
 *       later</td></tr>
 *   <tr><td>500</td><td>{@code internal_error}</td><td>anything else</td></tr>
 * </table>
 *
 * <h2>Access</h2>
 *
 * <ul>
 *   <li>On a loopback address without an admin token, every route is open.
 *   <li>With an admin token, every mutation (POST, PUT, PATCH, DELETE) needs {@code
 *       Authorization: Bearer <token>}; reads stay open on loopback.
 *   <li>On any non-loopback address every request, health checks included, needs the token, and
 *       the server refuses to start without one.
 *   <li>Tokens are compared in constant time (SHA-256 digests with {@link
 *       java.security.MessageDigest#isEqual}), so timing reveals neither the token nor its length.
 * </ul>
 */
package io.coordinate.rest;
