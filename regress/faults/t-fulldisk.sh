#!/bin/sh
# A full disk under $CODEX_HOME.  On a 64 KiB tmpfs, mounted in a private
# mount namespace so that it vanishes with the test: an answer too long
# for the session file, and a prompt too long for history.jsonl.  exec
# must fail with the file's name and the reason, leave only whole JSON
# lines in both files, and once there is room again the session resumes.
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

. regress/lib.sh
need_loopback

# Run again in a mount namespace of our own: the tmpfs is then private
# and goes away with the test, whatever happens to it.
if [ -z "${OCODEX_FULLDISK_NS:-}" ]; then
	[ "$(id -u)" -eq 0 ] || skip_all "not root: cannot mount a tmpfs"
	command -v unshare >/dev/null 2>&1 || skip_all "no unshare(1)"
	unshare -m true 2>/dev/null ||
	    skip_all "unshare -m fails here (a sandbox?): no private mount"
	rm -rf "$tmp"
	trap - EXIT
	OCODEX_FULLDISK_NS=1 exec unshare -m sh "$0" "$@"
	skip_all "cannot run unshare -m"
fi

. regress/exec/lib-exec.sh
mount -t tmpfs -o size=64k,mode=0700 tmpfs "$CODEX_HOME" 2>/dev/null ||
    skip_all "cannot mount a tmpfs on \$CODEX_HOME here"
trap 'stop_mock; umount "$CODEX_HOME" 2>/dev/null; rm -rf "$tmp"' EXIT

plan 16
repo="$tmp/repo"
new_repo "$repo"

# fill KIB: leave only about KIB KiB free under $CODEX_HOME (tmpfs
# counts whole pages).
fill() {
	rm -f "$CODEX_HOME/filler"
	avail=$(df -k --output=avail "$CODEX_HOME" | tail -1)
	dd if=/dev/zero of="$CODEX_HOME/filler" bs=1024 \
	    count=$((avail - $1)) 2>/dev/null
	[ "$(df -k --output=avail "$CODEX_HOME" | tail -1)" -le "$1" ]
}

rollout() { find "$CODEX_HOME/sessions" -name 'rollout-*.jsonl' 2>/dev/null; }

# whole_lines FILE [PROMPT]: FILE is empty or ends with a newline, every
# line is a JSON object, and (with PROMPT) a rollout whose first line is
# session_meta and which has the user_message PROMPT.
whole_lines() {
	python3 - "$@" <<'EOF'
import json, sys
data = open(sys.argv[1], "rb").read()
if data and not data.endswith(b"\n"):
    print("# %s: the last line is torn: ...%r" % (sys.argv[1], data[-40:]))
    sys.exit(1)
L = []
for n, l in enumerate(data.split(b"\n")[:-1]):
    try:
        L.append(json.loads(l))
    except ValueError:
        print("# %s: line %d is not JSON: %r" % (sys.argv[1], n + 1, l[:60]))
        sys.exit(1)
if len(sys.argv) > 2:
    if not L or L[0].get("type") != "session_meta":
        print("# the first line is not session_meta")
        sys.exit(1)
    if not any(x.get("type") == "event_msg" and
               x["payload"].get("type") == "user_message" and
               x["payload"].get("message") == sys.argv[2] for x in L):
        print("# no user_message %r" % sys.argv[2][:40])
        sys.exit(1)
EOF
}

# hist_ok TEXT: history.jsonl is whole JSON lines, the last one for the
# prompt TEXT.
hist_ok() {
	whole_lines "$CODEX_HOME/history.jsonl" &&
	    [ "$(tail -n 1 "$CODEX_HOME/history.jsonl" | python3 -c \
	    'import json, sys; print(json.load(sys.stdin)["text"])')" = "$1" ]
}

# exec_in ARGS...: ocodex exec against the mock, the prompt (or "-")
# last; standard input is passed on.
exec_in() {
	(cd "$repo" && "$top/ocodex" exec -c model_provider=mock \
	    -c "model_providers.mock.base_url=\"$base_url\"" \
	    -c 'model_providers.mock.env_key="MOCK_API_KEY"' \
	    -c 'model_providers.mock.name="mock"' "$@")
}

# 1. The answer does not fit in the session file.
mock_json '{"turns": [{"items": [{"type": "message", "fill": 100000}]},
  {"items": [{"type": "message", "text": "Resumed on a roomier disk."}]}]}'
fill 16 || diag "could not leave just 16 KiB free"
exec_in "a long answer please" </dev/null >"$tmp/1.out" 2>"$tmp/1.err"
rc=$?
f=$(rollout)
check "a rollout was started" [ -n "$f" ]
check "the answer reached stdout all the same" \
    [ "$(wc -c <"$tmp/1.out")" -ge 100000 ]
check "exec exits non-zero (rc $rc)" [ "$rc" -ne 0 ]
checkd "$tmp/1.err" "stderr names the session file and says the disk is full" \
    grep -qF "cannot write $f: No space left on device" "$tmp/1.err"
check "and that the file is incomplete" \
    grep -qF "$f is incomplete" "$tmp/1.err"
check "every line of the rollout is whole JSON" \
    whole_lines "$f" "a long answer please"
check "every line of history.jsonl is whole JSON, with the prompt" \
    hist_ok "a long answer please"
rm -f "$CODEX_HOME/filler"
exec_in resume --last "go on" </dev/null >"$tmp/1r.out" 2>"$tmp/1r.err"
rc=$?
checkd "$tmp/1r.err" "with room again, resume --last works (rc $rc)" \
    sh -c "[ $rc -eq 0 ] && grep -q 'Resumed on a roomier disk' '$tmp/1r.out'"
check "its request carries the earlier prompt and the new one" \
    reqpy 2 '"a long answer please" in json.dumps(b) and "go on" in json.dumps(b)'
check "the rollout is still whole JSON lines" whole_lines "$f" "go on"
stop_mock

# 2. The prompt does not fit in history.jsonl (nor in the session file).
rm -rf "$CODEX_HOME/sessions" "$CODEX_HOME/history.jsonl"
mock_json '{"turns": [{"items": [{"type": "message", "text": "Short."}]},
  {"items": [{"type": "message", "text": "Resumed again."}]}]}'
fill 16 || diag "could not leave just 16 KiB free"
big=$(python3 -c 'print("p" * 200000)')
echo "$big" | exec_in - >"$tmp/2.out" 2>"$tmp/2.err"
rc=$?
check "a huge prompt on a full disk: exec exits non-zero (rc $rc)" \
    [ "$rc" -ne 0 ]
checkd "$tmp/2.err" "stderr names history.jsonl and says the disk is full" \
    grep -qF "cannot write $CODEX_HOME/history.jsonl: No space left on device" \
    "$tmp/2.err"
check "history.jsonl holds no torn line" \
    whole_lines "$CODEX_HOME/history.jsonl"
f=$(rollout)
check "the rollout holds only whole JSON lines" \
    eval '[ -n "$f" ] && whole_lines "$f"'
rm -f "$CODEX_HOME/filler"
exec_in resume --last "after the big one" </dev/null >"$tmp/2r.out" \
    2>"$tmp/2r.err"
rc=$?
checkd "$tmp/2r.err" \
    "with room again, resume --last works on what was written (rc $rc)" \
    sh -c "[ $rc -eq 0 ] && grep -q 'Resumed again' '$tmp/2r.out'"
check "the next history line is whole, not glued to a torn one" \
    hist_ok "after the big one"
stop_mock
exit 0
