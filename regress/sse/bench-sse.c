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
 * Throughput of netproc/sse.c on a stream of typical Responses API text
 * deltas, fed in 16 KiB pieces as libcurl hands them over.  The figure
 * is printed as a TAP comment; timing is not asserted, because a loaded
 * machine must not fail the test suite.  What is asserted is that every
 * event arrived intact.
 */

#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "netproc/sse.h"

#define STREAM_BYTES	(8 * 1024 * 1024)
#define FEED_BYTES	(16 * 1024)
#define PASSES		20

struct count {
	size_t	 events;
	size_t	 bytes;
	size_t	 named;
};

static void	 count_cb(const char *, const char *, size_t, void *);
static char	*make_stream(const char *, size_t *, size_t *, size_t *);
static double	 now(void);
static int	 bench(const char *, const char *, int);

static void
count_cb(const char *name, const char *data, size_t len, void *arg)
{
	struct count	*c = arg;

	c->events++;
	c->bytes += len;
	if (name != NULL && data[0] == '{')
		c->named++;
}

static double
now(void)
{
	struct timespec	 ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) == -1)
		err(1, "clock_gettime");
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Fill a buffer with delta events until it holds STREAM_BYTES. */
static char *
make_stream(const char *eol, size_t *lenp, size_t *nevp, size_t *datap)
{
	static const char *const words[] = {
		"Sure", ", ", "here", " is", " the", " patch", " for",
		" `src/main.c`", ":\\n", " it", " fixes", " the", " bug",
		" \\u00e9", ".",
	};
	char	*buf;
	size_t	 len = 0, nev = 0, data = 0;
	int	 n, dl;

	if ((buf = malloc(STREAM_BYTES + 1024)) == NULL)
		err(1, "malloc");
	while (len < STREAM_BYTES) {
		n = snprintf(buf + len, 1024,
		    "event: response.output_text.delta%sdata: %n"
		    "{\"type\":\"response.output_text.delta\","
		    "\"sequence_number\":%zu,\"item_id\":"
		    "\"msg_0123456789abcdef0123456789abcdef\","
		    "\"output_index\":0,\"content_index\":0,"
		    "\"delta\":\"%s\",\"logprobs\":[]}%s%s",
		    eol, &dl, nev + 3, words[nev % 15], eol, eol);
		if (n < 0 || n >= 1024)
			errx(1, "snprintf");
		data += n - dl - 2 * strlen(eol);
		len += n;
		nev++;
	}
	*lenp = len;
	*nevp = nev;
	*datap = data;
	return buf;
}

static int
bench(const char *what, const char *eol, int testno)
{
	struct count	 c;
	struct sse	*s;
	char		*buf;
	size_t		 len, nev, data, off, n;
	double		 t0, dt;
	int		 pass, good = 1;

	buf = make_stream(eol, &len, &nev, &data);
	t0 = now();
	for (pass = 0; pass < PASSES; pass++) {
		memset(&c, 0, sizeof(c));
		if ((s = sse_new(64 * 1024, count_cb, &c)) == NULL)
			err(1, "sse_new");
		for (off = 0; off < len; off += n) {
			n = len - off < FEED_BYTES ? len - off : FEED_BYTES;
			if (sse_feed(s, buf + off, n) == -1)
				errx(1, "sse_feed: %s", sse_error(s));
		}
		sse_free(s);
		if (c.events != nev || c.bytes != data || c.named != nev)
			good = 0;
	}
	dt = now() - t0;
	printf("%sok %d - %s: %zu events, %zu data bytes, all intact\n",
	    good ? "" : "not ", testno, what, nev, data);
	printf("# sse %s: %.0f MB/s (%zu MB x %d in %.3f s, %.0f ns/event)\n",
	    what, (double)len * PASSES / dt / 1e6, len / 1000000, PASSES, dt,
	    dt * 1e9 / ((double)nev * PASSES));
	free(buf);
	return good;
}

int
main(void)
{
	int	 good;

	printf("1..2\n");
	good = bench("LF delta stream", "\n", 1);
	good &= bench("CRLF delta stream", "\r\n", 2);
	return !good;
}
