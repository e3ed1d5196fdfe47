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

#include <curl/curl.h>
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

#define NETPROC_PROMISES	"stdio inet dns recvfd"
#define MAX_PORTS		32

static void	netproc_confine(int, char **, int);
static __dead void usage(void);

/*
 * Files netproc may read: the CA certificates libcurl verifies servers
 * against, and what the resolver reads.  Nothing else, and nothing may be
 * written.
 */
static const char *const netproc_paths[] = {
	"/etc/ssl/certs",
	"/usr/share/ca-certificates",
	"/usr/lib/ssl",
	"/etc/resolv.conf",
	"/etc/hosts",
	"/etc/host.conf",
	"/etc/nsswitch.conf",
	"/etc/gai.conf",
	"/etc/services",
	NULL
};

static const struct dispatch netproc_dispatch[] = {
	{ IMSG_PROBE,	sizeof(struct msg_probe), probe_dispatch },
	{ 0,		0,			NULL }
};

static struct peer	 parent;

/*
 * ocodex-netproc: the only process with network access; it will speak
 * HTTPS to the model providers.  It confines itself before it reads a
 * single byte from its channel.
 */
int
main(int argc, char *argv[])
{
	char	*ports[MAX_PORTS + 1];
	int	 ch, flags = 0, nports = 0, probe = 0;

	while ((ch = getopt(argc, argv, "dnp:Pv")) != -1) {
		if (proc_child_opt(ch, &flags, &probe))
			continue;
		switch (ch) {
		case 'p':
			if (nports == MAX_PORTS)
				fatalx("too many ports");
			ports[nports++] = optarg;
			break;
		default:
			usage();
		}
	}
	ports[nports] = NULL;
	if (argc != optind)
		usage();

	proc_child_init(&parent, netproc_dispatch);
	netproc_confine(flags, ports, probe);
	proc_child_run(&parent);
}

/*
 * libcurl and its TLS library read their configuration when initialised,
 * so that happens first; then the paths above are unveiled read-only, TCP
 * connects are limited to the providers' ports, and the promises fixed.
 */
static void
netproc_confine(int flags, char **ports, int probe)
{
	const char *const	*p;
	const char		*errstr;
	uint16_t		 port;

	(void)signal(SIGPIPE, SIG_IGN);
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		fatalx("curl_global_init failed");
	if (sandbox_init(flags, log_sigsys) == -1)
		fatal("sandbox_init");
	if (sandbox_nodump() == -1 || sandbox_drop_caps() == -1)
		fatal("dropping privileges");
	for (p = netproc_paths; *p != NULL; p++)
		if (unveil(*p, "r") == -1 && errno != ENOENT)
			fatal("unveil %s", *p);
	for (; *ports != NULL; ports++) {
		port = strtonum(*ports, 1, 65535, &errstr);
		if (errstr != NULL)
			fatalx("port %s is %s", *ports, errstr);
		if (unveil_connect(port) == -1)
			fatal("unveil_connect %u", port);
	}
	probe_setpromises(NETPROC_PROMISES);
	if (pledge(probe ? NETPROC_PROMISES " proc" : NETPROC_PROMISES,
	    NULL) == -1)
		fatal("pledge");
	proc_setrole(PROC_NETPROC, sandbox_disabled() ? 0 :
	    sandbox_landlock_abi(), !sandbox_disabled());
}

static __dead void
usage(void)
{
	(void)fprintf(stderr, "usage: ocodex-netproc [-dnPv] [-p port]\n"
	    "ocodex-netproc is started by ocodex(1), not by hand.\n");
	exit(2);
}
