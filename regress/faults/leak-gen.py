#!/usr/bin/env python3
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
# leak-gen.py OUT.json FIRST LAST: a mock script of 200 shell calls, ten
# a turn, then a final message.  Call 2 is "sleep FIRST" and call 200
# "sleep LAST", so t-leak.sh can look at the processes while each runs,
# once after the first command and once at the last; every other call is
# "true", or "echo N" every tenth call, so that output flows too.

import json
import sys

NCALLS = 200
PER_TURN = 10


def argv(n, first, last):
	if n == 2:
		return ["sleep", first]
	if n == NCALLS:
		return ["sleep", last]
	if n % 10 == 0:
		return ["echo", str(n)]
	return ["true"]


def main():
	out, first, last = sys.argv[1:4]
	turns = []
	for t in range(NCALLS // PER_TURN):
		items = []
		for i in range(PER_TURN):
			n = t * PER_TURN + i + 1
			items.append({"type": "function_call", "name": "shell",
			    "call_id": "call_%d" % n,
			    "arguments": {"command": argv(n, first, last)}})
		turns.append({"items": items})
	turns.append({"items": [{"type": "message",
	    "text": "Ran %d commands." % NCALLS}]})
	with open(out, "w") as f:
		json.dump({"turns": turns}, f)


main()
