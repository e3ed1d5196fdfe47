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
 * HTTP for netproc: libcurl's multi-socket interface driven by the
 * process's libevent loop.  curl tells us which sockets to watch and
 * when its next timeout falls due; libevent tells curl when a socket is
 * ready or the timer fired.  Nothing blocks and nothing polls, and any
 * number of transfers run at once, each with its own callbacks.
 */

#include <sys/types.h>
#include <sys/queue.h>

#include <curl/curl.h>
#include <event.h>
#include <stdlib.h>
#include <string.h>

#include "imsg/log.h"
#include "netproc/netproc.h"

struct http_xfer {
	CURL			*easy;
	const struct http_ops	*ops;
	void			*arg;
	int			 status_sent;
	char			 errbuf[CURL_ERROR_SIZE];
};

/* The event of one socket curl asked us to watch. */
struct sockev {
	struct event	 ev;
	curl_socket_t	 fd;
	int		 armed;
};

static CURLM		*multi;
static struct event	 timer_ev;
static int		 inflight;

static int	 sock_cb(CURL *, curl_socket_t, int, void *, void *);
static int	 timer_cb(CURLM *, long, void *);
static void	 on_socket(int, short, void *);
static void	 on_timer(int, short, void *);
static void	 check_done(void);
static void	 status_once(struct http_xfer *);
static size_t	 write_cb(char *, size_t, size_t, void *);
static size_t	 header_cb(char *, size_t, size_t, void *);

void
http_init(void)
{
	if ((multi = curl_multi_init()) == NULL)
		fatalx("curl_multi_init failed");
	if (curl_multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, sock_cb) !=
	    CURLM_OK ||
	    curl_multi_setopt(multi, CURLMOPT_TIMERFUNCTION, timer_cb) !=
	    CURLM_OK)
		fatalx("curl_multi_setopt failed");
	evtimer_set(&timer_ev, on_timer, NULL);
}

int
http_inflight(void)
{
	return inflight;
}

/*
 * Start a POST of body (which must live until the transfer ends) to url
 * with the given headers (the caller keeps and frees the list after the
 * transfer ends).  The callbacks run from the event loop.
 */
struct http_xfer *
http_post(const char *url, struct curl_slist *hdrs, const char *body,
    size_t len, const struct http_ops *ops, void *arg)
{
	struct http_xfer	*x;
	CURL			*e;
	int			 bad = 0;

	if ((x = calloc(1, sizeof(*x))) == NULL)
		fatal(NULL);
	if ((e = curl_easy_init()) == NULL)
		fatalx("curl_easy_init failed");
	x->easy = e;
	x->ops = ops;
	x->arg = arg;
	bad |= curl_easy_setopt(e, CURLOPT_URL, url) != CURLE_OK;
	bad |= curl_easy_setopt(e, CURLOPT_POST, 1L) != CURLE_OK;
	bad |= curl_easy_setopt(e, CURLOPT_POSTFIELDS, body) != CURLE_OK;
	bad |= curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE,
	    (curl_off_t)len) != CURLE_OK;
	bad |= curl_easy_setopt(e, CURLOPT_HTTPHEADER, hdrs) != CURLE_OK;
	bad |= curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, write_cb) !=
	    CURLE_OK;
	bad |= curl_easy_setopt(e, CURLOPT_WRITEDATA, x) != CURLE_OK;
	bad |= curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, header_cb) !=
	    CURLE_OK;
	bad |= curl_easy_setopt(e, CURLOPT_HEADERDATA, x) != CURLE_OK;
	bad |= curl_easy_setopt(e, CURLOPT_PRIVATE, x) != CURLE_OK;
	bad |= curl_easy_setopt(e, CURLOPT_ERRORBUFFER, x->errbuf) !=
	    CURLE_OK;
	/* Only the schemes a model provider speaks; no redirects. */
	bad |= curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https") !=
	    CURLE_OK;
	bad |= curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L) != CURLE_OK;
	bad |= curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, 30000L) !=
	    CURLE_OK;
	bad |= curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L) != CURLE_OK;
	if (bad)
		fatalx("curl_easy_setopt failed");
	if (curl_multi_add_handle(multi, e) != CURLM_OK)
		fatalx("curl_multi_add_handle failed");
	inflight++;
	return x;
}

/* Stop a transfer; none of its callbacks runs afterwards. */
void
http_abort(struct http_xfer *x)
{
	if (x == NULL)
		return;
	(void)curl_multi_remove_handle(multi, x->easy);
	curl_easy_cleanup(x->easy);
	free(x);
	inflight--;
}

static int
sock_cb(CURL *e, curl_socket_t fd, int what, void *uarg, void *sockp)
{
	struct sockev	*s = sockp;
	short		 events = EV_PERSIST;

	(void)e;
	(void)uarg;
	if (what == CURL_POLL_REMOVE) {
		if (s != NULL) {
			if (s->armed)
				(void)event_del(&s->ev);
			free(s);
			(void)curl_multi_assign(multi, fd, NULL);
		}
		return 0;
	}
	if (s == NULL) {
		if ((s = calloc(1, sizeof(*s))) == NULL)
			fatal(NULL);
		s->fd = fd;
		(void)curl_multi_assign(multi, fd, s);
	}
	if (s->armed)
		(void)event_del(&s->ev);
	if (what & CURL_POLL_IN)
		events |= EV_READ;
	if (what & CURL_POLL_OUT)
		events |= EV_WRITE;
	event_set(&s->ev, fd, events, on_socket, s);
	if (event_add(&s->ev, NULL) == -1)
		fatal("event_add");
	s->armed = 1;
	return 0;
}

/* curl's single timer: -1 stops it, 0 means as soon as possible. */
static int
timer_cb(CURLM *m, long ms, void *uarg)
{
	struct timeval	 tv;

	(void)m;
	(void)uarg;
	(void)evtimer_del(&timer_ev);
	if (ms < 0)
		return 0;
	tv.tv_sec = ms / 1000;
	tv.tv_usec = (ms % 1000) * 1000;
	if (evtimer_add(&timer_ev, &tv) == -1)
		fatal("evtimer_add");
	return 0;
}

static void
on_socket(int fd, short events, void *arg)
{
	int	flags = 0, running;

	(void)arg;
	if (events & EV_READ)
		flags |= CURL_CSELECT_IN;
	if (events & EV_WRITE)
		flags |= CURL_CSELECT_OUT;
	(void)curl_multi_socket_action(multi, fd, flags, &running);
	check_done();
}

static void
on_timer(int fd, short events, void *arg)
{
	int	running;

	(void)fd;
	(void)events;
	(void)arg;
	(void)curl_multi_socket_action(multi, CURL_SOCKET_TIMEOUT, 0,
	    &running);
	check_done();
}

/*
 * Hand every finished transfer to its owner.  The transfer is gone
 * before done runs, so done may start a new one at once.
 */
static void
check_done(void)
{
	struct http_xfer	*x;
	const struct http_ops	*ops;
	CURLMsg			*m;
	char			*priv, err[CURL_ERROR_SIZE + 64];
	void			*arg;
	int			 left;
	CURLcode		 rc;

	while ((m = curl_multi_info_read(multi, &left)) != NULL) {
		if (m->msg != CURLMSG_DONE)
			continue;
		if (curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE,
		    &priv) != CURLE_OK || priv == NULL)
			fatalx("transfer without owner");
		x = (struct http_xfer *)priv;
		rc = m->data.result;
		if (rc != CURLE_OK)
			(void)snprintf(err, sizeof(err), "%s", x->errbuf[0] ?
			    x->errbuf : curl_easy_strerror(rc));
		ops = x->ops;
		arg = x->arg;
		http_abort(x);
		ops->done(arg, rc == CURLE_OK ? NULL : err);
	}
}

static void
status_once(struct http_xfer *x)
{
	long	code = 0;

	if (x->status_sent)
		return;
	if (curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &code) !=
	    CURLE_OK)
		code = 0;
	if (code >= 100 && code < 200)
		return;
	x->status_sent = 1;
	x->ops->status(x->arg, code);
}

static size_t
write_cb(char *p, size_t size, size_t n, void *arg)
{
	struct http_xfer	*x = arg;

	status_once(x);
	if (x->ops->data(x->arg, p, n * size) == -1)
		return 0;
	return n * size;
}

/* Pass each header on; the blank line after them gives the status. */
static size_t
header_cb(char *p, size_t size, size_t n, void *arg)
{
	struct http_xfer	*x = arg;
	size_t			 len = n * size, nl;
	char			 line[1024], *colon, *v;

	if (len <= 2 && (p[0] == '\r' || p[0] == '\n')) {
		status_once(x);
		return len;
	}
	if (strncmp(p, "HTTP/", 5) == 0) {
		x->status_sent = 0;
		return len;
	}
	nl = len < sizeof(line) ? len : sizeof(line) - 1;
	memcpy(line, p, nl);
	line[nl] = '\0';
	line[strcspn(line, "\r\n")] = '\0';
	if ((colon = strchr(line, ':')) == NULL)
		return len;
	*colon = '\0';
	for (v = colon + 1; *v == ' ' || *v == '\t'; v++)
		;
	x->ops->header(x->arg, line, v);
	return len;
}
