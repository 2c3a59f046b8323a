#!/bin/sh
# tests/reports/run.sh PVCHECK - the counterexample reports (issue 6).
#
#   golden       for every catalog scenario that expects a finding, the
#                condensed report equals tests/reports/golden/NAME.txt
#                ("time:" and "states:" lines removed, and for a search
#                that switched to stateful the counts too: they depend on
#                the build's stack layouts, e.g. under ASan); UPDATE=1
#                (make golden) rewrites
#                the golden files instead of comparing;
#   interleaving the report names the interleaving the 2020 thread (or the
#                scenario's comment) describes: the fixed strings of
#                tests/reports/interleavings, in order;
#   replay       the trace written with --trace-out replays to the same
#                finding and prints the same report; a trace with another
#                model version, scenario hash or knobs, and a truncated or
#                corrupt one, are refused with exit 3 and "refusing to replay";
#                so is a tampered one (every swap of two schedule entries,
#                an extra entry, an edited step, thread name or verdict);
#   readme       README.md's example counterexample is the current output;
#   kernel       every step of every catalog trace has a v5.7 kernel
#                location (src/report/kernel.c), every model function with a
#                site is in that table, and with PVCHECK_LINUX_GIT (a v5.7
#                git directory) each named function is defined in its file;
#                -v shows the model's file:line beside it and the ghost
#                steps, which the condensed report hides;
#   chains       each thread's kernel call chain at the finding (--json
#                "chains", the text block after the trace) for scenarios whose
#                v5.7 path is argued in the test;
#   example      --example 1 of every safe catalog scenario: a complete
#                trace, every step with a kernel location, each operation's
#                outcome; one example's report against golden/examples/;
#   svg          --svg writes a self-contained SVG with one lane per thread
#                and one step group per step: rendered by headless chromium
#                when installed (else "SKIP chromium" and python3's
#                xml.etree checks the same from the file).
#
# Reports are written to a file, so their width is the fixed one (100).
# Ends with "reports: N passed, N failed"; exit 1 on any failure.
set -u
. "$(dirname "$0")/../lib.sh"
suite_init "$1" reports
golden=$here/golden
export LC_ALL=C
cd "$root" || exit 2

# The scenarios whose expected verdict is a finding: "NAME  violation INV-01  question".
names=$("$pv" list | awk '$2 != "safe" { print $1 }')
[ -n "$names" ] || bad "pvcheck list: no catalog scenario expects a finding"

# in_order FILE NAME PATTERN... - the fixed strings occur in FILE in this order.
in_order() {
	f=$1; n=$2; shift 2
	line=0
	for p in "$@"; do
		next=$(awk -v from="$line" -v pat="$p" 'NR > from && index($0, pat) { print NR; exit }' "$f")
		if [ -z "$next" ]; then
			bad "$n: interleaving: '$p' not found after line $line of the report"
			return
		fi
		line=$next
	done
	ok
}

# ---- golden reports and their interleavings -------------------------------
for n in $names; do
	scn=scenarios/catalog/$n.pvs
	"$pv" check "$scn" > "$tmp/$n.out" 2> "$tmp/$n.err"
	rc=$?
	[ "$rc" -eq 1 ] || bad "$n: check exit $rc, want 1: $(head -n 2 "$tmp/$n.err")"
	# A search that went stateful counts states, steps and executions
	# that depend on the build's stack layouts (ASan), and so does the
	# fairness pass's whole graph: keep the trace and the fairness verdict.
	if grep -qE '^(search|states): ' "$tmp/$n.out"; then
		grep -Ev '^(time|states|executions):' "$tmp/$n.out" |
			sed -E 's/^found [^;]*;/found ...;/; s/^(fairness: .*)\([0-9]+ states\)/\1(N states)/' > "$tmp/$n.txt"
	else
		grep -Ev '^(time|states):' "$tmp/$n.out" > "$tmp/$n.txt"
	fi
	if [ "${UPDATE:-}" = 1 ]; then
		mkdir -p "$golden"
		cp "$tmp/$n.txt" "$golden/$n.txt"
		ok
	elif [ ! -f "$golden/$n.txt" ]; then
		bad "$n: no golden file tests/reports/golden/$n.txt (make golden)"
	elif cmp -s "$golden/$n.txt" "$tmp/$n.txt"; then
		ok
	else
		bad "$n: report differs from tests/reports/golden/$n.txt (make golden, then review the diff)"
		diff -u "$golden/$n.txt" "$tmp/$n.txt" | head -n 30
	fi
	# tests/reports/interleavings: "NAME: string | string | ..."
	spec=$(grep "^$n:" "$here/interleavings" 2>/dev/null | sed "s/^$n: *//")
	if [ -z "$spec" ]; then
		bad "$n: no line in tests/reports/interleavings"
	else
		old_ifs=$IFS; IFS='|'
		set -f
		# shellcheck disable=SC2086
		set -- $spec
		set +f
		IFS=$old_ifs
		pats=""
		for p in "$@"; do
			p=$(echo "$p" | sed 's/^ *//; s/ *$//')
			pats="$pats$p
"
		done
		old_ifs=$IFS; IFS='
'
		# shellcheck disable=SC2086
		in_order "$tmp/$n.txt" "$n" $pats
		IFS=$old_ifs
	fi
done
# Golden files of scenarios that no longer expect a finding.
for g in "$golden"/*.txt; do
	[ -f "$g" ] || continue
	n=$(basename "$g" .txt)
	echo "$names" | grep -qx -- "$n" || bad "stale golden file $g ($n is not a catalog finding)"
done

# ---- replay ---------------------------------------------------------------
for n in $names; do
	scn=scenarios/catalog/$n.pvs
	t=$tmp/$n.trace.json
	"$pv" check --trace-out "$t" "$scn" > "$tmp/$n.rec" 2>&1
	if [ ! -s "$t" ]; then
		bad "$n: --trace-out wrote no trace"
		continue
	fi
	"$pv" replay "$t" > "$tmp/$n.rep" 2> "$tmp/$n.reperr"
	rc=$?
	[ "$rc" -eq 1 ] || bad "$n: replay exit $rc, want 1: $(head -n 2 "$tmp/$n.reperr")"
	# Same report but for how it was found and the statistics.
	filt='^(time:|trace:|found |replayed from|executions:|search:|states:|fairness:)'
	grep -Ev "$filt" "$tmp/$n.rec" | sed 's/; needs [0-9]* preemptions* .*//' > "$tmp/$n.a"
	grep -Ev "$filt" "$tmp/$n.rep" | sed 's/; needs [0-9]* preemptions* .*//' > "$tmp/$n.b"
	if cmp -s "$tmp/$n.a" "$tmp/$n.b"; then ok; else
		bad "$n: the replayed report differs"
		diff -u "$tmp/$n.a" "$tmp/$n.b" | head -n 20
	fi
	p1=$(sed -n 's/.*needs \([0-9]*\) preemption.*/\1/p' "$tmp/$n.rec" | head -n 1)
	p2=$(sed -n 's/.*needs \([0-9]*\) preemption.*/\1/p' "$tmp/$n.rep" | head -n 1)
	[ "$p1" = "$p2" ] && ok || bad "$n: replay needs $p2 preemptions, the recording $p1"
done

# refused T NAME WHAT - replaying T exits 3 with "refusing to replay" and WHAT.
refused() {
	"$pv" replay "$1" > "$tmp/r.out" 2> "$tmp/r.err"
	rc=$?
	if [ "$rc" -ne 3 ]; then
		bad "$2: replay exit $rc, want 3"
	elif ! grep -q "refusing to replay" "$tmp/r.err"; then
		bad "$2: no 'refusing to replay' in: $(head -n 1 "$tmp/r.err")"
	elif ! grep -q -e "$3" "$tmp/r.err"; then
		bad "$2: no '$3' in: $(head -n 1 "$tmp/r.err")"
	else
		ok
	fi
}
t1=
for n in $names; do
	[ -s "$tmp/$n.trace.json" ] && { t1=$tmp/$n.trace.json; break; }
done
if [ -n "$t1" ]; then
	python3 - "$t1" "$tmp" <<'PYEOF'
import json, sys
src, d = sys.argv[1], sys.argv[2]
t = json.load(open(src))
def out(name, f):
    u = json.loads(json.dumps(t)); f(u)
    json.dump(u, open(d + "/" + name, "w"), indent=1)
out("model.json", lambda u: u.__setitem__("model", "linux-5.7 model r0-other"))
out("hash.json", lambda u: u.__setitem__("hash", "0123456789abcdef"))
def knob(u):
    k = sorted(u["knobs"])[0]
    u["knobs"][k] = "no-such-value"
out("knob.json", knob)
def noknob(u):
    k = sorted(u["knobs"])[0]
    del u["knobs"][k]
out("noknob.json", noknob)
def sched(u):
    u["schedule"] = u["schedule"][:1]
out("schedule.json", sched)
PYEOF
	refused "$tmp/model.json" "model version" "recorded with model"
	refused "$tmp/hash.json" "scenario hash" "has changed since trace"
	refused "$tmp/knob.json" "knob value" "does not match: knob"
	refused "$tmp/noknob.json" "knob missing" "does not match: knob"
	refused "$tmp/schedule.json" "short schedule" "does not replay"
	size=$(wc -c < "$t1")
	head -c $((size / 2)) "$t1" > "$tmp/trunc.json"
	refused "$tmp/trunc.json" "truncated" "corrupt or truncated trace"
	printf '{"format": "pvcheck-trace", "version": 1, "steps": 7}\n' > "$tmp/corrupt.json"
	refused "$tmp/corrupt.json" "corrupt" "corrupt trace"
	printf '\001\002garbage' > "$tmp/garbage.json"
	refused "$tmp/garbage.json" "garbage" "corrupt or truncated trace"

	# Tampered traces (issue 18, defect 7): replay checks every recorded step
	# against the re-execution.  Every swap of two different schedule entries
	# changes the execution and must be refused, naming the first step that
	# differs; so must a trailing schedule entry, an edited step, thread name
	# or verdict.
	mkdir -p "$tmp/tamper"
	python3 - "$t1" "$tmp/tamper" <<'PYEOF'
import json, sys
t = json.load(open(sys.argv[1])); d = sys.argv[2]; s = t["schedule"]
def out(name, f):
    u = json.loads(json.dumps(t)); f(u)
    json.dump(u, open(d + "/" + name + ".json", "w"))
for i in range(len(s)):
    for j in range(i + 1, len(s)):
        if s[i] != s[j]:
            def sw(u, i=i, j=j):
                u["schedule"][i], u["schedule"][j] = s[j], s[i]
            out("swap-%03d-%03d" % (i, j), sw)
out("extra-entry", lambda u: u["schedule"].append(s[-1]))
out("step-what", lambda u: u["steps"][len(s) // 2].__setitem__("what", "something else"))
out("step-line", lambda u: u["steps"][1].__setitem__("line", u["steps"][1]["line"] + 1))
out("step-dropped", lambda u: u["steps"].pop())
out("thread-name", lambda u: u["threads"].__setitem__(len(u["threads"]) - 1, "renamed"))
out("verdict", lambda u: u.__setitem__("verdict", "deadlock"))
PYEOF
	nswap=0; nok=0
	for f in "$tmp"/tamper/swap-*.json; do
		nswap=$((nswap+1))
		"$pv" replay "$f" > /dev/null 2> "$tmp/r.err"; rc=$?
		if [ "$rc" -eq 3 ] && grep -q "does not replay: .*differs.*refusing to replay" "$tmp/r.err"; then
			nok=$((nok+1))
		else
			bad "tampered trace $(basename "$f") (two schedule entries swapped): exit $rc, want 3: $(head -n 1 "$tmp/r.err")"
		fi
	done
	[ "$nswap" -gt 20 ] && [ "$nok" -eq "$nswap" ] && ok || bad "swaps: $nok of $nswap refused"
	refused "$tmp/tamper/extra-entry.json" "a trailing schedule entry" "schedule entry"
	refused "$tmp/tamper/step-what.json" "an edited step" "step [0-9]* differs"
	refused "$tmp/tamper/step-line.json" "an edited site" "step 2 differs"
	refused "$tmp/tamper/step-dropped.json" "a dropped step" "schedule entry [0-9]* differs: the schedule has [0-9]* entries for [0-9]* recorded steps"
	refused "$tmp/tamper/thread-name.json" "a renamed thread" "is 'renamed' in the trace"
	refused "$tmp/tamper/verdict.json" "an edited verdict" "records verdict 'deadlock'"
else
	bad "replay: no trace written"
fi

# ---- the README's example is the real output --------------------------------
# README.md "What the output means" shows the report of splice+import: it
# must be what `pvcheck check` prints today (less the time: line).
"$pv" check scenarios/catalog/splice+import.pvs 2>/dev/null | grep -v '^time:' > "$tmp/readme.want"
awk '/^A counterexample, from `.\/pvcheck check scenarios\/catalog\/splice\+import.pvs`:/ { f = 1; next }
     f && /^```text/ { g = 1; next }
     g && /^```/ { exit }
     g { print }' README.md > "$tmp/readme.got"
if [ -s "$tmp/readme.got" ] && cmp -s "$tmp/readme.want" "$tmp/readme.got"; then ok; else
	bad "README.md's example counterexample is not the current output of splice+import"
	diff -u "$tmp/readme.got" "$tmp/readme.want" | head -n 20
fi

# ---- kernel locations and ghost steps -------------------------------------
for n in $names; do
	"$pv" check --json "scenarios/catalog/$n.pvs" > "$tmp/$n.kjson" 2>/dev/null
	if python3 - "$tmp/$n.kjson" > "$tmp/$n.kcheck" 2>&1 <<'PYEOF'
import json, sys
ce = json.load(open(sys.argv[1]))["counterexample"]
bad = ["step %d %s (%s:%d)" % (s["step"], s["what"], s["file"], s["line"])
       for s in ce["steps"] if not s.get("kernel")]
print("; ".join(bad[:5]))
sys.exit(1 if bad or not ce["steps"] else 0)
PYEOF
	then ok; else bad "$n: steps without a kernel location: $(cat "$tmp/$n.kcheck")"; fi
done
# Every model function that holds a site is in the table (the enclosing
# function of each VIS_* line, kernel style: a definition starts at column 0).
awk '
FNR == 1 { cur = ""; cand = "" }
/^[A-Za-z_].*[A-Za-z_0-9]+\(/ && !/;[ \t]*$/ && !/^#/ {
	s = $0; sub(/\(.*/, "", s); n = split(s, a, /[ \t*]+/); cand = a[n] }
/^\{/ { cur = cand }
/^\}/ { cur = "" }
/VIS_SITE\(|VIS_GHOST|VIS_READ\(|VIS_WRITE\(|VIS_RMW\(/ && !/#define/ && cur != "" {
	print cur " " FILENAME ":" FNR }
' src/mm/*.c src/uv/*.c src/dev/*.c src/guest/*.c src/model/*.c src/inv/*.c \
  src/scenario/bind.c src/check/sched.c > "$tmp/sites"
[ -s "$tmp/sites" ] || bad "kernel: no model sites found"
missing=$(while read -r f where; do
	grep -q "{ \"$f\"," src/report/kernel.c || echo "$f ($where)"
done < "$tmp/sites" | sort -u | head -n 5)
[ -z "$missing" ] && ok || bad "kernel: model functions not in src/report/kernel.c: $missing"
if [ -n "${PVCHECK_LINUX_GIT:-}" ]; then
	sed -n 's/.*"\([a-z0-9_/.-]*\.[ch]\):\([A-Za-z0-9_]*\)" }.*/\1 \2/p' src/report/kernel.c |
		sort -u > "$tmp/klocs"
	while read -r kf kfn; do
		git --git-dir="$PVCHECK_LINUX_GIT" show "HEAD:$kf" 2>/dev/null |
			grep -Eq "^([a-z].*[ *])?$kfn\(|define $kfn\(" && ok ||
			bad "kernel: $kfn is not defined in v5.7 $kf"
	done < "$tmp/klocs"
fi
# The condensed report hides ghost steps; -v shows them and the model's sites.
n=splice+import
"$pv" check "scenarios/catalog/$n.pvs" > "$tmp/g.out" 2>&1
"$pv" check -v "scenarios/catalog/$n.pvs" > "$tmp/gv.out" 2>&1
grep -q '(ghost) reference changes' "$tmp/g.out" && bad "$n: a ghost step in the condensed report" || ok
grep -q '(ghost) reference changes' "$tmp/gv.out" && ok || bad "$n: -v does not show the ghost steps"
grep -Eq 'find_get_entry:? +mm/filemap\.c$' "$tmp/g.out" && ok || bad "$n: no kernel location in the report"
grep -q 'mm/filemap.c:find_get_entry  *mm/filemap.c:[0-9]' "$tmp/gv.out" && ok ||
	bad "$n: -v does not show the model's file:line beside the kernel location"
grep -q 'owner -\{0,1\}[0-9]' "$tmp/g.out" && bad "$n: holders named by owner number" || ok

# A thread that ends holding a reference is a leak (INV-06: at the end no
# thread still holds a reference it took), reported when the thread ends:
# not as the deadlock it would lead to (the vCPU's import keeps failing with
# -EBUSY on the reader's reference and its re-fault would wait for ever),
# and with no other thread blocked the same.  The report names the thread,
# the page and the operation that took it, the end state the holder's step.
cat > "$tmp/leak.pvs" <<'EOF'
scenario leak+import
question "Does a reader that ends holding its lookup reference show as a leak?"
profile linux-5.7
world
  mm qemu
  guest g mm=qemu
  file mem
  page p0 file=mem index=0 mm=qemu addr=0 data=7
end
thread vcpu
  guest_write g 0 42
end
thread reader
  find_get_page mem 0
end
EOF
sed '/^thread vcpu/,/^end/d; s/leak+import/leak+alone/' "$tmp/leak.pvs" > "$tmp/leak1.pvs"
for l in leak leak1; do
	"$pv" check --all "$tmp/$l.pvs" > "$tmp/$l.out" 2>&1
	grep -q '^scenario leak+[a-z]* (.*): 1 distinct finding (--all), explored completely: violation INV-06$' \
		"$tmp/$l.out" && ok || bad "$l: not the one finding INV-06: $(head -n 1 "$tmp/$l.out")"
	grep -q '^reader ended holding a reference it took and never dropped (leak): p0.s find_get_page' \
		"$tmp/$l.out" && ok || bad "$l: the leak message does not name reader, p0, find_get_page"
	grep -q 'every live thread is blocked\|BUG: deadlock\|thread [0-9]' "$tmp/$l.out" &&
		bad "$l: reported as a deadlock, or the holder named by number" || ok
	grep -q '^    holder: find_get_page of reader, taken by reader in find_get_page (step [0-9]*)' \
		"$tmp/$l.out" && ok || bad "$l: the leaked holder is not listed"
	step=$(sed -n 's/^    holder: find_get_page of reader, .*(step \([0-9]*\))$/\1/p' "$tmp/$l.out")
	grep -Eq "^ +$step +find_get_entry:" "$tmp/$l.out" && ok ||
		bad "$l: the holder's step $step is not the step that took the reference"
done

# ---- --example: a complete execution of every safe scenario (issue 17) -----
# The first execution of each safe catalog scenario prints as a trace with a
# v5.7 kernel location on every step, ends with every thread exited, and
# names each operation's outcome; golden/examples/NAME.txt pins the layout of
# one (make golden rewrites it).
safe_names=$("$pv" list | awk '$2 == "safe" { print $1 }')
[ -n "$safe_names" ] || bad "pvcheck list: no catalog scenario expects safe"
for n in $safe_names; do
	"$pv" check --json --example 1 "scenarios/catalog/$n.pvs" > "$tmp/$n.ejson" 2>"$tmp/$n.eerr"
	rc=$?
	if [ $rc -eq 0 ] && python3 - "$tmp/$n.ejson" > "$tmp/$n.echeck" 2>&1 <<'PYEOF'
import json, sys
o = json.load(open(sys.argv[1]))
e = o["example"]
assert o["verdict"] == "safe" and e["execution"] == 1 and e["steps"], e.get("notice")
bad = ["step %d %s (%s:%d)" % (s["step"], s["what"], s["file"], s["line"])
       for s in e["steps"] if not s.get("kernel")]
assert not bad, "steps without a kernel location: " + "; ".join(bad[:5])
assert e["steps"][-1]["kind"] == "exit", e["steps"][-1]
assert {s["tid"] for s in e["steps"] if s["kind"] == "exit"} == set(range(len(e["threads"])))
assert len(e["outcomes"]) == len(o["outcomes"]) and not any(
    l.endswith(": did not return") for l in e["outcomes"]), e["outcomes"]
PYEOF
	then ok; else bad "$n: --example 1: exit $rc, $(cat "$tmp/$n.echeck" "$tmp/$n.eerr" | tail -n 2)"; fi
done
n=gup-pin+import
if echo "$safe_names" | grep -qx -- "$n"; then
	"$pv" check --example 3 "scenarios/catalog/$n.pvs" 2>/dev/null | grep -v '^time:' > "$tmp/$n.ex"
	if [ "${UPDATE:-}" = 1 ]; then
		mkdir -p "$golden/examples"
		cp "$tmp/$n.ex" "$golden/examples/$n.txt"
		ok
	elif cmp -s "$golden/examples/$n.txt" "$tmp/$n.ex"; then
		ok
	else
		bad "$n --example 3: differs from tests/reports/golden/examples/$n.txt (make golden, then review the diff)"
		diff -u "$golden/examples/$n.txt" "$tmp/$n.ex" | head -n 30
	fi
fi

# ---- call chains at the finding (issue 17) --------------------------------
# Each thread's kernel functions at the step of the finding, innermost first,
# in --json's "chains" (the text report prints the same after the trace).
# The expected chains follow v5.7's call paths, not the model's output:
#   file-write+import: generic_perform_write() -> iov_iter_copy_from_user_atomic()
#     faults (0x3D) -> do_secure_storage_access() -> down_read(mmap_sem), the
#     sleep in atomic context (INV-10);
#   reclaim+import: the vCPU's 0x3E -> do_non_secure_storage_access() ->
#     gmap_convert_to_secure() -> gmap_make_secure() -> lock_page() of the page
#     follow_page() returned without a reference, which kswapd has freed
#     (INV-07); kswapd has finished;
#   writeback+import: the import's UVC: ... gmap_make_secure() ->
#     make_secure_pte() -> uv_call() -> __uv_call() makes the page secure while
#     it is under writeback (INV-03);
#   dio+import: the DMA of __blkdev_direct_IO_simple()'s bio (INV-01).
for spec in \
    "file-write+import|io|down_read,do_secure_storage_access,iov_iter_copy_from_user_atomic,generic_perform_write|file_write" \
    "reclaim+import|vcpu|lock_page,gmap_make_secure,gmap_convert_to_secure,do_non_secure_storage_access|guest_write" \
    "reclaim+import|kswapd||ended" \
    "writeback+import|vcpu|__uv_call,uv_call,make_secure_pte,gmap_make_secure,gmap_convert_to_secure,do_non_secure_storage_access|guest_write" \
    "dio+import|qemu_dio|__blkdev_direct_IO_simple|dio_write"; do
	n=${spec%%|*}
	"$pv" check --json "scenarios/catalog/$n.pvs" > "$tmp/$n.chains.json" 2>&1
	if python3 - "$tmp/$n.chains.json" "$spec" > "$tmp/chains.check" 2>&1 <<'PYEOF'
import json, sys
o = json.loads(open(sys.argv[1]).read().splitlines()[0])
n, thread, frames, op = sys.argv[2].split("|")
frames = frames.split(",") if frames else []
ch = o.get("chains") or []
threads = [c["thread"] for c in ch]
want_threads = [t for t in o["counterexample"]["threads"] if t != "main"]
if threads != want_threads:
    sys.exit("chains of %s, the trace's threads are %s" % (threads, want_threads))
c = [c for c in ch if c["thread"] == thread][0]
if c["frames"] != frames:
    sys.exit("%s: frames %s, want %s" % (thread, c["frames"], frames))
if op == "ended" and c["in"] != "ended":
    sys.exit("%s: in %r, want ended" % (thread, c["in"]))
if op != "ended" and not (c["in"].startswith("line ") and c["in"].endswith(" " + op)):
    sys.exit("%s: in %r, want line N %s" % (thread, c["in"], op))
PYEOF
	then ok; else bad "$n: call chain of ${spec#*|}: $(head -n 2 "$tmp/chains.check" | tr '\n' ';')"; fi
done
# The text report: the block after the trace, the finding's thread marked.
if grep -q '^Call chains at the finding (kernel functions, innermost first):$' "$tmp/file-write+import.txt" &&
   grep -q '^\* io  *down_read <- do_secure_storage_access <- ' "$tmp/file-write+import.txt"; then ok; else
	bad "file-write+import: no call chains block with '* io  down_read <- ...' in the text report"; fi

# ---- SVG ------------------------------------------------------------------
mkdir -p "$tmp/svg"
for n in $names; do
	"$pv" check --svg "$tmp/svg/$n.svg" --json "scenarios/catalog/$n.pvs" > "$tmp/svg/$n.json" 2>/dev/null
	[ -s "$tmp/svg/$n.svg" ] && ok || bad "$n: --svg wrote nothing"
	if grep -qi -e '<script' -e '@import' -e '@font-face' -e 'href=' -e 'url(http' "$tmp/svg/$n.svg"; then
		bad "$n: the SVG is not self-contained"
	else
		ok
	fi
done
if command -v chromium >/dev/null 2>&1; then
	# One headless chromium per file, two at a time; the DOM it dumps is
	# checked against the --json counterexample.
	for n in $names; do echo "$n"; done | xargs -P 2 -I NAME sh -c '
		d=$(mktemp -d "$1/profile.XXXXXX")
		timeout 60 chromium --headless --no-sandbox --disable-gpu \
			--disable-background-networking --disable-component-update \
			--disable-sync --no-first-run --user-data-dir="$d" \
			--dump-dom "file://$1/NAME.svg" > "$1/NAME.dom" 2> "$1/NAME.chromium"
		echo $? > "$1/NAME.rc"
		rm -rf "$d"' sh "$tmp/svg"
	checker=dom
else
	echo "SKIP chromium (not installed): checking the SVG files with python3 xml.etree"
	checker=xml
fi
for n in $names; do
	if [ "$checker" = dom ]; then
		rc=$(cat "$tmp/svg/$n.rc" 2>/dev/null || echo 1)
		[ "$rc" -eq 0 ] || { bad "$n: chromium exit $rc: $(tail -n 1 "$tmp/svg/$n.chromium")"; continue; }
		doc=$tmp/svg/$n.dom
	else
		doc=$tmp/svg/$n.svg
	fi
	if python3 - "$checker" "$doc" "$tmp/svg/$n.json" > "$tmp/svg/$n.check" 2>&1 <<'PYEOF'
import json, sys, html
import xml.etree.ElementTree as ET
mode, doc, js = sys.argv[1:4]
ce = json.load(open(js))["counterexample"]
text = open(doc, encoding="utf-8").read()
errors = []
if mode == "dom":
    # An XML error page replaces (or prefixes) the drawing with <parsererror>.
    if "parsererror" in text or "This page contains the following errors" in text:
        errors.append("chromium reports an XML error")
    if "<svg" not in text:
        errors.append("no <svg> element in the rendered DOM")
    flat = html.unescape(text)
    lanes = set()
    steps = {}
    import re
    for m in re.finditer(r'<g class="lane" data-thread="([^"]*)"', text):
        lanes.add(html.unescape(m.group(1)))
    for m in re.finditer(r'<g class="step(?: ghost)?" data-step="(\d+)" data-thread="([^"]*)"><title>(.*?)</title>', text, re.S):
        steps[int(m.group(1))] = (html.unescape(m.group(2)), html.unescape(m.group(3)))
else:
    ns = "{http://www.w3.org/2000/svg}"
    root = ET.parse(doc).getroot()
    if root.tag != ns + "svg":
        errors.append("the root is not <svg>")
    lanes = {g.get("data-thread") for g in root.iter(ns + "g") if g.get("class") == "lane"}
    steps = {}
    for g in root.iter(ns + "g"):
        if g.get("class") in ("step", "step ghost"):
            t = g.find(ns + "title")
            steps[int(g.get("data-step"))] = (g.get("data-thread"), t.text if t is not None else "")
# Folds: one row for a run of steps on none of the finding's objects, in a
# trace of more than 40 rows; every drawn step is a step group or inside
# exactly one fold.
import re as _re0
folds = [(int(a), int(b)) for a, b in _re0.findall(r'<g class="fold" data-from="(\d+)" data-to="(\d+)"', text)]
def folded(n):
    return sum(1 for a, b in folds if a <= n <= b)
# A thread that only spawns, joins and exits (main) has no lane and no rows.
harness = {t for t in ce["threads"]
           if all(s["kind"] in ("spawn", "join", "exit") for s in ce["steps"] if s["thread"] == t)}
drawn = [s for s in ce["steps"] if s["thread"] not in harness]
for t in harness:
    if t in lanes:
        errors.append("a lane for %s, which only starts and ends threads" % t)
for s in drawn:
    if s["thread"] not in lanes:
        errors.append("no lane for thread %s" % s["thread"])
    if folded(s["step"]):
        if folded(s["step"]) > 1 or s["step"] in steps:
            errors.append("step %d is in %d folds and drawn %s" % (s["step"], folded(s["step"]), s["step"] in steps))
        continue
    got = steps.get(s["step"])
    if not got:
        errors.append("step %d missing" % s["step"])
    elif got[0] != s["thread"] or s["what"] not in got[1] or (s["note"] and s["note"] not in got[1]):
        errors.append("step %d: %r does not show %r / %r" % (s["step"], got, s["what"], s["note"]))
    elif s["kernel"] and s["kernel"] not in got[1]:
        errors.append("step %d: no kernel location %r" % (s["step"], s["kernel"]))
if len(steps) != len([s for s in drawn if not folded(s["step"])]):
    errors.append("%d step groups for %d steps" % (len(steps), len(drawn)))
if len(drawn) > 40 and not folds:
    errors.append("a trace of %d steps is not folded" % len(drawn))
if folds and len(drawn) <= 40:
    errors.append("a trace of %d steps is folded" % len(drawn))
import re as _re
marks = set(int(m) for m in _re.findall(r'<g class="preemption" data-step="(\d+)"', text))
want = set(s["step"] for s in drawn if s["preempt"])
if marks != want:
    errors.append("preemption marks at %s, the trace preempts at %s" % (sorted(marks), sorted(want)))
# Conflict arrows run in channels of their own: two arrows whose vertical
# runs overlap never share an x (they bundled into one gap before).
runs = []
for m in _re.finditer(r'<path class="conflict" data-from="(\d+)" data-to="(\d+)" d="([^"]*)"', text):
    d = _re.fullmatch(r'M([\d.]+),([\d.]+) H([\d.]+) V([\d.]+) H([\d.]+)', m.group(3))
    if not d:
        errors.append("conflict arrow %s->%s is not routed in a channel: %s" % (m.group(1), m.group(2), m.group(3)))
        continue
    y1, xc, y2 = float(d.group(2)), float(d.group(3)), float(d.group(4))
    runs.append((min(y1, y2), max(y1, y2), xc, m.group(2)))
for a in range(len(runs)):
    for b in range(a + 1, len(runs)):
        ra, rb = runs[a], runs[b]
        if ra[2] == rb[2] and ra[0] < rb[1] and rb[0] < ra[1]:
            errors.append("arrows to steps %s and %s share a channel" % (ra[3], rb[3]))
if 'class="question"' not in text:
    errors.append("no question")
if 'class="end-state"' not in text:
    errors.append("no end state")
if 'class="call-chains"' not in text:
    errors.append("no call chains at the finding")
for e in sorted(set(errors))[:10]:
    print(e)
sys.exit(1 if errors else 0)
PYEOF
	then ok; else bad "$n: SVG ($checker): $(head -n 3 "$tmp/svg/$n.check" | tr '\n' ';')"; fi
done

echo "reports: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
