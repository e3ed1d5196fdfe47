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
 * The SSE parser, differentially: the input is parsed once in a single
 * feed and once split into pieces of pseudo-random sizes (seeded from
 * the input), and both parses must dispatch the same events and end in
 * the same state.  The first two bytes choose the line limit, the data
 * cap, whether sse_finish() is called and the split seed.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netproc/sse.h"
#include "regress/fuzz/fuzz.h"

struct evlog {
	char	*b;
	size_t	 len;
	size_t	 cap;
	int	 nev;
};

static void	 log_add(struct evlog *, const void *, size_t);
static void	 on_event(const char *, const char *, size_t, void *);
static int	 parse(const uint8_t *, size_t, size_t, size_t, int,
		    uint32_t, struct evlog *);

static void
log_add(struct evlog *l, const void *p, size_t n)
{
	size_t	 ncap;
	char	*nb;

	if (n > l->cap - l->len) {
		ncap = l->cap > 0 ? l->cap : 256;
		while (ncap - l->len < n)
			ncap *= 2;
		if ((nb = realloc(l->b, ncap)) == NULL)
			abort();
		l->b = nb;
		l->cap = ncap;
	}
	memcpy(l->b + l->len, p, n);
	l->len += n;
}

/* Each event as: name length, name, data length, data. */
static void
on_event(const char *name, const char *data, size_t len, void *arg)
{
	struct evlog	*l = arg;
	size_t		 nlen = name != NULL ? strlen(name) : 0;

	/*
	 * A name is a C string: one with a NUL byte in it is cut there,
	 * so an empty-looking name is possible and not checked.
	 */
	if (data[len] != '\0')
		abort();
	log_add(l, &nlen, sizeof(nlen));
	log_add(l, name != NULL ? name : "", nlen);
	log_add(l, &len, sizeof(len));
	log_add(l, data, len);
	l->nev++;
}

/*
 * Parse buf with the given limits; seed 0 feeds it whole, else in
 * pieces of 1 to 16 bytes.  Return 0 if the parser ended well, -1 if it
 * failed.
 */
static int
parse(const uint8_t *buf, size_t len, size_t max_line, size_t max_data,
    int finish, uint32_t seed, struct evlog *l)
{
	struct sse	*s;
	size_t		 off = 0, n;
	int		 rc = 0;

	if ((s = sse_new(max_line, on_event, l)) == NULL)
		abort();
	if (max_data != 0)
		sse_set_max_data(s, max_data);
	while (off < len) {
		n = len - off;
		if (seed != 0) {
			seed = seed * 1103515245 + 12345;
			if (n > 1 + ((seed >> 16) & 15))
				n = 1 + ((seed >> 16) & 15);
		}
		if (sse_feed(s, buf + off, n) == -1)
			rc = -1;
		off += n;
	}
	/* An empty feed changes nothing. */
	if (sse_feed(s, buf, 0) == -1 && rc == 0)
		abort();
	if (finish && sse_finish(s) == -1)
		rc = -1;
	if (rc == -1 && (sse_error(s) == NULL || *sse_error(s) == '\0'))
		abort();
	if (rc == -1 && sse_feed(s, "data: x\n\n", 9) != -1)
		abort();	/* a failed parser stays failed */
	sse_free(s);
	return rc;
}

int
fuzz_sse(const uint8_t *buf, size_t len)
{
	static const size_t	 lines[] = { 8, 64, 1024, 1 << 20 };
	static const size_t	 caps[] = { 0, 16, 256, 4096 };
	struct evlog		 a, b;
	size_t			 max_line, max_data;
	uint32_t		 seed;
	int			 ra, rb, finish;

	if (len < 2)
		return 0;
	max_line = lines[buf[0] & 3];
	max_data = caps[(buf[0] >> 2) & 3];
	finish = (buf[0] >> 4) & 1;
	seed = buf[1] | 1;
	buf += 2;
	len -= 2;
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	ra = parse(buf, len, max_line, max_data, finish, 0, &a);
	rb = parse(buf, len, max_line, max_data, finish, seed, &b);
	if (ra != rb || a.nev != b.nev || a.len != b.len ||
	    (a.len > 0 && memcmp(a.b, b.b, a.len) != 0)) {
		(void)fprintf(stderr, "split parse differs: rc %d/%d, "
		    "%d/%d events\n", ra, rb, a.nev, b.nev);
		abort();
	}
	free(a.b);
	free(b.b);
	return 0;
}

#ifdef FUZZ_LIBFUZZER
int
LLVMFuzzerTestOneInput(const uint8_t *buf, size_t len)
{
	return fuzz_sse(buf, len);
}
#endif
