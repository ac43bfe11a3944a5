#!/bin/sh
# Drive somock's demo page (server/demo/index.html, served at / and /demo) in
# Debian's headless Chromium with playwright-core.
#
#   tests/browser/run.sh           (from anywhere; exit status is node --test's)
#
# Installs the locked playwright-core (package-lock.json) once into a cache
# directory outside the repository, keyed by the lock file's hash (no browser is
# downloaded: playwright-core has no install script and npm runs none), then
# runs test.mjs with node's built-in test runner, TAP output.
#
# Environment: SOMOCK_BIN (default <root>/build/server/somock),
# SOMOCK_SOURCE_ROOT (default: two levels up), SOMOCK_BROWSER_CACHE (default
# ${XDG_CACHE_HOME:-$HOME/.cache}/somock-browser), SOMOCK_CHROMIUM (default
# /usr/bin/chromium), SOMOCK_ARTIFACTS (where demo.png goes; default
# $MESON_BUILD_ROOT, else /tmp).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=${SOMOCK_SOURCE_ROOT:-$(cd "$here/../.." && pwd)}
bin=${SOMOCK_BIN:-$root/build/server/somock}
chromium=${SOMOCK_CHROMIUM:-/usr/bin/chromium}
cache=${SOMOCK_BROWSER_CACHE:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/somock-browser}
if [ ! -x "$chromium" ]; then
	msg="$chromium is missing: install Debian's chromium (apt-get install chromium; scripts/test does it as root)"
	echo "tests/browser: $msg" >&2
	echo "Bail out! $msg"
	exit 1
fi

prefix=$("$here/../npm-prefix.sh" "$here" "$cache" playwright-core)

SOMOCK_BIN=$bin SOMOCK_SOURCE_ROOT=$root SOMOCK_BROWSER_PREFIX=$prefix \
	SOMOCK_CHROMIUM=$chromium PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 \
	exec node --test --test-reporter=tap "$here/test.mjs"
