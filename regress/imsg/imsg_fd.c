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
 * Descriptor passing: the fd belongs to the marked frame, extra or
 * orphaned fds are closed, channels without fd passing never hold one,
 * and a receiver out of descriptor slots still gets the message.
 * Every pipe read end is non-blocking, so a leaked write end shows up
 * as EAGAIN where EOF is expected instead of hanging the test.
 */

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "imsg/imsg.h"
#include "common.h"

#define NTESTS		22
#define MAXPAYLOAD	(MAX_IMSGSIZE - IMSG_HEADER_SIZE)
#define NPIPES		12

struct chan {
	int		 sv[2];
	struct imsgbuf	 tx;		/* writes on sv[0] */
	struct imsgbuf	 rx;		/* reads on sv[1] */
};

static void	chan_open(struct chan *, int, int);
static void	chan_close(struct chan *);
static void	send_fds(int, const void *, size_t, const int *, int);
static int	pipe_carries(int, int, const char *);
static int	highest_fd(void);
static void	test_pass(void);
static void	test_mixed(void);
static void	test_split_header(void);
static void	test_orphan(void);
static void	test_two_fds(void);
static void	test_recv_nofdpass(void);
static void	test_send_nofdpass(void);
static void	test_too_big(void);
static void	test_unclaimed_forward(void);
static void	test_big_with_fd(void);
static int	kernel_refuses_fds(int [2], int);
static int	table_fill(int, const struct rlimit *, int **);
static void	table_unfill(int *, int, const struct rlimit *);
static void	test_emfile(void);

static void
chan_open(struct chan *c, int txpass, int rxpass)
{
	chan_pair(c->sv);
	chan_init(&c->tx, c->sv[0], txpass);
	chan_init(&c->rx, c->sv[1], rxpass);
}

static void
chan_close(struct chan *c)
{
	imsgbuf_clear(&c->tx);
	imsgbuf_clear(&c->rx);
	close(c->sv[0]);
	close(c->sv[1]);
}

/* sendmsg(2) by hand, to make frames our writer would never produce. */
static void
send_fds(int s, const void *data, size_t len, const int *fds, int nfds)
{
	union {
		struct cmsghdr	hdr;
		unsigned char	buf[CMSG_SPACE(sizeof(int) * 4)];
	} cmsgbuf;
	struct msghdr	 msg;
	struct cmsghdr	*cmsg;
	struct iovec	 iov;

	if (nfds < 1 || nfds > 4)
		errx(1, "send_fds: bad count");
	memset(&msg, 0, sizeof(msg));
	memset(&cmsgbuf, 0, sizeof(cmsgbuf));
	iov.iov_base = (void *)data;
	iov.iov_len = len;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = cmsgbuf.buf;
	msg.msg_controllen = CMSG_SPACE(sizeof(int) * nfds);
	cmsg = CMSG_FIRSTHDR(&msg);
	cmsg->cmsg_len = CMSG_LEN(sizeof(int) * nfds);
	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	memcpy(CMSG_DATA(cmsg), fds, sizeof(int) * nfds);
	if (sendmsg(s, &msg, 0) != (ssize_t)len)
		err(1, "sendmsg");
}

/* Write word through wfd and check that it comes out of rfd. */
static int
pipe_carries(int wfd, int rfd, const char *word)
{
	char	 buf[32];
	size_t	 len = strlen(word);

	if (wfd < 0 || write(wfd, word, len) != (ssize_t)len)
		return (0);
	return (read(rfd, buf, sizeof(buf)) == (ssize_t)len &&
	    memcmp(buf, word, len) == 0);
}

static int
highest_fd(void)
{
	DIR		*d;
	struct dirent	*de;
	const char	*errstr;
	int		 fd, max = 0;

	if ((d = opendir("/proc/self/fd")) == NULL)
		err(1, "opendir");
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		fd = strtonum(de->d_name, 0, INT_MAX, &errstr);
		if (errstr != NULL)
			errx(1, "/proc/self/fd/%s: %s", de->d_name, errstr);
		if (fd > max)
			max = fd;
	}
	if (closedir(d) == -1)
		err(1, "closedir");
	return (max);
}

static void
test_pass(void)
{
	struct chan	 c;
	struct imsg	 m;
	int		 p[2], fd = -1, got;

	chan_open(&c, 1, 1);
	pipe_nb(p);
	if (imsg_compose(&c.tx, 1, 0, 0, p[1], "x", 1) != 1 ||
	    imsgbuf_write(&c.tx) == -1)
		err(1, "send");
	tap_ok(!fd_is_open(p[1]), "after sendmsg the sender's copy is closed");
	got = recv_one(&c.rx, &m) == 1;
	if (got)
		fd = imsg_get_fd(&m);
	tap_ok(got && fd >= 0 && imsg_get_fd(&m) == -1,
	    "imsg_get_fd hands the received descriptor over once");
	tap_ok(fd >= 0 && (fcntl(fd, F_GETFD) & FD_CLOEXEC),
	    "the received descriptor is close-on-exec");
	tap_ok(pipe_carries(fd, p[0], "ping"),
	    "writing through it reaches the original pipe");
	if (fd >= 0)
		close(fd);
	tap_ok(read(p[0], &fd, 1) == 0, "once closed, the pipe sees EOF");
	if (got)
		imsg_free(&m);
	close(p[0]);
	chan_close(&c);
}

/* Frames with and without fds, several per read: each fd finds its own. */
static void
test_mixed(void)
{
	struct chan	 c;
	struct imsg	 m;
	uint32_t	 type;
	int		 p[NPIPES][2], i, n, fd, ok = 1, got = 0;
	char		 word[16];

	chan_open(&c, 1, 1);
	for (i = 0; i < NPIPES; i++) {
		pipe_nb(p[i]);
		if (imsg_compose(&c.tx, 100 + i, 0, 0, -1, NULL, 0) != 1 ||
		    imsg_compose(&c.tx, i, 0, 0, p[i][1], "f", 1) != 1)
			err(1, "imsg_compose");
	}
	if (imsgbuf_flush(&c.tx) == -1)
		err(1, "imsgbuf_flush");
	while (got < 2 * NPIPES && recv_one(&c.rx, &m) == 1) {
		fd = imsg_get_fd(&m);
		type = imsg_get_type(&m);
		if (type >= 100) {
			if (fd != -1)
				ok = 0;
		} else if (type >= NPIPES || type != (uint32_t)got / 2) {
			ok = 0;
		} else {
			n = snprintf(word, sizeof(word), "w%u", type);
			if (n < 0 || (size_t)n >= sizeof(word))
				errx(1, "snprintf");
			if (!pipe_carries(fd, p[type][0], word))
				ok = 0;
		}
		if (fd != -1)
			close(fd);
		imsg_free(&m);
		got++;
	}
	tap_ok(ok && got == 2 * NPIPES,
	    "%d frames with fds among frames without: each fd on its frame",
	    NPIPES);
	for (i = 0; i < NPIPES; i++)
		close(p[i][0]);
	chan_close(&c);
}

/* The fd arrives with the first 5 bytes of its header. */
static void
test_split_header(void)
{
	struct chan	 c;
	struct imsg	 m;
	unsigned char	 frame[64], pay[24];
	size_t		 len;
	int		 p[2], fd = -1, early;

	chan_open(&c, 1, 1);
	pipe_nb(p);
	pattern(pay, sizeof(pay), 4);
	len = wire_frame(frame, sizeof(frame), 8, 40 | WIRE_FD_MARK, pay,
	    sizeof(pay));
	send_fds(c.sv[0], frame, 5, &p[1], 1);
	close(p[1]);
	early = imsgbuf_read(&c.rx) != 1 || imsgbuf_get(&c.rx, &m) != 0;
	write_all(c.sv[0], frame + 5, len - 5);
	if (recv_one(&c.rx, &m) == 1) {
		fd = imsg_get_fd(&m);
		imsg_free(&m);
	}
	tap_ok(!early && pipe_carries(fd, p[0], "late"),
	    "an fd that comes before its header is complete is kept for it");
	if (fd >= 0)
		close(fd);
	close(p[0]);
	chan_close(&c);
}

static void
test_orphan(void)
{
	struct chan	 c;
	struct imsg	 m;
	unsigned char	 frame[64];
	size_t		 len;
	int		 p[2], n0, fd = 0, got;

	chan_open(&c, 1, 1);
	pipe_nb(p);
	len = wire_frame(frame, sizeof(frame), 8, 20, "abcd", 4);
	send_fds(c.sv[0], frame, len, &p[1], 1);
	close(p[1]);
	n0 = fd_count();
	got = recv_one(&c.rx, &m) == 1;
	if (got) {
		fd = imsg_get_fd(&m);
		imsg_free(&m);
	}
	tap_ok(got && fd == -1 && fd_count() == n0 &&
	    read(p[0], &fd, 1) == 0,
	    "an fd sent with an unmarked frame is closed by the receiver");
	close(p[0]);
	chan_close(&c);
}

static void
test_two_fds(void)
{
	struct chan	 c;
	struct imsg	 m;
	unsigned char	 frame[64];
	size_t		 len;
	int		 p[2], q[2], fds[2], n0, n1 = -1, fd = -1;

	chan_open(&c, 1, 1);
	pipe_nb(p);
	pipe_nb(q);
	len = wire_frame(frame, sizeof(frame), 8, 20 | WIRE_FD_MARK, "abcd", 4);
	fds[0] = p[1];
	fds[1] = q[1];
	send_fds(c.sv[0], frame, len, fds, 2);
	close(p[1]);
	close(q[1]);
	n0 = fd_count();
	if (recv_one(&c.rx, &m) == 1) {
		fd = imsg_get_fd(&m);
		n1 = fd_count();
		imsg_free(&m);
	}
	tap_ok(pipe_carries(fd, p[0], "first") && n1 == n0 + 1,
	    "of two fds in one message only the first is kept");
	tap_ok(read(q[0], &n0, 1) == 0, "the second one was closed");
	if (fd >= 0)
		close(fd);
	close(p[0]);
	close(q[0]);
	chan_close(&c);
}

/* The sender passes an fd, the receiver has not allowed fd passing. */
static void
test_recv_nofdpass(void)
{
	struct chan	 c;
	struct imsg	 m;
	int		 p[2], n0, n1, fd = 0, got;

	chan_open(&c, 1, 0);
	pipe_nb(p);
	n0 = fd_count();
	if (imsg_compose(&c.tx, 1, 0, 0, p[1], "x", 1) != 1 ||
	    imsgbuf_write(&c.tx) == -1)
		err(1, "send");
	n1 = fd_count();
	got = recv_one(&c.rx, &m) == 1;
	if (got) {
		fd = imsg_get_fd(&m);
		imsg_free(&m);
	}
	tap_ok(got && n1 == n0 - 1 && fd == -1,
	    "without fd passing the message arrives, without its fd");
	tap_ok(fd_count() == n1 && read(p[0], &fd, 1) == 0,
	    "the fd never entered the receiver (fd count, pipe EOF)");
	close(p[0]);
	chan_close(&c);
}

static void
test_send_nofdpass(void)
{
	struct chan	 c;
	struct imsg_hdr	 hdr;
	int		 p[2], closed;

	chan_open(&c, 0, 1);
	pipe_nb(p);
	if (imsg_compose(&c.tx, 1, 0, 0, p[1], "x", 1) != 1)
		err(1, "imsg_compose");
	closed = !fd_is_open(p[1]);
	tap_ok(closed && read(p[0], &hdr, 1) == 0,
	    "a channel without fd passing closes a composed fd at once");
	if (imsgbuf_write(&c.tx) == -1)
		err(1, "imsgbuf_write");
	tap_ok(read(c.sv[1], &hdr, sizeof(hdr)) == (ssize_t)sizeof(hdr) &&
	    hdr.len == WIRE_HDR_SIZE + 1,
	    "and its header goes out without the fd mark");
	close(p[0]);
	chan_close(&c);
}

static void
test_too_big(void)
{
	struct chan	 c;
	unsigned char	*buf;
	int		 p[2], r;

	chan_open(&c, 1, 1);
	pipe_nb(p);
	if ((buf = calloc(1, MAXPAYLOAD + 1)) == NULL)
		err(1, NULL);
	errno = 0;
	r = imsg_compose(&c.tx, 1, 0, 0, p[1], buf, MAXPAYLOAD + 1);
	tap_ok(r == -1 && errno == ERANGE && imsgbuf_queuelen(&c.tx) == 0 &&
	    !fd_is_open(p[1]) && read(p[0], buf, 1) == 0,
	    "compose of max+1 bytes with an fd: ERANGE, fd closed");
	free(buf);
	close(p[0]);
	chan_close(&c);
}

static void
test_unclaimed_forward(void)
{
	struct chan	 a, b;
	struct imsg	 m, f;
	int		 p[2], q[2], n0, fd, ffd;

	chan_open(&a, 1, 1);
	chan_open(&b, 1, 1);
	pipe_nb(p);
	pipe_nb(q);
	if (imsg_compose(&a.tx, 1, 0, 0, p[1], "x", 1) != 1 ||
	    imsg_compose(&a.tx, 2, 0, 0, q[1], "y", 1) != 1 ||
	    imsgbuf_flush(&a.tx) == -1 || recv_one(&a.rx, &m) != 1)
		err(1, "setup");
	if (imsg_forward(&b.tx, &m) != 1 || imsgbuf_flush(&b.tx) == -1 ||
	    recv_one(&b.rx, &f) != 1)
		err(1, "forward");
	ffd = imsg_get_fd(&f);
	imsg_free(&f);
	fd = imsg_get_fd(&m);
	imsg_free(&m);
	tap_ok(ffd == -1 && pipe_carries(fd, p[0], "orig"),
	    "imsg_forward does not forward the fd; the original keeps it");
	close(fd);

	if (recv_one(&a.rx, &m) != 1)
		err(1, "receive");
	n0 = fd_count();
	imsg_free(&m);
	tap_ok(fd_count() == n0 - 1 && read(q[0], &fd, 1) == 0,
	    "imsg_free closes an fd nobody claimed");
	close(p[0]);
	close(q[0]);
	chan_close(&a);
	chan_close(&b);
}

/* A max-size frame with an fd over tiny socket buffers. */
static void
test_big_with_fd(void)
{
	struct chan	 c;
	struct imsg	 m;
	unsigned char	*buf;
	int		 p[2], sz = 4096, i, ok = 1, fd;

	chan_open(&c, 1, 1);
	if (setsockopt(c.sv[0], SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz)) == -1 ||
	    setsockopt(c.sv[1], SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz)) == -1)
		err(1, "setsockopt");
	pipe_nb(p);
	if ((buf = malloc(MAXPAYLOAD)) == NULL)
		err(1, NULL);
	pattern(buf, MAXPAYLOAD, 5);
	for (i = 0; i < 3; i++)
		if (imsg_compose(&c.tx, i, 0, 0, i == 1 ? p[1] : -1, buf,
		    MAXPAYLOAD) != 1)
			err(1, "imsg_compose");
	if (pump(&c.tx, &c.rx) == -1)
		err(1, "pump");
	for (i = 0; i < 3; i++) {
		if (imsgbuf_get(&c.rx, &m) != 1) {
			ok = 0;
			break;
		}
		fd = imsg_get_fd(&m);
		if (!pattern_ok(m.data, MAXPAYLOAD, 5) ||
		    (i == 1) != (fd >= 0) ||
		    (i == 1 && !pipe_carries(fd, p[0], "big")))
			ok = 0;
		if (fd >= 0)
			close(fd);
		imsg_free(&m);
	}
	tap_ok(ok, "an fd rides with a max-size frame over partial reads");
	free(buf);
	close(p[0]);
	chan_close(&c);
}

/*
 * Check that a full descriptor table really stops the kernel from
 * installing a received fd.  Under valgrind the soft limit is only
 * simulated, so the test is skipped there.
 */
static int
kernel_refuses_fds(int probe[2], int sendfd)
{
	union {
		struct cmsghdr	hdr;
		unsigned char	buf[CMSG_SPACE(sizeof(int))];
	} cmsgbuf;
	struct msghdr	 msg;
	struct cmsghdr	*cmsg;
	struct iovec	 iov;
	char		 c;
	int		 fd;

	send_fds(probe[0], "p", 1, &sendfd, 1);
	memset(&msg, 0, sizeof(msg));
	iov.iov_base = &c;
	iov.iov_len = 1;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = cmsgbuf.buf;
	msg.msg_controllen = sizeof(cmsgbuf.buf);
	if (recvmsg(probe[1], &msg, MSG_CMSG_CLOEXEC) != 1)
		err(1, "recvmsg probe");
	cmsg = CMSG_FIRSTHDR(&msg);
	if (cmsg != NULL && cmsg->cmsg_type == SCM_RIGHTS) {
		memcpy(&fd, CMSG_DATA(cmsg), sizeof(fd));
		close(fd);
		return (0);
	}
	return ((msg.msg_flags & MSG_CTRUNC) != 0);
}

/*
 * Lower the soft descriptor limit just above the highest open fd and
 * fill every free slot below it.  Returns the number of fillers, or -1
 * when the table cannot be set up that way (valgrind keeps its own
 * descriptors above the limit it reports).
 */
static int
table_fill(int dupfd, const struct rlimit *rl, int **fillp)
{
	struct rlimit	 low = *rl;
	int		*fill, nfill = 0, fd;

	low.rlim_cur = highest_fd() + 1 + 16;
	if (low.rlim_cur > rl->rlim_cur)
		return (-1);
	if ((fill = reallocarray(NULL, low.rlim_cur, sizeof(*fill))) == NULL)
		err(1, NULL);
	if (setrlimit(RLIMIT_NOFILE, &low) == -1)
		err(1, "setrlimit");
	while ((rlim_t)nfill < low.rlim_cur && (fd = dup(dupfd)) != -1)
		fill[nfill++] = fd;
	if ((rlim_t)nfill == low.rlim_cur || errno != EMFILE)
		errx(1, "could not fill the descriptor table");
	*fillp = fill;
	return (nfill);
}

static void
table_unfill(int *fill, int nfill, const struct rlimit *rl)
{
	int	 i;

	for (i = 0; i < nfill; i++)
		close(fill[i]);
	free(fill);
	if (setrlimit(RLIMIT_NOFILE, rl) == -1)
		err(1, "setrlimit");
}

/* Both messages must arrive; the first one has lost its fd. */
static void
test_emfile(void)
{
	struct chan	 c;
	struct imsg	 m;
	struct rlimit	 rl;
	int		 p[2], r[2], probe[2], *fill, nfill, fd, i;
	int		 ok1 = 0, ok2 = 0;

	chan_open(&c, 1, 1);
	chan_pair(probe);
	pipe_nb(p);
	if (imsg_compose(&c.tx, 1, 0, 0, p[1], "a", 1) != 1 ||
	    imsg_compose(&c.tx, 2, 0, 0, -1, "b", 1) != 1 ||
	    imsgbuf_flush(&c.tx) == -1)
		err(1, "send");
	if (getrlimit(RLIMIT_NOFILE, &rl) == -1)
		err(1, "getrlimit");
	if ((nfill = table_fill(probe[0], &rl, &fill)) == -1)
		goto skip;
	if (!kernel_refuses_fds(probe, p[0])) {
		table_unfill(fill, nfill, &rl);
		goto skip;
	}
	if (recv_one(&c.rx, &m) == 1) {
		ok1 = imsg_get_type(&m) == 1 && imsg_get_fd(&m) == -1 &&
		    imsg_get_len(&m) == 1;
		imsg_free(&m);
	}
	if (recv_one(&c.rx, &m) == 1) {
		ok2 = imsg_get_type(&m) == 2 && imsg_get_len(&m) == 1;
		imsg_free(&m);
	}
	table_unfill(fill, nfill, &rl);
	tap_ok(ok1, "out of descriptors: the message still arrives, "
	    "imsg_get_fd is -1");
	tap_ok(ok2, "the next message is fine");
	tap_ok(read(p[0], &fd, 1) == 0, "the lost fd is not leaked (pipe EOF)");
	pipe_nb(r);
	if (imsg_compose(&c.tx, 3, 0, 0, r[1], "c", 1) != 1 ||
	    imsgbuf_flush(&c.tx) == -1 || recv_one(&c.rx, &m) != 1)
		err(1, "resend");
	fd = imsg_get_fd(&m);
	imsg_free(&m);
	tap_ok(pipe_carries(fd, r[0], "again"),
	    "with slots free again, fd passing works on that channel");
	if (fd >= 0)
		close(fd);
	close(r[0]);
	goto done;
 skip:
	for (i = 0; i < 4; i++)
		tap_skip("cannot exhaust the descriptor table here (valgrind?)");
	for (i = 0; i < 2 && recv_one(&c.rx, &m) == 1; i++)
		imsg_free(&m);
 done:
	close(probe[0]);
	close(probe[1]);
	close(p[0]);
	chan_close(&c);
}

int
main(void)
{
	test_init();
	tap_plan(NTESTS);
	test_pass();
	test_mixed();
	test_split_header();
	test_orphan();
	test_two_fds();
	test_recv_nofdpass();
	test_send_nofdpass();
	test_too_big();
	test_unclaimed_forward();
	test_big_with_fd();
	test_emfile();
	return (tap_end());
}
