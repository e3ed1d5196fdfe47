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
 * mockmodel: a scripted model server.  It listens on 127.0.0.1, answers
 * each POST to .../responses or .../chat/completions with the next turn
 * of its script, streamed as server-sent events in the matching wire
 * format, and records every request it gets, so that end-to-end tests
 * can drive the real ocodex binary and then check what it sent.  See
 * README for the script format.
 */

#include <sys/queue.h>
#include <sys/socket.h>

#include <netinet/in.h>

#include <ctype.h>
#include <err.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <jansson.h>

#include "mockmodel.h"

struct logbuf {
	char	*b;
	size_t	 len;
	size_t	 cap;
};

static struct mm_script	 script;
static size_t		 turn_at;	/* script position of the next turn */
static size_t		 turn_rep;	/* times turns[turn_at] was served */
static size_t		 served;	/* turns served so far */
static size_t		 nreq;		/* requests logged so far */
static FILE		*logfp;
static struct logbuf	 logmem;
static int		 verbose;

__dead static void	 usage(void);
static const struct mm_turn *next_turn(size_t *);
static int		 ends_with(const char *, const char *);
static const char	*method_name(enum evhttp_cmd_type);
static json_t		*jstr_lossy(const char *, size_t);
static char		*base64(const unsigned char *, size_t);
static json_t		*headers_json(struct evhttp_request *);
static void		 body_json(json_t *, const char *, size_t);
static void		 log_request(struct evhttp_request *, const char *,
			    const char *, const char *, size_t, long long);
static void		 send_text(struct evhttp_request *, int,
			    const char *, const char *);
static void		 send_log(struct evhttp_request *);
static void		 on_shutdown_done(struct evhttp_request *, void *);
static void		 model_request(struct evhttp_request *, const char *,
			    const char *, const char *, size_t);
static void		 handle(struct evhttp_request *, void *);
static void		 on_signal(evutil_socket_t, short, void *);
static void		 write_portfile(const char *, int);
static int		 listen_http(struct evhttp *, int);
static void		 serve(int, const char *);

__dead static void
usage(void)
{
	fprintf(stderr, "usage: %s -s script.json [-v] [-l requests.jsonl] "
	    "[-p port] [-P portfile]\n", getprogname());
	exit(2);
}

/* Each turn is served "repeat" times, then the script moves on. */
static const struct mm_turn *
next_turn(size_t *k)
{
	const struct mm_turn	*t;

	if (turn_at >= script.nturns)
		return NULL;
	t = &script.turns[turn_at];
	*k = served++;
	if (++turn_rep >= t->repeat) {
		turn_at++;
		turn_rep = 0;
	}
	return t;
}

static int
ends_with(const char *s, const char *suffix)
{
	size_t	 n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static const char *
method_name(enum evhttp_cmd_type cmd)
{
	switch (cmd) {
	case EVHTTP_REQ_GET:
		return "GET";
	case EVHTTP_REQ_POST:
		return "POST";
	case EVHTTP_REQ_HEAD:
		return "HEAD";
	case EVHTTP_REQ_PUT:
		return "PUT";
	case EVHTTP_REQ_DELETE:
		return "DELETE";
	case EVHTTP_REQ_OPTIONS:
		return "OPTIONS";
	case EVHTTP_REQ_TRACE:
		return "TRACE";
	case EVHTTP_REQ_CONNECT:
		return "CONNECT";
	case EVHTTP_REQ_PATCH:
		return "PATCH";
	}
	return "?";
}

/* A JSON string even from bytes that are not UTF-8 (they become '?'). */
static json_t *
jstr_lossy(const char *s, size_t n)
{
	json_t	*j;
	char	*c;
	size_t	 i;

	if ((j = json_stringn(s, n)) != NULL)
		return j;
	if ((c = malloc(n + 1)) == NULL)
		err(1, NULL);
	for (i = 0; i < n; i++)
		c[i] = (unsigned char)s[i] < 0x80 ? s[i] : '?';
	c[n] = '\0';
	if ((j = json_stringn(c, n)) == NULL)
		errx(1, "json_stringn");
	free(c);
	return j;
}

static char *
base64(const unsigned char *p, size_t n)
{
	static const char tab[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char		*r, *o;
	size_t		 i;
	unsigned int	 v;

	if ((r = reallocarray(NULL, (n + 2) / 3 + 1, 4)) == NULL)
		err(1, NULL);
	for (o = r, i = 0; i < n; i += 3) {
		v = p[i] << 16;
		if (i + 1 < n)
			v |= p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		*o++ = tab[(v >> 18) & 63];
		*o++ = tab[(v >> 12) & 63];
		*o++ = i + 1 < n ? tab[(v >> 6) & 63] : '=';
		*o++ = i + 2 < n ? tab[v & 63] : '=';
	}
	*o = '\0';
	return r;
}

/*
 * Header names are lower-cased, as HTTP/2 and most clients' logs have
 * them, so tests need not care how a client spells them; a repeated
 * header is joined with ", " as RFC 9110 allows.
 */
static json_t *
headers_json(struct evhttp_request *req)
{
	struct evkeyvalq	*hdrs;
	struct evkeyval		*kv;
	json_t			*o, *old;
	char			 name[256], *joined;
	size_t			 i;

	hdrs = evhttp_request_get_input_headers(req);
	if ((o = json_object()) == NULL)
		errx(1, "json_object");
	TAILQ_FOREACH(kv, hdrs, next) {
		for (i = 0; kv->key[i] != '\0' && i < sizeof(name) - 1; i++)
			name[i] = tolower((unsigned char)kv->key[i]);
		name[i] = '\0';
		if ((old = json_object_get(o, name)) != NULL) {
			if (asprintf(&joined, "%s, %s", json_string_value(old),
			    kv->value) == -1)
				err(1, "asprintf");
			if (json_object_set_new(o, name, jstr_lossy(joined,
			    strlen(joined))) == -1)
				errx(1, "json_object_set_new");
			free(joined);
		} else if (json_object_set_new(o, name, jstr_lossy(kv->value,
		    strlen(kv->value))) == -1)
			errx(1, "json_object_set_new");
	}
	return o;
}

/* The body as JSON if it is JSON, else as a string, else as base64. */
static void
body_json(json_t *entry, const char *b, size_t len)
{
	json_t	*v;
	char	*enc;

	if (len == 0)
		v = json_null();
	else if ((v = json_loadb(b, len, JSON_DECODE_ANY, NULL)) == NULL)
		v = json_stringn(b, len);
	if (v != NULL) {
		if (json_object_set_new(entry, "body", v) == -1)
			errx(1, "json_object_set_new");
		return;
	}
	enc = base64((const unsigned char *)b, len);
	if (json_object_set_new(entry, "body", json_null()) == -1 ||
	    json_object_set_new(entry, "body_base64", json_string(enc)) == -1)
		errx(1, "json_object_set_new");
	free(enc);
}

/* Record a request; it is on disk before any byte of the reply leaves. */
static void
log_request(struct evhttp_request *req, const char *method, const char *path,
    const char *body, size_t len, long long turn)
{
	const char	*query;
	struct timespec	 ts;
	json_t		*e;
	char		*line;
	size_t		 n, ncap;

	query = evhttp_uri_get_query(evhttp_request_get_evhttp_uri(req));
	if (clock_gettime(CLOCK_REALTIME, &ts) == -1)
		err(1, "clock_gettime");
	e = json_pack("{s:I, s:s, s:s, s:s?, s:o}", "n", (json_int_t)nreq++,
	    "method", method, "path", path, "query", query, "headers",
	    headers_json(req));
	if (e == NULL)
		errx(1, "json_pack");
	body_json(e, body, len);
	if (json_object_set_new(e, "turn", turn >= 0 ?
	    json_integer(turn) : json_null()) == -1 ||
	    json_object_set_new(e, "time", json_real(ts.tv_sec +
	    ts.tv_nsec / 1e9)) == -1)
		errx(1, "json_object_set_new");
	if ((line = json_dumps(e, JSON_COMPACT)) == NULL)
		errx(1, "json_dumps");
	json_decref(e);
	n = strlen(line);
	if (logfp != NULL && (fprintf(logfp, "%s\n", line) < 0 ||
	    fflush(logfp) == EOF))
		err(1, "request log");
	if (logmem.len + n + 1 > logmem.cap) {
		ncap = logmem.cap ? logmem.cap : 65536;
		while (ncap < logmem.len + n + 1)
			ncap *= 2;
		if ((logmem.b = realloc(logmem.b, ncap)) == NULL)
			err(1, NULL);
		logmem.cap = ncap;
	}
	memcpy(logmem.b + logmem.len, line, n);
	logmem.b[logmem.len + n] = '\n';
	logmem.len += n + 1;
	free(line);
}

static void
send_text(struct evhttp_request *req, int status, const char *ctype,
    const char *text)
{
	struct evbuffer	*buf;

	if ((buf = evbuffer_new()) == NULL ||
	    evbuffer_add(buf, text, strlen(text)) == -1)
		errx(1, "evbuffer");
	if (evhttp_add_header(evhttp_request_get_output_headers(req),
	    "Content-Type", ctype) == -1)
		errx(1, "evhttp_add_header");
	evhttp_send_reply(req, status, NULL, buf);
	evbuffer_free(buf);
}

static void
send_log(struct evhttp_request *req)
{
	struct evbuffer	*buf;

	if ((buf = evbuffer_new()) == NULL ||
	    evbuffer_add(buf, logmem.b, logmem.len) == -1)
		errx(1, "evbuffer");
	if (evhttp_add_header(evhttp_request_get_output_headers(req),
	    "Content-Type", "application/x-ndjson") == -1)
		errx(1, "evhttp_add_header");
	evhttp_send_reply(req, 200, NULL, buf);
	evbuffer_free(buf);
}

static void
on_shutdown_done(struct evhttp_request *req, void *arg)
{
	struct event_base	*base = arg;

	(void)req;
	if (event_base_loopexit(base, NULL) == -1)
		errx(1, "event_base_loopexit");
}

static void
model_request(struct evhttp_request *req, const char *method,
    const char *path, const char *body, size_t len)
{
	const struct mm_turn	*t;
	struct mm_ctx		 c;
	json_t			*j, *v;
	size_t			 k = 0, i;
	char			 msg[256];
	int			 n;

	t = next_turn(&k);
	log_request(req, method, path, body, len, t != NULL ?
	    (long long)k : -1);
	if (verbose)
		fprintf(stderr, "mockmodel: %s %s: turn %lld\n", method, path,
		    t != NULL ? (long long)k : -1LL);
	if (t == NULL) {
		n = snprintf(msg, sizeof(msg), "{\"error\":{\"message\":"
		    "\"mockmodel: script exhausted after %zu turns\","
		    "\"type\":\"mock_error\",\"param\":null,"
		    "\"code\":\"script_exhausted\"}}", served);
		if (n < 0 || (size_t)n >= sizeof(msg))
			errx(1, "snprintf");
		send_text(req, 500, "application/json", msg);
		return;
	}
	/* Echo the model that was asked for, as the real services do. */
	j = json_loadb(body, len, 0, NULL);
	memset(&c, 0, sizeof(c));
	json_array_foreach(json_object_get(j, "include"), i, v)
		if (json_is_string(v) && strcmp(json_string_value(v),
		    "reasoning.encrypted_content") == 0)
			c.encrypted = 1;
	c.k = k;
	c.created = time(NULL);
	c.model = t->model;
	if (c.model == NULL)
		c.model = json_string_value(json_object_get(j, "model"));
	if (c.model == NULL)
		c.model = MM_MODEL;
	stream_reply(req, t, &c, ends_with(path, "/chat/completions"));
	json_decref(j);
}

static void
handle(struct evhttp_request *req, void *arg)
{
	enum evhttp_cmd_type	 cmd = evhttp_request_get_command(req);
	const char		*path, *method = method_name(cmd);
	struct evbuffer		*in;
	const char		*body;
	size_t			 len;
	int			 model;

	path = evhttp_uri_get_path(evhttp_request_get_evhttp_uri(req));
	if (path == NULL || *path == '\0')
		path = "/";
	if (cmd == EVHTTP_REQ_GET && strcmp(path, "/requests") == 0) {
		send_log(req);
		return;
	}
	if (cmd == EVHTTP_REQ_POST && strcmp(path, "/shutdown") == 0) {
		evhttp_request_set_on_complete_cb(req, on_shutdown_done, arg);
		send_text(req, 200, "application/json", "{\"ok\":true}");
		return;
	}
	in = evhttp_request_get_input_buffer(req);
	len = evbuffer_get_length(in);
	if ((body = (const char *)evbuffer_pullup(in, -1)) == NULL)
		body = "";
	model = ends_with(path, "/responses") ||
	    ends_with(path, "/chat/completions");
	if (model && cmd == EVHTTP_REQ_POST) {
		model_request(req, method, path, body, len);
		return;
	}
	log_request(req, method, path, body, len, -1);
	if (model)
		send_text(req, 405, "application/json", "{\"error\":{"
		    "\"message\":\"mockmodel: use POST\",\"type\":"
		    "\"mock_error\",\"param\":null,\"code\":null}}");
	else
		send_text(req, 404, "application/json", "{\"error\":{"
		    "\"message\":\"mockmodel: no such endpoint\",\"type\":"
		    "\"mock_error\",\"param\":null,\"code\":null}}");
}

static void
on_signal(evutil_socket_t sig, short what, void *arg)
{
	struct event_base	*base = arg;

	(void)sig;
	(void)what;
	if (event_base_loopexit(base, NULL) == -1)
		errx(1, "event_base_loopexit");
}

/* Written under a temporary name and renamed, so no reader sees half. */
static void
write_portfile(const char *path, int port)
{
	char	 tmp[4096];
	FILE	*fp;
	int	 n;

	n = snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if (n < 0 || (size_t)n >= sizeof(tmp))
		errx(1, "%s: path too long", path);
	if ((fp = fopen(tmp, "w")) == NULL)
		err(1, "%s", tmp);
	if (fprintf(fp, "%d\n", port) < 0 || fclose(fp) == EOF)
		err(1, "%s", tmp);
	if (rename(tmp, path) == -1)
		err(1, "rename %s", path);
}

/* Listen on 127.0.0.1:port (0: any free port); return the real port. */
static int
listen_http(struct evhttp *http, int port)
{
	struct evhttp_bound_socket	*bound;
	struct sockaddr_in		 sin;
	socklen_t			 slen = sizeof(sin);

	if ((bound = evhttp_bind_socket_with_handle(http, "127.0.0.1",
	    port)) == NULL)
		err(1, "bind 127.0.0.1:%d", port);
	if (getsockname(evhttp_bound_socket_get_fd(bound),
	    (struct sockaddr *)&sin, &slen) == -1)
		err(1, "getsockname");
	return ntohs(sin.sin_port);
}

/* Serve until SIGTERM, SIGINT or POST /shutdown. */
static void
serve(int port, const char *pfile)
{
	struct event_base	*base;
	struct event		*sigterm, *sigint;
	struct evhttp		*http;

	if ((base = event_base_new()) == NULL || (http = evhttp_new(base)) ==
	    NULL)
		errx(1, "libevent initialisation failed");
	/* Scripted stalls may be long; evhttp's 50 s default would cut them. */
	evhttp_set_timeout(http, 3600);
	evhttp_set_gencb(http, handle, base);
	port = listen_http(http, port);
	if ((sigterm = evsignal_new(base, SIGTERM, on_signal, base)) == NULL ||
	    (sigint = evsignal_new(base, SIGINT, on_signal, base)) == NULL ||
	    evsignal_add(sigterm, NULL) == -1 || evsignal_add(sigint, NULL) ==
	    -1)
		errx(1, "cannot watch signals");
	if (pfile != NULL)
		write_portfile(pfile, port);
	if (printf("port %d\n", port) < 0 || fflush(stdout) == EOF)
		err(1, "stdout");

	if (event_base_dispatch(base) == -1)
		errx(1, "event_base_dispatch");

	stream_shutdown();
	evhttp_free(http);
	event_free(sigterm);
	event_free(sigint);
	event_base_free(base);
}

int
main(int argc, char *argv[])
{
	const char	*spath = NULL, *lpath = NULL, *pfile = NULL, *errstr;
	char		 errbuf[1024];
	int		 ch, port = 0;

	while ((ch = getopt(argc, argv, "l:P:p:s:v")) != -1) {
		switch (ch) {
		case 'l':
			lpath = optarg;
			break;
		case 'P':
			pfile = optarg;
			break;
		case 'p':
			port = strtonum(optarg, 0, 65535, &errstr);
			if (errstr != NULL)
				errx(2, "port %s: %s", optarg, errstr);
			break;
		case 's':
			spath = optarg;
			break;
		case 'v':
			verbose = 1;
			break;
		default:
			usage();
		}
	}
	if (spath == NULL || optind != argc)
		usage();
	if (script_load(spath, &script, errbuf, sizeof(errbuf)) == -1)
		errx(2, "%s: %s", spath, errbuf);
	if (lpath != NULL && (logfp = fopen(lpath, "w")) == NULL)
		err(1, "%s", lpath);
	/* A client that hangs up must not kill the server with SIGPIPE. */
	if (signal(SIGPIPE, SIG_IGN) == SIG_ERR)
		err(1, "signal");

	serve(port, pfile);

	script_free(&script);
	free(logmem.b);
	if (logfp != NULL && fclose(logfp) == EOF)
		err(1, "%s", lpath);
	return 0;
}
