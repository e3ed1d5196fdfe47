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
 * The model client, parent side: it tells netproc about the providers
 * (IMSG_NET_CONFIG), sends provider-neutral requests and hands the
 * events that come back to whoever asked.  See imsg/proto.h for the
 * payloads.
 */

#include <sys/types.h>
#include <sys/utsname.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "agent/agent.h"
#include "agent/config.h"
#include "agent/model.h"
#include "agent/proxy.h"
#include "imsg/log.h"
#include "imsg/proc.h"
#include "imsg/proto.h"

#ifndef OCODEX_VERSION
#define OCODEX_VERSION	"0.1.0"
#endif

#define TOKEN_URL	"https://auth.openai.com/oauth/token"
#define CHATGPT_BASE_URL "https://chatgpt.com/backend-api/codex"
#define MODEL_PORTS_MAX	32

static void	 net_event(struct peer *, struct imsg *);
static json_t	*kv_object(const struct config_kvlist *);
static json_t	*provider_json(const struct provider *);
static void	 user_agent(const char *, char *, size_t);
static const char *token_url(void);
static const char *chatgpt_base_url(void);
static const char *base_url(const struct provider *);
static void	 port_add(int *, int *, const char *);

const struct dispatch model_dispatch[] = {
	{ IMSG_NET_EVENT,	DISPATCH_ANYLEN,	net_event },
	{ IMSG_NET_TOKENS,	DISPATCH_ANYLEN,	auth_store_tokens },
	{ 0,			0,			NULL }
};

static void	(*handler)(uint32_t, json_t *);

void
model_set_handler(void (*fn)(uint32_t, json_t *))
{
	handler = fn;
}

static json_t *
kv_object(const struct config_kvlist *l)
{
	json_t	*o;
	size_t	 i;

	if ((o = json_object()) == NULL)
		fatal(NULL);
	for (i = 0; i < l->n; i++)
		if (json_object_set_new(o, l->v[i].key,
		    json_string(l->v[i].value)) == -1)
			fatalx("json_object_set_new");
	return o;
}

/*
 * One provider for netproc.  env_http_headers are resolved here, since
 * netproc has no environment: a variable that is unset or blank drops
 * its header, as in Codex.
 */
static json_t *
provider_json(const struct provider *p)
{
	json_t		*o, *h;
	const char	*v;
	size_t		 i;

	h = kv_object(&p->http_headers);
	for (i = 0; i < p->env_http_headers.n; i++) {
		v = getenv(p->env_http_headers.v[i].value);
		if (v == NULL || v[strspn(v, " \t")] == '\0')
			continue;
		json_object_set_new(h, p->env_http_headers.v[i].key,
		    json_string(v));
	}
	o = json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:I, s:I, s:I}",
	    "id", p->id, "name", p->name != NULL ? p->name : "",
	    "base_url", base_url(p), "wire_api",
	    p->wire_api == CONFIG_WIRE_CHAT ? "chat" : "responses",
	    "query_params", kv_object(&p->query_params), "headers", h,
	    "request_max_retries", (json_int_t)p->request_max_retries,
	    "stream_max_retries", (json_int_t)p->stream_max_retries,
	    "stream_idle_timeout_ms", (json_int_t)p->stream_idle_timeout_ms);
	if (o == NULL)
		fatalx("provider %s", p->id);
	return o;
}

/*
 * Codex's form: "originator/version (OS release; arch) terminal", with
 * anything outside printable ASCII made '_'.
 */
static void
user_agent(const char *originator, char *buf, size_t len)
{
	struct utsname	 u;
	const char	*term = getenv("TERM_PROGRAM");
	char		*c;

	if (uname(&u) == -1)
		memset(&u, 0, sizeof(u));
	if (term == NULL || *term == '\0')
		term = getenv("TERM");
	(void)snprintf(buf, len, "%s/%s (%s %s; %s) %s", originator,
	    OCODEX_VERSION, u.sysname, u.release, u.machine,
	    term != NULL && *term != '\0' ? term : "unknown");
	for (c = buf; *c != '\0'; c++)
		if (*c < ' ' || *c > '~')
			*c = '_';
}

/* Codex's override of the token endpoint, which tests use too. */
static const char *
token_url(void)
{
	const char	*u = getenv("CODEX_REFRESH_TOKEN_URL_OVERRIDE");

	return u != NULL && *u != '\0' ? u : TOKEN_URL;
}

/*
 * Where a ChatGPT sign-in sends model requests.  The variable is ours,
 * for tests: Codex has no such override.
 */
static const char *
chatgpt_base_url(void)
{
	const char	*u = getenv("OCODEX_CHATGPT_BASE_URL");

	return u != NULL && *u != '\0' ? u : CHATGPT_BASE_URL;
}

/*
 * A provider that uses OpenAI's sign-in and has no base URL of its own
 * (it has the default one) talks to the ChatGPT backend when the
 * credential is a ChatGPT sign-in, and to the API otherwise, as in
 * Codex.  Setting the default URL explicitly cannot be told apart.
 */
static const char *
base_url(const struct provider *p)
{
	struct cred	 c;
	char		 err[512];
	int		 kind;

	if (!p->requires_openai_auth ||
	    strcmp(p->base_url, CONFIG_OPENAI_BASE_URL) != 0)
		return p->base_url;
	if (auth_read(p, opts.codex_home, &c, err, sizeof(err)) == -1)
		return p->base_url;
	kind = c.kind;
	auth_wipe_cred(&c);
	return kind == CRED_CHATGPT ? chatgpt_base_url() : p->base_url;
}

/* IMSG_NET_CONFIG: the client identity and every provider. */
void
model_config(struct peer *np, const struct config *cfg)
{
	const struct provider	*p;
	const char		*orig;
	json_t			*j, *a, *proxy;
	char			 ua[512], *s, err[256];
	int			 ports[MODEL_PORTS_MAX], n = 0;

	orig = getenv("CODEX_INTERNAL_ORIGINATOR_OVERRIDE");
	if (orig == NULL || *orig == '\0')
		orig = "codex_cli_rs";
	user_agent(orig, ua, sizeof(ua));
	if ((a = json_array()) == NULL)
		fatal(NULL);
	TAILQ_FOREACH(p, &cfg->providers, entry)
		json_array_append_new(a, provider_json(p));
	if ((j = json_pack("{s:s, s:s, s:s, s:o}", "originator", orig,
	    "user_agent", ua, "token_url", token_url(), "providers", a)) ==
	    NULL)
		fatalx("building the netproc configuration");
	/* model_ports() checked them already, before anything started. */
	if (proxy_collect(&proxy, ports, &n, MODEL_PORTS_MAX, err,
	    sizeof(err)) == -1)
		fatalx("%s", err);
	if ((proxy != NULL && json_object_set_new(j, "proxy", proxy) == -1) ||
	    (s = json_dumps(j, JSON_COMPACT)) == NULL)
		fatalx("building the netproc configuration");
	peer_compose_big(np, IMSG_NET_CONFIG, 0, s, strlen(s));
	freezero(s, strlen(s));
	json_decref(j);
}

/* Add url's port to the n ports unless it is there. */
static void
port_add(int *ports, int *n, const char *url)
{
	struct config_url	 u;
	char			 msg[256];
	int			 i;

	if (config_url_parse(url, &u, msg, sizeof(msg)) == -1)
		return;
	for (i = 0; i < *n && ports[i] != u.port; i++)
		;
	if (i == *n)
		ports[(*n)++] = u.port;
}

/*
 * netproc's -p arguments: every provider's port, the token endpoint's,
 * the ChatGPT backend's and each proxy's.  The strings live in a static
 * buffer.  -1 with a message when a proxy variable is malformed.
 */
int
model_ports(const struct config *cfg, char **out, size_t max, char *err,
    size_t errlen)
{
	static char		 buf[MODEL_PORTS_MAX + 2][8];
	int			 ports[MODEL_PORTS_MAX + 2], n, i;
	json_t			*proxy;

	if (max < 2)
		return -1;
	if ((n = config_provider_ports(cfg, ports, MODEL_PORTS_MAX, err,
	    errlen)) == -1)
		return -1;
	port_add(ports, &n, token_url());
	port_add(ports, &n, chatgpt_base_url());
	if (proxy_collect(&proxy, ports, &n, MODEL_PORTS_MAX + 2, err,
	    errlen) == -1)
		return -1;
	json_decref(proxy);
	for (i = 0; i < n && (size_t)i + 1 < max; i++) {
		(void)snprintf(buf[i], sizeof(buf[i]), "%d", ports[i]);
		out[i] = buf[i];
	}
	out[i] = NULL;
	return i;
}

/*
 * IMSG_NET_REQUEST: one provider-neutral request, id chosen by us: the
 * settings, a NUL, then the history (see imsg/proto.h), so that netproc
 * can pass the history on without parsing it again.
 */
void
model_request(struct peer *np, uint32_t id, json_t *req)
{
	json_t	*in;
	char	*s, *h, *msg;
	size_t	 slen, hlen;

	if ((in = json_incref(json_object_get(req, "input"))) == NULL &&
	    (in = json_array()) == NULL)
		fatal(NULL);
	(void)json_object_del(req, "input");
	s = json_dumps(req, JSON_COMPACT);
	h = json_dumps(in, JSON_COMPACT);
	if (json_object_set_new(req, "input", in) == -1 || s == NULL ||
	    h == NULL)
		fatalx("json_dumps");
	slen = strlen(s);
	hlen = strlen(h);
	if ((msg = malloc(slen + 1 + hlen)) == NULL)
		fatal(NULL);
	memcpy(msg, s, slen + 1);
	memcpy(msg + slen + 1, h, hlen);
	peer_compose_big(np, IMSG_NET_REQUEST, id, msg, slen + 1 + hlen);
	free(s);
	free(h);
	free(msg);
}

void
model_cancel(struct peer *np, uint32_t id)
{
	peer_compose(np, IMSG_NET_CANCEL, id, -1, NULL, 0);
}

static void
net_event(struct peer *p, struct imsg *imsg)
{
	json_t	*ev;
	char	*data;
	size_t	 len;

	if (peer_big_recv(p, imsg, &data, &len) == 0)
		return;
	if ((ev = json_loadb(data, len, 0, NULL)) == NULL)
		fatalx("netproc sent an event that is not JSON");
	free(data);
	if (handler != NULL)
		handler(imsg_get_id(imsg), ev);
	json_decref(ev);
}
