#!/bin/sh
# ocodex exec's command line: where the prompt comes from, the git
# repository check, usage errors and a malformed config.toml.
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

plan 23

repo="$tmp/repo"
new_repo "$repo"
# The prompt the model saw: the text of the last input item.
prompt_is='b["input"][-1]["content"][0]["text"]'

# Prompt from standard input, with no argument and with "-".
start_mock regress/exec/message.json
printf 'prompt from stdin\n' | run_exec "$repo" >"$tmp/out" 2>"$tmp/err"
rc=$?
stop_mock
check "no argument: exits 0 (rc $rc)" [ "$rc" -eq 0 ]
check "no argument: the prompt is standard input" \
    reqpy 1 "$prompt_is.strip() == 'prompt from stdin'"

start_mock regress/exec/message.json
printf 'dash prompt\n' | run_exec "$repo" - >"$tmp/out" 2>"$tmp/err"
rc=$?
stop_mock
check "\"-\": exits 0 (rc $rc)" [ "$rc" -eq 0 ]
check "\"-\": the prompt is standard input" \
    reqpy 1 "$prompt_is.strip() == 'dash prompt'"

# A prompt plus piped input: the input follows in a <stdin> block.
start_mock regress/exec/message.json
printf 'line one\nline two\n' | run_exec "$repo" "summarise this" \
    >"$tmp/out" 2>"$tmp/err"
rc=$?
stop_mock
check "prompt + stdin: exits 0 (rc $rc)" [ "$rc" -eq 0 ]
check "prompt + stdin: a <stdin> block follows the prompt" \
    reqpy 1 "$prompt_is == 'summarise this\n\n<stdin>\nline one\nline two\n</stdin>'"

# A prompt with empty standard input is the prompt alone.
start_mock regress/exec/message.json
run_exec "$repo" "just this" </dev/null >"$tmp/out" 2>"$tmp/err"
rc=$?
stop_mock
check "prompt + empty stdin: exits 0 (rc $rc)" [ "$rc" -eq 0 ]
check "prompt + empty stdin: the prompt alone" \
    reqpy 1 "$prompt_is == 'just this'"

# Outside a git repository.
nogit="$tmp/nogit"
mkdir -p "$nogit"
start_mock regress/exec/message.json
run_exec "$nogit" "hello" </dev/null >"$tmp/out" 2>"$tmp/err"
rc=$?
check "outside a git repository: exit 1 (rc $rc)" [ "$rc" -eq 1 ]
check "outside a git repository: says why" \
    grep -q 'not inside a git repository' "$tmp/err"
check "outside a git repository: the model is never asked" [ "$(nreq)" -eq 0 ]
run_exec "$nogit" --skip-git-repo-check "hello" </dev/null \
    >"$tmp/out" 2>"$tmp/err"
rc=$?
stop_mock
check "--skip-git-repo-check: exit 0 (rc $rc)" [ "$rc" -eq 0 ]
check "--skip-git-repo-check: the answer is printed" \
    [ "$(cat "$tmp/out")" = "Just an answer." ]

# Usage errors exit 2 before anything starts.
usage() {
	desc=$1
	shift
	(cd "$repo" && "$top/ocodex" exec "$@" </dev/null >"$tmp/out" \
	    2>"$tmp/err")
	rc=$?
	check "$desc: exit 2 (rc $rc)" [ "$rc" -eq 2 ]
}
usage "unknown flag" --no-such-flag "x"
usage "bad --color" --color sometimes "x"
usage "bad -s" -s wide-open "x"
usage "bad -a" -a maybe "x"
usage "two prompts" "one" "two"
usage "an empty prompt" ""

# A malformed config.toml is an error with its place, never a fallback.
printf 'model = "m"\nsandbox_mode = = "read-only"\n' >"$CODEX_HOME/config.toml"
(cd "$repo" && "$top/ocodex" exec "x" </dev/null >"$tmp/out" 2>"$tmp/err")
rc=$?
check "malformed config.toml: exit 1 (rc $rc)" [ "$rc" -eq 1 ]
check "malformed config.toml: file:line:column" \
    grep -q "$CODEX_HOME/config.toml:2:[0-9][0-9]*: " "$tmp/err"
printf '[profiles.a\nmodel = "m"\n' >"$CODEX_HOME/config.toml"
(cd "$repo" && "$top/ocodex" exec "x" </dev/null >"$tmp/out" 2>"$tmp/err")
rc=$?
check "unclosed table header: exit 1 (rc $rc)" [ "$rc" -eq 1 ]
check "unclosed table header: line 1" \
    grep -q "$CODEX_HOME/config.toml:1:[0-9][0-9]*: " "$tmp/err"
rm -f "$CODEX_HOME/config.toml"
exit 0
