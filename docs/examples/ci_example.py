#!/usr/bin/env python3
"""somock in a CI job, with the Python standard library only (docs/ci.md).

    SOMOCK_BIN=build/server/somock python3 docs/examples/ci_example.py

A `Somock` fixture starts the server on a free port, reads the URL from the
listening line, waits on /__somock/health and stops it with SIGTERM. Each
test gets its own sandbox, so the tests run in parallel threads against one
server; one test verifies the requests it made and one injects a fault.
Exits non-zero when a test fails.
"""
import base64
import json
import os
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
BIN = os.environ.get('SOMOCK_BIN',
                     os.path.join(HERE, '..', '..', 'build', 'server',
                                  'somock'))
AUTH = 'Basic ' + base64.b64encode(b'tje0:Tje0').decode()


class Somock:
    """`with Somock() as mock:` a running server; mock.url is its base URL."""

    def __init__(self, *args):
        self.proc = subprocess.Popen([BIN, 'serve', '--port', '0', *args],
                                     stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline().strip()   # the listening line
        prefix = 'somock listening on '
        if not line.startswith(prefix):
            self.proc.kill()
            raise RuntimeError('somock did not start: %r' % line)
        self.url = line[len(prefix):]
        self.wait_healthy()

    def wait_healthy(self, timeout=10):
        end = time.monotonic() + timeout
        while True:
            try:
                if self.call('GET', '/__somock/health')[0] == 200:
                    return
            except OSError:
                if time.monotonic() > end:
                    raise
            time.sleep(0.05)

    def call(self, method, path, body=None, headers=None):
        """(status, parsed JSON or None); never raises on HTTP errors."""
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.url + path, data=data,
                                     method=method, headers=headers or {})
        if data is not None:
            req.add_header('Content-Type', 'application/json')
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                status, raw = r.status, r.read()
        except urllib.error.HTTPError as e:
            status, raw = e.code, e.read()
        return status, json.loads(raw) if raw else None

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)   # finishes requests in flight
        return self.proc.wait(15)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        code = self.stop()
        if code != 0 and exc[0] is None:
            raise RuntimeError('somock exited with %s' % code)


class Sandbox:
    """A test's own copy of the data: every call carries X-Somock-Sandbox."""

    def __init__(self, mock, name):
        self.mock, self.name = mock, name
        self.headers = {'X-Somock-Sandbox': name}

    def api(self, method, path, body=None):
        return self.mock.call(method, path, body,
                              dict(self.headers, Authorization=AUTH))

    def control(self, method, path, body=None):
        return self.mock.call(method, '/__somock' + path, body, self.headers)

    def request_count(self, **filters):
        q = '&'.join('%s=%s' % kv for kv in
                     dict(filters, sandbox=self.name).items())
        return self.control('GET', '/requests/count?' + q)[1]['count']

    def close(self):
        self.mock.call('DELETE', '/__somock/sandboxes/' + self.name)


# --- the tests: each takes a Sandbox --------------------------------------

def test_loaded_task_is_listed(sb):
    st, _ = sb.control('POST', '/fixtures', {'batchTasks': [
        {'Id': 9001, 'Name': 'CI export', 'AssociateId': 53,
         'State': 'Failed'}]})
    assert st == 200, st
    st, tasks = sb.api('GET', '/api/v1/BatchTask/Failed')
    assert st == 200 and 9001 in [t['Id'] for t in tasks], st
    # request verification: exactly one call, answered 200, as tje0 (53)
    n = sb.request_count(path='/api/v1/BatchTask/Failed', status=200,
                         associate=53)
    assert n == 1, n


def test_sandbox_starts_clean(sb):
    st, tasks = sb.api('GET', '/api/v1/BatchTask/All')
    assert st == 200 and 9001 not in [t['Id'] for t in tasks]


def test_client_survives_a_503(sb):
    # faults are server-wide: match this test's path only, next request only
    st, _ = sb.mock.call('POST', '/__somock/faults', {
        'path': '/api/v1/BatchTask/Started', 'status': 503,
        'errorType': 'SoMaintenanceException', 'count': 1})
    assert st == 200, st
    st, body = sb.api('GET', '/api/v1/BatchTask/Started')
    assert st == 503 and body['ErrorType'] == 'SoMaintenanceException'
    st, _ = sb.api('GET', '/api/v1/BatchTask/Started')   # the retry
    assert st == 200, st


TESTS = [test_loaded_task_is_listed, test_sandbox_starts_clean,
         test_client_survives_a_503]


def main():
    failures = []
    with Somock() as mock:
        mock.call('POST', '/__somock/reset', {'journal': True,
                                             'faults': True})

        def run(test):
            sb = Sandbox(mock, test.__name__.replace('_', '-'))
            try:
                test(sb)
            except Exception as e:   # AssertionError, HTTP trouble
                failures.append('%s: %r' % (test.__name__, e))
            finally:
                sb.close()

        threads = [threading.Thread(target=run, args=(t,)) for t in TESTS]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        # the shared data was never touched by the sandboxed tests
        st, tasks = mock.call('GET', '/api/v1/BatchTask/Failed', None,
                              {'Authorization': AUTH})
        if 9001 in [t['Id'] for t in tasks]:
            failures.append('the shared data saw a sandbox\'s task')
    for f in failures:
        print('FAIL', f)
    print('%d of %d tests passed' % (len(TESTS) - len(failures), len(TESTS)))
    return 1 if failures else 0


if __name__ == '__main__':
    raise SystemExit(main())
