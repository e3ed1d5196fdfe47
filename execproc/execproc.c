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

#include "imsg/log.h"
#include "imsg/proc.h"
#include "imsg/proto.h"
#include "sandbox/probe.h"
#include "sandbox/sandbox.h"

/*
 * execproc runs programs, each later in a sandbox of its own, so it needs
 * to fork, exec and map executable code; it has no network promise.
 */
#define EXECPROC_PROMISES \
	"stdio rpath wpath cpath fattr flock proc exec prot_exec unix recvfd"
#define MAX_ROOTS		64

static void	execproc_confine(int, char **, int);
static __dead void usage(void);

static const struct dispatch execproc_dispatch[] = {
	{ IMSG_PROBE,	sizeof(struct msg_probe), probe_dispatch },
	{ 0,		0,			NULL }
};

static struct peer	 parent;

/*
 * ocodex-execproc: runs the shell commands and patches the model asks
 * for.  It is confined to the widest policy the session can ever grant
 * (the writable roots given with -w), before it reads its channel.
 */
int
main(int argc, char *argv[])
{
	char	*roots[MAX_ROOTS + 1];
	int	 ch, flags = 0, nroots = 0, probe = 0;

	while ((ch = getopt(argc, argv, "dnPvw:")) != -1) {
		if (proc_child_opt(ch, &flags, &probe))
			continue;
		switch (ch) {
		case 'w':
			if (nroots == MAX_ROOTS)
				fatalx("too many writable roots");
			roots[nroots++] = optarg;
			break;
		default:
			usage();
		}
	}
	roots[nroots] = NULL;
	if (argc != optind)
		usage();

	proc_child_init(&parent, execproc_dispatch);
	execproc_confine(flags, roots, probe);
	proc_child_run(&parent);
}

/*
 * Everything may be read and executed; only the writable roots may be
 * written.  A root that does not exist is an error: the parent checked
 * them, so a missing one means the tree changed under us.
 */
static void
execproc_confine(int flags, char **roots, int probe)
{
	(void)signal(SIGPIPE, SIG_IGN);
	if (sandbox_init(flags, log_sigsys) == -1)
		fatal("sandbox_init");
	if (sandbox_drop_caps() == -1)
		fatal("dropping privileges");
	if (unveil("/", "rx") == -1)
		fatal("unveil /");
	if (unveil("/dev/null", "rw") == -1)
		fatal("unveil /dev/null");
	for (; *roots != NULL; roots++)
		if (unveil(*roots, "rwxc") == -1)
			fatal("unveil %s", *roots);
	probe_setpromises(EXECPROC_PROMISES);
	if (pledge(EXECPROC_PROMISES, NULL) == -1)
		fatal("pledge");
	(void)probe;
	proc_setrole(PROC_EXECPROC, sandbox_disabled() ? 0 :
	    sandbox_landlock_abi(), !sandbox_disabled());
}

static __dead void
usage(void)
{
	(void)fprintf(stderr, "usage: ocodex-execproc [-dnPv] [-w root]\n"
	    "ocodex-execproc is started by ocodex(1), not by hand.\n");
	exit(2);
}
