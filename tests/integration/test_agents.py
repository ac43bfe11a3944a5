"""The Agents routes the official client calls: the same rows,
carrier, headers, auth, negotiation, zones and languages as the REST route.
"""
import xml.dom.minidom

from somock import Server, Tap, TJE0, basic, load_fixture

t = Tap()
H = {'Authorization': TJE0}
KM = basic('kmueller', 'Kennwort-21')
demo = load_fixture('demo.json')
STATES = ['Unknown', 'New', 'Aquired', 'Started', 'Succeeded', 'Failed',
          'SucceededManualCleanup', 'All']
NUMBERS = {'Unknown': 0, 'New': 1, 'Aquired': 2, 'Started': 3,
           'Succeeded': 4, 'Failed': 5, 'SucceededManualCleanup': 6,
           'All': 99999}
BY_STATE = '/api/v1/Agents/Batch/GetBatchTaskInfosByState'
BY_ID = '/api/v1/Agents/Batch/GetBatchTaskInfo'


def same(a, b):
    return (a.status, a.body, a.header('content-type')) == \
        (b.status, b.body, b.header('content-type'))


with Server() as s:
    for state in STATES:
        rest = s.get('/api/v1/BatchTask/' + state, H)
        for body in ({'state': state}, {'State': state},
                     {'STATE': state.lower()}, {'state': NUMBERS[state]}):
            agent = s.post(BY_STATE, body, H)
            t.ok(same(agent, rest), 'POST %s %s = GET BatchTask/%s' %
                 (BY_STATE.rsplit('/', 1)[1], body, state),
                 '%d %r' % (agent.status, agent.body[:200]))
    t.ok(len(s.get('/api/v1/BatchTask/All', H).json()) > 5,
         'the comparison covers real rows')

    # headers, zones, languages and formats are the REST route's
    extra = {'SO-TimeZone': 'NO,includeTZOffset', 'SO-Language': 'nb',
             'Accept-Language': 'nb', 'Accept': 'application/json'}
    rest = s.get('/api/v1/BatchTask/All', dict(H, **extra))
    agent = s.post(BY_STATE, {'state': 'All'}, dict(H, **extra))
    t.ok(same(agent, rest), 'zone and language apply alike')
    for h in ('so-timezone', 'content-language', 'cache-control', 'vary'):
        t.eq(agent.header(h), rest.header(h), 'header %s alike' % h)
    xml_h = dict(H, Accept='application/xml')
    rest = s.get('/api/v1/BatchTask/Failed', xml_h)
    agent = s.post(BY_STATE, {'state': 'Failed'}, xml_h)
    t.ok(same(agent, rest) and
         xml.dom.minidom.parseString(agent.body).documentElement.tagName ==
         'ArrayOfBatchTaskInfo', 'XML alike, and it parses')

    # one task by id; null (200) where the REST route says 404
    some = s.get('/api/v1/BatchTask/All', H).json()[0]['Id']
    agent = s.post(BY_ID, {'id': some}, H)
    rest = s.get('/api/v1/BatchTask/%d' % some, H)
    t.ok(same(agent, rest), 'GetBatchTaskInfo = GET BatchTask/{id}')
    t.ok(same(s.post(BY_ID, {'Id': some}, H), rest), 'property "Id"')
    agent = s.post(BY_ID, {'id': 7}, H)
    t.eq((agent.status, agent.text), (200, 'null'),
         'a missing id is null with 200')
    agent = s.post(BY_ID, {'id': 7}, xml_h)
    doc = xml.dom.minidom.parseString(agent.body).documentElement
    t.eq((agent.status, doc.tagName, doc.getAttribute('i:nil')),
         (200, 'BatchTaskInfo', 'true'), 'and nil in XML')
    tenant_of = {a['AssociateId']: a.get('Tenant', '')
                 for a in demo['associates']}
    other = [x['Id'] for x in demo['batchTasks']
             if tenant_of.get(x.get('AssociateId')) == 'Cust12345'][0]
    t.eq(s.post(BY_ID, {'id': other}, H).text, 'null',
         'another tenant\'s task is null too')

    # every prefix the REST route accepts
    for prefix, cred in (('/SuperOffice', H), ('/webapi', H),
                         ('/Cust12345', {'Authorization': KM})):
        rest = s.get(prefix + '/api/v1/BatchTask/Started', cred)
        agent = s.post(prefix + BY_STATE.lower(), {'state': 'Started'}, cred)
        t.ok(rest.status == 200 and same(agent, rest),
             'prefix %s (lower-case path)' % prefix)

    # authentication is the REST route's
    r = s.post(BY_STATE, {'state': 'All'})
    t.ok(r.status == 401 and r.json()['Message'].startswith(
         'X-XSRF-TOKEN HTTP header missing.'), 'no credentials: 401')
    r = s.post(BY_STATE, {'state': 'All'},
               {'Authorization': basic('tje0', 'nope')})
    t.eq(r.status, 401, 'wrong password: 401')

    # bad bodies: the stock ASP.NET 400
    for body, label in (('not json', 'not JSON'), ('', 'empty'),
                        ('[]', 'an array'), ('{}', 'no property'),
                        ('{"state":"Done"}', 'unknown state'),
                        ('{"state":7}', 'unknown state number'),
                        ('{"state":null}', 'null'),
                        ('{"state":true}', 'a boolean'),
                        ('{"states":"All"}', 'a misspelt property'),
                        ('{"state":"All"', 'truncated JSON')):
        r = s.post(BY_STATE, body, dict(H, **{'Content-Type':
                                             'application/json'}))
        j = r.json() if r.status == 400 else {}
        t.ok(r.status == 400 and j.get('Message') ==
             'The request is invalid.' and "'state'" in
             j.get('MessageDetail', '').lower(), 'GetBatchTaskInfosByState '
             'with %s: 400' % label, r.text)
    # a number in a string is read as JSON.NET reads it into an int
    t.ok(same(s.post(BY_ID, '{"id":"110"}', H), s.post(BY_ID, {'id': 110}, H))
         and s.post(BY_ID, {'id': 110}, H).json() is not None,
         'GetBatchTaskInfo with {"id":"110"} reads the number')
    for body in ('{"id":"7x"}', '{"id":1.5}', '{}', '{"id":99999999999}'):
        r = s.post(BY_ID, body, H)
        t.eq(r.status, 400, 'GetBatchTaskInfo with %s: 400' % body)
    r = s.post(BY_STATE, 'x' * (2 * 1024 * 1024), H)
    t.eq(r.status, 413, 'a body past 1 MiB: 413 Content Too Large')
    t.eq(s.post(BY_STATE, {'state': 'All'}, H).status, 200,
         'still serving')
t.done()
