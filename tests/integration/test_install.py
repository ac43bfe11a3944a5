"""meson install, into a temporary DESTDIR, installs what a user needs.

The binary; somock(1) and somock(5), which man renders without a
warning; the documents under share/doc/somock and the fixtures under
share/somock/fixtures. somock(1) lists every option and variable the
binary's own --help does (it is generated from it at build time) and
somock(5) names every key a task is served with.
"""
import filecmp
import os
import re
import shutil
import subprocess
import tempfile

from somock import BIN, ROOT, Server, Tap, TJE0

t = Tap()
BUILD = os.environ.get('SOMOCK_BUILD_ROOT', os.path.dirname(
    os.path.dirname(os.path.abspath(BIN))))
dest = tempfile.mkdtemp(prefix='somock-install-')


def finish():
    shutil.rmtree(dest, ignore_errors=True)
    t.done()


meson = shutil.which('meson')
if not t.ok(meson, 'meson is on the PATH'):
    finish()
p = subprocess.run([meson, 'install', '-C', BUILD, '--destdir', dest,
                    '--no-rebuild', '--quiet'], capture_output=True,
                   text=True, timeout=300)
if not t.ok(p.returncode == 0, 'meson install --destdir', p.stdout +
            p.stderr):
    finish()

# the prefix inside DESTDIR: where bin/somock landed
prefix = None
for d, _, names in os.walk(dest):
    if os.path.basename(d) == 'bin' and 'somock' in names:
        prefix = os.path.dirname(d)
if not t.ok(prefix, 'bin/somock is installed'):
    finish()
somock = os.path.join(prefix, 'bin', 'somock')
v = subprocess.run([somock, '--version'], capture_output=True, text=True)
t.eq((v.returncode, v.stdout),
     (0, subprocess.run([BIN, '--version'], capture_output=True,
                        text=True).stdout), 'the installed binary runs')

share = os.path.join(prefix, 'share')
doc = os.path.join(share, 'doc', 'somock')
fixtures = os.path.join(share, 'somock', 'fixtures')
for name in ('README.md', 'CHANGELOG.md', 'LICENSE'):
    t.ok(filecmp.cmp(os.path.join(doc, name), os.path.join(ROOT, name),
                     shallow=False), 'share/doc/somock/%s' % name)
with open(os.path.join(doc, 'LICENSE'), encoding='utf-8') as f:
    text = f.read()
t.ok('Apache License' in text and 'Version 2.0, January 2004' in text and
     'END OF TERMS AND CONDITIONS' in text, 'LICENSE: the Apache License '
     '2.0, whole')


def tree(top):
    out = set()
    for d, _, names in os.walk(top):
        out |= {os.path.relpath(os.path.join(d, n), top) for n in names}
    return out


t.eq(tree(os.path.join(doc, 'docs')), tree(os.path.join(ROOT, 'docs')),
     'share/doc/somock/docs holds every document')
for name in ('demo.json', 'doc-sample.json', 'README.md'):
    t.ok(filecmp.cmp(os.path.join(fixtures, name),
                     os.path.join(ROOT, 'fixtures', name), shallow=False),
         'share/somock/fixtures/%s' % name)
t.ok(os.path.isfile(os.path.join(doc, 'fixtures', 'demo.json')),
     'share/doc/somock/fixtures reaches the fixtures, so README\'s links '
     'resolve')
with open(os.path.join(doc, 'README.md'), encoding='utf-8') as f:
    links = re.findall(r'\]\(((?:docs|fixtures)/[^)#\s]+)', f.read())
t.eq([x for x in links if not os.path.exists(os.path.join(doc, x))], [],
     'every docs/ and fixtures/ link of the installed README resolves')

# --- the man pages ---------------------------------------------------------
man = shutil.which('man')
pages = {}
if t.ok(man, 'man is installed (apt-get install man-db)'):
    for section in ('1', '5'):
        page = os.path.join(share, 'man', 'man' + section,
                            'somock.' + section)
        # groff's 'w' is every warning; its 'all' leaves out undefined
        # macros, strings and registers
        r = subprocess.run([man, '-l', '--warnings=w', '-P', 'cat', page],
                           capture_output=True, text=True, timeout=60,
                           env=dict(os.environ, MANWIDTH='80',
                                    LC_ALL='C.UTF-8'))
        t.ok(r.returncode == 0 and not r.stderr and
             len(r.stdout.splitlines()) > 100,
             'man -l --warnings=w somock.%s: renders, no groff warning'
             % section, r.stderr[:2000])
        # whatever the device makes of hyphens and minus signs
        pages[section] = re.sub('[\u2010\u2011\u2212]', '-', r.stdout)

one = pages.get('1', '')
serve_help = subprocess.run([BIN, 'serve', '--help'], capture_output=True,
                            text=True).stdout
record_help = subprocess.run([BIN, 'record', '--help'],
                             capture_output=True, text=True).stdout
specs = re.findall(r'^  (-\S.*?)(?:\s{2,}|$)', serve_help + record_help,
                   re.M)
t.ok(len(specs) > 40, 'the binary\'s --help lists its options (%d)'
     % len(specs))
t.eq([s for s in specs if s not in one], [],
     'somock(1) lists every option --help does, with its placeholder')
variables = sorted(set(re.findall(r'\bSOMOCK_[A-Z_]+', serve_help +
                                  record_help)))
section_env = one.split('\nENVIRONMENT\n', 1)[-1].split('\nSIGNALS\n')[0]
t.eq([x for x in variables if not re.search(r'^\s+%s$' % x, section_env,
                                            re.M)], [],
     'somock(1) ENVIRONMENT names every SOMOCK_ variable (%d)'
     % len(variables))
t.ok(all(h in one for h in ('\nCOMMANDS\n', '\nEXIT STATUS\n',
                            '\nFILES\n', '\nEXAMPLES\n')) and
     all('   %s\n' % c in one for c in ('serve', 'init-db', 'check',
                                        'record')),
     'somock(1): the commands, exit status, files and examples')
installed_doc = '/' + os.path.relpath(doc, dest)
t.ok(installed_doc in one and installed_doc in pages.get('5', ''),
     'both pages name the installed documents (%s)' % installed_doc)

five = pages.get('5', '')
with Server() as s:
    task = s.get('/api/v1/BatchTask/105', {'Authorization': TJE0}).json()
t.eq([k for k in task if not re.search(r'\b%s\b' % k, five)], [],
     'somock(5) names every key a task is served with (%d)' % len(task))
t.eq([k for k in ('associates', 'tickets', 'tokens', 'sessions', 'apps',
                  'resources', 'batchTasks', 'recorded')
      if not re.search(r'^\s+%s(\s|$)' % k, five, re.M)], [],
     'somock(5) describes every top-level key')
finish()
