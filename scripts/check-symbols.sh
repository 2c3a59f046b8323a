#!/bin/sh
# Checker rooms export only symbols with their module prefixes (SQLite's
# checksymbols).  Model rooms (src/mm, uv, dev, guest, inv, model) keep the
# kernel's own names and are not checked here.  Usage: check-symbols.sh OBJ...
fail=0; n=0
allowed='^(vis_|explore|sched_|hb_|sf_|dpor_|walk_|frontier_|stateful_|fiber_|pvm_|mutant_|cli_|options_|report_|scn_|scenario_|trace_|runc_|paths_|__pv_|__tsan_|catalog_|main$)'
for o in "$@"; do
	case "$o" in
	*/src/check/*|*/src/lib/*|*/src/scenario/*|*/src/cli/*|*/src/report/*|*/src/runc/*|*/src/paths/*) ;;
	*) continue ;;
	esac
	for s in $(nm -g --defined-only "$o" | awk '{print $3}'); do
		n=$((n+1))
		if ! echo "$s" | grep -Eq "$allowed"; then
			echo "check-symbols: $o exports '$s' without a module prefix"; fail=$((fail+1))
		fi
	done
done
echo "check-symbols: $((n-fail)) passed, $fail failed"
[ "$fail" -eq 0 ]
