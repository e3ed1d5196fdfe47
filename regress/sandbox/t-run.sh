#!/bin/sh
# Running commands: exit status passes through (128+signal, 124 on a
# timeout that kills the whole process group), standard descriptors are
# passed or streamed, 100 MB of streamed output arrives complete and in
# order, nothing is printed of our own without -v, denials are guessed.
. regress/lib.sh
need_userns

cd "$tmp" || exit 1
unset TMPDIR
sb() { "$top/ocodex" debug landlock -s workspace-write "$@"; }

plan 18

sb -- sh -c 'exit 7'
check "exit status passes through" [ $? -eq 7 ]
sb -- sh -c 'kill -TERM $$'
check "death by a signal is 128+signal" [ $? -eq 143 ]
sb -- /nonexistent/command 2>/dev/null
check "a missing command exits 127" [ $? -eq 127 ]
sb --timeout 300 -- sh -c "sleep 30 & echo \$! >$tmp/gc; sleep 30"
rc=$?
check "a timeout exits 124 (got $rc)" [ "$rc" -eq 124 ]
check "a timeout kills the grandchildren too" wait_gone "$(cat "$tmp/gc")"
sb --stream --timeout 300 -- sh -c "sleep 30 & echo \$! >$tmp/gc2; sleep 30"
rc=$?
check "streamed: a timeout exits 124 (got $rc)" [ "$rc" -eq 124 ]
check "streamed: grandchildren killed" wait_gone "$(cat "$tmp/gc2")"
sb -- sh -c "sleep 30 & echo \$! >$tmp/gc3"
check "a command's leftover processes die when it ends" \
    wait_gone "$(cat "$tmp/gc3")"
out=$(echo passed | sb -- cat)
check "standard input is passed to the command" [ "$out" = passed ]
out=$(echo passed | sb --stream -- cat)
check "streamed: standard input is /dev/null" [ -z "$out" ]
sb --stream -- sh -c 'echo out; echo err >&2' >"$tmp/o" 2>"$tmp/e"
check "streamed: stdout and stderr stay apart" \
    sh -c "[ \"\$(cat $tmp/o)\" = out ] && [ \"\$(cat $tmp/e)\" = err ]"
sb -- true >"$tmp/o" 2>&1
check "nothing of our own is printed without -v" [ ! -s "$tmp/o" ]
sb -v -- sh -c 'kill -SYS $$' 2>"$tmp/e"
check "-v reports death by SIGSYS as a likely sandbox denial" \
    grep -q 'sandbox denial' "$tmp/e"
sb -v --stream -- sh -c 'echo "x: Permission denied" >&2; exit 1' \
    2>"$tmp/e"
check "streamed: the denial is guessed from the output" \
    grep -q 'sandbox denial' "$tmp/e"

# 100 MB (13 million numbered lines) through the channel.
seq 1 13000000 | md5sum >"$tmp/want"
sb --stream -- seq 1 13000000 | md5sum >"$tmp/got"
check "100 MB streamed arrive complete and in order" \
    cmp -s "$tmp/want" "$tmp/got"
sb -- seq 1 13000000 | md5sum >"$tmp/got2"
check "100 MB through passed descriptors arrive complete" \
    cmp -s "$tmp/want" "$tmp/got2"

# A sandbox inside ocodex's own: the command sandbox denies user
# namespaces, so the inner one fails closed and says why.
"$top/ocodex" debug landlock --full-auto -- "$top/ocodex" debug landlock \
    -s read-only -- true 2>"$tmp/nest"
rc=$?
check "a nested read-only sandbox is refused (rc $rc)" [ "$rc" -ne 0 ]
check "the refusal names the enclosing seccomp sandbox" \
    grep -q 'enclosing seccomp sandbox forbids it' "$tmp/nest"
