#!/bin/sh
# The interactive session in tmux against the mock model: a command and
# a sanitised answer, typed-ahead keys that must not approve, approvals
# denied and granted, /status, Ctrl-C during a long command, Ctrl-D.
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

plan 11
if ! command -v tmux >/dev/null 2>&1; then
	apt-get install -y -qq tmux >/dev/null 2>&1 || true
fi
if ! command -v tmux >/dev/null 2>&1; then
	for i in 1 2 3 4 5 6 7 8 9 10 11; do skip "no tmux"; done
	exit 0
fi
sock="ocodex-tui-$$"
tm() { tmux -L "$sock" "$@"; }
trap 'tm kill-server 2>/dev/null; stop_mock; rm -rf "$tmp"' EXIT

cat >"$tmp/mock.json" <<'JSON'
{"turns": [
 {"items": [{"type": "function_call", "name": "shell", "call_id": "c1",
   "arguments": {"command": ["echo", "hi-from-cmd"]}}]},
 {"items": [{"type": "message", "text": "Answer \u001b]0;PWNED\u0007 \u001b]52;c;Zm9v\u0007 \u001b[2J done."}]},
 {"items": [{"type": "function_call", "name": "shell", "call_id": "c2",
   "arguments": {"command": ["touch", "denied.txt"]}}]},
 {"items": [{"type": "message", "text": "Not made."}]},
 {"items": [{"type": "function_call", "name": "shell", "call_id": "c3",
   "arguments": {"command": ["touch", "approved.txt"]}}]},
 {"items": [{"type": "message", "text": "Made it."}]},
 {"items": [{"type": "function_call", "name": "shell", "call_id": "c4",
   "arguments": {"command": ["sleep", "30"]}}]}
]}
JSON
start_mock "$tmp/mock.json"
repo=$tmp/repo
new_repo "$repo"
cat >"$tmp/run.sh" <<EOF
cd "$repo" || exit 1
stty -a >"$tmp/stty.before"
"$top/ocodex" -a untrusted -s workspace-write -c model_provider=mock \
    -c 'model_providers.mock.base_url="$base_url"' \
    -c 'model_providers.mock.env_key="MOCK_API_KEY"' \
    -c 'model_providers.mock.name="mock"'
echo "EXITED \$?" >"$tmp/exit"
stty -a >"$tmp/stty.after"
sleep 60
EOF
tm new-session -d -x 120 -y 50 "MOCK_API_KEY=$MOCK_API_KEY HOME=$HOME CODEX_HOME=$CODEX_HOME sh $tmp/run.sh"

# pane: the screen so far, with the scrollback.
pane() { tm capture-pane -p -S -200; }
# until_shows PATTERN [TENTHS]: wait until the screen shows PATTERN.
until_shows() {
	n=0
	while ! pane | grep -q -- "$1"; do
		n=$((n + 1))
		[ "$n" -gt "${2:-50}" ] && { pane | sed 's/^/# /'; return 1; }
		sleep 0.1
	done
}

check "the session starts with a status line" until_shows "approval untrusted"
tm send-keys "show me" Enter
check "the command and the final answer appear" until_shows "Answer.*done\."
check "the command's output is shown" until_shows "hi-from-cmd"
title=$(tm display -p '#{pane_title}')
check "the model's escape sequences do not set the title" \
    test "$title" != PWNED
# A 'y' typed before the question appears must not approve.
tm send-keys "deny this" Enter y
check "an approval prompt appears" until_shows "Run this command"
sleep 0.5
check "typed-ahead y did not approve" test ! -e "$repo/denied.txt"
tm send-keys n
check "a denied command is not run and the turn goes on" \
    until_shows "Not made\."
tm send-keys "approve this" Enter
until_shows "touch approved.txt" >/dev/null
sleep 0.3
tm send-keys y
check "an approved command runs" until_shows "Made it\."
tm send-keys "/status" Enter
check "/status shows the Landlock ABI" until_shows "Landlock ABI *[1-9]"
tm send-keys "sleep please" Enter
until_shows "sleep 30" >/dev/null
sleep 0.3
tm send-keys y
sleep 0.5
tm send-keys C-c
check "Ctrl-C interrupts a running command" until_shows "interrupted"
tm send-keys C-d
n=0
while [ ! -s "$tmp/exit" ] && [ $n -lt 50 ]; do sleep 0.1; n=$((n + 1)); done
if [ -s "$tmp/stty.after" ] && grep -qw icanon "$tmp/stty.after" &&
    grep -qw echo "$tmp/stty.after" &&
    cmp -s "$tmp/stty.before" "$tmp/stty.after"; then
	ok "Ctrl-D quits and the terminal is restored"
else
	notok "Ctrl-D quits and the terminal is restored"
	pane | tail -5 | sed 's/^/# /'
fi
