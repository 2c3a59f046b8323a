#!/bin/sh
# tests/paths/run.sh PVCHECK - user paths in C (`--paths FILE.c`, a
# scenario's `paths "FILE.c"`; doc/paths.md, issue 15):
#
#   examples       examples/paths/dave-reader.pvs is safe with the exact
#                  freeze and dave-reader+at-least.pvs a violation, both
#                  as expected (--expect), also with --stateful; the trace
#                  names the user's function and its file:line
#   every call     every function of include/pvcheck/kernel.h, called in a
#                  correct sequence (misc.c every_call): safe, no finding
#                  (each __pv_* binds and behaves as its kernel name says)
#   findings       a segfault and put_page(NULL) in a path are "oops"
#                  findings of that path (exit 1), never a crash; WARN_ON
#                  is a finding at the user's line; an extra put_page is
#                  INV-06, a reference never dropped a leak (INV-06)
#   one step       a path that calls nothing visible is still a step: its
#                  thread runs, the scenario is not vacuous
#   input errors   exit 3 with the compiler's file:line:col for a syntax
#                  error and for PV_PATH types that differ from the
#                  function's; a parameter type that is no world object, a
#                  writable global, a name the model has, a file with no
#                  PV_PATH: exit 3, named; a wrong argument kind or count
#                  in the scenario: exit 3 at file:line:col; a missing
#                  file: exit 2; --paths for `run`: exit 2
#   patches        --patch with v5.7's make_secure_pte in C (examples/paths/
#                  v5.7.c) changes exactly one catalog verdict (the one whose
#                  knob varies that function); the at-least patch breaks
#                  lookup+import and Dave's reader; a patch of a function
#                  that is not replaceable, with the wrong prototype, or
#                  replacing nothing: exit 3; --patch for run: exit 2;
#                  v5.7's follow_page_pte (v5.7-follow.c) changes only the
#                  three foll_get_hook scenarios (the knob varies it), with
#                  or without --all, and with the knob's hook written in
#                  (follow-get-hook.c) those three are safe again; without
#                  the FOLL_PIN hook (follow-pin-no-hook.c) gup-pin+import
#                  is INV-01
#   determinism    the same counts on two runs and with --paths given on
#                  the command line instead of in the scenario, and for the
#                  same reader without PV_PATH() (a path by its signature)
#   by signature   a non-static function of world objects is a path with no
#                  PV_PATH(); a non-static one that is no path, and a file
#                  with no path at all: exit 3, named
#
# Ends with "paths: N passed, N failed".
set -u
. "$(dirname "$0")/../lib.sh"
suite_init "$1" paths
LC_ALL=C; export LC_ALL
ex=$root/examples/paths

# run CMD... - sets rc; output in $tmp/out, $tmp/err
run() { "$@" >"$tmp/out" 2>"$tmp/err"; rc=$?; }
# want NAME RC [FILE RE]... - exit code and patterns
want() {
	name=$1; w=$2; shift 2
	e=
	[ "$rc" -eq "$w" ] || e="exit $rc, want $w;"
	while [ $# -ge 2 ]; do
		has "$tmp/$1" "$2" || e="$e no '$2' in $1;"
		shift 2
	done
	grep -q 'Sanitizer\|runtime error\|internal error' "$tmp/err" && e="$e stderr: $(head -n 1 "$tmp/err")"
	if [ -z "$e" ]; then ok; else bad "$name: $e $(head -c 400 "$tmp/out" "$tmp/err")"; fi
}

# scn NAME OPS... - a scenario in $tmp/NAME.pvs with one thread per op,
# over misc.c (copied beside it)
cp "$here"/*.c "$tmp"/
scn() {
	n=$1; shift
	{
		echo "scenario $n"
		echo 'question "q"'
		echo 'profile linux-5.7'
		echo "paths \"${PATHS_FILE:-misc.c}\""
		echo 'world'
		echo '  mm qemu'
		echo '  nic eth0'
		echo '  blockdev sda'
		echo '  file mem dev=sda'
		echo '  page p0 file=mem index=0 mm=qemu addr=0'
		echo 'end'
		i=0
		for op in "$@"; do
			i=$((i+1))
			echo "thread t$i"
			echo "  $op"
			echo 'end'
		done
	} > "$tmp/$n.pvs"
}

# ---- examples ----------------------------------------------------------------------
run "$pv" check --expect "$ex/dave-reader.pvs"
want "dave-reader" 0 out 'safe, explored completely' out 'as expected'
run "$pv" check --expect --stateful "$ex/dave-reader.pvs"
want "dave-reader --stateful" 0 out 'safe, explored completely'
run "$pv" check --expect "$ex/dave-reader+at-least.pvs"
want "dave-reader+at-least" 0 out 'violation INV-01 INV-02 INV-03 INV-04 (as expected)' \
	out 'dave_reader .*examples/paths/dave-reader.c:34' out 'find_get_page'

# ---- every call of the header -------------------------------------------------------
scn every 'every_call qemu mem sda'
run "$pv" check "$tmp/every.pvs"
want "every_call" 0 out 'safe, explored completely' out 'every_call qemu mem sda: 0 x'

# follow_page(FOLL_TOUCH) without a reference, in a second mm that maps the
# guest's file page (PG_referenced): mark_page_accessed's activate_page
# takes a plain get under that mm's PTE lock only, which can meet the
# import's freeze (INV-05), as in v5.7; in QEMU's own mm the PTE lock
# excludes the freeze.
{
	echo 'scenario touch2'; echo 'question "q"'; echo 'profile linux-5.7'
	echo 'paths "misc.c"'; echo 'world'; echo '  mm qemu'; echo '  mm other'
	echo '  guest g mm=qemu'; echo '  file mem'
	echo '  page p0 file=mem index=0 mm=qemu addr=0 mm2=other addr2=0 referenced=1'
	echo 'end'; echo 'thread vcpu'; echo '  guest_write g 0 42'; echo 'end'
	echo 'thread t'; echo '  touch_follow other 0'; echo 'end'
} > "$tmp/touch2.pvs"
run "$pv" check "$tmp/touch2.pvs"
want "follow_page FOLL_TOUCH in a second mm" 1 out 'INV-05' out 'activate_page'
sed -e 's/touch_follow other 0/touch_follow qemu 0/' "$tmp/touch2.pvs" > "$tmp/touch1.pvs"
run "$pv" check "$tmp/touch1.pvs"
want "follow_page FOLL_TOUCH in QEMU's mm" 0 out 'safe, explored completely'

# ---- findings in a path ---------------------------------------------------------------
scn crash 'crash p0'
run "$pv" check "$tmp/crash.pvs"
want "segfault in a path" 1 out 'BUG: oops: Segmentation fault in the user path crash'
scn putnull 'put_null p0'
run "$pv" check "$tmp/putnull.pvs"
want "put_page(NULL)" 1 out 'kernel NULL pointer dereference: put_page(NULL) in the user path put_null'
scn warn 'warn_mapped p0'
run "$pv" check "$tmp/warn.pvs"
want "WARN_ON" 1 out 'BUG: WARN_ON: WARN_ON(page_mapcount(page) > 0) in warn_mapped' out 'misc.c:35' out 'page_mapcount *include/linux/mm.h'
scn atomic 'sleep_atomic p0'
run "$pv" check "$tmp/atomic.pvs"
want "might_sleep in a path" 1 out 'sleeping function called from invalid context'
scn overput 'over_put mem 0'
run "$pv" check "$tmp/overput.pvs"
want "extra put_page" 1 out 'INV-06' out 'dropped a get_page reference'
scn leak 'leak mem 0'
run "$pv" check "$tmp/leak.pvs"
want "leak" 1 out 'INV-06' out 'never dropped (leak)'

# ---- a path with no visible call is a step ---------------------------------------------
scn nothing 'nothing p0' 'nothing p0'
run "$pv" check -v "$tmp/nothing.pvs"
want "nothing: one step" 0 out 'safe, explored completely' out 'nothing p0: 0 x'
grep -q 'did nothing' "$tmp/err" "$tmp/out" && bad "nothing: reported vacuous" || ok

# ---- input errors -----------------------------------------------------------------------
PATHS_FILE=bad-compile.c scn badc 'broken p0'
run "$pv" check "$tmp/badc.pvs"
want "syntax error" 3 err 'bad-compile.c:5:[0-9]*: error'
PATHS_FILE=bad-signature.c scn bads 'reader mem 0'
run "$pv" check "$tmp/bads.pvs"
want "PV_PATH types differ" 3 err 'bad-signature.c:7:[0-9]*: error' err 'not the parameters of reader'
PATHS_FILE=bad-type.c scn badt 'named 0'
run "$pv" check "$tmp/badt.pvs"
want "parameter type" 3 err 'bad-type.c:7: error: PV_PATH(named): parameter 1'
PATHS_FILE=bad-global.c scn badg 'counter p0'
run "$pv" check "$tmp/badg.pvs"
want "writable global" 3 err "'calls' is writable data"
PATHS_FILE=bad-name.c scn badn 'writeback p0'
run "$pv" check "$tmp/badn.pvs"
want "name of a model operation" 3 err 'PV_PATH(writeback): the model has an operation of that name'
PATHS_FILE=none.c scn nonereg 'helper p0'
run "$pv" check -v "$tmp/nonereg.pvs"
want "a path by its signature, no PV_PATH" 0 out 'safe, explored completely' out 'helper'
PATHS_FILE=bad-helper.c scn badhelp 'show p0'
run "$pv" check "$tmp/badhelp.pvs"
want "a non-static function that is no path" 3 err "bad-helper.c:5: error: 'show' is not static and is no path"
PATHS_FILE=only-static.c scn onlystatic 'count p0'
run "$pv" check "$tmp/onlystatic.pvs"
want "no path at all" 3 err 'no path in the user paths'
scn kind 'over_put eth0 0'
run "$pv" check "$tmp/kind.pvs"
want "argument kind" 3 err 'kind.pvs:13:12'
scn count 'over_put mem'
run "$pv" check "$tmp/count.pvs"
want "argument count" 3 err "kind\|takes 2 arguments"
PATHS_FILE=missing.c scn missing 'nothing p0'
run "$pv" check "$tmp/missing.pvs"
want "missing file" 2 err 'missing.c: cannot open'
run "$pv" run --paths "$tmp/misc.c" "$root/tests/runc/cas-read-order.c"
want "--paths for run" 2 err '--paths applies to'

# ---- patches of the model ---------------------------------------------------------------
# v5.7's make_secure_pte written against the header changes no verdict of
# the catalog but that of lookup+import+at-least, whose knob selects a
# variant of the very function the patch replaces.
run "$pv" --patch "$ex/v5.7.c"
want "patch v5.7.c: table" 0 out 'v5.7 against the patch (make_secure_pte)' \
	out '^lookup+import+at-least  *violation INV-03  *safe  *CHANGED'
n=$(grep -c 'CHANGED' "$tmp/out"); rows=$(grep -cE '^[a-z].*  (safe|violation|no-progress|deadlock)' "$tmp/out")
if [ "$n" -eq 1 ] && [ "$rows" -ge 28 ]; then ok; else bad "patch v5.7.c: $n changed, $rows rows"; fi
"$pv" show lookup+import > "$tmp/lookup+import.pvs"
run "$pv" check --patch "$ex/at-least.c" "$tmp/lookup+import.pvs"
want "patch at-least.c on lookup+import" 1 out 'BUG: INV-0[134]'
run "$pv" check --patch "$ex/v5.7.c" "$tmp/lookup+import.pvs"
want "patch v5.7.c on lookup+import" 0 out 'safe, explored completely'
run "$pv" check --patch "$ex/at-least.c" "$ex/dave-reader.pvs"
want "patch at-least.c on dave-reader" 1 out 'BUG: INV-0'
run "$pv" check --patch "$here/bad-patch-name.c" "$tmp/lookup+import.pvs"
want "patch: not replaceable" 3 err "'gmap_make_secure_helper' is not a model function a patch can replace (replaceable: make_secure_pte, arch_make_page_accessible, gmap_make_secure, expected_page_refs, follow_page_pte)"
run "$pv" check --patch "$here/bad-patch-sig.c" "$tmp/lookup+import.pvs"
want "patch: wrong prototype" 3 err 'bad-patch-sig.c:3:[0-9]*: error: conflicting types'
run "$pv" check --patch "$here/bad-patch-none.c" "$tmp/lookup+import.pvs"
want "patch: replaces nothing" 3 err 'the patch replaces no model function'
# v5.7's gmap_make_secure written against the header (its gmap, VMA and
# page-table calls) changes no verdict of the catalog: no knob of it varies
# that function.
run "$pv" --patch "$ex/v5.7-gmap.c"
want "patch v5.7-gmap.c: table" 0 out 'v5.7 against the patch (gmap_make_secure)'
n=$(grep -c 'CHANGED' "$tmp/out"); rows=$(grep -cE '^[a-z].*  (safe|violation|no-progress|deadlock)' "$tmp/out")
if [ "$n" -eq 0 ] && [ "$rows" -ge 28 ]; then ok; else bad "patch v5.7-gmap.c: $n changed, $rows rows"; fi
# Both functions patched at once: the patch's gmap_make_secure calls its own
# make_secure_pte (bound inside the patch); Dave's reader stays safe.
run "$pv" check --patch "$ex/v5.7-gmap.c" --patch "$ex/v5.7.c" "$tmp/lookup+import.pvs"
want "patch v5.7-gmap.c + v5.7.c on lookup+import" 0 out 'safe, explored completely'
# The real later change (3f29f6537f54, written onto v5.7): of the four
# findings of writeback+import+truncate under --all, the wait on writeback
# without a reference goes; the lock_page ones and INV-03 stay.
"$pv" show writeback+import+truncate > "$tmp/wit.pvs"
run "$pv" check --all --patch "$ex/v5.7-gmap.c" "$tmp/wit.pvs"
want "v5.7-gmap.c --all on writeback+import+truncate" 1 \
	out 'INV-07 .*wait_on_page_writeback: is the page the path followed' \
	out 'INV-07 .*lock_page: is the page the path followed' out '  4\. '
run "$pv" check --all --patch "$ex/wb-ref-3f29f6537f54.c" "$tmp/wit.pvs"
want "3f29f6537f54 --all on writeback+import+truncate" 1 \
	out 'INV-07 .*lock_page: is the page the path followed' out '  3\. INV-07'
if grep -E '^  [0-9]+\. ' "$tmp/out" | grep -q 'wait_on_page_writeback' || grep -q '^  4\. ' "$tmp/out"; then
	bad "3f29f6537f54: the writeback wait is still a finding"; else ok; fi
# v5.7's arch_make_page_accessible as a patch (every model path that makes
# a page accessible runs it): the only row that changes is the first finding
# of lookup+import+at-least, a scenario of four findings (the patch's extra
# steps reorder the search); under --all its findings are the same six.
run "$pv" --patch "$ex/v5.7-accessible.c"
want "patch v5.7-accessible.c: table" 0 out 'v5.7 against the patch (arch_make_page_accessible)'
n=$(grep 'CHANGED' "$tmp/out" | grep -vc '^lookup+import+at-least '); rows=$(grep -cE '^[a-z].*  (safe|violation|no-progress|deadlock)' "$tmp/out")
if [ "$n" -eq 0 ] && [ "$rows" -ge 28 ]; then ok; else bad "patch v5.7-accessible.c: $n changed, $rows rows"; fi
"$pv" show lookup+import+at-least > "$tmp/lia.pvs"
"$pv" check --all "$tmp/lia.pvs" 2>&1 | grep -E '^  [0-9]+\. ' > "$tmp/f1"
"$pv" check --all --patch "$ex/v5.7-accessible.c" "$tmp/lia.pvs" 2>&1 | grep -E '^  [0-9]+\. ' > "$tmp/f2"
if [ -s "$tmp/f1" ] && cmp -s "$tmp/f1" "$tmp/f2"; then ok; else bad "v5.7-accessible.c --all: $(cat "$tmp/f1" "$tmp/f2")"; fi
# v5.7's expected_page_refs as a patch (make_secure_pte's freeze compares
# with it): no verdict of the catalog changes but the first finding of
# zap-accessed+import, a scenario of two findings (INV-03 and INV-05, both
# expected; the patch's call is a step of its own and reorders the search);
# under --all its findings are the same.  One reference too many lets the
# reader of lookup+import through the freeze.
run "$pv" --patch "$ex/v5.7-refs.c"
want "patch v5.7-refs.c: table" 0 out 'v5.7 against the patch (expected_page_refs)'
n=$(grep 'CHANGED' "$tmp/out" | grep -vc '^zap-accessed+import '); rows=$(grep -cE '^[a-z].*  (safe|violation|no-progress|deadlock)' "$tmp/out")
if [ "$n" -eq 0 ] && [ "$rows" -ge 28 ]; then ok; else bad "patch v5.7-refs.c: $n changed, $rows rows"; fi
"$pv" show zap-accessed+import > "$tmp/zai.pvs"
"$pv" check --all "$tmp/zai.pvs" 2>&1 | grep -E '^  [0-9]+\. ' > "$tmp/f1"
"$pv" check --all --patch "$ex/v5.7-refs.c" "$tmp/zai.pvs" 2>&1 | grep -E '^  [0-9]+\. ' > "$tmp/f2"
if [ -s "$tmp/f1" ] && cmp -s "$tmp/f1" "$tmp/f2"; then ok; else bad "v5.7-refs.c --all: $(cat "$tmp/f1" "$tmp/f2")"; fi
run "$pv" check --all --patch "$here/refs-plus-one.c" "$tmp/lookup+import.pvs"
want "patch refs-plus-one.c on lookup+import" 1 out 'INV-05 .* get_page, in reader' \
	out 'INV-03 .*__uv_call, in vcpu'
# v5.7's follow_page_pte as a patch (every follow and every slow gup of the
# model runs it): the only verdicts that change are those of the three
# scenarios whose knob foll_get_hook varies that very function (a hook for
# FOLL_GET, which v5.7 has not); under --all no other finding changes.  The
# same function with the knob's hook written in gives the knob's verdicts.
foll3='dio+import+foll-get-hook vmsplice+import+foll-get-hook zerocopy+import+foll-get-hook'
run "$pv" --patch "$ex/v5.7-follow.c"
want "patch v5.7-follow.c: table" 0 out 'v5.7 against the patch (follow_page_pte)' \
	out '^dio+import+foll-get-hook  *safe  *violation INV-01  *CHANGED'
n=$(grep 'CHANGED' "$tmp/out" | grep -vcE '^(dio|vmsplice|zerocopy)\+import\+foll-get-hook ')
c=$(grep -c 'CHANGED' "$tmp/out"); rows=$(grep -cE '^[a-z].*  (safe|violation|no-progress|deadlock)' "$tmp/out")
if [ "$n" -eq 0 ] && [ "$c" -eq 3 ] && [ "$rows" -ge 28 ]; then ok; else bad "patch v5.7-follow.c: $c changed ($n other), $rows rows"; fi
run "$pv" --all --patch "$ex/v5.7-follow.c"
n=$(grep 'CHANGED' "$tmp/out" | grep -vcE '^(dio|vmsplice|zerocopy)\+import\+foll-get-hook ')
rows=$(grep -cE '^[a-z].*  (safe|violation|no-progress|deadlock)' "$tmp/out")
if [ "$rc" -eq 0 ] && [ "$n" -eq 0 ] && [ "$rows" -ge 28 ]; then ok; else bad "patch v5.7-follow.c --all: exit $rc, $n other changed, $rows rows"; fi
for s in $foll3; do
	"$pv" show "$s" > "$tmp/$s.pvs"
	run "$pv" check --expect --patch "$here/follow-get-hook.c" "$tmp/$s.pvs"
	want "follow-get-hook.c on $s" 0 out 'safe, explored completely' out 'as expected'
done
# The FOLL_PIN path without arch_make_page_accessible (follow-pin-no-hook.c
# says why this scenario): a page imported before the pin is pinned secure
# and the disk transfers it.
"$pv" show gup-pin+import > "$tmp/gup-pin+import.pvs"
run "$pv" check --patch "$here/follow-pin-no-hook.c" "$tmp/gup-pin+import.pvs"
want "follow-pin-no-hook.c on gup-pin+import" 1 out 'BUG: INV-01' \
	out 'follow_page_pte: the' out 'expected: safe (NOT as expected)'
run "$pv" check --patch "$ex/v5.7-follow.c" "$tmp/gup-pin+import.pvs"
want "v5.7-follow.c on gup-pin+import" 0 out 'safe, explored completely'
# follow_page with a reference is not in the header's offer: an oops of the patch
run "$pv" check --patch "$here/gmap-foll-get.c" "$tmp/lookup+import.pvs"
want "patch: follow_page FOLL_GET" 1 out 'oops' out "header offers FOLL_WRITE and"
run "$pv" run --patch "$ex/v5.7.c" "$root/tests/runc/cas-read-order.c"
want "--patch for run" 2 err '--patch applies to'

# ---- determinism -------------------------------------------------------------------------
run "$pv" check "$ex/dave-reader.pvs"; grep -E '^(executions|states):' "$tmp/out" > "$tmp/c1"
run "$pv" check "$ex/dave-reader.pvs"; grep -E '^(executions|states):' "$tmp/out" > "$tmp/c2"
sed '/^paths /d' "$ex/dave-reader.pvs" > "$tmp/dr.pvs"
run "$pv" check --paths "$ex/dave-reader.c" "$tmp/dr.pvs"
grep -E '^(executions|states):' "$tmp/out" > "$tmp/c3"
if [ -s "$tmp/c1" ] && cmp -s "$tmp/c1" "$tmp/c2" && cmp -s "$tmp/c1" "$tmp/c3"; then ok
else bad "determinism: $(cat "$tmp/c1" "$tmp/c2" "$tmp/c3")"; fi
# the same reader without PV_PATH(), a path by its signature: same verdict
# and the same counts (the call by signature is the call PV_PATH's thunk makes)
sed -e 's/^static int dave_reader/int dave_reader/' -e '/^PV_PATH(/d' "$ex/dave-reader.c" \
	> "$tmp/dave-noreg.c"
if grep -q 'PV_PATH(' "$tmp/dave-noreg.c" || ! grep -q '^int dave_reader' "$tmp/dave-noreg.c"; then
	bad "dave-noreg.c: the sed did not make the reader non-static and unregistered"; fi
run "$pv" check --paths "$tmp/dave-noreg.c" "$tmp/dr.pvs"
grep -E '^(executions|states):' "$tmp/out" > "$tmp/c4"
if [ "$rc" -eq 0 ] && cmp -s "$tmp/c1" "$tmp/c4"; then ok
else bad "dave-noreg.c: exit $rc, $(cat "$tmp/c1" "$tmp/c4")"; fi

echo "paths: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
