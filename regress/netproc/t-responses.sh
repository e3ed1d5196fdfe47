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
# End-to-end test of the Responses client: `ocodex debug model` against
# the mock server; the events it prints and the requests the mock saw.

. regress/lib.sh
need_loopback
. regress/netproc/lib-np.sh

plan 12

cat >"$tmp/s.json" <<'JEOF'
{"turns": [
 {"items": [{"type": "reasoning", "summary": "Think."},
            {"type": "message", "text": "Hello there", "delta_size": 4},
            {"type": "function_call", "name": "shell", "call_id": "call_1",
             "arguments": {"command": ["ls"]}}]},
 {"items": [{"type": "message", "text": "second"}]},
 {"items": [{"type": "message", "text": "third"}]},
 {"items": [{"type": "message", "text": "azure"}]},
 {"items": [{"type": "message", "text": "x"}], "fault": {"big_delta": 1048576}}
]}
JEOF
mock_start "$tmp/s.json"
req "$tmp/r1.json" '[{"type":"message","role":"user","content":[{"type":"input_text","text":"hi"}]},{"type":"message","role":"assistant","content":[{"type":"output_text","text":"earlier"}]},{"type":"function_call","name":"shell","arguments":"{}","call_id":"c0"},{"type":"function_call_output","call_id":"c0","output":"out"}]'

export ORG_ID=org-42 BLANK_ID="  "
unset UNSET_ID
dm "$tmp/r1.json" 'http_headers={"X-Custom"="yes"}' \
    'env_http_headers={"OpenAI-Organization"="ORG_ID","X-Blank"="BLANK_ID","X-Unset"="UNSET_ID"}' \
    'query_params={"api-version"="2025-04-01-preview"}'
check "a streamed turn completes (exit 0)" test "$rc" = 0
check "events: created, deltas, three item_done, completed not partial" \
    py 'types[0] == "created"' 'types.count("item_done") == 3' \
    '"".join(e["delta"] for e in ev if e["type"] == "text_delta") == "Hello there"' \
    'last["type"] == "completed" and last["partial"] is False' \
    'last["usage"]["total_tokens"] == 120' \
    '[e["item"]["call_id"] for e in ev if e["type"] == "item_done" and e["item"]["type"] == "function_call"] == ["call_1"]'
check "body fields in Codex 0.171's order, no previous_response_id" \
    py 'list(log[0]["body"].keys()) == ["model","instructions","stream","input","tools","tool_choice","parallel_tool_calls","reasoning","store","include","prompt_cache_key"]'
check "the full history is sent as given" \
    py 'log[0]["body"]["input"] == json.load(open(sys.argv[1].replace("out","r1.json")))["input"]'
check "store false, include encrypted reasoning, prompt_cache_key" \
    py 'log[0]["body"]["store"] is False' \
    'log[0]["body"]["include"] == ["reasoning.encrypted_content"]' \
    'log[0]["body"]["prompt_cache_key"] == "sess-1"' \
    'log[0]["body"]["reasoning"] == {"effort":"medium","summary":"auto"}'
check "headers: bearer key, originator, user agent, session id, accept" \
    py 'log[0]["headers"]["authorization"] == "Bearer sk-mock-0123456789abcdef"' \
    'log[0]["headers"]["originator"] == "codex_cli_rs"' \
    'log[0]["headers"]["user-agent"].startswith("codex_cli_rs/")' \
    'log[0]["headers"]["session-id"] == "sess-1"' \
    'log[0]["headers"]["accept"] == "text/event-stream"' \
    'log[0]["headers"]["content-type"] == "application/json"'
check "provider headers; env headers only when set and not blank" \
    py 'log[0]["headers"]["x-custom"] == "yes"' \
    'log[0]["headers"]["openai-organization"] == "org-42"' \
    '"x-blank" not in log[0]["headers"]' '"x-unset" not in log[0]["headers"]'
check "query_params on the URL" \
    py 'log[0]["path"] == "/v1/responses"' 'log[0]["query"] == "api-version=2025-04-01-preview"'

python3 - "$tmp/r1.json" "$tmp/r2.json" <<'PYEOF'
import json, sys
r = json.load(open(sys.argv[1]))
r["reasoning"] = None
json.dump(r, open(sys.argv[2], "w"))
PYEOF
dm "$tmp/r2.json"
check "no reasoning: reasoning null, include empty" \
    py 'log[1]["body"]["reasoning"] is None' 'log[1]["body"]["include"] == []' \
    '"authorization" in log[1]["headers"]'
dm "$tmp/r2.json" 'request_max_retries=1'
check "a second request resends everything, still without previous_response_id" \
    py 'len(log) == 3' 'log[2]["body"]["input"] == log[1]["body"]["input"]' \
    '"previous_response_id" not in log[2]["body"]'
./ocodex debug model -c "model_providers.az={name=\"azure\",base_url=\"http://127.0.0.1:$PORT/openai\",env_key=\"MOCK_KEY\"}" \
    -p az -m mock-model "$tmp/r2.json" >"$tmp/out" 2>"$tmp/err"
check "an Azure provider stores responses" \
    py 'log[3]["body"]["store"] is True' 'log[3]["path"] == "/openai/responses"'
dm "$tmp/r1.json"
check "a 1 MiB delta arrives whole" \
    py 'max(len(e.get("delta","")) for e in ev) == 1048576' 'last["type"] == "completed"'
