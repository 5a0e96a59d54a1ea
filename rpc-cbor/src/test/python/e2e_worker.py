#!/usr/bin/env python3
"""End-to-end test of a Coordinate CBOR-RPC server with Python worker processes.

Usage: e2e_worker.py HOST:PORT [--units 2000] [--workers 4] [--max-jobs 10] ...

Speaking like the Python 2 ``coordinate`` client (byte-string keys and strings, tuples), it
defines work spec A (``then: B``) and spec B, adds the units to A in batches (some keys are not
UTF-8), runs worker processes, each on its own connection, that pipeline get_work and their
double finishes, each A unit outputting one unit to B (in several output forms), and then checks:

* count_work_units(A) is {4: units}, with integer status keys;
* every unit of A was finished by exactly one worker, exactly once;
* B holds exactly the chained units, available, with the expected byte keys and data, and
  get_work_units returns (key, data) tuples with byte-string keys, in key order;
* the worker's second finish is a harmless no-op that does not chain again;
* get_work with nothing left answers (None, None, None) for one job and [] for several.

Exit status 0 when every check passes; 1 with a list of failures otherwise.
"""

import argparse
import collections
import multiprocessing
import os
import queue as queue_module
import sys
import time
import traceback
import uuid

from coordclient import (
    AVAILABLE, FINISHED, PENDING, ProtocolError, RpcError, TaskMaster, Worker, as_bytes,
    check_work_tuple, get, pair, text_keys)

FORMS = ("keys", "lists", "tuples", "map")
MISSING_KEY = b"e2e-no-such-key"


def unit_key(i):
    """Mostly ASCII keys, with some that are not UTF-8 (b'\\xff\\x00k7' among them)."""
    if i % 97 == 7:
        return b"\xff\x00k%d" % i
    if i % 89 == 3:
        return b"f\xfc%05d" % i
    return b"u%05d" % i


def is_utf8(b):
    try:
        b.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def output_form(i, key):
    form = FORMS[i % len(FORMS)]
    # data map keys are names (text) on the server, so a map output needs a UTF-8 key
    if form == "map" and not is_utf8(key):
        form = "tuples"
    return form


def unit_data(i, key):
    """Data of A's unit i: every value type the wire carries, to check they round-trip."""
    return {
        b"i": i,
        b"raw": b"\x00\xff" + key,
        b"text": "caf\u00e9 %d" % i,
        b"tup": (i, b"x", None),
        b"nested": {b"list": [1, 2.5, True, False], b"u": uuid.UUID(int=i + 1)},
        b"neg": -i,
        b"big": 2**40 + i,
    }


def chained_key(key):
    return key + b"-out"


def parent_key(chained):
    assert chained.endswith(b"-out")
    return chained[:-4]


def expected_chained_data(i, key):
    if output_form(i, key) == "keys":
        return {}
    return {b"src": key, b"n": i}


def output_of(i, key):
    out = chained_key(key)
    form = output_form(i, key)
    if form == "keys":
        return [out]
    if form == "lists":
        return [[out, {b"src": key, b"n": i}]]
    if form == "tuples":
        return [(out, {b"src": key, b"n": i})]
    return {out: {b"src": key, b"n": i}}


def run_unit(spec_name, key, data):
    """The 'run_function': checks the data came back intact and returns the finished data."""
    i = get(data, "i")
    if not isinstance(i, int) or unit_key(i) != key:
        raise ProtocolError("unit %r: unexpected data %r" % (key, data))
    if text_keys(data) != text_keys(unit_data(i, key)):
        raise ProtocolError("unit %r: data did not round-trip:\n  sent %r\n  got  %r"
                            % (key, unit_data(i, key), data))
    finished = dict(data)
    finished[b"output"] = output_of(i, key)
    finished[b"pid"] = os.getpid()
    return finished


def worker_process(index, options, results, start_line):
    """One worker process: its own connection, its own worker id; reports what it finished.

    Every worker waits at ``start_line`` after its heartbeat, so they all ask for work at once
    however long each took to start.
    """
    report = {"index": index, "pid": os.getpid(), "error": None}
    try:
        tm = TaskMaster(options.host, options.port, timeout=options.timeout)
        try:
            worker = Worker(
                tm, run_unit, max_jobs=options.max_jobs,
                work_spec_names=[as_bytes(options.spec_a)],
                pipeline=index >= options.serial_workers)
            keys = worker.run(before_work=lambda: start_line.wait(30))
            report.update(
                keys=keys, batches=worker.batches, requests=tm.requests,
                pipelined=worker.pipeline, second_finish=worker.second_finish_replies,
                indefinite=tm.indefinite_items)
        finally:
            tm.close()
    except BaseException:  # report everything, the parent decides
        report["error"] = traceback.format_exc()
        start_line.abort()  # the others must not wait for this one
    results.put(report)


class Checks:
    """Collects failures instead of stopping at the first, so one run tells the whole story."""

    def __init__(self):
        self.failures = []

    def expect(self, condition, message):
        if not condition:
            self.failures.append(message)
            print("e2e: FAIL: %s" % message, flush=True)
        return condition


def log(message):
    print("e2e: %s" % message, flush=True)


def setup(tm, options, checks):
    a, b = as_bytes(options.spec_a), as_bytes(options.spec_b)
    for name in (a, b):
        ok, msg = tm.del_work_spec(name)  # [false, msg] when missing is fine
    spec_a = {
        b"name": a, b"min_gb": 0.1, b"module": b"e2e_tasks", b"run_function": b"run_unit",
        b"then": b, b"run_params": (1, b"two"), b"desc": "spec A \u00e9",
    }
    spec_b = {b"name": b, b"min_gb": 0.1, b"module": b"e2e_tasks", b"run_function": b"run_b"}
    for spec in (spec_a, spec_b):
        ok, msg = tm.set_work_spec(spec)
        checks.expect(ok is True, "set_work_spec(%r): expected [true, null], got %r, %r"
                      % (spec[b"name"], ok, msg))
    got = tm.get_work_spec(a)
    if checks.expect(isinstance(got, dict), "get_work_spec(A): expected a map, got %r" % (got,)):
        for field in ("module", "run_function"):
            checks.expect(isinstance(get(got, field), bytes),
                          "get_work_spec(A): %s must be a byte string, got %r"
                          % (field, get(got, field)))
        checks.expect(text_keys(got) == text_keys(spec_a),
                      "get_work_spec(A): expected the definition verbatim %r, got %r"
                      % (spec_a, got))
    missing = tm.get_work_spec(b"e2e-no-such-spec")
    checks.expect(missing is None, "get_work_spec(missing): expected null, got %r" % (missing,))


def add_units(tm, options, checks):
    a = as_bytes(options.spec_a)
    for start in range(0, options.units, options.batch):
        items = []
        for i in range(start, min(start + options.batch, options.units)):
            key = unit_key(i)
            # dict.items() gives tuples; callers building lists by hand send arrays
            items.append((key, unit_data(i, key)) if i % 2 == 0 else [key, unit_data(i, key)])
        ok, msg = tm.add_work_units(a, items)
        checks.expect(ok is True, "add_work_units(A, batch at %d): got %r, %r" % (start, ok, msg))
    counts, msg = tm.count_work_units(a)
    checks.expect(counts == {AVAILABLE: options.units},
                  "count_work_units(A) after adding: expected {1: %d}, got %r"
                  % (options.units, counts))


def run_workers(options, checks):
    ctx = multiprocessing.get_context("spawn")
    results = ctx.Queue()
    start_line = ctx.Barrier(options.workers)
    processes = [ctx.Process(target=worker_process, args=(n, options, results, start_line),
                             daemon=True)
                 for n in range(options.workers)]
    for p in processes:
        p.start()
    reports = []
    deadline = time.monotonic() + options.worker_deadline
    try:
        while len(reports) < len(processes):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise queue_module.Empty
            reports.append(results.get(timeout=remaining))
    except queue_module.Empty:
        checks.expect(False, "only %d of %d workers reported within %d s"
                      % (len(reports), len(processes), options.worker_deadline))
        for p in processes:
            if p.is_alive():
                p.terminate()
    for p in processes:
        p.join(10)
    reports.sort(key=lambda r: r["index"])
    return reports


def check_workers(reports, options, checks):
    finished = collections.Counter()
    by_key = {}
    indefinite = 0
    for r in reports:
        if r["error"]:
            checks.expect(False, "worker %d (pid %d) failed:\n%s"
                          % (r["index"], r["pid"], r["error"]))
            continue
        log("worker %d pid %d: %d units in %d batches, %d requests, %s, second finish replies %s"
            % (r["index"], r["pid"], len(r["keys"]), r["batches"], r["requests"],
               "pipelined" if r["pipelined"] else "one request at a time", r["second_finish"]))
        indefinite += r["indefinite"]
        for k in r["keys"]:
            finished[k] += 1
            by_key.setdefault(k, []).append(r["index"])
    twice = sorted(k for k, n in finished.items() if n > 1)
    checks.expect(not twice, "%d units were handed out and finished more than once, e.g. %r"
                  % (len(twice), [(k, by_key[k]) for k in twice[:5]]))
    expected = {unit_key(i) for i in range(options.units)}
    missing = sorted(expected - set(finished))
    checks.expect(not missing, "%d units of A were never finished by a worker, e.g. %r"
                  % (len(missing), missing[:5]))
    extra = sorted(set(finished) - expected)
    checks.expect(not extra, "workers finished unknown keys %r" % extra[:5])
    busy = [r for r in reports if not r["error"] and r["keys"]]
    checks.expect(len(busy) >= min(2, options.workers),
                  "expected work to be spread over the workers, only %d did any" % len(busy))
    return indefinite


def check_a(tm, options, checks):
    a = as_bytes(options.spec_a)
    counts, msg = tm.count_work_units(a)
    checks.expect(counts == {FINISHED: options.units},
                  "count_work_units(A): expected {4: %d}, got %r, %r" % (options.units, counts, msg))
    if isinstance(counts, dict):
        checks.expect(all(type(k) is int for k in counts),
                      "count_work_units(A): status keys must be integers, got %r" % list(counts))
    sample = [unit_i for unit_i in (0, 1, 2, 3, 7, 104, 1003 % options.units)
              if unit_i < options.units]
    keys = [unit_key(i) for i in sample] + [MISSING_KEY]
    units, msg = tm.get_work_units(a, {b"work_unit_keys": keys})
    if checks.expect(isinstance(units, list) and len(units) == len(keys),
                     "get_work_units(A, keys): expected %d entries, got %r" % (len(keys), units)):
        for i, entry, key in zip(sample + [None], units, keys):
            if not checks.expect(isinstance(entry, tuple) and len(entry) == 2,
                                 "get_work_units(A): entry is not a (key, data) tuple: %r"
                                 % (entry,)):
                continue
            checks.expect(entry[0] == key and isinstance(entry[0], bytes),
                          "get_work_units(A): expected byte key %r, got %r" % (key, entry[0]))
            if i is None:
                checks.expect(entry[1] is None,
                              "get_work_units(A): missing key should give (key, None), got %r"
                              % (entry,))
                continue
            data = entry[1]
            checks.expect(isinstance(data, dict)
                          and text_keys(get(data, "output")) == text_keys(output_of(i, key)),
                          "get_work_units(A): finished unit %r should show its output %r, got %r"
                          % (key, output_of(i, key), data))
    statuses, msg = tm.get_work_unit_status(a, keys)
    if checks.expect(isinstance(statuses, list) and len(statuses) == len(keys),
                     "get_work_unit_status(A): expected %d slots, got %r" % (len(keys), statuses)):
        for key, status in zip(keys[:-1], statuses):
            checks.expect(isinstance(status, dict) and get(status, "status") == FINISHED,
                          "get_work_unit_status(A, %r): expected status 4, got %r" % (key, status))
        checks.expect(statuses[-1] is None,
                      "get_work_unit_status(A, missing): expected null, got %r" % (statuses[-1],))
    # nothing left: one job gives (None, None, None), several give [] (the client iterates it)
    one, msg = tm.get_work(b"e2e-checker", max_jobs=1, work_spec_names=[a])
    checks.expect(one == (None, None, None) and isinstance(one, tuple),
                  "get_work(max_jobs=1) with nothing left: expected (None, None, None), got %r"
                  % (one,))
    several, msg = tm.get_work(b"e2e-checker", max_jobs=10, work_spec_names=[a])
    checks.expect(several == [] and isinstance(several, list),
                  "get_work(max_jobs=10) with nothing left: expected [], got %r" % (several,))


def list_all_units(tm, name, checks, page=500):
    """Every (key, data) of a spec, paging with an inclusive ``start`` key as the client does."""
    entries = []
    start = None
    while True:
        options = {b"limit": page}
        if start is not None:
            options[b"start"] = start
        units, msg = tm.get_work_units(name, options)
        if not checks.expect(isinstance(units, list),
                             "get_work_units(%r): expected a list, got %r, %r"
                             % (name, units, msg)):
            return entries
        if start is not None:
            if not checks.expect(units and units[0][0] == start,
                                 "get_work_units: start %r should be inclusive, page begins %r"
                                 % (start, units[:1])):
                return entries
            units = units[1:]
        entries.extend(units)
        if not units or len(units) < page - (0 if start is None else 1):
            return entries
        start = units[-1][0]


def check_b(tm, options, checks):
    b = as_bytes(options.spec_b)
    counts, msg = tm.count_work_units(b)
    checks.expect(counts == {AVAILABLE: options.units},
                  "count_work_units(B): expected {1: %d} (one chained unit per A unit, all "
                  "available), got %r, %r" % (options.units, counts, msg))
    entries = list_all_units(tm, b, checks)
    expected = {chained_key(unit_key(i)): expected_chained_data(i, unit_key(i))
                for i in range(options.units)}
    bad_shape = [e for e in entries
                 if not (isinstance(e, tuple) and len(e) == 2 and isinstance(e[0], bytes))]
    checks.expect(not bad_shape, "get_work_units(B): entries must be (bytes key, data) tuples; "
                  "%d are not, e.g. %r" % (len(bad_shape), bad_shape[:3]))
    if bad_shape:
        return
    keys = [e[0] for e in entries]
    checks.expect(keys == sorted(keys), "get_work_units(B): keys are not in byte order")
    checks.expect(len(keys) == len(set(keys)), "get_work_units(B): duplicate keys")
    checks.expect(set(keys) == set(expected),
                  "get_work_units(B): expected keys %d, got %d; missing e.g. %r, unexpected "
                  "e.g. %r" % (len(expected), len(keys), sorted(set(expected) - set(keys))[:3],
                               sorted(set(keys) - set(expected))[:3]))
    wrong = [(k, d, expected[k]) for k, d in entries
             if k in expected and text_keys(d) != text_keys(expected[k])]
    checks.expect(not wrong, "get_work_units(B): %d units have unexpected data, e.g. "
                  "(key, got, expected) %r" % (len(wrong), wrong[:3]))
    checks.expect(chained_key(b"\xff\x00k7") in set(keys) or options.units <= 7,
                  "B lacks the chained unit of the non-UTF-8 key b'\\xff\\x00k7'")


def check_second_finish_does_not_rechain(tm, options, checks):
    """Lease some B units, finish their A parents again; B units must stay pending."""
    a, b = as_bytes(options.spec_a), as_bytes(options.spec_b)
    n = min(5, options.units)
    units, msg = tm.get_work(b"e2e-checker", max_jobs=n, work_spec_names=[b])
    if not checks.expect(isinstance(units, list) and len(units) == n,
                         "get_work(B, max_jobs=%d): expected %d units, got %r" % (n, n, units)):
        return
    leased = [check_work_tuple(u, "get_work(B)")[1] for u in units]
    for key in leased:
        try:
            ok, msg = tm.update_work_unit(a, parent_key(key), status=FINISHED)
        except RpcError as e:
            checks.expect(False, "finishing finished unit %r again: error reply %s"
                          % (parent_key(key), e))
    counts, msg = tm.count_work_units(b)
    checks.expect(counts == {AVAILABLE: options.units - n, PENDING: n},
                  "after finishing A units again, B should be untouched ({1: %d, 3: %d}: a "
                  "repeated finish must not chain again), got %r" % (options.units - n, n, counts))
    for key in leased:  # give them back, as a worker does with units it will not run
        ok, msg = tm.update_work_unit(b, key, lease_time=-1)
        checks.expect(ok is True, "update_work_unit(B, %r, lease_time=-1): got %r, %r"
                      % (key, ok, msg))
    counts, msg = tm.count_work_units(b)
    checks.expect(counts == {AVAILABLE: options.units},
                  "after giving back the leased B units: expected {1: %d}, got %r"
                  % (options.units, counts))


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("address", help="HOST:PORT of the CBOR-RPC server")
    parser.add_argument("--units", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--max-jobs", type=int, default=10)
    parser.add_argument("--batch", type=int, default=250, help="units per add_work_units call")
    parser.add_argument("--serial-workers", type=int, default=1,
                        help="how many workers send one request at a time, as the Python "
                             "client does (the others pipeline)")
    parser.add_argument("--spec-a", default="e2e_a")
    parser.add_argument("--spec-b", default="e2e_b")
    parser.add_argument("--timeout", type=float, default=60.0, help="socket timeout, seconds")
    parser.add_argument("--worker-deadline", type=float, default=100.0,
                        help="seconds the workers may take together")
    options = parser.parse_args(argv)
    host, sep, port = options.address.rpartition(":")
    if not sep or not port.isdigit():
        parser.error("address must be HOST:PORT, got %r" % options.address)
    options.host, options.port = host.strip("[]"), int(port)
    if options.units < 1 or options.workers < 1 or options.max_jobs < 2 or options.batch < 1:
        parser.error("units, workers and batch must be positive and max-jobs at least 2")
    return options


def main(argv=None):
    options = parse_args(sys.argv[1:] if argv is None else argv)
    checks = Checks()
    started = time.monotonic()
    tm = TaskMaster(options.host, options.port, timeout=options.timeout)
    try:
        setup(tm, options, checks)
        add_units(tm, options, checks)
        t_added = time.monotonic()
        log("added %d units to %s in %.2f s" % (options.units, options.spec_a, t_added - started))
        reports = run_workers(options, checks)
        t_worked = time.monotonic()
        log("%d workers finished in %.2f s (%.0f units/s)"
            % (options.workers, t_worked - t_added, options.units / max(t_worked - t_added, 1e-9)))
        indefinite = check_workers(reports, options, checks)
        check_a(tm, options, checks)
        check_b(tm, options, checks)
        check_second_finish_does_not_rechain(tm, options, checks)
        indefinite += tm.indefinite_items
        if indefinite:
            log("note: the server wrote %d indefinite-length items (definite is preferred)"
                % indefinite)
    except (ProtocolError, RpcError, OSError) as e:
        checks.expect(False, "%s: %s" % (type(e).__name__, e))
    finally:
        tm.close()
    elapsed = time.monotonic() - started
    if checks.failures:
        log("FAILED: %d check(s) failed in %.2f s" % (len(checks.failures), elapsed))
        return 1
    log("OK: %d units through %s -> %s by %d workers in %.2f s"
        % (options.units, options.spec_a, options.spec_b, options.workers, elapsed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
