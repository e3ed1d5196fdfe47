#!/bin/sh
# make demo: the real ocodex against the bundled mock model, in a
# throwaway git repository.  No API key, no network beyond 127.0.0.1.
set -u
top=$(pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ocodex-demo.XXXXXX") || exit 1
mockpid=
cleanup() {
	[ -n "$mockpid" ] && kill "$mockpid" 2>/dev/null
	rm -f /var/tmp/ocodex-demo-escape
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
export HOME="$tmp/home" CODEX_HOME="$tmp/codex-home"
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
export DEMO_API_KEY=sk-demo-not-a-real-key
mkdir -p "$HOME" "$tmp/repo"

echo "== What each ocodex process may and may not do on this kernel"
./ocodex debug privsep || exit 1

"$top/regress/mockmodel/mockmodel" -s demo/script.json -P "$tmp/port" \
    >/dev/null &
mockpid=$!
n=0
while [ ! -s "$tmp/port" ] && [ $n -lt 100 ]; do sleep 0.05; n=$((n + 1)); done
base_url="http://127.0.0.1:$(cat "$tmp/port")/v1"

cd "$tmp/repo" || exit 1
git init -q .
echo "# demo" >README
git add README && git -c user.email=demo@example.invalid -c user.name=demo \
    commit -qm "demo repository"
echo
echo "== ocodex exec --full-auto, against a scripted mock model"
echo
"$top/ocodex" exec --full-auto -c model_provider=demo \
    -c "model_providers.demo.base_url=\"$base_url\"" \
    -c 'model_providers.demo.env_key="DEMO_API_KEY"' \
    -c 'model_providers.demo.name="mock model"' -m demo-model \
    "Add a hello world program and build it."
rc=$?
echo
echo "== Afterwards"
if [ -e /var/tmp/ocodex-demo-escape ]; then
	echo "the escape attempt WROTE /var/tmp/ocodex-demo-escape: the sandbox failed"
	rc=1
else
	echo "/var/tmp/ocodex-demo-escape does not exist: the escape was contained"
fi
if grep -q hooksPath .git/config; then
	echo ".git/config was changed: the sandbox failed"
	rc=1
else
	echo ".git/config is unchanged"
fi
git status --short
exit $rc
