"""Commands, routes, states, scoping, prefixes, methods and errors."""
import gzip
import http.client
import os
import re
import signal
import subprocess

from somock import (Server, Tap, BIN, ROOT, TJE0, basic, load_fixture, run,
                    write_json)

t = Tap()
demo = load_fixture('demo.json')
tenant_of = {a['AssociateId']: a.get('Tenant') or ''
             for a in demo['associates']}
STATES = ['Unknown', 'New', 'Aquired', 'Started', 'Succeeded', 'Failed',
          'SucceededManualCleanup']


def expected_ids(tenant, state):
    """The user tasks of @tenant in @state, by Id: computed from the data."""
    return sorted(x['Id'] for x in demo['batchTasks']
                  if tenant_of.get(x.get('AssociateId', 0), '') == tenant
                  and not x.get('IsSystemTask', False)
                  and (state == 'All' or x.get('State', 'Unknown') == state))


H = {'Authorization': TJE0}
KM = basic('kmueller', 'Kennwort-21')   # tenant Cust12345

with Server() as s:
    # every state name, each spelling
    for state in STATES + ['All']:
        r = s.get('/api/v1/BatchTask/' + state, H)
        ids = [x['Id'] for x in r.json()] if r.status == 200 else None
        t.eq((r.status, ids), (200, expected_ids('', state)),
             'GET BatchTask/%s: the default tenant\'s user tasks' % state)
    t.ok(all(expected_ids('', st) for st in STATES),
         'the demo data has user tasks in every state')
    for spelling in ('failed', 'FAILED', 'fAiLeD', '%20Failed%20',
                     '%09Failed'):
        r = s.get('/api/v1/BatchTask/' + spelling, H)
        t.eq([x['Id'] for x in r.json()] if r.status == 200 else r.status,
             expected_ids('', 'Failed'), 'state spelling %r' % spelling)
    r = s.get('/api/v1/BatchTask/aquired', H)
    t.eq(r.status, 200, 'Aquired, SuperOffice\'s own spelling, any case')
    for bad in ('Acquired', 'Foo', 'Failed,Succeeded', '-1', '4x', '%C3%A9'):
        r = s.get('/api/v1/BatchTask/' + bad, H)
        body = r.json() if r.status == 400 else {}
        t.ok(r.status == 400 and body.get('Message') ==
             'The request is invalid.' and "parameter 'state'" in
             body.get('MessageDetail', '') and
             'SuperOffice.Data.BatchTaskState' in body['MessageDetail'],
             'bad state %r: 400 in the ASP.NET shape' % bad, r.text)

    # results are ordered by Id, and never hold system tasks
    r = s.get('/api/v1/BatchTask/All', H).json()
    t.eq([x['Id'] for x in r], sorted(x['Id'] for x in r), 'ordered by Id')
    t.ok(not any(x['IsSystemTask'] for x in r), 'no system task listed')
    t.ok(len({x['AssociateId'] for x in r}) > 1,
         'tasks of other owners in the same tenant are listed')
    order = ['Id', 'Name', 'AssociateId', 'DetailsTable', 'DetailsRecord',
             'IsSystemTask', 'IsInternalTask', 'ParameterObject',
             'LastStarted', 'Created', 'StartCount', 'DatabaseSerialNumber',
             'Context', 'Result', 'State', 'Description', 'Response',
             'Request', 'ProgressDescription', 'ProgressPercent', 'FileName',
             'CancellationBehaviour', 'TableRight', 'FieldProperties']
    t.ok(all(list(x) == order for x in r), 'fields in the documented order')

    # tenant scoping
    r = s.get('/Cust12345/api/v1/BatchTask/All', {'Authorization': KM})
    t.eq([x['Id'] for x in r.json()], expected_ids('Cust12345', 'All'),
         'a tenant user sees its tenant\'s user tasks')
    t.ok(not set(expected_ids('Cust12345', 'All')) &
         set(expected_ids('', 'All')), 'tenants do not share tasks')

    # by id
    mine = expected_ids('', 'All')[0]
    r = s.get('/api/v1/BatchTask/%d' % mine, H)
    t.eq((r.status, r.json().get('Id')), (200, mine), 'by id: one object')
    system = [x['Id'] for x in demo['batchTasks'] if x.get('IsSystemTask')
              and tenant_of.get(x.get('AssociateId', 0), '') == '']
    t.ok(system, 'the demo has a system task in the default tenant')
    r = s.get('/api/v1/BatchTask/%d' % system[0], H)
    t.eq(r.status, 200, 'by id: system tasks of the tenant are visible')
    other = expected_ids('Cust12345', 'All')[0]
    r = s.get('/api/v1/BatchTask/%d' % other, H)
    t.eq((r.status, r.json()),
         (404, {'Error': True, 'ErrorType': 'SoNotFoundException',
                'ErrorMessage': 'BatchTask id %d not found' % other,
                'ErrorSource': 'SuperOffice.Services.Implementation'}),
         'by id: another tenant\'s task is 404 in the SuperOffice shape')
    r = s.get('/api/v1/BatchTask/7', H)
    t.eq(r.json().get('ErrorMessage'), 'BatchTask id 7 not found',
         'by id: a missing id is 404')
    t.eq(s.get('/api/v1/BatchTask/99999999999', H).status, 400,
         'an id past int32 is not an id: 400')
    conn = http.client.HTTPConnection('127.0.0.1', s.port, timeout=10)
    conn.request('GET', '/api/v1/BatchTask/7', headers=H)
    resp = conn.getresponse()
    resp.read()
    conn.close()
    t.eq((resp.status, resp.reason), (404, 'Not Found'),
         'by id: 404 with the standard reason phrase')
    r = s.get('/api/v1/BatchTask/Foo')
    t.eq(r.status, 401, 'a bad state without credentials: 401, '
         'authentication comes before binding')

    # prefixes and case-insensitive paths
    want = expected_ids('', 'Failed')
    for path in ('/SuperOffice/api/v1/BatchTask/Failed',
                 '/api/V1/batchtask/Failed', '/API/v1/BATCHTASK/failed',
                 '/webapi/api/v1/BatchTask/Failed',
                 '/api/v1/BatchTask/Failed/'):
        r = s.get(path, H)
        t.eq([x['Id'] for x in r.json()] if r.status == 200 else r.status,
             want, 'path %s' % path)

    # conditional requests are for SuperOffice's major entities only
    r = s.get('/api/v1/BatchTask/105', dict(H, **{
        'If-Modified-Since': 'Wed, 21 Oct 2099 07:28:00 GMT'}))
    t.eq(r.status, 200, 'If-Modified-Since is ignored: 200, never 304')

    # HEAD: the same headers, no body
    g = s.get('/api/v1/BatchTask/All', H)
    h = s.request('HEAD', '/api/v1/BatchTask/All', H)
    t.eq((h.status, h.body, h.header('content-type'),
          h.header('content-length')),
         (200, b'', g.header('content-type'), g.header('content-length')),
         'HEAD: headers of GET, no body')

    # methods
    for m in ('POST', 'PUT', 'DELETE', 'PATCH'):
        r = s.request(m, '/api/v1/BatchTask/All', H, body='')
        t.eq((r.status, r.header('allow')), (405, 'GET, HEAD'),
             '%s on the REST route: 405 with Allow' % m)
    r = s.get('/api/v1/Agents/Batch/GetBatchTaskInfo', H)
    d = r.json() if r.status == 200 else {}
    t.ok(r.status == 200 and d.get('Method') == 'POST' and
         d.get('Parameters') == [{'Name': 'Id', 'Type': 'System.Int32'}] and
         d.get('Returns') == 'SuperOffice.CRM.Services.BatchTaskInfo',
         'GET on an Agents route: 200, a description of the call', r.text)
    for m in ('PUT', 'DELETE', 'PATCH'):
        r = s.request(m, '/api/v1/Agents/Batch/GetBatchTaskInfo', H, body='')
        t.eq((r.status, r.header('allow')), (405, 'GET, HEAD, POST'),
             '%s on an Agents route: 405 with Allow' % m)

    # the OData archive list is not served (its columns are unpublished)
    r = s.get('/api/v1/BatchTask', H)
    t.ok(r.status == 501 and r.json().get('ErrorType') ==
         'NotImplementedException', 'GET /api/v1/BatchTask: 501 saying why',
         r.text)

    # unknown routes
    for path in ('/nope', '/api/v2/BatchTask/All', '/api/v1/BatchTask/7/x',
                 '/api/v1/BatchTask/All/extra', '/a/b/api/v1/BatchTask/All',
                 '/api/v1/Contact/1', '/api/v1', '/api/v1/TimeZone',
                 '/Remote/Services88/Contact.svc'):
        r = s.get(path, H)
        t.ok(r.status == 404 and r.json().get('Message', '').startswith(
             'No HTTP resource was found that matches the request URI'),
             '404 for %s' % path, r.text)

    # GET /api
    r = s.get('/SuperOffice/api', {'Host': 'crm.example.com'})
    t.eq((r.status, r.json().get('Version'), r.json().get('v1')),
         (200, 'v1', 'http://crm.example.com/SuperOffice/api/v1/'),
         'GET /api: the version document')
    # the keys NetServer's own document has (SuperOffice's REST reference
    # shows them), each a string, and the API's no-cache headers
    keys = ['v1', 'Version', 'NetServerVersion', 'NetServerAssembly',
            'NetServerDate', 'NetServer', 'NetServerLabel', 'Services',
            'ServicesCurrent']
    doc = r.json()
    t.eq(sorted(doc), sorted(keys), 'GET /api: the real document\'s keys')
    t.ok(all(isinstance(v, str) and v for v in doc.values()),
         'GET /api: every value a non-empty string', doc)
    t.ok(re.match(r'^\d+\.\d+\.\d+\.\d+$', doc['NetServerVersion']) and
         re.match(r'^\d{4}-\d{2}-\d{2}$', doc['NetServerDate']),
         'GET /api: a version number and a date', doc)
    t.eq((r.header('Cache-Control'), r.header('Pragma'), r.header('Expires')),
         ('no-cache', 'no-cache', '-1'), 'GET /api: no-cache headers')
    t.eq(doc['ServicesCurrent'], 'Services88',
         'GET /api: the current services are Services88')
    r = s.get('/api', {'Accept': 'text/html,application/xhtml+xml,'
                             'application/xml;q=0.9,*/*;q=0.8'})
    t.eq((r.status, r.header('content-type'), sorted(r.json())),
         (200, 'application/json; charset=utf-8', sorted(keys)),
         'GET /api: anonymous, and JSON for a browser\'s Accept too')

    # an empty answer is []
    path = write_json({'associates': [{'AssociateId': 53, 'Name': 'tje0',
                                        'Password': 'Tje0'}]})
    empty = Server('--fixtures', path)
    r = empty.get('/api/v1/BatchTask/All', H)
    t.eq((r.status, r.text), (200, '[]'), 'no tasks: 200 []')
    empty.stop()
    os.unlink(path)

    # gzip, compressed once and served from the cache
    plain = s.get('/api/v1/BatchTask/All', H)
    for enc in ('gzip', 'gzip, deflate, br', 'x-gzip', '*', 'br;q=1, gzip;q=0.5'):
        z = s.get('/api/v1/BatchTask/All', dict(H, **{'Accept-Encoding': enc}))
        t.ok(z.header('content-encoding') == 'gzip' and
             gzip.decompress(z.body) == plain.body and
             len(z.body) < len(plain.body), 'Accept-Encoding: %s gzips' % enc)
    for enc in ('gzip;q=0', 'identity', 'br', '*;q=0', 'gzip;q=0, *'):
        z = s.get('/api/v1/BatchTask/All', dict(H, **{'Accept-Encoding': enc}))
        t.ok(z.header('content-encoding') is None and z.body == plain.body,
             'Accept-Encoding: %s stays identity' % enc)
    t.ok('Accept-Encoding' in plain.header('vary'), 'Vary: Accept-Encoding')
    with open(os.path.join(ROOT, 'docs', 'behaviour.md'),
              encoding='utf-8') as f:
        documented = re.search(r'`Vary: ([^`]*)`', f.read())
    t.eq(plain.header('vary'), documented and documented.group(1),
         'docs/behaviour.md names the Vary header somock sends')

    # still serving after all that
    t.eq(s.get('/api/v1/BatchTask/All', H).status, 200, 'still serving')
    t.eq(s.stop(), 0, 'SIGTERM: exit 0')

with Server() as s:
    t.eq(s.stop(signal.SIGINT), 0, 'SIGINT: exit 0')

# --no-cache renders every answer afresh: the same bytes
with Server() as a, Server('--no-cache') as b:
    for path in ('/api/v1/BatchTask/All', '/api/v1/BatchTask/Failed',
                 '/api/v1/BatchTask/105'):
        for hdrs in ({}, {'Accept': 'text/xml'}, {'SO-Language': 'nb',
                                                  'SO-TimeZone': 'NO'}):
            h = dict(H, **hdrs)
            a.get(path, h)                     # fill the cache
            ra, rb = a.get(path, h), b.get(path, h)
            t.ok(ra.status == rb.status == 200 and ra.body == rb.body,
                 '--no-cache answers what the cache answers: %s %s' %
                 (path, hdrs))

# the environment, and the command line over it
s = Server(env={'SOMOCK_TIMEZONE': 'US-NY', 'SOMOCK_MODE': 'onsite'})
r = s.get('/api/v1/BatchTask/All', H)
t.eq(r.header('so-timezone'), 'US-NY', 'SOMOCK_TIMEZONE sets the zone')
s.stop()
s = Server('--timezone', 'FR', env={'SOMOCK_TIMEZONE': 'US-NY'})
t.eq(s.get('/api/v1/BatchTask/All', H).header('so-timezone'), 'FR',
     'the command line wins over SOMOCK_TIMEZONE')
s.stop()
p = subprocess.Popen([BIN, 'serve'], stdout=subprocess.PIPE,
                     stderr=subprocess.PIPE,
                     env=dict(os.environ, SOMOCK_PORT='0'))
line = p.stdout.readline().decode()
t.ok(line.startswith('somock listening on http://127.0.0.1:') and
     not line.strip().endswith(':8080') and not line.strip().endswith(':0'),
     'SOMOCK_PORT=0 picks a free port', line)
p.terminate()
t.eq(p.wait(10), 0, 'and stops cleanly')

# exit codes
t.eq(run('serve', '--bogus')[0], 2, 'unknown option: exit 2')
t.eq(run('serve', '--port', 'x')[0], 2, 'bad port: exit 2')
t.eq(run('serve', '--mode', 'cloud')[0], 2, 'bad mode: exit 2')
t.eq(run('serve', '--port', '0', '--timezone', 'Mars/Base')[0], 2,
     'unknown server zone: exit 2')
code, _, err = run('serve', '--port', '0', '--db', '/nonexistent/x.db')
t.ok(code == 1 and 'x.db' in err, 'unreadable --db: exit 1', err)
t.eq(run('frobnicate')[0], 2, 'unknown command: exit 2')
code, out, _ = run('--version')
t.ok(code == 0 and out.startswith('somock '), '--version')
code, out, _ = run('serve', '--help')
t.ok(code == 0 and '--fixtures' in out and '--timezone' in out, '--help')


# README's option table and --help (both generated from one table in
# server/config.c) name the same options, placeholders, variables and
# defaults, so the documentation cannot drift from the binary.
def help_options(text):
    """{'--port': ('--port N', 'SOMOCK_PORT', '8080'), ...} from --help."""
    opts = {}
    body = text.split('\n\n', 1)[1].split(':\n', 1)[1]
    for block in re.split(r'\n(?=  -)', body.strip('\n')):
        spec = re.split(r'\s{2,}', block.strip())[0]
        words = ' '.join(line.strip() for line in block.splitlines())
        m = re.search(r'\b(SOMOCK_\w+)\b[^;]*; default: (.*)$', words)
        name = re.search(r'--[\w-]+', spec).group(0)
        opts[name] = (spec,) + (m.groups() if m else (None, None))
    return opts


def readme_options(path):
    """The same from README.md's table of serve options."""
    with open(path, encoding='utf-8') as f:
        text = f.read()
    table = text.split('### `serve` options and environment variables')[1]
    opts = {}
    for line in table.split('\n\n')[2].splitlines()[2:]:
        cells = [c.strip().replace('\\|', '|')
                 for c in re.split(r'(?<!\\)\|', line)[1:-1]]
        specs, short = [], None
        for item in re.findall(r'`([^`]*)`', cells[0]):
            if item.startswith('--'):
                specs.append(short + ', ' + item if short else item)
                short = None
            else:
                short = item
        names = re.findall(r'`(SOMOCK_\w+)`', cells[1])
        default = cells[2].replace('`', '')
        for spec, var in zip(specs, names):
            name = re.search(r'--[\w-]+', spec).group(0)
            opts[name] = (spec, var, default)
        t.eq(len(specs), len(names), 'README: a variable for each option '
             'in %s' % cells[0])
    return opts


from_help = help_options(out)
for action, spec in (('--help', '-h, --help'), ('--version', '--version')):
    t.eq(from_help.pop(action, None), (spec, None, None),
         '--help lists %s (README has it under Commands)' % spec)
from_readme = readme_options(os.path.join(ROOT, 'README.md'))
t.eq(sorted(from_readme), sorted(from_help),
     'README and --help list the same serve options')
for name in sorted(from_help):
    t.eq(from_readme.get(name), from_help[name],
         'README and --help agree on %s: placeholder, variable, default'
         % name)
t.done()
