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
# cuts-check.py DIR SEED RETRIES RC: check one t-cuts.sh run kept in DIR
# (repo/ with the appended log, req.jsonl the mock's request log,
# out/err ocodex's stdout and stderr, codex-home/ with the rollout).
# Prints the reasons for a failure as TAP comments and exits 1 then.

import glob
import json
import os
import re
import sys

CALLS = ("function_call", "custom_tool_call")
OUTPUTS = ("function_call_output", "custom_tool_call_output")

problems = []


def bad(msg):
	problems.append(msg)


def read_lines(path):
	try:
		with open(path) as f:
			return f.read().splitlines()
	except OSError:
		return []


def check_outcome(d, seed, retries, rc):
	out = read_lines(os.path.join(d, "out"))
	err = read_lines(os.path.join(d, "err"))
	if rc == 0:
		if out[-1:] != ["All done, seed %d." % seed]:
			bad("exit 0 without the final message: %r" % out[-3:])
	elif rc > 128 or rc < 0:
		bad("killed by a signal (rc %d)" % rc)
	elif not any(re.search(r"(?i)error|failed", l) for l in err):
		bad("exit %d without an error line on stderr" % rc)
	# One cut with a retry left must always end in success.
	if retries > 0 and rc != 0:
		bad("exit %d although a retry was allowed" % rc)


def rollout_items(d):
	files = glob.glob(os.path.join(d, "codex-home", "sessions", "*", "*",
	    "*", "rollout-*.jsonl"))
	if len(files) != 1:
		bad("%d rollout files" % len(files))
		return []
	items = []
	for n, l in enumerate(read_lines(files[0]), 1):
		try:
			x = json.loads(l)
		except ValueError:
			bad("rollout line %d is not JSON: %r" % (n, l[:80]))
			continue
		if x.get("type") == "response_item":
			items.append(x["payload"])
	return items


# Call ids in ITEMS: each call and each output once, every call answered
# and no output without its call.  WHERE names the list in messages.
def check_calls(items, where):
	calls, outs = [], []
	for it in items:
		if it.get("type") in CALLS:
			calls.append(it["call_id"])
		elif it.get("type") in OUTPUTS:
			outs.append(it["call_id"])
	for c in set(calls):
		if calls.count(c) != 1:
			bad("%s: call %s appears %d times" % (where, c,
			    calls.count(c)))
	for c in set(outs):
		if outs.count(c) != 1:
			bad("%s: output of %s appears %d times" % (where, c,
			    outs.count(c)))
	if set(calls) != set(outs):
		bad("%s: calls %s but outputs %s" % (where, sorted(calls),
		    sorted(outs)))
	return calls


def key(it):
	return (it.get("type"), it.get("role"), it.get("call_id"),
	    json.dumps(it.get("content"), sort_keys=True))


def check_requests(d, items):
	bodies = []
	for l in read_lines(os.path.join(d, "req.jsonl")):
		bodies.append(json.loads(l)["body"])
	prev = []
	for n, b in enumerate(bodies, 1):
		inp = b.get("input", [])
		check_calls(inp, "request %d" % n)
		# The history only grows: nothing sent once goes missing.
		if [key(i) for i in inp[:len(prev)]] != [key(i) for i in prev]:
			bad("request %d does not extend request %d" % (n, n - 1))
		prev = inp
	# What went to the model last is what the rollout holds, in order.
	rk = [key(i) for i in items if i.get("type") != "reasoning"]
	pk = [key(i) for i in prev if i.get("type") != "reasoning"]
	if rk[:len(pk)] != pk:
		bad("the rollout does not start with the last request's input")


def main():
	d, seed, retries, rc = sys.argv[1], int(sys.argv[2]), \
	    int(sys.argv[3]), int(sys.argv[4])
	check_outcome(d, seed, retries, rc)
	items = rollout_items(d)
	calls = check_calls(items, "rollout")
	ran = read_lines(os.path.join(d, "repo", "log"))
	for c in set(ran):
		if ran.count(c) != 1:
			bad("command of %s ran %d times" % (c, ran.count(c)))
	shells = [c for c in calls if not c.startswith("call_2")]
	if sorted(ran) != sorted(shells):
		bad("commands ran %s, rollout has %s" % (sorted(ran),
		    sorted(shells)))
	for c in calls:
		if c.startswith("call_2") and not os.path.exists(
		    os.path.join(d, "repo", "p-%s.txt" % c)):
			bad("patch %s in the rollout but not applied" % c)
	check_requests(d, items)
	for p in problems:
		print("# seed %d: %s" % (seed, p))
	sys.exit(1 if problems else 0)


main()
