#!/bin/sh
# tests/limits/run.sh PVCHECK - every limit stops pvcheck cleanly (issue 7):
#
#   --timeout          a big program (tests/runc/inc.c, the bench's inc.c,
#                      N=5 K=3: 168 million executions) stops after the
#                      timeout: verdict incomplete, cut by timeout, exit 4,
#                      statistics
#   --max-executions   exit 4, cut by max-executions, for a program and a
#                      catalog scenario; `bound executions` in a file too
#   SIGINT             sent after 1 s to a running DPOR search: incomplete,
#                      cut by interrupted, exit 4, statistics, no crash
#   --depth            cut executions: incomplete, exit 4
#   step bound         a thread looping forever on visible steps
#                      (spin-forever.c) is a no-progress finding (exit 1),
#                      not a hang, with the default bound and --step-bound;
#                      `bound steps` in a scenario file too
#   checker limits     a program with 65 threads (threads.c -DNT=64) passes
#                      pvcheck's thread limit: incomplete, cut by
#                      thread-limit, exit 4, never a finding, statelessly,
#                      with --stateful and with -j 2; at the limit (64
#                      threads) it is safe; a --step-bound above
#                      EXPLORE_MAX_STEPS met by a longer execution: cut by
#                      step-limit, exit 4 (the bound itself stays a finding)
#   internal error     a program that is not deterministic across executions
#                      (nondet-replay.c) breaks an assumption of the engine:
#                      the distinct "internal error (checker bug, not a
#                      finding)" message, exit 5, and no verdict on stdout
#
# Every run has a wall-clock guard (GUARD seconds, default 60) so that a
# hang fails the suite instead of blocking it.  Ends with
# "limits: N passed, N failed".
set -u
. "$(dirname "$0")/../lib.sh"
suite_init "$1" lim
LC_ALL=C; export LC_ALL
guard=${GUARD:-60}
bench=$root/tests/runc/inc.c	# /work/shared/bench/inc.c with a header
say() { echo "limits: $*"; }

# run NAME CMD... - run CMD under the guard; sets rc, output in out/err
run() {
	name=$1; shift
	timeout -s KILL "$guard" "$@" >"$tmp/out" 2>"$tmp/err"; rc=$?
	[ $rc -eq 137 ] && bad "$name: killed after ${guard}s (hang)"
}
# expect NAME WANT_RC PATTERN... - rc and every pattern in stdout
expect() {
	name=$1; want=$2; shift 2
	e=
	[ "$rc" -eq "$want" ] || e="exit $rc, want $want;"
	for p in "$@"; do has "$tmp/out" "$p" || e="$e no '$p';"; done
	grep -q 'Sanitizer\|runtime error\|internal error' "$tmp/err" && e="$e stderr: $(head -n 1 "$tmp/err")"
	if [ -z "$e" ]; then ok; else bad "$name: $e $(head -c 300 "$tmp/out")"; fi
}

# ---- --timeout ----------------------------------------------------------------------
say "--timeout 1 on $(basename "$bench") -DN=5 -DK=3: incomplete, exit 4, statistics"
t0=$(date +%s)
run timeout "$pv" run --timeout 1 "$bench" -DN=5 -DK=3
t1=$(date +%s)
expect "--timeout text" 4 "incomplete, cut by timeout" "^executions: [0-9]" "^time: "
[ $((t1 - t0)) -le 20 ] || bad "--timeout 1 took $((t1 - t0)) s"
say "  $(grep '^executions:' "$tmp/out")"
run timeout-json "$pv" run --json --timeout 1 "$bench" -DN=5 -DK=3
expect "--timeout json" 4 '"verdict":"incomplete"' '"cut_by":"timeout"' '"complete":false'

# ---- --max-executions -----------------------------------------------------------------
say "--max-executions 1000 on inc.c -DN=4 -DK=3, and on a catalog scenario: exit 4"
run max-exec "$pv" run --json --max-executions 1000 "$bench" -DN=4 -DK=3
expect "--max-executions program" 4 '"verdict":"incomplete"' '"cut_by":"max-executions"'
scn=
for n in $("$pv" list 2>/dev/null | awk '$2 == "safe" { print $1 }'); do scn=$n; break; done
if [ -n "$scn" ]; then
	"$pv" show "$scn" >"$tmp/safe.pvs"
	run max-exec-scn "$pv" check --random-phase 0 --max-executions 1 "$tmp/safe.pvs"
	expect "--max-executions on $scn" 4 "cut by max-executions" "^executions: "
	{ grep -v '^bound' "$tmp/safe.pvs"; echo "bound executions 1"; } >"$tmp/bound-exec.pvs"
	run bound-exec "$pv" check --random-phase 0 "$tmp/bound-exec.pvs"
	expect "bound executions 1 in $scn" 4 "cut by max-executions"
	say "--depth 3 on $scn: incomplete, exit 4"
	run depth "$pv" check --random-phase 0 --depth 3 "$tmp/safe.pvs"
	expect "--depth 3 on $scn" 4 "incomplete" "^executions: "
	say "--step-bound 3 and 'bound steps 3' on $scn: no-progress, exit 1"
	run step-scn "$pv" check --json --step-bound 3 "$tmp/safe.pvs"
	expect "--step-bound 3 on $scn" 1 '"verdict":"no-progress"'
	{ grep -v '^bound' "$tmp/safe.pvs"; echo "bound steps 3"; } >"$tmp/bound-steps.pvs"
	run bound-steps "$pv" check --json "$tmp/bound-steps.pvs"
	expect "bound steps 3 in $scn" 1 '"verdict":"no-progress"'
else
	say "no catalog scenario expects safe: the scenario cases are skipped"
fi

# ---- SIGINT -------------------------------------------------------------------------
say "SIGINT after 3 s to pvcheck run inc.c -DN=5 -DK=3: incomplete, interrupted, exit 4"
timeout --foreground -s KILL "$guard" "$pv" run --timeout 30 "$bench" -DN=5 -DK=3 >"$tmp/out" 2>"$tmp/err" &
p=$!
# 3 s: the program must be compiled and the search running (the handler is
# in place from the start, but a slow sanitizer build may still be starting)
sleep 3
kill -INT $p 2>/dev/null
wait $p; rc=$?
expect "SIGINT text" 4 "incomplete, cut by interrupted" "^executions: [0-9]" "^time: "
say "  $(grep '^executions:' "$tmp/out")"
timeout --foreground -s KILL "$guard" "$pv" run --json --timeout 30 "$bench" -DN=5 -DK=3 >"$tmp/out" 2>"$tmp/err" &
p=$!
# 3 s: the program must be compiled and the search running (the handler is
# in place from the start, but a slow sanitizer build may still be starting)
sleep 3
kill -INT $p 2>/dev/null
wait $p; rc=$?
expect "SIGINT json" 4 '"verdict":"incomplete"' '"cut_by":"interrupted"' '"executions":[1-9]'

# ---- step bound: a thread that never stops ------------------------------------------
say "spin-forever.c: no-progress finding (default step bound and --step-bound 100), exit 1"
run spin "$pv" run "$here/spin-forever.c"
expect "spin-forever default bound" 1 "no-progress" "exceeded the step bound"
run spin-json "$pv" run --json --step-bound 100 "$here/spin-forever.c"
expect "spin-forever --step-bound 100" 1 '"verdict":"no-progress"' '"steps":100,'
run spin-random "$pv" run --random 20 "$here/spin-forever.c"
expect "spin-forever --random 20" 1 "no-progress"

# ---- checker limits: never a finding ------------------------------------------------
say "threads.c: 64 threads safe; 65 threads incomplete, cut by thread-limit, exit 4"
for mode in "" --stateful "-j 2"; do
	run threads64 "$pv" run --json $mode "$here/threads.c" -DNT=63
	expect "64 threads ${mode:-dpor}" 0 '"verdict":"safe"' '"executions":1,'
	run threads65 "$pv" run --json $mode "$here/threads.c" -DNT=64
	expect "65 threads ${mode:-dpor}" 4 '"verdict":"incomplete"' '"cut_by":"thread-limit"' \
		'"limit":"the program starts more than 63 threads' '"violation":null'
done
run threads65-text "$pv" run "$here/threads.c" -DNT=64
expect "65 threads text" 4 "incomplete, cut by thread-limit" "pvcheck's limit, not a finding: .*threads.c:26"
say "spin-forever.c --step-bound 5000 (above EXPLORE_MAX_STEPS): cut by step-limit, exit 4"
for mode in "" --stateful; do
	run step-limit "$pv" run --json $mode --step-bound 5000 "$here/spin-forever.c"
	expect "step-limit ${mode:-dpor}" 4 '"verdict":"incomplete"' '"cut_by":"step-limit"'
done

# ---- internal error: exit 5, distinct message, no verdict -----------------------------
say "nondet-replay.c: internal error (exit 5), distinct message, nothing on stdout"
for mode in "" --json; do
	echo 0 >"$tmp/counter"
	run internal "$pv" run $mode --random-phase 0 "$here/nondet-replay.c" -DCOUNTER="\"$tmp/counter\""
	e=
	[ $rc -eq 5 ] || e="exit $rc, want 5;"
	has "$tmp/err" "^pvcheck: internal error (checker bug, not a finding)" || e="$e message: $(head -n 1 "$tmp/err");"
	[ -s "$tmp/out" ] && e="$e stdout not empty: $(head -c 200 "$tmp/out")"
	if [ -z "$e" ]; then ok; else bad "internal error ${mode:-text}: $e"; fi
done

echo "limits: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
