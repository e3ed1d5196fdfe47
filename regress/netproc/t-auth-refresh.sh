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
# ChatGPT sign-ins: an access token whose JWT exp has passed is refreshed
# before the request is sent (not only after a 401); a valid one is not;
# a failed refresh is a clear error and nothing reaches the model; the
# built-in openai provider sends a ChatGPT sign-in to the ChatGPT backend
# (OCODEX_CHATGPT_BASE_URL stands in for https://chatgpt.com/backend-api/
# codex here) while a provider with its own base_url keeps it.

. regress/lib.sh
need_loopback
. regress/netproc/lib-np.sh

plan 8

# jwt EXP-OFFSET: a JWT (unsigned) whose exp is now + offset seconds.
jwt() {
	python3 - "$1" <<'PYEOF'
import base64, json, sys, time
b = lambda o: base64.urlsafe_b64encode(json.dumps(o).encode()).rstrip(b"=").decode()
print(b({"alg": "none"}) + "." + b({"exp": int(time.time()) + int(sys.argv[1]),
    "sub": "test"}) + ".c2ln")
PYEOF
}
OLD_EXPIRED=$(jwt -60)
OLD_VALID=$(jwt 3600)
NEW=$(jwt 7200)

# A token endpoint answering every POST with STATUS and NEW; each
# request body is appended to $tmp/tokreq, one per line.
cat >"$tmp/tok.py" <<'PYEOF'
import http.server, json, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        with open(sys.argv[2], "ab") as f:
            f.write(body + b"\n")
        st = int(sys.argv[3])
        out = json.dumps({"access_token": sys.argv[4], "refresh_token": "rt-new"}
            if st == 200 else {"error": {"code": "refresh_token_expired"}}).encode()
        self.send_response(st)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)
    def log_message(self, *a):
        pass
s = http.server.HTTPServer(("127.0.0.1", 0), H)
open(sys.argv[1] + ".tmp", "w").write(str(s.server_address[1]))
import os; os.rename(sys.argv[1] + ".tmp", sys.argv[1])
s.serve_forever()
PYEOF
TOKPID=
tok_start() {
	rm -f "$tmp/tokport" "$tmp/tokreq"
	: >"$tmp/tokreq"
	python3 "$tmp/tok.py" "$tmp/tokport" "$tmp/tokreq" "$1" "$NEW" &
	TOKPID=$!
	wait_for "$tmp/tokport" . 50 || { echo "Bail out! no token server"; exit 1; }
	export CODEX_REFRESH_TOKEN_URL_OVERRIDE="http://127.0.0.1:$(cat "$tmp/tokport")/oauth/token"
}
tok_stop() {
	kill "$TOKPID" 2>/dev/null
	wait "$TOKPID" 2>/dev/null
}
trap 'tok_stop; mock_stop; rm -rf "$tmp"' EXIT

# tokens ACCESS: auth.json with a ChatGPT sign-in.
tokens() {
	mkdir -p "$CODEX_HOME"
	cat >"$CODEX_HOME/auth.json" <<JEOF
{"OPENAI_API_KEY": null, "tokens": {"id_token": "id-old", "access_token": "$1",
 "refresh_token": "rt-old", "account_id": "acct-1"}, "last_refresh": "2020-01-01T00:00:00Z"}
JEOF
	chmod 600 "$CODEX_HOME/auth.json"
}

# dmo [ARGS...]: debug model with the built-in openai provider, whose
# ChatGPT backend is the mock.
dmo() {
	OCODEX_CHATGPT_BASE_URL="http://127.0.0.1:$PORT/backend-api/codex" \
	    ./ocodex debug model -c model_providers.openai.request_max_retries=0 \
	    -p openai -m mock-model "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
}

cat >"$tmp/s.json" <<'JEOF'
{"turns": [{"items": [{"type": "message", "text": "fresh"}], "repeat": 5}]}
JEOF
req "$tmp/r.json"

mock_start "$tmp/s.json"
tok_start 200
tokens "$OLD_EXPIRED"
dmo "$tmp/r.json"
check "an expired access token is refreshed before the request, which completes" \
    py 'last["type"] == "completed"' 'len(log) == 1' \
    'log[0]["headers"]["authorization"] == "Bearer '"$NEW"'"' \
    'log[0]["headers"]["chatgpt-account-id"] == "acct-1"'
check "the refresh posted the old refresh token, once" \
    sh -c "test \$(wc -l <'$tmp/tokreq') = 1 &&
    grep -q '\"refresh_token\":\"rt-old\"' '$tmp/tokreq'"
check "the ChatGPT sign-in of the openai provider goes to the ChatGPT backend" \
    py 'log[0]["path"] == "/backend-api/codex/responses"'
check "the parent wrote the refreshed tokens to auth.json" \
    python3 -c 'import json,sys; a=json.load(open(sys.argv[1])); t=a["tokens"]; sys.exit(0 if t["access_token"]==sys.argv[2] and t["refresh_token"]=="rt-new" and a["last_refresh"]!="2020-01-01T00:00:00Z" else 1)' \
    "$CODEX_HOME/auth.json" "$NEW"

mock_start "$tmp/s.json"
tokens "$OLD_VALID"
: >"$tmp/tokreq"
dmo "$tmp/r.json"
check "a token that has not expired is sent as it is, without a refresh" \
    py 'last["type"] == "completed"' \
    'log[0]["headers"]["authorization"] == "Bearer '"$OLD_VALID"'"' \
    'open("'"$tmp/tokreq"'").read() == ""'

mock_start "$tmp/s.json"
./ocodex debug model -c "$(prov requires_openai_auth=true | sed 's/,env_key="MOCK_KEY"//')" \
    -p mock -m mock-model "$tmp/r.json" >"$tmp/out" 2>"$tmp/err"
check "a provider with its own base_url keeps it under a ChatGPT sign-in" \
    py 'last["type"] == "completed"' 'log[0]["path"] == "/v1/responses"' \
    'log[0]["headers"]["authorization"] == "Bearer '"$OLD_VALID"'"'

tok_stop
tok_start 401
mock_start "$tmp/s.json"
tokens "$OLD_EXPIRED"
dmo "$tmp/r.json"
check "a failed refresh of an expired token is a clear error, exit 1" \
    py 'last["type"] == "failed"' 'last["kind"] == "unauthorized"' \
    '"expired" in last["message"]' "$rc == 1"
check "... and the model server was never asked" py 'len(log) == 0'
