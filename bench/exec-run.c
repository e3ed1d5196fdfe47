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
 * exec-run: time a command, or measure the memory of its process tree.
 *
 *	exec-run [-n runs] [-s setup] command [arg ...]
 *	exec-run -m command [arg ...]
 *
 * Without -m the command runs n times (default 20), each time after the
 * shell command setup if given (not timed), with its output thrown away;
 * the median, minimum and maximum wall times from fork to reaped exit are
 * printed.
 *
 * With -m the command runs once under ptrace(2), following every fork and
 * clone.  Each process is stopped at PTRACE_EVENT_EXIT, when it has
 * finished running but its memory is still mapped, and its VmHWM (the
 * peak resident set size the kernel kept for it) is read from
 * /proc/PID/status.  The sum over the processes of the tree is printed.
 * That is the sum of every process's own peak, an upper bound of the peak
 * of the sum, and it is what "peak RSS summed over the processes" means.
 * Tracing slows the processes down, so -m never times anything.
 */

#include <sys/types.h>
#include <sys/ptrace.h>
#include <sys/wait.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench/bench.h"

#define MAX_RUNS	1000
#define MAX_PROCS	256
#define SHOW_PROCS	6

/* One process of the traced tree (a thread group). */
struct proc {
	pid_t	 tgid;
	long	 hwm_kib;
	char	 name[32];
};

static struct proc	procs[MAX_PROCS];
static int		nprocs;

static __dead void
usage(void)
{
	(void)fprintf(stderr, "usage: exec-run [-n runs] [-s setup] "
	    "command [arg ...]\n       exec-run -m command [arg ...]\n");
	exit(2);
}

static int
cmp_hwm(const void *a, const void *b)
{
	const struct proc	*x = a, *y = b;

	return (y->hwm_kib > x->hwm_kib) - (y->hwm_kib < x->hwm_kib);
}

/* Standard output and error to /dev/null, standard input from it. */
static void
quiet(void)
{
	int	fd;

	if ((fd = open("/dev/null", O_RDWR)) == -1)
		err(127, "/dev/null");
	if (dup2(fd, STDIN_FILENO) == -1 || dup2(fd, STDOUT_FILENO) == -1 ||
	    dup2(fd, STDERR_FILENO) == -1)
		err(127, "dup2");
	if (fd > STDERR_FILENO)
		(void)close(fd);
}

/* Run argv once; its wall time in ms, or -1 when it failed. */
static double
run_once(char **argv)
{
	double	t0, t1;
	pid_t	pid;
	int	status;

	t0 = bench_now_ms();
	if ((pid = fork()) == -1)
		err(1, "fork");
	if (pid == 0) {
		quiet();
		execvp(argv[0], argv);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR)
			err(1, "waitpid");
	t1 = bench_now_ms();
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		warnx("%s: exit status %d", argv[0], WIFEXITED(status) ?
		    WEXITSTATUS(status) : 128 + WTERMSIG(status));
		return -1;
	}
	return t1 - t0;
}

static void
time_runs(int runs, const char *setup, char **argv)
{
	double	t[MAX_RUNS];
	int	i, n = 0, r;

	for (i = 0; i < runs; i++) {
		if (setup != NULL && (r = system(setup)) != 0)
			errx(1, "setup failed (%d): %s", r, setup);
		if ((t[n] = run_once(argv)) >= 0)
			n++;
	}
	if (n == 0)
		errx(1, "every run failed");
	bench_sort(t, n);
	printf("median %.2f ms (min %.2f, max %.2f) over %d runs%s\n",
	    t[n / 2], t[0], t[n - 1], n, n < runs ? ", some failed" : "");
}

/* VmHWM and Tgid of a stopped task, from /proc. */
static int
read_status(pid_t pid, pid_t *tgid, long *hwm, char *name, size_t len)
{
	char	 path[64], line[256];
	FILE	*fp;
	int	 r;

	r = snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if (r < 0 || (size_t)r >= sizeof(path))
		return -1;
	if ((fp = fopen(path, "re")) == NULL)
		return -1;
	*tgid = pid;
	*hwm = 0;
	while (fgets(line, sizeof(line), fp) != NULL) {
		if (strncmp(line, "Name:\t", 6) == 0) {
			line[strcspn(line, "\n")] = '\0';
			(void)strlcpy(name, line + 6, len);
		} else if (strncmp(line, "Tgid:\t", 6) == 0)
			*tgid = (pid_t)strtol(line + 6, NULL, 10);
		else if (strncmp(line, "VmHWM:", 6) == 0)
			*hwm = strtol(line + 6, NULL, 10);
	}
	(void)fclose(fp);
	return 0;
}

/*
 * A task of the tree is about to exit: keep the largest VmHWM seen for
 * its thread group (every thread reads the same, shared, figure).
 */
static void
record_exit(pid_t pid)
{
	char	 name[32] = "?";
	pid_t	 tgid;
	long	 hwm;
	int	 i;

	if (read_status(pid, &tgid, &hwm, name, sizeof(name)) == -1)
		return;
	for (i = 0; i < nprocs; i++)
		if (procs[i].tgid == tgid)
			break;
	if (i == nprocs) {
		if (nprocs == MAX_PROCS)
			return;
		nprocs++;
		procs[i].tgid = tgid;
		procs[i].hwm_kib = 0;
		(void)strlcpy(procs[i].name, name, sizeof(procs[i].name));
	}
	if (hwm > procs[i].hwm_kib)
		procs[i].hwm_kib = hwm;
}

/* Resume a stopped task, passing on a signal that was meant for it. */
static void
resume(pid_t pid, int status)
{
	int	sig = 0;

	if (WIFSTOPPED(status) && status >> 16 == 0) {
		sig = WSTOPSIG(status);
		/* The stop every new tracee starts with is ours. */
		if (sig == SIGSTOP || sig == SIGTRAP)
			sig = 0;
	}
	if (ptrace(PTRACE_CONT, pid, NULL, (void *)(long)sig) == -1 &&
	    errno != ESRCH)
		warn("PTRACE_CONT %d", (int)pid);
}

static int
trace_loop(pid_t root)
{
	pid_t	pid;
	int	status, rootstatus = -1;

	for (;;) {
		if ((pid = waitpid(-1, &status, __WALL)) == -1) {
			if (errno == EINTR)
				continue;
			if (errno == ECHILD)
				break;
			err(1, "waitpid");
		}
		if (WIFEXITED(status) || WIFSIGNALED(status)) {
			if (pid == root)
				rootstatus = status;
			continue;
		}
		if (status >> 8 == (SIGTRAP | (PTRACE_EVENT_EXIT << 8)))
			record_exit(pid);
		resume(pid, status);
	}
	return rootstatus;
}

static void
measure(char **argv)
{
	long	sum = 0;
	pid_t	pid;
	int	i, status;

	if ((pid = fork()) == -1)
		err(1, "fork");
	if (pid == 0) {
		quiet();
		if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) == -1)
			_exit(126);
		(void)raise(SIGSTOP);
		execvp(argv[0], argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) == -1 || !WIFSTOPPED(status))
		errx(1, "the child did not stop");
	if (ptrace(PTRACE_SETOPTIONS, pid, NULL, (void *)(long)
	    (PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE |
	    PTRACE_O_TRACEEXIT | PTRACE_O_TRACEEXEC | PTRACE_O_EXITKILL)) ==
	    -1)
		err(1, "PTRACE_SETOPTIONS");
	if (ptrace(PTRACE_CONT, pid, NULL, NULL) == -1)
		err(1, "PTRACE_CONT");
	status = trace_loop(pid);
	if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		warnx("%s did not exit 0 (status %#x)", argv[0], status);
	/* The largest first; a long tail of small helpers is only summed. */
	qsort(procs, nprocs, sizeof(procs[0]), cmp_hwm);
	printf("peak RSS");
	for (i = 0; i < nprocs; i++) {
		if (i < SHOW_PROCS)
			printf(" %s %ld", procs[i].name, procs[i].hwm_kib);
		sum += procs[i].hwm_kib;
	}
	printf("%s (KiB); sum %.2f MiB over %d processes\n",
	    nprocs > SHOW_PROCS ? " ..." : "", sum / 1024.0, nprocs);
}

int
main(int argc, char **argv)
{
	const char	*setup = NULL, *errstr;
	int		 ch, mem = 0, runs = 20;

	while ((ch = getopt(argc, argv, "+mn:s:")) != -1) {
		switch (ch) {
		case 'm':
			mem = 1;
			break;
		case 'n':
			runs = strtonum(optarg, 1, MAX_RUNS, &errstr);
			if (errstr != NULL)
				errx(2, "-n %s: %s", optarg, errstr);
			break;
		case 's':
			setup = optarg;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0)
		usage();
	if (setvbuf(stdout, NULL, _IOLBF, 0) != 0)
		err(1, "setvbuf");
	if (mem)
		measure(argv);
	else
		time_runs(runs, setup, argv);
	return 0;
}
