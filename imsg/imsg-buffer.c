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
 * Buffers (struct ibuf), as described in OpenBSD's ibuf_add(3).  The
 * queues of buffers with their socket I/O (struct msgbuf) are in msgbuf.c.
 *
 * A heap ibuf always owns at least one allocated byte, so ibuf_data()
 * never has to do arithmetic on a null pointer.  Memory that held
 * payload is cleared before it is given back (recallocarray, freezero),
 * because API keys travel through these buffers.
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

static int	ibuf_grow(struct ibuf *, size_t);
static void	ibuf_encode(unsigned char *, uint64_t, size_t, int);
static int	ibuf_add_uint(struct ibuf *, uint64_t, size_t, int);
static int	ibuf_set_uint(struct ibuf *, size_t, uint64_t, size_t, int);


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
