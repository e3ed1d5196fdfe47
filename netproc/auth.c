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
 * Credentials in netproc: one per provider, sent once by the parent and
 * kept only here.  They go into Authorization headers and nowhere else:
 * never into a log record, an event or an error message.  A ChatGPT
 * access token is refreshed before a request when its JWT says it has
 * expired, and once when the server refuses it; the new tokens go to
 * the parent, which alone writes auth.json.  Requests that need a
 * refresh while one is under way wait for that one.
 */

#include <sys/types.h>
#include <sys/queue.h>

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "imsg/log.h"
#include "imsg/proto.h"
#include "netproc/netproc.h"

/* Codex's OAuth client id for the ChatGPT sign-in. */
#define CHATGPT_CLIENT_ID	"app_EMoamEEZ73f0CkXaXp7hrann"
#define TOKEN_REPLY_MAX		(256 * 1024)

#define JWT_PAYLOAD_MAX		(64 * 1024)

/* Someone waiting for a refresh to end. */
struct waiter {
	TAILQ_ENTRY(waiter)	 entry;
	void			(*cb)(void *, int);
	void			*arg;
};
TAILQ_HEAD(waiters, waiter);

struct refresh {
	TAILQ_ENTRY(refresh)	 entry;
	struct np_provider	*prov;
	struct waiters		 waiters;
	struct curl_slist	*hdrs;
	char			*body;
	char			*reply;
	size_t			 len;
	long			 status;
};

static void	 secret_free(char **);
static char	*secret_dup(const char *);
static void	 ref_status(void *, long);
static void	 ref_header(void *, const char *, const char *);
static int	 ref_data(void *, const char *, size_t);
static void	 ref_done(void *, const char *);
static int	 ref_apply(struct refresh *);
static int	 b64url_val(int);
static unsigned char *b64url_decode(const char *, size_t, size_t *);
static void	 waiter_add(struct refresh *, void (*)(void *, int), void *);

/* Refreshes under way, at most one per provider. */
static TAILQ_HEAD(, refresh) refreshes = TAILQ_HEAD_INITIALIZER(refreshes);

static const struct http_ops refresh_ops = {
	ref_status, ref_header, ref_data, ref_done
};

static void
secret_free(char **s)
{
	if (*s != NULL)
		freezero(*s, strlen(*s));
	*s = NULL;
}

static char *
secret_dup(const char *s)
{
	char	*d;

	if (s == NULL)
		return NULL;
	if ((d = strdup(s)) == NULL)
		fatal(NULL);
	return d;
}

/*
 * IMSG_NET_CREDENTIAL: struct msg_credential and the secret.  For
 * ChatGPT the secret is auth.json's "tokens" object.
 */
void
auth_credential(const void *data, size_t len)
{
	struct msg_credential	 mc;
	struct np_provider	*p;
	json_t			*j;
	char			*secret;

	if (len < sizeof(mc) || len - sizeof(mc) > 1024 * 1024)
		fatalx("credential of bad size");
	memcpy(&mc, data, sizeof(mc));
	mc.provider[sizeof(mc.provider) - 1] = '\0';
	if ((p = np_provider_find(mc.provider)) == NULL)
		fatalx("credential for unknown provider %s", mc.provider);
	if ((secret = calloc(1, len - sizeof(mc) + 1)) == NULL)
		fatal(NULL);
	memcpy(secret, (const char *)data + sizeof(mc), len - sizeof(mc));
	secret_free(&p->secret);
	secret_free(&p->refresh_token);
	secret_free(&p->id_token);
	free(p->account_id);
	p->account_id = NULL;
	p->cred = mc.kind == CRED_CHATGPT ? CRED_CHATGPT : CRED_API_KEY;
	if (p->cred == CRED_API_KEY) {
		p->secret = secret;
		return;
	}
	if ((j = json_loads(secret, 0, NULL)) == NULL)
		fatalx("ChatGPT tokens for %s are not JSON", mc.provider);
	freezero(secret, len - sizeof(mc) + 1);
	p->secret = secret_dup(json_string_value(json_object_get(j,
	    "access_token")));
	p->refresh_token = secret_dup(json_string_value(json_object_get(j,
	    "refresh_token")));
	p->id_token = secret_dup(json_string_value(json_object_get(j,
	    "id_token")));
	p->account_id = secret_dup(json_string_value(json_object_get(j,
	    "account_id")));
	/* jansson keeps its own copies; scrub them before they go. */
	json_object_clear(j);
	json_decref(j);
}

/* Authorization, and ChatGPT-Account-ID for ChatGPT sign-ins. */
struct curl_slist *
auth_headers(const struct np_provider *p, struct curl_slist *l)
{
	char	*h;
	size_t	 n;

	if (p->secret != NULL && *p->secret != '\0') {
		if (asprintf(&h, "Authorization: Bearer %s", p->secret) == -1)
			fatal(NULL);
		n = strlen(h);
		if ((l = curl_slist_append(l, h)) == NULL)
			fatal(NULL);
		freezero(h, n);
	}
	if (p->cred == CRED_CHATGPT && p->account_id != NULL) {
		if (asprintf(&h, "ChatGPT-Account-ID: %s", p->account_id) ==
		    -1)
			fatal(NULL);
		if ((l = curl_slist_append(l, h)) == NULL)
			fatal(NULL);
		free(h);
	}
	return l;
}

static void
waiter_add(struct refresh *rf, void (*cb)(void *, int), void *arg)
{
	struct waiter	*w;

	if ((w = calloc(1, sizeof(*w))) == NULL)
		fatal(NULL);
	w->cb = cb;
	w->arg = arg;
	TAILQ_INSERT_TAIL(&rf->waiters, w, entry);
}

/*
 * Start a refresh of p's ChatGPT tokens, or join the one under way;
 * cb(arg, ok) runs when it ends.  Return -1 if there is nothing to
 * refresh with.
 */
int
auth_refresh(struct np_provider *p, void (*cb)(void *, int), void *arg)
{
	struct refresh	*rf;
	json_t		*b;

	if (p->cred != CRED_CHATGPT || p->refresh_token == NULL ||
	    np_client.token_url == NULL)
		return -1;
	TAILQ_FOREACH(rf, &refreshes, entry)
		if (rf->prov == p) {
			waiter_add(rf, cb, arg);
			return 0;
		}
	if ((rf = calloc(1, sizeof(*rf))) == NULL)
		fatal(NULL);
	rf->prov = p;
	TAILQ_INIT(&rf->waiters);
	waiter_add(rf, cb, arg);
	b = json_pack("{s:s, s:s, s:s}", "client_id", np_client.client_id !=
	    NULL ? np_client.client_id : CHATGPT_CLIENT_ID, "grant_type",
	    "refresh_token", "refresh_token", p->refresh_token);
	if (b == NULL || (rf->body = json_dumps(b, JSON_COMPACT)) == NULL)
		fatalx("building the refresh request");
	json_object_clear(b);
	json_decref(b);
	if ((rf->hdrs = curl_slist_append(NULL, "Content-Type: "
	    "application/json")) == NULL)
		fatal(NULL);
	log_debug("refreshing the ChatGPT token of %s", p->id);
	TAILQ_INSERT_TAIL(&refreshes, rf, entry);
	(void)http_post(np_client.token_url, rf->hdrs, rf->body,
	    strlen(rf->body), &refresh_ops, rf);
	return 0;
}

static int
b64url_val(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '-' || c == '+')
		return 62;
	if (c == '_' || c == '/')
		return 63;
	return -1;
}

/* Base64url without padding (padding is tolerated); NULL if malformed. */
static unsigned char *
b64url_decode(const char *s, size_t len, size_t *outlen)
{
	unsigned char	*out;
	unsigned int	 acc = 0;
	size_t		 i, n = 0;
	int		 v, bits = 0;

	while (len > 0 && s[len - 1] == '=')
		len--;
	if (len % 4 == 1 || (out = malloc(len / 4 * 3 + 3)) == NULL)
		return NULL;
	for (i = 0; i < len; i++) {
		if ((v = b64url_val((unsigned char)s[i])) == -1) {
			free(out);
			return NULL;
		}
		acc = (acc << 6 | v) & 0xffffff;
		if ((bits += 6) >= 8) {
			bits -= 8;
			out[n++] = acc >> bits & 0xff;
		}
	}
	*outlen = n;
	return out;
}

/*
 * The "exp" claim of a JWT, read without checking the signature (the
 * server does that); -1 when the token is not a JWT or has none.
 */
long long
auth_jwt_exp(const char *jwt)
{
	const char	*p, *q;
	unsigned char	*payload;
	json_t		*j, *exp;
	long long	 t = -1;
	size_t		 n;

	if (jwt == NULL || (p = strchr(jwt, '.')) == NULL ||
	    (q = strchr(p + 1, '.')) == NULL || (size_t)(q - p - 1) >
	    JWT_PAYLOAD_MAX)
		return -1;
	if ((payload = b64url_decode(p + 1, q - p - 1, &n)) == NULL)
		return -1;
	j = json_loadb((const char *)payload, n, 0, NULL);
	freezero(payload, n > 0 ? n : 1);
	exp = json_object_get(j, "exp");
	if (json_is_integer(exp))
		t = json_integer_value(exp);
	else if (json_is_real(exp) && json_real_value(exp) >= 0 &&
	    json_real_value(exp) < 1e15)
		t = (long long)json_real_value(exp);
	json_decref(j);
	return t < 0 ? -1 : t;
}

/* Whether p's ChatGPT access token has passed its expiry time. */
int
auth_expired(const struct np_provider *p)
{
	long long	exp;

	if (p->cred != CRED_CHATGPT || p->refresh_token == NULL)
		return 0;
	if ((exp = auth_jwt_exp(p->secret)) == -1)
		return 0;
	return exp <= (long long)time(NULL);
}

static void
ref_status(void *arg, long status)
{
	((struct refresh *)arg)->status = status;
}

static void
ref_header(void *arg, const char *name, const char *value)
{
	(void)arg;
	(void)name;
	(void)value;
}

static int
ref_data(void *arg, const char *p, size_t n)
{
	struct refresh	*rf = arg;

	if (n > TOKEN_REPLY_MAX - rf->len)
		return -1;
	if ((rf->reply = realloc(rf->reply, rf->len + n + 1)) == NULL)
		fatal(NULL);
	memcpy(rf->reply + rf->len, p, n);
	rf->len += n;
	rf->reply[rf->len] = '\0';
	return 0;
}

/* Take the tokens the server sent and tell the parent about them. */
static int
ref_apply(struct refresh *rf)
{
	struct np_provider	*p = rf->prov;
	json_t			*j, *out, *v;
	const char		*keys[] = { "id_token", "access_token",
				    "refresh_token", NULL };
	int			 i;

	if (rf->status != 200 || rf->reply == NULL ||
	    (j = json_loads(rf->reply, 0, NULL)) == NULL)
		return -1;
	if (!json_is_string(json_object_get(j, "access_token"))) {
		json_decref(j);
		return -1;
	}
	if ((out = json_object()) == NULL)
		fatal(NULL);
	for (i = 0; keys[i] != NULL; i++)
		if ((v = json_object_get(j, keys[i])) != NULL &&
		    json_is_string(v))
			json_object_set(out, keys[i], v);
	secret_free(&p->secret);
	p->secret = secret_dup(json_string_value(json_object_get(j,
	    "access_token")));
	if ((v = json_object_get(j, "refresh_token")) != NULL &&
	    json_is_string(v)) {
		secret_free(&p->refresh_token);
		p->refresh_token = secret_dup(json_string_value(v));
	}
	json_object_clear(j);
	json_decref(j);
	np_send_tokens(p, out);
	return 0;
}

static void
ref_done(void *arg, const char *err)
{
	struct refresh	*rf = arg;
	struct waiter	*w;
	int		 ok;

	ok = err == NULL && ref_apply(rf) == 0;
	if (!ok)
		log_warnx("refreshing the ChatGPT token failed (HTTP %ld%s%s)",
		    rf->status, err != NULL ? ", " : "", err != NULL ? err :
		    "");
	TAILQ_REMOVE(&refreshes, rf, entry);
	curl_slist_free_all(rf->hdrs);
	freezero(rf->body, strlen(rf->body));
	if (rf->reply != NULL)
		freezero(rf->reply, rf->len);
	while ((w = TAILQ_FIRST(&rf->waiters)) != NULL) {
		TAILQ_REMOVE(&rf->waiters, w, entry);
		w->cb(w->arg, ok);
		free(w);
	}
	free(rf);
}

/* At exit: no credential outlives the process in its memory. */
void
auth_wipe(void)
{
	struct np_provider	*p;

	TAILQ_FOREACH(p, &np_providers, entry) {
		secret_free(&p->secret);
		secret_free(&p->refresh_token);
		secret_free(&p->id_token);
	}
}
