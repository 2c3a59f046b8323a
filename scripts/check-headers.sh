#!/bin/sh
# Every header under src/ must compile on its own (headers are contracts:
# they include what they use).  Usage: check-headers.sh CC "CFLAGS"
cc=$1; flags=$2; fail=0; n=0
for h in $(find src -name '*.h' | sort); do
	n=$((n+1))
	if ! printf '#include "%s"\n' "${h#src/}" | $cc $flags -fsyntax-only -x c - 2>/tmp/pvm-hdr.$$; then
		echo "check-headers: $h does not compile alone:"; cat /tmp/pvm-hdr.$$; fail=$((fail+1))
	fi
done
rm -f /tmp/pvm-hdr.$$
echo "check-headers: $((n-fail)) passed, $fail failed"
[ "$fail" -eq 0 ]
