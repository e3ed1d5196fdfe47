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
 * execproc's command table: collect a command's messages, start it,
 * stream its output back as it arrives, enforce its timeout, kill it on
 * request, and report its end.  Output flows to the parent in chunks of
 * at most EXEC_CHUNK_MAX bytes; while the channel has too much queued,
 * the pipes are not read, so a fast writer is slowed to the parent's
 * pace instead of filling execproc's memory.  The first EXEC_CAPTURE_MAX
 * bytes of each stream are also kept here for the denial heuristic.
 *
 * When the command's first process ends, whatever else is left in its
 * process group is killed: a command does not leave daemons behind, and
 * its pipes then reach end-of-file.
 */

#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <event.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "execproc/exec.h"
#include "imsg/log.h"
#include "imsg/proc.h"
#include "sandbox/sandbox.h"

/* Messages queued to the parent above which reading pauses. */
#define QUEUE_HIGH	64
/*
 * Bytes read from a pipe at once: the whole of a full pipe (spawn.c
 * makes them EXEC_PIPE_SIZE), sent on as several messages.
 */
#define EXEC_READ_MAX	(256 * 1024)

TAILQ_HEAD(cmds, cmd);

static struct cmds		 cmds = TAILQ_HEAD_INITIALIZER(cmds);
static struct peer		*parent;
static const struct policy	*widest;
static struct event		 ev_sigchld, ev_resume;
static int			 paused;

static struct cmd *cmd_get(uint32_t, int);
static void	 cmd_free(struct cmd *);
static int	 cmd_addstr(char ***, size_t *, size_t, const char *);
static void	 cmd_start(struct cmd *, struct imsg *);
static void	 cmd_fail(struct cmd *, const char *);
static void	 capture(struct cmd *, int, const char *, size_t);
static void	 send_output(struct cmd *, int, const char *, size_t);
static void	 cmd_read(int, short, void *);
static void	 cmd_timeout(int, short, void *);
static void	 cmd_done(struct cmd *);
static void	 reading(struct cmd *, int);
static void	 resume(int, short, void *);
static void	 sigchld(int, short, void *);

void
run_init(struct peer *p, const struct policy *w)
{
	parent = p;
	widest = w;
	signal_set(&ev_sigchld, SIGCHLD, sigchld, NULL);
	if (signal_add(&ev_sigchld, NULL) == -1)
		fatal("signal_add");
	evtimer_set(&ev_resume, resume, NULL);
}

/* The command with this id; create it when asked and it is new. */
static struct cmd *
cmd_get(uint32_t id, int create)
{
	struct cmd	*c;

	TAILQ_FOREACH(c, &cmds, entry)
		if (c->id == id)
			return c;
	if (!create)
		return NULL;
	if ((c = calloc(1, sizeof(*c))) == NULL)
		fatal("calloc");
	c->id = id;
	c->fds[0] = c->fds[1] = c->fds[2] = -1;
	c->pipes[0] = c->pipes[1] = -1;
	TAILQ_INSERT_TAIL(&cmds, c, entry);
	return c;
}

static void
cmd_free(struct cmd *c)
{
	size_t	 i;

	TAILQ_REMOVE(&cmds, c, entry);
	for (i = 0; i < c->argc; i++)
		free(c->argv[i]);
	free(c->argv);
	for (i = 0; i < c->envc; i++)
		free(c->env[i]);
	free(c->env);
	for (i = 0; i < c->nroots; i++)
		free(c->roots[i]);
	for (i = 0; i < 3; i++)
		if (c->fds[i] != -1)
			(void)close(c->fds[i]);
	if (evtimer_initialized(&c->timer))
		(void)evtimer_del(&c->timer);
	policy_free(&c->policy);
	free(c->workdir);
	free(c->cap[0]);
	free(c->cap[1]);
	free(c);
}

static int
cmd_addstr(char ***list, size_t *n, size_t max, const char *s)
{
	char	**nl;

	if (*n + 1 >= max)
		return -1;
	if ((nl = reallocarray(*list, *n + 2, sizeof(**list))) == NULL)
		fatal("reallocarray");
	*list = nl;
	if ((nl[*n] = strdup(s)) == NULL)
		fatal("strdup");
	nl[++*n] = NULL;
	return 0;
}

/* Every message about a command before and including IMSG_EXEC_RUN. */
void
run_msg(struct peer *p, struct imsg *imsg)
{
	struct cmd	*c;
	char		*s;
	uint32_t	 which;
	int		 fd;

	c = cmd_get(imsg_get_id(imsg), 1);
	if (c->started)
		fatalx("%s: command %u already runs", p->name, c->id);
	switch (imsg_get_type(imsg)) {
	case IMSG_EXEC_FD:
		fd = imsg_get_fd(imsg);
		if (imsg_get_data(imsg, &which, sizeof(which)) == -1 ||
		    which > 2 || fd == -1 || c->fds[which] != -1)
			fatalx("%s: bad descriptor message", p->name);
		c->fds[which] = fd;
		return;
	case IMSG_EXEC_RUN:
		cmd_start(c, imsg);
		return;
	}
	if ((s = imsg_get_cstring(imsg, PATH_MAX * 8)) == NULL)
		fatalx("%s: bad string in command %u", p->name, c->id);
	switch (imsg_get_type(imsg)) {
	case IMSG_EXEC_ARG:
		if (cmd_addstr(&c->argv, &c->argc, EXEC_ARGS_MAX, s) == -1)
			fatalx("command %u: too many arguments", c->id);
		break;
	case IMSG_EXEC_ENV:
		if (cmd_addstr(&c->env, &c->envc, EXEC_ENV_MAX, s) == -1)
			fatalx("command %u: environment too large", c->id);
		break;
	case IMSG_EXEC_ROOT:
		if (c->nroots == POLICY_MAX_ROOTS)
			fatalx("command %u: too many roots", c->id);
		c->roots[c->nroots++] = s;
		return;
	}
	free(s);
}

static void
cmd_start(struct cmd *c, struct imsg *imsg)
{
	struct ibuf	 ib;
	struct timeval	 tv;
	char		 err[1024];
	size_t		 i;
	int		 s;

	c->started = 1;
	(void)clock_gettime(CLOCK_MONOTONIC, &c->start);
	if (imsg_get_ibuf(imsg, &ib) == -1 ||
	    ibuf_get(&ib, &c->run, sizeof(c->run)) == -1 ||
	    c->run.mode > POLICY_FULL_ACCESS || ibuf_size(&ib) == 0 ||
	    (c->workdir = strndup(ibuf_data(&ib), ibuf_size(&ib))) == NULL ||
	    strlen(c->workdir) + 1 != ibuf_size(&ib))
		fatalx("%s: malformed run message", parent->name);
	if (c->argc == 0) {
		cmd_fail(c, "empty command");
		return;
	}
	if (c->env == NULL && cmd_addstr(&c->env, &c->envc, 2, "") == 0) {
		free(c->env[0]);
		c->env[0] = NULL;
		c->envc = 0;
	}
	if (policy_init(&c->policy, c->run.mode, widest->cwd) == -1)
		fatal("policy_init");
	c->policy.network = c->run.network != 0;
	c->policy.exclude_slash_tmp = c->policy.exclude_tmpdir_env_var = 1;
	for (i = 0; i < c->nroots; i++)
		if (policy_add_root(&c->policy, c->roots[i]) == -1) {
			cmd_fail(c, "bad writable root");
			return;
		}
	if (policy_resolve(&c->policy, NULL, err, sizeof(err)) == -1) {
		cmd_fail(c, err);
		return;
	}
	if (spawn_cmd(c, widest, err, sizeof(err)) == -1) {
		cmd_fail(c, err);
		return;
	}
	for (s = 0; s < 2; s++)
		if (c->pipes[s] != -1)
			event_set(&c->ev[s], c->pipes[s], EV_READ | EV_PERSIST,
			    cmd_read, c);
	reading(c, !paused);
	if (!(c->run.flags & EXEC_F_NOTIMEOUT)) {
		i = c->run.timeout_ms ? c->run.timeout_ms :
		    EXEC_TIMEOUT_DEFAULT;
		tv.tv_sec = i / 1000;
		tv.tv_usec = (i % 1000) * 1000;
		evtimer_set(&c->timer, cmd_timeout, c);
		if (evtimer_add(&c->timer, &tv) == -1)
			fatal("evtimer_add");
	}
	sigchld(SIGCHLD, 0, NULL);
}

/* The command could not start: say so on its stderr and end it. */
static void
cmd_fail(struct cmd *c, const char *why)
{
	struct msg_exec_output	 mo;
	char			 buf[sizeof(mo) + 1100], *line;
	int			 n;

	line = buf + sizeof(mo);
	n = snprintf(line, sizeof(buf) - sizeof(mo), "ocodex: %s\n", why);
	if (n < 0 || (size_t)n >= sizeof(buf) - sizeof(mo))
		n = sizeof(buf) - sizeof(mo) - 1;
	mo.stream = EXEC_STDERR;
	memcpy(buf, &mo, sizeof(mo));
	if (c->fds[2] != -1) {
		if (write(c->fds[2], line, n) == -1)
			log_debug("command %u: %s", c->id, why);
	} else {
		peer_compose(parent, IMSG_EXEC_OUTPUT, c->id, -1, buf,
		    sizeof(mo) + n);
	}
	c->reaped = 1;
	c->status = 126 << 8;
	c->pid = -1;
	cmd_done(c);
}

static void
reading(struct cmd *c, int on)
{
	int	 s;

	if (c->reading == on)
		return;
	for (s = 0; s < 2; s++) {
		if (c->pipes[s] == -1)
			continue;
		if (on && event_add(&c->ev[s], NULL) == -1)
			fatal("event_add");
		if (!on)
			(void)event_del(&c->ev[s]);
	}
	c->reading = on;
}

/* The channel drained enough: read the pipes again. */
static void
resume(int fd, short ev, void *arg)
{
	struct timeval	 tv = { 0, 1000 };
	struct cmd	*c;

	(void)fd;
	(void)ev;
	(void)arg;
	if (imsgbuf_queuelen(&parent->ibuf) > QUEUE_HIGH / 2) {
		if (evtimer_add(&ev_resume, &tv) == -1)
			fatal("evtimer_add");
		return;
	}
	paused = 0;
	TAILQ_FOREACH(c, &cmds, entry)
		reading(c, 1);
}

/* Keep the first EXEC_CAPTURE_MAX bytes of a stream for the heuristic. */
static void
capture(struct cmd *c, int s, const char *data, size_t n)
{
	size_t	 keep;

	keep = EXEC_CAPTURE_MAX - c->caplen[s];
	if (keep > n)
		keep = n;
	if (keep == 0)
		return;
	if (c->cap[s] == NULL && (c->cap[s] = malloc(EXEC_CAPTURE_MAX)) == NULL)
		fatal("malloc");
	memcpy(c->cap[s] + c->caplen[s], data, keep);
	c->caplen[s] += keep;
}

/*
 * Queue what one read brought as messages of at most EXEC_CHUNK_MAX
 * bytes, and write them at once: most of the time the socket takes them
 * all, and the channel's event never has to be re-armed for writing.
 */
static void
send_output(struct cmd *c, int s, const char *data, size_t n)
{
	struct msg_exec_output	 mo;
	struct ibuf		*b;
	size_t			 len;

	if (parent->flags & PEER_DEAD)
		return;
	memset(&mo, 0, sizeof(mo));
	mo.stream = s == 0 ? EXEC_STDOUT : EXEC_STDERR;
	for (; n > 0; data += len, n -= len) {
		len = n > EXEC_CHUNK_MAX ? EXEC_CHUNK_MAX : n;
		if ((b = imsg_create(&parent->ibuf, IMSG_EXEC_OUTPUT, c->id,
		    0, sizeof(mo) + len)) == NULL ||
		    imsg_add(b, &mo, sizeof(mo)) == -1 ||
		    imsg_add(b, data, len) == -1)
			fatal("%s: imsg_create", parent->name);
		imsg_close(&parent->ibuf, b);
	}
	/* A failed write shows again, and is handled, in the event loop. */
	(void)imsgbuf_write(&parent->ibuf);
	peer_event_add(parent);
}

static void
cmd_read(int fd, short ev, void *arg)
{
	static char	 buf[EXEC_READ_MAX];
	struct cmd	*c = arg;
	struct timeval	 tv = { 0, 1000 };
	ssize_t		 n;
	int		 s = fd == c->pipes[0] ? 0 : 1;

	(void)ev;
	if ((n = read(fd, buf, sizeof(buf))) == -1) {
		if (errno == EINTR || errno == EAGAIN)
			return;
		n = 0;
	}
	if (n == 0) {
		(void)event_del(&c->ev[s]);
		(void)close(fd);
		c->pipes[s] = -1;
		if (c->reaped && c->pipes[0] == -1 && c->pipes[1] == -1)
			cmd_done(c);
		return;
	}
	c->bytes[s] += n;
	capture(c, s, buf, n);
	send_output(c, s, buf, n);
	if (!paused && imsgbuf_queuelen(&parent->ibuf) > QUEUE_HIGH) {
		paused = 1;
		TAILQ_FOREACH(c, &cmds, entry)
			reading(c, 0);
		if (evtimer_add(&ev_resume, &tv) == -1)
			fatal("evtimer_add");
	}
}

static void
cmd_timeout(int fd, short ev, void *arg)
{
	struct cmd	*c = arg;

	(void)fd;
	(void)ev;
	if (c->reaped)
		return;
	c->timed_out = 1;
	(void)kill(-c->pid, SIGKILL);
}

void
run_kill(struct peer *p, struct imsg *imsg)
{
	struct cmd	*c;

	(void)p;
	if ((c = cmd_get(imsg_get_id(imsg), 0)) == NULL || !c->started ||
	    c->reaped)
		return;
	(void)kill(-c->pid, SIGKILL);
}

/* Reap our commands only: probes fork and wait for their own children. */
static void
sigchld(int sig, short ev, void *arg)
{
	struct cmd	*c, *tmp;
	int		 st;

	(void)sig;
	(void)ev;
	(void)arg;
	TAILQ_FOREACH_SAFE(c, &cmds, entry, tmp) {
		if (!c->started || c->reaped || c->pid <= 0)
			continue;
		if (waitpid(c->pid, &st, WNOHANG) != c->pid)
			continue;
		c->reaped = 1;
		c->status = st;
		(void)kill(-c->pid, SIGKILL);
		if (c->pipes[0] == -1 && c->pipes[1] == -1)
			cmd_done(c);
	}
}

static void
cmd_done(struct cmd *c)
{
	struct msg_exec_end	 me;
	struct timespec		 now, d;
	const char		*out[2];

	memset(&me, 0, sizeof(me));
	(void)clock_gettime(CLOCK_MONOTONIC, &now);
	timespecsub(&now, &c->start, &d);
	me.duration_ms = d.tv_sec * 1000 + d.tv_nsec / 1000000;
	if (WIFSIGNALED(c->status)) {
		me.signal = WTERMSIG(c->status);
		me.exit_code = 128 + me.signal;
	} else
		me.exit_code = WEXITSTATUS(c->status);
	if (c->timed_out) {
		me.timed_out = 1;
		me.exit_code = EXEC_EXIT_TIMEOUT;
	}
	me.sandboxed = policy_sandboxed(&c->policy) && !sandbox_disabled();
	out[0] = c->cap[0];
	out[1] = c->cap[1];
	me.denied = denial_guess(me.sandboxed, me.exit_code, me.signal, out,
	    c->caplen, 2);
	me.bytes[0] = c->bytes[0];
	me.bytes[1] = c->bytes[1];
	peer_compose(parent, IMSG_EXEC_END, c->id, -1, &me, sizeof(me));
	cmd_free(c);
}
