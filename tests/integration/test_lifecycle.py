"""Process lifecycle: nothing lost, clean shutdown.

1. init-db is transactional: kill -9 in the middle of loading a large
   fixture (200 000 tasks) leaves the previous database content intact.
2. SIGTERM while several threads hammer the server: exit 0 within 5 s,
   and every request that got an answer got a complete one.
3. serve --db opens the file read-only (checked in /proc: root ignores
   file modes, so chmod alone proves nothing) and never changes it, even
   with the file and its directory made read-only.
"""
import hashlib
import http.client
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import tempfile
import threading
import time

from somock import BIN, FIXTURES, TJE0, WRAPPER, Server, Tap, run

t = Tap()
tmp = tempfile.mkdtemp(prefix='somock-lifecycle-')


def snapshot(path, mode='ro'):
    """Every row of every table, in order: the database's content."""
    con = sqlite3.connect('file:%s?mode=%s' % (path, mode), uri=True)
    try:
        return list(con.iterdump())
    finally:
        con.close()


def big_fixture(path, n):
    with open(path, 'w', encoding='utf-8') as f:
        f.write('{"associates":[{"AssociateId":9001,"Name":"bulk",'
                '"Password":"Bulk-9001"}],"batchTasks":[')
        for i in range(n):
            f.write('%s{"Id":%d,"Name":"bulk task %d","AssociateId":9001,'
                    '"State":"Failed","Description":"US:\\"x\\";NO:\\"y\\"",'
                    '"Created":"2024-03-31T01:00:00.1234567+02:00"}' %
                    (',' if i else '', 1000000 + i, i))
        f.write(']}')


# ---- 1. kill -9 during init-db ------------------------------------------
db = os.path.join(tmp, 'somock.db')
code, out, err = run('init-db', db, os.path.join(FIXTURES, 'demo.json'))
t.eq(code, 0, 'init-db with demo.json')
before = snapshot(db)
t.ok(len(before) > 100, 'the database holds the demo data')
big = os.path.join(tmp, 'big.json')
big_fixture(big, 200000)
journal = db + '-journal'
killed_mid_load = False
p = subprocess.Popen([BIN, 'init-db', db, big], stdout=subprocess.DEVNULL,
                     stderr=subprocess.DEVNULL)
# The journal appears twice: briefly for the schema step, then for the
# fixture's transaction, which lasts seconds. Kill inside the second.
appearances = 0
present = False
deadline = time.time() + 60
while time.time() < deadline and p.poll() is None:
    now = os.path.exists(journal)
    if now and not present:
        appearances += 1
    present = now
    if appearances >= 2:
        time.sleep(0.3)
        break
    time.sleep(0.0005)
if p.poll() is None and os.path.exists(journal):
    p.send_signal(signal.SIGKILL)
    p.wait()
    killed_mid_load = p.returncode == -signal.SIGKILL
else:
    p.kill()
    p.wait()
t.ok(killed_mid_load, 'init-db killed with SIGKILL while the journal '
     'existed (mid-load)')
t.ok(os.path.exists(journal), 'a hot journal was left behind')
# (serve --db straight on a hot journal may refuse the file: a read-only
# connection cannot roll it back; the next writer, e.g. init-db, does.)
after = snapshot(db, 'rw')   # a writer rolls the hot journal back
t.ok(after == before, 'the old database is intact after the kill',
     'rows before %d, after %d' % (len(before), len(after)))
with Server('--db', db) as s:
    r = s.get('/api/v1/BatchTask/All', {'Authorization': TJE0})
    t.eq(r.status, 200, 'the killed-over database serves')
    r = s.get('/api/v1/BatchTask/1000000', {
        'Authorization': 'Basic YnVsazpCdWxrLTkwMDE='})
    t.eq(r.status, 401, 'nothing of the interrupted load is visible')

# a failing load (bad entry at the end) is rolled back as well
bad = os.path.join(tmp, 'bad.json')
with open(bad, 'w') as f:
    json.dump({'batchTasks': [{'Id': 5000000, 'State': 'Failed'},
                              {'Id': 5000001, 'State': 'Nope'}]}, f)
code, out, err = run('init-db', db, bad)
t.ok(code == 1 and snapshot(db) == before,
     'a fixture failing half-way changes nothing', err)

# ---- 2. SIGTERM under load -----------------------------------------------
s = Server('--no-cache', '--threads', '4')
stop_at = [None]
results = {'complete': 0, 'refused': 0, 'incomplete': []}
lock = threading.Lock()
paths = ['/api/v1/BatchTask/All', '/api/v1/BatchTask/Failed',
         '/api/v1/BatchTask/105', '/api/v1/BatchTask/Nope']


def hammer(k):
    i = 0
    while True:
        path = paths[(i + k) % len(paths)]
        xml = i % 2 == 1
        hdrs = {'Authorization': TJE0,
                'Accept': 'application/xml' if xml else 'application/json'}
        i += 1
        conn = http.client.HTTPConnection('127.0.0.1', s.port, timeout=10)
        try:
            conn.request('GET', path, headers=hdrs)
        except OSError:
            with lock:
                results['refused'] += 1
            conn.close()
            if stop_at[0]:
                return
            continue
        try:
            r = conn.getresponse()
            body = r.read()
            ok = (r.status in (200, 400) and
                  len(body) == int(r.getheader('Content-Length', '-1')))
            if ok and r.status == 200 and not xml:
                json.loads(body)
            with lock:
                if ok:
                    results['complete'] += 1
                else:
                    results['incomplete'].append((path, r.status,
                                                  len(body)))
        except (http.client.RemoteDisconnected, ConnectionResetError):
            # closed before a status line: never accepted for processing
            with lock:
                results['refused'] += 1
        except Exception as e:   # IncompleteRead, bad JSON, ...
            with lock:
                results['incomplete'].append((path, repr(e)[:200]))
        finally:
            conn.close()
        if stop_at[0]:
            return


threads = [threading.Thread(target=hammer, args=(k,), daemon=True)
           for k in range(8)]
for th in threads:
    th.start()
time.sleep(1.5)
n_before = results['complete']
stop_at[0] = time.time()
s.proc.send_signal(signal.SIGTERM)
# the bound: 5 s, ten times that under valgrind (meson --setup valgrind)
BOUND = 50 if WRAPPER else 5
try:
    code = s.proc.wait(BOUND)
except subprocess.TimeoutExpired:
    code = None
elapsed = time.time() - stop_at[0]
for th in threads:
    th.join(10)
t.ok(n_before > 50, 'the server was under load (%d answers before '
     'SIGTERM)' % n_before)
t.eq(code, 0, 'SIGTERM under load: exit 0 (after %.2f s)' % elapsed)
t.ok(elapsed < BOUND, 'exited within %d s' % BOUND)
t.eq(results['incomplete'], [], 'every answered request got a complete '
     'answer (%d complete, %d refused after the stop)' %
     (results['complete'], results['refused']))
s.stop()

# ---- 3. --db is opened read-only ---------------------------------------
rodir = os.path.join(tmp, 'ro')
os.mkdir(rodir)
rodb = os.path.join(rodir, 'somock.db')
code, out, err = run('init-db', rodb, os.path.join(FIXTURES, 'demo.json'))
t.eq(code, 0, 'init-db for the read-only test')
with open(rodb, 'rb') as f:
    digest = hashlib.sha256(f.read()).hexdigest()
mtime = os.stat(rodb).st_mtime_ns
os.chmod(rodb, 0o444)
os.chmod(rodir, 0o555)
try:
    with Server('--db', rodb) as s:
        r = s.get('/api/v1/BatchTask/Failed', {'Authorization': TJE0})
        t.ok(r.status == 200 and len(r.json()) > 0,
             'serving from a read-only file in a read-only directory')
        modes = []
        fd_dir = '/proc/%d/fd' % s.proc.pid
        for fd in os.listdir(fd_dir):
            try:
                target = os.readlink(os.path.join(fd_dir, fd))
            except OSError:
                continue
            if target.startswith(rodb):
                with open('/proc/%d/fdinfo/%s' % (s.proc.pid, fd)) as f:
                    flags = int(f.readline().split()[1], 8)
                modes.append((target, flags & os.O_ACCMODE))
        t.ok(modes and all(m == os.O_RDONLY for _, m in modes),
             'every descriptor on the database is O_RDONLY', modes)
        for i in range(20):
            s.get('/api/v1/BatchTask/All', {'Authorization': TJE0})
    t.eq(sorted(os.listdir(rodir)), ['somock.db'],
         'no journal or WAL file next to the database')
    with open(rodb, 'rb') as f:
        same = hashlib.sha256(f.read()).hexdigest() == digest
    t.ok(same and os.stat(rodb).st_mtime_ns == mtime,
         'the database file is byte-identical and untouched')
finally:
    os.chmod(rodir, 0o755)
    os.chmod(rodb, 0o644)
    shutil.rmtree(tmp, ignore_errors=True)
t.done()
