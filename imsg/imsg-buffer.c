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
 * Buffers (struct ibuf) and queues of buffers with socket I/O (struct
 * msgbuf), as described in OpenBSD's ibuf_add(3).
 *
 * A heap ibuf always owns at least one allocated byte, so ibuf_data()
 * never has to do arithmetic on a null pointer.  Memory that held
 * payload is cleared before it is given back (recallocarray, freezero),
 * because API keys travel through these buffers.
 *
 * Received descriptors are kept in a small queue together with the
 * stream offsets of the read that brought them.  On Linux, SCM_RIGHTS
 * arrives with the read that contains the first byte of the sendmsg(2)
 * that carried it, and our writer always starts such a sendmsg with the
 * marked header.  A descriptor is therefore offered to the first header
 * that starts inside its read; once the parser has moved past that read
 * without a taker, the descriptor is closed.
 */

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <endian.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "imsg.h"

/* fd value of an ibuf that only views memory it does not own. */
#define IBUF_FD_STACK		-2

/* Received descriptors waiting for their header. */
#define MSGBUF_MAXRFDS		16
/* Descriptors we make room for in one control message (we keep one). */
#define MSGBUF_CMSGFDS		8

struct rfd {
	int		 fd;
	uint64_t	 start;		/* stream offset where its read began */
	uint64_t	 end;		/* stream offset where its read ended */
};

TAILQ_HEAD(ibufq, ibuf);

struct msgbuf {
	struct ibufq	 bufs;		/* write queue */
	uint32_t	 queued;
	struct ibufq	 rbufs;		/* whole messages read */
	struct ibuf	*rpmsg;		/* message being read */
	unsigned char	*rbuf;		/* staging buffer, IBUF_READ_SIZE */
	size_t		 roff;		/* bytes waiting in rbuf */
	uint64_t	 rbase;		/* stream offset of rbuf[0] */
	struct rfd	 rfds[MSGBUF_MAXRFDS];
	size_t		 nrfds;
	size_t		 hdrsize;
	struct ibuf	*(*readhdr)(struct ibuf *, void *, int *);
	void		*rarg;
	int		 rerrno;	/* set once the read side is broken */
};

static int	ibuf_grow(struct ibuf *, size_t);
static void	ibuf_encode(unsigned char *, uint64_t, size_t, int);
static int	ibuf_add_uint(struct ibuf *, uint64_t, size_t, int);
static int	ibuf_set_uint(struct ibuf *, size_t, uint64_t, size_t, int);
static void	ibufq_flush(struct ibufq *);
static void	msgbuf_drain(struct msgbuf *, size_t);
static int	msgbuf_batch(struct msgbuf *, struct iovec *, int,
		    struct ibuf **);
static int	msgbuf_send(int, struct msgbuf *, int);
static void	rfd_add(struct msgbuf *, int, uint64_t, uint64_t);
static void	rfd_shift(struct msgbuf *, int);
static void	rfd_purge(struct msgbuf *, uint64_t);
static int	msgbuf_fail(struct msgbuf *);
static int	msgbuf_parse_hdr(struct msgbuf *, size_t);
static int	msgbuf_process(struct msgbuf *);
static int	msgbuf_received(struct msgbuf *, size_t, int);
static int	msgbuf_readable(struct msgbuf *);
static int	msgbuf_take_fds(struct msghdr *);

struct ibuf *
ibuf_open(size_t len)
{
	struct ibuf	*buf;

	if ((buf = calloc(1, sizeof(*buf))) == NULL)
		return (NULL);
	if ((buf->buf = calloc(len > 0 ? len : 1, 1)) == NULL) {
		free(buf);
		return (NULL);
	}
	buf->size = len > 0 ? len : 1;
	buf->max = len;
	buf->fd = -1;
	return (buf);
}

struct ibuf *
ibuf_dynamic(size_t len, size_t max)
{
	struct ibuf	*buf;

	if (max == 0 || max < len) {
		errno = EINVAL;
		return (NULL);
	}
	if ((buf = ibuf_open(len)) == NULL)
		return (NULL);
	buf->max = max;
	return (buf);
}

/* Grow the allocation geometrically, never beyond buf->max. */
static int
ibuf_grow(struct ibuf *buf, size_t need)
{
	unsigned char	*nb;
	size_t		 nsize;

	nsize = buf->size > SIZE_MAX / 2 ? SIZE_MAX : buf->size * 2;
	if (nsize < need)
		nsize = need;
	if (nsize > buf->max)
		nsize = buf->max;
	if ((nb = recallocarray(buf->buf, buf->size, nsize, 1)) == NULL)
		return (-1);
	buf->buf = nb;
	buf->size = nsize;
	return (0);
}

void *
ibuf_reserve(struct ibuf *buf, size_t len)
{
	void	*b;

	if (buf->fd == IBUF_FD_STACK) {
		errno = EINVAL;
		return (NULL);
	}
	if (buf->wpos > buf->max || len > buf->max - buf->wpos) {
		errno = ERANGE;
		return (NULL);
	}
	if (buf->wpos + len > buf->size &&
	    ibuf_grow(buf, buf->wpos + len) == -1)
		return (NULL);
	b = buf->buf + buf->wpos;
	buf->wpos += len;
	return (b);
}

int
ibuf_add(struct ibuf *buf, const void *data, size_t len)
{
	void	*b;

	if (len == 0)
		return (0);
	if ((b = ibuf_reserve(buf, len)) == NULL)
		return (-1);
	memcpy(b, data, len);
	return (0);
}

int
ibuf_add_ibuf(struct ibuf *buf, const struct ibuf *from)
{
	return (ibuf_add(buf, ibuf_data(from), ibuf_size(from)));
}

int
ibuf_add_zero(struct ibuf *buf, size_t len)
{
	void	*b;

	if (len == 0)
		return (0);
	if ((b = ibuf_reserve(buf, len)) == NULL)
		return (-1);
	memset(b, 0, len);
	return (0);
}

/* Store the low width bytes of value, big-endian or in host order. */
static void
ibuf_encode(unsigned char *b, uint64_t value, size_t width, int network)
{
	uint16_t	 v16;
	uint32_t	 v32;
	size_t		 i;

	if (network || width == 1) {
		for (i = 0; i < width; i++)
			b[i] = (value >> (8 * (width - 1 - i))) & 0xff;
		return;
	}
	switch (width) {
	case 2:
		v16 = value;
		memcpy(b, &v16, sizeof(v16));
		break;
	case 4:
		v32 = value;
		memcpy(b, &v32, sizeof(v32));
		break;
	default:
		memcpy(b, &value, sizeof(value));
		break;
	}
}

static int
ibuf_add_uint(struct ibuf *buf, uint64_t value, size_t width, int network)
{
	unsigned char	 b[sizeof(uint64_t)];

	if (width < sizeof(uint64_t) && (value >> (8 * width)) != 0) {
		errno = EINVAL;
		return (-1);
	}
	ibuf_encode(b, value, width, network);
	return (ibuf_add(buf, b, width));
}

int
ibuf_add_n8(struct ibuf *buf, uint64_t value)
{
	return (ibuf_add_uint(buf, value, 1, 1));
}

int
ibuf_add_n16(struct ibuf *buf, uint64_t value)
{
	return (ibuf_add_uint(buf, value, 2, 1));
}

int
ibuf_add_n32(struct ibuf *buf, uint64_t value)
{
	return (ibuf_add_uint(buf, value, 4, 1));
}

int
ibuf_add_n64(struct ibuf *buf, uint64_t value)
{
	return (ibuf_add_uint(buf, value, 8, 1));
}

int
ibuf_add_h16(struct ibuf *buf, uint64_t value)
{
	return (ibuf_add_uint(buf, value, 2, 0));
}

int
ibuf_add_h32(struct ibuf *buf, uint64_t value)
{
	return (ibuf_add_uint(buf, value, 4, 0));
}

int
ibuf_add_h64(struct ibuf *buf, uint64_t value)
{
	return (ibuf_add_uint(buf, value, 8, 0));
}

/*
 * Add str in a field of exactly len bytes, NUL padded.  A string that
 * does not fit with its NUL adds nothing and fails with EOVERFLOW.
 */
int
ibuf_add_strbuf(struct ibuf *buf, const char *str, size_t len)
{
	char	*b;
	size_t	 n;

	if ((n = strnlen(str, len)) >= len) {
		errno = EOVERFLOW;
		return (-1);
	}
	if ((b = ibuf_reserve(buf, len)) == NULL)
		return (-1);
	memcpy(b, str, n);
	memset(b + n, 0, len - n);
	return (0);
}

void *
ibuf_seek(struct ibuf *buf, size_t pos, size_t len)
{
	/* Only the unread part, between rpos and wpos, may be patched. */
	if (pos > ibuf_size(buf) || len > ibuf_size(buf) - pos) {
		errno = ERANGE;
		return (NULL);
	}
	return ((unsigned char *)ibuf_data(buf) + pos);
}

int
ibuf_set(struct ibuf *buf, size_t pos, const void *data, size_t len)
{
	void	*b;

	if ((b = ibuf_seek(buf, pos, len)) == NULL)
		return (-1);
	if (len > 0)
		memcpy(b, data, len);
	return (0);
}

static int
ibuf_set_uint(struct ibuf *buf, size_t pos, uint64_t value, size_t width,
    int network)
{
	unsigned char	 b[sizeof(uint64_t)];

	if (width < sizeof(uint64_t) && (value >> (8 * width)) != 0) {
		errno = EINVAL;
		return (-1);
	}
	ibuf_encode(b, value, width, network);
	return (ibuf_set(buf, pos, b, width));
}

int
ibuf_set_n8(struct ibuf *buf, size_t pos, uint64_t value)
{
	return (ibuf_set_uint(buf, pos, value, 1, 1));
}

int
ibuf_set_n16(struct ibuf *buf, size_t pos, uint64_t value)
{
	return (ibuf_set_uint(buf, pos, value, 2, 1));
}

int
ibuf_set_n32(struct ibuf *buf, size_t pos, uint64_t value)
{
	return (ibuf_set_uint(buf, pos, value, 4, 1));
}

int
ibuf_set_n64(struct ibuf *buf, size_t pos, uint64_t value)
{
	return (ibuf_set_uint(buf, pos, value, 8, 1));
}

int
ibuf_set_h16(struct ibuf *buf, size_t pos, uint64_t value)
{
	return (ibuf_set_uint(buf, pos, value, 2, 0));
}

int
ibuf_set_h32(struct ibuf *buf, size_t pos, uint64_t value)
{
	return (ibuf_set_uint(buf, pos, value, 4, 0));
}

int
ibuf_set_h64(struct ibuf *buf, size_t pos, uint64_t value)
{
	return (ibuf_set_uint(buf, pos, value, 8, 0));
}

/* Lower the cap of a buffer; it can neither grow nor cut off data. */
int
ibuf_set_maxsize(struct ibuf *buf, size_t max)
{
	if (buf->fd == IBUF_FD_STACK) {
		errno = EINVAL;
		return (-1);
	}
	if (max > buf->max || max < buf->wpos) {
		errno = ERANGE;
		return (-1);
	}
	buf->max = max;
	return (0);
}

void *
ibuf_data(const struct ibuf *buf)
{
	if (buf->buf == NULL)
		return (NULL);
	return (buf->buf + buf->rpos);
}

size_t
ibuf_size(const struct ibuf *buf)
{
	return (buf->wpos - buf->rpos);
}

size_t
ibuf_left(const struct ibuf *buf)
{
	if (buf->fd == IBUF_FD_STACK || buf->wpos > buf->max)
		return (0);
	return (buf->max - buf->wpos);
}

int
ibuf_truncate(struct ibuf *buf, size_t len)
{
	size_t	 nwpos;

	if (ibuf_size(buf) >= len) {
		nwpos = buf->rpos + len;
		/* Do not leave cut-off payload behind in our own memory. */
		if (buf->fd != IBUF_FD_STACK)
			explicit_bzero(buf->buf + nwpos, buf->wpos - nwpos);
		buf->wpos = nwpos;
		return (0);
	}
	if (buf->fd == IBUF_FD_STACK) {
		errno = ERANGE;
		return (-1);
	}
	return (ibuf_add_zero(buf, len - ibuf_size(buf)));
}

void
ibuf_rewind(struct ibuf *buf)
{
	buf->rpos = 0;
}

void
ibuf_from_buffer(struct ibuf *buf, void *data, size_t len)
{
	memset(buf, 0, sizeof(*buf));
	buf->buf = data;
	buf->size = buf->max = buf->wpos = len;
	buf->fd = IBUF_FD_STACK;
}

void
ibuf_from_ibuf(struct ibuf *buf, const struct ibuf *from)
{
	ibuf_from_buffer(buf, ibuf_data(from), ibuf_size(from));
}

int
ibuf_get(struct ibuf *buf, void *data, size_t len)
{
	if (ibuf_size(buf) < len) {
		errno = EBADMSG;
		return (-1);
	}
	if (len > 0)
		memcpy(data, ibuf_data(buf), len);
	buf->rpos += len;
	return (0);
}

int
ibuf_get_ibuf(struct ibuf *buf, size_t len, struct ibuf *new)
{
	if (ibuf_size(buf) < len) {
		errno = EBADMSG;
		return (-1);
	}
	ibuf_from_buffer(new, ibuf_data(buf), len);
	buf->rpos += len;
	return (0);
}

int
ibuf_get_n8(struct ibuf *buf, uint8_t *value)
{
	return (ibuf_get(buf, value, sizeof(*value)));
}

int
ibuf_get_n16(struct ibuf *buf, uint16_t *value)
{
	uint16_t	 v;

	if (ibuf_get(buf, &v, sizeof(v)) == -1)
		return (-1);
	*value = be16toh(v);
	return (0);
}

int
ibuf_get_n32(struct ibuf *buf, uint32_t *value)
{
	uint32_t	 v;

	if (ibuf_get(buf, &v, sizeof(v)) == -1)
		return (-1);
	*value = be32toh(v);
	return (0);
}

int
ibuf_get_n64(struct ibuf *buf, uint64_t *value)
{
	uint64_t	 v;

	if (ibuf_get(buf, &v, sizeof(v)) == -1)
		return (-1);
	*value = be64toh(v);
	return (0);
}

int
ibuf_get_h16(struct ibuf *buf, uint16_t *value)
{
	return (ibuf_get(buf, value, sizeof(*value)));
}

int
ibuf_get_h32(struct ibuf *buf, uint32_t *value)
{
	return (ibuf_get(buf, value, sizeof(*value)));
}

int
ibuf_get_h64(struct ibuf *buf, uint64_t *value)
{
	return (ibuf_get(buf, value, sizeof(*value)));
}

/* Consume len bytes and return them as a string (cut at a NUL). */
char *
ibuf_get_string(struct ibuf *buf, size_t len)
{
	char	*str;

	if (ibuf_size(buf) < len) {
		errno = EBADMSG;
		return (NULL);
	}
	if (len == 0)
		return (strdup(""));
	if ((str = strndup(ibuf_data(buf), len)) == NULL)
		return (NULL);
	buf->rpos += len;
	return (str);
}

/*
 * Consume a field of exactly len bytes that must hold a NUL.  Without
 * one, str is still terminated (truncated) but the call fails.
 */
int
ibuf_get_strbuf(struct ibuf *buf, char *str, size_t len)
{
	if (len == 0) {
		errno = EINVAL;
		return (-1);
	}
	if (ibuf_get(buf, str, len) == -1)
		return (-1);
	if (str[len - 1] != '\0') {
		str[len - 1] = '\0';
		errno = EOVERFLOW;
		return (-1);
	}
	return (0);
}

int
ibuf_skip(struct ibuf *buf, size_t len)
{
	if (ibuf_size(buf) < len) {
		errno = EBADMSG;
		return (-1);
	}
	buf->rpos += len;
	return (0);
}

void
ibuf_free(struct ibuf *buf)
{
	int	 saved_errno = errno;

	if (buf == NULL)
		return;
	/* Freeing a view of someone else's memory is a bug: stop here. */
	if (buf->fd == IBUF_FD_STACK)
		abort();
	if (buf->fd >= 0)
		close(buf->fd);
	freezero(buf->buf, buf->size);
	free(buf);
	errno = saved_errno;
}

int
ibuf_fd_avail(struct ibuf *buf)
{
	return (buf->fd >= 0);
}

int
ibuf_fd_get(struct ibuf *buf)
{
	int	 fd;

	if (buf->fd < 0)
		return (-1);
	fd = buf->fd;
	buf->fd = -1;
	return (fd);
}

void
ibuf_fd_set(struct ibuf *buf, int fd)
{
	if (buf->fd == IBUF_FD_STACK)
		abort();
	if (buf->fd >= 0)
		close(buf->fd);
	buf->fd = fd >= 0 ? fd : -1;
}

struct msgbuf *
msgbuf_new(void)
{
	struct msgbuf	*msgbuf;

	if ((msgbuf = calloc(1, sizeof(*msgbuf))) == NULL)
		return (NULL);
	TAILQ_INIT(&msgbuf->bufs);
	TAILQ_INIT(&msgbuf->rbufs);
	return (msgbuf);
}

struct msgbuf *
msgbuf_new_reader(size_t hdrsz,
    struct ibuf *(*readhdr)(struct ibuf *, void *, int *), void *arg)
{
	struct msgbuf	*msgbuf;

	/* A header must leave room in the staging buffer for progress. */
	if (hdrsz == 0 || hdrsz > IBUF_READ_SIZE / 2 || readhdr == NULL) {
		errno = EINVAL;
		return (NULL);
	}
	if ((msgbuf = msgbuf_new()) == NULL)
		return (NULL);
	if ((msgbuf->rbuf = malloc(IBUF_READ_SIZE)) == NULL) {
		free(msgbuf);
		return (NULL);
	}
	msgbuf->hdrsize = hdrsz;
	msgbuf->readhdr = readhdr;
	msgbuf->rarg = arg;
	return (msgbuf);
}

void
msgbuf_free(struct msgbuf *msgbuf)
{
	if (msgbuf == NULL)
		return;
	msgbuf_clear(msgbuf);
	if (msgbuf->rbuf != NULL)
		freezero(msgbuf->rbuf, IBUF_READ_SIZE);
	free(msgbuf);
}

static void
ibufq_flush(struct ibufq *q)
{
	struct ibuf	*buf;

	while ((buf = TAILQ_FIRST(q)) != NULL) {
		TAILQ_REMOVE(q, buf, entry);
		ibuf_free(buf);
	}
}

void
msgbuf_clear(struct msgbuf *msgbuf)
{
	ibufq_flush(&msgbuf->bufs);
	msgbuf->queued = 0;
	ibufq_flush(&msgbuf->rbufs);
	ibuf_free(msgbuf->rpmsg);
	msgbuf->rpmsg = NULL;
	while (msgbuf->nrfds > 0)
		rfd_shift(msgbuf, 1);
	/* Bytes still staged are dropped, as if they had been parsed. */
	msgbuf->rbase += msgbuf->roff;
	msgbuf->roff = 0;
}

uint32_t
msgbuf_queuelen(struct msgbuf *msgbuf)
{
	return (msgbuf->queued);
}

void
ibuf_close(struct msgbuf *msgbuf, struct ibuf *buf)
{
	if (buf->fd == IBUF_FD_STACK)
		abort();
	TAILQ_INSERT_TAIL(&msgbuf->bufs, buf, entry);
	msgbuf->queued++;
}

struct ibuf *
msgbuf_get(struct msgbuf *msgbuf)
{
	struct ibuf	*buf;

	if ((buf = TAILQ_FIRST(&msgbuf->rbufs)) != NULL)
		TAILQ_REMOVE(&msgbuf->rbufs, buf, entry);
	return (buf);
}

/* Drop n written bytes from the head of the write queue. */
static void
msgbuf_drain(struct msgbuf *msgbuf, size_t n)
{
	struct ibuf	*buf;

	while ((buf = TAILQ_FIRST(&msgbuf->bufs)) != NULL) {
		if (n < ibuf_size(buf)) {
			buf->rpos += n;
			return;
		}
		n -= ibuf_size(buf);
		TAILQ_REMOVE(&msgbuf->bufs, buf, entry);
		msgbuf->queued--;
		ibuf_free(buf);
	}
}

/*
 * Gather the head of the write queue into iov.  With fdpass, a buffer
 * carrying a descriptor may only open a batch, so that the descriptor
 * leaves in the same sendmsg(2) as the first byte of its header and the
 * receiver gets it in the read holding the start of the marked header.
 */
static int
msgbuf_batch(struct msgbuf *msgbuf, struct iovec *iov, int fdpass,
    struct ibuf **fdbuf)
{
	struct ibuf	*buf;
	int		 i = 0;

	*fdbuf = NULL;
	TAILQ_FOREACH(buf, &msgbuf->bufs, entry) {
		if (i >= IOV_MAX)
			break;
		if (fdpass && buf->fd >= 0) {
			if (i > 0)
				break;
			*fdbuf = buf;
		}
		iov[i].iov_base = ibuf_data(buf);
		iov[i].iov_len = ibuf_size(buf);
		i++;
	}
	return (i);
}

/*
 * Write as much of the queue as the socket takes.  MSG_NOSIGNAL turns
 * a dead peer into EPIPE rather than SIGPIPE.
 */
static int
msgbuf_send(int fd, struct msgbuf *msgbuf, int fdpass)
{
	struct iovec	 iov[IOV_MAX];
	union {
		struct cmsghdr	hdr;
		unsigned char	buf[CMSG_SPACE(sizeof(int))];
	} cmsgbuf;
	struct msghdr	 msg;
	struct cmsghdr	*cmsg;
	struct ibuf	*fdbuf;
	ssize_t		 n;
	int		 i;

	if ((i = msgbuf_batch(msgbuf, iov, fdpass, &fdbuf)) == 0)
		return (0);
	memset(&msg, 0, sizeof(msg));
	msg.msg_iov = iov;
	msg.msg_iovlen = i;
	if (fdbuf != NULL) {
		memset(&cmsgbuf, 0, sizeof(cmsgbuf));
		msg.msg_control = cmsgbuf.buf;
		msg.msg_controllen = sizeof(cmsgbuf.buf);
		cmsg = CMSG_FIRSTHDR(&msg);
		cmsg->cmsg_len = CMSG_LEN(sizeof(int));
		cmsg->cmsg_level = SOL_SOCKET;
		cmsg->cmsg_type = SCM_RIGHTS;
		memcpy(CMSG_DATA(cmsg), &fdbuf->fd, sizeof(int));
	}
	for (;;) {
		n = sendmsg(fd, &msg, MSG_NOSIGNAL);
		/* ibuf_write() also serves pipes and other non-sockets. */
		if (n == -1 && errno == ENOTSOCK && fdbuf == NULL)
			n = writev(fd, iov, i);
		if (n != -1)
			break;
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS)
			return (0);
		return (-1);
	}
	/* The descriptor left with the first byte: our copy goes now. */
	if (fdbuf != NULL && n > 0)
		ibuf_fd_set(fdbuf, -1);
	msgbuf_drain(msgbuf, n);
	return (0);
}

int
ibuf_write(int fd, struct msgbuf *msgbuf)
{
	return (msgbuf_send(fd, msgbuf, 0));
}

int
msgbuf_write(int fd, struct msgbuf *msgbuf)
{
	return (msgbuf_send(fd, msgbuf, 1));
}

static void
rfd_add(struct msgbuf *msgbuf, int fd, uint64_t start, uint64_t end)
{
	struct rfd	*r;

	/* Only a misbehaving peer can get here; keep what we have. */
	if (msgbuf->nrfds == MSGBUF_MAXRFDS) {
		close(fd);
		return;
	}
	r = &msgbuf->rfds[msgbuf->nrfds++];
	r->fd = fd;
	r->start = start;
	r->end = end;
}

/* Remove the oldest queued descriptor, closing it unless it was taken. */
static void
rfd_shift(struct msgbuf *msgbuf, int doclose)
{
	if (doclose)
		close(msgbuf->rfds[0].fd);
	msgbuf->nrfds--;
	memmove(&msgbuf->rfds[0], &msgbuf->rfds[1],
	    msgbuf->nrfds * sizeof(msgbuf->rfds[0]));
}

/*
 * The parser has reached stream offset off with no header left to
 * start before it: descriptors from reads that ended there are orphans.
 */
static void
rfd_purge(struct msgbuf *msgbuf, uint64_t off)
{
	while (msgbuf->nrfds > 0 && msgbuf->rfds[0].end <= off)
		rfd_shift(msgbuf, 1);
}

/*
 * A bad header leaves no way to find the next frame: the read side is
 * dead from now on and every later read fails with the same errno.
 */
static int
msgbuf_fail(struct msgbuf *msgbuf)
{
	int	 saved_errno = errno;

	if (saved_errno == 0)
		saved_errno = EBADMSG;
	msgbuf->rerrno = saved_errno;
	ibuf_free(msgbuf->rpmsg);
	msgbuf->rpmsg = NULL;
	while (msgbuf->nrfds > 0)
		rfd_shift(msgbuf, 1);
	errno = saved_errno;
	return (-1);
}

/* Parse the header at rbuf[pos] and start a new message. */
static int
msgbuf_parse_hdr(struct msgbuf *msgbuf, size_t pos)
{
	struct ibuf	 hdr;
	uint64_t	 off = msgbuf->rbase + pos;
	int		 fd = -1, offered = 0;

	rfd_purge(msgbuf, off);
	if (msgbuf->nrfds > 0 && msgbuf->rfds[0].start <= off) {
		fd = msgbuf->rfds[0].fd;
		offered = 1;
	}
	ibuf_from_buffer(&hdr, msgbuf->rbuf + pos, msgbuf->hdrsize);
	errno = 0;
	msgbuf->rpmsg = msgbuf->readhdr(&hdr, msgbuf->rarg, &fd);
	/* The callback took the descriptor: it is no longer ours. */
	if (offered && fd == -1)
		rfd_shift(msgbuf, 0);
	if (msgbuf->rpmsg == NULL)
		return (-1);
	if (ibuf_left(msgbuf->rpmsg) < msgbuf->hdrsize) {
		errno = EBADMSG;
		return (-1);
	}
	return (0);
}

/* Cut the staged bytes into messages. */
static int
msgbuf_process(struct msgbuf *msgbuf)
{
	size_t	 pos = 0, n;

	while (pos < msgbuf->roff) {
		if (msgbuf->rpmsg == NULL) {
			if (msgbuf->roff - pos < msgbuf->hdrsize)
				break;
			if (msgbuf_parse_hdr(msgbuf, pos) == -1)
				return (msgbuf_fail(msgbuf));
		}
		n = ibuf_left(msgbuf->rpmsg);
		if (n > msgbuf->roff - pos)
			n = msgbuf->roff - pos;
		if (ibuf_add(msgbuf->rpmsg, msgbuf->rbuf + pos, n) == -1)
			return (msgbuf_fail(msgbuf));
		pos += n;
		if (ibuf_left(msgbuf->rpmsg) == 0) {
			TAILQ_INSERT_TAIL(&msgbuf->rbufs, msgbuf->rpmsg, entry);
			msgbuf->rpmsg = NULL;
		}
	}
	if (pos > 0) {
		memmove(msgbuf->rbuf, msgbuf->rbuf + pos, msgbuf->roff - pos);
		msgbuf->roff -= pos;
		msgbuf->rbase += pos;
	}
	/* No header can start before rbase any more. */
	rfd_purge(msgbuf, msgbuf->rbase);
	return (1);
}

static int
msgbuf_received(struct msgbuf *msgbuf, size_t n, int fd)
{
	uint64_t	 start = msgbuf->rbase + msgbuf->roff;

	if (fd != -1)
		rfd_add(msgbuf, fd, start, start + n);
	msgbuf->roff += n;
	return (msgbuf_process(msgbuf));
}

static int
msgbuf_readable(struct msgbuf *msgbuf)
{
	if (msgbuf->rbuf == NULL) {
		errno = EINVAL;
		return (-1);
	}
	if (msgbuf->rerrno != 0) {
		errno = msgbuf->rerrno;
		return (-1);
	}
	return (0);
}

/*
 * read(2) has no room for control data: the kernel discards any
 * descriptor the peer sent, so none can leak into this process.
 */
int
ibuf_read(int fd, struct msgbuf *msgbuf)
{
	ssize_t	 n;

	if (msgbuf_readable(msgbuf) == -1)
		return (-1);
	for (;;) {
		n = read(fd, msgbuf->rbuf + msgbuf->roff,
		    IBUF_READ_SIZE - msgbuf->roff);
		if (n != -1)
			break;
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return (1);
		return (-1);
	}
	if (n == 0)
		return (0);
	return (msgbuf_received(msgbuf, n, -1));
}

/* Keep the first descriptor received, close every other one. */
static int
msgbuf_take_fds(struct msghdr *msg)
{
	struct cmsghdr	*cmsg;
	size_t		 i, nfds;
	int		 fd, keep = -1;

	for (cmsg = CMSG_FIRSTHDR(msg); cmsg != NULL;
	    cmsg = CMSG_NXTHDR(msg, cmsg)) {
		if (cmsg->cmsg_level != SOL_SOCKET ||
		    cmsg->cmsg_type != SCM_RIGHTS ||
		    cmsg->cmsg_len < CMSG_LEN(0))
			continue;
		nfds = (cmsg->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (i = 0; i < nfds; i++) {
			memcpy(&fd, CMSG_DATA(cmsg) + i * sizeof(int),
			    sizeof(int));
			if (keep == -1)
				keep = fd;
			else
				close(fd);
		}
	}
	return (keep);
}

/*
 * On MSG_CTRUNC (no free descriptor slot, or more descriptors than
 * room) the data is still there; the marked message then has no fd.
 */
int
msgbuf_read(int fd, struct msgbuf *msgbuf)
{
	union {
		struct cmsghdr	hdr;
		unsigned char	buf[CMSG_SPACE(sizeof(int) * MSGBUF_CMSGFDS)];
	} cmsgbuf;
	struct msghdr	 msg;
	struct iovec	 iov;
	ssize_t		 n;
	int		 rfd;

	if (msgbuf_readable(msgbuf) == -1)
		return (-1);
	for (;;) {
		memset(&msg, 0, sizeof(msg));
		memset(&cmsgbuf, 0, sizeof(cmsgbuf));
		iov.iov_base = msgbuf->rbuf + msgbuf->roff;
		iov.iov_len = IBUF_READ_SIZE - msgbuf->roff;
		msg.msg_iov = &iov;
		msg.msg_iovlen = 1;
		msg.msg_control = cmsgbuf.buf;
		msg.msg_controllen = sizeof(cmsgbuf.buf);
		if ((n = recvmsg(fd, &msg, MSG_CMSG_CLOEXEC)) != -1)
			break;
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return (1);
		return (-1);
	}
	rfd = msgbuf_take_fds(&msg);
	if (n == 0) {
		if (rfd != -1)
			close(rfd);
		return (0);
	}
	return (msgbuf_received(msgbuf, n, rfd));
}
