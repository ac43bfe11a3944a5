"""Dates and time zones over HTTP.

Expected strings are computed here with Python's zoneinfo, an independent
reader of the same TZif files somock serves from, so they follow whatever
tzdata release is installed: the instants include both sides of every
offset change zoneinfo finds in 2024, 2051 and 2199 for each zone below,
and the codes somock derives from tzdata's tab files are derived here too.
"""
import datetime as dt
import json
import os
import xml.etree.ElementTree as ET
import zoneinfo
from zoneinfo import ZoneInfo

from somock import FIXTURES, ROOT, Server, Tap, TJE0, run, write_json

# somock reads zones from /usr/share/zoneinfo (tz_db_create(NULL)), and
# derives codes from the tab files under the build's tzdata_dir
zoneinfo.reset_tzpath(['/usr/share/zoneinfo'])
TZDATA_DIR = os.environ.get('SOMOCK_TZDATA_DIR', '/usr/share/zoneinfo')

t = Tap()
H = {'Authorization': TJE0}
UTC = dt.timezone.utc
TICK = dt.timedelta(microseconds=1) / 10


def net_format(instant, ticks, zone, is_utc, designator=True):
    """Render the .NET round-trip way; @ticks is the 0..9999999 fraction.
    Without @designator, the local time alone (no Z, no offset)."""
    local = instant.astimezone(zone)
    s = local.strftime('%Y-%m-%dT%H:%M:%S')
    frac = ('%07d' % ticks).rstrip('0')
    if frac:
        s += '.' + frac
    if not designator:
        return s
    if is_utc:
        return s + 'Z'
    off = local.utcoffset()
    sign = '-' if off < dt.timedelta(0) else '+'
    mins = abs(int(off.total_seconds())) // 60
    return s + '%s%02d:%02d' % (sign, mins // 60, mins % 60)


# instants with every fraction shape, on both sides of DST changes
INSTANTS = [
    ('2020-01-22T16:54:08', 6793184),   # the seed sample, 7 digits
    ('2016-10-29T15:54:08', 6793184),
    ('2021-03-28T00:59:59', 9999999),   # just before EU spring forward
    ('2021-03-28T01:00:00', 0),         # the change itself, zero fraction
    ('2021-10-31T00:59:59', 5000000),   # EU autumn: trims to .5
    ('2021-10-31T01:00:00', 1200000),   # trims to .12
    ('2021-03-14T06:59:59', 10),        # before US spring forward
    ('2021-03-14T07:00:00', 1),         # .0000001
    ('2021-11-07T05:30:00', 400),       # US fall back
    ('2024-02-29T12:00:00', 123456),    # leap day
    ('1999-12-31T23:59:59', 0),
    ('2037-07-01T12:00:00', 0),         # past the last TZif transition
]


def offset_at(zone, t):
    return dt.datetime.fromtimestamp(t, UTC).astimezone(zone).utcoffset()


def changes(zone, year):
    """Unix times at which @zone's offset changes during @year."""
    start = int(dt.datetime(year, 1, 1, tzinfo=UTC).timestamp())
    end = int(dt.datetime(year + 1, 1, 1, tzinfo=UTC).timestamp())
    out = []
    prev = offset_at(zone, start)
    for day in range(start, end, 86400):
        off = offset_at(zone, day + 86400)
        if off == prev:
            continue
        lo, hi = day, day + 86400
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if offset_at(zone, mid) == prev:
                lo = mid
            else:
                hi = mid
        out.append(hi)
        prev = off
    return out


def single_zone_countries():
    """{code: zone} by the rule gen-zones.py applies to the tab files."""
    def read(name):
        by = {}
        try:
            with open(os.path.join(TZDATA_DIR, name), encoding='utf-8') as f:
                for line in f:
                    if line.strip() and not line.startswith('#'):
                        cols = line.rstrip('\n').split('\t')
                        for cc in cols[0].split(','):
                            by.setdefault(cc, []).append(cols[2])
        except FileNotFoundError:
            return None
        return by
    by1970, bytab = read('zone1970.tab'), read('zone.tab')
    if bytab is None:
        return {cc: zs[0] for cc, zs in by1970.items() if len(zs) == 1}
    return {cc: zs[0] for cc, zs in bytab.items()
            if len(zs) == 1 and len(by1970.get(cc, [])) <= 1}


EDGE_ZONES = ['Europe/Oslo', 'America/New_York', 'America/Los_Angeles',
              'Pacific/Honolulu', 'Australia/Sydney', 'Asia/Dhaka',
              'America/Toronto', 'Europe/Copenhagen', 'Europe/Paris',
              'Europe/London', 'America/St_Johns']
for name in EDGE_ZONES:
    for year in (2024, 2051, 2199):
        for when in changes(ZoneInfo(name), year):
            for u in (when - 1, when):
                iso = dt.datetime.fromtimestamp(u, UTC).strftime(
                    '%Y-%m-%dT%H:%M:%S')
                INSTANTS.append((iso, 4200000 if u == when else 0))
tasks = []
for i, (when, frac) in enumerate(INSTANTS):
    tasks.append({'Id': 1000 + i, 'AssociateId': 53, 'State': 'New',
                  'LastStarted': '%s.%07dZ' % (when, frac),
                  'Created': when + '+00:00'})
fixture = write_json({
    'associates': [{'AssociateId': 53, 'Name': 'tje0', 'Password': 'Tje0'}],
    'batchTasks': tasks + [
        # written with offsets and without: exact instants / UTC
        {'Id': 200, 'AssociateId': 53, 'LastStarted':
         '2020-01-22T17:54:08.6793184+01:00', 'Created':
         '2020-06-01T12:00:00'},
        {'Id': 201, 'AssociateId': 53, 'LastStarted':
         '2020-06-01T08:00:00-04:00', 'Created': '2020-06-01T12:00:00.5Z'},
        {'Id': 202, 'AssociateId': 53},   # unset dates: MinValue
    ]})

# the ids SuperOffice documents (schema/tzlocations.tsv)
DOCUMENTED_IDS = {'1': 'UTC', '36': 'AU-ACT', '50': 'BD', '114': 'CA-QC',
                  '140': 'DK', '156': 'FR', '261': 'NO', '425': 'US-CA',
                  '433': 'US-HI', '460': 'US-NY'}

# (header value, zone for the expectation, formats as Z)
ZONES = [
    ('UTC', ZoneInfo('Etc/UTC'), True),
    ('NO', ZoneInfo('Europe/Oslo'), False),
    ('no', ZoneInfo('Europe/Oslo'), False),
    ('261', ZoneInfo('Europe/Oslo'), False),
    ('US-NY', ZoneInfo('America/New_York'), False),
    ('460', ZoneInfo('America/New_York'), False),
    ('US-CA', ZoneInfo('America/Los_Angeles'), False),
    ('US-HI', ZoneInfo('Pacific/Honolulu'), False),
    ('AU-ACT', ZoneInfo('Australia/Sydney'), False),
    ('36', ZoneInfo('Australia/Sydney'), False),
    ('BD', ZoneInfo('Asia/Dhaka'), False),
    ('CA-QC', ZoneInfo('America/Toronto'), False),
    ('DK', ZoneInfo('Europe/Copenhagen'), False),
    ('140', ZoneInfo('Europe/Copenhagen'), False),
    ('FR', ZoneInfo('Europe/Paris'), False),
    ('156', ZoneInfo('Europe/Paris'), False),
    ('GB', ZoneInfo('Europe/London'), False),
    ('Europe/Oslo', ZoneInfo('Europe/Oslo'), False),  # IANA extension
    ('America/St_Johns', ZoneInfo('America/St_Johns'), False),
    ('NO,includeTZOffset', ZoneInfo('Europe/Oslo'), False),
    ('US-NY, includeTZOffset', ZoneInfo('America/New_York'), False),
    ('1', ZoneInfo('Etc/UTC'), True),
]
# codes derived from the installed tab files: India (+05:30) and Nepal
# (+05:45) when tzdata gives each one zone, else they must be unknown
SINGLE = single_zone_countries()
DERIVED = [(cc, ZoneInfo(SINGLE[cc]), False) for cc in ('IN', 'NP')
           if cc in SINGLE]
ZONES += DERIVED

with Server('--fixtures', fixture) as s:
    for header, zone, is_utc in ZONES:
        r = s.get('/api/v1/BatchTask/New', dict(H, **{'SO-TimeZone': header}))
        if not t.eq(r.status, 200, 'SO-TimeZone: %s answers 200' % header):
            continue
        got = {x['Id']: x['LastStarted'] for x in r.json()}
        want = {}
        for i, (when, frac) in enumerate(INSTANTS):
            inst = dt.datetime.fromisoformat(when).replace(tzinfo=UTC)
            want[1000 + i] = net_format(inst, frac, zone, is_utc)
        t.eq(got, want, 'SO-TimeZone: %s: every instant rendered in %s' %
             (header, zone.key))
        code = header.split(',')[0].strip()
        code = DOCUMENTED_IDS.get(code, code if '/' in code else code.upper())
        t.eq(r.header('so-timezone'), code,
             'SO-TimeZone response header names the zone: %s' % code)

    # the server zone applies without the header, and includeTZOffset alone
    for headers in ({}, {'SO-TimeZone': 'includeTZOffset'},
                    {'SO-TimeZone': 'INCLUDETZOFFSET'}):
        r = s.get('/api/v1/BatchTask/200', dict(H, **headers))
        t.eq(r.json()['LastStarted'], '2020-01-22T16:54:08.6793184Z',
             'server zone (UTC) with %r' % headers)

    r = s.get('/api/v1/BatchTask/201', H).json()
    t.eq((r['LastStarted'], r['Created']),
         ('2020-06-01T12:00:00Z', '2020-06-01T12:00:00.5Z'),
         'fixture offsets are exact instants')
    r = s.get('/api/v1/BatchTask/200', dict(H, **{'SO-TimeZone': 'NO'}))
    t.eq(r.json()['Created'], '2020-06-01T14:00:00+02:00',
         'a fixture date without offset is UTC')
    for zone in ('NO', 'US-NY', 'UTC'):
        r = s.get('/api/v1/BatchTask/202', dict(H, **{'SO-TimeZone': zone}))
        t.eq((r.json()['LastStarted'], r.json()['Created']),
             ('0001-01-01T00:00:00', '0001-01-01T00:00:00'),
             'unset dates are DateTime.MinValue in %s' % zone)

    for bad in ('XX', 'Mars/Olympus', '999999', 'NO,NO', 'NO,bogus', '',
                '../../etc/passwd', 'Europe/../../etc/passwd', 'NO;x',
                'right/Europe/Oslo') + tuple(
                    cc for cc in ('IN', 'NP') if cc not in SINGLE):
        r = s.get('/api/v1/BatchTask/New', dict(H, **{'SO-TimeZone': bad}))
        body = r.json() if r.status == 400 else {}
        t.ok(r.status == 400 and body.get('Message') ==
             'The request is invalid.' and 'SO-TimeZone' in
             body.get('MessageDetail', ''),
             'unknown zone %r: 400 naming the header' % bad, r.text)
    t.eq(s.get('/api/v1/BatchTask/New', H).status, 200, 'still serving')

# the server zone from --timezone: east and west of UTC
for code, zone in (('NO', 'Europe/Oslo'), ('US-HI', 'Pacific/Honolulu'),
                   ('Asia/Tokyo', 'Asia/Tokyo')):
    with Server('--fixtures', fixture, '--timezone', code) as s:
        r = s.get('/api/v1/BatchTask/1000', H)
        inst = dt.datetime(2020, 1, 22, 16, 54, 8, tzinfo=UTC)
        t.eq((r.json()['LastStarted'], r.header('so-timezone')),
             (net_format(inst, 6793184, ZoneInfo(zone), False), code),
             '--timezone %s is the default zone' % code)

# --dates: every form of the SO-TimeZone header in both modes, JSON and
# XML. The server zone is US-NY, so "includeTZOffset alone" (server zone)
# is told apart from every code asked for.
SERVER_ZONE = ('US-NY', ZoneInfo('America/New_York'), False)
CODES = {'NO': (ZoneInfo('Europe/Oslo'), False),
         'UTC': (ZoneInfo('Etc/UTC'), True)}
# None is no header. The order matters: each zone is asked for bare before
# with includeTZOffset, so a cache key without the form would hand the
# second the first's answer.
FORMS = [None, 'NO', 'UTC', 'NO,includeTZOffset', 'UTC, includeTZOffset',
         'includeTZOffset']
NS88 = '{http://www.superoffice.net/ws/crm/NetServer/Services88}'


def header_parts(header):
    """(code or None, includeTZOffset?) of an SO-TimeZone value."""
    parts = [p.strip() for p in (header or '').split(',') if p.strip()]
    include = any(p.lower() == 'includetzoffset' for p in parts)
    codes = [p for p in parts if p.lower() != 'includetzoffset']
    return (codes[0] if codes else None), include


def expected_dates(mode, header):
    """{Id: (LastStarted, Created)}: SuperOffice's written rules in
    documented mode (a zone without includeTZOffset is bare local time),
    a designator on every date in sample mode; MinValue in both."""
    code, include = header_parts(header)
    zone, is_utc = CODES[code] if code else SERVER_ZONE[1:]
    designator = mode == 'sample' or not code or include
    want = {}
    for i, (when, frac) in enumerate(INSTANTS):
        inst = dt.datetime.fromisoformat(when).replace(tzinfo=UTC)
        want[1000 + i] = (net_format(inst, frac, zone, is_utc, designator),
                          net_format(inst, 0, zone, is_utc, designator))
    want[202] = ('0001-01-01T00:00:00', '0001-01-01T00:00:00')
    return want


def dates_json(r):
    return {x['Id']: (x['LastStarted'], x['Created']) for x in r.json()}


def dates_xml(r):
    root = ET.fromstring(r.body)
    return {int(x.find(NS88 + 'Id').text): (x.find(NS88 + 'LastStarted').text,
                                             x.find(NS88 + 'Created').text)
            for x in root.iter(NS88 + 'BatchTaskInfo')}


FORMATS = (('JSON', 'application/json', dates_json),
           ('XML', 'application/xml', dates_xml))

for mode in ('sample', 'documented'):
    with Server('--fixtures', fixture, '--timezone', SERVER_ZONE[0],
                '--dates', mode) as s:
        # twice: the second round is answered from the cache
        for round_ in ('', ' (cached)'):
            for header in FORMS:
                code, _ = header_parts(header)
                hdrs = dict(H, **({'SO-TimeZone': header} if header else {}))
                want = expected_dates(mode, header)
                for name, accept, dates in FORMATS:
                    r = s.get('/api/v1/BatchTask/All',
                              dict(hdrs, Accept=accept))
                    what = '--dates %s, %s, SO-TimeZone: %s%s' % (
                        mode, name, header or '(none)', round_)
                    if not t.eq(r.status, 200, what + ': 200'):
                        continue
                    got = {k: v for k, v in dates(r).items() if k in want}
                    t.eq(got, want, what + ': every date as zoneinfo says')
                    t.eq(r.header('so-timezone'), code or SERVER_ZONE[0],
                         what + ': SO-TimeZone names the zone used')
        # the Agents route renders through the same path
        r = s.post('/api/v1/Agents/Batch/GetBatchTaskInfo', {'id': 1000},
                   dict(H, **{'SO-TimeZone': 'NO'}))
        t.eq(r.json()['LastStarted'], expected_dates(mode, 'NO')[1000][0],
             '--dates %s: Agents GetBatchTaskInfo with SO-TimeZone: NO'
             % mode)

# the variable sets the mode; the command line wins over it
with Server('--fixtures', fixture, env={'SOMOCK_DATES': 'documented'}) as s:
    r = s.get('/api/v1/BatchTask/1000', dict(H, **{'SO-TimeZone': 'NO'}))
    t.eq(r.json()['LastStarted'], expected_dates('documented', 'NO')[1000][0],
         'SOMOCK_DATES=documented: bare local time')
with Server('--fixtures', fixture, '--dates', 'sample',
            env={'SOMOCK_DATES': 'documented'}) as s:
    r = s.get('/api/v1/BatchTask/1000', dict(H, **{'SO-TimeZone': 'NO'}))
    t.eq(r.json()['LastStarted'], expected_dates('sample', 'NO')[1000][0],
         '--dates sample wins over SOMOCK_DATES=documented')
code, _, err = run('serve', '--port', '0', '--dates', 'iso')
t.ok(code == 2 and "'iso' is not sample or documented" in err,
     '--dates iso: usage error naming the choices', err)

# The endpoint's documented sample request sends no SO-TimeZone, so both
# modes give the page's sample response byte for byte.
page = open(os.path.join(ROOT, 'tests', 'data', 'seed-page.txt'),
            encoding='utf-8').read()
sample = page.split('Sample response', 1)[1]
start = sample.index('[')
compact = json.dumps(json.loads(sample[start:sample.index('\n]', start) + 2]),
                     separators=(',', ':'), ensure_ascii=False)
for mode in ('sample', 'documented'):
    with Server('--fixtures', os.path.join(FIXTURES, 'doc-sample.json'),
                '--timezone', 'NO', '--dates', mode) as s:
        r = s.get('/api/v1/BatchTask/All', {
            'Authorization': 'Basic dGplMDpUamUw',
            'Accept': 'application/json; charset=utf-8',
            'Accept-Language': 'sv'})
        t.eq(r.text, compact,
             '--dates %s: the seed sample, byte for byte' % mode)
os.unlink(fixture)
t.done()
