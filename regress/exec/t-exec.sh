#!/bin/sh
# ocodex exec end to end: the real binary against the mock model, in a
# throwaway git repository.
. regress/lib.sh
need_loopback

plan 28
MOCK=${MOCKMODEL:-regress/mockmodel/mockmodel}

# start_mock SCRIPT: run the mock model; sets mockpid and base_url.
start_mock() {
	rm -f "$tmp/port" "$tmp/log.jsonl"
	"$MOCK" -s "$1" -l "$tmp/log.jsonl" -P "$tmp/port" >/dev/null &
	mockpid=$!
	n=0
	while [ ! -s "$tmp/port" ] && [ $n -lt 100 ]; do
		sleep 0.05
		n=$((n + 1))
	done
	base_url=http://127.0.0.1:$(cat "$tmp/port")/v1
}

stop_mock() {
	kill "$mockpid" 2>/dev/null
	wait "$mockpid" 2>/dev/null
}

repo="$tmp/repo"
mkdir -p "$repo"
git -C "$repo" init -q
echo "# demo" >"$repo/README"
export MOCK_API_KEY=sk-test-key-123

run_exec() {
	(cd "$repo" && "$top/ocodex" exec -c model_provider=mock \
	    -c "model_providers.mock.base_url=\"$base_url\"" \
	    -c 'model_providers.mock.env_key="MOCK_API_KEY"' \
	    -c 'model_providers.mock.name="mock"' -m mock-model "$@")
}

start_mock regress/exec/session.json
run_exec --json --full-auto -o "$tmp/last.txt" "list and create hello" \
    >"$tmp/out.jsonl" 2>"$tmp/err.txt"
rc=$?
stop_mock
check "exec --json exits 0 (rc $rc)" [ "$rc" -eq 0 ]
types=$(python3 -c '
import json, sys
for l in open(sys.argv[1]):
    o = json.loads(l)
    t = o["type"]
    if "item" in o:
        t += ":" + o["item"]["type"] + ":" + o["item"]["id"]
    print(t)' "$tmp/out.jsonl" | tr '\n' ' ')
diag "events: $types"
check "JSONL event sequence as Codex prints it" [ "$types" = \
    "thread.started turn.started item.completed:reasoning:item_0 item.started:command_execution:item_1 item.completed:command_execution:item_1 item.started:file_change:item_2 item.completed:file_change:item_2 item.completed:agent_message:item_3 turn.completed " ]
check "the command ran in the repository" \
    grep -q '"aggregated_output":"[^"]*README' "$tmp/out.jsonl"
check "the command's exit code is 0" grep -q '"exit_code":0' "$tmp/out.jsonl"
check "the patch created hello.txt" \
    grep -qx 'Hello from the mock model.' "$repo/hello.txt"
check "file_change names the absolute path" \
    grep -q "\"path\":\"$repo/hello.txt\",\"kind\":\"add\"" "$tmp/out.jsonl"
check "-o gets the last message" \
    grep -qx 'Done: listed the repo and created hello.txt.' "$tmp/last.txt"
check "turn.completed carries the usage" \
    grep -q '"type":"turn.completed","usage":{"input_tokens":' "$tmp/out.jsonl"
check "three requests reached the model" \
    [ "$(wc -l <"$tmp/log.jsonl")" -eq 3 ]
req() { sed -n "$1p" "$tmp/log.jsonl"; }
check "the key went out as a bearer token" \
    sh -c "sed -n 1p '$tmp/log.jsonl' | grep -q '\"authorization\":\"Bearer sk-test-key-123\"'"
check "no previous_response_id" sh -c "! grep -q previous_response_id '$tmp/log.jsonl'"
check "the shell and apply_patch tools are offered" sh -c \
    "req() { sed -n 1p '$tmp/log.jsonl'; }; req | grep -q '\"name\":\"shell\"' && req | grep -q '\"name\":\"apply_patch\"'"
check "the second request carries the command's output" sh -c \
    "sed -n 2p '$tmp/log.jsonl' | grep -q '\"type\":\"function_call_output\",\"call_id\":\"call_ls\",\"output\":\"Exit code: 0'"
check "the third request carries the patch result" sh -c \
    "sed -n 3p '$tmp/log.jsonl' | grep -q 'custom_tool_call_output.*Success. Updated the following files'"
check "the full history is sent again (the prompt is in request 3)" sh -c \
    "sed -n 3p '$tmp/log.jsonl' | grep -q 'list and create hello'"
check "AGENTS-style context: environment_context in the first request" \
    sh -c "sed -n 1p '$tmp/log.jsonl' | grep -q 'environment_context'"
check "the key is in no file under CODEX_HOME" \
    sh -c "! grep -rq sk-test-key-123 '$CODEX_HOME'"

# Human mode: only the final message on stdout.
start_mock regress/exec/session.json
rm -f "$repo/hello.txt"
run_exec --full-auto "again" >"$tmp/h.out" 2>"$tmp/h.err"
rc=$?
stop_mock
check "human mode exits 0 (rc $rc)" [ "$rc" -eq 0 ]
check "human mode: stdout is the final message alone" \
    [ "$(cat "$tmp/h.out")" = "Done: listed the repo and created hello.txt." ]

# notify runs after the turn with Codex's payload as its last argument.
start_mock regress/exec/session.json
rm -f "$repo/hello.txt"
run_exec --full-auto -c \
    'notify=["sh", "-c", "printf %s \"$1\" > notify.json", "sh"]' \
    "notify me" >/dev/null 2>"$tmp/n.err"
rc=$?
stop_mock
check "notify: exec exits 0 (rc $rc)" [ "$rc" -eq 0 ]
check "notify: the payload says agent-turn-complete" \
    grep -q '"type":"agent-turn-complete"' "$repo/notify.json"
check "notify: the payload has the last message and the prompt" sh -c \
    "grep -q '\"last-assistant-message\":\"Done: listed' '$repo/notify.json' && grep -q '\"input-messages\":\[\"notify me\"\]' '$repo/notify.json'"
rm -f "$repo/notify.json"

# view_image: the file is read in the sandbox and sent as a data URL.
printf '\211PNG\r\n\032\nfake-png-body' >"$repo/pic.png"
start_mock regress/exec/image.json
run_exec --json --full-auto "look" >/dev/null 2>"$tmp/i.err"
rc=$?
stop_mock
check "view_image: exec exits 0 (rc $rc)" [ "$rc" -eq 0 ]
check "view_image: the model gets an input_image data URL" sh -c \
    "sed -n 2p '$tmp/log.jsonl' | grep -q '\"output\":\[{\"type\":\"input_image\",\"image_url\":\"data:image/png;base64,iVBORw0KGgpmYWtlLXBuZy1ib2R5\"'"
check "view_image: a file that is not an image is refused" sh -c \
    "sed -n 3p '$tmp/log.jsonl' | grep -q 'is not a PNG, JPEG, GIF or WebP image'"
rm -f "$repo/pic.png"

# An escape attempt is contained and the model hears about it.
start_mock regress/exec/escape.json
run_exec --json --full-auto "escape" >"$tmp/e.jsonl" 2>"$tmp/e.err"
rc=$?
stop_mock
check "escape session ends normally (rc $rc)" [ "$rc" -eq 0 ]
check "nothing was written outside the workspace" [ ! -e /var/tmp/ocodex-exec-escape ]
rm -f /var/tmp/ocodex-exec-escape
check "the model was told the command failed" sh -c \
    "sed -n 2p '$tmp/log.jsonl' | grep -q 'Exit code: [1-9]'"
exit 0
