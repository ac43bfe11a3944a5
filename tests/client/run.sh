#!/bin/sh
# Run SuperOffice's official TypeScript client against somock.
#
#   tests/client/run.sh            (from anywhere; exit status is node --test's)
#
# Installs the locked @superoffice/webapi (package-lock.json) once into a cache
# directory outside the repository, keyed by the lock file's hash, then runs
# test.mjs with node's built-in test runner, TAP output.
#
# Environment: SOMOCK_BIN (default <root>/build/server/somock),
# SOMOCK_SOURCE_ROOT (default: two levels up), SOMOCK_CLIENT_CACHE (default
# ${XDG_CACHE_HOME:-$HOME/.cache}/somock-client).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=${SOMOCK_SOURCE_ROOT:-$(cd "$here/../.." && pwd)}
bin=${SOMOCK_BIN:-$root/build/server/somock}
cache=${SOMOCK_CLIENT_CACHE:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/somock-client}
prefix=$("$here/../npm-prefix.sh" "$here" "$cache" @superoffice/webapi)

SOMOCK_BIN=$bin SOMOCK_SOURCE_ROOT=$root SOMOCK_CLIENT_PREFIX=$prefix \
	exec node --test --test-reporter=tap "$here/test.mjs"
