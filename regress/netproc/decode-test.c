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
 * TAP test of netproc's wire formats without any network: recorded
 * Responses and Chat Completions streams decoded whole, split at every
 * byte, a byte at a time and with CRLF line ends must give the same
 * events; failures are classified; request bodies have Codex's shape.
 */

#include <sys/types.h>
#include <sys/stat.h>

#include <err.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "netproc/netproc.h"
#include "netproc/sse.h"

static int	 ntest, nfail;
static char	*out;
static size_t	 outlen;

static void	 ok(int, const char *);
static char	*slurp(const char *, size_t *);
static void	 emit(void *, json_t *);
static void	 on_sse(const char *, const char *, size_t, void *);
static char	*decode(const char *, size_t, int, size_t, size_t, int *);
static char	*crlf(const char *, size_t, size_t *);
static int	 count(const char *, const char *);
static void	 stream_tests(const char *, int, const char *);
static void	 failure_tests(void);
static void	 chat_tests(void);
static void	 body_tests(void);
static void	 one(struct decoder *, int, const char *);
static void	 more(struct decoder *, const char *);
static char	*decode_one(const char *, int, size_t *);
static int	 all_json(const char *);
static void	 fast_tests(void);
static void	 fuzz_tests(void);

static void
ok(int cond, const char *what)
{
	ntest++;
	if (!cond)
		nfail++;
	(void)printf("%sok %d - %s\n", cond ? "" : "not ", ntest, what);
}

static char *
slurp(const char *path, size_t *lenp)
{
	struct stat	 sb;
	char		*b;
	int		 fd;

	if ((fd = open(path, O_RDONLY)) == -1 || fstat(fd, &sb) == -1)
		err(1, "%s", path);
	if ((b = malloc(sb.st_size + 1)) == NULL)
		err(1, NULL);
	if (read(fd, b, sb.st_size) != sb.st_size)
		err(1, "%s", path);
	b[sb.st_size] = '\0';
	(void)close(fd);
	*lenp = sb.st_size;
	return b;
}

/* Events are collected as JSON lines. */
static void
emit(void *arg, json_t *ev)
{
	char	*s;
	size_t	 n;

	(void)arg;
	s = event_text(ev, &n);
	if ((out = realloc(out, outlen + n + 2)) == NULL)
		err(1, NULL);
	memcpy(out + outlen, s, n);
	out[outlen + n] = '\n';
	outlen += n + 1;
	out[outlen] = '\0';
	free(s);
	json_decref(ev);
}

static void
on_sse(const char *name, const char *data, size_t len, void *arg)
{
	(void)name;
	decoder_data(arg, data, len);
}

/*
 * Decode a stream fed in two pieces split at split, or step bytes at a
 * time when step is not 0.  Returns the events; *end says how it ended.
 */
static char *
decode(const char *s, size_t len, int wire, size_t split, size_t step,
    int *end)
{
	struct decoder	 d;
	struct sse	*p;
	size_t		 i, n;

	free(out);
	out = NULL;
	outlen = 0;
	decoder_init(&d, wire, emit, NULL);
	if ((p = sse_new(1 << 20, on_sse, &d)) == NULL)
		err(1, "sse_new");
	if (step == 0) {
		if (sse_feed(p, s, split) == -1 ||
		    sse_feed(p, s + split, len - split) == -1)
			errx(1, "sse: %s", sse_error(p));
	} else
		for (i = 0; i < len; i += n) {
			n = len - i < step ? len - i : step;
			if (sse_feed(p, s + i, n) == -1)
				errx(1, "sse: %s", sse_error(p));
		}
	if (sse_finish(p) == -1)
		errx(1, "sse_finish: %s", sse_error(p));
	decoder_eof(&d);
	*end = d.end;
	decoder_clear(&d);
	sse_free(p);
	return strdup(out != NULL ? out : "");
}

static char *
crlf(const char *s, size_t len, size_t *nlen)
{
	char	*b;
	size_t	 i, n = 0;

	if ((b = malloc(2 * len + 1)) == NULL)
		err(1, NULL);
	for (i = 0; i < len; i++) {
		if (s[i] == '\n')
			b[n++] = '\r';
		b[n++] = s[i];
	}
	b[n] = '\0';
	*nlen = n;
	return b;
}

static int
count(const char *hay, const char *needle)
{
	int	n = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay++;
	}
	return n;
}

static void
stream_tests(const char *file, int wire, const char *name)
{
	char	*s, *whole, *got, *c, what[256];
	size_t	 len, clen, i;
	int	 end, same = 1;

	s = slurp(file, &len);
	whole = decode(s, len, wire, len, 0, &end);
	(void)snprintf(what, sizeof(what), "%s: completed, 4 items, the "
	    "text and the calls whole", name);
	ok(end == DEC_COMPLETED && count(whole, "\"item_done\"") == 4 &&
	    count(whole, "\"type\":\"completed\"") == 1 &&
	    strstr(whole, "\"call_id\":\"call_abc\"") != NULL &&
	    strstr(whole, "{\\\"command\\\":[\\\"ls\\\",\\\"-l\\\"]}") !=
	    NULL && strstr(whole, "\"total_tokens\":120") != NULL, what);
	for (i = 0; i <= len && same; i++) {
		got = decode(s, len, wire, i, 0, &end);
		same = strcmp(got, whole) == 0 && end == DEC_COMPLETED;
		free(got);
	}
	(void)snprintf(what, sizeof(what), "%s: same events split at every "
	    "byte", name);
	ok(same, what);
	got = decode(s, len, wire, 0, 1, &end);
	(void)snprintf(what, sizeof(what), "%s: same events a byte at a "
	    "time", name);
	ok(strcmp(got, whole) == 0, what);
	free(got);
	c = crlf(s, len, &clen);
	for (i = 0, same = 1; i <= clen && same; i += 7) {
		got = decode(c, clen, wire, i, 0, &end);
		same = strcmp(got, whole) == 0;
		free(got);
	}
	(void)snprintf(what, sizeof(what), "%s: same events with CRLF", name);
	ok(same, what);
	got = decode(s, len / 2, wire, len / 2, 0, &end);
	(void)snprintf(what, sizeof(what), "%s: a cut stream does not "
	    "complete", name);
	ok(end != DEC_COMPLETED, what);
	free(got);
	free(c);
	free(whole);
	free(s);
}

/* Feed one data payload to a fresh decoder; return it for inspection. */
static void
one(struct decoder *d, int wire, const char *data)
{
	free(out);
	out = NULL;
	outlen = 0;
	decoder_init(d, wire, emit, NULL);
	decoder_data(d, data, strlen(data));
}

static void
more(struct decoder *d, const char *data)
{
	decoder_data(d, data, strlen(data));
}

static void
failure_tests(void)
{
	struct decoder	 d;

	one(&d, NP_WIRE_RESPONSES, "{\"type\":\"response.failed\","
	    "\"response\":{\"error\":{\"code\":\"context_length_exceeded\","
	    "\"message\":\"too long\"}}}");
	ok(d.end == DEC_FAILED && d.fail_kind != NULL &&
	    strcmp(d.fail_kind, "context_length_exceeded") == 0,
	    "context_length_exceeded is final");
	decoder_clear(&d);
	one(&d, NP_WIRE_RESPONSES, "{\"type\":\"response.failed\","
	    "\"response\":{\"error\":{\"code\":\"server_is_overloaded\","
	    "\"message\":\"busy\"}}}");
	ok(d.end == DEC_FAILED && d.fail_kind != NULL &&
	    strcmp(d.fail_kind, "server_overloaded") == 0,
	    "server_is_overloaded is final");
	decoder_clear(&d);
	one(&d, NP_WIRE_RESPONSES, "{\"type\":\"response.failed\","
	    "\"response\":{\"error\":{\"code\":\"rate_limit_exceeded\","
	    "\"message\":\"Rate limit reached. Please try again in "
	    "1.5s.\"}}}");
	ok(d.end == DEC_FAILED && d.fail_kind == NULL &&
	    d.fail_delay_ms == 1500, "rate_limit_exceeded is retryable, "
	    "with the hinted delay");
	decoder_clear(&d);
	one(&d, NP_WIRE_RESPONSES, "{\"type\":\"response.incomplete\","
	    "\"response\":{\"incomplete_details\":{\"reason\":"
	    "\"max_output_tokens\"}}}");
	ok(d.end == DEC_FAILED && d.fail_kind == NULL &&
	    strstr(d.fail_message, "max_output_tokens") != NULL,
	    "response.incomplete is a retryable failure with its reason");
	decoder_clear(&d);
	ok(retry_hint_ms("please TRY AGAIN IN 20ms") == 20 &&
	    retry_hint_ms("try again in 3 seconds") == 3000 &&
	    retry_hint_ms("try again in 2s") == 2000 &&
	    retry_hint_ms("try again later") == -1, "try-again hints");
	one(&d, NP_WIRE_RESPONSES, "{\"type\":\"response.output_text.delta\","
	    "\"delta\":");
	more(&d, "{\"type\":\"response.output_text.delta\","
	    "\"delta\":\"x\"}");
	ok(d.end == DEC_OPEN && count(out, "text_delta") == 1,
	    "a data line that is not JSON is skipped");
	decoder_clear(&d);
	free(out);
	out = NULL;
	outlen = 0;
	one(&d, NP_WIRE_RESPONSES, "{\"type\":\"response.output_item.done\","
	    "\"item\":{\"type\":\"function_call\"}}");
	ok(d.items_done == 1, "item_done events are counted");
	decoder_clear(&d);
}

static void
chat_tests(void)
{
	struct decoder	 d;
	json_t		*in, *msgs;
	char		*s;
	const char	*want;

	free(out);
	out = NULL;
	outlen = 0;
	one(&d, NP_WIRE_CHAT, "{\"choices\":[{\"delta\":{\"tool_calls\":"
	    "[{\"id\":\"c1\",\"function\":{\"name\":\"shell\",\"arguments\":"
	    "\"{\\\"a\\\"\"}}]}}]}");
	more(&d, "{\"choices\":[{\"delta\":{\"tool_calls\":[{"
	    "\"function\":{\"arguments\":\":1}\"}}]}}]}");
	more(&d, "{\"choices\":[{\"delta\":{\"tool_calls\":[{"
	    "\"id\":\"c2\",\"function\":{\"name\":\"x\",\"arguments\":\"{}\"}}]},"
	    "\"finish_reason\":\"tool_calls\"}]}");
	more(&d, "[DONE]");
	ok(d.end == DEC_COMPLETED && strstr(out, "\"arguments\":"
	    "\"{\\\"a\\\":1}\",\"call_id\":\"c1\"") != NULL &&
	    strstr(out, "\"call_id\":\"c2\"") != NULL,
	    "chat tool calls without index: by id, then the last one");
	decoder_clear(&d);
	one(&d, NP_WIRE_CHAT, "{\"choices\":[{\"delta\":{},"
	    "\"finish_reason\":\"length\"}]}");
	ok(d.end == DEC_FAILED && d.fail_kind != NULL &&
	    strcmp(d.fail_kind, "context_length_exceeded") == 0,
	    "chat finish_reason length is final");
	decoder_clear(&d);
	in = json_loads("[{\"type\":\"message\",\"role\":\"user\",\"content\":"
	    "[{\"type\":\"input_text\",\"text\":\"do\"}]},"
	    "{\"type\":\"reasoning\",\"summary\":[],\"content\":[{\"type\":"
	    "\"reasoning_text\",\"text\":\"hm\"}]},"
	    "{\"type\":\"function_call\",\"name\":\"a\",\"arguments\":\"{}\","
	    "\"call_id\":\"c1\"},"
	    "{\"type\":\"function_call\",\"name\":\"b\",\"arguments\":\"{}\","
	    "\"call_id\":\"c2\"},"
	    "{\"type\":\"function_call_output\",\"call_id\":\"c1\",\"output\":"
	    "\"one\"},"
	    "{\"type\":\"function_call_output\",\"call_id\":\"c2\",\"output\":"
	    "\"two\"},"
	    "{\"type\":\"message\",\"role\":\"assistant\",\"content\":[{"
	    "\"type\":\"output_text\",\"text\":\"done\"}]}]", 0, NULL);
	msgs = chat_messages(in, "sys");
	s = json_dumps(msgs, JSON_COMPACT);
	want = "[{\"role\":\"system\",\"content\":\"sys\"},"
	    "{\"role\":\"user\",\"content\":\"do\"},"
	    "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":["
	    "{\"id\":\"c1\",\"type\":\"function\",\"function\":{\"name\":\"a\","
	    "\"arguments\":\"{}\"}},{\"id\":\"c2\",\"type\":\"function\","
	    "\"function\":{\"name\":\"b\",\"arguments\":\"{}\"}}],"
	    "\"reasoning\":\"hm\"},"
	    "{\"role\":\"tool\",\"tool_call_id\":\"c1\",\"content\":\"one\"},"
	    "{\"role\":\"tool\",\"tool_call_id\":\"c2\",\"content\":\"two\"},"
	    "{\"role\":\"assistant\",\"content\":\"done\"}]";
	ok(s != NULL && strcmp(s, want) == 0, "history to chat messages: "
	    "calls merged, outputs as role tool, reasoning re-attached");
	if (s != NULL && strcmp(s, want) != 0)
		(void)printf("# got  %s\n# want %s\n", s, want);
	free(s);
	json_decref(msgs);
	json_decref(in);
}

static void
body_tests(void)
{
	struct np_provider	 p;
	json_t			*req, *b;
	const char		*k, *order[] = { "model", "instructions",
				    "stream", "input", "tools", "tool_choice",
				    "parallel_tool_calls", "reasoning", "store",
				    "include", "prompt_cache_key", "text", NULL };
	json_t			*v;
	char			*s;
	size_t			 len;
	int			 i = 0, inorder = 1;

	memset(&p, 0, sizeof(p));
	req = json_loads("{\"text\":{\"verbosity\":\"low\"},\"session_id\":"
	    "\"S\",\"reasoning\":{\"effort\":\"high\"},\"tools\":[{\"type\":"
	    "\"custom\",\"name\":\"apply_patch\"},{\"type\":\"function\","
	    "\"name\":\"shell\",\"parameters\":{}}],\"input\":[],"
	    "\"instructions\":\"I\",\"model\":\"m\",\"previous_response_id\":"
	    "\"r\"}", 0, NULL);
	s = responses_body(&p, req, NULL, 0, &len);
	b = json_loads(s, 0, NULL);
	json_object_foreach(b, k, v)
		if (order[i] == NULL || strcmp(order[i++], k) != 0)
			inorder = 0;
	ok(inorder && order[i] == NULL, "Responses body fields in Codex's "
	    "order, no previous_response_id");
	ok(json_is_false(json_object_get(b, "store")) &&
	    strstr(s, "\"include\":[\"reasoning.encrypted_content\"]") !=
	    NULL && strstr(s, "\"prompt_cache_key\":\"S\"") != NULL &&
	    strstr(s, "\"tool_choice\":\"auto\"") != NULL,
	    "store false, include with reasoning, prompt_cache_key");
	free(s);
	json_decref(b);
	/* The history spliced in as text, past a look-alike in a string. */
	json_object_set_new(req, "instructions",
	    json_string("say \"input\":null"));
	s = responses_body(&p, req, "[{\"a\":1}]", 9, &len);
	b = json_loads(s, 0, NULL);
	i = 0;
	json_object_foreach(b, k, v)
		if (order[i] == NULL || strcmp(order[i++], k) != 0)
			inorder = 0;
	ok(b != NULL && len == strlen(s) && inorder && strcmp(
	    json_string_value(json_object_get(b, "instructions")),
	    "say \"input\":null") == 0 && json_integer_value(json_object_get(
	    json_array_get(json_object_get(b, "input"), 0), "a")) == 1,
	    "the history's text is spliced in where the input goes");
	free(s);
	json_decref(b);
	p.azure = 1;
	json_object_set_new(req, "reasoning", json_null());
	s = responses_body(&p, req, NULL, 0, &len);
	ok(strstr(s, "\"store\":true") != NULL && strstr(s,
	    "\"include\":[]") != NULL && strstr(s, "\"reasoning\":null") !=
	    NULL, "Azure stores; no reasoning, no include");
	free(s);
	s = chat_body(&p, req, &len);
	ok(strstr(s, "apply_patch") == NULL && strstr(s, "\"name\":"
	    "\"shell\"") != NULL && strstr(s, "\"stream\":true") != NULL,
	    "chat body keeps function tools only");
	free(s);
	json_decref(req);
}

/*
 * Delta events through the fast path and through jansson must give the
 * same bytes; fast says whether the fast path should take the event.
 */
#define TD	"{\"type\":\"response.output_text.delta\","
#define RS	"{\"type\":\"response.reasoning_summary_text.delta\","
#define RT	"{\"type\":\"response.reasoning_text.delta\","
static const struct {
	const char	*what;
	const char	*data;
	int		 fast;
} fast_cases[] = {
	{ "plain text delta", TD "\"item_id\":\"msg_1\",\"output_index\":0,"
	    "\"content_index\":0,\"delta\":\"hello\"}", 1 },
	{ "delta before type, extra fields", "{\"delta\":\"x\",\"sequence_"
	    "number\":12,\"logprobs\":[],\"obfuscation\":\"a\\\"b\",\"type\":"
	    "\"response.output_text.delta\"}", 1 },
	{ "no item_id", TD "\"delta\":\"x\"}", 1 },
	{ "white space everywhere", " \r\n{ \"type\" :\t\"response.output_"
	    "text.delta\" , \"delta\" : \"x\" ,\"item_id\":\"m\" }\n ", 1 },
	{ "nested extra fields", TD "\"delta\":\"x\",\"a\":{\"b\":[1,-2,true,"
	    "false,null,\"s\",{}],\"b\":{}}}", 1 },
	{ "escapes jansson writes", TD "\"delta\":\"a\\\"b\\\\c\\n\\t\\r\\b"
	    "\\f\\u0001\\u001F\"}", 1 },
	{ "escapes jansson rewrites", TD "\"delta\":\"\\/ \\u00e9 \\u0041 "
	    "\\u001f \\u000a \\u0022 \\u005c \\u00E9 \\u2028 \\u007f\"}", 1 },
	{ "\\u0041 alone", TD "\"delta\":\"\\u0041\"}", 1 },
	{ "\\u00E9 alone", TD "\"delta\":\"\\u00E9\"}", 1 },
	{ "\\u000A alone", TD "\"delta\":\"\\u000A\"}", 1 },
	{ "\\u005C alone", TD "\"delta\":\"\\u005C\"}", 1 },
	{ "\\/ alone", TD "\"delta\":\"\\/\"}", 1 },
	{ "surrogate pairs", TD "\"delta\":\"\\ud83d\\ude00 \\uD83D\\uDE00 "
	    "\\udbff\\udfff\"}", 1 },
	{ "raw UTF-8 and DEL", TD "\"delta\":\"\xc3\xa9 \xf0\x9f\x98\x80 "
	    "\xe4\xb8\xad \xf4\x8f\xbf\xbf \x7f\"}", 1 },
	{ "item_id with escapes", TD "\"item_id\":\"m\\u0041\\/\","
	    "\"delta\":\"x\"}", 1 },
	{ "reasoning summary delta", RS "\"item_id\":\"rs_1\","
	    "\"summary_index\":3,\"delta\":\"think\"}", 1 },
	{ "reasoning text delta", RT "\"content_index\":12,\"delta\":\"t\"}",
	    1 },
	{ "empty delta", TD "\"delta\":\"\"}", 1 },
	{ "lone high surrogate", TD "\"delta\":\"\\ud800\"}", 0 },
	{ "high surrogate then text", TD "\"delta\":\"\\ud800xxxxxx\"}", 0 },
	{ "lone low surrogate", TD "\"delta\":\"\\udc00\"}", 0 },
	{ "reversed surrogates", TD "\"delta\":\"\\ude00\\ud83d\"}", 0 },
	{ "\\u0000", TD "\"delta\":\"a\\u0000b\"}", 0 },
	{ "raw control character", TD "\"delta\":\"a\x01 b\"}", 0 },
	{ "raw newline", TD "\"delta\":\"a\nb\"}", 0 },
	{ "overlong UTF-8", TD "\"delta\":\"\xc0\x80\"}", 0 },
	{ "UTF-8 surrogate", TD "\"delta\":\"\xed\xa0\x80\"}", 0 },
	{ "UTF-8 above U+10FFFF", TD "\"delta\":\"\xf4\x90\x80\x80\"}", 0 },
	{ "byte 0xF5", TD "\"delta\":\"\xf5\x80\x80\x80\"}", 0 },
	{ "truncated UTF-8", TD "\"delta\":\"\xe4\xb8\"}", 0 },
	{ "stray continuation byte", TD "\"delta\":\"\x80\"}", 0 },
	{ "truncated string", TD "\"delta\":\"abc", 0 },
	{ "truncated after backslash", TD "\"delta\":\"abc\\", 0 },
	{ "truncated \\u", TD "\"delta\":\"\\u12\"}", 0 },
	{ "bad escape", TD "\"delta\":\"\\x41\"}", 0 },
	{ "bad hex digit", TD "\"delta\":\"\\u12G4\"}", 0 },
	{ "trailing garbage", TD "\"delta\":\"x\"} x", 0 },
	{ "trailing comma", TD "\"delta\":\"x\",}", 0 },
	{ "missing comma", TD "\"delta\":\"x\" \"item_id\":\"m\"}", 0 },
	{ "missing colon", TD "\"delta\" \"x\"}", 0 },
	{ "duplicate delta", TD "\"delta\":\"x\",\"delta\":\"y\"}", 0 },
	{ "duplicate type", TD "\"delta\":\"x\",\"type\":\"response."
	    "reasoning_text.delta\"}", 0 },
	{ "escaped key", TD "\"delt\\u0061\":\"x\"}", 0 },
	{ "escaped type", "{\"type\":\"response.output_text\\u002edelta\","
	    "\"delta\":\"x\"}", 0 },
	{ "real number field", TD "\"delta\":\"x\",\"n\":1.5}", 0 },
	{ "exponent field", TD "\"delta\":\"x\",\"n\":1e999}", 0 },
	{ "huge integer field", TD "\"delta\":\"x\",\"n\":"
	    "99999999999999999999}", 0 },
	{ "leading zero", TD "\"delta\":\"x\",\"n\":01}", 0 },
	{ "bad literal", TD "\"delta\":\"x\",\"n\":tru}", 0 },
	{ "deep nesting", TD "\"delta\":\"x\",\"n\":[[[[[[[[[[[[1]]]]]]]]]]]]}",
	    0 },
	{ "delta not a string", TD "\"delta\":42}", 0 },
	{ "delta missing", TD "\"item_id\":\"m\"}", 0 },
	{ "item_id not a string", TD "\"item_id\":7,\"delta\":\"x\"}", 0 },
	{ "index as a string", RS "\"summary_index\":\"3\",\"delta\":\"x\"}",
	    0 },
	{ "negative index", RS "\"summary_index\":-1,\"delta\":\"x\"}", 0 },
	{ "index -0", RT "\"content_index\":-0,\"delta\":\"x\"}", 0 },
	{ "other event type", "{\"type\":\"response.output_item.added\","
	    "\"item\":{\"type\":\"message\"}}", 0 },
	{ "not an object", "[\"response.output_text.delta\"]", 0 },
	{ NULL, NULL, 0 }
};

/* Decode one payload with or without the fast path. */
static char *
decode_one(const char *data, int fastpath, size_t *nfast)
{
	struct decoder	 d;
	size_t		 before = decoder_fast_events;

	decoder_fastpath = fastpath;
	free(out);
	out = NULL;
	outlen = 0;
	decoder_init(&d, NP_WIRE_RESPONSES, emit, NULL);
	decoder_data(&d, data, strlen(data));
	decoder_clear(&d);
	decoder_fastpath = 1;
	*nfast = decoder_fast_events - before;
	return strdup(out != NULL ? out : "");
}

/* Every line of events is JSON jansson reads. */
static int
all_json(const char *s)
{
	const char	*nl;
	json_t		*j;

	for (; *s != '\0'; s = nl + 1) {
		if ((nl = strchr(s, '\n')) == NULL ||
		    (j = json_loadb(s, nl - s, 0, NULL)) == NULL)
			return 0;
		json_decref(j);
	}
	return 1;
}

static void
fast_tests(void)
{
	char	*f, *j, what[256];
	size_t	 nf, nj;
	int	 i;

	for (i = 0; fast_cases[i].what != NULL; i++) {
		f = decode_one(fast_cases[i].data, 1, &nf);
		j = decode_one(fast_cases[i].data, 0, &nj);
		(void)snprintf(what, sizeof(what), "fast path %s: %s",
		    fast_cases[i].fast ? "takes" : "declines",
		    fast_cases[i].what);
		ok(strcmp(f, j) == 0 && nj == 0 && nf ==
		    (size_t)fast_cases[i].fast && all_json(f) &&
		    (!fast_cases[i].fast || count(f, "delta") == 2), what);
		if (strcmp(f, j) != 0)
			(void)printf("# fast:    %s# jansson: %s", f, j);
		free(f);
		free(j);
	}
}

/*
 * Random delta bodies made of the bytes that matter to a JSON string
 * scanner: every one must give the same events on both paths.
 */
static void
fuzz_tests(void)
{
	static const char *const atoms[] = { "a", "\"", "\\", "\\\\",
	    "\\\"", "\\/", "\\n", "\\u", "\\u00", "\\u0000", "\\u001f",
	    "\\u001F", "\\u00e9", "\\u0041", "\\u00E9", "\\u0022",
	    "\\u005C", "\\u000A", "\\u000a", "\\u0009", "\\u007F", "\\ud83d", "\\ude00", "\\uD83D\\uDE00",
	    "\\uDBFF", "0", "9", "f", "G", "\x01", "\x1f", "\x7f", "\x80",
	    "\xbf", "\xc2", "\xc3\xa9", "\xe0\xa0", "\xed\xa0\x80", "\xef",
	    "\xf0\x9f\x98\x80", "\xf4\x90", "\xff", "}", "{", ",", ":",
	    " ", "\\x" };
	char	 data[512], body[256], *f, *j;
	size_t	 nf, nj, fast = 0, i, n, k;
	int	 same = 1, valid = 1;

	srandom(4);
	for (i = 0; i < 20000 && same; i++) {
		body[0] = '\0';
		n = random() % 12;
		for (k = 0; k < n; k++)
			(void)strlcat(body, atoms[random() % (sizeof(atoms) /
			    sizeof(atoms[0]))], sizeof(body));
		(void)snprintf(data, sizeof(data), TD "\"item_id\":\"%s\","
		    "\"delta\":\"%s\"%s", i % 3 == 0 ? "m" : body, body,
		    i % 7 == 0 ? "" : "}");
		f = decode_one(data, 1, &nf);
		j = decode_one(data, 0, &nj);
		fast += nf;
		same = strcmp(f, j) == 0;
		valid = valid && all_json(f);
		if (!same)
			(void)printf("# differ on %s\n# fast:    %s# jansson: "
			    "%s", data, f, j);
		free(f);
		free(j);
	}
	ok(same && valid && fast > 1000, "20000 random delta events: same "
	    "events on both paths, all valid JSON");
	(void)printf("# %zu of them took the fast path\n", fast);
}

int
main(int argc, char *argv[])
{
	const char	*dir = argc > 1 ? argv[1] : "regress/netproc/streams";
	char		 r[1024], c[1024];

	(void)snprintf(r, sizeof(r), "%s/responses.sse", dir);
	(void)snprintf(c, sizeof(c), "%s/chat.sse", dir);
	(void)printf("1..%zu\n", 26 + sizeof(fast_cases) /
	    sizeof(fast_cases[0]) - 1);
	stream_tests(r, NP_WIRE_RESPONSES, "responses");
	stream_tests(c, NP_WIRE_CHAT, "chat");
	failure_tests();
	chat_tests();
	body_tests();
	fast_tests();
	fuzz_tests();
	free(out);
	return nfail != 0;
}
