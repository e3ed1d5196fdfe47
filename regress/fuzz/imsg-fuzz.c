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
 * The imsg frame reader (imsg/imsg.c, msgbuf.c) and the peer layer's
 * reassembly of big payloads (peer_big_recv in imsg/proc.c), checked
 * against a reference reading of the same bytes.  The input goes through
 * a socket pair in pieces of pseudo-random sizes; every frame the
 * reference finds before the first bad header must come out of
 * imsg_get() intact and in order, nothing else may, a bad header must
 * make the reader fail and a clean end of stream must read as 0.  Each
 * message whose payload starts with a chunk flag is also fed to
 * peer_big_recv(), whose whole payloads must equal the chunks the
 * reference saw.  Every message is also sent on, alternately with
 * imsg_forward() and imsg_compose(), through a second socket pair and
 * read back, which must give the same frames again (exercising the
 * write queue).  No descriptor may leak.
 *
 * Byte 0: bit 0 allows descriptor passing, bit 1 sends /dev/null along
 * with the first piece, bits 2-3 pick the maximum message size; byte 1
 * seeds the piece sizes.  The rest is the stream.
 */

#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "imsg/imsg.h"
#include "imsg/proc.h"
#include "imsg/proto.h"
#include "regress/fuzz/fuzz.h"

#define PIECE_MAX	4096
#define FD_MARK		0x80000000U

/* One frame as the reference reads it. */
struct frame {
	struct imsg_hdr	 hdr;
	const uint8_t	*payload;
	size_t		 len;
};

/* A big payload as the reference puts it together. */
struct rbig {
	uint32_t	 type;
	uint32_t	 id;
	uint8_t		*buf;
	size_t		 len;
};

struct run {
	struct frame	*fr;
	size_t		 nfr;
	int		 bad;		/* a bad header follows the frames */
	size_t		 got;		/* frames imsg_get() returned */
	struct peer	 peer;
	struct rbig	*bigs;
	size_t		 nbigs;
	int		 fdpass;
	struct imsgbuf	 fwd;		/* writes on fsv[0] */
	struct imsgbuf	 back;		/* reads on fsv[1] */
	int		 fsv[2];
	size_t		 back_got;	/* frames read back */
};

static __dead void fail(const char *);
static void	 reference(struct run *, const uint8_t *, size_t, uint32_t);
static void	 check_big(struct run *, struct imsg *, const struct frame *);
static void	 check_msg(struct run *, struct imsg *);
static void	 drain(struct run *, struct imsgbuf *);
static int	 feed(int, const uint8_t *, size_t, int);
static int	 read_all(struct imsgbuf *, int);
static void	 run_free(struct run *);
static void	 send_on(struct run *, struct imsg *);
static void	 check_back(struct run *, struct imsg *);
static void	 pump(struct run *);
static uint32_t	 open_reader(struct run *, struct imsgbuf *, int[2], uint8_t);
static int	 stream(struct run *, struct imsgbuf *, int[2], const uint8_t *,
		    size_t, uint32_t, int);
static int	 nfds(void);

static const uint32_t maxsizes[] = { 0, 0, 100, 1000 };

static void
fail(const char *why)
{
	(void)fprintf(stderr, "imsg-fuzz: %s\n", why);
	abort();
}

/* Cut the stream into frames the way the protocol defines them. */
static void
reference(struct run *r, const uint8_t *p, size_t len, uint32_t maxsize)
{
	struct imsg_hdr	 hdr;
	size_t		 off = 0;
	uint32_t	 flen;

	while (len - off >= sizeof(hdr)) {
		memcpy(&hdr, p + off, sizeof(hdr));
		flen = hdr.len & ~FD_MARK;
		if (flen < sizeof(hdr) || flen > maxsize) {
			r->bad = 1;
			return;
		}
		if (len - off < flen)
			return;
		if ((r->fr = reallocarray(r->fr, r->nfr + 1,
		    sizeof(*r->fr))) == NULL)
			fail("out of memory");
		r->fr[r->nfr].hdr = hdr;
		r->fr[r->nfr].hdr.len = flen;
		r->fr[r->nfr].payload = p + off + sizeof(hdr);
		r->fr[r->nfr].len = flen - sizeof(hdr);
		r->nfr++;
		off += flen;
	}
}

/* A chunk of a big payload: the peer layer and the reference agree. */
static void
check_big(struct run *r, struct imsg *imsg, const struct frame *f)
{
	struct rbig	*b = NULL;
	char		*data;
	size_t		 i, len;
	int		 done;

	for (i = 0; i < r->nbigs; i++)
		if (r->bigs[i].type == f->hdr.type &&
		    r->bigs[i].id == f->hdr.peerid)
			b = &r->bigs[i];
	if (b == NULL) {
		if ((r->bigs = reallocarray(r->bigs, r->nbigs + 1,
		    sizeof(*r->bigs))) == NULL)
			fail("out of memory");
		b = &r->bigs[r->nbigs++];
		memset(b, 0, sizeof(*b));
		b->type = f->hdr.type;
		b->id = f->hdr.peerid;
	}
	if ((b->buf = realloc(b->buf, b->len + f->len)) == NULL)
		fail("out of memory");
	memcpy(b->buf + b->len, f->payload + 1, f->len - 1);
	b->len += f->len - 1;
	done = peer_big_recv(&r->peer, imsg, &data, &len);
	if (done != (f->payload[0] == BIG_LAST))
		fail("big payload completed at the wrong chunk");
	if (!done)
		return;
	if (len != b->len || data[len] != '\0' ||
	    (len > 0 && memcmp(data, b->buf, len) != 0))
		fail("big payload differs from its chunks");
	freezero(data, len + 1);
	b->len = 0;
}

/* The next message must be the next reference frame. */
static void
check_msg(struct run *r, struct imsg *imsg)
{
	const struct frame	*f;
	int			 fd;

	if (r->got >= r->nfr)
		fail("a message the reference does not have");
	f = &r->fr[r->got++];
	if (imsg_get_type(imsg) != f->hdr.type ||
	    imsg_get_id(imsg) != f->hdr.peerid ||
	    (uint32_t)imsg_get_pid(imsg) != f->hdr.pid ||
	    imsg_get_len(imsg) != f->len ||
	    ibuf_size(imsg->buf) != f->len ||
	    (f->len > 0 && memcmp(imsg->data, f->payload, f->len) != 0))
		fail("message differs from its frame");
	send_on(r, imsg);
	if ((fd = imsg_get_fd(imsg)) != -1) {
		if (!r->fdpass || fcntl(fd, F_GETFD) == -1)
			fail("a descriptor that should not be there");
		(void)close(fd);
	}
	if (f->len > 0 && (f->payload[0] == BIG_MORE ||
	    f->payload[0] == BIG_LAST))
		check_big(r, imsg, f);
}

/* Queue a received message on the second channel. */
static void
send_on(struct run *r, struct imsg *imsg)
{
	int	 rv;

	if (r->got % 2)
		rv = imsg_forward(&r->fwd, imsg);
	else
		rv = imsg_compose(&r->fwd, imsg_get_type(imsg),
		    imsg_get_id(imsg), imsg_get_pid(imsg), -1, imsg->data,
		    imsg_get_len(imsg));
	if (rv != 1)
		fail("cannot send a message on");
}

/* A message read back must be the next frame again. */
static void
check_back(struct run *r, struct imsg *imsg)
{
	const struct frame	*f;
	uint32_t		 pid;

	if (r->back_got >= r->got)
		fail("read back a message never sent");
	f = &r->fr[r->back_got++];
	pid = f->hdr.pid != 0 ? f->hdr.pid : (uint32_t)getpid();
	if (imsg_get_type(imsg) != f->hdr.type ||
	    imsg_get_id(imsg) != f->hdr.peerid ||
	    (uint32_t)imsg_get_pid(imsg) != pid ||
	    imsg_get_len(imsg) != f->len ||
	    (f->len > 0 && memcmp(imsg->data, f->payload, f->len) != 0))
		fail("message read back differs from its frame");
}

/* Move what the second channel has queued to its reader. */
static void
pump(struct run *r)
{
	struct imsg	 imsg;
	ssize_t		 n;

	while (imsgbuf_queuelen(&r->fwd) > 0) {
		if (imsgbuf_write(&r->fwd) == -1)
			fail("imsgbuf_write");
		if (read_all(&r->back, r->fsv[1]) == -1)
			fail("our own frames do not read back");
		while ((n = imsg_get(&r->back, &imsg)) != 0) {
			if (n == -1)
				fail("imsg_get failed on our own frame");
			check_back(r, &imsg);
			imsg_free(&imsg);
		}
	}
}

static void
drain(struct run *r, struct imsgbuf *ib)
{
	struct imsg	 imsg;
	ssize_t		 n;

	while ((n = imsg_get(ib, &imsg)) != 0) {
		if (n == -1)
			fail("imsg_get failed on a whole frame");
		check_msg(r, &imsg);
		imsg_free(&imsg);
	}
	pump(r);
}

/* Send one piece, with a descriptor if fd is not -1. */
static int
feed(int s, const uint8_t *p, size_t len, int fd)
{
	union {
		struct cmsghdr	hdr;
		unsigned char	buf[CMSG_SPACE(sizeof(int))];
	} cm;
	struct msghdr	 msg;
	struct iovec	 iov;
	struct cmsghdr	*c;

	memset(&msg, 0, sizeof(msg));
	iov.iov_base = (void *)p;
	iov.iov_len = len;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	if (fd != -1) {
		memset(&cm, 0, sizeof(cm));
		msg.msg_control = cm.buf;
		msg.msg_controllen = sizeof(cm.buf);
		c = CMSG_FIRSTHDR(&msg);
		c->cmsg_len = CMSG_LEN(sizeof(int));
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		memcpy(CMSG_DATA(c), &fd, sizeof(int));
	}
	return sendmsg(s, &msg, MSG_NOSIGNAL) == (ssize_t)len ? 0 : -1;
}

/* Read until the socket is empty: 1, or -1 when the reader failed. */
static int
read_all(struct imsgbuf *ib, int s)
{
	int	 avail;

	do {
		if (imsgbuf_read(ib) == -1) {
			if (errno != ERANGE && errno != EBADMSG)
				fail("reader failed for another reason");
			return -1;
		}
		if (ioctl(s, FIONREAD, &avail) == -1)
			fail("FIONREAD");
	} while (avail > 0);
	return 1;
}

static void
run_free(struct run *r)
{
	size_t	 i;

	for (i = 0; i < r->nbigs; i++)
		free(r->bigs[i].buf);
	free(r->bigs);
	free(r->fr);
	r->peer.ibuf.fd = -1;
	peer_close(&r->peer);
	imsgbuf_clear(&r->fwd);
	imsgbuf_clear(&r->back);
	(void)close(r->fsv[0]);
	(void)close(r->fsv[1]);
}

/* The number of open descriptors, to catch a leaked one. */
static int
nfds(void)
{
	DIR		*d;
	struct dirent	*de;
	int		 n = 0;

	if ((d = opendir("/proc/self/fd")) == NULL)
		fail("/proc/self/fd");
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.')
			n++;
	(void)closedir(d);
	return n;
}

/* The reader's end of a socket pair set up as byte 0 says. */
static uint32_t
open_reader(struct run *r, struct imsgbuf *ib, int sv[2], uint8_t flags)
{
	uint32_t	 max;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv) == -1 ||
	    imsgbuf_init(ib, sv[1]) == -1 ||
	    socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, r->fsv) == -1 ||
	    imsgbuf_init(&r->fwd, r->fsv[0]) == -1 ||
	    imsgbuf_init(&r->back, r->fsv[1]) == -1)
		fail("socketpair");
	r->fdpass = flags & 1;
	if (r->fdpass)
		imsgbuf_allow_fdpass(ib);
	if (((flags >> 2) & 3) == 0)
		return MAX_IMSGSIZE;
	max = maxsizes[(flags >> 2) & 3];
	if (imsgbuf_set_maxsize(ib, max) == -1)
		fail("imsgbuf_set_maxsize");
	return max + IMSG_HEADER_SIZE;
}

/* Send the stream in pieces; 1 if the reader failed on it. */
static int
stream(struct run *r, struct imsgbuf *ib, int sv[2], const uint8_t *buf,
    size_t len, uint32_t seed, int fd)
{
	size_t	 off = 0, n;
	int	 failed = 0;

	while (off < len && !failed) {
		n = len - off > PIECE_MAX ? PIECE_MAX : len - off;
		if (seed != 0) {
			seed = seed * 1103515245 + 12345;
			n = 1 + (seed >> 16) % n;
		}
		if (feed(sv[0], buf + off, n, off == 0 ? fd : -1) == -1)
			fail("sendmsg");
		off += n;
		failed = read_all(ib, sv[1]) == -1;
		drain(r, ib);
	}
	if (!failed) {
		(void)shutdown(sv[0], SHUT_WR);
		if (imsgbuf_read(ib) != 0)
			fail("end of stream did not read as 0");
	}
	return failed;
}

int
fuzz_imsg(const uint8_t *buf, size_t len)
{
	struct run	 r;
	struct imsgbuf	 ib;
	uint32_t	 maxsize;
	int		 sv[2], fd = -1, failed, before;

	if (len < 2)
		return 0;
	/* Only a run that sends a descriptor can leak one. */
	before = (buf[0] & 2) ? nfds() : 0;
	memset(&r, 0, sizeof(r));
	TAILQ_INIT(&r.peer.bigs);
	r.peer.name = "fuzz";
	maxsize = open_reader(&r, &ib, sv, buf[0]);
	if ((buf[0] & 2) && (fd = open("/dev/null", O_RDONLY)) == -1)
		fail("/dev/null");
	reference(&r, buf + 2, len - 2, maxsize);
	failed = stream(&r, &ib, sv, buf + 2, len - 2, buf[1], fd);
	if (failed != r.bad)
		fail(r.bad ? "bad header accepted" : "good stream rejected");
	if (r.got != r.nfr || r.back_got != r.got)
		fail("frames missing");
	imsgbuf_clear(&ib);
	(void)close(sv[0]);
	(void)close(sv[1]);
	run_free(&r);
	if (fd != -1) {
		(void)close(fd);
		if (nfds() != before)
			fail("descriptor leak");
	}
	return 0;
}

#ifdef FUZZ_LIBFUZZER
int
LLVMFuzzerTestOneInput(const uint8_t *buf, size_t len)
{
	return fuzz_imsg(buf, len);
}
#endif
