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
#include <strings.h>
#include <unistd.h>

#include <jansson.h>

#include "imsg/log.h"
#include "imsg/proc.h"
#include "imsg/proto.h"
#include "netproc/netproc.h"
#include "sandbox/probe.h"
#include "sandbox/sandbox.h"

#define NETPROC_PROMISES	"stdio inet dns recvfd"
#define MAX_PORTS		32
/* Coalesced delta text stays within one imsg frame (BIG_CHUNK). */
#define COALESCE_MAX		(12 * 1024)

static void	netproc_confine(int, char **, int);
static __dead void usage(void);
static void	net_config(struct peer *, struct imsg *);
static void	proxy_setenv(json_t *);
static void	net_credential(struct peer *, struct imsg *);
static void	net_request(struct peer *, struct imsg *);
static void	net_cancel(struct peer *, struct imsg *);
static void	provider_add(json_t *);
static char	*jdup(json_t *, const char *, const char *);
static long long jnum(json_t *, const char *, long long, long long);
static int	is_azure(const char *, const char *);
static char	*query_string(json_t *);
static int	pending_add(uint32_t, json_t *);
static void	pending_flush(void);
static void	pending_cb(int, short, void *);
static void	send_text(uint32_t, json_t *);

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
	{ IMSG_NET_CONFIG,	DISPATCH_ANYLEN,	net_config },
	{ IMSG_NET_CREDENTIAL,	DISPATCH_ANYLEN,	net_credential },
	{ IMSG_NET_REQUEST,	DISPATCH_ANYLEN,	net_request },
	{ IMSG_NET_CANCEL,	0,			net_cancel },
	{ 0,		0,			NULL }
};

static struct peer	 parent;
static int		 configured;

/*
 * Delta events waiting to be sent: consecutive deltas of one request,
 * kind and item decoded from one read are joined into one event, and
 * sent when the loop is done with that read, or before any other event.
 */
static struct {
	uint32_t	 id;
	json_t		*ev;		/* the first delta, NULL if none */
	char		*body;		/* the joined escaped text */
	size_t		 len;
	size_t		 size;
	struct event	 flush;
} pending;
struct np_providers	 np_providers = TAILQ_HEAD_INITIALIZER(np_providers);
struct np_client	 np_client;

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
	event_set(&pending.flush, -1, 0, pending_cb, NULL);
	netproc_confine(flags, ports, probe);
	if (atexit(auth_wipe) != 0)
		fatalx("atexit");
	http_init();
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

/*
 * Send one event of request id to the parent; takes the reference.
 * Delta events may wait a moment to be joined with the next ones.
 */
void
np_send_event(uint32_t id, json_t *ev)
{
	if (ev == NULL)
		fatalx("out of memory building an event");
	if (pending_add(id, ev))
		return;
	pending_flush();
	send_text(id, ev);
}

static void
send_text(uint32_t id, json_t *ev)
{
	char	*s;
	size_t	 len;

	s = event_text(ev, &len);
	peer_compose_big(&parent, IMSG_NET_EVENT, id, s, len);
	free(s);
	json_decref(ev);
}

/* Keep a delta event, joined to the pending one if it is of its kind. */
static int
pending_add(uint32_t id, json_t *ev)
{
	json_t	*b = json_object_get(ev, NP_EV_DELTA);
	size_t	 n;

	if (b == NULL || (n = json_string_length(b)) > COALESCE_MAX)
		return 0;
	if (pending.ev != NULL && (pending.id != id ||
	    pending.len + n > COALESCE_MAX ||
	    !json_equal(json_object_get(ev, "type"),
	    json_object_get(pending.ev, "type")) ||
	    !json_equal(json_object_get(ev, NP_EV_TAIL),
	    json_object_get(pending.ev, NP_EV_TAIL))))
		pending_flush();
	if (pending.size < pending.len + n) {
		if ((pending.body = realloc(pending.body, COALESCE_MAX)) ==
		    NULL)
			fatal(NULL);
		pending.size = COALESCE_MAX;
	}
	memcpy(pending.body + pending.len, json_string_value(b), n);
	pending.len += n;
	if (pending.ev != NULL) {
		json_decref(ev);
		return 1;
	}
	pending.ev = ev;
	pending.id = id;
	event_active(&pending.flush, EV_TIMEOUT, 1);
	return 1;
}

static void
pending_flush(void)
{
	json_t	*ev = pending.ev;

	if (ev == NULL)
		return;
	pending.ev = NULL;
	if (json_object_set_new(ev, NP_EV_DELTA,
	    json_stringn_nocheck(pending.body, pending.len)) == -1)
		fatalx("json_object_set_new");
	pending.len = 0;
	send_text(pending.id, ev);
}

/* The loop has finished with the read that decoded the deltas. */
static void
pending_cb(int fd, short events, void *arg)
{
	(void)fd;
	(void)events;
	(void)arg;
	pending_flush();
}

/* Refreshed tokens for auth.json; takes the reference, wipes the text. */
void
np_send_tokens(const struct np_provider *p, json_t *tokens)
{
	json_t	*j;
	char	*s;

	pending_flush();
	if ((j = json_pack("{s:s, s:o}", "provider", p->id, "tokens",
	    tokens)) == NULL || (s = json_dumps(j, JSON_COMPACT)) == NULL)
		fatalx("building the tokens message");
	peer_compose_big(&parent, IMSG_NET_TOKENS, 0, s, strlen(s));
	freezero(s, strlen(s));
	json_object_clear(tokens);
	json_decref(j);
}

struct np_provider *
np_provider_find(const char *id)
{
	struct np_provider	*p;

	TAILQ_FOREACH(p, &np_providers, entry)
		if (strcmp(p->id, id) == 0)
			return p;
	return NULL;
}

static char *
jdup(json_t *o, const char *key, const char *def)
{
	const char	*s = json_string_value(json_object_get(o, key));
	char		*d;

	if (s == NULL)
		s = def;
	if (s == NULL)
		return NULL;
	if ((d = strdup(s)) == NULL)
		fatal(NULL);
	return d;
}

static long long
jnum(json_t *o, const char *key, long long def, long long max)
{
	json_t		*v = json_object_get(o, key);
	long long	 n;

	if (!json_is_integer(v))
		return def;
	n = json_integer_value(v);
	return n < 0 ? def : n > max ? max : n;
}

/*
 * Azure wants store:true; Codex knows it by the provider's name or by
 * the host names of its base URL.
 */
static int
is_azure(const char *name, const char *url)
{
	static const char *const marks[] = { "openai.azure.",
	    "cognitiveservices.azure.", "aoai.azure.", "azure-api.",
	    "azurefd.", "windows.net/openai", NULL };
	int	i;

	if (name != NULL && strcasecmp(name, "azure") == 0)
		return 1;
	for (i = 0; marks[i] != NULL; i++)
		if (strcasestr(url, marks[i]) != NULL)
			return 1;
	return 0;
}

/* "k=v&k2=v2", joined raw as Codex joins them; NULL when empty. */
static char *
query_string(json_t *q)
{
	const char	*k;
	json_t		*v;
	char		*s = NULL, *n;

	json_object_foreach(q, k, v) {
		if (!json_is_string(v))
			continue;
		if (asprintf(&n, "%s%s%s=%s", s != NULL ? s : "",
		    s != NULL ? "&" : "", k, json_string_value(v)) == -1)
			fatal(NULL);
		free(s);
		s = n;
	}
	return s;
}

static void
provider_add(json_t *o)
{
	struct np_provider	*p;
	size_t			 n;

	if ((p = calloc(1, sizeof(*p))) == NULL)
		fatal(NULL);
	p->id = jdup(o, "id", NULL);
	p->base_url = jdup(o, "base_url", NULL);
	if (p->id == NULL || p->base_url == NULL)
		fatalx("provider without id or base_url");
	if (strlen(p->id) >= CRED_PROVIDER_MAX)
		fatalx("provider id %s too long", p->id);
	n = strlen(p->base_url);
	while (n > 0 && p->base_url[n - 1] == '/')
		p->base_url[--n] = '\0';
	p->name = jdup(o, "name", "");
	p->query = query_string(json_object_get(o, "query_params"));
	p->headers = json_object_get(o, "headers");
	p->headers = p->headers != NULL ? json_incref(p->headers) :
	    json_object();
	p->wire = strcmp(json_string_value(json_object_get(o, "wire_api")) ?
	    json_string_value(json_object_get(o, "wire_api")) : "", "chat") ==
	    0 ? NP_WIRE_CHAT : NP_WIRE_RESPONSES;
	p->azure = is_azure(p->name, p->base_url);
	p->request_max_retries = jnum(o, "request_max_retries", 4, 100);
	p->stream_max_retries = jnum(o, "stream_max_retries", 5, 100);
	p->idle_ms = jnum(o, "stream_idle_timeout_ms", 300000, 86400000);
	if (p->idle_ms == 0)
		p->idle_ms = 300000;
	p->cred = -1;
	TAILQ_INSERT_TAIL(&np_providers, p, entry);
}

/* IMSG_NET_CONFIG, once: the client identity and the providers. */
static void
net_config(struct peer *p, struct imsg *imsg)
{
	json_t	*j, *v;
	char	*data;
	size_t	 len, i;

	if (peer_big_recv(p, imsg, &data, &len) == 0)
		return;
	if (configured++)
		fatalx("configured twice");
	if ((j = json_loadb(data, len, 0, NULL)) == NULL)
		fatalx("configuration is not JSON");
	freezero(data, len + 1);
	np_client.originator = jdup(j, "originator", "codex_cli_rs");
	np_client.user_agent = jdup(j, "user_agent", "codex_cli_rs");
	np_client.token_url = jdup(j, "token_url", NULL);
	np_client.client_id = jdup(j, "client_id", NULL);
	json_array_foreach(json_object_get(j, "providers"), i, v)
		provider_add(v);
	proxy_setenv(json_object_get(j, "proxy"));
	json_decref(j);
}

/*
 * The proxy variables the parent found in its environment: libcurl reads
 * them from ours at every transfer.  Only names ending in _proxy are
 * taken.  libcurl ignores an upper-case HTTP_PROXY (a CGI hazard that
 * does not apply here), and Codex honours it, so it also serves as
 * http_proxy when that is not set.
 */
static void
proxy_setenv(json_t *o)
{
	const char	*k, *v;
	json_t		*jv;
	size_t		 n;

	json_object_foreach(o, k, jv) {
		n = strlen(k);
		if ((v = json_string_value(jv)) == NULL || n < 6 ||
		    strcasecmp(k + n - 6, "_proxy") != 0)
			fatalx("bad proxy setting");
		if (setenv(k, v, 1) == -1)
			fatal("setenv");
	}
	if (getenv("http_proxy") == NULL && (v = getenv("HTTP_PROXY")) !=
	    NULL && setenv("http_proxy", v, 1) == -1)
		fatal("setenv");
}

static void
net_credential(struct peer *p, struct imsg *imsg)
{
	struct ibuf	 ib;

	(void)p;
	if (!configured)
		fatalx("credential before configuration");
	if (imsg_get_ibuf(imsg, &ib) == -1)
		fatalx("credential");
	auth_credential(ibuf_data(&ib), ibuf_size(&ib));
	explicit_bzero(ibuf_data(&ib), ibuf_size(&ib));
}

static void
net_request(struct peer *p, struct imsg *imsg)
{
	char	*data;
	size_t	 len;

	if (peer_big_recv(p, imsg, &data, &len) == 0)
		return;
	if (!configured)
		fatalx("request before configuration");
	request_new(imsg_get_id(imsg), data, len);
	freezero(data, len + 1);
}

static void
net_cancel(struct peer *p, struct imsg *imsg)
{
	(void)p;
	request_cancel(imsg_get_id(imsg));
}
