#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/spin/run.sh PVCHECK - the Promela models that `make bench` runs
# SPIN on (bench/spin/) are the workload pvcheck runs: on small sizes of
# rf.c, with and without -DBUG, SPIN's verdict on rf.pml and rf-c.pml is
# pvcheck's on rf.c; rf.pml at (3,2,3) stores the 2.7 M states of the
# SPIN figure in ../shared/bench/README.md that it reconstructs.
# SPIN is the Debian package spin (CI installs it); without it the suite
# says so and checks nothing.
set -u
. "$(dirname "$0")/../lib.sh"
suite_init "${1:?usage: run.sh PVCHECK}" spin
rf=$root/tests/runc/rf.c
if ! command -v spin >/dev/null 2>&1; then
	echo "spin: SPIN is not installed (apt-get install spin): nothing checked"
	exit 0
fi

spin_run() {	# model, defines... -> "verdict states" of pan's exhaustive search
	model=$1
	shift
	# -O0: compiling pan.c dominates on these sizes (1 s at -O2)
	(cd "$tmp" && rm -f pan* && spin "$@" -a "$root/bench/spin/$model" >spin.out 2>&1 &&
		cc -O0 -DSAFETY -o pan pan.c >>spin.out 2>&1 && ./pan >pan.out 2>&1) ||
		{ echo "error $(tail -n 3 "$tmp/spin.out" "$tmp/pan.out" 2>/dev/null | tr '\n' ' ')"; return; }
	e=$(sed -n 's/.*errors: \([0-9]*\).*/\1/p' "$tmp/pan.out")
	n=$(sed -n 's/^ *\([0-9]*\) states, stored.*/\1/p' "$tmp/pan.out")
	[ "$e" = 0 ] && echo "safe $n" || echo "violation $n"
}

pv_verdict() {	# defines... -> pvcheck's verdict on rf.c
	"$pv" run "$rf" "$@" --stateful --json 2>/dev/null | sed -n 's/.*"verdict":"\([^"]*\)".*/\1/p' | head -n 1
}

for size in "1 1 1" "2 1 1" "1 2 2" "2 1 2"; do
	set -- $size
	d="-DNIO=$1 -DNMS=$2 -DITER=$3"
	for bug in "" "-DBUG"; do
		want=$(pv_verdict $d $bug)
		for m in rf.pml rf-c.pml; do
			got=$(spin_run "$m" $d $bug)
			if [ "${got%% *}" = "$want" ]; then ok; else bad "$m $d $bug: SPIN '$got', pvcheck '$want'"; fi
		done
	done
done

# The finer model has every state of the coarser one and more.
c=$(spin_run rf.pml -DNIO=2 -DNMS=1 -DITER=2) f=$(spin_run rf-c.pml -DNIO=2 -DNMS=1 -DITER=2)
if [ "${c#* }" -lt "${f#* }" ]; then ok; else bad "rf.pml stores ${c#* } states, rf-c.pml ${f#* }"; fi

# The reconstruction: "(3,2,3) in 1.8 s (2.7 M states, 214 MB)".
got=$(spin_run rf.pml -DNIO=3 -DNMS=2 -DITER=3)
n=${got#* }
if [ "${got%% *}" = safe ] && [ "$n" -ge 2650000 ] && [ "$n" -lt 2750000 ]; then ok
else bad "rf.pml (3,2,3): '$got', expected safe with 2.7 M states"; fi

echo "spin: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
