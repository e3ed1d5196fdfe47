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
 * The grammar of TOML documents: lines, [table] and [[array]] headers,
 * key/value pairs, arrays and inline tables, and the rules about which
 * tables may be defined or extended, and how.
 *
 * Every table remembers how it was made (see TOML_F_* in toml.h):
 * - a [header] may define a table that does not exist yet, or one that
 *   so far only exists as the parent of another header (IMPLICIT);
 * - a header may pass through tables of any kind but inline ones, and
 *   through an array of tables into its last element;
 * - a dotted key may create tables, and pass through tables made by
 *   dotted keys, but never into one made by a header or an inline table;
 * - inline tables and arrays written as values never change afterwards.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/toml.h"
#include "agent/toml-int.h"

static const char *article(enum toml_type);
static const char *key_show(const struct toml_keypart *, char *, size_t);
static struct toml *tab_child(struct toml_parser *, struct toml *,
		    const struct toml_keypart *, enum toml_type,
		    unsigned int);
static int	parse_line(struct toml_parser *);
static int	parse_header(struct toml_parser *);
static int	header_define(struct toml_parser *, struct toml_key *, int);
static struct toml *header_walk(struct toml_parser *, struct toml_key *);
static int	parse_keyval(struct toml_parser *, struct toml *);
static int	kv_insert(struct toml_parser *, struct toml *,
		    struct toml_key *, struct toml *);
static int	parse_value(struct toml_parser *, unsigned int,
		    struct toml **);
static int	parse_string(struct toml_parser *, struct toml **);
static int	parse_array(struct toml_parser *, unsigned int,
		    struct toml **);
static int	parse_inline(struct toml_parser *, unsigned int,
		    struct toml **);

/*
 * A key as it may appear in an error message: shortened, with control
 * characters (which escapes can put in keys) replaced.
 */
static const char *
key_show(const struct toml_keypart *kp, char *dst, size_t dsz)
{
	size_t	 i, n = kp->len < dsz - 1 ? kp->len : dsz - 1;

	for (i = 0; i < n; i++) {
		dst[i] = kp->s[i];
		if ((unsigned char)dst[i] < 0x20 || dst[i] == 0x7f)
			dst[i] = '?';
	}
	dst[n] = '\0';
	return dst;
}

static const char *
article(enum toml_type type)
{
	return strchr("aeiou", toml_type_name(type)[0]) ? "an" : "a";
}

/* Make a new table or array under key kp of parent. */
static struct toml *
tab_child(struct toml_parser *p, struct toml *parent,
    const struct toml_keypart *kp, enum toml_type type, unsigned int flags)
{
	struct toml	*v;

	if (parent->depth >= TOML_MAXDEPTH) {
		tp_error(p, kp->pos, "tables nested too deeply");
		return NULL;
	}
	if ((v = toml_node_new(type, flags)) == NULL) {
		tp_error(p, kp->pos, "out of memory");
		return NULL;
	}
	v->depth = parent->depth + 1;
	if (toml_tab_add(parent, kp->s, kp->len, v) == -1) {
		toml_free(v);
		tp_error(p, kp->pos, "out of memory");
		return NULL;
	}
	return v;
}

struct toml *
toml_parse(const char *buf, size_t len, struct toml_error *err)
{
	struct toml_parser	 p;

	memset(&p, 0, sizeof(p));
	p.buf = buf;
	p.len = len;
	p.err = err;
	if (err != NULL)
		memset(err, 0, sizeof(*err));
	if (tp_utf8_check(&p) == -1)
		return NULL;
	/* A byte order mark is allowed, and ignored, at the very start. */
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		p.pos = 3;
	if ((p.root = toml_node_new(TOML_TABLE, TOML_F_HEADER)) == NULL) {
		tp_error(&p, 0, "out of memory");
		return NULL;
	}
	p.cur = p.root;
	while (p.pos < p.len) {
		if (parse_line(&p) == -1) {
			toml_free(p.root);
			return NULL;
		}
	}
	return p.root;
}

struct toml *
toml_parse_value(const char *buf, size_t len, struct toml_error *err)
{
	struct toml_parser	 p;
	struct toml		*v;

	memset(&p, 0, sizeof(p));
	p.buf = buf;
	p.len = len;
	p.err = err;
	if (err != NULL)
		memset(err, 0, sizeof(*err));
	if (tp_utf8_check(&p) == -1)
		return NULL;
	tp_ws(&p);
	if (parse_value(&p, 1, &v) == -1)
		return NULL;
	if (tp_ws_nl(&p) == -1)
		goto fail;
	if (p.pos != p.len) {
		tp_error(&p, p.pos, "unexpected text after the value");
		goto fail;
	}
	return v;
fail:
	toml_free(v);
	return NULL;
}

static int
parse_line(struct toml_parser *p)
{
	int	 c;

	tp_ws(p);
	c = tp_peek(p, 0);
	if (c == '#' || c == '\n' || c == '\r' || c == -1)
		return tp_eol(p);
	if (c == '[')
		return parse_header(p);
	if (parse_keyval(p, p->cur) == -1)
		return -1;
	return tp_eol(p);
}

/* [a.b.c] or [[a.b.c]], then the end of the line. */
static int
parse_header(struct toml_parser *p)
{
	struct toml_key	 k;
	int		 aot, r;

	memset(&k, 0, sizeof(k));
	p->pos++;
	aot = tp_peek(p, 0) == '[';
	if (aot)
		p->pos++;
	if (tp_key(p, &k) == -1) {
		tp_key_free(&k);
		return -1;
	}
	if (tp_peek(p, 0) != ']' || (aot && tp_peek(p, 1) != ']')) {
		tp_key_free(&k);
		return tp_expected(p, aot ? "']]' to close the header" :
		    "']' to close the header");
	}
	p->pos += aot ? 2 : 1;
	r = header_define(p, &k, aot);
	tp_key_free(&k);
	if (r == -1)
		return -1;
	return tp_eol(p);
}

/* Find or make the parents of a header's last key. */
static struct toml *
header_walk(struct toml_parser *p, struct toml_key *k)
{
	struct toml	*t = p->root, *c;
	char		 ks[64];
	size_t		 i;

	for (i = 0; i + 1 < k->n; i++) {
		c = toml_tab_find(t, k->v[i].s, k->v[i].len);
		if (c == NULL)
			c = tab_child(p, t, &k->v[i], TOML_TABLE,
			    TOML_F_IMPLICIT);
		else if (c->type == TOML_ARRAY && (c->flags & TOML_F_AOT))
			c = c->u.a.v[c->u.a.n - 1];
		else if (c->type == TOML_ARRAY) {
			tp_error(p, k->v[i].pos, "'%s' is an array value and "
			    "cannot be extended", key_show(&k->v[i], ks,
			    sizeof(ks)));
			return NULL;
		} else if (c->type != TOML_TABLE) {
			tp_error(p, k->v[i].pos, "'%s' is %s %s, not a table",
			    key_show(&k->v[i], ks, sizeof(ks)),
			    article(c->type), toml_type_name(c->type));
			return NULL;
		} else if (c->flags & TOML_F_INLINE) {
			tp_error(p, k->v[i].pos, "inline table '%s' cannot be "
			    "extended", key_show(&k->v[i], ks, sizeof(ks)));
			return NULL;
		}
		if ((t = c) == NULL)
			return NULL;
	}
	return t;
}

static int
header_define(struct toml_parser *p, struct toml_key *k, int aot)
{
	struct toml_keypart	*kp = &k->v[k->n - 1];
	struct toml		*t, *v, *e;
	char			 ks[64];

	if ((t = header_walk(p, k)) == NULL)
		return -1;
	v = toml_tab_find(t, kp->s, kp->len);
	if (!aot) {
		if (v == NULL)
			v = tab_child(p, t, kp, TOML_TABLE, TOML_F_HEADER);
		else if (v->type == TOML_TABLE && v->flags == TOML_F_IMPLICIT)
			v->flags = TOML_F_HEADER;
		else
			return tp_error(p, kp->pos, "'%s' is already defined",
			    key_show(kp, ks, sizeof(ks)));
		if (v == NULL)
			return -1;
		p->cur = v;
		return 0;
	}
	if (v == NULL)
		v = tab_child(p, t, kp, TOML_ARRAY, TOML_F_AOT);
	else if (v->type != TOML_ARRAY || !(v->flags & TOML_F_AOT))
		return tp_error(p, kp->pos, "'%s' is already defined and is "
		    "not an array of tables", key_show(kp, ks, sizeof(ks)));
	if (v == NULL)
		return -1;
	if (v->depth >= TOML_MAXDEPTH)
		return tp_error(p, kp->pos, "tables nested too deeply");
	if ((e = toml_node_new(TOML_TABLE, TOML_F_HEADER)) == NULL)
		return tp_error(p, kp->pos, "out of memory");
	e->depth = v->depth + 1;
	if (toml_arr_add(v, e) == -1) {
		toml_free(e);
		return tp_error(p, kp->pos, "out of memory");
	}
	p->cur = e;
	return 0;
}

/* key = value, into table tab (the current table or an inline one). */
static int
parse_keyval(struct toml_parser *p, struct toml *tab)
{
	struct toml_key	 k;
	struct toml	*v = NULL;

	memset(&k, 0, sizeof(k));
	if (tp_key(p, &k) == -1)
		goto fail;
	if (tp_peek(p, 0) != '=') {
		tp_expected(p, "'=' after a key");
		goto fail;
	}
	p->pos++;
	tp_ws(p);
	if (parse_value(p, tab->depth + k.n, &v) == -1)
		goto fail;
	if (kv_insert(p, tab, &k, v) == -1)
		goto fail;
	tp_key_free(&k);
	return 0;
fail:
	toml_free(v);
	tp_key_free(&k);
	return -1;
}

/* Store v under a possibly dotted key; tab takes v only on success. */
static int
kv_insert(struct toml_parser *p, struct toml *tab, struct toml_key *k,
    struct toml *v)
{
	struct toml_keypart	*kp;
	struct toml		*c;
	char			 ks[64];
	size_t			 i;

	for (i = 0; i + 1 < k->n; i++) {
		kp = &k->v[i];
		c = toml_tab_find(tab, kp->s, kp->len);
		if (c == NULL) {
			c = tab_child(p, tab, kp, TOML_TABLE, TOML_F_DOTTED);
			if (c == NULL)
				return -1;
		} else if (c->type != TOML_TABLE)
			return tp_error(p, kp->pos, "'%s' is already %s %s, "
			    "not a table", key_show(kp, ks, sizeof(ks)),
			    article(c->type), toml_type_name(c->type));
		else if (c->flags & TOML_F_INLINE)
			return tp_error(p, kp->pos, "inline table '%s' cannot "
			    "be extended", key_show(kp, ks, sizeof(ks)));
		else if (!(c->flags & TOML_F_DOTTED))
			return tp_error(p, kp->pos, "table '%s' was defined by "
			    "a header and cannot be extended with dotted keys",
			    key_show(kp, ks, sizeof(ks)));
		tab = c;
	}
	kp = &k->v[k->n - 1];
	if (toml_tab_find(tab, kp->s, kp->len) != NULL)
		return tp_error(p, kp->pos, "duplicate key '%s'",
		    key_show(kp, ks, sizeof(ks)));
	if (toml_tab_add(tab, kp->s, kp->len, v) == -1)
		return tp_error(p, kp->pos, "out of memory");
	return 0;
}

/* Any value; it will sit at the given depth of the tree. */
static int
parse_value(struct toml_parser *p, unsigned int depth, struct toml **out)
{
	int	 c = tp_peek(p, 0), r;

	*out = NULL;
	if (depth > TOML_MAXDEPTH)
		return tp_error(p, p->pos, "values nested too deeply");
	if (c == '"' || c == '\'')
		r = parse_string(p, out);
	else if (c == '[')
		r = parse_array(p, depth, out);
	else if (c == '{')
		r = parse_inline(p, depth, out);
	else
		r = tp_scalar(p, out);
	if (r == -1)
		return -1;
	(*out)->depth = depth;
	return 0;
}

static int
parse_string(struct toml_parser *p, struct toml **out)
{
	struct toml_buf	 b = { NULL, 0, 0 };
	struct toml	*v;

	if (tp_string(p, &b) == -1) {
		free(b.ptr);
		return -1;
	}
	if ((v = toml_node_new(TOML_STRING, 0)) == NULL) {
		free(b.ptr);
		return tp_error(p, p->pos, "out of memory");
	}
	v->u.s.ptr = b.ptr;
	v->u.s.len = b.len;
	*out = v;
	return 0;
}

/* [ v, v, ... ] with newlines and comments allowed between elements. */
static int
parse_array(struct toml_parser *p, unsigned int depth, struct toml **out)
{
	struct toml	*a, *v;
	int		 c;

	if ((a = toml_node_new(TOML_ARRAY, 0)) == NULL)
		return tp_error(p, p->pos, "out of memory");
	p->pos++;
	for (;;) {
		if (tp_ws_nl(p) == -1)
			goto fail;
		if (tp_peek(p, 0) == ']')
			break;
		if (parse_value(p, depth + 1, &v) == -1)
			goto fail;
		if (toml_arr_add(a, v) == -1) {
			toml_free(v);
			tp_error(p, p->pos, "out of memory");
			goto fail;
		}
		if (tp_ws_nl(p) == -1)
			goto fail;
		if ((c = tp_peek(p, 0)) == ']')
			break;
		if (c != ',') {
			tp_expected(p, "',' or ']' in array");
			goto fail;
		}
		p->pos++;
	}
	p->pos++;
	*out = a;
	return 0;
fail:
	toml_free(a);
	return -1;
}

/*
 * { k = v, k = v } on one line, no trailing comma.  Once closed the
 * table is marked inline, which freezes it and everything in it.
 */
static int
parse_inline(struct toml_parser *p, unsigned int depth, struct toml **out)
{
	struct toml	*t;
	int		 c;

	if ((t = toml_node_new(TOML_TABLE, 0)) == NULL)
		return tp_error(p, p->pos, "out of memory");
	t->depth = depth;
	p->pos++;
	tp_ws(p);
	if (tp_peek(p, 0) != '}') {
		for (;;) {
			if (parse_keyval(p, t) == -1)
				goto fail;
			tp_ws(p);
			if ((c = tp_peek(p, 0)) == '}')
				break;
			if (c != ',') {
				tp_expected(p, "',' or '}' in inline table");
				goto fail;
			}
			p->pos++;
			tp_ws(p);
			if (tp_peek(p, 0) == '}') {
				tp_error(p, p->pos, "trailing comma in inline "
				    "table");
				goto fail;
			}
		}
	}
	p->pos++;
	t->flags = TOML_F_INLINE;
	*out = t;
	return 0;
fail:
	toml_free(t);
	return -1;
}
