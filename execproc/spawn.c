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
 * Start one command in a fresh child, sandboxed by its policy.  The
 * child, in this order: takes its standard descriptors and closes every
 * other one (Codex leaks inherited descriptors into its sandbox; we do
 * not), starts a new session and process group (no controlling
 * terminal, so no TIOCSTI, and one group for the timeout to kill), builds
 * its own mount namespace when execproc has none, changes to the working
 * directory, applies Landlock, the seccomp deny-list and drops every
 * capability, and executes the command with the environment the parent
 * built.
 */

#include <sys/types.h>
#include <sys/prctl.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "execproc/exec.h"
#include "sandbox/sandbox.h"

/*
 * The output pipes hold this much (when the system allows it), so that
 * a fast writer and execproc, which reads a full pipe at once, take
 * turns less often.  Pages are only allocated as output waits in them.
 */
#define EXEC_PIPE_SIZE	(256 * 1024)

extern char	**environ;

static __dead void child_fail(const char *, ...)
		    __attribute__((__format__(printf, 1, 2)));
static __dead void child_run(struct cmd *, const struct policy *, int *);

static __dead void
child_fail(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	(void)dprintf(STDERR_FILENO, "ocodex: sandbox: ");
	(void)vdprintf(STDERR_FILENO, fmt, ap);
	(void)dprintf(STDERR_FILENO, "\n");
	va_end(ap);
	_exit(126);
}

static __dead void
child_run(struct cmd *c, const struct policy *widest, int *fds)
{
	char		 err[512];
	sigset_t	 mask;
	int		 i, ppid = getppid();

	for (i = 1; i < NSIG; i++)
		(void)signal(i, SIG_DFL);
	(void)sigemptyset(&mask);
	(void)sigprocmask(SIG_SETMASK, &mask, NULL);
	for (i = 0; i < 3; i++)
		if (fds[i] != i && dup2(fds[i], i) == -1)
			_exit(126);
	if (close_range(3, ~0U, 0) == -1)
		closefrom(3);
	if (setsid() == -1 ||
	    prctl(PR_SET_PDEATHSIG, SIGKILL) == -1 || getppid() != ppid)
		child_fail("new session: %s", strerror(errno));
	if (policy_sandboxed(&c->policy) && !sandbox_disabled() &&
	    !policy_sandboxed(widest) &&
	    nsbind_enter(&c->policy, err, sizeof(err)) == -1)
		child_fail("%s", err);
	if (chdir(c->workdir) == -1)
		child_fail("%s: %s", c->workdir, strerror(errno));
	if (!sandbox_disabled() &&
	    cmdsandbox_apply(&c->policy, 1, err, sizeof(err)) == -1)
		child_fail("%s", err);
	environ = c->env;
	(void)execvp(c->argv[0], c->argv);
	(void)dprintf(STDERR_FILENO, "ocodex: %s: %s\n", c->argv[0],
	    strerror(errno));
	_exit(errno == ENOENT ? 127 : 126);
}

/*
 * Fork the command.  Without descriptors from the parent its standard
 * input is /dev/null and its output goes to two pipes that run.c reads.
 */
int
spawn_cmd(struct cmd *c, const struct policy *widest, char *err, size_t len)
{
	int	 fds[3], out[2] = { -1, -1 }, errp[2] = { -1, -1 }, i;

	for (i = 0; i < 3; i++)
		fds[i] = c->fds[i];
	if (fds[0] == -1 &&
	    (fds[0] = open("/dev/null", O_RDONLY | O_CLOEXEC)) == -1)
		goto fail;
	if (fds[1] == -1) {
		if (pipe2(out, O_CLOEXEC) == -1)
			goto fail;
		(void)fcntl(out[0], F_SETPIPE_SZ, EXEC_PIPE_SIZE);
		fds[1] = out[1];
	}
	if (fds[2] == -1) {
		if (pipe2(errp, O_CLOEXEC) == -1)
			goto fail;
		(void)fcntl(errp[0], F_SETPIPE_SZ, EXEC_PIPE_SIZE);
		fds[2] = errp[1];
	}
	if ((c->pid = fork()) == -1)
		goto fail;
	if (c->pid == 0)
		child_run(c, widest, fds);
	c->pipes[0] = out[0];
	c->pipes[1] = errp[0];
	if (c->fds[0] == -1)
		(void)close(fds[0]);
	if (out[1] != -1)
		(void)close(out[1]);
	if (errp[1] != -1)
		(void)close(errp[1]);
	return 0;
 fail:
	(void)snprintf(err, len, "cannot start %s: %s", c->argv[0],
	    strerror(errno));
	for (i = 0; i < 2; i++) {
		if (out[i] != -1)
			(void)close(out[i]);
		if (errp[i] != -1)
			(void)close(errp[i]);
	}
	if (c->fds[0] == -1 && fds[0] != -1)
		(void)close(fds[0]);
	return -1;
}
