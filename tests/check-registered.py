#!/usr/bin/env python3
"""Fail configuration when a test file is not registered in meson.build.

usage: check-registered.py FOLDER [--prefix P] [--suffix S] NAME...
Files FOLDER/P<name>S must all be among NAME... (default test-*.c).
"""
import os
import sys

args = sys.argv[1:]
folder = args.pop(0)
prefix, suffix = 'test-', '.c'
while args and args[0] in ('--prefix', '--suffix'):
    flag, value = args.pop(0), args.pop(0)
    if flag == '--prefix':
        prefix = value
    else:
        suffix = value
listed = set(args)
found = {f[len(prefix):-len(suffix)] for f in os.listdir(folder)
         if f.startswith(prefix) and f.endswith(suffix)}
missing = sorted(found - listed)
if missing:
    sys.exit('unregistered tests in %s: %s' % (folder, ', '.join(missing)))
