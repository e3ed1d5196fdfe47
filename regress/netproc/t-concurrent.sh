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
# Several requests in flight in one netproc, and cancel by request id:
# two streams whose deltas interleave both complete, each event carrying
# its own request id; a stalled request cancelled by id ends at once
# with failed {kind: cancelled} while the other stream goes on; a
# request cancelled while its expired ChatGPT token is being refreshed
# ends too; concurrent requests with an expired token share one refresh.

. regress/lib.sh
need_loopback
. regress/netproc/lib-np.sh

plan 10

A=$(python3 -c 'print("".join(chr(65 + i % 26) for i in range(40)))')
B=$(python3 -c 'print("".join(chr(97 + i % 26) for i in range(40)))')
cat >"$tmp/s.json" <<JEOF
{"turns": [
 {"items": [{"type": "message", "text": "$A", "delta_size": 2}], "interval_ms": 15},
 {"items": [{"type": "message", "text": "$B", "delta_size": 2}], "interval_ms": 15}
]}
JEOF
req "$tmp/r1.json"
req "$tmp/r2.json"
mock_start "$tmp/s.json"
./ocodex debug model -c "$(prov)" -p mock -m mock-model "$tmp/r1.json" \
    "$tmp/r2.json" >"$tmp/out" 2>"$tmp/err"
rc=$?
check "two concurrent requests both complete (exit 0)" \
    py "$rc == 0" 'sorted(e["request"] for e in ev if e["type"] == "completed") == [1, 2]' \
    'len(log) == 2'
check "each request's deltas make its own message, whole and in order" \
    py 'all("".join(e["delta"] for e in ev if e["type"] == "text_delta" and e["request"] == r) == t for r, t in ((1, "'"$A"'"), (2, "'"$B"'")))' \
    'all([e["item"]["content"][0]["text"] for e in ev if e["type"] == "item_done" and e["request"] == r] == [t] for r, t in ((1, "'"$A"'"), (2, "'"$B"'")))'
check "the two streams' deltas interleave" \
    py 'sum(1 for a, b in zip(ev, ev[1:]) if a["type"] == b["type"] == "text_delta" and a["request"] != b["request"]) >= 4'
check "nothing follows a request's completed event for that request" \
    py 'all(not any(e["request"] == r for e in ev[[i for i, e in enumerate(ev) if e["type"] == "completed" and e["request"] == r][0] + 1:]) for r in (1, 2))'

# Request 1 stalls for 20 s after response.created; request 2 streams
# for about a second.  Request 1 is cancelled after 300 ms.
cat >"$tmp/s.json" <<JEOF
{"turns": [
 {"items": [{"type": "message", "text": "never"}], "fault": {"stall_ms": 20000, "stall_after": 1}},
 {"items": [{"type": "message", "text": "$B", "delta_size": 2}], "interval_ms": 50}
]}
JEOF
mock_start "$tmp/s.json"
t0=$(date +%s%N)
./ocodex debug model -c "$(prov stream_idle_timeout_ms=30000)" -p mock \
    -m mock-model --cancel-after 1:300 "$tmp/r1.json" "$tmp/r2.json" \
    >"$tmp/out" 2>"$tmp/err"
rc=$?
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
check "the cancelled request ends with failed {kind: cancelled}, exit 1" \
    py "$rc == 1" '[e["type"] for e in ev if e["request"] == 1][-1] == "failed"' \
    '[e for e in ev if e["request"] == 1][-1]["kind"] == "cancelled"' \
    '"completed" not in [e["type"] for e in ev if e["request"] == 1]'
check "it ends promptly, while the other stream is still young (${ms} ms in all)" \
    py "$ms < 4000" 'sum(1 for e in ev[[i for i, e in enumerate(ev) if e["type"] == "failed"][0]:] if e["type"] == "text_delta") >= 5'
check "the other request is served on after the cancel and completes" \
    py '[e["type"] for e in ev if e["request"] == 2][-1] == "completed"' \
    '"".join(e["delta"] for e in ev if e["type"] == "text_delta" and e["request"] == 2) == "'"$B"'"' \
    'any(e["request"] == 2 and e["type"] == "text_delta" for e in ev[[i for i, e in enumerate(ev) if e["type"] == "failed"][0]:])'

# ChatGPT sign-in with an expired token: a token endpoint that takes
# 3 s to answer, counting the requests it gets.
jwt() {
	python3 - "$1" <<'PYEOF'
import base64, json, sys, time
b = lambda o: base64.urlsafe_b64encode(json.dumps(o).encode()).rstrip(b"=").decode()
print(b({"alg": "none"}) + "." + b({"exp": int(time.time()) + int(sys.argv[1])}) + ".c2ln")
PYEOF
}
NEW=$(jwt 3600)
cat >"$tmp/tok.py" <<'PYEOF'
import http.server, json, socketserver, sys, time
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        with open(sys.argv[2], "a") as f:
            f.write("x\n")
        time.sleep(float(sys.argv[4]))
        out = json.dumps({"access_token": sys.argv[3]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)
    def log_message(self, *a):
        pass
class S(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
s = S(("127.0.0.1", 0), H)
open(sys.argv[1] + ".tmp", "w").write(str(s.server_address[1]))
import os; os.rename(sys.argv[1] + ".tmp", sys.argv[1])
s.serve_forever()
PYEOF
TOKPID=
tok_start() {
	tok_stop
	rm -f "$tmp/tokport"
	: >"$tmp/tokreq"
	python3 "$tmp/tok.py" "$tmp/tokport" "$tmp/tokreq" "$NEW" "$1" &
	TOKPID=$!
	wait_for "$tmp/tokport" . 50 || { echo "Bail out! no token server"; exit 1; }
	export CODEX_REFRESH_TOKEN_URL_OVERRIDE="http://127.0.0.1:$(cat "$tmp/tokport")/oauth/token"
}
tok_stop() {
	[ -n "$TOKPID" ] && kill "$TOKPID" 2>/dev/null && wait "$TOKPID" 2>/dev/null
	TOKPID=
}
trap 'tok_stop; mock_stop; rm -rf "$tmp"' EXIT
tokens() {
	cat >"$CODEX_HOME/auth.json" <<JEOF
{"tokens": {"access_token": "$(jwt -60)", "refresh_token": "rt-old", "account_id": "acct-1"}}
JEOF
}
mkdir -p "$CODEX_HOME"
oai() { prov requires_openai_auth=true | sed 's/,env_key="MOCK_KEY"//'; }

cat >"$tmp/s.json" <<'JEOF'
{"turns": [{"items": [{"type": "message", "text": "ok"}], "repeat": 3}]}
JEOF
mock_start "$tmp/s.json"
tok_start 3
tokens
t0=$(date +%s%N)
./ocodex debug model -c "$(oai)" -p mock -m mock-model --cancel-after 300 \
    "$tmp/r1.json" >"$tmp/out" 2>"$tmp/err"
rc=$?
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
check "a request waiting for a token refresh is cancelled promptly (${ms} ms)" \
    py "$rc == 1" 'last["type"] == "failed"' 'last["kind"] == "cancelled"' \
    'len(log) == 0' "$ms < 2500"

mock_start "$tmp/s.json"
tok_start 0.5
tokens
./ocodex debug model -c "$(oai)" -p mock -m mock-model --all-at-once \
    "$tmp/r1.json" "$tmp/r2.json" "$tmp/r1.json" >"$tmp/out" 2>"$tmp/err"
rc=$?
check "three requests started at once with an expired token all complete" \
    py "$rc == 0" 'sorted(e["request"] for e in ev if e["type"] == "completed") == [1, 2, 3]' \
    'all(l["headers"]["authorization"] == "Bearer '"$NEW"'" for l in log)' \
    'len(log) == 3'
check "... after a single refresh they shared" \
    test "$(wc -l <"$tmp/tokreq")" = 1
