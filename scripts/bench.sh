#!/bin/sh
# make bench: fixed workloads; prints executions, seconds, executions/s,
# ns/step and peak memory per workload, and the peers' figures, with the
# ratio "x faster" = peer seconds / ours for the same question (and for the
# stateful rows, peer MB / our peak RSS).  SPIN, when installed (Debian
# package spin), runs in this same run on bench/spin/*.pml; GenMC and
# Nidhugg are not packaged, so their figures are ../shared/bench/README.md's,
# marked as taken on another run.  Never fails; the numbers are recorded,
# not judged.
pv=${1:-./pvcheck}
bench=${BENCH_DIR:-../shared/bench}
[ -d "$bench" ] || bench=/work/shared/bench
out=$(mktemp -d)
cc -std=c11 -D_GNU_SOURCE -O2 -Isrc -o "$out/switch" bench/switch.c src/check/fiber.c \
	src/check/fiber_x86_64.S src/lib/bug.c 2>/dev/null && "$out/switch"

row() {	# name, peer "label;seconds", pvcheck args...
	name=$1; peer=$2; shift 2
	/usr/bin/time -f '%M' -o "$out/rss" "$pv" "$@" --json >"$out/json" 2>/dev/null
	python3 - "$name" "$peer" "$out/json" "$out/rss" <<'PY'
import json, sys
name, peer, jf, rf = sys.argv[1:5]
try:
    lines = [json.loads(l) for l in open(jf) if l.strip()]
except Exception as e:
    print(f"{name:28s} (no result: {e})"); sys.exit(0)
ex = sum(l["executions"] for l in lines); st = sum(l["steps"] for l in lines)
s = sum(l["seconds"] for l in lines); v = ",".join(sorted({l["verdict"] for l in lines}))
rss = int(open(rf).read().split()[-1]) / 1024
eps = ex / s if s else 0; nsps = s * 1e9 / st if st else 0
label, psec = peer.rsplit(";", 1) if ";" in peer else (peer, "")
ratio = f"{float(psec) / s:7.1f}x faster" if psec and s else "        -    "
print(f"{name:30s} {v:10s} {ex:>10d} exec {s:8.3f} s {eps:>11.0f} exec/s {nsps:6.1f} ns/step {rss:7.1f} MB  {ratio}  peer: {label}")
PY
}

# SPIN on the Promela models of rf.c (bench/spin/): rf.pml at the README's
# coarse granularity, rf-c.pml at rf.c's own (one step per atomic).  Sets
# spin_<tag> to "label;seconds;MB" for the rows below; the seconds are
# pan's run (compilation excluded), its memory pan's own total.
spin_ok=
if command -v spin >/dev/null 2>&1 && command -v cc >/dev/null 2>&1; then
	spin_ok=1
	echo "SPIN $(spin -V 2>&1 | sed -n 's/^Spin Version \([^ ]*\).*/\1/p'), measured in this run (pan -DSAFETY, default options)"
	echo "model                          verdict         states    seconds     states/s    memory"
fi
spinrow() {	# tag, model, spin defines...
	[ -n "$spin_ok" ] || return 0
	tag=$1; model=$2; shift 2
	d="$out/spin-$tag"; mkdir -p "$d"
	(cd "$d" && spin "$@" -a "$OLDPWD/bench/spin/$model" >/dev/null 2>&1 &&
		cc -O2 -DSAFETY -o pan pan.c 2>/dev/null) || { echo "$tag: spin failed"; return 0; }
	python3 - "$tag" "$model $*" "$d" <<'PY' >"$out/spinrow"
import subprocess, sys, time, re
tag, what, d = sys.argv[1:4]
t = time.perf_counter()
o = subprocess.run(["./pan"], cwd=d, capture_output=True, text=True).stdout
s = time.perf_counter() - t
st = int(re.search(r"(\d+) states, stored", o).group(1))
mb = float(re.search(r"([\d.]+)\s+total actual memory usage", o).group(1))
err = int(re.search(r"errors: (\d+)", o).group(1))
v = "violation" if err else "safe"
print(f"{tag:30s} {v:10s} {st:>10d} states {s:8.3f} s {st / s if s else 0:>11.0f} states/s {mb:7.1f} MB")
print(f"SPIN {what}: {st:,} states, {s:.2f} s, {mb:.0f} MB (this run);{s:.4f};{mb:.1f}")
PY
	head -1 "$out/spinrow"
	eval "spin_$tag=\$(sed -n 2p \"\$out/spinrow\")"
}
spinrow rf323 rf.pml -DNIO=3 -DNMS=2 -DITER=3
spinrow rf323bug rf.pml -DNIO=3 -DNMS=2 -DITER=3 -DBUG
spinrow rfc323 rf-c.pml -DNIO=3 -DNMS=2 -DITER=3
spinrow rfc323bug rf-c.pml -DNIO=3 -DNMS=2 -DITER=3 -DBUG
spinrow rfc312 rf-c.pml -DNIO=3 -DNMS=1 -DITER=2
spinrow rfc212 rf-c.pml -DNIO=2 -DNMS=1 -DITER=2
[ -n "$BENCH_RF4" ] && spinrow rf423 rf.pml -DNIO=4 -DNMS=2 -DITER=3
[ -n "$spin_ok" ] && echo
: "${spin_rf323:=SPIN 2.7 M states, 1.8 s, 214 MB (another run);1.8;214}"
: "${spin_rf323bug:=SPIN 0.05 s (another run);0.05}"
: "${spin_rf423:=SPIN 67 M states, 85 s, 4.2 GB (another run);85;4300}"

echo "workload                       verdict     executions    seconds     exec/s      ns/step    peak RSS   ratio"
row "inc(3,4)" "GenMC 0.10.3 34,650 exec in 1.34 s (another run);1.34" run "$bench/inc.c" -DN=3 -DK=4
row "inc(4,3)" "GenMC 0.10.3 369,600 exec in 19.9 s (another run);19.9" run "$bench/inc.c" -DN=4 -DK=3
row "inc(4,3) --commute-adds" "GenMC 0.10.3 19.9 s (another run);19.9" run "$bench/inc.c" -DN=4 -DK=3 --commute-adds
# -j 2 against -j 1 on the same workload, measured back to back in this run
# (wall-clock seconds; the workers are processes on this machine's cores,
# shared with whatever else runs: the figure is what it measured).
jrow() {	# name, pvcheck args...
	name=$1; shift
	t1=$("$pv" "$@" -j 1 --json 2>/dev/null | python3 -c 'import json,sys; print(json.loads(sys.stdin.readline())["seconds"])')
	t2=$("$pv" "$@" -j 2 --json 2>/dev/null | python3 -c 'import json,sys; o=json.loads(sys.stdin.readline()); print(o["seconds"], o["executions"], o.get("subtrees", 0))')
	python3 - "$name" "$t1" $t2 <<'PY'
import sys
name, t1, t2, ex, sub = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), sys.argv[4], sys.argv[5]
print(f"{name:30s} {ex:>10s} exec  -j 1 {t1:7.3f} s  -j 2 {t2:7.3f} s ({sub} subtrees)  {t1 / t2 if t2 else 0:5.2f}x  (nproc {__import__('os').cpu_count()}, load {open('/proc/loadavg').read().split()[0]})")
PY
}
jrow "inc(4,3) -j 2 vs -j 1" run "$bench/inc.c" -DN=4 -DK=3
jrow "inc(3,4) -j 2 vs -j 1" run "$bench/inc.c" -DN=3 -DK=4
row "rf(1,1,2)" "-" run "$bench/rf.c" -DNIO=1 -DNMS=1 -DITER=2
row "rf(2,1,1)" "-" run "$bench/rf.c" -DNIO=2 -DNMS=1 -DITER=1
row "rf(2,1,2)" "GenMC 421,857 exec in 24.5 s (another run);24.5" run "$bench/rf.c" -DNIO=2 -DNMS=1 -DITER=2
row "rf(2,1,2) --commute-adds" "GenMC 24.5 s (another run);24.5" run "$bench/rf.c" -DNIO=2 -DNMS=1 -DITER=2 --commute-adds
row "rf BUG (2,1,2)" "GenMC 0.66 s (another run);0.66" run "$bench/rf.c" -DNIO=2 -DNMS=1 -DITER=2 -DBUG
row "rf BUG (3,2,3)" "${spin_rf323bug%%;*}, GenMC not found in 760 s (another run);$(echo "$spin_rf323bug" | cut -d';' -f2)" run "$bench/rf.c" -DNIO=3 -DNMS=2 -DITER=3 -DBUG
# GenMC's data-structure tests (tests/runc/genmc-*.c, doc/run.md "GenMC's
# data-structure tests"): pvcheck's executions + spin-blocked and seconds,
# and GenMC's complete + blocked and seconds measured in this same run when
# `genmc` is on the PATH (GENMC_ARGS adds flags, e.g. -unroll=3 as GenMC's
# own test driver runs them); otherwise issue 19's figures, marked so.
gmrow() {	# name, issue figure, file, defines...
	name=$1; fig=$2; f=tests/runc/$3; shift 3
	"$pv" run "$f" "$@" --json --random-phase 0 >"$out/json" 2>/dev/null
	if command -v genmc >/dev/null 2>&1; then
		genmc -sc -disable-mm-detector ${GENMC_ARGS:-} -- "$@" "$f" >"$out/genmc" 2>&1
	else
		: >"$out/genmc"
	fi
	python3 - "$name" "$fig" "$out/json" "$out/genmc" <<'PY'
import json, re, sys
name, fig, jf, gf = sys.argv[1:5]
try:
    l = [json.loads(x) for x in open(jf) if x.strip()][0]
except Exception as e:
    print(f"{name:30s} (no result: {e})"); sys.exit(0)
ex, sb, s = l["executions"], l.get("spin_blocked", 0), l["seconds"]
g = open(gf).read()
m = re.search(r"complete executions explored: (\d+)", g)
if m:
    b = re.search(r"blocked executions seen: (\d+)", g)
    t = re.search(r"wall-clock time: ([\d.]+)s", g)
    gb = int(b.group(1)) if b else 0
    gs = float(t.group(1)) if t else 0
    peer = f"GenMC {m.group(1)} + {gb} = {int(m.group(1)) + gb} in {gs:.3f} s (this run)"
    ratio = f"{(ex + sb) / (int(m.group(1)) + gb):6.1f}x GenMC's count, {gs / s if s else 0:6.2f}x faster"
else:
    peer = f"GenMC {fig} (issue 19; genmc not installed)"
    tot = sum(int(x.replace(",", "")) for x in fig.split(" + "))
    ratio = f"{(ex + sb) / tot:6.1f}x GenMC's count"
print(f"{name:30s} {l['verdict']:10s} {ex:>10d} + {sb:>8d} spin-blocked {s:8.3f} s  {ratio}  peer: {peer}")
PY
}
echo
echo "GenMC tests                    verdict     executions + spin-blocked     seconds   ratio"
gmrow "barrier0" "2 + 1" genmc-barrier0.c
gmrow "barrier0 NUMREADERS=2" "6 + 6" genmc-barrier0.c -DNUMREADERS=2
gmrow "mpmc main0" "3 + 4" genmc-mpmc-main0.c
gmrow "mpmc main0 READERS=2" "16 + 37" genmc-mpmc-main0.c -DCONFIG_MPMC_READERS=2
gmrow "mpmc main0 READERS=2 WRITERS=2" "284 + 1,205" genmc-mpmc-main0.c -DCONFIG_MPMC_READERS=2 -DCONFIG_MPMC_WRITERS=2
echo

row "catalog (default search)" "-"
row "catalog --stateless" "-" --stateless

# The stateful mode (--stateful): states stored, seconds, states/s, peak RSS.
# SPIN's figures are from ../shared/bench/README.md (another run).  A row
# cut by STATEFUL_LIMIT seconds (default 300) or by memory says so.
limit=${STATEFUL_LIMIT:-300}
srow() {	# name, peer "label;seconds", pvcheck args...
	name=$1; peer=$2; shift 2
	/usr/bin/time -f '%M' -o "$out/rss" "$pv" "$@" --stateful --timeout "$limit" --json \
		>"$out/json" 2>/dev/null
	python3 - "$name" "$peer" "$out/json" "$out/rss" <<'PY'
import json, sys
name, peer, jf, rf = sys.argv[1:5]
try:
    l = [json.loads(x) for x in open(jf) if x.strip()][0]
except Exception as e:
    print(f"{name:28s} (no result: {e})"); sys.exit(0)
st = l.get("states", 0); s = l["seconds"]
rss = int(open(rf).read().split()[-1]) / 1024
v = l["verdict"] + (f" (cut: {l['cut_by']})" if l.get("cut_by") else "")
label, psec, pmb = (peer.split(";") + ["", ""])[:3]
ratio = ""
if psec and s and not l.get("cut_by"):
    ratio = f"{float(psec) / s:.2f}x faster, {float(pmb) / rss:.2f}x less memory" if pmb else f"{float(psec) / s:.2f}x faster"
print(f"{name:30s} {v:10s} {st:>10d} states {s:8.3f} s {st / s if s else 0:>11.0f} states/s {l.get('state_bytes', 0) / 1048576:7.1f} MB table {rss:7.1f} MB RSS  {ratio}  peer: {label}")
PY
}
echo
echo "stateful                       verdict         states    seconds     states/s     tables     peak RSS   ratio"
srow "inc(3,4) stateful" "-" run "$bench/inc.c" -DN=3 -DK=4
srow "inc(4,3) stateful" "-" run "$bench/inc.c" -DN=4 -DK=3
srow "disjoint(8) stateful" "-" run tests/runc/disjoint.c -DN=8
srow "disjoint(8) stateful --no-por" "-" run tests/runc/disjoint.c -DN=8 --no-por
srow "rf(2,1,2) stateful" "${spin_rfc212:--}" run "$bench/rf.c" -DNIO=2 -DNMS=1 -DITER=2
srow "rf(2,1,2) stateful --no-por" "-" run "$bench/rf.c" -DNIO=2 -DNMS=1 -DITER=2 --no-por
srow "rf BUG (3,2,3) stateful" "$(echo "$spin_rf323bug" | cut -d';' -f1,2)" run "$bench/rf.c" -DNIO=3 -DNMS=2 -DITER=3 -DBUG
srow "rf(3,1,2) stateful" "${spin_rfc312:--}" run "$bench/rf.c" -DNIO=3 -DNMS=1 -DITER=2 --commute-adds
rf323peer="${spin_rf323%%;*}${spin_rfc323:+ | at rf.c's granularity: ${spin_rfc323%%;*}};${spin_rf323#*;}"
srow "rf(3,2,3) stateful 1 GB" "$rf323peer" run "$bench/rf.c" -DNIO=3 -DNMS=2 -DITER=3 --commute-adds --state-memory 1024
# The whole of rf(3,2,3) takes about 9 minutes and 4.7 GB here (71 M
# states): BENCH_RF323=1 runs it (with no time limit).
if [ -n "$BENCH_RF323" ]; then
	keep=$limit limit=0
	srow "rf(3,2,3) stateful" "$rf323peer" run "$bench/rf.c" -DNIO=3 -DNMS=2 -DITER=3 --commute-adds
	limit=$keep
else
	echo "rf(3,2,3) stateful             (not run: about 9 min and 4.7 GB; BENCH_RF323=1 runs it)"
fi
# Scenarios with symmetric threads: POR alone, symmetry (with POR),
# and neither.
srow "gup-pin2+import stateful" "-" check tests/stateful/symmetric/gup-pin2+import.pvs
srow "gup-pin2+import --symmetry" "-" check tests/stateful/symmetric/gup-pin2+import.pvs --symmetry
srow "gup-pin2+import --no-por" "-" check tests/stateful/symmetric/gup-pin2+import.pvs --no-por
srow "host-read2+import stateful" "-" check bench/scenarios/host-read2+import.pvs
srow "host-read2+import --symmetry" "-" check bench/scenarios/host-read2+import.pvs --symmetry
# Scenario scaling (issue 20): a vCPU storing to p0 while N of Dave
# Hansen's readers (find_get_page, arch_make_page_accessible, get_page,
# DMA, put_page twice) run; readers of different pages (independence:
# p0p1 against p0 and p1 alone).  Rows past two readers are cut by
# SCALE_LIMIT seconds (default 60) and say how far they got.
keep=$limit limit=${SCALE_LIMIT:-60}
for n in 1 2 3 4; do
	srow "readers-$n" "-" check bench/scenarios/readers-$n.pvs
done
srow "readers-p1 (p1 alone)" "-" check bench/scenarios/readers-p1.pvs
srow "readers-p0p1 (p0 and p1)" "-" check bench/scenarios/readers-p0p1.pvs
# the same with p1 a page table away (its own PTE lock) and its own NIC
srow "readers-p0p1-apart" "-" check bench/scenarios/readers-p0p1-apart.pvs
limit=$keep
if [ -n "$BENCH_RF4" ]; then
	srow "rf(4,2,3) stateful" "$spin_rf423" run "$bench/rf.c" -DNIO=4 -DNMS=2 -DITER=3 --commute-adds
else
	echo "rf(4,2,3) stateful             (not run: beyond this machine's memory at rf(3,2,3)'s growth; BENCH_RF4=1 runs it)   peer: SPIN 67 M states, 85 s, 4.2 GB (another run)"
fi
rm -rf "$out"
exit 0
