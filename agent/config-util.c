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
 * Small pieces the configuration code shares: key paths and messages
 * that name them, string values, and the two list types of struct
 * config.
 */

#include <sys/queue.h>

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/config.h"
#include "agent/config-int.h"
#include "agent/toml.h"

static int	 key_is_bare(const char *, size_t);
static int	 put(char *, size_t, size_t *, char);

/*
 * Append one key to a key path the way TOML writes it, quoting keys that
 * are not bare.  -1 if the result would not fit; buf is then truncated
 * but still a string, good enough for a message.
 */
int
cfg_keypath(char *buf, size_t len, const char *parent, const char *key,
    size_t keylen)
{
	size_t	 o, i;
	int	 bare, full = 0;
	char	 c;

	if (len == 0)
		return -1;
	if ((o = strlcpy(buf, parent, len)) >= len)
		return -1;
	bare = key_is_bare(key, keylen);
	if (o > 0)
		full |= put(buf, len, &o, '.');
	if (!bare)
		full |= put(buf, len, &o, '"');
	for (i = 0; i < keylen; i++) {
		c = key[i];
		if (!bare && (c == '"' || c == '\\'))
			full |= put(buf, len, &o, '\\');
		/* Messages go to a terminal: no control bytes. */
		if ((unsigned char)c < 0x20 || c == 0x7f)
			c = '?';
		full |= put(buf, len, &o, c);
	}
	if (!bare)
		full |= put(buf, len, &o, '"');
	buf[o] = '\0';
	return full ? -1 : 0;
}

/* Store c at *o unless only the terminating NUL still fits. */
static int
put(char *buf, size_t len, size_t *o, char c)
{
	if (*o + 1 >= len)
		return 1;
	buf[(*o)++] = c;
	return 0;
}

static int
key_is_bare(const char *key, size_t len)
{
	size_t	 i;

	if (len == 0)
		return 0;
	for (i = 0; i < len; i++)
		if (!((key[i] >= 'a' && key[i] <= 'z') ||
		    (key[i] >= 'A' && key[i] <= 'Z') ||
		    (key[i] >= '0' && key[i] <= '9') ||
		    key[i] == '_' || key[i] == '-'))
			return 0;
	return 1;
}

/* The index of s in a NULL-terminated list of names, or -1. */
int
cfg_enum_lookup(const char *const *names, const char *s)
{
	int	 i;

	for (i = 0; names[i] != NULL; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return -1;
}

/* "a, b, c" for messages; a long list is cut short, which is harmless. */
void
cfg_names(char *buf, size_t len, const char *const *names)
{
	size_t	 i;

	if (len == 0)
		return;
	buf[0] = '\0';
	for (i = 0; names[i] != NULL; i++) {
		if (i > 0)
			(void)strlcat(buf, ", ", len);
		(void)strlcat(buf, names[i], len);
	}
}

/*
 * Describe an error in the layer being applied: "SOURCE: message".  A
 * message cut short by the size of the caller's buffer still says what
 * went wrong, so truncation is accepted here.
 */
void
cfg_error(struct cfgctx *ctx, const char *fmt, ...)
{
	char	 msg[1024];
	va_list	 ap;

	va_start(ap, fmt);
	if (vsnprintf(msg, sizeof(msg), fmt, ap) < 0)
		(void)strlcpy(msg, "(unformattable message)", sizeof(msg));
	va_end(ap);
	if (ctx->errlen > 0)
		(void)snprintf(ctx->err, ctx->errlen, "%s: %s", ctx->src, msg);
}

int
cfg_type_error(struct cfgctx *ctx, const char *kp, const struct toml *val,
    const char *want)
{
	const char	*got;

	switch (toml_type(val)) {
	case TOML_TABLE:
		got = "a table";
		break;
	case TOML_ARRAY:
		got = "an array";
		break;
	case TOML_STRING:
		got = "a string";
		break;
	case TOML_INTEGER:
		got = "an integer";
		break;
	case TOML_FLOAT:
		got = "a float";
		break;
	case TOML_BOOL:
		got = "a boolean";
		break;
	default:
		got = "a date or time";
		break;
	}
	cfg_error(ctx, "'%s' must be %s, not %s", kp, want, got);
	return -1;
}

/* A string value without NUL bytes, which C strings cannot carry. */
int
cfg_string(struct cfgctx *ctx, const char *kp, const struct toml *val,
    const char **sp)
{
	const char	*s;
	size_t		 len;

	if (toml_type(val) != TOML_STRING)
		return cfg_type_error(ctx, kp, val, "a string");
	s = toml_string(val, &len);
	if (s == NULL || strlen(s) != len) {
		cfg_error(ctx, "'%s' must not contain a NUL character", kp);
		return -1;
	}
	*sp = s;
	return 0;
}

int
cfg_setstr(char **field, const char *s)
{
	char	*d;

	if ((d = strdup(s)) == NULL)
		return -1;
	free(*field);
	*field = d;
	return 0;
}

int
strlist_add(struct config_strlist *l, const char *s)
{
	char	**v;

	if ((v = reallocarray(l->v, l->n + 2, sizeof(*v))) == NULL)
		return -1;
	l->v = v;
	if ((v[l->n] = strdup(s)) == NULL) {
		v[l->n] = NULL;
		return -1;
	}
	v[++l->n] = NULL;
	return 0;
}

void
strlist_free(struct config_strlist *l)
{
	size_t	 i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* Set key to value, replacing an earlier value and keeping its place. */
int
kvlist_set(struct config_kvlist *l, const char *key, const char *value)
{
	struct config_kv	*v;
	char			*k, *d;
	size_t			 i;

	if ((d = strdup(value)) == NULL)
		return -1;
	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i].key, key) == 0) {
			free(l->v[i].value);
			l->v[i].value = d;
			return 0;
		}
	if ((k = strdup(key)) == NULL ||
	    (v = reallocarray(l->v, l->n + 1, sizeof(*v))) == NULL) {
		free(k);
		free(d);
		return -1;
	}
	l->v = v;
	v[l->n].key = k;
	v[l->n].value = d;
	l->n++;
	return 0;
}

void
kvlist_free(struct config_kvlist *l)
{
	size_t	 i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].key);
		free(l->v[i].value);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}
