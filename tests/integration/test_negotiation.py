"""Content negotiation, the XML body and errors in XML (docs/negotiation.md).

Every XML body is read with a real XML parser (expat, through
xml.etree.ElementTree and xml.dom.minidom) and compared, element by
element, with the JSON answer to the same request and with the fixture
data it came from.
"""
import os
import re
import xml.dom.minidom
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta, timezone

from somock import Server, Tap, TJE0, basic, load_fixture, write_json
import masks

t = Tap()
demo = load_fixture('demo.json')
H = {'Authorization': TJE0}
KM = basic('kmueller', 'Kennwort-21')          # tenant Cust12345
NS_I = 'http://www.w3.org/2001/XMLSchema-instance'
NS_SO = 'http://www.superoffice.net/ws/crm/NetServer/Services88'
NIL = '{%s}nil' % NS_I

JSON_TYPES = ['application/json', 'text/json', 'application/json-patch+json',
              'application/merge-patch+json']
XML_TYPES = ['application/xml', 'text/xml']
FIELDS = ['Id', 'Name', 'AssociateId', 'DetailsTable', 'DetailsRecord',
          'IsSystemTask', 'IsInternalTask', 'ParameterObject', 'LastStarted',
          'Created', 'StartCount', 'DatabaseSerialNumber', 'Context',
          'Result', 'State', 'Description', 'Response', 'Request',
          'ProgressDescription', 'ProgressPercent', 'FileName',
          'CancellationBehaviour']
XML_ORDER = ['TableRight', 'FieldProperties'] + FIELDS
INTS = {'Id', 'AssociateId', 'DetailsTable', 'DetailsRecord', 'StartCount',
        'ProgressPercent'}
BOOLS = {'IsSystemTask', 'IsInternalTask'}
DATES = {'LastStarted', 'Created'}
STRINGS = {'Name', 'DatabaseSerialNumber', 'Context', 'Result', 'Description',
           'Response', 'Request', 'ProgressDescription', 'FileName'}
# the column defaults (a fixture entry's missing keys take them)
DEFAULTS = {'Name': None, 'AssociateId': 0, 'DetailsTable': 0,
            'DetailsRecord': 0, 'IsSystemTask': False,
            'IsInternalTask': False, 'ParameterObject': None,
            'StartCount': 0, 'DatabaseSerialNumber': None, 'Context': None,
            'Result': None, 'State': 'Unknown', 'Description': None,
            'Response': None, 'Request': None, 'ProgressDescription': None,
            'ProgressPercent': 0, 'FileName': None,
            'CancellationBehaviour': None, 'TableRight': None,
            'FieldProperties': {}}


def q(tag):
    return '{%s}%s' % (NS_SO, tag)


def local(tag):
    return tag.split('}', 1)[1] if tag.startswith('{') else tag


class Mismatch(Exception):
    pass


def check(cond, what):
    if not cond:
        raise Mismatch(what)


def is_nil(el):
    return el.get(NIL) == 'true'


def text_of(el):
    """The string content of a leaf; None for nil."""
    if is_nil(el):
        check(len(el) == 0 and not el.text, '%s: nil with content' %
              local(el.tag))
        return None
    check(len(el) == 0, '%s: unexpected children' % local(el.tag))
    return el.text or ''


def children(el, names, where):
    kids = list(el)
    got = [local(k.tag) for k in kids]
    check(got == names, '%s: children %r, want %r' % (where, got, names))
    for k in kids:
        check(k.tag == q(local(k.tag)), '%s: %s not in the Services88 '
              'namespace' % (where, k.tag))
    return kids


def xml_right(el, where):
    """TableRight / FieldRight -> the JSON shape, the mask as its number
    (read from the XSD's flags; an empty element is 0)."""
    if is_nil(el):
        return None
    mask, reason = children(el, ['Mask', 'Reason'], where)
    m = text_of(mask) or ''
    check(', ' not in m, '%s: Mask is an xs:list' % where)
    enum = 'ETableRight' if where == 'TableRight' else 'EFieldRight'
    v = masks.value(enum, m, xml=True)
    check(v is not None, '%s: Mask %r holds only XSD flags' % (where, m))
    return {'Mask': v, 'Reason': text_of(reason)}


def json_rights(tr, fp):
    """TableRight and FieldProperties with their masks as numbers."""
    if isinstance(tr, dict) and 'Mask' in tr:
        tr = dict(tr, Mask=masks.value('ETableRight', tr['Mask']))
    if isinstance(fp, dict):
        fp = {k: (dict(v, FieldRight=dict(
            v['FieldRight'], Mask=masks.value('EFieldRight',
                                              v['FieldRight'].get('Mask'))))
            if isinstance(v, dict) and isinstance(v.get('FieldRight'), dict)
            else v) for k, v in fp.items()}
    return tr, fp


def xml_task(el):
    """One <BatchTaskInfo> -> a dict shaped like the JSON object."""
    check(el.tag == q('BatchTaskInfo'), 'item element %s' % el.tag)
    kids = children(el, XML_ORDER, 'BatchTaskInfo')
    out = {}
    for k in kids:
        name = local(k.tag)
        if name == 'TableRight':
            out[name] = xml_right(k, 'TableRight')
        elif name == 'FieldProperties':
            if is_nil(k):
                out[name] = None
                continue
            props = {}
            for pair in k:
                check(pair.tag == q('FieldPropertyDictionaryKeyValuePair'),
                      'FieldProperties item %s' % pair.tag)
                key, value = children(pair, ['Key', 'Value'], 'FP item')
                if is_nil(value):
                    props[text_of(key)] = None
                    continue
                fr, ft, fl = children(value, ['FieldRight', 'FieldType',
                                              'FieldLength'], 'FP value')
                props[text_of(key)] = {
                    'FieldRight': xml_right(fr, 'FieldRight'),
                    'FieldType': text_of(ft),
                    'FieldLength': int(text_of(fl))}
            out[name] = props
        elif name == 'ParameterObject':
            if is_nil(k):
                out[name] = None
                continue
            pairs = []
            for pair in k:
                check(pair.tag == q('StringKeyValuePair'),
                      'ParameterObject item %s' % pair.tag)
                key, value = children(pair, ['Key', 'Value'], 'SKVP')
                pairs.append((text_of(key), text_of(value)))
            out[name] = pairs
        elif name in INTS:
            out[name] = int(text_of(k))
        elif name in BOOLS:
            v = text_of(k)
            check(v in ('true', 'false'), '%s: boolean %r' % (name, v))
            out[name] = v == 'true'
        else:
            out[name] = text_of(k)
    return out


def json_as_xml_shape(task):
    """A JSON task with ParameterObject as ordered pairs, for comparing."""
    d = dict(task)
    d['TableRight'], d['FieldProperties'] = json_rights(
        d.get('TableRight'), d.get('FieldProperties'))
    if isinstance(d.get('ParameterObject'), dict):
        d['ParameterObject'] = list(d['ParameterObject'].items())
    return d


def compare(xml_el, json_task):
    """'' when the XML item carries exactly the JSON object's values."""
    try:
        got = xml_task(xml_el)
    except (Mismatch, ValueError) as e:
        return str(e)
    want = json_as_xml_shape(json_task)
    diffs = ['%s: xml %r json %r' % (k, got.get(k), want.get(k))
             for k in XML_ORDER if got.get(k) != want.get(k)]
    return '\n'.join(diffs)


def parse_xml(body):
    """(ElementTree root, minidom document); both parsers are expat."""
    return ET.fromstring(body), xml.dom.minidom.parseString(body)


def check_root_ns(dom, name, default_ns=True):
    r = dom.documentElement
    ok = (r.tagName == name and r.getAttribute('xmlns:i') == NS_I and
          r.getAttribute('xmlns') == (NS_SO if default_ns else ''))
    return ok


TICK = re.compile(r'^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,7}))?'
                  r'(Z|[+-]\d\d:\d\d)?$')


def instant(s):
    """A fixture/API date -> (UTC datetime to the second, 100ns ticks)."""
    m = TICK.match(s)
    base = datetime.strptime(m.group(1), '%Y-%m-%dT%H:%M:%S')
    frac = int((m.group(2) or '0').ljust(7, '0'))
    off = m.group(3) or 'Z'
    if off != 'Z':
        sign = 1 if off[0] == '+' else -1
        base -= sign * timedelta(hours=int(off[1:3]), minutes=int(off[4:6]))
    return base.replace(tzinfo=timezone.utc), frac


def demo_task(tid):
    return next(x for x in demo['batchTasks'] if x['Id'] == tid)


def stored_diffs(api, stored):
    """Fields where an untranslated API object differs from the fixture."""
    out = []
    for k in FIELDS + ['TableRight', 'FieldProperties']:
        want = stored.get(k, DEFAULTS.get(k))
        got = api.get(k)
        if k in DATES:
            if instant(got) != instant(want):
                out.append('%s: %r is not %r' % (k, got, want))
        elif k == 'CancellationBehaviour' and want is None:
            continue                      # column default, whatever it is
        elif got != want:
            out.append('%s: %r, stored %r' % (k, got, want))
    return out


def get(s, path, accept=None, headers=None):
    h = dict(headers if headers is not None else H)
    if accept is not None:
        h['Accept'] = accept
    return s.get(path, h)


with Server() as s:
    # ---- each of the six media types ------------------------------------
    ref = get(s, '/api/v1/BatchTask/All')
    ref_json = ref.json()
    t.ok(ref.status == 200 and len(ref_json) > 5,
         'reference JSON answer (no Accept)')
    for mt in JSON_TYPES + XML_TYPES:
        r = get(s, '/api/v1/BatchTask/All', mt)
        t.eq((r.status, r.header('content-type')),
             (200, mt + '; charset=utf-8'), 'Accept: %s: 200, Content-Type '
             'echoes it' % mt)
        if mt in JSON_TYPES:
            t.eq(r.json(), ref_json, '%s: a JSON body, the same rows' % mt)
            continue
        try:
            root, dom = parse_xml(r.body)
        except Exception as e:                       # noqa: BLE001
            t.ok(False, '%s: well-formed XML' % mt, e)
            continue
        t.ok(root.tag == q('ArrayOfBatchTaskInfo') and
             check_root_ns(dom, 'ArrayOfBatchTaskInfo'),
             '%s: root ArrayOfBatchTaskInfo, Services88 default namespace '
             'and xmlns:i' % mt, r.text[:300])
        t.ok(r.body.startswith(b'<ArrayOfBatchTaskInfo ') and
             b'\n' not in r.body, '%s: no XML declaration, no indentation'
             % mt, r.text[:100])
        t.eq(len(root), len(ref_json), '%s: one BatchTaskInfo per task' % mt)
        diffs = [(j.get('Id'), compare(e, j))
                 for e, j in zip(root, ref_json)]
        bad = [(i, d) for i, d in diffs if d]
        t.ok(not bad, '%s: every task, every field equals the JSON answer'
             % mt, bad[:3])
    for m in ('HEAD',):
        r = s.request(m, '/api/v1/BatchTask/All', dict(H, Accept='text/xml'))
        t.eq((r.status, r.header('content-type'), r.body),
             (200, 'text/xml; charset=utf-8', b''), 'HEAD negotiates too')

    # ---- the Accept rules ----------------------------------------------
    CASES = [
        (None, 'application/json', 'no Accept header'),
        ('', 'application/json', 'an empty Accept header'),
        ('application/json; charset=utf-8', 'application/json',
         'the seed page\'s sample'),
        ('text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
         'application/xml', 'Firefox\'s Accept'),
        ('text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,'
         'image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;'
         'q=0.7', 'application/xml', 'Chrome\'s Accept'),
        ('*/*', 'application/json', '*/*: the first type'),
        ('text/*', 'text/json', 'text/*: text/json before text/xml'),
        ('application/*', 'application/json', 'application/*'),
        ('text/xml, application/xml', 'application/xml',
         'a tie goes to the earlier type'),
        ('application/xml;q=0.5, application/json;q=0.4', 'application/xml',
         'the heavier type wins'),
        ('application/json;q=0.1, text/xml;q=0.2, text/json;q=0.15',
         'text/xml', 'q-values ordering three types'),
        ('application/json;q=0.5, */*', 'text/json',
         'the most specific range gives the quality'),
        ('application/*;q=0.5, text/xml;q=0.6', 'text/xml',
         'type/* below a heavier specific range'),
        ('application/*;q=0, application/xml;q=0.3', 'application/xml',
         'a specific range beats type/*;q=0'),
        ('application/json;q=0, */*', 'text/json',
         'q=0 excludes application/json'),
        ('application/json;q=0, text/json;q=0, */*', 'application/xml',
         'q=0 excludes two types'),
        ('application/json;q=0.000, text/*;q=0, */*;q=0.5',
         'application/xml', 'q=0.000 and text/*;q=0 exclude'),
        ('*/*;q=0', 'application/json',
         'everything excluded: nothing acceptable, JSON'),
        ('application/xml;q=0', 'application/json',
         'only XML, excluded: JSON'),
        ('text/html', 'application/json', 'nothing acceptable: JSON'),
        ('image/png, text/plain;q=0.5', 'application/json',
         'no offered type: JSON'),
        ('application/json-patch+json', 'application/json-patch+json',
         'json-patch+json by name'),
        ('application/merge-patch+json;q=0.9, application/json;q=0.8',
         'application/merge-patch+json', 'merge-patch+json by weight'),
        ('APPLICATION/XML', 'application/xml', 'names are case-insensitive'),
        ('Text/Xml;Q=0.7, text/json;q=0.6', 'text/xml',
         'Q is case-insensitive'),
        ('application/xml;charset=utf-8;q=0.7, application/json;q=0.6',
         'application/xml', 'other parameters are ignored'),
        ('application/xml ; q = 0.7 ,, \t, application/json;q=0.6',
         'application/xml', 'spaces, tabs and empty elements'),
        ('application/xml;q=2, text/xml;q=0.1', 'text/xml',
         'q=2 is malformed: that range is skipped'),
        ('application/xml;q=0.1234, text/xml;q=0.1', 'text/xml',
         'four decimals are malformed'),
        ('application/xml;q=.5, text/xml;q=0.1', 'text/xml',
         'q=.5 is malformed'),
        ('appl*/xml, text/xml', 'text/xml', 'a * inside a name is skipped'),
        ('*/xml, text/xml;q=0.5', 'text/xml', '*/xml is skipped'),
        ('application/xml;q=0.5;q=0.9, text/xml;q=0.6', 'text/xml',
         'two q parameters: skipped'),
        ('application/xml;foo, text/xml;q=0.6', 'text/xml',
         'a parameter without = is skipped'),
        ('application/xml;q=1.000', 'application/xml', 'q=1.000 is valid'),
    ]
    for accept, want, what in CASES:
        r = get(s, '/api/v1/BatchTask/Failed', accept)
        ok = r.status == 200
        if ok and want in XML_TYPES:
            try:
                ET.fromstring(r.body)
            except ET.ParseError:
                ok = False
        elif ok:
            try:
                r.json()
            except ValueError:
                ok = False
        t.eq((r.header('content-type'), ok), (want + '; charset=utf-8',
                                             True),
             'Accept %r -> %s (%s)' % (accept, want, what))
    r = get(s, '/api/v1/BatchTask/Failed?$format=xml')
    t.eq((r.status, r.header('content-type')),
         (200, 'application/json; charset=utf-8'),
         '$format=xml on the REST route is ignored: Accept alone decides')
    r = get(s, '/api/v1/BatchTask/Failed',
            ','.join(['x/y;q=0.5'] * 4000 + ['text/xml;q=0.1']))
    t.eq((r.status, r.header('content-type')),
         (200, 'text/xml; charset=utf-8'), 'a 4 000-range Accept header')

    # ---- errors in the negotiated format --------------------------------
    def error_pairs(body):
        root, dom = parse_xml(body)
        kids = [(k.tag, k.text or '') for k in root]
        return root.tag, dom.documentElement, kids

    def json_pairs(obj):
        return [(k, ('true' if v is True else 'false') if isinstance(v, bool)
                 else v) for k, v in obj.items()]

    ERRORS = [
        ('400 bad state', '/api/v1/BatchTask/Foo', H, 400),
        ('401 no credentials', '/api/v1/BatchTask/All', {}, 401),
        ('401 wrong password', '/api/v1/BatchTask/All',
         {'Authorization': basic('tje0', 'nope')}, 401),
        ('404 by id', '/api/v1/BatchTask/7', H, 404),
        ('404 route', '/api/v1/Nothing/7', H, 404),
        ('400 bad SO-TimeZone', '/api/v1/BatchTask/All',
         dict(H, **{'SO-TimeZone': 'Mars/Base'}), 400),
    ]
    for what, path, hdrs, status in ERRORS:
        j = s.get(path, hdrs)
        t.eq((j.status, j.header('content-type')),
             (status, 'application/json; charset=utf-8'),
             '%s: JSON without Accept' % what)
        for mt in XML_TYPES:
            r = s.get(path, dict(hdrs, Accept=mt))
            try:
                tag, el, kids = error_pairs(r.body)
            except Exception as e:                   # noqa: BLE001
                t.ok(False, '%s as %s: well-formed XML' % (what, mt), e)
                continue
            t.ok(r.status == status and r.header('content-type') ==
                 mt + '; charset=utf-8' and tag == 'Error' and
                 el.getAttribute('xmlns:i') == NS_I and
                 not el.getAttribute('xmlns'),
                 '%s as %s: status, Content-Type, <Error> root without a '
                 'default namespace' % (what, mt), r.text)
            t.eq(kids, json_pairs(j.json()),
                 '%s as %s: the JSON error\'s members, in order, as '
                 'elements' % (what, mt))
        r = s.get(path, dict(hdrs, Accept='application/merge-patch+json'))
        t.eq((r.status, r.header('content-type'), r.json()),
             (status, 'application/merge-patch+json; charset=utf-8',
              j.json()), '%s as merge-patch+json: the JSON body' % what)
    r = s.get('/api/v1/BatchTask/7', dict(H, Accept='text/xml'))
    t.ok(b'<Error>true</Error>' in r.body and
         b'<ErrorMessage>BatchTask id 7 not found</ErrorMessage>' in r.body,
         'XML 404: <Error>true</Error> and the message', r.text)
    r = s.get('/api/v1/BatchTask/All', {'Accept': 'application/xml'})
    t.eq(r.header('www-authenticate'), 'Basic realm="SuperOffice"',
         'XML 401 still carries WWW-Authenticate')

    # ---- XML vs JSON vs the fixture, several states, tenants, by id ------
    for state in ('Failed', 'Succeeded', 'New', 'SucceededManualCleanup',
                  'Aquired', 'Started', 'Unknown'):
        for who, prefix, auth in (('tje0', '', H),
                                  ('kmueller', '/Cust12345', {
                                      'Authorization': KM})):
            path = prefix + '/api/v1/BatchTask/' + state
            j = s.get(path, auth).json()
            r = s.get(path, dict(auth, Accept='application/xml'))
            root = ET.fromstring(r.body)
            bad = [(x.get('Id'), compare(e, x)) for e, x in zip(root, j)]
            bad = [b for b in bad if b[1]]
            t.ok(r.status == 200 and len(root) == len(j) > 0 and not bad,
                 'XML %s for %s: %d tasks equal the JSON answer' %
                 (state, who, len(j)), bad[:3])
            sd = [(x['Id'], stored_diffs(x, demo_task(x['Id']))) for x in j]
            sd = [d for d in sd if d[1]]
            t.ok(not sd, 'JSON %s for %s: every field as stored in '
                 'demo.json' % (state, who), sd[:3])
    # zone and explicit dates: XML dates equal JSON dates in any zone
    for zone in ('NO', 'US-NY'):
        hz = dict(H, **{'SO-TimeZone': zone})
        j = s.get('/api/v1/BatchTask/All', hz).json()
        root = ET.fromstring(s.get('/api/v1/BatchTask/All',
                                   dict(hz, Accept='text/xml')).body)
        bad = [d for d in (compare(e, x) for e, x in zip(root, j)) if d]
        t.ok(len(root) == len(j) and not bad,
             'SO-TimeZone %s: XML dates are the JSON dates' % zone, bad[:3])
    # tasks with TableRight, FieldProperties, ParameterObject, nulls
    special = [110, 187, 219, 150, 104]
    for tid in special:
        stored = demo_task(tid)
        auth = H
        tenant = ''
        for a in demo['associates']:
            if a['AssociateId'] == stored.get('AssociateId'):
                tenant = a.get('Tenant') or ''
        if tenant == 'Cust12345':
            auth, tenant = {'Authorization': KM}, '/Cust12345'
        elif tenant:
            continue
        path = tenant + '/api/v1/BatchTask/%d' % tid
        j = s.get(path, auth)
        r = s.get(path, dict(auth, Accept='application/xml'))
        try:
            root, dom = parse_xml(r.body)
            ok = (root.tag == q('BatchTaskInfo') and
                  check_root_ns(dom, 'BatchTaskInfo'))
        except Exception as e:                       # noqa: BLE001
            root, ok = None, False
        t.ok(r.status == 200 and ok, 'by id %d as XML: a BatchTaskInfo root '
             'with both namespaces' % tid, r.text[:300])
        if root is None:
            continue
        t.eq(compare(root, j.json()), '', 'by id %d: XML equals JSON' % tid)
        got = xml_task(root)
        want_po = stored.get('ParameterObject')
        t.eq(got['ParameterObject'],
             list(want_po.items()) if want_po is not None else None,
             'by id %d: ParameterObject as StringKeyValuePair items, in '
             'stored order' % tid)
        t.eq((got['TableRight'], got['FieldProperties']),
             json_rights(stored.get('TableRight'),
                         stored.get('FieldProperties', {})),
             'by id %d: TableRight and FieldProperties as stored' % tid)
    r = s.get('/api/v1/BatchTask/110', dict(H, Accept='text/xml'))
    t.ok(b'<Mask>Select Update Insert Delete</Mask>' in r.body and
         b'<FieldRight i:nil="true"/>' in r.body and
         b'<Result i:nil="true"/>' in r.body and
         b'<Description></Description>' in r.body,
         'nil is i:nil="true", an empty string <X></X>', r.text)
    r2 = s.get('/Cust12345/api/v1/BatchTask/219', {'Authorization': KM,
                                                   'Accept': 'text/xml'})
    t.ok(b'<ParameterObject i:nil="true"/>' in r2.body and
         b'<Mask>Read Write UIHintMandatory</Mask>' in r2.body,
         'a null ParameterObject is nil; a flags mask is space-separated',
         r2.text)

    # Agents routes negotiate too
    r = s.post('/api/v1/Agents/Batch/GetBatchTaskInfo', {'id': 7},
               dict(H, Accept='application/xml'))
    try:
        root, dom = parse_xml(r.body)
        ok = (root.tag == q('BatchTaskInfo') and root.get(NIL) == 'true' and
              check_root_ns(dom, 'BatchTaskInfo') and len(root) == 0)
    except Exception:                                # noqa: BLE001
        ok = False
    t.ok(r.status == 200 and ok, 'Agents null as XML: <BatchTaskInfo '
         'i:nil="true"> in Services88', r.text)
    r = s.post('/api/v1/Agents/Batch/GetBatchTaskInfosByState',
               {'state': 'Failed'}, dict(H, Accept='text/xml'))
    j = s.get('/api/v1/BatchTask/Failed', H).json()
    root = ET.fromstring(r.body)
    t.ok(r.header('content-type') == 'text/xml; charset=utf-8' and
         len(root) == len(j) and
         not [d for d in (compare(e, x) for e, x in zip(root, j)) if d],
         'Agents by state as XML equals the REST JSON')

# ---- an empty list in XML; hostile strings in both formats ---------------
TJE = {'AssociateId': 53, 'Name': 'tje0', 'Password': 'Tje0'}
HOSTILE = {
    'lt_amp': 'a < b && c > d',
    'cdata_end': 'x ]]> y <![CDATA[ z ]]>',
    'quotes': 'He said "hi" and \'bye\' &quot; &amp; &#x41;',
    'controls': 'c\x01d\x1fe\x08f\x0bg\x0ch\x7fi',
    'whitespace': 'tab\there\nline\r\ncrlf\rcr end',
    'emoji': 'Emoji \U0001F600 \U0001F3F3\uFE0F\u200D\U0001F308 \u00e6\u00f8'
             '\u00e5 \u4e2d\u6587 \u2028\u2029',
    'noncharacters': 'nc\ufffe-\uffff-\ufffd',
    'markup': '<Name i:nil="true"/></BatchTaskInfo><x>',
    'multi_looking': 'US:"<b>";NO:"&amp;"',
}


def xml_expected(s):
    """docs/negotiation.md §Characters: forbidden characters -> U+FFFD."""
    return re.sub('[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]', '\ufffd', s)


tasks = []
for i, (key, val) in enumerate(HOSTILE.items()):
    tasks.append({'Id': 1000 + i, 'Name': val, 'AssociateId': 53,
                  'State': 'Failed', 'Description': val + '|desc',
                  'Context': '[' + val + ']', 'Result': val,
                  'Response': val, 'Request': val,
                  'ProgressDescription': val, 'FileName': val,
                  'DatabaseSerialNumber': val,
                  'ParameterObject': {key: val, val: key, 'k' + val: ''},
                  'TableRight': {'Mask': 'FULL', 'Reason': val},
                  'FieldProperties': {val: {
                      'FieldRight': {'Mask': 'Read', 'Reason': val},
                      'FieldType': 'System.String', 'FieldLength': 7}}})
path = write_json({'associates': [TJE], 'batchTasks': tasks})
HOSTILE_KEYS = list(HOSTILE)
with Server('--fixtures', path) as s:
    j = s.get('/api/v1/BatchTask/All', H)
    got = j.json() if j.status == 200 else []
    t.eq([x['Id'] for x in got], [x['Id'] for x in tasks],
         'hostile fixture: every task listed')
    for stored, api in zip(tasks, got):
        key = HOSTILE_KEYS[stored['Id'] - 1000]
        want = {k: stored[k] for k in STRINGS}
        want['ParameterObject'] = stored['ParameterObject']
        want['TableRight'] = stored['TableRight']
        want['FieldProperties'] = stored['FieldProperties']
        have = {k: api.get(k) for k in want}
        t.eq(have, want, 'JSON returns %s strings exactly' % key)
        t.eq(list(api['ParameterObject']), list(stored['ParameterObject']),
             'JSON keeps the ParameterObject order (%s)' % key)
    for mt in XML_TYPES:
        r = s.get('/api/v1/BatchTask/All', dict(H, Accept=mt))
        try:
            root, dom = parse_xml(r.body)
        except Exception as e:                       # noqa: BLE001
            t.ok(False, 'hostile strings as %s: well-formed XML' % mt, e)
            continue
        t.ok(True, 'hostile strings as %s: well-formed XML (expat)' % mt)
        t.ok(b'\r' not in r.body and b'&#xD;' in r.body,
             '%s: CR written as &#xD;' % mt)
        for stored, el in zip(tasks, root):
            key = HOSTILE_KEYS[stored['Id'] - 1000]
            try:
                x = xml_task(el)
            except Mismatch as e:
                t.ok(False, '%s: %s item structure' % (mt, key), e)
                continue
            want = {k: xml_expected(stored[k]) for k in STRINGS}
            want['ParameterObject'] = [
                (xml_expected(k), xml_expected(v))
                for k, v in stored['ParameterObject'].items()]
            tr = stored['TableRight']
            want['TableRight'] = {
                'Mask': masks.value('ETableRight', tr['Mask']),
                'Reason': xml_expected(tr['Reason'])}
            want['FieldProperties'] = {
                xml_expected(k): {'FieldRight': {
                    'Mask': masks.value('EFieldRight',
                                        v['FieldRight']['Mask']),
                    'Reason': xml_expected(v['FieldRight']['Reason'])},
                    'FieldType': v['FieldType'],
                    'FieldLength': v['FieldLength']}
                for k, v in stored['FieldProperties'].items()}
            have = {k: x.get(k) for k in want}
            t.eq(have, want, '%s: %s strings read back (forbidden controls '
                 'as U+FFFD)' % (mt, key))
    # the minidom reading agrees for one field with everything in it
    r = s.get('/api/v1/BatchTask/1003', dict(H, Accept='application/xml'))
    dom = xml.dom.minidom.parseString(r.body)
    name = dom.getElementsByTagName('Name')[0]
    t.eq(''.join(n.data for n in name.childNodes),
         xml_expected(HOSTILE['controls']),
         'minidom: \\x01 \\x1f \\x08 \\x0b \\x0c come back as U+FFFD, '
         'DEL stays')
    r = s.get('/api/v1/BatchTask/1004', dict(H, Accept='application/xml'))
    dom = xml.dom.minidom.parseString(r.body)
    name = dom.getElementsByTagName('Name')[0]
    t.eq(''.join(n.data for n in name.childNodes), HOSTILE['whitespace'],
         'minidom: tab, LF, CR LF and CR survive exactly')
    r = s.get('/api/v1/BatchTask/2147483647', dict(H, Accept='text/xml'))
    t.eq((r.status, ET.fromstring(r.body).find('ErrorMessage').text),
         (404, 'BatchTask id 2147483647 not found'), 'XML 404 for int32 max')
os.unlink(path)

# an empty answer in XML is an empty root element
path = write_json({'associates': [TJE]})
with Server('--fixtures', path) as s:
    r = s.get('/api/v1/BatchTask/All', dict(H, Accept='application/xml'))
    root, dom = parse_xml(r.body)
    t.ok(r.status == 200 and root.tag == q('ArrayOfBatchTaskInfo') and
         len(root) == 0 and check_root_ns(dom, 'ArrayOfBatchTaskInfo'),
         'no tasks as XML: an empty ArrayOfBatchTaskInfo', r.text)
os.unlink(path)

t.done()
