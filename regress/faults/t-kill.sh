#!/bin/sh
# Killed processes mid-turn.  For each helper of `ocodex exec` (netproc
# while the model's stream stalls, execproc while a command runs, ui
# while a command runs): SIGKILL it, and the parent exits non-zero within
# a few seconds naming it, leaves no process behind, leaves an intact
# rollout, and `exec resume --last` continues the session.  Then the
# interactive front end under tmux loses its ui and the terminal is left
# usable, and a parent killed with SIGKILL takes its helpers and the
# sandboxed command with it.
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
. regress/exec/lib-exec.sh

NTUI=4
plan $((3 * 9 + NTUI + 4))

sock="ocodex-kill-$$"
tm() { tmux -L "$sock" "$@"; }
trap 'tm kill-server 2>/dev/null; stop_mock; rm -rf "$tmp"' EXIT

repo="$tmp/repo"
new_repo "$repo"

# start_exec NAME PROMPT: `ocodex exec --full-auto PROMPT` in the
# background against the mock, as the direct child of this shell (so $!
# is ocodex itself); sets xpid.  Output goes to $tmp/NAME.out and .err.
start_exec() {
	(cd "$repo" && exec "$top/ocodex" exec -c model_provider=mock \
	    -c "model_providers.mock.base_url=\"$base_url\"" \
	    -c 'model_providers.mock.env_key="MOCK_API_KEY"' \
	    -c 'model_providers.mock.name="mock"' --full-auto "$2" \
	    </dev/null >"$tmp/$1.out" 2>"$tmp/$1.err") &
	xpid=$!
}

# helper_pid PARENT NAME: the child of PARENT running ocodex-NAME.
helper_pid() {
	for _c in $(cat /proc/"$1"/task/*/children 2>/dev/null); do
		[ "$(cat /proc/"$_c"/comm 2>/dev/null)" = "ocodex-$2" ] &&
		    echo "$_c" && return 0
	done
	return 1
}

# wait_until TENTHS COMMAND...: poll until COMMAND succeeds.
wait_until() {
	_n=0
	_max=$1
	shift
	until "$@"; do
		_n=$((_n + 1))
		[ "$_n" -gt "$_max" ] && return 1
		sleep 0.1
	done
	return 0
}

# reaped_within TENTHS PID: wait for our child PID to end; sets rc and
# secs (tenths of a second it took).  False if it is still running.
reaped_within() {
	secs=0
	while alive "$2"; do
		secs=$((secs + 1))
		[ "$secs" -gt "$1" ] && return 1
		sleep 0.1
	done
	wait "$2"
	rc=$?
	return 0
}

# rollout_ok HOME PROMPT: the one rollout under HOME/sessions is whole:
# every line is a JSON object, session_meta comes first, and the
# user_message PROMPT is there.
rollout_ok() {
	python3 - "$1" "$2" <<'EOF'
import glob, json, sys
fs = glob.glob(sys.argv[1] + "/sessions/*/*/*/rollout-*.jsonl")
if len(fs) != 1:
    print("# rollouts: %r" % fs)
    sys.exit(1)
data = open(fs[0], "rb").read()
if not data.endswith(b"\n"):
    print("# the last line is not terminated")
    sys.exit(1)
L = []
for n, l in enumerate(data.split(b"\n")[:-1]):
    try:
        L.append(json.loads(l))
    except ValueError:
        print("# line %d is not JSON: %r" % (n + 1, l[:80]))
        sys.exit(1)
if not L or L[0].get("type") != "session_meta":
    print("# first line: %r" % (L[0] if L else None))
    sys.exit(1)
if not any(x.get("type") == "event_msg" and
           x["payload"].get("type") == "user_message" and
           x["payload"].get("message") == sys.argv[2] for x in L):
    print("# no user_message %r" % sys.argv[2])
    sys.exit(1)
EOF
}

# all_gone "PID PID PID": the three helpers were all found, and are all
# gone within 5 s.
all_gone() {
	[ "$(echo $1 | wc -w)" -eq 3 ] && wait_gone $1
}

# gone MARKER: no live process has the argument MARKER.
gone() { [ -z "$(marker_pids "$1")" ]; }

# tmp_procs: live processes other than the mock whose command line
# mentions this test's directory (execproc has it in its -C argument).
tmp_procs() {
	for _d in /proc/[0-9]*; do
		_p=${_d#/proc/}
		[ "$_p" = "$mockpid" ] && continue
		{ tr '\0' ' ' <"$_d/cmdline" | grep -qF "$tmp/"; } \
		    2>/dev/null || continue
		alive "$_p" && echo "$_p"
	done
}

# kill_helper VICTIM: a session whose turn stalls (the model's stream
# for netproc, a sandboxed `sleep` for the others), VICTIM killed with
# SIGKILL mid-turn, and the checks that follow.
kill_helper() {
	victim=$1
	case $victim in
	netproc)	marker="31.$$"0 ;;
	execproc)	marker="31.$$"1 ;;
	*)		marker="31.$$"2 ;;
	esac
	export CODEX_HOME="$tmp/home-$victim"
	mkdir -p "$CODEX_HOME"
	prompt="stall for $victim"
	if [ "$victim" = netproc ]; then
		turn='{"fault": {"stall_ms": 30000},
		    "items": [{"type": "message", "text": "never seen"}]}'
	else
		turn='{"items": [{"type": "function_call", "name": "shell",
		    "call_id": "call_sleep",
		    "arguments": {"command": ["sleep", "'"$marker"'"]}}]}'
	fi
	mock_json '{"turns": ['"$turn"', {"items": [{"type": "message",
	    "text": "Resumed after '"$victim"'."}]}]}'
	start_exec "$victim" "$prompt"
	if [ "$victim" = netproc ]; then
		wait_until 100 sh -c "[ \$(wc -l <'$tmp/log.jsonl' 2>/dev/null || echo 0) -ge 1 ]"
		sleep 0.3
	else
		wait_until 100 sh -c "pgrep -fx 'sleep $marker' >/dev/null"
	fi
	vpid=$(helper_pid "$xpid" "$victim")
	helpers="$(helper_pid "$xpid" netproc) $(helper_pid "$xpid" execproc) $(helper_pid "$xpid" ui)"
	check "$victim: found mid-turn (pid ${vpid:-none})" [ -n "$vpid" ]
	[ -n "$vpid" ] && kill -KILL "$vpid"
	if reaped_within 50 "$xpid"; then
		check "$victim killed: parent exits non-zero within 5 s (rc $rc, $secs tenths)" \
		    [ "$rc" -ne 0 ]
	else
		notok "$victim killed: parent still running after 5 s"
		kill -KILL "$xpid" 2>/dev/null
		wait "$xpid" 2>/dev/null
	fi
	checkd "$tmp/$victim.err" "$victim killed: stderr names it and the signal" \
	    grep -q "$victim (pid $vpid) was killed by signal 9" "$tmp/$victim.err"
	check "$victim killed: no helper is left" all_gone "$helpers"
	check "$victim killed: no sandboxed command is left" \
	    wait_until 50 gone "$marker"
	check "$victim killed: nothing else of the session is left" \
	    [ -z "$(tmp_procs)" ]
	check "$victim killed: the rollout is intact" \
	    rollout_ok "$CODEX_HOME" "$prompt"
	(cd "$repo" && "$top/ocodex" exec -c model_provider=mock \
	    -c "model_providers.mock.base_url=\"$base_url\"" \
	    -c 'model_providers.mock.env_key="MOCK_API_KEY"' \
	    -c 'model_providers.mock.name="mock"' --full-auto \
	    resume --last "go on" </dev/null >"$tmp/$victim.rout" \
	    2>"$tmp/$victim.rerr")
	rc=$?
	checkd "$tmp/$victim.rerr" \
	    "$victim killed: exec resume --last runs a new turn (rc $rc)" \
	    sh -c "[ $rc -eq 0 ] && grep -q 'Resumed after $victim' '$tmp/$victim.rout'"
	# After a command started, the call is history too.
	expr='"'"$prompt"'" in json.dumps(b) and "go on" in json.dumps(b)'
	[ "$victim" = netproc ] || expr="$expr"' and any(i.get("call_id") ==
	    "call_sleep" and i["type"] == "function_call" for i in b["input"])'
	check "$victim killed: the resumed request carries the earlier turn" \
	    reqpy 2 "$expr"
	stop_mock
}

for v in netproc execproc ui; do
	kill_helper "$v"
done

# tui_clean HELPERS MARKER: the three helpers were found and are gone,
# and so is the command.
tui_clean() {
	all_gone "$1" && wait_until 50 gone "$2"
}

# The interactive front end in tmux loses its ui mid-turn.  The command
# runs from a shell in the pane, which records the exit status and the
# terminal's modes once ocodex is gone.
tui_kill() {
	export CODEX_HOME="$tmp/home-tui"
	mkdir -p "$CODEX_HOME"
	marker="32.$$"
	mock_json '{"turns": [{"items": [{"type": "function_call",
	    "name": "shell", "call_id": "call_sleep",
	    "arguments": {"command": ["sleep", "'"$marker"'"]}}]}]}'
	cat >"$tmp/tui.sh" <<EOF
cd "$repo" || exit 1
echo \$\$ >"$tmp/tui.shpid"
"$top/ocodex" --full-auto -c model_provider=mock \
    -c 'model_providers.mock.base_url="$base_url"' \
    -c 'model_providers.mock.env_key="MOCK_API_KEY"' \
    -c 'model_providers.mock.name="mock"' 2>"$tmp/tui.err"
echo "EXITED \$?" >"$tmp/tui.exit.tmp"
stty -a >"$tmp/tui.stty" 2>&1
mv "$tmp/tui.exit.tmp" "$tmp/tui.exit"
sleep 60
EOF
	tm new-session -d -x 100 -y 30 "MOCK_API_KEY=$MOCK_API_KEY HOME=$HOME CODEX_HOME=$CODEX_HOME COLORTERM= sh $tmp/tui.sh"
	n=0
	while ! tm capture-pane -p | grep -q 'full-auto\|workspace-write' &&
	    [ $n -lt 50 ]; do
		sleep 0.1
		n=$((n + 1))
	done
	tm send-keys "sleep please" Enter
	wait_until 100 sh -c "pgrep -fx 'sleep $marker' >/dev/null"
	shpid=$(cat "$tmp/tui.shpid" 2>/dev/null)
	opid=
	for c in $(cat /proc/"$shpid"/task/*/children 2>/dev/null); do
		[ "$(cat /proc/"$c"/comm)" = ocodex ] && opid=$c
	done
	vpid=$(helper_pid "$opid" ui)
	helpers="$(helper_pid "$opid" netproc) $(helper_pid "$opid" execproc) $vpid"
	[ -n "$vpid" ] && kill -KILL "$vpid"
	wait_until 50 test -s "$tmp/tui.exit"
	check "tui: ui killed, the parent exits non-zero ($(cat "$tmp/tui.exit" 2>/dev/null))" \
	    sh -c "[ -n '$vpid' ] && grep -q '^EXITED [1-9]' '$tmp/tui.exit'"
	check "tui: ui killed, stderr names it" \
	    grep -q "ui (pid $vpid) was killed by signal 9" "$tmp/tui.err"
	checkd "$tmp/tui.stty" \
	    "tui: the terminal is restored (icanon and echo on)" sh -c \
	    "grep -Eq '(^| )icanon( |\$)' '$tmp/tui.stty' &&
	    grep -Eq '(^| )echo( |\$)' '$tmp/tui.stty'"
	check "tui: no helper and no command is left" \
	    tui_clean "$helpers" "$marker"
	tm kill-server 2>/dev/null
	stop_mock
}

if ! command -v tmux >/dev/null 2>&1; then
	i=0
	while [ $i -lt $NTUI ]; do
		skip "no tmux"
		i=$((i + 1))
	done
else
	tui_kill
fi

# The parent itself killed with SIGKILL during a command: its helpers
# and the command die of its death (PR_SET_PDEATHSIG, or the channel
# closing), within a few seconds.
export CODEX_HOME="$tmp/home-parent"
mkdir -p "$CODEX_HOME"
marker="33.$$"
mock_json '{"turns": [{"items": [{"type": "function_call", "name": "shell",
    "call_id": "call_sleep",
    "arguments": {"command": ["sleep", "'"$marker"'"]}}]}]}'
start_exec parent "parent dies"
wait_until 100 sh -c "pgrep -fx 'sleep $marker' >/dev/null"
helpers="$(helper_pid "$xpid" netproc) $(helper_pid "$xpid" execproc) $(helper_pid "$xpid" ui)"
check "parent: three helpers and the command run ($(echo $helpers))" \
    sh -c "[ $(echo $helpers | wc -w) -eq 3 ] && [ -n \"\$(pgrep -fx 'sleep $marker')\" ]"
kill -KILL "$xpid"
wait "$xpid" 2>/dev/null
check "parent killed: every helper dies with it" all_gone "$helpers"
check "parent killed: the sandboxed command dies too" \
    wait_until 50 gone "$marker"
check "parent killed: nothing else of the session is left" \
    [ -z "$(tmp_procs)" ]
stop_mock
exit 0
