#!/bin/sh
# A command that outlives its timeout_ms: killed, reported to the model as
# exit code 124, and the session goes on to its final message.
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

plan 10

repo="$tmp/repo"
new_repo "$repo"

# sleep's argument is unique to this run, so /proc tells whether that very
# command is still alive; the sh -c around it must go too.
dur="5.$$"
mock_json '{"turns": [
  {"items": [{"type": "function_call", "name": "shell", "call_id": "call_sleep",
    "arguments": {"command": ["sh", "-c", "echo started; sleep '"$dur"'; echo never"],
                  "timeout_ms": 200}}]},
  {"items": [{"type": "message", "text": "It timed out."}]}]}'
t0=$(date +%s%N)
run_exec "$repo" --json "sleep" </dev/null >"$tmp/out" 2>"$tmp/err"
rc=$?
t1=$(date +%s%N)
stop_mock
ms=$(((t1 - t0) / 1000000))
check "the session ends normally (rc $rc)" [ "$rc" -eq 0 ]
check "well before the command would have ended (${ms} ms)" [ "$ms" -lt 3000 ]
check "the final message is printed" jsonpy "$tmp/out" \
    '[e for e in E if e.get("item", {}).get("type") == "agent_message" and
      e["item"]["text"] == "It timed out."] != []'
check "two requests reached the model" [ "$(nreq)" -eq 2 ]
o='[i for i in b["input"] if i["type"] == "function_call_output"][0]["output"]'
check "the model gets exit code 124" reqpy 2 "$o"'.startswith("Exit code: 124\n")'
check "the model is told it timed out" reqpy 2 \
    '"timed out after 200 milliseconds" in '"$o"
check "output before the timeout is kept" reqpy 2 \
    '"started" in '"$o"' and "never" not in '"$o"
check "command_execution item: exit_code 124, status failed" \
    jsonpy "$tmp/out" '[e["item"] for e in E if e["type"] == "item.completed" and
      e["item"]["type"] == "command_execution"][0]["exit_code"] == 124 and
      [e["item"] for e in E if e["type"] == "item.completed" and
      e["item"]["type"] == "command_execution"][0]["status"] == "failed"'

check "the command is gone" [ -z "$(marker_pids "$dur")" ]
check "its shell is gone" \
    [ -z "$(marker_pids "echo started; sleep $dur; echo never")" ]
exit 0
