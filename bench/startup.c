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
 * startup: how long each ocodex executable takes from fork to its hello
 * on the channel (confined, ready to serve), and how long the whole tree
 * takes from the parent's start to every helper having said hello (the
 * moment `ocodex debug tree` prints its table).  Prints medians over N
 * runs; this is a benchmark, not a test, and asserts nothing.
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <err.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench/bench.h"

#define RUNS	50

/* Wait until fd has something to read; -1 on timeout. */
static int
await(int fd)
{
	struct pollfd	pfd = { fd, POLLIN, 0 };

	return poll(&pfd, 1, 5000) == 1 ? 0 : -1;
}

/* One helper: fork, exec with the channel on fd 3, time its hello. */
static double
helper_once(const char *path)
{
	char	*argv[] = { (char *)path, NULL, NULL, NULL };
	char	 buf[256];
	double	 t0, t;
	pid_t	 pid;
	int	 sp[2], status;

	/* execproc needs the session's directory, as the parent gives it. */
	if (strstr(path, "execproc") != NULL) {
		argv[1] = "-C";
		argv[2] = "/tmp";
	}
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sp) == -1)
		err(1, "socketpair");
	t0 = bench_now_ms();
	if ((pid = fork()) == -1)
		err(1, "fork");
	if (pid == 0) {
		if (dup2(sp[1], 3) == -1)
			_exit(126);
		closefrom(4);
		execv(path, argv);
		_exit(127);
	}
	(void)close(sp[1]);
	if (await(sp[0]) == -1 || read(sp[0], buf, sizeof(buf)) <= 0)
		errx(1, "%s did not say hello", path);
	t = bench_now_ms() - t0;
	(void)close(sp[0]);
	if (waitpid(pid, &status, 0) == -1)
		err(1, "waitpid");
	return t;
}

/* The tree: ocodex debug tree, timed until its table is complete. */
static double
tree_once(const char *ocodex)
{
	char	 buf[4096];
	size_t	 have = 0;
	ssize_t	 n;
	double	 t0, t;
	pid_t	 pid;
	int	 p[2], status;

	if (pipe(p) == -1)
		err(1, "pipe");
	t0 = bench_now_ms();
	if ((pid = fork()) == -1)
		err(1, "fork");
	if (pid == 0) {
		if (dup2(p[1], 1) == -1)
			_exit(126);
		closefrom(3);
		execl(ocodex, "ocodex", "debug", "tree", (char *)NULL);
		_exit(127);
	}
	(void)close(p[1]);
	for (;;) {
		if (await(p[0]) == -1 || (n = read(p[0], buf + have,
		    sizeof(buf) - 1 - have)) <= 0)
			errx(1, "ocodex debug tree printed no table");
		have += n;
		buf[have] = '\0';
		if (strstr(buf, "\nui ") != NULL &&
		    buf[have - 1] == '\n')
			break;
	}
	t = bench_now_ms() - t0;
	(void)kill(pid, SIGTERM);
	(void)close(p[0]);
	if (waitpid(pid, &status, 0) == -1)
		err(1, "waitpid");
	return t;
}

static void
report(const char *what, double *v, int n)
{
	bench_sort(v, n);
	(void)printf("%-22s median %6.2f ms  min %6.2f ms  max %6.2f ms\n",
	    what, v[n / 2], v[0], v[n - 1]);
}

int
main(int argc, char *argv[])
{
	static const char *const helpers[] = { "ocodex-netproc",
	    "ocodex-execproc", "ocodex-ui", NULL };
	const char	*dir = argc > 1 ? argv[1] : ".";
	char		 path[1024];
	double		 v[RUNS];
	int		 i, h;

	for (h = 0; helpers[h] != NULL; h++) {
		(void)snprintf(path, sizeof(path), "%s/%s", dir, helpers[h]);
		for (i = 0; i < RUNS; i++)
			v[i] = helper_once(path);
		report(helpers[h], v, RUNS);
	}
	(void)snprintf(path, sizeof(path), "%s/ocodex", dir);
	for (i = 0; i < RUNS; i++)
		v[i] = tree_once(path);
	report("whole tree", v, RUNS);
	return 0;
}
