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
# proxy.py PORTFILE LOG: a forwarding HTTP proxy on 127.0.0.1 for
# t-proxy.sh.  It takes absolute-form requests for http:// URLs, logs
# each request line and its Proxy-Authorization to LOG, sends the
# request on in origin form and relays the bytes both ways until either
# side closes.  It writes its port to PORTFILE once it listens.

import select
import socket
import socketserver
import sys
from urllib.parse import urlsplit


class Handler(socketserver.BaseRequestHandler):
	def handle(self):
		c = self.request
		head = b""
		while b"\r\n\r\n" not in head:
			b = c.recv(65536)
			if not b:
				return
			head += b
		head, rest = head.split(b"\r\n\r\n", 1)
		lines = head.decode("latin-1").split("\r\n")
		method, url, version = lines[0].split(" ", 2)
		auth = ""
		kept = []
		for l in lines[1:]:
			name = l.split(":", 1)[0].strip().lower()
			if name == "proxy-authorization":
				auth = l.split(":", 1)[1].strip()
			elif name != "proxy-connection":
				kept.append(l)
		with open(sys.argv[2], "a") as f:
			f.write("%s %s auth=%s\n" % (method, url, auth))
		u = urlsplit(url)
		path = u.path + ("?" + u.query if u.query else "")
		s = socket.create_connection((u.hostname, u.port or 80))
		s.sendall(("%s %s %s\r\n" % (method, path, version)).encode() +
		    "\r\n".join(kept).encode("latin-1") + b"\r\n\r\n" + rest)
		relay(c, s)
		s.close()


def relay(a, b):
	socks = [a, b]
	while True:
		r, _, _ = select.select(socks, [], [], 30)
		if not r:
			return
		for x in r:
			data = x.recv(65536)
			if not data:
				return
			(b if x is a else a).sendall(data)


class Server(socketserver.ThreadingTCPServer):
	daemon_threads = True
	allow_reuse_address = True


srv = Server(("127.0.0.1", 0), Handler)
with open(sys.argv[1] + ".tmp", "w") as f:
	f.write("%d\n" % srv.server_address[1])
import os
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
srv.serve_forever()
