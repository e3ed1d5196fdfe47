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
# Credentials: login, status and logout; the key from auth.json reaches
# the server and nothing else (not execproc's or ui's environment, not
# any other file under $CODEX_HOME); a ChatGPT token refused with 401 is
# refreshed once through the token endpoint and written back.

. regress/lib.sh
need_loopback
. regress/netproc/lib-np.sh

plan 11

KEY=sk-login-abcdefghijklmnopqrstuvwxyz
mkdir -p "$CODEX_HOME"
out=$(printf '%s\n' "$KEY" | ./ocodex login --with-api-key)
check "login --with-api-key succeeds" test "$out" = "Successfully logged in"
check "auth.json is mode 0600 and holds the key" \
    sh -c "test \"\$(stat -c %a '$CODEX_HOME/auth.json')\" = 600 &&
    grep -q '\"OPENAI_API_KEY\": \"$KEY\"' '$CODEX_HOME/auth.json'"
out=$(./ocodex login status)
check "login status shows the key masked" \
    test "$out" = "Logged in using an API key - sk-login***vwxyz"

cat >"$tmp/s.json" <<'JEOF'
{"turns": [
 {"items": [{"type": "message", "text": "slow"}], "fault": {"stall_ms": 1500, "stall_after": 2}},
 {"fault": {"status": 401}},
 {"items": [{"type": "message", "text": "refreshed"}]}
]}
JEOF
mock_start "$tmp/s.json"
req "$tmp/r.json"
OAI="model_providers.oa={name=\"oa\",base_url=\"http://127.0.0.1:$PORT/v1\",requires_openai_auth=true,stream_idle_timeout_ms=5000}"
./ocodex debug model -c "$OAI" -p oa -m mock-model "$tmp/r.json" \
    >"$tmp/out" 2>"$tmp/err" &
dmpid=$!
sleep 0.7
leak=0
seen=0
for pid in $(ps -o pid= --ppid "$dmpid"); do
	seen=$((seen + 1))
	if tr '\0' '\n' <"/proc/$pid/environ" | grep -q "$KEY"; then
		leak=1
	fi
done
wait "$dmpid"
check "the key is in no helper's environment ($seen helpers)" \
    test "$leak" = 0 -a "$seen" -ge 3
check "the key from auth.json reached the server" \
    py 'log[0]["headers"]["authorization"] == "Bearer '"$KEY"'"' \
    'last["type"] == "completed"'
check "no file under CODEX_HOME but auth.json holds the key" \
    sh -c "! grep -rl -- '$KEY' '$CODEX_HOME' | grep -v '/auth.json\$'"

# A ChatGPT sign-in: the first answer is 401, the token endpoint gives a
# new access token, the request is sent again with it.
cat >"$tmp/tok.py" <<'PYEOF'
import http.server, json, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        open(sys.argv[2], "wb").write(body)
        out = json.dumps({"access_token": "at-new", "refresh_token": "rt-new",
                          "id_token": "id-new"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)
    def log_message(self, *a):
        pass
s = http.server.HTTPServer(("127.0.0.1", 0), H)
open(sys.argv[1], "w").write(str(s.server_address[1]))
s.handle_request()
PYEOF
python3 "$tmp/tok.py" "$tmp/tokport.tmp" "$tmp/tokreq" &
tokpid=$!
wait_for "$tmp/tokport.tmp" . 50
TOKPORT=$(cat "$tmp/tokport.tmp")
cat >"$CODEX_HOME/auth.json" <<'JEOF'
{"OPENAI_API_KEY": null, "tokens": {"id_token": "id-old", "access_token": "at-old",
 "refresh_token": "rt-old", "account_id": "acct-1"}, "last_refresh": "2020-01-01T00:00:00Z"}
JEOF
CODEX_REFRESH_TOKEN_URL_OVERRIDE="http://127.0.0.1:$TOKPORT/oauth/token" \
    ./ocodex debug model -c "$OAI" -p oa -m mock-model "$tmp/r.json" \
    >"$tmp/out" 2>"$tmp/err"
rc=$?
kill "$tokpid" 2>/dev/null
wait "$tokpid" 2>/dev/null
check "after a 401 the ChatGPT token is refreshed and the request completes" \
    py 'last["type"] == "completed"' '"refreshed" in json.dumps(ev)'
check "the refresh posts the refresh token; the retry carries the new token" \
    sh -c "grep -q '\"grant_type\":\"refresh_token\"' '$tmp/tokreq' &&
    grep -q '\"refresh_token\":\"rt-old\"' '$tmp/tokreq'" &&
    py 'log[1]["headers"]["authorization"] == "Bearer at-old"' \
    'log[1]["headers"]["chatgpt-account-id"] == "acct-1"' \
    'log[2]["headers"]["authorization"] == "Bearer at-new"'
check "the parent wrote the new tokens to auth.json" \
    python3 -c 'import json,sys; a=json.load(open(sys.argv[1])); t=a["tokens"]; sys.exit(0 if t["access_token"]=="at-new" and t["refresh_token"]=="rt-new" and t["account_id"]=="acct-1" and a["last_refresh"]!="2020-01-01T00:00:00Z" else 1)' "$CODEX_HOME/auth.json"

out=$(./ocodex logout)
check "logout removes auth.json" \
    sh -c "test '$out' = 'Successfully logged out' && ! test -e '$CODEX_HOME/auth.json'"
./ocodex login status >/dev/null
check "login status says not logged in (exit 1)" test $? = 1
