#!/bin/sh
# The interactive session in tmux, continued: a patch approval shown as
# a coloured diff with the files outside the writable roots, approve for
# the session, /compact, /new, /resume with its picker, and text that
# re-wraps after the window is resized.
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

N=22
plan $N
if ! command -v tmux >/dev/null 2>&1; then
	apt-get install -y -qq tmux >/dev/null 2>&1 || true
fi
if ! command -v tmux >/dev/null 2>&1; then
	i=0; while [ $i -lt $N ]; do skip "no tmux"; i=$((i + 1)); done
	exit 0
fi
sock="ocodex-tui-s-$$"
tm() { tmux -L "$sock" "$@"; }
trap 'tm kill-server 2>/dev/null; stop_mock; rm -rf "$tmp"' EXIT

repo=$tmp/repo
new_repo "$repo"
out=.codex/notes.txt
words=$(i=1; while [ $i -le 30 ]; do printf 'word-%02d ' $i; i=$((i + 1)); \
    done)
cat >"$tmp/mock.json" <<JSON
{"turns": [
 {"items": [{"type": "custom_tool_call", "name": "apply_patch",
   "call_id": "p1", "input": "*** Begin Patch\\n*** Add File: inside.txt\\n+hello-inside\\n*** End Patch\\n"}]},
 {"items": [{"type": "custom_tool_call", "name": "apply_patch",
   "call_id": "p2", "input": "*** Begin Patch\\n*** Add File: $out\\n+hello-outside\\n*** End Patch\\n"}]},
 {"items": [{"type": "message", "text": "Patched."}]},
 {"items": [{"type": "function_call", "name": "shell", "call_id": "t1",
   "arguments": {"command": ["sh", "-c", "echo x >> twice.txt"]}}]},
 {"items": [{"type": "function_call", "name": "shell", "call_id": "t2",
   "arguments": {"command": ["sh", "-c", "echo x >> twice.txt"]}}]},
 {"items": [{"type": "message", "text": "Twice done."}]},
 {"items": [{"type": "message", "text": "SUMMARY-OF-SESSION"}]},
 {"items": [{"type": "message", "text": "Compacted reply."}]},
 {"items": [{"type": "message", "text": "Fresh."}]},
 {"items": [{"type": "message", "text": "Welcome back."}]},
 {"items": [{"type": "message", "text": "$words"}]}
]}
JSON
start_mock "$tmp/mock.json"
cat >"$tmp/run.sh" <<EOF
cd "$repo" || exit 1
"$top/ocodex" -a untrusted -s workspace-write -c model_provider=mock \
    -c 'model_providers.mock.base_url="$base_url"' \
    -c 'model_providers.mock.env_key="MOCK_API_KEY"' \
    -c 'model_providers.mock.name="mock"' \
    -c sandbox_workspace_write.exclude_slash_tmp=true \
    -c sandbox_workspace_write.exclude_tmpdir_env_var=true
echo "EXITED \$?" >"$tmp/exit"
sleep 60
EOF
tm new-session -d -x 120 -y 50 "MOCK_API_KEY=$MOCK_API_KEY HOME=$HOME CODEX_HOME=$CODEX_HOME COLORTERM= sh $tmp/run.sh"

pane() { tm capture-pane -p -S -400 "$@"; }
until_shows() {
	n=0
	while ! pane | grep -q -- "$1"; do
		n=$((n + 1))
		[ "$n" -gt "${2:-50}" ] && { pane | tail -15 | sed 's/^/# /'; \
		    return 1; }
		sleep 0.1
	done
}
# count PATTERN: lines of the screen (and scrollback) that match.
count() { pane | grep -c -- "$1"; }
# req N PYTHON: the N-th model request (from 1) satisfies the expression
# over its body b.
req() {
	python3 -c 'import json,sys
L=[json.loads(l) for l in open(sys.argv[1])]
b=L[int(sys.argv[2]) - 1]["body"]
sys.exit(0 if eval(sys.argv[3]) else 1)' "$tmp/log.jsonl" "$1" "$2"
}

until_shows "approval untrusted" >/dev/null
tm send-keys "patch please" Enter
until_shows "Apply this patch" >/dev/null
sleep 0.2
check "a patch inside the writable roots is not said to be outside" \
    test "$(count 'outside the writable roots')" -eq 0
tm send-keys y
check "an approved patch is applied" until_shows "patch applied"
check "and wrote its file" grep -qx hello-inside "$repo/inside.txt"
n=0; while [ "$(count 'Apply this patch')" -lt 2 ] && [ $n -lt 50 ]; do
	sleep 0.1; n=$((n + 1)); done
sleep 0.2
check "a patch approval shows the diff in colour" \
    sh -c "tmux -L $sock capture-pane -e -p -S -400 | grep -q '32m[^+]*+hello-outside'"
check "and the file outside the writable roots" \
    sh -c "tmux -L $sock capture-pane -p -S -400 | grep -A1 'outside the writable roots' | grep -q 'repo/$out'"
tm send-keys n
check "a denied patch is not applied and the model is told" \
    until_shows "Patched\."
check "the model was told" req 3 '"patch rejected by user" in json.dumps(b)'

tm send-keys "twice please" Enter
until_shows "echo x >> twice.txt" >/dev/null
sleep 0.2
tm send-keys a
check "approve for the session runs the command" until_shows "Twice done\."
check "the same command is not asked about again" \
    test "$(count 'Run this command')" -eq 1
check "and it ran twice" test "$(wc -l <"$repo/twice.txt")" -eq 2

tm send-keys "/compact" Enter
check "/compact says when the conversation was compacted" \
    until_shows "conversation compacted"
tm send-keys "after compact" Enter
until_shows "Compacted reply\." >/dev/null
check "the next request carries the summary" \
    req 8 '"SUMMARY-OF-SESSION" in json.dumps(b)'

tm send-keys "/new" Enter
n=0; while [ "$(count '>_ ocodex')" -lt 2 ] && [ $n -lt 50 ]; do
	sleep 0.1; n=$((n + 1)); done
check "/new starts a new session" test "$(count '>_ ocodex')" -eq 2
tm send-keys "in new session" Enter
until_shows "Fresh\." >/dev/null
check "the new session does not carry the old history" \
    req 9 '"patch please" not in json.dumps(b)'

tm send-keys "/resume" Enter
check "/resume lists the sessions of this directory" \
    until_shows "2 .*patch please"
check "the current session is marked" until_shows "in new session.*this session"
tm send-keys "2" Enter
check "picking one resumes it" until_shows "resumed session"
check "and shows its last messages and summary" \
    until_shows "summary of the earlier conversation"
tm send-keys "back again" Enter
until_shows "Welcome back\." >/dev/null
check "the resumed session continues the old conversation" \
    req 10 '"after compact" in json.dumps(b) and "in new session" not in json.dumps(b)'

tm resize-window -x 40 -y 50
sleep 0.3
tm send-keys "long please" Enter
until_shows "word-30" >/dev/null
sleep 0.2
# Every word whole on a line: none was cut by the terminal's own wrap.
check "after a resize long text is wrapped at words" \
    test "$(pane | grep -o 'word-[0-9][0-9]' | sort -u | wc -l)" -eq 30
maxw=$(pane | grep 'word-' | awk '{ if (length > m) m = length } END { print m }')
check "to the new width ($maxw columns)" \
    test "$maxw" -le 40 -a "$maxw" -ge 30
tm send-keys C-d
n=0
while [ ! -s "$tmp/exit" ] && [ $n -lt 50 ]; do sleep 0.1; n=$((n + 1)); done
check "Ctrl-D ends the resumed session with status 0" \
    grep -qx "EXITED 0" "$tmp/exit"
