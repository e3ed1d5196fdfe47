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
# Every fault the mock injects ends as specified: retried and then
# answered, or one clear final error; Retry-After is honoured; a stream
# cut after a function call's item_done ends with completed {partial:
# true} and is not retried, so the call is not delivered twice.

. regress/lib.sh
need_loopback
. regress/netproc/lib-np.sh

plan 17

cat >"$tmp/s.json" <<'JEOF'
{"turns": [
 {"fault": {"status": 500}},
 {"items": [{"type": "message", "text": "after 500"}]},
 {"fault": {"status": 503}},
 {"fault": {"status": 429, "retry_after": 1}},
 {"items": [{"type": "message", "text": "after 429"}]},
 {"fault": {"status": 429}},
 {"fault": {"status": 400}},
 {"fault": {"status": 401}},
 {"items": [{"type": "message", "text": "cut early"}], "fault": {"cut_after": 3}},
 {"items": [{"type": "message", "text": "after cut"}]},
 {"items": [{"type": "function_call", "name": "shell", "call_id": "call_once",
             "arguments": {"command": ["touch", "x"]}, "delta_size": 1000},
            {"type": "message", "text": "never whole"}],
  "fault": {"cut_after": 6}},
 {"items": [{"type": "message", "text": "slow"}], "fault": {"stall_ms": 3000, "stall_after": 1}},
 {"items": [{"type": "message", "text": "after stall"}]},
 {"items": [], "fault": {"failed": "rate_limit_exceeded"}},
 {"items": [{"type": "message", "text": "after failed"}]},
 {"items": [], "fault": {"failed": "context_length_exceeded"}},
 {"items": [{"type": "message", "text": "still fine"}], "fault": {"malformed_after": 2}},
 {"items": [], "fault": {"no_completed": true}, "repeat": 3},
 {"fault": {"status": 502}, "repeat": 3}
]}
JEOF
mock_start "$tmp/s.json"
req "$tmp/r.json"
P='request_max_retries=2,stream_max_retries=2,stream_idle_timeout_ms=700'

nreq() { python3 -c 'import sys; print(sum(1 for l in open(sys.argv[1])))' "$tmp/log"; }

dm "$tmp/r.json" "$P"
check "500 is retried with back-off, then answered" \
    py 'types.count("retrying") == 1' 'ev[0]["reason"] == "HTTP 500"' \
    '150 <= ev[0]["delay_ms"] <= 250' 'last["type"] == "completed"'
dm "$tmp/r.json" "$P"
check "503 overloaded fails at once with the server's message" \
    py 'types == ["failed"]' 'last["kind"] == "server_overloaded"' \
    'last["status"] == 503' '"overloaded" in last["message"]' \
    'last["retryable"] is False'
t0=$(date +%s%N)
dm "$tmp/r.json" "$P"
t1=$(date +%s%N)
check "429 with Retry-After: 1 waits at least a second, then succeeds" \
    py 'ev[0]["type"] == "retrying"' 'ev[0]["delay_ms"] == 1000' \
    'last["type"] == "completed"'
check "the measured delay honours Retry-After" \
    test $(( (t1 - t0) / 1000000 )) -ge 1000
dm "$tmp/r.json" "$P"
check "429 without Retry-After fails with the server's message" \
    py 'types == ["failed"]' 'last["kind"] == "rate_limited"' \
    '"Rate limit" in last["message"]'
dm "$tmp/r.json" "$P"
check "400 is a final invalid_request (exit 1)" \
    py 'types == ["failed"]' 'last["kind"] == "invalid_request"' \
    'last["status"] == 400'
n0=$(nreq)
dm "$tmp/r.json" "$P"
check "401 with an API key is final, and the key is not in the message" \
    py 'types == ["failed"]' 'last["kind"] == "unauthorized"' \
    '"sk-mock" not in json.dumps(ev)'
dm "$tmp/r.json" "$P"
check "a stream cut before any item is retried from scratch" \
    py 'types.count("retrying") == 1' '"closed" in ev[types.index("retrying")]["reason"]' \
    'last["type"] == "completed" and not last["partial"]' \
    '[e["item"]["content"][0]["text"] for e in ev if e["type"] == "item_done"] == ["after cut"]'
n1=$(nreq)
dm "$tmp/r.json" "$P"
check "a cut after a function call's item_done ends as completed partial" \
    py 'last["type"] == "completed"' 'last["partial"] is True' \
    '"retrying" not in types'
check "the call arrives exactly once and is not requested again" \
    py '[e["item"].get("call_id") for e in ev if e["type"] == "item_done"] == ["call_once"]'
check "exactly one request was made for it" test $(( $(nreq) - n1 )) = 1
dm "$tmp/r.json" "$P"
check "a stall past stream_idle_timeout_ms is retried" \
    py '"idle timeout" in ev[types.index("retrying")]["reason"]' \
    'last["type"] == "completed"' '"after stall" in json.dumps(ev)'
dm "$tmp/r.json" "$P"
check "a retryable response.failed waits the hinted delay, then succeeds" \
    py 'ev[types.index("retrying")]["delay_ms"] == 1500' \
    '"after failed" in json.dumps(ev)'
dm "$tmp/r.json" "$P"
check "context_length_exceeded is final" \
    py 'types == ["created"] + types[1:]' 'last["type"] == "failed"' \
    'last["kind"] == "context_length_exceeded"'
dm "$tmp/r.json" "$P"
check "a data line that is not JSON is skipped" \
    py 'last["type"] == "completed"' '"still fine" in json.dumps(ev)'
dm "$tmp/r.json" "$P"
check "streams without response.completed: retried, then a final error" \
    py 'types.count("retrying") == 2' 'last["type"] == "failed"' \
    'last["kind"] == "stream"'
dm "$tmp/r.json" "$P"
check "5xx after request_max_retries is a final server_error" \
    py 'types.count("retrying") == 2' 'last["kind"] == "server_error"' \
    'last["status"] == 502'
