"""The hostile-input catalogue: raw requests over a socket.

Every case in tests/hostile/cases.json is sent byte for byte to a running
somock; the answer's status (or statuses, for pipelining and 100-continue,
or "closed" when the connection must close unanswered) must be the one the
case expects. After every case the server must still be up and answer a
set of normal requests byte for byte as before the first case (the Date
header aside).

Case fields: name, send (a string whose characters are bytes, U+0000 to
U+00FF), expect (a status, a list of statuses, or "closed"), note, and
optionally content_type (the answer's media type), split (send in pieces
of that many bytes) and deviation {status, why}: what libmicrohttpd 0.9.75
or somock answers today where that is not the right answer. A deviation is
reported as a TAP TODO, so it stays visible without failing the suite;
the right answer passes plainly, anything else fails.

In send: @HOST@ and @AUTH@ expand to a Host line and tje0's Basic line,
@REPEAT(text,N)@ to text N times, @B64(text)@ to base64 of text, @CL@
to the length of the body (what follows the first empty line).
Run with --probe to print what the server answers for each case.
"""
import base64
import json
import os
import re
import socket
import sys
import threading
import time

from somock import ROOT, Server, Tap

CASES = os.path.join(ROOT, 'tests', 'hostile', 'cases.json')
AUTH = 'Authorization: Basic dGplMDpUamUw\r\n'


def expand(send):
    send = send.replace('@HOST@', 'Host: somock\r\n').replace('@AUTH@', AUTH)
    send = re.sub(r'@REPEAT\((.*?),(\d+)\)@',
                  lambda m: m.group(1) * int(m.group(2)), send, flags=re.S)
    send = re.sub(r'@B64\((.*?)\)@', lambda m: base64.b64encode(
        m.group(1).encode('latin-1')).decode('ascii'), send, flags=re.S)
    if '@CL@' in send:
        body = send.split('\r\n\r\n', 1)[1]
        send = send.replace('@CL@', str(len(body.encode('latin-1'))))
    return send.encode('latin-1')


class Reader:
    """Parse HTTP/1.1 responses off a socket, one at a time."""

    def __init__(self, sock):
        self.sock = sock
        self.buf = b''
        self.eof = False

    def _fill(self):
        if self.eof:
            return False
        try:
            d = self.sock.recv(65536)
        except (socket.timeout, ConnectionError, OSError):
            d = b''
        if not d:
            self.eof = True
            return False
        self.buf += d
        return True

    def _line(self):
        while b'\r\n' not in self.buf:
            if not self._fill():
                return None
        line, self.buf = self.buf.split(b'\r\n', 1)
        return line

    def _take(self, n):
        while len(self.buf) < n:
            if not self._fill():
                break
        data, self.buf = self.buf[:n], self.buf[n:]
        return data

    def response(self, head=False):
        """(status, headers list, body) or None at end of stream."""
        line = self._line()
        if line is None:
            return None
        m = re.match(rb'HTTP/1\.[01] (\d{3})', line)
        if not m:
            return (-1, [('raw', line)], b'')
        status = int(m.group(1))
        headers = []
        while True:
            h = self._line()
            if h is None or h == b'':
                break
            name, _, value = h.partition(b':')
            headers.append((name.decode('latin-1').lower(),
                            value.strip().decode('latin-1')))
        hd = dict(headers)
        if status < 200 or status in (204, 304) or head:
            body = b''
        elif 'content-length' in hd:
            body = self._take(int(hd['content-length']))
        elif hd.get('transfer-encoding', '').lower() == 'chunked':
            body = b''
            while True:
                size = int((self._line() or b'0').split(b';')[0], 16)
                if not size:
                    self._line()
                    break
                body += self._take(size)
                self._line()
        else:
            while self._fill():
                pass
            body, self.buf = self.buf, b''
        return status, headers, body


def exchange(port, data, n_answers, split=None, head=False, timeout=10):
    """Send @data, read up to @n_answers responses; returns (list, closed)."""
    sock = socket.create_connection(('127.0.0.1', port), timeout=timeout)

    def writer():
        try:
            if split:
                for i in range(0, len(data), split):
                    sock.sendall(data[i:i + split])
                    time.sleep(0.01)
            else:
                sock.sendall(data)
        except OSError:
            pass    # the server may answer and close before reading it all

    w = threading.Thread(target=writer, daemon=True)
    w.start()
    reader = Reader(sock)
    answers = []
    try:
        while len(answers) < n_answers:
            r = reader.response(head=head)
            if r is None:
                break
            answers.append(r)
        # "closed": nothing more may come; otherwise we do not wait
        closed = False
        if not answers or n_answers == 0:
            sock.settimeout(3)
            closed = not reader._fill() and not reader.buf
    finally:
        w.join(timeout)
        sock.close()
    return answers, closed


NORMAL = [
    b'GET /api/v1/BatchTask/Failed HTTP/1.1\r\nHost: somock\r\n' +
    AUTH.encode() + b'\r\n',
    b'GET /api/v1/BatchTask/All HTTP/1.1\r\nHost: somock\r\n' +
    AUTH.encode() + b'Accept: application/xml\r\nSO-Language: sv\r\n'
    b'SO-TimeZone: US-NY,includeTZOffset\r\n\r\n',
    b'POST /api/v1/Agents/Batch/GetBatchTaskInfo HTTP/1.1\r\n'
    b'Host: somock\r\n' + AUTH.encode() +
    b'Content-Type: application/json\r\nContent-Length: 10\r\n\r\n'
    b'{"id":105}',
    b'GET /api/v1/BatchTask/Nope HTTP/1.1\r\nHost: somock\r\n\r\n',
]


def normal_answers(port):
    out = []
    for req in NORMAL:
        answers, _ = exchange(port, req, 1)
        out.append([(s, [h for h in hs if h[0] != 'date'], b)
                    for s, hs, b in answers])
    return out


def statuses_of(answers, closed, expect):
    if expect == 'closed':
        return 'closed' if closed else [a[0] for a in answers]
    got = [a[0] for a in answers]
    if isinstance(expect, list):
        return got[:len(expect)]
    return got[0] if got else ('closed' if closed else None)


def main():
    probe = '--probe' in sys.argv
    with open(CASES, encoding='utf-8') as f:
        cases = json.load(f)
    t = Tap()
    t.ok(len(cases) >= 60, '%d hostile cases (at least 60)' % len(cases))
    names = [c['name'] for c in cases]
    t.eq(len(set(names)), len(names), 'case names are unique')
    with Server() as s:
        before = normal_answers(s.port)
        t.eq([a[0][0] if a else None for a in before], [200, 200, 200, 401],
             'the normal requests answer before the catalogue')
        for case in cases:
            data = expand(case['send'])
            expect = case['expect']
            n = len(expect) if isinstance(expect, list) else (
                0 if expect == 'closed' else 1)
            head = data.startswith(b'HEAD ')
            answers, closed = exchange(s.port, data, max(n, 1),
                                       split=case.get('split'), head=head)
            got = statuses_of(answers, closed, expect)
            if probe:
                print('# %-45s got %r want %r' % (case['name'], got, expect))
                continue
            dev = case.get('deviation')
            ctype = case.get('content_type')
            good = got == expect
            if good and ctype and answers:
                good = dict(answers[0][1]).get(
                    'content-type', '').startswith(ctype)
            if good:
                t.ok(True, '%s: %r' % (case['name'], expect))
            elif dev and got == dev['status']:
                # a known deviation, owned by libmicrohttpd or somock
                t.count += 1
                print('not ok %d - %s: %r, want %r # TODO %s' % (
                    t.count, case['name'], got, expect, dev['why']))
            else:
                t.ok(False, '%s: %r' % (case['name'], expect),
                     'got %r; first answer: %r' % (
                         got, answers[0] if answers else None))
            alive = s.proc.poll() is None
            after = normal_answers(s.port) if alive else None
            if not t.ok(alive and after == before,
                        'after "%s": server up, same answers' % case['name'],
                        'exit %r' % s.proc.poll() if not alive else
                        'answers differ'):
                if not alive:
                    break
        code = s.stop()
        t.eq(code, 0, 'SIGTERM after the catalogue: exit 0')
        err = s.read_stderr()
        t.ok('AddressSanitizer' not in err and 'runtime error' not in err,
             'no sanitizer report', err[-2000:])
    t.done()


main()
