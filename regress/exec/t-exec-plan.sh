#!/bin/sh
# update_plan through ocodex exec --json: one todo_list item, started,
# updated and completed, and the model told the result.
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

start_mock regress/exec/plan.json
run_exec "$repo" --json "plan it" </dev/null >"$tmp/out" 2>"$tmp/err"
rc=$?
stop_mock
check "exit 0 (rc $rc)" [ "$rc" -eq 0 ]
check "four requests reached the model" [ "$(nreq)" -eq 4 ]
todo='[e for e in E if e.get("item", {}).get("type") == "todo_list"]'
check "todo_list: started, updated, completed, in that order" \
    jsonpy "$tmp/out" '[e["type"] for e in '"$todo"'] ==
      ["item.started", "item.updated", "item.completed"]'
check "todo_list: one item id throughout" \
    jsonpy "$tmp/out" 'len(set(e["item"]["id"] for e in '"$todo"')) == 1'
check "item.started holds the first plan" jsonpy "$tmp/out" \
    "$todo"'[0]["item"]["items"] == [
      {"text": "Read the code", "completed": False},
      {"text": "Change it", "completed": False},
      {"text": "Test it", "completed": False}]'
check "item.updated holds the second plan" jsonpy "$tmp/out" \
    "$todo"'[1]["item"]["items"] == [
      {"text": "Read the code", "completed": True},
      {"text": "Change it", "completed": True},
      {"text": "Test it", "completed": False}]'
check "item.completed comes before turn.completed" jsonpy "$tmp/out" \
    'E.index('"$todo"'[2]) < [e["type"] for e in E].index("turn.completed")'
out='[i for i in b["input"] if i["type"] == "function_call_output"]'
check "the model hears the plan was updated" reqpy 2 \
    "$out"'[-1]["call_id"] == "call_plan1" and "lan updated" in '"$out"'[-1]["output"]'
check "two steps in progress are refused, with a reason" reqpy 4 \
    "$out"'[-1]["call_id"] == "call_bad" and "in_progress" in '"$out"'[-1]["output"]'
check "the refused plan did not update the todo list" jsonpy "$tmp/out" \
    'all(i["text"] not in ("A", "B") for e in '"$todo"' for i in e["item"]["items"])'
exit 0
