"""Integration-test harness: the real somock binary on a real port.

Each test script imports this module, starts `somock serve --port 0` (or
runs a command), talks HTTP with the standard library, and reports TAP.
Environment (set by meson): SOMOCK_BIN, SOMOCK_SOURCE_ROOT, and
SOMOCK_CONTRACT=1 when Debian's python3-lxml and python3-jsonschema are
there: then every answer a test fetches through Server.request is checked
against SuperOffice's own XSD and OpenAPI (contract.py), and Tap.done()
reports how many were validated and fails on any that were not valid.
"""
import base64
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time

BIN = os.environ.get('SOMOCK_BIN', 'build/server/somock')
# meson test --setup valgrind runs every server under valgrind; each one's
# log is checked when it stops and a problem fails the test script
WRAPPER = os.environ.get('SOMOCK_WRAPPER', '').split()
WRAPPER_PROBLEMS = []
ROOT = os.environ.get('SOMOCK_SOURCE_ROOT', '.')
FIXTURES = os.path.join(ROOT, 'fixtures')
LISTEN_RE = re.compile(r'^somock listening on http://(.+):(\d+)$')
CONTRACT = os.environ.get('SOMOCK_CONTRACT') == '1'
if CONTRACT:
    import contract


class Tap:
    """A TAP producer; done() prints the plan and exits non-zero on failure."""

    def __init__(self):
        self.count = 0
        self.failed = 0

    def ok(self, cond, msg, diag=None):
        self.count += 1
        if not cond:
            self.failed += 1
        print('%s %d - %s' % ('ok' if cond else 'not ok', self.count, msg))
        if not cond and diag is not None:
            for line in str(diag).splitlines()[:40]:
                print('#   ' + line)
        sys.stdout.flush()
        return cond

    def eq(self, got, want, msg):
        return self.ok(got == want, msg,
                       'got:  %r\nwant: %r' % (got, want))

    def done(self):
        if CONTRACT and (contract.COUNTS['xml'] or contract.COUNTS['json']
                         or contract.FAILURES):
            self.ok(not contract.FAILURES, contract.summary(),
                    '\n'.join(contract.FAILURES[:10]))
        for problem in WRAPPER_PROBLEMS:
            self.ok(False, 'valgrind: %s' % problem[0], problem[1])
        if WRAPPER:
            self.ok(not WRAPPER_PROBLEMS, 'valgrind: no errors and no '
                    'leaks in any server this script ran')
        print('1..%d' % self.count)
        sys.exit(1 if self.failed else 0)


class Response:
    def __init__(self, status, headers, body):
        self.request_headers = {}       # lower-case name -> value sent
        self.status = status
        self.headers = headers          # lower-case name -> value
        self.body = body                # bytes

    def json(self):
        return json.loads(self.body.decode('utf-8'))

    @property
    def text(self):
        return self.body.decode('utf-8')

    def header(self, name):
        return self.headers.get(name.lower())


class Server:
    """A running `somock serve`; stop() checks a clean SIGTERM exit."""

    def __init__(self, *args, env=None, timeout=10):
        full_env = dict(os.environ)
        for k in list(full_env):
            if k.startswith('SOMOCK_') and k not in ('SOMOCK_BIN',
                                                     'SOMOCK_SOURCE_ROOT'):
                del full_env[k]
        full_env.update(env or {})
        self.stderr = tempfile.TemporaryFile()
        self.vglog = None
        wrapper = []
        if WRAPPER:
            fd, self.vglog = tempfile.mkstemp(suffix='.valgrind')
            os.close(fd)
            wrapper = WRAPPER + ['--log-file=' + self.vglog]
            timeout *= 10
        self.proc = subprocess.Popen(
            wrapper + [BIN, 'serve', '--port', '0'] + list(args),
            stdout=subprocess.PIPE, stderr=self.stderr, env=full_env)
        line = self._readline(timeout)
        m = LISTEN_RE.match(line.strip())
        if not m:
            self.proc.kill()
            raise RuntimeError('no listening line: %r\nstderr: %s' %
                               (line, self.read_stderr()))
        self.host, self.port = m.group(1), int(m.group(2))

    def _readline(self, timeout):
        result = []
        t = threading.Thread(
            target=lambda: result.append(self.proc.stdout.readline()))
        t.daemon = True
        t.start()
        t.join(timeout)
        return result[0].decode() if result else ''

    def read_stderr(self):
        self.stderr.seek(0)
        return self.stderr.read().decode('utf-8', 'replace')

    def request(self, method, path, headers=None, body=None, timeout=10):
        conn = http.client.HTTPConnection('127.0.0.1', self.port,
                                          timeout=timeout)
        try:
            if isinstance(body, (dict, list)):
                body = json.dumps(body)
                headers = dict(headers or {})
                headers.setdefault('Content-Type', 'application/json')
            names = {k.lower() for k in (headers or {})}
            conn.putrequest(method, path, skip_host='host' in names,
                            skip_accept_encoding=True)
            for k, v in (headers or {}).items():
                conn.putheader(k, v)
            if body is not None:
                data = body.encode() if isinstance(body, str) else body
                conn.putheader('Content-Length', str(len(data)))
                conn.endheaders(data)
            else:
                conn.endheaders()
            r = conn.getresponse()
            data = r.read()
            hdrs = {k.lower(): v for k, v in r.getheaders()}
            if CONTRACT:
                contract.check(method, path, r.status,
                               hdrs.get('content-type'), data,
                               hdrs.get('content-encoding'))
            resp = Response(r.status, hdrs, data)
            resp.request_headers = {k.lower(): v
                                    for k, v in (headers or {}).items()}
            return resp
        finally:
            conn.close()

    def get(self, path, headers=None, **kw):
        return self.request('GET', path, headers, **kw)

    def post(self, path, body, headers=None, **kw):
        return self.request('POST', path, headers, body, **kw)

    def stop(self, sig=signal.SIGTERM, timeout=10):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            code = self.proc.wait(timeout * (10 if WRAPPER else 1))
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            code = None
        self._check_valgrind()
        return code

    def _check_valgrind(self):
        if not self.vglog:
            return
        with open(self.vglog, errors='replace') as f:
            log = f.read()
        os.unlink(self.vglog)
        self.vglog = None
        clean = re.search(r'ERROR SUMMARY: 0 errors', log) and (
            'definitely lost' not in log or
            re.search(r'definitely lost: 0 bytes', log)) and (
            'indirectly lost' not in log or
            re.search(r'indirectly lost: 0 bytes', log))
        if not clean:
            WRAPPER_PROBLEMS.append(('server %s' % ' '.join(
                self.proc.args[len(WRAPPER) + 1:]), log[-3000:]))

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def basic(name, password):
    raw = ('%s:%s' % (name, password)).encode('utf-8')
    return 'Basic ' + base64.b64encode(raw).decode('ascii')


def run(*args, env=None, timeout=30):
    """Run a somock command; returns (exit code, stdout, stderr)."""
    p = subprocess.run([BIN] + list(args), capture_output=True,
                       timeout=timeout, env=env)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def load_fixture(name):
    with open(os.path.join(FIXTURES, name), encoding='utf-8') as f:
        return json.load(f)


def write_json(obj, suffix='.json'):
    """A temporary fixture file; the caller removes it."""
    fd, path = tempfile.mkstemp(suffix=suffix)
    with os.fdopen(fd, 'w', encoding='utf-8') as f:
        json.dump(obj, f)
    return path


# The seed page's sample request: tje0 / Tje0
TJE0 = basic('tje0', 'Tje0')
