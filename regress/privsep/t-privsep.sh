#!/bin/sh
# Every row of `ocodex debug privsep` as its own test: each process tries,
# from inside its confinement, what its role forbids and what it needs.
. regress/lib.sh
need_loopback
need_userns

out="$tmp/privsep.out"
./ocodex debug privsep >"$out" 2>"$tmp/privsep.err"
rc=$?
rows=$(grep -c -E ' (ok|MISMATCH)$' "$out")
plan $((rows + 3))
grep -E ' (ok|MISMATCH)$' "$out" | while read -r line; do
	proc=$(echo "$line" | awk '{ print $1 }')
	what=$(echo "$line" | sed -E 's/^[^ ]+ +//; s/ +[^ ]+ +[^ ]+ +[^ ]+$//')
	exp=$(echo "$line" | awk '{ print $(NF-2) }')
	got=$(echo "$line" | awk '{ print $(NF-1) }')
	n=$(($(cat "$tmp/n" 2>/dev/null || echo 0) + 1))
	echo "$n" >"$tmp/n"
	if [ "$exp" = "$got" ]; then
		echo "ok $n - $proc: $what: $exp"
	else
		echo "not ok $n - $proc: $what: expected $exp, got $got"
	fi
done
ntest=$rows
check "debug privsep exits 0 (rc $rc)" [ "$rc" -eq 0 ]
check "32 rows and all as expected" grep -q '^32 rows, 32 as expected' "$out"
check "nothing left in /var/tmp or /tmp by the probes" \
    sh -c '! ls /var/tmp/ocodex-privsep-probe.* /tmp/ocodex-privsep-probe.* 2>/dev/null | grep -q .'
[ -s "$tmp/privsep.err" ] && sed 's/^/# stderr: /' "$tmp/privsep.err"
exit 0
