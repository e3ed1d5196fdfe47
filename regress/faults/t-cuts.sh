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
# 100 seeded stream cuts.  A three-turn session (two shell calls that
# each append their call id to a file, an apply_patch, a final message)
# is run once per seed with one turn cut after a number of events chosen
# from the seed (regress/faults/cuts-gen.py).  Each run must complete or
# end with a clear error, run no command twice, send no output twice and
# leave a rollout with every call answered once and nothing lost
# (regress/faults/cuts-check.py).  A failing seed is rerun with
#   python3 regress/faults/cuts-gen.py SEED script.json
# and the retry count it prints.

. regress/lib.sh
need_loopback
. regress/exec/lib-exec.sh

SEEDS=${CUTS_SEEDS:-$(seq 1 100)}
# Runs in parallel, this many at once: most of a run is the retry's
# back-off (about 200 ms), not CPU.
JOBS=${CUTS_JOBS:-6}
plan $(echo $SEEDS | wc -w)

# one_seed SEED: run and check one seed in $tmp/sSEED, with its own mock
# model, leaving its TAP line (and comments) in $tmp/sSEED.tap.
one_seed() {
	seed=$1
	d="$tmp/s$seed"
	mkdir -p "$d/codex-home"
	new_repo "$d/repo"
	set -- $(python3 regress/faults/cuts-gen.py "$seed" "$d/mock.json")
	turn=$1 cut=$2 retries=$3 total=$4
	"$MOCK" -s "$d/mock.json" -l "$d/req.jsonl" -P "$d/port" >/dev/null &
	mpid=$!
	n=0
	while [ ! -s "$d/port" ] && [ $n -lt 200 ]; do
		sleep 0.02
		n=$((n + 1))
	done
	base_url=http://127.0.0.1:$(cat "$d/port")/v1
	CODEX_HOME="$d/codex-home" run_exec "$d/repo" --full-auto \
	    -c model_providers.mock.stream_max_retries=$retries \
	    "log twice, patch, answer" >"$d/out" 2>"$d/err"
	rc=$?
	kill "$mpid" 2>/dev/null
	wait "$mpid" 2>/dev/null
	what="seed $seed: turn $turn cut after $cut/$total events,"
	what="$what stream_max_retries=$retries, rc $rc"
	if python3 regress/faults/cuts-check.py "$d" "$seed" "$retries" \
	    "$rc" >"$d.diag"; then
		echo "ok - $what" >"$d.tap"
		rm -rf "$d"
	else
		cat "$d.diag" >"$d.tap"
		echo "not ok - $what" >>"$d.tap"
	fi
}

# Each batch's lines are printed in seed order once the batch is done.
batch=
flush() {
	wait
	for b in $batch; do
		while read -r line; do
			case $line in
			"ok - "*)	ok "${line#ok - }" ;;
			"not ok - "*)	notok "${line#not ok - }" ;;
			*)		echo "$line" ;;
			esac
		done <"$tmp/s$b.tap"
	done
	batch=
}
for seed in $SEEDS; do
	one_seed "$seed" &
	batch="$batch $seed"
	[ $(echo $batch | wc -w) -lt "$JOBS" ] || flush
done
flush
exit 0
