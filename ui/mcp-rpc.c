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
 * JSON-RPC 2.0 messages of the MCP server, one per line: classifying a
 * line the client sent, and building the messages we send.  No I/O and
 * no state, so that the parser of untrusted input can be tested and
 * fuzzed on its own.
 */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ui/ui.h"

static int	 rpc_id_ok(json_t *);
static int	 rpc_invalid(struct rpcmsg *, json_t *, int, const char *);

/* Only an integer or a string names a request; MCP forbids null. */
static int
rpc_id_ok(json_t *id)
{
	return json_is_string(id) || json_is_integer(id);
}

static int
rpc_invalid(struct rpcmsg *m, json_t *id, int code, const char *why)
{
	m->kind = RPC_INVALID;
	m->error = rpc_error(id, code, "%s", why);
	return m->kind;
}

/*
 * Classify one line (without its newline).  On return m->kind says what
 * it is; for RPC_INVALID m->error is the error response to send.  The
 * caller releases m with rpc_clear() in every case.
 */
int
rpc_parse(const char *line, size_t len, struct rpcmsg *m)
{
	json_error_t	 jerr;
	json_t		*o, *v, *id;

	memset(m, 0, sizeof(*m));
	while (len > 0 && (line[len - 1] == '\r' || line[len - 1] == ' ' ||
	    line[len - 1] == '\t'))
		len--;
	if (len == 0)
		return m->kind = RPC_EMPTY;
	/* A scalar is JSON but no request: -32600, not -32700. */
	if ((o = json_loadb(line, len, JSON_REJECT_DUPLICATES |
	    JSON_DECODE_ANY, &jerr)) == NULL) {
		m->kind = RPC_INVALID;
		m->error = rpc_error(json_null(), RPC_PARSE_ERROR,
		    "Parse error: %s", jerr.text);
		return m->kind;
	}
	m->msg = o;
	if (json_is_array(o))
		return rpc_invalid(m, json_null(), RPC_INVALID_REQUEST,
		    "Invalid request: batches are not supported");
	if (!json_is_object(o))
		return rpc_invalid(m, json_null(), RPC_INVALID_REQUEST,
		    "Invalid request: a message must be an object");
	id = json_object_get(o, "id");
	if (id != NULL && !rpc_id_ok(id))
		return rpc_invalid(m, json_null(), RPC_INVALID_REQUEST,
		    "Invalid request: id must be a string or an integer");
	v = json_object_get(o, "jsonrpc");
	if (!json_is_string(v) || strcmp(json_string_value(v), "2.0") != 0)
		return rpc_invalid(m, id, RPC_INVALID_REQUEST,
		    "Invalid request: jsonrpc must be \"2.0\"");
	m->id = id;
	v = json_object_get(o, "method");
	if (v == NULL) {
		if (id == NULL || (json_object_get(o, "result") == NULL) ==
		    (json_object_get(o, "error") == NULL))
			return rpc_invalid(m, id, RPC_INVALID_REQUEST,
			    "Invalid request: no method");
		m->result = json_object_get(o, "result");
		m->rpcerror = json_object_get(o, "error");
		return m->kind = RPC_RESPONSE;
	}
	if (!json_is_string(v) || json_string_length(v) == 0)
		return rpc_invalid(m, id, RPC_INVALID_REQUEST,
		    "Invalid request: method must be a non-empty string");
	m->method = json_string_value(v);
	m->params = json_object_get(o, "params");
	if (m->params != NULL && !json_is_object(m->params) &&
	    !json_is_array(m->params))
		return rpc_invalid(m, id, RPC_INVALID_REQUEST,
		    "Invalid request: params must be an object");
	return m->kind = id == NULL ? RPC_NOTIFICATION : RPC_REQUEST;
}

void
rpc_clear(struct rpcmsg *m)
{
	json_decref(m->msg);
	json_decref(m->error);
	memset(m, 0, sizeof(*m));
}

/* An error response; id may be NULL for null. */
json_t *
rpc_error(json_t *id, int code, const char *fmt, ...)
{
	va_list	 ap;
	char	 msg[512], *p;
	json_t	*o;

	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/*
	 * The text may quote the client's bytes (jansson's parse errors
	 * do), and vsnprintf may cut a character in half: keep it ASCII so
	 * the error can always be sent.
	 */
	for (p = msg; *p != '\0'; p++)
		if ((unsigned char)*p >= 0x80 || (unsigned char)*p < 0x20)
			*p = '?';
	o = json_pack("{s:s, s:O, s:{s:i, s:s}}", "jsonrpc", "2.0", "id",
	    id != NULL ? id : json_null(), "error", "code", code, "message",
	    msg);
	return o;
}

/* A result response; takes over the reference to result. */
json_t *
rpc_result(json_t *id, json_t *result)
{
	return json_pack("{s:s, s:O, s:o}", "jsonrpc", "2.0", "id", id,
	    "result", result != NULL ? result : json_object());
}

/* A notification or, with an id, a request; takes over params. */
json_t *
rpc_message(json_t *id, const char *method, json_t *params)
{
	json_t	*o;

	o = json_pack("{s:s, s:s, s:o}", "jsonrpc", "2.0", "method", method,
	    "params", params != NULL ? params : json_object());
	if (o != NULL && id != NULL && json_object_set(o, "id", id) == -1) {
		json_decref(o);
		return NULL;
	}
	return o;
}
