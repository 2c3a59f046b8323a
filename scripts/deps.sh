#!/bin/sh
# SPDX-License-Identifier: MIT
# make deps: install the Debian packages pvcheck's build and tests need.
# The one list of them: .ci/run and the README call this script.
#
#   sh scripts/deps.sh           install what is missing (apt-get update
#                                first, and only when something is missing)
#   sh scripts/deps.sh --check   list what is missing; exit 1 if anything is
#
# Needs dpkg and apt-get (Debian, Ubuntu); uses sudo only when not root.
set -eu

# build: the compiler, libjansson (JSON reports and traces), libxxhash (the
# stateful search's state hash).  tests: python3 (suites that read --json),
# binutils (nm, for the symbol check), clang (libFuzzer harnesses; a second
# compiler for `pvcheck run`), spin (tests/spin), chromium (the SVG check).
build_pkgs="build-essential libjansson-dev libxxhash-dev"
test_pkgs="binutils python3 clang spin chromium"

missing=""
for p in $build_pkgs $test_pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done

if [ "${1:-}" = "--check" ]; then
	if [ -n "$missing" ]; then
		echo "deps: missing:$missing (make deps installs them)"
		exit 1
	fi
	echo "deps: all installed"
	exit 0
fi

if [ -z "$missing" ]; then
	echo "deps: all installed"
	exit 0
fi
command -v apt-get >/dev/null 2>&1 || {
	echo "deps: missing:$missing; no apt-get here: install them with your package manager" >&2
	exit 2
}
if [ "$(id -u)" -eq 0 ]; then
	as_root=""
elif command -v sudo >/dev/null 2>&1; then
	as_root="sudo"
else
	echo "deps: missing:$missing; not root and no sudo: install them as root" >&2
	exit 2
fi
echo "deps: installing$missing"
$as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
# shellcheck disable=SC2086
$as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing
