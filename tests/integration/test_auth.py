"""Authentication over real HTTP.

Every scheme in both modes, every refusal with its message, the
double-submit forgery, scheme-name casing, tenant scope, a zoo of
malformed Authorization values, and a -vv log that holds no secret.
Expected rows are computed from fixtures/demo.json, never hard-coded.
"""
import base64
import os
import re

from somock import Server, Tap, basic, load_fixture, write_json

t = Tap()
demo = load_fixture('demo.json')
tenant_of = {a['AssociateId']: a.get('Tenant') or ''
             for a in demo['associates']}
assoc = {a['AssociateId']: a for a in demo['associates']}
by_name = {a['Name']: a for a in demo['associates']}
FAR = '2099-12-31T23:59:59Z'
PAST = '2020-01-01T00:00:00Z'

# every secret that goes over the wire; checked against the -vv logs
SENT = set()


def b64(raw):
    if isinstance(raw, str):
        raw = raw.encode('utf-8')
    return base64.b64encode(raw).decode('ascii')


def expected_ids(tenant, state='All'):
    return sorted(x['Id'] for x in demo['batchTasks']
                  if tenant_of.get(x.get('AssociateId', 0), '') == tenant
                  and not x.get('IsSystemTask', False)
                  and (state == 'All' or x.get('State', 'Unknown') == state))


def all_ids_of(tenant):
    """Every task of @tenant, system tasks included (reachable by id)."""
    return sorted(x['Id'] for x in demo['batchTasks']
                  if tenant_of.get(x.get('AssociateId', 0), '') == tenant)


def pick(rows, key, associate_id, expired=False):
    for x in rows:
        exp = x.get('Expires')
        is_past = exp is not None and exp < '2025'
        if x['AssociateId'] == associate_id and is_past == expired:
            return x[key]
    raise KeyError((key, associate_id, expired))


def ticket(aid, expired=False):
    return pick(demo['tickets'], 'Ticket', aid, expired)


def token(aid, expired=False):
    return pick(demo['tokens'], 'Token', aid, expired)


def session(aid):
    for x in demo['sessions']:
        if x['AssociateId'] == aid:
            return x['SessionId'], x['XsrfToken']
    raise KeyError(aid)


APP = demo['apps'][0]['AppToken']
APP2 = demo['apps'][1]['AppToken']


def login(name):
    a = by_name[name]
    SENT.add(a['Password'])
    SENT.add(b64('%s:%s' % (name, a['Password'])))
    return basic(name, a['Password'])


def H(auth=None, **extra):
    h = {}
    if auth is not None:
        h['Authorization'] = auth
        parts = auth.split(' ', 1)
        if len(parts) == 2 and parts[1].strip():
            SENT.add(parts[1].strip())
    for k, v in extra.items():
        h[k.replace('_', '-')] = v
    return h


def sess(sid, xsrf=None, cookie_extra=''):
    SENT.add(sid)
    h = {'Cookie': 'ASP.NET_SessionId=%s%s' % (sid, cookie_extra)}
    if xsrf is not None:
        SENT.add(xsrf)
        h['X-XSRF-TOKEN'] = xsrf
    return h


def app(h, value):
    SENT.add(value)
    h = dict(h)
    h['SO-AppToken'] = value
    return h


def ids(r):
    try:
        return [x['Id'] for x in r.json()] if r.status == 200 else r.status
    except ValueError:
        return r.status


def ok(r, tenant, msg):
    return t.eq(ids(r), expected_ids(tenant), msg)


def refused(r, online, substr, msg, error_type='SoAuthenticationException',
            startswith=False):
    """401, the mode's challenge, the SuperOffice body, the message."""
    try:
        body = r.json()
    except ValueError:
        body = None
    want_challenge = 'Bearer' if online else 'Basic realm="SuperOffice"'
    sent = r.request_headers
    if 'x-xsrf-token' in sent and 'authorization' not in sent:
        # a web client's session call gets no challenge (no login dialog)
        want_challenge = None
    message = body.get('Message', '') if isinstance(body, dict) else ''
    good = (r.status == 401 and
            r.header('www-authenticate') == want_challenge and
            isinstance(body, dict) and
            list(body) == ['Error', 'ErrorType', 'Message', 'ErrorSource']
            and body['Error'] is True and body['ErrorType'] == error_type
            and body['ErrorSource'] == 'SuperOffice.Services.WebApi'
            and (message.startswith(substr) if startswith
                 else substr.lower() in message.lower()))
    return t.ok(good, msg, 'status %s\nWWW-Authenticate: %r\nbody: %s' % (
        r.status, r.header('www-authenticate'), r.body[:400]))


P = '/api/v1/BatchTask/All'
P12 = '/Cust12345' + P
P54 = '/Cust54321' + P

# the demo lacks a few cases; this fixture adds them
odd_pw = '~~~???>>>'          # standard base64 of 'safe:' + this has + or /
assert set('+/') & set(b64('safe:' + odd_pw))
extra = dict(demo)
extra.update({
    'associates': [
        dict(a) for a in demo['associates']
    ] + [
        {'AssociateId': 60, 'Name': 'nopw', 'FullName': 'No Password'},
        {'AssociateId': 61, 'Name': 'safe', 'Password': odd_pw},
        {'AssociateId': 62, 'Name': 'jürgen', 'Password': 'pässwörd',
         'Tenant': 'Cust12345'},
        {'AssociateId': 63, 'Name': 'empty', 'Password': ''},
    ],
    'tickets': [
        {'Ticket': '7T:long-ago', 'AssociateId': 61,
         'Expires': '2000-01-01T00:00:00Z'},
        {'Ticket': '7T:tenant-ticket-62', 'AssociateId': 62,
         'Expires': FAR},
    ],
    'tokens': [
        {'Token': '8A:Cust12345.never-expires-62', 'AssociateId': 62,
         'Expires': None},
    ],
    'sessions': [
        {'SessionId': 'session-of-62', 'XsrfToken': 'xsrf-of-62',
         'AssociateId': 62},
        {'SessionId': 'session-of-61', 'XsrfToken': 'xsrf-of-61',
         'AssociateId': 61},
    ],
    'apps': [{'Name': 'Only app', 'AppToken': 'the-only-app-token'}],
})
fixture = write_json(extra)

servers = []
try:
    for args in ((), ('--mode', 'online'), ('--fixtures', fixture),
                 ('--fixtures', fixture, '--mode', 'online')):
        servers.append(Server('-vv', *args))
    on, onl, fx, fxo = servers
    # ---------------------------------------------------------------- Basic
    for name, a in sorted(by_name.items()):
        tn = a.get('Tenant') or ''
        path = '/%s%s' % (tn, P) if tn else P
        ok(on.get(path, H(login(name))), tn,
           'onsite Basic %s: the tenant %r rows' % (name, tn or 'default'))
    ok(on.get('/SuperOffice' + P, H(login('tje0'))), '',
       'onsite Basic under a non-Cust prefix')
    ok(on.get(P, H(login('jgreen'))), '',
       'a colon inside the password (jgreen / p@ss:word 1)')
    t.ok(':' in by_name['jgreen']['Password'], 'the demo password has a colon')
    refused(onl.get(P12, H(login('kmueller'))), True, 'scheme not allowed',
            'online Basic, even valid: 401 scheme not allowed')
    refused(onl.get(P12, H(login('kmueller'))), True, 'Basic',
            'online Basic: the message names Basic')
    refused(on.get(P, H(basic('nobody', 'x'))), False, 'unknown user',
            'Basic unknown user')
    SENT.add(b64('nobody:x'))
    refused(on.get(P, H(basic('tje0', 'tje0'))), False, 'wrong password',
            'Basic wrong password (case matters)')
    SENT.add(b64('tje0:tje0'))
    refused(on.get(P, H(basic('tje0', 'Tje0 '))), False, 'wrong password',
            'Basic password with a trailing space is wrong')
    refused(on.get(P, H(basic('jgreen', 'p@ss'))), False, 'wrong password',
            'Basic: the password is everything after the first colon')
    # schema/001_init.sql: associate.name is COLLATE NOCASE
    ok(on.get(P, H(basic('TJE0', 'Tje0'))), '',
       'Basic: the login name is case-insensitive, the password is not')
    SENT.add(b64('TJE0:Tje0'))
    refused(fx.get(P, H(basic('nopw', ''))), False, 'unknown user',
            'Basic: an associate without a password cannot log in')
    r = fx.get(P, H(basic('empty', '')))
    t.ok(r.status in (200, 401), 'Basic: an empty stored password answers '
         '200 or 401, never a server error', r.status)
    ok(fx.get(P12, H(basic('jürgen', 'pässwörd'))), 'Cust12345',
       'Basic with UTF-8 name and password')
    SENT.update(['pässwörd', b64('jürgen:pässwörd')])
    latin = 'Basic ' + base64.b64encode(
        'jürgen:pässwörd'.encode('latin-1')).decode()
    refused(fx.get(P12, H(latin)), False, 'unknown user',
            'Basic: latin-1 bytes are not the UTF-8 name')
    SENT.add(base64.b64encode('jürgen:pässwörd'.encode('latin-1')).decode())
    std = 'Basic ' + b64('safe:' + odd_pw)
    SENT.update([odd_pw, b64('safe:' + odd_pw)])
    ok(fx.get(P, H(std)), '', 'Basic: standard base64 with + or / works')
    urlsafe = std.replace('+', '-').replace('/', '_')
    refused(fx.get(P, H(urlsafe)), False, 'malformed',
            'Basic: the url-safe alphabet is malformed')

    # -------------------------------------------------------------- SOTicket
    for aid in sorted(assoc):
        tn = tenant_of[aid]
        path = '/%s%s' % (tn, P) if tn else P
        ok(on.get(path, H('SOTicket ' + ticket(aid))), tn,
           'onsite SOTicket of %d' % aid)
        if tn:
            ok(onl.get(path, app(H('SOTicket ' + ticket(aid)), APP)), tn,
               'online SOTicket of %d with SO-AppToken' % aid)
    ok(onl.get(P54, app(H('SOTicket ' + ticket(31)), APP2)), 'Cust54321',
       'online SOTicket with the other app\'s token')
    ok(on.get(P, app(H('SOTicket ' + ticket(53)), 'rubbish-app')), '',
       'onsite: SO-AppToken is not checked, as SuperOffice documents')
    SENT.add('rubbish-app')
    refused(onl.get(P12, H('SOTicket ' + ticket(21))), True,
            'SO-AppToken', 'online SOTicket without SO-AppToken: named')
    refused(onl.get(P12, H('SOTicket ' + ticket(21))), True,
            'missing', 'online SOTicket without SO-AppToken: missing')
    refused(onl.get(P12, app(H('SOTicket ' + ticket(21)), APP + 'x')), True,
            'wrong SO-AppToken', 'online SOTicket with a wrong SO-AppToken')
    SENT.add(APP + 'x')
    refused(onl.get(P12, app(H('SOTicket ' + ticket(21)), APP.upper())),
            True, 'wrong SO-AppToken', 'SO-AppToken is case-sensitive')
    SENT.add(APP.upper())
    refused(onl.get(P12, app(H('SOTicket ' + ticket(21)), '')), True,
            'SO-AppToken', 'online SOTicket with an empty SO-AppToken')
    refused(fxo.get(P12, app(H('SOTicket 7T:tenant-ticket-62'), APP)), True,
            'wrong SO-AppToken', 'a demo app token is unknown to a fixture '
            'with other apps')
    ok(fxo.get(P12, app(H('SOTicket 7T:tenant-ticket-62'),
                        'the-only-app-token')), 'Cust12345',
       'fixture app token works online')
    refused(on.get(P, H('SOTicket ' + ticket(53, expired=True))), False,
            'expired ticket', 'onsite expired ticket')
    refused(onl.get(P12, app(H('SOTicket ' + ticket(21, expired=True)),
                             APP)), True, 'expired ticket',
            'online expired ticket')
    refused(fx.get(P, H('SOTicket 7T:long-ago')), False, 'expired ticket',
            'a ticket expired in 2000')
    refused(on.get(P, H('SOTicket 7T:' + 'A' * 44)), False, 'unknown ticket',
            'unknown ticket')
    refused(on.get(P, H('SOTicket ' + ticket(53)[:-1])), False,
            'unknown ticket', 'a ticket missing its last character')
    refused(on.get(P, H('SOTicket ' + ticket(53) + 'x')), False,
            'unknown ticket', 'a ticket with one character more')
    refused(on.get(P, H('SOTicket ' + token(53))), False, 'unknown ticket',
            'a token is not a ticket')
    refused(on.get(P, H('Basic ' + ticket(53))), False, 'malformed',
            'a ticket after Basic, unencoded: malformed, SOTicket only')

    # ---------------------------------------------------------------- Bearer
    for aid in sorted(assoc):
        tn = tenant_of[aid]
        path = '/%s%s' % (tn, P) if tn else P
        ok(on.get(path, H('Bearer ' + token(aid))), tn,
           'onsite Bearer of %d' % aid)
        if tn:
            ok(onl.get(path, H('Bearer ' + token(aid))), tn,
               'online Bearer of %d (no SO-AppToken needed)' % aid)
    nulls = [x for x in demo['tokens'] if x.get('Expires') is None]
    t.ok(nulls, 'the demo has tokens that never expire')
    for x in nulls:
        tn = tenant_of[x['AssociateId']]
        ok(on.get('/%s%s' % (tn, P) if tn else P, H('Bearer ' + x['Token'])),
           tn, 'a token with Expires null never expires (%d)' %
           x['AssociateId'])
    refused(on.get(P, H('Bearer ' + token(53, expired=True))), False,
            'expired token', 'onsite expired token')
    refused(onl.get(P12, H('Bearer ' + token(22, expired=True))), True,
            'expired token', 'online expired token')
    refused(onl.get(P12, H('Bearer 8A:Cust12345.' + 'x' * 64)), True,
            'unknown token', 'online unknown token')
    refused(on.get(P, H('Bearer ' + ticket(53))), False, 'unknown token',
            'a ticket is not a token')
    refused(on.get(P, H('Bearer ' + token(53).lower())), False,
            'unknown token', 'tokens are case-sensitive')
    ok(fxo.get(P12, H('Bearer 8A:Cust12345.never-expires-62')), 'Cust12345',
       'fixture token online')

    # --------------------------------------------------------------- session
    for aid in sorted({x['AssociateId'] for x in demo['sessions']}):
        sid, xsrf = session(aid)
        tn = tenant_of[aid]
        path = '/%s%s' % (tn, P) if tn else P
        ok(on.get(path, sess(sid, xsrf)), tn, 'onsite session of %d' % aid)
        if tn:
            ok(onl.get(path, sess(sid, xsrf)), tn,
               'online session of %d' % aid)
    sid, xsrf = session(53)
    sid11, xsrf11 = session(11)
    ok(on.get(P, sess(sid, xsrf, '; XSRF-TOKEN=' + xsrf)), '',
       'session with the XSRF-TOKEN cookie too')
    h = {'Cookie': 'SoCrmCurrentUserUICulture=sv; ASP.NET_SessionId="%s"; '
         'FirstDayOfWeek=1' % sid, 'X-XSRF-TOKEN': xsrf}
    ok(on.get(P, h), '', 'session cookie quoted, among other cookies')
    h = {'Cookie': 'XASP.NET_SessionId=%s; ASP.NET_SessionId=%s' %
         (sid11, sid), 'X-XSRF-TOKEN': xsrf}
    ok(on.get(P, h), '', 'a prefix-named cookie is another cookie')
    SENT.add(sid11)
    # the double-submit forgery: a cookie equal to the header proves nothing
    refused(on.get(P, sess(sid, 'evil', '; XSRF-TOKEN=evil')), False,
            'X-XSRF-TOKEN does not match',
            'double-submit forgery: XSRF-TOKEN cookie = header = evil')
    SENT.add('evil')
    refused(on.get(P, sess(sid, None, '; XSRF-TOKEN=' + xsrf)), False,
            'X-XSRF-TOKEN HTTP header missing.',
            'the XSRF-TOKEN cookie alone is not enough',
            error_type='ArgumentException', startswith=True)
    refused(on.get(P, sess(sid, xsrf11)), False, 'does not match',
            'another session\'s XSRF value')
    refused(on.get(P, sess(sid, xsrf.upper())), False, 'does not match',
            'the XSRF value is case-sensitive')
    SENT.add(xsrf.upper())
    refused(on.get(P, sess(sid, '')), False, 'does not match',
            'an empty X-XSRF-TOKEN')
    refused(on.get(P, {'X-XSRF-TOKEN': xsrf}), False, 'no session',
            'X-XSRF-TOKEN without any cookie')
    refused(on.get(P, {'X-XSRF-TOKEN': xsrf, 'Cookie':
                       'XASP.NET_SessionId=' + sid}), False, 'no session',
            'only a prefix-named cookie: no session')
    refused(on.get(P, {'X-XSRF-TOKEN': xsrf, 'Cookie':
                       'ASP.NET_SessionId='}), False, 'no session',
            'an empty session cookie: no session')
    refused(on.get(P, sess('0' * len(sid), xsrf)), False, 'unknown session',
            'unknown session id')
    refused(on.get(P, sess(sid.upper(), xsrf)), False, 'unknown session',
            'session ids are case-sensitive')
    SENT.add(sid.upper())
    ok(on.get(P, dict(sess(sid11, xsrf11), Authorization=login('tje0'))), '',
       'an Authorization header wins over the session')
    refused(on.get(P, dict(sess(sid, xsrf), Authorization='Bearer nope')),
            False, 'unknown token', 'a bad Authorization header is not '
            'rescued by a valid session')

    # ------------------------------------------------------ no credentials
    for srv, path, online in ((on, P, False), (onl, P12, True),
                              (on, '/SuperOffice' + P, False)):
        r = srv.get(path)
        body = r.json() if r.status == 401 else {}
        t.eq((r.status, list(body), body.get('Error'), body.get('ErrorType'),
              body.get('ErrorSource')),
             (401, ['Error', 'ErrorType', 'Message', 'ErrorSource'], True,
              'ArgumentException', 'SuperOffice.Services.WebApi'),
             'no credentials %s%s: the exact body' %
             ('online ' if online else '', path))
        refused(r, online, 'X-XSRF-TOKEN HTTP header missing. ',
                'no credentials %s%s: message and challenge' %
                ('online ' if online else '', path),
                error_type='ArgumentException', startswith=True)
        t.eq((r.header('content-type') or '').split(';')[0],
             'application/json', 'no credentials: a JSON body')
    refused(on.get(P, {'Cookie': 'ASP.NET_SessionId=' + sid}), False,
            'X-XSRF-TOKEN HTTP header missing.',
            'a session cookie without the header', 'ArgumentException', True)

    # ---------------------------------------------------------------- tenant
    refused(on.get(P54, H(login('kmueller'))), False, 'wrong tenant',
            'Basic: a Cust12345 user under /Cust54321/')
    refused(on.get(P54, H('Bearer ' + token(21))), False, "'Cust12345'",
            'Bearer: the message names the associate\'s tenant')
    refused(onl.get(P54, app(H('SOTicket ' + ticket(21)), APP)), True,
            'wrong tenant', 'online SOTicket under another tenant')
    refused(onl.get(P54, H('Bearer ' + token(21))), True, 'wrong tenant',
            'online Bearer under another tenant')
    refused(onl.get(P54, sess(*session(21))), True, 'wrong tenant',
            'online session under another tenant')
    refused(on.get(P, H(login('kmueller'))), False, 'wrong tenant',
            'a tenant user without a prefix')
    refused(on.get(P, H(login('kmueller'))), False, '/Cust12345/',
            'a tenant user without a prefix: told which prefix')
    refused(on.get('/SuperOffice' + P, H('Bearer ' + token(31))), False,
            'wrong tenant', 'a tenant user under a non-Cust prefix')
    refused(on.get(P12, H(login('tje0'))), False, 'wrong tenant',
            'an onsite user under /Cust12345/')
    refused(on.get('/Cust1' + P, H(login('tje0'))), False, 'wrong tenant',
            'an onsite user under /Cust1/')
    for what, hdr in (('Bearer', H('Bearer ' + token(21))),
                      ('SOTicket', app(H('SOTicket ' + ticket(21)), APP)),
                      ('session', sess(*session(21))),
                      ('nothing', {})):
        refused(onl.get(P, hdr), True, 'tenant prefix',
                'online without a prefix (%s): wrong tenant' % what)
    refused(onl.get('/SuperOffice' + P, H('Bearer ' + token(21))), True,
            'wrong tenant', 'online under a non-Cust prefix')
    refused(onl.get(P12, H('Bearer ' + token(53))), True, 'wrong tenant',
            'online: a default-tenant token under /Cust12345/')

    # ------------------------------------------------- scheme name casing
    for scheme in ('Basic', 'basic', 'BASIC', 'bAsIc'):
        ok(on.get(P, H(scheme + ' ' + b64('tje0:Tje0'))), '',
           'scheme %r' % scheme)
    for scheme in ('SOTicket', 'SoTicket', 'SOTICKET', 'soticket'):
        ok(on.get(P, H(scheme + ' ' + ticket(53))), '',
           'onsite scheme %r' % scheme)
        ok(onl.get(P12, app(H(scheme + ' ' + ticket(21)), APP)), 'Cust12345',
           'online scheme %r' % scheme)
    for scheme in ('Bearer', 'bearer', 'BEARER'):
        ok(on.get(P, H(scheme + ' ' + token(53))), '',
           'onsite scheme %r' % scheme)
        ok(onl.get(P12, H(scheme + ' ' + token(21))), 'Cust12345',
           'online scheme %r' % scheme)
    ok(on.get(P, {'authorization': 'Basic ' + b64('tje0:Tje0')}), '',
       'a lower-case header name')
    # RFC 9110 §11.4: 1*SP between scheme and token68
    ok(on.get(P, H('Basic  ' + b64('tje0:Tje0'))), '',
       'two spaces after the scheme (RFC 9110: 1*SP)')

    # ------------------------------------------------------------------ scope
    for tn, hdr in (('', H(login('eva'))),
                    ('Cust12345', H('Bearer ' + token(22))),
                    ('Cust54321', sess(*session(31)))):
        path = '/%s%s' % (tn, P) if tn else P
        base = '/%s/api/v1/BatchTask/' % tn if tn else '/api/v1/BatchTask/'
        got = on.get(path, hdr)
        ok(got, tn, 'scope %s: the list is the tenant\'s user tasks' %
           (tn or 'default'))
        owners = {x['AssociateId'] for x in got.json()}
        t.ok(owners and all(tenant_of.get(o, '') == tn for o in owners),
             'scope %s: every owner is of the tenant' % (tn or 'default'))
        for state in ('Failed', 'Succeeded', 'New'):
            t.eq(ids(on.get(base + state, hdr)), expected_ids(tn, state),
                 'scope %s: state %s' % (tn or 'default', state))
        own = all_ids_of(tn)
        others = sorted({x['Id'] for x in demo['batchTasks']} - set(own))
        st = [on.get(base + str(i), hdr).status for i in own]
        t.ok(st and all(s == 200 for s in st),
             'scope %s: all %d own tasks by id are 200' %
             (tn or 'default', len(own)), st)
        st = {i: on.get(base + str(i), hdr).status for i in others}
        t.ok(others and all(s == 404 for s in st.values()),
             'scope %s: none of %d other tasks is visible by id' %
             (tn or 'default', len(others)),
             [i for i, s in st.items() if s != 404])

    # ----------------------------------------------- malformed Authorization
    good64 = b64('tje0:Tje0')

    def bad_pad_bits(raw):
        s = b64(raw)
        assert s.endswith('=')
        body = s.rstrip('=')
        alphabet = ('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'
                    '0123456789+/')
        last = alphabet[alphabet.index(body[-1]) + 1]
        return body[:-1] + last + s[len(body):]

    malformed = [
        ('empty', ''),
        ('whitespace only', '   '),
        ('tab only', '\t'),
        ('Basic only', 'Basic'),
        ('Bearer only', 'Bearer'),
        ('SOTicket only', 'SOTicket'),
        ('Basic and two spaces', 'Basic  '),
        ('SOTicket and spaces', 'SOTicket   '),
        ('Basic !!!', 'Basic !!!'),
        ('missing padding', 'Basic ' + b64('tje0:Tje').rstrip('=')),
        ('extra padding', 'Basic ' + good64 + '===='),
        ('padding in the middle', 'Basic ' + b64('tj') + good64),
        ('non-zero pad bits', 'Basic ' + bad_pad_bits('tje0:Tje')),
        ('space inside base64', 'Basic ' + good64[:4] + ' ' + good64[4:]),
        ('tab inside base64', 'Basic ' + good64[:4] + '\t' + good64[4:]),
        ('url-safe alphabet', 'Basic ' + b64(b'\xfb\xff:\xfe').replace(
            '+', '-').replace('/', '_')),
        ('base64 without colon', 'Basic ' + b64('tje0Tje0')),
        ('empty name', 'Basic ' + b64(':Tje0')),
        ('only a colon', 'Basic ' + b64(':')),
        ('NUL in the name', 'Basic ' + b64('a\0b:c')),
        ('NUL after the name', 'Basic ' + b64('tje0\0:Tje0')),
        ('NUL in the password', 'Basic ' + b64('tje0:Tje0\0')),
        ('base64 then garbage', 'Basic ' + good64 + ' extra'),
        ('non-UTF-8 Basic', 'Basic \xff\xfe\xfd'),
        ('non-UTF-8 Bearer', 'Bearer 8A:\xe9t\xe9'),
        ('non-UTF-8 SOTicket', 'SOTicket 7T:\xc3\x28'),
        ('non-ASCII scheme', '\xc9t\xe9 abc'),
        ('\\x01 in a token', 'Bearer abc\x01def'),
        ('\\x01 in the scheme', 'Bas\x01ic ' + good64),
        ('\\x7f in a token', 'Bearer abc\x7f'),
        ('tab inside a token', 'Bearer ' + token(53)[:10] + '\t' +
         token(53)[10:]),
        ('two tokens', 'Bearer ' + token(53) + ' ' + token(53)),
        ('Negotiate', 'Negotiate abc'),
        ('Digest', 'Digest x'),
        ('NTLM', 'NTLM TlRMTVNTUAABAAAAB4IIogAAAAAAAAAAAAAAAAAAAAAGAbEdAAAADw=='),
        ('Basic= glued', 'Basic=' + good64),
        ('comma list', 'Basic ' + good64 + ', Bearer ' + token(53)),
        ('very long ticket', 'SOTicket 7T:' + 'A' * 5000),
        ('long ticket at the limit', 'SOTicket ' + 'B' * 4096),
        ('very long Basic', 'Basic ' + b64('tje0:' + 'x' * 3000)),
        ('very long scheme', 'X' * 8000 + ' abc'),
    ]
    t.ok(len(malformed) >= 25, '%d malformed values' % len(malformed))
    for srv, path, online in ((on, P, False), (onl, P12, True)):
        mode = 'online' if online else 'onsite'
        for what, value in malformed:
            try:
                r = srv.get(path, {'Authorization': value})
            except Exception as e:  # noqa: BLE001 - report, do not stop
                t.ok(False, '%s malformed %s: an answer' % (mode, what), e)
                continue
            refused(r, online, '', '%s malformed %s: 401' % (mode, what))
        for what, value, substr in (
                ('empty', '', 'malformed'),
                ('Basic !!!', 'Basic !!!', 'malformed'),
                ('Bearer only', 'Bearer', 'malformed'),
                ('NUL in the name', 'Basic ' + b64('a\0b:c'), 'malformed'),
                ('non-UTF-8 Bearer', 'Bearer 8A:\xe9t\xe9', 'malformed'),
                ('Negotiate', 'Negotiate abc', 'scheme not allowed'),
                ('very long ticket', 'SOTicket 7T:' + 'A' * 5000,
                 'malformed')):
            if online and value.startswith('Basic'):
                substr = 'scheme not allowed'
            refused(srv.get(path, {'Authorization': value}), online, substr,
                    '%s malformed %s: message %r' % (mode, what, substr))
        r = srv.get(path, {'Authorization': 'Negotiate s3cr3t-negotiate'})
        t.ok('s3cr3t' not in r.text, '%s: an unknown scheme\'s credentials '
             'are not echoed' % mode)
        SENT.add('s3cr3t-negotiate')
        ok(srv.get(path, H('Bearer ' + token(53 if not online else 21))),
           '' if not online else 'Cust12345',
           '%s: still serving after the malformed values' % mode)
    for what, value in malformed:
        if len(value.split(' ', 1)) == 2 and value.split(' ', 1)[1].strip():
            SENT.add(value.split(' ', 1)[1].strip())

    # the largest Authorization value the HTTP layer accepts is a 401
    def status_of(n):
        try:
            return on.get(P, {'Authorization': 'Bearer ' + 'A' * n}).status
        except Exception:  # noqa: BLE001 - a dropped connection
            return None
    lo, hi = 1, 64 * 1024
    t.ok(status_of(lo) == 401, 'a one-byte token: 401')
    if status_of(hi) == 401:
        largest = hi
    else:
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if status_of(mid) == 401:
                lo = mid
            else:
                hi = mid
        largest = lo
    print('# largest Bearer token the HTTP layer accepts: %d bytes' % largest)
    t.ok(largest > 4096, 'the HTTP layer accepts tokens longer than 4 KiB '
         '(%d)' % largest)
    refused(on.get(P, {'Authorization': 'Bearer ' + 'A' * largest}), False,
            'malformed', 'the largest accepted value: 401 malformed')
    refused(on.get(P, {'Authorization': 'Basic ' + 'A' * largest}), False,
            'malformed', 'the largest accepted Basic: 401 malformed')
    # Just past the limit libmicrohttpd has no room left for an answer
    # and closes the connection; well past it, it answers 431.
    for n, may_close in ((largest + 1, True), (64 * 1024, True),
                         (100 * 1024, False), (256 * 1024, False)):
        try:
            r = on.get(P, {'Authorization': 'Bearer ' + 'A' * n})
            st = r.status
        except (ConnectionError, OSError) as e:
            st = type(e).__name__
        t.ok((isinstance(st, int) and 400 <= st < 500 and st != 401) or
             (may_close and not isinstance(st, int)),
             '%d bytes past the header limit: refused by the HTTP layer '
             '(%s)' % (n, st))
        ok(on.get(P, H(login('tje0'))), '', 'still serving after %d bytes'
           % n)

    # still serving everywhere
    for srv, path, hdr, tn in ((on, P, H(login('tje0')), ''),
                               (onl, P12, H('Bearer ' + token(21)),
                                'Cust12345'),
                               (fx, P, H(login('tje0')), ''),
                               (fxo, P12,
                                H('Bearer 8A:Cust12345.never-expires-62'),
                                'Cust12345')):
        got = srv.get(path, hdr)
        if srv in (fx, fxo):
            t.eq(got.status, 200, 'fixture server still serving')
        else:
            ok(got, tn, 'demo server still serving')
finally:
    codes = [s.stop() for s in servers]
    os.unlink(fixture)

t.eq(codes, [0, 0, 0, 0], 'every server exits 0 on SIGTERM')

# ------------------------------------------------- secrets never logged
logs = [s.read_stderr() for s in servers]
t.ok(all('GET /api/v1/BatchTask/All' in lg or 'GET /Cust12345/' in lg
         for lg in logs), '-vv logs hold the access lines',
     [lg[:300] for lg in logs])
t.ok(all('debug' in lg for lg in logs), '-vv logs are debug logs')
secrets = set()
for s in SENT:
    if len(s) >= 4:
        secrets.add(s)
        secrets.add(b64(s.encode('utf-8', 'surrogateescape')
                        if isinstance(s, str) else s))
for a in demo['associates']:
    secrets.add(a['Password'])
for key, rows in (('Ticket', demo['tickets']), ('Token', demo['tokens']),
                  ('SessionId', demo['sessions']),
                  ('XsrfToken', demo['sessions']),
                  ('AppToken', demo['apps'])):
    for x in rows:
        secrets.add(x[key])
t.ok(len(secrets) > 80, '%d secrets to look for' % len(secrets))
for i, lg in enumerate(logs):
    leaked = sorted(s for s in secrets if s in lg)
    t.ok(not leaked, 'log of server %d holds none of the secrets' % i,
         leaked[:10])
    # refusals name the headers they missed ("provide an Authorization
    # header"), never a header line with its value
    t.ok('A' * 4097 not in lg and not re.search(
        r'(?i)(x-xsrf-token|cookie|authorization)\s*[:=]', lg),
         'log of server %d holds no credential header line' % i,
         [ln for ln in lg.splitlines() if re.search(
             r'(?i)(x-xsrf-token|cookie|authorization)\s*[:=]', ln)][:5])

t.done()
