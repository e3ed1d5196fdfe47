#!/bin/sh
# What must still work inside workspace-write: building with cc and
# make, git, python3 multiprocessing, socketpair, /tmp, reading the whole
# file system; and the knobs of the policy (-c).
. regress/lib.sh
need_userns

probe=$top/regress/sandbox/probe
out=$(mktemp -d /var/tmp/ocodex-works.XXXXXX) || exit 1
trap 'kill $lpid 2>/dev/null; rm -rf "$tmp" "$out"' EXIT
export HOME="$out/home" CODEX_HOME="$out/codex-home"
unset TMPDIR
mkdir -p "$HOME" "$out/ws" "$out/extra"
cd "$out/ws" || exit 1

plan 20

sb() { "$top/ocodex" debug landlock -s workspace-write "$@"; }

# The probe itself can get through where the policy allows it.
sb -- "$probe" write allowed >/dev/null 2>&1
check "control: the probe's write in the root gets through" [ $? -eq 1 ]
python3 -c 'import socket,time
s=socket.socket(); s.bind(("127.0.0.1",0)); s.listen(8)
print(s.getsockname()[1], flush=True); time.sleep(30)' >"$out/port" &
lpid=$!
wait_for "$out/port" '[0-9]' 50
port=$(cat "$out/port")
"$top/ocodex" debug landlock -s danger-full-access -- "$probe" connect \
    "$port" >/dev/null 2>&1
check "control: danger-full-access may connect" [ $? -eq 1 ]
sb -c sandbox_workspace_write.network_access=true -- "$probe" connect \
    "$port" >/dev/null 2>&1
check "network_access=true allows TCP connect" [ $? -eq 1 ]

cat >hello.c <<'EOC'
#include <stdio.h>
int main(void) { puts("built and ran"); return 0; }
EOC
printf 'hello: hello.c\n\tcc -o hello hello.c\n' >Makefile
check "cc and make build a program" sb -- sh -c 'make -s hello >/dev/null'
sb -- ./hello >"$out/o" 2>&1
check "the program runs" grep -q 'built and ran' "$out/o"
git init -q . && git add hello.c && \
    git -c user.email=t@t -c user.name=t commit -qm init && \
    echo '/* changed */' >>hello.c
sb -- git status --short >"$out/o" 2>&1
check "git status works" grep -q hello.c "$out/o"
sb -- git diff >"$out/o" 2>&1
check "git diff works" grep -q changed "$out/o"
check "git commit cannot write .git" sh -c "! sb -- git \
    -c user.email=t@t -c user.name=t commit -qam x >/dev/null 2>&1"
check "python3 multiprocessing works" sb -- python3 -c '
import multiprocessing as m
with m.Pool(2) as p: assert p.map(abs, [-1, -2]) == [1, 2]'
check "a unix socketpair works" sb -- python3 -c '
import socket
a, b = socket.socketpair(); a.send(b"x"); assert b.recv(1) == b"x"'
check "/tmp is writable" sb -- sh -c "echo x >$tmp/in-tmp && test -s $tmp/in-tmp"
check "the whole file system can be read" sb -- sh -c \
    'cat /etc/os-release >/dev/null && find /usr/include -type f | wc -l \
    | grep -qv "^0$"'
sb -- env >"$out/o" 2>&1
check "CODEX_SANDBOX=landlock is set" grep -qx CODEX_SANDBOX=landlock "$out/o"
check "CODEX_SANDBOX_NETWORK_DISABLED=1 is set" \
    grep -qx CODEX_SANDBOX_NETWORK_DISABLED=1 "$out/o"
check "no_new_privs, seccomp, no capabilities" sb -- sh -c \
    'grep -q "NoNewPrivs:.*1" /proc/self/status &&
    grep -q "Seccomp:.*2" /proc/self/status &&
    grep -q "CapEff:.*0000000000000000" /proc/self/status'
check "writable_roots adds a root" sb -c \
    "sandbox_workspace_write.writable_roots=[\"$out/extra\"]" -- \
    sh -c "echo x >$out/extra/f"
check "exclude_slash_tmp takes /tmp away" sh -c "! \"$top/ocodex\" debug \
    landlock -s workspace-write -c sandbox_workspace_write.exclude_slash_tmp=true \
    -- sh -c 'echo x >$tmp/no' 2>/dev/null"
sb -c shell_environment_policy.set.FOO=bar -- env >"$out/o" 2>&1
check "shell_environment_policy.set adds a variable" grep -qx FOO=bar "$out/o"
MY_TOKEN=t1 MY_API_KEY=k1 ABC_SECRET_X=s1 PLAIN=p1 sb -- env >"$out/env"
check "KEY, SECRET and TOKEN variables are scrubbed, others kept" \
    sh -c "! grep -qE '^(MY_TOKEN|MY_API_KEY|ABC_SECRET_X)=' $out/env &&
    grep -qx PLAIN=p1 $out/env"
MY_TOKEN=t1 "$top/ocodex" debug landlock -s danger-full-access -- env \
    >"$out/o" 2>&1
check "danger-full-access also scrubs secrets" sh -c "! grep -q MY_TOKEN \
    $out/o && ! grep -q CODEX_SANDBOX= $out/o"
