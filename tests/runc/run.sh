#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/runc/run.sh PVCHECK - the `pvcheck run` suite.
#
# Every tests/runc/*.c carries its expected results in header lines
#   // run: ARGS => EXPECT
# ARGS are passed to `pvcheck run FILE ARGS --json --random-phase 0`, except
# words env:NAME=VAL, which set an environment variable for that run
# (env:PVCHECK_RACES=1 turns data-race detection on); EXPECT is
#   safe [executions=N] [orders=K]
#                            exit 0, verdict safe (and exactly N executions;
#                            with orders=K the same N under --random-order
#                            1..K too: optimal DPOR's count is one execution
#                            per trace whatever the order)
#   violation id=ID          exit 1, verdict violation with finding id ID
#   deadlock                 exit 1, verdict deadlock
#   no-progress              exit 1, verdict no-progress
#   input-error TEXT         exit 3, TEXT in the error output
# Prints one line per failed run and a final "runc: N passed, N failed".
pv=${1:?usage: run.sh PVCHECK}
case $pv in /*) ;; *) pv=$PWD/$pv ;; esac
dir=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/runc-tests.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0
fail=0

# field NAME: the value of "NAME": in the JSON line in $tmp/out
field() {
	sed -n "s/.*\"$1\":\"\{0,1\}\([^\",}]*\).*/\1/p" "$tmp/out" | head -n 1
}

check() {	# file args expect
	f=$1 args=$2 expect=$3
	set -- $expect
	kind=$1
	envs= cargs=
	for a in $args; do
		case $a in env:*) envs="$envs ${a#env:}" ;; *) cargs="$cargs $a" ;; esac
	done
	(cd "$dir" && env $envs "$pv" run "$f" $cargs --json --random-phase 0) >"$tmp/out" 2>"$tmp/err"
	rc=$?
	why=
	case $kind in
	safe)
		[ $rc -eq 0 ] || why="exit $rc, expected 0"
		v=$(field verdict)
		[ "$v" = safe ] || why="$why verdict '$v'"
		for kv in "$@"; do
			case $kv in executions=*)
				n=$(field executions)
				[ "$n" = "${kv#executions=}" ] || why="$why executions=$n, expected ${kv#executions=}"
			esac
		done
		for kv in "$@"; do
			case $kv in orders=*)
				k=1
				while [ $k -le "${kv#orders=}" ]; do
					n=$(cd "$dir" && env $envs "$pv" run "$f" $cargs --json --random-phase 0 \
						--random-order $k | sed -n 's/.*"executions":\([0-9]*\).*/\1/p')
					for e in "$@"; do
						case $e in executions=*)
							[ "$n" = "${e#executions=}" ] ||
								why="$why executions=$n under --random-order $k"
						esac
					done
					k=$((k + 1))
				done
			esac
		done ;;
	violation)
		[ $rc -eq 1 ] || why="exit $rc, expected 1"
		v=$(field verdict)
		[ "$v" = violation ] || why="$why verdict '$v'"
		id=$(sed -n 's/.*"violation":{[^}]*"id":"\([^"]*\)".*/\1/p' "$tmp/out")
		[ "id=$id" = "$2" ] || why="$why finding '$id', expected '${2#id=}'" ;;
	deadlock|no-progress)
		[ $rc -eq 1 ] || why="exit $rc, expected 1"
		v=$(field verdict)
		[ "$v" = "$kind" ] || why="$why verdict '$v'" ;;
	input-error)
		[ $rc -eq 3 ] || why="exit $rc, expected 3"
		shift
		grep -q -- "$*" "$tmp/err" || why="$why no '$*' in the error output" ;;
	*)
		why="bad expectation '$expect'" ;;
	esac
	if [ -z "$why" ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL runc/$f$args: $why"
		head -c 600 "$tmp/err"
	fi
}

for path in "$dir"/*.c; do
	f=$(basename "$path")
	grep '^// run:' "$path" | sed 's|^// run:||' >"$tmp/runs"
	while IFS= read -r line; do
		check "$f" "${line%%=>*}" "${line#*=> }"
	done <"$tmp/runs"
done
# ---- Traces: where, values, thread names, both accesses of a race ----
# tcheck NAME PATTERN FILE: FILE has a line matching the grep -E PATTERN
tcheck() {
	if grep -Eq -- "$2" "$3"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL runc trace: $1 (no /$2/ in $3):"
		head -c 1500 "$3"
	fi
}
# tnot NAME PATTERN FILE: no line of FILE matches
tnot() {
	if grep -Eq -- "$2" "$3"; then
		fail=$((fail + 1))
		echo "FAIL runc trace: $1 (/$2/ in $3):"
		grep -E -- "$2" "$3" | head -5
	else
		pass=$((pass + 1))
	fi
}
trun() {	# out args...: run in $dir, the report in $tmp/out
	o=$1
	shift
	(cd "$dir" && "$pv" run "$@" --random-phase 0) >"$tmp/$o" 2>&1
}
trun inc.txt racy-inc.c
trun inc-v.txt racy-inc.c -v
trun inc.json racy-inc.c --json
# every access row's where is the program's file:line, with or without -v
tcheck "racy-inc: a load at racy-inc.c:14" '^ +[0-9]+ .*atomic_load x = 0 +racy-inc\.c:14$' "$tmp/inc.txt"
tcheck "racy-inc -v: a store at racy-inc.c:15" '^ +[0-9]+ .*atomic_store x := 1 +racy-inc\.c:15$' "$tmp/inc-v.txt"
tcheck "racy-inc -v: thread end" '^ +[0-9]+ .*exit +\(thread ends\)$' "$tmp/inc-v.txt"
tnot "racy-inc: no '?' where" ' \?$' "$tmp/inc.txt"
tnot "racy-inc -v: no '?' where" ' \?( |$)' "$tmp/inc-v.txt"
tnot "racy-inc -v: no kernel/model columns for a program" 'where +model|check/sched\.c' "$tmp/inc-v.txt"
for f in inc.txt inc-v.txt; do
	n=$(grep -Ec 'atomic_(load|store) .*racy-inc\.c:1[45]$' "$tmp/$f")
	if [ "$n" -eq 4 ]; then pass=$((pass + 1)); else
		fail=$((fail + 1)); echo "FAIL runc trace: racy-inc $f: $n access rows with racy-inc.c:14/15, expected 4"
	fi
done
# the values: both threads load 0, a store writes 1 (the lost update)
n=$(grep -c 'atomic_load x = 0 ' "$tmp/inc.txt")
if [ "$n" -eq 2 ]; then pass=$((pass + 1)); else
	fail=$((fail + 1)); echo "FAIL runc trace: racy-inc: $n loads of x = 0, expected 2"
fi
tcheck "racy-inc: a store of 1" 'atomic_store x := 1' "$tmp/inc.txt"
tcheck "racy-inc: main loads 1" 'atomic_load x = 1 +racy-inc\.c:26$' "$tmp/inc.txt"
# two threads running t are t#1 and t#2: columns, pthread_create/join, JSON
tcheck "racy-inc: columns t#1 and t#2" '^  step  main +t#1 +t#2 +where$' "$tmp/inc.txt"
tcheck "racy-inc -v: pthread_create t#2" 'pthread_create t#2 +racy-inc\.c:23$' "$tmp/inc-v.txt"
tcheck "racy-inc -v: pthread_join t#1" 'pthread_join t#1 +racy-inc\.c:24$' "$tmp/inc-v.txt"
tcheck "racy-inc -v: preempts t#1" '>> preempts t#1' "$tmp/inc-v.txt"
tcheck "racy-inc --json: threads" '"threads":\["main","t#1","t#2"\]' "$tmp/inc.json"
tcheck "racy-inc --json: a step of t#2 loads 0" '"thread":"t#2","kind":"read","what":"atomic_load","file":"racy-inc.c","line":14,[^}]*"note":"x = 0"' "$tmp/inc.json"
# compare-exchange, fetch_add, a pointer, a mutex: the replayed values
trun tv.txt trace-values.c -v
tcheck "trace-values: CAS ok" 'x: 0 -> 1 ok' "$tmp/tv.txt"
tcheck "trace-values: CAS failed" 'x: 0 -> 1 failed \(saw 1\)' "$tmp/tv.txt"
tcheck "trace-values: fetch_add" 'atomic_fetch_add y: 0 -> 10 ' "$tmp/tv.txt"
tcheck "trace-values: fetch_add again" 'atomic_fetch_add y: 10 -> 20 ' "$tmp/tv.txt"
tcheck "trace-values: a pointer by name" ':= &z' "$tmp/tv.txt"
tcheck "trace-values: the mutex by name" 'pthread_mutex_lock mu +trace-values\.c:19$' "$tmp/tv.txt"
# a data race: both accesses, both threads, the earlier one's step marked
trun race.txt races.c --races
trun race.json races.c --races --json
tcheck "races: message names both" 'plain write by writer at races\.c:19 and plain read by reader' "$tmp/race.txt"
tcheck "races: the earlier access marked" '^ +\*\*\* racing plain write +races\.c:19$' "$tmp/race.txt"
tcheck "races: the later one" '\*\*\* data-race in plain read +races\.c:35$' "$tmp/race.txt"
tcheck "races --json: pair" '"pair":\{"step":1,"thread":"writer","location":"races.c:19","function":"plain write"\}' "$tmp/race.json"
trun lc.txt lock-counter.c --races -DN=2 -DRACY
trun lc.json lock-counter.c --races -DN=2 -DRACY --json
tcheck "lock-counter race: t#1 and t#2 in the message" '"message":"data race on `counter'"'"': plain write by t#1 at lock-counter\.c:25 and plain read by t#2 at lock-counter\.c:25, unordered"' "$tmp/lc.json"
tcheck "lock-counter race: the finding's thread" '"thread":"t#2","location":"lock-counter.c:25"' "$tmp/lc.json"
tcheck "lock-counter race: columns" '^  step  main +t#1 +t#2 +where$' "$tmp/lc.txt"
# the SVG: lanes t#1 and t#2, the race's earlier access
(cd "$dir" && "$pv" run racy-inc.c --random-phase 0 --svg "$tmp/inc.svg") >/dev/null 2>&1
tcheck "racy-inc svg: lane t#2" 'class="lane" data-thread="t#2"' "$tmp/inc.svg"
tcheck "racy-inc svg: where" '>racy-inc\.c:14<' "$tmp/inc.svg"
(cd "$dir" && "$pv" run races.c --races --random-phase 0 --svg "$tmp/race.svg") >/dev/null 2>&1
tcheck "races svg: pair" 'class="pair" data-step="1" data-thread="writer"' "$tmp/race.svg"

echo "runc: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
