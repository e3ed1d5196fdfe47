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
# End-to-end test of the Chat Completions client (wire_api = "chat"):
# the history turned into messages, streamed deltas accumulated.

. regress/lib.sh
need_loopback
. regress/netproc/lib-np.sh

plan 5

cat >"$tmp/s.json" <<'JEOF'
{"turns": [
 {"items": [{"type": "reasoning", "summary": "Hmm."},
            {"type": "message", "text": "Let me look", "delta_size": 3},
            {"type": "function_call", "name": "shell", "call_id": "call_a",
             "arguments": {"command": ["ls", "-a"]}, "delta_size": 4},
            {"type": "function_call", "name": "shell", "call_id": "call_b",
             "arguments": {"command": ["pwd"]}, "delta_size": 2}]},
 {"items": [{"type": "message", "text": "cut"}], "fault": {"cut_after": 2}},
 {"items": [{"type": "message", "text": "whole"}]}
]}
JEOF
mock_start "$tmp/s.json"
req "$tmp/r.json" '[{"type":"message","role":"user","content":[{"type":"input_text","text":"go"}]},{"type":"reasoning","summary":[],"content":[{"type":"reasoning_text","text":"plan"}]},{"type":"function_call","name":"shell","arguments":"{\"command\":[\"a\"]}","call_id":"c1"},{"type":"function_call","name":"shell","arguments":"{\"command\":[\"b\"]}","call_id":"c2"},{"type":"function_call_output","call_id":"c1","output":"A"},{"type":"function_call_output","call_id":"c2","output":"B"}]'

dm "$tmp/r.json" 'wire_api="chat"'
check "a chat stream completes (exit 0)" test "$rc" = 0
check "deltas accumulate into a message and two whole function calls" \
    py '"".join(e["delta"] for e in ev if e["type"] == "text_delta") == "Let me look"' \
    '[(e["item"]["call_id"], json.loads(e["item"]["arguments"])) for e in ev if e["type"] == "item_done" and e["item"]["type"] == "function_call"] == [("call_a", {"command": ["ls", "-a"]}), ("call_b", {"command": ["pwd"]})]' \
    'last["type"] == "completed" and last["usage"]["input_tokens"] == 100'
check "the body: model, messages, stream, tools; nothing of Responses" \
    py 'log[0]["path"] == "/v1/chat/completions"' \
    'list(log[0]["body"].keys()) == ["model","messages","stream","tools"]' \
    'log[0]["body"]["tools"][0]["function"]["name"] == "shell"'
check "messages: system first, calls merged, outputs as role tool, reasoning kept" \
    py '[x["role"] for x in log[0]["body"]["messages"]] == ["system","user","assistant","tool","tool"]' \
    'log[0]["body"]["messages"][0]["content"] == "You are a test."' \
    '[c["id"] for c in log[0]["body"]["messages"][2]["tool_calls"]] == ["c1","c2"]' \
    'log[0]["body"]["messages"][2]["content"] is None' \
    'log[0]["body"]["messages"][2]["reasoning"] == "plan"' \
    'log[0]["body"]["messages"][3] == {"role":"tool","tool_call_id":"c1","content":"A"}'
dm "$tmp/r.json" 'wire_api="chat"'
check "a chat stream cut before finish_reason is retried" \
    py 'types.count("retrying") == 1' 'last["type"] == "completed"' \
    '"whole" in json.dumps(ev)'
