#!/bin/sh
# A compromised netproc: regress/privsep/hostile takes its place, says a
# correct hello and then breaks the protocol in one way per run.  Each
# time the parent must stop the whole tree within seconds, exit 1 naming
# netproc and the fault, die of no signal itself, leave no process
# behind, and print no control character that reaches the terminal.
# Commands run unsandboxed (-s danger-full-access): no command ever
# runs, and so the test also runs inside ocodex's own sandbox, where no
# user namespace can be made.
. regress/lib.sh

modes="type hello role frame chunk json big escape"
plan $((8 * 4 + 3))

mkdir "$tmp/bin" "$tmp/repo"
cp ocodex ocodex-execproc ocodex-ui "$tmp/bin/"
cp regress/privsep/hostile "$tmp/bin/ocodex-netproc"
mkdir -p "$CODEX_HOME"
git -C "$tmp/repo" init -q

# What the parent must say for each mode.
want() {
	case $1 in
	type|escape)	echo 'netproc: unexpected message type' ;;
	hello)		echo 'netproc: second hello' ;;
	role)		echo 'channel to netproc: the other end says it is ui' ;;
	frame)		echo 'netproc (pid [0-9]*): malformed message' ;;
	chunk)		echo 'netproc: malformed chunk' ;;
	json)		echo 'netproc' ;;
	big)		echo 'netproc: message type [0-9]* over 67108864 bytes' ;;
	esac
}

# none_left: no process runs one of the executables under $tmp/bin.
none_left() {
	sleep 0.2
	for p in /proc/[0-9]*; do
		case $(readlink "$p/exe" 2>/dev/null) in
		"$tmp/bin/"*) return 1 ;;
		esac
	done
	return 0
}

for m in $modes; do
	echo "$m" >"$tmp/bin/hostile.mode"
	(cd "$tmp/repo" && OPENAI_API_KEY=sk-x timeout 30 "$tmp/bin/ocodex" \
	    exec -s danger-full-access "hello" >"$tmp/$m.out" 2>"$tmp/$m.err")
	rc=$?
	check "$m: the parent exits 1 (rc $rc)" [ "$rc" -eq 1 ]
	checkd "$tmp/$m.err" "$m: it names netproc and the fault" \
	    grep -q "$(want "$m")" "$tmp/$m.err"
	check "$m: no control character on stderr" sh -c \
	    "! LC_ALL=C grep -q '[[:cntrl:]]' '$tmp/$m.err'"
	check "$m: nothing of the tree is left" none_left
done
# The escape mode's records arrive, made visible.
check "escape: the records are printed" \
    grep -q 'netproc: title\\033\]0;pwned\\a clear\\033\[2J' "$tmp/escape.err"
check "escape: a carriage return cannot overwrite the line" \
    grep -q 'spoof\\rocodex: all is well' "$tmp/escape.err"
check "escape: C1 and backspace are shown, not obeyed" \
    grep -q '31m\\b\\b' "$tmp/escape.err"
