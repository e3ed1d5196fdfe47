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
 * imsg channels on top of the msgbuf layer, as described in OpenBSD's
 * imsg_init(3).  The channel is a non-blocking AF_UNIX stream socket.
 * Descriptors travel only when both ends called imsgbuf_allow_fdpass();
 * otherwise the sender closes them at compose time and the receiver
 * reads without room for control data, so the kernel discards them.
 */

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "imsg.h"

#define IMSG_ALLOW_FDPASS	0x01
#define IMSG_FD_MARK		0x80000000U

static struct ibuf	*imsg_parse_hdr(struct ibuf *, void *, int *);
static int		 imsg_wait_writable(int);

int
imsgbuf_init(struct imsgbuf *imsgbuf, int fd)
{
	imsgbuf->w = msgbuf_new_reader(IMSG_HEADER_SIZE, imsg_parse_hdr,
	    imsgbuf);
	if (imsgbuf->w == NULL)
		return (-1);
	imsgbuf->pid = getpid();
	imsgbuf->maxsize = MAX_IMSGSIZE;
	imsgbuf->fd = fd;
	imsgbuf->flags = 0;
	return (0);
}

void
imsgbuf_allow_fdpass(struct imsgbuf *imsgbuf)
{
	imsgbuf->flags |= IMSG_ALLOW_FDPASS;
}

/* max is a payload size; the limit kept includes the header. */
int
imsgbuf_set_maxsize(struct imsgbuf *imsgbuf, uint32_t max)
{
	if (max > UINT32_MAX - IMSG_HEADER_SIZE) {
		errno = ERANGE;
		return (-1);
	}
	max += IMSG_HEADER_SIZE;
	if (max & IMSG_FD_MARK) {
		errno = EINVAL;
		return (-1);
	}
	imsgbuf->maxsize = max;
	return (0);
}

int
imsgbuf_read(struct imsgbuf *imsgbuf)
{
	if (imsgbuf->w == NULL) {
		errno = EINVAL;
		return (-1);
	}
	if (imsgbuf->flags & IMSG_ALLOW_FDPASS)
		return (msgbuf_read(imsgbuf->fd, imsgbuf->w));
	return (ibuf_read(imsgbuf->fd, imsgbuf->w));
}

int
imsgbuf_write(struct imsgbuf *imsgbuf)
{
	if (imsgbuf->w == NULL) {
		errno = EINVAL;
		return (-1);
	}
	if (imsgbuf->flags & IMSG_ALLOW_FDPASS)
		return (msgbuf_write(imsgbuf->fd, imsgbuf->w));
	return (ibuf_write(imsgbuf->fd, imsgbuf->w));
}

static int
imsg_wait_writable(int fd)
{
	struct pollfd	 pfd;

	pfd.fd = fd;
	pfd.events = POLLOUT;
	pfd.revents = 0;
	while (poll(&pfd, 1, -1) == -1) {
		if (errno != EINTR && errno != EAGAIN)
			return (-1);
	}
	return (0);
}

/*
 * Write until the queue is empty.  Rather than spin on a non-blocking
 * socket that is full, wait in poll(2) until it takes more; a peer that
 * has gone away makes the next write fail with EPIPE.
 */
int
imsgbuf_flush(struct imsgbuf *imsgbuf)
{
	while (imsgbuf_queuelen(imsgbuf) > 0) {
		if (imsgbuf_write(imsgbuf) == -1)
			return (-1);
		if (imsgbuf_queuelen(imsgbuf) > 0 &&
		    imsg_wait_writable(imsgbuf->fd) == -1)
			return (-1);
	}
	return (0);
}

void
imsgbuf_clear(struct imsgbuf *imsgbuf)
{
	msgbuf_free(imsgbuf->w);
	imsgbuf->w = NULL;
}

uint32_t
imsgbuf_queuelen(struct imsgbuf *imsgbuf)
{
	if (imsgbuf->w == NULL)
		return (0);
	return (msgbuf_queuelen(imsgbuf->w));
}

int
imsgbuf_get(struct imsgbuf *imsgbuf, struct imsg *imsg)
{
	struct imsg	 m;
	struct ibuf	*buf;

	if (imsgbuf->w == NULL || (buf = msgbuf_get(imsgbuf->w)) == NULL)
		return (0);
	if (ibuf_get(buf, &m.hdr, sizeof(m.hdr)) == -1) {
		ibuf_free(buf);
		return (-1);
	}
	m.hdr.len &= ~IMSG_FD_MARK;
	m.data = ibuf_size(buf) > 0 ? ibuf_data(buf) : NULL;
	m.buf = buf;
	*imsg = m;
	return (1);
}

/* Older entry point: the whole frame's length, header included. */
ssize_t
imsg_get(struct imsgbuf *imsgbuf, struct imsg *imsg)
{
	int	 rv;

	if ((rv = imsgbuf_get(imsgbuf, imsg)) != 1)
		return (rv);
	return (imsg_get_len(imsg) + IMSG_HEADER_SIZE);
}

int
imsg_get_ibuf(struct imsg *imsg, struct ibuf *ibuf)
{
	if (ibuf_size(imsg->buf) == 0) {
		errno = EBADMSG;
		return (-1);
	}
	return (ibuf_get_ibuf(imsg->buf, ibuf_size(imsg->buf), ibuf));
}

/* Copy the payload only if it is exactly len bytes long. */
int
imsg_get_data(struct imsg *imsg, void *data, size_t len)
{
	if (len == 0) {
		errno = EINVAL;
		return (-1);
	}
	if (ibuf_size(imsg->buf) != len) {
		errno = EBADMSG;
		return (-1);
	}
	return (ibuf_get(imsg->buf, data, len));
}

int
imsg_get_buf(struct imsg *imsg, void *data, size_t len)
{
	return (ibuf_get(imsg->buf, data, len));
}

int
imsg_get_strbuf(struct imsg *imsg, char *str, size_t len)
{
	return (ibuf_get_strbuf(imsg->buf, str, len));
}

int
imsg_get_fd(struct imsg *imsg)
{
	return (ibuf_fd_get(imsg->buf));
}

uint32_t
imsg_get_id(struct imsg *imsg)
{
	return (imsg->hdr.peerid);
}

/* The payload length as sent, however much of it was read already. */
size_t
imsg_get_len(struct imsg *imsg)
{
	if (imsg->hdr.len < IMSG_HEADER_SIZE)
		return (0);
	return (imsg->hdr.len - IMSG_HEADER_SIZE);
}

pid_t
imsg_get_pid(struct imsg *imsg)
{
	return (imsg->hdr.pid);
}

uint32_t
imsg_get_type(struct imsg *imsg)
{
	return (imsg->hdr.type);
}

/*
 * Queue a copy of a received message, payload included and descriptor
 * excluded.  The message itself is left as it was, so it can still be
 * read or forwarded again.
 */
int
imsg_forward(struct imsgbuf *imsgbuf, struct imsg *msg)
{
	struct ibuf	*wbuf;
	struct ibuf	 payload;
	size_t		 len;

	len = msg->buf->wpos - IMSG_HEADER_SIZE;
	ibuf_from_buffer(&payload, msg->buf->buf + IMSG_HEADER_SIZE, len);
	if ((wbuf = imsg_create(imsgbuf, msg->hdr.type, msg->hdr.peerid,
	    msg->hdr.pid, len)) == NULL)
		return (-1);
	if (ibuf_add_ibuf(wbuf, &payload) == -1) {
		ibuf_free(wbuf);
		return (-1);
	}
	imsg_close(imsgbuf, wbuf);
	return (1);
}

/* A descriptor handed over with a message that fails is closed. */
int
imsg_compose(struct imsgbuf *imsgbuf, uint32_t type, uint32_t id, pid_t pid,
    int fd, const void *data, size_t datalen)
{
	struct ibuf	*wbuf;

	if ((wbuf = imsg_create(imsgbuf, type, id, pid, datalen)) == NULL)
		goto fail;
	if (ibuf_add(wbuf, data, datalen) == -1)
		goto fail;
	ibuf_fd_set(wbuf, fd);
	imsg_close(imsgbuf, wbuf);
	return (1);

 fail:
	ibuf_free(wbuf);
	if (fd >= 0)
		close(fd);
	return (-1);
}

int
imsg_composev(struct imsgbuf *imsgbuf, uint32_t type, uint32_t id, pid_t pid,
    int fd, const struct iovec *iov, int iovcnt)
{
	struct ibuf	*wbuf = NULL;
	size_t		 datalen = 0;
	int		 i;

	if (iovcnt < 0) {
		errno = EINVAL;
		goto fail;
	}
	for (i = 0; i < iovcnt; i++) {
		if (iov[i].iov_len > SIZE_MAX - datalen) {
			errno = ERANGE;
			goto fail;
		}
		datalen += iov[i].iov_len;
	}
	if ((wbuf = imsg_create(imsgbuf, type, id, pid, datalen)) == NULL)
		goto fail;
	for (i = 0; i < iovcnt; i++)
		if (ibuf_add(wbuf, iov[i].iov_base, iov[i].iov_len) == -1)
			goto fail;
	ibuf_fd_set(wbuf, fd);
	imsg_close(imsgbuf, wbuf);
	return (1);

 fail:
	ibuf_free(wbuf);
	if (fd >= 0)
		close(fd);
	return (-1);
}

/*
 * Queue a header and then buf itself as the payload.  buf is consumed
 * in every case.  It cannot carry a descriptor: one would not travel
 * with the header, so it is closed.
 */
int
imsg_compose_ibuf(struct imsgbuf *imsgbuf, uint32_t type, uint32_t id,
    pid_t pid, struct ibuf *buf)
{
	struct ibuf	*hdrbuf = NULL;
	struct imsg_hdr	 hdr;

	if (imsgbuf->w == NULL) {
		errno = EINVAL;
		goto fail;
	}
	if (ibuf_size(buf) > imsgbuf->maxsize - IMSG_HEADER_SIZE) {
		errno = ERANGE;
		goto fail;
	}
	ibuf_fd_set(buf, -1);
	hdr.type = type;
	hdr.len = ibuf_size(buf) + IMSG_HEADER_SIZE;
	hdr.peerid = id;
	hdr.pid = pid != 0 ? pid : imsgbuf->pid;
	if ((hdrbuf = ibuf_open(IMSG_HEADER_SIZE)) == NULL)
		goto fail;
	if (ibuf_add(hdrbuf, &hdr, sizeof(hdr)) == -1)
		goto fail;
	ibuf_close(imsgbuf->w, hdrbuf);
	ibuf_close(imsgbuf->w, buf);
	return (1);

 fail:
	ibuf_free(buf);
	ibuf_free(hdrbuf);
	return (-1);
}

/*
 * Start a message with room for datalen bytes of payload.  It may grow
 * with imsg_add() up to the channel's maximum size.
 */
struct ibuf *
imsg_create(struct imsgbuf *imsgbuf, uint32_t type, uint32_t id, pid_t pid,
    size_t datalen)
{
	struct ibuf	*wbuf;
	struct imsg_hdr	 hdr;

	if (imsgbuf->w == NULL) {
		errno = EINVAL;
		return (NULL);
	}
	if (datalen > imsgbuf->maxsize - IMSG_HEADER_SIZE) {
		errno = ERANGE;
		return (NULL);
	}
	hdr.type = type;
	hdr.len = 0;
	hdr.peerid = id;
	hdr.pid = pid != 0 ? pid : imsgbuf->pid;
	if ((wbuf = ibuf_dynamic(datalen + IMSG_HEADER_SIZE,
	    imsgbuf->maxsize)) == NULL)
		return (NULL);
	if (ibuf_add(wbuf, &hdr, sizeof(hdr)) == -1) {
		ibuf_free(wbuf);
		return (NULL);
	}
	return (wbuf);
}

/* On failure the message is freed, as imsg_init(3) documents. */
int
imsg_add(struct ibuf *msg, const void *data, size_t datalen)
{
	if (msg == NULL) {
		errno = EINVAL;
		return (-1);
	}
	if (datalen > INT_MAX) {
		ibuf_free(msg);
		errno = ERANGE;
		return (-1);
	}
	if (ibuf_add(msg, data, datalen) == -1) {
		ibuf_free(msg);
		return (-1);
	}
	return ((int)datalen);
}

/*
 * Patch the final length into the header and queue the message.  The
 * fd mark is set only when the descriptor can travel; on a channel
 * without fd passing the descriptor is closed here, at once.
 */
void
imsg_close(struct imsgbuf *imsgbuf, struct ibuf *msg)
{
	uint32_t	 len;

	if (msg == NULL)
		return;
	if (imsgbuf->w == NULL) {
		ibuf_free(msg);
		return;
	}
	len = msg->wpos;
	if (ibuf_fd_avail(msg)) {
		if (imsgbuf->flags & IMSG_ALLOW_FDPASS)
			len |= IMSG_FD_MARK;
		else
			ibuf_fd_set(msg, -1);
	}
	msg->rpos = 0;
	if (ibuf_set_h32(msg, offsetof(struct imsg_hdr, len), len) == -1) {
		ibuf_free(msg);
		return;
	}
	ibuf_close(imsgbuf->w, msg);
}

void
imsg_free(struct imsg *imsg)
{
	ibuf_free(imsg->buf);
	imsg->buf = NULL;
	imsg->data = NULL;
}

int
imsg_set_maxsize(struct ibuf *msg, size_t max)
{
	if (max > UINT32_MAX - IMSG_HEADER_SIZE) {
		errno = ERANGE;
		return (-1);
	}
	return (ibuf_set_maxsize(msg, max + IMSG_HEADER_SIZE));
}

/*
 * Header parser for the msgbuf reader.  A length outside
 * [IMSG_HEADER_SIZE, maxsize] kills the channel with ERANGE.  A marked
 * header takes the descriptor offered for it, if any.
 */
static struct ibuf *
imsg_parse_hdr(struct ibuf *hbuf, void *arg, int *fd)
{
	struct imsgbuf	*imsgbuf = arg;
	struct imsg_hdr	 hdr;
	struct ibuf	*b;
	uint32_t	 len;

	if (ibuf_get(hbuf, &hdr, sizeof(hdr)) == -1)
		return (NULL);
	len = hdr.len & ~IMSG_FD_MARK;
	if (len < IMSG_HEADER_SIZE || len > imsgbuf->maxsize) {
		errno = ERANGE;
		return (NULL);
	}
	if ((b = ibuf_open(len)) == NULL)
		return (NULL);
	if ((hdr.len & IMSG_FD_MARK) && *fd >= 0 &&
	    (imsgbuf->flags & IMSG_ALLOW_FDPASS)) {
		ibuf_fd_set(b, *fd);
		*fd = -1;
	}
	return (b);
}
