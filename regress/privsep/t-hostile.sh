#!/bin/sh
# A compromised netproc, then execproc: regress/privsep/hostile takes its
# place, says a correct hello and then breaks the protocol in one way per
# run.  Each time the parent must stop the whole tree within seconds,
# exit 1 naming the helper and the fault, die of no signal itself, leave no process
# behind, and print no control character that reaches the terminal.
# Commands run unsandboxed (-s danger-full-access): no command ever
# runs, and so the test also runs inside ocodex's own sandbox, where no
# user namespace can be made.
. regress/lib.sh

modes="type hello role frame chunk json big escape"
xmodes="type frame length output"
plan $((8 * 4 + 3 + 4 * 4))

mkdir "$tmp/bin" "$tmp/xbin" "$tmp/repo"
cp ocodex ocodex-execproc ocodex-ui "$tmp/bin/"
cp regress/privsep/hostile "$tmp/bin/ocodex-netproc"
cp ocodex ocodex-netproc ocodex-ui "$tmp/xbin/"
cp regress/privsep/hostile "$tmp/xbin/ocodex-execproc"
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
	xtype)		echo 'execproc: unexpected message type' ;;
	xframe)		echo 'execproc (pid [0-9]*): malformed message' ;;
	xlength)	echo 'execproc: message type [0-9]* has length 1' ;;
	xoutput)	echo 'execproc: malformed output' ;;
	esac
}

# none_left: no process runs one of the executables under $tmp.
none_left() {
	sleep 0.2
	for p in /proc/[0-9]*; do
		case $(readlink "$p/exe" 2>/dev/null) in
		"$tmp/"*) return 1 ;;
		esac
	done
	return 0
}

# attack DIR NAME MODE: one exec session with DIR's hostile helper.
attack() {
	echo "$3" >"$1/hostile.mode"
	(cd "$tmp/repo" && OPENAI_API_KEY=sk-x timeout 30 "$1/ocodex" \
	    exec -s danger-full-access "hello" >"$tmp/$2.out" 2>"$tmp/$2.err")
	rc=$?
	check "$2: the parent exits 1 (rc $rc)" [ "$rc" -eq 1 ]
	checkd "$tmp/$2.err" "$2: it names the helper and the fault" \
	    grep -q "$(want "$2")" "$tmp/$2.err"
	check "$2: no control character on stderr" sh -c \
	    "! LC_ALL=C grep -q '[[:cntrl:]]' '$tmp/$2.err'"
	check "$2: nothing of the tree is left" none_left
}

for m in $modes; do
	attack "$tmp/bin" "$m" "$m"
done
for m in $xmodes; do
	attack "$tmp/xbin" "x$m" "$m"
done
# The escape mode's records arrive, made visible.
check "escape: the records are printed" \
    grep -q 'netproc: title\\033\]0;pwned\\a clear\\033\[2J' "$tmp/escape.err"
check "escape: a carriage return cannot overwrite the line" \
    grep -q 'spoof\\rocodex: all is well' "$tmp/escape.err"
check "escape: C1 and backspace are shown, not obeyed" \
    grep -q '31m\\b\\b' "$tmp/escape.err"
