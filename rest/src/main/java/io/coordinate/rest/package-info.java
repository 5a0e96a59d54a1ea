/**
 * An HTTP/JSON admin API over any {@link io.coordinate.api.Coordinate} backend, served by {@link
 * io.coordinate.rest.AdminServer} (Javalin on Jetty, a virtual thread per request). Every answer,
 * errors included, is JSON ({@code application/json}); property names are snake_case.
 *
 * <h2>Routes</h2>
 *
 * <p>Below, {@code P} is {@code /api/v1/namespaces/{ns}}, {@code S} is {@code P/work-specs/{spec}},
 * {@code U} is {@code S/work-units/{key}}, {@code A} is {@code U/attempts/{n}} and {@code W} is
 * {@code P/workers/{worker}}. The routes are listed once, in {@code AdminRoutes.routes()}.
 *
 * <table>
 *   <caption>Routes</caption>
 *   <tr><th>Method and path</th><th>Answer</th></tr>
 *   <tr><td>{@code GET /healthz}</td>
 *       <td>200 {@code {"status":"ok"}} while the process serves</td></tr>
 *   <tr><td>{@code GET /readyz}</td><td>200 {@code {"status":"ok"}} when the backend answers
 *       {@code namespaceNames()} within 800 ms; 503 {@code backend_unavailable} when it fails or
 *       is slower, so a readiness probe never times out waiting</td></tr>
 *   <tr><td>{@code GET /openapi.json}</td><td>the OpenAPI 3 document of exactly these routes
 *       (a resource beside {@code AdminRoutes}; a test keeps the two equal)</td></tr>
 *   <tr><td>{@code GET /metrics}</td><td>Prometheus text, when the daemon supplies it; else
 *       404</td></tr>
 *   <tr><td>{@code GET /api/v1/namespaces}</td>
 *       <td>{@code {"namespaces": [name, ...]}}, sorted</td></tr>
 *   <tr><td>{@code PUT P}</td><td>creates the namespace if it does not exist (the only route
 *       that creates one); {@code {"name": ns}}</td></tr>
 *   <tr><td>{@code DELETE P}</td><td>destroys it with all its work specs, units, workers and
 *       attempts; {@code {"deleted": ns}}</td></tr>
 *   <tr><td>{@code GET P/work-specs}</td>
 *       <td>{@code {"work_specs": [name, ...]}}, sorted</td></tr>
 *   <tr><td>{@code POST P/work-specs}</td><td>body: the definition (a data map with {@code
 *       "name"}); creates the spec or changes its definition; {@code {"name": spec}}; 400 {@code
 *       invalid_work_spec}</td></tr>
 *   <tr><td>{@code GET S}</td><td>{@code {"name", "definition", "meta", "counts"}}, below</td></tr>
 *   <tr><td>{@code DELETE S}</td><td>deletes the spec, its units and their attempts; {@code
 *       {"deleted": spec}}</td></tr>
 *   <tr><td>{@code GET S/definition}</td><td>{@code {"definition": {...}}}</td></tr>
 *   <tr><td>{@code PUT S/definition}</td><td>body {@code {"definition": {...}}}; replaces it
 *       (400 {@code invalid_work_spec} if malformed or naming another spec); {@code {"name":
 *       spec}}</td></tr>
 *   <tr><td>{@code GET S/meta?counts=}</td><td>the meta; with {@code counts=true} also {@code
 *       available_count} and {@code pending_count}</td></tr>
 *   <tr><td>{@code PATCH S/meta}</td><td>changes the meta fields in the body; answers the new
 *       meta</td></tr>
 *   <tr><td>{@code POST S/archive}</td><td>body {@code {"max_units": n}} (optional, 0 to 100,000,
 *       1,000 by default): deletes up to n finished and failed units beyond the spec's retention,
 *       those that ended first first, with their attempts; {@code {"archived": n}}</td></tr>
 *   <tr><td>{@code GET S/counts}</td><td>{@code {"counts": {...}}}, below</td></tr>
 *   <tr><td>{@code GET S/work-units?status=&from=&after=&key=&limit=}</td>
 *       <td>{@code {"work_units": [unit summary, ...], "next_after": key or null}}: one page in
 *       key order; {@code from} is an inclusive lower bound, {@code after} an exclusive one,
 *       {@code key} (repeatable) keeps only those keys; {@code limit} 1 to 1000, 100 by default;
 *       {@code next_after} is the last key of the page when more follow (pass it as {@code
 *       after}), null on the last page</td></tr>
 *   <tr><td>{@code POST S/work-units}</td><td>adds (or replaces and requeues) the units in
 *       the body, all or none; 201 {@code {"added": n}}</td></tr>
 *   <tr><td>{@code DELETE S/work-units?status=&key=&all=}</td><td>deletes the selected units
 *       and their attempts; {@code {"deleted": n}}. Without a {@code status} or {@code key}
 *       filter it is refused (400) unless {@code all=true}</td></tr>
 *   <tr><td>{@code POST S/work-units/retry?key=}</td><td>makes every failed unit (or every
 *       failed one among the keys) available again; its failed attempt stays in the history;
 *       {@code {"retried": n}}</td></tr>
 *   <tr><td>{@code POST S/work-units/priority?status=&key=}</td><td>body {@code {"priority":
 *       p}} sets, {@code {"adjust": d}} adds to, the priority of the selected units (all when
 *       unfiltered); {@code {"changed": n}}</td></tr>
 *   <tr><td>{@code GET U}</td><td>the unit in full, below</td></tr>
 *   <tr><td>{@code PUT U/meta}</td><td>body {@code {"priority": p, "not_before": iso}}
 *       ({@code not_before} absent: none); the unit summary</td></tr>
 *   <tr><td>{@code PATCH U/meta}</td><td>body {@code {"priority": p}}, keeping {@code
 *       not_before}; the unit summary</td></tr>
 *   <tr><td>{@code DELETE U/active-attempt}</td><td>forgets the active attempt (it stays in the
 *       history): the unit is available; the unit summary</td></tr>
 *   <tr><td>{@code POST U/attempts}</td><td>body {@code {"worker": name, "lifetime":
 *       seconds}}: a new pending attempt by that (existing) worker, made the unit's active one;
 *       the attempt</td></tr>
 *   <tr><td>{@code GET A?worker=&start_time=}</td><td>the attempt</td></tr>
 *   <tr><td>{@code POST A/renew?worker=&start_time=}</td><td>body {@code {"extension": seconds,
 *       "data": {...}}}: the lease runs to now + extension; the attempt</td></tr>
 *   <tr><td>{@code POST A/expire}, {@code A/finish}, {@code A/fail}</td><td>body {@code
 *       {"data": {...}}}, {@code {}} or empty; the attempt after the change</td></tr>
 *   <tr><td>{@code POST A/retry}</td><td>body {@code {"data": {...}, "delay": seconds}}, both
 *       optional: the unit is available again after the delay; the attempt</td></tr>
 *   <tr><td>{@code GET P/workers?after=&limit=}</td><td>{@code {"workers": [worker, ...],
 *       "next_after": name or null}}: a page by name ({@link String#compareTo}); {@code after}
 *       is a plain name (query-encoded like any value); {@code limit} 1 to 1000, 100 by
 *       default</td></tr>
 *   <tr><td>{@code PUT W}</td><td>creates the worker if it does not exist (active, no parent;
 *       the only route that creates one); the worker</td></tr>
 *   <tr><td>{@code GET W}</td><td>the worker</td></tr>
 *   <tr><td>{@code PUT W/parent}</td><td>body {@code {"parent": name}} (an existing worker,
 *       named as it is, not path-encoded); the worker</td></tr>
 *   <tr><td>{@code DELETE W/parent}</td><td>clears the parent; the worker</td></tr>
 *   <tr><td>{@code GET W/children}</td><td>{@code {"workers": [worker, ...]}}, by name</td></tr>
 *   <tr><td>{@code POST W/deactivate}</td><td>marks it inactive now; the worker</td></tr>
 *   <tr><td>{@code POST W/heartbeat}</td><td>body {@code {"mode": text, "data": {...},
 *       "lifetime": seconds}}, all required: mode and data replace the old ones, active until
 *       now + lifetime; the worker</td></tr>
 *   <tr><td>{@code POST W/work}</td><td>body (every field optional, an empty body too) {@code
 *       {"work_units": 1, "lifetime": 900, "available_gb": 0, "work_specs": [name, ...],
 *       "runtimes": [...], "wait": 0}}: leases up to {@code work_units} units of one spec the
 *       scheduler picks (absent lists: any); {@code {"attempts": [attempt, ...]}}, empty when
 *       there is no work. With {@code wait} (seconds, at most 300) and no work now, the answer
 *       comes as soon as work arrives, or empty when the wait is over (a long-poll)</td></tr>
 *   <tr><td>{@code GET W/attempts}</td><td>{@code {"attempts": [...]}}: every attempt it made
 *       (of units that still exist), oldest first</td></tr>
 *   <tr><td>{@code GET W/active-attempts}</td><td>its pending attempts</td></tr>
 *   <tr><td>{@code GET W/child-attempts}</td><td>the pending attempts of its children</td></tr>
 *   <tr><td>{@code POST P/locks/lock}</td><td>body {@code {"owner": text, "timeout": seconds,
 *       "paths": [[label, ...], ...]}}: locks every path or none (see {@link
 *       io.coordinate.api.Locks}); {@code {"locked": true, "blocked": null}} or {@code {"locked":
 *       false, "blocked": i}}, the index of the first path that cannot be locked. Labels are data
 *       values in the tagged forms; a timeout of zero or less gives a lock that has expired
 *       already</td></tr>
 *   <tr><td>{@code POST P/locks/lock-some}</td><td>the same body; locks what it can, in order;
 *       {@code {"locked": [boolean, ...]}}</td></tr>
 *   <tr><td>{@code POST P/locks/renew}</td><td>the same body; all or none, each path held by the
 *       owner; {@code {"renewed": true, "refused": null}} or {@code {"renewed": false, "refused":
 *       {"index": i, "holder": owner or null}}}</td></tr>
 *   <tr><td>{@code POST P/locks/unlock}</td><td>body {@code {"owner", "paths"}}; all or none;
 *       {@code {"unlocked": ..., "refused": ...}} as for renew</td></tr>
 *   <tr><td>{@code POST P/locks/owners}</td><td>body {@code {"paths"}}; {@code {"owners": [owner
 *       or null, ...]}} (a read, sent as a {@code POST} for its body)</td></tr>
 *   <tr><td>{@code POST P/locks/delete-tree}</td><td>body {@code {"label": label}}: drops every
 *       lock whose path begins with it; {@code {"status": "ok"}}</td></tr>
 * </table>
 *
 * <p>Query filters: {@code status} is a comma-separated list of unit statuses ({@code available},
 * {@code pending}, {@code finished}, {@code failed}, {@code delayed}) and may repeat; {@code key}
 * repeats, one key each; {@code from} and {@code after} are keys. Unknown query parameters are 400
 * {@code invalid_request} on every route, so a misspelt filter never widens what a request does.
 * Durations are JSON numbers of seconds, fractional allowed (at most a hundred years); lifetimes
 * must be positive, extensions and delays non-negative. Request bodies may be up to 64 MiB
 * ({@link io.coordinate.rest.AdminServer#MAX_REQUEST_BYTES}); larger ones are 413 {@code
 * payload_too_large}.
 *
 * <h2>Names in paths</h2>
 *
 * <p>A namespace, work spec or worker name in a path ({@code {ns}}, {@code {spec}}, {@code
 * {worker}}) is one segment: the name's UTF-8 bytes percent-encoded, every byte but the RFC 3986
 * unreserved {@code A-Za-z0-9-._~} written {@code %XX}. An empty segment cannot be routed, so the
 * empty name (the default namespace {@code ""}) is written {@code ~}, and a name that begins with
 * {@code ~} gets one more {@code ~} in front: {@code ""} is {@code ~}, {@code "~x"} is {@code ~~x},
 * {@code "a/b c"} is {@code a%2Fb%20c}, {@code "été"} is {@code %C3%A9t%C3%A9}. The server
 * percent-decodes the segment exactly once (a {@code +} stays a plus), then drops one leading
 * {@code ~}. Escapes that are not UTF-8 are 400 {@code invalid_request}; a malformed URI (such as
 * {@code %zz}) is refused before routing with 400 {@code bad_request}, still in the JSON error
 * form. Jetty is configured to let {@code %2F}, {@code %25} and {@code %2E} segments through, since
 * routing and decoding work on the raw path.
 *
 * <p>Names in query parameters ({@code after}, {@code worker}) and JSON bodies are plain values,
 * encoded as any query value or JSON string.
 *
 * <h2>Work unit keys in URLs</h2>
 *
 * <p>Keys are bytes, not necessarily UTF-8. In a path segment, a query parameter and the {@code
 * "key"} property of JSON a key is the base64url encoding of its bytes without padding (RFC 4648
 * §5): the key {@code "u1"} is {@code dTE}, the bytes {@code ff 00 80} are {@code _wCA}. Only that
 * exact form is accepted (no padding, no {@code +} or {@code /}); anything else is 400 {@code
 * invalid_request}. The empty key's form is empty, which a path segment cannot be, so in a path
 * ({@code .../work-units/{key}}) it is written {@code ~}, a character base64url never uses; in
 * query parameters and JSON it stays empty.
 *
 * <p>Reads never create anything: a namespace that {@code namespaceNames()} does not list is 404
 * {@code no_such_namespace} on every route but {@code PUT P}, and a worker that does not exist is
 * 404 {@code no_such_worker} on every route but {@code PUT W}.
 *
 * <h2>Attempts and their identity</h2>
 *
 * <p>An attempt is addressed by its unit and {@code n}, its index among the unit's attempts, oldest
 * first (the {@code number} of its JSON form). Every attempt route takes the optional query
 * parameters {@code worker} (a name) and {@code start_time} (ISO-8601): when given and attempt
 * {@code n} is not by that worker or did not start at that time, or there is no attempt {@code n},
 * the answer is 404 {@code gone} and nothing changes. A client that always sends both never acts
 * on another attempt through a stale address (after the unit was deleted and added again, say).
 * Without them, a missing attempt {@code n} is 404 {@code gone} too. A transition the attempt's
 * state does not allow is 409 {@code not_pending}; a renew after another attempt took the unit is
 * 409 {@code lost_lease}.
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
 *   <li>unit summary (list rows, and the answer of the unit meta routes): {@code key} (base64url,
 *       above), {@code key_text} (the key as UTF-8 text, null when its bytes are not UTF-8),
 *       {@code status}, {@code priority} (a number), and {@code not_before} (ISO-8601) only when
 *       the unit has one.
 *   <li>unit in full: the summary's fields, then {@code data} (the unit's data map in the tagged
 *       forms: the active attempt's data when it recorded any), {@code active_attempt} (null if
 *       none) and {@code attempts} (every attempt, oldest first), each in the attempt form.
 *   <li>attempt: {@code {"work_spec": name, "key": base64url, "key_text": text or null,
 *       "number": n, "worker": name, "status", "start_time", "end_time", "expiration_time",
 *       "data": {...}}}, times ISO-8601 with full precision, {@code end_time} null while pending,
 *       the status one of {@code pending}, {@code expired}, {@code finished}, {@code failed},
 *       {@code retryable}, and {@code data} the attempt's copy of the unit data.
 *   <li>worker: {@code {"name", "parent": name or null, "active": bool, "mode": text, "data":
 *       {...}, "expiration": iso, "last_update": iso}}; {@code active} is false once deactivated
 *       or past its expiration.
 *   <li>POST work-units body: {@code {"work_units": [{"key_text": "a"} or {"key": "<base64url>"},
 *       "data": {...}, "priority": 0, "not_before": "2024-01-31T12:00:00Z"}, ...]}}; exactly one
 *       of {@code key} and {@code key_text}; {@code data} defaults to {@code {}}, {@code priority}
 *       to 0, {@code not_before} to none. Nothing is added unless every item is valid.
 *   <li>{@code meta}: {@code priority}, {@code weight}, {@code paused}, {@code continuous}, {@code
 *       can_be_continuous}, {@code interval} (seconds, fractional), {@code next_continuous}
 *       (ISO-8601 instant), {@code max_running}, {@code max_getwork}, {@code max_retries}, {@code
 *       then} ("" for none), {@code runtime}, {@code min_gb}, {@code rate_limit} (units a second,
 *       0: none), {@code rate_burst} (0: the default), {@code retain_finished_seconds}, {@code
 *       retain_finished_count}, {@code retain_failed_seconds}, {@code retain_failed_count} (0:
 *       keep); and, from {@code GET S/meta?counts=true} only, {@code available_count} and {@code
 *       pending_count}.
 *   <li>{@code counts}: every unit status with its exact count, zeros included: {@code available},
 *       {@code pending}, {@code finished}, {@code failed}, {@code delayed}.
 *   <li>PATCH meta body: an object with any of {@code priority}, {@code weight}, {@code
 *       max_running}, {@code max_getwork}, {@code max_retries} (32-bit integers), {@code paused},
 *       {@code continuous} (booleans), {@code interval} (non-negative seconds), {@code
 *       next_continuous} (ISO-8601), {@code rate_limit} (0 to 1e9), {@code rate_burst}, {@code
 *       retain_finished_count}, {@code retain_failed_count} (non-negative integers), {@code
 *       retain_finished_seconds}, {@code retain_failed_seconds} (non-negative seconds). Absent
 *       fields keep their value; a {@code rate_limit} alone keeps the burst as it was given.
 *   <li>Every body is read strictly: unknown fields, {@code null}, wrong types (including {@code
 *       "5"} for 5, 5 for {@code "5"}, 1.5 for an integer, 1 for true) and trailing content are 400
 *       {@code malformed_body}, as is a missing required field, and nothing changes. Out-of-range
 *       values (negative weight, a bad instant, continuous on a spec whose definition does not
 *       allow it) are 400 {@code invalid_request}. In the attempt bodies an absent {@code data}
 *       keeps the attempt's data.
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
 *       invalid_work_spec}, {@code bad_request}</td><td>the body cannot be read; an argument or
 *       definition is invalid; the URI is malformed</td></tr>
 *   <tr><td>401</td><td>{@code unauthorized}</td><td>the bearer token is missing or wrong (same
 *       message either way; {@code WWW-Authenticate: Bearer})</td></tr>
 *   <tr><td>404</td><td>{@code no_such_namespace}, {@code no_such_work_spec}, {@code
 *       no_such_work_unit}, {@code no_such_worker}, {@code gone}, {@code not_found}</td><td>the
 *       object does not exist, was deleted meanwhile, or no route matches</td></tr>
 *   <tr><td>409</td><td>{@code not_pending}, {@code lost_lease}</td><td>the attempt is in the
 *       wrong state or no longer holds its unit</td></tr>
 *   <tr><td>413</td><td>{@code payload_too_large}</td><td>the body is over 64 MiB</td></tr>
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
