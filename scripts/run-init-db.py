#!/usr/bin/env python3
"""Build step: SOMOCK OUT FIXTURE... -> a fresh OUT made by 'somock init-db'.

init-db adds to an existing file, so a stale OUT is removed first.
"""
import os
import subprocess
import sys

somock, out, fixtures = sys.argv[1], sys.argv[2], sys.argv[3:]
for suffix in ('', '-journal'):
    if os.path.exists(out + suffix):
        os.unlink(out + suffix)
subprocess.run([somock, 'init-db', out] + fixtures, check=True,
               stdout=subprocess.DEVNULL)
