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
 * apply_patch text handling that needs no file system: the lenient
 * parser and path canonicalisation.  The line matcher is in patchtext.c,
 * the recogniser of apply_patch command lines in patchinvoke.c.
 */

#include <sys/queue.h>

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "execproc/patch.h"
#include "execproc/patch-int.h"

#define BEGIN_MARKER	"*** Begin Patch"
#define END_MARKER	"*** End Patch"
#define ADD_MARKER	"*** Add File: "
#define DELETE_MARKER	"*** Delete File: "
#define UPDATE_MARKER	"*** Update File: "
#define MOVE_MARKER	"*** Move to: "
#define EOF_MARKER	"*** End of File"
#define CTX_MARKER	"@@ "
#define BARE_CTX_MARKER	"@@"

/* A line of the patch text; it points into the caller's buffer. */
struct span {
	const char	*s;
	size_t		 len;
};

struct pstate {
	const struct span *l;		/* the lines between the markers */
	size_t		 n;
	char		*err;
	size_t		 errlen;
};

static void
seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list	 ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	(void)vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* Codex's InvalidHunkError: "invalid hunk at line N, <message>". */
static void
hunkerr(struct pstate *ps, size_t line, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	if (ps->err == NULL || ps->errlen == 0)
		return;
	n = snprintf(ps->err, ps->errlen, "invalid hunk at line %zu, ", line);
	if (n < 0 || (size_t)n >= ps->errlen)
		return;
	va_start(ap, fmt);
	(void)vsnprintf(ps->err + n, ps->errlen - n, fmt, ap);
	va_end(ap);
}

static int
nomem(struct pstate *ps)
{
	seterr(ps->err, ps->errlen, "out of memory");
	return -1;
}

/* Lines are quoted in messages; a printf precision is an int. */
static int
prec(size_t len)
{
	return len > INT_MAX ? INT_MAX : (int)len;
}

static int
span_is(const struct span *l, const char *lit)
{
	return patch_bytes_eq(l->s, l->len, lit, strlen(lit));
}

static int
span_prefix(const struct span *l, const char *lit, struct span *rest)
{
	size_t	 n = strlen(lit);

	if (l->len < n || memcmp(l->s, lit, n) != 0)
		return 0;
	if (rest != NULL) {
		rest->s = l->s + n;
		rest->len = l->len - n;
	}
	return 1;
}

static struct span
span_trim(const struct span *l)
{
	struct span	 t;
	size_t		 b, e;

	patch_u8_trim(l->s, l->len, 1, &b, &e);
	t.s = l->s + b;
	t.len = e - b;
	return t;
}

static int
str_set(struct patch_str *d, const char *s, size_t len)
{
	if ((d->s = malloc(len + 1)) == NULL)
		return -1;
	if (len > 0)
		memcpy(d->s, s, len);
	d->s[len] = '\0';
	d->len = len;
	return 0;
}

static int
lines_push(struct patch_lines *l, const char *s, size_t len)
{
	struct patch_str	*v;
	size_t			 cap;

	if (l->n == l->cap) {
		cap = l->cap == 0 ? 8 : l->cap * 2;
		if ((v = reallocarray(l->v, cap, sizeof(*v))) == NULL)
			return -1;
		l->v = v;
		l->cap = cap;
	}
	if (str_set(&l->v[l->n], s, len) == -1)
		return -1;
	l->n++;
	return 0;
}

static void
lines_free(struct patch_lines *l)
{
	size_t	 i;

	for (i = 0; i < l->n; i++)
		free(l->v[i].s);
	free(l->v);
}

/*
 * Split like Rust's str::lines(): on "\n", dropping a "\r" before it; a
 * final line without "\n" counts, an empty text has no lines.
 */
static int
split_lines(const char *s, size_t len, struct span **out, size_t *nout)
{
	struct span	*v;
	const char	*p;
	size_t		 i, n = 1, start = 0, l;

	for (i = 0; i < len; i++)
		if (s[i] == '\n')
			n++;
	if ((v = reallocarray(NULL, n, sizeof(*v))) == NULL)
		return -1;
	n = 0;
	while (start < len) {
		v[n].s = s + start;
		if ((p = memchr(s + start, '\n', len - start)) == NULL) {
			v[n++].len = len - start;
			break;
		}
		l = p - (s + start);
		if (l > 0 && s[start + l - 1] == '\r')
			l--;
		v[n++].len = l;
		start = (p - s) + 1;
	}
	*out = v;
	*nout = n;
	return 0;
}

static int
bounds_strict(const struct span *l, size_t n, char *err, size_t errlen)
{
	struct span	 first, last;

	if (n > 0) {
		first = span_trim(&l[0]);
		last = span_trim(&l[n - 1]);
		if (span_is(&first, BEGIN_MARKER) && span_is(&last, END_MARKER))
			return 0;
		if (!span_is(&first, BEGIN_MARKER)) {
			seterr(err, errlen, "invalid patch: The first line of "
			    "the patch must be '%s'", BEGIN_MARKER);
			return -1;
		}
	}
	seterr(err, errlen, "invalid patch: The last line of the patch "
	    "must be '%s'", END_MARKER);
	return -1;
}

/*
 * gpt-4.1 tends to pass "<<'EOF'\n...\nEOF" as the literal argument of
 * apply_patch, so when the markers are not where they belong and the text
 * looks like such a heredoc, the lines inside it are checked instead.
 */
static int
bounds(const struct span *l, size_t n, size_t *lo, size_t *hi, char *err,
    size_t errlen)
{
	struct span	 last;

	if (bounds_strict(l, n, err, errlen) == 0) {
		*lo = 1;
		*hi = n - 1;
		return 0;
	}
	if (n < 4)
		return -1;
	if (!span_is(&l[0], "<<EOF") && !span_is(&l[0], "<<'EOF'") &&
	    !span_is(&l[0], "<<\"EOF\""))
		return -1;
	last = l[n - 1];
	if (last.len < 3 || memcmp(last.s + last.len - 3, "EOF", 3) != 0)
		return -1;
	if (bounds_strict(l + 1, n - 2, err, errlen) == -1)
		return -1;
	*lo = 2;
	*hi = n - 2;
	return 0;
}

/*
 * Add one line to a chunk: 1 if it was a chunk line, 0 if not, -1 when
 * out of memory.  An empty line is an empty context line.
 */
static int
chunk_line(struct pstate *ps, struct patch_chunk *c, const struct span *l)
{
	const char	*s = l->s + 1;
	size_t		 len = l->len - 1;
	char		 k = l->len == 0 ? ' ' : l->s[0];

	if (l->len == 0)
		s = "", len = 0;
	if (k != ' ' && k != '+' && k != '-')
		return 0;
	if (k != '+' && lines_push(&c->old_lines, s, len) == -1)
		return nomem(ps);
	if (k != '-' && lines_push(&c->new_lines, s, len) == -1)
		return nomem(ps);
	return 1;
}

/* One chunk starting at line i; lineno is the number of line i. */
static int
parse_chunk(struct pstate *ps, struct patch_hunk *h, size_t i,
    size_t lineno, int first, size_t *used)
{
	struct patch_chunk	*c;
	struct span		 ctx;
	size_t			 start = 1, parsed = 0, j;
	int			 r;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return nomem(ps);
	TAILQ_INSERT_TAIL(&h->chunks, c, entry);
	if (span_prefix(&ps->l[i], CTX_MARKER, &ctx)) {
		if (str_set(&c->context, ctx.s, ctx.len) == -1)
			return nomem(ps);
	} else if (!span_is(&ps->l[i], BARE_CTX_MARKER)) {
		if (!first) {
			hunkerr(ps, lineno, "Expected update hunk to start "
			    "with a @@ context marker, got: '%.*s'",
			    prec(ps->l[i].len), ps->l[i].s);
			return -1;
		}
		start = 0;
	}
	if (i + start >= ps->n) {
		hunkerr(ps, lineno + 1, "Update hunk does not contain any "
		    "lines");
		return -1;
	}
	for (j = i + start; j < ps->n; j++, parsed++) {
		if (span_is(&ps->l[j], EOF_MARKER)) {
			if (parsed == 0) {
				hunkerr(ps, lineno + 1, "Update hunk does not "
				    "contain any lines");
				return -1;
			}
			c->eof = 1;
			parsed++;
			break;
		}
		if ((r = chunk_line(ps, c, &ps->l[j])) == -1)
			return -1;
		if (r == 1)
			continue;
		if (parsed == 0) {
			hunkerr(ps, lineno + 1, "Unexpected line found in "
			    "update hunk: '%.*s'. Every line should start with "
			    "' ' (context line), '+' (added line), or '-' "
			    "(removed line)", prec(ps->l[j].len), ps->l[j].s);
			return -1;
		}
		break;
	}
	*used = parsed + start;
	return 0;
}

static int
parse_update(struct pstate *ps, struct patch_hunk *h, size_t idx,
    size_t lineno, size_t *used)
{
	struct span	 rest, t;
	size_t		 i = idx + 1, n;

	if (i < ps->n && span_prefix(&ps->l[i], MOVE_MARKER, &rest)) {
		if (str_set(&h->move_to, rest.s, rest.len) == -1)
			return nomem(ps);
		i++;
	}
	while (i < ps->n) {
		/* Blank lines may separate chunks. */
		t = span_trim(&ps->l[i]);
		if (t.len == 0) {
			i++;
			continue;
		}
		if (ps->l[i].s[0] == '*')
			break;
		if (parse_chunk(ps, h, i, lineno + (i - idx),
		    TAILQ_EMPTY(&h->chunks), &n) == -1)
			return -1;
		i += n;
	}
	if (TAILQ_EMPTY(&h->chunks)) {
		hunkerr(ps, lineno, "Update file hunk for path '%.*s' is empty",
		    prec(h->path.len), h->path.s);
		return -1;
	}
	*used = i - idx;
	return 0;
}

static int
parse_add(struct pstate *ps, struct patch_hunk *h, size_t idx, size_t *used)
{
	size_t	 i, len = 0;
	char	*p;

	for (i = idx + 1; i < ps->n; i++) {
		if (ps->l[i].len == 0 || ps->l[i].s[0] != '+')
			break;
		len += ps->l[i].len;	/* the '+' makes room for "\n" */
	}
	if ((h->contents.s = malloc(len + 1)) == NULL)
		return nomem(ps);
	p = h->contents.s;
	for (i = idx + 1; i < ps->n; i++) {
		if (ps->l[i].len == 0 || ps->l[i].s[0] != '+')
			break;
		memcpy(p, ps->l[i].s + 1, ps->l[i].len - 1);
		p += ps->l[i].len - 1;
		*p++ = '\n';
	}
	*p = '\0';
	h->contents.len = len;
	*used = i - idx;
	return 0;
}

static int
parse_hunk(struct pstate *ps, struct patch *p, size_t idx, size_t lineno,
    size_t *used)
{
	struct patch_hunk	*h;
	struct span		 first, path;

	if ((h = calloc(1, sizeof(*h))) == NULL)
		return nomem(ps);
	TAILQ_INIT(&h->chunks);
	TAILQ_INSERT_TAIL(&p->hunks, h, entry);
	p->nhunks++;
	h->line = lineno;
	first = span_trim(&ps->l[idx]);
	if (span_prefix(&first, ADD_MARKER, &path))
		h->kind = PATCH_ADD;
	else if (span_prefix(&first, DELETE_MARKER, &path))
		h->kind = PATCH_DELETE;
	else if (span_prefix(&first, UPDATE_MARKER, &path))
		h->kind = PATCH_UPDATE;
	else {
		hunkerr(ps, lineno, "'%.*s' is not a valid hunk header. Valid "
		    "hunk headers: '*** Add File: {path}', '*** Delete File: "
		    "{path}', '*** Update File: {path}'", prec(first.len),
		    first.s);
		return -1;
	}
	if (str_set(&h->path, path.s, path.len) == -1)
		return nomem(ps);
	switch (h->kind) {
	case PATCH_ADD:
		return parse_add(ps, h, idx, used);
	case PATCH_DELETE:
		*used = 1;
		return 0;
	case PATCH_UPDATE:
		return parse_update(ps, h, idx, lineno, used);
	}
	return -1;
}

struct patch *
patch_parse(const char *text, size_t len, char *err, size_t errlen)
{
	struct patch	*p = NULL;
	struct span	*lines = NULL;
	struct pstate	 ps;
	size_t		 b, e, n, lo, hi, i, used, lineno = 2;

	if (text == NULL) {
		text = "";
		len = 0;
	}
	patch_u8_trim(text, len, 1, &b, &e);
	if (split_lines(text + b, e - b, &lines, &n) == -1) {
		seterr(err, errlen, "out of memory");
		return NULL;
	}
	if (bounds(lines, n, &lo, &hi, err, errlen) == -1)
		goto fail;
	if ((p = calloc(1, sizeof(*p))) == NULL) {
		seterr(err, errlen, "out of memory");
		goto fail;
	}
	TAILQ_INIT(&p->hunks);
	ps.l = lines + lo;
	ps.n = hi - lo;
	ps.err = err;
	ps.errlen = errlen;
	for (i = 0; i < ps.n; i += used, lineno += used)
		if (parse_hunk(&ps, p, i, lineno, &used) == -1)
			goto fail;
	free(lines);
	return p;
 fail:
	free(lines);
	patch_free(p);
	return NULL;
}

void
patch_free(struct patch *p)
{
	struct patch_hunk	*h, *th;
	struct patch_chunk	*c, *tc;

	if (p == NULL)
		return;
	TAILQ_FOREACH_SAFE(h, &p->hunks, entry, th) {
		TAILQ_FOREACH_SAFE(c, &h->chunks, entry, tc) {
			free(c->context.s);
			lines_free(&c->old_lines);
			lines_free(&c->new_lines);
			free(c);
		}
		free(h->path.s);
		free(h->move_to.s);
		free(h->contents.s);
		free(h);
	}
	free(p);
}

/*
 * Since the applier never follows symbolic links, resolving ".." by text
 * gives the same file the kernel would reach, and it lets the caller
 * notice that two spellings name one file.
 */
int
patch_path_clean(const struct patch_str *path, char **out, char *err,
    size_t errlen)
{
	const char	*p, *q, *end;
	char		*buf;
	size_t		 o = 0;

	*out = NULL;
	if (path->s == NULL || path->len == 0 ||
	    memchr(path->s, '\0', path->len) != NULL) {
		seterr(err, errlen, "invalid path '%s'",
		    path->s != NULL ? path->s : "");
		return -1;
	}
	if (path->s[0] == '/') {
		seterr(err, errlen, "refusing absolute path '%s': paths must "
		    "be relative to the working directory", path->s);
		return -1;
	}
	if ((buf = malloc(path->len + 1)) == NULL) {
		seterr(err, errlen, "out of memory");
		return -1;
	}
	end = path->s + path->len;
	for (p = path->s; p < end; p = q + 1) {
		if ((q = memchr(p, '/', end - p)) == NULL)
			q = end;
		if (q == p || (q - p == 1 && p[0] == '.'))
			continue;
		if (q - p == 2 && p[0] == '.' && p[1] == '.') {
			if (o == 0) {
				seterr(err, errlen, "refusing path '%s': it "
				    "leads outside the working directory",
				    path->s);
				free(buf);
				return -1;
			}
			while (o > 0 && buf[o - 1] != '/')
				o--;
			if (o > 0)
				o--;
			continue;
		}
		if (o > 0)
			buf[o++] = '/';
		memcpy(buf + o, p, q - p);
		o += q - p;
	}
	if (o == 0) {
		seterr(err, errlen, "invalid path '%s': it names no file",
		    path->s);
		free(buf);
		return -1;
	}
	buf[o] = '\0';
	*out = buf;
	return 0;
}
