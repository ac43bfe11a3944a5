"""The repository as users get it: it must stand alone.

- No document, comment, message or test cites material users do not have
  (the project's internal notes, issue numbers, paths outside the
  repository).
- Every relative link in the Markdown documents names a file that exists,
  and every #anchor a heading of it.
- A command in a Markdown code block runs as written from a build tree
  (build/server/somock, not a bare somock).
- No merge leftovers (*.orig, *.rej) are committed.
- Every #include under server/ points down the layers
  (scripts/check-layers.py).
"""
import os
import re
import subprocess
import sys

from somock import ROOT, Tap

t = Tap()

CITATION = re.compile(r'\bSPEC\b(?!_)|\b[Ii]ssue [0-9]+|\breference §|'
                      r'\bSTYLE §|(?<![\w.])/work/|\.\./shared/')


def tracked():
    out = subprocess.run(['git', 'ls-files'], cwd=ROOT, capture_output=True,
                         text=True)
    if out.returncode:
        # not a git checkout (a source tarball): walk the tree
        files = []
        for d, dirs, names in os.walk(ROOT):
            dirs[:] = [x for x in dirs if not x.startswith(('.', 'build'))
                       and x != 'node_modules']
            files += [os.path.relpath(os.path.join(d, n), ROOT)
                      for n in names]
        return files
    return out.stdout.split()


files = tracked()
texts = [f for f in files if f.endswith(('.md', '.c', '.h', '.py', '.mjs',
                                         '.sh', '.build', '.txt', '.lua'))
         or f.startswith('scripts/') or f in ('bench/run', 'bench/profile')]
texts = [f for f in texts if not f.startswith('tests/contract/') and
         f != 'tests/integration/test_repository.py']
bad = []
for f in texts:
    with open(os.path.join(ROOT, f), encoding='utf-8', errors='replace') as fh:
        for n, line in enumerate(fh, 1):
            if CITATION.search(line) and 'bench/work' not in line:
                bad.append('%s:%d: %s' % (f, n, line.strip()[:100]))
t.ok(not bad, 'no file cites internal notes, issues or outside paths '
     '(%d files read)' % len(texts), '\n'.join(bad[:20]))


def anchors(path):
    """GitHub's anchors for the headings of a Markdown file."""
    out = set()
    with open(path, encoding='utf-8') as fh:
        for line in fh:
            m = re.match(r'#+\s+(.*)', line)
            if m:
                a = re.sub(r'[^\w\- ]', '', m.group(1).strip().lower())
                out.add(a.replace(' ', '-'))
    return out


broken = []
docs = [f for f in files if f.endswith('.md')]
for f in docs:
    with open(os.path.join(ROOT, f), encoding='utf-8') as fh:
        text = fh.read()
    text = re.sub(r'```.*?```', '', text, flags=re.S)
    for target in re.findall(r'\]\(([^)\s]+)\)', text):
        if re.match(r'[a-z]+:', target):
            continue
        path, _, anchor = target.partition('#')
        full = os.path.normpath(os.path.join(ROOT, os.path.dirname(f),
                                             path)) if path else \
            os.path.join(ROOT, f)
        if not os.path.exists(full):
            broken.append('%s: %s (no such file)' % (f, target))
        elif anchor and full.endswith('.md') and \
                anchor not in anchors(full):
            broken.append('%s: %s (no such heading)' % (f, target))
t.ok(not broken, 'every relative link in %d documents resolves' % len(docs),
     '\n'.join(broken))

# A command to copy runs as written from a build tree: a code block says
# build/server/somock, not a bare somock that only an install provides.
BARE = re.compile(r'(^|[\s;&|(`$])somock (serve|init-db|check|record|zones|'
                  r'help|--)\b')
bare = []
for f in docs:
    in_block = False
    with open(os.path.join(ROOT, f), encoding='utf-8') as fh:
        for n, line in enumerate(fh, 1):
            if line.lstrip().startswith('```'):
                in_block = not in_block
            elif in_block and not line.lstrip().startswith('#') and \
                    BARE.search(line.split(' # ')[0]):
                bare.append('%s:%d: %s' % (f, n, line.strip()[:100]))
t.ok(not bare, 'no code block in the documents runs a bare somock',
     '\n'.join(bare))

left = [f for f in files if f.endswith(('.orig', '.rej'))]
t.ok(not left, 'no merge leftovers committed', left)

r = subprocess.run([sys.executable, os.path.join(ROOT, 'scripts',
                                                 'check-layers.py'),
                    os.path.join(ROOT, 'server')], capture_output=True,
                   text=True)
t.ok(r.returncode == 0, 'every include under server/ points down the layers',
     r.stderr)

t.done()
