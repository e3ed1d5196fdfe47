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
 * Incremental text/event-stream parser; see sse.h for the contract.
 *
 * Lines that lie wholly inside one buffer given to sse_feed() are parsed
 * in place, without copying.  Only the unterminated tail of a buffer is
 * copied, into the line buffer, and completed by the next feed.  Data
 * values are copied once, into the data buffer, because several data
 * lines must be joined and because the callback is promised a
 * NUL-terminated string.
 */

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sse.h"

struct sbuf {
	char	*b;
	size_t	 len;
	size_t	 cap;
};

struct sse {
	sse_cb		 cb;
	void		*arg;
	size_t		 max_line;
	size_t		 max_data;
	struct sbuf	 line;		/* unterminated tail of the last feed */
	struct sbuf	 data;		/* joined data of the pending event */
	struct sbuf	 name;		/* event name of the pending event */
	int		 hasdata;	/* a data line was seen */
	int		 skiplf;	/* last feed ended in CR: drop one LF */
	int		 started;	/* first line seen (BOM check done) */
	int		 finished;	/* sse_finish() was called */
	int		 failed;
	char		 err[128];
};

static int	 sbuf_reserve(struct sbuf *, size_t);
static int	 sbuf_append(struct sbuf *, const char *, size_t);
static int	 sse_fail(struct sse *, const char *, ...)
		    __attribute__((__format__(__printf__, 2, 3)));
static int	 sse_line(struct sse *, const char *, size_t);
static int	 sse_field(struct sse *, const char *, size_t, const char *,
		    size_t);
static int	 sse_data(struct sse *, const char *, size_t);
static void	 sse_dispatch(struct sse *);
static int	 sse_tail(struct sse *, const char *, size_t);
static size_t	 sse_eol(const char *, size_t, size_t, size_t *, size_t *);
static int	 sse_take(struct sse *, const char *, size_t);

/* Make room for need bytes plus a NUL, growing geometrically. */
static int
sbuf_reserve(struct sbuf *sb, size_t need)
{
	size_t	 ncap;
	char	*nb;

	if (need == SIZE_MAX)
		return -1;
	if (need + 1 <= sb->cap)
		return 0;
	ncap = sb->cap > 0 ? sb->cap : 64;
	while (ncap < need + 1) {
		if (ncap > SIZE_MAX / 2) {
			ncap = need + 1;
			break;
		}
		ncap *= 2;
	}
	if ((nb = realloc(sb->b, ncap)) == NULL)
		return -1;
	sb->b = nb;
	sb->cap = ncap;
	return 0;
}

static int
sbuf_append(struct sbuf *sb, const char *p, size_t n)
{
	if (n > SIZE_MAX - 1 - sb->len)
		return -1;
	if (sbuf_reserve(sb, sb->len + n) == -1)
		return -1;
	memcpy(sb->b + sb->len, p, n);
	sb->len += n;
	sb->b[sb->len] = '\0';
	return 0;
}

static int
sse_fail(struct sse *s, const char *fmt, ...)
{
	va_list	 ap;
	int	 r;

	va_start(ap, fmt);
	r = vsnprintf(s->err, sizeof(s->err), fmt, ap);
	va_end(ap);
	if (r < 0)
		(void)strlcpy(s->err, "sse: error", sizeof(s->err));
	s->failed = 1;
	return -1;
}

struct sse *
sse_new(size_t max_line, sse_cb cb, void *arg)
{
	struct sse	*s;

	if (max_line == 0 || cb == NULL) {
		errno = EINVAL;
		return NULL;
	}
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	s->cb = cb;
	s->arg = arg;
	s->max_line = max_line;
	s->max_data = SSE_MAX_DATA_DEFAULT;
	/* The data buffer always exists, so an empty event has a "" to pass. */
	if (sbuf_reserve(&s->data, 256) == -1 ||
	    sbuf_reserve(&s->name, 64) == -1) {
		sse_free(s);
		return NULL;
	}
	s->data.b[0] = '\0';
	s->name.b[0] = '\0';
	return s;
}

void
sse_set_max_data(struct sse *s, size_t max)
{
	s->max_data = max;
}

const char *
sse_error(const struct sse *s)
{
	return s->failed ? s->err : NULL;
}

void
sse_free(struct sse *s)
{
	if (s == NULL)
		return;
	free(s->line.b);
	free(s->data.b);
	free(s->name.b);
	free(s);
}

static void
sse_dispatch(struct sse *s)
{
	const char	*name;

	if (s->hasdata) {
		name = s->name.len > 0 ? s->name.b : NULL;
		s->cb(name, s->data.b, s->data.len, s->arg);
	}
	s->hasdata = 0;
	s->data.len = 0;
	s->data.b[0] = '\0';
	s->name.len = 0;
	s->name.b[0] = '\0';
}

static int
sse_data(struct sse *s, const char *v, size_t vlen)
{
	size_t	 need;

	/* Lines are joined with "\n", so every line after the first adds one. */
	need = s->data.len + (s->hasdata ? 1 : 0);
	if (vlen > s->max_data || need > s->max_data - vlen)
		return sse_fail(s, "sse: event data longer than %zu bytes",
		    s->max_data);
	if (s->hasdata && sbuf_append(&s->data, "\n", 1) == -1)
		return sse_fail(s, "sse: out of memory");
	if (sbuf_append(&s->data, v, vlen) == -1)
		return sse_fail(s, "sse: out of memory");
	s->hasdata = 1;
	return 0;
}

static int
sse_field(struct sse *s, const char *f, size_t flen, const char *v,
    size_t vlen)
{
	if (flen == 4 && memcmp(f, "data", 4) == 0)
		return sse_data(s, v, vlen);
	if (flen == 5 && memcmp(f, "event", 5) == 0) {
		s->name.len = 0;
		if (sbuf_append(&s->name, v, vlen) == -1)
			return sse_fail(s, "sse: out of memory");
		return 0;
	}
	/* "id", "retry" and unknown fields mean nothing to our clients. */
	return 0;
}

/* Handle one complete line, without its terminator. */
static int
sse_line(struct sse *s, const char *p, size_t n)
{
	const char	*colon, *v;
	size_t		 flen, vlen;

	if (!s->started) {
		s->started = 1;
		if (n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0) {
			p += 3;
			n -= 3;
		}
	}
	if (n == 0) {
		sse_dispatch(s);
		return 0;
	}
	if (p[0] == ':')
		return 0;
	/* Nearly every line of a model stream is a data line: test it first. */
	if (n >= 5 && memcmp(p, "data:", 5) == 0) {
		v = p + 5;
		vlen = n - 5;
		if (vlen > 0 && v[0] == ' ') {
			v++;
			vlen--;
		}
		return sse_data(s, v, vlen);
	}
	if ((colon = memchr(p, ':', n)) == NULL)
		return sse_field(s, p, n, "", 0);
	flen = colon - p;
	v = colon + 1;
	vlen = n - flen - 1;
	if (vlen > 0 && v[0] == ' ') {
		v++;
		vlen--;
	}
	return sse_field(s, p, flen, v, vlen);
}

/* Keep the unterminated end of a feed for the next one. */
static int
sse_tail(struct sse *s, const char *p, size_t n)
{
	if (n > s->max_line - s->line.len)
		return sse_fail(s, "sse: line longer than %zu bytes",
		    s->max_line);
	if (sbuf_append(&s->line, p, n) == -1)
		return sse_fail(s, "sse: out of memory");
	return 0;
}

/*
 * Offset of the next CR or LF at or after i, or len if there is none.
 * Where the next LF and the next CR are is remembered across calls, so
 * a stream that uses only one kind of line end is scanned once, not
 * once per line.  SIZE_MAX in *lf or *cr means "not looked for yet".
 */
static size_t
sse_eol(const char *b, size_t len, size_t i, size_t *lf, size_t *cr)
{
	const char	*q;

	if (*lf == SIZE_MAX || *lf < i) {
		q = memchr(b + i, '\n', len - i);
		*lf = q != NULL ? (size_t)(q - b) : len;
	}
	if (*cr == SIZE_MAX || *cr < i) {
		q = memchr(b + i, '\r', len - i);
		*cr = q != NULL ? (size_t)(q - b) : len;
	}
	return *lf < *cr ? *lf : *cr;
}

/*
 * A line ends at p + n.  If an earlier feed left its beginning in the
 * line buffer, complete it there; otherwise parse it where it lies.
 */
static int
sse_take(struct sse *s, const char *p, size_t n)
{
	int	 r;

	if (s->line.len == 0) {
		if (n > s->max_line)
			return sse_fail(s, "sse: line longer than %zu bytes",
			    s->max_line);
		return sse_line(s, p, n);
	}
	if (sse_tail(s, p, n) == -1)
		return -1;
	r = sse_line(s, s->line.b, s->line.len);
	s->line.len = 0;
	return r;
}

int
sse_feed(struct sse *s, const void *buf, size_t len)
{
	const char	*b = buf;
	size_t		 i = 0, e, lf = SIZE_MAX, cr = SIZE_MAX;

	if (s->failed)
		return -1;
	if (s->finished)
		return sse_fail(s, "sse: data fed after sse_finish");
	if (len > 0 && s->skiplf) {
		if (b[0] == '\n')
			i = 1;
		s->skiplf = 0;
	}
	while (i < len) {
		if ((e = sse_eol(b, len, i, &lf, &cr)) == len)
			return sse_tail(s, b + i, len - i);
		if (sse_take(s, b + i, e - i) == -1)
			return -1;
		/* A CR may be half of a CRLF whose LF is in the next feed. */
		if (b[e] == '\r') {
			if (e + 1 < len && b[e + 1] == '\n')
				e++;
			else if (e + 1 == len)
				s->skiplf = 1;
		}
		i = e + 1;
	}
	return 0;
}

int
sse_finish(struct sse *s)
{
	if (s->failed)
		return -1;
	if (s->finished)
		return 0;
	s->finished = 1;
	if (s->line.len > 0) {
		if (sse_line(s, s->line.b, s->line.len) == -1)
			return -1;
		s->line.len = 0;
	}
	sse_dispatch(s);
	return 0;
}
