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
 * TOML to JSON, kept apart from the parser so that only programs that
 * already link jansson pay for it.  It uses the public accessors only.
 */

#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "agent/toml.h"

static json_t	*scalar_text(const struct toml *);
static json_t	*scalar_plain(const struct toml *);
static json_t	*tagged(const struct toml *);
static json_t	*array_to_json(const struct toml *, int);
static json_t	*table_to_json(const struct toml *, int);

/* A float as toml-test writes it: nan without a sign, inf with one. */
static json_t *
float_text(double f)
{
	char	 buf[40];
	int	 r;

	if (isnan(f))
		return json_string("nan");
	if (isinf(f))
		return json_string(f < 0 ? "-inf" : "inf");
	r = snprintf(buf, sizeof(buf), "%.17g", f);
	if (r < 0 || (size_t)r >= sizeof(buf))
		return NULL;
	return json_string(buf);
}

/* The value of a scalar as a JSON string. */
static json_t *
scalar_text(const struct toml *v)
{
	const char	*s;
	char		 buf[32];
	size_t		 len;
	int64_t		 i;
	double		 f;
	int		 b, r;

	if (toml_int(v, &i) == 0) {
		r = snprintf(buf, sizeof(buf), "%" PRId64, i);
		if (r < 0 || (size_t)r >= sizeof(buf))
			return NULL;
		return json_string(buf);
	}
	if (toml_float(v, &f) == 0)
		return float_text(f);
	if (toml_bool(v, &b) == 0)
		return json_string(b ? "true" : "false");
	if ((s = toml_string(v, &len)) != NULL)
		return json_stringn(s, len);
	return NULL;
}

/* The value of a scalar as its natural JSON type. */
static json_t *
scalar_plain(const struct toml *v)
{
	int64_t		 i;
	double		 f;
	int		 b;

	if (toml_int(v, &i) == 0)
		return json_integer(i);
	if (toml_float(v, &f) == 0)
		return isfinite(f) ? json_real(f) : float_text(f);
	if (toml_bool(v, &b) == 0)
		return json_boolean(b);
	return scalar_text(v);
}

static json_t *
tagged(const struct toml *v)
{
	json_t	*o, *s;

	if ((s = scalar_text(v)) == NULL)
		return NULL;
	if ((o = json_object()) == NULL ||
	    json_object_set_new(o, "type",
	    json_string(toml_type_name(toml_type(v)))) == -1 ||
	    json_object_set_new(o, "value", s) == -1) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *
array_to_json(const struct toml *v, int flags)
{
	json_t	*a;
	size_t	 i, n = toml_len(v);

	if ((a = json_array()) == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		if (json_array_append_new(a, toml_to_json(toml_at(v, i),
		    flags)) == -1) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

static json_t *
table_to_json(const struct toml *v, int flags)
{
	struct toml	*val;
	const char	*key;
	json_t		*o;
	size_t		 i, klen;

	if ((o = json_object()) == NULL)
		return NULL;
	for (i = 0; (key = toml_key_at(v, i, &klen, &val)) != NULL; i++) {
		if (json_object_setn_new(o, key, klen,
		    toml_to_json(val, flags)) == -1) {
			json_decref(o);
			return NULL;
		}
	}
	return o;
}

/*
 * The tree is at most TOML_MAXDEPTH deep, so the recursion is bounded.
 * jansson's *_new() functions accept a NULL value and fail, which is
 * how an allocation failure deep down reaches the caller.
 */
json_t *
toml_to_json(const struct toml *v, int flags)
{
	if (v == NULL)
		return NULL;
	switch (toml_type(v)) {
	case TOML_TABLE:
		return table_to_json(v, flags);
	case TOML_ARRAY:
		return array_to_json(v, flags);
	default:
		if (flags & TOML_JSON_TAGGED)
			return tagged(v);
		return scalar_plain(v);
	}
}
