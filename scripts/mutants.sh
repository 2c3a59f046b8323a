#!/bin/sh
# make mutants: remove each guard of the model in turn (PVCHECK_MUTANT, see
# src/lib/mutant.h and src/model/mutants.def) and run the tests that should
# notice: the catalog, the model unit tests, the scenario suite.  Prints who
# killed each mutant, the survivors, and the kill rate.  Exit 1 if a mutant
# survives, so that a new guard without a test is noticed.
pv=${1:-./pvcheck}
units=$(find build/tests -maxdepth 1 -name "test_model_*" -type f -perm -u+x 2>/dev/null | sort)
total=0; killed=0; survivors=""
for name in $(PVCHECK_MUTANT=list "$pv" | cut -f1); do
	total=$((total+1))
	by=""
	# a catalog row that is not as expected, other than one cut by the bound
	bad=$(PVCHECK_MUTANT=$name "$pv" --json --max-executions "${MUTANT_MAX:-400000}" 2>/dev/null |
	      python3 -c 'import json, sys
rows = [json.loads(l) for l in sys.stdin if l.strip()]
print(" ".join(r["name"] for r in rows if not r["as_expected"] and r["verdict"] != "incomplete"))')
	if [ -n "$bad" ]; then
		by="catalog ($bad)"
	else
		for u in $units; do
			if ! PVCHECK_MUTANT=$name "$u" >/dev/null 2>&1; then by="$(basename "$u")"; break; fi
		done
	fi
	if [ -z "$by" ] && ! PVCHECK_MUTANT=$name sh tests/scenarios/run.sh "$pv" >/dev/null 2>&1; then
		by="tests/scenarios"
	fi
	if [ -n "$by" ]; then
		killed=$((killed+1)); printf 'killed   %-28s by %s\n' "$name" "$by"
	else
		survivors="$survivors $name"; printf 'SURVIVED %-28s %s\n' "$name" \
			"$(PVCHECK_MUTANT=list "$pv" | awk -F'\t' -v n="$name" '$1 == n { print $2 ": " $3 }')"
	fi
done
[ "$total" -gt 0 ] || { echo "mutants: no guards listed"; exit 1; }
echo "mutants: $killed of $total killed ($((100 * killed / total))%)${survivors:+; survivors:$survivors}"
[ -z "$survivors" ]
