#!/usr/bin/env python3
"""Check that every #include "..." under server/ points down the layers.

usage: check-layers.py SERVER_DIR

The layers and what each may use are LAYERS below; docs/architecture.md
shows the same table. A file in server/ itself (main.c, config.c) is the
top and may use everything. Exits 1 naming each include that points
against the direction (or at a header no layer has), 0 when all are fine.
The build enforces the same rule independently: each layer is compiled
with only its own and its allowed layers' folders on the include path.
"""
import os
import re
import sys

# layer -> the layers it may include from (besides itself)
LAYERS = {
    'core': [],
    'time': ['core'],
    'data': ['core', 'time'],
    'http': ['core'],
    'api': ['core', 'time', 'data', 'http'],
    'soap': ['core', 'time', 'data', 'http', 'api'],
    'demo': ['core', 'data', 'http', 'api'],
    'ci': ['core', 'time', 'data', 'http', 'api', 'soap', 'demo'],
    'record': ['core', 'time', 'data'],
}
# made by the build, visible to every layer
GENERATED = {'build-config.h'}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def main():
    server = sys.argv[1]
    owner = {}
    for layer in LAYERS:
        for name in os.listdir(os.path.join(server, layer)):
            if name.endswith('.h'):
                owner[name] = layer
    for name in os.listdir(server):
        if name.endswith('.h'):
            owner[name] = 'top'
    bad = []
    for layer in list(LAYERS) + ['top']:
        folder = server if layer == 'top' else os.path.join(server, layer)
        for name in sorted(os.listdir(folder)):
            if not name.endswith(('.c', '.h')):
                continue
            path = os.path.join(folder, name)
            with open(path, encoding='utf-8') as f:
                text = f.read()
            for m in INCLUDE.finditer(text):
                inc = m.group(1)
                if inc in GENERATED:
                    continue
                target = owner.get(inc)
                line = text.count('\n', 0, m.start()) + 1
                where = os.path.relpath(path, os.path.dirname(server))
                if target is None:
                    bad.append('%s:%d: "%s" is in no layer' %
                               (where, line, inc))
                elif (layer != 'top' and target != layer and
                      target not in LAYERS[layer]):
                    bad.append('%s:%d: %s may not include "%s" from %s '
                               '(%s may use: %s)' %
                               (where, line, layer, inc, target, layer,
                                ', '.join(LAYERS[layer]) or 'nothing'))
    for b in bad:
        print(b, file=sys.stderr)
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
