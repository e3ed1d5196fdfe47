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
 * imsg channels without descriptors: round trips of every interesting
 * size, frames cut at every byte, several frames per read, malformed
 * headers, EOF and EAGAIN, and the compose/get helpers.
 */

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>

#include <err.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "imsg/imsg.h"
#include "common.h"

#define NTESTS		62
#define MAXPAYLOAD	(MAX_IMSGSIZE - IMSG_HEADER_SIZE)

struct chan {
	int		 sv[2];
	struct imsgbuf	 tx;		/* writes on sv[0] */
	struct imsgbuf	 rx;		/* reads on sv[1] */
};

static void	chan_open(struct chan *);
static void	chan_close(struct chan *);
static int	check_msg(struct imsg *, uint32_t, uint32_t, pid_t, size_t,
		    unsigned int);
static void	test_sizes(void);
static void	test_too_big(void);
static void	test_bytewise(void);
static int	split_once(const unsigned char *, size_t, size_t, int);
static void	test_splits(void);
static void	test_partial_write(void);
static void	test_many_per_read(void);
static void	test_eagain_eof(void);
static int	bad_header(uint32_t, int);
static void	test_malformed(void);
static void	test_create(void);
static void	test_get_data(void);
static void	test_strbuf(void);
static void	test_set_maxsize(void);
static void	test_forward(void);
static void	test_flush(void);
static void	test_write_errors(void);
static void	test_composev_ibuf(void);

static void
chan_open(struct chan *c)
{
	chan_pair(c->sv);
	chan_init(&c->tx, c->sv[0], 0);
	chan_init(&c->rx, c->sv[1], 0);
}

static void
chan_close(struct chan *c)
{
	imsgbuf_clear(&c->tx);
	imsgbuf_clear(&c->rx);
	close(c->sv[0]);
	close(c->sv[1]);
}

static int
check_msg(struct imsg *m, uint32_t type, uint32_t id, pid_t pid, size_t len,
    unsigned int seed)
{
	if (imsg_get_type(m) != type || imsg_get_id(m) != id ||
	    imsg_get_pid(m) != pid || imsg_get_len(m) != len)
		return (0);
	if (len == 0)
		return (m->data == NULL);
	return (m->data != NULL && pattern_ok(m->data, len, seed));
}

static void
test_sizes(void)
{
	static const size_t sizes[] = { 0, 1, 2, 15, 16, 17, 255, 1000, 4096,
	    8191, 16000, MAXPAYLOAD - 1, MAXPAYLOAD };
	struct chan	 c;
	struct imsg	 m;
	unsigned char	*p;
	size_t		 i;
	int		 ok;

	chan_open(&c);
	if ((p = malloc(MAXPAYLOAD)) == NULL)
		err(1, NULL);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		pattern(p, sizes[i], i);
		if (imsg_compose(&c.tx, 100 + i, i * 7, 0, -1, p,
		    sizes[i]) != 1)
			err(1, "imsg_compose %zu", sizes[i]);
	}
	if (pump(&c.tx, &c.rx) == -1)
		err(1, "pump");
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		ok = imsgbuf_get(&c.rx, &m) == 1;
		tap_ok(ok && check_msg(&m, 100 + i, i * 7, getpid(), sizes[i],
		    i), "round trip of a %zu-byte payload", sizes[i]);
		if (ok)
			imsg_free(&m);
	}
	tap_ok(imsgbuf_get(&c.rx, &m) == 0, "nothing more after the batch");

	if (imsg_compose(&c.tx, 7, 8, 4242, -1, NULL, 0) != 1 ||
	    pump(&c.tx, &c.rx) == -1)
		err(1, "imsg_compose");
	tap_ok(imsg_get(&c.rx, &m) == (ssize_t)IMSG_HEADER_SIZE &&
	    imsg_get_pid(&m) == 4242,
	    "imsg_get returns the frame length; an explicit pid is kept");
	imsg_free(&m);
	free(p);
	chan_close(&c);
}

static void
test_too_big(void)
{
	struct chan	 c;
	unsigned char	*p;
	int		 r;

	chan_open(&c);
	if ((p = calloc(1, MAXPAYLOAD + 1)) == NULL)
		err(1, NULL);
	errno = 0;
	r = imsg_compose(&c.tx, 1, 0, 0, -1, p, MAXPAYLOAD + 1);
	tap_ok(r == -1 && errno == ERANGE && imsgbuf_queuelen(&c.tx) == 0,
	    "a payload of max+1 bytes is refused with ERANGE, nothing queued");
	errno = 0;
	tap_ok(imsg_create(&c.tx, 1, 0, 0, MAXPAYLOAD + 1) == NULL &&
	    errno == ERANGE, "imsg_create of max+1 bytes: ERANGE");
	free(p);
	chan_close(&c);
}

/* One frame written a byte at a time arrives whole, and only at the end. */
static void
test_bytewise(void)
{
	struct chan	 c;
	struct imsg	 m;
	unsigned char	 pay[100], frame[200];
	size_t		 len, i;
	int		 early = 0, r = 0;

	chan_open(&c);
	pattern(pay, sizeof(pay), 9);
	len = wire_frame(frame, sizeof(frame), 5, WIRE_HDR_SIZE + sizeof(pay),
	    pay, sizeof(pay));
	for (i = 0; i < len; i++) {
		write_all(c.sv[0], frame + i, 1);
		if (imsgbuf_read(&c.rx) != 1)
			err(1, "imsgbuf_read");
		r = imsgbuf_get(&c.rx, &m);
		if (r != 0 && i + 1 < len)
			early = 1;
		if (r == 1 && i + 1 < len)
			imsg_free(&m);
	}
	tap_ok(!early && r == 1 && imsg_get_type(&m) == 5 &&
	    imsg_get_len(&m) == sizeof(pay) &&
	    pattern_ok(m.data, sizeof(pay), 9),
	    "a frame written one byte at a time arrives whole at the end");
	if (r == 1)
		imsg_free(&m);
	chan_close(&c);
}

/*
 * Write buf in two pieces cut at split, reading after each; check that
 * exactly the frames complete so far come out.  Frames are 40 bytes.
 */
static int
split_once(const unsigned char *buf, size_t len, size_t split, int nframes)
{
	struct chan	 c;
	struct imsg	 m;
	int		 got = 0, want, ok = 1;

	chan_open(&c);
	write_all(c.sv[0], buf, split);
	if (imsgbuf_read(&c.rx) != 1)
		ok = 0;
	want = split / 40;
	while (imsgbuf_get(&c.rx, &m) == 1) {
		if (imsg_get_len(&m) != 24 || !pattern_ok(m.data, 24, got))
			ok = 0;
		got++;
		imsg_free(&m);
	}
	if (got != want)
		ok = 0;
	write_all(c.sv[0], buf + split, len - split);
	if (imsgbuf_read(&c.rx) != 1)
		ok = 0;
	while (imsgbuf_get(&c.rx, &m) == 1) {
		if (imsg_get_len(&m) != 24 || !pattern_ok(m.data, 24, got))
			ok = 0;
		got++;
		imsg_free(&m);
	}
	chan_close(&c);
	return (ok && got == nframes);
}

static void
test_splits(void)
{
	unsigned char	 buf[120], pay[24];
	size_t		 len = 0, k;
	int		 i, bad = 0;

	for (i = 0; i < 3; i++) {
		pattern(pay, sizeof(pay), i);
		len += wire_frame(buf + len, sizeof(buf) - len, 1, 40, pay,
		    sizeof(pay));
	}
	for (k = 1; k < 40; k++)
		if (!split_once(buf, 40, k, 1))
			bad++;
	tap_ok(bad == 0, "one frame split at each of its 39 inner offsets");
	bad = 0;
	for (k = 1; k < len; k++)
		if (!split_once(buf, len, k, 3))
			bad++;
	tap_ok(bad == 0, "three frames split at each of 119 offsets");
}

/* Small socket buffers force partial writes of large frames. */
static void
test_partial_write(void)
{
	struct chan	 c;
	struct imsg	 m;
	unsigned char	*p;
	int		 i, got = 0, partial = 0, rounds, ok = 1, sz = 4096;

	chan_open(&c);
	if (setsockopt(c.sv[0], SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz)) == -1 ||
	    setsockopt(c.sv[1], SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz)) == -1)
		err(1, "setsockopt");
	if ((p = malloc(MAXPAYLOAD)) == NULL)
		err(1, NULL);
	for (i = 0; i < 8; i++) {
		pattern(p, MAXPAYLOAD, 50 + i);
		if (imsg_compose(&c.tx, 2, i, 0, -1, p, MAXPAYLOAD) != 1)
			err(1, "imsg_compose");
	}
	for (rounds = 0; rounds < 10000 && got < 8; rounds++) {
		if (imsgbuf_write(&c.tx) == -1)
			err(1, "imsgbuf_write");
		if (imsgbuf_queuelen(&c.tx) > 0)
			partial = 1;
		if (imsgbuf_read(&c.rx) != 1)
			err(1, "imsgbuf_read");
		while (imsgbuf_get(&c.rx, &m) == 1) {
			if (imsg_get_id(&m) != (uint32_t)got ||
			    !check_msg(&m, 2, got, getpid(), MAXPAYLOAD,
			    50 + got))
				ok = 0;
			got++;
			imsg_free(&m);
		}
	}
	tap_ok(partial, "writes were partial (queue left after a write)");
	tap_ok(ok && got == 8, "8 max-size frames arrived whole over partial "
	    "writes and reads");
	free(p);
	chan_close(&c);
}

static void
test_many_per_read(void)
{
	struct chan	 c;
	struct imsg	 m;
	unsigned char	 pay[50];
	int		 i, got = 0, ok = 1;

	chan_open(&c);
	for (i = 0; i < 5; i++) {
		pattern(pay, sizeof(pay), i);
		if (imsg_compose(&c.tx, 10 + i, 0, 0, -1, pay, 10 * i) != 1)
			err(1, "imsg_compose");
	}
	tap_ok(imsgbuf_flush(&c.tx) == 0 && imsgbuf_queuelen(&c.tx) == 0,
	    "imsgbuf_flush empties a small queue");
	tap_ok(imsgbuf_read(&c.rx) == 1, "one read takes in five frames");
	while (imsgbuf_get(&c.rx, &m) == 1) {
		if (!check_msg(&m, 10 + got, 0, getpid(), 10 * got, got))
			ok = 0;
		got++;
		imsg_free(&m);
	}
	tap_ok(ok && got == 5, "all five come out of that read, in order");
	chan_close(&c);
}

static void
test_eagain_eof(void)
{
	struct chan	 c;
	struct imsg	 m;
	unsigned char	 frame[64], pay[24];
	size_t		 len;

	chan_open(&c);
	tap_ok(imsgbuf_read(&c.rx) == 1 && imsgbuf_get(&c.rx, &m) == 0,
	    "EAGAIN: imsgbuf_read returns 1 and there is no message");
	pattern(pay, sizeof(pay), 0);
	len = wire_frame(frame, sizeof(frame), 3, 40, pay, sizeof(pay));
	write_all(c.sv[0], frame, len - 1);
	close(c.sv[0]);
	tap_ok(imsgbuf_read(&c.rx) == 1 && imsgbuf_get(&c.rx, &m) == 0,
	    "a truncated frame is not delivered");
	tap_ok(imsgbuf_read(&c.rx) == 0, "EOF: imsgbuf_read returns 0");
	c.sv[0] = -1;
	imsgbuf_clear(&c.tx);
	imsgbuf_clear(&c.rx);
	close(c.sv[1]);
}

/*
 * Send a good frame, a header with lenfield and then another good
 * frame in one write.  Returns a bit mask of what went as it should.
 */
static int
bad_header(uint32_t lenfield, int raise)
{
	struct chan	 c;
	struct imsg	 m;
	unsigned char	 buf[256], pay[24];
	size_t		 len;
	int		 r, res = 0;

	chan_open(&c);
	if (raise && imsgbuf_set_maxsize(&c.rx, 100000) == -1)
		err(1, "imsgbuf_set_maxsize");
	pattern(pay, sizeof(pay), 1);
	len = wire_frame(buf, sizeof(buf), 1, 40, pay, sizeof(pay));
	len += wire_frame(buf + len, sizeof(buf) - len, 2, lenfield, pay, 24);
	len += wire_frame(buf + len, sizeof(buf) - len, 3, 40, pay, 24);
	write_all(c.sv[0], buf, len);
	errno = 0;
	r = imsgbuf_read(&c.rx);
	if (r == -1 && errno == ERANGE)
		res |= 1;
	if (imsgbuf_get(&c.rx, &m) == 1) {
		if (imsg_get_type(&m) == 1 && pattern_ok(m.data, 24, 1))
			res |= 2;
		imsg_free(&m);
	}
	if (imsgbuf_get(&c.rx, &m) == 0)
		res |= 4;
	else
		imsg_free(&m);
	errno = 0;
	if (imsgbuf_read(&c.rx) == -1 && errno == ERANGE)
		res |= 8;
	chan_close(&c);
	return (res);
}

static void
test_malformed(void)
{
	tap_ok(bad_header(8, 0) == 15, "len 8 < header: -1 ERANGE, the frame "
	    "before is delivered, nothing after, channel stays dead");
	tap_ok(bad_header(0, 0) == 15, "len 0: rejected the same way");
	tap_ok(bad_header(WIRE_FD_MARK | 15, 0) == 15,
	    "len 15 with the fd mark: rejected");
	tap_ok(bad_header(MAX_IMSGSIZE + 1, 0) == 15,
	    "len max+1: rejected with ERANGE");
	tap_ok(bad_header(0x7fffffff, 0) == 15, "len 2^31-1: rejected");
	tap_ok(bad_header(100001 + WIRE_HDR_SIZE, 1) == 15,
	    "len above a raised maximum: rejected");
}

static void
test_create(void)
{
	struct chan	 c;
	struct imsg	 m;
	struct ibuf	*b;
	unsigned char	*p;
	char		 buf[16];
	int		 r1, r2, r3;

	chan_open(&c);
	if ((b = imsg_create(&c.tx, 40, 41, 0, 4)) == NULL)
		err(1, "imsg_create");
	r1 = imsg_add(b, "abcd", 4);
	r2 = imsg_add(b, "efgh", 4);
	r3 = imsg_add(b, "123", 3);
	imsg_close(&c.tx, b);
	tap_ok(r1 == 4 && r2 == 4 && r3 == 3, "imsg_add returns the length");
	if (pump(&c.tx, &c.rx) == -1 || imsgbuf_get(&c.rx, &m) != 1)
		err(1, "receive");
	tap_ok(imsg_get_type(&m) == 40 && imsg_get_id(&m) == 41 &&
	    imsg_get_len(&m) == 11 && imsg_get_buf(&m, buf, 11) == 0 &&
	    memcmp(buf, "abcdefgh123", 11) == 0,
	    "imsg_create/imsg_add/imsg_close build one frame past the reserve");
	imsg_free(&m);

	if ((p = calloc(1, MAXPAYLOAD)) == NULL)
		err(1, NULL);
	if ((b = imsg_create(&c.tx, 1, 0, 0, 0)) == NULL)
		err(1, "imsg_create");
	r1 = imsg_add(b, p, MAXPAYLOAD);
	errno = 0;
	r2 = imsg_add(b, "x", 1);
	tap_ok(r1 == MAXPAYLOAD && r2 == -1 && errno == ERANGE,
	    "imsg_add past the maximum fails (and frees the message)");
	if ((b = imsg_create(&c.tx, 1, 0, 0, 0)) == NULL)
		err(1, "imsg_create");
	errno = 0;
	tap_ok(imsg_set_maxsize(b, 8) == 0 && imsg_add(b, p, 8) == 8 &&
	    imsg_add(b, "x", 1) == -1 && errno == ERANGE,
	    "imsg_set_maxsize caps one message");
	tap_ok(imsgbuf_queuelen(&c.tx) == 0, "failed messages are not queued");
	free(p);
	chan_close(&c);
}

static void
test_get_data(void)
{
	struct chan	 c;
	struct imsg	 m;
	struct ibuf	 ib;
	uint64_t	 v = 0x1122334455667788ULL, got = 0;
	char		 small[4], big[16];

	chan_open(&c);
	if (imsg_compose(&c.tx, 1, 0, 0, -1, &v, sizeof(v)) != 1 ||
	    imsg_compose(&c.tx, 2, 0, 0, -1, NULL, 0) != 1 ||
	    pump(&c.tx, &c.rx) == -1 || imsgbuf_get(&c.rx, &m) != 1)
		err(1, "setup");
	errno = 0;
	tap_ok(imsg_get_data(&m, small, sizeof(small)) == -1 &&
	    errno == EBADMSG, "imsg_get_data with a smaller size: EBADMSG");
	errno = 0;
	tap_ok(imsg_get_data(&m, big, sizeof(big)) == -1 && errno == EBADMSG,
	    "imsg_get_data with a larger size: EBADMSG");
	errno = 0;
	tap_ok(imsg_get_data(&m, big, 0) == -1 && errno == EINVAL,
	    "imsg_get_data with size 0: EINVAL");
	tap_ok(imsg_get_data(&m, &got, sizeof(got)) == 0 && got == v,
	    "imsg_get_data with the exact size copies the payload");
	imsg_free(&m);
	if (imsgbuf_get(&c.rx, &m) != 1)
		err(1, "imsgbuf_get");
	errno = 0;
	tap_ok(imsg_get_len(&m) == 0 && m.data == NULL &&
	    imsg_get_ibuf(&m, &ib) == -1 && errno == EBADMSG &&
	    imsg_get_data(&m, small, 1) == -1,
	    "an empty payload: no data, imsg_get_ibuf EBADMSG");
	imsg_free(&m);
	chan_close(&c);
}

static void
test_strbuf(void)
{
	struct chan	 c;
	struct imsg	 m;
	char		 s[64];
	int		 r;

	chan_open(&c);
	if (imsg_compose(&c.tx, 1, 0, 0, -1, "hello", 6) != 1 ||
	    imsg_compose(&c.tx, 2, 0, 0, -1, "hello", 5) != 1 ||
	    imsg_compose(&c.tx, 3, 0, 0, -1, "hello", 6) != 1 ||
	    pump(&c.tx, &c.rx) == -1)
		err(1, "setup");
	if (imsgbuf_get(&c.rx, &m) != 1)
		err(1, "imsgbuf_get");
	tap_ok(imsg_get_strbuf(&m, s, 6) == 0 && strcmp(s, "hello") == 0,
	    "imsg_get_strbuf accepts a NUL-terminated field");
	imsg_free(&m);
	if (imsgbuf_get(&c.rx, &m) != 1)
		err(1, "imsgbuf_get");
	errno = 0;
	r = imsg_get_strbuf(&m, s, 5);
	tap_ok(r == -1 && errno == EOVERFLOW && strcmp(s, "hell") == 0,
	    "imsg_get_strbuf without a NUL: EOVERFLOW, truncated");
	imsg_free(&m);
	if (imsgbuf_get(&c.rx, &m) != 1)
		err(1, "imsgbuf_get");
	errno = 0;
	tap_ok(imsg_get_strbuf(&m, s, sizeof(s)) == -1 && errno == EBADMSG,
	    "imsg_get_strbuf longer than the payload: EBADMSG");
	imsg_free(&m);
	chan_close(&c);
}

static void
test_set_maxsize(void)
{
	struct chan	 c;
	struct imsg	 m;
	unsigned char	*p;
	size_t		 big = 100000;

	chan_open(&c);
	errno = 0;
	tap_ok(imsgbuf_set_maxsize(&c.tx, UINT32_MAX) == -1 &&
	    errno == ERANGE && imsgbuf_set_maxsize(&c.tx,
	    UINT32_MAX - WIRE_HDR_SIZE + 1) == -1,
	    "imsgbuf_set_maxsize overflowing uint32_t: ERANGE");
	errno = 0;
	tap_ok(imsgbuf_set_maxsize(&c.tx, 0x80000000U - WIRE_HDR_SIZE) == -1 &&
	    errno == EINVAL && c.tx.maxsize == MAX_IMSGSIZE,
	    "imsgbuf_set_maxsize touching the fd bit: EINVAL");
	tap_ok(imsgbuf_set_maxsize(&c.tx, 0x7fffffffU - WIRE_HDR_SIZE) == 0 &&
	    c.tx.maxsize == 0x7fffffffU,
	    "imsgbuf_set_maxsize takes a payload size and adds the header");
	if (imsgbuf_set_maxsize(&c.tx, big) == -1 ||
	    imsgbuf_set_maxsize(&c.rx, big) == -1)
		err(1, "imsgbuf_set_maxsize");
	if ((p = malloc(big)) == NULL)
		err(1, NULL);
	pattern(p, big, 77);
	if (imsg_compose(&c.tx, 9, 0, 0, -1, p, big) != 1)
		err(1, "imsg_compose");
	tap_ok(pump(&c.tx, &c.rx) == 0 && imsgbuf_get(&c.rx, &m) == 1 &&
	    check_msg(&m, 9, 0, getpid(), big, 77),
	    "a raised maximum carries a 100000-byte payload");
	imsg_free(&m);
	if (imsg_compose(&c.tx, 9, 0, 0, -1, p, MAXPAYLOAD + 1) != 1 ||
	    imsgbuf_set_maxsize(&c.rx, MAXPAYLOAD) == -1)
		err(1, "setup");
	errno = 0;
	tap_ok(pump(&c.tx, &c.rx) == -1 && errno == ERANGE,
	    "the receiver's own maximum still applies");
	free(p);
	chan_close(&c);
}

static void
test_forward(void)
{
	struct chan	 a, b;
	struct imsg	 m, f1, f2;
	unsigned char	 pay[300];
	int		 ok;

	chan_open(&a);
	chan_open(&b);
	pattern(pay, sizeof(pay), 3);
	if (imsg_compose(&a.tx, 77, 78, 79, -1, pay, sizeof(pay)) != 1 ||
	    pump(&a.tx, &a.rx) == -1 || imsgbuf_get(&a.rx, &m) != 1)
		err(1, "setup");
	tap_ok(imsg_forward(&b.tx, &m) == 1 && imsg_forward(&b.tx, &m) == 1 &&
	    imsgbuf_queuelen(&b.tx) == 2, "imsg_forward may be called twice");
	ok = pump(&b.tx, &b.rx) == 0 && imsgbuf_get(&b.rx, &f1) == 1 &&
	    imsgbuf_get(&b.rx, &f2) == 1;
	tap_ok(ok && check_msg(&f1, 77, 78, 79, sizeof(pay), 3) &&
	    check_msg(&f2, 77, 78, 79, sizeof(pay), 3),
	    "forwarded copies keep type, id, pid and payload");
	tap_ok(check_msg(&m, 77, 78, 79, sizeof(pay), 3) &&
	    imsg_get_data(&m, pay, sizeof(pay)) == 0,
	    "the original message is still readable");
	if (ok) {
		imsg_free(&f1);
		imsg_free(&f2);
	}
	imsg_free(&m);
	chan_close(&a);
	chan_close(&b);
}

/* Flush 2.4 MB to a child that reads and checks every frame. */
static void
test_flush(void)
{
	struct chan	 c;
	struct imsg	 m;
	unsigned char	*p;
	pid_t		 pid;
	int		 i, status, got = 0, bad = 0, n = 300, len = 8000;

	chan_open(&c);
	if ((p = malloc(len)) == NULL)
		err(1, NULL);
	for (i = 0; i < n; i++) {
		pattern(p, len, i);
		if (imsg_compose(&c.tx, 4, i, 0, -1, p, len) != 1)
			err(1, "imsg_compose");
	}
	if ((pid = fork()) == -1)
		err(1, "fork");
	if (pid == 0) {
		/* The child only reads; drop its copy of the queue. */
		imsgbuf_clear(&c.tx);
		free(p);
		while (got < n && recv_one(&c.rx, &m) == 1) {
			if (!check_msg(&m, 4, got, getppid(), len, got))
				bad++;
			got++;
			imsg_free(&m);
		}
		imsgbuf_clear(&c.rx);
		_exit(got == n && bad == 0 ? 0 : 1);
	}
	tap_ok(imsgbuf_flush(&c.tx) == 0 && imsgbuf_queuelen(&c.tx) == 0,
	    "imsgbuf_flush sends a queue larger than the socket buffer");
	if (waitpid(pid, &status, 0) == -1)
		err(1, "waitpid");
	tap_ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "the reader got all %d frames intact", n);
	free(p);
	chan_close(&c);
}

static void
test_write_errors(void)
{
	struct chan	 c;
	unsigned char	*p;
	int		 i, r;

	chan_open(&c);
	if ((p = calloc(1, MAXPAYLOAD)) == NULL)
		err(1, NULL);
	for (i = 0; i < 64; i++)
		if (imsg_compose(&c.tx, 1, 0, 0, -1, p, MAXPAYLOAD) != 1)
			err(1, "imsg_compose");
	r = imsgbuf_write(&c.tx);
	tap_ok(r == 0 && imsgbuf_write(&c.tx) == 0 &&
	    imsgbuf_queuelen(&c.tx) > 0,
	    "a full socket: imsgbuf_write returns 0, the rest stays queued");
	close(c.sv[1]);
	c.sv[1] = -1;
	errno = 0;
	r = imsgbuf_write(&c.tx);
	tap_ok(r == -1 && errno == EPIPE,
	    "a closed peer: imsgbuf_write fails with EPIPE, no SIGPIPE");
	free(p);
	imsgbuf_clear(&c.tx);
	imsgbuf_clear(&c.rx);
	close(c.sv[0]);
}

static void
test_composev_ibuf(void)
{
	struct chan	 c;
	struct imsg	 m;
	struct ibuf	 ib, *b;
	struct iovec	 iov[3];
	uint32_t	 a, z;
	char		 buf[16];

	chan_open(&c);
	iov[0].iov_base = "one";
	iov[0].iov_len = 3;
	iov[1].iov_base = "";
	iov[1].iov_len = 0;
	iov[2].iov_base = "three";
	iov[2].iov_len = 5;
	if (imsg_composev(&c.tx, 5, 0, 0, -1, iov, 3) != 1 ||
	    pump(&c.tx, &c.rx) == -1 || imsgbuf_get(&c.rx, &m) != 1)
		err(1, "imsg_composev");
	tap_ok(imsg_get_len(&m) == 8 && imsg_get_data(&m, buf, 8) == 0 &&
	    memcmp(buf, "onethree", 8) == 0, "imsg_composev joins the iovecs");
	imsg_free(&m);

	if ((b = ibuf_dynamic(0, 64)) == NULL || ibuf_add_n32(b, 1) == -1 ||
	    ibuf_add_n32(b, 26) == -1)
		err(1, "ibuf");
	if (imsg_compose_ibuf(&c.tx, 6, 0, 0, b) != 1 ||
	    pump(&c.tx, &c.rx) == -1 || imsgbuf_get(&c.rx, &m) != 1)
		err(1, "imsg_compose_ibuf");
	tap_ok(imsg_get_ibuf(&m, &ib) == 0 && ibuf_get_n32(&ib, &a) == 0 &&
	    ibuf_get_n32(&ib, &z) == 0 && a == 1 && z == 26 &&
	    ibuf_size(&ib) == 0 && imsg_get_len(&m) == 8,
	    "imsg_compose_ibuf sends an ibuf, imsg_get_ibuf parses it");
	imsg_free(&m);
	if ((b = ibuf_open(MAXPAYLOAD + 1)) == NULL ||
	    ibuf_add_zero(b, MAXPAYLOAD + 1) == -1)
		err(1, "ibuf");
	errno = 0;
	tap_ok(imsg_compose_ibuf(&c.tx, 6, 0, 0, b) == -1 && errno == ERANGE &&
	    imsgbuf_queuelen(&c.tx) == 0,
	    "imsg_compose_ibuf of max+1 bytes: ERANGE (buffer consumed)");
	chan_close(&c);
}

int
main(void)
{
	test_init();
	tap_plan(NTESTS);
	test_sizes();
	test_too_big();
	test_bytewise();
	test_splits();
	test_partial_write();
	test_many_per_read();
	test_eagain_eof();
	test_malformed();
	test_create();
	test_get_data();
	test_strbuf();
	test_set_maxsize();
	test_forward();
	test_flush();
	test_write_errors();
	test_composev_ibuf();
	return (tap_end());
}
