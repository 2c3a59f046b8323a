# SPDX-License-Identifier: MIT
# tests/lib.sh - the counters and verdict helpers every tests/*/run.sh
# suite shares.  Source it after `set -u`; it defines:
#   ok            count a passed check
#   bad MSG...    count a failed check and print "FAIL: MSG"
#   has FILE RE   does FILE contain a line matching the regular expression?
pass=0
fail=0
ok() { pass=$((pass+1)); }
bad() { fail=$((fail+1)); echo "FAIL: $*"; }
has() { grep -q -e "$2" "$1"; }
