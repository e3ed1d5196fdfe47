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
 * Unit tests for netproc/sse.c.  Each stream is parsed whole, then again
 * split at every byte offset, in three pieces at every pair of offsets
 * (small streams), in 1-byte pieces and in pseudo-random pieces from a
 * fixed seed; every way must give the same events, and the same failure.
 */

#include <err.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netproc/sse.h"

struct rec {
	char	*b;
	size_t	 len;
	size_t	 cap;
	int	 nonul;		/* events whose data lacked the final NUL */
	size_t	 nev;
};

struct run {
	struct rec	 rec;
	int		 rc;		/* -1 if any call failed */
	char		 err[128];
};

struct ev {
	const char	*name;
	const char	*data;
};

static int	 ntest;
static int	 nfail;

static void	 ok(int, const char *, ...)
		    __attribute__((__format__(__printf__, 2, 3)));
static void	 rec_add(struct rec *, const void *, size_t);
static void	 rec_cb(const char *, const char *, size_t, void *);
static void	 run_init(struct run *);
static void	 run_free(struct run *);
static void	 parse(struct run *, const char *, size_t, size_t, size_t,
		    const size_t *, size_t, int);
static void	 expect_events(struct rec *, const struct ev *, size_t);
static int	 same(const struct run *, const struct run *);
static int	 splits(const char *, size_t, size_t, size_t, int, int,
		    const struct run *);
static char	*relines(const char *, const char *const *, size_t,
		    size_t *);
static uint32_t	 lcg(uint32_t *);

static void
ok(int cond, const char *fmt, ...)
{
	va_list	 ap;

	ntest++;
	if (!cond)
		nfail++;
	printf("%sok %d - ", cond ? "" : "not ", ntest);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

static uint32_t
lcg(uint32_t *state)
{
	*state = *state * 1103515245u + 12345u;
	return *state >> 8;
}

static void
rec_add(struct rec *r, const void *p, size_t n)
{
	size_t	 ncap;
	char	*nb;

	if (r->len + n > r->cap) {
		ncap = r->cap ? r->cap : 1024;
		while (ncap < r->len + n)
			ncap *= 2;
		if ((nb = realloc(r->b, ncap)) == NULL)
			err(1, "realloc");
		r->b = nb;
		r->cap = ncap;
	}
	memcpy(r->b + r->len, p, n);
	r->len += n;
}

/* Serialise an event so that two runs can be compared with memcmp. */
static void
rec_cb(const char *name, const char *data, size_t len, void *arg)
{
	struct rec	*r = arg;
	char		 hdr[64];
	int		 n;

	if (data[len] != '\0')
		r->nonul++;
	if (name == NULL)
		rec_add(r, "-", 1);
	else {
		rec_add(r, "+", 1);
		rec_add(r, name, strlen(name) + 1);
	}
	n = snprintf(hdr, sizeof(hdr), "%zu:", len);
	if (n < 0 || (size_t)n >= sizeof(hdr))
		errx(1, "snprintf");
	rec_add(r, hdr, n);
	rec_add(r, data, len);
	r->nev++;
}

static void
run_init(struct run *rn)
{
	memset(rn, 0, sizeof(*rn));
}

static void
run_free(struct run *rn)
{
	free(rn->rec.b);
	memset(rn, 0, sizeof(*rn));
}

/*
 * Parse buf, cut at the given offsets (ascending), with the given
 * limits; call sse_finish() at the end if fin is set.
 */
static void
parse(struct run *rn, const char *buf, size_t len, size_t max_line,
    size_t max_data, const size_t *cuts, size_t ncuts, int fin)
{
	struct sse	*s;
	size_t		 i, from = 0, to;
	const char	*e;

	run_init(rn);
	if ((s = sse_new(max_line, rec_cb, &rn->rec)) == NULL)
		err(1, "sse_new");
	if (max_data != 0)
		sse_set_max_data(s, max_data);
	for (i = 0; i <= ncuts && rn->rc == 0; i++) {
		to = i < ncuts ? cuts[i] : len;
		if (sse_feed(s, buf + from, to - from) == -1)
			rn->rc = -1;
		from = to;
	}
	if (rn->rc == 0 && fin && sse_finish(s) == -1)
		rn->rc = -1;
	if ((e = sse_error(s)) != NULL)
		(void)strlcpy(rn->err, e, sizeof(rn->err));
	sse_free(s);
}

static int
same(const struct run *a, const struct run *b)
{
	return a->rc == b->rc && a->rec.len == b->rec.len &&
	    memcmp(a->rec.b, b->rec.b, a->rec.len) == 0 &&
	    strcmp(a->err, b->err) == 0 && b->rec.nonul == 0;
}

/*
 * Compare every kind of split against the reference run.  Returns the
 * number of splits that differed.
 */
static int
splits(const char *buf, size_t len, size_t max_line, size_t max_data,
    int fin, int all3, const struct run *ref)
{
	struct run	 rn;
	size_t		 cuts[2], *many, i, j, n, step;
	uint32_t	 seed = 20260101;
	int		 bad = 0, k;

	step = len > 4096 ? len / 61 : 1;
	for (i = 0; i <= len; i += step) {
		cuts[0] = i;
		parse(&rn, buf, len, max_line, max_data, cuts, 1, fin);
		bad += !same(ref, &rn);
		run_free(&rn);
		for (j = i; all3 && j <= len; j++) {
			cuts[1] = j;
			parse(&rn, buf, len, max_line, max_data, cuts, 2, fin);
			bad += !same(ref, &rn);
			run_free(&rn);
		}
	}
	if ((many = reallocarray(NULL, len + 1, sizeof(*many))) == NULL)
		err(1, "reallocarray");
	for (i = 0; i < len; i++)
		many[i] = i + 1;
	parse(&rn, buf, len, max_line, max_data, many, len, fin);
	bad += !same(ref, &rn);
	run_free(&rn);
	for (k = 0; k < 20; k++) {
		for (n = 0, i = 0; i < len; n++) {
			i += 1 + lcg(&seed) % (k < 10 ? 17 : 700);
			many[n] = i < len ? i : len;
		}
		parse(&rn, buf, len, max_line, max_data, many, n, fin);
		bad += !same(ref, &rn);
		run_free(&rn);
	}
	free(many);
	return bad;
}

static void
expect_events(struct rec *got, const struct ev *evs, size_t n)
{
	struct rec	 want;
	size_t		 i;

	memset(&want, 0, sizeof(want));
	for (i = 0; i < n; i++)
		rec_cb(evs[i].name, evs[i].data, strlen(evs[i].data), &want);
	ok(got->len == want.len && memcmp(got->b, want.b, want.len) == 0,
	    "%zu events with the expected names and data", n);
	free(want.b);
}


/*
 * Return a copy of s with the n-th LF replaced by eols[n % neol], so one
 * stream can be rewritten with CRLF, CR or a mixture of line ends.
 */
static char *
relines(const char *s, const char *const *eols, size_t neol, size_t *lenp)
{
	size_t	 n, el, i, o = 0, k = 0;
	char	*r;

	n = strlen(s);
	if ((r = reallocarray(NULL, n + 1, 2)) == NULL)
		err(1, "reallocarray");
	for (i = 0; i < n; i++) {
		if (s[i] != '\n') {
			r[o++] = s[i];
			continue;
		}
		el = strlen(eols[k % neol]);
		memcpy(r + o, eols[k % neol], el);
		o += el;
		k++;
	}
	r[o] = '\0';
	*lenp = o;
	return r;
}

/* A Responses API stream as the real service sends it (shortened ids). */
#define R_CREATED "{\"type\":\"response.created\",\"sequence_number\":0," \
	"\"response\":{\"id\":\"resp_1\",\"object\":\"response\"," \
	"\"created_at\":1795810080,\"status\":\"in_progress\"," \
	"\"model\":\"gpt-5\",\"output\":[],\"usage\":null}}"
#define R_ADDED "{\"type\":\"response.output_item.added\"," \
	"\"sequence_number\":1,\"output_index\":0,\"item\":{\"id\":\"msg_1\"," \
	"\"type\":\"message\",\"status\":\"in_progress\",\"role\":\"assistant\"," \
	"\"content\":[]}}"
#define R_DELTA1 "{\"type\":\"response.output_text.delta\"," \
	"\"sequence_number\":2,\"item_id\":\"msg_1\",\"output_index\":0," \
	"\"content_index\":0,\"delta\":\"Hel\",\"logprobs\":[]}"
#define R_DELTA2 "{\"type\":\"response.output_text.delta\"," \
	"\"sequence_number\":3,\"item_id\":\"msg_1\",\"output_index\":0," \
	"\"content_index\":0,\"delta\":\"lo \\u00e9t\\u00e9\\n: not a comment\"," \
	"\"logprobs\":[]}"
#define R_DONE "{\"type\":\"response.output_item.done\"," \
	"\"sequence_number\":4,\"output_index\":0,\"item\":{\"id\":\"msg_1\"," \
	"\"type\":\"message\",\"status\":\"completed\",\"role\":\"assistant\"," \
	"\"content\":[{\"type\":\"output_text\",\"annotations\":[]," \
	"\"text\":\"Hello \\u00e9t\\u00e9\\n: not a comment\"}]}}"
#define R_COMPLETED "{\"type\":\"response.completed\"," \
	"\"sequence_number\":5,\"response\":{\"id\":\"resp_1\"," \
	"\"object\":\"response\",\"status\":\"completed\",\"output\":[]," \
	"\"usage\":{\"input_tokens\":100,\"input_tokens_details\":" \
	"{\"cached_tokens\":0},\"output_tokens\":20,\"output_tokens_details\":" \
	"{\"reasoning_tokens\":0},\"total_tokens\":120}}}"

static const char resp_stream[] =
	"event: response.created\ndata: " R_CREATED "\n\n"
	"event: response.output_item.added\ndata: " R_ADDED "\n\n"
	"event: response.output_text.delta\ndata: " R_DELTA1 "\n\n"
	"event: response.output_text.delta\ndata: " R_DELTA2 "\n\n"
	"event: response.output_item.done\ndata: " R_DONE "\n\n"
	"event: response.completed\ndata: " R_COMPLETED "\n\n";

static const struct ev resp_events[] = {
	{ "response.created", R_CREATED },
	{ "response.output_item.added", R_ADDED },
	{ "response.output_text.delta", R_DELTA1 },
	{ "response.output_text.delta", R_DELTA2 },
	{ "response.output_item.done", R_DONE },
	{ "response.completed", R_COMPLETED },
};

/* A Chat Completions stream: no event names, a keep-alive comment. */
#define C_1 "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\"," \
	"\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\"," \
	"\"content\":\"\"},\"finish_reason\":null}]}"
#define C_2 "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\"," \
	"\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0," \
	"\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":" \
	"\"shell\",\"arguments\":\"{\\\"command\\\":\"}}]}," \
	"\"finish_reason\":null}]}"
#define C_3 "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\"," \
	"\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":" \
	"\"tool_calls\"}]}"

static const char chat_stream[] =
	"data: " C_1 "\n\n"
	": OPENROUTER PROCESSING\n\n"
	"data: " C_2 "\n\n"
	"data: " C_3 "\n\n"
	"data: [DONE]\n\n";

static const struct ev chat_events[] = {
	{ NULL, C_1 }, { NULL, C_2 }, { NULL, C_3 }, { NULL, "[DONE]" },
};

/* Every corner of the format that a server might use. */
static const char odd_stream[] =
	"\xef\xbb\xbf" "event: first\n"
	": a comment\n"
	"id: 1\n"
	"retry: 1000\n"
	"data:x\n"
	"\n"
	"data: x\n\n"
	"data:  two spaces\n\n"
	"data: a: b\n\n"
	"event:multi\n"
	"data: line one\n"
	": a comment between data lines\n"
	"data:line two\n"
	"data\n"
	"data: line four\n"
	"\n"
	"event: nodata\n"
	"id: 7\n"
	"\n"
	"data:\n\n"
	"unknown: field\n"
	"event\n"
	"data: {\"a\":1}\n"
	"\n"
	"event: last\n"
	"event: renamed\n"
	"data: end\n"
	"\n";

static const struct ev odd_events[] = {
	{ "first", "x" },
	{ NULL, "x" },
	{ NULL, " two spaces" },
	{ NULL, "a: b" },
	{ "multi", "line one\nline two\n\nline four" },
	{ NULL, "" },
	{ NULL, "{\"a\":1}" },
	{ "renamed", "end" },
};

static void	 check_stream(const char *, const char *, size_t,
		    const struct ev *, size_t);
static void	 tests_streams(void);
static void	 tests_line_endings(void);
static void	 tests_final_event(void);
static void	 tests_limits(void);
static void	 tests_limits_data(void);
static void	 tests_big(void);
static void	 tests_misc(void);

static void
check_stream(const char *what, const char *buf, size_t len,
    const struct ev *evs, size_t nev)
{
	struct run	 ref;
	int		 bad;

	printf("# %s (%zu bytes)\n", what, len);
	parse(&ref, buf, len, 4096, 0, NULL, 0, 0);
	ok(ref.rc == 0 && ref.rec.nonul == 0, "%s: parses whole", what);
	expect_events(&ref.rec, evs, nev);
	bad = splits(buf, len, 4096, 0, 0, len < 600, &ref);
	ok(bad == 0, "%s: every split gives the same events (%d differ)",
	    what, bad);
	run_free(&ref);
}

static void
tests_streams(void)
{
	check_stream("responses stream", resp_stream, strlen(resp_stream),
	    resp_events, sizeof(resp_events) / sizeof(resp_events[0]));
	check_stream("chat stream", chat_stream, strlen(chat_stream),
	    chat_events, sizeof(chat_events) / sizeof(chat_events[0]));
	check_stream("odd stream", odd_stream, strlen(odd_stream),
	    odd_events, sizeof(odd_events) / sizeof(odd_events[0]));
}

static void
tests_line_endings(void)
{
	static const char *const crlf[] = { "\r\n" }, *const cr[] = { "\r" };
	static const char *const mixed[] = { "\n", "\r", "\r\n" };
	static const struct {
		const char		 *name;
		const char		 *text;
		const struct ev		 *evs;
		size_t			  nev;
	} st[] = {
		{ "responses", resp_stream, resp_events, 6 },
		{ "chat", chat_stream, chat_events, 4 },
		{ "odd", odd_stream, odd_events, 8 },
	};
	char	*t, what[64];
	size_t	 i, len;

	for (i = 0; i < sizeof(st) / sizeof(st[0]); i++) {
		t = relines(st[i].text, crlf, 1, &len);
		(void)snprintf(what, sizeof(what), "%s with CRLF", st[i].name);
		check_stream(what, t, len, st[i].evs, st[i].nev);
		free(t);
		t = relines(st[i].text, cr, 1, &len);
		(void)snprintf(what, sizeof(what), "%s with CR", st[i].name);
		check_stream(what, t, len, st[i].evs, st[i].nev);
		free(t);
		t = relines(st[i].text, mixed, 3, &len);
		(void)snprintf(what, sizeof(what), "%s with mixed ends",
		    st[i].name);
		check_stream(what, t, len, st[i].evs, st[i].nev);
		free(t);
	}
}

static void
tests_final_event(void)
{
	static const struct {
		const char	*text;
		size_t		 nopen;		/* events without sse_finish */
		size_t		 nfin;		/* events with sse_finish */
	} t[] = {
		{ "data: a\n\ndata: b\n", 1, 2 },
		{ "data: a\n\ndata: b", 1, 2 },
		{ "data: a\r\rdata: b\r", 1, 2 },
		{ "data: a\r\n\r\ndata: b\r\n", 1, 2 },
		{ "data: a\n\nevent: x\n", 1, 1 },
		{ "data: a\n\n", 1, 1 },
		{ "", 0, 0 },
	};
	struct run	 r1, r2;
	size_t		 i, len;
	int		 bad;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		len = strlen(t[i].text);
		parse(&r1, t[i].text, len, 64, 0, NULL, 0, 0);
		parse(&r2, t[i].text, len, 64, 0, NULL, 0, 1);
		ok(r1.rc == 0 && r1.rec.nev == t[i].nopen &&
		    r2.rc == 0 && r2.rec.nev == t[i].nfin,
		    "final event %zu: %zu without sse_finish, %zu with it",
		    i, r1.rec.nev, r2.rec.nev);
		bad = splits(t[i].text, len, 64, 0, 0, 1, &r1) +
		    splits(t[i].text, len, 64, 0, 1, 1, &r2);
		ok(bad == 0, "final event %zu: splits agree (%d differ)", i,
		    bad);
		run_free(&r1);
		run_free(&r2);
	}
}

static void
tests_limits(void)
{
	static const char long_line[] =
	    "data: short\n\ndata: 0123456789abcdef\n\ndata: after\n\n";
	static const char exact[] = "data: 0123456789\n\n";
	static const char long_tail[] =
	    "data: short\n\ndata: 0123456789012345678901234567890123456789";
	static const char long_comment[] =
	    "data: short\n\n: a comment that is far too long\n\n";
	struct run	 r;
	int		 bad;

	parse(&r, long_line, strlen(long_line), 16, 0, NULL, 0, 1);
	ok(r.rc == -1 && r.rec.nev == 1 &&
	    strstr(r.err, "line longer than 16 bytes") != NULL,
	    "overlong line fails after the events before it (\"%s\")", r.err);
	bad = splits(long_line, strlen(long_line), 16, 0, 1, 1, &r);
	ok(bad == 0, "overlong line: every split fails the same (%d differ)",
	    bad);
	run_free(&r);

	parse(&r, exact, strlen(exact), 16, 0, NULL, 0, 0);
	ok(r.rc == 0 && r.rec.nev == 1, "line of exactly max_line accepted");
	bad = splits(exact, strlen(exact), 16, 0, 0, 1, &r);
	ok(bad == 0, "line of exactly max_line: splits agree (%d differ)", bad);
	run_free(&r);

	parse(&r, long_tail, strlen(long_tail), 16, 0, NULL, 0, 0);
	ok(r.rc == -1 && r.rec.nev == 1,
	    "unterminated overlong line fails without waiting for its end");
	bad = splits(long_tail, strlen(long_tail), 16, 0, 0, 1, &r);
	ok(bad == 0, "unterminated overlong line: splits agree (%d differ)",
	    bad);
	run_free(&r);

	parse(&r, long_comment, strlen(long_comment), 16, 0, NULL, 0, 0);
	ok(r.rc == -1 && r.rec.nev == 1, "the line limit covers comments");
	run_free(&r);

	tests_limits_data();
}

static void
tests_limits_data(void)
{
	static const char data_ok[] = "data: 1234\ndata: 12345\n\n";
	static const char data_big[] = "data: 12345\ndata: 12345\n\n";
	static const char long_line[] = "data: 0123456789abcdef\n\n";
	struct run	 r;
	struct sse	*s;
	struct rec	 rec;
	int		 bad;

	parse(&r, data_ok, strlen(data_ok), 64, 10, NULL, 0, 0);
	ok(r.rc == 0 && r.rec.nev == 1 && r.rec.len > 10 &&
	    memcmp(r.rec.b + r.rec.len - 10, "1234\n12345", 10) == 0,
	    "joined data of exactly the cap accepted");
	run_free(&r);
	parse(&r, data_big, strlen(data_big), 64, 10, NULL, 0, 0);
	ok(r.rc == -1 && r.rec.nev == 0 &&
	    strstr(r.err, "event data longer than 10 bytes") != NULL,
	    "joined data over the cap fails (\"%s\")", r.err);
	bad = splits(data_big, strlen(data_big), 64, 10, 0, 1, &r);
	ok(bad == 0, "data over the cap: splits agree (%d differ)", bad);
	run_free(&r);

	/* Once failed, the parser stays failed and silent. */
	memset(&rec, 0, sizeof(rec));
	if ((s = sse_new(16, rec_cb, &rec)) == NULL)
		err(1, "sse_new");
	ok(sse_error(s) == NULL, "no error string before a failure");
	ok(sse_feed(s, "data: x\n\n", 9) == 0 &&
	    sse_feed(s, long_line, strlen(long_line)) == -1, "feed fails");
	ok(sse_feed(s, "data: x\n\n", 9) == -1 && sse_finish(s) == -1 &&
	    rec.nev == 1 && sse_error(s) != NULL,
	    "after a failure feed and finish fail and nothing is dispatched");
	sse_free(s);
	free(rec.b);
}

static void
tests_big(void)
{
	const size_t	 mib = 1024 * 1024;
	static const char head[] = "event: response.output_text.delta\ndata: ";
	struct run	 r;
	char		*buf;
	size_t		 hl, len, i, off;
	int		 bad, good;

	hl = strlen(head);
	len = hl + mib + 2;
	if ((buf = malloc(len)) == NULL)
		err(1, "malloc");
	memcpy(buf, head, hl);
	for (i = 0; i < mib; i++)
		buf[hl + i] = "abcdefghijklmnopqrstuvwxyz0123456789"[i % 36];
	memcpy(buf + hl + mib, "\n\n", 2);

	parse(&r, buf, len, 2 * mib, 0, NULL, 0, 0);
	off = r.rec.len - mib;
	good = r.rc == 0 && r.rec.nev == 1 && r.rec.len > mib &&
	    memcmp(r.rec.b + off, buf + hl, mib) == 0;
	ok(good, "1 MiB data event accepted when the caps allow it");
	bad = splits(buf, len, 2 * mib, 0, 0, 0, &r);
	ok(bad == 0, "1 MiB event: sampled, 1-byte and random splits agree "
	    "(%d differ)", bad);
	run_free(&r);

	parse(&r, buf, len, 2 * mib, mib / 2, NULL, 0, 0);
	ok(r.rc == -1 && r.rec.nev == 0 && strstr(r.err, "data longer"),
	    "1 MiB event refused with a 512 KiB data cap");
	run_free(&r);
	parse(&r, buf, len, 64 * 1024, 0, NULL, 0, 0);
	ok(r.rc == -1 && r.rec.nev == 0 && strstr(r.err, "line longer"),
	    "1 MiB event refused with a 64 KiB line limit");
	run_free(&r);
	free(buf);
}

static void
tests_misc(void)
{
	struct sse	*s;
	struct rec	 rec;
	int		 good;

	errno = 0;
	ok(sse_new(0, rec_cb, NULL) == NULL && errno == EINVAL &&
	    sse_new(16, NULL, NULL) == NULL,
	    "sse_new rejects a zero line limit and a missing callback");

	memset(&rec, 0, sizeof(rec));
	if ((s = sse_new(64, rec_cb, &rec)) == NULL)
		err(1, "sse_new");
	good = sse_feed(s, "data: a\0b\n\n", 11) == 0 && rec.nev == 1 &&
	    rec.len == 6 && memcmp(rec.b, "-3:a\0b", 6) == 0;
	ok(good, "a NUL byte inside data is kept and counted");
	good = sse_feed(s, "data: c\r", 8) == 0 && sse_feed(s, "", 0) == 0 &&
	    sse_feed(s, "\n", 1) == 0 && rec.nev == 1 &&
	    sse_feed(s, "\r\n", 2) == 0 && rec.nev == 2;
	ok(good, "CRLF split by an empty feed is one line end");
	good = sse_finish(s) == 0 && sse_finish(s) == 0 &&
	    sse_feed(s, "data: d\n\n", 9) == -1 && rec.nev == 2 &&
	    strstr(sse_error(s), "after sse_finish") != NULL;
	ok(good, "sse_finish is idempotent and a later feed fails");
	ok(rec.nonul == 0, "every event's data was NUL-terminated");
	sse_free(s);
	free(rec.b);
	sse_free(NULL);
}

int
main(void)
{
	tests_streams();
	tests_line_endings();
	tests_final_event();
	tests_limits();
	tests_big();
	tests_misc();
	printf("1..%d\n", ntest);
	return nfail != 0;
}
