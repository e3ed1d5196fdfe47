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
 * `ocodex debug model [-p provider] [-m model] [-c key=value] REQUEST`:
 * start the process tree, send netproc one provider-neutral request
 * (a JSON file, or - for standard input) and print every event that
 * comes back as one JSON line.  Exit 0 when the request completed, 1
 * when it failed.  The end-to-end tests of the model client drive this.
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

#define REQUEST_MAX	(64 * 1024 * 1024)
#define OVERRIDES_MAX	64

static json_t	*read_request(const char *);
static void	 session_id(json_t *);
static void	 model_ready(void);
static void	 model_event(uint32_t, json_t *);
static __dead void dm_usage(void);

static struct config	 cfg;
static json_t		*request;

static __dead void
dm_usage(void)
{
	(void)fprintf(stderr, "usage: ocodex debug model [-c key=value] "
	    "[-m model] [-p provider] request.json | -\n");
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

void
debug_model(int argc, char **argv)
{
	const struct provider	*p;
	struct cred		 c;
	char			*ovr[OVERRIDES_MAX], *ports[40], err[1024];
	const char		*prov = NULL, *model = NULL;
	int			 ch, novr = 0;

	optind = 0;
	while ((ch = getopt(argc, argv, "+c:m:p:")) != -1) {
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
		default:
			dm_usage();
		}
	}
	if (argc - optind != 1)
		dm_usage();
	auth_init();
	if (config_load(&cfg, opts.codex_home, NULL, ovr, novr, err,
	    sizeof(err)) == -1)
		errx(1, "%s", err);
	request = read_request(argv[optind]);
	if (prov == NULL)
		prov = json_string_value(json_object_get(request, "provider"));
	if (prov == NULL)
		prov = config_provider(&cfg)->id;
	if ((p = config_provider_find(&cfg, prov)) == NULL)
		errx(1, "unknown model provider %s", prov);
	if (model == NULL && json_object_get(request, "model") == NULL)
		model = cfg.model;
	json_object_set_new(request, "provider", json_string(p->id));
	if (model != NULL)
		json_object_set_new(request, "model", json_string(model));
	session_id(request);
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

/* Every helper said hello: configure netproc and send the request. */
static void
model_ready(void)
{
	struct peer	*np = &children[PROC_NETPROC].peer;

	model_config(np, &cfg);
	auth_send(np, &cfg, opts.codex_home);
	model_request(np, 1, request);
	json_decref(request);
	request = NULL;
}

static void
model_event(uint32_t id, json_t *ev)
{
	const char	*t = json_string_value(json_object_get(ev, "type"));
	char		*s;

	(void)id;
	if ((s = json_dumps(ev, JSON_COMPACT)) == NULL)
		fatalx("json_dumps");
	if (printf("%s\n", s) < 0 || fflush(stdout) == EOF)
		fatal("stdout");
	free(s);
	if (t != NULL && strcmp(t, "completed") == 0)
		privsep_shutdown(0);
	if (t != NULL && strcmp(t, "failed") == 0)
		privsep_shutdown(1);
}
