#!/bin/bash
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
# TAP test of regress/mockmodel: start the server on an ephemeral port,
# talk to it with curl(1), check the streams, the faults, the request log
# and the shutdown.  MOCKMODEL names the binary (default ./mockmodel, the
# test being run from the top of the tree).

MOCKMODEL=${MOCKMODEL:-./mockmodel}

# The server listens on 127.0.0.1, which a sandbox without network (as
# under ocodex debug landlock --full-auto) forbids; the same skip as
# need_loopback in regress/lib.sh, which this test does not source.
if [ -n "${CODEX_SANDBOX_NETWORK_DISABLED:-}" ]; then
	echo "1..0 # SKIP no loopback network in this sandbox" \
	    "(CODEX_SANDBOX_NETWORK_DISABLED=1)"
	exit 0
fi

if [ ! -x "$MOCKMODEL" ]; then
	echo "Bail out! no mockmodel binary at $MOCKMODEL (set MOCKMODEL)"
	exit 1
fi
if ! command -v curl >/dev/null 2>&1; then
	echo "Bail out! curl(1) is needed (apt-get install curl)"
	exit 1
fi

T=$(mktemp -d "${TMPDIR:-/tmp}/t-mockmodel.XXXXXXXX") || exit 1
SERVER=
cleanup() {
	if [ -n "$SERVER" ] && kill -0 "$SERVER" 2>/dev/null; then
		kill "$SERVER" 2>/dev/null
		wait "$SERVER" 2>/dev/null
	fi
	rm -rf "$T"
}
trap cleanup EXIT

# Nothing from the user's environment may leak in: no ~/.curlrc, no proxy.
export HOME="$T/home"
mkdir -p "$HOME"
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy

n=0
fails=0
ok() {		# ok DESCRIPTION COMMAND...: one TAP line from the status
	local what=$1
	shift
	n=$((n + 1))
	if "$@"; then
		echo "ok $n - $what"
	else
		echo "not ok $n - $what"
		fails=$((fails + 1))
	fi
}
c() {
	curl -q -sS --noproxy '*' "$@"
}
same() {	# same FILE1 FILE2, showing the difference as TAP comments
	diff "$1" "$2" >"$T/diff" && return 0
	sed 's/^/# /' "$T/diff"
	return 1
}

cat >"$T/script.json" <<'EOF'
{"comment": "the turns of t-mockmodel.sh, in the order it asks for them",
 "turns": [
  {"items": [
     {"type": "reasoning", "summary": "Think first.", "delta_size": 0},
     {"type": "message", "text": "Hello there", "delta_size": 5},
     {"type": "function_call", "name": "shell", "call_id": "call_abc",
      "arguments": {"command": ["ls", "-l"]}, "delta_size": 0}],
   "headers": {"x-codex-turn-state": "ts-1"}},
  {"items": [
     {"type": "reasoning", "summary": "Think first."},
     {"type": "message", "text": "Hello there", "delta_size": 5},
     {"type": "function_call", "name": "shell", "call_id": "call_abc",
      "arguments": {"command": ["ls", "-l"]}, "delta_size": 6}],
   "usage": {"input_tokens": 11, "output_tokens": 7, "total_tokens": 18}},
  {"fault": {"status": 429, "retry_after": 7}},
  {"fault": {"status": 429, "retry_after_date": 30}},
  {"items": [{"type": "message", "text": "a partial message"}],
   "fault": {"cut_after": 3}},
  {"items": [{"type": "message", "text": "late"}],
   "fault": {"stall_ms": 1500, "stall_after": 1}},
  {"items": [{"type": "message", "text": "quick"}]},
  {"items": [{"type": "message", "text": "crlf text", "delta_size": 3}],
   "crlf": true, "chunk": 7},
  {"fault": {"status": 503}},
  {"items": [], "fault": {"failed": "context_length_exceeded"}},
  {"items": [], "fault": {"big_delta": 1048576}}
 ]}
EOF

"$MOCKMODEL" -s "$T/script.json" -l "$T/log.jsonl" -P "$T/port" \
    >"$T/stdout" 2>"$T/stderr" &
SERVER=$!
for i in $(seq 100); do
	[ -s "$T/port" ] && break
	sleep 0.05
done
PORT=$(cat "$T/port" 2>/dev/null)
BASE=http://127.0.0.1:$PORT
ok "server listens and writes its port file" test -n "$PORT"
ok "server prints \"port N\" on stdout" \
    grep -qx "port $PORT" "$T/stdout"

# 1. A high-level turn in the Responses format.
c -D "$T/h0" -o "$T/r0" -X POST -H 'Content-Type: application/json' \
    -H 'Authorization: Bearer sk-test' -H 'X-Custom-Thing: yes' \
    -d '{"model":"m-test","input":[],"include":["reasoning.encrypted_content"]}' \
    "$BASE/v1/responses?api-version=1"
cat >"$T/want0" <<'EOF'
response.created
response.in_progress
response.output_item.added
response.reasoning_summary_part.added
response.reasoning_summary_text.delta
response.reasoning_summary_text.done
response.reasoning_summary_part.done
response.output_item.done
response.output_item.added
response.content_part.added
response.output_text.delta
response.output_text.delta
response.output_text.delta
response.output_text.done
response.content_part.done
response.output_item.done
response.output_item.added
response.function_call_arguments.delta
response.function_call_arguments.done
response.output_item.done
response.completed
EOF
sed -n 's/^event: //p' "$T/r0" >"$T/got0"
ok "responses: event types in the expected order" same "$T/want0" "$T/got0"
sed -n 's/^data: {"type":"\([^"]*\)".*/\1/p' "$T/r0" >"$T/types0"
ok "responses: each data type matches its event name" \
    same "$T/want0" "$T/types0"
grep -o '^data: {"type":"[^"]*","sequence_number":[0-9]*' "$T/r0" |
    sed 's/.*://' >"$T/seq0"
seq 0 20 >"$T/wantseq0"
ok "responses: sequence numbers run 0, 1, 2, ..." same "$T/wantseq0" "$T/seq0"
ok "responses: text/event-stream and the script's header" \
    bash -c "grep -qi '^content-type: text/event-stream' '$T/h0' &&
    grep -qi '^x-codex-turn-state: ts-1' '$T/h0'"
ok "responses: deltas are Hello / \" ther\" / e" bash -c "
    grep -c '\"delta\":\"Hello\"' '$T/r0' | grep -qx 1 &&
    grep -c '\"delta\":\" ther\"' '$T/r0' | grep -qx 1 &&
    grep -c '\"delta\":\"e\"' '$T/r0' | grep -qx 1"
ok "responses: the done call has id, call_id, name and string arguments" \
    grep -q '"item":{"id":"fc_0_2","type":"function_call","status":"completed","arguments":"{\\"command\\":\[\\"ls\\",\\"-l\\"\]}","call_id":"call_abc","name":"shell"}' \
    "$T/r0"
ok "responses: completed names the response, echoes the model, has usage" \
    bash -c "tail -n 2 '$T/r0' | grep -q '\"type\":\"response.completed\".*\"id\":\"resp_mock_0\".*\"model\":\"m-test\".*\"usage\":{\"input_tokens\":100'"
ok "responses: reasoning carries encrypted_content when asked for" \
    grep -q '"encrypted_content":"gAAAAABmock_0_0"' "$T/r0"

# 2. The same items as Chat Completions chunks.
c -o "$T/r1" -X POST -d '{"model":"m-chat","messages":[]}' \
    "$BASE/v1/chat/completions"
ok "chat: every data line is a chunk, then [DONE] last" bash -c "
    test \$(grep -c '^data: ' '$T/r1') -ge 6 &&
    ! grep '^data: ' '$T/r1' | sed '\$d' | grep -v -q 'chat.completion.chunk' &&
    grep '^data: ' '$T/r1' | tail -n 1 | grep -qx 'data: \[DONE\]' &&
    ! grep -q '^event:' '$T/r1'"
ok "chat: content deltas add up to the message" bash -c "
    test \"\$(grep -o '\"delta\":{\"content\":\"[^\"]*\"' '$T/r1' |
    sed 's/.*:\"//; s/\"\$//' | tr -d '\n')\" = 'Hello there'"
ok "chat: reasoning goes out as delta.reasoning" \
    grep -q '"delta":{"reasoning":"Think fi"}' "$T/r1"
ok "chat: the tool call starts with index, id, type and name" \
    grep -q '"tool_calls":\[{"index":0,"id":"call_abc","type":"function","function":{"name":"shell","arguments":""}}\]' \
    "$T/r1"
ok "chat: arguments are split over several chunks" bash -c "
    test \$(grep -c '\"tool_calls\":\[{\"index\":0,\"function\":{\"arguments\"' '$T/r1') -ge 3"
ok "chat: finish_reason tool_calls, then usage from the script" bash -c "
    grep -q '\"finish_reason\":\"tool_calls\"' '$T/r1' &&
    grep -q '\"usage\":{\"prompt_tokens\":11,\"completion_tokens\":7,\"total_tokens\":18}' '$T/r1'"

# 3. The request log, on disk and over HTTP.
head -n 1 "$T/log.jsonl" >"$T/log0"
ok "log: first request has method, path, query and its turn" \
    grep -q '^{"n":0,"method":"POST","path":"/v1/responses","query":"api-version=1",.*"turn":0' \
    "$T/log0"
ok "log: headers are recorded with lower-case names" bash -c "
    grep -q '\"authorization\":\"Bearer sk-test\"' '$T/log0' &&
    grep -q '\"x-custom-thing\":\"yes\"' '$T/log0'"
ok "log: the JSON body is recorded as JSON" \
    grep -q '"body":{"model":"m-test","input":\[\],"include":' "$T/log0"
c -o "$T/log-http" "$BASE/requests"
ok "log: GET /requests returns the same lines as the file" \
    same "$T/log.jsonl" "$T/log-http"

# 4. 429 with Retry-After, in seconds and as an HTTP date.
code=$(c -D "$T/h2" -o "$T/r2" -w '%{http_code}' -X POST -d '{}' \
    "$BASE/v1/responses")
ok "429: status and rate_limit_exceeded body" bash -c "
    test '$code' = 429 && grep -q '\"code\":\"rate_limit_exceeded\"' '$T/r2'"
ok "429: Retry-After: 7" grep -qi '^retry-after: 7' "$T/h2"
c -D "$T/h3" -o /dev/null -X POST -d '{}' "$BASE/v1/responses"
ok "429: Retry-After as an HTTP date" grep -qiE \
    '^retry-after: [A-Z][a-z]{2}, [0-9]{2} [A-Z][a-z]{2} [0-9]{4} [0-9:]{8} GMT' \
    "$T/h3"

# 5. cut_after: three events, then the connection drops mid-body.
c -N -o "$T/r4" -X POST -d '{}' "$BASE/v1/responses" 2>/dev/null
rc=$?
ok "cut_after 3: curl sees a truncated transfer (exit $rc)" test "$rc" = 18
ok "cut_after 3: exactly three events, no response.completed" bash -c "
    test \$(grep -c '^event: ' '$T/r4') = 3 &&
    ! grep -q response.completed '$T/r4'"

# 6. A stalled stream does not hold up another connection.
c -N -o "$T/r5" --max-time 0.8 -X POST -d '{}' "$BASE/v1/responses" \
    2>/dev/null &
stalled=$!
for i in $(seq 100); do
	grep -q '"turn":5' "$T/log.jsonl" && break
	sleep 0.02
done
t0=$(date +%s%N)
c -o "$T/r6" -X POST -d '{}' "$BASE/v1/responses"
t1=$(date +%s%N)
ok "concurrent: a second request is answered while the first stalls" \
    bash -c "grep -q '\"text\":\"quick\"' '$T/r6' && kill -0 $stalled &&
    test $(( (t1 - t0) / 1000000 )) -lt 700"
wait $stalled
rc=$?
ok "stall: the client times out (exit $rc) after response.created only" \
    bash -c "test $rc = 28 && test \$(grep -c '^event: ' '$T/r5') = 1 &&
    grep -q '^event: response.created' '$T/r5'"

# 7. CRLF line ends and 7-byte writes change the bytes, not the events.
c -N -o "$T/r7" -X POST -d '{}' "$BASE/v1/responses"
ok "crlf: every line ends in CRLF" bash -c "
    test \$(grep -c \$'\r\$' '$T/r7') = \$(wc -l <'$T/r7') &&
    test \$(wc -l <'$T/r7') -gt 20"
tr -d '\r' <"$T/r7" | sed -n 's/^event: //p' >"$T/got7"
cat >"$T/want7" <<'EOF'
response.created
response.in_progress
response.output_item.added
response.content_part.added
response.output_text.delta
response.output_text.delta
response.output_text.delta
response.output_text.done
response.content_part.done
response.output_item.done
response.completed
EOF
ok "crlf: the same events as with LF" same "$T/want7" "$T/got7"

# 8. 503 overloaded, response.failed, a 1 MiB delta.
code=$(c -o "$T/r8" -w '%{http_code}' -X POST -d '{}' "$BASE/v1/responses")
ok "503: status and server_is_overloaded body" bash -c "
    test '$code' = 503 && grep -q '\"code\":\"server_is_overloaded\"' '$T/r8'"
c -N -o "$T/r9" -X POST -d '{}' "$BASE/v1/responses"
ok "failed: response.failed with the code, no response.completed" bash -c "
    grep -q '\"type\":\"response.failed\".*\"error\":{\"code\":\"context_length_exceeded\"' '$T/r9' &&
    ! grep -q response.completed '$T/r9'"
c -N -o "$T/r10" -X POST -d '{}' "$BASE/v1/responses"
ok "big_delta: one output_text.delta data line over 1 MiB" bash -c "
    test \$(grep -c '^event: response.output_text.delta' '$T/r10') = 1 &&
    test \$(grep '\"type\":\"response.output_text.delta\"' '$T/r10' |
    wc -c) -gt 1048576"

# 9. The script is used up.
code=$(c -o "$T/r11" -w '%{http_code}' -X POST -d '{}' "$BASE/v1/responses")
ok "exhausted: 500 with a JSON error saying so" bash -c "
    test '$code' = 500 && grep -q 'script exhausted after 11 turns' '$T/r11' &&
    grep -q '\"turn\":null' '$T/log.jsonl'"

# 10. SIGTERM ends the server.
kill -TERM "$SERVER"
for i in $(seq 100); do
	kill -0 "$SERVER" 2>/dev/null || break
	sleep 0.02
done
wait "$SERVER"
rc=$?
SERVER=
ok "SIGTERM: the server exits with status 0 (got $rc)" test "$rc" = 0

# 11. A bad script is refused at start with a clear message and status 2.
echo '{"turns":[{"items":[{"type":"mesage","text":"x"}]}]}' >"$T/bad.json"
"$MOCKMODEL" -s "$T/bad.json" >/dev/null 2>"$T/bad.err"
rc=$?
ok "bad script: exit status 2 naming the item (got $rc)" bash -c "
    test $rc = 2 && grep -q 'turns\[0\].items\[0\]: unknown item type \"mesage\"' '$T/bad.err'"
echo '{"turns":[{"items":[]' >"$T/broken.json"
"$MOCKMODEL" -s "$T/broken.json" >/dev/null 2>"$T/broken.err"
rc=$?
ok "broken JSON: exit status 2 with the line (got $rc)" bash -c "
    test $rc = 2 && grep -q 'broken.json: line [0-9]* column' '$T/broken.err'"

# 12. The example scripts the README points to all load and serve.
badex=
for f in "$(dirname "$0")"/examples/*.json; do
	rm -f "$T/eport"
	"$MOCKMODEL" -s "$f" -P "$T/eport" >/dev/null 2>"$T/eerr" &
	pid=$!
	for i in $(seq 100); do
		[ -s "$T/eport" ] && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.02
	done
	kill "$pid" 2>/dev/null
	wait "$pid" || badex="$badex ${f##*/}"
done
ok "examples: every script loads and the server exits cleanly${badex:+ (not:$badex)}" \
    test -z "$badex"

echo "1..$n"
[ "$fails" = 0 ]
