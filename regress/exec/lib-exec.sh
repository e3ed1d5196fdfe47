# Shared setup for the t-exec-*.sh tests: the mock model, a throwaway git
# repository and ocodex exec pointed at the mock.  Source it after
# regress/lib.sh, from the top of the tree.
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

MOCK=${MOCKMODEL:-regress/mockmodel/mockmodel}
mockpid=
export MOCK_API_KEY=sk-test-key-123
mkdir -p "$CODEX_HOME"

# The mock must not outlive a test that stops half-way.
trap 'stop_mock; rm -rf "$tmp"' EXIT

# start_mock SCRIPT: run the mock model; sets mockpid and base_url.
start_mock() {
	rm -f "$tmp/port" "$tmp/log.jsonl"
	"$MOCK" -s "$1" -l "$tmp/log.jsonl" -P "$tmp/port" >/dev/null &
	mockpid=$!
	n=0
	while [ ! -s "$tmp/port" ] && [ $n -lt 100 ]; do
		sleep 0.02
		n=$((n + 1))
	done
	base_url=http://127.0.0.1:$(cat "$tmp/port")/v1
}

stop_mock() {
	[ -n "$mockpid" ] || return 0
	kill "$mockpid" 2>/dev/null
	wait "$mockpid" 2>/dev/null
	mockpid=
}

# mock_json TEXT...: write TEXT as a mock script to $tmp/mock.json and start
# the mock with it.
mock_json() {
	printf '%s\n' "$*" >"$tmp/mock.json"
	start_mock "$tmp/mock.json"
}

# new_repo DIR: a fresh git repository with one file.
new_repo() {
	rm -rf "$1"
	mkdir -p "$1"
	git -C "$1" init -q
	echo "# demo" >"$1/README"
}

# run_exec DIR ARGS...: ocodex exec in DIR against the mock model.
run_exec() {
	_dir=$1
	shift
	(cd "$_dir" && "$top/ocodex" exec -c model_provider=mock \
	    -c "model_providers.mock.base_url=\"$base_url\"" \
	    -c 'model_providers.mock.env_key="MOCK_API_KEY"' \
	    -c 'model_providers.mock.name="mock"' "$@")
}

# nreq: how many requests the mock logged.
nreq() {
	if [ -f "$tmp/log.jsonl" ]; then wc -l <"$tmp/log.jsonl"; else echo 0; fi
}

# reqpy N EXPR: true when the Python expression EXPR holds for request N
# (from 1); in EXPR, b is the request body, r the whole log record, R the
# list of all bodies, and re and json are imported.  A failing expression
# prints its reason as a TAP comment.
reqpy() {
	python3 - "$tmp/log.jsonl" "$1" "$2" <<'EOF'
import json, re, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
R = [x["body"] for x in recs]
n = int(sys.argv[2])
r = recs[n - 1] if 0 < n <= len(recs) else None
b = r["body"] if r else None
try:
    ok = eval("(" + sys.argv[3] + "\n)")
except Exception as e:
    print("# reqpy: %s: %r" % (sys.argv[3], e))
    ok = False
sys.exit(0 if ok else 1)
EOF
}

# jsonpy FILE EXPR: true when EXPR holds for E, the list of JSON lines of
# FILE (lines that are not JSON are dropped).
jsonpy() {
	python3 - "$1" "$2" <<'EOF'
import json, re, sys
E = []
for l in open(sys.argv[1]):
    try:
        E.append(json.loads(l))
    except ValueError:
        pass
try:
    ok = eval("(" + sys.argv[2] + "\n)")
except Exception as e:
    print("# jsonpy: %s: %r" % (sys.argv[2], e))
    ok = False
sys.exit(0 if ok else 1)
EOF
}

# marker_pids ARG: live processes (not zombies) one of whose arguments is
# exactly ARG.  Processes may vanish while /proc is read.
marker_pids() {
	for _d in /proc/[0-9]*; do
		{ tr '\0' '\n' <"$_d/cmdline" | grep -qx -- "$1"; } \
		    2>/dev/null || continue
		alive "${_d#/proc/}" && echo "${_d#/proc/}"
	done
}
