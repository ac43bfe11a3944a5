"""Languages, resource strings, cultures and their errors (docs/languages.md).

Expected texts come from the fixture written here (or from demo.json
through an independent reading of the documented grammar), never from
the server's own output.
"""
import os
import re
import xml.etree.ElementTree as ET

from somock import Server, Tap, TJE0, basic, load_fixture, write_json

t = Tap()
H = {'Authorization': TJE0}
NS_SO = 'http://www.superoffice.net/ws/crm/NetServer/Services88'
STRINGS = ['Name', 'DatabaseSerialNumber', 'Context', 'Result',
           'Description', 'Response', 'Request', 'ProgressDescription',
           'FileName']
PREFIXES = ['US', 'NO', 'GE', 'SW', 'DA', 'NL', 'FR', 'SP', 'IT', 'CZ', 'FI',
            'PL', 'RU', 'JP', 'CN']
ISO = {'en': 'US', 'nb': 'NO', 'nn': 'NO', 'no': 'NO', 'de': 'GE',
       'sv': 'SW', 'da': 'DA', 'nl': 'NL', 'fr': 'FR', 'es': 'SP',
       'it': 'IT', 'cs': 'CZ', 'fi': 'FI', 'pl': 'PL', 'ru': 'RU',
       'ja': 'JP', 'zh': 'CN'}
EXPORT = {'US': 'Export contacts', 'NO': 'Eksporter kontakter',
          'GE': 'Kontakte exportieren', 'SW': 'Exportera kontakter',
          'DA': 'Eksportér kontakter', 'NL': 'Contacten exporteren',
          'FR': 'Exporter les contacts', 'SP': 'Exportar contactos',
          'IT': 'Esporta contatti', 'CZ': 'Exportovat kontakty',
          'FI': 'Vie yhteystiedot', 'PL': 'Eksportuj kontakty',
          'RU': 'Экспорт контактов', 'JP': '連絡先のエクスポート',
          'CN': '导出联系人'}
# a multi-language value in all 15 prefixes, not starting with US, whose
# texts hold quotes (doubled) and semicolons
READY = {p: 'Ready-%s; "%s" ✓' % (p, p.lower()) for p in PREFIXES}
ML_ORDER = ['CN'] + [p for p in PREFIXES if p != 'CN']
ML_ALL = ';'.join('%s:"%s"' % (p, READY[p].replace('"', '""'))
                  for p in ML_ORDER)

RESOURCES = [{'Id': 'SR_ALL', 'Language': p, 'Text': EXPORT[p]}
             for p in PREFIXES]
RESOURCES += [
    {'Id': 'SR_PART', 'Language': 'US', 'Text': 'Part (US)'},
    {'Id': 'SR_PART', 'Language': 'GE', 'Text': 'Teil (GE)'},
    {'Id': 'SR_NOUS', 'Language': 'GE', 'Text': 'Nur Deutsch'},
    {'Id': 'SR_NOUS', 'Language': 'NO', 'Text': 'Bare norsk'},
    {'Id': 'SR_LOOP', 'Language': 'US', 'Text': 'loop [SR_ALL] [SR_LOOP]'},
    {'Id': 'SR_X_9', 'Language': 'US', 'Text': 'nine'},
]

DESC = ('A [SR_ALL] / B [SR_PART] / C [SR_NOUS] / D [SR_UNKNOWN] / '
        'E [sr_all] / F [SR_] / G [SR_LOOP] / H [SR_X_9][SR_X_9]')


def desc_for(p):
    """DESC resolved in prefix @p, from the resource table above."""
    part = 'Teil (GE)' if p == 'GE' else 'Part (US)'
    nous = {'GE': 'Nur Deutsch', 'NO': 'Bare norsk'}.get(p, '[SR_NOUS]')
    return ('A %s / B %s / C %s / D [SR_UNKNOWN] / E [sr_all] / F [SR_] / '
            'G loop [SR_ALL] [SR_LOOP] / H ninenine' % (EXPORT[p], part,
                                                      nous))


SHORT = 'US:"one";NO:"en";GE:"eins"'
SHORT_OF = {'US': 'one', 'NO': 'en', 'GE': 'eins'}

TASKS = [
    # 1: [SR_ALL] in every string field but Context (all 15 prefixes)
    dict({k: '[SR_ALL]' for k in STRINGS}, Id=1, Context=ML_ALL,
         Description=DESC, ParameterObject={'p': '[SR_ALL]', 'm': SHORT}),
    # 2: a multi-language value in every string field
    dict({k: SHORT for k in STRINGS}, Id=2),
    # 3: fallbacks, quoting and whitespace
    {'Id': 3,
     'Name': 'NO:"Norsk";US:"English";GE:"Deutsch"',
     'Description': 'NO:"Ferdig, rydd opp manuelt";GE:"Fertig"',
     'Context': 'US:"Say ""hi""; ok";NO:"Si \\"hei\\"; ja";',
     'Result': 'US:"[SR_ALL] (us)";NO:"[SR_ALL] (no)"',
     'Response': ' US : "spaced" ;\n\tNO:\t"mellomrom" ; ',
     'Request': 'US:"back\\\\slash \\n kept";NO:"a;NO:\\"b\\"";',
     'ProgressDescription': 'US:"first";US:"second";NO:"tredje"',
     'FileName': 'GE:"datei.csv"'},
]
ML_CASES = {
    # field: {prefix: expected}, default for other prefixes under key None
    'Name': {'NO': 'Norsk', 'GE': 'Deutsch', None: 'English'},
    'Description': {'NO': 'Ferdig, rydd opp manuelt', 'GE': 'Fertig',
                    None: 'Ferdig, rydd opp manuelt'},
    'Context': {'NO': 'Si "hei"; ja', None: 'Say "hi"; ok'},
    'Result': {'NO': '%s (no)', None: '%s (us)'},   # % EXPORT[prefix]
    'Response': {'NO': 'mellomrom', None: 'spaced'},
    'Request': {'NO': 'a;NO:"b"', None: 'back\\slash \\n kept'},
    'ProgressDescription': {'NO': 'tredje', None: 'first'},
    'FileName': {None: 'datei.csv'},
}
# strings that are not multi-language values: left exactly as stored
NOT_ML = ['US:"a";;NO:"b"', 'Re:"hello"', 'us:"lower"', 'US:"unterminated',
          'US:"a" trailing', 'XX:"unknown prefix"', 'US:"a" NO:"b"',
          'US "no colon"', 'US:unquoted', ';US:"leading"', '']
for i, s in enumerate(NOT_ML):
    TASKS.append({'Id': 10 + i, 'Name': s, 'Description': 'plain text'})

CULTURE_TEXT = 'Due 2020-01-05, cost 12.50; total 3.25'
KEEP_TEXT = ('v1.5 1.2.3 10.0.0.1 1,234.5 2020-01-22T17:54 2019-02-30 '
             '2020-13-01 1-2020-01-01 2020-01-05.7 3.5_x')
TASKS.append({'Id': 50, 'Description': CULTURE_TEXT, 'Context': KEEP_TEXT,
              'Result': 'US:"Paid 9.99 on 2020-02-29";'
                        'NO:"Betalt 9.99 den 2020-02-29"',
              'Name': 'Leap 2024-02-29 and 1.0',
              'LastStarted': '2020-01-22T16:54:08.6793184Z',
              'ProgressPercent': 42})
for task in TASKS:
    task.setdefault('AssociateId', 53)
    task.setdefault('State', 'Failed')

ASSOC = [{'AssociateId': 53, 'Name': 'tje0', 'Password': 'Tje0'}]
path = write_json({'associates': ASSOC, 'resources': RESOURCES,
                   'batchTasks': TASKS})
stored = {x['Id']: x for x in TASKS}


def one(s, tid, hdrs=None):
    r = s.get('/api/v1/BatchTask/%d' % tid, dict(H, **(hdrs or {})))
    return r, (r.json() if r.status == 200 else None)


def pick(cases, p, field):
    v = cases[field].get(p, cases[field][None])
    return v % EXPORT[p] if field == 'Result' else v


with Server('--fixtures', path) as s:
    # ---- no language, off, unknown --------------------------------------
    for what, hdrs in (
            ('no header', {}),
            ('SO-Language: *', {'SO-Language': '*'}),
            ('SO-Language: x', {'SO-Language': 'x'}),
            ('SO-Language: " X "', {'SO-Language': ' X '}),
            ('SO-Language: * over Accept-Language: de',
             {'SO-Language': '*', 'Accept-Language': 'de'}),
            ('SO-Language: x over Accept-Language: sv',
             {'SO-Language': 'x', 'Accept-Language': 'sv'}),
            ('an unknown language (tlh)', {'SO-Language': 'tlh'}),
            ('a three-letter code (swe)', {'Accept-Language': 'swe'}),
            ('garbage', {'Accept-Language': '%%%, ;;'}),
            ('Accept-Language: *', {'Accept-Language': '*'}),
            ('only q=0', {'Accept-Language': 'sv;q=0'}),
            ('malformed only', {'Accept-Language': 'sv_SE, de;q=2'})):
        bad = []
        cl = set()
        for tid in (1, 2, 3):
            r, j = one(s, tid, hdrs)
            cl.add(r.header('content-language'))
            bad += [(tid, k, j and j.get(k)) for k in STRINGS
                    if not j or j.get(k) != stored[tid].get(k)]
        t.ok(not bad and cl == {None},
             '%s: strings as stored, no Content-Language' % what,
             (bad[:3], cl))

    # ---- each supported ISO code ----------------------------------------
    for code, p in ISO.items():
        r, j = one(s, 1, {'SO-Language': code})
        want = {k: EXPORT[p] for k in STRINGS}
        want['Context'] = READY[p]
        want['Description'] = desc_for(p)
        got = {k: j.get(k) for k in STRINGS} if j else r.status
        t.eq(got, want, '%s (%s): [SR_ALL] in 8 fields, the 15-language '
             'value, fallbacks to US, unknown ids kept' % (code, p))
        t.eq(r.header('content-language'), code,
             '%s: Content-Language %s' % (code, code))
        t.eq(j and j['ParameterObject'], stored[1]['ParameterObject'],
             '%s: ParameterObject is not translated' % code)
        r, j = one(s, 2, {'Accept-Language': code})
        t.eq({k: j.get(k) for k in STRINGS} if j else r.status,
             {k: SHORT_OF.get(p, 'one') for k in STRINGS},
             '%s via Accept-Language: every string field resolved' % code)
        r, j = one(s, 3, {'SO-Language': code})
        t.eq({k: j.get(k) for k in ML_CASES} if j else r.status,
             {k: pick(ML_CASES, p, k) for k in ML_CASES},
             '%s: US / first-value fallback, "" and \\" quotes, ; inside, '
             'spaces, [SR_] inside, duplicate prefix' % code)

    # ---- choosing the language ------------------------------------------
    CHOICE = [
        ({'SO-Language': 'sv', 'Accept-Language': 'de'}, 'SW', 'sv',
         'SO-Language over Accept-Language'),
        ({'SO-Language': 'tlh', 'Accept-Language': 'de'}, 'GE', 'de',
         'an unusable SO-Language falls back to Accept-Language'),
        ({'Accept-Language': 'de;q=0.5, sv;q=0.9'}, 'SW', 'sv',
         'Accept-Language q-values'),
        ({'Accept-Language': 'fr;q=0.5, de;q=0.8'}, 'GE', 'de',
         'q-values, higher later'),
        ({'Accept-Language': 'da, nl'}, 'DA', 'da', 'a tie: the earlier'),
        ({'Accept-Language': 'nl;q=0.7, da;q=0.7'}, 'NL', 'nl',
         'an equal-q tie: the earlier'),
        ({'Accept-Language': 'sv;q=0, de;q=0.1'}, 'GE', 'de',
         'q=0 is never chosen'),
        ({'Accept-Language': 'tlh, xx-YY;q=0.9, it;q=0.2'}, 'IT', 'it',
         'unsupported ranges are passed over'),
        ({'Accept-Language': 'sv_SE, de'}, 'GE', 'de',
         'a malformed range (sv_SE) is skipped'),
        ({'Accept-Language': 'de;q=2, nl;q=0.5'}, 'NL', 'nl',
         'a bad weight (q=2) is skipped'),
        ({'Accept-Language': '*, fr;q=0.5'}, 'FR', 'fr',
         '* in a list: the other ranges count'),
        ({'SO-Language': 'fi, sv'}, 'FI', 'fi', 'a list in SO-Language'),
        ({'Accept-Language': 'nb-NO'}, 'NO', 'nb-NO', 'nb-NO is NO'),
        ({'Accept-Language': 'sv-SE'}, 'SW', 'sv-SE', 'sv-SE is SW'),
        ({'Accept-Language': 'en-GB'}, 'US', 'en-GB', 'en-GB is US'),
        ({'SO-Language': 'NB-no'}, 'NO', 'nb-NO', 'canonical case nb-NO'),
        ({'Accept-Language': 'en-us'}, 'US', 'en-US', 'canonical case en-US'),
        ({'Accept-Language': 'zh-hant-tw'}, 'CN', 'zh-Hant-TW',
         'script subtag: zh-Hant-TW'),
        ({'Accept-Language': 'SV'}, 'SW', 'sv', 'upper-case SV'),
        ({'Accept-Language': 'sv-aaaaaaaa-bbbbbbbb-cccccccc-dddddddd'}, 'SW',
         'sv', 'a tag over 35 characters is cut to its primary subtag'),
        ({'Accept-Language': 'en-US,en;q=0.9,nb;q=0.8'}, 'US', 'en-US',
         'a browser\'s Accept-Language'),
    ]
    for hdrs, p, tag, what in CHOICE:
        r, j = one(s, 1, hdrs)
        t.eq((j and j['Name'], j and j['Context'],
              r.header('content-language')), (EXPORT[p], READY[p], tag),
             '%s: %s, Content-Language %s' % (what, p, tag))
    r, _ = one(s, 1, {'SO-Language': 'sv'})
    vary = [v.strip() for v in (r.header('vary') or '').split(',')]
    t.ok('Accept-Language' in vary and 'SO-Language' in vary,
         'Vary names Accept-Language and SO-Language', vary)

    # ---- strings that are not multi-language values ---------------------
    for i, text in enumerate(NOT_ML):
        r, j = one(s, 10 + i, {'SO-Language': 'nb'})
        t.eq(j and j['Name'], text, 'not a multi-language value, kept as '
             'written: %r' % text)

    # ---- the list route, and XML ---------------------------------------
    r = s.get('/api/v1/BatchTask/Failed', dict(H, **{'SO-Language': 'de'}))
    byid = {x['Id']: x for x in r.json()}
    t.eq((byid[1]['Name'], byid[1]['Context'], byid[3]['Name']),
         (EXPORT['GE'], READY['GE'], 'Deutsch'),
         'the list route translates too')
    for lang in ('sv', 'ja', 'nb', 'de'):
        p = ISO[lang]
        hj = dict(H, **{'SO-Language': lang})
        j = s.get('/api/v1/BatchTask/Failed', hj)
        x = s.get('/api/v1/BatchTask/Failed', dict(hj, Accept='text/xml'))
        root = ET.fromstring(x.body)
        xs = {}
        for el in root:
            rec = {}
            for k in ['Id'] + STRINGS:
                e = el.find('{%s}%s' % (NS_SO, k))
                rec[k] = None if e.get(
                    '{http://www.w3.org/2001/XMLSchema-instance}nil') \
                    else (e.text or '')
            xs[int(rec['Id'])] = rec
        jx = {x_['Id']: {k: x_[k] for k in STRINGS} for x_ in j.json()}
        t.eq({k: {f: v[f] for f in STRINGS} for k, v in xs.items()}, jx,
             'XML in %s: every string field as in JSON' % lang)
        t.eq((xs[1]['Name'], xs[1]['Context'], xs[1]['Description'],
              xs[3]['Context']),
             (EXPORT[p], READY[p], desc_for(p), pick(ML_CASES, p,
                                                     'Context')),
             'XML in %s: the expected texts' % lang)
        t.eq(x.header('content-language'), lang,
             'XML in %s: Content-Language' % lang)
    # errors are not translated, but the language headers do not break them
    r = s.get('/api/v1/BatchTask/Foo', dict(H, **{'SO-Language': 'de'}))
    t.eq((r.status, r.json().get('Message')),
         (400, 'The request is invalid.'), 'a 400 under a language')

    # ---- SO-Culture ------------------------------------------------------
    base_r, base = one(s, 50, {'SO-Language': 'nb'})
    t.eq((base['Description'], base['Context'], base['Result'],
          base['Name']),
         (CULTURE_TEXT, KEEP_TEXT, 'Betalt 9.99 den 2020-02-29',
          'Leap 2024-02-29 and 1.0'),
         'a language without SO-Culture: no number or date is rewritten')

    def short_date(pat, y, m, d):
        f = {'yyyy': '%04d' % y, 'MM': '%02d' % m, 'dd': '%02d' % d,
             'M': '%d' % m, 'd': '%d' % d}
        return re.sub('yyyy|MM|dd|M|d', lambda x: f[x.group(0)], pat)

    # docs/languages.md's table: short date pattern, decimal separator
    TABLE = {'en': ('M/d/yyyy', '.'), 'en-US': ('M/d/yyyy', '.'),
             'en-GB': ('dd/MM/yyyy', '.'), 'en-IE': ('dd/MM/yyyy', '.'),
             'en-AU': ('d/MM/yyyy', '.'), 'en-NZ': ('d/MM/yyyy', '.'),
             'nb': ('dd.MM.yyyy', ','), 'nb-NO': ('dd.MM.yyyy', ','),
             'nn-NO': ('dd.MM.yyyy', ','), 'no': ('dd.MM.yyyy', ','),
             'de': ('dd.MM.yyyy', ','), 'de-DE': ('dd.MM.yyyy', ','),
             'de-AT': ('dd.MM.yyyy', ','), 'sv': ('yyyy-MM-dd', ','),
             'sv-SE': ('yyyy-MM-dd', ','), 'da-DK': ('dd-MM-yyyy', ','),
             'nl-NL': ('d-M-yyyy', ','), 'fr-FR': ('dd/MM/yyyy', ','),
             'fr-CA': ('yyyy-MM-dd', ','), 'es': ('dd/MM/yyyy', ','),
             'es-419': ('dd/MM/yyyy', ','), 'it-IT': ('dd/MM/yyyy', ','),
             'cs-CZ': ('dd.MM.yyyy', ','), 'fi-FI': ('d.M.yyyy', ','),
             'pl-PL': ('dd.MM.yyyy', ','), 'ru-RU': ('dd.MM.yyyy', ','),
             'ja-JP': ('yyyy/MM/dd', '.'), 'zh-CN': ('yyyy/M/d', '.'),
             'zh-Hant-TW': ('yyyy/M/d', '.'), 'EN-gb': ('dd/MM/yyyy', '.')}
    for culture, (pat, dec) in TABLE.items():
        r, j = one(s, 50, {'SO-Language': 'nb', 'SO-Culture': culture})
        want = ('Due %s, cost 12%s50; total 3%s25' %
                (short_date(pat, 2020, 1, 5), dec, dec),
                KEEP_TEXT,
                'Betalt 9%s99 den %s' % (dec, short_date(pat, 2020, 2, 29)),
                'Leap %s and 1%s0' % (short_date(pat, 2024, 2, 29), dec))
        got = (j['Description'], j['Context'], j['Result'], j['Name']) \
            if j else r.status
        t.eq(got, want, 'SO-Culture %s: %s dates, %r decimals; versions, '
             'addresses, grouped numbers, timestamps, bad dates kept' %
             (culture, pat, dec))
        if j:
            t.eq((j['LastStarted'], j['ProgressPercent'],
                  r.header('content-language')),
                 (base['LastStarted'], 42, 'nb'),
                 'SO-Culture %s: JSON dates and numbers untouched' % culture)
    r, j = one(s, 1, {'SO-Language': 'sv', 'SO-Culture': 'de-DE'})
    t.eq(j and j['Name'], EXPORT['SW'],
         'SO-Culture does not change the language')
    r = s.get('/api/v1/BatchTask/50', dict(H, **{
        'SO-Language': 'nb', 'SO-Culture': 'de-DE', 'Accept': 'text/xml'}))
    el = ET.fromstring(r.body).find('{%s}Description' % NS_SO)
    t.eq(el.text, 'Due 05.01.2020, cost 12,50; total 3,25',
         'SO-Culture applies in XML too')
    for bad in ('en_US', 'eng', 'en-USA', 'xx-XX', '*', 'tlh', 'de-DE-x',
                'e', 'en-U', '12', 'en-1234', 'de-Latn-DE-1996'):
        for hdrs in ({'SO-Language': 'nb'}, {'Accept-Language': 'de'}):
            r = s.get('/api/v1/BatchTask/50',
                      dict(H, **dict(hdrs, **{'SO-Culture': bad})))
            body = r.json() if r.status == 400 else {}
            t.ok(r.status == 400 and body.get('Message') ==
                 'The request is invalid.' and 'SO-Culture' in
                 body.get('MessageDetail', ''),
                 'bad SO-Culture %r with %s: 400 naming SO-Culture' %
                 (bad, list(hdrs)[0]), (r.status, r.text))
    r = s.get('/api/v1/BatchTask/50', dict(H, **{
        'SO-Language': 'nb', 'SO-Culture': 'en_US', 'Accept': 'text/xml'}))
    root = ET.fromstring(r.body)
    t.ok(r.status == 400 and root.tag == 'Error' and
         'SO-Culture' in (root.find('MessageDetail').text or ''),
         'bad SO-Culture in XML: <Error> with MessageDetail', r.text)
    for hdrs, what in (({}, 'no language'),
                       ({'SO-Language': '*'}, 'translation off'),
                       ({'SO-Language': 'x', 'Accept-Language': 'de'},
                        'SO-Language x'),
                       ({'Accept-Language': 'tlh'}, 'an unknown language')):
        for culture in ('de-DE', 'en_US'):
            r, j = one(s, 50, dict(hdrs, **{'SO-Culture': culture}))
            t.eq((r.status, j and j['Description'], j and j['Result']),
                 (200, CULTURE_TEXT, stored[50]['Result']),
                 'SO-Culture %s ignored with %s' % (culture, what))
os.unlink(path)

# ---- demo.json: every string field against the documented rules ----------
demo = load_fixture('demo.json')
RES = {(x['Id'], x['Language']): x['Text'] for x in demo['resources']}
ITEM = re.compile(r'\s*([A-Z]{2})\s*:\s*"((?:[^"\\]|""|\\.)*)"\s*', re.S)


def parse_multi(s):
    """docs/languages.md's grammar: [(prefix, text)] or None."""
    items = []
    i = 0
    while True:
        m = ITEM.match(s, i)
        if not m or m.group(1) not in PREFIXES:
            return None
        body = re.sub(r'""|\\"|\\\\', lambda x: x.group(0)[-1], m.group(2))
        items.append((m.group(1), body))
        i = m.end()
        if i == len(s):
            return items
        if s[i] != ';':
            return None
        i += 1
        if not s[i:].strip():
            return items


def resolve(s, p):
    if s is None:
        return None
    items = parse_multi(s)
    if items:
        d = {}
        for k, v in items:
            d.setdefault(k, v)
        s = d.get(p, d.get('US', items[0][1]))
    return re.sub(r'\[(SR_[A-Z0-9_]+)\]',
                  lambda m: RES.get((m.group(1), p),
                                    RES.get((m.group(1), 'US'), m.group(0))),
                  s)


t.ok(any(parse_multi(x.get('Name') or '') for x in demo['batchTasks']) and
     any('[SR_' in (x.get('Description') or '') for x in demo['batchTasks']),
     'demo.json has multi-language values and [SR_] references')
LOGINS = [('', TJE0), ('/Cust12345', basic('kmueller', 'Kennwort-21')),
          ('/Cust54321', basic('cdubois', 'MotDePasse-32'))]
with Server() as s:
    for prefix, auth in LOGINS:
        for lang in ('sv', 'nb', 'de', 'en', 'fr', 'nl', 'da', 'es', 'it',
                     'fi', 'cs', 'pl', 'ru', 'ja', 'zh'):
            p = ISO[lang]
            r = s.get(prefix + '/api/v1/BatchTask/All',
                      {'Authorization': auth, 'Accept-Language': lang})
            rows = r.json()
            demo_by_id = {x['Id']: x for x in demo['batchTasks']}
            bad = [(x['Id'], k, x[k], resolve(demo_by_id[x['Id']].get(k),
                                              p))
                   for x in rows for k in STRINGS
                   if x[k] != resolve(demo_by_id[x['Id']].get(k), p)]
            t.ok(r.status == 200 and rows and not bad,
                 'demo %s in %s: every string field of %d tasks' %
                 (prefix or 'onsite', lang, len(rows)), bad[:3])
        r = s.get(prefix + '/api/v1/BatchTask/All', {'Authorization': auth})
        bad = [x['Id'] for x in r.json() for k in STRINGS
               if x[k] != next(d for d in demo['batchTasks']
                               if d['Id'] == x['Id']).get(k)]
        t.ok(not bad, 'demo %s without a language: as stored' %
             (prefix or 'onsite'), bad[:5])
t.done()
