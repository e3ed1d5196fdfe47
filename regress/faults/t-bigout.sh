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
# A command that prints 1 GiB: every ocodex process stays small (peak
# resident size under 64 MiB, measured by regress/faults/bigout-rss.py),
# the command is drained to its end, the run completes, and the output
# the model reads next is truncated and says so.

. regress/lib.sh
need_loopback
. regress/exec/lib-exec.sh

plan 9
LIMIT_KIB=$((64 * 1024))
# AddressSanitizer keeps freed memory in quarantine (256 MiB by default)
# and shadow memory besides: the bound is looser there but still far
# below what keeping 1 GiB would take.
asan_build && LIMIT_KIB=$((512 * 1024))
repo="$tmp/repo"
new_repo "$repo"

# The command leaves big.done only if tr wrote the whole GiB: had the
# product stopped reading, tr would have died of SIGPIPE.
cat >"$tmp/big.json" <<'JEOF'
{"turns": [
 {"items": [{"type": "function_call", "name": "shell", "call_id": "call_big",
   "arguments": {"command": ["sh", "-c",
    "head -c 1073741824 /dev/zero | tr '\\0' a && echo drained >big.done"],
    "timeout_ms": 60000}}]},
 {"items": [{"type": "message", "text": "Big output done."}]}
]}
JEOF
start_mock "$tmp/big.json"
(cd "$repo" && python3 "$top/regress/faults/bigout-rss.py" "$tmp/rss" \
    "$top/ocodex" exec -c model_provider=mock \
    -c "model_providers.mock.base_url=\"$base_url\"" \
    -c 'model_providers.mock.env_key="MOCK_API_KEY"' \
    -c 'model_providers.mock.name="mock"' --full-auto "print a lot") \
    >"$tmp/out" 2>"$tmp/err"
rc=$?
stop_mock

check "the run completes (rc $rc)" [ "$rc" -eq 0 ]
[ "$rc" -eq 0 ] || tail -5 "$tmp/err" | sed 's/^/# /'
check "the final message is printed" \
    [ "$(tail -1 "$tmp/out")" = "Big output done." ]
check "the command ran to the end of its 1 GiB" [ -f "$repo/big.done" ]
while read -r name pid kib; do
	diag "peak RSS $name (pid $pid): $((kib / 1024)) MiB ($kib KiB)"
done <"$tmp/rss"
check "all four ocodex processes were measured" sh -c \
    "for n in ocodex ocodex-netproc ocodex-execproc ocodex-ui; do
	grep -q \"^\$n \" '$tmp/rss' || exit 1; done"
check "every ocodex process peaked under $((LIMIT_KIB / 1024)) MiB" \
    awk -v max="$LIMIT_KIB" '$3 >= max { bad = 1 } END { exit bad }' \
    "$tmp/rss"
check "two model requests" [ "$(nreq)" -eq 2 ]
out_of_call='[i["output"] for i in b["input"]
    if i.get("type") == "function_call_output" and
    i.get("call_id") == "call_big"]'
reqpy 2 "print('# output sent to the model: %d bytes' %
    len($out_of_call[0])) or True"
check "the model reads the output once, under 64 KiB" \
    reqpy 2 "len($out_of_call) == 1 and len($out_of_call[0]) < 65536"
check "it says the output was truncated" \
    reqpy 2 "re.search(r'tokens truncated', $out_of_call[0]) is not None"
check "it keeps the exit code and the start of the output" \
    reqpy 2 "$out_of_call[0].startswith('Exit code: 0') and
    'aaaaaaaaaaaaaaaa' in $out_of_call[0]"
exit 0
