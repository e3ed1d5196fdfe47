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
# leak-watch.py ROOT MARKER...: for each MARKER in turn, wait (up to 20 s)
# until a descendant of process ROOT has the exact argument MARKER, then
# print one line per ocodex process under ROOT,
#   MARKER NAME fds N
# with N its open descriptors, and
#   MARKER all procs N
# with N every process under ROOT, zombies included, and
#   MARKER NAME children N
# for each ocodex process's direct children, zombies included.
# Exits 1 if a marker never showed up or ROOT went away first.

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from proctree import children, exe, tree  # noqa: E402


def argv(pid):
	try:
		with open("/proc/%d/cmdline" % pid, "rb") as f:
			return f.read().split(b"\0")
	except OSError:
		return []


def nfds(pid):
	try:
		return len(os.listdir("/proc/%d/fd" % pid))
	except OSError:
		return -1


def wait_marker(root, marker):
	m = marker.encode()
	deadline = time.monotonic() + 20
	while time.monotonic() < deadline:
		if not os.path.exists("/proc/%d" % root):
			return False
		for pid in tree(root):
			if m in argv(pid)[1:]:
				return True
		time.sleep(0.005)
	return False


def report(root, marker):
	pids = tree(root)
	# The ocodex processes, by name; the per-command child of execproc
	# has run the marker's sleep by now and is counted as a child only.
	for pid in pids:
		name = exe(pid)
		if not name.startswith("ocodex"):
			continue
		print("%s %s fds %d" % (marker, name, nfds(pid)))
		print("%s %s children %d" % (marker, name, len(children(pid))))
	print("%s all procs %d" % (marker, len(pids)))
	sys.stdout.flush()


def main():
	root = int(sys.argv[1])
	for marker in sys.argv[2:]:
		if not wait_marker(root, marker):
			print("%s missing" % marker)
			sys.exit(1)
		report(root, marker)


main()
