#!/bin/sh
# tests/all/run.sh PVCHECK - `check --all` finds every distinct finding,
# whatever the order of the search (issue 13, "Every distinct finding"):
# for every catalog scenario, the list of distinct findings (property or
# kernel check, site, function, thread) that `pvcheck check --all` prints
# must be the same
#   1. under --random-order 1..5 (ALL_ORDERS) as under the default order,
#   2. with the scenario's threads declared in reverse order
#      (reverse-threads.py), under the default order and --random-order 1.
# The preemptions of each finding's trace are part of the comparison: the
# fewest-preemption search is exact (explore_simplest_all: a stateful
# search without reduction under each bound, doc/engine.md "Every
# finding"), so the figure cannot depend on the order.  (Before, DPOR under
# a preemption bound, which is incomplete, gave e.g. lookup+import+at-least's
# INV-03 3 preemptions in one order and 2 in another.)
# Under the sanitizer build only --random-order 1.
#   3. README.md's catalog table is scripts/readme-catalog.py's output
#      (`make golden` rewrites it).
# Ends with "all: N passed, N failed".
set -u
. "$(dirname "$0")/../lib.sh"
suite_init "$1" all
LC_ALL=C; export LC_ALL
orders=${ALL_ORDERS:-1 2 3 4 5}
case $pv in */build-san/*) orders=${ALL_ORDERS:-1} ;; esac

# findings FILE [OPTIONS]: the distinct findings, one a line, as printed
findings() {
	f=$1; shift
	"$pv" check --all "$@" "$f" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	# 0 safe, 1 a finding: anything else is a failure of its own
	if [ $rc -gt 1 ]; then
		echo "exit $rc: $(head -c 300 "$tmp/err")"
		return
	fi
	sed -n 's/^  *[0-9][0-9]*\. *//p' "$tmp/out"
	sed -n '1s/^scenario [^:]*: //p' "$tmp/out"
}

for f in "$root"/scenarios/catalog/*.pvs; do
	name=$(basename "$f" .pvs)
	findings "$f" >"$tmp/ref"
	if [ ! -s "$tmp/ref" ]; then
		bad "$name: no findings list and no verdict: $(head -c 200 "$tmp/out")"
		continue
	fi
	for n in $orders; do
		findings "$f" --random-order "$n" >"$tmp/got"
		if cmp -s "$tmp/ref" "$tmp/got"; then ok; else
			bad "$name --random-order $n: $(diff "$tmp/ref" "$tmp/got" | grep '^[<>]' | tr '\n' ' ')"
		fi
	done
	python3 "$here/reverse-threads.py" "$f" >"$tmp/rev.pvs"
	for n in 0 1; do
		findings "$tmp/rev.pvs" --random-order "$n" >"$tmp/got"
		if cmp -s "$tmp/ref" "$tmp/got"; then ok; else
			bad "$name reversed threads, --random-order $n: $(diff "$tmp/ref" "$tmp/got" | grep '^[<>]' | tr '\n' ' ')"
		fi
	done
done
python3 "$root/scripts/readme-catalog.py" "$pv" >"$tmp/table"
awk '/^<!-- catalog table/ { f = 1; next } /^<!-- end of catalog table/ { f = 0 } f' \
	"$root/README.md" >"$tmp/readme"
if cmp -s "$tmp/table" "$tmp/readme"; then ok; else
	bad "README.md's catalog table is not the current one (make golden rewrites it)"
	diff "$tmp/readme" "$tmp/table" | head -n 10
fi
echo "all: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
