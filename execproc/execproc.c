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
#include <sys/queue.h>

#include <err.h>
#include <errno.h>
#include <event.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "execproc/exec.h"
#include "imsg/log.h"
#include "imsg/proc.h"
#include "imsg/proto.h"
#include "sandbox/policy.h"
#include "sandbox/probe.h"
#include "sandbox/sandbox.h"

static void	 execproc_confine(int, struct policy *);
static __dead void confine_fail(const char *, const char *);
static __dead void usage(void);

static const struct dispatch execproc_dispatch[] = {
	{ IMSG_PROBE,	sizeof(struct msg_probe), probe_dispatch },
	{ IMSG_EXEC_ARG,	DISPATCH_ANYLEN,	run_msg },
	{ IMSG_EXEC_ENV,	DISPATCH_ANYLEN,	run_msg },
	{ IMSG_EXEC_ROOT,	DISPATCH_ANYLEN,	run_msg },
	{ IMSG_EXEC_FD,		sizeof(uint32_t),	run_msg },
	{ IMSG_EXEC_RUN,	DISPATCH_ANYLEN,	run_msg },
	{ IMSG_EXEC_KILL,	0,			run_kill },
	{ IMSG_EXEC_PATCH,	DISPATCH_ANYLEN,	patchrun_msg },
	{ 0,		0,			NULL }
};

static struct peer	 parent;
static struct policy	 widest;

/*
 * ocodex-execproc: runs the shell commands and patches the model asks
 * for, each in a sandbox of its own.  Before it reads its channel it
 * confines itself to the widest policy the session can ever grant:
 * -s MODE, -N when that policy has network, -C the session's directory,
 * -w each writable root.
 */
int
main(int argc, char *argv[])
{
	int	 ch, flags = 0, probe = 0, mode = POLICY_WORKSPACE_WRITE;
	int	 network = 0;
	char	*cwd = NULL;

	while ((ch = getopt(argc, argv, "C:dnNPs:vw:")) != -1) {
		if (proc_child_opt(ch, &flags, &probe))
			continue;
		switch (ch) {
		case 'C':
			cwd = optarg;
			break;
		case 'N':
			network = 1;
			break;
		case 's':
			if (policy_mode_parse(optarg, &mode) == -1)
				errx(2, "unknown sandbox mode %s", optarg);
			break;
		case 'w':
			if (widest.nconfig == POLICY_MAX_ROOTS)
				errx(2, "too many writable roots");
			widest.config_roots[widest.nconfig++] = optarg;
			break;
		default:
			usage();
		}
	}
	if (argc != optind || cwd == NULL || cwd[0] != '/')
		usage();
	widest.mode = mode;
	widest.network = network;
	if ((widest.cwd = strdup(cwd)) == NULL)
		err(1, "strdup");
	widest.exclude_slash_tmp = widest.exclude_tmpdir_env_var = 1;

	proc_child_init(&parent, execproc_dispatch);
	execproc_confine(flags, &widest);
	run_init(&parent, &widest);
	patchrun_init(&parent, &widest);
	proc_child_run(&parent);
}

/*
 * With a sandboxed widest policy execproc enters its user and mount
 * namespace (Landlock forbids mounts later, to us and to every command),
 * drops its capabilities, and applies to itself the Landlock rules and
 * seccomp deny-list that its commands get: nothing a command does can go
 * beyond them.  Its filter is a deny-list, not pledge's allow-list,
 * because every program a command runs inherits it, and an allow-list
 * that kills would kill compilers and interpreters on the first system
 * call nobody listed.  With danger-full-access execproc stays as the
 * user is, and each sandboxed command builds its own namespace.
 */
static void
execproc_confine(int flags, struct policy *w)
{
	char	 err[1024];

	(void)signal(SIGPIPE, SIG_IGN);
	if (sandbox_init(flags, log_sigsys) == -1)
		fatal("sandbox_init");
	if (policy_resolve(w, NULL, err, sizeof(err)) == -1)
		confine_fail(err, NULL);
	probe_setpromises(NULL);
	if (sandbox_disabled() || !policy_sandboxed(w)) {
		proc_setrole(PROC_EXECPROC, 0, 0);
		return;
	}
	if (nsbind_enter(w, err, sizeof(err)) == -1)
		confine_fail(err, NULL);
	if (chdir("/") == -1)
		confine_fail("chdir /", strerror(errno));
	if (sandbox_drop_caps() == -1)
		confine_fail("dropping privileges", strerror(errno));
	if (cmdsandbox_landlock(w, err, sizeof(err)) == -1)
		confine_fail(err, NULL);
	if (seccomp_deny_apply(DENY_NAMESPACE |
	    (w->network ? 0 : DENY_NETWORK)) == -1)
		confine_fail("seccomp", strerror(errno));
	proc_setrole(PROC_EXECPROC, sandbox_landlock_abi(), 1);
}

/*
 * The parent drops anything that comes before a hello, so say hello
 * (unconfined, which is the truth) before the message that explains why
 * execproc cannot go on: the user must learn what to fix.
 */
static __dead void
confine_fail(const char *what, const char *why)
{
	proc_setrole(PROC_EXECPROC, 0, 0);
	peer_hello(&parent);
	if (why != NULL)
		fatalx("%s: %s", what, why);
	fatalx("%s", what);
}

static __dead void
usage(void)
{
	(void)fprintf(stderr, "usage: ocodex-execproc [-dNnPv] -C cwd "
	    "[-s mode] [-w root]\n"
	    "ocodex-execproc is started by ocodex(1), not by hand.\n");
	exit(2);
}
