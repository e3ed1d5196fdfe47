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
 * Sending one turn's reply without ever blocking the event loop.  The
 * whole SSE body is rendered up front; it then goes out one piece at a
 * time (an event, or "chunk" bytes), the next piece only once libevent
 * reports the previous one written to the socket.  That pacing is what
 * makes stalls, tiny chunks and cuts land where the script says: a cut
 * frees the connection only after everything before it has left, so the
 * client sees exactly the events before the cut, then a connection that
 * closes without the final empty chunk of the chunked encoding.
 *
 * libevent's rules for a server-side request: when the client goes away
 * mid-reply, evhttp detaches the request from the connection, frees the
 * connection (calling our close callback) and leaves the request to us.
 * Otherwise the request belongs to the connection.  So the close
 * callback is set while a reply is in progress and cleared just before
 * the reply is handed back to evhttp.
 */

#include <sys/queue.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <netinet/tcp.h>

#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "mockmodel.h"

enum state {
	S_DELAY,	/* waiting for delay_ms before the status line */
	S_STREAM,	/* sending the body */
	S_CLOSED	/* the client went away; only cleaning up is left */
};

struct stream {
	TAILQ_ENTRY(stream)	 entry;
	struct evhttp_request	*req;
	struct evhttp_connection *evcon;	/* NULL once closed */
	struct event		*ev;
	const struct mm_turn	*t;
	struct mm_body		 body;
	size_t			 k;		/* turn number, for ids */
	size_t			 pos;		/* bytes handed to evhttp */
	size_t			 nsent;		/* events wholly sent */
	size_t			 cut;		/* cut at this offset */
	size_t			 stall;		/* stall at this offset */
	enum state		 state;
	int			 inflight;	/* a piece is being written */
	int			 waited;	/* the delay due at pos is done */
	int			 owned;		/* evhttp left req to us */
};

static TAILQ_HEAD(, stream) streams = TAILQ_HEAD_INITIALIZER(streams);

static void	 kick(struct stream *, long long);
static void	 on_timer(evutil_socket_t, short, void *);
static void	 on_drained(struct evhttp_connection *, void *);
static void	 on_close(struct evhttp_connection *, void *);
static void	 destroy(struct stream *);
static void	 set_header(struct evkeyvalq *, const char *, const char *);
static void	 turn_headers(struct stream *);
static const char *default_body(int);
static const char *phrase(int);
static void	 send_status(struct stream *);
static void	 start(struct stream *);
static void	 plan(struct stream *);
static long long delay_due(struct stream *);
static size_t	 piece_end(struct stream *);
static void	 advance(struct stream *);
static void	 finish(struct stream *);
static void	 cut(struct stream *);

static void
kick(struct stream *s, long long ms)
{
	struct timeval	 tv;

	tv.tv_sec = ms / 1000;
	tv.tv_usec = (ms % 1000) * 1000;
	if (evtimer_add(s->ev, &tv) == -1)
		errx(1, "evtimer_add");
}

static void
on_timer(evutil_socket_t fd, short what, void *arg)
{
	struct stream	*s = arg;

	(void)fd;
	(void)what;
	switch (s->state) {
	case S_DELAY:
		start(s);
		break;
	case S_STREAM:
		advance(s);
		break;
	case S_CLOSED:
		destroy(s);
		break;
	}
}

/* evhttp calls this whenever the output buffer has drained. */
static void
on_drained(struct evhttp_connection *evcon, void *arg)
{
	struct stream	*s = arg;

	(void)evcon;
	if (!s->inflight)
		return;
	s->inflight = 0;
	kick(s, 0);
}

static void
on_close(struct evhttp_connection *evcon, void *arg)
{
	struct stream	*s = arg;

	(void)evcon;
	s->evcon = NULL;
	s->owned = evhttp_request_get_connection(s->req) == NULL;
	s->state = S_CLOSED;
	/* Not from inside evhttp's own teardown: clean up from the loop. */
	kick(s, 0);
}

static void
destroy(struct stream *s)
{
	if (s->evcon != NULL)
		evhttp_connection_set_closecb(s->evcon, NULL, NULL);
	if (s->owned)
		evhttp_request_free(s->req);
	TAILQ_REMOVE(&streams, s, entry);
	event_free(s->ev);
	body_free(&s->body);
	free(s);
}

static void
set_header(struct evkeyvalq *h, const char *name, const char *value)
{
	(void)evhttp_remove_header(h, name);
	if (evhttp_add_header(h, name, value) == -1)
		errx(1, "evhttp_add_header %s", name);
}

/* Headers every reply gets; the script's own come last and win. */
static void
turn_headers(struct stream *s)
{
	struct evkeyvalq	*h;
	char			 v[64];
	size_t			 i;
	int			 n;

	h = evhttp_request_get_output_headers(s->req);
	n = snprintf(v, sizeof(v), "req_mock_%zu", s->k);
	if (n < 0 || (size_t)n >= sizeof(v))
		errx(1, "request id too long");
	set_header(h, "x-request-id", v);
	for (i = 0; i < s->t->nheaders; i++)
		set_header(h, s->t->headers[i].name, s->t->headers[i].value);
}

/* Error bodies shaped like the OpenAI API's, for the common statuses. */
static const char *
default_body(int status)
{
	switch (status) {
	case 400:
		return "{\"error\":{\"message\":\"mockmodel: bad request\","
		    "\"type\":\"invalid_request_error\",\"param\":null,"
		    "\"code\":null}}";
	case 401:
		return "{\"error\":{\"message\":\"Incorrect API key provided.\","
		    "\"type\":\"invalid_request_error\",\"param\":null,"
		    "\"code\":\"invalid_api_key\"}}";
	case 429:
		return "{\"error\":{\"message\":\"Rate limit reached for "
		    "requests. Please try again in 1s.\",\"type\":\"requests\","
		    "\"param\":null,\"code\":\"rate_limit_exceeded\"}}";
	case 500:
		return "{\"error\":{\"message\":\"The server had an error while "
		    "processing your request.\",\"type\":\"server_error\","
		    "\"param\":null,\"code\":null}}";
	case 503:
		return "{\"error\":{\"message\":\"Our servers are currently "
		    "overloaded. Please try again later.\",\"type\":"
		    "\"server_error\",\"param\":null,\"code\":"
		    "\"server_is_overloaded\"}}";
	default:
		return "{\"error\":{\"message\":\"mockmodel: scripted status\","
		    "\"type\":\"mock_error\",\"param\":null,\"code\":null}}";
	}
}

/* libevent's own table says "Client Error" for 429 and the like. */
static const char *
phrase(int status)
{
	switch (status) {
	case 400:
		return "Bad Request";
	case 401:
		return "Unauthorized";
	case 403:
		return "Forbidden";
	case 404:
		return "Not Found";
	case 408:
		return "Request Timeout";
	case 413:
		return "Content Too Large";
	case 429:
		return "Too Many Requests";
	case 500:
		return "Internal Server Error";
	case 502:
		return "Bad Gateway";
	case 503:
		return "Service Unavailable";
	case 504:
		return "Gateway Timeout";
	default:
		return NULL;
	}
}

static void
send_status(struct stream *s)
{
	const struct mm_fault	*f = &s->t->fault;
	struct evkeyvalq	*h;
	struct evbuffer		*buf;
	struct tm		 tm;
	time_t			 when;
	char			 date[64];
	const char		*body;

	h = evhttp_request_get_output_headers(s->req);
	set_header(h, "Content-Type", f->content_type != NULL ?
	    f->content_type : "application/json");
	if (f->retry_after != NULL)
		set_header(h, "Retry-After", f->retry_after);
	if (f->retry_after_date != -1) {
		when = time(NULL) + f->retry_after_date;
		if (gmtime_r(&when, &tm) == NULL || strftime(date,
		    sizeof(date), "%a, %d %b %Y %H:%M:%S GMT", &tm) == 0)
			errx(1, "cannot format the Retry-After date");
		set_header(h, "Retry-After", date);
	}
	turn_headers(s);
	body = f->body != NULL ? f->body : default_body(f->status);
	if ((buf = evbuffer_new()) == NULL ||
	    evbuffer_add(buf, body, strlen(body)) == -1)
		errx(1, "evbuffer");
	evhttp_connection_set_closecb(s->evcon, NULL, NULL);
	s->evcon = NULL;
	evhttp_send_reply(s->req, f->status, phrase(f->status), buf);
	evbuffer_free(buf);
	destroy(s);
}

/* The status line is due: send an error reply or start the stream. */
static void
start(struct stream *s)
{
	struct evkeyvalq	*h;

	if (s->t->fault.status != 0) {
		send_status(s);
		return;
	}
	s->state = S_STREAM;
	h = evhttp_request_get_output_headers(s->req);
	set_header(h, "Content-Type", "text/event-stream");
	set_header(h, "Cache-Control", "no-cache");
	turn_headers(s);
	evhttp_send_reply_start(s->req, 200, "OK");
	advance(s);
}

/* Turn event counts from the script into byte offsets in the body. */
static void
plan(struct stream *s)
{
	const struct mm_fault	*f = &s->t->fault;
	const struct mm_body	*b = &s->body;

	s->cut = s->stall = MM_NONE;
	if (f->cut_after != MM_NONE)
		s->cut = f->cut_after == 0 ? 0 : f->cut_after >= b->nends ?
		    b->len : b->ends[f->cut_after - 1];
	if (f->cut_after_bytes != MM_NONE)
		s->cut = f->cut_after_bytes < b->len ? f->cut_after_bytes :
		    b->len;
	if (f->stall_ms > 0)
		s->stall = f->stall_after == 0 ? 0 :
		    f->stall_after >= b->nends ? b->len :
		    b->ends[f->stall_after - 1];
}

/* The pause owed at the current offset, if not already taken. */
static long long
delay_due(struct stream *s)
{
	long long	 d = 0;

	if (s->waited)
		return 0;
	if (s->pos == s->stall)
		d += s->t->fault.stall_ms;
	if (s->t->interval_ms > 0 && s->nsent > 0 && s->pos < s->body.len &&
	    s->body.ends[s->nsent - 1] == s->pos)
		d += s->t->interval_ms;
	return d;
}

/* Where the next write stops: never past a cut, stall or pause. */
static size_t
piece_end(struct stream *s)
{
	const struct mm_body	*b = &s->body;
	size_t			 end, next;

	next = s->nsent < b->nends ? b->ends[s->nsent] : b->len;
	if (s->t->chunk > 0)
		end = b->len - s->pos > s->t->chunk ? s->pos + s->t->chunk :
		    b->len;
	else
		end = next;
	if (s->t->interval_ms > 0 && next < end)
		end = next;
	if (s->cut != MM_NONE && s->cut > s->pos && s->cut < end)
		end = s->cut;
	if (s->stall != MM_NONE && s->stall > s->pos && s->stall < end)
		end = s->stall;
	return end;
}

static void
advance(struct stream *s)
{
	struct evbuffer	*buf;
	long long	 d;
	size_t		 end;

	if ((d = delay_due(s)) > 0) {
		s->waited = 1;
		kick(s, d);
		return;
	}
	if (s->pos == s->cut) {
		cut(s);
		return;
	}
	if (s->pos == s->body.len) {
		finish(s);
		return;
	}
	end = piece_end(s);
	if ((buf = evbuffer_new()) == NULL ||
	    evbuffer_add(buf, s->body.b + s->pos, end - s->pos) == -1)
		errx(1, "evbuffer");
	s->pos = end;
	s->waited = 0;
	while (s->nsent < s->body.nends && s->body.ends[s->nsent] <= s->pos)
		s->nsent++;
	s->inflight = 1;
	evhttp_send_reply_chunk_with_cb(s->req, buf, on_drained, s);
	evbuffer_free(buf);
}

static void
finish(struct stream *s)
{
	evhttp_connection_set_closecb(s->evcon, NULL, NULL);
	s->evcon = NULL;
	evhttp_send_reply_end(s->req);
	destroy(s);
}

/*
 * Drop the connection with the reply unfinished, once all that was
 * written before the cut (the status line at least) has left.
 */
static void
cut(struct stream *s)
{
	struct evhttp_connection	*evcon = s->evcon;
	struct bufferevent		*bev;

	bev = evhttp_connection_get_bufferevent(evcon);
	if (evbuffer_get_length(bufferevent_get_output(bev)) > 0) {
		kick(s, 1);
		return;
	}
	evhttp_connection_set_closecb(evcon, NULL, NULL);
	s->evcon = NULL;
	destroy(s);
	evhttp_connection_free(evcon);
}

void
stream_reply(struct evhttp_request *req, const struct mm_turn *t,
    const struct mm_ctx *c, int chat)
{
	struct bufferevent	*bev;
	struct stream		*s;
	int			 fd, one = 1;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		err(1, NULL);
	s->req = req;
	s->t = t;
	s->k = c->k;
	s->evcon = evhttp_request_get_connection(req);
	if ((s->ev = evtimer_new(evhttp_connection_get_base(s->evcon),
	    on_timer, s)) == NULL)
		errx(1, "evtimer_new");
	/* Small writes must leave at once, or "chunk" would mean nothing. */
	bev = evhttp_connection_get_bufferevent(s->evcon);
	if ((fd = bufferevent_getfd(bev)) != -1 && setsockopt(fd,
	    IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) == -1)
		warn("setsockopt TCP_NODELAY");
	if (t->fault.status == 0) {
		if (chat)
			render_chat(t, c, &s->body);
		else
			render_responses(t, c, &s->body);
		plan(s);
	}
	TAILQ_INSERT_TAIL(&streams, s, entry);
	evhttp_connection_set_closecb(s->evcon, on_close, s);
	s->state = S_DELAY;
	if (t->fault.delay_ms > 0)
		kick(s, t->fault.delay_ms);
	else
		start(s);
}

/* At exit: forget every reply in progress before evhttp_free(). */
void
stream_shutdown(void)
{
	struct stream	*s;

	while ((s = TAILQ_FIRST(&streams)) != NULL)
		destroy(s);
}
