"""The Batch agent's read operations over HTTP, in every body format.

Every read operation of the Agents API (by id, by state, by name, by
associates, user/system/all), with its parameters sent as JSON, XML and
application/x-www-form-urlencoded, checked against rows computed here from
fixtures/demo.json (never from the server's answers); $select; the
description a GET answers for each of the 15 operations; the refusals
(unknown media type, a DOCTYPE, an external entity, deep nesting, a
wrong root element, a missing or mistyped parameter).
"""
import json
import urllib.parse

from somock import Server, Tap, TJE0, basic, load_fixture

t = Tap()
demo = load_fixture('demo.json')
KM = basic('kmueller', 'Kennwort-21')
BASE = '/api/v1/Agents/Batch/'
STATES = {'Unknown': 0, 'New': 1, 'Aquired': 2, 'Started': 3,
          'Succeeded': 4, 'Failed': 5, 'SucceededManualCleanup': 6}
tenant_of = {a['AssociateId']: a.get('Tenant') or ''
             for a in demo['associates']}


def rows(tenant, kinds='user', state=None, name=None, associates=None):
    """Ids of the demo tasks of @tenant matching the criteria."""
    out = []
    for x in demo['batchTasks']:
        system = bool(x.get('IsSystemTask', False))
        if tenant_of.get(x.get('AssociateId', 0), '') != tenant:
            continue
        if kinds == 'user' and system or kinds == 'system' and not system:
            continue
        if state is not None and STATES.get(x.get('State', 'Unknown'),
                                            99999) != STATES[state]:
            continue
        if name is not None and (x.get('Name') or '').lower() != \
                name.lower():
            continue
        if associates is not None and x.get('AssociateId', 0) not in \
                associates:
            continue
        out.append(x['Id'])
    return sorted(out)


def ids(r):
    return [x['Id'] for x in r.json()] if r.status == 200 else r.text


def xml_body(op, params):
    parts = []
    for k, v in params.items():
        if isinstance(v, list):
            inner = ''.join('<int>%d</int>' % i for i in v)
            parts.append('<%s>%s</%s>' % (k, inner, k))
        else:
            parts.append('<%s>%s</%s>' % (k, v, k))
    return ('<%sRequest xmlns="http://www.superoffice.net/ws/crm/'
            'NetServer/Services88">%s</%sRequest>' % (op, ''.join(parts),
                                                       op))


def form_body(params):
    pairs = []
    for k, v in params.items():
        for x in (v if isinstance(v, list) else [v]):
            pairs.append((k, str(x)))
    return urllib.parse.urlencode(pairs)


def call(s, auth, prefix, op, params, fmt='json', query=''):
    h = {'Authorization': auth}
    if fmt == 'json':
        body = json.dumps(params)
        h['Content-Type'] = 'application/json'
    elif fmt == 'xml':
        body = xml_body(op, params)
        h['Content-Type'] = 'application/xml'
    else:
        body = form_body(params)
        h['Content-Type'] = 'application/x-www-form-urlencoded'
    return s.request('POST', prefix + BASE + op + query, h, body=body)


# the operations, their parameters, and the rows they must give
name_user = 'Project report'
name_sys = 'Free-text reindex'
CASES = [
    ('GetBatchTaskInfosByState', {'State': 'Failed'},
     dict(kinds='user', state='Failed')),
    ('GetBatchTaskInfosByNameAndState', {'Name': name_user,
                                         'State': 'Succeeded'},
     dict(kinds='user', name=name_user, state='Succeeded')),
    ('GetAllBatchTaskInfosByName', {'TaskName': name_sys},
     dict(kinds='any', name=name_sys)),
    ('GetAllBatchTaskInfosByNameAndState', {'TaskName': name_sys,
                                            'State': 'Failed'},
     dict(kinds='any', name=name_sys, state='Failed')),
    ('GetSystemBatchTaskInfosByName', {'TaskName': name_sys.upper()},
     dict(kinds='system', name=name_sys)),
    ('GetSystemBatchTaskInfosByNameAndState', {'TaskName': name_sys,
                                               'State': 'Aquired'},
     dict(kinds='system', name=name_sys, state='Aquired')),
    ('GetBatchTaskInfosByAssociates', {'AssociateIds': [53, 11, 21]},
     dict(kinds='any', associates=[53, 11, 21])),
    ('GetBatchTaskInfosByAssociatesAndState', {'AssociateIds': [53, 0],
                                               'State': 'Failed'},
     dict(kinds='any', associates=[53, 0], state='Failed')),
    ('GetBatchTaskInfosByNameAndAssociates', {'Name': name_user,
                                              'AssociateIds': [53, 12]},
     dict(kinds='any', name=name_user, associates=[53, 12])),
]

with Server() as s:
    for auth, prefix, tenant, who in ((TJE0, '', '', 'tje0'),
                                      (KM, '/Cust12345', 'Cust12345',
                                       'kmueller')):
        for op, params, crit in CASES:
            want = rows(tenant, **crit)
            answers = {}
            for fmt in ('json', 'xml', 'form'):
                r = call(s, auth, prefix, op, params, fmt)
                answers[fmt] = r
                t.eq(ids(r), want, '%s %s (%s body): %d rows' %
                     (who, op, fmt, len(want)))
            t.ok(answers['json'].body == answers['xml'].body ==
                 answers['form'].body, '%s %s: the three formats give the '
                 'same answer' % (who, op))
    t.ok(len(rows('', 'system', name=name_sys)) > 0 and
         len(rows('', 'any', associates=[53, 11, 21])) > 10,
         'the cases cover real rows')

    # GetBatchTaskInfo in the three formats; a missing task is null
    for fmt in ('json', 'xml', 'form'):
        r = call(s, TJE0, '', 'GetBatchTaskInfo', {'Id': 110}, fmt)
        t.ok(r.status == 200 and r.json()['Id'] == 110,
             'GetBatchTaskInfo (%s body)' % fmt, r.text[:200])
        r = call(s, TJE0, '', 'GetBatchTaskInfo', {'Id': 1}, fmt)
        t.eq((r.status, r.text), (200, 'null'),
             'GetBatchTaskInfo of a missing task (%s body): null' % fmt)
    # parameter names are case-insensitive; arrays as comma lists in forms
    r = s.request('POST', BASE + 'GetBatchTaskInfosByAssociates',
                  {'Authorization': TJE0, 'Content-Type':
                   'application/x-www-form-urlencoded'},
                  body='associateids=53,11')
    t.eq(ids(r), rows('', 'any', associates=[53, 11]),
         'a form array as a comma list, the name in any case')
    r = s.request('POST', BASE + 'GetBatchTaskInfosByAssociates',
                  {'Authorization': TJE0, 'Content-Type':
                   'application/x-www-form-urlencoded'},
                  body='AssociateIds%5B%5D=53&AssociateIds%5B%5D=11')
    t.eq(ids(r), rows('', 'any', associates=[53, 11]),
         'a form array as AssociateIds[]')

    # $select: the listed properties keep their values, the rest default
    r = call(s, TJE0, '', 'GetBatchTaskInfosByState', {'State': 'All'},
             query='?$select=Name,State')
    full = call(s, TJE0, '', 'GetBatchTaskInfosByState', {'State': 'All'})
    sel, whole = r.json(), full.json()
    t.ok(len(sel) == len(whole) > 0 and all(
        a['Name'] == b['Name'] and a['State'] == b['State'] and
        a['Id'] == 0 and a['AssociateId'] == 0 and a['Description'] is None
        and a['TableRight'] is None and a['FieldProperties'] is None and
        a['IsSystemTask'] is False and a['Created'] == '0001-01-01T00:00:00'
        and a['CancellationBehaviour'] == 'CanCancel'
        for a, b in zip(sel, whole)),
        '$select=Name,State: those keep their values, the rest defaults',
        json.dumps(sel[:1]))
    r = call(s, TJE0, '', 'GetBatchTaskInfo', {'Id': 110},
             query='?$select=id,%20Description')
    one = r.json()
    t.ok(one['Id'] == 110 and one['Name'] is None and
         one['Description'] is not None,
         '$select names are case-insensitive, spaces allowed', one)
    r = call(s, TJE0, '', 'GetBatchTaskInfo', {'Id': 110},
             query='?$select=Name,Bogus')
    t.ok(r.status == 400 and "'Bogus'" in r.json().get('MessageDetail', ''),
         '$select naming no property: 400 naming it', r.text)
    r = s.request('POST', BASE + 'GetBatchTaskInfo?$select=Name',
                  {'Authorization': TJE0, 'Accept': 'application/xml',
                   'Content-Type': 'application/json'},
                  body='{"Id":110}')
    t.ok(r.status == 200 and b'<Name>' in r.body and
         b'<Description i:nil="true"/>' in r.body,
         '$select in XML: unselected strings are nil', r.text[:300])

    # GET describes each of the 15 operations
    ops = ['GetBatchTaskInfo', 'GetBatchTaskInfosByState',
           'GetBatchTaskInfosByNameAndState', 'GetAllBatchTaskInfosByName',
           'GetAllBatchTaskInfosByNameAndState',
           'GetSystemBatchTaskInfosByName',
           'GetSystemBatchTaskInfosByNameAndState',
           'GetBatchTaskInfosByAssociates',
           'GetBatchTaskInfosByAssociatesAndState',
           'GetBatchTaskInfosByNameAndAssociates', 'StartBatchJob',
           'UpdateBatchTask', 'StopBatchJob', 'DeleteBatchTask',
           'DeleteBatchTasks']
    for op in ops:
        r = s.get(BASE + op, {'Authorization': TJE0})
        d = r.json() if r.status == 200 else {}
        t.ok(d.get('Operation') == op and d.get('Method') == 'POST' and
             isinstance(d.get('Parameters'), list) and d['Parameters'] and
             d.get('Returns'), 'GET %s: its description' % op, r.text)
    r = s.get(BASE + 'GetNothing', {'Authorization': TJE0})
    t.eq(r.status, 404, 'an unknown operation: 404')

    # refusals
    H = {'Authorization': TJE0}
    r = s.request('POST', BASE + 'GetBatchTaskInfo',
                  dict(H, **{'Content-Type': 'text/plain'}), body='7')
    t.ok(r.status == 415 and 'text/plain' in r.json().get('Message', ''),
         'a media type the route does not read: 415', r.text)
    bad_xml = {
        'a DOCTYPE with entities (billion laughs)':
            '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">'
            '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
            '<GetBatchTaskInfoRequest><Id>&b;</Id>'
            '</GetBatchTaskInfoRequest>',
        'an external entity':
            '<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            '<GetBatchTaskInfoRequest><Id>&x;</Id>'
            '</GetBatchTaskInfoRequest>',
        'deep nesting': '<GetBatchTaskInfoRequest>' + '<a>' * 100 +
                        '</a>' * 100 + '</GetBatchTaskInfoRequest>',
        'a wrong root element': '<Other><Id>7</Id></Other>',
        'not well-formed': '<GetBatchTaskInfoRequest><Id>7</Id>',
        'a non-number id': '<GetBatchTaskInfoRequest><Id>seven</Id>'
                           '</GetBatchTaskInfoRequest>',
        'no parameter': '<GetBatchTaskInfoRequest/>',
    }
    for label, body in bad_xml.items():
        r = s.request('POST', BASE + 'GetBatchTaskInfo',
                      dict(H, **{'Content-Type': 'application/xml'}),
                      body=body)
        t.ok(r.status == 400 and r.json().get('Message') ==
             'The request is invalid.', 'XML body with %s: 400' % label,
             r.text[:300])
        if label == 'an external entity':
            t.ok(b'root:' not in r.body, '... and no file is read')
    for label, body in (('no parameter', 'x=1'), ('a bad number', 'Id=7x'),
                        ('an unknown state', 'State=Done')):
        op = 'GetBatchTaskInfosByState' if 'state' in label else \
            'GetBatchTaskInfo'
        r = s.request('POST', BASE + op, dict(H, **{
            'Content-Type': 'application/x-www-form-urlencoded'}), body=body)
        t.eq(r.status, 400, 'form body with %s: 400' % label)
    r = s.request('POST', BASE + 'GetBatchTaskInfo?Id=110', dict(H, **{
        'Content-Type': 'application/json'}), body='{}')
    t.ok(r.status == 400 and "'Id'" in r.json().get('MessageDetail', ''),
         'a parameter in the query string only: 400, parameters are read '
         'from the body', r.text)
    t.eq(s.get('/api/v1/BatchTask/All', H).status, 200, 'still serving')

t.done()
