"""The CI features over real HTTP.

The control API under /__somock/ (health, reset, fixtures, the request
journal and its count, faults, clock, sandboxes), sandbox isolation under
8 parallel clients, every fault kind, the mock clock and the task
lifecycle (--simulate), hot reload (--watch), TLS, CORS, the access log,
the demo login, and the two CI examples in docs/examples.

Expected rows are computed from fixtures/demo.json or from the fixture
documents written here, never copied from the server's answers.
"""
import fnmatch
import http.client
import json
import os
import re
import shutil
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import traceback

from somock import (BIN, ROOT, Server, Tap, TJE0, basic, load_fixture,
                    run)

t = Tap()
demo = load_fixture('demo.json')
tenant_of = {a['AssociateId']: a.get('Tenant') or ''
             for a in demo['associates']}
H = {'Authorization': TJE0}
STATE_ORDER = {'New': 1, 'Aquired': 2, 'Started': 3, 'Succeeded': 4,
               'Failed': 5}




def expected_ids(tenant='', state='All', extra=()):
    ids = [x['Id'] for x in demo['batchTasks']
           if tenant_of.get(x.get('AssociateId', 0), '') == tenant
           and not x.get('IsSystemTask', False)
           and (state == 'All' or x.get('State', 'Unknown') == state)]
    return sorted(set(ids) | set(extra))


def ids(r):
    return sorted(x['Id'] for x in r.json()) if r.status == 200 else r.status


def demo_task(tid):
    return next(x for x in demo['batchTasks'] if x['Id'] == tid)


def tje0_task(state):
    """A tje0-visible task of @state from the demo data."""
    return next(x for x in demo['batchTasks']
                if tenant_of.get(x.get('AssociateId', 0), '') == ''
                and not x.get('IsSystemTask', False)
                and x.get('State') == state)


def section(fn):
    """Run one group of checks; an exception is one failed point."""
    try:
        fn()
    except Exception:
        t.ok(False, '%s ran to the end' % fn.__name__,
             traceback.format_exc())
    return fn


def timed(fn, *a, **kw):
    start = time.monotonic()
    r = fn(*a, **kw)
    return r, time.monotonic() - start


def non_loopback_ip():
    """An address of this machine that is not loopback, or None."""
    for probe in ('192.0.2.1', '10.255.255.255', '198.51.100.1'):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            s.connect((probe, 9))
            ip = s.getsockname()[0]
            if not ip.startswith('127.') and ip != '0.0.0.0':
                return ip
        except OSError:
            pass
        finally:
            s.close()
    return None


def raw_request(host, port, method, path, headers=None, body=None,
                timeout=10):
    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        if isinstance(body, (dict, list)):
            body = json.dumps(body)
            headers = dict(headers or {}, **{'Content-Type':
                                              'application/json'})
        conn.request(method, path, body=body, headers=headers or {})
        r = conn.getresponse()
        return r.status, r.msg, r.read()
    finally:
        conn.close()


# --- health, routing, admin token -----------------------------------------

@section
def health_and_routing():
    rc, out, _ = run('--version')
    version = out.split()[-1] if rc == 0 else None
    with Server() as s:
        # the very first request after the listening line
        r = s.get('/__somock/health')
        t.eq(r.status, 200, 'health answers right after the listening line')
        h = r.json()
        t.eq((h.get('status'), h.get('version'), h.get('mode'),
              h.get('simulate'), h.get('watch')),
             ('ok', version, 'onsite', False, False),
             'health: status, version (as --version), mode, simulate, watch')
        t.ok(isinstance(h.get('uptimeMs'), int) and h['uptimeMs'] >= 0 and
             isinstance(h.get('dataVersion'), int),
             'health: uptimeMs and dataVersion are integers', h)
        t.ok('reloads' not in h, 'health: no reload fields without --watch')
        t.eq(s.request('HEAD', '/__somock/health').status, 200, 'HEAD health')
        r = s.get('/__somock/nope')
        t.eq((r.status, 'Message' in r.json()), (404, True),
             'an unknown control endpoint is a 404 with a Message')
        r = s.get('/__somock/reset')
        t.eq((r.status, r.header('Allow')), (405, 'POST'),
             'GET /__somock/reset: 405 with Allow: POST')
        r = s.request('PUT', '/__somock/requests')
        t.eq((r.status, r.header('Allow')), (405, 'GET, DELETE'),
             'PUT /__somock/requests: 405 with Allow: GET, DELETE')
        r = s.get('/__somock/health')
        t.eq(r.header('Cache-Control'), 'no-cache',
             'control answers are not cached')
        with Server('--mode', 'online') as s2:
            t.eq(s2.get('/__somock/health').json().get('mode'), 'online',
                 'health: mode online')

    ip = non_loopback_ip()
    if not ip:
        t.ok(True, 'admin token from a non-loopback client # SKIP no '
             'non-loopback address on this machine')
        return
    with Server('--listen', '0.0.0.0', '--admin-token', 's3cret-admin') as s:
        st, _, _ = raw_request(ip, s.port, 'GET', '/__somock/health')
        t.eq(st, 200, 'non-loopback client: health needs no token')
        st, _, body = raw_request(ip, s.port, 'POST', '/__somock/reset', {},
                                  {})
        t.eq(st, 403, 'non-loopback client without the token: 403')
        st, _, _ = raw_request(ip, s.port, 'GET', '/__somock/requests',
                               {'X-Somock-Admin-Token': 'wrong'})
        t.eq(st, 403, 'non-loopback client with a wrong token: 403')
        st, _, _ = raw_request(ip, s.port, 'POST', '/__somock/reset',
                               {'X-Somock-Admin-Token': 's3cret-admin'}, {})
        t.eq(st, 200, 'non-loopback client with --admin-token: 200')
        st, _, _ = raw_request('127.0.0.1', s.port, 'GET',
                               '/__somock/requests')
        t.eq(st, 200, 'loopback client needs no token')
    with Server('--listen', '0.0.0.0') as s:
        st, _, _ = raw_request(ip, s.port, 'GET', '/__somock/requests',
                               {'X-Somock-Admin-Token': ''})
        t.eq(st, 403, 'no --admin-token: non-loopback clients are refused')


# --- reset and fixtures ---------------------------------------------------

RESET_MS = {}


@section
def reset_and_fixtures():
    base = expected_ids()
    new_state = tje0_task('New')
    doc = {'batchTasks': [
        {'Id': 9001, 'Name': 'Loaded at run time', 'AssociateId': 53,
         'State': 'Failed'},
        {'Id': new_state['Id'], 'Name': 'Replaced', 'AssociateId': 53,
         'State': 'Succeeded'}]}
    with Server() as s:
        t.eq(ids(s.get('/api/v1/BatchTask/All', H)), base,
             'start-up: the demo data')
        r = s.post('/__somock/fixtures', doc)
        t.eq((r.status, r.json()), (200, {'loaded': True}),
             'POST /__somock/fixtures: 200 {"loaded":true}')
        t.eq(ids(s.get('/api/v1/BatchTask/All', H)), sorted(base + [9001]),
             'fixtures load on top of the current data')
        r = s.get('/api/v1/BatchTask/%d' % new_state['Id'], H).json()
        t.eq((r['Name'], r['State']), ('Replaced', 'Succeeded'),
             'an entry with the same Id replaces the old one')
        t.eq(ids(s.get('/api/v1/BatchTask/New', H)),
             [i for i in expected_ids(state='New') if i != new_state['Id']],
             'the replaced task left the New list')

        # all or nothing: a bad second entry loads nothing
        before = s.get('/api/v1/BatchTask/All', H).body
        bad = {'batchTasks': [
            {'Id': 9002, 'Name': 'good', 'AssociateId': 53},
            {'Id': 9003, 'Name': 42, 'AssociateId': 53}]}
        r = s.post('/__somock/fixtures', bad)
        detail = r.json().get('MessageDetail', '') if r.status == 400 else ''
        t.eq(r.status, 400, 'a bad fixture document: 400')
        t.ok('batchTasks[1]' in detail and 'Name' in detail,
             'MessageDetail names the entry and the field', detail)
        t.eq(s.get('/api/v1/BatchTask/All', H).body, before,
             'a bad document loads nothing (the good entry neither)')
        for body, what in (('{"batchTasks": [', 'broken JSON'),
                           ('{"unknownKey": []}', 'an unknown key'),
                           ('[1, 2]', 'not an object'),
                           ({'batchTasks': [{'Id': 5, 'State': 'Nope'}]},
                            'an unknown state')):
            r = s.post('/__somock/fixtures', body)
            t.ok(r.status == 400 and r.json().get('MessageDetail'),
                 'fixtures with %s: 400 with a MessageDetail' % what,
                 (r.status, r.text))
        t.eq(s.get('/api/v1/BatchTask/All', H).body, before,
             '... and the data is unchanged')

        # reset: back to start-up, journal and faults kept unless asked
        s.get('/api/v1/BatchTask/All', H)
        s.request('PUT', '/__somock/faults',
                  body={'path': '/nowhere', 'status': 500})
        r = s.post('/__somock/reset', None)
        t.eq((r.status, r.json().get('reset')), (200, True),
             'POST /__somock/reset without a body: 200')
        t.eq(ids(s.get('/api/v1/BatchTask/All', H)), base,
             'after reset: the start-up data again')
        r = s.get('/api/v1/BatchTask/%d' % new_state['Id'], H).json()
        t.eq((r['Name'], r['State']), (new_state['Name'], 'New'),
             'after reset: the replaced task is back as it was')
        t.ok(s.get('/__somock/requests/count').json()['count'] > 0,
             'a plain reset keeps the journal')
        t.eq(len(s.get('/__somock/faults').json()), 1,
             'a plain reset keeps the faults')
        r = s.post('/__somock/reset', {'journal': True, 'faults': True})
        t.eq(r.status, 200, 'reset {"journal":true,"faults":true}: 200')
        t.eq(s.get('/__somock/requests/count').json(), {'count': 0},
             '... the journal is empty')
        t.eq(s.get('/__somock/faults').json(), [], '... no fault rules')
        r = s.post('/__somock/reset', [1])
        t.eq(r.status, 400, 'reset with a non-object body: 400')
        r = s.post('/__somock/reset', '{oops')
        t.eq(r.status, 400, 'reset with broken JSON: 400')

        # speed: median of 20 resets of the demo data, each after a change
        client, server, texts = [], [], []
        for i in range(20):
            s.post('/__somock/fixtures', {'batchTasks': [
                {'Id': 9100 + i, 'Name': 'x', 'AssociateId': 53}]})
            s.get('/api/v1/BatchTask/All', H)
            r, secs = timed(s.post, '/__somock/reset', {})
            client.append(secs * 1000)
            server.append(r.json().get('ms', 1e9))
            texts.append(r.text)
        t.eq([x for x in texts
              if not re.search(r'"ms":\d+\.\d{1,3}[,}]', x)], [],
             'reset\'s ms is written to the microsecond, no float noise')
        t.eq(ids(s.get('/api/v1/BatchTask/All', H)), base,
             'after 20 change+reset rounds: the start-up data')
        RESET_MS['client'] = statistics.median(client)
        RESET_MS['server'] = statistics.median(server)
        print('# reset of the demo data: median %.3f ms round trip, '
              '%.3f ms in the server (20 resets)' %
              (RESET_MS['client'], RESET_MS['server']))
        t.ok(RESET_MS['client'] < 50, 'median reset round trip < 50 ms '
             '(%.3f ms)' % RESET_MS['client'])
        t.ok(RESET_MS['server'] < 10, 'median reset in the server < 10 ms '
             '(%.3f ms)' % RESET_MS['server'])


# --- the request journal --------------------------------------------------

@section
def journal():
    eva = next(a for a in demo['associates'] if a['Name'] == 'eva')
    secret_pw = 'Very-Secret-Pw-1234'
    sess = demo['sessions'][0]
    app_token = demo['apps'][0]['AppToken']
    with Server() as s:
        r = s.request('DELETE', '/__somock/requests')
        t.eq(r.status, 204, 'DELETE /__somock/requests: 204')
        t.eq(s.get('/__somock/requests').json(), {'count': 0, 'requests': []},
             'an empty journal')
        # no lag: the count is right straight after each answer
        lag = []
        for i in range(30):
            s.get('/api/v1/BatchTask/Failed', H)
            n = s.get('/__somock/requests/count').json()['count']
            if n != i + 1:
                lag.append((i + 1, n))
        t.eq(lag, [], 'count is right immediately after every request')
        s.request('DELETE', '/__somock/requests')

        sent = [
            ('GET', '/api/v1/BatchTask/All', H, None),
            ('GET', '/api/v1/BatchTask/Failed',
             {'Authorization': basic('eva', eva['Password']),
              'Accept': 'application/xml', 'SO-Language': 'sv',
              'SO-TimeZone': 'NO'}, None),
            ('GET', '/api/v1/BatchTask/All',
             {'Authorization': basic('tje0', secret_pw)}, None),
            ('POST', '/api/v1/Agents/Batch/GetBatchTaskInfosByState', H,
             {'state': 'New'}),
            ('GET', '/api/v1/BatchTask/Bogus', H, None),
            ('GET', '/api/v1/BatchTask/All',
             dict(H, **{'X-Somock-Sandbox': 'journal-sb'}), None),
            ('GET', '/SuperOffice/api/v1/BatchTask/New',
             {'Cookie': 'ASP.NET_SessionId=%s' % sess['SessionId'],
              'X-XSRF-TOKEN': sess['XsrfToken'],
              'SO-AppToken': app_token, 'Accept-Language': 'de'}, None),
        ]
        statuses = []
        for m, p, hd, b in sent:
            statuses.append(s.request(m, p, hd, b).status)
        t.eq(statuses, [200, 200, 401, 200, 400, 200, 200],
             'the journal test requests answer as expected')
        s.get('/__somock/health')   # control requests are not journaled
        j = s.get('/__somock/requests').json()
        e = j['requests']
        t.eq((j['count'], len(e)), (7, 7), 'seven entries, control excluded')
        t.eq([x['seq'] for x in e], sorted(x['seq'] for x in e),
             'entries oldest first, seq increasing')
        t.eq([(x['method'], x['path'], x['status']) for x in e],
             [(m, p, st) for (m, p, _, _), st in zip(sent, statuses)],
             'method, path and status of every entry')
        t.eq([x['associateId'] for x in e],
             [53, eva['AssociateId'], 0, 53, 53, 53,
              sess['AssociateId']], 'associateId (0 when refused)')
        t.eq([x['scheme'] for x in e],
             ['Basic', 'Basic', 'Basic', 'Basic', 'Basic', 'Basic',
              'Session'], 'scheme of every entry')
        t.eq((e[1]['accept'], e[1]['language'], e[1]['timeZone']),
             ('application/xml', 'sv', 'NO'),
             'accept, SO-Language and SO-TimeZone are recorded')
        t.eq(e[6]['language'], 'de', 'Accept-Language when no SO-Language')
        t.eq([x['sandbox'] for x in e], ['', '', '', '', '', 'journal-sb',
                                         ''], 'sandbox of every entry')
        t.ok(all(isinstance(x['ms'], (int, float)) and x['ms'] >= 0 and
                 x['time'].endswith('Z') and 'query' in x for x in e),
             'every entry has time (UTC), ms and query', e[0])
        raw = s.get('/__somock/requests').text
        t.eq(re.findall(r'"ms":(?!\d+\.\d{1,3}[,}])[^,}]*', raw), [],
             'the journal\'s ms to the microsecond, no float noise')
        secrets = [TJE0.split()[1], basic('tje0', secret_pw).split()[1],
                   secret_pw, sess['SessionId'], sess['XsrfToken'],
                   app_token, basic('eva', eva['Password']).split()[1],
                   eva['Password']]
        t.eq([x for x in secrets if x in raw], [],
             'the journal holds no Authorization, Cookie, XSRF or app '
             'token value')

        def count(q):
            return s.get('/__somock/requests/count?' + q).json().get('count')

        def listed(q):
            return [(x['method'], x['path']) for x in
                    s.get('/__somock/requests?' + q).json()['requests']]

        # the expected counts, from what was sent
        rows = [{'method': m, 'path': p, 'status': st, 'associate': a,
                 'sandbox': (hd or {}).get('X-Somock-Sandbox', '')}
                for (m, p, hd, _), st, a in zip(
                    sent, statuses, [x['associateId'] for x in e])]

        def want(**f):
            return sum(1 for x in rows if all(
                fnmatch.fnmatchcase(x[k].lower(), v.lower())
                if k == 'path' else
                (x[k].lower() == v.lower() if k == 'method' else x[k] == v)
                for k, v in f.items()))

        for q, f, what in (
                ('path=/api/v1/BatchTask/*',
                 {'path': '/api/v1/BatchTask/*'}, 'path glob'),
                ('path=*/New', {'path': '*/New'}, 'path glob, leading *'),
                ('path=*batchtask*', {'path': '*batchtask*'},
                 'path glob, any case'),
                ('path=/api/v1/BatchTask/All',
                 {'path': '/api/v1/BatchTask/All'}, 'exact path'),
                ('path=/api/v1/BatchTask/Al?',
                 {'path': '/api/v1/BatchTask/Al?'}, 'path with ?'),
                ('method=POST', {'method': 'POST'}, 'method'),
                ('method=post', {'method': 'post'}, 'method, any case'),
                ('status=401', {'status': 401}, 'status 401'),
                ('status=200', {'status': 200}, 'status 200'),
                ('associate=%d' % eva['AssociateId'],
                 {'associate': eva['AssociateId']}, 'associate'),
                ('associate=53&status=200', {'associate': 53, 'status': 200},
                 'associate and status (AND)'),
                ('sandbox=journal-sb', {'sandbox': 'journal-sb'},
                 'sandbox by name'),
                ('sandbox=', {'sandbox': ''}, 'sandbox= (the default data)'),
                ('path=/api/v1/BatchTask/All&sandbox=&status=200',
                 {'path': '/api/v1/BatchTask/All', 'sandbox': '',
                  'status': 200}, 'path, sandbox and status')):
            n = want(**f)
            t.eq((count(q), len(listed(q))), (n, n),
                 'filter %s: count and list (%d)' % (what, n))
        r = s.get('/__somock/requests?limit=2').json()
        t.eq((r['count'], [x['path'] for x in r['requests']]),
             (7, [sent[5][1], sent[6][1]]),
             'limit=2: the newest two, count still the total')
        t.eq(listed('method=GET&status=200&limit=1'),
             [('GET', '/SuperOffice/api/v1/BatchTask/New')],
             'limit with filters: the newest match')
        for q in ('status=abc', 'status=42', 'associate=x', 'limit=0',
                  'limit=-3'):
            t.eq(s.get('/__somock/requests?' + q).status, 400,
                 'bad filter %s: 400' % q)
        t.eq(s.get('/__somock/requests/count?status=abc').status, 400,
             'bad filter on count: 400')
        s.request('DELETE', '/__somock/requests')
        t.eq(count(''), 0, 'DELETE empties the journal')

    with Server('--journal-size', '5') as s:
        for i in range(8):
            s.get('/api/v1/BatchTask/%d' % expected_ids()[i], H)
        r = s.get('/__somock/requests').json()
        t.eq((r['count'], [x['path'] for x in r['requests']]),
             (5, ['/api/v1/BatchTask/%d' % i for i in expected_ids()[3:8]]),
             '--journal-size 5: the newest five are kept, oldest dropped')
        t.eq([x['seq'] for x in r['requests']], [4, 5, 6, 7, 8],
             '... with their sequence numbers')
    rc, _, err = run('serve', '--journal-size', '0')
    t.eq(rc, 2, '--journal-size 0 is a usage error')


# --- sandboxes --------------------------------------------------------------

@section
def sandboxes():
    base = expected_ids()
    victim = tje0_task('Failed')
    results = {}
    barrier = threading.Barrier(8)

    def client(i):
        name = 'par-%d' % i
        sh = {'X-Somock-Sandbox': name}
        mine = 5000 + i
        doc = {'batchTasks': [
            {'Id': mine, 'Name': 'sandbox %d' % i, 'AssociateId': 53,
             'State': 'New'},
            {'Id': victim['Id'], 'Name': 'renamed by %d' % i,
             'AssociateId': 53, 'State': 'Succeeded'}]}
        problems = []
        try:
            barrier.wait(10)
            r = s.post('/__somock/fixtures', doc, sh)
            if r.status != 200:
                problems.append(('load', r.status, r.text))
            for k in range(15):
                want = sorted(base + [mine])
                got = ids(s.get('/api/v1/BatchTask/All', dict(H, **sh)))
                if got != want:
                    problems.append(('list', k, got))
                one = s.get('/api/v1/BatchTask/%d' % victim['Id'],
                            dict(H, **sh)).json()
                if one.get('Name') != 'renamed by %d' % i:
                    problems.append(('victim', k, one.get('Name')))
                # the Agents route reads the same sandbox
                byst = s.post('/api/v1/Agents/Batch/GetBatchTaskInfosByState',
                              {'state': 'New'}, dict(H, **sh))
                if mine not in ids(byst):
                    problems.append(('agents', k))
        except Exception:
            problems.append(traceback.format_exc())
        results[i] = problems

    with Server('--threads', '4') as s:
        threads = [threading.Thread(target=client, args=(i,))
                   for i in range(8)]
        for th in threads:
            th.start()
        for th in threads:
            th.join(60)
        t.eq({i: p for i, p in results.items() if p}, {},
             '8 parallel clients each see their own sandbox and no other')
        t.eq(len(results), 8, 'all 8 clients finished')
        t.eq(ids(s.get('/api/v1/BatchTask/All', H)), base,
             'the default data is untouched by the sandboxes')
        t.eq(s.get('/api/v1/BatchTask/%d' % victim['Id'], H).json()['Name'],
             victim['Name'], 'the shared task keeps its name by default')
        listed = s.get('/__somock/sandboxes').json()
        t.eq(sorted(x['name'] for x in listed),
             sorted('par-%d' % i for i in range(8)),
             'GET /__somock/sandboxes lists the 8 sandboxes')
        t.ok(all(isinstance(x.get('idleSeconds'), int) and
                 x.get('inUse') == 0 for x in listed),
             'each with idleSeconds and inUse', listed)

        sh0 = {'X-Somock-Sandbox': 'par-0'}
        r = s.post('/__somock/reset', {}, sh0)
        t.eq(r.status, 200, 'reset with X-Somock-Sandbox: 200')
        t.eq(ids(s.get('/api/v1/BatchTask/All', dict(H, **sh0))), base,
             '... that sandbox is back to the start-up data')
        t.eq(ids(s.get('/api/v1/BatchTask/All',
                       dict(H, **{'X-Somock-Sandbox': 'par-1'}))),
             sorted(base + [5001]), '... another sandbox keeps its changes')
        r = s.request('DELETE', '/__somock/sandboxes/par-1')
        t.eq(r.status, 204, 'DELETE /__somock/sandboxes/par-1: 204')
        t.ok('par-1' not in [x['name'] for x in
                             s.get('/__somock/sandboxes').json()],
             '... it is no longer listed')
        t.eq(ids(s.get('/api/v1/BatchTask/All',
                       dict(H, **{'X-Somock-Sandbox': 'par-1'}))), base,
             '... and a new one of that name starts from start-up data')
        t.eq(s.request('DELETE', '/__somock/sandboxes/nope').status, 404,
             'DELETE an unknown sandbox: 404')

        # a sandbox starts from the start-up fixtures, not the current data
        s.post('/__somock/fixtures', {'batchTasks': [
            {'Id': 7001, 'Name': 'default only', 'AssociateId': 53}]})
        t.eq(ids(s.get('/api/v1/BatchTask/All',
                       dict(H, **{'X-Somock-Sandbox': 'fresh'}))), base,
             'a new sandbox starts from the start-up data, not the '
             'default data\'s changes')
        s.post('/__somock/reset', {})
        # the journal can tell the sandboxes apart
        t.eq(s.get('/__somock/requests/count?sandbox=par-3').json()['count'],
             15 * 3, 'the journal counts one sandbox\'s requests')
        for bad in ('has space', 'x' * 64, 'a/b', 'a:b'):
            r = s.get('/api/v1/BatchTask/All',
                      dict(H, **{'X-Somock-Sandbox': bad}))
            t.eq(r.status, 400, 'invalid sandbox name %r on the API: 400'
                 % bad[:10])
        r = s.get('/api/v1/BatchTask/All',
                  dict(H, **{'X-Somock-Sandbox': 'caf\xe9'}))
        t.ok(r.status == 400, 'a non-UTF-8 sandbox name: 400', r.text)
        r = s.post('/__somock/reset', {}, {'X-Somock-Sandbox': 'a b'})
        t.eq(r.status, 400, 'invalid sandbox name on the control API: 400')
        t.eq(s.get('/__somock/sandboxes/par-2').status, 405,
             'GET on one sandbox: 405 (DELETE only)')

    with Server('--sandbox-max', '2') as s:
        for n in ('one', 'two'):
            t.eq(s.get('/api/v1/BatchTask/All',
                       dict(H, **{'X-Somock-Sandbox': n})).status, 200,
                 '--sandbox-max 2: sandbox %s is created' % n)
        r = s.get('/api/v1/BatchTask/All',
                  dict(H, **{'X-Somock-Sandbox': 'three'}))
        t.eq(r.status, 503, '--sandbox-max 2: a third sandbox is refused')
        t.ok(r.status == 503 and r.json().get('ErrorType') !=
             'OutOfMemoryException',
             'the refusal does not claim the server is out of memory',
             r.text)
        r = s.post('/__somock/fixtures', {}, {'X-Somock-Sandbox': 'three'})
        t.ok(r.status == 503 and r.json().get('Message', '').startswith(
             'too many sandboxes (--sandbox-max)'),
             'the control API refuses a third sandbox: 503', r.text)
        t.eq(s.get('/api/v1/BatchTask/All',
                   dict(H, **{'X-Somock-Sandbox': 'two'})).status, 200,
             'an existing sandbox still answers')
        s.request('DELETE', '/__somock/sandboxes/one')
        t.eq(s.get('/api/v1/BatchTask/All',
                   dict(H, **{'X-Somock-Sandbox': 'three'})).status, 200,
             'after deleting one, the third can be created')

    with Server('--sandbox-idle', '1') as s:
        sh = {'X-Somock-Sandbox': 'idle'}
        s.post('/__somock/fixtures', {'batchTasks': [
            {'Id': 6001, 'Name': 'idle', 'AssociateId': 53}]}, sh)
        t.eq(ids(s.get('/api/v1/BatchTask/All', dict(H, **sh))),
             sorted(base + [6001]),
             '--sandbox-idle 1: the sandbox holds its change when used')
        time.sleep(2.2)
        t.eq(s.get('/__somock/sandboxes').json(), [],
             '... after 2 s idle it is evicted (not listed)')
        t.eq(ids(s.get('/api/v1/BatchTask/All', dict(H, **sh))), base,
             '... and its name starts afresh from the start-up data')


# --- faults -----------------------------------------------------------------

@section
def faults():
    with Server('--threads', '2') as s:
        def put(rules):
            return s.request('PUT', '/__somock/faults', body=rules)

        normal_all = s.get('/api/v1/BatchTask/All', H).body
        t.eq(s.get('/__somock/faults').json(), [], 'no fault rules at start')

        # fixed delay
        r = put({'path': '/api/v1/BatchTask/New', 'delayMs': 300})
        t.eq(r.status, 200, 'PUT a delay rule: 200')
        r, secs = timed(s.get, '/api/v1/BatchTask/New', H)
        t.ok(r.status == 200 and ids(r) == expected_ids(state='New') and
             secs >= 0.3, 'delayMs 300: same answer, %.3f s >= 0.3 s' %
             secs)
        r, secs = timed(s.get, '/api/v1/BatchTask/Failed', H)
        t.ok(secs < 0.25, 'a path the rule does not match is not delayed '
             '(%.3f s)' % secs)

        # random delay range
        put({'path': '/api/v1/BatchTask/New', 'delayMs': 100,
             'delayMaxMs': 400})
        spans = [timed(s.get, '/api/v1/BatchTask/New', H)[1]
                 for _ in range(8)]
        t.ok(all(0.1 <= x < 0.4 + 0.2 for x in spans),
             'delayMs 100..delayMaxMs 400: every delay in range',
             ['%.3f' % x for x in spans])
        t.ok(max(spans) - min(spans) > 0.03, 'the delays vary',
             ['%.3f' % x for x in spans])

        # forced status with a SuperOffice error body
        put({'path': '/api/v1/BatchTask/*', 'status': 503,
             'errorType': 'SoMaintenanceException',
             'message': 'down for maintenance'})
        r = s.get('/api/v1/BatchTask/All', H)
        t.eq((r.status, r.json()), (503, {
            'Error': True, 'ErrorType': 'SoMaintenanceException',
            'Message': 'down for maintenance',
            'ErrorSource': 'SuperOffice.Services.WebApi'}),
             'status 503 with errorType and message: a SuperOffice body')
        t.ok(r.header('Content-Type', ).startswith('application/json'),
             '... as JSON')
        put({'path': '/api/*', 'status': 500})
        r = s.get('/api/v1/BatchTask/All', H)
        body = r.json()
        t.ok(r.status == 500 and body.get('Error') is True and
             body.get('ErrorType') and body.get('Message'),
             'status without errorType/message: a default error body',
             r.text)
        r = s.get('/__somock/health')
        t.eq(r.status, 200, 'faults never apply to the control API')

        # dropped connection
        put({'path': '/api/v1/BatchTask/Failed', 'drop': True})
        try:
            s.get('/api/v1/BatchTask/Failed', H)
            t.ok(False, 'drop: the connection closes without an answer')
        except (http.client.RemoteDisconnected, ConnectionResetError,
                http.client.BadStatusLine) as e:
            t.ok(True, 'drop: the connection closes without an answer '
                 '(%s)' % type(e).__name__)
        last = s.get('/__somock/requests?limit=1').json()['requests'][-1]
        t.eq((last['path'], last['status']), ('/api/v1/BatchTask/Failed', 0),
             'a dropped request is journaled with status 0')

        # slow drip
        put({'path': '/api/v1/BatchTask/All', 'dripBytes': 1024,
             'dripIntervalMs': 50})
        r, secs = timed(s.get, '/api/v1/BatchTask/All', H)
        chunks = -(-len(normal_all) // 1024)
        want = (chunks - 1) * 0.05
        t.eq((r.status, r.body), (200, normal_all),
             'drip: the body arrives intact')
        t.ok(want * 0.8 <= secs <= want + 1.5,
             'drip: %d chunks x 50 ms take %.3f s (expected about %.3f)' %
             (chunks, secs, want))
        r, secs = timed(s.get, '/api/v1/BatchTask/New', H)
        t.ok(r.status == 200 and secs < 0.25, 'drip leaves other paths '
             'alone (%.3f s)' % secs)

        # count: the next N requests only
        put({'path': '/api/v1/BatchTask/*', 'status': 429, 'count': 2})
        seen = [s.get('/api/v1/BatchTask/All', H).status for _ in range(4)]
        t.eq(seen, [429, 429, 200, 200], 'count 2: the next two requests '
             'only, then normal')
        t.eq(s.get('/__somock/faults').json(), [],
             'a rule whose count is used up is gone')
        put({'path': '*', 'status': 500, 'count': 3})
        s.get('/api/v1/BatchTask/All', H)
        f = s.get('/__somock/faults').json()
        t.eq([(x['count'], x['hits']) for x in f], [(2, 1)],
             'GET /__somock/faults shows the remaining count and hits')

        # method matching; first matching rule wins; POST appends
        put([{'method': 'POST', 'path': '/api/v1/Agents/*', 'status': 418},
             {'method': 'get', 'path': '/api/v1/BatchTask/Started',
              'status': 502}])
        r = s.post('/api/v1/Agents/Batch/GetBatchTaskInfosByState',
                   {'state': 'New'}, H)
        t.eq(r.status, 418, 'method POST rule: the POST route gets 418')
        t.eq(s.get('/api/v1/BatchTask/New', H).status, 200,
             '... a GET to another path is untouched')
        t.eq(s.get('/api/v1/BatchTask/Started', H).status, 502,
             'method "get" (any case) matches GET')
        t.eq(s.request('HEAD', '/api/v1/BatchTask/Started', H).status, 200,
             '... but not HEAD')
        r = s.post('/__somock/faults', {'path': '/api/v1/BatchTask/New',
                                        'status': 504})
        t.eq((r.status, len(r.json())), (200, 3),
             'POST /__somock/faults appends a rule')
        t.eq(s.get('/api/v1/BatchTask/New', H).status, 504,
             '... which then applies')
        put([{'path': '/api/v1/BatchTask/*', 'status': 501},
             {'path': '/api/v1/BatchTask/New', 'status': 502}])
        t.eq(s.get('/api/v1/BatchTask/New', H).status, 501,
             'the first matching rule wins')
        got = s.get('/__somock/faults').json()
        t.eq([(x['method'], x['path'], x['status'], x['count']) for x in got],
             [('*', '/api/v1/BatchTask/*', 501, None),
              ('*', '/api/v1/BatchTask/New', 502, None)],
             'GET /__somock/faults lists the rules as set (PUT replaced)')
        t.eq(s.request('DELETE', '/__somock/faults').status, 204,
             'DELETE /__somock/faults: 204')
        t.eq(s.get('/__somock/faults').json(), [], '... no rules left')
        t.eq(s.get('/api/v1/BatchTask/New', H).status, 200,
             '... requests are normal again')

        # bad rules: 400 naming the rule and key; nothing changes
        put({'path': '/x', 'status': 500})
        before = s.get('/__somock/faults').json()
        for rules, key in (
                ({'path': '/x', 'delay': 5}, "'delay'"),
                ({'delayMs': -1}, "'delayMs'"),
                ({'delayMs': 'slow'}, "'delayMs'"),
                ({'status': 99}, "'status'"),
                ({'status': 600}, "'status'"),
                ({'status': 500, 'count': 0}, "'count'"),
                ({'drop': 'yes'}, "'drop'"),
                ({'delayMs': 200, 'delayMaxMs': 100}, "'delayMaxMs'"),
                ({'path': '/x'}, 'does nothing'),
                ([{'status': 500}, {'status': 500, 'bogus': 1}], 'rule 1'),
                (json.dumps('not a rule'), 'rule object'),
                ([1], 'rule 0')):
            r = put(rules)
            msg = r.json().get('Message', '') if r.status == 400 else ''
            t.ok(r.status == 400 and key in msg,
                 'bad rule %s: 400 naming %s' % (json.dumps(rules)[:40], key),
                 (r.status, r.text))
        r = s.request('PUT', '/__somock/faults', body='{"status": 5')
        t.eq(r.status, 400, 'broken JSON rules: 400')
        t.eq(s.get('/__somock/faults').json(), before,
             'after bad rules the old rules are unchanged')
        s.request('DELETE', '/__somock/faults')

        # a delayed request blocks no one (2 worker threads, 3 delayed)
        put({'path': '/api/v1/BatchTask/New', 'delayMs': 2000})
        done = []

        def slow():
            try:
                done.append(timed(s.get, '/api/v1/BatchTask/New', H))
            except Exception as e:
                done.append((e, 0))
        slows = [threading.Thread(target=slow) for _ in range(3)]
        for th in slows:
            th.start()
        time.sleep(0.3)
        quick = []
        for _ in range(3):
            quick.append(timed(s.get, '/api/v1/BatchTask/Failed', H))
        t.ok(all(r.status == 200 and secs < 0.5 for r, secs in quick),
             'while 3 requests sleep 2 s, others answer at once (%s s)' %
             ', '.join('%.3f' % x for _, x in quick))
        for th in slows:
            th.join(10)
        t.ok(len(done) == 3 and all(getattr(r, 'status', 0) == 200 and
                                    secs >= 2.0 for r, secs in done),
             'the delayed requests still answer after 2 s',
             [(getattr(r, 'status', r), secs) for r, secs in done])


# --- clock and lifecycle --------------------------------------------------

def parse_iso(s):
    """'2030-01-01T00:00:00.1234567Z' -> seconds since the epoch (float)."""
    import datetime
    main, _, frac = s.rstrip('Z').partition('.')
    dt = datetime.datetime.strptime(main, '%Y-%m-%dT%H:%M:%S').replace(
        tzinfo=datetime.timezone.utc)
    return dt.timestamp() + (float('0.' + frac) if frac else 0.0)


@section
def clock():
    far = next(x for x in demo['tickets'] if x['AssociateId'] == 53 and
               x['Expires'].startswith('2099'))
    th = {'Authorization': 'SOTicket ' + far['Ticket']}
    with Server() as s:
        c = s.get('/__somock/clock').json()
        t.ok(c.get('frozen') is False and
             abs(parse_iso(c['now']) - time.time()) < 60,
             'GET /__somock/clock: real time, running', c)
        t.ok('ticks' not in c, 'no simulator ticks without --simulate')
        c1 = s.post('/__somock/clock', {'freeze': True}).json()
        time.sleep(0.2)
        c2 = s.get('/__somock/clock').json()
        t.ok(c1['frozen'] and c1['now'] == c2['now'],
             'freeze: the clock stands still', (c1, c2))
        c3 = s.post('/__somock/clock', {'advanceSeconds': 90}).json()
        t.eq(round(parse_iso(c3['now']) - parse_iso(c2['now']), 3), 90.0,
             'advanceSeconds 90 moves it exactly 90 s')
        c4 = s.post('/__somock/clock', {'set': '2030-06-01T12:00:00Z'}).json()
        t.eq((c4['now'], c4['frozen']), ('2030-06-01T12:00:00Z', True),
             'set: the clock jumps, still frozen')
        c5 = s.post('/__somock/clock', {'freeze': False}).json()
        time.sleep(0.3)
        c6 = s.get('/__somock/clock').json()
        t.ok(not c6['frozen'] and 0.2 < parse_iso(c6['now']) -
             parse_iso(c5['now']) < 5, 'unfreeze: it runs on from there',
             (c5, c6))
        for body in ({'bogus': 1}, {'freeze': 'yes'}, {'set': 'tomorrow'},
                     {'advanceSeconds': '60'}, [1], 'oops'):
            r = s.post('/__somock/clock', body)
            t.eq(r.status, 400, 'bad clock body %s: 400' %
                 json.dumps(body)[:30])

        # tickets expire on the mock clock
        t.eq(s.get('/api/v1/BatchTask/All', th).status, 200,
             'a ticket that expires %s works now' % far['Expires'][:4])
        s.post('/__somock/clock', {'set': '2100-01-01T00:00:00Z'})
        r = s.get('/api/v1/BatchTask/All', th)
        t.ok(r.status == 401 and 'expired' in r.json().get('Message', ''),
             'clock set to 2100: the ticket is refused as expired',
             r.text)
        t.eq(s.get('/api/v1/BatchTask/All', H).status, 200,
             '... Basic logins do not expire')
        s.post('/__somock/clock', {'set': '2030-01-01T00:00:00Z'})
        t.eq(s.get('/api/v1/BatchTask/All', th).status, 200,
             'clock back to 2030: the ticket works again')
        r = s.post('/__somock/reset', {})
        t.eq(s.get('/api/v1/BatchTask/All', th).status, 200,
             'reset does not touch the clock')


def snapshot(s):
    r = s.get('/api/v1/BatchTask/All', H)
    return {x['Id']: x for x in r.json()}


def relative(s, tasks, since):
    """The tasks with the LastStarted values the simulator wrote (after
    @since) as seconds before the mock clock."""
    now = parse_iso(s.get('/__somock/clock').json()['now'])
    out = {}
    for tid, x in tasks.items():
        y = dict(x)
        if parse_iso(x['LastStarted']) >= since:
            y['LastStarted'] = round(now - parse_iso(x['LastStarted']), 3)
        out[tid] = y
    return out


@section
def lifecycle():
    # frozen from the start (--freeze-clock now): no tick can slip in
    # between start-up and the first request, however slow the machine
    a = Server('--simulate', '--freeze-clock', 'now')
    b = Server('--simulate', '--freeze-clock', 'now')
    try:
        c0 = [s.get('/__somock/clock').json() for s in (a, b)]
        ticks0 = [c.get('ticks') for c in c0]
        since = [parse_iso(c['now']) for c in c0]
        t.eq(ticks0, [0, 0], '--freeze-clock now: 0 ticks')
        t.eq(a.get('/__somock/health').json().get('simulate'), True,
             'health shows simulate')
        start = snapshot(a)
        t.eq(sorted(start), expected_ids(), 'the simulator starts from the '
             'demo data')
        t.eq({k: v['State'] for k, v in start.items()},
             {x['Id']: x['State'] for x in demo['batchTasks']
              if x['Id'] in start}, '... with the fixture states')
        time.sleep(1.2)
        t.eq(snapshot(a), start, 'a frozen clock: nothing moves in 1.2 s')

        history = {tid: [x] for tid, x in start.items()}
        same = True
        bad_moves = []
        for step in range(1, 61):
            # a's own clock: b started (and froze) at another moment
            c = a.post('/__somock/clock', {'advanceSeconds': 1}).json()
            b.post('/__somock/clock', {'advanceSeconds': 1})
            sa, sb = snapshot(a), snapshot(b)
            if relative(a, sa, since[0]) != relative(b, sb, since[1]):
                same = False
            now = parse_iso(c['now'])
            for tid, x in sa.items():
                prev = history[tid][-1]
                if x['State'] != prev['State']:
                    move = (prev['State'], x['State'])
                    if move not in (('New', 'Aquired'),
                                    ('Aquired', 'Started'),
                                    ('Started', 'Succeeded'),
                                    ('Started', 'Failed')):
                        bad_moves.append((tid, step, move))
                    if move == ('Aquired', 'Started') and (
                            x['StartCount'] != prev['StartCount'] + 1 or
                            abs(parse_iso(x['LastStarted']) - now) > 1.01):
                        bad_moves.append((tid, step, 'start fields', x))
                if prev['State'] == x['State'] == 'Started' and \
                        x['ProgressPercent'] < prev['ProgressPercent']:
                    bad_moves.append((tid, step, 'progress went back'))
                history[tid].append(x)
        t.eq(bad_moves, [], 'every move is New -> Aquired -> Started -> '
             'Succeeded/Failed, one state per tick, StartCount +1 and '
             'LastStarted = the mock time on start, progress never back')
        t.eq(a.get('/__somock/clock').json().get('ticks'), 60,
             '60 one-second advances: 60 ticks')
        walked = [tid for tid, h in history.items()
                  if [st for i, st in enumerate(x['State'] for x in h)
                      if i == 0 or st != h[i - 1]['State']][:4]
                  in (['New', 'Aquired', 'Started', 'Succeeded'],
                      ['New', 'Aquired', 'Started', 'Failed'])]
        new_ids = [tid for tid, x in start.items() if x['State'] == 'New']
        t.eq(sorted(walked), sorted(new_ids), 'every New task walked '
             'New -> Aquired -> Started -> Succeeded/Failed in 60 s')
        progress = [tid for tid, h in history.items()
                    if len({x['ProgressPercent'] for x in h
                            if x['State'] == 'Started'}) >= 3]
        t.ok(len(progress) >= len(new_ids), 'ProgressPercent moves while '
             'Started (%d tasks)' % len(progress))
        end = history[new_ids[0]][-1]
        t.ok(end['ProgressPercent'] == 100 and end['StartCount'] ==
             start[new_ids[0]]['StartCount'] + 1 and end['ProgressDescription']
             != start[new_ids[0]]['ProgressDescription'],
             'a finished task: 100 %, StartCount +1, a new description', end)
        final = {x['State'] for tid, x in snapshot(a).items()
                 if tid in new_ids}
        t.ok(final <= {'Succeeded', 'Failed'}, 'after 60 s the New tasks '
             'are done', final)
        untouched = [tid for tid, x in start.items() if x['State'] in
                     ('Unknown', 'Succeeded', 'Failed',
                      'SucceededManualCleanup')]
        end_a = snapshot(a)
        t.eq({tid: end_a[tid] for tid in untouched},
             {tid: start[tid] for tid in untouched},
             'finished and Unknown tasks are left alone')
        t.ok(same, 'two servers advanced the same way agree at every step '
             '(LastStarted relative to the mock clock)')
        # the simulator moves sandboxes too, and reset brings tasks back
        sh = {'X-Somock-Sandbox': 'sim'}
        sbx = {x['Id']: x['State'] for x in
               a.get('/api/v1/BatchTask/All', dict(H, **sh)).json()}
        a.post('/__somock/clock', {'advanceSeconds': 60})
        sby = {x['Id']: x['State'] for x in
               a.get('/api/v1/BatchTask/All', dict(H, **sh)).json()}
        t.ok(sbx != sby, 'the simulator moves tasks in a sandbox too')
        a.post('/__somock/reset', {})
        t.eq({k: v['State'] for k, v in snapshot(a).items()},
             {k: v['State'] for k, v in start.items()},
             'reset brings the tasks back to their fixture states')
    finally:
        a.stop()
        b.stop()

    # Byte-identical JSON needs the same mock times on both servers: freeze,
    # set the same time, advance. The servers start 1.5 s apart, so a set
    # that replays ticks from each server's start cannot agree.
    c = Server('--simulate')
    c.post('/__somock/clock', {'freeze': True})
    time.sleep(1.5)
    d = Server('--simulate')
    d.post('/__somock/clock', {'freeze': True})
    try:
        import datetime
        later = max(parse_iso(s.get('/__somock/clock').json()['now'])
                    for s in (c, d)) + 180
        at = datetime.datetime.fromtimestamp(
            int(later) // 60 * 60, datetime.timezone.utc)
        for s in (c, d):
            s.post('/__somock/clock', {'set': at.strftime(
                '%Y-%m-%dT%H:%M:%SZ')}, timeout=60)
        for _ in range(30):
            for s in (c, d):
                s.post('/__somock/clock', {'advanceSeconds': 1})
        jc = c.get('/api/v1/BatchTask/All', H).body
        jd = d.get('/api/v1/BatchTask/All', H).body
        t.ok(jc == jd, 'freeze, set, advance: two servers give '
             'byte-identical JSON')
    finally:
        c.stop()
        d.stop()


# --- hot reload -----------------------------------------------------------

@section
def watch():
    d = tempfile.mkdtemp(prefix='somock-watch-')
    path = os.path.join(d, 'live.json')
    doc = {'associates': [{'AssociateId': 53, 'Name': 'tje0',
                           'Password': 'Tje0'}],
           'batchTasks': [{'Id': 1, 'Name': 'first', 'AssociateId': 53,
                           'State': 'New'}]}

    def write(text):
        tmp = os.path.join(d, '.live.json.tmp')
        with open(tmp, 'w', encoding='utf-8') as f:
            f.write(text)
        os.rename(tmp, path)

    def wait_for(cond, secs=5):
        end = time.monotonic() + secs
        while time.monotonic() < end:
            v = cond()
            if v:
                return v
            time.sleep(0.05)
        return cond()

    write(json.dumps(doc))
    try:
        with Server('--watch', '--fixtures', path) as s:
            h = s.get('/__somock/health').json()
            t.eq((h.get('watch'), h.get('reloads'), h.get('lastReloadError')),
                 (True, 0, None), 'health with --watch: 0 reloads, no error')
            t.eq(ids(s.get('/api/v1/BatchTask/All', H)), [1],
                 '--watch serves the fixture file')
            s.get('/api/v1/BatchTask/All',
                  dict(H, **{'X-Somock-Sandbox': 'before'}))
            doc['batchTasks'].append({'Id': 2, 'Name': 'second',
                                      'AssociateId': 53, 'State': 'Failed'})
            write(json.dumps(doc))
            t0 = time.monotonic()
            got = wait_for(lambda: ids(s.get('/api/v1/BatchTask/All', H)) ==
                           [1, 2])
            t.ok(got, 'a valid edit (write + rename) appears in %.2f s' %
                 (time.monotonic() - t0))
            h = s.get('/__somock/health').json()
            t.eq((h['reloads'], h['lastReloadError']), (1, None),
                 'health: reloads 1, no error')
            t.eq(s.get('/__somock/sandboxes').json(), [],
                 'a reload drops the sandboxes (made from the old data)')
            s.post('/__somock/reset', {})
            t.eq(ids(s.get('/api/v1/BatchTask/All', H)), [1, 2],
                 'reset after a reload: the reloaded data is the start-up')

            write('{"batchTasks": [{"Id": 3, "Name": "bad", '
                  '"AssociateId": 53, "State": "Nope"}]}')
            err = wait_for(lambda: s.get('/__somock/health').json().get(
                'lastReloadError'))
            t.ok(err and 'live.json' in err and 'State' in err and
                 'Nope' in err, 'an invalid edit: lastReloadError names the '
                 'file, the field and the value', err)
            t.eq(ids(s.get('/api/v1/BatchTask/All', H)), [1, 2],
                 '... and the old data is kept')
            t.eq(s.get('/__somock/health').json()['reloads'], 1,
                 '... reloads unchanged')
            write('{"batchTasks": [')
            time.sleep(0.5)
            t.eq(ids(s.get('/api/v1/BatchTask/All', H)), [1, 2],
                 'a truncated file: the old data is kept')
            doc['batchTasks'].append({'Id': 3, 'Name': 'third',
                                      'AssociateId': 53})
            write(json.dumps(doc))
            t.ok(wait_for(lambda: ids(s.get('/api/v1/BatchTask/All', H)) ==
                          [1, 2, 3]), 'a good edit after bad ones reloads')
            h = s.get('/__somock/health').json()
            t.eq((h['reloads'], h['lastReloadError']), (2, None),
                 'health: reloads 2, the error cleared')
        t.ok('keeping the old data' in s.read_stderr(),
             'the failed reload is logged with its reason')
        rc, _, err = run('serve', '--watch')
        t.eq(rc, 2, '--watch without --fixtures is a usage error')
    finally:
        shutil.rmtree(d, ignore_errors=True)


# --- TLS ------------------------------------------------------------------

class TlsServer(Server):
    """A Server whose listening line says https."""

    def _readline(self, timeout):
        line = Server._readline(self, timeout)
        self.line = line.strip()
        return line.replace('https://', 'http://', 1)


def make_cert(d):
    cert, key = os.path.join(d, 'cert.pem'), os.path.join(d, 'key.pem')
    if shutil.which('openssl'):
        cmd = ['openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes',
               '-keyout', key, '-out', cert, '-days', '2',
               '-subj', '/CN=127.0.0.1',
               '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost']
        p = subprocess.run(cmd, capture_output=True, timeout=60)
        return (cert, key) if p.returncode == 0 else p.stderr.decode()
    if shutil.which('certtool'):
        tmpl = os.path.join(d, 'cert.cfg')
        with open(tmpl, 'w') as f:
            f.write('cn = 127.0.0.1\nip_address = 127.0.0.1\n'
                    'dns_name = localhost\nexpiration_days = 2\n'
                    'ca\ntls_www_server\nsigning_key\nencryption_key\n')
        p = subprocess.run(['certtool', '--generate-privkey', '--rsa',
                            '--bits', '2048', '--outfile', key],
                           capture_output=True, timeout=60)
        if p.returncode:
            return p.stderr.decode()
        p = subprocess.run(['certtool', '--generate-self-signed',
                            '--load-privkey', key, '--template', tmpl,
                            '--outfile', cert], capture_output=True,
                           timeout=60)
        return (cert, key) if p.returncode == 0 else p.stderr.decode()
    return ('neither openssl nor certtool is installed: apt-get install '
            'openssl (or gnutls-bin)')


@section
def tls():
    d = tempfile.mkdtemp(prefix='somock-tls-')
    try:
        made = make_cert(d)
        if not t.ok(isinstance(made, tuple), 'a self-signed certificate is '
                    'made for the test', made):
            return
        cert, key = made
        with TlsServer('--tls-cert', cert, '--tls-key', key) as s:
            t.eq(s.line, 'somock listening on https://127.0.0.1:%d' % s.port,
                 'the listening line says https')
            url = 'https://127.0.0.1:%d/api/v1/BatchTask/All' % s.port
            if shutil.which('curl'):
                p = subprocess.run(['curl', '-sS', '--cacert', cert, '-u',
                                    'tje0:Tje0', '-w', '\n%{http_code}',
                                    url], capture_output=True, timeout=30)
                body, _, code = p.stdout.decode().rpartition('\n')
                t.eq(code, '200', 'curl --cacert cert.pem over https: 200',)
                t.eq(sorted(x['Id'] for x in json.loads(body or '[]')),
                     expected_ids(), '... with the demo tasks')
            else:
                t.ok(False, 'curl is installed (apt-get install curl)')
            ctx = ssl.create_default_context(cafile=cert)
            conn = http.client.HTTPSConnection('127.0.0.1', s.port,
                                               context=ctx, timeout=10)
            conn.request('GET', '/api/v1/BatchTask/Failed', headers=H)
            r = conn.getresponse()
            body = r.read()
            conn.close()
            t.eq((r.status, sorted(x['Id'] for x in json.loads(body))),
                 (200, expected_ids(state='Failed')),
                 'python ssl with the cafile: 200 and the Failed tasks')
            conn = http.client.HTTPSConnection('127.0.0.1', s.port,
                                               context=ctx, timeout=10)
            conn.request('GET', '/__somock/health')
            r = conn.getresponse()
            t.eq(r.status, 200, 'the control API over https')
            r.read()
            conn.close()
            try:
                conn = http.client.HTTPSConnection(
                    '127.0.0.1', s.port, timeout=10,
                    context=ssl.create_default_context())
                conn.request('GET', '/__somock/health')
                conn.getresponse().read()
                t.ok(False, 'an untrusted certificate is refused')
            except ssl.SSLError:
                t.ok(True, 'an untrusted certificate is refused')
            try:
                st = raw_request('127.0.0.1', s.port, 'GET',
                                 '/__somock/health', timeout=3)[0]
                t.ok(st != 200, 'plain http to the TLS port does not answer '
                     '200')
            except (OSError, http.client.HTTPException):
                t.ok(True, 'plain http to the TLS port does not answer 200')
        rc, _, err = run('serve', '--tls-cert', cert)
        t.eq(rc, 2, '--tls-cert without --tls-key is a usage error')
        p = subprocess.run([BIN, 'serve', '--port', '0', '--tls-cert', cert,
                            '--tls-key', os.path.join(d, 'missing.pem')],
                           capture_output=True, timeout=20)
        t.ok(p.returncode == 1 and b'missing.pem' in p.stderr,
             'a missing key file: exit 1 naming the file', p.stderr)
    finally:
        shutil.rmtree(d, ignore_errors=True)


# --- CORS -------------------------------------------------------------------

PRE = {'Origin': 'https://app.example',
       'Access-Control-Request-Method': 'GET',
       'Access-Control-Request-Headers': 'authorization, so-timezone'}


@section
def cors():
    with Server() as s:
        r = s.request('OPTIONS', '/api/v1/BatchTask/All', PRE)
        t.eq(r.status, 405, 'without --cors a preflight is 405')
        r = s.get('/api/v1/BatchTask/All',
                  dict(H, Origin='https://app.example'))
        t.eq(r.header('Access-Control-Allow-Origin'), None,
             'without --cors no CORS headers')
    with Server('--cors', 'https://app.example') as s:
        r = s.request('OPTIONS', '/api/v1/BatchTask/All', PRE)
        t.eq((r.status, r.header('Access-Control-Allow-Origin')),
             (204, 'https://app.example'),
             'preflight from the allowed origin: 204 with that origin')
        methods = [m.strip() for m in
                   (r.header('Access-Control-Allow-Methods') or '').split(',')]
        t.ok({'GET', 'POST'} <= set(methods), 'Allow-Methods has GET and '
             'POST', methods)
        allowed = [x.strip().lower() for x in
                   (r.header('Access-Control-Allow-Headers') or '').split(',')]
        t.ok({'authorization', 'so-timezone', 'so-language', 'accept',
              'content-type', 'x-xsrf-token', 'x-somock-sandbox'} <=
             set(allowed), 'Allow-Headers has the SuperOffice headers',
             allowed)
        t.ok((r.header('Access-Control-Max-Age') or '').isdigit(),
             'Max-Age is set')
        t.eq(r.body, b'', 'a preflight has no body')
        r = s.request('OPTIONS', '/Cust12345/api/v1/Agents/Batch/'
                      'GetBatchTaskInfo', dict(PRE, **{
                          'Access-Control-Request-Method': 'POST'}))
        t.eq(r.status, 204, 'preflight on an Agents route with a prefix')
        r = s.get('/api/v1/BatchTask/All',
                  dict(H, Origin='https://app.example'))
        t.eq((r.status, r.header('Access-Control-Allow-Origin')),
             (200, 'https://app.example'),
             'a GET from the origin carries Access-Control-Allow-Origin')
        exposed = (r.header('Access-Control-Expose-Headers') or '').split(',')
        exposed = [x.strip() for x in exposed]
        t.ok('SO-TimeZone' in exposed, 'Expose-Headers has SO-TimeZone',
             exposed)
        vary = [x.strip().lower() for x in
                (r.header('Vary') or '').split(',')]
        t.ok('origin' in vary, 'an answer that echoes the Origin says '
             'Vary: Origin', vary)
        r = s.get('/api/v1/BatchTask/All', {'Origin': 'https://app.example'})
        t.eq((r.status, r.header('Access-Control-Allow-Origin')),
             (401, 'https://app.example'),
             'a refused request carries the CORS headers too')
        r = s.get('/api/v1/BatchTask/All',
                  dict(H, Origin='https://evil.example'))
        t.eq((r.status, r.header('Access-Control-Allow-Origin'),
              r.header('Access-Control-Expose-Headers')), (200, None, None),
             'another origin gets no CORS headers')
        r = s.request('OPTIONS', '/api/v1/BatchTask/All',
                      dict(PRE, Origin='https://evil.example'))
        t.eq((r.status, r.header('Access-Control-Allow-Origin')),
             (405, None), 'a preflight from another origin: 405, no CORS')
        r = s.request('OPTIONS', '/api/v1/BatchTask/All',
                      {'Origin': 'https://app.example'})
        t.eq(r.status, 405, 'OPTIONS without Access-Control-Request-Method '
             'is not a preflight: 405')
        r = s.get('/api/v1/BatchTask/All', H)
        t.eq(r.header('Access-Control-Allow-Origin'), None,
             'no Origin: no CORS headers')
    with Server('--cors', '*') as s:
        r = s.request('OPTIONS', '/api/v1/BatchTask/All',
                      dict(PRE, Origin='https://anything.example'))
        t.eq((r.status, r.header('Access-Control-Allow-Origin')), (204, '*'),
             "--cors '*': any origin's preflight gets 204 and *")
        r = s.get('/api/v1/BatchTask/All', dict(H, Origin='http://x.test'))
        t.eq((r.header('Access-Control-Allow-Origin'),
              r.header('Access-Control-Allow-Credentials')), ('*', None),
             "--cors '*': a GET gets * and no Allow-Credentials")


# --- access log -------------------------------------------------------------

@section
def logs():
    sess = demo['sessions'][0]
    pw_header = basic('tje0', 'Not-The-Password-77')
    sent = [('GET', '/api/v1/BatchTask/All', H, 200),
            ('GET', '/api/v1/BatchTask/Failed',
             {'Cookie': 'ASP.NET_SessionId=%s' % sess['SessionId'],
              'X-XSRF-TOKEN': sess['XsrfToken']}, 200),
            ('GET', '/api/v1/BatchTask/New', {'Authorization': pw_header},
             401),
            ('POST', '/api/v1/Agents/Batch/GetBatchTaskInfo', H, 200)]
    secrets = [TJE0.split()[1], sess['SessionId'], sess['XsrfToken'],
               pw_header.split()[1], 'Not-The-Password-77']

    def fire(s):
        out = []
        for m, p, hd, _ in sent:
            body = {'id': expected_ids()[0]} if m == 'POST' else None
            out.append(s.request(m, p, hd, body).status)
        return out

    s = Server('-v')
    got = fire(s)
    s.stop()
    err = s.read_stderr()
    t.eq(got, [x[3] for x in sent], 'the log test requests answer')
    lines = [ln for ln in err.splitlines()
             if ln and not ln.startswith('somock: ')]
    import re
    pat = re.compile(r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z 127\.0\.0\.1 '
                     r'(GET|POST) (\S+) (\d{3}) (\d+\.\d+)ms '
                     r'associate=(\d+|-)( reason="[^"]+")?$')
    parsed = [pat.match(ln) for ln in lines]
    t.ok(all(parsed), '-v: every access line is TIME CLIENT METHOD PATH '
         'STATUS ms associate [reason]', lines)
    t.eq([(m.group(1), m.group(2), int(m.group(3))) for m in parsed if m],
         [(m, p, st) for m, p, _, st in sent],
         '-v: one text access line per request, in order')
    t.eq([x for x in secrets if x in err], [],
         '-v: no Authorization or Cookie value in the log')

    # MHD percent-decodes the path: the server sees U+00E6 in UTF-8, a
    # byte that is no UTF-8 at all, and a newline, quote and backslash
    odd = [('/api/v1/BatchTask/%C3%A6%FF',
            '/api/v1/BatchTask/\u00e6\ufffd'),
           ('/api/v1/BatchTask/%0A%22%5C%7F',
            '/api/v1/BatchTask/\n"\\\x7f')]
    s = Server('-v', '--log-format', 'json')
    fire(s)
    odd_status = [s.get(p, H).status for p, _ in odd]
    s.stop()
    err = s.read_stderr()
    s.stderr.seek(0)
    raw = s.stderr.read()
    try:
        raw.decode('utf-8')
        utf8 = True
    except UnicodeDecodeError as e:
        utf8 = str(e)
    t.eq(utf8, True, '--log-format json: the log is valid UTF-8 whatever '
         'bytes the path holds')
    objs, bad = [], []
    for ln in err.splitlines():
        if ln.startswith('{'):
            try:
                obj = json.loads(ln)
            except ValueError:
                bad.append(ln)
                continue
            if 'method' in obj:     # access lines; others have "level"
                objs.append(obj)
    t.eq(bad, [], '--log-format json: every access line is a JSON object')
    t.eq([(o.get('method'), o.get('path'), o.get('status'),
           o.get('associate')) for o in objs[:len(sent)]],
         [(m, p, st, a) for (m, p, _, st), a in
          zip(sent, [53, sess['AssociateId'], 0, 53])],
         '--log-format json: method, path, status, associate per request')
    t.eq([(o.get('method'), o.get('path'), o.get('status'))
          for o in objs[len(sent):]],
         [('GET', want, st) for (_, want), st in zip(odd, odd_status)],
         '--log-format json: a path with non-ASCII, invalid and control '
         'bytes decodes to its characters, U+FFFD for the invalid byte')
    t.ok(all(isinstance(o.get('ms'), (int, float)) for o in objs),
         '--log-format json: ms is a number')
    t.eq([x for x in secrets if x in err], [],
         '--log-format json: no Authorization or Cookie value in the log')
    others = [ln for ln in err.splitlines() if ln and not ln.startswith('{')]
    t.ok(others == [], '--log-format json: no non-JSON line on stderr',
         others)
    s = Server()
    fire(s)
    s.stop()
    t.eq([ln for ln in s.read_stderr().splitlines()
          if not ln.startswith('somock: ')], [], 'without -v no access log')


# --- demo login -------------------------------------------------------------

def cookies_of(msg):
    out = {}
    for c in msg.get_all('Set-Cookie') or []:
        name, _, rest = c.partition('=')
        out[name.strip()] = (rest.split(';')[0], c)
    return out


@section
def demo_login():
    with Server() as s:
        st, msg, body = raw_request('127.0.0.1', s.port, 'POST',
                                    '/demo/login',
                                    body={'name': 'tje0', 'password': 'Tje0'})
        who = json.loads(body) if st == 200 else {}
        t.eq((st, who.get('AssociateId'), who.get('Name')), (200, 53, 'tje0'),
             'POST /demo/login with tje0/Tje0: 200 and who')
        ck = cookies_of(msg)
        t.eq(sorted(ck), ['ASP.NET_SessionId', 'XSRF-TOKEN'],
             'Set-Cookie for ASP.NET_SessionId and XSRF-TOKEN')
        sid = ck.get('ASP.NET_SessionId', ('', ''))
        xsrf = ck.get('XSRF-TOKEN', ('', ''))
        t.ok(len(sid[0]) >= 16 and 'HttpOnly' in sid[1] and
             'HttpOnly' not in xsrf[1] and len(xsrf[0]) >= 16,
             'the session cookie is HttpOnly, the XSRF one readable', ck)
        cookie = {'Cookie': 'ASP.NET_SessionId=%s; XSRF-TOKEN=%s' %
                  (sid[0], xsrf[0]), 'X-XSRF-TOKEN': xsrf[0]}
        r = s.get('/api/v1/BatchTask/All', cookie)
        t.eq(ids(r), expected_ids(), 'cookie + X-XSRF-TOKEN: the tasks')
        r = s.get('/api/v1/BatchTask/All', {'Cookie': cookie['Cookie']})
        t.eq(r.status, 401, 'the cookie without X-XSRF-TOKEN: 401')
        st2, msg2, _ = raw_request('127.0.0.1', s.port, 'POST',
                                   '/demo/login',
                                   body={'name': 'tje0', 'password': 'Tje0'})
        t.ok(cookies_of(msg2).get('ASP.NET_SessionId', ('',))[0] != sid[0],
             'each login gets a new session id')
        for creds, what in (({'name': 'tje0', 'password': 'wrong'},
                             'a wrong password'),
                            ({'name': 'nobody', 'password': 'Tje0'},
                             'an unknown user'),
                            ({'name': 'tje0'}, 'no password'),
                            ('not json', 'a body that is not JSON')):
            st, m3, body = raw_request('127.0.0.1', s.port, 'POST',
                                       '/demo/login', body=creds)
            t.ok(st == 401 and not m3.get_all('Set-Cookie') and
                 json.loads(body).get('ErrorType') ==
                 'SoAuthenticationException',
                 'login with %s: 401, no cookie' % what, (st, body))
        t.eq(s.get('/demo/login').status, 405, 'GET /demo/login: 405')
        st, msg, _ = raw_request('127.0.0.1', s.port, 'POST', '/demo/logout',
                                 {'Cookie': cookie['Cookie']})
        ck = cookies_of(msg)
        t.ok(st == 204 and all('Max-Age=0' in v[1] for v in ck.values()) and
             len(ck) == 2, 'POST /demo/logout: 204 and both cookies cleared',
             (st, ck))
        r = s.get('/api/v1/BatchTask/All', cookie)
        t.eq(r.status, 401, 'after logout the session no longer works')
        r = s.get('/', {})
        t.ok(r.status == 200 and r.header('Content-Type').startswith(
            'text/html'), 'GET / serves the demo page')


# --- the CI examples in docs/examples ---------------------------------------

@section
def ci_examples():
    ex = os.path.join(ROOT, 'docs', 'examples')
    env = dict(os.environ, SOMOCK_BIN=os.path.abspath(BIN))
    for name, cmd in (('ci-example.sh', ['bash']),
                      ('ci_example.py', [sys.executable])):
        path = os.path.join(ex, name)
        if not os.path.exists(path):
            t.ok(False, 'docs/examples/%s exists' % name)
            continue
        p = subprocess.run(cmd + [path], capture_output=True, timeout=120,
                           env=env)
        t.ok(p.returncode == 0, 'docs/examples/%s runs to success' % name,
             (p.stdout + p.stderr).decode('utf-8', 'replace')[-3000:])


@section
def freeze_clock_option():
    with Server('--freeze-clock', '2030-01-01T00:00:00Z') as s:
        c = s.get('/__somock/clock').json()
        t.eq((c['now'], c['frozen']), ('2030-01-01T00:00:00Z', True),
             '--freeze-clock TIME starts the clock frozen at TIME')
        time.sleep(0.3)
        t.eq(s.get('/__somock/clock').json()['now'], '2030-01-01T00:00:00Z',
             'and it stays there')
    code, _, err = run('serve', '--port', '0', '--freeze-clock', 'soon')
    t.ok(code == 2 and '--freeze-clock' in err, '--freeze-clock with a '
         'bad time: usage error', err)


t.done()
