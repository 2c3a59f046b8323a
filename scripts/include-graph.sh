#!/bin/sh
# The include graph of the files under one directory of src/ (default
# src/check): one line "FILE -> INCLUDED" per local #include, then a check
# that the graph has no cycle (tsort reports one).  Usage:
#   sh scripts/include-graph.sh [src/DIR ...]
# Exit 1 when an include cycle exists.
[ $# -gt 0 ] || set -- src/check
edges=$(mktemp)
for d in "$@"; do
	for f in "$d"/*.[ch]; do
		sed -n 's/^#include "\([^"]*\)".*/\1/p' "$f" | while read -r inc; do
			echo "${f#src/} $inc"
		done
	done
done | sort -u >"$edges"
awk '{ print $1 " -> " $2 }' "$edges"
if tsort "$edges" >/dev/null 2>"$edges.err"; then
	echo "include-graph: $(wc -l <"$edges") edges, no cycle"
	rc=0
else
	cat "$edges.err"
	echo "include-graph: a cycle (above)"
	rc=1
fi
rm -f "$edges" "$edges.err"
exit $rc
