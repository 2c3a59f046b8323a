#!/bin/sh
# make bench: fixed workloads; prints executions, seconds, executions/s,
# ns/step and peak memory per workload, and the peers' figures from
# ../shared/bench/README.md marked as taken on another run (no peer checker
# is installed here).  Never fails; the numbers are recorded, not judged.
pv=${1:-./pvcheck}
bench=${BENCH_DIR:-../shared/bench}
[ -d "$bench" ] || bench=/work/shared/bench
out=$(mktemp -d)
cc -std=c11 -D_GNU_SOURCE -O2 -Isrc -o "$out/switch" bench/switch.c src/check/fiber.c \
	src/check/fiber_x86_64.S src/lib/bug.c 2>/dev/null && "$out/switch"

row() {	# name, peer figure, pvcheck args...
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
print(f"{name:28s} {v:10s} {ex:>10d} exec {s:8.3f} s {eps:>11.0f} exec/s {nsps:6.1f} ns/step {rss:7.1f} MB   peer: {peer}")
PY
}

echo "workload                     verdict     executions    seconds     exec/s      ns/step    peak RSS"
row "inc(3,4)" "GenMC 0.10.3 34,650 exec in 1.34 s (another run)" run "$bench/inc.c" -DN=3 -DK=4
row "inc(4,3)" "GenMC 0.10.3 369,600 exec in 19.9 s (another run)" run "$bench/inc.c" -DN=4 -DK=3
row "rf(1,1,2)" "-" run "$bench/rf.c" -DNIO=1 -DNMS=1 -DITER=2
row "rf(2,1,1)" "-" run "$bench/rf.c" -DNIO=2 -DNMS=1 -DITER=1
row "rf BUG (3,2,3)" "SPIN 0.05 s; GenMC not found in 760 s (another run)" run "$bench/rf.c" -DNIO=3 -DNMS=2 -DITER=3 -DBUG
row "catalog" "-"
rm -rf "$out"
exit 0
