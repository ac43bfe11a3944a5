"""The command line, as a user meets it: every message a mistake gets names
what went wrong and what to do, and exits with the documented code.
"""
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import tempfile

from somock import BIN, ROOT, Tap

t = Tap()
tmp = tempfile.mkdtemp(prefix='somock-cli-')


def serve(*args, env=None, timeout=20):
    """`somock serve --port 0 ARGS` expected to fail: (code, stderr)."""
    p = subprocess.run([BIN, 'serve', '--port', '0'] + list(args),
                       capture_output=True, timeout=timeout,
                       env=dict(os.environ, **(env or {})))
    return p.returncode, p.stderr.decode()


# --- a port in use ------------------------------------------------------
busy = socket.socket()
busy.bind(('127.0.0.1', 0))
busy.listen(1)
port = busy.getsockname()[1]
p = subprocess.run([BIN, 'serve', '--port', str(port)], capture_output=True,
                   timeout=20)
err = p.stderr.decode()
t.ok(p.returncode == 1 and 'port %d' % port in err and
     'Address already in use' in err and '--port 0' in err,
     'a port in use: exit 1, the port, the reason, and --port 0 suggested',
     err)
t.ok('port 0:' not in err, '... not libmicrohttpd\'s "port 0"', err)
busy.close()


# --- TLS: the file and the real reason ----------------------------------
def make_cert(name):
    cert = os.path.join(tmp, name + '-cert.pem')
    key = os.path.join(tmp, name + '-key.pem')
    p = subprocess.run(['openssl', 'req', '-x509', '-newkey', 'rsa:2048',
                        '-nodes', '-keyout', key, '-out', cert, '-days', '2',
                        '-subj', '/CN=127.0.0.1'], capture_output=True,
                       timeout=60)
    return (cert, key) if p.returncode == 0 else None


made = make_cert('a') if shutil.which('openssl') else None
other = make_cert('b') if made else None
if t.ok(made and other, 'two self-signed certificates are made (openssl)'):
    cert, key = made
    garbled = os.path.join(tmp, 'garbled-key.pem')
    with open(key) as f:
        lines = f.read().splitlines()
    with open(garbled, 'w') as f:
        f.write('\n'.join(lines[:1] + ['!' + x[1:] for x in lines[1:-1]] +
                          lines[-1:]) + '\n')
    text = os.path.join(tmp, 'notes.txt')
    with open(text, 'w') as f:
        f.write('not a certificate\n')
    cases = [
        (('--tls-cert', key, '--tls-key', cert), [key, 'no PEM certificate',
                                                  'wrong way round'],
         'cert and key swapped: says so'),
        (('--tls-cert', text, '--tls-key', key), [text, 'no PEM certificate'],
         'a certificate file that is no PEM: names it'),
        (('--tls-cert', cert, '--tls-key', text), [text, 'no PEM private key'],
         'a key file that is no PEM: names it'),
        (('--tls-cert', cert, '--tls-key', os.path.join(tmp, 'none.pem')),
         ['--tls-key', 'none.pem', 'No such file or directory'],
         'a missing key file: names the option, the file and why'),
        (('--tls-cert', cert, '--tls-key', other[1]),
         [cert, other[1], 'do not match'],
         'a key of another certificate: names both, GnuTLS\'s reason'),
        (('--tls-cert', cert, '--tls-key', garbled),
         [cert, garbled, 'GnuTLS'],
         'a damaged key: names both, GnuTLS\'s reason'),
    ]
    for args, words, what in cases:
        code, err = serve(*args)
        t.ok(code == 1 and all(w in err for w in words) and
             'No such file' not in err.replace(
                 'none.pem\': No such file', ''), what, err)


# --- help ---------------------------------------------------------------
def cli(*args, env=None, cwd=None):
    p = subprocess.run([BIN] + list(args), capture_output=True, timeout=30,
                       cwd=cwd, env=dict(os.environ, **(env or {})))
    return p.returncode, p.stdout.decode(), p.stderr.decode()


for args in (('--help',), ('help',), ('-h',), ('help', 'help')):
    code, out, _ = cli(*args)
    t.ok(code == 0 and all(w in out for w in (
        'serve', 'init-db', 'check', 'record', 'zones', 'help',
        'man somock', 'docs/', 'http://127.0.0.1:8080/', 'tje0 / Tje0')),
        'somock %s: the commands, the docs, the demo page and a login'
        % ' '.join(args), out)
code, out, err = cli()
t.ok(code == 2 and not out and 'usage: somock COMMAND' in err,
     'no command: the usage on stderr, exit 2')
code, _, err = cli('frobnicate')
t.ok(code == 2 and "unknown command 'frobnicate'" in err and '--help' in err,
     'an unknown command: exit 2, pointing at --help', err)

cwd = tempfile.mkdtemp(dir=tmp)
for cmd in ('serve', 'init-db', 'check', 'record', 'zones'):
    for flag in ('--help', '-h') if cmd != 'record' else ('--help',):
        code, out, err = cli(cmd, flag, cwd=cwd)
        t.ok(code == 0 and out.startswith('usage: somock ' + cmd) and
             not err, 'somock %s %s: its usage, exit 0' % (cmd, flag),
             out[:200] + err)
    code, out, _ = cli('help', cmd)
    t.ok(code == 0 and out.startswith('usage: somock ' + cmd) if
         cmd != 'zones' else code == 0 and 'somock zones' in out,
         'somock help %s' % cmd, out[:200])
t.eq(os.listdir(cwd), [], '--help made no file (init-db once made one '
     'named --help)')
code, out, _ = cli('help', 'fixtures')
t.ok(code == 0 and all(k in out for k in (
    'associates', 'tickets', 'tokens', 'sessions', 'apps', 'resources',
    'batchTasks', 'demo.json', '--fixtures', 'somock(5)')),
    'somock help fixtures: the keys, layering over the demo data', out)
code, out, _ = cli('help', 'zones')
t.ok(code == 0 and all(w in out for w in ('NO', '261', 'Europe/Oslo',
                                          'includeTZOffset', 'somock zones')),
     'somock help zones: the three forms of a zone\'s name', out)
code, _, err = cli('help', 'bogus')
t.ok(code == 2 and "'bogus'" in err and 'fixtures' in err,
     'somock help bogus: exit 2, naming the topics', err)
for cmd in ('init-db', 'check'):
    code, _, err = cli(cmd, '--bogus', 'x', cwd=cwd)
    t.ok(code == 2 and "unknown option '--bogus'" in err,
         'somock %s --bogus: a usage error, exit 2' % cmd, err)
t.eq(os.listdir(cwd), [], '... and no file made')

# --- zones ----------------------------------------------------------------
code, out, _ = cli('zones')
rows = [ln.split() for ln in out.splitlines()[1:]]
codes = {r[0]: (r[1], r[2]) for r in rows}
t.ok(code == 0 and out.startswith('code') and len(rows) > 300,
     'somock zones: a header and every code (%d)' % len(rows))
t.eq([codes.get(c) for c in ('NO', 'US-NY', 'UTC')],
     [('261', 'Europe/Oslo'), ('460', 'America/New_York'),
      ('1', 'Etc/UTC')], 'somock zones: code, id and IANA zone')
t.eq([r[0] for r in rows], sorted(r[0] for r in rows), 'in code order')
code, _, err = cli('zones', 'extra')
t.eq(code, 2, 'somock zones with an argument: exit 2')

# --- SOMOCK_VERBOSE ------------------------------------------------------
for value in ('4', 'x', '-1', ''):
    code, err = serve(env={'SOMOCK_VERBOSE': value})
    t.ok(code == 2 and 'SOMOCK_VERBOSE' in err and '[0, 3]' in err,
         'SOMOCK_VERBOSE=%r: refused, exit 2' % value, err)

# --- --db on a missing file ---------------------------------------------
missing = os.path.join(tmp, 'missing.db')
code, err = serve('--db', missing)
t.ok(code == 1 and missing in err and 'somock init-db ' + missing in err,
     '--db on a missing file: exit 1, suggesting init-db', err)
t.ok(not os.path.exists(missing), '... and the file is not made')

# --- init-db: what it loaded; nothing left when a new file fails --------
demo = os.path.join(ROOT, 'fixtures', 'demo.json')
sample = os.path.join(ROOT, 'fixtures', 'doc-sample.json')
db = os.path.join(tmp, 'made.db')
code, out, err = cli('init-db', db, demo, sample)
lines = out.splitlines()
t.ok(code == 0 and lines[:2] == [demo + ': loaded', sample + ': loaded'],
     'init-db: each file loaded', out + err)
t.ok(len(lines) == 3 and re.fullmatch(
    re.escape(db) + r': 98 tasks, 9 associates, \d+ tickets, \d+ tokens, '
    r'\d+ sessions, \d+ apps, \d+ resource strings', lines[-1]),
    'init-db: what the database holds', out)
broken = os.path.join(tmp, 'broken.json')
with open(broken, 'w') as f:
    f.write('{"batchTasks": [{"Id": 1, "State": "Foo"}]}')
new = os.path.join(tmp, 'new.db')
code, out, err = cli('init-db', new, demo, broken)
t.ok(code == 1 and 'broken.json' in err and 'State' in err,
     'init-db with a bad file: exit 1, naming file and field', err)
t.eq(sorted(x for x in os.listdir(tmp) if x.startswith('new.db')), [],
     '... a database it created is removed, journal and all')


def content(path):
    con = sqlite3.connect('file:%s?mode=ro' % path, uri=True)
    try:
        return list(con.iterdump())
    finally:
        con.close()


before = content(db)
code, _, err = cli('init-db', db, broken)
t.ok(code == 1 and os.path.exists(db) and content(db) == before and
     'removed' not in err, '... an existing database stays, its content '
     'unchanged', err)
code, _, err = cli('init-db', new)
t.ok(code == 0 and os.path.exists(new),
     'init-db PATH alone makes an empty database', err)

shutil.rmtree(tmp, ignore_errors=True)
t.done()
