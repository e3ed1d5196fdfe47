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
 * The TOML tree: nodes, tables with their keys in document order and a
 * hash index for lookups, arrays, the accessors, and lookups and updates
 * by key path.  The grammar is in toml-parse.c.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "agent/toml.h"
#include "agent/toml-int.h"

/* Tables this small are searched linearly; larger ones get an index. */
#define TAB_LINEAR	8

static uint32_t	 key_hash(const char *, size_t);
static struct toml_pair *tab_pair(const struct toml *, const char *, size_t);
static int	 tab_reindex(struct toml *, size_t);
static int	 path_parse(const char *, struct toml_key *,
		    struct toml_error *);

struct toml *
toml_node_new(enum toml_type type, unsigned int flags)
{
	struct toml	*v;

	if ((v = calloc(1, sizeof(*v))) == NULL)
		return NULL;
	v->type = type;
	v->flags = flags;
	return v;
}

/* The tree is at most TOML_MAXDEPTH deep, so recursion is bounded. */
void
toml_free(struct toml *v)
{
	size_t	 i;

	if (v == NULL)
		return;
	switch (v->type) {
	case TOML_TABLE:
		for (i = 0; i < v->u.t.n; i++) {
			free(v->u.t.p[i].key);
			toml_free(v->u.t.p[i].val);
		}
		free(v->u.t.p);
		free(v->u.t.idx);
		break;
	case TOML_ARRAY:
		for (i = 0; i < v->u.a.n; i++)
			toml_free(v->u.a.v[i]);
		free(v->u.a.v);
		break;
	case TOML_INTEGER:
	case TOML_FLOAT:
	case TOML_BOOL:
		break;
	default:
		free(v->u.s.ptr);
		break;
	}
	free(v);
}

/* FNV-1a: short keys, no adversary worth more than a slow lookup. */
static uint32_t
key_hash(const char *s, size_t n)
{
	uint32_t	 h = 2166136261U;
	size_t		 i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619U;
	}
	return h;
}

/* Rebuild the open-addressing index with room for cap slots. */
static int
tab_reindex(struct toml *t, size_t cap)
{
	uint32_t	*idx;
	size_t		 i, j;

	if ((idx = calloc(cap, sizeof(*idx))) == NULL)
		return -1;
	for (i = 0; i < t->u.t.n; i++) {
		j = key_hash(t->u.t.p[i].key, t->u.t.p[i].keylen) & (cap - 1);
		while (idx[j] != 0)
			j = (j + 1) & (cap - 1);
		idx[j] = i + 1;
	}
	free(t->u.t.idx);
	t->u.t.idx = idx;
	t->u.t.icap = cap;
	return 0;
}

static struct toml_pair *
tab_pair(const struct toml *t, const char *key, size_t len)
{
	struct toml_pair	*kp;
	size_t			 i, j, mask;

	if (t == NULL || t->type != TOML_TABLE)
		return NULL;
	if (t->u.t.idx == NULL) {
		for (i = 0; i < t->u.t.n; i++) {
			kp = &t->u.t.p[i];
			if (kp->keylen == len && memcmp(kp->key, key, len) == 0)
				return kp;
		}
		return NULL;
	}
	mask = t->u.t.icap - 1;
	for (j = key_hash(key, len) & mask; t->u.t.idx[j] != 0;
	    j = (j + 1) & mask) {
		kp = &t->u.t.p[t->u.t.idx[j] - 1];
		if (kp->keylen == len && memcmp(kp->key, key, len) == 0)
			return kp;
	}
	return NULL;
}

struct toml *
toml_tab_find(const struct toml *t, const char *key, size_t len)
{
	struct toml_pair	*kp;

	if ((kp = tab_pair(t, key, len)) == NULL)
		return NULL;
	return kp->val;
}

/*
 * Append a key the caller has checked is new.  The key is copied; the
 * table takes val only on success.  The index is kept at most half full
 * so that probe sequences stay short.
 */
int
toml_tab_add(struct toml *t, const char *key, size_t len, struct toml *val)
{
	struct toml_pair	*np;
	size_t			 ncap, j, mask;
	char			*k;

	if (t->u.t.n >= UINT32_MAX / 4)
		return -1;
	if (t->u.t.n == t->u.t.cap) {
		ncap = t->u.t.cap ? t->u.t.cap * 2 : 4;
		if ((np = reallocarray(t->u.t.p, ncap, sizeof(*np))) == NULL)
			return -1;
		t->u.t.p = np;
		t->u.t.cap = ncap;
	}
	if ((k = malloc(len + 1)) == NULL)
		return -1;
	memcpy(k, key, len);
	k[len] = '\0';
	np = &t->u.t.p[t->u.t.n++];
	np->key = k;
	np->keylen = len;
	np->val = val;
	if (t->u.t.n <= TAB_LINEAR)
		return 0;
	if (t->u.t.n * 2 > t->u.t.icap) {
		if (tab_reindex(t, t->u.t.icap ? t->u.t.icap * 2 : 64) == -1) {
			t->u.t.n--;
			free(k);
			return -1;
		}
		return 0;
	}
	mask = t->u.t.icap - 1;
	for (j = key_hash(k, len) & mask; t->u.t.idx[j] != 0;
	    j = (j + 1) & mask)
		;
	t->u.t.idx[j] = t->u.t.n;
	return 0;
}

int
toml_arr_add(struct toml *a, struct toml *val)
{
	struct toml	**nv;
	size_t		  ncap;

	if (a->u.a.n == a->u.a.cap) {
		ncap = a->u.a.cap ? a->u.a.cap * 2 : 4;
		if ((nv = reallocarray(a->u.a.v, ncap, sizeof(*nv))) == NULL)
			return -1;
		a->u.a.v = nv;
		a->u.a.cap = ncap;
	}
	a->u.a.v[a->u.a.n++] = val;
	return 0;
}

enum toml_type
toml_type(const struct toml *v)
{
	return v == NULL ? TOML_NONE : v->type;
}

const char *
toml_type_name(enum toml_type type)
{
	switch (type) {
	case TOML_NONE:
		return "none";
	case TOML_TABLE:
		return "table";
	case TOML_ARRAY:
		return "array";
	case TOML_STRING:
		return "string";
	case TOML_INTEGER:
		return "integer";
	case TOML_FLOAT:
		return "float";
	case TOML_BOOL:
		return "bool";
	case TOML_DATETIME:
		return "datetime";
	case TOML_DATETIME_LOCAL:
		return "datetime-local";
	case TOML_DATE_LOCAL:
		return "date-local";
	case TOML_TIME_LOCAL:
		return "time-local";
	}
	return "unknown";
}

unsigned int
toml_flags(const struct toml *v)
{
	return v == NULL ? 0 : v->flags;
}

const char *
toml_string(const struct toml *v, size_t *lenp)
{
	switch (toml_type(v)) {
	case TOML_STRING:
	case TOML_DATETIME:
	case TOML_DATETIME_LOCAL:
	case TOML_DATE_LOCAL:
	case TOML_TIME_LOCAL:
		if (lenp != NULL)
			*lenp = v->u.s.len;
		return v->u.s.ptr;
	default:
		return NULL;
	}
}

int
toml_int(const struct toml *v, int64_t *ip)
{
	if (toml_type(v) != TOML_INTEGER)
		return -1;
	*ip = v->u.i;
	return 0;
}

int
toml_float(const struct toml *v, double *fp)
{
	if (toml_type(v) != TOML_FLOAT)
		return -1;
	*fp = v->u.f;
	return 0;
}

int
toml_bool(const struct toml *v, int *bp)
{
	if (toml_type(v) != TOML_BOOL)
		return -1;
	*bp = v->u.b;
	return 0;
}

size_t
toml_len(const struct toml *v)
{
	if (toml_type(v) == TOML_ARRAY)
		return v->u.a.n;
	if (toml_type(v) == TOML_TABLE)
		return v->u.t.n;
	return 0;
}

struct toml *
toml_at(const struct toml *v, size_t i)
{
	if (toml_type(v) != TOML_ARRAY || i >= v->u.a.n)
		return NULL;
	return v->u.a.v[i];
}

const char *
toml_key_at(const struct toml *v, size_t i, size_t *lenp, struct toml **valp)
{
	if (toml_type(v) != TOML_TABLE || i >= v->u.t.n)
		return NULL;
	if (lenp != NULL)
		*lenp = v->u.t.p[i].keylen;
	if (valp != NULL)
		*valp = v->u.t.p[i].val;
	return v->u.t.p[i].key;
}

struct toml *
toml_table_get(const struct toml *v, const char *key)
{
	return toml_tab_find(v, key, strlen(key));
}

struct toml *
toml_getv(const struct toml *v, const char *const *keys, size_t n)
{
	size_t	 i;

	for (i = 0; i < n && v != NULL; i++)
		v = toml_tab_find(v, keys[i], strlen(keys[i]));
	return (struct toml *)v;
}

/* Split a key path with the same rules as a key in a document. */
static int
path_parse(const char *path, struct toml_key *k, struct toml_error *err)
{
	struct toml_parser	 p;

	memset(&p, 0, sizeof(p));
	memset(k, 0, sizeof(*k));
	p.buf = path;
	p.len = strlen(path);
	p.err = err;
	if (tp_utf8_check(&p) == -1 || tp_key(&p, k) == -1) {
		tp_key_free(k);
		return -1;
	}
	if (p.pos != p.len) {
		tp_key_free(k);
		return tp_error(&p, p.pos, "unexpected '%c' in key path",
		    path[p.pos]);
	}
	return 0;
}

struct toml *
toml_get(const struct toml *v, const char *path)
{
	struct toml_key	 k;
	size_t		 i;

	if (path_parse(path, &k, NULL) == -1)
		return NULL;
	for (i = 0; i < k.n && v != NULL; i++)
		v = toml_tab_find(v, k.v[i].s, k.v[i].len);
	tp_key_free(&k);
	return (struct toml *)v;
}

/*
 * Walk the path, turning missing or non-table parts into empty tables,
 * and store val under its last key.  This is how `-c' overrides apply:
 * they always win over what the file said.
 */
int
toml_set(struct toml *root, const char *path, struct toml *val,
    struct toml_error *err)
{
	struct toml_key		 k;
	struct toml_pair	*kp;
	struct toml		*t = root, *nt;
	size_t			 i;

	if (toml_type(root) != TOML_TABLE || path_parse(path, &k, err) == -1)
		return -1;
	for (i = 0; i < k.n; i++) {
		kp = tab_pair(t, k.v[i].s, k.v[i].len);
		if (i + 1 == k.n)
			nt = val;
		else if (kp != NULL && kp->val->type == TOML_TABLE) {
			t = kp->val;
			continue;
		} else if ((nt = toml_node_new(TOML_TABLE, 0)) == NULL)
			goto fail;
		if (kp != NULL) {
			toml_free(kp->val);
			kp->val = nt;
		} else if (toml_tab_add(t, k.v[i].s, k.v[i].len, nt) == -1) {
			if (nt != val)
				toml_free(nt);
			goto fail;
		}
		t = nt;
	}
	tp_key_free(&k);
	return 0;
fail:
	tp_key_free(&k);
	if (err != NULL) {
		err->line = err->column = 0;
		(void)strlcpy(err->msg, "out of memory", sizeof(err->msg));
	}
	return -1;
}
