#!/bin/sh
# ocodex exec against an instant mock model: one text answer (wall time
# and peak RSS of the process tree), one `true` tool call, and apply_patch
# of 1000 hunks into a 100 000-line file.  With @openai/codex installed
# (npm install --prefix /tmp/codex-npm @openai/codex, or CODEX_BIN set),
# the same figures for `codex exec` against the same mock.  Prints
# figures and asserts nothing.  Run from the top of the tree: make bench
# (RUNS=N to change the number of runs, KEEP=1 to keep the temporary
# directory).
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

RUNS=${RUNS:-20}
MOCK=${MOCKMODEL:-regress/mockmodel/mockmodel}
RUN=bench/exec-run
top=$(pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ocodex-bench.XXXXXX") || exit 1
mockpid=
trap 'stop_mock; [ -n "$KEEP" ] || rm -rf "$tmp"' EXIT
export HOME="$tmp/home" CODEX_HOME="$tmp/codex-home"
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
export MOCK_API_KEY=sk-bench
unset OPENAI_API_KEY
mkdir -p "$HOME" "$CODEX_HOME" "$tmp/repo"
git -C "$tmp/repo" init -q

CODEX_BIN=${CODEX_BIN:-/tmp/codex-npm/node_modules/@openai/codex-linux-x64/vendor/x86_64-unknown-linux-musl/bin/codex}
[ -x "$CODEX_BIN" ] || CODEX_BIN=

start_mock() {
	stop_mock
	rm -f "$tmp/port"
	"$MOCK" -s "$1" -P "$tmp/port" >/dev/null &
	mockpid=$!
	n=0
	while [ ! -s "$tmp/port" ] && [ $n -lt 200 ]; do
		sleep 0.02
		n=$((n + 1))
	done
	port=$(cat "$tmp/port")
	base_url=http://127.0.0.1:$port/v1
}

stop_mock() {
	[ -n "$mockpid" ] || return 0
	kill "$mockpid" 2>/dev/null
	wait "$mockpid" 2>/dev/null
	mockpid=
}

# Codex reads its provider from a private config.toml.  Plugins are off
# and every proxy points at a closed port, so nothing it starts on its own
# reaches beyond this machine; 127.0.0.1 goes direct.
codex_config() {
	mkdir -p "$tmp/codex-cx"
	cat >"$tmp/codex-cx/config.toml" <<-EOF
	model = "mock-model"
	model_provider = "mock"

	[features]
	plugins = false
	remote_plugin = false

	[model_providers.mock]
	name = "mock"
	base_url = "$base_url"
	env_key = "MOCK_API_KEY"
	wire_api = "responses"
	EOF
}

# bench NAME SETUP SCRIPT [CODEX_SCRIPT]: time ocodex exec, then codex
# exec, each on a fresh mock serving SCRIPT (Codex's own tool names may
# need CODEX_SCRIPT).
bench() {
	start_mock "$3"
	printf '%-28s ocodex: ' "$1"
	(cd "$tmp/repo" && "$top/$RUN" -n "$RUNS" ${2:+-s "$2"} \
	    "$top/ocodex" exec -c model_provider=mock \
	    -c "model_providers.mock.base_url=\"$base_url\"" \
	    -c 'model_providers.mock.env_key="MOCK_API_KEY"' \
	    -m mock-model -s workspace-write "bench")
	[ -n "$CODEX_BIN" ] || return 0
	start_mock "${4:-$3}"
	codex_config
	printf '%-28s codex:  ' ""
	(cd "$tmp/repo" && CODEX_HOME="$tmp/codex-cx" \
	    http_proxy=http://127.0.0.1:9 https_proxy=http://127.0.0.1:9 \
	    HTTPS_PROXY=http://127.0.0.1:9 ALL_PROXY=http://127.0.0.1:9 \
	    no_proxy=127.0.0.1 NO_PROXY=127.0.0.1 \
	    "$top/$RUN" -n "$RUNS" ${2:+-s "$2"} \
	    "$CODEX_BIN" exec -s workspace-write "bench")
}

# memory NAME SCRIPT: the tree's peak RSS (see bench/exec-run.c for the
# method).
memory() {
	start_mock "$2"
	printf '%-28s ocodex: ' "$1"
	(cd "$tmp/repo" && "$top/$RUN" -m "$top/ocodex" exec \
	    -c model_provider=mock \
	    -c "model_providers.mock.base_url=\"$base_url\"" \
	    -c 'model_providers.mock.env_key="MOCK_API_KEY"' \
	    -m mock-model "bench")
	[ -n "$CODEX_BIN" ] || return 0
	codex_config
	printf '%-28s codex:  ' ""
	(cd "$tmp/repo" && CODEX_HOME="$tmp/codex-cx" \
	    http_proxy=http://127.0.0.1:9 https_proxy=http://127.0.0.1:9 \
	    HTTPS_PROXY=http://127.0.0.1:9 ALL_PROXY=http://127.0.0.1:9 \
	    no_proxy=127.0.0.1 NO_PROXY=127.0.0.1 \
	    "$top/$RUN" -m "$CODEX_BIN" exec "bench")
}

# pairs N CALL: a script of N (CALL, answer) turn pairs.
pairs() {
	echo '{"turns": ['
	i=0
	while [ $i -lt "$1" ]; do
		[ $i -gt 0 ] && echo ','
		printf '{"items": [%s]},\n' "$2"
		printf '{"items": [{"type": "message", "text": "ok"}]}'
		i=$((i + 1))
	done
	echo ']}'
}

echo "ocodex exec against the mock model, $(nproc) cores, $(uname -r);" \
    "median of $RUNS runs"
[ -n "$CODEX_BIN" ] && echo "codex: $("$CODEX_BIN" --version 2>/dev/null)" ||
    echo "codex: not installed, skipped"

# 1. One text answer.  The mock serves the same turn to every request.
echo '{"turns": [{"items": [{"type": "message", "text": "ok"}],
    "repeat": 100000}]}' >"$tmp/text.json"
bench "text answer (<= 15 ms)" "" "$tmp/text.json"
memory "peak RSS (<= 12 MiB)" "$tmp/text.json"

# 2. One `true` tool call, then the answer.
pairs $((2 * RUNS + 2)) '{"type": "function_call", "name": "shell",
    "arguments": {"command": ["true"]}}' >"$tmp/true.json"
pairs $((2 * RUNS + 2)) '{"type": "function_call", "name": "exec_command",
    "arguments": {"cmd": "true"}}' >"$tmp/true-codex.json"
bench "one true call (<= 25 ms)" "" "$tmp/true.json" "$tmp/true-codex.json"

# 3. apply_patch: 1000 one-line changes, each with two lines of context
# on either side, into a file of 100 000 numbered lines, put back before
# every run.
seq -f 'line %g' 1 100000 >"$tmp/big.orig"
awk 'BEGIN {
	printf "*** Begin Patch\n*** Update File: big.txt\n"
	for (h = 0; h < 1000; h++) {
		n = h * 100 + 50
		printf "@@\n line %d\n line %d\n-line %d\n+LINE %d changed\n", \
		    n - 2, n - 1, n, n
		printf " line %d\n line %d\n", n + 1, n + 2
	}
	printf "*** End Patch\n"
}' >"$tmp/patch.txt"
input=$(python3 -c 'import json, sys; print(json.dumps(open(sys.argv[1]).read()))' \
    "$tmp/patch.txt")
pairs $((2 * RUNS + 2)) '{"type": "custom_tool_call", "name": "apply_patch",
    "input": '"$input"'}' >"$tmp/patch.json"
bench "apply_patch 1000 hunks" "cp $tmp/big.orig $tmp/repo/big.txt" \
    "$tmp/patch.json"
start_mock "$tmp/patch.json"
cp "$tmp/big.orig" "$tmp/repo/big.txt"
(cd "$tmp/repo" && "$top/ocodex" exec -c model_provider=mock \
    -c "model_providers.mock.base_url=\"$base_url\"" \
    -c 'model_providers.mock.env_key="MOCK_API_KEY"' -m mock-model \
    -s workspace-write "bench" >/dev/null 2>&1)
echo "  (the patch's own cost is its figure minus the true call's;" \
    "target <= 50 ms;" \
    "$(grep -c '^LINE' "$tmp/repo/big.txt") of 1000 lines changed in a check run)"
stop_mock
