#!/bin/sh
# ocodex mcp-server at the JSON-RPC level, with raw lines on its standard
# input: every kind of protocol error gets its code, and the server goes
# on answering after each.
. regress/lib.sh

plan 16

# The client's side of the conversation, every line of it at once.
init='{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-03-26","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}'
{
	printf '%s\n' "$init"
	printf '%s\n' '{"jsonrpc":"2.0","method":"notifications/initialized"}'
	printf '%s\n' 'this is not JSON'
	printf '%s\n' '{"jsonrpc":"2.0","id":2,"method":"ping"}'
	printf '%s\n' '{"jsonrpc":"1.0","id":3,"method":"ping"}'
	printf '%s\n' '{"jsonrpc":"2.0","id":{"x":1},"method":"ping"}'
	printf '%s\n' '{"jsonrpc":"2.0","id":4,"method":"resources/list"}'
	printf '%s\n' '{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"codex","arguments":{"prompt":"x","approval-policy":"sometimes"}}}'
	printf '%s\n' '{"jsonrpc":"2.0","id":6,"method":"tools/call","params":{"name":"codex","arguments":{}}}'
	printf '%s\n' '{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"codex-reply","arguments":{"prompt":"x"}}}'
	printf '%s\n' "$init" | sed 's/"id":1/"id":8/'
	# A line over the 8 MiB limit, then a good one.
	printf '{"jsonrpc":"2.0","id":9,"method":"ping","params":{"pad":"'
	head -c 9000000 /dev/zero | tr '\0' a
	printf '"}}\n'
	printf '%s\n' '{"jsonrpc":"2.0","id":10,"method":"ping"}'
	printf '%s\n' '[]'
	# The last line has no newline; it is served all the same.
	printf '%s' '{"jsonrpc":"2.0","id":11,"method":"tools/list"}'
} >"$tmp/in"

mkdir -p "$CODEX_HOME"
(cd "$tmp" && timeout 20 "$top/ocodex" mcp-server <"$tmp/in" \
    >"$tmp/out" 2>"$tmp/err")
rc=$?
check "the server exits 0 at end of input (rc $rc)" [ "$rc" -eq 0 ]

# ans ID: the answer to request ID, as compact JSON (id null: the list).
ans() {
	python3 - "$tmp/out" "$1" <<'PY'
import json, sys
want = json.loads(sys.argv[2])
for line in open(sys.argv[1]):
    o = json.loads(line)
    if o.get("id") == want:
        print(json.dumps(o, separators=(",", ":")))
PY
}
code() { ans "$1" | python3 -c 'import json,sys
for l in sys.stdin: print(json.loads(l).get("error", {}).get("code"))'; }

check "standard output holds only JSON-RPC lines" python3 -c '
import json, sys
for l in open(sys.argv[1]):
    assert json.loads(l)["jsonrpc"] == "2.0"' "$tmp/out"
check "initialize echoes the protocol version" sh -c \
    "grep '\"id\":1,' '$tmp/out' | grep -q '\"protocolVersion\":\"2025-03-26\"'"
nulls=$(code null | tr '\n' ' ')
diag "errors without an id: $nulls"
check "not JSON: -32700, bad id, batch, long line: -32600" \
    [ "$nulls" = "-32700 -32600 -32600 -32600 " ]
check "the long line is rejected as too long" \
    grep -q 'longer than 8388608 bytes' "$tmp/out"
check "ping after a parse error" [ "$(ans 2)" = \
    '{"jsonrpc":"2.0","id":2,"result":{}}' ]
check "jsonrpc 1.0: -32600" [ "$(code 3)" = -32600 ]
check "unknown method: -32601" [ "$(code 4)" = -32601 ]
check "bad enum: -32602" [ "$(code 5)" = -32602 ]
check "the error names the field" sh -c \
    "grep '\"id\":5' '$tmp/out' | grep -q 'arguments.approval-policy'"
check "missing prompt: -32602 naming it" sh -c \
    "grep '\"id\":6' '$tmp/out' | grep -q '\"code\":-32602.*arguments.prompt'"
check "codex-reply without a thread: -32602 naming it" sh -c \
    "grep '\"id\":7' '$tmp/out' | grep -q '\"code\":-32602.*arguments.threadId'"
check "a second initialize is an error" [ "$(code 8)" = -32600 ]
check "the oversized request got no answer of its own" [ -z "$(ans 9)" ]
check "the server answers after the oversized line" [ "$(ans 10)" = \
    '{"jsonrpc":"2.0","id":10,"result":{}}' ]
check "a last line without a newline is served" sh -c \
    "grep '\"id\":11' '$tmp/out' | grep -q '\"name\":\"codex-reply\"'"
exit 0
