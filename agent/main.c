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

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent/agent.h"
#include "agent/model.h"
#include "agent/sandboxcmd.h"
#include "imsg/log.h"
#include "sandbox/sandbox.h"

#ifndef OCODEX_VERSION
#define OCODEX_VERSION	"0.1.0"
#endif

static void	 stdio_open(void);
static void	 confinement_check(void);
static int	 run_debug(int, char **);
static __dead void usage(void);

static const struct option longopts[] = {
	{ "help",		no_argument,	NULL,	'h' },
	{ "no-confinement",	no_argument,	NULL,	'N' },
	{ "version",		no_argument,	NULL,	'V' },
	{ NULL,			0,		NULL,	0 }
};

/*
 * ocodex: the parent.  It reads the command line, opens what it needs,
 * starts netproc, execproc and ui, confines itself and runs the session.
 * While it starts up it may hold an API key, so it is not dumpable.
 */
int
main(int argc, char *argv[])
{
	int	ch, prev;

	/* For log records: which bytes the terminal shows as text. */
	(void)setlocale(LC_CTYPE, "");
	log_init(0, "ocodex");
	if (sandbox_nodump() == -1)
		err(1, "prctl");
	stdio_open();
	/*
	 * An option that is not the parent's belongs to the interactive
	 * session, as in `ocodex --full-auto`; it goes to tui_main().
	 */
	opterr = 0;
	for (;;) {
		prev = optind;
		if ((ch = getopt_long(argc, argv, "+dhVv", longopts, NULL)) ==
		    -1)
			break;
		switch (ch) {
		case 'd':
			opts.debug = 1;
			break;
		case 'N':
			opts.noconfine = 1;
			break;
		case 'V':
			(void)printf("ocodex %s\n", OCODEX_VERSION);
			return 0;
		case 'v':
			opts.verbose = 1;
			log_setverbose(1);
			break;
		case '?':
			confinement_check();
			tui_main(argc - prev + 1, argv + prev - 1);
		case 'h':
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0 || (strcmp(argv[0], "debug") != 0 &&
	    strcmp(argv[0], "exec") != 0 && strcmp(argv[0], "login") != 0 &&
	    strcmp(argv[0], "logout") != 0 && strcmp(argv[0], "mcp-server") !=
	    0)) {
		/* No command word: the interactive session, maybe a prompt. */
		confinement_check();
		tui_main(argc + 1, argv - 1);
	}
	if (strcmp(argv[0], "debug") == 0)
		return run_debug(argc - 1, argv + 1);
	if (strcmp(argv[0], "exec") == 0) {
		confinement_check();
		exec_main(argc, argv);
	}
	if (strcmp(argv[0], "mcp-server") == 0) {
		confinement_check();
		mcp_main(argc, argv);
	}
	if (strcmp(argv[0], "login") == 0) {
		home_init();
		auth_login(argc, argv);
	}
	if (strcmp(argv[0], "logout") == 0) {
		home_init();
		auth_logout(argc, argv);
	}
	warnx("unknown command: %s", argv[0]);
	usage();
}

/*
 * Make sure descriptors 0, 1 and 2 are open, so that no descriptor we
 * open later is mistaken for standard input or output.
 */
static void
stdio_open(void)
{
	int	fd;

	while ((fd = open("/dev/null", O_RDWR | O_CLOEXEC)) != -1 &&
	    fd <= STDERR_FILENO)
		if (fcntl(fd, F_SETFD, 0) == -1)
			err(1, "fcntl");
	if (fd == -1)
		err(1, "/dev/null");
	(void)close(fd);
}

/*
 * Fail closed: without Landlock and seccomp no process could be confined,
 * and ocodex does not silently run with less.
 */
static void
confinement_check(void)
{
	int	abi;

	if (opts.noconfine) {
		log_warnx("--no-confinement: running WITHOUT Landlock and "
		    "seccomp; a compromised helper or command can do "
		    "anything you can");
		return;
	}
	if ((abi = sandbox_landlock_abi()) == 0)
		errx(1, "this kernel offers no Landlock (it needs Linux 5.13 "
		    "or later with landlock in the lsm= boot list), so "
		    "ocodex cannot confine its processes; refusing to run.  "
		    "Enable Landlock, or pass --no-confinement to run "
		    "without any confinement (dangerous)");
	if (!sandbox_seccomp_available())
		errx(1, "this kernel offers no seccomp filters, so ocodex "
		    "cannot confine its processes; refusing to run.  Pass "
		    "--no-confinement to run without any confinement "
		    "(dangerous)");
	log_debug("Landlock ABI %d, seccomp filters available", abi);
}

static int
run_debug(int argc, char **argv)
{
	if (argc >= 1 && strcmp(argv[0], "landlock") == 0) {
		confinement_check();
		home_init();
		debug_landlock(argc, argv);
	}
	if (argc >= 1 && strcmp(argv[0], "seatbelt") == 0)
		debug_seatbelt(argc, argv);
	if (argc >= 1 && strcmp(argv[0], "model") == 0) {
		confinement_check();
		home_init();
		debug_model(argc, argv);
	}
	if (argc != 1)
		usage();
	if (strcmp(argv[0], "privsep") == 0) {
		confinement_check();
		home_init();
		debug_privsep();
	}
	if (strcmp(argv[0], "tree") == 0) {
		confinement_check();
		home_init();
		debug_tree();
	}
	warnx("unknown debug command: %s", argv[0]);
	usage();
}

static __dead void
usage(void)
{
	(void)fprintf(stderr,
	    "usage: ocodex [-dVv] [--no-confinement] [options] [prompt]\n"
	    "       ocodex [-dVv] [--no-confinement] exec [options] "
	    "[prompt | -]\n"
	    "       ocodex [-dVv] [--no-confinement] mcp-server "
	    "[-c key=value]\n"
	    "       ocodex [-dVv] [--no-confinement] debug privsep\n"
	    "       ocodex [-dVv] [--no-confinement] debug tree\n"
	    "       ocodex [-dVv] [--no-confinement] debug landlock [-v] "
	    "[-s mode | --full-auto]\n"
	    "              [-c key=value] [--stream] [--timeout ms] -- "
	    "command [arg ...]\n"
	    "       ocodex debug seatbelt [-s mode | --full-auto] "
	    "[-c key=value] --print-profile\n"
	    "       ocodex [-dVv] [--no-confinement] debug model [-c key=value] "
	    "[-m model]\n"
	    "              [-p provider] request.json | -\n"
	    "       ocodex login --with-api-key | status\n"
	    "       ocodex logout\n");
	exit(2);
}
