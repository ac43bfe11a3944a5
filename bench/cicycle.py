"""bench/cicycle.py: the CI-cycle benchmark, somock against WireMock.

Imported by bench/bench.py. One *test* is what a CI test suite does per
test when its mock server is shared by parallel tests:

  somock                                  WireMock (admin API)
  1. a fresh sandbox (X-Somock-Sandbox)   (per-test stubs, matched on the
                                           same header)
  2. POST /__somock/fixtures: 20 tasks    POST /__admin/mappings x 12: the
                                           stubs the reads, the write and the
                                           poll need
  3. 10 reads: JSON and XML, languages and zones, lists by state and
     tasks by id (the same requests to both)
  4. POST /api/v1/BatchTask {"Name": ...}, then GET /api/v1/BatchTask/{id}
  5. DELETE /__somock/sandboxes/NAME      POST /__admin/mappings/
                                           remove-by-metadata (this test's
                                           stubs only)

WireMock's stubs answer exactly the bytes and Content-Type somock answered
(captured by one priming test), so both servers send the same bodies.
WireMock has no sandboxes and its resets (/__admin/reset,
/__admin/mappings/reset) are global, which parallel tests cannot use: each
test's stubs match only requests carrying its own X-Somock-Sandbox value
and carry it as metadata, and one remove-by-metadata call drops exactly
them. That is the cheapest equivalent WireMock offers (one call, like
somock's DELETE), and it keeps the tests isolated the way sandboxes do.

Every answer is checked (status, and the expected Id and Name in the body;
the write's new Id is the same in every fresh sandbox), so an error stops
the benchmark instead of being counted. Clients are processes (no GIL
between them), each with one keep-alive http.client connection.
"""

import base64
import http.client
import json
import multiprocessing
import os
import statistics
import time

HOST = "127.0.0.1"
BASIC = "Basic " + base64.b64encode(b"tje0:Tje0").decode()
SANDBOX = "X-Somock-Sandbox"
STATES = ["New", "Aquired", "Started", "Succeeded", "Failed", "Unknown",
          "SucceededManualCleanup"]
FIRST_ID = 9001
NEW_ID = FIRST_ID + 20   # what the write answers in a fresh sandbox
WRITE_NAME = "CI start-job"


def fixture_tasks():
    """20 tasks of tje0 (associate 53) in every state, with [SR_...]
    references and multi-language values for the translated reads."""
    tasks = []
    for k in range(20):
        tid = FIRST_ID + k
        state = STATES[k % len(STATES)]
        done = state in ("Succeeded", "SucceededManualCleanup")
        tasks.append({
            "Id": tid,
            "Name": f"CI task {tid}",
            "AssociateId": 53,
            "State": state,
            "Description": "[SR_BATCH_EXPORT_CONTACTS_DESC]" if k % 2 else
            'US:"Nightly export";NO:"Nattlig eksport";'
            'SW:"Nattlig export";GE:"Nächtlicher Export"',
            "ProgressDescription": "[SR_BATCH_PROGRESS_DONE]" if done else
            "[SR_BATCH_PROGRESS_QUEUED]",
            "ProgressPercent": 100 if done else 10 * (k % 10),
            "StartCount": k % 4,
            "Created": f"2026-03-{1 + k:02d}T08:{k:02d}:00Z",
            "LastStarted": f"2026-03-{1 + k:02d}T09:{k:02d}:30.1234567Z",
            "ParameterObject": {"ProjectId": str(100 + k)} if k % 3 == 0
            else None,
            "Context": "CI",
            "FileName": f"ci-{tid}.csv",
        })
    return tasks


TASKS = fixture_tasks()
FIXTURE = json.dumps({"batchTasks": TASKS}, separators=(",", ":")).encode()


def _ids(state):
    return [t["Id"] for t in TASKS if state == "All" or t["State"] == state]


JSON = {"Accept": "application/json"}
XML = {"Accept": "application/xml"}
# (path, extra headers, the fixture task Ids the answer must hold)
READS = [
    ("/api/v1/BatchTask/All", dict(JSON), _ids("All")),
    ("/api/v1/BatchTask/New", dict(XML), _ids("New")),
    ("/api/v1/BatchTask/Started", dict(JSON, **{"SO-Language": "sv"}),
     _ids("Started")),
    ("/api/v1/BatchTask/Succeeded", dict(XML, **{"SO-TimeZone": "NO"}),
     _ids("Succeeded")),
    ("/api/v1/BatchTask/Failed", dict(JSON, **{
        "SO-Language": "de", "SO-TimeZone": "US-NY,includeTZOffset"}),
     _ids("Failed")),
    ("/api/v1/BatchTask/Aquired", dict(JSON, **{
        "Accept-Language": "nb-NO,nb;q=0.9"}), _ids("Aquired")),
    ("/api/v1/BatchTask/Unknown", dict(XML, **{
        "SO-Language": "fr", "SO-TimeZone": "Europe/Oslo"}),
     _ids("Unknown")),
    (f"/api/v1/BatchTask/{FIRST_ID}", dict(JSON), [FIRST_ID]),
    (f"/api/v1/BatchTask/{FIRST_ID + 4}", dict(XML, **{"SO-Language": "sv"}),
     [FIRST_ID + 4]),
    (f"/api/v1/BatchTask/{FIRST_ID + 19}", dict(JSON, **{
        "SO-Language": "sv", "SO-TimeZone": "NO"}), [FIRST_ID + 19]),
]
WRITE_BODY = json.dumps({"Name": WRITE_NAME}).encode()
POLL = (f"/api/v1/BatchTask/{NEW_ID}", dict(JSON))


def _needles(ids, xml, names=None):
    """The substrings that prove a task is in the answer: its Id followed
    by its Name (both renderers write Id then Name)."""
    out = []
    for tid in ids:
        name = (names or {}).get(tid, f"CI task {tid}")
        if xml:
            out.append(f"<Id>{tid}</Id><Name>{name}</Name>".encode())
        else:
            out.append(f'"Id":{tid},"Name":{json.dumps(name)}'.encode())
    return out


CHECKS = [_needles(ids, "xml" in h["Accept"]) for _, h, ids in READS]
POLL_CHECK = _needles([NEW_ID], False, {NEW_ID: WRITE_NAME})
WRITE_ANSWER = str(NEW_ID).encode()


class Failure(Exception):
    pass


def _request(conn, method, path, headers, body=None):
    conn.request(method, path, body=body, headers=headers)
    r = conn.getresponse()
    return r.status, r.getheader("Content-Type"), r.read()


def _expect(what, status, body, want_status, needles=(), exact=None):
    if status != want_status:
        raise Failure(f"{what}: status {status}, expected {want_status}: "
                      f"{body[:300]!r}")
    for n in needles:
        if n not in body:
            raise Failure(f"{what}: {n!r} missing from {body[:300]!r}")
    if exact is not None and body != exact:
        raise Failure(f"{what}: {body[:300]!r}, expected {exact!r}")


def _reads_write_poll(conn, name, keep=None):
    base = {"Authorization": BASIC, SANDBOX: name}
    for (path, extra, _), needles in zip(READS, CHECKS):
        st, ct, body = _request(conn, "GET", path, dict(base, **extra))
        _expect(f"GET {path} {extra}", st, body, 200, needles)
        if keep is not None:
            keep.append(("GET", path, extra, ct, body))
    st, ct, body = _request(conn, "POST", "/api/v1/BatchTask", dict(
        base, **{"Content-Type": "application/json",
                 "Accept": "application/json"}), WRITE_BODY)
    _expect("POST /api/v1/BatchTask", st, body, 200, exact=WRITE_ANSWER)
    if keep is not None:
        keep.append(("POST", "/api/v1/BatchTask", {}, ct, body))
    st, ct, body = _request(conn, "GET", POLL[0], dict(base, **POLL[1]))
    _expect(f"GET {POLL[0]}", st, body, 200, POLL_CHECK)
    if keep is not None:
        keep.append(("GET", POLL[0], POLL[1], ct, body))


def somock_test(conn, name, keep=None):
    st, _, body = _request(conn, "POST", "/__somock/fixtures", {
        SANDBOX: name, "Content-Type": "application/json"}, FIXTURE)
    _expect("POST /__somock/fixtures", st, body, 200, [b'"loaded":true'])
    _reads_write_poll(conn, name, keep)
    st, _, body = _request(conn, "DELETE", f"/__somock/sandboxes/{name}", {})
    _expect("DELETE /__somock/sandboxes", st, body, 204)


# --------------------------------------------------------------------------
# WireMock

STUBS = []  # filled by prime(): JSON of each stub with "@SANDBOX@" to fill


def wiremock_stubs(captured):
    """Stub mappings that answer the captured somock answers: matched on
    method, path, the headers that chose the answer, the credentials and
    the test's sandbox header; the write also on its JSON body."""
    stubs = []
    for method, path, extra, ctype, body in captured:
        headers = {"Authorization": {"equalTo": BASIC},
                   SANDBOX: {"equalTo": "@SANDBOX@"}}
        for k, v in extra.items():
            headers[k] = {"equalTo": v}
        req = {"method": method, "urlPath": path, "headers": headers}
        if method == "POST":
            req["bodyPatterns"] = [{"equalToJson": WRITE_BODY.decode()}]
        stubs.append(json.dumps({
            "request": req,
            "response": {"status": 200, "body": body.decode(),
                         "headers": {"Content-Type": ctype}},
            "metadata": {"sandbox": "@SANDBOX@"},
        }, separators=(",", ":")))
    return stubs


def wiremock_test(conn, name):
    for stub in STUBS:
        st, _, body = _request(conn, "POST", "/__admin/mappings", {
            "Content-Type": "application/json"},
            stub.replace("@SANDBOX@", name).encode())
        _expect("POST /__admin/mappings", st, body, 201)
    _reads_write_poll(conn, name)
    st, _, body = _request(
        conn, "POST", "/__admin/mappings/remove-by-metadata",
        {"Content-Type": "application/json"}, json.dumps({
            "matchesJsonPath": {"expression": "$.sandbox",
                                "equalTo": name}}).encode())
    _expect("POST /__admin/mappings/remove-by-metadata", st, body, 200)


def prime(somock_port):
    """One somock test that keeps its answers; they become WireMock's
    stubs. Returns the number of stubs."""
    conn = http.client.HTTPConnection(HOST, somock_port, timeout=30)
    keep = []
    try:
        somock_test(conn, "ci-prime", keep)
    finally:
        conn.close()
    STUBS[:] = wiremock_stubs(keep)
    return len(STUBS), sum(len(k[4]) for k in keep)


# --------------------------------------------------------------------------
# the clients


def _client(kind, port, tag, idx, start_at, seconds, out):
    test = somock_test if kind == "somock" else wiremock_test
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    durations, n = [], 0
    try:
        while time.time() < start_at:
            time.sleep(0.0005)
        t_end = start_at + seconds
        c0 = os.times()
        while True:
            t0 = time.perf_counter()
            if time.time() >= t_end:
                break
            test(conn, f"ci-{tag}-{idx}-{n}")
            n += 1
            # only tests that finished within the window count
            if time.time() <= t_end:
                durations.append(time.perf_counter() - t0)
        c1 = os.times()
        out.put((idx, None, durations,
                 (c1.user - c0.user) + (c1.system - c0.system), n))
    except Exception as e:  # noqa: BLE001 - reported to the parent
        out.put((idx, f"{type(e).__name__}: {e}", durations, 0.0, n))
    finally:
        conn.close()


def run(kind, port, tag, clients, seconds):
    """`clients` processes run tests for `seconds`; returns tests/s,
    per-test p50/p99 (ms), the tests that finished in the window, all the
    tests run (those in flight at the end finish, uncounted) and the
    clients' CPU seconds."""
    ctx = multiprocessing.get_context("fork")
    out = ctx.Queue()
    start_at = time.time() + 0.3
    procs = [ctx.Process(target=_client, args=(
        kind, port, tag, i, start_at, seconds, out), daemon=True)
        for i in range(clients)]
    for p in procs:
        p.start()
    results = [out.get(timeout=seconds + 120) for _ in procs]
    for p in procs:
        p.join(30)
    errors = [e for _, e, _, _, _ in results if e]
    if errors:
        raise RuntimeError(f"{kind} CI cycle failed: {errors[0]}")
    durs = sorted(d for _, _, ds, _, _ in results for d in ds)
    if not durs:
        raise RuntimeError(f"{kind} CI cycle: no test finished")
    p99 = durs[min(len(durs) - 1, int(round(0.99 * (len(durs) - 1))))]
    return {"tests": len(durs), "tests_per_s": len(durs) / seconds,
            "p50": statistics.median(durs) * 1000, "p99": p99 * 1000,
            "tests_all": sum(n for *_, n in results),
            "client_cpu_s": sum(c for _, _, _, c, _ in results)}
