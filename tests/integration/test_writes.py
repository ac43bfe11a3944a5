"""The Batch service's writes over HTTP: start, update, stop, delete.

Through REST and the Agents API, with JSON, XML and form bodies: what
each write changes and what it leaves alone, computed here from the
demo fixture and the requests sent; tenants and sandboxes isolate writes;
reset undoes them; the journal records them; the cache never serves an
answer a write made stale and keeps the ones it did not; --simulate
moves a started job on the mock clock; many clients starting and reading
at once get distinct Ids and whole answers.
"""
import json
import threading
import time

from somock import Server, Tap, TJE0, basic, load_fixture

t = Tap()
demo = load_fixture('demo.json')
H = {'Authorization': TJE0}
KM = {'Authorization': basic('kmueller', 'Kennwort-21')}
AG = '/api/v1/Agents/Batch/'
JSON = {'Content-Type': 'application/json'}
tenant_of = {a['AssociateId']: a.get('Tenant') or ''
             for a in demo['associates']}
max_id = max(x['Id'] for x in demo['batchTasks'])
mine = [x for x in demo['batchTasks'] if x.get('AssociateId') == 53]


def post(s, path, body, headers=H, ctype='application/json'):
    if not isinstance(body, str):
        body = json.dumps(body)
    return s.request('POST', path, dict(headers, **{'Content-Type': ctype}),
                     body=body)


def task(s, tid, headers=H, prefix=''):
    r = s.get(prefix + '/api/v1/BatchTask/%d' % tid, headers)
    return r.json() if r.status == 200 else r.status


def health(s):
    return s.get('/__somock/health').json()


with Server('--freeze-clock', '2030-01-02T03:04:05Z') as s:
    # start: Agents JSON, Agents XML, Agents form, REST JSON, REST XML
    starts = [
        post(s, AG + 'StartBatchJob', {'BatchTaskInfo': {
            'Name': 'Export A', 'Description': 'first', 'State': 'Failed',
            'StartCount': 9, 'IsSystemTask': False,
            'ParameterObject': {'k': 'v'}}}),
        post(s, AG + 'StartBatchJob',
             '<StartBatchJobRequest><BatchTaskInfo><Name>Export B</Name>'
             '<DetailsTable>7</DetailsTable><IsInternalTask>true'
             '</IsInternalTask></BatchTaskInfo></StartBatchJobRequest>',
             ctype='application/xml'),
        post(s, AG + 'StartBatchJob', 'BatchTaskInfo=x',
             ctype='application/x-www-form-urlencoded'),
        post(s, '/api/v1/BatchTask', {'name': 'Export D',
                                      'unknownMember': 1}),
        post(s, '/api/v1/BatchTask',
             '<BatchTaskInfo xmlns="http://www.superoffice.net/ws/crm/'
             'NetServer/Services88"><Name>Export E</Name>'
             '<ParameterObject><StringKeyValuePair><Key>a</Key><Value>b'
             '</Value></StringKeyValuePair></ParameterObject>'
             '</BatchTaskInfo>', ctype='text/xml'),
    ]
    t.eq(starts[2].status, 400, 'a carrier cannot come as a form field')
    ids = [r.json() for r in starts if r.status == 200]
    t.eq(ids, [max_id + 1, max_id + 2, max_id + 3, max_id + 4],
         'each start answers a fresh Id above every Id of the data')
    a, b, d, e = (task(s, i) for i in ids)
    t.ok(a['Name'] == 'Export A' and a['Description'] == 'first' and
         a['State'] == 'New' and a['StartCount'] == 0 and
         a['AssociateId'] == 53 and a['Created'] == '2030-01-02T03:04:05Z'
         and a['LastStarted'] == '0001-01-01T00:00:00' and
         a['ParameterObject'] == {'k': 'v'},
         'a started job: New, the caller, Created now, StartCount 0, '
         'LastStarted MinValue, other members from the body', a)
    t.ok(b['Name'] == 'Export B' and b['DetailsTable'] == 7 and
         b['IsInternalTask'] is True, 'an XML carrier: typed members', b)
    t.ok(d['Name'] == 'Export D', 'member names in any case; unknown ones '
         'ignored', d)
    t.eq(e['ParameterObject'], {'a': 'b'},
         'an XML ParameterObject of StringKeyValuePair items')
    new_ids = [x['Id'] for x in s.get('/api/v1/BatchTask/New', H).json()]
    t.ok(all(i in new_ids for i in ids), 'started jobs are in the New list')
    r = s.request('POST', '/api/v1/BatchTask',
                  dict(H, **{'Content-Type': 'application/json',
                             'Accept': 'application/xml'}),
                  body='{"Name":"X"}')
    t.eq(r.text, '<int xmlns="http://schemas.microsoft.com/2003/10/'
         'Serialization/">%d</int>' % (max_id + 5),
         'the Id in XML: a DataContract int')
    r = post(s, '/api/v1/BatchTask', {'Name': 'x', 'DetailsTable': 99999})
    t.ok(r.status == 400 and 'DetailsTable' in r.json()['MessageDetail'],
         'a short out of range: 400 naming the member', r.text)
    r = post(s, '/api/v1/BatchTask', {'Name': 'x', 'State': 'Bogus'})
    t.ok(r.status == 400 and 'State' in r.json()['MessageDetail'],
         'a State no BatchTaskState has: 400 naming it, even though a '
         'start replaces it', r.text)
    r = post(s, '/api/v1/BatchTask', {'Name': 'x', 'State': 'Failed',
                                      'StartCount': 7})
    t.eq(r.status, 200, 'a readable State and StartCount are accepted')
    r = s.request('GET', '/api/v1/BatchTask/%s' % r.text, dict(
        H, Accept='application/json'))
    t.eq((r.json()['State'], r.json()['StartCount']), ('New', 0),
         'and replaced: a new job is New and never started')
    r = post(s, '/api/v1/BatchTask', '[1]')
    t.eq(r.status, 400, 'a body that is no carrier: 400')

    # update: State, Description, Response, Request; others stay
    tid = ids[0]
    r = s.request('PUT', '/api/v1/BatchTask/%d' % tid, dict(H, **JSON),
                  body=json.dumps({'State': 'Started', 'Response': 'ok',
                                   'Name': 'renamed', 'Id': 1}))
    u = r.json() if r.status == 200 else {}
    t.ok(r.status == 200 and u.get('State') == 'Started' and
         u.get('Response') == 'ok' and u.get('Name') == 'Export A' and
         u.get('Description') == 'first' and u.get('Id') == tid,
         'PUT: State and Response change, Name and Id do not, Description '
         'absent from the body keeps its value', r.text[:300])
    r = post(s, AG + 'UpdateBatchTask', {'BatchTaskInfo': {
        'Id': tid, 'State': 4, 'Description': None, 'Request': 'rq'}})
    u = r.json()
    t.ok(u['State'] == 'Succeeded' and u['Description'] is None and
         u['Request'] == 'rq', 'UpdateBatchTask: a state number, null', u)
    r = post(s, AG + 'UpdateBatchTask', {'BatchTaskInfo': {'Id': 1,
                                                           'State': 'New'}})
    t.eq((r.status, r.text), (200, 'null'),
         'UpdateBatchTask of a missing task: null')
    r = s.request('PUT', '/api/v1/BatchTask/1', dict(H, **JSON),
                  body='{"State":"New"}')
    t.eq(r.status, 404, 'PUT of a missing task: 404')
    r = s.request('PUT', '/api/v1/BatchTask/%d' % tid, dict(H, **JSON),
                  body='{"State":"Done"}')
    t.ok(r.status == 400 and 'State' in r.json()['MessageDetail'],
         'PUT with an unknown state: 400 naming it', r.text)

    # stop: which states stop, and CannotCancel
    cases = [('New', 'CanCancel', True), ('Aquired', 'CancelWithWarning',
                                           True),
             ('Started', 'CanCancel', True), ('Started', 'CannotCancel',
                                              False),
             ('Succeeded', 'CanCancel', False), ('Failed', 'CanCancel',
                                                 False)]
    doc = {'batchTasks': [{'Id': 9000 + i, 'Name': 'stop %d' % i,
                           'AssociateId': 53, 'State': st,
                           'CancellationBehaviour': cb}
                          for i, (st, cb, _) in enumerate(cases)]}
    t.eq(s.post('/__somock/fixtures', doc).status, 200, 'stop cases loaded')
    for i, (st, cb, want) in enumerate(cases):
        via_rest = i % 2 == 0
        if via_rest:
            r = s.request('POST', '/api/v1/BatchTask/%d/Stop' % (9000 + i),
                          H, body='')
        else:
            r = post(s, AG + 'StopBatchJob', {'Id': 9000 + i})
        after = task(s, 9000 + i)
        t.ok(r.json() is want and (after['State'], after['Result']) ==
             (('Failed', 'Stopped') if want else (st, None)),
             'Stop of a %s %s task (%s): %s' % (st, cb, 'REST' if via_rest
                                                else 'Agents', want),
             (r.text, after))
    t.eq(post(s, AG + 'StopBatchJob', {'Id': 1}).json(), False,
         'Stop of a missing task: false')

    # delete: one, many; another tenant's and missing ones are ignored
    km_task = next(x['Id'] for x in demo['batchTasks']
                   if tenant_of.get(x.get('AssociateId', 0)) == 'Cust12345')
    r = s.request('DELETE', '/api/v1/BatchTask/%d' % ids[1], H)
    t.eq((r.status, r.body), (204, b''), 'DELETE: 204, no body')
    t.eq(task(s, ids[1]), 404, 'the deleted task is gone')
    r = post(s, AG + 'DeleteBatchTasks', {'BatchTaskIds': [ids[2], km_task,
                                                            1]})
    t.eq(r.status, 204, 'DeleteBatchTasks: 204')
    t.eq(task(s, ids[2]), 404, '... its task is gone')
    t.ok(isinstance(task(s, km_task, KM, '/Cust12345'), dict),
         "... another tenant's task is untouched")
    r = post(s, AG + 'DeleteBatchTask', {'BatchTaskId': 1})
    t.eq(r.status, 204, 'DeleteBatchTask of a missing task: 204')
    r = s.request('DELETE', '/api/v1/BatchTask/%d' % km_task, H)
    t.ok(r.status == 204 and isinstance(task(s, km_task, KM, '/Cust12345'),
                                        dict),
         "DELETE of another tenant's task: 204, and it stays")
    r = s.request('PUT', '/api/v1/BatchTask/%d' % km_task, dict(H, **JSON),
                  body='{"State":"Failed"}')
    t.eq(r.status, 404, "PUT of another tenant's task: 404")

    # the journal records writes; reset undoes them
    j = s.get('/__somock/requests?method=DELETE').json()
    t.ok(j['count'] >= 2 and all(x['path'].startswith('/api/v1/BatchTask/')
                                 for x in j['requests']),
         'the journal records the writes', j)
    s.post('/__somock/reset', {})
    t.eq(task(s, ids[0]), 404, 'reset: a started job is gone')
    t.eq(len(s.get('/api/v1/BatchTask/All', H).json()),
         len([x for x in demo['batchTasks'] if tenant_of.get(
             x.get('AssociateId', 0), '') == '' and
             not x.get('IsSystemTask')]),
         'reset: the data is the start-up data again')

    # sandboxes: a write is seen by its sandbox only
    sb = dict(H, **{'X-Somock-Sandbox': 'w1'})
    r = post(s, '/api/v1/BatchTask', {'Name': 'in sandbox'}, sb)
    sid = r.json()
    t.ok(isinstance(task(s, sid, sb), dict) and task(s, sid) == 404 and
         task(s, sid, dict(H, **{'X-Somock-Sandbox': 'w2'})) == 404,
         'a job started in a sandbox is seen there only')

    # the cache: a write stales what it touched and keeps the rest
    s.post('/__somock/reset', {})
    for path in ('/api/v1/BatchTask/Failed', '/api/v1/BatchTask/Succeeded',
                 '/api/v1/BatchTask/%d' % mine[0]['Id']):
        s.get(path, H)
    h0 = health(s)['cache']
    failed = s.get('/api/v1/BatchTask/Failed', H).body
    h1 = health(s)['cache']
    t.eq(h1['hits'] - h0['hits'], 1, 'cache: a repeated read is a hit')
    post(s, '/api/v1/BatchTask', {'Name': 'new one'})     # touches New
    again = s.get('/api/v1/BatchTask/Failed', H).body
    h2 = health(s)['cache']
    t.ok(again == failed and h2['hits'] - h1['hits'] == 1,
         'cache: a start (New) keeps the Failed list cached', (h1, h2))
    before = s.get('/api/v1/BatchTask/All', H).json()
    victim = next(x for x in before if x['State'] == 'Failed')
    s.request('PUT', '/api/v1/BatchTask/%d' % victim['Id'], dict(H, **JSON),
              body='{"State":"Succeeded"}')
    failed_ids = [x['Id'] for x in
                  s.get('/api/v1/BatchTask/Failed', H).json()]
    succ_ids = [x['Id'] for x in
                s.get('/api/v1/BatchTask/Succeeded', H).json()]
    t.ok(victim['Id'] not in failed_ids and victim['Id'] in succ_ids,
         'cache: a state change is seen in both lists at once')
    t.eq(task(s, victim['Id'])['State'], 'Succeeded',
         'cache: ... and by id')
    agent = post(s, AG + 'GetBatchTaskInfosByState', {'State': 'Failed'})
    t.eq([x['Id'] for x in agent.json()], failed_ids,
         'cache: ... and through the Agents API')
    s.get('/Cust12345/api/v1/BatchTask/All', KM)
    h3 = health(s)['cache']
    s.get('/Cust12345/api/v1/BatchTask/All', KM)
    post(s, '/api/v1/BatchTask', {'Name': 'other tenant'})
    s.get('/Cust12345/api/v1/BatchTask/All', KM)
    h4 = health(s)['cache']
    t.eq(h4['hits'] - h3['hits'], 2,
         "cache: a write in one tenant keeps another tenant's answers")

    # a sandbox with data of its own reads it afresh: its answers would
    # outlive it in the cache; an unchanged one shares the start-up data's
    s.post('/__somock/reset', {})
    start_up = s.get('/api/v1/BatchTask/Failed', H).body
    h5 = health(s)['cache']
    idle = [s.get('/api/v1/BatchTask/Failed',
                  dict(H, **{'X-Somock-Sandbox': 'cache-idle%d' % i})).body
            for i in range(3)]
    h6 = health(s)['cache']
    t.eq(idle, [start_up] * 3,
         'cache: unchanged sandboxes answer as the start-up data')
    t.eq((h6['hits'] - h5['hits'], h6['entries'] - h5['entries']), (2, 1),
         'cache: ... three sandboxes, one cached entry')
    own = dict(H, **{'X-Somock-Sandbox': 'cache-own'})
    post(s, '/api/v1/BatchTask', {'Name': 'mine'}, own)
    for _ in range(3):
        for path in ('/api/v1/BatchTask/Failed', '/api/v1/BatchTask/New',
                     '/api/v1/BatchTask/All'):
            t_ = s.get(path, own)
            if t_.status != 200:
                t.ok(False, 'sandbox read %s: %d' % (path, t_.status))
    h7 = health(s)['cache']
    t.eq((h7['hits'] - h6['hits'], h7['entries'] - h6['entries']), (0, 0),
         'cache: a sandbox that wrote keeps nothing in it (9 reads: no hit, '
         'no entry)')
    t.ok(any(x['Name'] == 'mine' for x in
             s.get('/api/v1/BatchTask/New', own).json()),
         'cache: ... and reads its own write')
    s.request('DELETE', '/__somock/sandboxes/cache-own')
    t.eq(health(s)['cache']['entries'], h7['entries'],
         'cache: dropping it leaves the cache as it was')

with Server('--simulate', '--freeze-clock', '2030-01-01T00:00:00Z') as s:
    tid = post(s, '/api/v1/BatchTask', {'Name': 'simulated'}).json()
    seen = [task(s, tid)['State']]
    for _ in range(40):
        s.post('/__somock/clock', {'advanceSeconds': 10})
        st = task(s, tid)['State']
        if st != seen[-1]:
            seen.append(st)
        if st in ('Succeeded', 'Failed'):
            break
    t.ok(seen[0] == 'New' and seen[-1] in ('Succeeded', 'Failed') and
         len(seen) >= 3, '--simulate: a started job moves on with the '
         'clock: %s' % ' -> '.join(seen))
    final = task(s, tid)
    t.ok(final['StartCount'] >= 1 and final['LastStarted'] != 
         '0001-01-01T00:00:00', '--simulate: it was started', final)

with Server() as s:
    # many clients at once: distinct Ids, whole answers, no lost write
    got, bad = [], []

    stale = []

    def starter(n):
        for i in range(25):
            r = post(s, '/api/v1/BatchTask', {'Name': 'c%d-%d' % (n, i)})
            if r.status == 200:
                got.append((r.json(), 'c%d-%d' % (n, i)))
                # read your write, through whichever reader answers
                g = s.get('/api/v1/BatchTask/%d' % r.json(), H)
                if g.status != 200 or \
                        g.json().get('Name') != 'c%d-%d' % (n, i):
                    stale.append((r.json(), g.status))
            else:
                bad.append(r.status)

    def reader():
        for _ in range(40):
            r = s.get('/api/v1/BatchTask/New', H)
            try:
                json.loads(r.body)
            except ValueError:
                bad.append('torn')

    threads = [threading.Thread(target=starter, args=(n,)) for n in range(8)]
    threads += [threading.Thread(target=reader) for _ in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    t.eq(bad, [], '8 starters and 4 readers at once: no failure, no torn '
         'answer')
    t.eq(len({i for i, _ in got}), 200, '200 starts, 200 distinct Ids')
    names = {x['Id']: x['Name'] for x in
             s.get('/api/v1/BatchTask/New', H).json()}
    t.ok(all(names.get(i) == n for i, n in got),
         'every start is there, under its own Id')
    t.eq(stale, [], 'each start reads back at once (readers catch up with '
         'the writes they missed)')
    # every reader of the pool, each behind by a different number of
    # writes, answers the same list
    lists = []

    def lister():
        for _ in range(10):
            lists.append(sorted(x['Id'] for x in
                                s.get('/api/v1/BatchTask/New', H).json()))

    threads = [threading.Thread(target=lister) for _ in range(6)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    t.eq({tuple(x) for x in lists}, {tuple(sorted(names))},
         '60 reads over 6 connections: one list, with every start')

t.done()
