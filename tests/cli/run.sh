#!/bin/sh
# tests/cli/run.sh PVCHECK - command-line behaviour: help, version, usage
# errors (exit 2), list/show, the exit code of each verdict, --json, traces
# and replay, SIGINT, --example.  Scenarios come from the built-in catalog (pvcheck
# list / show), so this suite does not depend on the model's op names.
# Ends with "cli: N passed, N failed".
set -u
pv=$1
case $pv in /*) ;; *) pv=$(pwd)/$pv ;; esac
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pvcheck-cli.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
. "$(dirname "$0")/../lib.sh"
skip=0
skipped() { skip=$((skip+1)); echo "SKIP: $*"; }

# expect_rc WANT NAME CMD... - run CMD, compare the exit code
expect_rc() {
	want=$1; name=$2; shift 2
	"$@" >"$tmp/out" 2>"$tmp/err"; rc=$?
	if [ "$rc" -eq "$want" ]; then ok; else bad "$name: exit $rc, want $want: $(head -n 2 "$tmp/err")"; fi
}
# expect_line FILE TEXT NAME - FILE's first line equals TEXT
expect_first() {
	got=$(head -n 1 "$1")
	if [ "$got" = "$2" ]; then ok; else bad "$3: first line '$got', want '$2'"; fi
}
expect_grep() {
	if grep -q -e "$2" "$1"; then ok; else bad "$3: no '$2' in output"; fi
}

# ---- help, version, usage errors ---------------------------------------------
expect_rc 0 "--help" "$pv" --help
expect_grep "$tmp/out" "^usage: pvcheck" "--help usage"
expect_grep "$tmp/out" "Exit codes:" "--help exit codes"
expect_grep "$tmp/out" "  4  exploration incomplete" "--help exit 4"
expect_rc 0 "-h" "$pv" -h
expect_rc 0 "help command" "$pv" help
expect_rc 0 "--version" "$pv" --version
expect_grep "$tmp/out" "^pvcheck [0-9]" "--version line"
expect_grep "$tmp/out" "^model: " "--version model"

expect_rc 2 "unknown long option" "$pv" --bogus
expect_first "$tmp/err" "pvcheck: unknown option '--bogus'" "unknown long option message"
expect_grep "$tmp/err" "^usage: pvcheck" "usage after an error"
expect_rc 2 "unknown short option" "$pv" -x
expect_first "$tmp/err" "pvcheck: unknown option '-x'" "unknown short option message"
expect_rc 2 "missing argument" "$pv" check --seed
expect_first "$tmp/err" "pvcheck: option '--seed' needs an argument" "missing argument message"
expect_rc 2 "--symmetry with run" "$pv" run x.c --symmetry
expect_first "$tmp/err" "pvcheck: --symmetry: only scenarios declare symmetric threads (a program's thread handles tell its threads apart)" "--symmetry with run message"
expect_rc 2 "--symmetry with --stateless" "$pv" --symmetry --stateless
expect_first "$tmp/err" "pvcheck: --symmetry needs the stateful search, not --stateless" "--symmetry with --stateless message"
expect_rc 2 "--symmetry with --random" "$pv" --symmetry --random 10
expect_rc 0 "--symmetry on the catalog" "$pv" --symmetry
ncat=$("$pv" list | wc -l | tr -d ' ')	# the built-in catalog's size
expect_grep "$tmp/out" "$ncat as expected, 0 not" "--symmetry catalog verdicts"
expect_rc 2 "bad number" "$pv" --max-executions lots
expect_first "$tmp/err" "pvcheck: --max-executions: 'lots' is not a non-negative number" "bad number message"
expect_rc 2 "negative number" "$pv" --depth -3
expect_rc 2 "bad timeout" "$pv" --timeout soon
expect_rc 2 "unknown command" "$pv" chek x.pvs
expect_first "$tmp/err" "pvcheck: unknown command 'chek'; did you mean 'check'?" "unknown command message"
expect_rc 2 "check without file" "$pv" check
expect_first "$tmp/err" "pvcheck: check: no scenario file given" "check without file message"
expect_rc 2 "bad --knob syntax" "$pv" --knob nothing
expect_first "$tmp/err" "pvcheck: --knob: expected NAME=VALUE, got 'nothing'" "--knob syntax message"
expect_rc 2 "unknown knob" "$pv" --knob no_such_knob_here=on
expect_rc 2 "-D outside run" "$pv" check -DX=1 x.pvs
expect_rc 2 "replay without trace" "$pv" replay
expect_rc 2 "show without name" "$pv" show
expect_rc 2 "list with argument" "$pv" list extra
expect_rc 2 "trace-out for several" "$pv" check --trace-out "$tmp/none.json" a.pvs b.pvs
expect_rc 2 "show unknown" "$pv" show no-such-scenario-at-all
expect_first "$tmp/err" "pvcheck: no catalog scenario 'no-such-scenario-at-all' (pvcheck list shows them)" "show unknown message"

# a file that cannot be read is a system error (README: exit 2), not the input's
expect_rc 2 "missing file" "$pv" check "$tmp/does-not-exist.pvs"
expect_grep "$tmp/err" "does-not-exist.pvs: error: cannot open" "missing file message"
expect_rc 2 "directory as a file" "$pv" check "$tmp"
expect_rc 2 "run: missing program" "$pv" run "$tmp/does-not-exist.c"

# ---- input errors: exit 3 ----------------------------------------------------
printf 'scenario x\nquestion "q"\nprofile linux-5.7\nworld\nend\nthread t\n  no_such_op_anywhere\nend\n' > "$tmp/badop.pvs"
expect_rc 3 "unknown op" "$pv" check "$tmp/badop.pvs"
expect_grep "$tmp/err" "badop.pvs:7:3: error: unknown operation 'no_such_op_anywhere'" "unknown op message"
expect_rc 2 "trace missing" "$pv" replay "$tmp/nothing.json"
expect_rc 2 "a directory as the scenario" "$pv" check "$tmp"
expect_grep "$tmp/err" "error: cannot open: a directory, not a scenario file" "directory message"
echo '{"format": "pvcheck-trace", "version": 1, "scen' > "$tmp/trunc.json"
expect_rc 3 "trace truncated" "$pv" replay "$tmp/trunc.json"
expect_grep "$tmp/err" "corrupt or truncated trace" "trace truncated message"
echo '{"hello": 1}' > "$tmp/other.json"
expect_rc 3 "not a trace" "$pv" replay "$tmp/other.json"
expect_grep "$tmp/err" "is not a pvcheck trace" "not a trace message"

# ---- list and show -------------------------------------------------------------
expect_rc 0 "list" "$pv" list
cp "$tmp/out" "$tmp/list"
n=$(wc -l < "$tmp/list")
first=$(awk 'NR == 1 { print $1 }' "$tmp/list")
if [ -n "$first" ]; then
	expect_rc 0 "show $first" "$pv" show "$first"
	expect_grep "$tmp/out" "^scenario $first\$" "show prints the scenario"
	f=$(grep -l "^scenario $first\$" scenarios/catalog/*.pvs 2>/dev/null | head -n 1)
	if [ -n "$f" ] && cmp -s "$tmp/out" "$f"; then ok; else bad "show $first: not verbatim ($f)"; fi
else
	skipped "list/show: the catalog is empty"
fi

# ---- list -v: the model reference, from the model's tables --------------------
expect_rc 0 "list -v" "$pv" list -v
expect_grep "$tmp/out" "^world declarations" "list -v: declaration kinds"
expect_grep "$tmp/out" "^  splice_read " "list -v: operations"
expect_grep "$tmp/out" "^  splice_hook  *off|on " "list -v: knobs, v5.7 default first"

# ---- the catalog: exit 0 when every verdict is as expected --------------------
"$pv" >"$tmp/cat" 2>"$tmp/err"; rc=$?
if [ $rc -eq 0 ]; then ok; else bad "catalog: exit $rc"; sed -n '1,40p' "$tmp/cat"; fi
expect_grep "$tmp/cat" "^[0-9]* as expected, 0 not\$" "catalog summary"
rows=$(grep -c '  ok$' "$tmp/cat")
if [ "$rows" -eq "$n" ]; then ok; else bad "catalog: $rows rows ok, $n scenarios"; fi
"$pv" --json >"$tmp/cat.json" 2>/dev/null
lines=$(wc -l < "$tmp/cat.json")
if [ "$lines" -eq "$n" ]; then ok; else bad "catalog --json: $lines lines for $n scenarios"; fi
if python3 - "$tmp/cat.json" <<'EOF'
import json, sys
keys = ["name", "verdict", "expected", "complete", "executions", "blocked", "steps",
        "seconds", "violation", "trace"]
for line in open(sys.argv[1]):
    o = json.loads(line)
    for k in keys:
        assert k in o, k
    assert o["verdict"] in ("safe", "violation", "deadlock", "no-progress", "incomplete")
    if o["violation"] is not None:
        for k in ("kind", "id", "message", "thread", "location"):
            assert k in o["violation"], k
EOF
then ok; else bad "catalog --json: malformed objects"; fi

# ---- exit codes of check, traces and replay -------------------------------------
viol=$(awk '$2 == "violation" { print $1; exit }' "$tmp/list")
safe=$(awk '$2 == "safe" { print $1; exit }' "$tmp/list")
if [ -n "$viol" ]; then
	"$pv" show "$viol" > "$tmp/viol.pvs"
	expect_rc 1 "check finding" "$pv" check "$tmp/viol.pvs"
	expect_grep "$tmp/out" "^BUG: INV-" "report banner"
	expect_grep "$tmp/out" "^End state:" "report end state"
	expect_rc 0 "check --expect finding" "$pv" check --expect "$tmp/viol.pvs"
	expect_rc 1 "check finding, trace" "$pv" check --trace-out "$tmp/viol.trace" "$tmp/viol.pvs"
	grep -v -e '^time:' -e '^found ' -e '^trace:' "$tmp/out" > "$tmp/report1"
	expect_rc 1 "replay" "$pv" replay "$tmp/viol.trace"
	grep -v -e '^time:' -e '^replayed from' -e '^trace:' -e '^executions:' "$tmp/out" > "$tmp/report2"
	grep -v '^executions:' "$tmp/report1" > "$tmp/report1b"
	if cmp -s "$tmp/report1b" "$tmp/report2"; then ok; else bad "replay: report differs"; diff "$tmp/report1b" "$tmp/report2" | head -n 20; fi
	expect_rc 1 "check --replay" "$pv" check --replay "$tmp/viol.trace" "$tmp/viol.pvs"
	sed 's/"model": "[^"]*"/"model": "some other model"/' "$tmp/viol.trace" > "$tmp/model.trace"
	expect_rc 3 "replay: model mismatch" "$pv" replay "$tmp/model.trace"
	expect_grep "$tmp/err" "refusing to replay" "replay: model mismatch message"
	{ cat "$tmp/viol.pvs"; echo "# edited"; } > "$tmp/edited.pvs"
	expect_rc 3 "replay: scenario changed" "$pv" replay "$tmp/viol.trace" "$tmp/edited.pvs"
	expect_grep "$tmp/err" "has changed since trace" "replay: scenario changed message"
	k=$(python3 -c 'import json,sys; t=json.load(open(sys.argv[1])); k=sorted(t["knobs"])[0]; print(k)' "$tmp/viol.trace" 2>/dev/null)
	if [ -n "$k" ]; then
		python3 - "$tmp/viol.trace" "$tmp/knob.trace" "$k" <<'EOF'
import json, sys
t = json.load(open(sys.argv[1]))
t["knobs"][sys.argv[3]] = "a-value-nobody-has"
json.dump(t, open(sys.argv[2], "w"))
EOF
		expect_rc 3 "replay: knob mismatch" "$pv" replay "$tmp/knob.trace"
		expect_grep "$tmp/err" "knob $k is" "replay: knob mismatch message"
	fi
	head -c 200 "$tmp/viol.trace" > "$tmp/cut.trace"
	expect_rc 3 "replay: truncated" "$pv" replay "$tmp/cut.trace"
	expect_rc 1 "check --json finding" "$pv" check --json "$tmp/viol.pvs"
	if python3 -c 'import json,sys; o=json.loads(open(sys.argv[1]).read()); assert o["verdict"]=="violation" and o["violation"]["id"].startswith("INV-") and o["counterexample"]["steps"]' "$tmp/out"; then ok; else bad "check --json: fields"; fi
else
	skipped "finding/replay: no catalog scenario expects a violation"
fi
if [ -n "$safe" ]; then
	"$pv" show "$safe" > "$tmp/safe.pvs"
	expect_rc 0 "check safe" "$pv" check "$tmp/safe.pvs"
	expect_grep "$tmp/out" "safe, explored completely" "check safe line"
	expect_rc 4 "check cut by a bound" "$pv" check --random-phase 0 --max-executions 1 "$tmp/safe.pvs"
	expect_grep "$tmp/out" "cut by max-executions" "cut line"
	expect_rc 4 "random walks never prove safety" "$pv" check --random 5 "$tmp/safe.pvs"
	expect_rc 3 "several files, one bad" "$pv" check "$tmp/safe.pvs" "$tmp/badop.pvs"
	# the stateful search counts its POR tables in its memory (--state-memory caps both)
	"$pv" check --json --stateful --random-phase 0 "$tmp/safe.pvs" > "$tmp/sf.json" 2>/dev/null
	if python3 -c 'import json,sys; o=json.loads(open(sys.argv[1]).read()); assert 0 < o["por_bytes"] < o["state_bytes"], o' "$tmp/sf.json"
	then ok; else bad "--stateful --json: por_bytes counted in state_bytes: $(cut -c1-300 "$tmp/sf.json")"; fi
	# SIGINT: random walks for a long time, interrupted after a second
	"$pv" check --json --random 1000000000 "$tmp/safe.pvs" > "$tmp/int.json" 2>/dev/null &
	p=$!
	sleep 1
	kill -INT $p 2>/dev/null
	wait $p; rc=$?
	if [ $rc -eq 4 ] && grep -q '"cut_by":"interrupted"' "$tmp/int.json"; then ok
	else bad "SIGINT: exit $rc, $(cut -c1-200 "$tmp/int.json")"; fi
else
	skipped "safe/incomplete/SIGINT: no catalog scenario expects safe"
fi

# ---- --example: one complete execution after a safe verdict (issue 17 part 1) -----
# A small safe scenario (stateless, complete), else the first safe one.
exs=$(awk '$1 == "gup-pin+import" && $2 == "safe" { print $1 }' "$tmp/list")
[ -n "$exs" ] || exs=$safe
if [ -n "$exs" ]; then
	"$pv" show "$exs" > "$tmp/ex.pvs"
	expect_rc 0 "--example 1" "$pv" check --example 1 "$tmp/ex.pvs"
	cp "$tmp/out" "$tmp/ex1"
	m=$(sed -n 's/^executions: \([0-9]*\);.*/\1/p' "$tmp/ex1")
	expect_grep "$tmp/ex1" "^example: execution 1 of $m (outcome: " "--example heading"
	expect_grep "$tmp/ex1" "^End state of the example:" "--example end state"
	# the listing ends with the step that ends the last thread
	last=$(sed -n '/^example: /,/^End state of the example:/p' "$tmp/ex1" | grep -v '^End state' |
	       grep -v '^ *$' | tail -n 1)
	case $last in *" exit "*"(scenario: thread ends)") ok ;; *) bad "--example: last row '$last'" ;; esac
	# the same trace on every run, with -j 2, and after a stateful verdict
	sed -n '/^example: /,$p' "$tmp/ex1" > "$tmp/ex1.tr"
	"$pv" check --example 1 "$tmp/ex.pvs" 2>/dev/null | sed -n '/^example: /,$p' > "$tmp/ex2.tr"
	if cmp -s "$tmp/ex1.tr" "$tmp/ex2.tr"; then ok; else bad "--example: differs between two runs"; fi
	"$pv" check -j 2 --example 1 "$tmp/ex.pvs" 2>/dev/null | sed -n '/^example: /,$p' > "$tmp/ex2.tr"
	if cmp -s "$tmp/ex1.tr" "$tmp/ex2.tr"; then ok; else bad "--example: -j 2 differs from -j 1"; fi
	"$pv" check --stateful --example 1 "$tmp/ex.pvs" 2>/dev/null > "$tmp/exs"
	expect_grep "$tmp/exs" "^example: execution 1 of the stateless DPOR order (the verdict's stateful search numbers none)" "--example after --stateful"
	# (its heading differs and wraps: compare from the table on)
	sed -n '/^example: /,$p' "$tmp/exs" | sed -n '/^  step /,$p' > "$tmp/ex2.tr"
	sed -n '/^  step /,$p' "$tmp/ex1.tr" > "$tmp/ex3.tr"
	if cmp -s "$tmp/ex3.tr" "$tmp/ex2.tr"; then ok; else bad "--example: --stateful shows another execution"; fi
	# the last execution, and one past it: exit 2 with the count
	expect_rc 0 "--example M" "$pv" check --example "$m" "$tmp/ex.pvs"
	expect_grep "$tmp/out" "^example: execution $m of $m " "--example M heading"
	expect_rc 2 "--example M+1" "$pv" check --example $((m + 1)) "$tmp/ex.pvs"
	expect_first "$tmp/err" "pvcheck: --example $((m + 1)): $exs has $m complete executions; there is no execution $((m + 1))" "--example M+1 message"
	expect_grep "$tmp/out" "^example: none: $exs has $m complete executions" "--example M+1 in the report"
	expect_grep "$tmp/out" "safe, explored completely" "--example M+1 keeps the verdict"
	# --json: the example with a counterexample's step records
	"$pv" check --json --example 2 "$tmp/ex.pvs" > "$tmp/ex.json" 2>/dev/null
	"$pv" check --json "$tmp/viol.pvs" > "$tmp/viol.json" 2>/dev/null
	if python3 - "$tmp/ex.json" "$tmp/viol.json" "$m" <<'PYEOF'
import json, sys
o = json.loads(open(sys.argv[1]).read())
v = json.loads(open(sys.argv[2]).read())
e = o["example"]
assert o["verdict"] == "safe" and o["counterexample"] is None, o["verdict"]
assert e["select"] == "2" and e["execution"] == 2 and e["of"] == int(sys.argv[3]), e
assert e["notice"] is None and e["heading"].startswith("execution 2 of "), e["heading"]
assert len(e["schedule"]) == len(e["steps"]) > 0
ce = v["counterexample"]["steps"][0]
for s in e["steps"]:
    assert set(s) == set(ce), (sorted(s), sorted(ce))
assert e["steps"][-1]["kind"] == "exit"
ended = {s["tid"] for s in e["steps"] if s["kind"] == "exit"}
assert ended == set(range(len(e["threads"]))), (ended, e["threads"])
assert len(e["outcomes"]) == len(o["outcomes"]) and e["end_state"]
PYEOF
	then ok; else bad "--json --example: $(head -c 300 "$tmp/ex.json")"; fi
	"$pv" check --json --example $((m + 1)) "$tmp/ex.pvs" > "$tmp/ex.json" 2>/dev/null
	if python3 -c 'import json,sys; e=json.loads(open(sys.argv[1]).read())["example"]; assert e["execution"] is None and e["steps"] is None and "no execution" in e["notice"]' "$tmp/ex.json"; then ok; else bad "--json --example M+1: $(head -c 300 "$tmp/ex.json")"; fi
	# --svg without a finding draws the example
	expect_rc 0 "--example --svg" "$pv" check --example 1 --svg "$tmp/ex.svg" "$tmp/ex.pvs"
	expect_grep "$tmp/out" "^svg: $tmp/ex.svg\$" "--example --svg: the report names it"
	if grep -q '<g class="step"' "$tmp/ex.svg" 2>/dev/null && grep -q '>example: execution 1 of' "$tmp/ex.svg" &&
	   ! grep -q 'class="finding"' "$tmp/ex.svg"; then ok; else bad "--example --svg: no example drawing"; fi
	# --trace-out without a finding writes the example, and replay re-runs it
	expect_rc 0 "--example --trace-out" "$pv" check --example 2 --trace-out "$tmp/ex.trace" "$tmp/ex.pvs"
	expect_grep "$tmp/out" "^trace: $tmp/ex.trace\$" "--example --trace-out: the report names it"
	if python3 -c 'import json,sys; t=json.load(open(sys.argv[1])); assert t["verdict"]=="safe" and t["violation"] is None and t["steps"] and t["steps"][-1]["kind"]=="exit"' "$tmp/ex.trace"; then ok; else bad "--example --trace-out: not an example trace"; fi
	sed -n '/^  step /,/^End state of the example:/p' "$tmp/out" > "$tmp/ex2.tr"
	expect_rc 0 "replay an example trace" "$pv" replay "$tmp/ex.trace"
	expect_grep "$tmp/out" "replayed from $tmp/ex.trace: every thread exited, no finding" "replay an example: heading"
	expect_grep "$tmp/out" "^example: the execution of $tmp/ex.trace, replayed (outcome: " "replay an example: its outcomes"
	sed -n '/^  step /,/^End state of the example:/p' "$tmp/out" > "$tmp/ex3.tr"
	if [ -s "$tmp/ex2.tr" ] && cmp -s "$tmp/ex2.tr" "$tmp/ex3.tr"; then ok; else bad "replay an example: another execution"; diff "$tmp/ex2.tr" "$tmp/ex3.tr" | head -n 10; fi
	python3 -c 'import json,sys; t=json.load(open(sys.argv[1])); s=t["steps"][len(t["steps"])//2]; s["value"]=s["value"]+1; json.dump(t,open(sys.argv[2],"w"))' "$tmp/ex.trace" "$tmp/exbad.trace"
	expect_rc 3 "replay an edited example trace" "$pv" replay "$tmp/exbad.trace"
	expect_grep "$tmp/err" "trace does not replay: step [0-9]* differs" "replay an edited example: message"
	# by outcome: the first execution where an operation returned one of the outcome lines' errnos
	rc0=$(sed -n '/^outcomes/,$p' "$tmp/ex1" | grep -o -e '-E[A-Z]*' | head -n 1)
	if [ -n "$rc0" ]; then
		expect_rc 0 "--example $rc0" "$pv" check --example "$rc0" "$tmp/ex.pvs"
		expect_grep "$tmp/out" "^example: execution [0-9]* of $m, the first in which an operation returned $rc0" "--example $rc0 heading"
		low=$(echo "${rc0#-E}" | tr 'A-Z' 'a-z')
		"$pv" check --example "$low" "$tmp/ex.pvs" 2>/dev/null | sed -n '/^example: /,$p' > "$tmp/ex2.tr"
		sed -n '/^example: /,$p' "$tmp/out" > "$tmp/ex3.tr"
		if cmp -s "$tmp/ex3.tr" "$tmp/ex2.tr"; then ok; else bad "--example $low differs from $rc0"; fi
	else
		skipped "--example OUTCOME: $exs returns no errno"
	fi
	if ! grep -q -e '-EBADF' "$tmp/ex1"; then
		expect_rc 2 "--example an outcome none has" "$pv" check --example ebadf "$tmp/ex.pvs"
		expect_first "$tmp/err" "pvcheck: --example ebadf: in none of the $m complete executions of $exs did an operation return -EBADF" "--example an outcome none has: message"
	fi
	expect_rc 2 "--example unknown WHO" "$pv" check --example nosuchthread=-EBADF "$tmp/ex.pvs"
	expect_grep "$tmp/err" "'nosuchthread' is neither a thread nor an operation of $exs" "--example unknown WHO message"
	# the search for the example is cut where the verdict's was: exit 4
	expect_rc 4 "--example past --max-executions" "$pv" check --random-phase 0 --max-executions 1 --example 2 "$tmp/ex.pvs"
	expect_grep "$tmp/err" "the search for the example was cut by max-executions after 1 executions" "--example cut message"
else
	skipped "--example: no catalog scenario expects safe"
fi
if [ -n "$viol" ]; then
	expect_rc 1 "--example after a finding" "$pv" check --example 1 "$tmp/viol.pvs"
	expect_grep "$tmp/out" "^BUG: INV-" "--example after a finding: the counterexample"
	expect_first "$tmp/err" "pvcheck: --example: $viol has a finding: its counterexample is the example" "--example after a finding: note"
fi
expect_rc 2 "--example 0" "$pv" check --example 0 x.pvs
expect_first "$tmp/err" "pvcheck: --example: executions are numbered from 1 (for the outcome 0, write --example =0)" "--example 0 message"
expect_rc 2 "--example bogus" "$pv" check --example bogus x.pvs
expect_rc 2 "--example with --random" "$pv" check --example 1 --random 5 x.pvs
expect_rc 2 "--example OUTCOME with run" "$pv" run --example busy x.c
expect_rc 2 "--example on the catalog" "$pv" --example 1
expect_rc 2 "--example with -q" "$pv" check -q --example 1 x.pvs

# ---- messages (issue 17 part 3) ------------------------------------------------
# Options are spelled out: getopt_long's prefixes would make "--trace x.pvs"
# --trace-out and swallow the scenario as its file name.
expect_rc 2 "--trace abbreviates nothing" "$pv" check --trace x.pvs
expect_first "$tmp/err" "pvcheck: unknown option '--trace'; did you mean '--trace-out'?" "--trace message"
expect_rc 2 "--max-exec abbreviates nothing" "$pv" --max-exec 5
expect_first "$tmp/err" "pvcheck: unknown option '--max-exec'; did you mean '--max-executions'?" "--max-exec message"
expect_rc 2 "misspelt option" "$pv" --jsno
expect_first "$tmp/err" "pvcheck: unknown option '--jsno'; did you mean '--json'?" "misspelt option message"
expect_rc 2 "value for a flag" "$pv" --json=yes
expect_first "$tmp/err" "pvcheck: option '--json' takes no value" "value for a flag message"
expect_rc 0 "--opt=value spelled out" "$pv" list --knob=splice_hook=on

# Near names for the world's objects and keys, the values of a knob.
"$pv" show splice+import > "$tmp/si.pvs"
sed 's/file=mem /file=mme /' "$tmp/si.pvs" > "$tmp/mme.pvs"
expect_rc 3 "object name typo" "$pv" check "$tmp/mme.pvs"
expect_grep "$tmp/err" "mme.pvs:24:11: error: no file named 'mme' (declare it first); did you mean 'mem'?" "object name suggestion"
sed 's/file=mem /file=pp /' "$tmp/si.pvs" > "$tmp/kind.pvs"
expect_rc 3 "object of another kind" "$pv" check "$tmp/kind.pvs"
expect_grep "$tmp/err" "no file named 'pp' (declare it first); 'pp' is a pipe, not a file" "object kind message"
sed 's/ index=0 / indx=0 /' "$tmp/si.pvs" > "$tmp/indx.pvs"
expect_rc 3 "key typo" "$pv" check "$tmp/indx.pvs"
expect_grep "$tmp/err" "error: unknown key 'indx' for a page; did you mean 'index'?" "key suggestion"
sed 's/ index=0 / idx=0 /' "$tmp/si.pvs" > "$tmp/idx.pvs"
expect_rc 3 "unknown key" "$pv" check "$tmp/idx.pvs"
expect_grep "$tmp/err" "error: unknown key 'idx' for a page (keys: free, mm, addr, ro, prot, mm2, addr2, file, index, state, data, private, pvec, huge, referenced, active, reclaim, swapcache, thp, zero, mlocked)" "key list"
sed 's/  nic eth0/  nic eth0 speed=1/' "$tmp/si.pvs" > "$tmp/nickey.pvs"
expect_rc 3 "key for a kind without keys" "$pv" check "$tmp/nickey.pvs"
expect_grep "$tmp/err" "error: unknown key 'speed' for a nic (it takes no keys)" "no-keys message"
sed 's/^knob splice_hook = off/knob splice_hook = of/' "$tmp/si.pvs" > "$tmp/knobval.pvs"
expect_rc 3 "bad knob value in a file" "$pv" check "$tmp/knobval.pvs"
expect_grep "$tmp/err" "18:20: error: knob splice_hook has no value 'of'; did you mean 'off'? (values: off|on)" "knob value list"
sed 's/^knob splice_hook = off/knob splice_hook = maybe/' "$tmp/si.pvs" > "$tmp/knobval2.pvs"
expect_rc 3 "far knob value in a file" "$pv" check "$tmp/knobval2.pvs"
expect_grep "$tmp/err" "error: knob splice_hook has no value 'maybe' (values: off|on)" "knob values without a near one"

# A binary file: said so, and none of its bytes reach the terminal.
head -c 2000 "$pv" > "$tmp/binary.pvs"
expect_rc 3 "binary file" "$pv" check "$tmp/binary.pvs"
expect_grep "$tmp/err" "binary.pvs: error: a binary file (NUL byte at offset [0-9]*), not a scenario" "binary file message"
printf 'scenario t\377\376\001x\nquestion "\200\201"\n' > "$tmp/highbytes.pvs"
expect_rc 3 "non-UTF-8 bytes" "$pv" check "$tmp/highbytes.pvs"
cat "$tmp/err" > "$tmp/allerr"
"$pv" replay "$tmp/binary.pvs" 2>> "$tmp/allerr" >/dev/null
"$pv" check "$tmp/binary.pvs" 2>> "$tmp/allerr" >/dev/null
if LC_ALL=C grep -q '[^[:print:][:space:]]' "$tmp/allerr"; then
	bad "binary input: bytes echoed to the terminal: $(LC_ALL=C grep '[^[:print:][:space:]]' "$tmp/allerr" | head -n 1 | od -c | head -n 3)"
else
	ok
fi

# --json: an input or system error is a JSON record too, one per file.
"$pv" show "$safe" > "$tmp/ok.pvs" 2>/dev/null
"$pv" check --json "$tmp/does-not-exist.pvs" "$tmp/mme.pvs" "$tmp/ok.pvs" "$tmp/binary.pvs" \
	>"$tmp/errs.json" 2>/dev/null; rc=$?
if [ $rc -eq 3 ]; then ok; else bad "--json with bad files: exit $rc, want 3"; fi
if python3 - "$tmp/errs.json" <<'PYEOF'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert len(rows) == 4, rows
for r in rows:
    for k in ("file", "verdict"):
        assert k in r, (k, r)
e = [r for r in rows if r["verdict"] == "input-error"]
assert len(e) == 3, e
for r in e:
    for k in ("error", "file", "line", "col", "message", "exit"):
        assert k in r, (k, r)
assert e[0]["file"].endswith("does-not-exist.pvs") and e[0]["error"] == "system" and e[0]["exit"] == 2
assert e[1]["line"] == 24 and e[1]["col"] == 11 and "did you mean 'mem'" in e[1]["message"]
assert e[1]["error"] == "input" and e[1]["exit"] == 3 and e[1]["name"] == "splice+import"
assert e[2]["file"].endswith("binary.pvs") and e[2]["line"] is None
assert rows[2]["verdict"] == "safe"
PYEOF
then ok; else bad "--json input-error records: $(head -c 600 "$tmp/errs.json")"; fi
"$pv" replay --json "$tmp/nothing.json" >"$tmp/errs.json" 2>/dev/null
if python3 -c 'import json,sys; r=json.loads(open(sys.argv[1]).read()); assert r["error"]=="system" and r["exit"]==2 and "cannot open trace" in r["message"]' "$tmp/errs.json"; then ok; else bad "replay --json missing trace: $(cat "$tmp/errs.json")"; fi

# --svg DIR on the catalog: one drawing per finding, the same table.
mkdir -p "$tmp/svgs"
"$pv" --svg "$tmp/svgs" >"$tmp/cat2" 2>"$tmp/err"; rc=$?
nv=$(awk '$2 == "violation" || $2 == "deadlock" || $2 == "no-progress"' "$tmp/list" | wc -l)
ns=$(ls "$tmp/svgs" | grep -c '\.svg$')
if [ $rc -eq 0 ] && [ "$ns" -eq "$nv" ] && [ "$nv" -gt 0 ]; then ok; else bad "--svg DIR on the catalog: exit $rc, $ns drawings for $nv findings"; fi
if [ "$(awk '{ print $1, $NF }' "$tmp/cat")" = "$(awk '{ print $1, $NF }' "$tmp/cat2")" ]; then ok
else bad "--svg DIR changes the catalog table"; fi
for n in $(awk '$2 == "violation" { print $1 }' "$tmp/list"); do
	grep -q '<svg' "$tmp/svgs/$n.svg" 2>/dev/null && ok || bad "--svg DIR: no drawing $n.svg"
done

echo "cli: $pass passed, $fail failed${skip:+, $skip skipped}"
[ "$fail" -eq 0 ]
