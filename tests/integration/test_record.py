"""`somock record`: the round trip, the failures, the secrets.

Somock A serves the demo data; `somock record` reads it (over HTTP, and
over HTTPS with a certificate made here) for every demo user into a file;
somock B serves the file; A's and B's answers for that user are compared
over every state, by id, JSON and XML, in several zones and languages:
byte for byte, apart from the strings that name a resource ([SR_...]),
which a recording cannot capture (B answers them raw when a language is
asked for). Then every failure a real server can cause (refusal, timeout,
a cut connection, 503 and 429, a redirect to a login page, an HTML page
or a wrong body with status 200) must end with a clear message, a
non-zero exit and no file; and no secret given to record may appear in
the file or on stderr.
"""
import glob
import http.server
import json
import os
import shutil
import subprocess
import tempfile
import threading
import time

from somock import BIN, Server, Tap, basic, load_fixture

t = Tap()
demo = load_fixture('demo.json')
work = tempfile.mkdtemp()
STATES = ['Unknown', 'New', 'Aquired', 'Started', 'Succeeded', 'Failed',
          'SucceededManualCleanup', 'All']
ZONES = [None, 'NO', 'US-NY,includeTZOffset']
LANGS = [None, 'en', 'de']


def record(url, *args, out=None, timeout=120):
    out = out or os.path.join(work, 'rec.json')
    p = subprocess.run([BIN, 'record', '--from', url, '--out', out] +
                       list(args), capture_output=True, text=True,
                       timeout=timeout)
    return p.returncode, p.stderr, out


def leftovers(out):
    return glob.glob(out + '*')


def compare(a, b, auth, prefix, tasks):
    """(checked, differences) between A and B for one user."""
    diffs, checked = [], 0
    paths = [prefix + '/api/v1/BatchTask/' + s for s in STATES]
    paths += [prefix + '/api/v1/BatchTask/%d' % i for i in tasks]
    for path in paths:
        for accept in ('application/json', 'application/xml'):
            for zone in ZONES:
                for lang in LANGS:
                    h = {'Authorization': auth, 'Accept': accept}
                    if zone:
                        h['SO-TimeZone'] = zone
                    if lang:
                        h['SO-Language'] = lang
                    ra, rb = a.get(path, h), b.get(path, h)
                    checked += 1
                    if (ra.status, ra.body) == (rb.status, rb.body):
                        continue
                    if lang and accept == 'application/json' and \
                            ra.status == rb.status == 200 and \
                            only_resources_differ(ra.json(), rb.json()):
                        continue
                    if lang and accept == 'application/xml' and \
                            b'[SR_' in rb.body:
                        continue
                    diffs.append('%s %s %s %s: %d %r / %d %r' % (
                        path, accept, zone, lang, ra.status, ra.body[:120],
                        rb.status, rb.body[:120]))
    return checked, diffs


def only_resources_differ(ja, jb):
    items = zip(ja if isinstance(ja, list) else [ja],
                jb if isinstance(jb, list) else [jb])
    for x, y in items:
        if x is None or y is None:
            if x != y:
                return False
            continue
        for k in x:
            if x[k] != y.get(k) and not (isinstance(y.get(k), str) and
                                         '[SR_' in y[k]):
                return False
    return True


# --- the round trip, every demo user, over HTTP ------------------------------
passwords = {a['Name']: a['Password'] for a in demo['associates']
             if a.get('Password')}
with Server() as a:
    url = 'http://127.0.0.1:%d' % a.port
    for assoc in demo['associates']:
        name, tenant = assoc['Name'], assoc.get('Tenant') or ''
        if name not in passwords:
            continue
        prefix = '/' + tenant if tenant else ''
        pw = passwords[name]
        code, err, out = record(url + prefix, '--user', name, '--password',
                                pw, '--login', '%s:%s' % (name, pw))
        if not t.ok(code == 0, 'record %s over HTTP' % name, err):
            continue
        doc = json.load(open(out))
        ids = [x['Id'] for x in doc['batchTasks']]
        with Server('--fixtures', out) as b:
            checked, diffs = compare(a, b, basic(name, pw), prefix, ids)
            t.ok(not diffs, '%s: A and B answer alike (%d requests: every '
                 'state, by id, JSON and XML, 3 zones, 3 languages)' %
                 (name, checked), '\n'.join(diffs[:5]))
        t.ok('recorded' in doc and doc['recorded']['from'] == url + prefix,
             '%s: the file says where it was recorded from' % name)

# --- over HTTPS, with a certificate made here ---------------------------------
cert, key = os.path.join(work, 'cert.pem'), os.path.join(work, 'key.pem')
subprocess.run(['openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes',
                '-keyout', key, '-out', cert, '-days', '2', '-subj',
                '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'],
               check=True, capture_output=True)


class TlsServer(Server):
    pass


a = subprocess.Popen([BIN, 'serve', '--port', '0', '--tls-cert', cert,
                      '--tls-key', key], stdout=subprocess.PIPE, text=True)
line = a.stdout.readline()
port = int(line.strip().rsplit(':', 1)[1])
https = 'https://127.0.0.1:%d' % port
code, err, out = record(https, '--user', 'tje0', '--password', 'Tje0',
                        '--login', 'tje0:Tje0',
                        out=os.path.join(work, 'untrusted.json'))
t.ok(code != 0 and 'certificate is not trusted' in err and
     not leftovers(out),
     'HTTPS with an unknown certificate is refused, no file', err)
code, err, out = record(https, '--user', 'tje0', '--password', 'Tje0',
                        '--login', 'tje0:Tje0', '--cacert', cert)
t.ok(code == 0, 'record over HTTPS, trusting the test certificate', err)
code2, err2, out2 = record(https, '--user', 'tje0', '--password', 'Tje0',
                           '--login', 'tje0:Tje0', '--insecure',
                           out=os.path.join(work, 'insecure.json'))
t.ok(code2 == 0 and 'warning' in err2 and
     json.load(open(out2))['batchTasks'] == json.load(open(out))
     ['batchTasks'], '--insecure works, with a warning, and records the '
     'same', err2)
with Server() as plain, Server('--fixtures', out) as b:
    ids = [x['Id'] for x in json.load(open(out))['batchTasks']]
    checked, diffs = compare(plain, b, basic('tje0', 'Tje0'), '', ids)
    t.ok(not diffs, 'tje0 over HTTPS: B answers as A (%d requests)' %
         checked, '\n'.join(diffs[:5]))
a.terminate()
a.wait()

# --- every failure: a message, a non-zero exit, no file -----------------------
SECRET = 'S3cret-not-to-leak'


def fails(label, url, *extra, want, args=None):
    out = os.path.join(work, 'fail.json')
    base = args if args is not None else ['--user', 'tje0', '--password',
                                          'Tje0']
    code, err, out = record(url, *(base + list(extra)), out=out)
    t.ok(code == 1 and want in err and not leftovers(out),
         '%s: exit 1, "%s", no file' % (label, want), err)
    return err


with Server() as a:
    url = 'http://127.0.0.1:%d' % a.port
    fails('a wrong password', url, want='refused (401)',
          args=['--user', 'tje0', '--password', SECRET])
    fails('a wrong tenant', url + '/Cust99999', want='refused (401)')
    fails('a wrong URL', url + '/nowhere/deeper', want='answered 404')
    for rule, want, extra in (
            ({'path': '*/BatchTask/All', 'delayMs': 4000}, 'in time',
             ['--timeout', '1']),
            ({'path': '*/BatchTask/All', 'drop': True}, 'connection was cut',
             []),
            ({'path': '*/BatchTask/All', 'status': 503}, 'gave up', [
                '--retries', '1']),
            ({'path': '*/BatchTask/All', 'status': 429}, 'gave up', [
                '--retries', '1']),
            ({'path': '*/BatchTask/All', 'status': 200}, 'did not answer '
             'an array of BatchTaskInfo', []),
            ({'path': '*/GetAllBatchTaskInfosByName', 'status': 500},
             'answered 500', [])):
        a.request('PUT', '/__somock/faults', body=rule)
        fails('fault %s' % json.dumps(rule), url, *extra, want=want)
    a.request('DELETE', '/__somock/faults')
    # a 503 that clears: retried with back-off, then recorded
    a.request('PUT', '/__somock/faults', body={
        'path': '*/BatchTask/All', 'status': 503, 'count': 2})
    code, err, out = record(url, '--user', 'tje0', '--password', 'Tje0')
    t.ok(code == 0 and err.count('trying again') == 2,
         'two 503s, then 200: retried twice and recorded', err)
    # a drip cut by the server dying mid-answer
a = subprocess.Popen([BIN, 'serve', '--port', '0'], stdout=subprocess.PIPE,
                     text=True)
port = int(a.stdout.readline().strip().rsplit(':', 1)[1])
url = 'http://127.0.0.1:%d' % port
subprocess.run(['curl', '-s', '-X', 'PUT', url + '/__somock/faults', '-d',
                json.dumps({'path': '*/BatchTask/All', 'dripBytes': 64,
                            'dripIntervalMs': 200})], check=True,
               capture_output=True)
killer = threading.Timer(1.5, a.kill)
killer.start()
fails('a connection cut mid-answer', url, want='connection was cut')
killer.join()
a.wait()


class Odd(http.server.BaseHTTPRequestHandler):
    """A server that answers what real ones do when things go wrong."""

    def do_GET(self):
        if self.server.mode == 'redirect':
            self.send_response(302)
            self.send_header('Location', '/login.aspx?ReturnUrl=/api')
            self.end_headers()
        else:
            body = b'<html><body>Service unavailable</body></html>'
            self.send_response(200)
            self.send_header('Content-Type', 'text/html; charset=utf-8')
            self.send_header('Content-Length', str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    def log_message(self, *args):
        pass


for mode, want in (('redirect', 'redirected (302) to http://127.0.0.1:'),
                   ('html', 'text/html')):
    srv = http.server.HTTPServer(('127.0.0.1', 0), Odd)
    srv.mode = mode
    th = threading.Thread(target=srv.serve_forever, daemon=True)
    th.start()
    err = fails('a server that answers with a %s' % mode,
          'http://127.0.0.1:%d' % srv.server_port, want=want)
    if mode == 'redirect':
        t.ok('login.aspx' in err and '@' not in err,
             'the redirect is named, with no login in it', err)
    srv.shutdown()

# --- usage --------------------------------------------------------------------
for args, want in ((['--out', 'x.json'], '--from URL'),
                   (['--from', 'ftp://h', '--out', 'x', '--token', 'b'],
                    'http'),
                   (['--from', 'http://h', '--out', 'x'], 'one way to log in'),
                   (['--from', 'http://h', '--out', 'x', '--user', 'u'],
                    'one way to log in'),
                   (['--from', 'http://u:p@h', '--out', 'x', '--token', 'b'],
                    'credentials in --from')):
    p = subprocess.run([BIN, 'record'] + args, capture_output=True,
                       text=True)
    t.ok(p.returncode == 2 and want in p.stderr, 'usage %s: exit 2' %
         ' '.join(args), p.stderr)

# --- secrets -------------------------------------------------------------------
with Server() as a:
    url = 'http://127.0.0.1:%d' % a.port
    ticket = next(x['Ticket'] for x in demo['tickets']
                  if x['AssociateId'] == 53 and
                  x['Expires'].startswith('2099'))
    out = os.path.join(work, 'secret.json')
    env = dict(os.environ, SOMOCK_RECORD_LOGIN='tje0:' + SECRET)
    p = subprocess.run([BIN, 'record', '--from', url, '--ticket', ticket,
                        '--out', out], capture_output=True, text=True,
                       env=env)
    text = open(out).read() if os.path.exists(out) else ''
    t.ok(p.returncode == 0 and ticket not in text and ticket not in
         p.stderr, 'the ticket is in neither the file nor stderr', p.stderr)
    doc = json.loads(text) if text else {}
    t.ok(not any(k in doc for k in ('tickets', 'tokens', 'sessions', 'apps')),
         'no credential kinds are recorded')
    t.ok(doc.get('associates', [{}])[0].get('Password') == SECRET,
         'the offline login from SOMOCK_RECORD_LOGIN is the one written')
    p = subprocess.run([BIN, 'record', '--from', url, '--user', 'tje0',
                        '--password', SECRET, '--out', out],
                       capture_output=True, text=True)
    t.ok(p.returncode == 1 and SECRET not in p.stderr,
         'a refused password is not echoed', p.stderr)

shutil.rmtree(work, ignore_errors=True)
t.done()
