# SPDX-License-Identifier: MIT
# tests/lib.sh - the counters and verdict helpers every tests/*/run.sh
# suite shares.  Source it after `set -u`; it defines:
#   suite_init PVCHECK TAG
#                 pv (made absolute), here (the suite's directory), root
#                 (the repository), tmp (a private directory, removed on exit)
#   ok            count a passed check
#   bad MSG...    count a failed check and print "FAIL: MSG"
#   has FILE RE   does FILE contain a line matching the regular expression?
pass=0
fail=0
ok() { pass=$((pass+1)); }
bad() { fail=$((fail+1)); echo "FAIL: $*"; }
has() { grep -q -e "$2" "$1"; }
suite_init() {
	pv=$1
	case $pv in /*) ;; *) pv=$(pwd)/$pv ;; esac
	here=$(cd "$(dirname "$0")" && pwd)
	root=$(cd "$here/../.." && pwd)
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/pvcheck-$2.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT INT TERM
}
