/*
 * Copyright (c) 2026 The ocodex developers
 *
 * Permission to use, copy, modify, and distribute this software for any
 * purpose with or without fee is hereby granted, provided that the above
 * copyright notice and this permission notice appear in all copies.
 *
 * THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES
 * WITH REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF
 * MERCHANTABILITY AND FITNESS. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR
 * ANY SPECIAL, DIRECT, INDIRECT, OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES
 * WHATSOEVER RESULTING FROM LOSS OF USE, DATA OR PROFITS, WHETHER IN AN
 * ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING OUT OF
 * OR IN CONNECTION WITH THE USE OR PERFORMANCE OF THIS SOFTWARE.
 */

/*
 * ibuf_add(3) functions: construction, bounds, byte order, strings,
 * descriptors, and the msgbuf layer with a header of our own.
 */

#include <sys/types.h>
#include <sys/queue.h>

#include <err.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "imsg/imsg.h"
#include "common.h"

#define NTESTS	43

static struct ibuf	*xopen(size_t);
static struct ibuf	*xdynamic(size_t, size_t);
static void		 test_fixed(void);
static void		 test_dynamic(void);
static void		 test_network(void);
static void		 test_host(void);
static void		 test_get_bounds(void);
static void		 test_seek_set(void);
static void		 test_maxsize(void);
static void		 test_truncate(void);
static void		 test_views(void);
static void		 test_strings(void);
static void		 test_fds(void);
static void		 test_free(void);
static struct ibuf	*lenhdr(struct ibuf *, void *, int *);
static void		 test_msgbuf(void);
static void		 test_msgbuf_pipe(void);

static struct ibuf *
xopen(size_t len)
{
	struct ibuf	*b;

	if ((b = ibuf_open(len)) == NULL)
		err(1, "ibuf_open");
	return (b);
}

static struct ibuf *
xdynamic(size_t len, size_t max)
{
	struct ibuf	*b;

	if ((b = ibuf_dynamic(len, max)) == NULL)
		err(1, "ibuf_dynamic");
	return (b);
}

static void
test_fixed(void)
{
	struct ibuf	*b = xopen(8);
	int		 r;

	tap_ok(ibuf_add(b, "abcdefgh", 8) == 0 && ibuf_size(b) == 8 &&
	    ibuf_left(b) == 0 && memcmp(ibuf_data(b), "abcdefgh", 8) == 0,
	    "ibuf_open: a fixed buffer holds exactly its size");
	errno = 0;
	r = ibuf_add(b, "x", 1);
	tap_ok(r == -1 && errno == ERANGE && ibuf_size(b) == 8,
	    "ibuf_add past a fixed buffer fails with ERANGE");
	ibuf_free(b);

	b = xopen(0);
	tap_ok(ibuf_size(b) == 0 && ibuf_left(b) == 0 &&
	    ibuf_reserve(b, 0) != NULL && ibuf_add(b, "x", 1) == -1,
	    "ibuf_open(0) is an empty buffer that takes nothing");
	ibuf_free(b);
}

static void
test_dynamic(void)
{
	struct ibuf	*b;
	unsigned char	 c, buf[64];
	size_t		 i;
	int		 ok = 1;

	errno = 0;
	tap_ok(ibuf_dynamic(0, 0) == NULL && errno == EINVAL &&
	    ibuf_dynamic(10, 5) == NULL,
	    "ibuf_dynamic rejects max 0 and max below len");

	b = xdynamic(4, 64);
	for (i = 0; i < 64; i++) {
		c = i;
		if (ibuf_add(b, &c, 1) == -1)
			ok = 0;
	}
	errno = 0;
	if (ibuf_add(b, &c, 1) != -1 || errno != ERANGE)
		ok = 0;
	for (i = 0; i < 64; i++)
		buf[i] = i;
	tap_ok(ok && ibuf_size(b) == 64 && memcmp(ibuf_data(b), buf, 64) == 0,
	    "ibuf_dynamic grows byte by byte up to max, then ERANGE");
	ibuf_free(b);

	b = xdynamic(0, 32);
	tap_ok(ibuf_add_zero(b, 10) == 0 && ibuf_add(b, "xy", 2) == 0 &&
	    ibuf_size(b) == 12 && ibuf_left(b) == 20 &&
	    memcmp(ibuf_data(b), "\0\0\0\0\0\0\0\0\0\0xy", 12) == 0,
	    "ibuf_add_zero and ibuf_left");
	ibuf_free(b);
}

static void
test_network(void)
{
	static const unsigned char want[] = {
	    0x12, 0x12, 0x34, 0x12, 0x34, 0x56, 0x78,
	    0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef };
	struct ibuf	*b = xdynamic(0, 64);
	uint8_t		 v8;
	uint16_t	 v16;
	uint32_t	 v32;
	uint64_t	 v64;

	tap_ok(ibuf_add_n8(b, 0x12) == 0 && ibuf_add_n16(b, 0x1234) == 0 &&
	    ibuf_add_n32(b, 0x12345678) == 0 &&
	    ibuf_add_n64(b, 0x0123456789abcdefULL) == 0 &&
	    ibuf_size(b) == sizeof(want) &&
	    memcmp(ibuf_data(b), want, sizeof(want)) == 0,
	    "ibuf_add_n8/n16/n32/n64 write big-endian");
	tap_ok(ibuf_get_n8(b, &v8) == 0 && v8 == 0x12 &&
	    ibuf_get_n16(b, &v16) == 0 && v16 == 0x1234 &&
	    ibuf_get_n32(b, &v32) == 0 && v32 == 0x12345678 &&
	    ibuf_get_n64(b, &v64) == 0 && v64 == 0x0123456789abcdefULL &&
	    ibuf_size(b) == 0,
	    "ibuf_get_n8/n16/n32/n64 read them back");
	errno = 0;
	tap_ok(ibuf_add_n8(b, 0x100) == -1 && errno == EINVAL &&
	    ibuf_add_n16(b, 0x10000) == -1 &&
	    ibuf_add_n32(b, 0x100000000ULL) == -1 &&
	    ibuf_add_h16(b, 0x10000) == -1 &&
	    ibuf_add_h32(b, 0x100000000ULL) == -1 && ibuf_size(b) == 0,
	    "values too wide for the field fail with EINVAL");
	ibuf_free(b);
}

static void
test_host(void)
{
	struct ibuf	*b = xdynamic(0, 64);
	uint16_t	 a16 = 0xbeef, g16;
	uint32_t	 a32 = 0xdeadbeef, g32;
	uint64_t	 a64 = 0x1122334455667788ULL, g64;
	unsigned char	 want[14];

	memcpy(want, &a16, 2);
	memcpy(want + 2, &a32, 4);
	memcpy(want + 6, &a64, 8);
	tap_ok(ibuf_add_h16(b, a16) == 0 && ibuf_add_h32(b, a32) == 0 &&
	    ibuf_add_h64(b, a64) == 0 && ibuf_size(b) == 14 &&
	    memcmp(ibuf_data(b), want, 14) == 0,
	    "ibuf_add_h16/h32/h64 write host order");
	tap_ok(ibuf_get_h16(b, &g16) == 0 && g16 == a16 &&
	    ibuf_get_h32(b, &g32) == 0 && g32 == a32 &&
	    ibuf_get_h64(b, &g64) == 0 && g64 == a64,
	    "ibuf_get_h16/h32/h64 read them back");
	ibuf_free(b);
}

static void
test_get_bounds(void)
{
	struct ibuf	*b = xopen(3);
	struct ibuf	 sub;
	unsigned char	 out[8];
	uint32_t	 v32;
	uint64_t	 v64;

	if (ibuf_add(b, "abc", 3) == -1)
		err(1, "ibuf_add");
	errno = 0;
	tap_ok(ibuf_get(b, out, 4) == -1 && errno == EBADMSG &&
	    ibuf_size(b) == 3, "ibuf_get past the end: EBADMSG, nothing read");
	errno = 0;
	tap_ok(ibuf_get_n32(b, &v32) == -1 && errno == EBADMSG &&
	    ibuf_get_h64(b, &v64) == -1 && ibuf_size(b) == 3,
	    "ibuf_get_n32/h64 on 3 bytes: EBADMSG");
	errno = 0;
	tap_ok(ibuf_skip(b, 4) == -1 && errno == EBADMSG &&
	    ibuf_skip(b, 1) == 0 && ibuf_size(b) == 2,
	    "ibuf_skip is bounded");
	errno = 0;
	tap_ok(ibuf_get_ibuf(b, 3, &sub) == -1 && errno == EBADMSG &&
	    ibuf_get_ibuf(b, 2, &sub) == 0 && ibuf_size(&sub) == 2 &&
	    memcmp(ibuf_data(&sub), "bc", 2) == 0 && ibuf_size(b) == 0,
	    "ibuf_get_ibuf is bounded and returns a view");
	errno = 0;
	tap_ok(ibuf_get_string(b, 1) == NULL && errno == EBADMSG,
	    "ibuf_get_string past the end: EBADMSG");
	ibuf_rewind(b);
	tap_ok(ibuf_size(b) == 3 && ibuf_get(b, out, 3) == 0 &&
	    memcmp(out, "abc", 3) == 0, "ibuf_rewind restarts reading");
	ibuf_free(b);
}

static void
test_seek_set(void)
{
	struct ibuf	*b = xopen(8);
	unsigned char	*p;

	if (ibuf_add(b, "\0\0\0\0\0\0\0\0", 8) == -1)
		err(1, "ibuf_add");
	errno = 0;
	tap_ok(ibuf_seek(b, 6, 3) == NULL && errno == ERANGE &&
	    ibuf_seek(b, 9, 0) == NULL && ibuf_seek(b, SIZE_MAX, 2) == NULL &&
	    (p = ibuf_seek(b, 8, 0)) != NULL,
	    "ibuf_seek only inside the written part");
	tap_ok(ibuf_set(b, 7, "xy", 2) == -1 && ibuf_set(b, 1, "xy", 2) == 0 &&
	    ibuf_set_n16(b, 4, 0x0102) == 0 && ibuf_set_h32(b, 4, 1) == 0 &&
	    ibuf_set_n32(b, 0, 0x41424344) == 0 &&
	    memcmp(ibuf_data(b), "ABCD", 4) == 0,
	    "ibuf_set and ibuf_set_n16/n32/h32 patch in place");
	errno = 0;
	tap_ok(ibuf_set_n8(b, 0, 256) == -1 && errno == EINVAL &&
	    ibuf_set_n64(b, 1, 0) == -1 && ibuf_set_h64(b, 0, 7) == 0 &&
	    ibuf_set_h16(b, 7, 0) == -1 && ibuf_set_n8(b, 7, 0x7a) == 0 &&
	    ((unsigned char *)ibuf_data(b))[7] == 0x7a,
	    "ibuf_set_* check width and bounds");
	ibuf_free(b);
}

static void
test_maxsize(void)
{
	struct ibuf	*b = xdynamic(0, 16);
	struct ibuf	 view;
	char		 mem[4];

	if (ibuf_add(b, "12345678", 8) == -1)
		err(1, "ibuf_add");
	errno = 0;
	tap_ok(ibuf_set_maxsize(b, 17) == -1 && errno == ERANGE &&
	    ibuf_set_maxsize(b, 7) == -1,
	    "ibuf_set_maxsize cannot grow or cut off data");
	tap_ok(ibuf_set_maxsize(b, 10) == 0 && ibuf_left(b) == 2 &&
	    ibuf_add(b, "abc", 3) == -1 && ibuf_add(b, "ab", 2) == 0,
	    "ibuf_set_maxsize lowers the cap");
	ibuf_from_buffer(&view, mem, sizeof(mem));
	errno = 0;
	tap_ok(ibuf_set_maxsize(&view, 2) == -1 && errno == EINVAL,
	    "ibuf_set_maxsize refuses a view");
	ibuf_free(b);
}

static void
test_truncate(void)
{
	struct ibuf	*b = xdynamic(0, 16);
	struct ibuf	 view;

	if (ibuf_add(b, "abcdef", 6) == -1)
		err(1, "ibuf_add");
	tap_ok(ibuf_truncate(b, 2) == 0 && ibuf_size(b) == 2 &&
	    ibuf_truncate(b, 5) == 0 && ibuf_size(b) == 5 &&
	    memcmp(ibuf_data(b), "ab\0\0\0", 5) == 0 &&
	    ibuf_truncate(b, 17) == -1,
	    "ibuf_truncate cuts and zero-extends within max");
	ibuf_from_ibuf(&view, b);
	errno = 0;
	tap_ok(ibuf_truncate(&view, 3) == 0 && ibuf_size(&view) == 3 &&
	    ibuf_truncate(&view, 4) == -1 && errno == ERANGE &&
	    ibuf_size(b) == 5, "a view can only be truncated down");
	ibuf_free(b);
}

static void
test_views(void)
{
	struct ibuf	 v, peek;
	char		 mem[] = "hello";
	unsigned char	 c;

	ibuf_from_buffer(&v, mem, 5);
	errno = 0;
	tap_ok(ibuf_size(&v) == 5 && ibuf_left(&v) == 0 &&
	    ibuf_add(&v, "x", 1) == -1 && errno == EINVAL &&
	    ibuf_reserve(&v, 1) == NULL,
	    "ibuf_from_buffer gives a read-only view");
	ibuf_from_ibuf(&peek, &v);
	tap_ok(ibuf_get_n8(&peek, &c) == 0 && c == 'h' &&
	    ibuf_size(&peek) == 4 && ibuf_size(&v) == 5,
	    "ibuf_from_ibuf peeks without consuming");
}

static void
test_strings(void)
{
	struct ibuf	*b = xdynamic(0, 64);
	char		 str[8], *s;
	int		 r;

	tap_ok(ibuf_add_strbuf(b, "abc", 6) == 0 && ibuf_size(b) == 6 &&
	    memcmp(ibuf_data(b), "abc\0\0\0", 6) == 0,
	    "ibuf_add_strbuf pads with NULs");
	errno = 0;
	tap_ok(ibuf_add_strbuf(b, "abcdef", 6) == -1 && errno == EOVERFLOW &&
	    ibuf_add_strbuf(b, "", 0) == -1 && ibuf_size(b) == 6,
	    "ibuf_add_strbuf without room for the NUL adds nothing");
	tap_ok(ibuf_get_strbuf(b, str, 6) == 0 && strcmp(str, "abc") == 0,
	    "ibuf_get_strbuf reads a terminated field");
	if (ibuf_add(b, "wxyz", 4) == -1)
		err(1, "ibuf_add");
	errno = 0;
	r = ibuf_get_strbuf(b, str, 4);
	tap_ok(r == -1 && errno == EOVERFLOW && strcmp(str, "wxy") == 0,
	    "ibuf_get_strbuf without a NUL: EOVERFLOW, truncated copy");
	errno = 0;
	tap_ok(ibuf_get_strbuf(b, str, 0) == -1 && errno == EINVAL &&
	    ibuf_get_strbuf(b, str, 1) == -1 && errno == EBADMSG,
	    "ibuf_get_strbuf: len 0 is EINVAL, past the end EBADMSG");
	if (ibuf_add(b, "ab\0cd", 5) == -1)
		err(1, "ibuf_add");
	s = ibuf_get_string(b, 5);
	tap_ok(s != NULL && strcmp(s, "ab") == 0 && ibuf_size(b) == 0,
	    "ibuf_get_string consumes len bytes, string ends at NUL");
	free(s);
	ibuf_free(b);
}

static void
test_fds(void)
{
	struct ibuf	*b = xopen(4);
	int		 p[2], q[2], fd;

	pipe_nb(p);
	pipe_nb(q);
	tap_ok(!ibuf_fd_avail(b) && ibuf_fd_get(b) == -1,
	    "a new ibuf has no descriptor");
	ibuf_fd_set(b, p[1]);
	ibuf_fd_set(b, q[1]);
	tap_ok(!fd_is_open(p[1]) && ibuf_fd_avail(b),
	    "ibuf_fd_set closes the descriptor it replaces");
	fd = ibuf_fd_get(b);
	tap_ok(fd == q[1] && !ibuf_fd_avail(b) && ibuf_fd_get(b) == -1,
	    "ibuf_fd_get hands the descriptor over once");
	ibuf_fd_set(b, fd);
	ibuf_free(b);
	tap_ok(!fd_is_open(q[1]) && read(q[0], &fd, 1) == 0,
	    "ibuf_free closes the descriptor");
	close(p[0]);
	close(q[0]);
}

static void
test_free(void)
{
	struct ibuf	*b = xdynamic(100, 1000);

	if (ibuf_add_zero(b, 500) == -1)
		err(1, "ibuf_add_zero");
	errno = ENOTTY;
	ibuf_free(b);
	ibuf_free(NULL);
	tap_ok(errno == ENOTTY, "ibuf_free keeps errno and accepts NULL");
}

/* A 4-byte big-endian total length, as a custom msgbuf framing. */
static struct ibuf *
lenhdr(struct ibuf *hdr, void *arg, int *fd)
{
	uint32_t	 len;
	int		*calls = arg;

	(void)fd;
	(*calls)++;
	if (ibuf_get_n32(hdr, &len) == -1)
		return (NULL);
	if (len < 4 || len > 1024) {
		errno = ERANGE;
		return (NULL);
	}
	return (ibuf_open(len));
}

static void
test_msgbuf(void)
{
	struct msgbuf	*w, *r;
	struct ibuf	*b, *m1 = NULL, *m2 = NULL;
	int		 sv[2], calls = 0;

	errno = 0;
	tap_ok(msgbuf_new_reader(0, lenhdr, NULL) == NULL && errno == EINVAL &&
	    msgbuf_new_reader(IBUF_READ_SIZE, lenhdr, NULL) == NULL,
	    "msgbuf_new_reader checks the header size");
	chan_pair(sv);
	if ((w = msgbuf_new()) == NULL ||
	    (r = msgbuf_new_reader(4, lenhdr, &calls)) == NULL)
		err(1, "msgbuf_new");
	b = xdynamic(0, 64);
	if (ibuf_add_n32(b, 9) == -1 || ibuf_add(b, "hello", 5) == -1)
		err(1, "ibuf_add");
	ibuf_close(w, b);
	b = xdynamic(0, 64);
	if (ibuf_add_n32(b, 6) == -1 || ibuf_add(b, "hi", 2) == -1)
		err(1, "ibuf_add");
	ibuf_close(w, b);
	tap_ok(msgbuf_queuelen(w) == 2 && ibuf_write(sv[0], w) == 0 &&
	    msgbuf_queuelen(w) == 0, "ibuf_write sends the queue");
	tap_ok(ibuf_read(sv[1], r) == 1 && (m1 = msgbuf_get(r)) != NULL &&
	    (m2 = msgbuf_get(r)) != NULL && msgbuf_get(r) == NULL &&
	    calls == 2 && ibuf_size(m1) == 9 && ibuf_size(m2) == 6 &&
	    memcmp((char *)ibuf_data(m1) + 4, "hello", 5) == 0,
	    "ibuf_read frames with a custom header callback");
	ibuf_free(m1);
	ibuf_free(m2);
	msgbuf_free(w);
	msgbuf_free(r);
	close(sv[0]);
	close(sv[1]);
}

static void
test_msgbuf_pipe(void)
{
	struct msgbuf	*w;
	struct ibuf	*b;
	char		 buf[8];
	int		 p[2];

	pipe_nb(p);
	if ((w = msgbuf_new()) == NULL)
		err(1, "msgbuf_new");
	b = xopen(5);
	if (ibuf_add(b, "pipe!", 5) == -1)
		err(1, "ibuf_add");
	ibuf_close(w, b);
	tap_ok(ibuf_write(p[1], w) == 0 && msgbuf_queuelen(w) == 0 &&
	    read(p[0], buf, sizeof(buf)) == 5 && memcmp(buf, "pipe!", 5) == 0,
	    "ibuf_write also works on a pipe");
	b = xopen(1);
	ibuf_close(w, b);
	msgbuf_clear(w);
	tap_ok(msgbuf_queuelen(w) == 0, "msgbuf_clear empties the queue");
	msgbuf_free(w);
	close(p[0]);
	close(p[1]);
}

int
main(void)
{
	test_init();
	tap_plan(NTESTS);
	test_fixed();
	test_dynamic();
	test_network();
	test_host();
	test_get_bounds();
	test_seek_set();
	test_maxsize();
	test_truncate();
	test_views();
	test_strings();
	test_fds();
	test_free();
	test_msgbuf();
	test_msgbuf_pipe();
	return (tap_end());
}
