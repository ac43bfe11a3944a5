#!/usr/bin/env python3
"""Build step: gen-man.py SOMOCK VERSION DOCDIR FIXTURESDIR IN OUT.

Turns a man page source (man/*.in, roff) into the page: fills in
@VERSION@, @DOCDIR@ and @FIXTURESDIR@, and writes @SERVE_OPTIONS@,
@RECORD_OPTIONS@ and @ENVIRONMENT@ from the built binary's own
`serve --help` and `record --help`, which come from the options tables in
server/config.c and server/record/record.c. The page therefore lists
exactly the options and variables the binary has: a new option appears in
it at the next build, and one cannot be documented that does not exist.
"""
import re
import subprocess
import sys

HELP_COL = 27   # where --help's descriptions start (config.c HELP_COL)


def escape(s):
    """Text for roff: backslashes escaped, option names with real minus
    signs."""
    s = s.replace('\\', '\\e')
    return re.sub(r'(?<![^\s(])--?(?=[a-zA-Z])',
                  lambda m: m.group(0).replace('-', '\\-'), s)


def roff_text(s):
    """A line of running text; a leading . or ' made harmless."""
    return '\\&' + escape(s)


def roff_spec(spec):
    """'-v, --verbose', '--port N', '--mode onsite|online' in bold and
    italics: names and choices bold, placeholders italic."""
    out = []
    for word in spec.split(' '):
        if word.startswith('-'):
            comma = word.endswith(',')
            name = word.rstrip(',').replace('-', '\\-')
            out.append('\\fB%s\\fR%s' % (name, ',' if comma else ''))
        elif '|' in word:
            out.append('|'.join('\\fB%s\\fR' % c for c in word.split('|')))
        else:
            out.append('\\fI%s\\fR' % word)
    return ' '.join(out)


def help_text(somock, *args):
    # a clean environment: no SOMOCK_ variable, the C locale; a sanitizer
    # build's leak report at exit would fail the build for nothing
    p = subprocess.run([somock] + list(args), capture_output=True,
                       text=True, check=True,
                       env={'PATH': '/usr/bin:/bin', 'LC_ALL': 'C',
                            'ASAN_OPTIONS': 'detect_leaks=0'})
    return p.stdout


def option_blocks(text):
    """[(spec, help, env text)] from an options list as --help writes it:
    '  OPTION  HELP' then lines indented to the description column, the
    variable's line starting with SOMOCK_."""
    out = []
    for block in re.split(r'\n(?=  -)', text.strip('\n')):
        lines = block.splitlines()
        m = re.match(r'(\S.*?)(?:\s{2,}(.*))?$', lines[0].strip())
        spec, rest = m.group(1), m.group(2) or ''
        words, env = [rest] if rest else [], []
        for line in lines[1:]:
            line = line.strip()
            if line.startswith('SOMOCK_') or env:
                env.append(line)
            else:
                words.append(line)
        out.append((spec.strip(), ' '.join(words).strip(), ' '.join(env)))
    return out


def serve_options(somock):
    text = help_text(somock, 'serve', '--help')
    # the options run from after the line ending 'default:' to the first
    # blank line after them
    body = text.split('default:\n', 1)[1].split('\n\n', 1)[0]
    return option_blocks(body)


def record_options(somock):
    text = help_text(somock, 'record', '--help')
    body = text.split('\n\n', 1)[1].split('\n\n', 1)[0]
    return option_blocks(body)


def options_roff(blocks):
    out = []
    for spec, help_, env in blocks:
        out += ['.TP', roff_spec(spec), roff_text(help_ + '.')]
        if env:
            var, _, rest = env.partition(' ')
            if var.endswith(';'):
                var, rest = var[:-1], '; ' + rest
            elif rest:
                rest = ' ' + rest
            out += ['.br', '\\fB%s\\fR%s' % (var, escape(rest))]
    return out


def environment_roff(serve, record):
    out = []
    for command, blocks in (('serve', serve), ('record', record)):
        for spec, _, env in blocks:
            if not env:
                continue
            var = env.split(' ', 1)[0].rstrip(';')
            names = re.findall(r'--[\w-]+', spec)
            extra = re.findall(r'\((\':\'-separated|\d+-\d+)\)', env)
            note = ' (%s)' % extra[0] if extra else ''
            out += ['.TP', '.B %s' % var,
                    'Sets \\fB%s\\fR of \\fBsomock %s\\fR%s.' % (
                        escape(names[-1]), command, escape(note))]
    return out


def main():
    somock, version, docdir, fixturesdir, src, dst = sys.argv[1:]
    with open(src, encoding='utf-8') as f:
        page = f.read()
    page = page.replace('@VERSION@', version).replace(
        '@DOCDIR@', docdir).replace('@FIXTURESDIR@', fixturesdir)
    if '@SERVE_OPTIONS@' in page or '@ENVIRONMENT@' in page:
        serve, record = serve_options(somock), record_options(somock)
        if len(serve) < 10 or len(record) < 5:
            sys.exit('gen-man.py: cannot read the options from %s --help'
                     % somock)
        page = page.replace('@SERVE_OPTIONS@', '\n'.join(options_roff(
            serve))).replace('@RECORD_OPTIONS@', '\n'.join(options_roff(
                record))).replace('@ENVIRONMENT@', '\n'.join(
                    environment_roff(serve, record)))
    left = re.findall(r'@[A-Z_]+@', page)
    if left:
        sys.exit('gen-man.py: %s: unknown %s' % (src, ', '.join(left)))
    with open(dst, 'w', encoding='utf-8') as f:
        f.write(page)


if __name__ == '__main__':
    main()
