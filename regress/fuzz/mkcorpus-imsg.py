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
# Regenerate the binary seed corpus of imsg-fuzz (regress/fuzz/corpus/imsg):
# streams of imsg frames (16-byte little-endian header: type, length with
# the descriptor mark in its top bit, peer id, pid) behind the harness's
# two bytes of settings (flags, split seed).  Run from the top of the
# tree; the result is committed, so this is only needed when the frame
# format or the harness's settings change.

import os
import struct

D = 'regress/fuzz/corpus/imsg'
MARK = 0x80000000
HELLO = struct.pack('<IIiII', 1, 1, 4242, 7, 1)
REQ = (b'{"model":"gpt-5","input":[{"type":"message","role":"user",'
       b'"content":[{"type":"input_text","text":"hello"}]}],'
       b'"stream":true}')


def fr(t, payload=b'', peer=0, pid=4242, fd=False, ln=None):
    """One frame; ln overrides the length field."""
    n = 16 + len(payload) if ln is None else ln
    if fd:
        n |= MARK
    return struct.pack('<IIII', t, n, peer, pid) + payload


def big(t, peer, data, chunk):
    """A payload cut into chunks flagged '+' (more) and '.' (last)."""
    out = b''
    for i in range(0, max(len(data), 1), chunk):
        flag = b'.' if i + chunk >= len(data) else b'+'
        out += fr(t, flag + data[i:i + chunk], peer)
    return out


def seed(name, flags, split, body):
    with open(os.path.join(D, name), 'wb') as f:
        f.write(bytes([flags, split]) + body)


def main():
    os.makedirs(D, exist_ok=True)
    u32 = lambda v: struct.pack('<I', v)
    seed('hello', 0, 0, fr(1, HELLO))
    seed('hello-split', 0, 7, fr(1, HELLO) + fr(3, struct.pack('<i', 2)))
    seed('log', 0, 0, fr(1, HELLO) +
         fr(2, b'\x06netproc: connected to 127.0.0.1\0'))
    seed('exec-args', 0, 3, fr(13, b'bash\0', 5) + fr(13, b'-lc\0', 5) +
         fr(13, b'ls -la\0', 5) + fr(14, b'PATH=/usr/bin:/bin\0', 5) +
         fr(17, struct.pack('<II', 1, 0), 5))
    seed('empty-payloads', 0, 1, fr(0) + fr(4) + fr(4, peer=9) +
         fr(0xffffffff))
    seed('big-one', 0, 0, big(10, 1, REQ, 64))
    seed('big-split', 0, 13, big(10, 1, REQ * 3, 100))
    seed('big-interleaved', 0, 5, fr(10, b'+{"a":', 1) +
         fr(10, b'+{"b":', 2) + fr(10, b'.1}', 1) +
         fr(12, b'.{"type":"response.completed"}', 1) + fr(10, b'.2}', 2))
    seed('big-empty-last', 0, 0, fr(20, b'+abc', 3) + fr(20, b'.', 3) +
         fr(20, b'.', 3))
    seed('fd-marked', 3, 0, fr(16, u32(0), 2, fd=True) + fr(16, u32(1), 2))
    seed('fd-marked-split', 3, 9, fr(3, b'x') + fr(16, u32(1), 2, fd=True) +
         fr(16, b'', 2, fd=True))
    seed('fd-not-allowed', 2, 0, fr(16, u32(0), 2, fd=True) + fr(17, b'run'))
    seed('fd-no-mark', 1, 0, fr(16, u32(0), 2))
    seed('bad-short-len', 0, 0, fr(1, HELLO) + fr(5, ln=8) + fr(1, HELLO))
    seed('bad-too-long', 0, 0, fr(1, HELLO) +
         struct.pack('<IIII', 9, 16385, 0, 1))
    seed('max-size', 0, 2, fr(11, b'a' * (16384 - 16)) + fr(1, HELLO))
    seed('maxsize-100', 0x08, 0, fr(1, b'y' * 84) + fr(1, b'z' * 85))
    seed('maxsize-0', 0x04, 0, fr(7) + fr(7, b'!'))
    seed('maxsize-1000', 0x0c, 4, big(10, 7, b'q' * 3000, 900))
    seed('truncated', 0, 0, fr(1, HELLO) + fr(2, b'partial payload')[:20])
    seed('header-only-tail', 0, 6, fr(1, HELLO) + b'\x01\x00\x00')


main()
