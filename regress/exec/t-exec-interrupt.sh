#!/bin/sh
# An interrupted turn: SIGINT to ocodex exec while a command runs.  exec
# exits 130 and leaves no process behind, neither of its own tree nor the
# command.
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

. regress/lib.sh
need_loopback
. regress/exec/lib-exec.sh

plan 9

repo="$tmp/repo"
new_repo "$repo"

# tree PID: PID and all its descendants, from the parent links in /proc.
tree() {
	ps -e -o pid=,ppid= | awk -v root="$1" '
	    { parent[$1] = $2 }
	    END {
		keep[root] = 1
		do {
			more = 0
			for (p in parent)
				if (!(p in keep) && (parent[p] in keep)) {
					keep[p] = 1
					more = 1
				}
		} while (more)
		for (p in keep)
			print p
	    }'
}

# The command sleeps for a time unique to this run, so it can be found.
dur="30.$$"
mock_json '{"turns": [
  {"items": [{"type": "function_call", "name": "shell", "call_id": "call_long",
    "arguments": {"command": ["sleep", "'"$dur"'"]}}]},
  {"items": [{"type": "message", "text": "not reached"}]}]}'

# A shell without job control starts background jobs with SIGINT
# ignored; a terminal would not, so give ocodex the default disposition.
(cd "$repo" && exec env --default-signal=INT "$top/ocodex" exec \
    -c model_provider=mock -c "model_providers.mock.base_url=\"$base_url\"" \
    -c 'model_providers.mock.env_key="MOCK_API_KEY"' --json "wait" \
    </dev/null >"$tmp/out" 2>"$tmp/err") &
xpid=$!
n=0
while [ -z "$(marker_pids "$dur")" ] && [ $n -lt 100 ]; do
	sleep 0.05
	n=$((n + 1))
done
cmdpids=$(marker_pids "$dur")
check "the command started" [ -n "$cmdpids" ]
procs=$(tree "$xpid")
nprocs=$(echo $procs | wc -w)
diag "tree of $xpid: $(echo $procs)"
check "ocodex runs as a tree of at least four processes ($nprocs)" \
    [ "$nprocs" -ge 4 ]
check "the command is in the tree" sh -c \
    "for p in $cmdpids; do echo ' $(echo $procs) ' | grep -q \" \$p \" || exit 1; done"
kill -INT "$xpid"
wait "$xpid"
rc=$?
check "exit 130 (rc $rc)" [ "$rc" -eq 130 ]
stop_mock
check "no process of the tree is left" wait_gone $procs
check "the command is gone" [ -z "$(marker_pids "$dur")" ]
check "only one request reached the model" [ "$(nreq)" -eq 1 ]
check "the JSON stream does not say the turn completed" jsonpy "$tmp/out" \
    'all(e["type"] != "turn.completed" for e in E)'
check "the command was reported started" jsonpy "$tmp/out" \
    '[e for e in E if e["type"] == "item.started" and
      e["item"]["type"] == "command_execution"] != []'
for p in $procs; do kill -KILL "$p" 2>/dev/null; done
exit 0
