#!/bin/sh
# tests/fuzz/run.sh - fuzzing of pvcheck's input readers (issue 7).
#
#   sh tests/fuzz/run.sh [TIME]      build the libFuzzer harnesses with clang
#                                    (address+undefined) in build/fuzz/ and run
#                                    each for TIME seconds (default 30);
#                                    fails on any crash, leak, timeout or
#                                    sanitizer report (make fuzz, FUZZ_TIME)
#   sh tests/fuzz/run.sh ./pvcheck   suite mode (make check runs every
#                                    tests/*/run.sh with the binary): replay
#                                    the regression inputs of past crashes
#                                    through pvcheck itself (exit code and
#                                    message as recorded), and the seed
#                                    corpora (any exit 0..4, no sanitizer
#                                    report); no clang needed
#
# Harnesses (each links only the objects it needs, so it builds while the
# model is being written):
#   scenario       scenario_parse() + scn_diag_print()  src/scenario/{parse,diag}.c
#   trace          trace_read() through a memfd          src/report, src/check, src/lib
#   scenario_bind  parse + scenario_bind() to the model  the whole library;
#                  built only if the library links (else reported as SKIP)
#   model          bytes -> a generated scenario (src/scenario/gen.c), bound
#                  and explored (DPOR, then stateful; 200 executions, 2 s
#                  each): the model itself under ASan+UBSan (issue 18;
#                  make fuzz-model; not in the default FUZZ_HARNESSES)
# jansson is the system library, not instrumented: the trace harness's
# coverage is that of tracefile.c's validation, not of the JSON parser.
#
# Corpora: tests/fuzz/seeds-scenario/ (scenario, scenario_bind) and
# seeds-trace/ (checked in, read only), dictionaries scenario.dict and
# trace.dict, plus a working
# corpus in build/fuzz/corpus-<harness>/ that grows across runs.  Crashing
# inputs land in build/fuzz/artifacts/; make each one a regression file
# (the model harness's: NAME.bin, replayed by make fuzz-model, and its
# reduced scenario in tests/scenarios/regress/):
#   tests/fuzz/regress/NAME.pvs or NAME.json (a trace; not NAME.trace.json,
#   which .gitignore drops) + NAME.rc (expected exit
#   code of `pvcheck check` / `pvcheck replay`) + optionally NAME.err (a
#   string stderr must contain), or, for a parse error with a
#   stable message, tests/scenarios/malformed/NAME.pvs + NAME.err.
# Environment: CLANG (default clang), FUZZ_JOBS (parallel harnesses, default 1),
# FUZZ_HARNESSES (default "scenario trace scenario_bind"), FUZZ_RUNS (stop
# each harness after this many inputs instead of TIME; for the 10M soak),
# FUZZ_OUT (build and corpus directory, default build/fuzz).
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

# ---- suite mode: regression inputs through the pvcheck binary ---------------
case ${1:-30} in
*[!0-9]*)
	pv=$1
	case $pv in /*) ;; *) pv=$(pwd)/$pv ;; esac
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/pvcheck-fuzz.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT INT TERM
	pass=0; fail=0
	for f in "$here"/regress/*.pvs "$here"/regress/*.json; do
		[ -f "$f" ] || continue
		case $f in
		*.pvs) n=${f%.pvs}; cmd=check ;;
		*) n=${f%.json}; cmd=replay ;;
		esac
		if [ ! -f "$n.rc" ]; then
			fail=$((fail+1)); echo "FAIL: fuzz regress $(basename "$f"): no $(basename "$n").rc"
			continue
		fi
		want=$(cat "$n.rc")
		(cd "$here/regress" && "$pv" "$cmd" --max-executions 100 "$(basename "$f")") \
			>/dev/null 2>"$tmp/err"; rc=$?
		if [ "$rc" -eq "$want" ] && ! grep -q 'Sanitizer\|runtime error' "$tmp/err" &&
		   { [ ! -f "$n.err" ] || grep -qF -- "$(cat "$n.err")" "$tmp/err"; }; then
			pass=$((pass+1))
		else
			fail=$((fail+1))
			echo "FAIL: fuzz regress $(basename "$f"): $cmd exit $rc, want $want$([ -f "$n.err" ] && echo " and '$(cat "$n.err")'"): $(head -n 2 "$tmp/err")"
		fi
	done
	nreg=$pass
	# The seed corpora through pvcheck: any answer (exit 0..4), never a crash
	# (under `make check-san` this is the sanitizer build).
	for f in "$here"/seeds-scenario/* "$here"/seeds-trace/*; do
		[ -f "$f" ] || continue
		case $f in *.json) cmd=replay ;; *) cmd=check ;; esac
		(cd "$tmp" && "$pv" "$cmd" -q --max-executions 100 "$f") >/dev/null 2>"$tmp/err"; rc=$?
		if [ "$rc" -le 4 ] && ! grep -q 'Sanitizer\|runtime error' "$tmp/err"; then
			pass=$((pass+1))
		else
			fail=$((fail+1)); echo "FAIL: fuzz seed $(basename "$f"): $cmd exit $rc: $(head -n 2 "$tmp/err")"
		fi
	done
	echo "fuzz: $nreg regression inputs (tests/fuzz/regress) and $((pass - nreg)) seeds through pvcheck check/replay"
	echo "fuzz-regress: $pass passed, $fail failed"
	[ "$fail" -eq 0 ]
	exit
	;;
esac

# ---- fuzz mode ----------------------------------------------------------------
time=${1:-30}
cc=${CLANG:-clang}
out=${FUZZ_OUT:-$root/build/fuzz}
harnesses=${FUZZ_HARNESSES:-scenario trace scenario_bind}
if ! command -v "$cc" >/dev/null 2>&1; then
	echo "fuzz: $cc not found; install clang (libFuzzer) to fuzz" >&2
	exit 2
fi
mkdir -p "$out/artifacts"
cd "$root" || exit 2

FLAGS="-std=c11 -D_GNU_SOURCE -Isrc -O1 -g -fno-omit-frame-pointer \
 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all"

# build NAME SOURCE... - link harness NAME from tests/fuzz/fuzz_NAME.c
build() {
	name=$1; shift
	echo "fuzz: building $name"
	$cc $FLAGS -o "$out/fuzz_$name" "$@" -ljansson -ldl -lm -lxxhash 2>"$out/build-$name.log"
}

# gen_lib - the whole library as the binder harnesses link it: every source
# of src/ but the CLI's main and the user-program runtime, and the files the
# Makefile generates (the catalog, include/pvcheck/kernel.h for --paths), so
# that a new generated file breaks this build loudly, never into a skip.
gen_lib() {
	sh scripts/embed-catalog.sh "$out/catalog.c" $(ls scenarios/catalog/*.pvs 2>/dev/null) &&
	sh scripts/embed-file.sh "$out/kernel_h.c" pv_kernel_h include/pvcheck/kernel.h &&
	lib="$out/catalog.c $out/kernel_h.c $(find src -name '*.c' -not -path 'src/runc/rt/*' \
		-not -path src/cli/main.c | sort) $(ls src/check/*.S)"
}

status=0
for h in $harnesses; do
	case $h in
	scenario)
		build scenario tests/fuzz/fuzz_scenario.c src/scenario/parse.c src/scenario/diag.c ||
			{ cat "$out/build-scenario.log"; status=1; } ;;
	trace)
		build trace tests/fuzz/fuzz_trace.c src/report/*.c src/check/*.c src/check/*.S \
			src/lib/*.c ||
			{ cat "$out/build-trace.log"; status=1; } ;;
	scenario_bind)
		gen_lib &&
		build scenario_bind -DFUZZ_BIND tests/fuzz/fuzz_scenario.c $lib ||
			{ cat "$out/build-scenario_bind.log"; status=1; } ;;
	model)
		gen_lib &&
		build model tests/fuzz/fuzz_model.c $lib ||
			{ cat "$out/build-model.log"; status=1; } ;;
	*)	echo "fuzz: unknown harness $h" >&2; status=1 ;;
	esac
done
[ $status -eq 0 ] || { echo "fuzz: build failed"; exit 1; }

# run NAME SEEDS DICT - fuzz one harness; the log keeps libFuzzer's stats
run() {
	name=$1; seeds=$2; dict=$3
	bin=$out/fuzz_$name
	[ -x "$bin" ] || return 0
	corpus=$out/corpus-$name
	mkdir -p "$corpus"
	if [ -n "${FUZZ_RUNS:-}" ]; then limit="-runs=$FUZZ_RUNS"; else limit="-max_total_time=$time"; fi
	# Replay the regression inputs of past crashes first (no mutation).
	reg=$(ls "$here"/regress/* 2>/dev/null | grep -v '\.rc$' |
		case $name in trace) grep 'json$' ;; model) grep '\.bin$' ;; *) grep 'pvs$' ;; esac)
	if [ -n "$reg" ] && ! "$bin" -runs=0 $reg >"$out/regress-$name.log" 2>&1; then
		echo "FAIL: fuzz $name: a regression input crashes again:"; tail -n 30 "$out/regress-$name.log"
		return 1
	fi
	echo "fuzz: $name for $(if [ -n "${FUZZ_RUNS:-}" ]; then echo "$FUZZ_RUNS inputs"; else echo "${time}s"; fi) (seeds $(if [ -n "$seeds" ]; then ls "$seeds" | wc -l; else echo 0; fi), corpus $(ls "$corpus" | wc -l))"
	if [ -n "$dict" ]; then dopt=-dict=$dict; else dopt=; fi
	# the model harness: its bytes are choices (a few hundred suffice)
	# (-len_control=0: long inputs at once, or the choices stay a seed for minutes)
	if [ "$name" = model ]; then mlen="-max_len=512 -len_control=0"; else mlen=-max_len=65536; fi
	"$bin" $limit -timeout=10 -rss_limit_mb=2048 $mlen -print_final_stats=1 \
		$dopt -artifact_prefix="$out/artifacts/$name-" \
		"$corpus" $seeds >"$out/fuzz-$name.log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/fuzz-$name.log")
	secs=$(sed -n 's/^stat::.*//; s/^Done \([0-9]*\) runs in \([0-9]*\) second.*/\2/p' "$out/fuzz-$name.log")
	rate=$(grep -o 'exec/s: [0-9]*' "$out/fuzz-$name.log" | tail -n 1)
	cov=$(grep -o 'cov: [0-9]*' "$out/fuzz-$name.log" | tail -n 1)
	if [ $rc -ne 0 ]; then
		echo "FAIL: fuzz $name: exit $rc after ${runs:-?} inputs; log $out/fuzz-$name.log:"
		grep -A 25 'ERROR: \|runtime error\|SUMMARY' "$out/fuzz-$name.log" | head -n 40
		ls "$out"/artifacts/"$name"-* 2>/dev/null
		return 1
	fi
	echo "fuzz: $name: ${runs:-?} inputs in ${secs:-?} s, $rate, $cov, no crash"
}

pass=0; fail=0
for h in $harnesses; do
	case $h in
	scenario|scenario_bind) seeds=$here/seeds-scenario dict=$here/scenario.dict ;;
	trace) seeds=$here/seeds-trace dict=$here/trace.dict ;;
	model) seeds= dict= ;;
	esac
	if [ "${FUZZ_JOBS:-1}" -gt 1 ]; then
		( run "$h" "$seeds" "$dict" ) >"$out/summary-$h.txt" &
	elif run "$h" "$seeds" "$dict"; then pass=$((pass+1)); else fail=$((fail+1)); fi
done
if [ "${FUZZ_JOBS:-1}" -gt 1 ]; then
	wait
	for h in $harnesses; do
		cat "$out/summary-$h.txt"
		if grep -q '^FAIL' "$out/summary-$h.txt"; then fail=$((fail+1)); else pass=$((pass+1)); fi
	done
fi
echo "fuzz: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
