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
 * The event decoders of both wire formats, fed a whole SSE stream: the
 * input goes through the SSE parser (ended leniently, as a clean end
 * of body is) and every data payload into the decoder.  Every event it
 * emits must be an object with a string type, nothing may follow
 * completed, and the decoder's end state must agree with what it
 * emitted.  The stream is then decoded a second time after
 * decoder_clear(), as a retried attempt is, and must give exactly the
 * same events: clearing forgets everything.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "netproc/netproc.h"
#include "netproc/sse.h"
#include "regress/fuzz/fuzz.h"

#define FUZZ_LINE_MAX	(1 << 20)

struct run {
	struct decoder	 dec;
	char		*out;		/* the events, as JSON lines */
	size_t		 outlen;
	int		 completed;
	int		 items_done;
};

static void	 emit(void *, json_t *);
static void	 on_sse(const char *, const char *, size_t, void *);
static void	 decode(struct run *, const uint8_t *, size_t);

static void
emit(void *arg, json_t *ev)
{
	struct run	*r = arg;
	const char	*t;
	char		*s, *n;
	size_t		 len;

	if (!json_is_object(ev) ||
	    (t = json_string_value(json_object_get(ev, "type"))) == NULL)
		abort();
	if (r->completed)
		abort();	/* nothing after completed */
	if (strcmp(t, "completed") == 0)
		r->completed = 1;
	if (strcmp(t, "item_done") == 0) {
		r->items_done++;
		if (!json_is_object(json_object_get(ev, "item")))
			abort();
	}
	if ((s = json_dumps(ev, JSON_COMPACT | JSON_ENCODE_ANY)) == NULL)
		abort();
	len = strlen(s);
	if ((n = realloc(r->out, r->outlen + len + 2)) == NULL)
		abort();
	r->out = n;
	memcpy(r->out + r->outlen, s, len);
	r->outlen += len;
	r->out[r->outlen++] = '\n';
	free(s);
	json_decref(ev);
}

static void
on_sse(const char *name, const char *data, size_t len, void *arg)
{
	struct run	*r = arg;

	(void)name;
	decoder_data(&r->dec, data, len);
}

static void
decode(struct run *r, const uint8_t *buf, size_t len)
{
	struct sse	*s;

	if ((s = sse_new(FUZZ_LINE_MAX, on_sse, r)) == NULL)
		abort();
	if (sse_feed(s, buf, len) != -1 && sse_finish(s) != -1)
		decoder_eof(&r->dec);
	sse_free(s);
	if (r->completed != (r->dec.end == DEC_COMPLETED))
		abort();
	if (r->items_done != r->dec.items_done)
		abort();
	if (r->dec.end == DEC_FAILED && r->dec.fail_message == NULL)
		abort();
	/* A server's "try again in N" hint is a delay or nothing. */
	if (r->dec.end == DEC_FAILED && r->dec.fail_delay_ms < -1)
		abort();
}

int
fuzz_decoder(int wire, const uint8_t *buf, size_t len)
{
	struct run	 r;
	char		*first;
	size_t		 firstlen;

	memset(&r, 0, sizeof(r));
	decoder_init(&r.dec, wire, emit, &r);
	decode(&r, buf, len);
	first = r.out;
	firstlen = r.outlen;
	r.out = NULL;
	r.outlen = 0;
	r.completed = r.items_done = 0;
	decoder_clear(&r.dec);
	decode(&r, buf, len);
	if (firstlen != r.outlen ||
	    (firstlen > 0 && memcmp(first, r.out, firstlen) != 0)) {
		(void)fprintf(stderr, "a cleared decoder decodes "
		    "differently\n");
		abort();
	}
	decoder_clear(&r.dec);
	free(first);
	free(r.out);
	return 0;
}
