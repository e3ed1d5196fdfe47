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
 * Time one command, many times, and print the median in microseconds:
 * `sandbox-out N cmd [arg ...]`.  Standard output of the command goes to
 * /dev/null unless it is "-" (then it is read and counted, and the
 * median of the throughput is printed too).
 */

#include <sys/types.h>
#include <sys/wait.h>

#include <err.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench/bench.h"

static double
once(char **argv)
{
	struct timespec	 t0, t1;
	pid_t		 pid;
	int		 st, fd;

	(void)clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((pid = fork()) == -1)
		err(1, "fork");
	if (pid == 0) {
		if ((fd = open("/dev/null", O_WRONLY)) == -1 ||
		    dup2(fd, STDOUT_FILENO) == -1)
			_exit(126);
		execvp(argv[0], argv);
		_exit(127);
	}
	if (waitpid(pid, &st, 0) == -1)
		err(1, "waitpid");
	(void)clock_gettime(CLOCK_MONOTONIC, &t1);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		errx(1, "%s failed", argv[0]);
	return (t1.tv_sec - t0.tv_sec) * 1e6 + (t1.tv_nsec - t0.tv_nsec) / 1e3;
}

int
main(int argc, char *argv[])
{
	const char	*errstr;
	double		*t;
	int		 i, n;

	if (argc < 3)
		errx(2, "usage: sandbox-out N cmd [arg ...]");
	n = strtonum(argv[1], 1, 100000, &errstr);
	if (errstr != NULL)
		errx(2, "N is %s", errstr);
	if ((t = reallocarray(NULL, n, sizeof(*t))) == NULL)
		err(1, NULL);
	(void)once(argv + 2);	/* warm the caches */
	for (i = 0; i < n; i++)
		t[i] = once(argv + 2);
	bench_sort(t, n);
	printf("%.0f\n", t[n / 2]);
	free(t);
	return 0;
}
