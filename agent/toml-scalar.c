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
 * Unquoted TOML values: booleans, integers, floats and the four date and
 * time kinds.  Each is checked against the TOML 1.0.0 grammar before it
 * is converted, so that the C library's more lenient strtoll() and
 * strtod() never decide what is valid.
 */

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/toml.h"
#include "agent/toml-int.h"

struct numtok {
	const char	*s;	/* the token */
	size_t		 n;
	size_t		 i;	/* where the check has got to */
};

static int	is_digit(int);
static int	is_hex(int);
static int	is_oct(int);
static int	is_bin(int);
static size_t	digit_run(struct numtok *, int (*)(int));
static int	num_radix(struct toml_parser *, struct numtok *, size_t,
		    struct toml **);
static int	num_decimal(struct toml_parser *, struct numtok *, size_t,
		    struct toml **);
static char	*strip_us(const char *, size_t);
static int	num_convert(struct toml_parser *, const char *, size_t, int,
		    int, size_t, struct toml **);
static int	num_special(struct toml_parser *, struct numtok *,
		    struct toml **);
static int	scan_digits(struct toml_parser *, size_t, int, int *);
static int	scan_date(struct toml_parser *, size_t *);
static int	scan_time(struct toml_parser *, size_t, size_t *);
static int	scan_offset(struct toml_parser *, size_t, size_t *);
static int	datetime(struct toml_parser *, struct toml **);
static int	dt_text(struct toml_parser *, enum toml_type, size_t,
		    size_t, size_t, struct toml **);
static int	number(struct toml_parser *, struct toml **);

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int
is_hex(int c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int
is_oct(int c)
{
	return c >= '0' && c <= '7';
}

static int
is_bin(int c)
{
	return c == '0' || c == '1';
}

/*
 * Digits with single underscores between them, as in 1_000.  Returns the
 * number of digits, or 0 if there are none or an underscore is misplaced.
 */
static size_t
digit_run(struct numtok *t, int (*isdig)(int))
{
	size_t	 nd = 0;

	if (t->i >= t->n || !isdig((unsigned char)t->s[t->i]))
		return 0;
	for (;;) {
		if (t->i < t->n && isdig((unsigned char)t->s[t->i])) {
			t->i++;
			nd++;
		} else if (t->i < t->n && t->s[t->i] == '_') {
			if (t->i + 1 >= t->n ||
			    !isdig((unsigned char)t->s[t->i + 1]))
				return 0;
			t->i++;
		} else
			return nd;
	}
}

/* The token without its underscores, NUL-terminated. */
static char *
strip_us(const char *s, size_t n)
{
	char	*d;
	size_t	 i, k = 0;

	if ((d = malloc(n + 1)) == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		if (s[i] != '_')
			d[k++] = s[i];
	d[k] = '\0';
	return d;
}

/*
 * Convert a checked token with the C library.  Floats are read in the C
 * locale whatever the program's locale is, since TOML's decimal point
 * is always a dot.
 */
static int
num_convert(struct toml_parser *p, const char *s, size_t n, int base,
    int isfloat, size_t at, struct toml **out)
{
	static locale_t		 cloc;
	unsigned long long	 u;
	struct toml		*v;
	char			*d, *end;
	int			 serr, bad;

	if (isfloat && cloc == (locale_t)0 &&
	    (cloc = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0)) ==
	    (locale_t)0)
		return tp_error(p, at, "cannot make the C locale");
	if ((d = strip_us(s, n)) == NULL)
		return tp_error(p, at, "out of memory");
	if ((v = toml_node_new(isfloat ? TOML_FLOAT : TOML_INTEGER, 0)) ==
	    NULL) {
		free(d);
		return tp_error(p, at, "out of memory");
	}
	errno = 0;
	if (isfloat)
		v->u.f = strtod_l(d, &end, cloc);
	else if (base == 10)
		v->u.i = strtoll(d, &end, 10);
	else {
		if ((u = strtoull(d, &end, base)) > INT64_MAX)
			errno = ERANGE;
		v->u.i = (int64_t)u;
	}
	serr = errno;
	bad = *end != '\0';
	free(d);
	if (bad || (serr == ERANGE && (!isfloat || isinf(v->u.f)))) {
		toml_free(v);
		return tp_error(p, at, bad ? "invalid number" :
		    "number out of range");
	}
	*out = v;
	return 0;
}

/* 0x, 0o and 0b integers: unsigned, no sign allowed. */
static int
num_radix(struct toml_parser *p, struct numtok *t, size_t at,
    struct toml **out)
{
	int	(*isdig)(int);
	int	 base;

	switch (t->s[1]) {
	case 'x':
		isdig = is_hex, base = 16;
		break;
	case 'o':
		isdig = is_oct, base = 8;
		break;
	default:
		isdig = is_bin, base = 2;
		break;
	}
	t->i = 2;
	if (digit_run(t, isdig) == 0 || t->i != t->n)
		return tp_error(p, at, "invalid base-%d integer", base);
	return num_convert(p, t->s + 2, t->n - 2, base, 0, at, out);
}

/* inf and nan, signed or not. */
static int
num_special(struct toml_parser *p, struct numtok *t, struct toml **out)
{
	struct toml	*v;
	const char	*w = t->s + t->i;
	int		 neg = t->s[0] == '-';

	if ((v = toml_node_new(TOML_FLOAT, 0)) == NULL)
		return tp_error(p, p->pos, "out of memory");
	if (strncmp(w, "inf", 3) == 0)
		v->u.f = neg ? -INFINITY : INFINITY;
	else
		v->u.f = neg ? -NAN : NAN;
	*out = v;
	return 0;
}

/*
 * Decimal integers and floats: an integer part without leading zeros,
 * then an optional fraction and an optional exponent, each of which
 * needs at least one digit.
 */
static int
num_decimal(struct toml_parser *p, struct numtok *t, size_t at,
    struct toml **out)
{
	size_t	 nd, start = t->i;
	int	 isfloat = 0;

	if ((nd = digit_run(t, is_digit)) == 0)
		return tp_error(p, at, "invalid number");
	if (nd > 1 && t->s[start] == '0')
		return tp_error(p, at, "leading zero in number");
	if (t->i < t->n && t->s[t->i] == '.') {
		t->i++;
		if (digit_run(t, is_digit) == 0)
			return tp_error(p, at, "invalid fraction in float");
		isfloat = 1;
	}
	if (t->i < t->n && (t->s[t->i] == 'e' || t->s[t->i] == 'E')) {
		t->i++;
		if (t->i < t->n && (t->s[t->i] == '+' || t->s[t->i] == '-'))
			t->i++;
		if (digit_run(t, is_digit) == 0)
			return tp_error(p, at, "invalid exponent in float");
		isfloat = 1;
	}
	if (t->i != t->n)
		return tp_error(p, at, "invalid number");
	return num_convert(p, t->s, t->n, 10, isfloat, at, out);
}

static int
number(struct toml_parser *p, struct toml **out)
{
	struct numtok	 t;
	size_t		 at = p->pos;
	int		 c;

	while ((c = tp_peek(p, 0)) != -1 && (is_digit(c) || c == '_' ||
	    c == '+' || c == '-' || c == '.' || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z')))
		p->pos++;
	t.s = p->buf + at;
	t.n = p->pos - at;
	t.i = 0;
	if (t.n == 0)
		return tp_expected(p, "a value");
	if (t.s[0] == '+' || t.s[0] == '-')
		t.i = 1;
	if (t.n - t.i == 3 && (strncmp(t.s + t.i, "inf", 3) == 0 ||
	    strncmp(t.s + t.i, "nan", 3) == 0))
		return num_special(p, &t, out);
	if (t.i >= t.n || !is_digit((unsigned char)t.s[t.i]))
		return tp_error(p, at, "invalid value '%.*s'",
		    t.n > 32 ? 32 : (int)t.n, t.s);
	if (t.i == 0 && t.n > 2 && t.s[0] == '0' &&
	    (t.s[1] == 'x' || t.s[1] == 'o' || t.s[1] == 'b'))
		return num_radix(p, &t, at, out);
	return num_decimal(p, &t, at, out);
}

/* Exactly n digits at offset off; their value goes to *val. */
static int
scan_digits(struct toml_parser *p, size_t off, int n, int *val)
{
	int	 i, c;

	*val = 0;
	for (i = 0; i < n; i++) {
		if (!is_digit(c = tp_peek(p, off + i)))
			return -1;
		*val = *val * 10 + (c - '0');
	}
	return 0;
}

/* YYYY-MM-DD with a real day of a real month. */
static int
scan_date(struct toml_parser *p, size_t *offp)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30,
	    31, 30, 31 };
	int	 y, m, d, leap;

	if (scan_digits(p, 0, 4, &y) == -1 || tp_peek(p, 4) != '-' ||
	    scan_digits(p, 5, 2, &m) == -1 || tp_peek(p, 7) != '-' ||
	    scan_digits(p, 8, 2, &d) == -1)
		return tp_error(p, p->pos, "invalid date, expected "
		    "YYYY-MM-DD");
	if (m < 1 || m > 12)
		return tp_error(p, p->pos, "invalid month in date");
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (d < 1 || d > mdays[m - 1] || (m == 2 && d == 29 && !leap))
		return tp_error(p, p->pos, "invalid day of month in date");
	*offp = 10;
	return 0;
}

/*
 * HH:MM:SS[.frac] at offset off.  A second of 60 is accepted because
 * RFC 3339 allows leap seconds; whether that one existed is not ours to
 * check.
 */
static int
scan_time(struct toml_parser *p, size_t off, size_t *endp)
{
	int	 h, m, s;

	if (scan_digits(p, off, 2, &h) == -1 || tp_peek(p, off + 2) != ':' ||
	    scan_digits(p, off + 3, 2, &m) == -1 ||
	    tp_peek(p, off + 5) != ':' ||
	    scan_digits(p, off + 6, 2, &s) == -1)
		return tp_error(p, p->pos + off, "invalid time, expected "
		    "HH:MM:SS");
	if (h > 23 || m > 59 || s > 60)
		return tp_error(p, p->pos + off, "time out of range");
	off += 8;
	if (tp_peek(p, off) == '.') {
		if (!is_digit(tp_peek(p, off + 1)))
			return tp_error(p, p->pos + off, "missing digits "
			    "after the decimal point in time");
		for (off++; is_digit(tp_peek(p, off)); off++)
			;
	}
	*endp = off;
	return 0;
}

/* Z or +HH:MM / -HH:MM; *endp stays put if there is no offset. */
static int
scan_offset(struct toml_parser *p, size_t off, size_t *endp)
{
	int	 c = tp_peek(p, off), h, m;

	*endp = off;
	if (c == 'Z' || c == 'z') {
		*endp = off + 1;
		return 0;
	}
	if (c != '+' && c != '-')
		return 0;
	if (scan_digits(p, off + 1, 2, &h) == -1 ||
	    tp_peek(p, off + 3) != ':' ||
	    scan_digits(p, off + 4, 2, &m) == -1)
		return tp_error(p, p->pos + off, "invalid time offset, "
		    "expected +HH:MM");
	if (h > 23 || m > 59)
		return tp_error(p, p->pos + off, "time offset out of range");
	*endp = off + 6;
	return 0;
}

/*
 * Keep a date or time as text in one spelling: the input's digits with
 * an upper-case T between date and time and an upper-case Z.  The time
 * runs from tstart to tend in the input and the offset from tend to end.
 */
static int
dt_text(struct toml_parser *p, enum toml_type type, size_t tstart,
    size_t tend, size_t end, struct toml **out)
{
	struct toml	*v;
	const char	*s = p->buf + p->pos;
	char		*t;
	size_t		 k = 0;

	if ((v = toml_node_new(type, 0)) == NULL ||
	    (t = malloc(end + 1)) == NULL) {
		toml_free(v);
		return tp_error(p, p->pos, "out of memory");
	}
	if (type != TOML_TIME_LOCAL) {
		memcpy(t, s, 10);
		k = 10;
	}
	if (type == TOML_DATETIME || type == TOML_DATETIME_LOCAL)
		t[k++] = 'T';
	memcpy(t + k, s + tstart, tend - tstart);
	k += tend - tstart;
	if (end > tend && (s[tend] == 'z' || s[tend] == 'Z'))
		t[k++] = 'Z';
	else if (end > tend) {
		memcpy(t + k, s + tend, end - tend);
		k += end - tend;
	}
	t[k] = '\0';
	v->u.s.ptr = t;
	v->u.s.len = k;
	p->pos += end;
	*out = v;
	return 0;
}

/*
 * A date, a time, or both.  The date and time may be separated by T or
 * by one space; a space followed by anything that does not look like a
 * time ends a plain local date.
 */
static int
datetime(struct toml_parser *p, struct toml **out)
{
	size_t	 off, tsep, tend, end;
	int	 c, h;

	if (tp_peek(p, 2) == ':') {
		if (scan_time(p, 0, &tend) == -1)
			return -1;
		return dt_text(p, TOML_TIME_LOCAL, 0, tend, tend, out);
	}
	if (scan_date(p, &off) == -1)
		return -1;
	c = tp_peek(p, off);
	if (c != 'T' && c != 't' && !(c == ' ' &&
	    scan_digits(p, off + 1, 2, &h) == 0 && tp_peek(p, off + 3) == ':'))
		return dt_text(p, TOML_DATE_LOCAL, off, off, off, out);
	tsep = off + 1;
	if (scan_time(p, tsep, &tend) == -1 ||
	    scan_offset(p, tend, &end) == -1)
		return -1;
	return dt_text(p, end > tend ? TOML_DATETIME : TOML_DATETIME_LOCAL,
	    tsep, tend, end, out);
}

/* Any value that does not start with a quote or a bracket. */
int
tp_scalar(struct toml_parser *p, struct toml **out)
{
	struct toml	*v;
	int		 h;

	*out = NULL;
	if (tp_peek(p, 0) == 't' || tp_peek(p, 0) == 'f') {
		h = tp_peek(p, 0) == 't';
		if (p->len - p->pos < 4U + !h ||
		    memcmp(p->buf + p->pos, h ? "true" : "false", 4 + !h) != 0)
			return tp_error(p, p->pos, "invalid value, expected "
			    "true or false");
		if ((v = toml_node_new(TOML_BOOL, 0)) == NULL)
			return tp_error(p, p->pos, "out of memory");
		v->u.b = h;
		p->pos += 4 + !h;
		*out = v;
		return 0;
	}
	if ((scan_digits(p, 0, 4, &h) == 0 && tp_peek(p, 4) == '-') ||
	    (scan_digits(p, 0, 2, &h) == 0 && tp_peek(p, 2) == ':'))
		return datetime(p, out);
	return number(p, out);
}
