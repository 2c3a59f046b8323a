#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/stateful/run.sh PVCHECK - the stateful mode (--stateful) gives the
# verdict of the default (stateless) search on every `// run:` line of
# tests/runc/*.c, and the expected verdict on every catalog scenario; a
# finding made statefully replays (--trace-out, then --replay); without the
# runtime's stack wipe (PVCHECK_NO_SCRUB=1) a runc search gives the same
# verdict and, over the suite, stores more states; and a few searches store,
# explore and revisit exactly the states pinned in counts/pins.
# A stateful run cut by its time limit (STATEFUL_TIMEOUT, default 10 s) is
# reported as skipped: sleep sets alone do not reduce the number of states,
# so programs with many independent threads are out of its reach.
# Prints one line per failure and a final "stateful: N passed, N failed".
pv=${1:?usage: run.sh PVCHECK}
case $pv in /*) ;; *) pv=$PWD/$pv ;; esac
dir=$(cd "$(dirname "$0")/../runc" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/stateful-tests.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0
fail=0
skip=0
wiped=0		# states stored by the runc searches, with the stack wipe
unwiped=0	# ... and without it (PVCHECK_NO_SCRUB=1)
limit=${STATEFUL_TIMEOUT:-5}

verdict() {	# file -> verdict field of its JSON line
	sed -n 's/.*"verdict":"\([^"]*\)".*/\1/p' "$1" | head -n 1
}

states() {	# file -> states field of its JSON line
	sed -n 's/.*"states":\([0-9]*\).*/\1/p' "$1"
}

tally() {	# label: count a pass, or a failure with $why
	if [ -z "$why" ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL $1:$why"
	fi
}

replays() {	# scenario, verdict: the finding in $tmp/trace.json replays to it
	"$pv" check "$1" --replay "$tmp/trace.json" --json >"$tmp/r" 2>&1
	rr=$?
	[ "$rr" = 1 ] && [ "$(verdict "$tmp/r")" = "$2" ] || why=" replay: exit $rr"
}

same() {	# label, then the `run` command (pvcheck arguments, env words first)
	label=$1
	shift
	envs= args=
	for a in "$@"; do
		case $a in env:*) envs="$envs ${a#env:}" ;; *) args="$args $a" ;; esac
	done
	(cd "$dir" && env $envs "$pv" $args --json --random-phase 0) >"$tmp/a" 2>/dev/null
	ra=$?
	rm -f "$tmp/trace.json"
	(cd "$dir" && env $envs "$pv" $args --json --random-phase 0 --stateful \
		--timeout "$limit" --trace-out "$tmp/trace.json") >"$tmp/b" 2>"$tmp/err"
	rb=$?
	va=$(verdict "$tmp/a") vb=$(verdict "$tmp/b")
	if [ "$rb" = 4 ] && [ "$ra" != 4 ] && grep -q '"cut_by":"timeout"' "$tmp/b"; then
		# sleep sets do not reduce states: many independent threads are
		# out of reach of the stateful mode (doc/engine.md); say so
		skip=$((skip + 1))
		echo "skip $label: stateful search exceeds ${limit}s (stateless: $va)"
		return
	fi
	why=
	[ "$ra" = "$rb" ] || why="exit $rb, stateless $ra"
	[ "$va" = "$vb" ] || why="$why verdict '$vb', stateless '$va'"
	# the same search without the entry stubs' stack wipe (src/runc/entry.c):
	# the same verdict; the wipe's merges are counted over the whole suite
	(cd "$dir" && env $envs PVCHECK_NO_SCRUB=1 "$pv" $args --json --random-phase 0 \
		--stateful --timeout "$limit") >"$tmp/c" 2>/dev/null
	rc=$?
	vc=$(verdict "$tmp/c")
	if [ "$rc" = 4 ] && grep -q '"cut_by":"timeout"' "$tmp/c"; then
		:	# slower without the wipe: out of reach, not wrong
	else
		[ "$rc" = "$rb" ] && [ "$vc" = "$vb" ] ||
			why="$why; without the stack wipe '$vc' (exit $rc)"
		sb=$(states "$tmp/b") sc=$(states "$tmp/c")
		wiped=$((wiped + ${sb:-0})) unwiped=$((unwiped + ${sc:-0}))
	fi
	if [ -z "$why" ] && [ "$rb" = 1 ]; then
		if [ -s "$tmp/trace.json" ]; then
			(cd "$dir" && env $envs "$pv" $args --replay "$tmp/trace.json" --json) >"$tmp/r" 2>&1
			rr=$?
			vr=$(verdict "$tmp/r")
			[ "$rr" = 1 ] && [ "$vr" = "$vb" ] || why="replay: exit $rr, verdict '$vr'"
		else
			why="no trace written"
		fi
	fi
	tally "$label"
}

for f in "$dir"/*.c; do
	b=$(basename "$f")
	sed -n 's|^// run: \(.*\) => \([a-z-]*\).*|\1 =>\2|p' "$f" >"$tmp/lines"
	while IFS= read -r line; do
		args=${line% =>*}
		kind=${line##*=>}
		[ "$kind" = input-error ] && continue
		same "$b $args" run "$b" $args
	done <"$tmp/lines"
done

# The entry stubs' stack wipe merges states that differ only in bytes no
# one reads (src/runc/entry.c): over the suite it must store fewer.
why=
[ "$wiped" -lt "$unwiped" ] || why=" $wiped states stored with it, $unwiped without"
tally "stack wipe"
[ -n "$why" ] || echo "stack wipe: $wiped states stored with it, $unwiped without"

# The catalog: the stateless verdicts are its expectations (checked by the
# catalog suite), so only the stateful search runs here.
"$pv" list | awk '{ print $1, $2 }' >"$tmp/catalog"
while read -r n exp; do
	"$pv" show "$n" >"$tmp/$n.pvs" 2>/dev/null || continue
	"$pv" check "$tmp/$n.pvs" --json --random-phase 0 --stateful --timeout "$limit" \
		--trace-out "$tmp/trace.json" >"$tmp/b" 2>/dev/null
	rb=$?
	vb=$(verdict "$tmp/b")
	why=
	[ "$vb" = "$exp" ] || why=" verdict '$vb', expected '$exp'"
	[ -z "$why" ] && [ "$rb" = 1 ] && replays "$tmp/$n.pvs" "$vb"
	tally "catalog $n"
done <"$tmp/catalog"

# Symmetry (--symmetry): scenarios with a thread declared twice.  The
# verdict is the file's and that of the search without symmetry (with and
# without POR), the states are no more than without either reduction, fewer
# than with POR alone on at least two, and a finding replays.
fewer=0
for f in "$(dirname "$0")"/symmetric/*.pvs; do
	n=$(basename "$f" .pvs)
	exp=$(sed -n 's/^expect \([a-z-]*\).*/\1/p' "$f")
	"$pv" check "$f" --json --random-phase 0 --stateful --no-por >"$tmp/a" 2>/dev/null
	ra=$?
	"$pv" check "$f" --json --random-phase 0 --stateful >"$tmp/c" 2>/dev/null
	rc=$?
	"$pv" check "$f" --json --random-phase 0 --symmetry --trace-out "$tmp/trace.json" \
		>"$tmp/b" 2>/dev/null
	rb=$?
	va=$(verdict "$tmp/a") vb=$(verdict "$tmp/b") vc=$(verdict "$tmp/c")
	sa=$(states "$tmp/a") sb=$(states "$tmp/b") sc=$(states "$tmp/c")
	why=
	[ "$ra" = "$rb" ] && [ "$va" = "$vb" ] || why=" verdict '$vb' (exit $rb), without symmetry or POR '$va' (exit $ra)"
	[ "$rc" = "$rb" ] && [ "$vc" = "$vb" ] || why="$why; without symmetry '$vc' (exit $rc)"
	[ "$vb" = "$exp" ] || why="$why; expected '$exp'"
	[ -n "$sa" ] && [ -n "$sb" ] && [ "$sb" -le "$sa" ] || why="$why; states $sb > $sa"
	# the same states on a second run (the ranking hashes stacks: ASLR must not show)
	"$pv" check "$f" --json --random-phase 0 --symmetry >"$tmp/d" 2>/dev/null
	s2=$(states "$tmp/d")
	[ "$s2" = "$sb" ] || why="$why; states $sb, then $s2 on a second run"
	[ -n "$sb" ] && [ -n "$sc" ] && [ "$sb" -lt "$sc" ] && fewer=$((fewer + 1))
	[ -z "$why" ] && [ "$rb" = 1 ] && replays "$f" "$vb"
	tally "symmetric $n"
done
if [ "$fewer" -lt 2 ]; then
	fail=$((fail + 1))
	echo "FAIL symmetric: fewer states than POR alone on only $fewer scenarios"
fi

# Pinned counts (counts/pins): states, transitions, revisits, executions
# and verdict of a few searches, scenarios (with and without symmetry, one
# ending in a finding) and C programs (with and without POR), exactly as
# stored there.  A sanitizer build lays out stacks otherwise: skipped.
top=$(cd "$(dirname "$0")/../.." && pwd)
if grep -aq __asan_init "$pv" 2>/dev/null; then
	echo "skip pinned counts: a sanitizer build (the counts are the default build's)"
else
	while IFS= read -r line; do
		case $line in '#'* | '') continue ;; esac
		want=${line%% :*}
		args=${line#*: }
		# shellcheck disable=SC2086
		(cd "$top" && "$pv" $args --json --random-phase 0) >"$tmp/p" 2>/dev/null
		got=$(sed -n 's/.*"verdict":"\([^"]*\)".*/\1/p' "$tmp/p" | head -n 1)
		got="$(sed -n 's/.*"states":\([0-9]*\).*/\1/p' "$tmp/p") $(sed -n \
			's/.*"transitions":\([0-9]*\).*/\1/p' "$tmp/p") $(sed -n \
			's/.*"revisits":\([0-9]*\).*/\1/p' "$tmp/p") $(sed -n \
			's/.*"executions":\([0-9]*\).*/\1/p' "$tmp/p") $got"
		why=
		[ "$got" = "$want" ] || why=" states transitions revisits executions verdict: got '$got', pinned '$want'"
		tally "pinned $args"
	done <"$(dirname "$0")/counts/pins"
	# A DMA's checks run inside its steps (vis_also, doc/engine.md "Ghost checks
	# inside the step they judge"), not in ghost steps of their own: one reader
	# is pinned above (bench/scenarios/readers-1.pvs), and two readers stay
	# under 50,000 states (949,913 when every ghost check was a scheduling
	# point, 218,902 while the canonical form kept page->version and the
	# drain seqcount as values: 22,067 now).
	(cd "$top" && "$pv" check bench/scenarios/readers-2.pvs --stateful --json) >"$tmp/r2" 2>/dev/null
	s2=$(states "$tmp/r2")
	why=
	[ -n "$s2" ] && [ "$s2" -lt 50000 ] && [ "$(verdict "$tmp/r2")" = safe ] ||
		why=" $s2 states ($(verdict "$tmp/r2")), expected under 50000, safe"
	tally "readers-2 states"
fi

echo "stateful: $pass passed, $fail failed ($skip skipped: over ${limit}s statefully)"
[ "$fail" -eq 0 ]
