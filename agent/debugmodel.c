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
 * `ocodex debug model [-c key=value] [-m model] [-p provider]
 * [--cancel-after [ID:]MS] REQUEST...`: start the process tree, send
 * netproc one provider-neutral request per file (a JSON file, or - for
 * standard input) and print every event that comes back as one JSON
 * line.  Exit 0 when every request completed, 1 when one failed.  The
 * end-to-end tests of the model client drive this.
 *
 * Request k gets id k (from 1).  With several requests, they are in
 * flight together and each event line carries "request": id.  They are
 * started in order, each once the one before has had its first event,
 * so that a server handing out scripted turns in arrival order (the
 * mock model) gives request k turn k-1; --all-at-once sends them all
 * at the start instead.  --cancel-after sends netproc a cancel for
 * request ID (default 1) MS milliseconds after the start.
 */

#include <sys/types.h>

#include <err.h>
#include <errno.h>
#include <event.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "agent/agent.h"
#include "agent/config.h"
#include "agent/model.h"
#include "imsg/log.h"
#include "imsg/proc.h"

#define OVERRIDES_MAX	64
#define REQUESTS_MAX	64

static json_t	*read_request(const char *);
static void	 session_id(json_t *);
static void	 prepare(json_t *, const struct provider *, const char *);
static void	 cancel_opt(const char *);
static void	 model_ready(void);
static void	 send_next(void);
static void	 on_cancel(int, short, void *);
static void	 model_event(uint32_t, json_t *);
static __dead void dm_usage(void);

static struct config	 cfg;
static json_t		*requests[REQUESTS_MAX];
static int		 nrequests;
static int		 nsent;		/* requests sent to netproc */
static int		 nended;	/* completed or failed */
static int		 anyfailed;
static int		 all_at_once;
static int		 started[REQUESTS_MAX];	/* first event seen */
static uint32_t		 cancel_id = 1;
static long long	 cancel_ms = -1;
static struct event	 cancel_ev;

static const struct option dm_longopts[] = {
	{ "all-at-once",	no_argument,		NULL,	'A' },
	{ "cancel-after",	required_argument,	NULL,	'C' },
	{ NULL,			0,		NULL,	0 }
};

static __dead void
dm_usage(void)
{
	(void)fprintf(stderr, "usage: ocodex debug model [-c key=value] "
	    "[-m model] [-p provider]\n"
	    "                          [--all-at-once] [--cancel-after "
	    "[id:]ms] request.json | - ...\n");
	exit(2);
}

static json_t *
read_request(const char *path)
{
	json_error_t	 jerr;
	json_t		*j;
	FILE		*fp;

	if (strcmp(path, "-") == 0)
		fp = stdin;
	else if ((fp = fopen(path, "r")) == NULL)
		err(1, "%s", path);
	if ((j = json_loadf(fp, 0, &jerr)) == NULL)
		errx(1, "%s:%d: %s", path, jerr.line, jerr.text);
	if (fp != stdin)
		(void)fclose(fp);
	if (!json_is_object(j))
		errx(1, "%s: a request is a JSON object", path);
	return j;
}

/* A request without a session id gets a fresh UUID, as a session has. */
static void
session_id(json_t *req)
{
	unsigned char	 b[16];
	char		 s[40];

	if (json_object_get(req, "session_id") != NULL)
		return;
	arc4random_buf(b, sizeof(b));
	b[6] = (b[6] & 0x0f) | 0x40;
	b[8] = (b[8] & 0x3f) | 0x80;
	(void)snprintf(s, sizeof(s), "%02x%02x%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1], b[2], b[3], b[4],
	    b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
	    b[15]);
	json_object_set_new(req, "session_id", json_string(s));
}

/* The provider and model every request goes to, and a session id. */
static void
prepare(json_t *req, const struct provider *p, const char *model)
{
	json_object_set_new(req, "provider", json_string(p->id));
	if (model != NULL)
		json_object_set_new(req, "model", json_string(model));
	else if (json_object_get(req, "model") == NULL && cfg.model != NULL)
		json_object_set_new(req, "model", json_string(cfg.model));
	session_id(req);
}

/* --cancel-after MS or ID:MS. */
static void
cancel_opt(const char *arg)
{
	const char	*errstr, *colon;
	char		 id[16];

	if ((colon = strchr(arg, ':')) != NULL) {
		if ((size_t)(colon - arg) >= sizeof(id))
			errx(2, "--cancel-after %s: bad request id", arg);
		memcpy(id, arg, colon - arg);
		id[colon - arg] = '\0';
		cancel_id = strtonum(id, 1, REQUESTS_MAX, &errstr);
		if (errstr != NULL)
			errx(2, "--cancel-after: request id %s is %s", id,
			    errstr);
		arg = colon + 1;
	}
	cancel_ms = strtonum(arg, 0, 86400000, &errstr);
	if (errstr != NULL)
		errx(2, "--cancel-after: %s ms is %s", arg, errstr);
}

void
debug_model(int argc, char **argv)
{
	const struct provider	*p;
	struct cred		 c;
	char			*ovr[OVERRIDES_MAX], *ports[40], err[1024];
	const char		*prov = NULL, *model = NULL;
	int			 ch, i, novr = 0, stdin_used = 0;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "+c:m:p:", dm_longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'c':
			if (novr == OVERRIDES_MAX)
				errx(2, "too many -c options");
			ovr[novr++] = optarg;
			break;
		case 'm':
			model = optarg;
			break;
		case 'p':
			prov = optarg;
			break;
		case 'A':
			all_at_once = 1;
			break;
		case 'C':
			cancel_opt(optarg);
			break;
		default:
			dm_usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1 || argc > REQUESTS_MAX)
		dm_usage();
	auth_init();
	if (config_load(&cfg, opts.codex_home, NULL, ovr, novr, err,
	    sizeof(err)) == -1)
		errx(1, "%s", err);
	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "-") == 0 && stdin_used++)
			errx(2, "standard input can be read only once");
		requests[i] = read_request(argv[i]);
	}
	nrequests = argc;
	if (cancel_ms >= 0 && (int)cancel_id > nrequests)
		errx(2, "--cancel-after: there is no request %u", cancel_id);
	if (prov == NULL)
		prov = json_string_value(json_object_get(requests[0],
		    "provider"));
	if (prov == NULL)
		prov = config_provider(&cfg)->id;
	if ((p = config_provider_find(&cfg, prov)) == NULL)
		errx(1, "unknown model provider %s", prov);
	for (i = 0; i < nrequests; i++)
		prepare(requests[i], p, model);
	if (auth_read(p, opts.codex_home, &c, err, sizeof(err)) == -1)
		errx(1, "%s", err);
	auth_wipe_cred(&c);
	if (model_ports(&cfg, ports, sizeof(ports) / sizeof(ports[0]), err,
	    sizeof(err)) == -1)
		errx(1, "%s", err);
	privsep_netproc_ports(ports);
	model_set_handler(model_event);
	privsep_open();
	event_init();
	privsep_start(model_ready);
	privsep_confine();
	children[PROC_NETPROC].peer.table = model_dispatch;
	if (event_dispatch() == -1)
		fatal("event_dispatch");
	privsep_shutdown(1);
}

/* Every helper said hello: configure netproc and send the first request. */
static void
model_ready(void)
{
	struct peer	*np = &children[PROC_NETPROC].peer;
	struct timeval	 tv;

	model_config(np, &cfg);
	auth_send(np, &cfg, opts.codex_home);
	if (cancel_ms >= 0) {
		evtimer_set(&cancel_ev, on_cancel, NULL);
		tv.tv_sec = cancel_ms / 1000;
		tv.tv_usec = (cancel_ms % 1000) * 1000;
		if (evtimer_add(&cancel_ev, &tv) == -1)
			fatal("evtimer_add");
	}
	send_next();
}

/* Send the next request, or with --all-at-once all of them. */
static void
send_next(void)
{
	do {
		if (nsent == nrequests)
			return;
		model_request(&children[PROC_NETPROC].peer, nsent + 1,
		    requests[nsent]);
		json_decref(requests[nsent]);
		requests[nsent++] = NULL;
	} while (all_at_once);
}

static void
on_cancel(int fd, short ev, void *arg)
{
	(void)fd;
	(void)ev;
	(void)arg;
	if ((int)cancel_id > nsent)
		log_warnx("request %u was not sent yet; not cancelling it",
		    cancel_id);
	else
		model_cancel(&children[PROC_NETPROC].peer, cancel_id);
}

static void
model_event(uint32_t id, json_t *ev)
{
	const char	*t = json_string_value(json_object_get(ev, "type"));
	char		*s;

	if (id < 1 || (int)id > nsent)
		fatalx("netproc sent an event for request %u, which was "
		    "never sent", id);
	if (nrequests > 1)
		json_object_set_new(ev, "request", json_integer(id));
	if ((s = json_dumps(ev, JSON_COMPACT)) == NULL)
		fatalx("json_dumps");
	if (printf("%s\n", s) < 0 || fflush(stdout) == EOF)
		fatal("stdout");
	free(s);
	if (!started[id - 1]) {
		started[id - 1] = 1;
		send_next();
	}
	if (t == NULL || (strcmp(t, "completed") != 0 &&
	    strcmp(t, "failed") != 0))
		return;
	if (strcmp(t, "failed") == 0)
		anyfailed = 1;
	if (++nended == nrequests)
		privsep_shutdown(anyfailed);
}
