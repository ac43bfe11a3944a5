#!/bin/sh
# Call somock's SOAP service with Node's soap package, built from
# SuperOffice's own WSDL.
#
#   tests/soap-client/run.sh       (from anywhere; exit status is node --test's)
#
# Installs the locked soap package (package-lock.json) once into a cache
# directory outside the repository, keyed by the lock file's hash, then runs
# test.mjs with node's built-in test runner, TAP output.
#
# Environment: SOMOCK_BIN (default <root>/build/server/somock),
# SOMOCK_SOURCE_ROOT (default: two levels up), SOMOCK_SOAP_CACHE (default
# ${XDG_CACHE_HOME:-$HOME/.cache}/somock-soap-client).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=${SOMOCK_SOURCE_ROOT:-$(cd "$here/../.." && pwd)}
bin=${SOMOCK_BIN:-$root/build/server/somock}
cache=${SOMOCK_SOAP_CACHE:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/somock-soap-client}
prefix=$("$here/../npm-prefix.sh" "$here" "$cache" soap)

SOMOCK_BIN=$bin SOMOCK_SOURCE_ROOT=$root SOMOCK_SOAP_PREFIX=$prefix \
	exec node --test --test-reporter=tap "$here/test.mjs"
