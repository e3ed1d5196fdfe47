#!/bin/sh
# ocodex exec's request bodies, as the mock model logged them: the initial
# context (permissions, AGENTS.md, environment), the full history on every
# turn, and the tool output format with its truncation.
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

plan 26

repo="$tmp/repo"
new_repo "$repo"
mkdir -p "$repo/sub"
printf 'GLOBAL-RULE one\n' >"$CODEX_HOME/AGENTS.md"
printf 'ROOT-RULE two\n' >"$repo/AGENTS.md"
printf 'SUB-RULE three\n' >"$repo/sub/AGENTS.md"
cwd="$repo/sub"

start_mock regress/exec/context.json
run_exec "$cwd" -m mock-model -c tool_output_token_limit=50 \
    "the prompt text" >"$tmp/out" 2>"$tmp/err"
rc=$?
stop_mock
check "a three-turn session exits 0 (rc $rc)" [ "$rc" -eq 0 ]
check "stdout is the final message" [ "$(cat "$tmp/out")" = "All done." ]
check "three requests reached the model" [ "$(nreq)" -eq 3 ]

# The request's fixed fields.
check "model is the one asked for" reqpy 1 'b["model"] == "mock-model"'
check "instructions are a non-empty string" \
    reqpy 1 'isinstance(b["instructions"], str) and len(b["instructions"]) > 100'
check "store is false" reqpy 1 'b["store"] is False'
check "stream is true" reqpy 1 'b["stream"] is True'
check "every request has the same instructions" \
    reqpy 1 'all(x["instructions"] == b["instructions"] for x in R)'

# The initial context: developer message, then the user's context message,
# then the prompt.
check "input[0] is the developer permissions message" reqpy 1 \
    'b["input"][0]["role"] == "developer" and
     b["input"][0]["content"][0]["text"].startswith("<permissions instructions>") and
     "sandbox_mode" in b["input"][0]["content"][0]["text"] and
     "approval_policy" in b["input"][0]["content"][0]["text"]'
check "input[1] is a user message: AGENTS.md block, then environment_context" \
    reqpy 1 'b["input"][1]["role"] == "user" and
     [c["text"].split("\n")[0] for c in b["input"][1]["content"]] ==
     ["# AGENTS.md instructions for '"$cwd"'", "<environment_context>"]'
check "input[2] is the prompt, alone" reqpy 1 \
    'b["input"][2] == {"type": "message", "role": "user", "content":
     [{"type": "input_text", "text": "the prompt text"}]} and len(b["input"]) == 3'
check "the AGENTS.md block is wrapped in <INSTRUCTIONS>" reqpy 1 \
    're.fullmatch(r"# AGENTS\.md instructions for [^\n]+\n\n<INSTRUCTIONS>\n.*\n</INSTRUCTIONS>",
     b["input"][1]["content"][0]["text"], re.S) is not None'
check "global, then root, then subdirectory AGENTS.md, in that order" reqpy 1 \
    're.search(r"GLOBAL-RULE one\s*\n--- project-doc ---\n\s*ROOT-RULE two\s+SUB-RULE three",
     b["input"][1]["content"][0]["text"]) is not None'
check "environment_context names the working directory" reqpy 1 \
    '"<cwd>'"$cwd"'</cwd>" in b["input"][1]["content"][1]["text"] and
     re.search(r"<current_date>\d{4}-\d\d-\d\d</current_date>",
     b["input"][1]["content"][1]["text"])'

# History: each request repeats the previous one's input and adds to it.
check "turn 2's input extends turn 1's" \
    reqpy 2 'len(b["input"]) > len(R[0]["input"]) and b["input"][:len(R[0]["input"])] == R[0]["input"]'
check "turn 3's input extends turn 2's" \
    reqpy 3 'len(b["input"]) > len(R[1]["input"]) and b["input"][:len(R[1]["input"])] == R[1]["input"]'
check "no previous_response_id on any turn" \
    reqpy 1 'all("previous_response_id" not in x for x in R)'
check "turn 2 ends with the call and its output" reqpy 2 \
    '[(i["type"], i.get("call_id")) for i in b["input"][-2:]] ==
     [("function_call", "call_a"), ("function_call_output", "call_a")]'

# Tool output format.
check "output format: Exit code, Wall time, Output" reqpy 2 \
    're.fullmatch(r"Exit code: 0\nWall time: \d+(\.\d)? seconds\nOutput:\nfirst\n",
     b["input"][-1]["output"]) is not None'
out3='[i for i in b["input"] if i.get("call_id") == "call_b" and i["type"] == "function_call_output"][0]["output"]'
check "a long output is cut in the middle with a marker" reqpy 3 \
    're.search(r"\u2026\d+ tokens truncated\u2026", '"$out3"')'
check "the cut output keeps the head and the tail" reqpy 3 \
    're.match(r"Exit code: 0\nWall time: [\d.]+ seconds\nTotal output lines: 2000\nOutput:\n1\n2\n", '"$out3"')
     and '"$out3"'.endswith("1999\n2000\n")'
check "the cut output fits the budget (50 tokens)" reqpy 3 \
    'len('"$out3"'.split("Output:\n", 1)[1].encode()) <= 50 * 4 + 40'

# project_doc_max_bytes caps the project files, not the global one.
printf 'ROOT-RULE-0123456789-abcdefghij\n' >"$repo/AGENTS.md"
start_mock regress/exec/message.json
run_exec "$cwd" -c project_doc_max_bytes=14 "capped" >/dev/null 2>"$tmp/err"
rc=$?
stop_mock
check "a capped run exits 0 (rc $rc)" [ "$rc" -eq 0 ]
check "project docs are cut at project_doc_max_bytes" reqpy 1 \
    '"GLOBAL-RULE one" in b["input"][1]["content"][0]["text"] and
     "ROOT-RULE-0123\n" in b["input"][1]["content"][0]["text"] and
     "ROOT-RULE-01234" not in b["input"][1]["content"][0]["text"] and
     "SUB-RULE" not in b["input"][1]["content"][0]["text"]'

# Without any AGENTS.md the user message holds only the environment.
rm -f "$CODEX_HOME/AGENTS.md" "$repo/AGENTS.md" "$repo/sub/AGENTS.md"
start_mock regress/exec/message.json
run_exec "$cwd" "bare" >/dev/null 2>"$tmp/err"
rc=$?
stop_mock
check "a run without AGENTS.md exits 0 (rc $rc)" [ "$rc" -eq 0 ]
check "without AGENTS.md there is no instructions block" reqpy 1 \
    'len(b["input"][1]["content"]) == 1 and
     b["input"][1]["content"][0]["text"].startswith("<environment_context>")'
exit 0
