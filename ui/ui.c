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

/* The terminal arrives as descriptors; ui opens nothing itself. */
#define UI_PROMISES	"stdio tty recvfd"

static void	ui_confine(int, int);
static __dead void usage(void);

static const struct dispatch ui_dispatch[] = {
	{ IMSG_PROBE,	sizeof(struct msg_probe), probe_dispatch },
	{ 0,		0,			NULL }
};

static struct peer	 parent;

/*
 * ocodex-ui: renders the session to the terminal (or as JSON lines, or as
 * an MCP server on stdio).  It can reach no file and no socket: everything
 * it shows comes over its channel, and the descriptors it writes to are
 * passed to it.
 */
int
main(int argc, char *argv[])
{
	int	 ch, flags = 0, probe = 0;

	while ((ch = getopt(argc, argv, "dnPv")) != -1) {
		if (!proc_child_opt(ch, &flags, &probe))
			usage();
	}
	if (argc != optind)
		usage();

	proc_child_init(&parent, ui_dispatch);
	ui_confine(flags, probe);
	proc_child_run(&parent);
}

/* No paths at all: an empty Landlock ruleset, then the promises. */
static void
ui_confine(int flags, int probe)
{
	(void)signal(SIGPIPE, SIG_IGN);
	if (sandbox_init(flags, log_sigsys) == -1)
		fatal("sandbox_init");
	if (sandbox_drop_caps() == -1)
		fatal("dropping privileges");
	if (unveil(NULL, NULL) == -1)
		fatal("unveil");
	probe_setpromises(UI_PROMISES);
	if (pledge(probe ? UI_PROMISES " proc" : UI_PROMISES, NULL) == -1)
		fatal("pledge");
	proc_setrole(PROC_UI, sandbox_disabled() ? 0 :
	    sandbox_landlock_abi(), !sandbox_disabled());
}

static __dead void
usage(void)
{
	(void)fprintf(stderr, "usage: ocodex-ui [-dnPv]\n"
	    "ocodex-ui is started by ocodex(1), not by hand.\n");
	exit(2);
}
