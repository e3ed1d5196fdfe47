#!/bin/sh
# Session files and resume: the rollout written by exec, exec resume
# (--last, by id prefix, by path, Codex's own file), --ephemeral, and a
# parent killed with SIGKILL mid-command whose session resumes with every
# completed item and nothing twice.
. regress/lib.sh
need_loopback
. regress/exec/lib-exec.sh

plan 22
repo="$tmp/repo"
new_repo "$repo"

rollouts() { find "$CODEX_HOME/sessions" -name 'rollout-*.jsonl' 2>/dev/null; }

start_mock regress/exec/session.json
run_exec "$repo" --full-auto "first prompt" >/dev/null 2>"$tmp/1.err"
rc=$?
stop_mock
f=$(rollouts)
check "exec exits 0 (rc $rc)" [ "$rc" -eq 0 ]
check "one rollout file under sessions/YYYY/MM/DD" sh -c \
    "echo '$f' | grep -Eq '/sessions/[0-9]{4}/[0-9]{2}/[0-9]{2}/rollout-[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}-[0-9]{2}-[0-9]{2}-[0-9a-f-]{36}\.jsonl$'"
check "the file is 0600, its directories 0700" sh -c \
    "[ \$(stat -c %a '$f') = 600 ] && [ \$(stat -c %a \$(dirname '$f')) = 700 ] && [ \$(stat -c %a '$CODEX_HOME/sessions') = 700 ]"
check "lines: session_meta first, then turn_context, items and events" \
    python3 - "$f" <<'PY'
import json, sys
L = [json.loads(l) for l in open(sys.argv[1])]
t = [(x["type"], x["payload"].get("type")) for x in L]
assert t[0][0] == "session_meta", t[0]
m = L[0]["payload"]
for k in ("id", "timestamp", "cwd", "originator", "cli_version", "source", "model_provider"):
    assert k in m, k
assert m["source"] == "exec"
kinds = set(t)
for need in [("turn_context", None), ("response_item", "function_call"),
             ("response_item", "function_call_output"), ("response_item", "custom_tool_call"),
             ("event_msg", "user_message"), ("event_msg", "agent_message"),
             ("event_msg", "task_started"), ("event_msg", "task_complete"),
             ("event_msg", "token_count")]:
    assert need in kinds, need
for x in L:
    assert x["timestamp"].endswith("Z") and len(x["timestamp"]) == 24, x["timestamp"]
PY
check "the prompt is in history.jsonl (0600)" sh -c \
    "grep -q '\"text\":\"first prompt\"' '$CODEX_HOME/history.jsonl' && [ \$(stat -c %a '$CODEX_HOME/history.jsonl') = 600 ]"
n1=$(wc -l <"$f")

# exec resume --last: the same file grows, and the request carries it all.
start_mock regress/exec/message.json
run_exec "$repo" resume --last "second prompt" >"$tmp/2.out" 2>"$tmp/2.err"
rc=$?
check "exec resume --last exits 0 (rc $rc)" [ "$rc" -eq 0 ]
check "no new rollout file" [ "$(rollouts | wc -l)" -eq 1 ]
check "the rollout grew" [ "$(wc -l <"$f")" -gt "$n1" ]
check "the resumed request carries the first turn and the new prompt" \
    reqpy 1 '"first prompt" in json.dumps(b) and "call_ls" in json.dumps(b) and "second prompt" in json.dumps(b)'
check "no item of the first turn is sent twice" \
    reqpy 1 'sum(1 for i in b["input"] if i.get("call_id") == "call_ls" and i["type"] == "function_call") == 1'
stop_mock

# ocodex resume without an id lists this directory's sessions.
(cd "$repo" && "$top/ocodex" resume) >"$tmp/list.out" 2>&1
check "ocodex resume lists the session, numbered" \
    grep -q "^ 1  .*$(python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline())["payload"]["id"])' "$f")" "$tmp/list.out"
(cd "$tmp" && "$top/ocodex" resume) >"$tmp/list2.out" 2>&1
check "elsewhere it finds none (--all would list it)" \
    grep -q 'no session to resume in this directory' "$tmp/list2.out"

# By id prefix.
id=$(python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline())["payload"]["id"])' "$f")
start_mock regress/exec/message.json
run_exec "$repo" resume "$(echo "$id" | cut -c1-13)" "third" >/dev/null 2>&1
rc=$?
check "exec resume ID-PREFIX exits 0 (rc $rc)" [ "$rc" -eq 0 ]
check "it continued the same session" reqpy 1 '"second prompt" in json.dumps(b)'
stop_mock

# A rollout written by Codex 0.171 resumes.
sample=../shared/conformance/codex-0.171/sample-rollout.jsonl
if [ -f "$sample" ]; then
	mkdir -p "$CODEX_HOME/sessions/2026/01/01"
	cp "$sample" "$CODEX_HOME/sessions/2026/01/01/rollout-codex.jsonl"
	start_mock regress/exec/message.json
	run_exec "$repo" resume "$CODEX_HOME/sessions/2026/01/01/rollout-codex.jsonl" \
	    "go on" >/dev/null 2>"$tmp/c.err"
	rc=$?
	stop_mock
	check "Codex's own rollout resumes (rc $rc)" [ "$rc" -eq 0 ]
	check "its items reach the model" \
	    reqpy 1 '"hello.txt" in json.dumps(b) and "go on" in json.dumps(b)'
else
	skip "no Codex sample rollout"
	skip "no Codex sample rollout"
fi

# --ephemeral writes nothing.
rm -rf "$CODEX_HOME/sessions" "$CODEX_HOME/history.jsonl"
start_mock regress/exec/message.json
run_exec "$repo" --ephemeral "quiet" >/dev/null 2>&1
stop_mock
check "--ephemeral leaves no session and no history" \
    [ ! -e "$CODEX_HOME/sessions" -a ! -e "$CODEX_HOME/history.jsonl" ]

# SIGKILL of the parent while a command runs, then resume --last.
marker="sleep 30.$$"
cat >"$tmp/kill.json" <<JSON
{"turns": [
 {"items": [{"type": "reasoning", "summary": "Waiting a while."},
            {"type": "function_call", "name": "shell", "call_id": "call_sleep",
             "arguments": {"command": ["sleep", "30.$$"]}}]},
 {"items": [{"type": "message", "text": "Resumed fine."}]}
]}
JSON
start_mock "$tmp/kill.json"
run_exec "$repo" --full-auto "sleepy" >/dev/null 2>&1 &
xpid=$!
# our parent: the ocodex whose arguments include the prompt "sleepy"
parent_pid() {
	for p in $(pgrep -x ocodex); do
		tr '\0' '\n' <"/proc/$p/cmdline" 2>/dev/null | grep -qx sleepy &&
		    echo "$p" && return
	done
}
n=0
while ! pgrep -f "^$marker" >/dev/null && [ $n -lt 100 ]; do
	sleep 0.05
	n=$((n + 1))
done
kill -KILL "$(parent_pid)" 2>/dev/null
wait "$xpid" 2>/dev/null
n=0
while pgrep -f "^$marker" >/dev/null && [ $n -lt 50 ]; do
	sleep 0.1
	n=$((n + 1))
done
check "after kill -9 of the parent the command is gone" \
    sh -c "! pgrep -f '^$marker' >/dev/null"
run_exec "$repo" --full-auto resume --last "after the crash" >"$tmp/k.out" 2>"$tmp/k.err"
rc=$?
stop_mock
check "resume after kill -9 exits 0 (rc $rc)" [ "$rc" -eq 0 ]
[ "$rc" -eq 0 ] || sed 's/^/# /' "$tmp/k.err"
check "the resumed request has the completed items" \
    reqpy 2 '"sleepy" in json.dumps(b) and any(i.get("call_id") == "call_sleep" and i["type"] == "function_call" for i in b["input"])'
check "the unfinished call got an aborted output, once" \
    reqpy 2 'sum(1 for i in b["input"] if i.get("call_id") == "call_sleep" and i["type"] == "function_call_output" and "aborted" in i["output"]) == 1'
check "nothing is duplicated" \
    reqpy 2 'sum(1 for i in b["input"] if i.get("call_id") == "call_sleep" and i["type"] == "function_call") == 1'
exit 0
