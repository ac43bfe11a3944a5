#!/bin/sh
# tests/npm-prefix.sh DIR CACHE PACKAGE: install DIR's locked npm packages
# (DIR/package.json + DIR/package-lock.json) once into CACHE, in a folder
# keyed by the lock file's hash, and print that folder. PACKAGE is one
# package the install must hold (how a finished install is recognised).
# npm runs no install scripts, so nothing is downloaded but the packages.
set -eu
dir=$1
cache=$2
package=$3
key=$(sha256sum "$dir/package-lock.json" | cut -c1-16)
prefix=$cache/$key
if [ ! -f "$prefix/node_modules/$package/package.json" ]; then
	mkdir -p "$cache"
	tmp=$(mktemp -d "$cache/install.XXXXXX")
	cp "$dir/package.json" "$dir/package-lock.json" "$tmp/"
	(cd "$tmp" && npm ci --ignore-scripts --no-audit --no-fund \
		--loglevel=error >&2)
	rm -rf "$prefix"
	mv "$tmp" "$prefix"
fi
echo "$prefix"
