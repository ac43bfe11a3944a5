"""Fixture files: check, init-db, --fixtures, --db."""
import hashlib
import os
import shutil
import sqlite3
import tempfile

from somock import (Server, Tap, TJE0, FIXTURES, load_fixture, run,
                    write_json)

t = Tap()
DEMO = os.path.join(FIXTURES, 'demo.json')
SAMPLE = os.path.join(FIXTURES, 'doc-sample.json')
H = {'Authorization': TJE0}
TJE = {'AssociateId': 53, 'Name': 'tje0', 'Password': 'Tje0'}
tmp = tempfile.mkdtemp()

code, out, err = run('check', DEMO, SAMPLE)
t.ok(code == 0 and out.count(': ok') == 2, 'the shipped fixtures check',
     err)

# each kind of bad entry, with the message naming file, entry and field
BAD = [
    ({'batchTasks': [{'Id': 1}, {'Id': 2, 'Bogus': 1}]},
     'batchTasks[1].Bogus: unknown key'),
    ({'batchTasks': [{'Id': 'x'}]}, 'batchTasks[0].Id: must be an integer'),
    ({'batchTasks': [{'Id': 1, 'State': 'Done'}]},
     "batchTasks[0].State: unknown state 'Done'"),
    ({'batchTasks': [{'Id': 1, 'State': 4}]},
     'batchTasks[0].State: must be a name'),
    ({'batchTasks': [{'Id': 1, 'CancellationBehaviour': 'Maybe'}]},
     "batchTasks[0].CancellationBehaviour: unknown cancellation"),
    ({'batchTasks': [{'Id': 1, 'Created': '2020-13-01T00:00:00'}]},
     'batchTasks[0].Created: must be a date'),
    ({'batchTasks': [{'Id': 1, 'LastStarted': 'yesterday'}]},
     'batchTasks[0].LastStarted: must be a date'),
    ({'batchTasks': [{'Id': 1, 'IsSystemTask': 'no'}]},
     'batchTasks[0].IsSystemTask: must be true or false'),
    ({'batchTasks': [{'Id': 1, 'Name': 5}]},
     'batchTasks[0].Name: must be a string or null'),
    ({'batchTasks': [{'Id': 1, 'ParameterObject': {'a': 1}}]},
     "batchTasks[0].ParameterObject: value of 'a' must be a string"),
    ({'batchTasks': [{'Id': 1, 'TableRight': {'Mask': 'FULL', 'X': 1}}]},
     "batchTasks[0].TableRight: TableRight: unknown key 'X'"),
    ({'batchTasks': [{'Id': 1, 'FieldProperties': {'f': {'FieldLength':
                                                          'long'}}}]},
     "batchTasks[0].FieldProperties: 'f'.FieldLength must be a 32-bit integer"),
    ({'batchTasks': [{'Id': 1, 'StartCount': 2 ** 40}]},
     'batchTasks[0].StartCount: 1099511627776 is out of the int32 range'),
    ({'batchTasks': [{'Id': 1, 'ProgressPercent': 32768}]},
     'batchTasks[0].ProgressPercent: 32768 is out of the int16 range'),
    ({'batchTasks': ['task']}, 'batchTasks[0]: must be an object'),
    ({'associates': [{'AssociateId': 1}]}, 'associates[0].Name: missing'),
    ({'associates': [TJE, dict(TJE, AssociateId=54)]},
     "associates[1].Name: duplicate login 'tje0'"),
    ({'associates': [dict(TJE, Tenant='Acme')]},
     'associates[0].Tenant: must be "Cust" followed by digits'),
    ({'tickets': [{'Ticket': '7T:x', 'AssociateId': 99}]},
     'tickets[0].AssociateId: unknown associate 99'),
    ({'associates': [TJE], 'tickets': [{'Ticket': '7T:x', 'AssociateId': 53,
                                        'Expires': 'soon'}]},
     'tickets[0].Expires: must be a date'),
    ({'associates': [TJE], 'tokens': [{'Token': '', 'AssociateId': 53}]},
     'tokens[0].Token: must be a non-empty string'),
    ({'sessions': [{'SessionId': 's', 'XsrfToken': 'x', 'AssociateId': 7}]},
     'sessions[0].AssociateId: unknown associate 7'),
    ({'resources': [{'Id': 'BATCH', 'Language': 'US', 'Text': 'x'}]},
     'resources[0].Id: must be a resource id'),
    ({'resources': [{'Id': 'SR_X', 'Language': 'english', 'Text': 'x'}]},
     'resources[0].Language: must be a SuperOffice language prefix'),
    ({'apps': [{'Name': 'x'}]}, 'apps[0].AppToken: missing'),
    ({'batchtasks': []}, "unknown key 'batchtasks'"),
    ({'batchTasks': {}}, "'batchTasks' must be an array"),
    ([], 'a fixture document is a JSON object'),
]
for doc, message in BAD:
    path = write_json(doc)
    code, out, err = run('check', path)
    name = os.path.basename(path)
    t.ok(code == 1 and name in err and message in err,
         'check names the problem: %s' % message, err)
    os.unlink(path)

path = os.path.join(tmp, 'broken.json')
with open(path, 'w') as f:
    f.write('{"batchTasks": [')
code, _, err = run('check', path)
t.ok(code == 1 and 'broken.json: line 1' in err, 'invalid JSON: line named',
     err)
code, _, err = run('check', os.path.join(tmp, 'missing.json'))
t.ok(code == 1 and 'cannot open fixture' in err, 'missing file', err)
t.eq(run('check')[0], 2, 'check without files: usage, exit 2')

# a bad file loads nothing: init-db keeps the earlier file, not a part
# (of a database that existed: one it made itself it removes again,
# tests/integration/test_cli.py)
db = os.path.join(tmp, 'somock.db')
t.eq(run('init-db', db)[0], 0, 'init-db PATH: an empty database')
good = write_json({'associates': [TJE], 'batchTasks': [
    {'Id': 1, 'AssociateId': 53, 'State': 'New'}]})
bad = write_json({'batchTasks': [{'Id': 2, 'AssociateId': 53},
                                 {'Id': 3, 'State': 'Nope'}]})
code, _, err = run('init-db', db, good, bad)
t.ok(code == 1 and 'batchTasks[1].State' in err, 'init-db reports the bad '
     'file and entry', err)
ids = [r[0] for r in sqlite3.connect(db).execute(
    'SELECT BatchTask_id FROM batchtask ORDER BY 1')]
t.eq(ids, [1], 'the bad file loaded nothing, the good one stays')
version = sqlite3.connect(db).execute('PRAGMA user_version').fetchone()[0]
t.eq(version, 1, 'schema versioned with PRAGMA user_version')

# serve a bad fixture: exit 1 with the message
code, _, err = run('serve', '--port', '0', '--fixtures', bad)
t.ok(code == 1 and os.path.basename(bad) in err and
     'batchTasks[1].State' in err, 'serve refuses a bad fixture', err)

# --fixtures, init-db + --db, and --db + --fixtures agree
demo_db = os.path.join(tmp, 'demo.db')
code, _, err = run('init-db', demo_db, DEMO)
t.eq(code, 0, 'init-db with the demo fixture')


def sha(p):
    with open(p, 'rb') as f:
        return hashlib.sha256(f.read()).hexdigest()


before = sha(demo_db)
mtime = os.stat(demo_db).st_mtime_ns
with Server('--fixtures', DEMO) as a, Server('--db', demo_db) as b:
    for state in ('All', 'Failed', 'Started'):
        ra = a.get('/api/v1/BatchTask/' + state, H)
        rb = b.get('/api/v1/BatchTask/' + state, H)
        t.ok(ra.status == 200 and ra.body == rb.body,
             '--db serves what --fixtures serves (%s)' % state)
    for path in ('/api/v1/BatchTask/All', '/api/v1/BatchTask/Bad',
                 '/api/v1/BatchTask/1'):
        b.get(path, H)
        b.request('POST', path, H, body='{"x":1}')
extra = write_json({'batchTasks': [{'Id': 5000, 'AssociateId': 53,
                                    'Name': 'added on top',
                                    'State': 'Failed'}]})
with Server('--db', demo_db, '--fixtures', extra) as c:
    r = c.get('/api/v1/BatchTask/5000', H)
    t.eq((r.status, r.json().get('Name')), (200, 'added on top'),
         '--db with --fixtures: fixtures applied on top')
t.eq(sha(demo_db), before, 'serving never changed the --db file (sha256)')
t.eq(os.stat(demo_db).st_mtime_ns, mtime, 'nor its modification time')
t.ok(not os.path.exists(demo_db + '-journal') and
     not os.path.exists(demo_db + '-wal'), 'no journal left beside it')

# a file name with URI syntax in it ('?', '#', '%') is still a file name
odd = os.path.join(tmp, 'odd?name#100%.db')
shutil.copyfile(demo_db, odd)
with Server('--db', odd) as s:
    t.eq(s.get('/api/v1/BatchTask/All', H).status, 200,
         '--db with ?, # and %% in the file name')

# later files layer over earlier ones (upsert by Id)
over = write_json({'batchTasks': [{'Id': 1, 'AssociateId': 53,
                                   'Name': 'replaced', 'State': 'Failed'}]})
with Server('--fixtures', good, '--fixtures', over) as s:
    r = s.get('/api/v1/BatchTask/1', H).json()
    t.eq((r['Name'], r['State']), ('replaced', 'Failed'),
         'a later fixture replaces a task with the same Id')
    r = s.get('/api/v1/BatchTask/1', H).json()
    t.eq((r['TableRight'], r['FieldProperties'], r['ParameterObject'],
          r['LastStarted']), (None, {}, None, '0001-01-01T00:00:00'),
         'missing keys take the column defaults')

# a non-somock database is refused
plain = os.path.join(tmp, 'plain.db')
sqlite3.connect(plain).execute('CREATE TABLE x (y)').connection.commit()
code, _, err = run('serve', '--port', '0', '--db', plain)
t.ok(code == 1 and 'not a somock database' in err, 'foreign --db refused',
     err)


# --- bringing your own fixtures: who can sign in ------------------------
demo = load_fixture('demo.json')


def cards(logins):
    return [(x['AssociateId'], x['Name'], x['Password'], x['FullName'],
             x['Tenant']) for x in logins]


def demo_cards(online=False):
    rows = [a for a in demo['associates'] if a.get('Password') is not None
            and (a.get('Tenant') or not online)]
    rows.sort(key=lambda a: (bool(a.get('Tenant')), a.get('Tenant') or '',
                             a['AssociateId']))
    return [(a['AssociateId'], a['Name'], a['Password'], a.get('FullName'),
             a.get('Tenant')) for a in rows]


with Server() as s:
    r = s.get('/demo/logins')
    t.ok(r.status == 200 and r.json()['mode'] == 'onsite' and
         cards(r.json()['logins']) == demo_cards(),
         'GET /demo/logins: every demo associate with a password, the '
         'default tenant first', r.text[:300])
    t.eq(s.request('POST', '/demo/logins', body={}).status, 405,
         'POST /demo/logins: 405')
    page = s.get('/').text
    t.ok('/demo/logins' in page and 'Kennwort-21' not in page,
         'the demo page reads its login cards from /demo/logins, with no '
         'list of its own')
    t.eq(s.read_stderr(), '', 'the demo data: no start-up warning')
with Server('--mode', 'online') as s:
    r = s.get('/demo/logins').json()
    t.ok(r['mode'] == 'online' and cards(r['logins']) ==
         demo_cards(online=True) and cards(r['logins']),
         'online: only tenant associates (the API needs /CustNNNN/)', r)

tasks_only = write_json({'batchTasks': [{'Id': 9001, 'Name': 'mine',
                                         'AssociateId': 53}]})
no_password = write_json({'associates': [{'AssociateId': 7, 'Name': 'pw'}]})
with Server('--fixtures', tasks_only) as s:
    r = s.get('/demo/logins').json()
    t.eq(r['logins'], [], 'fixtures without associates: no login card')
    err = s.read_stderr()
    t.ok('warning' in err and 'no associates' in err and
         'nobody can sign in' in err and 'demo.json --fixtures' in err and
         'associates' in err,
         'fixtures without associates: a start-up warning naming the fix '
         '(layer them over demo.json, or add associates)', err)
with Server('--fixtures', no_password, '--log-format', 'json') as s:
    err = s.read_stderr()
    t.ok('"level":"warning"' in err and 'no associate has a Password' in err,
         'associates without a Password: warned too', err)
with Server('--fixtures', DEMO, '--fixtures', tasks_only) as s:
    t.eq(s.read_stderr(), '', 'layered over demo.json: no warning')
    t.eq(cards(s.get('/demo/logins').json()['logins']), demo_cards(),
         'layered: the demo logins')
    r = s.get('/api/v1/BatchTask/9001', H)
    t.ok(r.status == 200 and r.json()['Name'] == 'mine',
         'layered: your task, read with a demo login')
os.unlink(tasks_only)
os.unlink(no_password)

for p in (good, bad, extra, over):
    os.unlink(p)
t.done()
