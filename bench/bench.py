#!/usr/bin/env python3
"""bench/bench.py: the benchmark, somock against nginx in one run.

Run through bench/run, which installs wrk and nginx-light, builds the
release binary and then calls this script:

    bench/run [--quick] [--out FILE]

Standard library only. Steps:

 1. fixtures (bench/gen-fixtures.py) and the 100 000-task database
    (`somock init-db bench/work/bench.db bench/work/fixtures/*.json`),
    regenerated only when the generator or the binary changed;
 2. start-up: spawn -> listening line and spawn -> first 200, median of 10,
    for the demo data and for the --db file (nginx's spawn -> first 200 too);
 3. load: for every case, one server at a time, a fresh process, a warm-up,
    then `wrk -t2 -c64` and `wrk -t1 -c1` with --latency; somock with its
    response cache, nginx serving byte-for-byte the body somock returned
    (fetched with curl), somock again with --no-cache; the rotating mix
    (bench/mix.lua) against somock only;
 4. bench/results/latest.md (a --quick run writes bench/work/latest-quick.md
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
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time

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

# the performance targets (docs/performance.md), evaluated in report()
TARGET_TEXT = {
    "json-1": "≥ 0.8 × nginx",
    "json-100": "≥ 0.7 × nginx",
    "json-10000": "≥ 0.7 × nginx",
    "xml-100": "≥ 0.6 × nginx",
    "tr-100": "≥ 0.6 × nginx",
}
TARGET_RATIO = {"json-1": 0.8, "json-100": 0.7, "json-10000": 0.7,
                "xml-100": 0.6, "tr-100": 0.6}

CHILDREN = []  # every process this script started and has not reaped


def log(msg):
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr,
          flush=True)


# --------------------------------------------------------------------------
# processes


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
        time.sleep(0.25)
        now = cpu_ticks(pid)
        quiet = quiet + 1 if now - last <= 0.02 * hz else 0
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


class Somock:
    def __init__(self, args, name="somock"):
        self.args = args
        self.name = name
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
        wait_200(self.port, CASES[0][2], AUTH)
        time.sleep(0.2)
        self.idle = memory(self.proc.pid)[0]
        return self

    def stop(self):
        stop(self.proc)

    @property
    def pid(self):
        return self.proc.pid


class Nginx:
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
# returned, byte for byte, with the same Content-Type
{user}
daemon off;
master_process on;
worker_processes auto;
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

    @property
    def pid(self):
        return self.proc.pid


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


def load(server, tag, case, path, headers, durations, script=None,
         script_args=()):
    """Warm-up, -c64, -c1 against a started server; memory after each."""
    warm, run = durations
    result = {"idle_mb": server.idle}
    wrk(server.port, path, headers, 64, warm, f"{tag}-{case}-warmup",
        script, script_args)
    for conns in (64, 1):
        drained = wait_idle(server.pid)
        if drained > 1:
            log(f"  ({tag} {case}: {drained:.0f} s to drain the previous "
                "run's queued requests)")
        cpu0 = cpu_ticks(server.pid)
        r = wrk(server.port, path, headers, conns, run,
                f"{tag}-{case}-c{conns}", script, script_args)
        cpu = (cpu_ticks(server.pid) - cpu0) / os.sysconf("SC_CLK_TCK")
        r["server_cpu_s"] = cpu
        r["cpu_us_per_req"] = (cpu * 1e6 / r["requests"]
                               if r["requests"] else None)
        r["drain_before_s"] = drained
        r["peak_mb"] = memory(server.pid)[1]
        r["rss_mb"] = memory(server.pid)[0]
        result[f"c{conns}"] = r
        bad = r["non2xx"] + r["socket_errors"]
        log(f"  {tag} {case} -c{conns}: {r['rps']:.0f} req/s, "
            f"p50 {r['p50']} ms, p99 {r['p99']} ms, server CPU "
            f"{fnum(r['cpu_us_per_req'])} us/req, peak "
            f"{r['peak_mb']:.1f} MB" + (f", {bad} ERRORS" if bad else ""))
    return result


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


def startup_somock(args, path, headers, runs=10):
    """Median spawn -> listening line and spawn -> first 200, in ms."""
    lines, firsts, idles = [], [], []
    request = (f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\n" + "".join(
        f"{k}: {v}\r\n" for k, v in headers.items()) +
        "Connection: close\r\n\r\n").encode()
    for _ in range(runs):
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
    return {"line": lines, "first": firsts, "idle": idles,
            "cmd": shlex.join(cmd)}


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
            pass
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
        "libs": pc,
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true",
                    default=os.environ.get("BENCH_QUICK", "") not in ("", "0"),
                    help="short durations for a smoke run (BENCH_QUICK=1)")
    ap.add_argument("--out", help="report file (default "
                    "bench/results/latest.md; --quick: "
                    "bench/work/latest-quick.md)")
    ap.add_argument("--only", help="comma-separated subset of: startup,"
                    "somock,nginx,nocache,mix (for debugging the script)")
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
    durations = (2, 2) if opts.quick else (10, 10)
    out = opts.out or (os.path.join(WORK, "latest-quick.md") if opts.quick
                       else os.path.join(BENCH, "results", "latest.md"))
    only = set(opts.only.split(",")) if opts.only else {
        "startup", "somock", "nginx", "nocache", "mix"}
    os.makedirs(RAW, exist_ok=True)
    t_start = time.monotonic()
    info = machine()
    log(f"{'quick' if opts.quick else 'full'} run: warm-up {durations[0]} s, "
        f"runs {durations[1]} s; load average {info['loadavg']}")
    fixtures = prepare_data()
    bodies = {}
    res = {"info": info, "quick": opts.quick, "durations": durations,
           "fixtures": [os.path.relpath(f, ROOT) for f in fixtures],
           "cases": {}, "startup": {}}

    # start-up first, on a quiet machine
    if "startup" in only:
        log("start-up: demo data")
        res["startup"]["demo"] = startup_somock(
            [], "/api/v1/BatchTask/Failed",
            {"Authorization": "Basic " + base64.b64encode(
                b"tje0:Tje0").decode()})
        log("start-up: 100 000-task --db")
        res["startup"]["db"] = startup_somock(["--db", DB], CASES[0][2], AUTH)

    # Case by case: somock with its cache (which also gives the body nginx
    # will serve), nginx, somock --no-cache; one server at a time, the three
    # close together so background load hits them alike.
    db_args = ["--db", DB]
    mix_path = None
    for name, label, path, extra, n, fmt in CASES:
        headers = dict(AUTH, **extra)
        case = res["cases"].setdefault(name, {})
        s = Somock(db_args).start()
        try:
            ctype, body = curl(s.port, path, headers)
            got = count_items(body, fmt)
            if got != n:
                raise RuntimeError(f"{name}: {got} tasks, expected {n}")
            case["body_bytes"] = len(body)
            case["ctype"] = ctype
            if "somock" in only:
                log(f"somock {name} ({len(body)} B)")
                case["somock"] = load(s, "somock", name, path, headers,
                                      durations)
            if name == "json-100" and "mix" in only:
                mix_path, n_mix, n_keys = write_mix(s.port)
                res["mix"] = {"requests": n_mix, "keys": n_keys}
        finally:
            s.stop()
        if "nginx" in only:
            nginx = Nginx({name: (ctype, body)})
            ng = nginx.start_case(name)
            try:
                got = curl(ng.port, "/" + name, headers)
                if got != (ctype, body):
                    raise RuntimeError(f"nginx's {name} differs from "
                                       f"somock's ({got[0]})")
                log(f"nginx {name}")
                case["nginx"] = load(ng, "nginx", name, "/" + name, headers,
                                     durations)
            finally:
                ng.stop()
            res["nginx_cmd"] = shlex.join(nginx.cmd)
            res["nginx_conf"] = open(nginx.conf).read()
        if "nocache" in only:
            s = Somock(db_args + ["--no-cache"], "somock-nocache").start()
            try:
                log(f"somock --no-cache {name}")
                case["nocache"] = load(s, "nocache", name, path, headers,
                                       durations)
            finally:
                s.stop()
        bodies[name] = (ctype, body)

    # the rotating mix, somock only, with and without the cache
    if mix_path:
        log(f"rotating mix: {res['mix']['requests']} requests, "
            f"{res['mix']['keys']} distinct answers")
        for tag, extra in (("somock", []), ("nocache", ["--no-cache"])):
            s = Somock(db_args + extra, "somock" + (
                "-nocache" if extra else "")).start()
            try:
                log(f"{tag} mix")
                res["mix"][tag] = load(s, tag, "mix", "/", {}, durations,
                                       os.path.join(BENCH, "mix.lua"),
                                       [mix_path])
            finally:
                s.stop()

    if "nginx" in only and "startup" in only:
        log("start-up: nginx")
        res["startup"]["nginx"] = startup_nginx(Nginx(bodies))

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


def report(res, out):
    info = res["info"]
    cases = res["cases"]
    L = []
    w = L.append
    kind = "QUICK smoke run (short durations: not for comparison)" \
        if res["quick"] else "full run"
    w("# somock benchmark: latest results\n")
    w(f"Written by `bench/run{' --quick' if res['quick'] else ''}` "
      f"({kind}) on {info['date']}, in {res['elapsed_s'] / 60:.1f} min. "
      "Targets are somock's performance targets; ratios are somock ÷ nginx "
      "measured in this same run, one server at a time, wrk sharing the "
      "machine's cores with the server. Raw wrk output: "
      "`bench/work/raw/` (not committed). "
      "What each figure costs and the profiles behind the misses: "
      "[docs/performance.md](../../docs/performance.md).\n")
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

    # --- targets
    w("## Targets\n")
    w("| figure | somock | nginx | somock ÷ nginx | target | |")
    w("|---|---|---|---|---|---|")
    for name, label, *_ in CASES:
        s = get(cases, name, "somock", "c64", "rps")
        g = get(cases, name, "nginx", "c64", "rps")
        r = ratio(s, g)
        ok = None if r is None else r >= TARGET_RATIO[name]
        extra = ""
        if name == "json-10000":
            sb = get(cases, name, "somock", "c64", "bytes_per_s")
            gb = get(cases, name, "nginx", "c64", "bytes_per_s")
            if sb and gb:
                extra = (f" (wrk received {sb / 2**30:.2f} GiB/s from "
                         f"somock, {gb / 2**30:.2f} from nginx; nginx's "
                         "figure is bound by wrk reading 8 MB bodies)")
        w(f"| {label}, -c64, cache on: req/s{extra} | {fnum(s)} | {fnum(g)} "
          f"| {fratio(r, TARGET_RATIO[name])} | {TARGET_TEXT[name]} | "
          f"{mark(ok)} |")
    g100 = get(cases, "json-100", "nginx", "c64", "rps")
    for k, what in (("nocache", "cache off"), ("somock", "cache on")):
        s = get(res, "mix", k, "c64", "rps")
        r = ratio(s, g100)
        target = "≥ 0.3 × nginx N=100" if k == "nocache" else \
            "(no target; for reference)"
        ok = (None if r is None else r >= 0.3) if k == "nocache" else None
        w(f"| {MIX_LABEL}, -c64, {what}: req/s (nginx: JSON N=100) | "
          f"{fnum(s)} | {fnum(g100)} | {fratio(r, 0.3)} | {target} | "
          f"{mark(ok)} |")
    s = get(cases, "json-1", "somock", "c64", "p99")
    g = get(cases, "json-1", "nginx", "c64", "p99")
    r = ratio(s, g)
    w(f"| p99 latency, JSON N=1, -c64, cache on (ms) | {fms(s)} | {fms(g)} | "
      f"{fratio(r, 2)} | ≤ 2 × nginx | "
      f"{mark(None if r is None else r <= 2)} |")
    su = res.get("startup", {})
    ng_first = statistics.median(su["nginx"]["first"]) if "nginx" in su \
        else None
    for k, what in (("demo", "demo data"), ("db", "100 000-task `--db`")):
        if k in su:
            v = statistics.median(su[k]["first"])
            w(f"| start-up: spawn → first 200, {what}, median of "
              f"{len(su[k]['first'])} (ms) | {fms(v)} | {fms(ng_first)} | "
              f"{fnum(ratio(v, ng_first), 2)} | ≤ 10 ms | {mark(v <= 10)} |")
    if "demo" in su:
        v = statistics.median(su["demo"]["idle"])
        ng = statistics.median(su["nginx"]["idle"]) if "nginx" in su else None
        w(f"| RSS idle, demo data (MB) | {fnum(v, 1)} | {fnum(ng, 1)} | "
          f"{fnum(ratio(v, ng), 2)} | ≤ 8 MB | {mark(v <= 8)} |")
    v = get(cases, "json-100", "somock", "c1", "peak_mb")
    ng = get(cases, "json-100", "nginx", "c1", "peak_mb")
    if v is not None:
        w(f"| RSS peak (VmHWM) under the JSON N=100 run, 100 000-task db, "
          f"cache on (MB) | {fnum(v, 1)} | {fnum(ng, 1)} | "
          f"{fnum(ratio(v, ng), 2)} | ≤ 32 MB | {mark(v <= 32)} |")
    v = get(cases, "json-100", "nocache", "c1", "peak_mb")
    if v is not None:
        w(f"| RSS peak under the JSON N=100 run, cache off (MB) | "
          f"{fnum(v, 1)} | {fnum(ng, 1)} | {fnum(ratio(v, ng), 2)} | "
          f"≤ 32 MB | {mark(v <= 32)} |")
    w("")
    if errors:
        w("**Errors during the run** (figures with errors are suspect):\n")
        for e in errors:
            w(f"- {e}")
        w("")

    # --- every figure
    w("## Every figure\n")
    w("Requests/s and latency percentiles from `wrk --latency` (p50/p99 in "
      "ms). *cache on* is plain `somock serve --db`, *cache off* adds "
      "`--no-cache`. Ratios are against nginx serving the same bytes. "
      "Peak = VmHWM of the process (nginx: summed over master and "
      "workers) after the warm-up, the -c64 and the -c1 run, each case in "
      "a fresh process; idle = VmRSS right after start-up. *Server CPU* "
      "is the user + system time the server process (nginx: master and "
      "workers) used during the run divided by the requests wrk "
      "completed: unlike req/s it hardly moves when other work shares "
      "the cores.\n")
    w("| case | conns | somock cache on req/s | cache off req/s | nginx req/s "
      "| on ÷ nginx | off ÷ nginx | p50 on / off / nginx | "
      "p99 on / off / nginx | server CPU µs/req on / off / nginx | "
      "target |")
    w("|---|---|---|---|---|---|---|---|---|---|---|")
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
                target = TARGET_TEXT.get(name, "")
                if name == "mix":
                    target = "off ≥ 0.3 × nginx N=100"
            w(f"| {label} | -{conns} | {fnum(s.get('rps'))} | "
              f"{fnum(o.get('rps'))} | {fnum(g.get('rps'))} | "
              f"{fnum(ratio(s.get('rps'), g.get('rps')), 2)} | "
              f"{fnum(ratio(o.get('rps'), g.get('rps')), 2)} | "
              f"{fms(s.get('p50'))} / {fms(o.get('p50'))} / "
              f"{fms(g.get('p50'))} | {fms(s.get('p99'))} / "
              f"{fms(o.get('p99'))} / {fms(g.get('p99'))} | "
              f"{fnum(s.get('cpu_us_per_req'))} / "
              f"{fnum(o.get('cpu_us_per_req'))} / "
              f"{fnum(g.get('cpu_us_per_req'))} | {target} |")
    w("")

    w("### Memory per case (MB)\n")
    w("| case | somock idle | somock peak | cache off peak | nginx idle "
      "| nginx peak |")
    w("|---|---|---|---|---|---|")
    for name, label, c in rows:
        w(f"| {label} | {fnum(get(c, 'somock', 'idle_mb'), 1)} | "
          f"{fnum(get(c, 'somock', 'c1', 'peak_mb'), 1)} | "
          f"{fnum(get(c, 'nocache', 'c1', 'peak_mb'), 1)} | "
          f"{fnum(get(c, 'nginx', 'idle_mb'), 1) if name != 'mix' else '—'} "
          f"| {fnum(get(c, 'nginx', 'c1', 'peak_mb'), 1) if name != 'mix' else '—'} |")
    w("")

    if su:
        w("### Start-up (ms; 10 spawns each)\n")
        w("| server | spawn → listening line, median (min–max) | "
          "spawn → first 200, median (min–max) | RSS idle, median (MB) |")
        w("|---|---|---|---|")
        for k, what in (("demo", "somock, demo data"),
                        ("db", "somock, 100 000-task `--db`"),
                        ("nginx", "nginx (config with the 5 bodies)")):
            if k not in su:
                continue
            d = su[k]
            line = (f"{fms(statistics.median(d['line']))} "
                    f"({fms(min(d['line']))}–{fms(max(d['line']))})"
                    if "line" in d else "—")
            w(f"| {what} | {line} | {fms(statistics.median(d['first']))} "
              f"({fms(min(d['first']))}–{fms(max(d['first']))}) | "
              f"{fnum(statistics.median(d['idle']), 1)} |")
        w("")

    w("## Set-up\n")
    bodies = ", ".join(f"{n} {fnum(c.get('body_bytes'))} B"
                       for n, c in cases.items())
    w(f"- Machine: {info['nproc']} cores ({info['cpu']}), "
      f"{info['mem_mb']} MB RAM, Linux {info['kernel']}; load average "
      f"{info['loadavg']} at the start, {info.get('loadavg_end', '?')} at "
      "the end (anything above ~0 means other work shared the cores: "
      "compare ratios, not absolute figures).")
    w(f"- Versions: {info['somock']} (git {info['git']}, release build: "
      "`-Dbuildtype=release -Db_ndebug=true`), " +
      ", ".join(f"{k} {v}" for k, v in info["libs"].items()) +
      f"; {info['cc']}; {info['wrk']}; {info['nginx']} (nginx-light); "
      f"Python {info['python']}.")
    w("- Data: `bench/gen-fixtures.py` (deterministic) → "
      "`somock init-db bench/work/bench.db bench/work/fixtures/*.json`: 100 000 "
      "tasks; tenant Cust10001 (logins bench … bench4) holds 1 Failed, "
      "100 Started, 10 000 Succeeded and 100 in each of New, Aquired, "
      "Unknown, SucceededManualCleanup user tasks plus 2 000 system tasks; "
      "the default tenant (onsite login bench0) 100 in each of those five "
      "states plus 3 000 system tasks; 40 other tenants the remaining "
      "83 999. Ids are shuffled over the table. Every Cust10001 carrier is "
      "777–807 B of compact JSON (the Failed one exactly 777), with "
      "ParameterObject, `[SR_…]` references and multi-language values.")
    w(f"- Bodies (as somock returned them, and nginx served them): {bodies}.")
    w(f"- Every load case runs in a fresh server process: warm-up "
      f"`-t2 -c64 -d{res['durations'][0]}s`, then `-t2 -c64 "
      f"-d{res['durations'][1]}s` and `-t1 -c1 -d{res['durations'][1]}s`, "
      "all with `--latency --timeout 10s` and the same request headers "
      "(nginx ignores them).")
    w("- Requests: `GET /Cust10001/api/v1/BatchTask/{Failed|Started|"
      "Succeeded}` with `Authorization: Basic` (bench:Bench-1); XML adds "
      "`Accept: application/xml`; translated adds `SO-Language: sv`, "
      "`SO-TimeZone: NO`.")
    if "mix" in res:
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
    w("- Start-up: `time.perf_counter()` before `Popen`, a thread reading "
      "the listening line, and a tight loop of fresh connections sending "
      "`GET …/BatchTask/Failed` (demo: tje0; db: bench) until a 200; "
      "VmRSS 0.1 s later.")
    w("")
    w("### Commands\n")
    w("```sh")
    w("bench/run" + (" --quick" if res["quick"] else ""))
    w("# inside, per case (somock)")
    c = get(cases, "json-100", "somock", "c64", "cmd")
    if c:
        w(f"{shlex.join([os.path.relpath(BIN, ROOT), 'serve', '--db', os.path.relpath(DB, ROOT), '--port', '0', '--listen', HOST])}   # and with --no-cache")
        w(c.replace(ROOT + "/", ""))
    c = get(res, "mix", "somock", "c64", "cmd")
    if c:
        w(c.replace(ROOT + "/", ""))
    if "nginx_cmd" in res:
        w(res["nginx_cmd"].replace(ROOT + "/", ""))
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
