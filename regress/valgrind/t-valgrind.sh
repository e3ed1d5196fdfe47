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
# One whole `ocodex exec` session (a shell command, an apply_patch, a
# final answer) against the mock model with all four processes -- ocodex,
# ocodex-netproc, ocodex-execproc, ocodex-ui -- and the sandboxed child
# that applies the patch running under valgrind's memcheck.  Every log
# must be free of invalid reads and writes, uses of uninitialised values,
# invalid or mismatched frees, and definitely or indirectly lost memory.
# Memory still reachable at exit is fine: a process that ends through
# exit() or fatal() need not free what its globals hold.
#
# How the helpers come to run under valgrind: the parent starts them with
# fexecve(), which glibc 2.36 turns into execveat(fd, "", ...,
# AT_EMPTY_PATH).  valgrind 3.19 wraps execveat and follows it with
# --trace-children=yes, finding the program's path from the descriptor, so
# each helper's log names it and the product needs no way of its own to
# be traced.  Programs outside the tree (the model's `ls`, git) are left
# out with --trace-children-skip: they are not ours, and would only cost
# time.  Forked children get a log of their own through %p.
#
# This run checks memory, NOT confinement: it passes --no-confinement
# (opts.noconfine; the helpers get -n).  valgrind 3.19, the version in
# Debian 12, has no wrappers for landlock_create_ruleset, landlock_add_rule
# and landlock_restrict_self (444-446), nor for seccomp(2) (317) or openat2
# (437): under it they fail with ENOSYS, so ocodex, which fails closed,
# refuses to start without Landlock.  Keeping confinement on would take a
# second confinement mode in the product, only for valgrind: skip Landlock
# when RUNNING_ON_VALGRIND, install the seccomp filter through prctl(2),
# and widen the allow-list for valgrind's own system calls (its mmap of
# executable translations, the rt_sigprocmask around each client call,
# writes to its log, reads of its files and of our debug information),
# which a filter cannot tell from the client's.  That is neither small nor
# free of risk, and confinement is tested where it is real, by
# regress/sandbox, regress/pledge and regress/privsep.  (openat2 is not
# lost: the patch code falls back to its component walk on ENOSYS.)
#
# OCODEX may name another build of ocodex; its helpers are found beside
# it.  Set VALGRIND_KEEP to a directory to create and keep the logs in.

. regress/lib.sh
need_loopback
command -v valgrind >/dev/null 2>&1 || skip_all "valgrind is not installed"
asan_build && skip_all "an ASan build (SANITIZE=1): valgrind cannot run AddressSanitizer binaries"
valgrind -q --error-exitcode=1 true >/dev/null 2>&1 ||
    skip_all "valgrind cannot run here"
OCODEX=${OCODEX:-$top/ocodex}
[ -x "$OCODEX" ] || skip_all "$OCODEX is not built"
. regress/exec/lib-exec.sh

plan 21

progs="ocodex ocodex-netproc ocodex-execproc ocodex-ui"
vg="$tmp/vg"
mkdir -p "$vg"
new_repo "$tmp/repo"
start_mock regress/exec/session.json

# --error-exitcode makes the parent's own errors fail the session as
# well; the helpers' show only in their logs, which are read below.
start=$(date +%s)
(cd "$tmp/repo" && valgrind --trace-children=yes \
    --trace-children-skip='/bin/*,/sbin/*,/usr/bin/*,/usr/sbin/*,/usr/lib/git-core/*' \
    --leak-check=full --show-leak-kinds=definite,indirect \
    --errors-for-leak-kinds=definite,indirect --error-exitcode=97 \
    --track-origins=yes --num-callers=30 --log-file="$vg/vg.%p" \
    "$OCODEX" --no-confinement exec -c model_provider=mock \
    -c "model_providers.mock.base_url=\"$base_url\"" \
    -c 'model_providers.mock.env_key="MOCK_API_KEY"' \
    -c 'model_providers.mock.name="mock"' -m mock-model \
    --json --full-auto -o "$tmp/last.txt" "list and create hello" \
    >"$tmp/out.jsonl" 2>"$tmp/err.txt")
rc=$?
stop_mock
diag "the session took $(($(date +%s) - start)) s under valgrind"
[ -z "${VALGRIND_KEEP:-}" ] || cp -R "$vg" "$VALGRIND_KEEP" ||
    diag "cannot keep the logs in $VALGRIND_KEEP"

check "the session exits 0 under valgrind (rc $rc)" [ "$rc" -eq 0 ]
[ "$rc" -eq 0 ] || sed 's/^/# /' "$tmp/err.txt" | head -20
check "the command ran and its output was sent to the model" sh -c \
    "sed -n 2p '$tmp/log.jsonl' | grep -q 'function_call_output.*Exit code: 0'"
check "the patch created hello.txt and the final answer came back" sh -c \
    "grep -qx 'Hello from the mock model.' '$tmp/repo/hello.txt' &&
    grep -qx 'Done: listed the repo and created hello.txt.' '$tmp/last.txt'"

# logs_of PROG: the logs of the processes valgrind started as PROG, the
# forked children of such a process included.
logs_of() {
	for _f in "$vg"/vg.*; do
		[ -f "$_f" ] || continue
		_c=$(sed -n 's/^==[0-9]*== Command: \([^ ]*\).*/\1/p' "$_f" |
		    head -n 1)
		[ "${_c##*/}" = "$1" ] && echo "$_f"
	done
}

# complete PROG: true when a log of PROG ends with valgrind's summary,
# which it writes only when the process exits rather than being killed.
complete() {
	for _f in $(logs_of "$1"); do
		grep -q 'ERROR SUMMARY:' "$_f" && return 0
	done
	return 1
}

# clean PROG WHAT REGEX: no log of PROG has a line matching REGEX; the
# first offending lines become TAP comments.
clean() {
	_l=$(logs_of "$1")
	if [ -n "$_l" ] && ! grep -Eq -- "$3" $_l; then
		ok "$1: no $2"
		return
	fi
	notok "$1: no $2"
	[ -n "$_l" ] || { diag "no log of $1"; return; }
	grep -E -A 12 -- "$3" $_l | head -n 40 | sed 's/^/# /'
}

for p in $progs; do
	check "$p ran under valgrind and its log is complete" complete "$p"
done
for p in $progs; do
	clean "$p" "invalid reads or writes, invalid or mismatched frees, or overlapping copies" \
	    'Invalid (read|write) of size|Invalid free|Mismatched free|Source and destination overlap|has a fishy value'
	clean "$p" "use of uninitialised values" 'uninitialised'
	clean "$p" "definitely or indirectly lost memory" \
	    '(definitely|indirectly) lost( in loss record|: [1-9])'
done

# The patch is parsed and applied in a forked child of execproc; its log
# must be complete too, or nothing above said anything about that code.
n=0
for f in $(logs_of ocodex-execproc); do
	grep -q 'ERROR SUMMARY:' "$f" && n=$((n + 1))
done
check "execproc's apply_patch child was checked as well ($n complete logs)" \
    [ "$n" -ge 2 ]
bad=
for f in "$vg"/vg.*; do
	[ -f "$f" ] && grep -q 'ERROR SUMMARY:' "$f" || continue
	grep -q 'ERROR SUMMARY: 0 errors' "$f" || bad="$bad $f"
done
check "valgrind counted no error of any kind in any log" [ -z "$bad" ]
for f in $bad; do
	grep 'ERROR SUMMARY' "$f" | sed 's/^/# /'
done
exit 0
