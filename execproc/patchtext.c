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
 * The line-matching engine of apply_patch: Codex's seek_sequence with its
 * whitespace-insensitive and Unicode-folding passes, and the UTF-8
 * decoding they rest on.  Nothing here allocates memory.
 */

#include <stdint.h>
#include <string.h>

#include "execproc/patch.h"
#include "execproc/patch-int.h"

/*
 * A byte that is not part of well-formed UTF-8 decodes to a value above
 * the Unicode range, so it compares equal only to the same byte and is
 * never taken for whitespace.
 */
#define U8_BAD		0x110000U

static size_t
u8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
	uint32_t	 c, min;
	size_t		 i, n;

	c = s[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		c &= 0x1f;
		min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		c &= 0x0f;
		min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		c &= 0x07;
		min = 0x10000;
	} else
		goto bad;
	if (n > len)
		goto bad;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			goto bad;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		goto bad;
	*cp = c;
	return n;
 bad:
	*cp = U8_BAD + s[0];
	return 1;
}

int
patch_utf8_valid(const char *buf, size_t len)
{
	const unsigned char	*s = (const unsigned char *)buf;
	uint32_t		 cp;
	size_t			 i, n;

	for (i = 0; i < len; i += n) {
		n = u8_decode(s + i, len - i, &cp);
		if (cp >= U8_BAD)
			return 0;
	}
	return 1;
}

/* Unicode White_Space, which is what Rust's str::trim() removes. */
static int
u8_space(uint32_t c)
{
	if ((c >= 0x09 && c <= 0x0d) || c == 0x20 || c == 0x85 ||
	    c == 0xa0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
	    c == 0x2028 || c == 0x2029 || c == 0x202f || c == 0x205f ||
	    c == 0x3000)
		return 1;
	return 0;
}

/* The folding of Codex's last seek_sequence pass. */
static uint32_t
u8_fold(uint32_t c)
{
	if ((c >= 0x2010 && c <= 0x2015) || c == 0x2212)
		return '-';
	if (c >= 0x2018 && c <= 0x201b)
		return '\'';
	if (c >= 0x201c && c <= 0x201f)
		return '"';
	if (c == 0xa0 || (c >= 0x2002 && c <= 0x200a) || c == 0x202f ||
	    c == 0x205f || c == 0x3000)
		return ' ';
	return c;
}

/*
 * Bounds of s without trailing whitespace and, if lead is set, without
 * leading whitespace either.  An all-blank string yields an empty range.
 */
void
patch_u8_trim(const char *s, size_t len, int lead, size_t *b, size_t *e)
{
	const unsigned char	*u = (const unsigned char *)s;
	uint32_t		 cp;
	size_t			 i, n, first = 0, last = 0;
	int			 seen = 0;

	for (i = 0; i < len; i += n) {
		n = u8_decode(u + i, len - i, &cp);
		if (u8_space(cp))
			continue;
		if (!seen)
			first = i;
		seen = 1;
		last = i + n;
	}
	*b = (lead && seen) ? first : 0;
	*e = last;
	if (*b > *e)
		*b = *e;
}

int
patch_bytes_eq(const char *a, size_t alen, const char *b, size_t blen)
{
	return alen == blen && (alen == 0 || memcmp(a, b, alen) == 0);
}

static int
folded_eq(const char *a, size_t alen, const char *b, size_t blen)
{
	const unsigned char	*ua = (const unsigned char *)a;
	const unsigned char	*ub = (const unsigned char *)b;
	uint32_t		 ca, cb;
	size_t			 i = 0, j = 0;

	while (i < alen && j < blen) {
		i += u8_decode(ua + i, alen - i, &ca);
		j += u8_decode(ub + j, blen - j, &cb);
		if (u8_fold(ca) != u8_fold(cb))
			return 0;
	}
	return i == alen && j == blen;
}

/* Compare two lines the way pass number pass of seek_sequence does. */
static int
line_eq(int pass, const struct patch_str *a, const struct patch_str *b)
{
	size_t	 ab, ae, bb, be;

	if (pass == 0)
		return patch_bytes_eq(a->s, a->len, b->s, b->len);
	patch_u8_trim(a->s, a->len, pass > 1, &ab, &ae);
	patch_u8_trim(b->s, b->len, pass > 1, &bb, &be);
	if (pass < 3)
		return patch_bytes_eq(a->s + ab, ae - ab, b->s + bb, be - bb);
	return folded_eq(a->s + ab, ae - ab, b->s + bb, be - bb);
}

int
patch_seek(const struct patch_str *lines, size_t nlines,
    const struct patch_str *pat, size_t npat, size_t start, int eof,
    size_t *at)
{
	size_t	 from, i, j;
	int	 pass;

	if (npat == 0) {
		*at = start;
		return 1;
	}
	if (npat > nlines)
		return 0;
	from = eof ? nlines - npat : start;
	for (pass = 0; pass < 4; pass++) {
		for (i = from; i <= nlines - npat; i++) {
			for (j = 0; j < npat; j++)
				if (!line_eq(pass, &lines[i + j], &pat[j]))
					break;
			if (j == npat) {
				*at = i;
				return 1;
			}
		}
	}
	return 0;
}
