#!/usr/bin/env bash
# somock in a CI job, with bash and curl only (docs/ci.md).
#
#   SOMOCK_BIN=build/server/somock bash docs/examples/ci-example.sh
#
# Starts somock on a free port, reads the URL from its listening line,
# waits on /__somock/health, runs two "tests" (one in the shared data with a
# reset, one in its own sandbox), verifies the requests each test made,
# injects a fault, and stops somock with SIGTERM. Exits non-zero on the
# first failed check.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
SOMOCK_BIN=${SOMOCK_BIN:-$here/../../build/server/somock}
work=$(mktemp -d)
pid=

stop() {
	if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
		kill -TERM "$pid"
		wait "$pid" || { echo "somock exited with $?" >&2; return 1; }
	fi
}
trap 'stop; rm -rf "$work"' EXIT

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# 1. start on port 0 (a free port) and read the listening line. The files
#    exist before somock starts, so reading one never races its creation;
#    the wait is long, because a busy CI machine can be slow to start it.
: >"$work/stdout"
: >"$work/stderr"
"$SOMOCK_BIN" serve --port 0 >>"$work/stdout" 2>>"$work/stderr" &
pid=$!
url=
for _ in $(seq 1200); do
	url=$(sed -n 's/^somock listening on //p' "$work/stdout")
	[ -n "$url" ] && break
	kill -0 "$pid" 2>/dev/null || fail "somock exited: $(cat "$work/stderr")"
	sleep 0.05
done
[ -n "$url" ] || fail "no listening line after 60 s"
echo "somock at $url"

# 2. wait until it is ready (it is, once the line is printed; this is the
#    check to use when somock runs as a separate CI service)
curl -sf --retry 50 --retry-connrefused --retry-delay 1 --max-time 5 \
	"$url/__somock/health" >/dev/null || fail "health"

api() { # api [curl options...] PATH
	local path=${*: -1}
	curl -s -u tje0:Tje0 "${@:1:$#-1}" "$url$path"
}
control() { # control METHOD PATH [JSON] [curl options...]
	local method=$1 path=$2 body=${3:-}
	shift $(($# < 3 ? $# : 3))
	curl -s -X "$method" -H 'Content-Type: application/json' \
		${body:+--data "$body"} "$@" "$url/__somock$path"
}

# 3. test one, in the shared data: load what the test needs, then reset
control POST /reset '{"journal":true,"faults":true}' >/dev/null
control POST /fixtures '{"batchTasks":[{"Id":9001,"Name":"CI export",
	"AssociateId":53,"State":"Failed"}]}' | grep -q '"loaded":true' ||
	fail "fixtures"
api /api/v1/BatchTask/Failed | grep -q '"Name":"CI export"' ||
	fail "the loaded task is not listed"
# verify: exactly one request to that path, answered 200, as associate 53
n=$(control GET '/requests/count?path=/api/v1/BatchTask/Failed&status=200&associate=53')
[ "$n" = '{"count":1}' ] || fail "request count: $n"
control POST /reset '{}' >/dev/null
api /api/v1/BatchTask/Failed | grep -q '"Id":9001' &&
	fail "reset did not remove the task"

# 4. test two, in its own sandbox (tests can run in parallel this way)
sb=(-H 'X-Somock-Sandbox: ci-test-2')
control POST /fixtures '{"batchTasks":[{"Id":9002,"Name":"Sandboxed",
	"AssociateId":53,"State":"New"}]}' "${sb[@]}" >/dev/null
api "${sb[@]}" /api/v1/BatchTask/New | grep -q '"Id":9002' ||
	fail "the sandbox does not see its task"
api /api/v1/BatchTask/New | grep -q '"Id":9002' &&
	fail "the shared data sees the sandbox's task"
n=$(control GET '/requests/count?sandbox=ci-test-2')
[ "$n" = '{"count":1}' ] || fail "sandbox request count: $n"
control DELETE /sandboxes/ci-test-2 >/dev/null

# 5. inject a fault: the next request gets a 503 with a SuperOffice body
control PUT /faults '{"path":"/api/v1/BatchTask/*","status":503,
	"errorType":"SoMaintenanceException","message":"maintenance",
	"count":1}' >/dev/null
code=$(api -o /dev/null -w '%{http_code}' /api/v1/BatchTask/All)
[ "$code" = 503 ] || fail "fault: got $code"
code=$(api -o /dev/null -w '%{http_code}' /api/v1/BatchTask/All)
[ "$code" = 200 ] || fail "after the fault: got $code"

# 6. stop: SIGTERM finishes requests in flight and exits 0 (see stop())
stop
pid=
echo "ok: somock CI example passed"
