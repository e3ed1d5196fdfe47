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
 * Benchmark of netproc's receive path without the network: about 100 MB
 * of Responses output_text.delta events through the SSE parser, the
 * event decoder and the JSON serialisation of each event for the
 * parent, fed in 64 KiB reads as libcurl hands them over.  Prints the
 * throughput and the mean cost of one event.
 */

#include <sys/types.h>

#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "netproc/netproc.h"
#include "netproc/sse.h"

#define TARGET		(100 * 1024 * 1024)
#define DELTA		4096
#define READ_SIZE	65536

static size_t	 nevents;

static void	 emit(void *, json_t *);
static void	 on_sse(const char *, const char *, size_t, void *);
static double	 now(void);

static void
emit(void *arg, json_t *ev)
{
	char	*s;
	size_t	 n;

	(void)arg;
	s = event_text(ev, &n);
	free(s);
	json_decref(ev);
	nevents++;
}

static void
on_sse(const char *name, const char *data, size_t len, void *arg)
{
	(void)name;
	decoder_data(arg, data, len);
}

static double
now(void)
{
	struct timespec	ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) == -1)
		err(1, "clock_gettime");
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int
main(void)
{
	struct decoder	 d;
	struct sse	*p;
	char		*ev, *buf, delta[DELTA + 1];
	size_t		 evlen, n, len = 0, i;
	double		 t0, t;
	int		 k;

	for (i = 0; i < DELTA; i++)
		delta[i] = 'a' + i % 26;
	delta[DELTA] = '\0';
	if ((k = asprintf(&ev, "data: {\"type\":\"response.output_text.delta\","
	    "\"item_id\":\"msg_1\",\"output_index\":0,\"content_index\":0,"
	    "\"delta\":\"%s\"}\n\n", delta)) == -1)
		err(1, "asprintf");
	evlen = k;
	if ((buf = malloc(TARGET + evlen)) == NULL)
		err(1, NULL);
	while (len < TARGET) {
		memcpy(buf + len, ev, evlen);
		len += evlen;
	}
	decoder_init(&d, NP_WIRE_RESPONSES, emit, NULL);
	if ((p = sse_new(1 << 20, on_sse, &d)) == NULL)
		err(1, "sse_new");
	t0 = now();
	for (i = 0; i < len; i += n) {
		n = len - i < READ_SIZE ? len - i : READ_SIZE;
		if (sse_feed(p, buf + i, n) == -1)
			errx(1, "%s", sse_error(p));
	}
	t = now() - t0;
	(void)printf("netproc decode: %.1f MB of deltas, %zu events, "
	    "%.0f MB/s, %.2f us per event (target >= 300 MB/s)\n",
	    len / 1e6, nevents, len / 1e6 / t, t * 1e6 / nevents);
	sse_free(p);
	decoder_clear(&d);
	free(buf);
	free(ev);
	return 0;
}
