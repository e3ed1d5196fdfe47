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
 * The MCP server's JSON-RPC line parser (ui/mcp-rpc.c).  Whatever the
 * line, rpc_parse() gives a known kind; an invalid line gets an error
 * response with an integer code and a string message that serialises
 * (it is written back to the client as it is); a request has a method
 * and a string or integer id, a notification a method and no id, a
 * response an id and exactly one of result and error.  The TAP test
 * regress/mcp/rpc-test.c checks the same rules on fixed cases.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ui/ui.h"
#include "regress/fuzz/fuzz.h"

static int	 check_error(json_t *);

/* The error response must have a code and a message and serialise. */
static int
check_error(json_t *resp)
{
	json_t	*e;
	char	*s;

	e = json_object_get(resp, "error");
	if (!json_is_integer(json_object_get(e, "code")) ||
	    !json_is_string(json_object_get(e, "message")))
		return 1;
	if ((s = json_dumps(resp, JSON_COMPACT)) == NULL)
		return 1;
	free(s);
	return 0;
}

/*
 * What must hold for any line: a known kind; an error response that
 * serialises, with a code and a message, for an invalid line; a method
 * and a well-typed id for a request; an id and exactly one of result and
 * error for a response.  Returns 0 when all hold; rpc-test uses it too.
 */
int
fuzz_mcp_broken(const char *buf, size_t len)
{
	struct rpcmsg	 m;
	int		 bad;

	switch (rpc_parse(buf, len, &m)) {
	case RPC_EMPTY:
		bad = m.msg != NULL;
		break;
	case RPC_INVALID:
		bad = check_error(m.error);
		break;
	case RPC_REQUEST:
		bad = m.method == NULL || (!json_is_string(m.id) &&
		    !json_is_integer(m.id));
		break;
	case RPC_NOTIFICATION:
		bad = m.method == NULL || m.id != NULL;
		break;
	case RPC_RESPONSE:
		bad = m.id == NULL || (m.result == NULL) ==
		    (m.rpcerror == NULL);
		break;
	default:
		bad = 1;
	}
	rpc_clear(&m);
	return bad;
}

int
fuzz_mcp(const uint8_t *buf, size_t len)
{
	if (fuzz_mcp_broken((const char *)buf, len)) {
		(void)fprintf(stderr, "mcp-fuzz: invariant broken\n");
		abort();
	}
	return 0;
}

#ifdef FUZZ_LIBFUZZER
int
LLVMFuzzerTestOneInput(const uint8_t *buf, size_t len)
{
	return fuzz_mcp(buf, len);
}
#endif
