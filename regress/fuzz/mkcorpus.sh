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
# Regenerate the seed corpora of the decoder harnesses from the mock
# model's output (corpus-script.json, each turn in both wire formats)
# and the recorded streams in regress/netproc/streams, and the SSE
# corpus from those with a two-byte header of parser settings.  Run from
# the top of the tree after `make regress/mockmodel/mockmodel`; the
# result is committed, so this is only needed when the formats change.

set -e
F=regress/fuzz
T=$(mktemp -d)
trap 'kill $pid 2>/dev/null; rm -rf "$T"' EXIT

# A fresh mock, so that every format starts at turn 0.
mock() {
	rm -f "$T/port"
	regress/mockmodel/mockmodel -s $F/corpus-script.json -P "$T/port" \
	    >/dev/null &
	pid=$!
	i=0
	while [ ! -s "$T/port" ]; do
		sleep 0.05
		i=$((i + 1))
		[ $i -lt 100 ] || exit 1
	done
	url=http://127.0.0.1:$(cat "$T/port")/v1
}
n=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["turns"]))' \
    $F/corpus-script.json)
pid=
mkdir -p $F/corpus/responses $F/corpus/chat $F/corpus/sse
for w in responses chat; do
	mock
	i=0
	while [ $i -lt "$n" ]; do
		curl -s -o "$F/corpus/$w/mock-$i" -X POST -H 'Content-Type: application/json' \
		    -d '{"model":"m","include":["reasoning.encrypted_content"]}' \
		    "$url/$(test $w = chat && echo chat/completions || echo responses)" || true
		i=$((i + 1))
	done
	kill $pid
	wait $pid || true
done
cp regress/netproc/streams/responses.sse $F/corpus/responses/recorded
cp regress/netproc/streams/chat.sse $F/corpus/chat/recorded

# SSE: byte 0 = settings (line limit, data cap, finish), byte 1 = seed.
sse() {
	printf "$1$2" >"$F/corpus/sse/$3"
	cat >>"$F/corpus/sse/$3"
}
sse '\023' '\001' mock-message <$F/corpus/responses/mock-0
sse '\003' '\047' mock-crlf <$F/corpus/responses/mock-9
sse '\022' '\005' mock-raw <$F/corpus/responses/mock-11
sse '\023' '\011' mock-chat <$F/corpus/chat/mock-1
printf 'data: a\r\ndata: b\r\rdata:c\n\n: note\nevent: e\ndata\n\n' |
    sse '\023' '\003' line-ends
printf '\357\273\277data: bom\n\nid: 1\nretry: 5\nevent:\ndata:  two spaces\n\ndata: tail' |
    sse '\023' '\015' bom-tail
printf 'data: 0123456789abcdef\n\ndata: x\n\n' | sse '\000' '\007' long-line
printf 'data: 0123456789\ndata: 0123456789\n\n' | sse '\004' '\011' data-cap
