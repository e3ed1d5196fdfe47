#!/bin/sh
# Start-up cost of each executable and of the whole process tree.
# Run from the top of the tree: make bench.
set -e
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export HOME="$tmp" CODEX_HOME="$tmp/codex"
echo "ocodex start-up, $(nproc) cores, $(uname -r)"
bench/startup .
