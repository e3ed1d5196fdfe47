#!/bin/sh
# One table comparing ocodex with the upstream Codex CLI, both measured in
# the same run, on this machine, against the same instant mock model.  The
# peer is installed with npm, pinned, into a cache folder outside the tree
# and reused from there; when that fails the ocodex column is printed
# alone, with the reason.  Run from the top of the tree: make bench.
#
#	RUNS=N		timed runs per figure (default 10; the sandboxed
#			`true` gets five times as many)
#	CODEX_BIN=PATH	use this codex binary instead of installing one
#	CODEX_CACHE=DIR	where the npm install goes (default
#			$HOME/.cache/ocodex-bench)
#	KEEP=1		keep the temporary directory
#
# Every figure is a median with its minimum and maximum.  Nothing is
# asserted: the checks under the table show that each tool really did the
# work being timed.  Needs jq, curl and strip; npm only to install the
# peer.
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

RUNS=${RUNS:-10}
SBX_RUNS=$((RUNS * 5))
CODEX_VERSION=0.171.0
HOME_REAL=${HOME_REAL:-$HOME}
CODEX_CACHE=${CODEX_CACHE:-$HOME_REAL/.cache/ocodex-bench}
MOCK=${MOCKMODEL:-regress/mockmodel/mockmodel}
top=$(pwd)
RUN=$top/bench/exec-run
OC=$top/ocodex
UUID=01a21f00-0000-7000-8000-00000000b100
BIGOUT=100000000

for f in "$OC" "$RUN" "$MOCK"; do
	[ -x "$f" ] || { echo "compare: no $f (make bench builds it)"; exit 1; }
done
command -v jq >/dev/null || { echo "compare: jq is needed"; exit 1; }

say() {
	echo "compare: $*" >&2
}

# The peer: the binary npm puts under vendor/<triple>/bin.  The install
# runs with the real HOME, so npm's own cache and settings are used.
find_codex() {
	find "$CODEX_CACHE/codex-$CODEX_VERSION/node_modules/@openai" \
	    -path '*/vendor/*/bin/codex' -type f 2>/dev/null | head -n 1
}

install_codex() {
	codex_why=
	if [ -n "${CODEX_BIN:-}" ]; then
		[ -x "$CODEX_BIN" ] ||
		    codex_why="CODEX_BIN=$CODEX_BIN is not executable"
		return
	fi
	CODEX_BIN=$(find_codex)
	if [ -z "$CODEX_BIN" ]; then
		if ! command -v npm >/dev/null; then
			codex_why="npm is not installed"
			return
		fi
		say "installing @openai/codex@$CODEX_VERSION into $CODEX_CACHE"
		if ! mkdir -p "$CODEX_CACHE"; then
			codex_why="cannot create $CODEX_CACHE"
			return
		fi
		if ! npm install --prefix "$CODEX_CACHE/codex-$CODEX_VERSION" \
		    "@openai/codex@$CODEX_VERSION" >"$CODEX_CACHE/npm.log" \
		    2>&1; then
			codex_why="npm install failed: $(sed -n \
			    's/^npm error //p' "$CODEX_CACHE/npm.log" |
			    grep -v '^\(code\|syscall\|errno\) ' | head -n 1)"
			return
		fi
		CODEX_BIN=$(find_codex)
	fi
	if [ -z "$CODEX_BIN" ]; then
		codex_why="npm installed no codex binary for this platform"
	elif ! "$CODEX_BIN" --version 2>/dev/null |
	    grep -q "$CODEX_VERSION"; then
		codex_why="$CODEX_BIN is not version $CODEX_VERSION"
	fi
}

install_codex
[ -z "$codex_why" ] || CODEX_BIN=

# /var/tmp, not /tmp: Codex will not put its helper links under /tmp,
# and a real CODEX_HOME is not there either.
tmp=$(mktemp -d /var/tmp/ocodex-compare.XXXXXX) || exit 1
mockpid=
trap 'stop_mock; [ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
export MOCK_API_KEY=sk-bench
unset OPENAI_API_KEY CODEX_API_KEY TMPDIR
repo=$tmp/repo
mkdir -p "$tmp/oc-home" "$tmp/oc-codex" "$tmp/cx-home" "$tmp/cx-codex" \
    "$repo" || exit 1
git -C "$repo" init -q || exit 1

start_mock() {
	stop_mock
	rm -f "$tmp/port"
	"$MOCK" -s "$1" ${2:+-l "$2"} -P "$tmp/port" >/dev/null &
	mockpid=$!
	n=0
	while [ ! -s "$tmp/port" ] && [ $n -lt 250 ]; do
		sleep 0.02
		n=$((n + 1))
	done
	[ -s "$tmp/port" ] || { say "the mock model did not start"; exit 1; }
	base_url=http://127.0.0.1:$(cat "$tmp/port")/v1
	write_configs
}

stop_mock() {
	[ -n "$mockpid" ] || return 0
	kill "$mockpid" 2>/dev/null
	wait "$mockpid" 2>/dev/null
	mockpid=
}

# Both tools read the same provider table from their own config.toml.
# No retries, so a broken run fails at once instead of backing off.
# Codex also gets a catalogue entry for the mock model (its apply_patch
# tool depends on it), plugins off and every proxy on a closed port, so
# nothing it starts on its own leaves this machine.
write_configs() {
	cat >"$tmp/provider.toml" <<-EOF
	model = "mock-model"
	model_provider = "mock"

	[model_providers.mock]
	name = "mock"
	base_url = "$base_url"
	env_key = "MOCK_API_KEY"
	wire_api = "responses"
	request_max_retries = 0
	stream_max_retries = 0
	EOF
	cp "$tmp/provider.toml" "$tmp/oc-codex/config.toml" || exit 1
	{
		echo "model_catalog_json = \"$tmp/catalog.json\""
		cat "$tmp/provider.toml"
		printf '\n[features]\nplugins = false\nremote_plugin = false\n'
	} >"$tmp/cx-codex/config.toml" || exit 1
}

# as_ocodex|as_codex CMD ...: run CMD (a function or a program) in the
# repository with that tool's clean HOME and CODEX_HOME.
as_ocodex() (
	cd "$repo" || exit 1
	export HOME="$tmp/oc-home" CODEX_HOME="$tmp/oc-codex"
	"$@"
)

as_codex() (
	cd "$repo" || exit 1
	export HOME="$tmp/cx-home" CODEX_HOME="$tmp/cx-codex"
	export http_proxy=http://127.0.0.1:9 https_proxy=http://127.0.0.1:9
	export HTTP_PROXY=$http_proxy HTTPS_PROXY=$http_proxy
	export ALL_PROXY=$http_proxy no_proxy=127.0.0.1,localhost
	export NO_PROXY=$no_proxy
	"$@"
)

# Codex 0.171's own catalogue entry for gpt-5.5 (or its first model),
# renamed mock-model.
make_catalog() {
	[ -n "$CODEX_BIN" ] || return 0
	if ! as_codex "$CODEX_BIN" debug models --bundled >"$tmp/bundled.json" \
	    2>/dev/null || ! jq '{models: [(.models |
	    (map(select(.slug == "gpt-5.5")) + .))[0] |
	    .slug = "mock-model" | .display_name = "mock-model" |
	    .upgrade = null]}' "$tmp/bundled.json" >"$tmp/catalog.json"; then
		codex_why="codex debug models gave no model catalogue"
		CODEX_BIN=
	fi
}

# timed N SETUP CMD ...: "median min max" in ms, or "-" when every run
# failed.
timed() {
	n=$1 setup=$2
	shift 2
	"$RUN" -n "$n" ${setup:+-s "$setup"} "$@" >"$tmp/run.out" 2>&1
	awk '/^median/ { gsub(/[(),]/, ""); print $2, $5, $7; ok = 1 }
	    END { if (!ok) print "-" }' "$tmp/run.out"
	# A failed run is left out of the figures; say so under the table.
	grep -q '^median.*over [0-9]* runs$' "$tmp/run.out" ||
	    printf '  WARNING: %.60s: %s\n' "$*" "$(grep -v '^median' \
	    "$tmp/run.out" | tail -n 1)" >>"$tmp/checks"
}

# rss CMD ...: the process tree's summed peak RSS in MiB over three
# traced runs, "median min max processes", then "|" and the same figures
# for the largest single process of each run.
rss() {
	: >"$tmp/rss.out"
	for i in 1 2 3; do
		"$RUN" -m "$@" >>"$tmp/rss.out" 2>&1
	done
	awk 'function med(v, n,   i, j, t) {
		for (i = 0; i < n; i++)
			for (j = i + 1; j < n; j++)
				if (v[j] < v[i]) {
					t = v[i]; v[i] = v[j]; v[j] = t
				}
		return v[int(n / 2)] " " v[0] " " v[n - 1]
	}
	BEGIN {
		n = 0
	}
	/^peak RSS .* sum / {
		big[n] = $4 / 1024
		for (i = 1; i <= NF; i++)
			if ($i == "sum") {
				sum[n] = $(i + 1)
				p = $(i + 4)
			}
		n++
	}
	END {
		if (n == 0)
			print "-|-"
		else
			print med(sum, n) " " p "|" med(big, n)
	}' "$tmp/rss.out"
}

# row LABEL UNIT OCODEX CODEX [-]: one line of the table; a fifth
# argument "-" leaves the ratio out (a reference figure shared by both).
row() {
	printf '%s|%s|%s|%s|%s\n' "$1" "$2" "$3" "${4:--}" "${5:-}" \
	    >>"$tmp/results"
}

# check WHAT OCODEX-RESULT CODEX-RESULT: one line under the table.
check() {
	printf '  %-36s ocodex: %s; codex: %s\n' "$1" "$2" "${3:--}" \
	    >>"$tmp/checks"
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

# Tool outputs carried back to the model in a request log.
outputs_sent() {
	jq -s '[.[].body.input[]? | select(.type == "function_call_output" or
	    .type == "custom_tool_call_output")] | length' "$1" 2>/dev/null ||
	    echo "?"
}

# The final message of a check run, or what went wrong.
last_message() {
	if [ -s "$1" ]; then
		tr '\n' ' ' <"$1" | sed 's/ $//'
	else
		echo "no answer"
	fi
}

# exec_row LABEL SCRIPT CODEX-SCRIPT SETUP: one exec turn per run for
# each tool, on a fresh mock; a logged check run (which also warms the
# caches) comes first.
exec_row() {
	label=$1 oscript=$2 cscript=$3 setup=$4
	oc='' cx='' ocheck='' ccheck=''
	start_mock "$oscript" "$tmp/oc.log"
	[ -z "$setup" ] || sh -c "$setup"
	rm -f "$tmp/oc.last"
	as_ocodex "$OC" exec -s workspace-write -o "$tmp/oc.last" bench \
	    >/dev/null 2>&1
	ocheck="answer $(last_message "$tmp/oc.last"), $(outputs_sent \
	    "$tmp/oc.log") tool outputs sent back"
	[ -z "$setup" ] ||
	    ocheck="$ocheck, $(changed) of 1000 lines changed"
	start_mock "$oscript"
	oc=$(as_ocodex timed "$RUNS" "$setup" "$OC" exec -s workspace-write \
	    bench)
	if [ -n "$CODEX_BIN" ]; then
		start_mock "$cscript" "$tmp/cx.log"
		[ -z "$setup" ] || sh -c "$setup"
		rm -f "$tmp/cx.last"
		as_codex "$CODEX_BIN" exec -s workspace-write \
		    -o "$tmp/cx.last" bench >/dev/null 2>&1
		ccheck="answer $(last_message "$tmp/cx.last"), $(outputs_sent \
		    "$tmp/cx.log") tool outputs sent back"
		[ -z "$setup" ] ||
		    ccheck="$ccheck, $(changed) of 1000 lines changed"
		start_mock "$cscript"
		cx=$(as_codex timed "$RUNS" "$setup" "$CODEX_BIN" exec \
		    -s workspace-write bench)
	fi
	row "$label" ms "$oc" "$cx"
	check "$label:" "$ocheck" "$ccheck"
}

# The patch row's check: how many of the 1000 lines the patch changed.
changed() {
	grep -c '^LINE' "$repo/big.txt"
}

# 1. One text answer: wall time, then the tree's peak RSS.
row_exec_text() {
	say "exec, one text answer"
	echo '{"turns": [{"items": [{"type": "message", "text": "ok"}],
	    "repeat": 100000}]}' >"$tmp/text.json"
	exec_row "1 exec, one text answer" "$tmp/text.json" "$tmp/text.json" ""
	start_mock "$tmp/text.json"
	oc=$(as_ocodex rss "$OC" exec -s workspace-write bench)
	cx="-|-"
	[ -z "$CODEX_BIN" ] ||
	    cx=$(as_codex rss "$CODEX_BIN" exec -s workspace-write bench)
	row "  peak RSS, sum over the tree" MiB "${oc%%|*}" "${cx%%|*}"
	row "  peak RSS, largest process" MiB "${oc#*|}" "${cx#*|}"
}

# 2. One `true` tool call, then the answer; each tool gets the shell tool
# it offers (ocodex: shell, which runs the argv; Codex 0.171:
# exec_command, which always runs it as `/bin/bash -lc true`).
row_exec_true() {
	say "exec, one true call"
	pairs $((RUNS + 3)) '{"type": "function_call", "name": "shell",
	    "arguments": {"command": ["true"]}}' >"$tmp/true.json"
	pairs $((RUNS + 3)) '{"type": "function_call", "name":
	    "exec_command", "arguments": {"cmd": "true"}}' \
	    >"$tmp/true-codex.json"
	exec_row "2 exec, one true tool call" "$tmp/true.json" \
	    "$tmp/true-codex.json" ""
}

# 3. One sandboxed `true` from each tool's sandbox command.
row_sandbox_true() {
	say "sandboxed true"
	bare=$(timed "$SBX_RUNS" "" /bin/true)
	oc=$(as_ocodex timed "$SBX_RUNS" "" "$OC" debug landlock \
	    -s workspace-write -- /bin/true)
	cx=
	[ -z "$CODEX_BIN" ] ||
	    cx=$(as_codex timed "$SBX_RUNS" "" "$CODEX_BIN" sandbox \
	    -c 'sandbox_mode="workspace-write"' -- /bin/true)
	row "3 sandboxed true (workspace-write)" ms "$oc" "$cx"
	row "  bare /bin/true, for reference" ms "$bare" "${CODEX_BIN:+$bare}" -
	row "  overhead over bare true" ms "$(over "$oc" "$bare")" \
	    "$(over "$cx" "$bare")"
	# The sandbox is really on: a write outside the workspace fails, one
	# inside succeeds.
	probe='touch "$1/escape" 2>/dev/null && echo escaped || echo denied;
	    touch inside && echo writes || echo "cannot write"'
	o=$(as_ocodex "$OC" debug landlock -s workspace-write -- \
	    sh -c "$probe" sh "$tmp" 2>/dev/null | paste -sd ' ')
	c=
	[ -z "$CODEX_BIN" ] || c=$(as_codex "$CODEX_BIN" sandbox \
	    -c 'sandbox_mode="workspace-write"' -- sh -c "$probe" sh "$tmp" \
	    2>/dev/null | paste -sd ' ')
	check "3 outside/inside the workspace:" "$o" "$c"
}

# over "MED MIN MAX" "BARE...": the median minus the bare median.
over() {
	case $1 in
	''|-)	echo - ;;
	*)	echo "$1 ${2:--}" | awk '$4 == "-" { print "-"; next }
		    { printf "%.2f\n", $1 - $4 }' ;;
	esac
}

# 4. 100 MB of output through each sandbox command into a pipe.
row_sandbox_output() {
	say "100 MB through the sandbox"
	gen="head -c $BIGOUT /dev/zero"
	pipe='"$@" | cat'
	bare=$(timed "$RUNS" "" sh -c "$pipe" sh $gen)
	oc=$(as_ocodex timed "$RUNS" "" sh -c "$pipe" sh "$OC" debug landlock \
	    -s workspace-write -- $gen)
	os=$(as_ocodex timed "$RUNS" "" sh -c "$pipe" sh "$OC" debug landlock \
	    -s workspace-write --stream -- $gen)
	cx=
	[ -z "$CODEX_BIN" ] || cx=$(as_codex timed "$RUNS" "" sh -c "$pipe" sh \
	    "$CODEX_BIN" sandbox -c 'sandbox_mode="workspace-write"' -- $gen)
	row "4 100 MB output through the sandbox" ms "$oc" "$cx"
	row "  ocodex --stream (the agent's path)" ms "$os" "$cx"
	row "  bare pipe, for reference" ms "$bare" "${CODEX_BIN:+$bare}" -
	count='"$@" | wc -c'
	o=$(as_ocodex sh -c "$count" sh "$OC" debug landlock \
	    -s workspace-write -- $gen)
	o="$o bytes, --stream $(as_ocodex sh -c "$count" sh "$OC" debug \
	    landlock -s workspace-write --stream -- $gen) bytes"
	c=
	[ -z "$CODEX_BIN" ] || c="$(as_codex sh -c "$count" sh "$CODEX_BIN" \
	    sandbox -c 'sandbox_mode="workspace-write"' -- $gen) bytes"
	check "4 bytes through the sandbox:" "$o" "$c"
}

# 5. apply_patch: 1000 one-line changes, each with two lines of context
# on either side, into a file of 100 000 numbered lines, put back before
# every run.  The same freeform patch for both tools.
row_apply_patch() {
	say "apply_patch, 1000 hunks"
	seq -f 'line %g' 1 100000 >"$tmp/big.orig"
	awk 'BEGIN {
		printf "*** Begin Patch\n*** Update File: big.txt\n"
		for (h = 0; h < 1000; h++) {
			n = h * 100 + 50
			printf "@@\n line %d\n line %d\n-line %d\n", \
			    n - 2, n - 1, n
			printf "+LINE %d changed\n line %d\n line %d\n", \
			    n, n + 1, n + 2
		}
		printf "*** End Patch\n"
	}' >"$tmp/patch.txt"
	input=$(jq -Rs . "$tmp/patch.txt")
	pairs $((RUNS + 3)) '{"type": "custom_tool_call", "name":
	    "apply_patch", "input": '"$input"'}' >"$tmp/patch.json"
	exec_row "5 exec, apply_patch of 1000 hunks" "$tmp/patch.json" \
	    "$tmp/patch.json" "cp $tmp/big.orig $repo/big.txt"
}

# 6. Resume of a 100 000-line rollout in Codex's own format (a
# session_meta line, then user and assistant messages), put back before
# every run, with a short prompt and a short answer.
row_resume() {
	say "resume of a 100 000-line rollout"
	awk -v id="$UUID" -v cwd="$repo" 'BEGIN {
		ts = "2026-11-27T20:00:00.000Z"
		printf "{\"timestamp\":\"%s\",\"type\":\"session_meta\",", ts
		printf "\"payload\":{\"id\":\"%s\",", id
		printf "\"timestamp\":\"%s\",", ts
		printf "\"cwd\":\"%s\",\"originator\":\"codex_exec\",", cwd
		printf "\"cli_version\":\"0.171.0\",\"source\":\"exec\","
		printf "\"model_provider\":\"mock\"}}\n"
		for (i = 1; i < 100000; i++) {
			role = i % 2 ? "user" : "assistant"
			kind = i % 2 ? "input_text" : "output_text"
			printf "{\"timestamp\":\"%s\",", ts
			printf "\"type\":\"response_item\",\"payload\":"
			printf "{\"type\":\"message\",\"role\":\"%s\",", role
			printf "\"content\":[{\"type\":\"%s\",\"text\":", kind
			printf "\"message %d of a long session\"}]}}\n", i
		}
	}' >"$tmp/rollout.orig"
	rel=sessions/2026/11/27/rollout-2026-11-27T20-00-00-$UUID.jsonl
	mkdir -p "$tmp/oc-codex/${rel%/*}" "$tmp/cx-codex/${rel%/*}"
	oput="cp $tmp/rollout.orig $tmp/oc-codex/$rel"
	cput="cp $tmp/rollout.orig $tmp/cx-codex/$rel"
	start_mock "$tmp/text.json" "$tmp/oc.log"
	sh -c "$oput"
	rm -f "$tmp/oc.last"
	as_ocodex "$OC" exec -o "$tmp/oc.last" resume "$UUID" short \
	    >/dev/null 2>&1
	o="answer $(last_message "$tmp/oc.last"), $(items_sent "$tmp/oc.log")"
	start_mock "$tmp/text.json"
	oc=$(as_ocodex timed "$RUNS" "$oput" "$OC" exec resume "$UUID" short)
	cx='' c=''
	if [ -n "$CODEX_BIN" ]; then
		start_mock "$tmp/text.json" "$tmp/cx.log"
		sh -c "$cput"
		rm -f "$tmp/cx.last"
		as_codex "$CODEX_BIN" exec resume -o "$tmp/cx.last" "$UUID" \
		    short >/dev/null 2>&1
		c="answer $(last_message "$tmp/cx.last"), $(items_sent \
		    "$tmp/cx.log")"
		start_mock "$tmp/text.json"
		cx=$(as_codex timed "$RUNS" "$cput" "$CODEX_BIN" exec resume \
		    "$UUID" short)
	fi
	row "6 exec resume, 100 000-line rollout" ms "$oc" "$cx"
	# The mock parses every request body (twice) and keeps it; that is a
	# large share of these figures, so it is shown on its own: the same
	# request, sent by curl.
	mock_share "$tmp/oc.log"
	om=$share
	cm=-
	[ -z "$CODEX_BIN" ] || { mock_share "$tmp/cx.log"; cm=$share; }
	row "  the mock alone, same request (curl)" ms "$om" "$cm"
	row "  resume less the mock's share" ms "$(over "$oc" "$om")" \
	    "$(over "$cx" "$cm")"
	check "6 resumed history:" "$o" "$c"
}

# mock_share LOG: time the first request of LOG sent again by curl, to
# a fresh mock (started here, in the main shell, so that it is stopped).
mock_share() {
	share=-
	command -v curl >/dev/null || return 0
	jq -c -s '.[0].body' "$1" >"$tmp/body.json" 2>/dev/null || return 0
	start_mock "$tmp/text.json"
	share=$(timed "$RUNS" "" curl -sf -o /dev/null \
	    -H 'content-type: application/json' \
	    --data-binary "@$tmp/body.json" "$base_url/responses")
}

# The size of the history sent in the first request of a log.
items_sent() {
	n=$(jq -s '.[0].body.input | length' "$1" 2>/dev/null)
	echo "${n:-no} items sent"
}

# 7. What is on disk: ocodex's four executables as built (with -g) and
# stripped, the peer's binary (shipped stripped), and everything that an
# install puts down.
row_sizes() {
	say "sizes"
	ob=0 os=0
	for p in ocodex ocodex-netproc ocodex-execproc ocodex-ui; do
		ob=$((ob + $(stat -c %s "$top/$p")))
		strip -o "$tmp/stripped" "$top/$p" &&
		    os=$((os + $(stat -c %s "$tmp/stripped")))
	done
	oi=$(du -ck "$top/ocodex" "$top/ocodex-netproc" "$top/ocodex-execproc" \
	    "$top/ocodex-ui" "$top"/man/*.[157] | awk 'END { print $1 }')
	cb='' ci=''
	if [ -n "$CODEX_BIN" ]; then
		cb=$(stat -c %s "$CODEX_BIN")
		ci=$(du -sk "$CODEX_CACHE/codex-$CODEX_VERSION/node_modules" |
		    awk '{ print $1 }')
		cb=$(mib "$cb")
		ci=$(echo "$ci" | awk '{ printf "%.2f\n", $1 / 1024 }')
	fi
	row "7 executables as built" MiB "$(mib $ob)" "$cb"
	row "  executables stripped" MiB "$(mib $os)" "$cb"
	row "  installed size (du)" MiB \
	    "$(echo "$oi" | awk '{ printf "%.2f\n", $1 / 1024 }')" "$ci"
}

mib() {
	echo "$1" | awk '{ printf "%.2f\n", $1 / 1048576 }'
}

print_header() {
	echo "ocodex against Codex CLI $CODEX_VERSION, same mock model," \
	    "same machine, same run"
	echo "machine: $(nproc) cores, $(sed -n 's/^model name[^:]*: //p' \
	    /proc/cpuinfo | head -n 1), $(uname -sr)," \
	    "load $(cut -d' ' -f1-3 /proc/loadavg) at start"
	echo "date:    $(date -u '+%Y-%m-%d %H:%M UTC');" \
	    "$("$OC" -V 2>&1 | head -n 1) (commit $(git -C "$top" rev-parse \
	    --short HEAD 2>/dev/null || echo '?'));" \
	    "codex: ${CODEX_BIN:+$("$CODEX_BIN" --version 2>/dev/null)}$(
	    [ -z "$codex_why" ] || echo "not measured, $codex_why")"
	echo "figures: median (min-max) of $RUNS runs, $SBX_RUNS for row 3;" \
	    "RSS: 3 traced runs, sum of each process's VmHWM"
	echo
}

# The table: numbers under 10 with two decimals, under 100 with one.
print_table() {
	awk -F'|' '
	function f(x) {
		if (x == "-" || x == "")
			return x
		if (x < 10)
			return sprintf("%.2f", x)
		if (x < 100)
			return sprintf("%.1f", x)
		return sprintf("%.0f", x)
	}
	function cell(s, unit,   a, n) {
		n = split(s, a, " ")
		if (n == 0 || a[1] == "-")
			return "-"
		if (n == 1)
			return f(a[1]) " " unit
		s = f(a[1]) " (" f(a[2]) "-" f(a[3]) ") " unit
		if (n >= 4)
			s = s ", " a[4] " procs"
		return s
	}
	BEGIN {
		fmt = "%-37s %-30s %-30s %s\n"
		printf fmt, "row", "ocodex median (min-max)",
		    "codex median (min-max)", "ocodex/codex"
	}
	{
		split($3, o, " ")
		split($4, c, " ")
		r = "-"
		if ($5 == "-")
			r = ""
		else if (o[1] != "-" && c[1] != "-" && c[1] + 0 > 0)
			r = sprintf("%.3g", o[1] / c[1])
		printf fmt, $1, cell($3, $2), cell($4, $2), r
	}' "$tmp/results"
	echo
	echo "checks (one logged run per row before the timed runs):"
	cat "$tmp/checks"
}

say "ocodex $("$OC" -V 2>&1 | head -n 1);" \
    "codex ${CODEX_BIN:+$("$CODEX_BIN" --version 2>/dev/null)}${codex_why}"
: >"$tmp/results"
: >"$tmp/checks"
make_catalog
print_header >"$tmp/header"
row_exec_text
row_exec_true
row_sandbox_true
row_sandbox_output
row_apply_patch
row_resume
row_sizes
stop_mock
cat "$tmp/header"
print_table
