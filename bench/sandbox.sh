#!/bin/sh
# Per-command sandbox overhead and output throughput.  Run from the top
# of the tree: make bench.
#  1. `ocodex debug landlock -s workspace-write -- /bin/true` minus
#     `/bin/true`, median of 200 runs (target: <= 2 ms).
#  2. 100 MB of output through a sandboxed command (streamed over the
#     channel, and with passed descriptors) against a plain pipe (target:
#     within 1.2x), medians of five runs.
set -e
tmp=$(mktemp -d /var/tmp/ocodex-bench.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
export HOME="$tmp" CODEX_HOME="$tmp/codex"
unset TMPDIR
cd "$tmp"
top=$OLDPWD
b=$top/bench/sandbox-out
o=$top/ocodex

echo "sandbox overhead, $(nproc) cores, $(uname -r)"
plain=$($b 200 /bin/true)
sbx=$($b 200 "$o" debug landlock -s workspace-write -- /bin/true)
full=$($b 200 "$o" debug landlock -s danger-full-access -- /bin/true)
echo "/bin/true alone:                         ${plain} us (median)"
echo "debug landlock -s workspace-write:       ${sbx} us"
echo "debug landlock -s danger-full-access:    ${full} us"
echo "per-command overhead (workspace-write):  $((sbx - plain)) us"

# One run of a pipeline in ms; the figures are medians of five runs,
# interleaved, since a single run of a few hundred ms varies by a third
# on a shared machine.
t() {
	s=$(date +%s%N)
	sh -c "$1" >/dev/null
	e=$(date +%s%N)
	echo $(((e - s) / 1000000))
}
med() {
	tr ' ' '\n' | sort -n | sed -n 3p
}
n=13000000
p1= s1= f1=
for i in 1 2 3 4 5; do
	p1="$p1 $(t "seq 1 $n | cat")"
	s1="$s1 $(t "$o debug landlock -s workspace-write --stream -- seq 1 $n | cat")"
	f1="$f1 $(t "$o debug landlock -s workspace-write -- seq 1 $n | cat")"
done
p1=$(echo $p1 | med)
s1=$(echo $s1 | med)
f1=$(echo $f1 | med)
echo "100 MB, plain pipe:                      ${p1} ms"
echo "100 MB, sandboxed, streamed (agent path):${s1} ms" \
    "($(echo "scale=2; $s1 / $p1" | bc)x)"
echo "100 MB, sandboxed, passed descriptors:   ${f1} ms" \
    "($(echo "scale=2; $f1 / $p1" | bc)x)"
