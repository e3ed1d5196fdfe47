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

#ifndef UI_MCP_INT_H
#define UI_MCP_INT_H

#include <sys/queue.h>

#include <jansson.h>

#include "ui/ui.h"

/*
 * A tools/call in flight.  Its session's events are recognised by the
 * thread id, which a codex-reply names and a codex call learns from the
 * session_configured event the parent sends first.
 */
struct mcpcall {
	TAILQ_ENTRY(mcpcall)	 entry;
	json_t			*id;		/* the JSON-RPC request id */
	char			*thread_id;	/* NULL until known */
	int			 cancelled;	/* no answer is owed */
};
TAILQ_HEAD(mcpcalls, mcpcall);

extern struct mcpcalls	 mcp_calls;

/* mcp.c */
void		 mcp_send(json_t *);

/* mcp-tools.c */
json_t		*mcp_tools_list(void);
void		 mcp_tools_call(json_t *, json_t *);
void		 mcp_cancel(json_t *);
void		 mcp_result(json_t *);
struct mcpcall	*mcp_call_find(json_t *);
struct mcpcall	*mcp_call_thread(const char *);
void		 mcp_call_free(struct mcpcall *);

/* mcp-event.c */
void		 mcp_event(enum ui_event, json_t *);
void		 mcp_response(struct rpcmsg *);
void		 mcp_elicit_drop(const char *);

#endif /* UI_MCP_INT_H */
