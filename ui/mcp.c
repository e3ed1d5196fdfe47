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
 * The front end of `ocodex mcp-server`: JSON-RPC 2.0 over the client's
 * standard input and output, one message per line.  Standard output
 * carries protocol messages only; what ui has to say otherwise travels to
 * the parent as log records.  This file is the transport and the
 * methods; mcp-tools.c has the two tools, the events and the approvals.
 */

#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "imsg/log.h"
#include "ui/mcp-int.h"
#include "ui/ui.h"

#ifndef OCODEX_VERSION
#define OCODEX_VERSION	"0"
#endif

/* What one read(2) takes from standard input. */
#define MCP_READ_CHUNK	65536
/* The protocol revision we answer with when the client names none. */
#define MCP_PROTOCOL	"2025-06-18"

static void	 mcp_readable(int, short, void *);
static void	 mcp_feed(const char *, size_t);
static void	 mcp_line(const char *, size_t);
static void	 mcp_request(struct rpcmsg *);
static void	 mcp_notification(struct rpcmsg *);
static void	 mcp_initialize(struct rpcmsg *);
static void	 mcp_eof(void);
static void	 mcp_finish(void);

const struct frontend fe_mcp = { "mcp", mcp_event, mcp_finish };

static int		 in_fd = -1;
static int		 in_polled;	/* in libevent, else read on a timer */
static struct event	 in_ev;
static char		*line;		/* the line being gathered */
static size_t		 linelen, linecap;
static int		 discarding;	/* skipping the rest of a long line */
static int		 initialized;
static int		 at_eof;

/*
 * Start serving on the client's standard input.  A pipe, socket or
 * terminal is watched by libevent; a regular file or /dev/null, which
 * epoll refuses, is read on a zero timeout instead, since reading it
 * never blocks.
 */
void
mcp_start(int fd)
{
	struct timeval	 tv = { 0, 0 };

	if (fd == -1)
		fatalx("mcp: no standard input was passed");
	in_fd = fd;
	event_set(&in_ev, fd, EV_READ | EV_PERSIST, mcp_readable, NULL);
	if (event_add(&in_ev, NULL) == 0) {
		in_polled = 1;
		return;
	}
	evtimer_set(&in_ev, mcp_readable, NULL);
	if (evtimer_add(&in_ev, &tv) == -1)
		fatal("evtimer_add");
}

static void
mcp_readable(int fd, short what, void *arg)
{
	static char	 buf[MCP_READ_CHUNK];
	struct timeval	 tv = { 0, 0 };
	ssize_t		 n;

	(void)fd;
	(void)what;
	(void)arg;
	if ((n = read(in_fd, buf, sizeof(buf))) == -1) {
		if (errno == EINTR || errno == EAGAIN)
			return;
		log_warn("mcp: standard input");
		n = 0;
	}
	if (n == 0) {
		mcp_eof();
		return;
	}
	mcp_feed(buf, n);
	if (!in_polled && evtimer_add(&in_ev, &tv) == -1)
		fatal("evtimer_add");
}

/*
 * Split the input into lines.  A line longer than MCP_LINE_MAX is
 * answered with an error as soon as it passes the limit, and the rest of
 * it is skipped as it arrives, never held.
 */
static void
mcp_feed(const char *p, size_t n)
{
	const char	*nl;
	size_t		 take, cap;
	char		*nb;

	while (n > 0) {
		nl = memchr(p, '\n', n);
		take = nl != NULL ? (size_t)(nl - p) : n;
		if (discarding) {
			if (nl != NULL)
				discarding = 0;
		} else if (linelen + take > MCP_LINE_MAX) {
			mcp_send(rpc_error(NULL, RPC_INVALID_REQUEST,
			    "Invalid request: message longer than %d bytes",
			    MCP_LINE_MAX));
			linelen = 0;
			discarding = nl == NULL;
		} else {
			if (linelen + take > linecap) {
				cap = linecap ? linecap : 4096;
				while (cap < linelen + take)
					cap *= 2;
				if (cap > MCP_LINE_MAX)
					cap = MCP_LINE_MAX;
				if ((nb = realloc(line, cap)) == NULL)
					fatal(NULL);
				line = nb;
				linecap = cap;
			}
			memcpy(line + linelen, p, take);
			linelen += take;
			if (nl != NULL) {
				mcp_line(line, linelen);
				linelen = 0;
			}
		}
		if (nl == NULL)
			break;
		p = nl + 1;
		n -= take + 1;
	}
}

/* One whole line from the client. */
static void
mcp_line(const char *s, size_t len)
{
	struct rpcmsg	 m;

	switch (rpc_parse(s, len, &m)) {
	case RPC_EMPTY:
		break;
	case RPC_INVALID:
		mcp_send(m.error);
		m.error = NULL;
		break;
	case RPC_REQUEST:
		mcp_request(&m);
		break;
	case RPC_NOTIFICATION:
		mcp_notification(&m);
		break;
	case RPC_RESPONSE:
		mcp_response(&m);
		break;
	}
	rpc_clear(&m);
}

static void
mcp_request(struct rpcmsg *m)
{
	if (strcmp(m->method, "initialize") == 0)
		mcp_initialize(m);
	else if (strcmp(m->method, "ping") == 0)
		mcp_send(rpc_result(m->id, json_object()));
	else if (strcmp(m->method, "tools/list") == 0)
		mcp_send(rpc_result(m->id, mcp_tools_list()));
	else if (strcmp(m->method, "tools/call") == 0)
		mcp_tools_call(m->id, m->params);
	else if (strncmp(m->method, "notifications/", 14) == 0)
		mcp_send(rpc_result(m->id, json_object()));
	else
		mcp_send(rpc_error(m->id, RPC_METHOD_NOT_FOUND,
		    "Method not found: %.200s", m->method));
}

/* Notifications get no answer, not even an error. */
static void
mcp_notification(struct rpcmsg *m)
{
	json_t	*rid;

	if (strcmp(m->method, "notifications/cancelled") == 0) {
		rid = json_object_get(m->params, "requestId");
		if (rid != NULL)
			mcp_cancel(rid);
	} else if (strcmp(m->method, "notifications/initialized") != 0)
		log_debug("mcp: ignoring notification %.200s", m->method);
}

/*
 * initialize: echo the client's protocol version and say what we
 * serve.  It may come once.
 */
static void
mcp_initialize(struct rpcmsg *m)
{
	json_t	*pv;

	if (initialized) {
		mcp_send(rpc_error(m->id, RPC_INVALID_REQUEST,
		    "Invalid request: initialize called more than once"));
		return;
	}
	if (!json_is_object(m->params)) {
		mcp_send(rpc_error(m->id, RPC_INVALID_PARAMS,
		    "Invalid params: params must be an object"));
		return;
	}
	pv = json_object_get(m->params, "protocolVersion");
	if (!json_is_string(pv)) {
		mcp_send(rpc_error(m->id, RPC_INVALID_PARAMS,
		    "Invalid params: params.protocolVersion must be a "
		    "string"));
		return;
	}
	initialized = 1;
	mcp_send(rpc_result(m->id, json_pack("{s:O, s:{s:{s:b}}, "
	    "s:{s:s, s:s, s:s, s:s}, s:s}", "protocolVersion", pv,
	    "capabilities", "tools", "listChanged", 1, "serverInfo", "name",
	    "codex-mcp-server", "title", "ocodex", "version", OCODEX_VERSION,
	    "user_agent", "ocodex/" OCODEX_VERSION, "instructions",
	    "Tools: codex starts an ocodex session with a prompt; "
	    "codex-reply continues it by threadId.")));
}

/*
 * One message to the client, as one line of compact JSON (which never
 * holds a raw newline).  Takes over the reference.
 */
void
mcp_send(json_t *o)
{
	char	*s;
	size_t	 len;

	if (o == NULL)
		fatalx("mcp: cannot build a message");
	if ((s = json_dumps(o, JSON_COMPACT)) == NULL)
		fatalx("mcp: cannot encode a message");
	json_decref(o);
	len = strlen(s);
	s[len] = '\n';
	ui_write(UI_FD_STDOUT, s, len + 1);
	free(s);
}

/*
 * The client closed its end: nothing more will be asked, and nobody
 * waits for the answers of calls in flight.  The parent stops the tree,
 * which closes our channel; ui then writes out what it holds and exits.
 */
static void
mcp_eof(void)
{
	if (at_eof)
		return;
	at_eof = 1;
	(void)event_del(&in_ev);
	if (discarding || linelen > 0)
		mcp_line(line, discarding ? 0 : linelen);
	linelen = 0;
	ui_send_op(UIOP_SHUTDOWN, json_object());
}

static void
mcp_finish(void)
{
	if (!at_eof)
		(void)event_del(&in_ev);
	free(line);
	line = NULL;
	linelen = linecap = 0;
}
