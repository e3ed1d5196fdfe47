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
 * Queues of buffers and their socket I/O (struct msgbuf), as described in
 * OpenBSD's ibuf_add(3).
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
