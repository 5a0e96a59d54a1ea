"""A CBOR-RPC client and worker that talk to a Coordinate job server the way the Python 2
``coordinate`` package does (its TaskMaster and SingleWorker), using only the standard library.

Python 2 wrote ``str`` as CBOR byte strings, so this client sends the request map's keys, method
names, work unit keys, worker ids, modes and option keys as byte strings, and ``(key, data)``
items as tuples (tag 128). Replies are read tolerantly, as Python 2 read them (``'a' == u'a'``
there): map keys may come back as byte or text strings. Work unit keys, ``module`` and
``run_function`` must come back as byte strings; the worker checks that.
"""

import os
import socket

import cborcodec

AVAILABLE = 1
BLOCKED = 2
PENDING = 3
FINISHED = 4
FAILED = 5


class RpcError(Exception):
    """The server answered with an error reply."""


class ProtocolError(Exception):
    """The server's reply broke the protocol (bad id, no result, wrong shape or type)."""


def get(mapping, name, default=None):
    """``mapping[name]`` where the key may be a byte or a text string (Python 2 did not care)."""
    if not isinstance(mapping, dict):
        raise ProtocolError("expected a map, got %r" % (mapping,))
    text = name.decode("utf-8") if isinstance(name, bytes) else name
    raw = name if isinstance(name, bytes) else name.encode("utf-8")
    if raw in mapping:
        return mapping[raw]
    return mapping.get(text, default)


def has(mapping, name):
    text = name.decode("utf-8") if isinstance(name, bytes) else name
    raw = name if isinstance(name, bytes) else name.encode("utf-8")
    return raw in mapping or text in mapping


def text_keys(value):
    """``value`` with every map key that is a UTF-8 byte string turned into text, recursively.

    Values keep their types (bytes stay bytes, tuples stay tuples); only the keys, which Python 2
    compared without regard to bytes vs text, are made comparable.
    """
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if isinstance(k, bytes):
                try:
                    k = k.decode("utf-8")
                except UnicodeDecodeError:
                    pass
            out[k] = text_keys(v)
        return out
    if isinstance(value, list):
        return [text_keys(v) for v in value]
    if isinstance(value, tuple):
        return tuple(text_keys(v) for v in value)
    return value


def as_bytes(s):
    return s if isinstance(s, bytes) else s.encode("utf-8")


def pair(result, method):
    """Unpacks a ``[value, message]`` reply, as TaskMaster does with ``x, msg = self._rpc(...)``."""
    if not isinstance(result, (list, tuple)) or len(result) != 2:
        raise ProtocolError("%s: expected a pair [value, message], got %r" % (method, result))
    return result[0], result[1]


class RpcClient:
    """One connection, request ids counting up from 1, one reply per request, in order.

    ``_rpc`` is the Python 2 client's call (send, then block for the reply). ``pipeline`` sends
    several requests before reading any reply, which the Python client never does but the
    protocol allows.
    """

    def __init__(self, host, port, timeout=60.0):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.rfile = self.sock.makefile("rb")
        self._message_count = 0
        #: indefinite-length items seen in replies (the server should write definite lengths)
        self.indefinite_items = 0
        self.requests = 0

    def close(self):
        try:
            self.rfile.close()
        finally:
            self.sock.close()

    def _request(self, method, params):
        self._message_count += 1
        message = {
            b"id": self._message_count,
            b"method": as_bytes(method),
            b"params": list(params),
        }
        return self._message_count, cborcodec.frame(message)

    def _reply(self, method, expected_id):
        try:
            response, indefinite = cborcodec.read_frame(self.rfile)
        except EOFError:
            raise ProtocolError("%s: the server closed the connection" % method) from None
        self.indefinite_items += indefinite
        if not isinstance(response, dict):
            raise ProtocolError("%s: reply is not a map: %r" % (method, response))
        if get(response, "id") != expected_id:
            raise ProtocolError(
                "%s: reply id %r does not match request id %r"
                % (method, get(response, "id"), expected_id))
        if has(response, "result"):
            return get(response, "result")
        if has(response, "error"):
            error = get(response, "error")
            message = get(error, "message") if isinstance(error, dict) else error
            if isinstance(message, bytes):
                message = message.decode("utf-8", "replace")
            raise RpcError("%s: %s" % (method, message))
        raise ProtocolError("%s: reply has neither result nor error: %r" % (method, response))

    def _rpc(self, method, params):
        request_id, data = self._request(method, params)
        self.sock.sendall(data)
        self.requests += 1
        return self._reply(method, request_id)

    def pipeline(self, calls):
        """Sends every ``(method, params)`` call, then reads their replies in order.

        Returns one ``("ok", result)`` or ``("error", message)`` per call; protocol errors raise.
        """
        ids = []
        chunks = []
        for method, params in calls:
            request_id, data = self._request(method, params)
            ids.append((method, request_id))
            chunks.append(data)
        self.sock.sendall(b"".join(chunks))
        self.requests += len(calls)
        replies = []
        for method, request_id in ids:
            try:
                replies.append(("ok", self._reply(method, request_id)))
            except RpcError as e:
                replies.append(("error", str(e)))
        return replies


class TaskMaster(RpcClient):
    """The subset of the Python client's TaskMaster these tests need, with the same params."""

    def set_work_spec(self, spec):
        return pair(self._rpc("set_work_spec", [spec]), "set_work_spec")

    def get_work_spec(self, name):
        return self._rpc("get_work_spec", [name])

    def del_work_spec(self, name):
        return pair(self._rpc("del_work_spec", [name]), "del_work_spec")

    def add_work_units(self, name, items):
        return pair(self._rpc("add_work_units", [name, items]), "add_work_units")

    def count_work_units(self, name):
        return pair(self._rpc("count_work_units", [name]), "count_work_units")

    def get_work_units(self, name, options):
        return pair(self._rpc("get_work_units", [name, options]), "get_work_units")

    def get_work_unit_status(self, name, keys):
        return pair(self._rpc("get_work_unit_status", [name, keys]), "get_work_unit_status")

    @staticmethod
    def update_params(name, key, lease_time=None, status=None, data=None):
        options = {}
        if lease_time is not None:
            options[b"lease_time"] = lease_time
        if status is not None:
            options[b"status"] = status
        if data is not None:
            options[b"data"] = data
        return [name, key, options]

    def update_work_unit(self, name, key, lease_time=None, status=None, data=None):
        params = self.update_params(name, key, lease_time, status, data)
        return pair(self._rpc("update_work_unit", params), "update_work_unit")

    @staticmethod
    def get_work_params(worker_id, lease_time=900, max_jobs=None, work_spec_names=None,
                        available_gb=None):
        options = {b"lease_time": lease_time}
        if max_jobs is not None:
            options[b"max_jobs"] = max_jobs
        if available_gb is not None:
            options[b"available_gb"] = available_gb
        if work_spec_names is not None:
            options[b"work_spec_names"] = list(work_spec_names)
        return [worker_id, options]

    def get_work(self, worker_id, **kwargs):
        return pair(self._rpc("get_work", self.get_work_params(worker_id, **kwargs)), "get_work")

    def worker_heartbeat(self, worker_id, mode, lifetime, environment, parent):
        return pair(
            self._rpc("worker_heartbeat", [worker_id, mode, lifetime, environment, parent]),
            "worker_heartbeat")

    def worker_unregister(self, worker_id):
        return pair(self._rpc("worker_unregister", [worker_id]), "worker_unregister")


def nice_identifier():
    """A worker id as the Python client makes one: hex of 16 random bytes, as a byte string."""
    return ("%x" % int.from_bytes(os.urandom(16), "big")).encode("ascii")


def environment(worker_id, parent=None):
    """A heartbeat environment shaped like the Python worker's (tuples included)."""
    hostname = socket.gethostname().encode("utf-8")
    return {
        b"worker_id": worker_id,
        b"parent": parent,
        b"hostname": hostname,
        b"aliases": (),
        b"ipaddrs": (b"127.0.0.1",),
        b"fqdn": hostname,
        b"version": b"0.4.3",
        b"working_set": [(b"coordinate", b"0.4.3"), (b"cbor", b"0.1.25")],
        b"memory": (8589934592, 4294967296, 50.0, 4294967296, 4294967296),
        b"pid": os.getpid(),
    }


def check_work_tuple(entry, where):
    """A get_work entry must be a ``(spec, key, data)`` tuple with a byte-string key."""
    if not isinstance(entry, tuple) or len(entry) != 3:
        raise ProtocolError("%s: get_work entry is not a 3-tuple (tag 128): %r" % (where, entry))
    spec, key, data = entry
    if not isinstance(spec, (bytes, str)):
        raise ProtocolError("%s: work spec name is not a string: %r" % (where, spec))
    if not isinstance(key, bytes):
        raise ProtocolError("%s: work unit key is not a byte string: %r" % (where, key))
    if not isinstance(data, dict):
        raise ProtocolError("%s: work unit data is not a map: %r" % (where, data))
    return as_bytes(spec), key, data


class Worker:
    """A worker process's loop, like the Python SingleWorker run in a loop.

    It heartbeats (mode ``RUN``), then repeatedly asks for up to ``max_jobs`` units of the given
    specs with a 900 s lease, fetches each unit's work spec (one get_work_spec per unit, as the
    real WorkUnit.spec does) and checks that ``module`` and ``run_function`` are byte strings,
    runs ``run_function(spec_name, key, data)`` to get the finished data, and finishes the unit
    twice, as workunit_run and then _run_unit do: once with the data, once without. With
    ``pipeline`` the finishes of a batch and the next get_work go out together.
    """

    def __init__(self, tm, run_function, max_jobs=10, work_spec_names=None, pipeline=True,
                 lease_time=900):
        self.tm = tm
        self.run_function = run_function
        self.max_jobs = max_jobs
        self.work_spec_names = work_spec_names
        self.pipeline = pipeline
        self.lease_time = lease_time
        self.worker_id = nice_identifier()
        self.done = []  # keys finished, in order
        self.batches = 0
        self.second_finish_replies = {}  # repr(result) -> count
        self.spec_cache_checks = 0

    def heartbeat(self):
        ok, msg = self.tm.worker_heartbeat(
            self.worker_id, b"RUN", 6000, environment(self.worker_id), None)
        if ok is not True:
            raise ProtocolError("worker_heartbeat: expected [true, msg], got %r, %r" % (ok, msg))

    def _get_work_params(self):
        return TaskMaster.get_work_params(
            self.worker_id, lease_time=self.lease_time, max_jobs=self.max_jobs,
            work_spec_names=self.work_spec_names, available_gb=3.5)

    def _units_of(self, result):
        units, msg = pair(result, "get_work")
        if self.max_jobs == 1:
            if not isinstance(units, tuple) or len(units) != 3:
                raise ProtocolError("get_work(max_jobs=1): expected a 3-tuple, got %r" % (units,))
            if units[0] is None or units[1] is None:
                return []
            return [check_work_tuple(units, "get_work")]
        if not isinstance(units, list):
            # (None, None, None) here crashes the real client (it iterates the value)
            raise ProtocolError(
                "get_work(max_jobs=%d): expected a list, got %r" % (self.max_jobs, units))
        return [check_work_tuple(u, "get_work") for u in units]

    def _check_spec(self, spec_name, spec):
        if not isinstance(spec, dict):
            raise ProtocolError("get_work_spec(%r): expected a map, got %r" % (spec_name, spec))
        for field in ("module", "run_function"):
            value = get(spec, field)
            if not isinstance(value, bytes):
                raise ProtocolError(
                    "get_work_spec(%r): %s must be a byte string (Python 2 __import__ needs "
                    "str), got %r" % (spec_name, field, value))
        self.spec_cache_checks += 1

    def _finish_calls(self, finished):
        calls = []
        for spec_name, key, data in finished:
            calls.append(("update_work_unit",
                          TaskMaster.update_params(spec_name, key, status=FINISHED, data=data)))
            # the real worker finishes every successful unit a second time, without data
            calls.append(("update_work_unit",
                          TaskMaster.update_params(spec_name, key, status=FINISHED)))
        return calls

    def _check_finish_replies(self, finished, replies):
        for i, (spec_name, key, _) in enumerate(finished):
            kind, result = replies[2 * i]
            if kind != "ok":
                raise ProtocolError("finish of %r: error reply %s" % (key, result))
            ok, msg = pair(result, "update_work_unit")
            if ok is not True:
                raise ProtocolError("finish of %r: expected [true, null], got %r, %r"
                                    % (key, ok, msg))
            kind, result = replies[2 * i + 1]
            if kind != "ok":
                raise ProtocolError("second finish of %r must be a harmless no-op, got the "
                                    "error reply %s" % (key, result))
            ok, _ = pair(result, "update_work_unit")
            self.second_finish_replies[repr(ok)] = self.second_finish_replies.get(repr(ok), 0) + 1
            self.done.append(key)

    def _run_batch(self, units):
        if self.pipeline:
            replies = self.tm.pipeline(
                [("get_work_spec", [spec_name]) for spec_name, _, _ in units])
            specs = []
            for (spec_name, _, _), (kind, result) in zip(units, replies):
                if kind != "ok":
                    raise ProtocolError("get_work_spec(%r): error reply %s" % (spec_name, result))
                specs.append(result)
        else:
            specs = [self.tm.get_work_spec(spec_name) for spec_name, _, _ in units]
        finished = []
        for (spec_name, key, data), spec in zip(units, specs):
            self._check_spec(spec_name, spec)
            finished.append((spec_name, key, self.run_function(spec_name, key, data)))
        return finished

    def run(self, before_work=None):
        """Works until get_work has nothing more; returns the keys finished.

        ``before_work``, if given, is called after the heartbeat and before the first get_work.
        """
        self.heartbeat()
        if before_work is not None:
            before_work()
        result = self.tm._rpc("get_work", self._get_work_params())
        while True:
            units = self._units_of(result)
            if not units:
                break
            self.batches += 1
            finished = self._run_batch(units)
            calls = self._finish_calls(finished)
            if self.pipeline:
                replies = self.tm.pipeline(calls + [("get_work", self._get_work_params())])
                kind, result = replies.pop()
                if kind != "ok":
                    raise ProtocolError("get_work: error reply %s" % result)
            else:
                replies = []
                for method, params in calls:
                    try:
                        replies.append(("ok", self.tm._rpc(method, params)))
                    except RpcError as e:
                        replies.append(("error", str(e)))
                result = self.tm._rpc("get_work", self._get_work_params())
            self._check_finish_replies(finished, replies)
        ok, msg = self.tm.worker_unregister(self.worker_id)
        return self.done

