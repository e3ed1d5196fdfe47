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
 * The MCP server's JSON-RPC line parser (ui/mcp-rpc.c), as a TAP test:
 * fixed cases, then mutations of them checked against the parser's
 * invariants.  The libFuzzer harness is regress/fuzz/mcp-fuzz.c.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "regress/fuzz/fuzz.h"
#include "ui/ui.h"



static const struct {
	const char	*line;
	int		 kind;
	int		 code;		/* of an invalid line */
} cases[] = {
	{ "", RPC_EMPTY, 0 },
	/* Found by the fuzzer: invalid UTF-8 quoted in the parse error. */
	{ "{\"jcon\\u000\xd0\x8d\x8b\xc5\"c\"\"}", RPC_INVALID, -32700 },
	{ " \r", RPC_EMPTY, 0 },
	{ "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}", RPC_REQUEST,
	    0 },
	{ "{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"method\":\"ping\"}\r",
	    RPC_REQUEST, 0 },
	{ "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}",
	    RPC_NOTIFICATION, 0 },
	{ "{\"jsonrpc\":\"2.0\",\"id\":0,\"result\":{}}", RPC_RESPONSE, 0 },
	{ "{\"jsonrpc\":\"2.0\",\"id\":0,\"error\":{\"code\":1}}",
	    RPC_RESPONSE, 0 },
	{ "nope", RPC_INVALID, RPC_PARSE_ERROR },
	{ "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"a\"} x", RPC_INVALID,
	    RPC_PARSE_ERROR },
	{ "{\"jsonrpc\":\"2.0\",\"id\":1,\"id\":2,\"method\":\"a\"}",
	    RPC_INVALID, RPC_PARSE_ERROR },
	{ "[]", RPC_INVALID, RPC_INVALID_REQUEST },
	{ "42", RPC_INVALID, RPC_INVALID_REQUEST },
	{ "{\"id\":1,\"method\":\"ping\"}", RPC_INVALID,
	    RPC_INVALID_REQUEST },
	{ "{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"ping\"}",
	    RPC_INVALID, RPC_INVALID_REQUEST },
	{ "{\"jsonrpc\":\"2.0\",\"id\":1.5,\"method\":\"ping\"}",
	    RPC_INVALID, RPC_INVALID_REQUEST },
	{ "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"\"}", RPC_INVALID,
	    RPC_INVALID_REQUEST },
	{ "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"a\",\"params\":3}",
	    RPC_INVALID, RPC_INVALID_REQUEST },
	{ "{\"jsonrpc\":\"2.0\",\"id\":1}", RPC_INVALID,
	    RPC_INVALID_REQUEST },
	{ "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":1,\"error\":{}}",
	    RPC_INVALID, RPC_INVALID_REQUEST },
};

int
main(void)
{
	struct rpcmsg	 m;
	char		 buf[256];
	size_t		 i, j, len, ncase = sizeof(cases) / sizeof(cases[0]);
	int		 n = 0, fail = 0, bad, k, code;

	printf("1..%zu\n", ncase + 1);
	for (i = 0; i < ncase; i++) {
		k = rpc_parse(cases[i].line, strlen(cases[i].line), &m);
		code = (int)json_integer_value(json_object_get(
		    json_object_get(m.error, "error"), "code"));
		bad = k != cases[i].kind || (k == RPC_INVALID &&
		    code != cases[i].code);
		rpc_clear(&m);
		fail += bad;
		printf("%sok %d - %s\n", bad ? "not " : "", ++n,
		    cases[i].line);
	}
	/* Every case cut short and with each byte changed: no invariant
	   may break, whatever the bytes. */
	bad = 0;
	for (i = 0; i < ncase; i++) {
		len = strlen(cases[i].line);
		for (j = 0; j <= len && len < sizeof(buf); j++) {
			bad += fuzz_mcp_broken(cases[i].line, j);
			memcpy(buf, cases[i].line, len);
			for (k = 0; k < 256 && j < len; k += 7) {
				buf[j] = (char)k;
				bad += fuzz_mcp_broken(buf, len);
			}
		}
	}
	fail += bad != 0;
	printf("%sok %d - invariants hold for cut and mutated lines\n",
	    bad ? "not " : "", ++n);
	return fail != 0;
}
