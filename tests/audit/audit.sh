#!/bin/sh
# audit.sh DIR [MAX] - run the model audit binaries built by `make audit`.
# Fails if any unannounced dependency is found (see tests/audit/audit_rt.c).
dir=${1:-build/audit}; max=${2:-20000}; fail=0
"$dir/pvaudit" -n "$max" || fail=1
set -- $(ls tests/scenarios/*.pvs tests/scenarios/valid/*.pvs 2>/dev/null)
[ $# -eq 0 ] || "$dir/pvaudit" -n "$max" "$@" || fail=1
PVM_AUDIT_QUIET=1 "$dir/test_model_paths" >/dev/null || { echo "audit: unit-test worlds"; fail=1; }
if [ "$fail" -eq 0 ]; then echo "audit: clean"; else echo "audit: FAILED"; fi
[ "$fail" -eq 0 ]
