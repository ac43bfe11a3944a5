"""README.md's "Try it" block runs as written, top to bottom.

The block assumes `scripts/serve` is serving the demo data on port 8080 and
starts a second server on port 8081 itself. This test starts the first
server the way scripts/serve does (the demo data), on a free port, and
runs the block in one bash with 8080 and 8081 replaced by free ports and
build/server/somock by the binary under test. Every command must succeed:
each curl with a 2xx (--fail-with-body), and its answer must be the kind
the comment above it promises.
"""
import json
import os
import re
import shlex
import shutil
import socket
import subprocess
import tempfile

from somock import BIN, ROOT, Server, Tap

t = Tap()


def try_it_commands():
    """The commands of README's Try it block, continuation lines joined."""
    with open(os.path.join(ROOT, 'README.md'), encoding='utf-8') as f:
        text = f.read()
    section = text.split('\n## Try it\n', 1)[1]
    block = re.search(r'```sh\n(.*?)```', section, re.S).group(1)
    commands, current = [], ''
    for line in block.splitlines():
        if not current and (not line.strip() or line.startswith('#')):
            continue
        current += line.rstrip('\\').rstrip() + ' ' if line.endswith('\\') \
            else line
        if not line.endswith('\\'):
            commands.append(re.sub(r'\s+', ' ', current).strip())
            current = ''
    return commands


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


commands = try_it_commands()
t.ok(len(commands) >= 8 and any(c.endswith('&') for c in commands),
     'README\'s Try it block: %d commands, a second server among them'
     % len(commands), commands)
t.ok(not any('…' in c or '...' in c for c in commands),
     'no placeholder in the commands', commands)
t.ok(not [c for c in commands if c.endswith('&') and '--port 8081' not in
          c], 'the second server does not clash with scripts/serve\'s 8080')

if not t.ok(shutil.which('curl'), 'curl is installed (apt-get install curl)'):
    t.done()

out = tempfile.mkdtemp(prefix='somock-readme-')
first = Server()                       # what scripts/serve serves
second = free_port()
script = ['set -u', 'cd ' + shlex.quote(ROOT)]
for n, cmd in enumerate(commands):
    cmd = cmd.replace('127.0.0.1:8080', '127.0.0.1:%d' % first.port)
    cmd = cmd.replace('8081', str(second))
    cmd = re.sub(r'^build/server/somock ', shlex.quote(BIN) + ' ', cmd)
    cmd = re.sub(r'^curl -s ', 'curl -sS --fail-with-body --max-time 20 ',
                 cmd)
    if cmd.endswith('&'):
        script.append('%s >%s/bg.out 2>&1 &' % (cmd[:-1].rstrip(), out))
    else:
        script.append('%s >%s/%d.out 2>%s/%d.err; echo "== %d $?"' %
                      (cmd, out, n, out, n, n))
p = subprocess.run(['bash', '-c', '\n'.join(script)], capture_output=True,
                   text=True, timeout=120)
codes = dict((int(a), int(b)) for a, b in
             re.findall(r'^== (\d+) (\d+)$', p.stdout, re.M))


def output(n):
    with open(os.path.join(out, '%d.out' % n), encoding='utf-8') as f:
        return f.read()


def error(n):
    with open(os.path.join(out, '%d.err' % n), encoding='utf-8') as f:
        return f.read()


def json_value(text):
    try:
        return json.loads(text)
    except ValueError:
        return None


answers = {}
for n, cmd in enumerate(commands):
    if cmd.endswith('&'):
        continue
    t.eq(codes.get(n), 0, 'runs: %s' % cmd[:70])
    if codes.get(n):
        t.ok(False, 'its output', output(n)[:300] + error(n)[:300])
    if cmd.startswith('curl'):
        body = output(n)
        xml = 'application/xml' in cmd
        # one task by id is an object, every other answer a list
        want = dict if re.search(r'/BatchTask/\d+\b', cmd) else list
        t.ok(body.startswith('<') if xml else
             isinstance(json_value(body), want), '... answers %s' %
             ('XML' if xml else 'a JSON ' + ('list' if want is list else
                                              'object')), body[:300])
        answers[cmd] = body

# the comments' promises
sample = [json_value(b) for c, b in answers.items() if ':8081/' in c]
t.ok(sample and [x['Id'] for x in sample[0] or []] == [878],
     'the second server answers the endpoint page\'s sample (task 878)',
     sample[:1])
tenant = [b for c, b in answers.items() if 'SOTicket' in c]
t.ok(tenant and '"Id":108' in tenant[0] and
     '[SR_BATCH_EXPORT]' in tenant[0],
     'the ticket signs kmueller in: Cust12345\'s tasks, [SR_...] raw')
failed = [b for c, b in answers.items() if c.endswith('BatchTask/Failed')]
t.ok(failed and 'US:\\"Invitation to the spring seminar\\"' in failed[0],
     'without a language the first answer holds a multi-language text raw '
     '(the README says why)', failed[:1])
with socket.socket() as s:
    t.ok(s.connect_ex(('127.0.0.1', second)) != 0,
         'kill $! stopped the second server')
t.eq(first.stop(), 0, 'the first server stops cleanly')
shutil.rmtree(out, ignore_errors=True)
t.done()
