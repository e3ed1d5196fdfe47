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
 * wrongver: speak the ocodex protocol with the wrong version.
 *
 * Installed in place of a helper (argv[0] ends in "ocodex-ui" or similar),
 * it says hello with version OCODEX_PROTOCOL_VERSION + 1 on the channel,
 * as a helper from another release would, and waits for the parent to
 * hang up.  Run as "wrongver -p HELPER" it plays the parent instead: it
 * starts HELPER with a channel on fd 3, says hello with the wrong version
 * and prints what the helper logged and how it ended.
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <err.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "imsg/imsg.h"
#include "imsg/proto.h"

static void
hello(struct imsgbuf *ib, int role)
{
	struct msg_hello	h;

	memset(&h, 0, sizeof(h));
	h.version = OCODEX_PROTOCOL_VERSION + 1;
	h.role = role;
	h.pid = getpid();
	if (imsg_compose(ib, IMSG_HELLO, 0, 0, -1, &h, sizeof(h)) == -1 ||
	    imsgbuf_flush(ib) == -1)
		err(1, "hello");
}

/* Read until EOF, printing the text of every log record. */
static void
drain(struct imsgbuf *ib)
{
	struct pollfd	 pfd = { ib->fd, POLLIN, 0 };
	struct imsg	 imsg;
	char		 buf[LOG_MSG_MAX + sizeof(struct msg_log)];
	size_t		 len;
	ssize_t		 n;

	for (;;) {
		if (poll(&pfd, 1, 5000) <= 0)
			return;
		if ((n = imsgbuf_read(ib)) <= 0)
			return;
		while (imsgbuf_get(ib, &imsg) == 1) {
			len = imsg_get_len(&imsg);
			if (imsg_get_type(&imsg) == IMSG_LOG &&
			    len > sizeof(struct msg_log) &&
			    len <= sizeof(buf) &&
			    imsg_get_data(&imsg, buf, len) == 0) {
				buf[len - 1] = '\0';
				(void)printf("log: %s\n",
				    buf + sizeof(struct msg_log));
			}
			imsg_free(&imsg);
		}
	}
}

static int
play_parent(char *helper)
{
	struct imsgbuf	 ib;
	char		*argv[] = { helper, NULL };
	pid_t		 pid;
	int		 sp[2], status;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sp) == -1)
		err(1, "socketpair");
	if ((pid = fork()) == -1)
		err(1, "fork");
	if (pid == 0) {
		if (dup2(sp[1], 3) == -1)
			_exit(126);
		closefrom(4);
		execv(helper, argv);
		_exit(127);
	}
	(void)close(sp[1]);
	if (imsgbuf_init(&ib, sp[0]) == -1)
		err(1, "imsgbuf_init");
	imsgbuf_allow_fdpass(&ib);
	hello(&ib, PROC_PARENT);
	drain(&ib);
	imsgbuf_clear(&ib);
	(void)close(sp[0]);
	if (waitpid(pid, &status, 0) == -1)
		err(1, "waitpid");
	if (WIFEXITED(status))
		(void)printf("exit %d\n", WEXITSTATUS(status));
	else
		(void)printf("signal %d\n", WTERMSIG(status));
	return 0;
}

int
main(int argc, char *argv[])
{
	struct imsgbuf	 ib;
	const char	*name;

	if (argc == 3 && strcmp(argv[1], "-p") == 0)
		return play_parent(argv[2]);
	name = strrchr(argv[0], '/') != NULL ? strrchr(argv[0], '/') + 1 :
	    argv[0];
	if (imsgbuf_init(&ib, 3) == -1)
		err(1, "imsgbuf_init");
	if (strcmp(name, "ocodex-netproc") == 0)
		hello(&ib, PROC_NETPROC);
	else if (strcmp(name, "ocodex-execproc") == 0)
		hello(&ib, PROC_EXECPROC);
	else
		hello(&ib, PROC_UI);
	drain(&ib);
	imsgbuf_clear(&ib);
	return 0;
}
