#!/bin/sh
# ocodex exec's results: the -o file, --json on a failed turn, and the
# model chosen with -m or -c model=... reaching the request.
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

plan 20

repo="$tmp/repo"
new_repo "$repo"
last="$tmp/last.txt"

# -o on success: the file holds the last message alone, replacing what
# was there (longer text, so a missing truncation would show).
printf 'an old and much longer message that must go away\n' >"$last"
start_mock regress/exec/message.json
run_exec "$repo" -o "$last" "answer" </dev/null >"$tmp/out" 2>"$tmp/err"
rc=$?
stop_mock
check "-o: exit 0 (rc $rc)" [ "$rc" -eq 0 ]
check "-o: the file holds the last message" \
    [ "$(cat "$last")" = "Just an answer." ]
check "-o: nothing of the old content is left" \
    sh -c "! grep -q 'must go away' '$last'"

# -o when the model answers 400: the file is left alone.
printf 'OLD\n' >"$last"
start_mock regress/exec/fail400.json
run_exec "$repo" --json -o "$last" "answer" </dev/null >"$tmp/out" \
    2>"$tmp/err"
rc=$?
stop_mock
check "400: exit 1 (rc $rc)" [ "$rc" -eq 1 ]
check "400: one request, no retry" [ "$(nreq)" -eq 1 ]
check "400: the -o file is not rewritten" [ "$(cat "$last")" = "OLD" ]
check "400: --json prints turn.failed with a message" jsonpy "$tmp/out" \
    '[e for e in E if e["type"] == "turn.failed" and
      e["error"]["message"] != ""] != []'
check "400: turn.failed is the last event" jsonpy "$tmp/out" \
    'E[-1]["type"] == "turn.failed"'
check "400: no turn.completed" jsonpy "$tmp/out" \
    'all(e["type"] != "turn.completed" for e in E)'
check "400: every stdout line is JSON" sh -c \
    "[ \$(wc -l <'$tmp/out') -eq \$(grep -c '^{.*}\$' '$tmp/out') ]"

# response.failed after a message: also a failed turn.
printf 'OLD\n' >"$last"
start_mock regress/exec/failed.json
run_exec "$repo" --json -o "$last" "answer" </dev/null >"$tmp/out" \
    2>"$tmp/err"
rc=$?
stop_mock
check "response.failed: exit 1 (rc $rc)" [ "$rc" -eq 1 ]
check "response.failed: turn.failed carries the service's message" \
    jsonpy "$tmp/out" '[e for e in E if e["type"] == "turn.failed" and
      "context window" in e["error"]["message"]] != []'
check "response.failed: the -o file is not rewritten" \
    [ "$(cat "$last")" = "OLD" ]
check "response.failed: the stream starts with thread.started, turn.started" \
    jsonpy "$tmp/out" '[e["type"] for e in E[:2]] ==
      ["thread.started", "turn.started"]'

# Human mode on a failed turn: exit 1, nothing on standard output.
start_mock regress/exec/fail400.json
run_exec "$repo" "answer" </dev/null >"$tmp/out" 2>"$tmp/err"
rc=$?
stop_mock
check "400, human mode: exit 1 (rc $rc)" [ "$rc" -eq 1 ]
check "400, human mode: the error is on standard error" \
    grep -q 'bad request' "$tmp/err"

# The model: -m, then -c model=..., then -m over -c.
start_mock regress/exec/message.json
run_exec "$repo" -m model-from-m "x" </dev/null >/dev/null 2>&1
stop_mock
check "-m reaches the request body" reqpy 1 'b["model"] == "model-from-m"'
start_mock regress/exec/message.json
run_exec "$repo" -c model=model-from-c "x" </dev/null >/dev/null 2>&1
stop_mock
check "-c model=... (bare string) reaches the request body" \
    reqpy 1 'b["model"] == "model-from-c"'
start_mock regress/exec/message.json
run_exec "$repo" -c 'model="quoted-c"' "x" </dev/null >/dev/null 2>&1
stop_mock
check "-c model=\"...\" (TOML string) reaches the request body" \
    reqpy 1 'b["model"] == "quoted-c"'
start_mock regress/exec/message.json
run_exec "$repo" -c model=from-c -m from-m "x" </dev/null >/dev/null 2>&1
stop_mock
check "-m wins over -c model" reqpy 1 'b["model"] == "from-m"'
exit 0
