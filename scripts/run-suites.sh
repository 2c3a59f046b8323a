#!/bin/sh
# Run every tests/<area>/run.sh with the pvcheck binary as its argument.
pv=$1; pass=0; fail=0
for s in tests/*/run.sh; do
	[ -f "$s" ] || continue
	if sh "$s" "$pv"; then pass=$((pass+1)); else echo "FAILED suite: $s"; fail=$((fail+1)); fi
done
echo "suites: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
