#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# readme-catalog.py PVCHECK [README]: the README's catalog table, made from
# `PVCHECK --all --json` (every distinct finding of each scenario, as
# tests/all checks it is the same in every order) and each scenario's
# question.  With README: rewrite the table between its two markers in
# place; without: print it.  tests/cli compares the README with it.
import json, os, re, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

BEGIN = "<!-- catalog table: scripts/readme-catalog.py -->"
END = "<!-- end of catalog table -->"

def table(pv):
    out = subprocess.run([pv, "--all", "--json"], capture_output=True, text=True).stdout
    rows = ["| scenario | the question | v5.7's answer: every finding (`--all`) |",
            "|---|---|---|"]
    for line in out.splitlines():
        r = json.loads(line)
        q = ""
        with open(os.path.join(ROOT, r["file"])) as f:
            for l in f:
                m = re.match(r'question "(.*)"\s*$', l)
                if m:
                    q = m.group(1)
                    break
        if r["verdict"] == "violation":
            ids = sorted(set(f["id"] for f in r.get("findings") or []))
            ans = "violation " + " ".join(ids)
        else:
            ans = r["verdict"]
        if not r["as_expected"]:
            ans += " (not as expected: %s)" % r["expected"]
        rows.append("| `%s` | %s | %s |" % (r["name"], q.replace("|", "\\|"), ans))
    return "\n".join(rows) + "\n"

t = table(sys.argv[1])
if len(sys.argv) < 3:
    sys.stdout.write(t)
    sys.exit(0)
text = open(sys.argv[2]).read()
a, b = text.index(BEGIN) + len(BEGIN), text.index(END)
open(sys.argv[2], "w").write(text[:a] + "\n" + t + text[b:])
