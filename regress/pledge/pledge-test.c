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
 * Regression tests for sandbox/: pledge's seccomp filter and unveil's
 * Landlock ruleset, each case run in a forked child, because confinement
 * cannot be undone.  A child reports through its exit status (0 is
 * success, other values say which step went wrong) or dies of a signal.
 */

#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sandbox/sandbox.h"
#include "regress/pledge/pledge-test.h"

char		 tmpdir[PATH_MAX];
int		 report_fd = -1;
uint16_t	 port_a, port_b;

static int	 ntest;
static int	 nfail;

/* One TAP line; returns cond so callers can add diagnostics. */
int
ok(int cond, const char *fmt, ...)
{
	va_list	 ap;

	ntest++;
	if (!cond)
		nfail++;
	printf("%s %d - ", cond ? "ok" : "not ok", ntest);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	return cond;
}

void
skip(const char *why)
{
	ntest++;
	printf("ok %d # SKIP %s\n", ntest, why);
}

/* Run fn in a child, with a time limit, and return its wait status. */
int
run(int (*fn)(void))
{
	pid_t	 pid;
	int	 status;

	if (fflush(stdout) == EOF)
		err(1, "fflush");
	if ((pid = fork()) == -1)
		err(1, "fork");
	if (pid == 0) {
		(void)alarm(10);
		_exit(fn());
	}
	if (waitpid(pid, &status, 0) == -1)
		err(1, "waitpid");
	return status;
}

/* The child exited with code 0. */
int
passed(int status, const char *what)
{
	if (ok(WIFEXITED(status) && WEXITSTATUS(status) == 0, "%s", what))
		return 1;
	if (WIFEXITED(status))
		printf("# child exited %d\n", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		printf("# child died of signal %d\n", WTERMSIG(status));
	return 0;
}

/* The child died of signal sig. */
int
killed(int status, int sig, const char *what)
{
	if (ok(WIFSIGNALED(status) && WTERMSIG(status) == sig, "%s", what))
		return 1;
	if (WIFEXITED(status))
		printf("# child exited %d\n", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		printf("# child died of signal %d\n", WTERMSIG(status));
	return 0;
}

/* tmpdir/name into buf, which is PATH_MAX long. */
const char *
tpath(char *buf, const char *name)
{
	int	 n;

	n = snprintf(buf, PATH_MAX, "%s/%s", tmpdir, name);
	if (n < 0 || n >= PATH_MAX)
		errx(1, "path too long");
	return buf;
}

static void
make_file(const char *name, const char *content)
{
	char	 p[PATH_MAX];
	int	 fd;

	if ((fd = open(tpath(p, name), O_WRONLY | O_CREAT | O_TRUNC, 0644))
	    == -1)
		err(1, "%s", p);
	if (write(fd, content, strlen(content)) != (ssize_t)strlen(content))
		err(1, "write %s", p);
	if (close(fd) == -1)
		err(1, "close %s", p);
}

static void
make_dir(const char *name)
{
	char	 p[PATH_MAX];

	if (mkdir(tpath(p, name), 0755) == -1)
		err(1, "mkdir %s", p);
}

/* The test tree: ro/file to read, rw/ to write in, other to be denied. */
static void
setup(void)
{
	struct rlimit	 rl = { 0, 0 };

	/* Children die of SIGSYS and SIGABRT by design; no core files. */
	if (setrlimit(RLIMIT_CORE, &rl) == -1)
		err(1, "setrlimit");
	if (strlcpy(tmpdir, "/tmp/ocodex-pledge.XXXXXX", sizeof(tmpdir)) >=
	    sizeof(tmpdir))
		errx(1, "tmpdir");
	if (mkdtemp(tmpdir) == NULL)
		err(1, "mkdtemp");
	make_dir("ro");
	make_file("ro/file", "hello");
	make_dir("rw");
	make_file("other", "secret");
}

static void
cleanup(void)
{
	const char	*names[] = { "ro/file", "other", "rw/b", "rw/a",
			    "rw/d", "ro", "rw", NULL };
	char		 p[PATH_MAX];
	int		 i;

	for (i = 0; names[i] != NULL; i++)
		if (remove(tpath(p, names[i])) == -1 && errno != ENOENT)
			warn("remove %s", p);
	if (rmdir(tmpdir) == -1)
		warn("rmdir %s", tmpdir);
}

int
main(void)
{
	setup();
	printf("1..%d\n", NTESTS);
	test_pledge();
	test_unveil();
	test_net();
	test_misc();
	cleanup();
	if (ntest != NTESTS)
		printf("# ran %d tests, planned %d\n", ntest, NTESTS);
	return nfail != 0 || ntest != NTESTS;
}
