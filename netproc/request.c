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
 * The life of one model request: the HTTP attempt, the stream, retries
 * and back-off, the idle timeout, and the one completed or failed event
 * that ends it.
 *
 * Retries come in two layers, as in Codex.  Transport retries (connect
 * errors, 5xx, a 429 whose Retry-After is short) re-send the request up
 * to request_max_retries times.  Stream retries (a cut stream, an idle
 * timeout, a retryable response.failed) start the request again up to
 * stream_max_retries times, but only while no item_done has been sent
 * in the broken attempt: once one has, the parent may be running that
 * tool call, so the request ends with completed {partial: true} and the
 * parent sends the next request with the items it has.  No call ever
 * reaches the parent twice.
 */

#include <sys/types.h>
#include <sys/queue.h>

#include <curl/curl.h>
#include <ctype.h>
#include <event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <jansson.h>

#include "imsg/log.h"
#include "imsg/proto.h"
#include "netproc/netproc.h"
#include "netproc/sse.h"

#define ERRBODY_MAX		65536
#define RETRY_AFTER_MAX_MS	60000
#define SSE_LINE_MAX		(32 * 1024 * 1024)

struct request {
	TAILQ_ENTRY(request)	 entry;
	uint32_t		 id;
	struct np_provider	*prov;
	json_t			*req;
	char			*url;
	char			*body;
	size_t			 bodylen;
	struct curl_slist	*hdrs;
	struct http_xfer	*xfer;
	struct sse		*sse;
	struct decoder		 dec;
	long			 status;
	char			*errbody;
	size_t			 errlen;
	long long		 retry_after_ms;	/* -1: none */
	int			 tries;		/* transport retries */
	int			 stream_tries;
	int			 refreshed;	/* token refresh done */
	int			 refreshing;
	int			 expired;	/* it was the JWT's exp */
	int			 finished;	/* completed/failed sent */
	struct event		 idle_ev;
	struct event		 retry_ev;
};
static TAILQ_HEAD(, request) requests = TAILQ_HEAD_INITIALIZER(requests);

static int	 input_attach(json_t *, const char *, size_t, json_error_t *);
static void	 attempt_begin(struct request *);
static void	 attempt_start(struct request *);
static void	 request_free(struct request *);
static void	 on_status(void *, long);
static void	 on_header(void *, const char *, const char *);
static int	 on_data(void *, const char *, size_t);
static void	 on_done(void *, const char *);
static void	 on_idle(int, short, void *);
static void	 on_retry(int, short, void *);
static void	 on_sse(const char *, const char *, size_t, void *);
static void	 on_event(void *, json_t *);
static void	 idle_arm(struct request *);
static void	 stream_end(struct request *, const char *);
static void	 http_error(struct request *);
static void	 retry(struct request *, int, long long, const char *,
		    const char *, const char *);
static void	 fail(struct request *, const char *, const char *,
		    const char *);
static long long backoff_ms(int);
static long long retry_after(const char *);
static struct curl_slist *hdr_add(struct curl_slist *, const char *,
		    const char *);
static struct request *request_find(uint32_t);
static void	 reject(uint32_t, const char *, const char *);
static struct curl_slist *request_headers(struct request *);
static void	 error_text(struct request *, char *, size_t, char *, size_t,
		    char *, size_t);

static const struct http_ops request_ops = {
	on_status, on_header, on_data, on_done
};

static struct request *
request_find(uint32_t id)
{
	struct request	*r;

	TAILQ_FOREACH(r, &requests, entry)
		if (r->id == id)
			return r;
	return NULL;
}

/* An early failure: the request never got as far as the network. */
static void
reject(uint32_t id, const char *kind, const char *msg)
{
	np_send_event(id, json_pack("{s:s, s:s, s:n, s:n, s:s, s:b}",
	    "type", "failed", "kind", kind, "status", "code", "message", msg,
	    "retryable", 0));
}

/*
 * A Chat Completions body is made of the history's items, so for that
 * wire it is parsed; a Responses body takes the text as it is.  Returns
 * 0, or -1 with jerr set.
 */
static int
input_attach(json_t *j, const char *raw, size_t rawlen, json_error_t *jerr)
{
	json_t	*in;

	if ((in = json_loadb(raw, rawlen, 0, jerr)) == NULL)
		return -1;
	if (!json_is_array(in)) {
		json_decref(in);
		(void)strlcpy(jerr->text, "input is not an array",
		    sizeof(jerr->text));
		return -1;
	}
	return json_object_set_new(j, "input", in);
}

/* IMSG_NET_REQUEST: a provider-neutral request (see imsg/proto.h). */
void
request_new(uint32_t id, char *text, size_t len)
{
	struct request		*r;
	struct np_provider	*p;
	json_error_t		 jerr;
	json_t			*j;
	const char		*pid, *raw;
	char			 msg[300];
	size_t			 rawlen = 0;

	/* The settings, a NUL, then the history as JSON text. */
	if ((raw = memchr(text, '\0', len)) != NULL) {
		rawlen = len - (raw - text) - 1;
		len = raw++ - text;
	}
	if ((j = json_loadb(text, len, 0, &jerr)) == NULL) {
		(void)snprintf(msg, sizeof(msg), "request is not JSON: %s",
		    jerr.text);
		reject(id, "invalid_request", msg);
		return;
	}
	pid = json_string_value(json_object_get(j, "provider"));
	if (request_find(id) != NULL || pid == NULL ||
	    (p = np_provider_find(pid)) == NULL) {
		(void)snprintf(msg, sizeof(msg), "unknown provider %s, or "
		    "request id %u in use", pid != NULL ? pid : "(none)", id);
		reject(id, "config", msg);
		json_decref(j);
		return;
	}
	if (p->wire == NP_WIRE_CHAT && raw != NULL &&
	    input_attach(j, raw, rawlen, &jerr) == -1) {
		(void)snprintf(msg, sizeof(msg), "request input is not a JSON "
		    "array: %s", jerr.text);
		reject(id, "invalid_request", msg);
		json_decref(j);
		return;
	}
	if ((r = calloc(1, sizeof(*r))) == NULL)
		fatal(NULL);
	r->id = id;
	r->prov = p;
	r->req = j;
	if (asprintf(&r->url, "%s/%s%s%s", p->base_url,
	    p->wire == NP_WIRE_CHAT ? "chat/completions" : "responses",
	    p->query != NULL ? "?" : "", p->query != NULL ? p->query : "") ==
	    -1)
		fatal(NULL);
	r->body = p->wire == NP_WIRE_CHAT ? chat_body(p, j, &r->bodylen) :
	    responses_body(p, j, raw, rawlen, &r->bodylen);
	decoder_init(&r->dec, p->wire, on_event, r);
	evtimer_set(&r->idle_ev, on_idle, r);
	evtimer_set(&r->retry_ev, on_retry, r);
	TAILQ_INSERT_TAIL(&requests, r, entry);
	attempt_begin(r);
}

static struct curl_slist *
hdr_add(struct curl_slist *l, const char *name, const char *value)
{
	struct curl_slist	*n;
	char			*h;

	if (asprintf(&h, "%s: %s", name, value) == -1)
		fatal(NULL);
	if ((n = curl_slist_append(l, h)) == NULL)
		fatal(NULL);
	freezero(h, strlen(h));
	return n;
}

/*
 * The headers of one attempt (rebuilt each time: a token refresh may
 * have changed the credential).  Codex 0.171 sends the session id as
 * session-id and x-client-request-id.
 */
static struct curl_slist *
request_headers(struct request *r)
{
	struct curl_slist	*l = NULL;
	const char		*sid, *k;
	json_t			*v;

	l = hdr_add(l, "Content-Type", "application/json");
	l = hdr_add(l, "Accept", "text/event-stream");
	l = auth_headers(r->prov, l);
	l = hdr_add(l, "originator", np_client.originator);
	l = hdr_add(l, "User-Agent", np_client.user_agent);
	if ((sid = json_string_value(json_object_get(r->req, "session_id")))
	    != NULL) {
		l = hdr_add(l, "session-id", sid);
		l = hdr_add(l, "x-client-request-id", sid);
	}
	json_object_foreach(r->prov->headers, k, v)
		if (json_is_string(v))
			l = hdr_add(l, k, json_string_value(v));
	/* No "Expect: 100-continue" round trip before a large body. */
	if ((l = curl_slist_append(l, "Expect:")) == NULL)
		fatal(NULL);
	return l;
}

/*
 * Before an attempt: a ChatGPT access token whose JWT has expired is
 * refreshed first (once per request), as Codex does, rather than sent
 * to be refused.
 */
static void
attempt_begin(struct request *r)
{
	if (!r->refreshed && auth_expired(r->prov)) {
		r->refreshed = r->refreshing = r->expired = 1;
		if (auth_refresh(r->prov, request_retry_auth, r) == 0)
			return;
		r->refreshing = 0;
	}
	attempt_start(r);
}

static void
attempt_start(struct request *r)
{
	decoder_clear(&r->dec);
	sse_free(r->sse);
	if ((r->sse = sse_new(SSE_LINE_MAX, on_sse, r)) == NULL)
		fatal("sse_new");
	r->status = 0;
	free(r->errbody);
	r->errbody = NULL;
	r->errlen = 0;
	r->retry_after_ms = -1;
	curl_slist_free_all(r->hdrs);
	r->hdrs = request_headers(r);
	r->xfer = http_post(r->url, r->hdrs, r->body, r->bodylen,
	    &request_ops, r);
	idle_arm(r);
}

static void
idle_arm(struct request *r)
{
	struct timeval	 tv;

	tv.tv_sec = r->prov->idle_ms / 1000;
	tv.tv_usec = (r->prov->idle_ms % 1000) * 1000;
	if (evtimer_add(&r->idle_ev, &tv) == -1)
		fatal("evtimer_add");
}

static void
request_free(struct request *r)
{
	TAILQ_REMOVE(&requests, r, entry);
	http_abort(r->xfer);
	(void)evtimer_del(&r->idle_ev);
	(void)evtimer_del(&r->retry_ev);
	sse_free(r->sse);
	decoder_clear(&r->dec);
	curl_slist_free_all(r->hdrs);
	free(r->url);
	free(r->body);
	free(r->errbody);
	json_decref(r->req);
	free(r);
}

/* Events from the decoder go straight to the parent. */
static void
on_event(void *arg, json_t *ev)
{
	struct request	*r = arg;
	const char	*t = json_string_value(json_object_get(ev, "type"));

	if (r->finished) {
		json_decref(ev);
		return;
	}
	if (t != NULL && strcmp(t, "completed") == 0) {
		if (json_object_get(ev, "partial") == NULL)
			json_object_set_new(ev, "partial", json_false());
		r->finished = 1;
		(void)evtimer_del(&r->idle_ev);
	} else
		idle_arm(r);
	np_send_event(r->id, ev);
}

static void
on_sse(const char *name, const char *data, size_t len, void *arg)
{
	struct request	*r = arg;

	(void)name;
	idle_arm(r);
	decoder_data(&r->dec, data, len);
}

static void
on_status(void *arg, long status)
{
	struct request	*r = arg;

	r->status = status;
	idle_arm(r);
}

static void
on_header(void *arg, const char *name, const char *value)
{
	struct request	*r = arg;

	if (strcasecmp(name, "retry-after") == 0)
		r->retry_after_ms = retry_after(value);
}

static int
on_data(void *arg, const char *p, size_t len)
{
	struct request	*r = arg;
	size_t		 n;

	if (r->status >= 200 && r->status < 300) {
		if (r->finished)
			return 0;
		return sse_feed(r->sse, p, len);
	}
	n = ERRBODY_MAX - r->errlen;
	if (n > len)
		n = len;
	if (n == 0)
		return 0;
	if ((r->errbody = realloc(r->errbody, r->errlen + n + 1)) == NULL)
		fatal(NULL);
	memcpy(r->errbody + r->errlen, p, n);
	r->errlen += n;
	r->errbody[r->errlen] = '\0';
	return 0;
}

static void
on_done(void *arg, const char *err)
{
	struct request	*r = arg;

	r->xfer = NULL;
	if (r->finished) {
		request_free(r);
		return;
	}
	if (r->status == 0) {
		retry(r, 0, -1, err != NULL ? err : "no response", "transport",
		    err != NULL ? err : "no response from the server");
		return;
	}
	if (r->status < 200 || r->status >= 300) {
		http_error(r);
		return;
	}
	if (err == NULL && sse_finish(r->sse) != -1)
		decoder_eof(&r->dec);
	if (r->dec.end == DEC_COMPLETED) {
		request_free(r);
		return;
	}
	stream_end(r, err != NULL ? err : sse_error(r->sse));
}

/* A 2xx stream ended without completing. */
static void
stream_end(struct request *r, const char *err)
{
	const char	*why = "stream closed before response.completed";
	long long	 delay;

	if (r->dec.end == DEC_FAILED && r->dec.fail_kind != NULL) {
		fail(r, r->dec.fail_kind, r->dec.fail_code,
		    r->dec.fail_message);
		return;
	}
	if (r->dec.end == DEC_FAILED)
		why = r->dec.fail_message;
	else if (err != NULL)
		why = err;
	/* The server's "try again in" hint, within the Retry-After bound. */
	delay = r->dec.end == DEC_FAILED ? r->dec.fail_delay_ms : -1;
	if (delay > RETRY_AFTER_MAX_MS)
		delay = RETRY_AFTER_MAX_MS;
	retry(r, 1, delay, why, "stream", why);
}

static void
on_idle(int fd, short ev, void *arg)
{
	struct request	*r = arg;

	(void)fd;
	(void)ev;
	http_abort(r->xfer);
	r->xfer = NULL;
	if (r->finished) {
		request_free(r);
		return;
	}
	retry(r, 1, -1, "idle timeout waiting for SSE", "stream",
	    "idle timeout waiting for SSE");
}

static void
on_retry(int fd, short ev, void *arg)
{
	(void)fd;
	(void)ev;
	attempt_begin(arg);
}

/* 200 ms * 2^(n-1) * U(0.9, 1.1), as Codex backs off. */
static long long
backoff_ms(int n)
{
	long long	base = 200LL << (n > 16 ? 15 : n - 1);

	return base * (9000 + arc4random_uniform(2001)) / 10000;
}

/* Retry-After: delay-seconds or an HTTP date; -1 if unreadable. */
static long long
retry_after(const char *v)
{
	struct tm	 tm;
	char		*end;
	double		 s;
	time_t		 t, now = time(NULL);

	if (isdigit((unsigned char)*v)) {
		s = strtod(v, &end);
		if (*end == '\0' && s >= 0 && s < 1e9)
			return (long long)(s * 1000);
		return -1;
	}
	memset(&tm, 0, sizeof(tm));
	if ((end = strptime(v, "%a, %d %b %Y %H:%M:%S GMT", &tm)) == NULL ||
	    *end != '\0' || (t = timegm(&tm)) == (time_t)-1)
		return -1;
	return t > now ? (long long)(t - now) * 1000 : 0;
}

/*
 * Retry in one of the two layers, or end the request: with completed
 * {partial: true} when the broken stream already delivered items, with
 * failed when the retries are used up.
 */
static void
retry(struct request *r, int stream, long long delay, const char *reason,
    const char *kind, const char *message)
{
	struct timeval	 tv;
	int		 n, max;

	if (stream && r->dec.items_done > 0) {
		r->finished = 1;
		np_send_event(r->id, json_pack("{s:s, s:s?, s:n, s:b, s:s}",
		    "type", "completed", "response_id", r->dec.response_id,
		    "usage", "partial", 1, "reason", reason));
		request_free(r);
		return;
	}
	if (stream) {
		n = ++r->stream_tries;
		max = r->prov->stream_max_retries;
		r->tries = 0;
	} else {
		n = ++r->tries;
		max = r->prov->request_max_retries;
	}
	if (n > max) {
		fail(r, kind, NULL, message);
		return;
	}
	if (delay < 0)
		delay = backoff_ms(n);
	np_send_event(r->id, json_pack("{s:s, s:i, s:i, s:I, s:s}", "type",
	    "retrying", "attempt", n, "max", max, "delay_ms",
	    (json_int_t)delay, "reason", reason));
	http_abort(r->xfer);
	r->xfer = NULL;
	(void)evtimer_del(&r->idle_ev);
	tv.tv_sec = delay / 1000;
	tv.tv_usec = (delay % 1000) * 1000;
	if (evtimer_add(&r->retry_ev, &tv) == -1)
		fatal("evtimer_add");
}

static void
fail(struct request *r, const char *kind, const char *code,
    const char *message)
{
	json_t	*ev;

	ev = json_pack("{s:s, s:s, s:I, s:s?, s:s, s:b}", "type", "failed",
	    "kind", kind, "status", (json_int_t)r->status, "code", code,
	    "message", message != NULL ? message : kind, "retryable", 0);
	if (ev != NULL && r->status == 0)
		json_object_set_new(ev, "status", json_null());
	if (ev != NULL && code == NULL)
		json_object_set_new(ev, "code", json_null());
	r->finished = 1;
	np_send_event(r->id, ev);
	request_free(r);
}

/*
 * The server's own words: error.message of a JSON error body, else the
 * start of the body, else the status.
 */
static void
error_text(struct request *r, char *msg, size_t len, char *code,
    size_t clen, char *type, size_t tlen)
{
	json_t		*j, *e;
	const char	*s;

	*code = *type = '\0';
	(void)snprintf(msg, len, "HTTP status %ld", r->status);
	if (r->errbody == NULL)
		return;
	if ((j = json_loads(r->errbody, 0, NULL)) != NULL) {
		e = json_object_get(j, "error");
		if ((s = json_string_value(json_object_get(e, "message"))) !=
		    NULL)
			(void)snprintf(msg, len, "%s", s);
		else if ((s = json_string_value(e)) != NULL)
			(void)snprintf(msg, len, "%s", s);
		if ((s = json_string_value(json_object_get(e, "code"))) !=
		    NULL)
			(void)strlcpy(code, s, clen);
		if ((s = json_string_value(json_object_get(e, "type"))) !=
		    NULL)
			(void)strlcpy(type, s, tlen);
		json_decref(j);
	} else if (r->errlen > 0)
		(void)snprintf(msg, len, "HTTP status %ld: %.300s", r->status,
		    r->errbody);
}

/* A status other than 2xx: retry it, refresh the token, or give up. */
static void
http_error(struct request *r)
{
	char	 msg[1024], code[128], type[128], why[256];

	error_text(r, msg, sizeof(msg), code, sizeof(code), type,
	    sizeof(type));
	if (r->status == 401 && r->prov->cred == CRED_CHATGPT &&
	    !r->refreshed) {
		r->refreshed = r->refreshing = 1;
		if (auth_refresh(r->prov, request_retry_auth, r) == 0)
			return;
		r->refreshing = 0;
	}
	if (r->status == 401)
		fail(r, "unauthorized", code[0] ? code : NULL, msg);
	else if (r->status == 429 && (strcmp(type, "usage_limit_reached") ==
	    0 || strcmp(type, "usage_not_included") == 0))
		fail(r, type, code[0] ? code : NULL, msg);
	else if (r->status == 429 && r->retry_after_ms >= 0 &&
	    r->retry_after_ms <= RETRY_AFTER_MAX_MS) {
		(void)snprintf(why, sizeof(why), "HTTP 429, Retry-After "
		    "%lld ms", r->retry_after_ms);
		retry(r, 0, r->retry_after_ms, why, "rate_limited", msg);
	} else if (r->status == 429)
		fail(r, "rate_limited", code[0] ? code : NULL, msg);
	else if (r->status == 503 && (strcmp(code, "server_is_overloaded") ==
	    0 || strcmp(code, "slow_down") == 0))
		fail(r, "server_overloaded", code, msg);
	else if (r->status >= 500) {
		(void)snprintf(why, sizeof(why), "HTTP %ld", r->status);
		retry(r, 0, -1, why, "server_error", msg);
	} else
		fail(r, r->status == 400 ? "invalid_request" : "http",
		    code[0] ? code : NULL, msg);
}

/* The token refresh a 401 or an expired token started has ended. */
void
request_retry_auth(void *arg, int ok)
{
	struct request	*r = arg;

	r->refreshing = 0;
	if (r->finished) {
		request_free(r);
		return;
	}
	if (ok) {
		attempt_start(r);
		return;
	}
	fail(r, "unauthorized", NULL, r->expired ? "the ChatGPT token has "
	    "expired and refreshing it failed; run ocodex login again" :
	    "the server refused the ChatGPT token and refreshing it failed; "
	    "run ocodex login again");
}

/* IMSG_NET_CANCEL: stop at once; the parent gets failed {cancelled}. */
void
request_cancel(uint32_t id)
{
	struct request	*r;

	if ((r = request_find(id)) == NULL || r->finished)
		return;
	http_abort(r->xfer);
	r->xfer = NULL;
	if (r->refreshing) {
		r->finished = 1;
		np_send_event(r->id, json_pack("{s:s, s:s, s:n, s:n, s:s, "
		    "s:b}", "type", "failed", "kind", "cancelled", "status",
		    "code", "message", "cancelled", "retryable", 0));
		return;
	}
	fail(r, "cancelled", NULL, "cancelled");
}
