#!/usr/bin/env python3
"""Fail configuration when a tests/unit/test-*.c file is not registered."""
import os
import sys

folder, listed = sys.argv[1], set(sys.argv[2:])
found = {f[5:-2] for f in os.listdir(folder)
         if f.startswith('test-') and f.endswith('.c')}
missing = sorted(found - listed)
if missing:
    sys.exit('unregistered unit tests: ' + ', '.join(missing))
