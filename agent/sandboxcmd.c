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
 * `ocodex debug landlock` and `ocodex debug seatbelt`: run one command
 * through exactly the path the agent uses.  The parent computes the
 * policy (which is also the widest one for this run), starts execproc
 * with it, sends the command and waits for its end; its exit status
 * passes through.  By default the command gets our own standard input,
 * output and error as descriptors, so that its output is not copied
 * through three processes; --stream takes the agent's path instead, with
 * output coming back over the channel in chunks.
 */

#include <sys/types.h>

#include <err.h>
#include <errno.h>
#include <event.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent/agent.h"
#include "agent/sandboxcmd.h"
#include "imsg/log.h"
#include "imsg/proc.h"
#include "sandbox/policy.h"

extern char	**environ;

#define CMD_ID	1
/*
 * Output is gathered up to this much and written once per batch of
 * messages read from the channel, not once per message.
 */
#define OUT_MAX	(256 * 1024)

static struct policy	 policy;
static struct envpolicy	 envpol;
static char		**cmd_env;
static char		**cmd_argv;
static char		*xargs[EXECPROC_ARGS_MAX + 1];
static int		 stream, verbose;
static uint32_t		 timeout_ms;
static uint32_t		 run_flags = EXEC_F_NOTIMEOUT;
static char		*outbuf;
static size_t		 outlen;
static uint32_t		 outstream;
static struct event	 ev_flush;

static void	 parse(int, char **, int, int *);
static void	 setup(void);
static void	 ready(void);
static void	 on_output(struct peer *, struct imsg *);
static void	 on_end(struct peer *, struct imsg *);
static void	 writeall(int, const char *, size_t);
static void	 out_flush(int, short, void *);
static void	 send_str(struct peer *, uint32_t, const char *);
static __dead void usage(const char *);

static const struct dispatch sandbox_dispatch[] = {
	{ IMSG_EXEC_OUTPUT,	DISPATCH_ANYLEN,		on_output },
	{ IMSG_EXEC_END,	sizeof(struct msg_exec_end),	on_end },
	{ 0,			0,				NULL }
};

static const struct option longopts[] = {
	{ "full-auto",		no_argument,		NULL,	'F' },
	{ "print-profile",	no_argument,		NULL,	'p' },
	{ "stream",		no_argument,		NULL,	'S' },
	{ "timeout",		required_argument,	NULL,	't' },
	{ NULL,			0,			NULL,	0 }
};

/*
 * Options common to both commands: -s MODE, --full-auto (workspace-write
 * without network), -c key=value, -v; landlock also takes --stream and
 * --timeout MS, seatbelt --print-profile.
 */
static void
parse(int argc, char **argv, int seatbelt, int *print)
{
	char		 cwd[PATH_MAX], errbuf[1024];
	const char	*errstr, *name = argv[0];
	int		 ch, mode = POLICY_READ_ONLY;
	char		*cfg[64];
	size_t		 ncfg = 0, i;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "+c:s:v", longopts, NULL)) !=
	    -1) {
		switch (ch) {
		case 'c':
			if (ncfg == sizeof(cfg) / sizeof(cfg[0]))
				errx(2, "too many -c options");
			cfg[ncfg++] = optarg;
			break;
		case 's':
			if (policy_mode_parse(optarg, &mode) == -1)
				errx(2, "unknown sandbox mode: %s", optarg);
			break;
		case 'F':
			mode = POLICY_WORKSPACE_WRITE;
			break;
		case 'v':
			verbose = 1;
			break;
		case 'p':
			if (!seatbelt)
				usage(name);
			*print = 1;
			break;
		case 'S':
			stream = 1;
			break;
		case 't':
			timeout_ms = strtonum(optarg, 1, 86400000, &errstr);
			if (errstr != NULL)
				errx(2, "timeout %s is %s", optarg, errstr);
			run_flags &= ~EXEC_F_NOTIMEOUT;
			break;
		default:
			usage(name);
		}
	}
	cmd_argv = argv + optind;
	if (*cmd_argv == NULL && !(seatbelt && *print))
		usage(name);
	if (getcwd(cwd, sizeof(cwd)) == NULL)
		err(1, "getcwd");
	if (policy_init(&policy, mode, cwd) == -1)
		err(1, NULL);
	envpolicy_init(&envpol);
	for (i = 0; i < ncfg; i++)
		if (policy_config(&policy, &envpol, cfg[i], errbuf,
		    sizeof(errbuf)) == -1)
			errx(2, "%s", errbuf);
	if (policy_resolve(&policy, getenv("TMPDIR"), errbuf,
	    sizeof(errbuf)) == -1)
		errx(1, "%s", errbuf);
}

__dead void
debug_seatbelt(int argc, char **argv)
{
	char	*prof;
	int	 print = 0;

	parse(argc, argv, 1, &print);
	if (!print)
		errx(1, "debug seatbelt: sandbox-exec exists only on macOS; "
		    "use --print-profile to see the profile, or debug "
		    "landlock to run a command here");
	if ((prof = seatbelt_profile(&policy)) == NULL)
		err(1, "seatbelt profile");
	if (fputs(prof, stdout) == EOF || fflush(stdout) == EOF)
		err(1, "stdout");
	exit(0);
}

__dead void
debug_landlock(int argc, char **argv)
{
	parse(argc, argv, 0, NULL);
	if ((cmd_env = env_build(&envpol, environ, &policy)) == NULL)
		err(1, "environment");
	setup();
	privsep_open();
	if (event_init() == NULL)
		fatalx("event_init");
	/*
	 * The command is queued behind our hello at once, not when
	 * execproc's hello arrives: execproc reads it as soon as it is
	 * ready, and one round trip less is most of a short command's
	 * latency.  Nothing from execproc is read before we confine.
	 */
	privsep_start_roles(1U << PROC_EXECPROC, NULL);
	ready();
	privsep_confine();
	children[PROC_EXECPROC].peer.table = sandbox_dispatch;
	if ((outbuf = malloc(OUT_MAX)) == NULL)
		fatal(NULL);
	event_set(&ev_flush, -1, 0, out_flush, NULL);
	if (event_dispatch() == -1)
		fatal("event_dispatch");
	privsep_shutdown(1);
}

/* execproc's arguments: the policy of this command is the widest. */
static void
setup(void)
{
	size_t	 n = 0, i;

	xargs[n++] = "-s";
	xargs[n++] = (char *)policy_mode_name(policy.mode);
	if (policy.network)
		xargs[n++] = "-N";
	xargs[n++] = "-C";
	xargs[n++] = policy.cwd;
	for (i = 0; i < policy.nroots && n + 2 < EXECPROC_ARGS_MAX; i++) {
		xargs[n++] = "-w";
		xargs[n++] = policy.roots[i];
	}
	xargs[n] = NULL;
	privsep_execproc_args(xargs);
}

static void
send_str(struct peer *p, uint32_t type, const char *s)
{
	size_t	 len = strlen(s) + 1;

	if (len > MAX_IMSGSIZE - IMSG_HEADER_SIZE)
		fatalx("an argument or variable is longer than %zu bytes",
		    (size_t)(MAX_IMSGSIZE - IMSG_HEADER_SIZE));
	peer_compose(p, type, CMD_ID, -1, s, len);
}

/* Queue the command for execproc. */
static void
ready(void)
{
	struct peer		*p = &children[PROC_EXECPROC].peer;
	struct msg_exec_run	 mr;
	struct ibuf		*b;
	char			**v;
	size_t			 i;
	uint32_t		 which;
	int			 fd;

	for (v = cmd_argv; *v != NULL; v++)
		send_str(p, IMSG_EXEC_ARG, *v);
	for (v = cmd_env; *v != NULL; v++)
		send_str(p, IMSG_EXEC_ENV, *v);
	for (i = 0; i < policy.nroots; i++)
		send_str(p, IMSG_EXEC_ROOT, policy.roots[i]);
	for (which = 0; which < 3 && !stream; which++) {
		if ((fd = dup(which)) == -1)
			fatal("dup");
		peer_compose(p, IMSG_EXEC_FD, CMD_ID, fd, &which,
		    sizeof(which));
	}
	memset(&mr, 0, sizeof(mr));
	mr.mode = policy.mode;
	mr.network = policy.network;
	mr.timeout_ms = timeout_ms;
	mr.flags = run_flags;
	if ((b = imsg_create(&p->ibuf, IMSG_EXEC_RUN, CMD_ID, 0,
	    sizeof(mr) + strlen(policy.cwd) + 1)) == NULL ||
	    imsg_add(b, &mr, sizeof(mr)) == -1 ||
	    imsg_add(b, policy.cwd, strlen(policy.cwd) + 1) == -1)
		fatal("imsg_create");
	imsg_close(&p->ibuf, b);
	peer_flush(p);
}

static void
writeall(int fd, const char *buf, size_t len)
{
	ssize_t	 n;

	while (len > 0) {
		if ((n = write(fd, buf, len)) == -1) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return;		/* the reader went away */
		}
		buf += n;
		len -= n;
	}
}

/* Write what on_output gathered; the order of the streams is kept. */
static void
out_flush(int fd, short ev, void *arg)
{
	(void)fd;
	(void)ev;
	(void)arg;
	if (outlen == 0)
		return;
	writeall(outstream == EXEC_STDOUT ? STDOUT_FILENO : STDERR_FILENO,
	    outbuf, outlen);
	outlen = 0;
}

/*
 * Gather a chunk of output.  The flush event runs once the messages
 * that the channel's last read brought have all been handled.
 */
static void
on_output(struct peer *p, struct imsg *imsg)
{
	struct msg_exec_output	 mo;
	struct ibuf		 ib;
	size_t			 n;

	if (imsg_get_ibuf(imsg, &ib) == -1 ||
	    ibuf_get(&ib, &mo, sizeof(mo)) == -1 ||
	    (mo.stream != EXEC_STDOUT && mo.stream != EXEC_STDERR))
		fatalx("%s: malformed output", p->name);
	n = ibuf_size(&ib);
	if (outlen > 0 && (mo.stream != outstream || outlen + n > OUT_MAX))
		out_flush(-1, 0, NULL);
	if (n > OUT_MAX) {
		writeall(mo.stream == EXEC_STDOUT ? STDOUT_FILENO :
		    STDERR_FILENO, ibuf_data(&ib), n);
		return;
	}
	if (outlen == 0)
		event_active(&ev_flush, EV_TIMEOUT, 1);
	memcpy(outbuf + outlen, ibuf_data(&ib), n);
	outlen += n;
	outstream = mo.stream;
}

static void
on_end(struct peer *p, struct imsg *imsg)
{
	struct msg_exec_end	 me;

	(void)imsg_get_exact(imsg, &me, sizeof(me));
	out_flush(-1, 0, NULL);
	if (verbose)
		(void)fprintf(stderr, "ocodex: %s: exit %d, signal %d, %u ms"
		    "%s%s%s, %llu+%llu bytes\n", p->name, me.exit_code,
		    me.signal, me.duration_ms, me.timed_out ? ", timed out" :
		    "", me.sandboxed ? ", sandboxed" : ", not sandboxed",
		    me.denied ? ", likely a sandbox denial" : "",
		    (unsigned long long)me.bytes[0],
		    (unsigned long long)me.bytes[1]);
	/*
	 * Execproc killed the command's process group before it reported
	 * the end, so nothing of the command is left to wait for; execproc
	 * itself dies with us through its parent-death signal.  Waiting for
	 * it to exit would put the teardown of its namespaces between the
	 * command's end and our exit status.
	 */
	exit(me.exit_code & 0xff);
}

static __dead void
usage(const char *name)
{
	(void)fprintf(stderr, "usage: ocodex debug %s [-v] [-s mode | "
	    "--full-auto] [-c key=value] %s\n", name,
	    strcmp(name, "seatbelt") == 0 ?
	    "(--print-profile | -- command [arg ...])" :
	    "[--stream] [--timeout ms] -- command [arg ...]");
	exit(2);
}
