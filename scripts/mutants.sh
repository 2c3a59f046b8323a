#!/bin/sh
# SPDX-License-Identifier: MIT
# make mutants: remove each guard of the model in turn (PVCHECK_MUTANT=NAME,
# src/model/mutant.h, the GUARD rows of src/model/mutants.def; not the test
# breakages) and score the catalog alone:
# `pvcheck --json` with default options (the default search, so a scenario
# that passes 20000 executions switches to the stateful search as it does
# for a user).  A mutant is killed when some catalog scenario's verdict
# differs from its expectation: a verdict read from the JSON rows, never
# from text, so no kill comes from output formatting.  Not a kill:
#   incomplete   a bound of the scenario cut the search (listed, not counted)
#   internal     pvcheck exit 5 (a checker assertion, not a verdict)
#   timeout      no answer in MUTANT_TIMEOUT seconds (default 600)
#   crash        pvcheck died of a signal (the mutant broke the model)
# Prints one line per mutant, the survivors, and "mutants: K of N killed";
# exit 1 if a mutant survives.  MUTANTS="NAME ..." scores only those.
pv=${1:-./pvcheck}
tmo=${MUTANT_TIMEOUT:-600}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pvcheck-mutants.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

# the unmutated catalog must be all as expected, or no score means anything
"$pv" --json > "$tmp/base.json" 2>/dev/null || {
	echo "mutants: the catalog is not all as expected without a mutant; fix that first"
	exit 2
}
total=0; killed=0; survivors=""
PVCHECK_MUTANT=list "$pv" > "$tmp/list"
# MUTANTS="a b" scores only those (while writing a scenario); make mutants all
for name in ${MUTANTS:-$(cut -f1 "$tmp/list")}; do
	total=$((total+1))
	t0=$(date +%s)
	PVCHECK_MUTANT=$name timeout "$tmo" "$pv" --json > "$tmp/out.json" 2>/dev/null
	rc=$?
	dt=$(( $(date +%s) - t0 ))
	what=$(awk -F'\t' -v n="$name" '$1 == n { print $2 ": " $3 }' "$tmp/list")
	res=$(python3 - "$tmp/out.json" "$rc" <<'PYEOF'
import json, sys
rows, rc = [], int(sys.argv[2])
for l in open(sys.argv[1]):
    try:
        rows.append(json.loads(l))
    except ValueError:
        pass
def why(r):
    got = r["verdict"] + (" " + r["violation"]["id"] if r.get("violation") else "")
    if got != r["expected"]:
        return "%s: %s, expected %s" % (r["name"], got, r["expected"])
    # the verdict is the expected one, but the scenario's operations did
    # not do what it requires (a vacuous operation or a required outcome)
    return "%s: %s but %s" % (r["name"], got, "vacuous: " + "; ".join(r["vacuous"])
                              if r.get("vacuous") else "a required outcome missing")
kills = [why(r) for r in rows
         if r.get("as_expected") is False and r["verdict"] not in ("incomplete", "input-error")]
cut = [r["name"] for r in rows if r.get("as_expected") is False and r["verdict"] == "incomplete"]
if rc > 128 and rc not in (124, 137):
    print("crash\tsignal %d" % (rc - 128))
elif kills:
    print("killed\t" + "; ".join(kills) + ("" if not cut else "  (incomplete: %s)" % " ".join(cut)))
elif rc == 124 or rc == 137:
    print("timeout\t")
elif rc == 5:
    print("internal\tpvcheck exit 5")
else:
    print("survived\t" + ("incomplete: " + " ".join(cut) if cut else ""))
PYEOF
)
	kind=${res%%	*}; by=${res#*	}
	if [ "$kind" = killed ]; then
		killed=$((killed+1)); printf 'killed   %-26s %4ds  %s\n' "$name" "$dt" "$by"
	else
		survivors="$survivors $name"
		printf 'SURVIVED %-26s %4ds  %s%s\n' "$name" "$dt" "$what" "${by:+ [$kind: $by]}"
		[ "$kind" = survived ] || printf '         %-26s        (%s)\n' "" "$kind"
	fi
done
[ "$total" -gt 0 ] || { echo "mutants: no guards listed"; exit 1; }
echo "mutants: $killed of $total killed ($((100 * killed / total))%) by the catalog alone${survivors:+; survivors:$survivors}"
[ -z "$survivors" ]
