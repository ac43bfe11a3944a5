"""What the log says, over the real binary.

- `-v`: one access line per request, control API requests included, with
  the time, the client address, the method, path, status, duration, the
  associate, and for every 4xx the reason: the words of the answer's own
  message. Text and `--log-format json` carry the same fields.
- `-vv`: debug lines, libmicrohttpd's real errors among them, but none of
  its remarks on its own set-up.
- Lines carry no source-file location unless `-vvv`.
"""
import json
import os
import re
import socket
import xml.etree.ElementTree as ET

from somock import Server, Tap, TJE0, run, write_json

t = Tap()
TIME = r'\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z'
TEXT = re.compile(r'^(?P<time>%s) (?P<client>\S+) (?P<method>\S+) '
                  r'(?P<path>\S+) (?P<status>\d{3}) (?P<ms>\d+\.\d{3})ms '
                  r'associate=(?P<associate>\d+|-)'
                  r'(?: reason="(?P<reason>(?:[^"\\]|\\.)*)")?$' % TIME)
LOCATION = re.compile(r'\[\w+\.c:\d+\]|"source"')
H = {'Authorization': TJE0}


def message(r):
    """The words of an error body's message: Message (ErrorMessage in the
    Services' shape), then MessageDetail."""
    keys = ('Message', 'ErrorMessage', 'MessageDetail')
    if b'<faultstring' in r.body:
        # a SOAP Fault: its faultstring
        root = ET.fromstring(r.body)
        return ' '.join(el.text or '' for el in root.iter()
                        if el.tag == 'faultstring')
    if r.body.startswith(b'<'):
        root = ET.fromstring(r.body)
        parts = [el.text for el in root.iter()
                 if el.tag.split('}')[-1] in keys]
    else:
        body = r.json()
        parts = [body.get(k) for k in keys]
    return ' '.join(p for p in parts if p)


def fire(s):
    """Requests answered 200, 4xx of each part of somock, and control.

    Returns [(method, path, status, associate, expected reason)]."""
    sent = []

    def go(method, path, headers=None, body=None, associate=0):
        r = s.request(method, path, headers, body)
        reason = message(r) if 400 <= r.status < 500 else None
        sent.append((method, path, r.status, associate, reason))

    go('GET', '/api/v1/BatchTask/All', H, associate=53)
    go('GET', '/api/v1/BatchTask/All')                          # 401
    go('GET', '/api/v1/BatchTask/Foo', H, associate=53)         # 400
    go('GET', '/api/v1/BatchTask/999999', dict(H, Accept='application/xml'),
       associate=53)                                            # 404, XML
    go('GET', '/api/v1/Nothing', H)                             # 404 route
    go('PUT', '/demo/login', {})                                # 405 demo
    go('POST', '/Remote/Services88/Batch.svc',
       {'Content-Type': 'application/soap+xml'}, '<x/>')          # 415 SOAP
    go('GET', '/__somock/nope')                                 # 404 control
    go('POST', '/__somock/reset', None, {})                     # 200 control
    return sent


# --- -v, text ----------------------------------------------------------
s = Server('-v')
sent = fire(s)
s.stop()
err = s.read_stderr()
access = [ln for ln in err.splitlines() if not ln.startswith('somock: ')]
parsed = [TEXT.match(ln) for ln in access]
t.ok(access and all(parsed), '-v: every access line is TIME CLIENT METHOD '
     'PATH STATUS ms associate=ID [reason="..."]', access)
got = [(m['method'], m['path'], int(m['status']),
        0 if m['associate'] == '-' else int(m['associate']),
        m['reason'] and m['reason'].replace('\\"', '"'))
       for m in parsed if m]
t.eq(got, sent, '-v: one line per request, control API requests included; '
     'each 4xx with the words of its body\'s message')
t.ok(all(m['client'] == '127.0.0.1' for m in parsed if m),
     '-v: the client address')
t.ok(all(r[4] for r in sent if 400 <= r[2] < 500) and
     len([r for r in sent if 400 <= r[2] < 500]) >= 6,
     'every 4xx answered had a message to log')
t.eq([ln for ln in err.splitlines() if LOCATION.search(ln)], [],
     '-v: no source-file location on any line')
t.ok(any(ln.startswith('somock: info: serving ') for ln in err.splitlines()),
     '-v: the start-up line reads "somock: info: ..."', err[:300])

# --- -v --log-format json ---------------------------------------------
s = Server('-v', '--log-format', 'json')
sent = fire(s)
s.stop()
err = s.read_stderr()
objs, bad = [], []
for ln in err.splitlines():
    try:
        objs.append(json.loads(ln))
    except ValueError:
        bad.append(ln)
t.eq(bad, [], '--log-format json: every line on stderr is JSON')
access = [o for o in objs if 'method' in o]
t.eq([(o['method'], o['path'], o['status'], o['associate'],
       o.get('reason')) for o in access], sent,
     '--log-format json: method, path, status, associate and a 4xx\'s '
     'reason per request, control API requests included')
t.ok(all(re.fullmatch(TIME, o.get('time', '')) and
         o.get('client') == '127.0.0.1' and isinstance(o.get('ms'), float)
         for o in access), '--log-format json: time, client and ms on each '
     'access line', access[:2])
others = [o for o in objs if 'method' not in o]
t.ok(others and all(set(o) == {'time', 'level', 'message'} for o in others),
     '--log-format json: other lines are {time, level, message}, no source',
     others)

# a failure at start-up is a JSON line too
bad = write_json({'batchTasks': [{'Id': 1, 'State': 'Nope'}]})
code, _, err = run('serve', '--port', '0', '--log-format', 'json',
                   '--fixtures', bad)
try:
    lines = [json.loads(ln) for ln in err.splitlines()]
except ValueError:
    lines = None
t.ok(code == 1 and lines and lines[-1].get('level') == 'error' and
     'State' in lines[-1].get('message', ''),
     '--log-format json: a start-up failure is a JSON line', err)
os.unlink(bad)
code, _, err = run('serve', '--port', '0', '--log-format', 'json',
                   '--timezone', 'Mars/Base')
t.ok(code == 2 and err.startswith('{') and 'Mars/Base' in err and
     'somock zones' in err, '--log-format json: an unknown server zone, '
     'exit 2, as JSON, pointing at somock zones', err)

# --- -vv: debug, without libmicrohttpd's remarks on itself --------------
s = Server('-vv')
s.get('/api/v1/BatchTask/All', H)
c = socket.create_connection(('127.0.0.1', s.port))
c.sendall(b'GET / HTTP/1.1\r\nHost: x\r\nX-Big: ' + b'a' * 100000 +
          b'\r\n\r\n')
try:
    c.recv(4096)
except OSError:
    pass
c.close()
s.get('/api/v1/BatchTask/All', H)        # the 431 is logged by now
s.stop()
err = s.read_stderr()
t.ok('somock: debug: ' in err, '-vv: debug lines', err[:500])
t.ok('MHD_OPTION' not in err and 'Some messages may be printed' not in err,
     '-vv: no libmicrohttpd remark on its own options', err[:500])
t.ok(re.search(r'somock: debug: libmicrohttpd: .*431', err),
     '-vv: libmicrohttpd\'s real errors stay (a header too large, 431)',
     err[:800])
t.eq([ln for ln in err.splitlines() if LOCATION.search(ln)], [],
     '-vv: no source-file location on any line')

# --- -vvv: locations ----------------------------------------------------
for args, what in ((('-vvv',), 'text'),
                   (('-vvv', '--log-format', 'json'), 'json')):
    s = Server(*args)
    s.stop()
    err = s.read_stderr()
    starts = [ln for ln in err.splitlines() if 'serving' in ln]
    t.ok(starts and LOCATION.search(starts[0]) and 'main.c:' in starts[0],
         '-vvv (%s): lines carry their source location' % what, err[:300])
s = Server(env={'SOMOCK_VERBOSE': '3'})
s.stop()
t.ok(re.search(r'^\[main\.c:\d+\] info: serving', s.read_stderr(), re.M),
     'SOMOCK_VERBOSE=3 is -vvv', s.read_stderr()[:300])

# --- nothing but warnings and errors by default -------------------------
s = Server()
s.get('/api/v1/BatchTask/All', H)
s.get('/api/v1/BatchTask/All')
s.stop()
t.eq(s.read_stderr(), '', 'without -v the demo data logs nothing')

t.done()
