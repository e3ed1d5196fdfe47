# Shared setup for the regress shell tests: a private HOME, CODEX_HOME and
# git configuration, so nobody's own settings change a result, and TAP
# helpers.  Source it from a test with ". regress/lib.sh" (run from the top
# of the tree, as make check does).

top=$(pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ocodex-test.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
export HOME="$tmp/home" CODEX_HOME="$tmp/codex-home"
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
unset OPENAI_API_KEY
# ocodex hands proxy variables to netproc; the tests' servers are local.
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY \
    no_proxy NO_PROXY
# In a SANITIZE=1 build LeakSanitizer would ptrace the confined and
# sandboxed processes at exit, which they may not do (see
# sandbox/asan-options.c); it stays on for the C unit tests.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0}"
mkdir -p "$HOME"

ntest=0
nfail=0

plan() { echo "1..$1"; }

ok() {
	ntest=$((ntest + 1))
	echo "ok $ntest - $1"
}

notok() {
	ntest=$((ntest + 1))
	nfail=$((nfail + 1))
	echo "not ok $ntest - $1"
}

# check "description" command...: ok when the command succeeds.
check() {
	desc=$1
	shift
	if "$@"; then ok "$desc"; else notok "$desc"; fi
}

# checkd FILE "description" COMMAND...: check, and on failure show the
# end of FILE (a stderr, say) as TAP comments.
checkd() {
	_f=$1
	shift
	_d=$1
	shift
	if "$@"; then
		ok "$_d"
	else
		notok "$_d"
		tail -n 8 "$_f" 2>/dev/null | sed 's/^/# /'
	fi
}

skip() {
	ntest=$((ntest + 1))
	echo "ok $ntest # skip $1"
}

diag() { echo "# $*"; }

# skip_all REASON: the whole file is skipped, with the reason in TAP.
skip_all() {
	echo "1..0 # SKIP $*"
	exit 0
}

# asan_build: true when the binaries were built with make SANITIZE=1.
asan_build() {
	grep -qa __asan_init "$top/ocodex" 2>/dev/null
}

# need_loopback: tests that talk to a server on 127.0.0.1 skip inside a
# sandbox without network (ocodex's and Codex's set this variable), as
# when make check runs under ocodex debug landlock --full-auto.
need_loopback() {
	[ -z "${CODEX_SANDBOX_NETWORK_DISABLED:-}" ] ||
	    skip_all "no loopback network in this sandbox (CODEX_SANDBOX_NETWORK_DISABLED=1)"
}

# have_userns: true when this process may create a user and a mount
# namespace, which ocodex's execproc needs for the read-only mounts of
# the read-only and workspace-write modes.  ocodex's command sandbox
# denies unshare(2) and clone(CLONE_NEWUSER) (its seccomp deny-list), so
# a nested ocodex cannot confine commands there.  Without unshare(1) the
# answer is yes, so that a test fails loudly rather than skips quietly.
have_userns() {
	command -v unshare >/dev/null 2>&1 || return 0
	unshare -U -m true >/dev/null 2>&1
}

# need_userns: skip the whole file unless have_userns.
need_userns() {
	have_userns ||
	    skip_all "cannot create a user namespace here (unshare -U -m" \
		"fails; ocodex's command sandbox denies it), which ocodex's" \
		"read-only and workspace-write modes need"
}

# alive PID: true while the process exists and is not a zombie.
alive() {
	[ -e "/proc/$1" ] || return 1
	st=$(awk '/^State:/ { print $2 }' "/proc/$1/status" 2>/dev/null)
	[ -n "$st" ] && [ "$st" != Z ]
}

# wait_for FILE PATTERN [TENTHS]: wait until FILE has a line matching.
wait_for() {
	n=0
	while ! grep -q "$2" "$1" 2>/dev/null; do
		n=$((n + 1))
		[ "$n" -gt "${3:-100}" ] && return 1
		sleep 0.1
	done
	return 0
}

# wait_gone PID...: wait up to 5 s until no listed process is alive.
wait_gone() {
	n=0
	for p in "$@"; do
		while alive "$p"; do
			n=$((n + 1))
			[ "$n" -gt 50 ] && return 1
			sleep 0.1
		done
	done
	return 0
}
