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
# bigout-rss.py OUT CMD ARGS...: run CMD and, every 10 ms until it exits,
# read the peak resident size (VmHWM) of it and of every descendant whose
# executable is one of ocodex's (the commands the model runs are not
# counted).  VmHWM only grows, so the last reading of a process is its
# peak up to then; the parent's own peak comes exactly from wait4.
# Writes "NAME PID PEAK_KIB" lines to OUT and exits with CMD's status.

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from proctree import children, exe  # noqa: E402


def hwm(pid):
	try:
		with open("/proc/%d/status" % pid) as f:
			for l in f:
				if l.startswith("VmHWM:"):
					return int(l.split()[1])
	except (OSError, ValueError):
		pass
	return None


def sample(root, peaks):
	todo = [root]
	while todo:
		pid = todo.pop()
		todo += children(pid)
		name = exe(pid)
		if not name.startswith("ocodex"):
			continue
		kib = hwm(pid)
		if kib is not None:
			old = peaks.get(pid, (name, 0))[1]
			peaks[pid] = (name, max(old, kib))


def main():
	out = sys.argv[1]
	pid = os.fork()
	if pid == 0:
		try:
			os.execvp(sys.argv[2], sys.argv[2:])
		finally:
			os._exit(127)
	peaks = {}
	while True:
		sample(pid, peaks)
		wpid, status, ru = os.wait4(pid, os.WNOHANG)
		if wpid == pid:
			break
		time.sleep(0.01)
	# ru_maxrss is in KiB on Linux.
	peaks[pid] = ("ocodex", max(peaks.get(pid, ("", 0))[1], ru.ru_maxrss))
	with open(out, "w") as f:
		for p, (name, kib) in sorted(peaks.items()):
			f.write("%s %d %d\n" % (name, p, kib))
	sys.exit(os.waitstatus_to_exitcode(status) & 0xff)


main()
