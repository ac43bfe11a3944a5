"""Hardening regressions over real HTTP: each finding of an outside attack
on somock, and its siblings, as a check against a running server.

Numbers the control API reads are range-checked; the journal never holds
a credential from the query string; forced fault statuses are final
answers; faults match the path an absolute-form target names; requests
with many query parameters, NUL bytes, repeated credentials or odd
transfer codings are answered at once; sandboxes come into being only for
authenticated callers and within a memory bound; SIGHUP reloads; a stop
finishes what is in flight. Raw-protocol cases live in the hostile
catalogue (tests/hostile/cases.json); these need a server's state.
"""
import json
import os
import signal
import socket
import tempfile
import threading
import time
import traceback

from somock import BIN, ROOT, Server, Tap, TJE0, run

t = Tap()
H = {'Authorization': TJE0}


def section(fn):
    try:
        fn()
    except Exception:
        t.ok(False, '%s ran to the end' % fn.__name__,
             traceback.format_exc())
    return fn


def message(r):
    try:
        return r.json().get('Message', '')
    except ValueError:
        return r.text


@section
def clock_ranges():
    with Server('--freeze-clock', '2030-01-01T00:00:00Z') as s:
        before = s.get('/__somock/clock').json()['now']
        for adv in (9.2e11, -9.2e11, 1e300, -1e300, 3.2e11):
            r = s.post('/__somock/clock', {'advanceSeconds': adv})
            t.ok(r.status == 400 and 'advanceSeconds' in message(r),
                 'advanceSeconds %g: 400 naming the field' % adv, r.text)
        # in range as a number, but past year 9999 or before year 1
        for adv in (3.0e11, -7.0e10):
            r = s.post('/__somock/clock', {'advanceSeconds': adv})
            t.ok(r.status == 400 and 'advanceSeconds' in message(r),
                 'advanceSeconds %g leaves 0001..9999: 400' % adv, r.text)
        now = s.get('/__somock/clock').json()['now']
        t.eq(now, before, 'refused advances leave the clock alone')
        r = s.post('/__somock/clock', {'set': '9999-12-31T23:59:00Z',
                                       'advanceSeconds': 60})
        t.eq(r.status, 400, 'set plus advance past 9999: 400')
        r = s.post('/__somock/clock', {'set': '9999-12-31T23:58:00Z',
                                       'advanceSeconds': 59})
        t.ok(r.status == 200 and r.json()['now'] == '9999-12-31T23:58:59Z',
             'set plus advance to the last minute of 9999: 200', r.text)
        r = s.post('/__somock/clock', {'set': '0001-01-01T00:00:00Z'})
        # DateTime.MinValue is written without a zone designator
        t.eq(r.json().get('now'), '0001-01-01T00:00:00', 'set year 1')
        r = s.post('/__somock/clock', {'advanceSeconds': -1})
        t.eq(r.status, 400, 'one second before year 1: 400')
        r = s.post('/__somock/clock', {'advanceSeconds': 0.5})
        t.ok(r.status == 200 and r.json()['now'].startswith(
             '0001-01-01T00:00:00.5'), 'fractions of a second', r.text)
        # other numbers the control API reads
        for path, body, field in (
                ('/__somock/faults', {'path': '/x', 'delayMs': 1e12},
                 'delayMs'),
                ('/__somock/faults', {'path': '/x', 'delayMs': -1},
                 'delayMs'),
                ('/__somock/faults', {'path': '/x', 'dripBytes': 2 ** 40},
                 'dripBytes'),
                ('/__somock/faults', {'path': '/x', 'count': 1.5},
                 'count'),
                ('/__somock/faults', {'path': '/x', 'status': 1e3},
                 'status')):
            r = s.request('PUT', path, body=body)
            t.ok(r.status == 400 and field in r.text,
                 'PUT faults %s: 400 naming %s' % (json.dumps(body), field),
                 r.text)
        for q in ('status=1e3', 'status=99', 'limit=0', 'limit=-1',
                  'limit=99999999999999999999', 'associate=x'):
            r = s.get('/__somock/requests?' + q)
            t.ok(r.status == 400 and q.split('=')[0] in message(r),
                 'journal filter %s: 400 naming it' % q, r.text)
        t.eq(s.get('/__somock/health').status, 200, 'still serving')


@section
def journal_secrets():
    with Server() as s:
        q = ('ticket=7T:abc&password=Tje0&state=Failed&Token=x&'
             'access_token=y&SO-AppToken=z&api_key=k&xsrf=1&%24select=Id')
        s.get('/api/v1/BatchTask/All?' + q, H)
        e = s.get('/__somock/requests').json()['requests'][-1]
        text = json.dumps(e)
        for secret in ('7T:abc', 'Tje0', '=x', '=y', '=z', '=k'):
            t.ok(secret not in text, 'journal: %r not recorded' % secret, e)
        t.ok('state=Failed' in e['query'] and '$select=Id' in e['query'],
             'journal: harmless parameters kept', e)
        t.ok('ticket=***' in e['query'] and 'password=***' in e['query'],
             'journal: a secret parameter shows as ***', e)


@section
def fault_statuses():
    with Server() as s:
        for st in (100, 101, 199, 600, 0):
            r = s.request('PUT', '/__somock/faults',
                          body={'path': '/api/*', 'status': st})
            t.ok(r.status == 400 and 'status' in r.text,
                 'fault status %d refused' % st, r.text)
        for st, body in ((204, False), (304, False), (200, True),
                         (503, True)):
            s.request('PUT', '/__somock/faults',
                      body={'path': '/api/v1/BatchTask/All', 'status': st})
            # keep-alive: the next answer must still be the next one's
            sock = socket.create_connection(('127.0.0.1', s.port), 5)
            req = ('GET /api/v1/BatchTask/All HTTP/1.1\r\nHost: x\r\n'
                   'Authorization: %s\r\n\r\n' % TJE0) * 2
            sock.sendall(req.encode())
            data = b''
            sock.settimeout(5)
            while data.count(b'HTTP/1.1 ') < 2:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                data += chunk
            sock.close()
            heads = [h for h in data.split(b'HTTP/1.1 ')[1:]]
            t.ok(len(heads) == 2 and all(h.startswith(b'%d' % st)
                                         for h in heads),
                 'forced %d twice on one connection: two answers' % st,
                 data[:300])
            if not body:
                t.ok(b'{' not in data and b'<' not in data,
                     'forced %d carries no body' % st, data[:300])
        s.request('DELETE', '/__somock/faults')


@section
def absolute_form_faults():
    with Server() as s:
        s.request('PUT', '/__somock/faults',
                  body={'path': '/api/*', 'status': 503})
        sock = socket.create_connection(('127.0.0.1', s.port), 5)
        sock.sendall(('GET http://h/api/v1/BatchTask/Failed HTTP/1.1\r\n'
                      'Host: h\r\nAuthorization: %s\r\nConnection: close'
                      '\r\n\r\n' % TJE0).encode())
        data = b''
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
        sock.close()
        t.ok(data.startswith(b'HTTP/1.1 503'),
             'an absolute-form target matches a fault rule for /api/*',
             data[:200])


def task_names(s, state='All'):
    r = s.get('/api/v1/BatchTask/' + state, H)
    return sorted(x['Name'] for x in r.json()) if r.status == 200 else r


@section
def sighup_reloads():
    d = tempfile.mkdtemp()
    path = os.path.join(d, 'data.json')

    def write(doc):
        tmp = path + '.tmp'
        with open(tmp, 'w') as f:
            json.dump(doc, f)
        os.replace(tmp, path)

    def doc(name):
        return {'associates': [{'AssociateId': 53, 'Name': 'tje0',
                                'Password': 'Tje0'}],
                'batchTasks': [{'Id': 1, 'Name': name, 'AssociateId': 53,
                                'State': 'Failed'}]}
    write(doc('first'))
    with Server('--fixtures', path) as s:
        t.eq(task_names(s), ['first'], 'SIGHUP: the data at start')
        s.request('POST', '/__somock/fixtures', body={'batchTasks': [
            {'Id': 2, 'Name': 'loaded', 'AssociateId': 53}]},
            headers={'X-Somock-Sandbox': 'sb'})
        write(doc('second'))
        s.proc.send_signal(signal.SIGHUP)
        names = None
        for _ in range(200):
            names = task_names(s)
            if names == ['second']:
                break
            time.sleep(0.05)
        t.eq(names, ['second'], 'SIGHUP: the fixture file is read again')
        t.ok(s.proc.poll() is None, 'SIGHUP: the server keeps running')
        sb = s.get('/__somock/sandboxes').json()
        t.eq(sb, [], 'SIGHUP: sandboxes (copies of the old data) dropped')
        with open(path, 'w') as f:
            f.write('{"batchTasks": [ oops')
        s.proc.send_signal(signal.SIGHUP)
        time.sleep(0.5)
        t.eq(task_names(s), ['second'],
             'SIGHUP with a broken file: the old data stays')
        t.ok('cannot reload' in s.read_stderr(),
             'SIGHUP with a broken file: the error is logged')
        write(doc('second'))


@section
def dual_stack():
    try:
        probe = socket.socket(socket.AF_INET6)
        probe.bind(('::1', 0))
        probe.close()
    except OSError:
        t.ok(True, '# SKIP no IPv6 on this machine')
        return
    with Server('--listen', '::') as s:
        for family, host in ((socket.AF_INET, '127.0.0.1'),
                             (socket.AF_INET6, '::1')):
            c = socket.socket(family)
            c.settimeout(5)
            c.connect((host, s.port))
            c.sendall(b'GET /__somock/health HTTP/1.1\r\nHost: x\r\n'
                      b'Connection: close\r\n\r\n')
            data = c.recv(100)
            c.close()
            t.ok(data.startswith(b'HTTP/1.1 200'),
                 '--listen :: answers %s' % host, data)


@section
def connection_limit():
    """At --max-connections a new connection waits and is then served."""
    with Server('--max-connections', '2', '--threads', '1') as s:
        held = [socket.create_connection(('127.0.0.1', s.port), 10)
                for _ in range(2)]
        for h in held:  # make sure both are accepted and counted
            h.sendall(b'GET /__somock/health HTTP/1.1\r\nHost: x\r\n\r\n')
            h.settimeout(30)
            h.recv(4096)
        c = socket.create_connection(('127.0.0.1', s.port), 10)
        c.sendall(b'GET /__somock/health HTTP/1.1\r\nHost: x\r\n'
                  b'Connection: close\r\n\r\n')
        c.settimeout(0.5)
        try:
            early = c.recv(100)
        except socket.timeout:
            early = None
        t.eq(early, None, 'a third connection waits while two are open')
        held[0].close()
        c.settimeout(30)
        data = c.recv(100)
        t.ok(data.startswith(b'HTTP/1.1 200'),
             '... and is served once one closes', data)
        c.close()
        held[1].close()


def big_fixture(n, first_id=100000):
    """A fixture document of @n tasks owned by tje0, about 400 B each."""
    return {'associates': [{'AssociateId': 53, 'Name': 'tje0',
                            'Password': 'Tje0'}],
            'batchTasks': [{
        'Id': first_id + i, 'Name': 'Export %d %s' % (i, 'x' * 200),
        'AssociateId': 53, 'State': 'Failed', 'Description': 'y' * 100}
        for i in range(n)]}


def read_answer(sock, timeout=60):
    sock.settimeout(timeout)
    data = b''
    try:
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    except OSError:
        pass
    return data


@section
def stop_finishes_uploads():
    """SIGTERM while six 1 MB fixture uploads are half sent."""
    body = json.dumps(big_fixture(2700)).encode()
    t.ok(len(body) > 1000000, 'the upload is over 1 MB (%d B)' % len(body))
    body = body[:1048000]  # under the 1 MiB cap; not valid JSON: a 400
    s = Server()
    socks = []
    for _ in range(6):
        c = socket.create_connection(('127.0.0.1', s.port), 10)
        c.sendall(b'POST /__somock/fixtures HTTP/1.1\r\nHost: x\r\n'
                  b'Content-Type: application/json\r\nConnection: close'
                  b'\r\nContent-Length: %d\r\n\r\n' % len(body))
        c.sendall(body[:len(body) // 2])
        socks.append(c)
    time.sleep(0.3)
    s.proc.send_signal(signal.SIGTERM)
    time.sleep(0.3)
    answers = []

    def finish(c):
        c.sendall(body[len(body) // 2:])
        answers.append(read_answer(c))
    threads = [threading.Thread(target=finish, args=(c,)) for c in socks]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    code = s.stop(timeout=60)
    full = [a for a in answers if a.startswith(b'HTTP/1.1 400') and
            a.rstrip().endswith(b'}')]
    t.ok(len(full) == 6, 'SIGTERM: all six uploads in flight are answered',
         [a[:200] for a in answers])
    t.eq(code, 0, 'SIGTERM: exit 0 once they are done')


@section
def stop_answers_the_backlog():
    """SIGTERM right after 20 clients sent whole requests: all answered."""
    body = b'{"batchTasks":[]}'
    unanswered = 0
    for _ in range(3):
        s = Server()
        socks = [socket.create_connection(('127.0.0.1', s.port), 10)
                 for _ in range(20)]
        for c in socks:
            c.sendall(b'POST /__somock/fixtures HTTP/1.1\r\nHost: x\r\n'
                      b'Connection: close\r\nContent-Length: %d\r\n\r\n'
                      % len(body) + body)
        s.proc.send_signal(signal.SIGTERM)
        for c in socks:
            unanswered += not read_answer(c).startswith(b'HTTP/1.1 200')
            c.close()
        s.stop(timeout=60)
    t.eq(unanswered, 0, 'SIGTERM: requests sent before it are answered '
         '(60 in 3 bursts)')


@section
def stop_timeout_reported():
    """An answer a client will not read cannot finish: exit 1, say so."""
    path = tempfile.mktemp(suffix='.json')
    with open(path, 'w') as f:
        json.dump(big_fixture(20000), f)
    s = Server('--fixtures', path, '--stop-timeout', '1')
    os.unlink(path)
    c = socket.socket()
    c.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    c.connect(('127.0.0.1', s.port))
    c.sendall(b'GET /api/v1/BatchTask/All HTTP/1.1\r\nHost: x\r\n'
              b'Authorization: ' + TJE0.encode() + b'\r\n\r\n')
    time.sleep(1.0)          # the answer is under way, and stuck
    code = s.stop(timeout=30)
    c.close()
    t.eq(code, 1, '--stop-timeout passed with an answer unsent: exit 1')
    t.ok('1 request unfinished' in s.read_stderr(),
         '... and stderr says so', s.read_stderr()[-300:])
    # a slow reader that keeps reading gets every byte of a big answer
    path = tempfile.mktemp(suffix='.json')
    with open(path, 'w') as f:
        json.dump(big_fixture(20000), f)
    s = Server('--fixtures', path)
    os.unlink(path)
    c = socket.socket()
    c.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    c.connect(('127.0.0.1', s.port))
    c.sendall(b'GET /api/v1/BatchTask/All HTTP/1.1\r\nHost: x\r\n'
              b'Connection: close\r\nAuthorization: ' + TJE0.encode() +
              b'\r\n\r\n')
    first = c.recv(4096)
    s.proc.send_signal(signal.SIGTERM)
    rest = b''
    while True:
        time.sleep(0.001)
        chunk = c.recv(65536)
        if not chunk:
            break
        rest += chunk
    data = first + rest
    head, _, body = data.partition(b'\r\n\r\n')
    length = int(next(x.split(b':')[1] for x in head.split(b'\r\n')
                      if x.lower().startswith(b'content-length')))
    t.ok(length > 2000000 and len(body) == length,
         'SIGTERM during a %d B answer to a slow reader: all of it sent'
         % length)
    t.eq(s.stop(timeout=60), 0, '... and exit 0')


@section
def sandboxes_need_a_caller():
    """Anonymous requests make no sandbox; memory for them is bounded."""
    with Server('--sandbox-max', '4') as s:
        for i in range(8):
            r = s.get('/api/v1/BatchTask/All', {'X-Somock-Sandbox': 's%d' % i})
            t.eq(r.status, 401, 'anonymous request %d naming a sandbox: '
                 '401' % i)
        for bad in ({'Authorization': 'Basic eDp5'},
                    {'Authorization': 'SOTicket nope'}):
            r = s.get('/api/v1/BatchTask/All',
                      dict(bad, **{'X-Somock-Sandbox': 'bad'}))
            t.eq(r.status, 401, 'refused credentials naming a sandbox: 401')
        t.eq(s.get('/__somock/sandboxes').json(), [],
             'refused callers made no sandbox')
        for i in range(4):
            r = s.get('/api/v1/BatchTask/All',
                      dict(H, **{'X-Somock-Sandbox': 'ok%d' % i}))
            t.eq(r.status, 200, 'an authenticated caller makes sandbox %d'
                 % i)
        r = s.get('/api/v1/BatchTask/All', {'X-Somock-Sandbox': 'ok1'})
        t.eq(r.status, 401, 'an existing sandbox still wants credentials')
    # a sandbox copies the data only when it changes something, and the
    # copies are bounded: the demo data is about 100 KB, one copy a sandbox
    with Server('--sandbox-memory', '1048576', '--sandbox-max', '300') as s:
        for i in range(200):
            r = s.get('/api/v1/BatchTask/All',
                      dict(H, **{'X-Somock-Sandbox': 'idle%d' % i}))
            if r.status != 200:
                break
        listed = s.get('/__somock/sandboxes').json()
        t.ok(len(listed) == 200 and all(x['bytes'] == 0 for x in listed),
             '200 sandboxes that only read copy nothing', listed[:2])
        codes = []
        for i in range(16):
            r = s.request('POST', '/api/v1/BatchTask',
                          dict(H, **{'X-Somock-Sandbox': 'idle%d' % i,
                                     'Content-Type': 'application/json'}),
                          body='{"Name":"w"}')
            codes.append(r.status)
        made = codes.count(200)
        t.ok(0 < made < 16 and codes[made:] == [503] * (16 - made),
             '--sandbox-memory 1 MiB: %d sandboxes change, then 503' % made,
             codes)
        r = s.request('POST', '/api/v1/BatchTask',
                      dict(H, **{'X-Somock-Sandbox': 'idle15',
                                 'Content-Type': 'application/json',
                                 'Accept': 'application/xml'}),
                      body='{"Name":"w"}')
        t.ok(r.status == 503 and b'--sandbox-memory' in r.body and
             r.body.startswith(b'<'),
             'the refusal names the limit, in the negotiated format', r.body)
        listed = s.get('/__somock/sandboxes').json()
        t.ok(0 < sum(x['bytes'] for x in listed) <= 1048576,
             'the sandboxes listed hold no more than the limit')
        r = s.get('/api/v1/BatchTask/All',
                  dict(H, **{'X-Somock-Sandbox': 'idle15'}))
        t.eq(r.status, 200, 'a refused sandbox still reads')
        s.request('DELETE', '/__somock/sandboxes/idle0')
        r = s.request('POST', '/api/v1/BatchTask',
                      dict(H, **{'X-Somock-Sandbox': 'idle15',
                                 'Content-Type': 'application/json'}),
                      body='{"Name":"w"}')
        t.eq(r.status, 200, 'dropping one makes room for another')
        s.post('/__somock/reset', {}, {'X-Somock-Sandbox': 'idle1'})
        one = next(x for x in s.get('/__somock/sandboxes').json()
                   if x['name'] == 'idle1')
        t.eq(one['bytes'], 0, 'a reset sandbox gives its copies back')


@section
def db_files_fail_loudly():
    """A --db file changed by hand is refused, not served as bad JSON."""
    import sqlite3
    d = tempfile.mkdtemp()
    demo = os.path.join(ROOT, 'fixtures', 'demo.json')
    good = os.path.join(d, 'good.db')
    code, _, err = run('init-db', good, demo)
    t.ok(code == 0, 'init-db of the demo data', err)
    # init-db checked the rows and stamped the file with the change
    # counter SQLite's header holds now: a start trusts it and reads no
    # row, and any later write (below) moves the counter past the stamp
    with open(good, 'rb') as f:
        counter = int.from_bytes(f.read(28)[24:28], 'big')
    db = sqlite3.connect(good)
    stamp = db.execute('SELECT counter FROM somock_checked').fetchall()
    db.close()
    t.eq(stamp, [(counter,)], 'init-db stamps the file it checked with '
         'its change counter')
    edits = (("tableRight = '{\"Mask\": '", 'TableRight', 'JSON object'),
             ("parameterObject = '[1,2]'", 'ParameterObject', 'JSON object'),
             ("fieldProperties = 'null'", 'FieldProperties', 'JSON object'),
             ('progressPercent = 40000', 'ProgressPercent', '16-bit'),
             ('state = 42', 'State', 'BatchTaskState'),
             ('cancellationBehaviour = 7', 'CancellationBehaviour',
              'Cancellation'),
             ("registered = 'yesterday'", 'Created', 'date'),
             ('BatchTask_id = 5000000000', 'Id', '32-bit'))
    for n, (edit, field, what) in enumerate(edits):
        path = os.path.join(d, 'bad%d.db' % n)
        with open(good, 'rb') as src, open(path, 'wb') as dst:
            dst.write(src.read())
        db = sqlite3.connect(path)
        first = db.execute('SELECT min(BatchTask_id) FROM batchtask'
                           ).fetchone()[0]
        db.execute('UPDATE batchtask SET %s WHERE BatchTask_id = ?' % edit,
                   (first,))
        db.commit()
        db.close()
        code, out, err = run('serve', '--port', '0', '--db', path,
                             timeout=60)
        t.ok(code == 1 and field in err and what in err and path in err,
             '--db with a bad %s: refused at start, naming it' % field,
             (code, err))
    # a zone table that cannot be filled is not committed as a success
    part = os.path.join(d, 'part.db')
    code, _, err = run('init-db', part)
    db = sqlite3.connect(part)
    db.execute("CREATE TRIGGER no_oslo BEFORE INSERT ON tzlocation "
               "WHEN NEW.locationCode = 'NO' BEGIN "
               "SELECT RAISE(ABORT, 'disk full'); END")
    db.execute("DELETE FROM tzlocation")
    db.commit()
    db.close()
    code, _, err = run('init-db', part)
    t.ok(code == 1 and 'tzlocation' in err,
         'init-db that cannot fill the zone table: exit 1', (code, err))
    db = sqlite3.connect(part)
    left = db.execute('SELECT count(*) FROM tzlocation').fetchone()[0]
    db.close()
    t.eq(left, 0, '... and nothing of it is committed')


t.done()
