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
# Helpers of the netproc end-to-end tests, sourced after regress/lib.sh:
# a mock model server on an ephemeral port, a provider pointing at it,
# and `ocodex debug model` runs whose events land in $tmp/out.

MOCK=${MOCKMODEL:-regress/mockmodel/mockmodel}
MOCKPID=
PORT=
export MOCK_KEY=sk-mock-0123456789abcdef

if [ ! -x "$MOCK" ] || [ ! -x ./ocodex ]; then
	echo "1..0 # skip ocodex or $MOCK not built"
	exit 0
fi
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy

mock_stop() {
	if [ -n "$MOCKPID" ]; then
		kill "$MOCKPID" 2>/dev/null
		wait "$MOCKPID" 2>/dev/null
	fi
	MOCKPID=
}
trap 'mock_stop; rm -rf "$tmp"' EXIT

# mock_start SCRIPT: serve the script, logging requests to $tmp/log.
mock_start() {
	mock_stop
	rm -f "$tmp/port" "$tmp/log"
	"$MOCK" -s "$1" -l "$tmp/log" -P "$tmp/port" >/dev/null 2>&1 &
	MOCKPID=$!
	wait_for "$tmp/port" . 50 || { echo "Bail out! mockmodel did not start"; exit 1; }
	PORT=$(cat "$tmp/port")
}

# prov [KEY=VALUE...]: the -c value of a provider "mock" at the server.
prov() {
	p="model_providers.mock={name=\"mock\",base_url=\"http://127.0.0.1:$PORT/v1\",env_key=\"MOCK_KEY\""
	case "$*" in
	*stream_idle_timeout_ms*) ;;
	*) p="$p,stream_idle_timeout_ms=2000" ;;
	esac
	for kv in "$@"; do p="$p,$kv"; done
	echo "$p}"
}

# dm REQUEST [PROVIDER-ARGS...]: run debug model; status in $rc.
dm() {
	r=$1
	shift
	./ocodex debug model -c "$(prov "$@")" -p mock -m mock-model "$r" \
	    >"$tmp/out" 2>"$tmp/err"
	rc=$?
}

# py EXPR...: a python3 check over the events (ev) and the log (log).
py() {
	python3 - "$tmp/out" "$tmp/log" "$@" <<'PYEOF'
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
try:
    log = [json.loads(l) for l in open(sys.argv[2]) if l.strip()]
except FileNotFoundError:
    log = []
types = [e["type"] for e in ev]
last = ev[-1] if ev else {}
ok = all(eval(x) for x in sys.argv[3:])
if not ok:
    for e in ev:
        print("# " + json.dumps(e)[:300])
    for l in open(sys.argv[1].replace("out", "err")):
        print("# stderr: " + l.rstrip()[:300])
sys.exit(0 if ok else 1)
PYEOF
}

# req FILE [INPUT-JSON]: a small request; the input is the history.
req() {
	inp=$2
	[ -n "$inp" ] || inp='[{"type":"message","role":"user","content":[{"type":"input_text","text":"hi"}]}]'
	cat >"$1" <<REQEOF
{"instructions": "You are a test.", "session_id": "sess-1",
 "input": $inp,
 "tools": [{"type":"function","name":"shell","description":"run","strict":false,"parameters":{"type":"object","properties":{}}}],
 "parallel_tool_calls": false, "reasoning": {"effort":"medium","summary":"auto"}}
REQEOF
}
