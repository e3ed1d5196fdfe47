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

#include <sys/types.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "imsg/imsg.h"
#include "imsg/log.h"
#include "imsg/proc.h"
#include "imsg/proto.h"
#include "sandbox/sandbox.h"
#include "sandbox/probe.h"

static int	probe_attempt(const struct msg_probe *);

static const char	*role_promises;

/* The promises of the role, which every probe child takes on again. */
void
probe_setpromises(const char *promises)
{
	role_promises = promises;
}

/* IMSG_PROBE in a helper: run it and send back what happened. */
void
probe_dispatch(struct peer *p, struct imsg *imsg)
{
	struct msg_probe	 mp;
	struct msg_probe_result	 res;

	(void)imsg_get_exact(imsg, &mp, sizeof(mp));
	mp.path[sizeof(mp.path) - 1] = '\0';
	if (probe_run(&mp, role_promises, &res) == -1)
		fatal("probe");
	peer_compose(p, IMSG_PROBE_RESULT, imsg_get_id(imsg), -1, &res,
	    sizeof(res));
}

/*
 * Run one probe of `ocodex debug privsep` in a forked child that takes on
 * exactly the confinement of the calling process: the caller was started
 * in probe mode, which differs from the real thing only by the "proc"
 * promise that lets it fork these children, and the child drops that
 * promise again by pledging the role's own promises before it tries
 * anything.  A violation therefore kills only the probe.
 */
int
probe_run(const struct msg_probe *mp, const char *promises,
    struct msg_probe_result *res)
{
	pid_t	pid;
	int	status;

	if (promises == NULL)
		promises = role_promises;
	memset(res, 0, sizeof(*res));
	res->kind = mp->kind;
	switch ((pid = fork())) {
	case -1:
		return -1;
	case 0:
		if (promises != NULL && pledge(promises, NULL) == -1)
			_exit(255);
		_exit(probe_attempt(mp));
	default:
		break;
	}
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR)
			return -1;
	if (WIFSIGNALED(status))
		res->signal = WTERMSIG(status);
	else if (WEXITSTATUS(status) == 255)
		res->error = -1;
	else
		res->error = WEXITSTATUS(status);
	return 0;
}

static int
probe_write(const char *path)
{
	int	fd;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0600)) == -1)
		return errno;
	if (write(fd, "x", 1) != 1)
		return errno;
	(void)close(fd);
	(void)unlink(path);
	return 0;
}

static int
probe_read(const char *path)
{
	char	c;
	int	fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return errno;
	if (read(fd, &c, 1) == -1)
		return errno;
	(void)close(fd);
	return 0;
}

static int
probe_connect(uint16_t port)
{
	struct sockaddr_in	sin;
	int			s;

	if ((s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return errno;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(s, (struct sockaddr *)&sin, sizeof(sin)) == -1)
		return errno;
	(void)close(s);
	return 0;
}

static int
probe_fork(void)
{
	pid_t	pid;
	int	status;

	if ((pid = fork()) == -1)
		return errno;
	if (pid == 0)
		_exit(0);
	if (waitpid(pid, &status, 0) == -1)
		return errno;
	return 0;
}

static int
probe_proc_file(pid_t pid, const char *file)
{
	char	path[64];
	int	n;

	n = snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
	if (n < 0 || (size_t)n >= sizeof(path))
		return ENAMETOOLONG;
	return probe_read(path);
}

/* Returns 0 when the attempt worked, else its errno. */
static int
probe_attempt(const struct msg_probe *mp)
{
	char *const	 argv[] = { "true", NULL };
	char *const	 envp[] = { NULL };

	switch (mp->kind) {
	case PROBE_WRITE:
		return probe_write(mp->path);
	case PROBE_READ:
		return probe_read(mp->path);
	case PROBE_CONNECT:
		return probe_connect(mp->port);
	case PROBE_EXEC:
		(void)execve("/bin/true", argv, envp);
		return errno;
	case PROBE_PTRACE:
		if (ptrace(PTRACE_SEIZE, mp->pid, NULL, NULL) == -1)
			return errno;
		return 0;
	case PROBE_ENVIRON:
		return probe_proc_file(mp->pid, "environ");
	case PROBE_MEM:
		return probe_proc_file(mp->pid, "mem");
	case PROBE_FORK:
		return probe_fork();
	case PROBE_STDOUT:
		if (write(STDOUT_FILENO, "", 0) == -1)
			return errno;
		return 0;
	default:
		return EINVAL;
	}
}
