"""The command line, as a user meets it: every message a mistake gets names
what went wrong and what to do, and exits with the documented code.
"""
import os
import shutil
import socket
import subprocess
import tempfile

from somock import BIN, Tap

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


# --- SOMOCK_VERBOSE ------------------------------------------------------
for value in ('4', 'x', '-1', ''):
    code, err = serve(env={'SOMOCK_VERBOSE': value})
    t.ok(code == 2 and 'SOMOCK_VERBOSE' in err and '[0, 3]' in err,
         'SOMOCK_VERBOSE=%r: refused, exit 2' % value, err)

shutil.rmtree(tmp, ignore_errors=True)
t.done()
