"""docs/batch-service.md runs: every sh example, against a real server.

Each ```sh block of the page is run with bash (set -eo pipefail) and URL
set to a server started with the demo data; before each block that server
is reset (data, journal, faults) and every sandbox dropped, so no block
depends on another, and the blocks run in the page's order and again in
reverse. A block whose first line is "# somock serve ARGS" gets a server
of its own. Each block must exit 0, write nothing to stderr, and print
what the block after it shows (json: the values shown, objects by the
members shown, "…" for any value; text and xml: the lines, "…" for any
run of characters).

The carriers a reading block shows for demo tasks are also checked against
fixtures/demo.json, and every Agents operation (server/api/agents.c) and
BatchTask route (server/api/route.c) must have a section with an example.
"""
import json
import os
import re
import subprocess
import tempfile

from somock import ROOT, Server, Tap, load_fixture

t = Tap()
DOC = os.path.join(ROOT, 'docs', 'batch-service.md')
with open(DOC, encoding='utf-8') as f:
    TEXT = f.read()
demo = load_fixture('demo.json')
demo_by_id = {x['Id']: x for x in demo['batchTasks']}
ELLIPSIS = '\u2026'


# ------------------------------------------------------------ the page

def fenced(text):
    """Every fenced block: dict(lang, body, line, end)."""
    out, lines, i = [], text.split('\n'), 0
    while i < len(lines):
        m = re.match(r'^```(\S*)\s*$', lines[i])
        if m:
            start, i, body = i, i + 1, []
            while i < len(lines) and not lines[i].startswith('```'):
                body.append(lines[i])
                i += 1
            out.append(dict(lang=m.group(1), body='\n'.join(body) + '\n',
                            line=start + 1, end=i + 1))
        i += 1
    return out


blocks = fenced(TEXT)
examples = []      # dict(sh, want, lang, line, serve)
problems = []
for k, b in enumerate(blocks):
    if b['lang'] != 'sh':
        continue
    nxt = blocks[k + 1] if k + 1 < len(blocks) else None
    if not nxt or nxt['line'] != b['end'] + 1 or \
            nxt['lang'] not in ('json', 'text', 'xml'):
        problems.append('line %d: a sh block with no json, text or xml '
                        'block right after it' % b['line'])
        continue
    first = b['body'].split('\n', 1)[0]
    m = re.match(r'^# somock serve\b(.*)$', first)
    examples.append(dict(sh=b['body'], want=nxt['body'], lang=nxt['lang'],
                         line=b['line'], serve=m.group(1).split() if m
                         else None))
    if re.search(r'127\.0\.0\.1|localhost', b['body']):
        problems.append('line %d: the block names a host; use $URL'
                        % b['line'])
t.ok(not problems and len(examples) >= 30,
     '%d sh examples, each followed by its output' % len(examples),
     '\n'.join(problems))


# ------------------------------------------------------------ coverage

with open(os.path.join(ROOT, 'server', 'api', 'agents.c'),
          encoding='utf-8') as f:
    ops = re.findall(r'\{\s*AGENT_\w+,\s*"(\w+)"', f.read())
t.eq(len(ops), 15, 'the Agents table of server/api/agents.c has 15 '
     'operations')


def section(heading_re):
    """The text under the first heading matching @heading_re, or None."""
    m = re.search(r'^(#+) ' + heading_re + r'\s*$', TEXT, re.M)
    if not m:
        return None
    rest = TEXT[m.end():]
    stop = re.search(r'^#{1,%d} ' % len(m.group(1)), rest, re.M)
    return rest[:stop.start()] if stop else rest


missing = []
for op in ops:
    body = section(re.escape(op))
    if body is None or not re.search(
            r'```sh\n(?:[^`]|`(?!``))*\$URL/api/v1/Agents/Batch/%s\b' % op,
            body):
        missing.append(op)
t.eq(missing, [], 'every Agents operation has a section whose example '
     'calls it')

with open(os.path.join(ROOT, 'server', 'api', 'route.c'),
          encoding='utf-8') as f:
    routes = re.findall(r'\{\s*ROUTE_\w+,\s*"([^"]+)",\s*"([^"]+)"\s*\}',
                        f.read())
missing = []
for pattern, methods in routes:
    if not pattern.startswith('api/v1/'):
        continue                                 # GET /api: behaviour.md
    for method in methods.split(', '):
        if method == 'HEAD':
            continue                             # with GET
        path = re.escape('/' + pattern).replace(r'\{\}', r'\{\w+\}')
        if section('`%s %s`' % (method, path)) is None:
            missing.append('%s /%s' % (method, pattern))
t.ok(routes and not missing, 'every BatchTask and Agents route of '
     'server/api/route.c has a section', '\n'.join(missing))


# ------------------------------------------------------------ comparing

def json_values(s):
    dec, out, i, s = json.JSONDecoder(), [], 0, s.strip()
    while i < len(s):
        v, i = dec.raw_decode(s, i)
        out.append(v)
        while i < len(s) and s[i].isspace():
            i += 1
    return out


def wild(pattern, s):
    parts = [re.escape(p) for p in pattern.split(ELLIPSIS)]
    return re.fullmatch('.*'.join(parts), s, re.S) is not None


def match(want, got, path, diffs):
    """Is @got what @want shows? Differences go to @diffs."""
    if want == ELLIPSIS:
        return
    if isinstance(want, dict):
        if not isinstance(got, dict):
            diffs.append('%s: want an object, got %r' % (path, got))
            return
        for k, v in want.items():
            if k not in got:
                diffs.append('%s: no member %r' % (path, k))
            else:
                match(v, got[k], '%s.%s' % (path, k), diffs)
    elif isinstance(want, list):
        if not isinstance(got, list) or len(got) != len(want):
            diffs.append('%s: want %d items, got %s' % (
                path, len(want), len(got) if isinstance(got, list) else
                repr(got)[:80]))
            return
        for i, (w, g) in enumerate(zip(want, got)):
            match(w, g, '%s[%d]' % (path, i), diffs)
    elif isinstance(want, str) and ELLIPSIS in want:
        if not isinstance(got, str) or not wild(want, got):
            diffs.append('%s: %r does not match %r' % (path, got, want))
    elif type(want) is not type(got) or want != got:
        diffs.append('%s: want %r, got %r' % (path, want, got))


def compare(ex, out):
    """The differences between what @ex shows and @out, [] when none."""
    if ex['lang'] == 'json':
        try:
            got = json_values(out)
        except ValueError as e:
            return ['the output is not a series of JSON values (%s): %r'
                    % (e, out[:300])]
        want = json_values(ex['want'])
        if len(got) != len(want):
            return ['%d JSON values shown, %d printed: %r'
                    % (len(want), len(got), out[:300])]
        diffs = []
        for i, (w, g) in enumerate(zip(want, got)):
            match(w, g, 'value %d' % (i + 1), diffs)
        return diffs
    want = ex['want']
    if ex['lang'] == 'xml':
        want = ''.join(line.strip() for line in want.split('\n')) + '\n'
    want_lines = want.rstrip('\n').split('\n')
    got_lines = out.rstrip('\n').split('\n')
    if len(want_lines) != len(got_lines):
        return ['%d lines shown, %d printed: %r'
                % (len(want_lines), len(got_lines), out[:300])]
    return ['line %d: %r does not match %r' % (i + 1, g, w)
            for i, (w, g) in enumerate(zip(want_lines, got_lines))
            if not wild(w.rstrip(), g.rstrip())]


# ------------------------------------------------------------ running

def run_block(ex, url):
    with tempfile.TemporaryDirectory() as tmp:
        env = {'PATH': os.environ.get('PATH', '/usr/bin:/bin'),
               'HOME': tmp, 'URL': url, 'LC_ALL': 'C.UTF-8'}
        p = subprocess.run(['bash', '-c', 'set -eo pipefail\n' + ex['sh']],
                           capture_output=True, env=env, cwd=tmp,
                           timeout=60)
    return p.returncode, p.stdout.decode('utf-8', 'replace'), \
        p.stderr.decode('utf-8', 'replace')


def fresh(s):
    """The shared server as it started: data, journal, faults, sandboxes."""
    r = s.post('/__somock/reset', {'journal': True, 'faults': True})
    assert r.status == 200, r.text
    for sb in s.get('/__somock/sandboxes').json():
        s.request('DELETE', '/__somock/sandboxes/' + sb['name'])


def check(ex, url, order):
    code, out, err = run_block(ex, url)
    diffs = compare(ex, out) if code == 0 else []
    t.ok(code == 0 and not err and not diffs,
         'line %d (%s): %s' % (ex['line'], order, ex['sh'].split('\n')[
             1 if ex['serve'] is not None else 0][:70]),
         'exit %d\nstderr: %s\n%s\noutput:\n%s' % (code, err[:500],
                                                    '\n'.join(diffs[:10]),
                                                    out[:1500]))


WRITES = re.compile(r'StartBatchJob|UpdateBatchTask|StopBatchJob|Delete'
                    r'BatchTask|-X (?:PUT|DELETE|POST)|/Stop\b|__somock/'
                    r'(?:fixtures|clock)|\$URL/api/v1/BatchTask(?![/\w])|SO-Language|'
                    r'Accept-Language|\$select|^# somock serve', re.M)
DATES = ('LastStarted', 'Created')


def carriers(v):
    if isinstance(v, dict):
        if isinstance(v.get('Id'), int):
            yield v
        for x in v.values():
            yield from carriers(x)
    elif isinstance(v, list):
        for x in v:
            yield from carriers(x)


# the carriers a reading example shows are the demo data's
drift = []
shown = 0
for ex in examples:
    if ex['lang'] != 'json' or WRITES.search(ex['sh']):
        continue
    for c in (c for v in json_values(ex['want']) for c in carriers(v)):
        fx = demo_by_id.get(c['Id'])
        if fx is None:
            continue
        shown += 1
        for k, v in c.items():
            if k in DATES or k not in fx or v == ELLIPSIS:
                continue
            if fx[k] != v:
                drift.append('line %d: task %d %s is %r in the demo data, '
                             '%r on the page' % (ex['line'], c['Id'], k,
                                                 fx[k], v))
t.ok(shown >= 20 and not drift, '%d demo tasks shown by reading examples '
     'agree with fixtures/demo.json' % shown, '\n'.join(drift))

with Server() as s:
    url = 'http://127.0.0.1:%d' % s.port
    shared = [ex for ex in examples if ex['serve'] is None]
    own = [ex for ex in examples if ex['serve'] is not None]
    for order, seq in (('in order', shared), ('reversed', shared[::-1])):
        for ex in seq:
            fresh(s)
            check(ex, url, order)
    t.eq(s.get('/__somock/health').json()['status'], 'ok',
         'the shared server is still up after %d blocks' % (2 * len(shared)))

for ex in own:
    with Server(*ex['serve']) as own_server:
        check(ex, 'http://127.0.0.1:%d' % own_server.port,
              'somock serve ' + ' '.join(ex['serve']))

t.done()
