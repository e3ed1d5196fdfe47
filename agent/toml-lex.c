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
 * The lexical layer of the TOML parser: errors with positions, UTF-8
 * validation, blanks, comments and newlines, keys and the four kinds of
 * strings.  Numbers and dates are in toml-scalar.c.
 */

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/toml.h"
#include "agent/toml-int.h"

static int	buf_add(struct toml_parser *, struct toml_buf *, const char *,
		    size_t);
static int	buf_utf8(struct toml_parser *, struct toml_buf *, uint32_t);
static int	is_ctrl(int);
static int	str_basic(struct toml_parser *, struct toml_buf *, int);
static int	str_literal(struct toml_parser *, struct toml_buf *, int);
static int	str_escape(struct toml_parser *, struct toml_buf *, int);
static int	skip_ws_nl(struct toml_parser *);
static int	str_unicode(struct toml_parser *, struct toml_buf *, int);
static int	str_close(struct toml_parser *, struct toml_buf *, int, int *);
static int	str_newline(struct toml_parser *, struct toml_buf *, int);

/*
 * Record the first error only: later ones are usually consequences of
 * it.  The column counts characters, not bytes, so that it matches what
 * an editor shows; continuation bytes of UTF-8 sequences are skipped.
 */
int
tp_error(struct toml_parser *p, size_t at, const char *fmt, ...)
{
	va_list	 ap;
	size_t	 i;
	int	 line = 1, col = 1, r;

	if (p->failed)
		return -1;
	p->failed = 1;
	if (p->err == NULL)
		return -1;
	if (at > p->len)
		at = p->len;
	for (i = 0; i < at; i++) {
		if (p->buf[i] == '\n') {
			line++;
			col = 1;
		} else if (((unsigned char)p->buf[i] & 0xc0) != 0x80)
			col++;
	}
	p->err->line = line;
	p->err->column = col;
	va_start(ap, fmt);
	r = vsnprintf(p->err->msg, sizeof(p->err->msg), fmt, ap);
	va_end(ap);
	if (r < 0)
		(void)strlcpy(p->err->msg, "invalid TOML", sizeof(p->err->msg));
	return -1;
}

/*
 * Reject anything that is not well-formed UTF-8: overlong forms,
 * surrogates and code points above U+10FFFF included.  Doing this once
 * up front lets the rest of the lexer copy non-ASCII bytes blindly.
 */
int
tp_utf8_check(struct toml_parser *p)
{
	const unsigned char	*s = (const unsigned char *)p->buf;
	size_t			 i, n, k;
	uint32_t		 cp, min;

	for (i = 0; i < p->len; i += n) {
		if (s[i] < 0x80) {
			n = 1;
			continue;
		} else if ((s[i] & 0xe0) == 0xc0) {
			n = 2, cp = s[i] & 0x1f, min = 0x80;
		} else if ((s[i] & 0xf0) == 0xe0) {
			n = 3, cp = s[i] & 0x0f, min = 0x800;
		} else if ((s[i] & 0xf8) == 0xf0) {
			n = 4, cp = s[i] & 0x07, min = 0x10000;
		} else
			return tp_error(p, i, "invalid UTF-8 byte 0x%02x",
			    s[i]);
		if (p->len - i < n)
			return tp_error(p, i, "truncated UTF-8 sequence");
		for (k = 1; k < n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return tp_error(p, i, "invalid UTF-8 sequence");
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return tp_error(p, i, "invalid UTF-8 code point");
	}
	return 0;
}

/*
 * "expected X, found Y" for the byte under p->pos, shown so that the
 * message never carries raw control or non-ASCII bytes.
 */
int
tp_expected(struct toml_parser *p, const char *what)
{
	int	 c = tp_peek(p, 0);

	if (c == -1)
		return tp_error(p, p->pos, "expected %s, found end of input",
		    what);
	if (c == '\n' || c == '\r')
		return tp_error(p, p->pos, "expected %s, found end of line",
		    what);
	if (c < 0x20 || c >= 0x7f)
		return tp_error(p, p->pos, "expected %s, found byte 0x%02x",
		    what, c);
	return tp_error(p, p->pos, "expected %s, found '%c'", what, c);
}

/* The byte off places ahead, or -1 past the end of the input. */
int
tp_peek(const struct toml_parser *p, size_t off)
{
	if (off >= p->len - p->pos)
		return -1;
	return (unsigned char)p->buf[p->pos + off];
}

/* TOML forbids control characters other than tab nearly everywhere. */
static int
is_ctrl(int c)
{
	return (c >= 0 && c < 0x20 && c != '\t') || c == 0x7f;
}

void
tp_ws(struct toml_parser *p)
{
	int	 c;

	while ((c = tp_peek(p, 0)) == ' ' || c == '\t')
		p->pos++;
}

/* Consume LF or CRLF: 1 if one was there, 0 if not, -1 on a bare CR. */
int
tp_newline(struct toml_parser *p)
{
	int	 c = tp_peek(p, 0);

	if (c == '\n') {
		p->pos++;
		return 1;
	}
	if (c == '\r') {
		if (tp_peek(p, 1) != '\n')
			return tp_error(p, p->pos, "carriage return not "
			    "followed by a newline");
		p->pos += 2;
		return 1;
	}
	return 0;
}

/* Consume a comment up to, not including, its newline. */
int
tp_comment(struct toml_parser *p)
{
	int	 c;

	if (tp_peek(p, 0) != '#')
		return 0;
	p->pos++;
	while ((c = tp_peek(p, 0)) != -1 && c != '\n') {
		if (c == '\r' && tp_peek(p, 1) == '\n')
			break;
		if (is_ctrl(c))
			return tp_error(p, p->pos, "control character 0x%02x "
			    "in comment", c);
		p->pos++;
	}
	return 1;
}

/* The end of a line: blanks, perhaps a comment, a newline or the end. */
int
tp_eol(struct toml_parser *p)
{
	int	 r;

	tp_ws(p);
	if (tp_comment(p) == -1)
		return -1;
	if (tp_peek(p, 0) == -1)
		return 0;
	if ((r = tp_newline(p)) == -1)
		return -1;
	if (r == 0)
		return tp_expected(p, "end of line");
	return 0;
}

/* Blanks, comments and newlines, as allowed between array elements. */
int
tp_ws_nl(struct toml_parser *p)
{
	int	 r;

	for (;;) {
		tp_ws(p);
		if (tp_comment(p) == -1)
			return -1;
		if ((r = tp_newline(p)) == -1)
			return -1;
		if (r == 0)
			return 0;
	}
}

static int
buf_add(struct toml_parser *p, struct toml_buf *b, const char *s, size_t n)
{
	char	*np;
	size_t	 ncap;

	if (n >= SIZE_MAX / 2 - b->len)
		return tp_error(p, p->pos, "string too long");
	if (b->len + n + 1 > b->cap) {
		ncap = b->cap ? b->cap : 32;
		while (ncap < b->len + n + 1)
			ncap *= 2;
		if ((np = realloc(b->ptr, ncap)) == NULL)
			return tp_error(p, p->pos, "out of memory");
		b->ptr = np;
		b->cap = ncap;
	}
	memcpy(b->ptr + b->len, s, n);
	b->len += n;
	b->ptr[b->len] = '\0';
	return 0;
}

static int
buf_utf8(struct toml_parser *p, struct toml_buf *b, uint32_t cp)
{
	char	 u[4];
	size_t	 n;

	if (cp < 0x80) {
		u[0] = cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = 0xc0 | (cp >> 6);
		u[1] = 0x80 | (cp & 0x3f);
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = 0xe0 | (cp >> 12);
		u[1] = 0x80 | ((cp >> 6) & 0x3f);
		u[2] = 0x80 | (cp & 0x3f);
		n = 3;
	} else {
		u[0] = 0xf0 | (cp >> 18);
		u[1] = 0x80 | ((cp >> 12) & 0x3f);
		u[2] = 0x80 | ((cp >> 6) & 0x3f);
		u[3] = 0x80 | (cp & 0x3f);
		n = 4;
	}
	return buf_add(p, b, u, n);
}

/*
 * A string of any of the four kinds, the opening quote under p->pos.
 * The text goes to b, which is left NUL-terminated even when empty.
 */
int
tp_string(struct toml_parser *p, struct toml_buf *b)
{
	int	 q = tp_peek(p, 0), ml;

	ml = tp_peek(p, 1) == q && tp_peek(p, 2) == q;
	p->pos += ml ? 3 : 1;
	if (buf_add(p, b, "", 0) == -1)
		return -1;
	/* A newline right after the opening delimiter is not content. */
	if (ml && tp_newline(p) == -1)
		return -1;
	if (q == '"')
		return str_basic(p, b, ml);
	return str_literal(p, b, ml);
}

/*
 * At a quote q inside a string: decide whether it closes the string.
 * A multi-line string may end with one or two quotes of content before
 * its three closing ones, but six in a row are an error.
 */
static int
str_close(struct toml_parser *p, struct toml_buf *b, int ml, int *done)
{
	int	 q = tp_peek(p, 0);
	size_t	 n = 0;

	*done = 0;
	if (!ml) {
		p->pos++;
		*done = 1;
		return 0;
	}
	while (tp_peek(p, n) == q)
		n++;
	if (n < 3) {
		p->pos += n;
		return buf_add(p, b, p->buf + p->pos - n, n);
	}
	if (n > 5)
		return tp_error(p, p->pos, "too many quotes in a row in "
		    "multi-line string");
	if (buf_add(p, b, p->buf + p->pos, n - 3) == -1)
		return -1;
	p->pos += n;
	*done = 1;
	return 0;
}

/* A newline inside a string: content for multi-line ones, CRLF as LF. */
static int
str_newline(struct toml_parser *p, struct toml_buf *b, int ml)
{
	size_t	 at = p->pos;
	int	 r;

	if (!ml)
		return tp_error(p, at, "newline in single-line string");
	if ((r = tp_newline(p)) == -1)
		return -1;
	return buf_add(p, b, "\n", 1);
}

static int
str_basic(struct toml_parser *p, struct toml_buf *b, int ml)
{
	size_t	 start;
	int	 c, done;

	for (;;) {
		start = p->pos;
		while ((c = tp_peek(p, 0)) != -1 && c != '"' && c != '\\' &&
		    !is_ctrl(c))
			p->pos++;
		if (buf_add(p, b, p->buf + start, p->pos - start) == -1)
			return -1;
		if (c == -1)
			return tp_error(p, p->pos, "unterminated string");
		if (c == '"') {
			if (str_close(p, b, ml, &done) == -1)
				return -1;
			if (done)
				return 0;
		} else if (c == '\\') {
			if (str_escape(p, b, ml) == -1)
				return -1;
		} else if (c == '\n' || c == '\r') {
			if (str_newline(p, b, ml) == -1)
				return -1;
		} else
			return tp_error(p, p->pos, "control character 0x%02x "
			    "in string", c);
	}
}

static int
str_literal(struct toml_parser *p, struct toml_buf *b, int ml)
{
	size_t	 start;
	int	 c, done;

	for (;;) {
		start = p->pos;
		while ((c = tp_peek(p, 0)) != -1 && c != '\'' && !is_ctrl(c))
			p->pos++;
		if (buf_add(p, b, p->buf + start, p->pos - start) == -1)
			return -1;
		if (c == -1)
			return tp_error(p, p->pos, "unterminated string");
		if (c == '\'') {
			if (str_close(p, b, ml, &done) == -1)
				return -1;
			if (done)
				return 0;
		} else if (c == '\n' || c == '\r') {
			if (str_newline(p, b, ml) == -1)
				return -1;
		} else
			return tp_error(p, p->pos, "control character 0x%02x "
			    "in string", c);
	}
}

/*
 * A backslash escape in a basic string.  In a multi-line string a
 * backslash that ends a line (blanks may follow it) swallows all the
 * blanks and newlines up to the next other character.
 */
static int
str_escape(struct toml_parser *p, struct toml_buf *b, int ml)
{
	static const char	 simple[] = "b\bt\tn\nf\fr\r\"\"\\\\";
	size_t			 at = p->pos, i;
	int			 c = tp_peek(p, 1), d;

	for (i = 0; c != -1 && simple[i] != '\0'; i += 2) {
		if (simple[i] == c) {
			p->pos += 2;
			return buf_add(p, b, &simple[i + 1], 1);
		}
	}
	if (c == 'u' || c == 'U')
		return str_unicode(p, b, c == 'u' ? 4 : 8);
	if (ml && (c == ' ' || c == '\t' || c == '\n' || c == '\r')) {
		for (i = 1; (d = tp_peek(p, i)) == ' ' || d == '\t'; i++)
			;
		if (d == '\n' || d == '\r') {
			p->pos += i;
			return skip_ws_nl(p);
		}
	}
	if (c == -1)
		return tp_error(p, at, "unterminated string");
	if (is_ctrl(c) || c >= 0x80)
		return tp_error(p, at, "invalid escape sequence");
	return tp_error(p, at, "invalid escape sequence \\%c", c);
}

/* After a line-ending backslash: blanks and newlines, not comments. */
static int
skip_ws_nl(struct toml_parser *p)
{
	int	 r;

	for (;;) {
		tp_ws(p);
		if ((r = tp_newline(p)) <= 0)
			return r;
	}
}

/* \uXXXX or \UXXXXXXXX: a Unicode scalar value, so no surrogates. */
static int
str_unicode(struct toml_parser *p, struct toml_buf *b, int ndig)
{
	size_t		 at = p->pos;
	uint32_t	 cp = 0;
	int		 i, c, v;

	for (i = 0; i < ndig; i++) {
		c = tp_peek(p, 2 + i);
		if (c >= '0' && c <= '9')
			v = c - '0';
		else if (c >= 'a' && c <= 'f')
			v = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v = c - 'A' + 10;
		else
			return tp_error(p, at, "\\%c escape needs %d hex "
			    "digits", ndig == 4 ? 'u' : 'U', ndig);
		cp = (cp << 4) | v;
	}
	if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return tp_error(p, at, "escape is not a Unicode scalar value");
	p->pos += 2 + ndig;
	return buf_utf8(p, b, cp);
}

static int
is_bare(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '-';
}

static int
key_part(struct toml_parser *p, struct toml_keypart *kp)
{
	struct toml_buf	 b = { NULL, 0, 0 };
	int		 c = tp_peek(p, 0);
	size_t		 start = p->pos;

	kp->pos = start;
	if (c == '"' || c == '\'') {
		if (tp_peek(p, 1) == c && tp_peek(p, 2) == c)
			return tp_error(p, start, "multi-line string used as "
			    "a key");
		if (tp_string(p, &b) == -1) {
			free(b.ptr);
			return -1;
		}
	} else {
		while (is_bare(tp_peek(p, 0)))
			p->pos++;
		if (p->pos == start)
			return tp_expected(p, "a key");
		if (buf_add(p, &b, p->buf + start, p->pos - start) == -1) {
			free(b.ptr);
			return -1;
		}
	}
	kp->s = b.ptr;
	kp->len = b.len;
	return 0;
}

/* A key, dotted or not, with the blanks around its dots. */
int
tp_key(struct toml_parser *p, struct toml_key *k)
{
	struct toml_keypart	*nv;
	size_t			 ncap;

	for (;;) {
		tp_ws(p);
		if (k->n == k->cap) {
			if (k->n >= TOML_MAXDEPTH)
				return tp_error(p, p->pos, "key has too many "
				    "parts");
			ncap = k->cap ? k->cap * 2 : 4;
			nv = reallocarray(k->v, ncap, sizeof(*nv));
			if (nv == NULL)
				return tp_error(p, p->pos, "out of memory");
			k->v = nv;
			k->cap = ncap;
		}
		if (key_part(p, &k->v[k->n]) == -1)
			return -1;
		k->n++;
		tp_ws(p);
		if (tp_peek(p, 0) != '.')
			return 0;
		p->pos++;
	}
}

void
tp_key_free(struct toml_key *k)
{
	size_t	 i;

	for (i = 0; i < k->n; i++)
		free(k->v[i].s);
	free(k->v);
	k->v = NULL;
	k->n = k->cap = 0;
}
