# scripts/lib.sh: shared set-up for scripts/serve, scripts/test and bench/run.
# Sourced, not run. Installs what is missing (apt-get as root, otherwise
# prints the exact command and fails), then configures and builds.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# command-or-file -> Debian package
somock_need() {
	local missing=() pair cmd pkg
	for pair in "$@"; do
		cmd=${pair%%=*}
		pkg=${pair#*=}
		case "$cmd" in
		/*) [ -e "$cmd" ] || missing+=("$pkg") ;;
		pc:*) pkg-config --exists "${cmd#pc:}" 2>/dev/null || missing+=("$pkg") ;;
		*) command -v "$cmd" >/dev/null 2>&1 || missing+=("$pkg") ;;
		esac
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	if [ "$(id -u)" -eq 0 ]; then
		echo "somock: installing ${missing[*]}" >&2
		export DEBIAN_FRONTEND=noninteractive
		if ! apt-get install -y -q --no-install-recommends "${missing[@]}" >&2; then
			apt-get update -q >&2
			apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
		fi
	else
		echo "somock: missing packages; run:" >&2
		echo "  sudo apt-get install -y ${missing[*]}" >&2
		exit 1
	fi
}

somock_build_deps() {
	somock_need cc=gcc meson=meson ninja=ninja-build pkg-config=pkg-config \
		python3=python3 pc:libmicrohttpd=libmicrohttpd-dev \
		pc:jansson=libjansson-dev pc:sqlite3=libsqlite3-dev pc:zlib=zlib1g-dev \
		pc:libxml-2.0=libxml2-dev pc:libcurl=libcurl4-gnutls-dev \
		/usr/share/zoneinfo/zone1970.tab=tzdata curl=curl
}

# somock_build DIR [meson options...]: configure (or re-apply the options
# to an existing folder), then compile.
somock_build() {
	local dir=$1
	shift
	if [ ! -f "$ROOT/$dir/build.ninja" ]; then
		meson setup "$ROOT/$dir" "$ROOT" "$@" >&2
	elif [ $# -gt 0 ]; then
		# the folder may have been set up by another script with other
		# options (scripts/serve turns the tests off): apply ours
		meson configure "$ROOT/$dir" "$@" >&2
	fi
	meson compile -C "$ROOT/$dir" >&2
}
