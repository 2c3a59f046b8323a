#!/bin/sh
# tests/genmodel/run.sh PVCHECK - the property test over generated scenarios
# (issue 18; tests/genmodel/gen_prop.c): 1,000 scenarios generated from the
# model's tables (250 in the ASan+UBSan pass), each explored by DPOR, by
# DPOR with -j 2 and by the stateful search with a budget of 200
# executions: no signal, no sanitizer report, no exit 5, one verdict.
# The binary sits beside PVCHECK's build: ./pvcheck -> build/tests/gen_prop,
# build-san/pvcheck -> build-san/tests/gen_prop (make test-bins builds it).
# A failing case is saved in build/gen-failures/gen-SEED.pvs; print any case
# with: build/tests/gen_prop --emit SEED.  GEN_CASES overrides the count.
set -u
pv=$1
d=$(dirname "$pv")
if [ "$d" = . ]; then bin=build/tests/gen_prop; else bin=$d/tests/gen_prop; fi
if [ ! -x "$bin" ]; then
	echo "FAIL: $bin is not built (make test-bins)"
	echo "genmodel: 0 passed, 1 failed"
	exit 1
fi
exec "$bin" -d build/gen-failures
