#!/bin/sh
# The process tree: start-up and shutdown leave nothing behind, the death
# of any helper stops the whole tree with a message naming it, a protocol
# version mismatch is fatal, and ocodex refuses to run unconfined unless
# told to.
. regress/lib.sh

plan 31

# start_tree [ARGS]: run `ocodex ARGS debug tree` in the background until
# its table is printed; sets pid, out, err and the helpers' pids.
start_tree() {
	out="$tmp/tree.out"
	err="$tmp/tree.err"
	: >"$out"
	./ocodex "$@" debug tree >"$out" 2>"$err" &
	pid=$!
	wait_for "$out" '^ui ' || return 1
	netpid=$(awk '$1 == "netproc" { print $2 }' "$out")
	execpid=$(awk '$1 == "execproc" { print $2 }' "$out")
	uipid=$(awk '$1 == "ui" { print $2 }' "$out")
}

# stop_tree SIGNAL: signal the parent, then collect its exit status.
stop_tree() {
	kill -s "$1" "$pid"
	wait "$pid"
	rc=$?
}

# The tree itself: its processes, their shutdown and deaths, and a
# helper from another release.  Its execproc needs a user namespace (see
# have_userns), which a sandbox may deny; the rest below runs anyway.
tree_tests() {
	start_tree
	check "tree starts and prints every process" \
	    [ -n "$netpid" -a -n "$execpid" -a -n "$uipid" ]
	abi=$(awk '$1 == "netproc" { print $3 }' "$out")
	diag "Landlock ABI reported by netproc: $abi"
	check "Landlock ABI reported (>= 1)" [ "${abi:-0}" -ge 1 ]
	check "every helper is confined" \
	    [ "$(awk 'NR > 1 && $4 == "yes"' "$out" | wc -l)" -eq 4 ]
	check "helpers are children of the parent" \
	    [ "$(awk '/^PPid:/ { print $2 }' /proc/$netpid/status)" = "$pid" ]
	# Beyond 0-3 a helper holds only what libevent made itself (epoll, pipe).
	fds_clean() {
		for l in /proc/$1/fd/*; do
			t=$(readlink "$l") || return 1
			case ${l##*/}:$t in
			[012]:/dev/null|3:socket:*) ;;
			[0-9]*:anon_inode:*|[0-9]*:pipe:*) [ "${l##*/}" -gt 3 ] || return 1 ;;
			*) echo "# unexpected descriptor ${l##*/} -> $t"; return 1 ;;
			esac
		done
	}
	check "a helper inherits only /dev/null and its channel" fds_clean "$uipid"
	check "a helper's environment is empty" \
	    [ -z "$(tr -d '\0' <"/proc/$execpid/environ")" ]
	check "netproc is not dumpable" \
	    sh -c "! cat /proc/$netpid/environ >/dev/null 2>&1 || [ \$(id -u) -eq 0 ]"
	check "seccomp filter on in netproc" \
	    grep -q '^Seccomp:[[:space:]]*2' "/proc/$netpid/status"
	check "no capabilities in ui" \
	    grep -q '^CapEff:[[:space:]]*0000000000000000' "/proc/$uipid/status"
	stop_tree TERM
	check "SIGTERM: parent exits 143 (got $rc)" [ "$rc" -eq 143 ]
	check "SIGTERM: no process left behind" \
	    wait_gone "$netpid" "$execpid" "$uipid"

	start_tree
	stop_tree INT
	check "SIGINT: parent exits 130 (got $rc)" [ "$rc" -eq 130 ]
	check "SIGINT: no process left behind" \
	    wait_gone "$netpid" "$execpid" "$uipid"

	for victim in netproc execproc ui; do
		start_tree
		case $victim in
		netproc) vpid=$netpid ;;
		execproc) vpid=$execpid ;;
		ui) vpid=$uipid ;;
		esac
		kill -KILL "$vpid"
		wait "$pid"
		rc=$?
		check "$victim killed: parent exits non-zero (got $rc)" [ "$rc" -ne 0 ]
		check "$victim killed: message names it and the signal" \
		    grep -q "$victim (pid $vpid) was killed by signal 9 (SIGKILL)" \
		    "$err"
		check "$victim killed: no process left behind" \
		    wait_gone "$netpid" "$execpid" "$uipid"
	done

	start_tree
	kill -KILL "$pid"
	wait "$pid" 2>/dev/null
	check "parent killed: every helper dies with it" \
	    wait_gone "$netpid" "$execpid" "$uipid"

	# A helper from another release: the parent refuses it.
	mkdir "$tmp/bin"
	cp ocodex ocodex-netproc ocodex-execproc "$tmp/bin/"
	cp regress/privsep/wrongver "$tmp/bin/ocodex-ui"
	"$tmp/bin/ocodex" debug tree >"$tmp/v.out" 2>"$tmp/v.err"
	rc=$?
	check "version mismatch: parent exits 1 (got $rc)" [ "$rc" -eq 1 ]
	check "version mismatch: message says so" grep -q \
	    "protocol version mismatch: ui speaks version [0-9]*, ocodex speaks version [0-9]*" \
	    "$tmp/v.err"
}

if have_userns; then
	tree_tests
else
	for i in $(seq 25); do
		skip "ocodex debug tree: no user namespace here (unshare -U -m fails), which its execproc needs"
	done
fi

# A parent from another release: the helper refuses it.
regress/privsep/wrongver -p ./ocodex-ui >"$tmp/w.out" 2>&1
check "version mismatch seen by a helper: it exits 1" \
    grep -q '^exit 1$' "$tmp/w.out"
check "version mismatch seen by a helper: it logs why" \
    grep -q 'protocol version mismatch: ocodex speaks version [0-9]*, ui speaks' "$tmp/w.out"

# Fail closed on a kernel without Landlock.
regress/privsep/nolandlock ./ocodex debug tree >"$tmp/n.out" 2>"$tmp/n.err"
rc=$?
check "no Landlock: refuses to run (exit $rc)" [ "$rc" -eq 1 ]
check "no Landlock: says why and names --no-confinement" \
    grep -q 'no Landlock.*--no-confinement' "$tmp/n.err"
start_tree_nl() {
	out="$tmp/tree.out"
	: >"$out"
	regress/privsep/nolandlock ./ocodex --no-confinement debug tree \
	    >"$out" 2>"$tmp/nl.err" &
	pid=$!
	wait_for "$out" '^ui '
}
start_tree_nl
check "--no-confinement: runs and reports itself unconfined" \
    [ "$(awk 'NR > 1 && $4 == "no"' "$out" | wc -l)" -eq 4 ]
check "--no-confinement: warns loudly" grep -q 'WITHOUT Landlock' "$tmp/nl.err"
kill -TERM "$pid"
wait "$pid"
exit 0
