#!/bin/sh
# ocodex mcp-server driven by the official MCP TypeScript SDK client
# (npm @modelcontextprotocol/sdk, installed into regress/mcp/node on
# first use) against the mock model.
. regress/lib.sh
need_loopback

MOCK=${MOCKMODEL:-regress/mockmodel/mockmodel}
nodedir="$top/regress/mcp/node"

command -v node >/dev/null 2>&1 || skip_all "node is not installed"
if [ ! -d "$nodedir/node_modules/@modelcontextprotocol/sdk" ]; then
	command -v npm >/dev/null 2>&1 || skip_all "npm is not installed"
	npm install --prefix "$nodedir" --no-audit --no-fund --silent \
	    @modelcontextprotocol/sdk >"$tmp/npm.log" 2>&1 ||
	    skip_all "npm could not install @modelcontextprotocol/sdk: $(tail -1 "$tmp/npm.log")"
fi

repo="$tmp/repo"
mkdir -p "$repo" "$CODEX_HOME"
git -C "$repo" init -q
echo "# demo" >"$repo/README"
export MOCK_API_KEY=sk-test-key-123
# Without SHELL the server looks the shell up in the passwd database,
# which may connect to nscd; CI runs so, and a lookup made after the
# parent's pledge once killed the server with SIGSYS.
unset SHELL

"$MOCK" -s regress/mcp/sdk.json -l "$tmp/log.jsonl" -P "$tmp/port" \
    >/dev/null &
mockpid=$!
n=0
while [ ! -s "$tmp/port" ] && [ $n -lt 100 ]; do
	sleep 0.05
	n=$((n + 1))
done
base_url=http://127.0.0.1:$(cat "$tmp/port")/v1

timeout 60 node regress/mcp/sdk-client.mjs "$top/ocodex" "$repo" \
    "$base_url" "$tmp/log.jsonl" "$nodedir"
rc=$?
kill "$mockpid" 2>/dev/null
wait "$mockpid" 2>/dev/null
exit $rc
