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


#ifndef UI_H
#define UI_H

#include <stddef.h>

#include <jansson.h>

#include "imsg/proto.h"

struct evbuffer;

/*
 * A front end of the ui process: one function per session event kind,
 * reached through one switch over enum ui_event, and a finish function
 * called once when the parent closes the channel.
 */
struct frontend {
	const char	*name;
	void		(*event)(enum ui_event, json_t *);
	void		(*finish)(void);
};

extern const struct frontend	fe_exec_human;
extern const struct frontend	fe_exec_json;
extern const struct frontend	fe_mcp;
extern const struct frontend	fe_tui;

/* ui.c: the settings of IMSG_UI_MODE and the passed descriptors. */
int	 ui_hide_reasoning(void);
void	 ui_write(int, const void *, size_t);
void	 ui_printf(int, const char *, ...)
	    __attribute__((__format__ (printf, 2, 3)));
void	 ui_write_buffer(int, struct evbuffer *);
void	 ui_send_op(enum ui_op, json_t *);
int	 ui_passed_fd(int);

/* tui.c: load the terminal's description before ui is confined. */
void	 tui_preload(const char *);

/*
 * render.c: the terminal sanitiser.  Untrusted text (model output,
 * command output, file names) goes through it on its way to a terminal;
 * it keeps a partial UTF-8 sequence or escape sequence between calls, so
 * that a stream may be fed in arbitrary pieces.
 */
struct sanitizer {
	int		state;		/* inside which kind of sequence */
	unsigned char	u8[4];		/* the bytes of a partial character */
	size_t		u8len;
	size_t		u8need;
	int		error;		/* output could not be buffered */
};

void	 san_init(struct sanitizer *);
void	 san_feed(struct sanitizer *, struct evbuffer *, const void *,
	    size_t);
int	 san_finish(struct sanitizer *, struct evbuffer *);
int	 san_append(struct evbuffer *, const char *);

/* Colours; each helper returns "" unless colour is on. */
enum ui_color {
	UC_RESET,
	UC_BOLD,
	UC_DIM,
	UC_ITALIC,
	UC_RED,
	UC_GREEN,
	UC_YELLOW,
	UC_BLUE,
	UC_MAGENTA,
	UC_CYAN,
	UC_MAX
};

void	 render_setcolor(int);
const char *sgr(enum ui_color);

/*
 * mcp-rpc.c: JSON-RPC 2.0 lines of `ocodex mcp-server`.  rpc_parse()
 * classifies one line; the fields point into msg, which rpc_clear()
 * releases, and error is the response owed for an invalid line.
 */
#define RPC_PARSE_ERROR		-32700
#define RPC_INVALID_REQUEST	-32600
#define RPC_METHOD_NOT_FOUND	-32601
#define RPC_INVALID_PARAMS	-32602
#define RPC_INTERNAL_ERROR	-32603

enum rpc_kind {
	RPC_EMPTY,		/* a blank line: ignored */
	RPC_INVALID,
	RPC_REQUEST,
	RPC_NOTIFICATION,
	RPC_RESPONSE		/* the client answers one of our requests */
};

struct rpcmsg {
	int		 kind;		/* enum rpc_kind */
	json_t		*msg;
	json_t		*id;		/* NULL for a notification */
	const char	*method;
	json_t		*params;	/* NULL when absent */
	json_t		*result;	/* of a response */
	json_t		*rpcerror;	/* of a response */
	json_t		*error;		/* to send back, for RPC_INVALID */
};

int	 rpc_parse(const char *, size_t, struct rpcmsg *);
void	 rpc_clear(struct rpcmsg *);
json_t	*rpc_error(json_t *, int, const char *, ...)
	    __attribute__((__format__ (printf, 3, 4)));
json_t	*rpc_result(json_t *, json_t *);
json_t	*rpc_message(json_t *, const char *, json_t *);

/* mcp.c: serve MCP on the client's standard input (see mcp-int.h). */
#define MCP_LINE_MAX		(8 * 1024 * 1024)

void	 mcp_start(int);

#endif /* UI_H */
