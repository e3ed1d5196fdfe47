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
 * Model providers: the built-in ones, [model_providers.<id>] tables that
 * add providers or change built-in ones, the URL parser every base_url
 * goes through, and the list of ports the network helper may connect to.
 */

#include <sys/queue.h>

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "agent/config.h"
#include "agent/config-int.h"
#include "agent/toml.h"
#include "imsg/log.h"

#define POFF(f)		offsetof(struct provider, f)
#define URL_MAX		2048

static struct provider	*provider_new(struct config *, const char *);
static int		 oss_base_url(char *, size_t, int, char *, size_t);
static int		 set_base_url(struct cfgctx *, const char *,
			    const struct toml *, void *);
static int		 url_host(const char *, const char *, struct config_url *,
			    char *, size_t);
static int		 url_port(const char *, const char *, struct config_url *,
			    char *, size_t);

static const struct cfgkey provider_keys[] = {
	{ "name", K_STRING, POFF(name), 0, 0, NULL, 0, NULL },
	{ "base_url", K_FUNC, 0, 0, 0, NULL, 0, set_base_url },
	{ "env_key", K_STRING, POFF(env_key), 0, 0, NULL, 0, NULL },
	{ "env_key_instructions", K_STRING, POFF(env_key_instructions), 0, 0,
	    NULL, 0, NULL },
	{ "wire_api", K_ENUM, POFF(wire_api), 0, 0, cfg_wire_names, 0, NULL },
	{ "query_params", K_KVLIST, POFF(query_params), 0, 0, NULL, 0, NULL },
	{ "http_headers", K_KVLIST, POFF(http_headers), 0, 0, NULL, KF_HEADER,
	    NULL },
	{ "env_http_headers", K_KVLIST, POFF(env_http_headers), 0, 0, NULL,
	    KF_HEADER, NULL },
	{ "request_max_retries", K_CAPPED, POFF(request_max_retries), 0,
	    CONFIG_RETRIES_CAP, NULL, 0, NULL },
	{ "stream_max_retries", K_CAPPED, POFF(stream_max_retries), 0,
	    CONFIG_RETRIES_CAP, NULL, 0, NULL },
	{ "stream_idle_timeout_ms", K_INT, POFF(stream_idle_timeout_ms), 1,
	    INT32_MAX, NULL, 0, NULL },
	{ "requires_openai_auth", K_BOOL, POFF(requires_openai_auth), 0, 0,
	    NULL, 0, NULL },
	{ NULL, 0, 0, 0, 0, NULL, 0, NULL }
};

static struct provider *
provider_new(struct config *cfg, const char *id)
{
	struct provider	*p;

	if ((p = calloc(1, sizeof(*p))) == NULL)
		return NULL;
	if ((p->id = strdup(id)) == NULL) {
		free(p);
		return NULL;
	}
	p->wire_api = CONFIG_WIRE_RESPONSES;
	p->request_max_retries = CONFIG_REQUEST_MAX_RETRIES;
	p->stream_max_retries = CONFIG_STREAM_MAX_RETRIES;
	p->stream_idle_timeout_ms = CONFIG_STREAM_IDLE_TIMEOUT_MS;
	TAILQ_INSERT_TAIL(&cfg->providers, p, entry);
	return p;
}

void
provider_free(struct provider *p)
{
	free(p->id);
	free(p->name);
	free(p->base_url);
	free(p->env_key);
	free(p->env_key_instructions);
	kvlist_free(&p->query_params);
	kvlist_free(&p->http_headers);
	kvlist_free(&p->env_http_headers);
	free(p);
}

/*
 * The providers every configuration has.  openai is OpenAI's API; ollama
 * and lmstudio are the local servers --oss talks to, at the address
 * Codex's CODEX_OSS_BASE_URL or CODEX_OSS_PORT give, if set.
 */
int
provider_builtins(struct config *cfg, char *err, size_t errlen)
{
	static const struct {
		const char	*id, *name;
		int		 port, wire;
	} oss[] = {
		{ "ollama", "gpt-oss", 11434, CONFIG_WIRE_CHAT },
		{ "lmstudio", "gpt-oss", 1234, CONFIG_WIRE_RESPONSES }
	};
	struct provider	*p;
	char		 url[URL_MAX];
	size_t		 i;

	if ((p = provider_new(cfg, "openai")) == NULL ||
	    (p->name = strdup("OpenAI")) == NULL ||
	    (p->base_url = strdup(CONFIG_OPENAI_BASE_URL)) == NULL ||
	    (p->env_key = strdup("OPENAI_API_KEY")) == NULL ||
	    kvlist_set(&p->env_http_headers, "OpenAI-Organization",
	    "OPENAI_ORGANIZATION") == -1 ||
	    kvlist_set(&p->env_http_headers, "OpenAI-Project",
	    "OPENAI_PROJECT") == -1)
		goto nomem;
	p->requires_openai_auth = 1;
	p->builtin = 1;
	for (i = 0; i < sizeof(oss) / sizeof(oss[0]); i++) {
		if (oss_base_url(url, sizeof(url), oss[i].port, err,
		    errlen) == -1)
			return -1;
		if ((p = provider_new(cfg, oss[i].id)) == NULL ||
		    (p->name = strdup(oss[i].name)) == NULL ||
		    (p->base_url = strdup(url)) == NULL)
			goto nomem;
		p->wire_api = oss[i].wire;
		p->builtin = 1;
	}
	return 0;
nomem:
	(void)snprintf(err, errlen, "out of memory");
	return -1;
}

static int
oss_base_url(char *buf, size_t len, int port, char *err, size_t errlen)
{
	struct config_url	 u;
	const char		*env, *errstr;
	char			 msg[256];
	int			 n;

	if ((env = getenv("CODEX_OSS_BASE_URL")) != NULL && *env != '\0') {
		if (config_url_parse(env, &u, msg, sizeof(msg)) == -1) {
			(void)snprintf(err, errlen, "CODEX_OSS_BASE_URL: %s",
			    msg);
			return -1;
		}
		n = snprintf(buf, len, "%s", env);
	} else {
		if ((env = getenv("CODEX_OSS_PORT")) != NULL && *env != '\0') {
			port = strtonum(env, 1, 65535, &errstr);
			if (errstr != NULL) {
				(void)snprintf(err, errlen, "CODEX_OSS_PORT: "
				    "port number is %s", errstr);
				return -1;
			}
		}
		n = snprintf(buf, len, "http://localhost:%d/v1", port);
	}
	if (n < 0 || (size_t)n >= len) {
		(void)snprintf(err, errlen, "CODEX_OSS_BASE_URL: too long");
		return -1;
	}
	return 0;
}

/*
 * [model_providers.<id>]: a new id adds a provider, a built-in id
 * changes the fields given and keeps the others.
 */
int
provider_table(struct cfgctx *ctx, const char *kp, const struct toml *val,
    void *obj)
{
	struct config	*cfg = obj;
	struct provider	*p;
	struct toml	*t;
	const char	*id;
	char		 pp[CFG_PATHMAX];
	size_t		 i, len;

	if (toml_type(val) != TOML_TABLE)
		return cfg_type_error(ctx, kp, val, "a table");
	for (i = 0; (id = toml_key_at(val, i, &len, &t)) != NULL; i++) {
		if (cfg_keypath(pp, sizeof(pp), kp, id, len) == -1 ||
		    len == 0 || strlen(id) != len) {
			cfg_error(ctx, "'%s': invalid provider id", pp);
			return -1;
		}
		if (toml_type(t) != TOML_TABLE)
			return cfg_type_error(ctx, pp, t, "a table");
		TAILQ_FOREACH(p, &cfg->providers, entry)
			if (strcmp(p->id, id) == 0)
				break;
		if (p == NULL && (p = provider_new(cfg, id)) == NULL) {
			cfg_error(ctx, "out of memory");
			return -1;
		}
		if (cfg_walk(ctx, provider_keys, p, t, pp) == -1)
			return -1;
	}
	return 0;
}

static int
set_base_url(struct cfgctx *ctx, const char *kp, const struct toml *val,
    void *obj)
{
	struct provider		*p = obj;
	struct config_url	 u;
	const char		*s;
	char			 msg[256];

	if (cfg_string(ctx, kp, val, &s) == -1)
		return -1;
	if (config_url_parse(s, &u, msg, sizeof(msg)) == -1) {
		cfg_error(ctx, "'%s': %s", kp, msg);
		return -1;
	}
	if (cfg_setstr(&p->base_url, s) == -1) {
		cfg_error(ctx, "out of memory");
		return -1;
	}
	return 0;
}

/* openai_base_url = "..." moves the built-in openai provider. */
int
provider_openai_url(struct cfgctx *ctx, const char *kp,
    const struct toml *val, void *obj)
{
	struct config	*cfg = obj;
	struct provider	*p;

	TAILQ_FOREACH(p, &cfg->providers, entry)
		if (strcmp(p->id, "openai") == 0)
			break;
	/* Only the scratch config that checks unused profiles lacks it. */
	if (p == NULL && (p = provider_new(cfg, "openai")) == NULL) {
		cfg_error(ctx, "out of memory");
		return -1;
	}
	return set_base_url(ctx, kp, val, p);
}

/*
 * After the last layer: give providers that were only partly described
 * their defaults, and make sure model_provider names one of them.
 */
int
provider_finish(struct config *cfg, char *err, size_t errlen)
{
	struct provider	*p;
	char		 ids[256] = "";

	TAILQ_FOREACH(p, &cfg->providers, entry) {
		if (p->name == NULL && (p->name = strdup(p->id)) == NULL)
			goto nomem;
		if (p->base_url == NULL) {
			log_warnx("%s: model_providers.%s has no base_url; "
			    "using %s", cfg->path, p->id,
			    CONFIG_OPENAI_BASE_URL);
			if ((p->base_url = strdup(CONFIG_OPENAI_BASE_URL)) ==
			    NULL)
				goto nomem;
		}
	}
	if (config_provider(cfg) != NULL)
		return 0;
	TAILQ_FOREACH(p, &cfg->providers, entry) {
		if (ids[0] != '\0')
			(void)strlcat(ids, ", ", sizeof(ids));
		(void)strlcat(ids, p->id, sizeof(ids));
	}
	(void)snprintf(err, errlen, "%s: model_provider '%s' is not defined "
	    "(known providers: %s)", cfg->path, cfg->model_provider, ids);
	return -1;
nomem:
	(void)snprintf(err, errlen, "out of memory");
	return -1;
}

const struct provider *
config_provider_find(const struct config *cfg, const char *id)
{
	const struct provider	*p;

	if (id == NULL)
		return NULL;
	TAILQ_FOREACH(p, &cfg->providers, entry)
		if (strcmp(p->id, id) == 0)
			return p;
	return NULL;
}

const struct provider *
config_provider(const struct config *cfg)
{
	return config_provider_find(cfg, cfg->model_provider);
}

int
config_provider_ports(const struct config *cfg, int *ports, size_t max,
    char *err, size_t errlen)
{
	const struct provider	*p;
	struct config_url	 u;
	char			 msg[256];
	size_t			 n = 0, i, j;

	TAILQ_FOREACH(p, &cfg->providers, entry) {
		if (config_url_parse(p->base_url, &u, msg, sizeof(msg)) == -1) {
			(void)snprintf(err, errlen, "model_providers.%s."
			    "base_url: %s", p->id, msg);
			return -1;
		}
		for (i = 0; i < n && ports[i] < u.port; i++)
			;
		if (i < n && ports[i] == u.port)
			continue;
		if (n == max) {
			(void)snprintf(err, errlen, "providers use more than "
			    "%zu ports", max);
			return -1;
		}
		for (j = n++; j > i; j--)
			ports[j] = ports[j - 1];
		ports[i] = u.port;
	}
	return (int)n;
}

/*
 * Parse http[s]://host[:port][/path...]: just enough to know where a
 * provider lives, and strict, so that a typo is reported here rather
 * than as a connection failure deep in the network helper.
 */
int
config_url_parse(const char *url, struct config_url *u, char *err,
    size_t errlen)
{
	const char	*p, *auth, *end;
	size_t		 n;

	memset(u, 0, sizeof(*u));
	if ((n = strlen(url)) == 0 || n > URL_MAX) {
		(void)snprintf(err, errlen, "URL is empty or too long");
		return -1;
	}
	for (p = url; *p != '\0'; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f) {
			(void)snprintf(err, errlen, "URL contains a blank or "
			    "control character");
			return -1;
		}
	if (strncasecmp(url, "https://", 8) == 0) {
		u->tls = 1;
		u->port = 443;
		auth = url + 8;
	} else if (strncasecmp(url, "http://", 7) == 0) {
		u->port = 80;
		auth = url + 7;
	} else {
		if ((p = strstr(url, "://")) != NULL && p - url < 32)
			(void)snprintf(err, errlen, "'%s': unsupported scheme "
			    "'%.*s' (use http or https)", url, (int)(p - url),
			    url);
		else
			(void)snprintf(err, errlen, "'%s' is not an http:// or "
			    "https:// URL", url);
		return -1;
	}
	end = auth + strcspn(auth, "/?#");
	if (memchr(auth, '@', end - auth) != NULL) {
		(void)snprintf(err, errlen, "'%s': user names and passwords "
		    "in URLs are not supported", url);
		return -1;
	}
	return url_host(url, auth, u, err, errlen);
}

/* The host: a name, an IPv4 address or a bracketed IPv6 address. */
static int
url_host(const char *url, const char *auth, struct config_url *u,
    char *err, size_t errlen)
{
	const char	*end, *h;
	size_t		 n;

	end = auth + strcspn(auth, "/?#");
	if (*auth == '[') {
		for (h = auth + 1; h < end && *h != ']'; h++)
			if (strchr("0123456789abcdefABCDEF:.", *h) == NULL)
				break;
		if (h >= end || *h != ']' || h == auth + 1 ||
		    memchr(auth, ':', h - auth) == NULL) {
			(void)snprintf(err, errlen, "'%s': bad IPv6 address",
			    url);
			return -1;
		}
		h++;
	} else {
		for (h = auth; h < end && *h != ':'; h++)
			if (strchr("abcdefghijklmnopqrstuvwxyz"
			    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_", *h) ==
			    NULL) {
				(void)snprintf(err, errlen, "'%s': invalid "
				    "character '%c' in host name", url, *h);
				return -1;
			}
	}
	if ((n = h - auth) == 0) {
		(void)snprintf(err, errlen, "'%s': no host name", url);
		return -1;
	}
	if (n >= sizeof(u->host)) {
		(void)snprintf(err, errlen, "'%s': host name too long", url);
		return -1;
	}
	memcpy(u->host, auth, n);
	u->host[n] = '\0';
	return url_port(url, h, u, err, errlen);
}

static int
url_port(const char *url, const char *p, struct config_url *u, char *err,
    size_t errlen)
{
	const char	*end, *errstr;
	char		 num[8];
	size_t		 n;

	end = p + strcspn(p, "/?#");
	if (p == end)
		return 0;
	if (*p != ':') {
		(void)snprintf(err, errlen, "'%s': unexpected text after the "
		    "host name", url);
		return -1;
	}
	p++;
	if ((n = end - p) == 0 || n >= sizeof(num) ||
	    strspn(p, "0123456789") < n) {
		(void)snprintf(err, errlen, "'%s': bad port number", url);
		return -1;
	}
	memcpy(num, p, n);
	num[n] = '\0';
	u->port = strtonum(num, 1, 65535, &errstr);
	if (errstr != NULL) {
		(void)snprintf(err, errlen, "'%s': port number is %s", url,
		    errstr);
		return -1;
	}
	return 0;
}
