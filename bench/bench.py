#!/usr/bin/env python3
"""bench/bench.py: the benchmark, somock against nginx and WireMock in one run.

Run through bench/run, which installs wrk, nginx-light and Java, installs
WireMock's standalone jar from npm into a cache, builds the release binary
and then calls this script:

    bench/run [--quick] [--out FILE]

Standard library only (plus bench/cicycle.py beside it). Steps:

 1. fixtures (bench/gen-fixtures.py) and the 100 000-task database
    (`somock init-db bench/work/bench.db bench/work/fixtures/*.json`),
    regenerated only when the generator or the binary changed;
 2. start-up: `somock --version` (the dynamic loader and exec alone) and
    spawn -> first 200, interleaved, median of 10; spawn -> listening line;
    nginx's spawn -> first 200;
 3. load, case by case, in ROUNDS rounds (full 3, quick 2) that alternate
    the servers: somock with its response cache, nginx serving
    byte-for-byte the body somock returned (fetched with curl), somock
    --no-cache, then the extras of that case (the start-job writes after
    JSON N=1, the rotating mix after JSON N=100), and again. Every round
    is a fresh server process, its own warm-up, then `wrk -t2 -c64` and
    `wrk -t1 -c1` with --latency; the 1-minute load average is read before
    each round. A figure is the median of its rounds, with their min-max;
 4. the CI cycle (bench/cicycle.py): 8 client processes run whole tests
    (sandbox, fixture, 10 reads, a write and its poll, drop) against
    somock and against WireMock doing the same through its admin API,
    alternating rounds;
 5. memory of 1 000 idle sandboxes and of 100 sandboxes that each wrote;
 6. bench/results/latest.md (a --quick run writes bench/work/latest-quick.md
    unless --out says otherwise), raw wrk output in bench/work/raw/.
"""

import argparse
import base64
import datetime
import http.client
import json
import os
import platform
import random
import re
import shlex
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time

import cicycle

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, "bench")
WORK = os.path.join(BENCH, "work")
RAW = os.path.join(WORK, "raw")
BIN = os.path.join(ROOT, "build-release", "server", "somock")
DB = os.path.join(WORK, "bench.db")
FIXTURES = os.path.join(WORK, "fixtures")
HOST = "127.0.0.1"

PREFIX = "/Cust10001/api/v1/BatchTask/"
BASIC = "Basic " + base64.b64encode(b"bench:Bench-1").decode()
AUTH = {"Authorization": BASIC}

# name, label, path, extra headers, expected N, body format
CASES = [
    ("json-1", "JSON, N=1", PREFIX + "Failed", {}, 1, "json"),
    ("json-100", "JSON, N=100", PREFIX + "Started", {}, 100, "json"),
    ("json-10000", "JSON, N=10 000", PREFIX + "Succeeded", {}, 10000, "json"),
    ("xml-100", "XML, N=100", PREFIX + "Started",
     {"Accept": "application/xml"}, 100, "xml"),
    ("tr-100", "JSON + SO-Language sv + SO-TimeZone NO, N=100",
     PREFIX + "Started", {"SO-Language": "sv", "SO-TimeZone": "NO"}, 100,
     "json"),
]
MIX_LABEL = "rotating mix, N=100"

# the demo data's onsite login, for the writes, the sandboxes and start-up
DEMO_AUTH = {"Authorization": "Basic " + base64.b64encode(
    b"tje0:Tje0").decode()}
DEMO_PROBE = ("/api/v1/BatchTask/Failed", DEMO_AUTH)
WRITE_PATH = "/api/v1/BatchTask"

# durations (s) and rounds; every round is a fresh server with its warm-up
PLANS = {
    "full": {"rounds": 3, "warm": 3, "c64": 10, "c1": 5,
             "ci_clients": 8, "ci_first_warm": 10, "ci_warm": 3, "ci": 20,
             "startup_runs": 10, "startup_runs_db": 10,
             "idle_sandboxes": 1000, "written_sandboxes": 100,
             "skip": []},
    "quick": {"rounds": 2, "warm": 1, "c64": 2, "c1": 1,
              "ci_clients": 8, "ci_first_warm": 3, "ci_warm": 1, "ci": 5,
              "startup_runs": 10, "startup_runs_db": 5,
              "idle_sandboxes": 1000, "written_sandboxes": 100,
              # no target, and each uncached 8 MB answer takes 0.1-0.3 s
              # of CPU: its queue takes longer to drain than to measure
              "skip": [("json-10000", "nocache")]},
}

# the performance targets (docs/performance.md), evaluated in report():
# somock ÷ nginx at -c64, cache on ("somock") and off ("nocache")
TARGETS = [
    ("json-1", "somock", 0.8), ("json-100", "somock", 0.7),
    ("json-10000", "somock", 0.7), ("xml-100", "somock", 0.6),
    ("tr-100", "somock", 0.6), ("json-100", "nocache", 0.5),
    ("xml-100", "nocache", 0.5),
]
TARGET_RATIO = {(n, k): t for n, k, t in TARGETS}
MIX_TARGET = 0.5          # rotating mix, cache off ÷ nginx JSON N=100
WRITE_TARGET = 0.25       # start-job writes/s ÷ nginx JSON N=1
CI_TARGET = 10            # CI-cycle tests/s ÷ WireMock's
SANDBOX_TARGET_MB = 100   # RSS with 1 000 idle sandboxes
STARTUP_SPLIT_MS = 3      # first 200 minus `somock --version`

CHILDREN = []  # every process this script started and has not reaped


def log(msg):
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr,
          flush=True)


# --------------------------------------------------------------------------
# processes


def loadavg():
    """The machine's 1-minute load average."""
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


def free_port():
    s = socket.socket()
    s.bind((HOST, 0))
    port = s.getsockname()[1]
    s.close()
    return port


def stop(proc, sig=signal.SIGTERM, timeout=20):
    if proc.poll() is None:
        proc.send_signal(sig)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    if proc in CHILDREN:
        CHILDREN.remove(proc)


def cleanup():
    for proc in list(CHILDREN):
        stop(proc, timeout=5)


def proc_status(pid):
    out = {}
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                k, _, v = line.partition(":")
                if k in ("VmRSS", "VmHWM"):
                    out[k] = int(v.split()[0])  # kB
    except OSError:
        pass
    return out


def process_tree(pid):
    """pid and all its descendants (nginx: master + workers)."""
    parent = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as f:
                    stat = f.read()
                parent[int(d)] = int(stat.rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                pass
    tree, todo = [pid], [pid]
    while todo:
        p = todo.pop()
        kids = [c for c, pp in parent.items() if pp == p]
        tree += kids
        todo += kids
    return tree


def memory(pid):
    """(RSS, HWM) in MB summed over the process tree."""
    rss = hwm = 0
    for p in process_tree(pid):
        st = proc_status(p)
        rss += st.get("VmRSS", 0)
        hwm += st.get("VmHWM", 0)
    return rss / 1024, hwm / 1024


def cpu_ticks(pid):
    total = 0
    for p in process_tree(pid):
        try:
            with open(f"/proc/{p}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime + stime
        except (OSError, IndexError, ValueError):
            pass
    return total


def wait_idle(pid, limit=60.0):
    """Wait until the server has drained the requests a finished wrk left
    queued (it answers them even though wrk has gone), so one run's backlog
    does not eat into the next run. Returns the seconds waited."""
    t0 = time.monotonic()
    hz = os.sysconf("SC_CLK_TCK")
    last, quiet = cpu_ticks(pid), 0
    while time.monotonic() - t0 < limit and quiet < 2:
        time.sleep(0.1)
        now = cpu_ticks(pid)
        quiet = quiet + 1 if now - last <= 0.01 * hz else 0
        last = now
    return time.monotonic() - t0


def http_get(port, path, headers=None, timeout=5):
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request("GET", path, headers=headers or {})
        r = conn.getresponse()
        return r.status, dict(r.getheaders()), r.read()
    finally:
        conn.close()


def wait_200(port, path, headers, deadline=30.0):
    t_end = time.monotonic() + deadline
    while time.monotonic() < t_end:
        try:
            status, _, _ = http_get(port, path, headers, timeout=2)
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.005)
    raise RuntimeError(f"no 200 from port {port}{path} in {deadline}s")


class Server:
    """A server process the benchmark started (self.proc)."""

    def stop(self):
        stop(self.proc)

    @property
    def pid(self):
        return self.proc.pid


class Somock(Server):
    def __init__(self, args, name="somock", probe=None):
        self.args = args
        self.name = name
        self.probe = probe or (CASES[0][2], AUTH)
        self.proc = None
        self.port = None

    def start(self):
        cmd = [BIN, "serve", "--port", "0", "--listen", HOST] + self.args
        self.cmd = cmd
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE,
                                     stderr=open(os.path.join(
                                         WORK, f"{self.name}.stderr"), "a"),
                                     text=True)
        CHILDREN.append(self.proc)
        line = self.proc.stdout.readline()
        m = re.match(r"somock listening on http://(\S+):(\d+)$", line.strip())
        if not m:
            stop(self.proc)
            raise RuntimeError(f"somock did not start: {line!r} "
                               f"(see {WORK}/{self.name}.stderr)")
        self.port = int(m.group(2))
        wait_200(self.port, *self.probe)
        time.sleep(0.2)
        self.idle = memory(self.proc.pid)[0]
        return self


class Nginx(Server):
    def __init__(self, bodies):
        """bodies: case name -> (content type, body bytes)"""
        self.bodies = bodies
        self.proc = None
        self.port = None

    def configure(self, port):
        d = os.path.join(WORK, "nginx")
        www = os.path.join(d, "www")
        os.makedirs(www, exist_ok=True)
        for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            os.makedirs(os.path.join(d, "tmp", sub), exist_ok=True)
        locations = []
        for name, (ctype, body) in self.bodies.items():
            with open(os.path.join(www, name), "wb") as f:
                f.write(body)
            locations.append(f"""\
        location = /{name} {{
            default_type "{ctype}";
        }}""")
        user = ""
        if os.getuid() == 0:
            import grp
            import pwd
            user = (f"user {pwd.getpwuid(os.getuid()).pw_name} "
                    f"{grp.getgrgid(os.getgid()).gr_name};")
        conf = f"""\
# generated by bench/bench.py: nginx-light serving the bodies somock
# returned, byte for byte, with the same Content-Type; two workers (one a
# core), no access log, keep-alive
{user}
daemon off;
master_process on;
worker_processes 2;
pid {d}/nginx.pid;
error_log {d}/error.log warn;
events {{
    worker_connections 1024;
}}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    tcp_nodelay on;
    keepalive_timeout 65;
    keepalive_requests 1000000;
    types {{ }}
    client_body_temp_path {d}/tmp/body;
    proxy_temp_path {d}/tmp/proxy;
    fastcgi_temp_path {d}/tmp/fastcgi;
    uwsgi_temp_path {d}/tmp/uwsgi;
    scgi_temp_path {d}/tmp/scgi;
    server {{
        listen {HOST}:{port};
        root {www};
{chr(10).join(locations)}
    }}
}}
"""
        self.conf = os.path.join(d, "nginx.conf")
        with open(self.conf, "w") as f:
            f.write(conf)
        self.cmd = ["/usr/sbin/nginx", "-p", d, "-c", self.conf,
                    "-e", os.path.join(d, "error.log")]
        return self.cmd

    def spawn(self, port):
        cmd = self.configure(port)
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL,
                                stderr=open(os.path.join(WORK, "nginx",
                                                         "stderr"), "a"))
        CHILDREN.append(proc)
        return proc

    def start_case(self, name):
        self.port = free_port()
        self.proc = self.spawn(self.port)
        wait_200(self.port, "/" + name, AUTH)
        time.sleep(0.2)
        self.idle = memory(self.proc.pid)[0]
        return self

    def stop(self):
        stop(self.proc, signal.SIGQUIT)


# --------------------------------------------------------------------------
# wrk

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def to_ms(text):
    m = re.match(r"([\d.]+)(us|ms|s|m)$", text)
    return float(m.group(1)) * UNITS[m.group(2)] if m else None


def parse_wrk(out):
    r = {}
    m = re.search(r"Requests/sec:\s+([\d.]+)", out)
    r["rps"] = float(m.group(1)) if m else None
    m = re.search(r"Transfer/sec:\s+([\d.]+)(\w+)", out)
    if m:
        mult = {"B": 1, "KB": 2**10, "MB": 2**20, "GB": 2**30}.get(m.group(2), 1)
        r["bytes_per_s"] = float(m.group(1)) * mult
    for pct in ("50", "75", "90", "99"):
        m = re.search(rf"^\s+{pct}%\s+(\S+)", out, re.M)
        r[f"p{pct}"] = to_ms(m.group(1)) if m else None
    m = re.search(r"(\d+) requests in ([\d.]+\w+), ([\d.]+\w+) read", out)
    r["requests"] = int(m.group(1)) if m else 0
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    r["non2xx"] = int(m.group(1)) if m else 0
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), "
                  r"timeout (\d+)", out)
    r["socket_errors"] = sum(int(x) for x in m.groups()) if m else 0
    return r


def wrk(port, path, headers, conns, seconds, raw_name, script=None,
        script_args=()):
    threads = 2 if conns > 1 else 1
    cmd = ["wrk", f"-t{threads}", f"-c{conns}", f"-d{seconds}s", "--latency",
           "--timeout", "10s"]
    for k, v in headers.items():
        cmd += ["-H", f"{k}: {v}"]
    if script:
        cmd += ["-s", script]
    cmd.append(f"http://{HOST}:{port}{path}")
    if script_args:
        cmd += ["--"] + list(script_args)
    out = subprocess.run(cmd, capture_output=True, text=True,
                         timeout=seconds + 60)
    text = out.stdout + out.stderr
    with open(os.path.join(RAW, raw_name + ".txt"), "w") as f:
        f.write("$ " + shlex.join(cmd) + "\n" + text)
    if out.returncode:
        raise RuntimeError(f"wrk failed ({raw_name}): {text}")
    r = parse_wrk(text)
    r["cmd"] = shlex.join(cmd)
    return r


def one_round(start, tag, case, path, headers, plan, rnd, script=None,
              script_args=(), conns=(64, 1)):
    """One round: the 1-minute load average, a fresh server (start() makes
    and starts it), a -c64 warm-up, then a run per entry of `conns`, with
    the server's CPU time and memory after each. Returns the figures."""
    load1 = loadavg()
    server = start()
    try:
        rd = {"load": load1, "idle_mb": server.idle}
        wrk(server.port, path, headers, 64, plan["warm"],
            f"{tag}-{case}-r{rnd}-warmup", script, script_args)
        for c in conns:
            drained = wait_idle(server.pid)
            if drained > 1:
                log(f"  ({tag} {case}: {drained:.0f} s to drain the "
                    "previous run's queued requests)")
            cpu0 = cpu_ticks(server.pid)
            r = wrk(server.port, path, headers, c, plan[f"c{c}"],
                    f"{tag}-{case}-r{rnd}-c{c}", script, script_args)
            cpu = (cpu_ticks(server.pid) - cpu0) / os.sysconf("SC_CLK_TCK")
            r["server_cpu_s"] = cpu
            r["cpu_us_per_req"] = (cpu * 1e6 / r["requests"]
                                   if r["requests"] else None)
            r["drain_before_s"] = drained
            r["peak_mb"], r["rss_mb"] = memory(server.pid)[1], \
                memory(server.pid)[0]
            rd[f"c{c}"] = r
            bad = r["non2xx"] + r["socket_errors"]
            log(f"  r{rnd} {tag} {case} -c{c}: {fnum(r['rps'])} req/s, "
                f"p50 {fms(r['p50'])} ms, p99 {fms(r['p99'])} ms, "
                f"{fnum(r['cpu_us_per_req'])} µs CPU/req, load {load1:.2f}"
                + (f", {bad} ERRORS" if bad else ""))
        return rd
    finally:
        server.stop()


def aggregate(rounds):
    """Medians over the rounds (req/s with its min and max), peaks as the
    highest, error counts summed, the load averages listed."""
    out = {"rounds": rounds, "loads": [r["load"] for r in rounds],
           "idle_mb": statistics.median(r["idle_mb"] for r in rounds)}
    for c in ("c64", "c1"):
        rs = [r[c] for r in rounds if c in r]
        if not rs:
            continue
        agg = {}
        for k in ("rps", "p50", "p75", "p90", "p99", "cpu_us_per_req",
                  "bytes_per_s"):
            vals = [x[k] for x in rs if x.get(k) is not None]
            agg[k] = statistics.median(vals) if vals else None
        rps = [x["rps"] for x in rs if x.get("rps") is not None]
        agg["rps_all"] = rps
        agg["rps_min"] = min(rps) if rps else None
        agg["rps_max"] = max(rps) if rps else None
        for k in ("peak_mb", "rss_mb"):
            agg[k] = max(x[k] for x in rs)
        for k in ("non2xx", "socket_errors", "requests"):
            agg[k] = sum(x[k] for x in rs)
        agg["cmd"] = rs[0]["cmd"]
        out[c] = agg
    return out


# --------------------------------------------------------------------------
# data


def prepare_data():
    gen = os.path.join(BENCH, "gen-fixtures.py")
    stamp = os.path.join(WORK, "fixtures.stamp")

    def mtime(p):
        return os.path.getmtime(p) if os.path.exists(p) else 0

    if mtime(stamp) < mtime(gen):
        log("generating fixtures (bench/gen-fixtures.py)")
        subprocess.run([sys.executable, gen, FIXTURES], check=True)
        open(stamp, "w").close()
    fixtures = sorted(os.path.join(FIXTURES, n)
                      for n in os.listdir(FIXTURES) if n.endswith(".json"))
    if mtime(DB) < max(mtime(stamp), mtime(BIN)):
        log("creating the 100 000-task database (somock init-db)")
        for p in (DB, DB + "-journal", DB + "-wal", DB + "-shm"):
            if os.path.exists(p):
                os.remove(p)
        t0 = time.monotonic()
        cmd = [BIN, "init-db", DB] + fixtures
        subprocess.run(cmd, check=True)
        log(f"  init-db took {time.monotonic() - t0:.1f} s")
    return fixtures


def count_items(body, fmt):
    if fmt == "json":
        return len(json.loads(body))
    return body.count(b"<BatchTaskInfo>")


def curl(port, path, headers):
    """The body and Content-Type somock returns, fetched with curl."""
    hdr = os.path.join(WORK, "curl.headers")
    cmd = ["curl", "-sS", "--fail", "-D", hdr, "-o", "-"]
    for k, v in headers.items():
        cmd += ["-H", f"{k}: {v}"]
    cmd.append(f"http://{HOST}:{port}{path}")
    body = subprocess.run(cmd, check=True, capture_output=True).stdout
    ctype = None
    with open(hdr, errors="replace") as f:
        for line in f:
            k, _, v = line.partition(":")
            if k.strip().lower() == "content-type":
                ctype = v.strip()
    return ctype, body


def mix_requests():
    """The rotating mix: every answer N=100, several tenants and schemes."""
    creds = [
        (PREFIX, {"Authorization": BASIC}),
        (PREFIX, {"Authorization": "Bearer 8A:Cust10001."
                                   "benchTokenForBench2xxxxxxxxxxxxxxxx"}),
        (PREFIX, {"Authorization": "SOTicket 7T:"
                                   "benchTicketForBench3000000000000000000000"}),
        (PREFIX, {"Cookie": "ASP.NET_SessionId=benchsession4aaaaaaaaaaa",
                  "X-XSRF-TOKEN": "benchxsrf4bbbbbbbbbbbbbbbbbbbbbb"}),
        ("/api/v1/BatchTask/", {"Authorization": "Basic " + base64.b64encode(
            b"bench0:Bench-0").decode()}),
        ("/SuperOffice/api/v1/BatchTask/", {
            "Authorization": "Basic " + base64.b64encode(
                b"bench0:Bench-0").decode()}),
    ]
    states = ["New", "Aquired", "Started", "Unknown", "SucceededManualCleanup"]
    formats = [{}, {"Accept": "application/json"},
               {"Accept": "application/xml"},
               {"Accept": "text/xml, application/xml;q=0.9"}]
    langs = [{}, {"SO-Language": "sv"}, {"SO-Language": "de"},
             {"Accept-Language": "nb-NO,nb;q=0.9,en;q=0.8"},
             {"SO-Language": "fr"}, {"SO-Language": "x"}]
    zones = [{}, {"SO-TimeZone": "NO"},
             {"SO-TimeZone": "US-NY,includeTZOffset"},
             {"SO-TimeZone": "Europe/Oslo"}, {"SO-TimeZone": "261"}]
    rng = random.Random(5)
    out = []
    for si, state in enumerate(states):
        for ci, (prefix, auth) in enumerate(creds):
            for fi, fmt in enumerate(formats):
                for li, lang in enumerate(langs):
                    for zi, zone in enumerate(zones):
                        h = dict(auth)
                        h.update(fmt)
                        h.update(lang)
                        h.update(zone)
                        out.append((prefix + state, h,
                                    "xml" if "xml" in fmt.get("Accept", "")
                                    else "json"))
    rng.shuffle(out)
    return out


def mix_keys(reqs):
    """Distinct answers in the mix: tenant x state x media type x language
    header x zone (what the response cache keys on; credentials of one
    tenant share answers)."""
    keys = set()
    for path, headers, _ in reqs:
        tenant = "Cust10001" if path.startswith("/Cust") else ""
        accept = headers.get("Accept", "")
        media = ("text/xml" if accept.startswith("text/xml") else
                 "application/xml" if "xml" in accept else "json")
        lang = (headers.get("SO-Language"), headers.get("Accept-Language"))
        keys.add((tenant, path.rsplit("/", 1)[1], media, lang,
                  headers.get("SO-TimeZone")))
    return len(keys)


def write_mix(port):
    reqs = mix_requests()
    bad = []
    for path, headers, fmt in reqs:
        status, _, body = http_get(port, path, headers)
        if status != 200 or count_items(body, fmt) != 100:
            bad.append((path, headers, status, body[:200]))
    if bad:
        raise RuntimeError(f"{len(bad)} mix requests fail, e.g. {bad[:3]}")
    path = os.path.join(WORK, "mix.txt")
    with open(path, "w") as f:
        for p, headers, _ in reqs:
            f.write("\t".join([p] + [f"{k}: {v}" for k, v in headers.items()])
                    + "\n")
    combos = mix_keys(reqs)
    return path, len(reqs), combos


# --------------------------------------------------------------------------
# start-up


def spawn_version():
    """spawn -> exit of `somock --version`, in ms: the exec, the dynamic
    loader and the libraries' constructors, nothing of somock's own."""
    t0 = time.perf_counter()
    subprocess.run([BIN, "--version"], stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, check=True)
    return (time.perf_counter() - t0) * 1000


def startup_somock(args, path, headers, runs=10):
    """spawn -> listening line and spawn -> first 200, in ms, each run
    preceded by a `somock --version` (so background load hits both alike:
    their difference is what somock's start-up adds to exec + loader)."""
    lines, firsts, idles, versions = [], [], [], []
    # the reader thread must get the GIL as soon as the line comes, not
    # after the polling loop's 5 ms switch interval: that put a bimodal
    # 0-4 ms of the harness's own into both figures
    switch = sys.getswitchinterval()
    sys.setswitchinterval(0.0001)
    request = (f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\n" + "".join(
        f"{k}: {v}\r\n" for k, v in headers.items()) +
        "Connection: close\r\n\r\n").encode()
    for _ in range(runs):
        versions.append(spawn_version())
        port = free_port()
        cmd = [BIN, "serve", "--port", str(port), "--listen", HOST] + args
        got_line = []
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, text=True)
        CHILDREN.append(proc)

        def reader():
            line = proc.stdout.readline()
            got_line.append((time.perf_counter(), line))

        th = threading.Thread(target=reader, daemon=True)
        th.start()
        first = poll_200(port, request, t0)
        th.join(10)
        if not got_line or "listening" not in got_line[0][1]:
            stop(proc)
            raise RuntimeError(f"no listening line from {shlex.join(cmd)}")
        lines.append((got_line[0][0] - t0) * 1000)
        firsts.append((first - t0) * 1000)
        time.sleep(0.1)
        idles.append(memory(proc.pid)[0])
        stop(proc)
    sys.setswitchinterval(switch)
    return {"line": lines, "first": firsts, "idle": idles,
            "version": versions, "cmd": shlex.join(cmd)}


def poll_200(port, request, t0, deadline=30.0):
    """Tight loop of HTTP requests until one answers 200; its time."""
    while time.perf_counter() - t0 < deadline:
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            s.connect((HOST, port))
            s.sendall(request)
            data = b""
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
                if b"\r\n\r\n" in data:
                    head = data.split(b"\r\n\r\n", 1)[0]
                    m = re.search(rb"content-length:\s*(\d+)", head, re.I)
                    if m and len(data) >= len(head) + 4 + int(m.group(1)):
                        break
            if data.startswith(b"HTTP/1.1 200"):
                return time.perf_counter()
        except OSError:
            # not listening yet: leave the cores to the starting server
            # (a spin of refused connects took one of the two)
            time.sleep(0.0002)
        finally:
            s.close()
    raise RuntimeError(f"no 200 on port {port} within {deadline}s")


def startup_nginx(nginx, runs=10):
    firsts, idles = [], []
    request = (f"GET /json-1 HTTP/1.1\r\nHost: {HOST}\r\n"
               "Connection: close\r\n\r\n").encode()
    for _ in range(runs):
        port = free_port()
        nginx.configure(port)
        t0 = time.perf_counter()
        proc = subprocess.Popen(nginx.cmd, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        CHILDREN.append(proc)
        first = poll_200(port, request, t0)
        firsts.append((first - t0) * 1000)
        time.sleep(0.1)
        idles.append(memory(proc.pid)[0])
        stop(proc, signal.SIGQUIT)
    return {"first": firsts, "idle": idles, "cmd": shlex.join(nginx.cmd)}


# --------------------------------------------------------------------------
# sandboxes


def sandboxes(n_idle, n_written):
    """VmRSS of a demo-data somock before and after `n_idle` sandboxes each
    answered one authenticated GET, and, in another fresh process, before
    and after `n_written` sandboxes each made one start-job write."""
    out = {}
    for kind, n in (("idle", n_idle), ("written", n_written)):
        s = Somock(["--sandbox-max", str(n)], "somock-sandboxes",
                   DEMO_PROBE).start()
        conn = http.client.HTTPConnection(HOST, s.port, timeout=30)
        try:
            before = memory(s.pid)
            t0 = time.perf_counter()
            for i in range(n):
                h = dict(DEMO_AUTH, **{"X-Somock-Sandbox": f"{kind}-{i}"})
                if kind == "idle":
                    conn.request("GET", DEMO_PROBE[0], headers=h)
                else:
                    h["Content-Type"] = "application/json"
                    conn.request("POST", WRITE_PATH, body=b'{"Name":"bench"}',
                                 headers=h)
                r = conn.getresponse()
                body = r.read()
                if r.status != 200:
                    raise RuntimeError(f"sandbox {kind}-{i}: {r.status} "
                                       f"{body[:200]!r}")
            took = time.perf_counter() - t0
            time.sleep(0.2)
            after = memory(s.pid)
            conn.request("GET", "/__somock/sandboxes")
            listed = json.loads(conn.getresponse().read())
            if len(listed) != n:
                raise RuntimeError(f"{len(listed)} sandboxes alive, not {n}")
            out[kind] = {"n": n, "before_mb": before[0], "after_mb": after[0],
                         "peak_mb": after[1], "seconds": took,
                         "bytes": sum(x.get("bytes", 0) for x in listed),
                         "cmd": shlex.join(s.cmd)}
            log(f"  {n} {kind} sandboxes: RSS {before[0]:.1f} -> "
                f"{after[0]:.1f} MB ({took * 1000 / n:.2f} ms each)")
        finally:
            conn.close()
            s.stop()
    return out


# --------------------------------------------------------------------------
# the CI cycle (bench/cicycle.py): somock and WireMock


class WireMock(Server):
    def __init__(self, jar):
        self.jar = jar

    def start(self):
        d = os.path.join(WORK, "wiremock")
        os.makedirs(d, exist_ok=True)
        self.port = free_port()
        # defaults but the request journal, which is unbounded otherwise:
        # kept to somock's default of 1 000 entries
        self.cmd = ["java", "-jar", self.jar, "--port", str(self.port),
                    "--bind-address", HOST, "--disable-banner",
                    "--max-request-journal-entries", "1000",
                    "--root-dir", d]
        t0 = time.perf_counter()
        self.proc = subprocess.Popen(
            self.cmd, cwd=d, stdout=open(os.path.join(d, "stdout"), "w"),
            stderr=subprocess.STDOUT)
        CHILDREN.append(self.proc)
        wait_200(self.port, "/__admin/health", {}, deadline=180)
        self.startup_ms = (time.perf_counter() - t0) * 1000
        _, _, body = http_get(self.port, "/__admin/health")
        self.version = json.loads(body).get("version", "?")
        time.sleep(0.2)
        self.idle = memory(self.proc.pid)[0]
        return self


def ci_round(kind, server, plan, rnd):
    """A warm-up, then `ci_clients` clients for `ci` seconds."""
    load1 = loadavg()
    cicycle.run(kind, server.port, f"w{rnd}", plan["ci_clients"],
                plan["ci_warm"])
    cpu0 = cpu_ticks(server.pid)
    r = cicycle.run(kind, server.port, f"r{rnd}", plan["ci_clients"],
                    plan["ci"])
    cpu = (cpu_ticks(server.pid) - cpu0) / os.sysconf("SC_CLK_TCK")
    r["load"] = load1
    r["server_cpu_ms_per_test"] = cpu * 1000 / r["tests_all"]
    r["client_cpu_ms_per_test"] = r["client_cpu_s"] * 1000 / r["tests_all"]
    r["server_cores"] = cpu / plan["ci"]
    r["client_cores"] = r["client_cpu_s"] / plan["ci"]
    log(f"  r{rnd} {kind}: {r['tests_per_s']:.1f} tests/s, p50 "
        f"{fms(r['p50'])} ms, p99 {fms(r['p99'])} ms, server "
        f"{r['server_cpu_ms_per_test']:.2f} ms CPU/test, clients "
        f"{r['client_cpu_ms_per_test']:.2f} ms CPU/test, load {load1:.2f}")
    return r


def ci_cycle(plan, jar):
    """Both servers up side by side; a priming somock test whose answers
    become WireMock's stubs; a first warm-up long enough for WireMock's JIT
    compiler; then alternating rounds. Peak RSS at the end."""
    res = {"clients": plan["ci_clients"]}
    s = Somock([], "somock-ci", DEMO_PROBE).start()
    wm = None
    try:
        res["stubs"], res["bytes"] = cicycle.prime(s.port)
        log(f"  primed: {res['stubs']} stubs, {res['bytes']} B of answers")
        wm = WireMock(jar).start()
        log(f"  WireMock {wm.version} up in {wm.startup_ms:.0f} ms")
        res["wiremock_version"] = wm.version
        res["wiremock_startup_ms"] = wm.startup_ms
        res["wiremock_cmd"] = shlex.join(wm.cmd)
        res["somock_cmd"] = shlex.join(s.cmd)
        servers = {"somock": s, "wiremock": wm}
        for kind, srv in servers.items():
            res.setdefault(kind, {})["idle_mb"] = srv.idle
            cicycle.run(kind, srv.port, "w0", plan["ci_clients"],
                        plan["ci_first_warm"])
        rounds = {k: [] for k in servers}
        for rnd in range(1, plan["rounds"] + 1):
            for kind, srv in servers.items():
                rounds[kind].append(ci_round(kind, srv, plan, rnd))
        for kind, srv in servers.items():
            rs = rounds[kind]
            tps = [r["tests_per_s"] for r in rs]
            agg = res[kind]
            agg.update({
                "rounds": rs, "loads": [r["load"] for r in rs],
                "tests_per_s": statistics.median(tps),
                "tests_per_s_min": min(tps), "tests_per_s_max": max(tps),
                "tests": sum(r["tests"] for r in rs),
                "peak_mb": memory(srv.pid)[1],
                "rss_mb": memory(srv.pid)[0],
            })
            for k in ("p50", "p99", "server_cpu_ms_per_test",
                      "client_cpu_ms_per_test", "server_cores",
                      "client_cores"):
                agg[k] = statistics.median(r[k] for r in rs)
    finally:
        s.stop()
        if wm:
            wm.stop()
    return res


# --------------------------------------------------------------------------
# the run


def machine():
    def cmd(*c):
        try:
            return subprocess.run(c, capture_output=True, text=True,
                                  timeout=10).stdout.strip() or \
                subprocess.run(c, capture_output=True, text=True,
                               timeout=10).stderr.strip()
        except OSError:
            return "?"

    cpu = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem = int(f.readline().split()[1]) // 1024
    with open("/proc/loadavg") as f:
        loadavg = " ".join(f.read().split()[:3])
    pc = {lib: cmd("pkg-config", "--modversion", lib)
          for lib in ("libmicrohttpd", "jansson", "sqlite3", "zlib")}
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime(
            "%Y-%m-%d %H:%M UTC"),
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "mem_mb": mem,
        "kernel": platform.release(),
        "loadavg": loadavg,
        "somock": cmd(BIN, "--version"),
        "git": cmd("git", "-C", ROOT, "describe", "--always", "--dirty"),
        "wrk": cmd("wrk", "-v").splitlines()[0] if cmd("wrk", "-v") else "?",
        "nginx": cmd("/usr/sbin/nginx", "-v"),
        "cc": cmd("cc", "--version").splitlines()[0],
        "python": platform.python_version(),
        "java": (cmd("java", "-version").splitlines() or ["?"])[0]
        if shutil.which("java") else "?",
        "libs": pc,
    }


def start_nginx(name, ctype, body, headers, res):
    """A fresh nginx serving `body` as /name; checks it serves it
    byte for byte."""
    nginx = Nginx({name: (ctype, body)})
    ng = nginx.start_case(name)
    got = curl(ng.port, "/" + name, headers)
    if got != (ctype, body):
        ng.stop()
        raise RuntimeError(f"nginx's {name} differs from somock's ({got[0]})")
    res["nginx_cmd"] = shlex.join(nginx.cmd)
    res["nginx_conf"] = open(nginx.conf).read()
    return ng


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true",
                    default=os.environ.get("BENCH_QUICK", "") not in ("", "0"),
                    help="short durations for a smoke run (BENCH_QUICK=1)")
    ap.add_argument("--out", help="report file (default "
                    "bench/results/latest.md; --quick: "
                    "bench/work/latest-quick.md)")
    ap.add_argument("--only", help="comma-separated subset of: startup,"
                    "somock,nginx,nocache,mix,writes,ci,sandboxes (for "
                    "debugging the script)")
    ap.add_argument("--wiremock-jar",
                    default=os.environ.get("SOMOCK_WIREMOCK_JAR"),
                    help="WireMock's standalone jar (bench/run installs it "
                    "and sets SOMOCK_WIREMOCK_JAR); without it the CI cycle "
                    "is skipped")
    ap.add_argument("--report-only", action="store_true",
                    help="rewrite the report from bench/work/results.json")
    opts = ap.parse_args()
    if opts.report_only:
        with open(os.path.join(WORK, "results.json")) as f:
            res = json.load(f)
        out = opts.out or (os.path.join(WORK, "latest-quick.md")
                           if res["quick"] else
                           os.path.join(BENCH, "results", "latest.md"))
        report(res, out)
        log(f"rewrote {os.path.relpath(out, ROOT)}")
        return
    plan = PLANS["quick" if opts.quick else "full"]
    out = opts.out or (os.path.join(WORK, "latest-quick.md") if opts.quick
                       else os.path.join(BENCH, "results", "latest.md"))
    only = set(opts.only.split(",")) if opts.only else {
        "startup", "somock", "nginx", "nocache", "mix", "writes", "ci",
        "sandboxes"}
    os.makedirs(RAW, exist_ok=True)
    t_start = time.monotonic()
    info = machine()
    log(f"{'quick' if opts.quick else 'full'} run: {plan['rounds']} rounds, "
        f"warm-up {plan['warm']} s, -c64 {plan['c64']} s, -c1 {plan['c1']} s;"
        f" load average {info['loadavg']}")
    fixtures = prepare_data()
    res = {"info": info, "quick": opts.quick, "plan": plan,
           "fixtures": [os.path.relpath(f, ROOT) for f in fixtures],
           "cases": {}, "startup": {}}

    # start-up first, while nothing else of ours runs
    if "startup" in only:
        n = plan["startup_runs"]
        log("start-up: demo data (and somock --version)")
        res["startup"]["demo"] = startup_somock([], *DEMO_PROBE, runs=n)
        log("start-up: 100 000-task --db (and somock --version)")
        res["startup"]["db"] = startup_somock(["--db", DB], CASES[0][2], AUTH,
                                              runs=plan["startup_runs_db"])

    # the bodies nginx will serve, and the mix's request list, from somock
    db_args = ["--db", DB]
    bodies = {}
    mix_path = None
    s = Somock(db_args).start()
    try:
        for name, label, path, extra, n, fmt in CASES:
            ctype, body = curl(s.port, path, dict(AUTH, **extra))
            got = count_items(body, fmt)
            if got != n:
                raise RuntimeError(f"{name}: {got} tasks, expected {n}")
            bodies[name] = (ctype, body)
            res["cases"][name] = {"body_bytes": len(body), "ctype": ctype}
        if "mix" in only:
            mix_path, n_mix, n_keys = write_mix(s.port)
            res["mix"] = {"requests": n_mix, "keys": n_keys}
            log(f"rotating mix: {n_mix} requests, {n_keys} distinct answers")
    finally:
        s.stop()

    # Case by case, rounds that alternate the servers: somock (cache on),
    # nginx, somock --no-cache, and the case's extras; each round a fresh
    # process with its own warm-up.
    mix_lua = os.path.join(BENCH, "mix.lua")
    write_lua = os.path.join(BENCH, "write.lua")
    for name, label, path, extra, n, fmt in CASES:
        headers = dict(AUTH, **extra)
        ctype, body = bodies[name]
        # (key, start, path, headers, script, script args, connections)
        variants = []
        if "somock" in only:
            variants.append(("somock", lambda: Somock(db_args).start(),
                             path, headers, None, (), (64, 1)))
        if "nginx" in only:
            variants.append(("nginx", lambda: start_nginx(
                name, ctype, body, headers, res), "/" + name, headers,
                None, (), (64, 1)))
        if "nocache" in only and \
                (name, "nocache") not in map(tuple, plan["skip"]):
            variants.append(("nocache", lambda: Somock(
                db_args + ["--no-cache"], "somock-nocache").start(),
                path, headers, None, (), (64, 1)))
        if name == "json-1" and "writes" in only:
            variants.append(("writes", lambda: Somock(
                [], "somock-writes", DEMO_PROBE).start(), WRITE_PATH, {},
                write_lua, (), (64,)))
        if name == "json-100" and mix_path:
            variants.append(("mix", lambda: Somock(db_args).start(), "/", {},
                             mix_lua, [mix_path], (64, 1)))
            variants.append(("mix-nocache", lambda: Somock(
                db_args + ["--no-cache"], "somock-nocache").start(), "/", {},
                mix_lua, [mix_path], (64, 1)))
        if not variants:
            continue
        log(f"{name} ({len(body)} B): {plan['rounds']} rounds of "
            + ", ".join(v[0] for v in variants))
        rounds = {v[0]: [] for v in variants}
        for rnd in range(1, plan["rounds"] + 1):
            for key, start, p, h, script, sargs, conns in variants:
                rounds[key].append(one_round(start, key, name, p, h, plan,
                                             rnd, script, sargs, conns))
        for key, rs in rounds.items():
            agg = aggregate(rs)
            if key == "writes":
                res["writes"] = {"somock": agg}
            elif key == "mix":
                res["mix"]["somock"] = agg
            elif key == "mix-nocache":
                res["mix"]["nocache"] = agg
            else:
                res["cases"][name][key] = agg

    if "ci" in only:
        if opts.wiremock_jar and os.path.exists(opts.wiremock_jar):
            log(f"CI cycle: {plan['ci_clients']} clients, {plan['rounds']} "
                f"rounds of {plan['ci']} s each, somock and WireMock")
            res["ci"] = ci_cycle(plan, opts.wiremock_jar)
        else:
            log("CI cycle skipped: no WireMock jar (run through bench/run, "
                "or pass --wiremock-jar)")

    if "sandboxes" in only:
        log("sandboxes: memory")
        res["sandboxes"] = sandboxes(plan["idle_sandboxes"],
                                     plan["written_sandboxes"])

    if "nginx" in only and "startup" in only:
        log("start-up: nginx")
        res["startup"]["nginx"] = startup_nginx(Nginx(bodies),
                                                runs=plan["startup_runs"])

    res["elapsed_s"] = time.monotonic() - t_start
    with open("/proc/loadavg") as f:
        info["loadavg_end"] = " ".join(f.read().split()[:3])
    with open(os.path.join(WORK, "results.json"), "w") as f:
        json.dump(res, f, indent=1)
    report(res, out)
    log(f"done in {res['elapsed_s']:.0f} s: {os.path.relpath(out, ROOT)}")


# --------------------------------------------------------------------------
# report


def fnum(v, digits=0):
    if v is None:
        return "—"
    if digits == 0:
        return f"{v:,.0f}".replace(",", " ")
    return f"{v:.{digits}f}"


def fms(v):
    if v is None:
        return "—"
    return f"{v:.2f}" if v < 10 else f"{v:.1f}" if v < 100 else f"{v:.0f}"


def ratio(a, b):
    return a / b if a is not None and b else None


def fratio(r, target=None):
    """Two decimals, three where two would hide which side of the target
    the ratio is on."""
    if r is None:
        return "—"
    if target is not None and round(r, 2) == target and r != target:
        return f"{r:.3f}"
    return f"{r:.2f}"


def mark(ok):
    return "—" if ok is None else ("✅ met" if ok else "❌ not met")


def get(d, *keys):
    for k in keys:
        if not isinstance(d, dict) or k not in d:
            return None
        d = d[k]
    return d


def fspread(agg, key="rps"):
    """median (min–max) over the rounds."""
    if not agg or agg.get(key) is None:
        return "—"
    lo, hi = agg.get(key + "_min"), agg.get(key + "_max")
    if lo is None or hi is None or len(agg.get("rounds", [])) < 2:
        return fnum(agg[key])
    return f"{fnum(agg[key])} ({fnum(lo)}–{fnum(hi)})"


def fload(*aggs):
    """The highest 1-minute load average read before the rounds."""
    loads = [x for a in aggs if a for x in a.get("loads", [])]
    return f"{max(loads):.1f}" if loads else "—"


def report(res, out):
    info = res["info"]
    plan = res["plan"]
    cases = res["cases"]
    ci = res.get("ci")
    sb = res.get("sandboxes", {})
    su = res.get("startup", {})
    L = []
    w = L.append
    kind = "a QUICK smoke run: short durations, not for comparison" \
        if res["quick"] else "a full run"
    w("# somock benchmark: latest results\n")
    w(f"Written by `bench/run{' --quick' if res['quick'] else ''}` "
      f"({kind}) on {info['date']}, in {res['elapsed_s'] / 60:.1f} min, "
      f"git {info['git']}.\n")
    w("**How it was measured.** The machine is shared, so no single run is "
      f"trusted. Every throughput figure is the **median of {plan['rounds']} "
      "rounds**, with the lowest and highest round in brackets. The rounds "
      "of a case alternate the servers (somock with its cache, nginx, "
      "somock `--no-cache`, then the case's extras, and again), so a burst "
      "of background load hits both sides of a ratio alike. Each round "
      "starts a fresh server process and warms it up "
      f"({plan['warm']} s of `wrk -c64`) before its measured runs "
      f"(`wrk -t2 -c64 -d{plan['c64']}s`, then `wrk -t1 -c1 "
      f"-d{plan['c1']}s`). Before each round the machine's 1-minute load "
      "average is read from `/proc/loadavg`; the *load* column shows the "
      "highest of them (0 is an idle machine; on these 2 cores, wrk and "
      "the server alone bring it to about 2). Ratios are median ÷ median, "
      "both measured in this run on the same machine, wrk sharing the "
      "cores with the server. nginx runs 2 workers (one a core), no access "
      "log, keep-alive, and serves byte for byte the body somock returned, "
      "with the same Content-Type. The CI cycle alternates somock and "
      "WireMock rounds the same way. Raw wrk output: `bench/work/raw/` "
      "(not committed). What each figure costs, and the profiles behind "
      "the misses: [docs/performance.md](../../docs/performance.md)." +
      "".join(f" This run skips {k == 'nocache' and 'uncached' or k} "
              f"{dict((c[0], c[1]) for c in CASES)[n]} (no target; its "
              "queue takes longer to drain than to measure)."
              for n, k in plan.get("skip", [])) + "\n")
    errors = []

    def errs(tag, r):
        for c in ("c64", "c1"):
            x = get(r, c)
            if x and (x["non2xx"] or x["socket_errors"]):
                errors.append(f"{tag} -{c}: {x['non2xx']} non-2xx, "
                              f"{x['socket_errors']} socket errors")

    for name, c in cases.items():
        for k in ("somock", "nginx", "nocache"):
            errs(f"{k} {name}", c.get(k))
    for k in ("somock", "nocache"):
        errs(f"{k} mix", get(res, "mix", k))
    errs("start-job writes", get(res, "writes", "somock"))

    # --- targets
    w("## Targets\n")
    w("| figure | somock | reference | ratio | target | | load |")
    w("|---|---|---|---|---|---|---|")
    if ci:
        s, g = ci["somock"], ci["wiremock"]
        r = ratio(s["tests_per_s"], g["tests_per_s"])
        w(f"| CI cycle, {ci['clients']} parallel clients: tests/s (a test: "
          "fresh sandbox, 20-task fixture, 10 reads, a start-job write and "
          "its poll, drop; reference: WireMock doing the same through its "
          f"admin API) | {fspread(s, 'tests_per_s')} | "
          f"{fspread(g, 'tests_per_s')} | {fratio(r, CI_TARGET)} | "
          f"≥ {CI_TARGET} × WireMock | "
          f"{mark(None if r is None else r >= CI_TARGET)} | "
          f"{fload(s, g)} |")
    labels = {n: lab for n, lab, *_ in CASES}
    for name, key, t in TARGETS:
        s = get(cases, name, key, "c64")
        g = get(cases, name, "nginx", "c64")
        r = ratio(get(s, "rps"), get(g, "rps"))
        what = "cached" if key == "somock" else "uncached (`--no-cache`)"
        extra = ""
        if name == "json-10000" and s and g and s.get("bytes_per_s") and \
                g.get("bytes_per_s"):
            extra = (f" (wrk received {s['bytes_per_s'] / 2**30:.2f} GiB/s "
                     f"from somock, {g['bytes_per_s'] / 2**30:.2f} from "
                     "nginx: both bound by wrk reading 8 MB bodies)")
        w(f"| {what} {labels[name]}, -c64: req/s{extra} | {fspread(s)} | "
          f"{fspread(g)} | {fratio(r, t)} | ≥ {t} × nginx | "
          f"{mark(None if r is None else r >= t)} | "
          f"{fload(get(cases, name, key), get(cases, name, 'nginx'))} |")
    g100 = get(cases, "json-100", "nginx")
    for k, what in (("nocache", "cache off"), ("somock", "cache on")):
        s = get(res, "mix", k)
        if not s:
            continue
        r = ratio(get(s, "c64", "rps"), get(g100, "c64", "rps"))
        target = (f"≥ {MIX_TARGET} × nginx N=100" if k == "nocache" else
                  "(none; for reference)")
        ok = (None if r is None else r >= MIX_TARGET) if k == "nocache" \
            else None
        w(f"| {MIX_LABEL}, -c64, {what}: req/s (reference: nginx JSON "
          f"N=100) | {fspread(s.get('c64'))} | "
          f"{fspread(get(g100, 'c64'))} | {fratio(r, MIX_TARGET)} | "
          f"{target} | {mark(ok)} | {fload(s, g100)} |")
    wr = get(res, "writes", "somock")
    g1 = get(cases, "json-1", "nginx")
    if wr:
        r = ratio(get(wr, "c64", "rps"), get(g1, "c64", "rps"))
        w(f"| start-job writes (`POST /api/v1/BatchTask`), -c64: writes/s "
          f"(reference: nginx JSON N=1 reads) | {fspread(wr.get('c64'))} | "
          f"{fspread(get(g1, 'c64'))} | {fratio(r, WRITE_TARGET)} | "
          f"≥ {WRITE_TARGET} × nginx N=1 | "
          f"{mark(None if r is None else r >= WRITE_TARGET)} | "
          f"{fload(wr, g1)} |")
    s = get(cases, "json-1", "somock", "c64", "p99")
    g = get(cases, "json-1", "nginx", "c64", "p99")
    r = ratio(s, g)
    if s is not None:
        w(f"| p99 latency, cached JSON N=1, -c64 (ms, median of the rounds) "
          f"| {fms(s)} | {fms(g)} | {fratio(r, 2)} | ≤ 2 × nginx | "
          f"{mark(None if r is None else r <= 2)} | "
          f"{fload(get(cases, 'json-1', 'somock'), g1)} |")
    if "idle" in sb:
        x = sb["idle"]
        w(f"| RSS with {fnum(x['n'])} idle sandboxes over the demo data, "
          f"whole process (MB; reference: before them) | "
          f"{fnum(x['after_mb'], 1)} | {fnum(x['before_mb'], 1)} | — | "
          f"≤ {SANDBOX_TARGET_MB} MB | "
          f"{mark(x['after_mb'] <= SANDBOX_TARGET_MB)} | |")
    if "written" in sb:
        x = sb["written"]
        w(f"| RSS with {x['n']} sandboxes that each made one write (MB; "
          f"reference: before them) | {fnum(x['after_mb'], 1)} | "
          f"{fnum(x['before_mb'], 1)} | — | (none; for reference) | — | |")
    if "demo" in su and su["demo"].get("version"):
        d = su["demo"]
        first = statistics.median(d["first"])
        ver = statistics.median(d["version"])
        split = first - ver
        w(f"| start-up: spawn → first 200 (demo data) minus `somock "
          f"--version` (spawn → exit), medians of {len(d['first'])} "
          f"interleaved (ms; reference: `--version`) | {fms(split)} | "
          f"{fms(ver)} | — | ≤ {STARTUP_SPLIT_MS} ms | "
          f"{mark(split <= STARTUP_SPLIT_MS)} | |")
    ng_first = statistics.median(su["nginx"]["first"]) if "nginx" in su \
        else None
    for k, what in (("demo", "demo data"), ("db", "100 000-task `--db`")):
        if k in su:
            v = statistics.median(su[k]["first"])
            w(f"| start-up: spawn → first 200, {what}, median of "
              f"{len(su[k]['first'])} (ms; reference: nginx) | {fms(v)} | "
              f"{fms(ng_first)} | {fnum(ratio(v, ng_first), 2)} | ≤ 10 ms | "
              f"{mark(v <= 10)} | |")
    if "demo" in su:
        v = statistics.median(su["demo"]["idle"])
        ng = statistics.median(su["nginx"]["idle"]) if "nginx" in su else None
        w(f"| RSS idle, demo data (MB; reference: nginx) | {fnum(v, 1)} | "
          f"{fnum(ng, 1)} | {fnum(ratio(v, ng), 2)} | ≤ 8 MB | "
          f"{mark(v <= 8)} | |")
    ng = get(cases, "json-100", "nginx", "c1", "peak_mb")
    for k, what in (("somock", "cache on"), ("nocache", "cache off")):
        v = get(cases, "json-100", k, "c1", "peak_mb")
        if v is not None:
            w(f"| RSS peak (VmHWM) under the JSON N=100 runs, 100 000-task "
              f"db, {what} (MB, highest round; reference: nginx) | "
              f"{fnum(v, 1)} | {fnum(ng, 1)} | {fnum(ratio(v, ng), 2)} | "
              f"≤ 32 MB | {mark(v <= 32)} | |")
    if ci:
        s, g = ci["somock"]["peak_mb"], ci["wiremock"]["peak_mb"]
        w(f"| RSS peak (VmHWM) through the CI cycle (MB; reference: "
          f"WireMock's java process) | {fnum(s, 1)} | {fnum(g, 1)} | "
          f"{fnum(ratio(s, g), 3)} | (none; for reference) | — | |")
    w("")
    if errors:
        w("**Errors during the run** (figures with errors are suspect):\n")
        for e in errors:
            w(f"- {e}")
        w("")

    # --- the CI cycle
    if ci:
        w("## The CI cycle\n")
        w(f"{ci['clients']} client processes (Python, `http.client`, one "
          "keep-alive connection each) run whole tests back to back for "
          f"{plan['ci']} s a round, after a {plan['ci_warm']} s warm-up "
          f"({plan['ci_first_warm']} s before the first round, for "
          "WireMock's JIT compiler); both servers stay up for all the "
          "rounds, and the rounds alternate. One test, with every answer "
          "checked (status 200 and the expected Id and Name, the write's "
          "new Id, which is the same in every fresh sandbox), so an error "
          "stops the run instead of being counted:\n")
        w("| step | somock | WireMock |")
        w("|---|---|---|")
        w("| isolate | a fresh sandbox per test (`X-Somock-Sandbox: "
          "ci-R-C-N`) | its stubs match only that header value and carry "
          "it as metadata (WireMock has no sandboxes and its resets are "
          "global, which parallel tests cannot use) |")
        w("| load | `POST /__somock/fixtures`: 20 tasks of tje0 in every "
          f"state | `POST /__admin/mappings` × {ci['stubs']}: the 10 "
          "stubs the reads need and 2 for the write and its poll |")
        w("| read | 10 × `GET /api/v1/BatchTask/{State}` or `/{Id}`: JSON "
          "and XML, `SO-Language`, `Accept-Language` and `SO-TimeZone` "
          "variants, Basic tje0 | the same requests |")
        w("| write | `POST /api/v1/BatchTask` `{\"Name\":\"CI start-job\"}`"
          ", then `GET /api/v1/BatchTask/{new Id}` | the same requests |")
        w("| drop | `DELETE /__somock/sandboxes/NAME` | `POST "
          "/__admin/mappings/remove-by-metadata` (this test's stubs only: "
          "one call, the cheapest equivalent) |")
        w("")
        w(f"WireMock's stubs answer the bytes and Content-Type somock "
          f"answered in a priming test ({fnum(ci['bytes'])} B over the 12 "
          "answers), and match on the method, the path, the headers that "
          "chose the answer, the credentials and the sandbox header (the "
          "write also on its JSON body). WireMock runs with its defaults "
          "but one: its request journal is capped at 1 000 entries, "
          "somock's default, instead of growing without bound.\n")
        w("| | tests/s, median (min–max) | per test p50 / p99 (ms) | "
          "server CPU per test (ms) | client CPU per test (ms) | cores "
          "used: server / clients | RSS idle → peak (MB) | load before "
          "each round |")
        w("|---|---|---|---|---|---|---|---|")
        for k, what in (("somock", "somock"), ("wiremock", "WireMock "
                                               + ci["wiremock_version"])):
            x = ci[k]
            w(f"| {what} | {fspread(x, 'tests_per_s')} | {fms(x['p50'])} / "
              f"{fms(x['p99'])} | {x['server_cpu_ms_per_test']:.2f} | "
              f"{x['client_cpu_ms_per_test']:.2f} | "
              f"{x['server_cores']:.2f} / {x['client_cores']:.2f} | "
              f"{fnum(x['idle_mb'], 1)} → {fnum(x['peak_mb'], 1)} | "
              + ", ".join(f"{v:.1f}" for v in x["loads"]) + " |")
        w("")
        w(f"WireMock took {ci['wiremock_startup_ms'] / 1000:.1f} s from "
          "spawn to its first `GET /__admin/health` 200. *Server CPU per "
          "test* (user + system time of the server process over the "
          "round, divided by the tests run) barely moves with background "
          "load; *client CPU* shows what the Python clients cost: when the "
          "server and clients together use both cores, the clients are "
          "part of the limit, for both servers alike.\n")

    # --- every figure
    w("## Every figure\n")
    w("Requests/s, median of the rounds (lowest–highest round), and "
      "latency percentiles from `wrk --latency` (p50/p99 in ms, medians "
      "of the rounds). *cache on* is plain `somock serve --db`, *cache "
      "off* adds `--no-cache`. Ratios are against nginx serving the same "
      "bytes. *Server CPU* is the user + system time the server process "
      "(nginx: master and workers) used during the run divided by the "
      "requests wrk completed: unlike req/s it hardly moves when other "
      "work shares the cores. *Load* is the highest 1-minute load "
      "average read before the case's rounds.\n")
    w("| case | conns | somock cache on req/s | cache off req/s | nginx "
      "req/s | on ÷ nginx | off ÷ nginx | p50 on / off / nginx | "
      "p99 on / off / nginx | server CPU µs/req on / off / nginx | load "
      "| target |")
    w("|---|---|---|---|---|---|---|---|---|---|---|---|")
    rows = [(name, label, cases.get(name, {})) for name, label, *_ in CASES]
    rows.append(("mix", MIX_LABEL + " (nginx column: JSON N=100)", {
        "somock": get(res, "mix", "somock"),
        "nocache": get(res, "mix", "nocache"),
        "nginx": get(cases, "json-100", "nginx")}))
    for name, label, c in rows:
        for conns in ("c64", "c1"):
            s = get(c, "somock", conns) or {}
            o = get(c, "nocache", conns) or {}
            g = get(c, "nginx", conns) or {}
            target = ""
            if conns == "c64":
                target = "; ".join(
                    f"{'on' if k == 'somock' else 'off'} ≥ {t}"
                    for n, k, t in TARGETS if n == name)
                if name == "mix":
                    target = f"off ≥ {MIX_TARGET} × nginx N=100"
            w(f"| {label} | -{conns} | {fspread(s)} | {fspread(o)} | "
              f"{fspread(g)} | "
              f"{fnum(ratio(s.get('rps'), g.get('rps')), 2)} | "
              f"{fnum(ratio(o.get('rps'), g.get('rps')), 2)} | "
              f"{fms(s.get('p50'))} / {fms(o.get('p50'))} / "
              f"{fms(g.get('p50'))} | {fms(s.get('p99'))} / "
              f"{fms(o.get('p99'))} / {fms(g.get('p99'))} | "
              f"{fnum(s.get('cpu_us_per_req'))} / "
              f"{fnum(o.get('cpu_us_per_req'))} / "
              f"{fnum(g.get('cpu_us_per_req'))} | "
              f"{fload(c.get('somock'), c.get('nocache'), c.get('nginx'))} "
              f"| {target} |")
    if wr:
        x = wr.get("c64", {})
        g = get(g1, "c64") or {}
        w(f"| start-job writes, demo data (nginx column: JSON N=1 reads) | "
          f"-c64 | {fspread(x)} | — | {fspread(g)} | "
          f"{fnum(ratio(x.get('rps'), g.get('rps')), 2)} | — | "
          f"{fms(x.get('p50'))} / — / {fms(g.get('p50'))} | "
          f"{fms(x.get('p99'))} / — / {fms(g.get('p99'))} | "
          f"{fnum(x.get('cpu_us_per_req'))} / — / "
          f"{fnum(g.get('cpu_us_per_req'))} | {fload(wr, g1)} | "
          f"≥ {WRITE_TARGET} × nginx N=1 |")
    w("")

    w("### Every round\n")
    w("Requests/s of each round at -c64, in the order they ran within the "
      "case, with the 1-minute load average read just before it "
      "(`req/s @ load`).\n")
    w("| case | server | " + " | ".join(
        f"round {i}" for i in range(1, plan["rounds"] + 1)) + " |")
    w("|---|---|" + "---|" * plan["rounds"])
    for name, label, c in rows:
        for k, what in (("somock", "somock, cache on"), ("nginx", "nginx"),
                        ("nocache", "somock, cache off")):
            if name == "mix" and k == "nginx":
                continue
            rs = get(c, k, "rounds")
            if rs:
                w(f"| {label} | {what} | " + " | ".join(
                    f"{fnum(get(r, 'c64', 'rps'))} @ {r['load']:.1f}"
                    for r in rs) + " |")
    if wr:
        w("| start-job writes | somock | " + " | ".join(
            f"{fnum(get(r, 'c64', 'rps'))} @ {r['load']:.1f}"
            for r in wr["rounds"]) + " |")
    w("")

    w("### Memory per case (MB)\n")
    w("Idle = VmRSS right after start-up (median of the rounds); peak = "
      "VmHWM after the warm-up, the -c64 and the -c1 run (the highest "
      "round); nginx summed over master and workers.\n")
    w("| case | somock idle | somock peak | cache off peak | nginx idle "
      "| nginx peak |")
    w("|---|---|---|---|---|---|")
    for name, label, c in rows:
        w(f"| {label} | {fnum(get(c, 'somock', 'idle_mb'), 1)} | "
          f"{fnum(get(c, 'somock', 'c1', 'peak_mb'), 1)} | "
          f"{fnum(get(c, 'nocache', 'c1', 'peak_mb'), 1)} | "
          f"{fnum(get(c, 'nginx', 'idle_mb'), 1) if name != 'mix' else '—'} "
          f"| {fnum(get(c, 'nginx', 'c1', 'peak_mb'), 1) if name != 'mix' else '—'} |")
    if wr:
        w(f"| start-job writes, demo data | "
          f"{fnum(wr.get('idle_mb'), 1)} | "
          f"{fnum(get(wr, 'c64', 'peak_mb'), 1)} | — | — | — |")
    w("")

    if sb:
        w("### Sandboxes (MB)\n")
        w("A demo-data somock (`--sandbox-max` raised to the count), "
          "VmRSS of the whole process before and 0.2 s after the "
          "sandboxes were made, one request each on one keep-alive "
          "connection: an authenticated `GET /api/v1/BatchTask/Failed` "
          "(idle: the sandbox reads the start-up data it shares with "
          "every unchanged sandbox) or a start-job write (the sandbox "
          "gets its own copy of the data). *Own copies* is the sum of "
          "`bytes` in `GET /__somock/sandboxes`.\n")
        w("| sandboxes | RSS before | RSS after | per sandbox | own copies "
          "| time per request (ms) |")
        w("|---|---|---|---|---|---|")
        for k, what in (("idle", "idle (one GET each)"),
                        ("written", "one write each")):
            if k in sb:
                x = sb[k]
                w(f"| {x['n']} {what} | {fnum(x['before_mb'], 1)} | "
                  f"{fnum(x['after_mb'], 1)} | "
                  f"{(x['after_mb'] - x['before_mb']) * 1024 / x['n']:.1f} "
                  f"kB | {x['bytes'] / 2**20:.1f} | "
                  f"{x['seconds'] * 1000 / x['n']:.2f} |")
        w("")

    if su:
        w("### Start-up (ms)\n")
        w("Each `somock serve` spawn is preceded by a `somock --version` "
          "spawn, so background load hits both alike; `--version` is the "
          "exec, the dynamic loader and the libraries' constructors, "
          "nothing of somock's own, so *first 200 minus --version* is "
          "what somock's start-up adds.\n")
        w("| server | spawns | `--version` spawn → exit, median (min–max) "
          "| spawn → listening line, median (min–max) | spawn → first 200, "
          "median (min–max) | first 200 minus `--version` | RSS idle, "
          "median (MB) |")
        w("|---|---|---|---|---|---|---|")

        def mm(v):
            return (f"{fms(statistics.median(v))} ({fms(min(v))}–"
                    f"{fms(max(v))})" if v else "—")

        for k, what in (("demo", "somock, demo data"),
                        ("db", "somock, 100 000-task `--db`"),
                        ("nginx", "nginx (config with the 5 bodies)")):
            if k not in su:
                continue
            d = su[k]
            split = (fms(statistics.median(d["first"]) -
                         statistics.median(d["version"]))
                     if d.get("version") else "—")
            w(f"| {what} | {len(d['first'])} | {mm(d.get('version'))} | "
              f"{mm(d.get('line'))} | "
              f"{mm(d['first'])} | {split} | "
              f"{fnum(statistics.median(d['idle']), 1)} |")
        w("")

    w("## Set-up\n")
    bodies = ", ".join(f"{n} {fnum(c.get('body_bytes'))} B"
                       for n, c in cases.items())
    w(f"- Machine: {info['nproc']} cores ({info['cpu']}), "
      f"{info['mem_mb']} MB RAM, Linux {info['kernel']}; load average "
      f"{info['loadavg']} at the start, {info.get('loadavg_end', '?')} at "
      "the end (1, 5 and 15 minutes).")
    w(f"- Versions: {info['somock']} (git {info['git']}, release build: "
      "`-Dbuildtype=release -Db_ndebug=true`), " +
      ", ".join(f"{k} {v}" for k, v in info["libs"].items()) +
      f"; {info['cc']}; {info['wrk']}; {info['nginx']} (nginx-light); "
      f"Python {info['python']}; {info.get('java', '?')}" +
      (f"; WireMock {ci['wiremock_version']} (the npm package `wiremock`'s "
       "standalone jar)" if ci else "") + ".")
    w("- Data: `bench/gen-fixtures.py` (deterministic) → "
      "`somock init-db bench/work/bench.db bench/work/fixtures/*.json`: 100 000 "
      "tasks; tenant Cust10001 (logins bench … bench4) holds 1 Failed, "
      "100 Started, 10 000 Succeeded and 100 in each of New, Aquired, "
      "Unknown, SucceededManualCleanup user tasks plus 2 000 system tasks; "
      "the default tenant (onsite login bench0) 100 in each of those five "
      "states plus 3 000 system tasks; 40 other tenants the remaining "
      "83 999. Ids are shuffled over the table. Every Cust10001 carrier is "
      "777–807 B of compact JSON (the Failed one exactly 777), with "
      "ParameterObject, `[SR_…]` references and multi-language values. "
      "The writes, the CI cycle, the sandboxes and the first start-up "
      "row use the built-in demo data (login tje0).")
    w(f"- Bodies (as somock returned them, and nginx served them): {bodies}.")
    w(f"- Rounds: {plan['rounds']} per figure, each in a fresh server "
      f"process: warm-up `wrk -t2 -c64 -d{plan['warm']}s`, then `wrk -t2 "
      f"-c64 -d{plan['c64']}s` and `wrk -t1 -c1 -d{plan['c1']}s` (the "
      "writes: -c64 only), all with `--latency --timeout 10s` and the "
      "same request headers (nginx ignores them); before each measured "
      "run the script waits until the server's CPU time stops moving, so "
      "requests a finished wrk left queued do not eat into the next run.")
    w("- Requests: `GET /Cust10001/api/v1/BatchTask/{Failed|Started|"
      "Succeeded}` with `Authorization: Basic` (bench:Bench-1); XML adds "
      "`Accept: application/xml`; translated adds `SO-Language: sv`, "
      "`SO-TimeZone: NO`. Start-job writes (`bench/write.lua`): `POST "
      "/api/v1/BatchTask` with `{\"Name\":\"bench\"}`, Basic tje0, on the "
      "demo data; each creates a task and answers its Id.")
    if get(res, "mix", "requests"):
        w(f"- Rotating mix (`bench/mix.lua`, list in `bench/work/mix.txt`): "
          f"{res['mix']['requests']} different requests, every one checked "
          "for a 200 with 100 tasks before the run: 5 states × 6 "
          "credentials (Basic, Bearer, SOTicket, session cookie + "
          "X-XSRF-TOKEN in Cust10001; Basic onsite with and without a "
          "virtual directory) × 4 Accept values × 6 languages "
          "(SO-Language / Accept-Language / none / `x`) × 5 zones; "
          f"{res['mix']['keys']} distinct answers (2 tenants × 5 states × 3 "
          "media types × 6 language settings × 5 zones; what the response "
          "cache keys on), about 90 MB of bodies. "
          "nginx cannot vary its answer, so the ratio is to its JSON N=100 "
          "figure, as the target says.")
    w("- Start-up: `time.perf_counter()` before `Popen`; `--version` until "
      "the process exits; `serve` with a thread reading the listening "
      "line and a tight loop of fresh connections sending "
      "`GET …/BatchTask/Failed` (demo: tje0; db: bench) until a 200; "
      "VmRSS 0.1 s later.")
    w("")
    w("### Commands\n")
    w("```sh")
    w("bench/run" + (" --quick" if res["quick"] else ""))
    w("# inside, per round (somock)")
    c = get(cases, "json-100", "somock", "c64", "cmd")
    if c:
        w(f"{shlex.join([os.path.relpath(BIN, ROOT), 'serve', '--db', os.path.relpath(DB, ROOT), '--port', '0', '--listen', HOST])}   # and with --no-cache")
        w(c.replace(ROOT + "/", ""))
    c = get(res, "mix", "somock", "c64", "cmd")
    if c:
        w(c.replace(ROOT + "/", ""))
    c = get(res, "writes", "somock", "c64", "cmd")
    if c:
        w(c.replace(ROOT + "/", ""))
    if "nginx_cmd" in res:
        w(res["nginx_cmd"].replace(ROOT + "/", ""))
    if ci:
        w(ci["somock_cmd"].replace(ROOT + "/", ""))
        w(re.sub(r"\S*/(wiremock-standalone-[^/ ]*\.jar)", r"\1",
                 ci["wiremock_cmd"]).replace(ROOT + "/", ""))
    w("```\n")
    if "nginx_conf" in res:
        w("<details><summary>nginx.conf (generated)</summary>\n")
        w("```nginx")
        w(res["nginx_conf"].replace(ROOT + "/", "").rstrip())
        w("```\n</details>\n")

    tmp = out + ".tmp"
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(tmp, "w") as f:
        f.write("\n".join(L) + "\n")
    os.replace(tmp, out)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(130)
    finally:
        cleanup()
