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
# codex-reply of a session whose server died while a command ran: the
# rollout holds the call but not its output, which the model's API
# refuses.  The server continuing it adds an output saying so, right
# after the call, as exec resume does.

. regress/lib.sh
need_loopback
. regress/exec/lib-exec.sh

plan 4

tid=019a0000-0000-7000-8000-00000000dead
repo="$tmp/repo"
new_repo "$repo"
dir="$CODEX_HOME/sessions/2026/11/27"
mkdir -p "$dir"
ts=2026-11-27T20:00:00.000Z
cat >"$dir/rollout-2026-11-27T20-00-00-$tid.jsonl" <<JEOF
{"timestamp":"$ts","type":"session_meta","payload":{"id":"$tid","timestamp":"$ts","cwd":"$repo","originator":"codex_mcp_server","cli_version":"0.1.0","source":"mcp","model_provider":"mock"}}
{"timestamp":"$ts","type":"response_item","payload":{"type":"message","role":"user","content":[{"type":"input_text","text":"sleep a while"}]}}
{"timestamp":"$ts","type":"response_item","payload":{"type":"function_call","name":"shell","arguments":"{\"command\":[\"sleep\",\"30\"]}","call_id":"call_cut"}}
JEOF

cat >"$tmp/s.json" <<'JEOF'
{"turns": [{"items": [{"type": "message", "text": "Carried on."}]}]}
JEOF
start_mock "$tmp/s.json"

{
	printf '%s\n' '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}'
	printf '%s\n' '{"jsonrpc":"2.0","method":"notifications/initialized"}'
	printf '%s\n' "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"codex-reply\",\"arguments\":{\"threadId\":\"$tid\",\"prompt\":\"go on\"}}}"
	wait_for "$tmp/out" '"id":2' 100
} | (cd "$repo" && timeout 30 "$top/ocodex" mcp-server -c model_provider=mock \
    -c "model_providers.mock.base_url=\"$base_url\"" \
    -c 'model_providers.mock.env_key="MOCK_API_KEY"' \
    -c 'model_providers.mock.name="mock"' >"$tmp/out" 2>"$tmp/err")

checkd "$tmp/err" "codex-reply answered from the resumed session" \
    grep -q '"id":2,"result":{"content":\[{"type":"text","text":"Carried on."' \
    "$tmp/out"
check "one request reached the model" [ "$(wc -l <"$tmp/log.jsonl")" -eq 1 ]
check "the cut-off call got an output right after it" python3 - \
    "$tmp/log.jsonl" <<'PY'
import json, sys
inp = json.loads(open(sys.argv[1]).readline())["body"]["input"]
i = [k for k, it in enumerate(inp) if it.get("call_id") == "call_cut"]
ok = (len(i) == 2 and inp[i[0]]["type"] == "function_call" and
    inp[i[1]]["type"] == "function_call_output" and i[1] == i[0] + 1 and
    inp[i[1]]["output"].startswith("aborted"))
sys.exit(0 if ok else 1)
PY
check "and the new prompt follows" sh -c \
    "grep -q 'go on' '$tmp/log.jsonl'"
