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
 * pledge(): what each promise lets through and what it kills.  A case
 * that should die returns a non-zero code if it survives the forbidden
 * call, so "exited" is never mistaken for "killed".
 */

#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "sandbox/sandbox.h"
#include "regress/pledge/pledge-test.h"

#define SURVIVED	99	/* the forbidden call returned */

static int
pledge_or(const char *promises, int flags, sandbox_report_fn fn)
{
	if (sandbox_init(flags, fn) == -1)
		return -1;
	return pledge(promises, NULL);
}

static int
c_unknown(void)
{
	char	 p[PATH_MAX];
	int	 fd;

	if (sandbox_init(0, NULL) == -1)
		return 1;
	if (pledge("stdio bogus", NULL) != -1 || errno != EINVAL)
		return 2;
	if (pledge("stdio", "stdio") != -1 || errno != EINVAL)
		return 3;
	/* A refused pledge must not have confined anything. */
	if ((fd = open(tpath(p, "other"), O_RDONLY)) == -1)
		return 4;
	return close(fd) == -1 ? 5 : 0;
}

static int
c_stdio_open(void)
{
	char	 p[PATH_MAX];

	tpath(p, "ro/file");
	if (pledge_or("stdio", 0, NULL) == -1)
		return 1;
	(void)openat(AT_FDCWD, p, O_RDONLY);
	return SURVIVED;
}

static int
c_stdio_socket(void)
{
	if (pledge_or("stdio", 0, NULL) == -1)
		return 1;
	(void)socket(AF_INET, SOCK_STREAM, 0);
	return SURVIVED;
}

static int
c_stdio_exec(void)
{
	char	*argv[] = { "true", NULL };
	char	*envp[] = { NULL };

	if (pledge_or("stdio", 0, NULL) == -1)
		return 1;
	(void)execve("/bin/true", argv, envp);
	return SURVIVED;
}

static int
c_stdio_fork(void)
{
	pid_t	 pid;

	if (pledge_or("stdio", 0, NULL) == -1)
		return 1;
	if ((pid = fork()) == 0)
		_exit(0);
	return SURVIVED;
}

/* The everyday calls of a confined process must all work. */
static int
c_stdio_ok(void)
{
	struct timespec	 ts;
	char		 buf[8];
	char		*big;
	int		 fds[2];

	if (pledge_or("stdio", 0, NULL) == -1)
		return 1;
	if (pipe(fds) == -1)
		return 2;
	if (write(fds[1], "ping", 4) != 4 || read(fds[0], buf, 4) != 4 ||
	    memcmp(buf, "ping", 4) != 0)
		return 3;
	if ((big = malloc(64 * 1024 * 1024)) == NULL)
		return 4;
	memset(big, 'x', 64 * 1024 * 1024);
	free(big);
	if (getpid() <= 0 || clock_gettime(CLOCK_MONOTONIC, &ts) == -1)
		return 5;
	if (snprintf(buf, sizeof(buf), "%d", 42) != 2)
		return 6;
	return close(fds[0]) == -1 || close(fds[1]) == -1 ? 7 : 0;
}

static void *
thread_main(void *arg)
{
	return arg;
}

/* Threads need clone3 to fail softly and clone with CLONE_THREAD. */
static int
c_stdio_thread(void)
{
	pthread_t	 t;
	void		*ret;
	int		 cookie;

	if (pledge_or("stdio", 0, NULL) == -1)
		return 1;
	if (pthread_create(&t, NULL, thread_main, &cookie) != 0)
		return 2;
	if (pthread_join(t, &ret) != 0 || ret != &cookie)
		return 3;
	return 0;
}

/* abort() signals ourselves, which stdio allows. */
static int
c_stdio_abort(void)
{
	if (pledge_or("stdio", 0, NULL) == -1)
		return 1;
	abort();
}

static int
c_stdio_killparent(void)
{
	if (pledge_or("stdio", 0, NULL) == -1)
		return 1;
	(void)kill(getppid(), 0);
	return SURVIVED;
}

static int
c_stdio_protexec(void)
{
	if (pledge_or("stdio", 0, NULL) == -1)
		return 1;
	(void)mmap(NULL, 4096, PROT_READ | PROT_EXEC,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return SURVIVED;
}

static int
c_protexec_ok(void)
{
	void	*p;

	if (pledge_or("stdio prot_exec", 0, NULL) == -1)
		return 1;
	p = mmap(NULL, 4096, PROT_READ | PROT_EXEC,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return p == MAP_FAILED ? 2 : 0;
}

static int
c_sendto_addr(void)
{
	struct sockaddr_un	 sun;
	int			 fds[2];

	if (socketpair(AF_UNIX, SOCK_DGRAM, 0, fds) == -1)
		return 1;
	if (pledge_or("stdio", 0, NULL) == -1)
		return 2;
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	(void)sendto(fds[0], "x", 1, 0, (struct sockaddr *)&sun,
	    sizeof(sun));
	return SURVIVED;
}

static int
c_tiocsti(void)
{
	char	 c = 'x';

	if (pledge_or("stdio tty", 0, NULL) == -1)
		return 1;
	(void)ioctl(STDIN_FILENO, TIOCSTI, &c);
	return SURVIVED;
}

static int
c_rpath_ok(void)
{
	struct stat	 st;
	char		 p[PATH_MAX], buf[8];
	int		 fd;

	tpath(p, "ro/file");
	if (pledge_or("stdio rpath", 0, NULL) == -1)
		return 1;
	if ((fd = open(p, O_RDONLY)) == -1)
		return 2;
	if (read(fd, buf, 5) != 5 || memcmp(buf, "hello", 5) != 0)
		return 3;
	if (stat(p, &st) == -1 || fstat(fd, &st) == -1)
		return 4;
	return close(fd) == -1 ? 5 : 0;
}

static int
c_rpath_write(void)
{
	char	 p[PATH_MAX];

	tpath(p, "ro/file");
	if (pledge_or("stdio rpath", 0, NULL) == -1)
		return 1;
	(void)open(p, O_WRONLY);
	return SURVIVED;
}

static int
c_wpath_creat(void)
{
	char	 p[PATH_MAX];

	tpath(p, "rw/a");
	if (pledge_or("stdio rpath wpath", 0, NULL) == -1)
		return 1;
	(void)open(p, O_WRONLY | O_CREAT, 0644);
	return SURVIVED;
}

static int
c_cpath_ok(void)
{
	char	 a[PATH_MAX], b[PATH_MAX], d[PATH_MAX];
	int	 fd;

	tpath(a, "rw/a");
	tpath(b, "rw/b");
	tpath(d, "rw/d");
	if (pledge_or("stdio rpath wpath cpath", 0, NULL) == -1)
		return 1;
	if ((fd = open(a, O_WRONLY | O_CREAT | O_EXCL, 0644)) == -1)
		return 2;
	if (write(fd, "x", 1) != 1 || close(fd) == -1)
		return 3;
	if (rename(a, b) == -1 || unlink(b) == -1)
		return 4;
	if (mkdir(d, 0755) == -1 || rmdir(d) == -1)
		return 5;
	return 0;
}

/* A second pledge stacks: it cannot give back what the first took. */
static int
c_twice_narrow(void)
{
	char	 p[PATH_MAX];

	tpath(p, "ro/file");
	if (pledge_or("stdio rpath", 0, NULL) == -1)
		return 1;
	if (pledge("stdio", NULL) == -1)
		return 2;
	(void)open(p, O_RDONLY);
	return SURVIVED;
}

static int
c_twice_widen(void)
{
	char	 p[PATH_MAX];

	tpath(p, "ro/file");
	if (pledge_or("stdio", 0, NULL) == -1)
		return 1;
	if (pledge("stdio rpath", NULL) == -1)
		return 2;
	(void)open(p, O_RDONLY);
	return SURVIVED;
}

static int
c_proc_fork(void)
{
	pid_t	 pid;
	int	 status;

	if (pledge_or("stdio proc", 0, NULL) == -1)
		return 1;
	if ((pid = fork()) == -1)
		return 2;
	if (pid == 0)
		_exit(7);
	if (waitpid(pid, &status, 0) == -1)
		return 3;
	return WIFEXITED(status) && WEXITSTATUS(status) == 7 ? 0 : 4;
}

static int
c_proc_unshare(void)
{
	if (pledge_or("stdio proc", 0, NULL) == -1)
		return 1;
	(void)unshare(CLONE_NEWNET);
	return SURVIVED;
}

static int
c_proc_clonens(void)
{
	if (pledge_or("stdio proc", 0, NULL) == -1)
		return 1;
	if (syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0) == 0)
		_exit(0);
	return SURVIVED;
}

/* The report function of the debug cases: one write to a pipe. */
static void
report_pipe(const char *name)
{
	if (write(report_fd, name, strlen(name)) == -1)
		return;
}

static int
c_debug_open(void)
{
	char	 p[PATH_MAX];

	tpath(p, "ro/file");
	if (pledge_or("stdio", SANDBOX_DEBUG, report_pipe) == -1)
		return 1;
	(void)open(p, O_RDONLY);
	return SURVIVED;
}

static int
c_debug_socket(void)
{
	if (pledge_or("stdio", SANDBOX_DEBUG, report_pipe) == -1)
		return 1;
	(void)socket(AF_INET6, SOCK_DGRAM, 0);
	return SURVIVED;
}

/* With no report function the name goes to standard error. */
static int
c_debug_stderr(void)
{
	char	*argv[] = { "true", NULL };
	char	*envp[] = { NULL };

	if (dup2(report_fd, STDERR_FILENO) == -1)
		return 1;
	if (pledge_or("stdio", SANDBOX_DEBUG, NULL) == -1)
		return 2;
	(void)execve("/bin/true", argv, envp);
	return SURVIVED;
}

/*
 * An x32 system call (bit 30 set) must be killed outright, even in
 * debug mode, without a trip through the SIGSYS handler.
 */
static int
c_debug_x32(void)
{
	if (pledge_or("stdio", SANDBOX_DEBUG, report_pipe) == -1)
		return 1;
	(void)syscall(0x40000000 | SYS_getpid);
	return SURVIVED;
}

/* Run a debug case; return what it wrote to the report pipe. */
static int
run_debug(int (*fn)(void), char *buf, size_t len)
{
	ssize_t	 n;
	int	 fds[2], status;

	if (pipe(fds) == -1)
		err(1, "pipe");
	report_fd = fds[1];
	status = run(fn);
	if (close(fds[1]) == -1)
		err(1, "close");
	if ((n = read(fds[0], buf, len - 1)) == -1)
		err(1, "read");
	buf[n] = '\0';
	if (close(fds[0]) == -1)
		err(1, "close");
	report_fd = -1;
	return status;
}

static void
test_debug(void)
{
	char	 buf[256];
	int	 st;

	st = run_debug(c_debug_open, buf, sizeof(buf));
	killed(st, SIGSYS, "debug: open under stdio still dies of SIGSYS");
	ok(strcmp(buf, "openat") == 0, "debug: report names openat (got "
	    "\"%s\")", buf);
	st = run_debug(c_debug_socket, buf, sizeof(buf));
	killed(st, SIGSYS, "debug: socket under stdio dies of SIGSYS");
	ok(strcmp(buf, "socket") == 0, "debug: report names socket (got "
	    "\"%s\")", buf);
	st = run_debug(c_debug_stderr, buf, sizeof(buf));
	killed(st, SIGSYS, "debug: execve dies of SIGSYS");
	ok(strstr(buf, "pledge violation: execve\n") != NULL,
	    "debug: default reporter writes to stderr");
	st = run_debug(c_debug_x32, buf, sizeof(buf));
	killed(st, SIGSYS, "debug: x32 syscall dies of SIGSYS");
	ok(buf[0] == '\0', "debug: x32 syscall killed without a report");
}

void
test_pledge(void)
{
	passed(run(c_unknown), "unknown promise and execpromises are EINVAL");
	killed(run(c_stdio_open), SIGSYS, "stdio: openat kills");
	killed(run(c_stdio_socket), SIGSYS, "stdio: socket(AF_INET) kills");
	killed(run(c_stdio_exec), SIGSYS, "stdio: execve kills");
	killed(run(c_stdio_fork), SIGSYS, "stdio: fork kills");
	passed(run(c_stdio_ok), "stdio: pipe, malloc 64M, getpid, clock");
	passed(run(c_stdio_thread), "stdio: pthread_create and join");
	killed(run(c_stdio_abort), SIGABRT, "stdio: abort() dies of SIGABRT");
	killed(run(c_stdio_killparent), SIGSYS, "stdio: kill(ppid) kills");
	killed(run(c_stdio_protexec), SIGSYS, "stdio: mmap PROT_EXEC kills");
	passed(run(c_protexec_ok), "prot_exec: mmap PROT_EXEC works");
	killed(run(c_sendto_addr), SIGSYS, "stdio: sendto with address kills");
	killed(run(c_tiocsti), SIGSYS, "tty: TIOCSTI kills");
	passed(run(c_rpath_ok), "rpath: open, read, stat work");
	killed(run(c_rpath_write), SIGSYS, "rpath: open O_WRONLY kills");
	killed(run(c_wpath_creat), SIGSYS, "wpath: open O_CREAT kills");
	passed(run(c_cpath_ok), "cpath: create, rename, unlink, mkdir, rmdir");
	killed(run(c_twice_narrow), SIGSYS, "second pledge narrows");
	killed(run(c_twice_widen), SIGSYS, "second pledge cannot widen");
	passed(run(c_proc_fork), "proc: fork and wait work");
	killed(run(c_proc_unshare), SIGSYS, "proc: unshare kills");
	killed(run(c_proc_clonens), SIGSYS, "proc: clone(CLONE_NEWUSER) kills");
	test_debug();
}
