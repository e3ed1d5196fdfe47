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
 * The delta fast path of the Responses decoder: a strict JSON scanner
 * that takes the text, reasoning summary and reasoning delta events
 * without jansson, for responses.c.
 */

#include <sys/types.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "imsg/log.h"
#include "netproc/netproc.h"

/*
 * The fast path for the events that carry nearly every byte of a stream:
 * text, reasoning summary and reasoning deltas.  jansson would build a
 * tree of the event, unescape the delta into a fresh string, and escape
 * it again for the parent, at about 60 MB/s.  Instead the event is
 * scanned once, as strictly as jansson parses it, and the delta goes to
 * the parent still escaped, in the form jansson would have written it.
 * Anything the scanner is not sure about (a real number, a key with an
 * escape, a duplicate of a key we use, a nesting deeper than FAST_DEPTH,
 * an index that is not a small integer) sends the event down the jansson
 * path, so the two paths always give byte-identical events and nothing
 * malformed can come out of either.
 */
#define FAST_DEPTH	8

int	decoder_fastpath = 1;
size_t	decoder_fast_events;

static const char hexdigits[] = "0123456789ABCDEF";

static const char *js_ws(const char *, const char *);
static int	 js_hex4(const unsigned char *, unsigned int *);
static size_t	 js_utf8(const unsigned char *, const unsigned char *);
static const char *js_uescape(const unsigned char *,
		    const unsigned char *, int *);
static const char *js_string(const char *, const char *, int *);
static const char *js_int(const char *, const char *);
static const char *js_lit(const char *, const char *, const char *);
static const char *js_array(const char *, const char *, int);
static const char *js_object(const char *, const char *, int);
static const char *js_value(const char *, const char *, int);
static size_t	 js_canon(char *, const char *, size_t);

static const char *
js_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' ||
	    *p == '\r'))
		p++;
	return p;
}

static int
js_hex4(const unsigned char *p, unsigned int *v)
{
	int	i;

	*v = 0;
	for (i = 0; i < 4; i++) {
		*v <<= 4;
		if (p[i] >= '0' && p[i] <= '9')
			*v |= p[i] - '0';
		else if (p[i] >= 'a' && p[i] <= 'f')
			*v |= p[i] - 'a' + 10;
		else if (p[i] >= 'A' && p[i] <= 'F')
			*v |= p[i] - 'A' + 10;
		else
			return -1;
	}
	return 0;
}

/* Length of the well-formed UTF-8 sequence at s (RFC 3629), or 0. */
static size_t
js_utf8(const unsigned char *s, const unsigned char *e)
{
	unsigned char	lo = 0x80, hi = 0xbf;
	size_t		n, i;

	if (*s >= 0xc2 && *s <= 0xdf)
		n = 2;
	else if (*s >= 0xe0 && *s <= 0xef) {
		n = 3;
		if (*s == 0xe0)
			lo = 0xa0;
		else if (*s == 0xed)
			hi = 0x9f;	/* no UTF-16 surrogates */
	} else if (*s >= 0xf0 && *s <= 0xf4) {
		n = 4;
		if (*s == 0xf0)
			lo = 0x90;
		else if (*s == 0xf4)
			hi = 0x8f;	/* nothing above U+10FFFF */
	} else
		return 0;
	if ((size_t)(e - s) < n || s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return n;
}

/*
 * A \u escape at s: returns the byte after it (after both halves of a
 * surrogate pair), or NULL for \u0000 and unpaired surrogates, which
 * jansson refuses.  *canon is cleared unless jansson writes the
 * character the same way: \u00XX in capitals for a control character
 * that has no short escape.
 */
static const char *
js_uescape(const unsigned char *s, const unsigned char *e, int *canon)
{
	unsigned int	u, lo;

	if (e - s < 6 || js_hex4(s + 2, &u) == -1 || u == 0 ||
	    (u >= 0xdc00 && u <= 0xdfff))
		return NULL;
	if (u >= 0xd800 && u <= 0xdbff) {
		if (e - s < 12 || s[6] != '\\' || s[7] != 'u' ||
		    js_hex4(s + 8, &lo) == -1 || lo < 0xdc00 || lo > 0xdfff)
			return NULL;
		*canon = 0;
		return (const char *)s + 12;
	}
	if (u >= 0x20 || u == '\b' || u == '\f' || u == '\n' || u == '\r' ||
	    u == '\t')
		*canon = 0;
	else if (s[2] != '0' || s[3] != '0' || s[4] != hexdigits[u >> 4] ||
	    s[5] != hexdigits[u & 0xf])
		*canon = 0;
	return (const char *)s + 6;
}

/*
 * The JSON string whose opening quote is at p: returns the byte after
 * its closing quote, or NULL if jansson would refuse it (no closing
 * quote, a raw control character, a bad escape, \u0000, an unpaired
 * surrogate, malformed UTF-8).  *canon is cleared when some escape is
 * not the one jansson would write (\/, \u00e9, a surrogate pair...).
 */
static const char *
js_string(const char *p, const char *end, int *canon)
{
	const unsigned char	*s = (const unsigned char *)p + 1;
	const unsigned char	*e = (const unsigned char *)end;
	size_t			 n;

	*canon = 1;
	while (s < e) {
		if (*s >= 0x20 && *s < 0x80 && *s != '"' && *s != '\\') {
			s++;
			continue;
		}
		if (*s == '"')
			return (const char *)s + 1;
		if (*s < 0x20)
			return NULL;
		if (*s == '\\') {
			if (e - s < 2)
				return NULL;
			if (strchr("\"\\bfnrt", s[1]) != NULL && s[1] != '\0')
				s += 2;
			else if (s[1] == '/') {
				*canon = 0;
				s += 2;
			} else if (s[1] != 'u' ||
			    (s = (const unsigned char *)js_uescape(s, e,
			    canon)) == NULL)
				return NULL;
			continue;
		}
		if ((n = js_utf8(s, e)) == 0)
			return NULL;
		s += n;
	}
	return NULL;
}

/*
 * An integer of at most 18 digits, which jansson reads without
 * overflow.  Fractions and exponents are left to jansson, which refuses
 * some of them (1e999).
 */
static const char *
js_int(const char *p, const char *end)
{
	const char	*d;

	if (p < end && *p == '-')
		p++;
	for (d = p; p < end && *p >= '0' && *p <= '9'; p++)
		if (p - d == 18)
			return NULL;
	if (p == d || (*d == '0' && p - d > 1))
		return NULL;
	if (p < end && (*p == '.' || *p == 'e' || *p == 'E'))
		return NULL;
	return p;
}

static const char *
js_lit(const char *p, const char *end, const char *lit)
{
	size_t	n = strlen(lit);

	if ((size_t)(end - p) < n || memcmp(p, lit, n) != 0)
		return NULL;
	return p + n;
}

static const char *
js_array(const char *p, const char *end, int depth)
{
	p = js_ws(p + 1, end);
	if (p < end && *p == ']')
		return p + 1;
	for (;;) {
		if ((p = js_value(p, end, depth)) == NULL)
			return NULL;
		p = js_ws(p, end);
		if (p == end)
			return NULL;
		if (*p == ']')
			return p + 1;
		if (*p != ',')
			return NULL;
		p = js_ws(p + 1, end);
	}
}

static const char *
js_object(const char *p, const char *end, int depth)
{
	int	canon;

	p = js_ws(p + 1, end);
	if (p < end && *p == '}')
		return p + 1;
	for (;;) {
		if (p == end || *p != '"' ||
		    (p = js_string(p, end, &canon)) == NULL)
			return NULL;
		p = js_ws(p, end);
		if (p == end || *p != ':')
			return NULL;
		if ((p = js_value(js_ws(p + 1, end), end, depth)) == NULL)
			return NULL;
		p = js_ws(p, end);
		if (p == end)
			return NULL;
		if (*p == '}')
			return p + 1;
		if (*p != ',')
			return NULL;
		p = js_ws(p + 1, end);
	}
}

/* Any JSON value at p, validated and skipped; NULL means fall back. */
static const char *
js_value(const char *p, const char *end, int depth)
{
	int	canon;

	if (p == end)
		return NULL;
	switch (*p) {
	case '"':
		return js_string(p, end, &canon);
	case '[':
		return depth < FAST_DEPTH ? js_array(p, end, depth + 1) : NULL;
	case '{':
		return depth < FAST_DEPTH ? js_object(p, end, depth + 1) :
		    NULL;
	case 't':
		return js_lit(p, end, "true");
	case 'f':
		return js_lit(p, end, "false");
	case 'n':
		return js_lit(p, end, "null");
	default:
		return js_int(p, end);
	}
}

/*
 * Copy the body of a valid JSON string (between its quotes), rewriting
 * each escape the way jansson writes it: the text is never longer than
 * the input.  Returns the length written to out.
 */
static size_t
js_canon(char *out, const char *in, size_t len)
{
	const unsigned char	*s = (const unsigned char *)in;
	const unsigned char	*e = s + len;
	unsigned int		 u, lo;
	char			*o = out;

	while (s < e) {
		if (*s != '\\' || (s[1] != '/' && s[1] != 'u')) {
			if (*s == '\\')
				*o++ = *s++;
			*o++ = *s++;
			continue;
		}
		if (s[1] == '/') {
			*o++ = '/';
			s += 2;
			continue;
		}
		(void)js_hex4(s + 2, &u);
		s += 6;
		if (u >= 0xd800 && u <= 0xdbff) {
			(void)js_hex4(s + 2, &lo);
			u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
			s += 6;
		}
		if (u < 0x20) {
			*o++ = '\\';
			if (u >= '\b' && u <= '\r' && u != '\v')
				*o++ = "btn?fr"[u - '\b'];
			else {
				memcpy(o, "u00", 3);
				o[3] = hexdigits[u >> 4];
				o[4] = hexdigits[u & 0xf];
				o += 5;
			}
		} else if (u == '"' || u == '\\') {
			*o++ = '\\';
			*o++ = u;
		} else if (u < 0x80)
			*o++ = u;
		else if (u < 0x800) {
			*o++ = 0xc0 | u >> 6;
			*o++ = 0x80 | (u & 0x3f);
		} else if (u < 0x10000) {
			*o++ = 0xe0 | u >> 12;
			*o++ = 0x80 | (u >> 6 & 0x3f);
			*o++ = 0x80 | (u & 0x3f);
		} else {
			*o++ = 0xf0 | u >> 18;
			*o++ = 0x80 | (u >> 12 & 0x3f);
			*o++ = 0x80 | (u >> 6 & 0x3f);
			*o++ = 0x80 | (u & 0x3f);
		}
	}
	return o - out;
}

/* The members the fast path reads; the rest are only validated. */
enum fast_key { FK_TYPE, FK_DELTA, FK_ITEM, FK_SUMMARY, FK_CONTENT, FK_N };
static const char *const fast_keys[FK_N] = { "type", "delta", "item_id",
    "summary_index", "content_index" };

/* Event kinds on the fast path, and the member each one keeps. */
static const struct {
	const char	*wire;		/* the "type" value, quoted */
	const char	*type;		/* ours */
	int		 keep;		/* enum fast_key */
} fast_kinds[] = {
	{ "\"response.output_text.delta\"",	"text_delta",	FK_ITEM },
	{ "\"response.reasoning_summary_text.delta\"",
	    "reasoning_summary_delta",	FK_SUMMARY },
	{ "\"response.reasoning_text.delta\"",	"reasoning_delta", FK_CONTENT },
	{ NULL,					NULL,		0 }
};

struct fastev {
	const char	*v[FK_N];	/* a value's first byte, or NULL */
	size_t		 len[FK_N];	/* its length, quotes included */
	int		 canon[FK_N];	/* a string written as jansson would */
	int		 kind;		/* index in fast_kinds, or -1 */
};

static int	 fast_kind(const char *, size_t);
static const char *fast_member(struct fastev *, const char *, const char *);
static int	 fast_scan(struct fastev *, const char *, size_t);
static const char *fast_body(const struct fastev *, int, size_t *, char **);
static char	*fast_tail(const struct fastev *, size_t *);

static int
fast_kind(const char *v, size_t len)
{
	int	i;

	for (i = 0; fast_kinds[i].wire != NULL; i++)
		if (strlen(fast_kinds[i].wire) == len &&
		    memcmp(fast_kinds[i].wire, v, len) == 0)
			return i;
	return -1;
}

/* One "key": value member at p; returns the byte after it or NULL. */
static const char *
fast_member(struct fastev *f, const char *p, const char *end)
{
	const char	*k = p + 1, *v;
	size_t		 klen;
	int		 canon, i;

	if (p == end || *p != '"' || (p = js_string(p, end, &canon)) == NULL)
		return NULL;
	klen = p - 1 - k;
	/* A key with an escape may spell one of ours: let jansson say. */
	if (!canon || memchr(k, '\\', klen) != NULL)
		return NULL;
	if ((p = js_ws(p, end)) == end || *p != ':')
		return NULL;
	v = js_ws(p + 1, end);
	canon = 1;
	if ((p = v < end && *v == '"' ? js_string(v, end, &canon) :
	    js_value(v, end, 1)) == NULL)
		return NULL;
	for (i = 0; i < FK_N; i++)
		if (strlen(fast_keys[i]) == klen &&
		    memcmp(fast_keys[i], k, klen) == 0)
			break;
	if (i == FK_N)
		return p;
	/* jansson keeps the last of duplicate keys; we do not guess. */
	if (f->v[i] != NULL)
		return NULL;
	f->v[i] = v;
	f->len[i] = p - v;
	f->canon[i] = canon;
	if (i == FK_TYPE && (f->kind = fast_kind(v, p - v)) == -1)
		return NULL;
	return p;
}

/* The whole payload: one object, then nothing but white space. */
static int
fast_scan(struct fastev *f, const char *data, size_t len)
{
	const char	*p, *end = data + len;

	memset(f, 0, sizeof(*f));
	f->kind = -1;
	p = js_ws(data, end);
	if (p == end || *p != '{')
		return -1;
	p = js_ws(p + 1, end);
	for (;;) {
		if ((p = fast_member(f, p, end)) == NULL)
			return -1;
		if ((p = js_ws(p, end)) == end)
			return -1;
		if (*p == '}')
			break;
		if (*p != ',')
			return -1;
		p = js_ws(p + 1, end);
	}
	if (js_ws(p + 1, end) != end || f->kind == -1)
		return -1;
	return 0;
}

/* A string value's body, as jansson would write it; *freep to free. */
static const char *
fast_body(const struct fastev *f, int k, size_t *lenp, char **freep)
{
	*freep = NULL;
	*lenp = f->len[k] - 2;
	if (f->canon[k])
		return f->v[k] + 1;
	if ((*freep = malloc(*lenp + 1)) == NULL)
		fatal(NULL);
	*lenp = js_canon(*freep, f->v[k] + 1, *lenp);
	(*freep)[*lenp] = '\0';
	return *freep;
}

/*
 * What follows the delta in the event for the parent: the kept member,
 * as json_pack and copy_key in responses_data() would place it.
 */
static char *
fast_tail(const struct fastev *f, size_t *lenp)
{
	int		 k = fast_kinds[f->kind].keep;
	const char	*v;
	char		*t, *fr;
	size_t		 n;

	if (f->v[k] == NULL) {
		*lenp = 1;
		if ((t = strdup("}")) == NULL)
			fatal(NULL);
		return t;
	}
	if (k == FK_ITEM)
		v = fast_body(f, k, &n, &fr);
	else {
		v = f->v[k];
		n = f->len[k];
		fr = NULL;
	}
	if (asprintf(&t, k == FK_ITEM ? ",\"%s\":\"%.*s\"}" : ",\"%s\":%.*s}",
	    fast_keys[k], (int)n, v) == -1)
		fatal(NULL);
	free(fr);
	*lenp = strlen(t);
	return t;
}

/*
 * Decode a delta event without jansson; 0 when it was not one the fast
 * path takes, and jansson must decode it.
 */
int
decoder_fast_delta(struct decoder *d, const char *data, size_t len)
{
	struct fastev	 f;
	json_t		*ev;
	const char	*body;
	char		*fr, *tail;
	size_t		 blen, tlen;
	int		 k;

	if (!decoder_fastpath || fast_scan(&f, data, len) == -1 ||
	    f.v[FK_DELTA] == NULL || *f.v[FK_DELTA] != '"')
		return 0;
	k = fast_kinds[f.kind].keep;
	if (f.v[k] != NULL && (k == FK_ITEM ? *f.v[k] != '"' :
	    (*f.v[k] < '0' || *f.v[k] > '9' || f.len[k] > 9)))
		return 0;
	body = fast_body(&f, FK_DELTA, &blen, &fr);
	tail = fast_tail(&f, &tlen);
	if ((ev = json_object()) == NULL ||
	    json_object_set_new(ev, "type",
	    json_string(fast_kinds[f.kind].type)) == -1 ||
	    json_object_set_new(ev, NP_EV_DELTA,
	    json_stringn_nocheck(body, blen)) == -1 ||
	    json_object_set_new(ev, NP_EV_TAIL,
	    json_stringn_nocheck(tail, tlen)) == -1)
		fatalx("building a delta event");
	free(fr);
	free(tail);
	decoder_fast_events++;
	decoder_emit(d, ev);
	return 1;
}
