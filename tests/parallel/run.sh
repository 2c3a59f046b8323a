#!/bin/sh
# tests/parallel/run.sh PVCHECK - `-j N`, stateless DPOR on N worker
# processes (src/check/parallel.c):
#
#   usage       -j 0, -j abc, -j 1000, --jobs without a value: exit 2 with
#               the precise message and the usage text
#   run         inc(3,4) (../shared/bench/inc.c, else tests/runc/inc.c) with
#               -j 2 and -j 3: 34,650 executions, safe, as with -j 1; a lost
#               update (racy-inc.c): the same verdict, count and trace file
#               on two runs, and the trace replays
#   catalog     -j 2: every verdict as with -j 1; the executions and
#               deadlocks of every scenario whose stateless search settles,
#               and the states of those that go on statefully, are equal;
#               two -j 2 runs print the same table
#   one worker  --stateful and --random say that they run in one process
#   cuts        --max-executions, --timeout and SIGINT under -j 2: exit 4,
#               incomplete with the reason, never safe
#
# Every run has a wall-clock guard (GUARD seconds, default 120).
# Ends with "parallel: N passed, N failed".
set -u
. "$(dirname "$0")/../lib.sh"
suite_init "$1" par
LC_ALL=C; export LC_ALL
guard=${GUARD:-120}
inc=$root/../shared/bench/inc.c	# the benchmark itself, else its copy
[ -f "$inc" ] || inc=$root/tests/runc/inc.c
racy=$root/tests/runc/racy-inc.c

# run NAME CMD... - run CMD under the guard; rc, and output in out/err
run() {
	name=$1; shift
	timeout -s KILL "$guard" "$@" >"$tmp/out" 2>"$tmp/err"; rc=$?
	[ $rc -eq 137 ] && bad "$name: killed after ${guard}s (hang)"
	grep -q 'Sanitizer\|runtime error\|internal error' "$tmp/err" &&
		bad "$name: stderr: $(head -n 1 "$tmp/err")"
}
# json_get FILE EXPR - a field of a one-line JSON result
json_get() {
	python3 -c 'import json,sys; o=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

# ---- usage errors ----------------------------------------------------------
usage() {	# ARGS... then the expected first line of stderr in $want
	run "usage $*" "$pv" "$@"
	if [ $rc -eq 2 ] && [ "$(head -n 1 "$tmp/err")" = "$want" ] &&
	   grep -q '^usage: pvcheck' "$tmp/err"; then ok
	else bad "$*: exit $rc, '$(head -n 1 "$tmp/err")', want exit 2, '$want'"; fi
}
want="pvcheck: -j: 0 workers; give 1 to 64";			usage -j 0
want="pvcheck: -j: 'abc' is not a number of workers (1 to 64)";	usage -j abc
want="pvcheck: -j: 1000 workers is too many (at most 64)";	usage -j 1000
want="pvcheck: -j: '-2' is not a number of workers (1 to 64)";	usage --jobs=-2
want="pvcheck: option '-j' needs an argument";			usage run x.c -j
run "--help" "$pv" --help
if grep -q -- '-j, --jobs N' "$tmp/out"; then ok; else bad "--help does not list -j"; fi

# ---- pvcheck run -------------------------------------------------------------
for j in 1 2 3; do
	run "inc(3,4) -j $j" "$pv" run "$inc" -DN=3 -DK=4 -j $j --json
	cp "$tmp/out" "$tmp/inc$j.json"
	if [ $rc -eq 0 ] && [ "$(json_get "$tmp/out" 'o["verdict"], o["executions"], o["complete"]')" = "('safe', 34650, True)" ]; then ok
	else bad "inc(3,4) -j $j: exit $rc, $(cut -c1-200 "$tmp/out")"; fi
done
if [ "$(json_get "$tmp/inc2.json" 'o.get("workers")')" = 2 ] &&
   [ "$(json_get "$tmp/inc1.json" 'o.get("workers")')" = None ]; then ok
else bad "inc(3,4): workers not reported as 2 (or reported for -j 1)"; fi
run "inc text" "$pv" run "$inc" -DN=3 -DK=4 -j 2
has "$tmp/out" "^search: stateless DPOR on 2 workers, [0-9]* subtrees, prefixes up to [0-9]* steps" && ok ||
	bad "inc -j 2: no 'search:' line"

for k in 1 2; do
	run "racy -j 2 ($k)" "$pv" run "$racy" -j 2 --trace-out "$tmp/racy$k.trace" --json
	cp "$tmp/out" "$tmp/racy$k.json"
	[ $rc -eq 1 ] && [ "$(json_get "$tmp/out" 'o["verdict"]')" = violation ] && ok ||
		bad "racy -j 2: exit $rc, $(cut -c1-200 "$tmp/out")"
done
run "racy -j 1" "$pv" run "$racy" --json
[ "$(json_get "$tmp/out" 'o["violation"]["id"]')" = "$(json_get "$tmp/racy1.json" 'o["violation"]["id"]')" ] &&
	ok || bad "racy: another finding with -j 2 than with -j 1"
if [ "$(json_get "$tmp/racy1.json" 'o["executions"], o["counterexample"]["steps"]')" = \
     "$(json_get "$tmp/racy2.json" 'o["executions"], o["counterexample"]["steps"]')" ] &&
   cmp -s "$tmp/racy1.trace" "$tmp/racy2.trace"; then ok
else bad "racy -j 2: two runs differ"; fi
run "racy replay" "$pv" run "$racy" --replay "$tmp/racy1.trace"
[ $rc -eq 1 ] && ok || bad "racy -j 2: its trace does not replay (exit $rc)"

# ---- the catalog ---------------------------------------------------------------
run "catalog -j 1" "$pv" --json
cp "$tmp/out" "$tmp/cat1.json"
run "catalog -j 2" "$pv" --json -j 2
cp "$tmp/out" "$tmp/cat2.json"
run "catalog -j 2 again" "$pv" --json -j 2
cp "$tmp/out" "$tmp/cat3.json"
if python3 - "$tmp/cat1.json" "$tmp/cat2.json" "$tmp/cat3.json" > "$tmp/cmp" <<'PY'
import json, sys
def load(f):
    return [json.loads(l) for l in open(f) if l.strip()]
a, b, c = (load(f) for f in sys.argv[1:4])
bad = []
if len(a) != len(b) or not a:
    bad.append(f"{len(a)} rows with -j 1, {len(b)} with -j 2")
for x, y in zip(a, b):
    n = x["name"]
    if x["verdict"] != y["verdict"] or x["as_expected"] != y["as_expected"]:
        bad.append(f"{n}: verdict {x['verdict']} / {y['verdict']}")
    elif "switched_after" in x or "switched_after" in y:
        if x.get("states") != y.get("states"):
            bad.append(f"{n}: states {x.get('states')} / {y.get('states')}")
    elif (x["executions"], x["blocked"]) != (y["executions"], y["blocked"]):
        bad.append(f"{n}: executions {x['executions']} / {y['executions']}")
def strip(rows):
    return [{k: v for k, v in r.items() if k not in ("seconds",)} for r in rows]
if strip(b) != strip(c):
    bad.append("two -j 2 runs differ")
print("; ".join(bad))
sys.exit(1 if bad else 0)
PY
then ok; else bad "catalog -j 2 against -j 1: $(cat "$tmp/cmp")"; fi

# ---- what runs in one process says so --------------------------------------------
run "stateful -j 2" "$pv" run "$inc" -DN=2 -DK=2 --stateful -j 2
[ $rc -eq 0 ] && has "$tmp/err" "note: -j 2: the stateful search runs in one process" && ok ||
	bad "--stateful -j 2: exit $rc, stderr '$(head -n 1 "$tmp/err")'"
run "random -j 2" "$pv" run "$inc" -DN=2 -DK=2 --random 10 -j 2
[ $rc -eq 4 ] && has "$tmp/err" "note: -j 2: random and PCT walks run in one process" && ok ||
	bad "--random -j 2: exit $rc, stderr '$(head -n 1 "$tmp/err")'"

# ---- cuts: never safe ---------------------------------------------------------------
run "max-executions -j 2" "$pv" run "$inc" -DN=4 -DK=3 -j 2 --max-executions 1000 --json
[ $rc -eq 4 ] && [ "$(json_get "$tmp/out" 'o["verdict"], o["cut_by"]')" = "('incomplete', 'max-executions')" ] &&
	ok || bad "--max-executions -j 2: exit $rc, $(cut -c1-200 "$tmp/out")"
run "timeout -j 2" "$pv" run "$inc" -DN=5 -DK=3 -j 2 --timeout 0.5 --json
[ $rc -eq 4 ] && [ "$(json_get "$tmp/out" 'o["verdict"], o["cut_by"]')" = "('incomplete', 'timeout')" ] &&
	ok || bad "--timeout -j 2: exit $rc, $(cut -c1-200 "$tmp/out")"
# not under timeout(1): it would send SIGINT to the process group as well,
# and a second SIGINT makes pvcheck exit at once (130), by design
"$pv" run "$inc" -DN=5 -DK=3 -j 2 --json > "$tmp/int.json" 2>"$tmp/err" &
p=$!
sleep 1
kill -INT $p 2>/dev/null
wait $p; rc=$?
[ $rc -eq 4 ] && [ "$(json_get "$tmp/int.json" 'o["verdict"], o["cut_by"]')" = "('incomplete', 'interrupted')" ] &&
	ok || bad "SIGINT -j 2: exit $rc, $(cut -c1-200 "$tmp/int.json")"

echo "parallel: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
