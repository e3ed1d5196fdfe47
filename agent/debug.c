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
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <event.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent/agent.h"
#include "imsg/log.h"
#include "imsg/proc.h"
#include "sandbox/probe.h"
#include "sandbox/sandbox.h"

/* Which path a probe row uses. */
enum probe_arg {
	ARG_NONE,
	ARG_OUTSIDE,	/* a file no process may write */
	ARG_HOME,	/* a file under $CODEX_HOME */
	ARG_TMP,	/* a file in execproc's /tmp root */
	ARG_CA		/* the CA bundle */
};

struct probe_row {
	int		 role;
	int		 kind;
	int		 target;	/* sibling for ptrace and /proc */
	int		 arg;
	const char	*what;
	const char	*expect;	/* "ok", an errno name or SIGSYS */
	int		 done;
	struct msg_probe_result res;
};

/*
 * What each process must be refused and what it must still be able to
 * do.  SIGSYS means the system call is outside the process's promises and
 * kills it; an errno means the call is allowed but Landlock (or the
 * kernel's ptrace rules) refuses the object.
 */
static struct probe_row rows[] = {
#define ROLE_ROWS(role, sib, w, c, x, pt, env, f)			\
	{ role, PROBE_WRITE, sib, ARG_OUTSIDE, "write outside its roots", \
	    w, 0, { 0 } },						\
	{ role, PROBE_CONNECT, sib, ARG_NONE, "TCP connect 127.0.0.1",	\
	    c, 0, { 0 } },						\
	{ role, PROBE_EXEC, sib, ARG_NONE, "execve /bin/true", x, 0,	\
	    { 0 } },							\
	{ role, PROBE_PTRACE, sib, ARG_NONE, "ptrace a sibling", pt, 0,	\
	    { 0 } },							\
	{ role, PROBE_ENVIRON, sib, ARG_NONE, "read sibling's environ",	\
	    env, 0, { 0 } },						\
	{ role, PROBE_MEM, sib, ARG_NONE, "read sibling's mem", env, 0,	\
	    { 0 } },							\
	{ role, PROBE_FORK, sib, ARG_NONE, "fork", f, 0, { 0 } }
	ROLE_ROWS(PROC_PARENT, PROC_NETPROC, "EACCES", "SIGSYS", "SIGSYS",
	    "SIGSYS", "EACCES", "SIGSYS"),
	{ PROC_PARENT, PROBE_WRITE, 0, ARG_HOME, "write under $CODEX_HOME",
	    "ok", 0, { 0 } },
	ROLE_ROWS(PROC_NETPROC, PROC_EXECPROC, "SIGSYS", "EACCES", "SIGSYS",
	    "SIGSYS", "EACCES", "SIGSYS"),
	{ PROC_NETPROC, PROBE_READ, 0, ARG_CA, "read CA certificates", "ok",
	    0, { 0 } },
	/*
	 * execproc supervises arbitrary programs, so its seccomp filter is
	 * the per-command deny-list (EPERM, not a kill), and outside its
	 * writable roots its mount namespace is read-only (EROFS).
	 */
	ROLE_ROWS(PROC_EXECPROC, PROC_NETPROC, "EROFS", "EPERM", "ok",
	    "EPERM", "EACCES", "ok"),
	{ PROC_EXECPROC, PROBE_WRITE, 0, ARG_TMP, "write in a writable root",
	    "ok", 0, { 0 } },
	ROLE_ROWS(PROC_UI, PROC_NETPROC, "SIGSYS", "SIGSYS", "SIGSYS",
	    "SIGSYS", "SIGSYS", "SIGSYS"),
	{ PROC_UI, PROBE_STDOUT, 0, ARG_NONE, "write its own output", "ok",
	    0, { 0 } },
#undef ROLE_ROWS
};
#define NROWS	(sizeof(rows) / sizeof(rows[0]))

static const char *outside_dir(void);
static int	 beneath(const char *, const char *);
static void	 probe_fill(struct probe_row *, struct msg_probe *);
static void	 probe_result(struct peer *, struct imsg *);
static void	 privsep_ready(void);
static void	 privsep_report(void);
static void	 tree_ready(void);
static int	 listener(void);
static const char *outcome(const struct msg_probe_result *, char *,
		    size_t);

static const struct dispatch probe_dispatch_table[] = {
	{ IMSG_PROBE_RESULT, sizeof(struct msg_probe_result), probe_result },
	{ 0, 0, NULL }
};

static int		 lport;
static size_t		 pending;

static const char *const ca_files[] = {
	"/etc/ssl/certs/ca-certificates.crt",
	"/etc/hosts",
	NULL
};

/*
 * `ocodex debug privsep`: start the real tree in probe mode, have each
 * process try what its role forbids and what it needs, and print one row
 * per attempt.  Exit 0 only if every row matches.
 */
void
debug_privsep(void)
{
	int	i;

	opts.probe = 1;
	privsep_open();
	if ((lport = listener()) == -1)
		fatal("listener on 127.0.0.1");
	event_init();
	privsep_start(privsep_ready);
	privsep_confine();
	for (i = PROC_NETPROC; i < PROC_MAX; i++)
		children[i].peer.table = probe_dispatch_table;
	if (event_dispatch() == -1)
		fatal("event_dispatch");
	privsep_shutdown(1);
}

/* A TCP listener on an ephemeral loopback port, for the connect probe. */
static int
listener(void)
{
	struct sockaddr_in	 sin;
	socklen_t		 len = sizeof(sin);
	int			 s;

	if ((s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(s, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    listen(s, 64) == -1 ||
	    getsockname(s, (struct sockaddr *)&sin, &len) == -1)
		return -1;
	return ntohs(sin.sin_port);
}

/* Whether path is dir or lies beneath it. */
static int
beneath(const char *path, const char *dir)
{
	size_t	len = strlen(dir);

	if (strcmp(dir, "/") == 0)
		return 1;
	return strncmp(path, dir, len) == 0 &&
	    (path[len] == '\0' || path[len] == '/');
}

/*
 * A directory that exists and that no process may write: not the working
 * directory (execproc's root), /tmp or $CODEX_HOME, nor beneath them.
 * Started from the root directory, execproc may write everywhere, and the
 * probe is then run in the root directory itself, where it must succeed
 * for execproc; the table says so.
 */
static const char *
outside_dir(void)
{
	static const char *const cand[] = { "/var/tmp", "/dev/shm", "/var",
	    "/usr/local", NULL };
	const char *const	*c;

	for (c = cand; *c != NULL; c++)
		if (access(*c, F_OK) == 0 && !beneath(*c, opts.cwd) &&
		    !beneath(*c, "/tmp") && !beneath(*c, opts.codex_home))
			return *c;
	return "/";
}

static void
probe_fill(struct probe_row *r, struct msg_probe *mp)
{
	const char *const	*ca;
	int			 n = 0;

	memset(mp, 0, sizeof(*mp));
	mp->kind = r->kind;
	mp->port = lport;
	mp->pid = children[r->target].pid;
	switch (r->arg) {
	case ARG_OUTSIDE:
		n = snprintf(mp->path, sizeof(mp->path),
		    "%s/ocodex-privsep-probe.%d", outside_dir(), (int)getpid());
		break;
	case ARG_HOME:
		n = snprintf(mp->path, sizeof(mp->path),
		    "%s/privsep-probe.%d", opts.codex_home, (int)getpid());
		break;
	case ARG_TMP:
		n = snprintf(mp->path, sizeof(mp->path),
		    "/tmp/ocodex-privsep-probe.%d", (int)getpid());
		break;
	case ARG_CA:
		for (ca = ca_files; ca[1] != NULL; ca++)
			if (access(*ca, R_OK) == 0)
				break;
		n = strlcpy(mp->path, *ca, sizeof(mp->path));
		break;
	default:
		break;
	}
	if (n < 0 || (size_t)n >= sizeof(mp->path))
		fatalx("probe path too long");
}

/*
 * Every helper said hello: send each its probes, and run the parent's
 * own here.  Results come back tagged with the row's index.
 */
static void
privsep_ready(void)
{
	struct msg_probe	 mp;
	size_t			 i;

	for (i = 0; i < NROWS; i++) {
		probe_fill(&rows[i], &mp);
		if (rows[i].role == PROC_EXECPROC && rows[i].arg == ARG_OUTSIDE &&
		    beneath(mp.path, opts.cwd))
			rows[i].expect = "ok";
		if (rows[i].role == PROC_PARENT) {
			if (probe_run(&mp, NULL, &rows[i].res) == -1)
				fatal("probe");
			rows[i].done = 1;
			continue;
		}
		pending++;
		peer_compose(&children[rows[i].role].peer, IMSG_PROBE, i, -1,
		    &mp, sizeof(mp));
	}
	if (pending == 0)
		privsep_report();
}

static void
probe_result(struct peer *p, struct imsg *imsg)
{
	uint32_t	 i = imsg_get_id(imsg);

	if (i >= NROWS || rows[i].role != p->role || rows[i].done)
		fatalx("%s: result for a probe it was not sent", p->name);
	(void)imsg_get_exact(imsg, &rows[i].res, sizeof(rows[i].res));
	rows[i].done = 1;
	if (--pending == 0)
		privsep_report();
}

static const char *
outcome(const struct msg_probe_result *res, char *buf, size_t len)
{
	const char	*s;

	if (res->signal != 0) {
		s = sigabbrev_np(res->signal);
		(void)snprintf(buf, len, "SIG%s", s != NULL ? s : "?");
	} else if (res->error == 0)
		(void)strlcpy(buf, "ok", len);
	else if (res->error == -1)
		(void)strlcpy(buf, "no-pledge", len);
	else {
		s = strerrorname_np(res->error);
		(void)strlcpy(buf, s != NULL ? s : "error", len);
	}
	return buf;
}

/* Print the table and stop the tree: 0 if every row matched. */
static void
privsep_report(void)
{
	char	 got[32];
	size_t	 i, bad = 0;
	int	 match;

	(void)printf("%-9s %-28s %-8s %-8s %s\n", "PROCESS", "ATTEMPT",
	    "EXPECTED", "GOT", "RESULT");
	for (i = 0; i < NROWS; i++) {
		(void)outcome(&rows[i].res, got, sizeof(got));
		match = strcmp(got, rows[i].expect) == 0;
		if (!match)
			bad++;
		(void)printf("%-9s %-28s %-8s %-8s %s\n",
		    proc_rolename(rows[i].role), rows[i].what,
		    rows[i].expect, got, match ? "ok" : "MISMATCH");
	}
	(void)printf("%zu rows, %zu as expected, %zu mismatched\n", NROWS,
	    NROWS - bad, bad);
	(void)fflush(stdout);
	privsep_shutdown(bad == 0 ? 0 : 1);
}

/*
 * `ocodex debug tree`: start the tree, print each process once it is
 * confined and has said hello, and run until interrupted or until a
 * helper dies.
 */
void
debug_tree(void)
{
	privsep_open();
	event_init();
	privsep_start(tree_ready);
	privsep_confine();
	if (event_dispatch() == -1)
		fatal("event_dispatch");
	privsep_shutdown(1);
}

static void
tree_ready(void)
{
	int	i;

	(void)printf("%-9s %-8s %-8s %s\n", "PROCESS", "PID", "LANDLOCK",
	    "CONFINED");
	(void)printf("%-9s %-8d %-8d %s\n", "ocodex", (int)getpid(),
	    opts.noconfine ? 0 : sandbox_landlock_abi(),
	    opts.noconfine ? "no" : "yes");
	for (i = PROC_NETPROC; i < PROC_MAX; i++)
		(void)printf("%-9s %-8d %-8u %s\n", children[i].peer.name,
		    (int)children[i].pid, children[i].peer.hello.landlock_abi,
		    children[i].peer.hello.confined ? "yes" : "no");
	(void)fflush(stdout);
}
