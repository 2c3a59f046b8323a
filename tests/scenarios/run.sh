#!/bin/sh
# tests/scenarios/run.sh PVCHECK - the scenario-language suite.
#
#   malformed/*.pvs  each must be refused with exit 3, and the first line on
#                    stderr must equal malformed/NAME.err exactly
#   valid/*.pvs      `pvcheck check --expect` must exit 0 (verdict == expect)
#   regress/*.pvs    inputs that once crashed the model or bound vacuously:
#                    `check --expect` must exit 0 with the default search,
#                    --stateful and -j 2 (each file argues its expectation)
#   vacuous/*.pvs    an operation does nothing in every execution: the text
#                    report has NAME.warn's lines, --json a 'vacuous' list,
#                    and `check --expect` fails (exit 1) though the verdict is
#                    the file's
#   doc/scenarios.md every ```pvs block is extracted and checked like valid/
#   golden/*.pvs     the report (minus "time:" lines) must equal NAME.out;
#                    regenerate with: UPDATE=1 sh tests/scenarios/run.sh ./pvcheck
#   robustness       random and huge inputs: never a crash, only exit 0..4
#
# Prints one line per failure and ends with "scenarios: N passed, N failed".
set -u
. "$(dirname "$0")/../lib.sh"
suite_init "$1" scn

# ---- malformed: exact first error line, exit 3 ------------------------------
for f in "$here"/malformed/*.pvs; do
	[ -f "$f" ] || continue
	n=$(basename "$f" .pvs)
	exp=$here/malformed/$n.err
	if [ ! -f "$exp" ]; then bad "malformed/$n: no $n.err"; continue; fi
	(cd "$here/malformed" && "$pv" check "$n.pvs" >/dev/null 2>"$tmp/err"); rc=$?
	got=$(head -n 1 "$tmp/err")
	if [ $rc -ne 3 ]; then
		bad "malformed/$n: exit $rc, want 3 ($got)"
	elif [ "$got" != "$(cat "$exp")" ]; then
		bad "malformed/$n: got '$got', want '$(cat "$exp")'"
	else
		ok
	fi
done

# ---- valid: the verdict is the file's expectation ---------------------------
for f in "$here"/valid/*.pvs; do
	[ -f "$f" ] || continue
	n=$(basename "$f" .pvs)
	out=$("$pv" check --expect -q "$f" 2>&1); rc=$?
	if [ $rc -eq 0 ]; then ok; else bad "valid/$n: exit $rc: $out"; fi
done

# ---- regress: once a crash, now the verdict of the file under each search ---
for f in "$here"/regress/*.pvs; do
	[ -f "$f" ] || continue
	n=$(basename "$f" .pvs)
	for mode in "" --stateful "-j 2"; do
		# shellcheck disable=SC2086
		out=$("$pv" check --expect -q $mode "$f" 2>&1); rc=$?
		if [ $rc -eq 0 ]; then ok; else bad "regress/$n ${mode:-dpor}: exit $rc: $out"; fi
	done
done

# ---- vacuous: a verdict about nothing is a failure --------------------------
for f in "$here"/vacuous/*.pvs; do
	[ -f "$f" ] || continue
	n=$(basename "$f" .pvs)
	"$pv" check "$f" > "$tmp/out" 2>&1
	"$pv" check --expect -q "$f" > /dev/null 2>&1; rc=$?
	"$pv" check --json "$f" > "$tmp/json" 2>/dev/null
	if [ $rc -ne 1 ]; then
		bad "vacuous/$n: check --expect exit $rc, want 1"
	elif ! grep -F -x -f "$here/vacuous/$n.warn" "$tmp/out" > /dev/null ||
	     [ "$(grep -c '^warning: vacuous' "$tmp/out")" -ne "$(wc -l < "$here/vacuous/$n.warn")" ]; then
		bad "vacuous/$n: warnings differ: $(grep '^warning' "$tmp/out")"
	elif ! grep -q '"vacuous":\["' "$tmp/json"; then
		bad "vacuous/$n: no vacuous list in --json"
	else
		ok
	fi
done

# ---- doc/scenarios.md: every ```pvs example is a tested scenario -----------
if [ -f "$root/doc/scenarios.md" ]; then
	awk -v dir="$tmp" '
		/^```pvs[ \t]*$/ { n++; f = sprintf("%s/doc-example-%02d.pvs", dir, n); inb = 1; next }
		/^```/ && inb { inb = 0; close(f); next }
		inb { print > f }
	' "$root/doc/scenarios.md"
	for f in "$tmp"/doc-example-*.pvs; do
		[ -f "$f" ] || continue
		n=$(basename "$f" .pvs)
		out=$("$pv" check --expect -q "$f" 2>&1); rc=$?
		if [ $rc -eq 0 ]; then ok; else bad "doc/scenarios.md $n: exit $rc: $out"; fi
	done
fi

# ---- golden reports ---------------------------------------------------------
for f in "$here"/golden/*.pvs; do
	[ -f "$f" ] || continue
	n=$(basename "$f" .pvs)
	(cd "$here/golden" && "$pv" check "$n.pvs" 2>/dev/null | grep -v '^time:') > "$tmp/$n.out"
	if [ "${UPDATE:-}" = 1 ]; then cp "$tmp/$n.out" "$here/golden/$n.out"; fi
	if [ ! -f "$here/golden/$n.out" ]; then
		bad "golden/$n: no $n.out (UPDATE=1 to create)"
	elif diff -u "$here/golden/$n.out" "$tmp/$n.out" > "$tmp/diff"; then
		ok
	else
		bad "golden/$n: report differs:"; head -n 40 "$tmp/diff"
	fi
done

# ---- robustness: garbage never crashes the parser ---------------------------
i=0
for seed in 1 2 3 4 5 6 7 8 9 10 11 12; do
	i=$((i+1))
	awk -v seed=$seed 'BEGIN { srand(seed);
		w = "scenario question profile knob world end thread bound expect safe violation = \" # page p get_page 0x1 linux-5.7 \t x";
		n = split(w, words, " ");
		for (l = 0; l < 40; l++) { line = "";
			for (k = int(rand() * 8); k > 0; k--) {
				if (rand() < 0.1) line = line sprintf("%c", int(rand() * 255) + 1);
				else line = line words[int(rand() * n) + 1] (rand() < 0.8 ? " " : "");
			}
			print line } }' > "$tmp/fuzz$i.pvs"
done
head -c 300000 /dev/zero | tr '\0' 'x' > "$tmp/longline.pvs"
{ echo "scenario long"; head -c 200000 /dev/zero | tr '\0' '\n'; echo 'question "'; } > "$tmp/manylines.pvs"
printf 'scenario t\nquestion "%s' "$(head -c 100000 /dev/zero | tr '\0' 'q')" > "$tmp/longstring.pvs"
head -c 4096 /dev/urandom > "$tmp/random.pvs" 2>/dev/null || true
for f in "$tmp"/fuzz*.pvs "$tmp"/longline.pvs "$tmp"/manylines.pvs "$tmp"/longstring.pvs "$tmp"/random.pvs; do
	[ -f "$f" ] || continue
	"$pv" check --max-executions 10 "$f" >/dev/null 2>"$tmp/err"; rc=$?
	if [ $rc -le 4 ]; then ok; else bad "robustness $(basename "$f"): exit $rc: $(head -n 1 "$tmp/err")"; fi
done

echo "scenarios: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
