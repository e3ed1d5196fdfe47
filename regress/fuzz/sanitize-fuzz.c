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
 * The terminal sanitiser (ui/render.c).  Whatever the input, the output
 * must be valid UTF-8 without a single control character other than
 * newline and tab, without C1 controls and without bidirectional
 * overrides; feeding the input in pieces of pseudo-random sizes (seeded
 * from the first byte) must give the same output as feeding it whole;
 * and sanitising the output again must change nothing.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>

#include "ui/ui.h"
#include "regress/fuzz/fuzz.h"

static struct evbuffer	*sanitize(const uint8_t *, size_t, uint32_t);
static void		 check_clean(const uint8_t *, size_t);
static size_t		 u8_decode(const uint8_t *, size_t, uint32_t *);

/* Feed buf whole (seed 0) or in pieces of 1 to 8 bytes. */
static struct evbuffer *
sanitize(const uint8_t *buf, size_t len, uint32_t seed)
{
	struct sanitizer	 s;
	struct evbuffer		*out;
	size_t			 off = 0, n;

	if ((out = evbuffer_new()) == NULL)
		abort();
	san_init(&s);
	while (off < len) {
		n = len - off;
		if (seed != 0) {
			seed = seed * 1103515245 + 12345;
			if (n > 1 + ((seed >> 16) & 7))
				n = 1 + ((seed >> 16) & 7);
		}
		san_feed(&s, out, buf + off, n);
		off += n;
	}
	if (san_finish(&s, out) == -1)
		abort();
	return out;
}

/*
 * One strictly valid UTF-8 character at p: its length, or 0 if the
 * bytes are not one (overlong, surrogate, past U+10FFFF, cut short).
 */
static size_t
u8_decode(const uint8_t *p, size_t len, uint32_t *cp)
{
	size_t	 need, i;
	uint32_t c;

	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		need = 2;
		c = p[0] & 0x1f;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		need = 3;
		c = p[0] & 0x0f;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		need = 4;
		c = p[0] & 0x07;
	} else
		return 0;
	if (len < need)
		return 0;
	for (i = 1; i < need; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3f);
	}
	if ((need == 3 && c < 0x800) || (need == 4 && c < 0x10000) ||
	    (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		return 0;
	*cp = c;
	return need;
}

static void
check_clean(const uint8_t *p, size_t len)
{
	size_t		 i = 0, n;
	uint32_t	 cp;

	while (i < len) {
		if ((n = u8_decode(p + i, len - i, &cp)) == 0) {
			(void)fprintf(stderr, "invalid UTF-8 at %zu\n", i);
			abort();
		}
		if ((cp < 0x20 && cp != '\n' && cp != '\t') ||
		    (cp >= 0x7f && cp <= 0x9f) ||
		    (cp >= 0x202a && cp <= 0x202e) ||
		    (cp >= 0x2066 && cp <= 0x2069)) {
			(void)fprintf(stderr, "U+%04X at %zu got through\n",
			    (unsigned int)cp, i);
			abort();
		}
		i += n;
	}
}

int
fuzz_sanitize(const uint8_t *buf, size_t len)
{
	struct evbuffer	*a, *b, *c;
	size_t		 alen;
	uint8_t		*pa;
	uint32_t	 seed;

	if (len < 1)
		return 0;
	seed = buf[0] | 1;
	buf++;
	len--;
	a = sanitize(buf, len, 0);
	b = sanitize(buf, len, seed);
	alen = evbuffer_get_length(a);
	pa = evbuffer_pullup(a, -1);
	if (alen != evbuffer_get_length(b) || (alen > 0 &&
	    memcmp(pa, evbuffer_pullup(b, -1), alen) != 0)) {
		(void)fprintf(stderr, "split feed differs\n");
		abort();
	}
	check_clean(pa, alen);
	c = sanitize(pa, alen, 0);
	if (alen != evbuffer_get_length(c) || (alen > 0 &&
	    memcmp(pa, evbuffer_pullup(c, -1), alen) != 0)) {
		(void)fprintf(stderr, "sanitising twice changes the text\n");
		abort();
	}
	evbuffer_free(a);
	evbuffer_free(b);
	evbuffer_free(c);
	return 0;
}

#ifdef FUZZ_LIBFUZZER
int
LLVMFuzzerTestOneInput(const uint8_t *buf, size_t len)
{
	return fuzz_sanitize(buf, len);
}
#endif
