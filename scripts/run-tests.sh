#!/bin/sh
# SPDX-License-Identifier: MIT
# scripts/run-tests.sh TIER PVCHECK UNIT_BIN... - the test tiers of the
# Makefile, run one part after another (never interleaved):
#
#   quick   every unit binary, the catalog (pvcheck -q), and the suites
#           tests/scenarios and tests/cli                 (make check-quick)
#   full    every unit binary, the catalog, every tests/*/run.sh suite,
#           the header and symbol checks, the model audit (tests/audit:
#           build/audit, make audit), then the unit binaries, catalog
#           and suites again under ASan+UBSan (build-san/)   (make check)
#   san     the sanitizer pass alone                        (make check-san)
#
# Each part's output goes to a log under $LOGS (default build/test-logs/);
# the terminal gets one line per part ("ok   cli: 129 passed, 0 failed (5s)")
# and, for a failing part, its FAIL lines and the log's path.  The last
# line counts every check of every part, for CI:
#   N passed, N failed
# (a unit binary counts its TAP "ok"/"not ok" lines; a suite its closing
# "NAME: N passed, N failed" line; a part that crashes before its summary
# counts one failure).  Environment: CC, CSTD (header check), LIB_OBJS
# (symbol check), MAKE.  Exit 1 if anything failed.
set -u
tier=$1; pv=$2; shift 2
logs=${LOGS:-build/test-logs}
mkdir -p "$logs"
tpass=0; tfail=0; parts_failed=""

# part KIND NAME CMD... - run one part, log it, count its checks.  KIND:
# tap (count "ok"/"not ok" lines), catalog ("N as expected, N not"), suite
# (its last "N passed, N failed" line).
part() {
	kind=$1; name=$2; shift 2
	log=$logs/$(echo "$name" | tr '/: ' '___').log
	t0=$(date +%s)
	"$@" > "$log" 2>&1; rc=$?
	dt=$(( $(date +%s) - t0 ))
	p=0; f=0; sum=""
	case $kind in
	tap)
		p=$(grep -cE '^ok ' "$log"); f=$(grep -cE '^not ok ' "$log")
		sum="$p passed, $f failed" ;;
	catalog)
		line=$(grep -E '^[0-9]+ as expected, [0-9]+ not$' "$log" | tail -n 1)
		if [ -n "$line" ]; then
			p=${line%% *}; f=$(echo "$line" | awk '{ print $4 }')
			sum="$p as expected, $f not"
		fi ;;
	suite)
		line=$(grep -E '(^|[^0-9])[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
		if [ -n "$line" ]; then
			p=$(echo " $line" | sed -E 's/.*[^0-9]([0-9]+) passed, ([0-9]+) failed.*/\1/')
			f=$(echo " $line" | sed -E 's/.*[^0-9]([0-9]+) passed, ([0-9]+) failed.*/\2/')
			sum=$(echo "$line" | sed -E 's/^[a-z_-]+: //')
		fi ;;
	esac
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1	# failed without saying how many: one failure
	fi
	tpass=$((tpass + p)); tfail=$((tfail + f))
	if [ "$rc" -eq 0 ]; then
		printf 'ok    %-24s %s (%ds)\n' "$name" "${sum:-passed}" "$dt"
	else
		printf 'FAIL  %-24s %s, exit %d (%ds); log: %s\n' "$name" "${sum:-no summary}" "$rc" "$dt" "$log"
		grep -E '^(FAIL|not ok|Bail out)|MISMATCH|error|Sanitizer' "$log" | head -n 20 | sed 's/^/      /'
		parts_failed="$parts_failed $name"
	fi
}

# the unit binaries, the catalog and the suites of @1, with pvcheck @2
run_tier() {
	pfx=$1; bin=$2; suites=$3; shift 3
	for u in "$@"; do
		part tap "${pfx}unit/$(basename "$u")" "$u"
	done
	part catalog "${pfx}catalog" "$bin" -q
	for s in $suites; do
		part suite "${pfx}$s" sh "tests/$s/run.sh" "$bin"
	done
}

all_suites=$(for s in tests/*/run.sh; do basename "$(dirname "$s")"; done)

san_pass() {
	echo "building the ASan+UBSan pass in build-san/ ..."
	if ! ${MAKE:-make} --no-print-directory BUILD=build-san SANITIZE=address,undefined \
		OPT='-O1 -g' test-bins > "$logs/san-build.log" 2>&1; then
		echo "FAIL  san build; log: $logs/san-build.log"
		tail -n 20 "$logs/san-build.log"
		tfail=$((tfail + 1)); parts_failed="$parts_failed san-build"
		return
	fi
	run_tier "san:" build-san/pvcheck "$all_suites" $(for u in tests/unit/test_*.c; do n=${u##*/}; echo "build-san/tests/${n%.c}"; done)
}

case $tier in
quick)
	run_tier "" "$pv" "scenarios cli" "$@"
	;;
full)
	run_tier "" "$pv" "$all_suites" "$@"
	part suite headers sh scripts/check-headers.sh "${CC:-cc}" "${CSTD:--std=c11 -D_GNU_SOURCE} -Isrc"
	# shellcheck disable=SC2086
	part suite symbols sh scripts/check-symbols.sh ${LIB_OBJS:-}
	# the model audit (make audit): unannounced dependencies, TSan-built model
	part suite audit sh tests/audit/audit.sh build/audit "${AUDIT_MAX:-20000}" "${AUDIT_GEN:-300}"
	san_pass
	;;
san)
	san_pass
	;;
*)
	echo "run-tests.sh: unknown tier '$tier' (quick, full, san)" >&2
	exit 2
	;;
esac

[ -z "$parts_failed" ] || echo "failed parts:$parts_failed"
echo "$tpass passed, $tfail failed"
[ "$tfail" -eq 0 ] && [ -z "$parts_failed" ]
