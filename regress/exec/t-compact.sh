#!/bin/sh
# Compaction: past 90 % of model_context_window the model is asked for a
# handoff summary, the history becomes the initial context, the recent
# user messages and the summary, a compacted line is recorded, and a
# resumed session sends the replacement history.
. regress/lib.sh
need_loopback
. regress/exec/lib-exec.sh

plan 9
repo="$tmp/repo"
new_repo "$repo"
cat >"$tmp/compact.json" <<'JSON'
{"turns": [
 {"items": [{"type": "function_call", "name": "shell", "call_id": "call_true",
             "arguments": {"command": ["true"]}}],
  "usage": {"input_tokens": 950, "output_tokens": 20, "total_tokens": 970}},
 {"items": [{"type": "message", "text": "SUMMARY: ran true, nothing left."}]},
 {"items": [{"type": "message", "text": "All done after compaction."}]},
 {"items": [{"type": "message", "text": "Resumed after compaction."}]}
]}
JSON
start_mock "$tmp/compact.json"
run_exec "$repo" --full-auto -c model_context_window=1000 "please compact" \
    >"$tmp/out" 2>"$tmp/err"
rc=$?
check "exec exits 0 (rc $rc)" [ "$rc" -eq 0 ]
check "the final answer comes after compaction" \
    grep -qx 'All done after compaction.' "$tmp/out"
check "request 2 asks for the handoff summary, without tools" \
    reqpy 2 '"handoff" in b["input"][-1]["content"][0]["text"] and b["tools"] == []'
check "request 3 carries the summary with its prefix" \
    reqpy 3 'any("SUMMARY: ran true" in json.dumps(i) and "Another language model" in json.dumps(i) for i in b["input"])'
check "request 3 keeps the user's prompt and drops the tool call" \
    reqpy 3 '"please compact" in json.dumps(b) and "call_true" not in json.dumps(b)'
check "request 3 still starts with the initial context" \
    reqpy 3 'b["input"][0]["role"] == "developer"'
f=$(find "$CODEX_HOME/sessions" -name 'rollout-*.jsonl')
check "a compacted line with a replacement history was recorded" \
    python3 -c 'import json,sys; L=[json.loads(l) for l in open(sys.argv[1])]; c=[x for x in L if x["type"]=="compacted"]; assert c and "replacement_history" in c[0]["payload"] and "SUMMARY" in c[0]["payload"]["message"]' "$f"
run_exec "$repo" --full-auto resume --last "and now" >/dev/null 2>&1
rc=$?
stop_mock
check "resume after compaction exits 0 (rc $rc)" [ "$rc" -eq 0 ]
check "the resumed request sends the replacement history" \
    reqpy 4 '"SUMMARY: ran true" in json.dumps(b) and "call_true" not in json.dumps(b) and "and now" in json.dumps(b)'
exit 0
