"""The seed page's sample request must return the page's sample response.

The expected JSON is cut out of the endpoint page itself
(tests/data/seed-page.txt, a copy of the user's document), not retyped.
"""
import json
import os

from somock import Server, Tap, ROOT, FIXTURES, TJE0

t = Tap()
page = open(os.path.join(ROOT, 'tests', 'data', 'seed-page.txt'),
            encoding='utf-8').read()
sample = page.split('Sample response', 1)[1]
start = sample.index('[')
end = sample.index('\n]', start) + 2
expected_text = sample[start:end]
expected = json.loads(expected_text, object_pairs_hook=list)
t.ok(isinstance(expected, list) and len(expected) == 1,
     'the page holds one sample task')

# sample request headers, exactly as the page gives them
headers = {
    'Authorization': 'Basic dGplMDpUamUw',
    'Accept': 'application/json; charset=utf-8',
    'Accept-Language': 'sv',
}
t.eq(headers['Authorization'], TJE0, 'the page credentials are tje0/Tje0')

with Server('--fixtures', os.path.join(FIXTURES, 'doc-sample.json'),
            '--timezone', 'NO') as s:
    r = s.get('/api/v1/BatchTask/All', headers)
    t.eq(r.status, 200, 'sample request: 200 OK')
    t.eq(r.header('content-type'), 'application/json; charset=utf-8',
         'sample response Content-Type')
    got = json.loads(r.text, object_pairs_hook=list)
    t.eq(got, expected, 'same keys in the same order, same values')
    # compact JSON, as the real service sends
    compact = json.dumps(json.loads(expected_text), separators=(',', ':'),
                         ensure_ascii=False)
    t.eq(r.text, compact, 'byte-for-byte the compact form of the sample')
    body = r.json()[0]
    t.eq(body['LastStarted'], '2020-01-22T17:54:08.6793184+01:00',
         'LastStarted in Europe/Oslo winter time')
    t.eq(body['Created'], '2016-10-29T17:54:08.6793184+02:00',
         'Created in Europe/Oslo summer time')
    for h, v in (('cache-control', 'no-cache'), ('pragma', 'no-cache'),
                 ('expires', '-1')):
        t.eq(r.header(h), v, 'header %s' % h)
    t.eq(r.header('so-timezone'), 'NO', 'SO-TimeZone names the zone used')
    # the same through the by-id sibling route
    r = s.get('/api/v1/BatchTask/878', headers)
    t.eq(json.loads(r.text, object_pairs_hook=list), expected[0],
         'GET /api/v1/BatchTask/878 returns the same carrier')
t.done()
