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
# What the fault tests read of a live process tree in /proc: children,
# the whole tree, and the program each process runs.

import os


def children(pid):
	kids = []
	try:
		for tid in os.listdir("/proc/%d/task" % pid):
			with open("/proc/%d/task/%s/children" % (pid, tid)) as f:
				kids += [int(x) for x in f.read().split()]
	except OSError:
		pass
	return kids


def tree(root):
	out, todo = [], [root]
	while todo:
		pid = todo.pop()
		out.append(pid)
		todo += children(pid)
	return out


def exe(pid):
	try:
		name = os.path.basename(os.readlink("/proc/%d/exe" % pid))
	except OSError:
		return ""
	# A binary replaced by a rebuild while it runs reads "NAME (deleted)".
	return name.split(" ")[0]
