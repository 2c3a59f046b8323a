#!/usr/bin/env python3
# reverse-threads.py FILE: the scenario FILE with its thread blocks in the
# opposite order (every other line where it was), on stdout.  A thread
# block runs from a line starting "thread " to its "end" line.
import sys

lines = open(sys.argv[1]).read().split("\n")
blocks, out, i = [], [], 0
while i < len(lines):
    if lines[i].startswith("thread "):
        j = i
        while lines[j].strip() != "end":
            j += 1
        blocks.append(lines[i:j + 1])
        out.append(None)            # a slot for a thread block
        i = j + 1
    else:
        out.append(lines[i])
        i += 1
blocks.reverse()
res = []
for l in out:
    if l is None:
        res.extend(blocks.pop(0))
    else:
        res.append(l)
sys.stdout.write("\n".join(res))
