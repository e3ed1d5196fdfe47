#!/bin/sh
# `ocodex debug seatbelt --print-profile`: the SBPL profile of each
# policy, compared with the snapshots next to this script (the workspace
# path reads @WS@).  Regenerate with OCODEX_SNAPSHOT_UPDATE=1.
. regress/lib.sh

unset TMPDIR
snap=$top/regress/sandbox
ws=$(cd "$tmp" && pwd -P)/ws
mkdir -p "$ws/.git" "$ws/.agents"
cd "$ws" || exit 1

plan 7

# profile NAME ARGS...: print the profile with ARGS, compare to NAME.sbpl.
profile() {
	name=$1
	shift
	"$top/ocodex" debug seatbelt "$@" --print-profile >"$tmp/p" || return 1
	sed "s|$ws|@WS@|g" "$tmp/p" >"$tmp/$name.sbpl"
	if [ -n "$OCODEX_SNAPSHOT_UPDATE" ]; then
		cp "$tmp/$name.sbpl" "$snap/$name.sbpl"
	fi
	diff -u "$snap/$name.sbpl" "$tmp/$name.sbpl" | sed 's/^/# /'
	cmp -s "$snap/$name.sbpl" "$tmp/$name.sbpl"
}

check "read-only profile" profile profile-read-only -s read-only
# /tmp is left out: where the test directory lives must not matter.
nt=sandbox_workspace_write.exclude_slash_tmp=true
check "workspace-write profile" profile profile-workspace-write \
    --full-auto -c "$nt"
check "workspace-write with network" profile profile-network \
    -s workspace-write -c "$nt" -c sandbox_workspace_write.network_access=true
check "danger-full-access profile" profile profile-full-access \
    -s danger-full-access
check "the cwd's .codex is excluded before it exists" \
    grep -q '(require-not (literal "@WS@/.codex"))' \
    "$tmp/profile-workspace-write.sbpl"
"$top/ocodex" debug seatbelt -s workspace-write -- true 2>"$tmp/e"
check "without --print-profile it refuses off macOS" [ $? -eq 1 ]
check "  and says why" grep -q 'only on macOS' "$tmp/e"
