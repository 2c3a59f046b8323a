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
echo "runc: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
