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
# Proxies: netproc starts with an empty environment, so the parent hands
# it the proxy variables, and the proxy's port joins the ports netproc
# may connect to (Landlock refuses the rest).  A request goes through a
# forwarding proxy on loopback, with the proxy's credentials; NO_PROXY
# bypasses it; a malformed proxy variable is an error naming it and
# never quoting its password.

. regress/lib.sh
need_loopback
. regress/netproc/lib-np.sh

plan 10

cat >"$tmp/s.json" <<'JEOF'
{"turns": [
 {"items": [{"type": "message", "text": "via the proxy"}]},
 {"items": [{"type": "message", "text": "direct"}]}
]}
JEOF
mock_start "$tmp/s.json"
req "$tmp/r.json"

python3 regress/netproc/proxy.py "$tmp/pport" "$tmp/plog" &
ppid=$!
trap 'kill $ppid 2>/dev/null; mock_stop; rm -rf "$tmp"' EXIT
wait_for "$tmp/pport" . 50 || { echo "Bail out! proxy did not start"; exit 1; }
pport=$(cat "$tmp/pport")
touch "$tmp/plog"

export http_proxy="http://user:s3cret-pw@127.0.0.1:$pport"
dm "$tmp/r.json"
checkd "$tmp/err" "through the proxy: the answer arrives (rc $rc)" \
    grep -q 'via the proxy' "$tmp/out"
check "the proxy saw the request in absolute form" \
    grep -q "^POST http://127.0.0.1:$PORT/v1/responses auth=Basic" "$tmp/plog"
check "with the proxy's credentials (user:s3cret-pw)" \
    grep -q "auth=Basic dXNlcjpzM2NyZXQtcHc=" "$tmp/plog"
check "the password is in no message" sh -c \
    "! grep -q s3cret '$tmp/out' '$tmp/err'"

NO_PROXY=127.0.0.1 dm "$tmp/r.json"
check "NO_PROXY: the answer arrives directly (rc $rc)" \
    grep -q '"direct"\|direct' "$tmp/out"
check "NO_PROXY: the proxy saw one request only" \
    [ "$(wc -l <"$tmp/plog")" -eq 1 ]
unset http_proxy

# Upper-case HTTP_PROXY, which libcurl alone would ignore, is honoured,
# as Codex honours it; a proxy that is not there is a clear failure.
HTTP_PROXY="http://127.0.0.1:1" dm "$tmp/r.json" request_max_retries=0
check "HTTP_PROXY: netproc tries the proxy (rc $rc)" [ "$rc" -ne 0 ]
check "and says it could not connect to it" \
    grep -q 'port 1\b\|127.0.0.1:1\b' "$tmp/out" "$tmp/err"

HTTPS_PROXY="http://user:pw-secret@host:99999" dm "$tmp/r.json"
check "a bad proxy port is an error (rc $rc)" sh -c \
    "[ $rc -ne 0 ] && grep -q 'HTTPS_PROXY is not a proxy URL' '$tmp/err'"
check "which does not quote the password" sh -c \
    "! grep -q pw-secret '$tmp/err'"
