"""SuperOffice's own contract as a check on every answer a test fetches.

check(method, path, status, content_type, body) validates one answer:

- XML whose root is a Services88 carrier (ArrayOfBatchTaskInfo,
  BatchTaskInfo) against the vendor XSD (tests/contract/), with libxml2
  through lxml; a primitive answer (int, boolean in the serialization
  namespace) against the serialization schema;
- JSON answered 200 on a route the vendor OpenAPI lists, against that
  operation's response schema, with JSON Schema (Draft 4, as OpenAPI 3.0
  uses). null is allowed exactly where the XSD says nillable; a carrier
  must have every property the OpenAPI lists and no other.

Other answers (errors, the control API, the demo page) are not the
contract's business and are not counted. Counts and failures accumulate in
COUNTS and FAILURES; somock.Tap.done() reports them, so every test script
that uses the harness shows how many documents it validated and fails on
any that did not validate.

Needs Debian's python3-lxml and python3-jsonschema; run by /usr/bin/python3.
"""
import copy
import gzip
import json
import os
import re

import jsonschema
from lxml import etree

HERE = os.path.dirname(os.path.abspath(__file__))
CONTRACT = os.path.join(HERE, '..', 'contract')
NS88 = 'http://www.superoffice.net/ws/crm/NetServer/Services88'
NS_SER = 'http://schemas.microsoft.com/2003/10/Serialization/'
XSD_NS = 'http://www.w3.org/2001/XMLSchema'

COUNTS = {'xml': 0, 'json': 0}
FAILURES = []

_xsd = {}
_ops = None
_nillable = None


def _schema(name):
    if name not in _xsd:
        _xsd[name] = etree.XMLSchema(etree.parse(
            os.path.join(CONTRACT, name)))
    return _xsd[name]


def nillable_members():
    """{complexType name: {member names the XSD says are nillable}}."""
    global _nillable
    if _nillable is None:
        doc = etree.parse(os.path.join(CONTRACT,
                                       'Services88-Batch.types.xsd'))
        q = '{%s}' % XSD_NS
        types = {}
        bases = {}
        for ct in doc.iter(q + 'complexType'):
            name = ct.get('name')
            if not name:
                continue
            types[name] = {e.get('name') for e in ct.iter(q + 'element')
                           if e.get('nillable') == 'true'}
            ext = ct.find('.//' + q + 'extension')
            if ext is not None:
                bases[name] = ext.get('base').split(':')[-1]
        for name, base in bases.items():
            types[name] |= types.get(base, set())
        _nillable = types
    return _nillable


def _strict(schema, components, seen=()):
    """The OpenAPI schema made stand-alone, strict and null-aware."""
    if '$ref' in schema:
        name = schema['$ref'].split('/')[-1]
        return _strict(components[name], components, seen + (name,))
    s = copy.deepcopy(schema)
    s.pop('format', None)
    s.pop('description', None)
    if s.get('type') == 'array':
        s['items'] = _strict(s['items'], components, seen)
    if s.get('type') == 'object' and 'properties' in s:
        xsd_name = seen[-1].split('.')[-1] if seen else ''
        nullable = nillable_members().get(xsd_name, set())
        props = {}
        for k, v in s['properties'].items():
            p = _strict(v, components, seen)
            if k in nullable:
                p = {'anyOf': [p, {'type': 'null'}]}
            props[k] = p
        s['properties'] = props
        s['required'] = sorted(props)
        s['additionalProperties'] = False
    elif s.get('type') == 'object' and 'additionalProperties' in s:
        s['additionalProperties'] = _strict(s['additionalProperties'],
                                            components, seen)
    return s


def _operations():
    """[(method, path regex, response schema)] of both OpenAPI files."""
    global _ops
    if _ops is None:
        _ops = []
        for f in ('openapi-v3-BatchTask.json', 'openapi-v3-BatchAgent.json'):
            with open(os.path.join(CONTRACT, f), encoding='utf-8') as fh:
                doc = json.load(fh)
            comps = doc['components']['schemas']
            for path, ops in doc['paths'].items():
                pattern = re.sub(r'\\\{id\\\}', r'[0-9]+', re.escape(path))
                pattern = re.sub(r'\\\{[^}]*\\\}', r'[^/]+', pattern)
                for method, op in ops.items():
                    if not isinstance(op, dict):
                        continue
                    content = op.get('responses', {}).get('200', {}).get(
                        'content', {})
                    if 'application/json' not in content:
                        continue
                    raw = content['application/json']['schema']
                    schema = _strict(raw, comps)
                    if '$ref' in raw:
                        # a single carrier may be null (Agents: not found)
                        schema = {'anyOf': [schema, {'type': 'null'}]}
                    _ops.append((method.upper(), re.compile(
                        '(?i)^(?:/[^/]+)?' + pattern + '/?$'), schema,
                        len(path)))
        # the most specific first: {id} before {state}
        _ops.sort(key=lambda o: ('[0-9]+' not in o[1].pattern, -o[3]))
    return _ops


def response_schema(method, path):
    method = 'GET' if method == 'HEAD' else method
    for m, rx, schema, _ in _operations():
        if m == method and rx.match(path):
            return schema
    return None


def _fail(what, path, why, body):
    FAILURES.append('%s %s: %s\n    %s' % (what, path, why,
                                           body[:300].decode('utf-8',
                                                             'replace')))


def check(method, path, status, content_type, body, encoding=None):
    """Validate one answer if the contract covers it (gzip undone)."""
    path = path.split('?', 1)[0]
    if (encoding or '').lower() == 'gzip' and body:
        try:
            body = gzip.decompress(body)
        except (OSError, EOFError) as e:
            _fail('gzip', path, str(e), body)
            return
    ctype = (content_type or '').split(';')[0].strip().lower()
    if not body or method == 'HEAD':
        return
    if ctype in ('application/xml', 'text/xml'):
        try:
            root = etree.fromstring(body)
        except etree.XMLSyntaxError as e:
            if status == 200:
                _fail('XML', path, 'not well-formed: %s' % e, body)
            return
        qname = etree.QName(root)
        if qname.namespace == NS88 and qname.localname in (
                'ArrayOfBatchTaskInfo', 'BatchTaskInfo'):
            schema = _schema('Services88-Batch.types.xsd')
        elif qname.namespace == NS_SER:
            schema = _schema('Services88-Batch.serialization.xsd')
        else:
            return
        COUNTS['xml'] += 1
        if not schema.validate(root):
            _fail('XML', path, str(schema.error_log.last_error), body)
        return
    if status != 200 or ctype not in (
            'application/json', 'text/json', 'application/json-patch+json',
            'application/merge-patch+json'):
        return
    schema = response_schema(method, path)
    if schema is None:
        return
    COUNTS['json'] += 1
    try:
        doc = json.loads(body)
        jsonschema.Draft4Validator(schema).validate(doc)
    except (ValueError, jsonschema.ValidationError) as e:
        msg = e.message if hasattr(e, 'message') else str(e)
        where = '/'.join(str(p) for p in getattr(e, 'absolute_path', []))
        _fail('JSON', path, '%s at %s' % (msg, where or '(root)'), body)


def summary():
    """One line for the TAP output."""
    return ('vendor contract: %d XML and %d JSON answers validated, %d '
            'failed' % (COUNTS['xml'], COUNTS['json'], len(FAILURES)))
