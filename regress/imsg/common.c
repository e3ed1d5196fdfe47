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

/* TAP output and channel helpers shared by the imsg regress programs. */

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/socket.h>

#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "imsg/imsg.h"
#include "common.h"

/*
 * How long helpers wait for data that should already be there; only a
 * failing test waits that long, and valgrind needs some slack.
 */
#define WAIT_MS		10000

static int	 tap_planned, tap_count, tap_failed;

void
tap_plan(int n)
{
	tap_planned = n;
	printf("1..%d\n", n);
}

int
tap_ok(int cond, const char *fmt, ...)
{
	va_list	 ap;

	tap_count++;
	if (!cond)
		tap_failed++;
	printf("%sok %d - ", cond ? "" : "not ", tap_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	return (cond);
}

void
tap_skip(const char *fmt, ...)
{
	va_list	 ap;

	tap_count++;
	printf("ok %d # SKIP ", tap_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

void
tap_diag(const char *fmt, ...)
{
	va_list	 ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

int
tap_end(void)
{
	if (tap_count != tap_planned) {
		tap_diag("planned %d tests but ran %d", tap_planned, tap_count);
		return (1);
	}
	return (tap_failed > 0);
}

void
test_init(void)
{
	/* Line buffering keeps TAP lines whole across fork(2). */
	if (setvbuf(stdout, NULL, _IOLBF, 0) != 0)
		errx(1, "setvbuf");
	if (signal(SIGPIPE, SIG_IGN) == SIG_ERR)
		err(1, "signal");
}

void
chan_pair(int sv[2])
{
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0,
	    sv) == -1)
		err(1, "socketpair");
}

void
chan_init(struct imsgbuf *ib, int fd, int fdpass)
{
	if (imsgbuf_init(ib, fd) == -1)
		err(1, "imsgbuf_init");
	if (fdpass)
		imsgbuf_allow_fdpass(ib);
}

/* Number of open descriptors, not counting the one used to look. */
int
fd_count(void)
{
	DIR		*d;
	struct dirent	*de;
	int		 n = 0;

	if ((d = opendir("/proc/self/fd")) == NULL)
		err(1, "opendir /proc/self/fd");
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.')
			n++;
	if (closedir(d) == -1)
		err(1, "closedir");
	return (n - 1);
}

int
fd_is_open(int fd)
{
	return (fcntl(fd, F_GETFD) != -1);
}

void
pattern(unsigned char *p, size_t len, unsigned int seed)
{
	uint32_t	 x = seed * 2654435761U + 1;
	size_t		 i;

	for (i = 0; i < len; i++) {
		x = x * 1103515245U + 12345U;
		p[i] = x >> 24;
	}
}

int
pattern_ok(const unsigned char *p, size_t len, unsigned int seed)
{
	uint32_t	 x = seed * 2654435761U + 1;
	size_t		 i;

	for (i = 0; i < len; i++) {
		x = x * 1103515245U + 12345U;
		if (p[i] != (unsigned char)(x >> 24))
			return (0);
	}
	return (1);
}

static int
wait_fd(int fd, short events, int ms)
{
	struct pollfd	 pfd;
	int		 n;

	pfd.fd = fd;
	pfd.events = events;
	pfd.revents = 0;
	while ((n = poll(&pfd, 1, ms)) == -1)
		if (errno != EINTR)
			err(1, "poll");
	return (n);
}

/*
 * Move everything queued on from over to to, then read until the
 * socket is drained.  Returns -1 if either side reports an error.
 */
int
pump(struct imsgbuf *from, struct imsgbuf *to)
{
	while (imsgbuf_queuelen(from) > 0) {
		if (imsgbuf_write(from) == -1)
			return (-1);
		if (imsgbuf_read(to) != 1)
			return (-1);
	}
	while (wait_fd(to->fd, POLLIN, 0) > 0)
		if (imsgbuf_read(to) != 1)
			return (-1);
	return (0);
}

/* Get one message, reading as needed: 1 got one, 0 none, -1 error. */
int
recv_one(struct imsgbuf *ib, struct imsg *imsg)
{
	int	 n, tries;

	for (tries = 0; tries < 64; tries++) {
		if ((n = imsgbuf_get(ib, imsg)) != 0)
			return (n);
		if (wait_fd(ib->fd, POLLIN, WAIT_MS) == 0)
			return (0);
		if ((n = imsgbuf_read(ib)) != 1)
			return (n);
	}
	return (0);
}

void
write_all(int fd, const void *buf, size_t len)
{
	const unsigned char	*p = buf;
	ssize_t			 n;

	while (len > 0) {
		if ((n = write(fd, p, len)) == -1) {
			if (errno == EAGAIN &&
			    wait_fd(fd, POLLOUT, WAIT_MS) > 0)
				continue;
			err(1, "write");
		}
		p += n;
		len -= n;
	}
}

/* Build a raw frame with any len field, valid or not. */
size_t
wire_frame(unsigned char *out, size_t outlen, uint32_t type, uint32_t lenfield,
    const void *payload, size_t paylen)
{
	uint32_t	 hdr[4];

	if (outlen < WIRE_HDR_SIZE + paylen)
		errx(1, "wire_frame: buffer too small");
	hdr[0] = type;
	hdr[1] = lenfield;
	hdr[2] = 0;
	hdr[3] = 0;
	memcpy(out, hdr, sizeof(hdr));
	if (paylen > 0)
		memcpy(out + WIRE_HDR_SIZE, payload, paylen);
	return (WIRE_HDR_SIZE + paylen);
}

void
pipe_nb(int p[2])
{
	if (pipe2(p, O_NONBLOCK | O_CLOEXEC) == -1)
		err(1, "pipe2");
}
