#!/bin/sh
#
# Copyright (c) 2026 The ocodex developers
#
# Permission to use, copy, modify, and distribute this software for any
# purpose with or without fee is hereby granted, provided that the above
# copyright notice and this permission notice appear in all copies.
#
# THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES
# WITH REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF
# MERCHANTABILITY AND FITNESS. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR
# ANY SPECIAL, DIRECT, INDIRECT, OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES
# WHATSOEVER RESULTING FROM LOSS OF USE, DATA OR PROFITS, WHETHER IN AN
# ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING OUT OF
# OR IN CONNECTION WITH THE USE OR PERFORMANCE OF THIS SOFTWARE.
#
# 200 shell calls in one exec session (regress/faults/leak-gen.py): the
# descriptors of the parent and of each helper, and the processes under
# the parent, are counted while call 2 runs (after the first command)
# and while call 200 runs (regress/faults/leak-watch.py).  Both samples
# are taken in the same state, one sandboxed command running, so the
# counts must be equal; one descriptor of slack is allowed for a
# transient one, such as a model request's socket that curl has not yet
# closed or reused when the sample is read.

. regress/lib.sh
need_loopback
. regress/exec/lib-exec.sh

plan 9
repo="$tmp/repo"
new_repo "$repo"
first="0.6$$1"
last="0.6$$2"
python3 regress/faults/leak-gen.py "$tmp/leak.json" "$first" "$last" ||
    exit 1
start_mock "$tmp/leak.json"
run_exec "$repo" --full-auto "run 200 commands" >"$tmp/out" 2>"$tmp/err" &
xpid=$!
# run_exec runs ocodex in a subshell: the watched root is that subshell.
python3 regress/faults/leak-watch.py "$xpid" "$first" "$last" >"$tmp/watch"
wrc=$?
wait "$xpid"
rc=$?
stop_mock
sed 's/^/# /' "$tmp/watch"

check "the session of 200 commands completes (rc $rc)" [ "$rc" -eq 0 ]
check "the final message is printed" \
    [ "$(tail -1 "$tmp/out")" = "Ran 200 commands." ]
check "both samples were taken (rc $wrc)" [ "$wrc" -eq 0 ]
check "21 model requests, the last with 200 outputs" sh -c \
    "[ $(nreq) -eq 21 ] && python3 -c '
import json, sys
b = json.loads(open(sys.argv[1]).readlines()[-1])[\"body\"]
ids = [i[\"call_id\"] for i in b[\"input\"] if i[\"type\"] == \"function_call_output\"]
sys.exit(0 if len(ids) == 200 == len(set(ids)) else 1)' '$tmp/log.jsonl'"

# same NAME WHAT SLACK: the count at the last command is within SLACK of
# the count after the first, and both were read.
same() {
	a=$(awk -v m="$first" -v n="$1" -v w="$2" \
	    '$1 == m && $2 == n && $3 == w { print $4 }' "$tmp/watch")
	b=$(awk -v m="$last" -v n="$1" -v w="$2" \
	    '$1 == m && $2 == n && $3 == w { print $4 }' "$tmp/watch")
	[ -n "$a" ] && [ -n "$b" ] && [ "$a" -ge 0 ] &&
	    [ $((b - a)) -le "$3" ] && [ $((a - b)) -le "$3" ]
}
for p in ocodex ocodex-netproc ocodex-execproc ocodex-ui; do
	check "$p: descriptors after command 1 and at command 200 within 1" \
	    same "$p" fds 1
done
# Processes: exact, zombies included (a command not reaped would stay).
procs_same() {
	for p in ocodex ocodex-netproc ocodex-execproc ocodex-ui; do
		same "$p" children 0 || return 1
	done
	same all procs 0
}
check "no process accumulates: the same children everywhere" procs_same
exit 0
