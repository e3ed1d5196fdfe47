#!/bin/sh
# The escape suite: each probe runs as `ocodex debug landlock -s MODE --
# probe ...` and must be contained.  Everything "outside" lives under
# /var/tmp, since /tmp is a writable root of workspace-write.
. regress/lib.sh
need_userns

probe=$top/regress/sandbox/probe
out=$(mktemp -d /var/tmp/ocodex-escape.XXXXXX) || exit 1
pids=""
trap 'kill $pids 2>/dev/null; rm -rf "$tmp" "$out"' EXIT
export HOME="$out/home" CODEX_HOME="$out/codex-home"
unset TMPDIR
export OPENAI_API_KEY=sk-ocodex-escape-secret
mkdir -p "$HOME/.ssh" "$out/ws/.agents" "$tmp/gitdirs/wt" "$out/ws2"
echo keep >"$out/outside.txt"
echo keep >"$HOME/.bashrc"
cd "$out/ws" || exit 1
git init -q . && echo keep >.git/hooks-keep
echo '[core]' >"$tmp/gitdirs/wt/config"
echo "gitdir: $tmp/gitdirs/wt" >"$out/ws2/.git"

plan 62

# sb [-s MODE] ARGS...: run a command in the sandbox, from the workspace.
sb() {
	mode=workspace-write
	if [ "$1" = -s ]; then mode=$2; shift 2; fi
	"$top/ocodex" debug landlock -s "$mode" -- "$@"
}

# contained DESC [-s MODE] PROBE-ARGS...: the probe must report containment.
contained() {
	desc=$1
	shift
	m=""
	if [ "$1" = -s ]; then m="-s $2"; shift 2; fi
	# shellcheck disable=SC2086
	if sb $m "$probe" "$@" >"$out/last" 2>&1; then
		ok "$desc"
	else
		notok "$desc"
		sed 's/^/# /' "$out/last"
	fi
}

unchanged() { [ "$(cat "$1")" = keep ]; }

# File system: writes outside the roots.
contained "write a file outside the roots" write "$out/outside.txt"
check "  and the file is unchanged" unchanged "$out/outside.txt"
contained "create a file in /etc" write /etc/ocodex-escape
contained "mkdir outside the roots" mkdir "$out/newdir"
ln -s "$out/outside.txt" link
contained "write through a symlink planted in the root" write link
contained "hardlink an outside file into the root, write it" \
    hardlink "$out/outside.txt" hard
contained "rename an outside file into the root" rename \
    "$out/outside.txt" moved
echo x >inside
contained "rename a root file over an outside file" rename inside \
    "$out/outside.txt"
contained "truncate an outside file" truncate "$out/outside.txt"
contained "chmod an outside file" chmod "$out/outside.txt"
contained "utimes on an outside file" utimes "$out/outside.txt"
check "  outside file still intact" unchanged "$out/outside.txt"

# Protected paths inside the root.
contained "write .git/config" write .git/config
contained "create .git/hooks/pre-commit" write .git/hooks/pre-commit
contained "rename .git away" rename .git .git.bak
contained "chmod .git/config" chmod .git/config
contained "create .codex/config.toml" write .codex/config.toml
contained "write into .agents" write .agents/x
cd "$out/ws2" || exit 1
contained ".git file: write the gitdir's config" write "$tmp/gitdirs/wt/config"
contained ".git file: create a hook in the gitdir" write \
    "$tmp/gitdirs/wt/hooks-pre-commit"
contained ".git file: rewrite the .git file" write .git
cd "$out/ws" || exit 1

# The home directory.
contained "write ~/.bashrc" write "$HOME/.bashrc"
contained "write ~/.ssh/authorized_keys" write "$HOME/.ssh/authorized_keys"
contained "write ~/.gitconfig" write "$HOME/.gitconfig"

# Network.
python3 -c 'import socket,sys,time
s=socket.socket(); s.bind(("127.0.0.1",0)); s.listen(8)
u=socket.socket(socket.AF_UNIX); u.bind("\0ocodex-escape-'$$'"); u.listen(8)
print(s.getsockname()[1], flush=True); time.sleep(60)' >"$out/port" &
pids="$pids $!"
wait_for "$out/port" '[0-9]' 50
port=$(cat "$out/port")
contained "TCP connect to a listener on 127.0.0.1" connect "$port"
contained "UDP send to 127.0.0.1" udp "$port"
contained "TCP bind and listen" bind
contained "AF_INET6 socket" inet6
contained "netlink socket" netlink
contained "packet socket" packet
contained "abstract unix socket to an outside listener" abstract \
    "ocodex-escape-$$"
contained "read-only: TCP connect too" -s read-only connect "$port"

# Other processes.
contained "ptrace execproc" ptrace parent
contained "ptrace the ocodex parent" ptrace grandparent
contained "read execproc's /proc/PID/mem" proc parent mem
contained "read the parent's /proc/PID/mem" proc grandparent mem
contained "the parent's environ does not reveal the key" proc grandparent \
    environ sk-ocodex-escape
contained "process_vm_readv of the parent" vmread grandparent
contained "kill(2) on the parent" kill grandparent
sleep 30 &
victim=$!
pids="$pids $victim"
contained "kill(2) on an unrelated process" kill "$victim"
check "the key is not in the command's environment" \
    sh -c "! '$top/ocodex' debug landlock -- env | grep -q sk-ocodex"
# netproc holds keys: a tree started with one in the environment.
"$top/ocodex" debug tree >"$out/tree" 2>/dev/null &
treepid=$!
pids="$pids $treepid"
wait_for "$out/tree" '^ui ' 100
netpid=$(awk '$1 == "netproc" { print $2 }' "$out/tree")
contained "netproc's environ does not reveal the key" proc "${netpid:-1}" \
    environ sk-ocodex-escape
contained "read netproc's /proc/PID/mem" proc "${netpid:-1}" mem
contained "ptrace netproc" ptrace "${netpid:-1}"
kill "$treepid" 2>/dev/null

# Kernel attack surface.
contained "TIOCSTI injection" tiocsti 0
contained "io_uring" io_uring
contained "mount a tmpfs" mount "$out/ws"
contained "unshare a user namespace" unshare
contained "bpf(2)" bpf
contained "keyctl(2)" keyctl
contained "perf_event_open(2)" perf
contained "personality(READ_IMPLIES_EXEC)" personality
contained "x32 system call" x32
contained "inherited descriptor reuse" fd 7 7>"$out/fd7"
contained "execproc's channel (fd 3) is not inherited" fd 3
cp "$probe" "$out/suid-probe" && chmod 4755 "$out/suid-probe"
if sb "$out/suid-probe" caps >"$out/last" 2>&1; then
	ok "a set-uid binary gains nothing"
else
	notok "a set-uid binary gains nothing"
	sed 's/^/# /' "$out/last"
fi
sb sh -c "echo x >/dev/shm/ocodex-escape-$$" >/dev/null 2>&1
check "/dev/shm writes stay in the sandbox's private /dev/shm" \
    sh -c "! ls /dev/shm/ocodex-escape-$$ 2>/dev/null"

# read-only: nothing is writable, not even the workspace.
contained "read-only: write in the workspace" -s read-only write newfile
contained "read-only: write in /tmp" -s read-only write "$tmp/ro-file"
contained "read-only: chmod in the workspace" -s read-only chmod inside
contained "read-only: utimes in the workspace" -s read-only utimes inside
contained "read-only: mkdir in the workspace" -s read-only mkdir newdir
