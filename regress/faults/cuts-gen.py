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
# cuts-gen.py SEED OUT.json: write a mock model script for t-cuts.sh in
# which one turn of a three-turn session (two shell calls, an
# apply_patch, a final message) is cut after a number of events chosen
# from SEED.  Prints "TURN CUT RETRIES TOTAL" on stdout: the logical turn
# cut (0..2), the cut_after value, the stream_max_retries the run should
# use and how many events that turn has when it is not cut.
#
# The cut turn is followed by a replacement that uses new call ids (the
# same ids with "r" appended).  The mock serves turns in order whatever
# the client does, so the replacement answers either the retry of the
# cut request or, when the cut came after an item was complete, the
# follow-up request that carries that item's output; in both cases a
# call id that reaches the product twice would be the product's fault.

import json
import random
import sys

DELTA = 6


def shell(cid):
	return {"type": "function_call", "name": "shell", "call_id": cid,
	    "arguments": {"command": ["sh", "-c", "echo %s >> log" % cid]},
	    "delta_size": DELTA}


def patch(cid):
	return {"type": "custom_tool_call", "name": "apply_patch",
	    "call_id": cid, "delta_size": DELTA,
	    "input": "*** Begin Patch\n*** Add File: p-%s.txt\n+%s\n"
	    "*** End Patch\n" % (cid, cid)}


def turn_items(t, sfx, seed):
	if t == 0:
		return [{"type": "reasoning", "summary": "Logging twice.",
		    "delta_size": DELTA}, shell("call_1a" + sfx),
		    shell("call_1b" + sfx)]
	if t == 1:
		return [patch("call_2" + sfx)]
	return [{"type": "message", "text": "All done, seed %d." % seed,
	    "delta_size": DELTA}]


def ndeltas(text, size):
	return max(1, (len(text) + size - 1) // size)


# The number of events of a Responses API turn, as the mock README
# describes them: created, in_progress, each item's events, completed.
def nevents(items):
	n = 3
	for it in items:
		ds = it.get("delta_size", 8)
		if it["type"] == "reasoning":
			n += 5 + ndeltas(it["summary"], ds)
		elif it["type"] == "message":
			n += 5 + ndeltas(it["text"], ds)
		elif it["type"] == "function_call":
			n += 3 + ndeltas(json.dumps(it["arguments"],
			    separators=(",", ":")), ds)
		else:
			n += 3 + ndeltas(it["input"], ds)
	return n


def main():
	seed = int(sys.argv[1])
	rng = random.Random(seed)
	cut_turn = rng.randrange(3)
	retries = rng.choice([0, 1, 1, 2])
	turns = []
	for t in range(3):
		items = turn_items(t, "", seed)
		if t != cut_turn:
			turns.append({"items": items})
			continue
		total = nevents(items)
		cut = rng.randrange(total + 1)
		turns.append({"items": items, "fault": {"cut_after": cut},
		    "comment": "seed %d: cut after %d of %d events" %
		    (seed, cut, total)})
		turns.append({"items": turn_items(t, "r", seed)})
	with open(sys.argv[2], "w") as f:
		json.dump({"turns": turns}, f, indent=1)
	print(cut_turn, cut, retries, total)


main()
