"""The container image, built and run as CI users run it.

Builds the image with scripts/image (or finds it cached), then runs it
with podman through scripts/podman: host networking and a free port in
SOMOCK_PORT, the image's own HEALTHCHECK waited on, the API called from
the host, a fixture served from a read-only volume at /fixtures, and a
SIGTERM stop that must end somock (PID 1) with status 0 in under a
second. The recipes in docs/ci.md, docker-compose.yml and README.md must
use the same health URL, variables and mount as this test (checked first).

Environment: SOMOCK_SOURCE_ROOT (set by meson), SOMOCK_IMAGE (default
somock:latest).
"""
import base64
import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.environ.get(
    'SOMOCK_SOURCE_ROOT',
    os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..')))
IMAGE = os.environ.get('SOMOCK_IMAGE', 'somock:latest')
PODMAN = [os.path.join(ROOT, 'scripts', 'podman')]
NAME = 'somock-test-%d' % os.getpid()

# what every recipe must say the same way
HEALTH = '/__somock/health'
CONTROL_FIXTURES = '/__somock/fixtures'
TOKEN_HEADER = 'X-Somock-Admin-Token'
API = '/api/v1/BatchTask/All'
LOGIN = ('tje0', 'Tje0')
FIXTURE_VAR = 'SOMOCK_FIXTURES'
MOUNT = ':/fixtures:ro'


class Tap:
    def __init__(self):
        self.count = 0
        self.failed = 0

    def ok(self, cond, msg, diag=None):
        self.count += 1
        if not cond:
            self.failed += 1
        print('%s %d - %s' % ('ok' if cond else 'not ok', self.count, msg))
        if not cond and diag is not None:
            for line in str(diag).splitlines()[-40:]:
                print('#   ' + line)
        sys.stdout.flush()
        return cond

    def note(self, msg):
        print('# ' + msg)
        sys.stdout.flush()

    def bail(self, msg, diag=None):
        self.ok(False, msg, diag)
        self.done()

    def done(self):
        print('1..%d' % self.count)
        sys.exit(1 if self.failed else 0)


t = Tap()
containers = []


def podman(*args, timeout=60, check=False):
    r = subprocess.run(PODMAN + list(args), capture_output=True, text=True,
                       timeout=timeout)
    if check and r.returncode:
        t.bail('podman %s' % ' '.join(args[:2]), r.stderr)
    return r


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def get(port, path, auth=None, timeout=5, method='GET', body=None,
        headers=None):
    conn = http.client.HTTPConnection('127.0.0.1', port, timeout=timeout)
    headers = dict(headers or {}, Accept='application/json')
    if auth:
        raw = ('%s:%s' % auth).encode()
        headers['Authorization'] = 'Basic ' + base64.b64encode(raw).decode()
    try:
        conn.request(method, path, body=body, headers=headers)
        r = conn.getresponse()
        return r.status, r.getheader('Content-Type') or '', r.read()
    finally:
        conn.close()


def run(suffix, port, *args, env=None, volumes=()):
    """podman run -d the image on the host network; returns the name."""
    name = '%s-%s' % (NAME, suffix)
    cmd = ['run', '-d', '--name', name, '--network', 'host',
           '-e', 'SOMOCK_PORT=%d' % port]
    for k, v in (env or {}).items():
        cmd += ['-e', '%s=%s' % (k, v)]
    for v in volumes:
        cmd += ['-v', v]
    r = podman(*(cmd + list(args) + [IMAGE]))
    containers.append(name)
    if r.returncode:
        t.bail('podman run %s' % name, r.stderr)
    return name


def wait_healthy(name, timeout=30):
    """Run the image's HEALTHCHECK until it passes, as a CI runner would
    (podman runs it on a timer only with systemd)."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        r = podman('healthcheck', 'run', name)
        if r.returncode == 0:
            return time.monotonic() - start
        state = podman('inspect', '--format', '{{.State.Status}}', name)
        if state.stdout.strip() not in ('running', 'created'):
            break
        time.sleep(0.2)
    return None


def stop(name, how):
    """SIGTERM somock; return (exit code, seconds from the signal to the
    exit as the runtime recorded it)."""
    t0 = time.time()
    if how == 'kill':
        podman('kill', '--signal', 'TERM', name, check=True)
        waited = podman('wait', name, timeout=30)
        code = int(waited.stdout.strip() or -1)
    else:
        podman('stop', '-t', '10', name, timeout=30, check=True)
        code = int(podman('inspect', '--format', '{{.State.ExitCode}}',
                          name).stdout.strip())
    fin = podman('inspect', '--format', '{{.State.FinishedAt.UnixNano}}',
                 name).stdout.strip()
    return code, int(fin) / 1e9 - t0


def cleanup():
    for name in containers:
        podman('rm', '-f', '-t', '0', name)


def read(rel):
    try:
        with open(os.path.join(ROOT, rel), encoding='utf-8') as f:
            return f.read()
    except OSError:
        return ''


# ---- the files agree, before anything slow

lib = read('scripts/lib.sh')
m = re.search(r'somock_build_deps\(\) \{(.*?)\n\}', lib, re.S)
deps = set(re.findall(r'=([a-z0-9][a-z0-9.+-]*)', m.group(1))) - {'curl'} \
    if m else set()
containerfile = read('Containerfile')
build_stage = containerfile.split('\nFROM ', 2)[1]
missing = sorted(p for p in deps if not re.search(
    r'(?<![\w.-])%s(?![\w.-])' % re.escape(p), build_stage))
t.ok(deps and not missing, 'the Containerfile\'s build stage installs '
     'scripts/lib.sh\'s build dependencies (%d)' % len(deps),
     'missing: %s' % ', '.join(missing))

for rel in ('docs/ci.md', 'docker-compose.yml', 'README.md'):
    text = read(rel)
    want = [HEALTH, API, FIXTURE_VAR, MOUNT, '/fixtures/',
            'SOMOCK_ADMIN_TOKEN']
    if rel == 'docs/ci.md':
        want += ['%s:%s' % LOGIN, CONTROL_FIXTURES, TOKEN_HEADER]
    absent = [w for w in want if w not in text]
    t.ok(not absent, '%s uses the test\'s health URL, API call, fixture '
         'variable and mount' % rel, 'absent: %s' % absent)

# ---- build (or reuse) the image

start = time.monotonic()
try:
    r = subprocess.run([os.path.join(ROOT, 'scripts', 'image')],
                       capture_output=True, text=True, timeout=1700,
                       env=dict(os.environ, SOMOCK_IMAGE=IMAGE))
except subprocess.TimeoutExpired as e:
    t.bail('scripts/image finished', e.stderr)
t.ok(r.returncode == 0, 'scripts/image built %s (%.0f s)' %
     (IMAGE, time.monotonic() - start), r.stderr[-4000:])
if r.returncode:
    t.done()

try:
    cfg = json.loads(podman('image', 'inspect', IMAGE, check=True).stdout)[0]
    config = cfg.get('Config', {})
    t.ok(config.get('User') == '10001:10001', 'the image runs as a '
         'non-root user', config.get('User'))
    t.ok('8080/tcp' in (config.get('ExposedPorts') or {}),
         'the image exposes 8080', config.get('ExposedPorts'))
    env = dict(e.split('=', 1) for e in config.get('Env') or [])
    t.ok(env.get('SOMOCK_LISTEN') == '0.0.0.0' and
         env.get('SOMOCK_PORT') == '8080',
         'SOMOCK_LISTEN=0.0.0.0 and SOMOCK_PORT=8080 by default', env)
    hc = cfg.get('Healthcheck') or config.get('Healthcheck') or {}
    t.ok(hc.get('Test') == ['CMD', '/usr/local/bin/somock-healthcheck'],
         'the image carries its HEALTHCHECK', hc)
    t.ok(config.get('Entrypoint') == ['/usr/local/bin/somock'] and
         config.get('Cmd') == ['serve'], 'exec-form ENTRYPOINT somock, '
         'CMD serve', (config.get('Entrypoint'), config.get('Cmd')))

    # ---- the bundled demo data
    port = free_port()
    name = run('demo', port)
    waited = wait_healthy(name)
    t.ok(waited is not None, 'the HEALTHCHECK passes (%.1f s after start)' %
         (waited or 0), podman('logs', name).stderr)
    status, ctype, body = get(port, HEALTH)
    t.ok(status == 200 and json.loads(body).get('status') == 'ok',
         'GET %s from the host: 200, status ok' % HEALTH, body[:300])
    status, ctype, body = get(port, API, auth=LOGIN)
    tasks = json.loads(body) if status == 200 else []
    t.ok(status == 200 and ctype.startswith('application/json') and
         isinstance(tasks, list) and len(tasks) > 0,
         'GET %s as %s: 200, %d tasks in JSON' % (API, LOGIN[0],
                                                  len(tasks)),
         '%s %s %s' % (status, ctype, body[:300]))
    top = podman('top', name, 'pid', 'user', 'args').stdout
    t.ok(re.search(r'^\s*1\s+somock\s+/usr/local/bin/somock serve\s*$', top,
                   re.M), 'somock is PID 1, as user somock', top)
    code, secs = stop(name, 'kill')
    t.ok(code == 0, 'SIGTERM (podman kill): exit status 0', code)
    t.ok(secs < 1.0, 'SIGTERM (podman kill): exited %.3f s after the '
         'signal' % secs)

    # ---- a fixture from a read-only volume, read-only root, more variables
    fixdir = tempfile.mkdtemp(prefix='somock-fixtures-')
    os.chmod(fixdir, 0o755)     # the container user is not the owner
    try:
        fixture = {
            'associates': [{'AssociateId': 53, 'Name': LOGIN[0],
                            'Password': LOGIN[1], 'FullName': 'Tje Null'}],
            'batchTasks': [{'Id': 424242, 'Name': 'Served from a volume',
                            'AssociateId': 53, 'State': 'Failed',
                            'Created': '2020-06-01T12:00:00Z'}],
        }
        path = os.path.join(fixdir, 'ci.json')
        with open(path, 'w') as f:
            json.dump(fixture, f)
        os.chmod(path, 0o644)

        r = podman('run', '--rm', '-v', fixdir + MOUNT, IMAGE, 'check',
                   '/fixtures/ci.json')
        t.ok(r.returncode == 0, 'arguments replace CMD: `check '
             '/fixtures/ci.json` validates the mounted fixture', r.stderr)

        port = free_port()
        name = run('fixtures', port, '--read-only',
                   env={FIXTURE_VAR: '/fixtures/ci.json',
                        'SOMOCK_VERBOSE': '1', 'SOMOCK_TIMEZONE': 'NO',
                        'SOMOCK_ADMIN_TOKEN': 'ci-secret'},
                   volumes=[fixdir + MOUNT])
        waited = wait_healthy(name)
        t.ok(waited is not None, 'read-only root and volume: the '
             'HEALTHCHECK passes (%.1f s)' % (waited or 0),
             podman('logs', name).stderr)
        status, ctype, body = get(port, API, auth=LOGIN)
        tasks = json.loads(body) if status == 200 else []
        t.ok(status == 200 and [x.get('Id') for x in tasks] == [424242] and
             tasks[0].get('Name') == 'Served from a volume',
             '%s=/fixtures/ci.json: its one task is served' % FIXTURE_VAR,
             body[:300])
        more = json.dumps({'batchTasks': [{
            'Id': 424243, 'Name': 'Loaded by the job', 'AssociateId': 53,
            'State': 'New'}]})
        status, _, body = get(port, CONTROL_FIXTURES, method='POST',
                              body=more, headers={
                                  'Content-Type': 'application/json',
                                  TOKEN_HEADER: 'ci-secret'})
        t.ok(status == 200, 'POST %s with %s (the recipes\' way to load '
             'a job\'s data into a service)' % (CONTROL_FIXTURES,
                                                 TOKEN_HEADER), body[:300])
        status, _, body = get(port, API, auth=LOGIN)
        t.ok(status == 200 and sorted(x.get('Id') for x in json.loads(
            body)) == [424242, 424243], 'both tasks are served', body[:300])
        status, _, body = get(port, '/api/v1/BatchTask/424242', auth=LOGIN)
        t.ok(status == 200 and
             json.loads(body).get('Created') == '2020-06-01T14:00:00+02:00',
             'SOMOCK_TIMEZONE=NO: dates in Norway\'s summer offset',
             body[:300])
        code, secs = stop(name, 'stop')
        logs = podman('logs', name)
        t.ok(API in logs.stdout + logs.stderr,
             'SOMOCK_VERBOSE=1: the access log names the request',
             logs.stderr[-2000:])
        t.ok(code == 0 and secs < 1.0, 'SIGTERM (podman stop -t 10): exit '
             'status %s, %.3f s after the signal' % (code, secs))
    finally:
        shutil.rmtree(fixdir, ignore_errors=True)

    # ---- the probe itself fails when nothing answers
    r = podman('run', '--rm', '--network', 'host', '-e',
               'SOMOCK_PORT=%d' % free_port(), '--entrypoint',
               '/usr/local/bin/somock-healthcheck', IMAGE)
    t.ok(r.returncode == 1, 'the HEALTHCHECK fails (1) where nothing '
         'listens', r.returncode)
finally:
    cleanup()
t.done()
