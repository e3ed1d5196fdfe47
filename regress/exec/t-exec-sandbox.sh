#!/bin/sh
# The sandbox seen from the model: under --full-auto a write inside the
# workspace works, a write outside the writable roots fails and the model
# hears a non-zero exit, and .git/config stays as it was.
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

. regress/lib.sh
need_loopback
. regress/exec/lib-exec.sh

plan 19

repo="$tmp/repo"
new_repo "$repo"
outside="$tmp/outside"
mkdir -p "$outside"
vartmp="/var/tmp/ocodex-t-exec-sandbox.$$"
trap 'stop_mock; rm -rf "$tmp" "$vartmp"' EXIT
cp "$repo/.git/config" "$tmp/gitconfig.orig"

# shell_turn ID SCRIPT: a turn with one `sh -c SCRIPT` call.
shell_turn() {
	printf '{"items": [{"type": "function_call", "name": "shell", '
	printf '"call_id": "%s", "arguments": {"command": ' "$1"
	printf '["sh", "-c", "%s"]}}]},\n' "$2"
}
patch_turn() {
	printf '{"items": [{"type": "custom_tool_call", "name": "apply_patch", '
	printf '"call_id": "%s", "input": "*** Begin Patch\\n*** Add File: ' "$1"
	printf '%s\\n+x\\n*** End Patch\\n"}]},\n' "$2"
}
{
	echo '{"turns": ['
	shell_turn call_in 'echo inside > made.txt && cat made.txt'
	shell_turn call_out "echo pwned > $outside/pwned"
	shell_turn call_var "echo pwned > $vartmp"
	shell_turn call_git 'echo [evil] >> .git/config'
	shell_turn call_hook 'echo evil > .git/hooks/post-checkout'
	patch_turn call_pin 'patched.txt'
	patch_turn call_pout "$outside/patched"
	patch_turn call_pgit '.git/hooks/pre-commit'
	echo '{"items": [{"type": "message", "text": "Contained."}]}]}'
} >"$tmp/mock.json"

# /tmp and $TMPDIR are writable roots by default; the test lives in /tmp,
# so leave both out to have an "outside" next to the repository.
start_mock "$tmp/mock.json"
TMPDIR="$outside" run_exec "$repo" --full-auto --json \
    -c sandbox_workspace_write.exclude_slash_tmp=true \
    -c sandbox_workspace_write.exclude_tmpdir_env_var=true \
    "try the walls" </dev/null >"$tmp/out" 2>"$tmp/err"
rc=$?
stop_mock
check "the session ends normally (rc $rc)" [ "$rc" -eq 0 ]
check "nine requests reached the model" [ "$(nreq)" -eq 9 ]

# output CALL_ID: the text the model got for that call, from the last
# request (which holds the whole history).
output() {
	echo '[i for i in R[-1]["input"] if i["type"].endswith("call_output")
	    and i["call_id"] == "'"$1"'"][0]["output"]'
}
check "a write in the workspace works" \
    [ "$(cat "$repo/made.txt" 2>/dev/null)" = inside ]
check "... and the model gets exit code 0 and the output" reqpy 9 \
    "$(output call_in)"'.startswith("Exit code: 0\n") and
     "inside" in '"$(output call_in)"
check "a write next to the repository fails" [ ! -e "$outside/pwned" ]
check "... and the model gets a non-zero exit" reqpy 9 \
    're.match(r"Exit code: [1-9]", '"$(output call_out)"')'
check "a write to /var/tmp fails" [ ! -e "$vartmp" ]
check "... and the model gets a non-zero exit" reqpy 9 \
    're.match(r"Exit code: [1-9]", '"$(output call_var)"')'
check ".git/config is unchanged" cmp -s "$tmp/gitconfig.orig" "$repo/.git/config"
check "... and the model gets a non-zero exit" reqpy 9 \
    're.match(r"Exit code: [1-9]", '"$(output call_git)"')'
check "no hook was written by a command" \
    [ ! -e "$repo/.git/hooks/post-checkout" ]
check "... and the model gets a non-zero exit" reqpy 9 \
    're.match(r"Exit code: [1-9]", '"$(output call_hook)"')'
check "a patch in the workspace works" \
    [ "$(cat "$repo/patched.txt" 2>/dev/null)" = x ]
check "... and the model hears of success" reqpy 9 \
    '"Success." in '"$(output call_pin)"
check "a patch outside the roots writes nothing" [ ! -e "$outside/patched" ]
check "... and the model hears it was not applied" reqpy 9 \
    '"Success." not in '"$(output call_pout)"
check "a patch into .git/hooks writes nothing" \
    [ ! -e "$repo/.git/hooks/pre-commit" ]
check "... and the model hears it was not applied" reqpy 9 \
    '"Success." not in '"$(output call_pgit)"
check "the denials show as failed commands in the JSON stream" \
    jsonpy "$tmp/out" 'len([e for e in E if e["type"] == "item.completed" and
      e["item"]["type"] == "command_execution" and
      e["item"]["status"] == "failed"]) == 4'
exit 0
