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
 * The TOML parser (agent/toml*.c).  An input starting with "-c " is a
 * command-line override KEY=VALUE: the value is parsed alone and stored
 * with toml_set() in an empty document, where toml_get() must then find
 * it.  Anything else is a document: a rejected one must say why and
 * where; an accepted one is walked, and every table must list as many
 * keys as toml_len() says, each found again by toml_table_get() and,
 * written as a path of literal keys, by toml_get(); every array as many
 * elements; each scalar answers exactly its own accessor; both JSON
 * conversions succeed and serialise.  Finally the tree is written back
 * as TOML (every value inline) and parsed again, which must give the
 * same tagged JSON: nothing the parser accepts may change on the way.
 */

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "agent/toml.h"
#include "regress/fuzz/fuzz.h"

#define WALK_DEPTH	64

static __dead void fail(const char *);
static int	 literal_ok(const char *, size_t);
static char	*subpath(const char *, const char *, size_t);
static void	 check_scalar(const struct toml *);
static void	 check_path(const struct toml *, const char *,
		    const struct toml *);
static void	 walk(const struct toml *, const struct toml *, const char *,
		    int);
static void	 check_json(const struct toml *);
static void	 emit_str(FILE *, const char *, size_t);
static void	 emit(FILE *, const struct toml *);
static void	 check_roundtrip(const struct toml *);
static void	 check_override(const char *, size_t);

static void
fail(const char *why)
{
	(void)fprintf(stderr, "toml-fuzz: %s\n", why);
	abort();
}

static void
check_scalar(const struct toml *t)
{
	const char	*s;
	int64_t		 i;
	double		 d;
	int		 b, n;
	size_t		 len;

	s = toml_string(t, &len);
	n = (s != NULL) + (toml_int(t, &i) == 0) + (toml_float(t, &d) == 0) +
	    (toml_bool(t, &b) == 0);
	switch (toml_type(t)) {
	case TOML_STRING:
	case TOML_DATETIME:
	case TOML_DATETIME_LOCAL:
	case TOML_DATE_LOCAL:
	case TOML_TIME_LOCAL:
		if (s == NULL || n != 1 || s[len] != '\0')
			fail("string accessor disagrees with the type");
		break;
	case TOML_INTEGER:
	case TOML_FLOAT:
	case TOML_BOOL:
		if (n != 1 || s != NULL)
			fail("scalar accessors disagree with the type");
		break;
	default:
		if (n != 0)
			fail("a container answers a scalar accessor");
	}
	if (toml_type_name(toml_type(t)) == NULL)
		fail("type without a name");
}

/* Whether a TOML literal string 'k' can spell the key. */
static int
literal_ok(const char *k, size_t klen)
{
	size_t	 i;

	if (strlen(k) != klen)
		return 0;
	for (i = 0; i < klen; i++)
		if (k[i] == '\'' || k[i] == 0x7f ||
		    ((unsigned char)k[i] < 0x20 && k[i] != '\t'))
			return 0;
	return 1;
}

/* prefix.'k', or NULL when k cannot be written so. */
static char *
subpath(const char *prefix, const char *k, size_t klen)
{
	char	*path;

	if (prefix == NULL || !literal_ok(k, klen) ||
	    asprintf(&path, "%s%s'%s'", prefix, *prefix ? "." : "", k) == -1)
		return NULL;
	return path;
}

/* The path of literal keys from the root to a value must lead to it. */
static void
check_path(const struct toml *root, const char *path, const struct toml *val)
{
	if (path != NULL && toml_get(root, path) != val)
		fail("toml_get misses a key the table lists");
}

static void
walk(const struct toml *root, const struct toml *t, const char *prefix,
    int depth)
{
	struct toml	*v;
	const char	*k;
	char		*sub = NULL;
	size_t		 i, n = toml_len(t), klen;

	if (depth > WALK_DEPTH)
		return;
	check_scalar(t);
	if (toml_type(t) == TOML_ARRAY) {
		for (i = 0; i < n; i++)
			if ((v = toml_at(t, i)) == NULL)
				fail("array shorter than its length");
			else
				walk(root, v, NULL, depth + 1);
		if (toml_at(t, n) != NULL)
			fail("array longer than its length");
		return;
	}
	if (toml_type(t) != TOML_TABLE)
		return;
	for (i = 0; i < n; i++) {
		if ((k = toml_key_at(t, i, &klen, &v)) == NULL || v == NULL)
			fail("table shorter than its length");
		if (strlen(k) == klen && toml_table_get(t, k) != v)
			fail("toml_table_get misses a listed key");
		sub = subpath(prefix, k, klen);
		check_path(root, sub, v);
		walk(root, v, sub, depth + 1);
		free(sub);
	}
	if (toml_key_at(t, n, NULL, NULL) != NULL)
		fail("table longer than its length");
}

static void
check_json(const struct toml *t)
{
	json_t	*j;
	char	*s;
	int	 flags;

	for (flags = 0; flags <= TOML_JSON_TAGGED; flags++) {
		if ((j = toml_to_json(t, flags)) == NULL)
			fail("no JSON for a parsed document");
		if ((s = json_dumps(j, JSON_COMPACT)) == NULL)
			fail("JSON does not serialise");
		free(s);
		json_decref(j);
	}
}

/* A basic string; control characters and the quote are escaped. */
static void
emit_str(FILE *f, const char *s, size_t len)
{
	size_t	 i;

	(void)fputc('"', f);
	for (i = 0; i < len; i++) {
		if (s[i] == '"' || s[i] == '\\')
			(void)fprintf(f, "\\%c", s[i]);
		else if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			(void)fprintf(f, "\\u%04x", (unsigned char)s[i]);
		else
			(void)fputc(s[i], f);
	}
	(void)fputc('"', f);
}

/* A value in inline form. */
static void
emit(FILE *f, const struct toml *t)
{
	struct toml	*v;
	const char	*s, *k;
	char		 buf[40];
	size_t		 i, len;
	int64_t		 n;
	double		 d;
	int		 b;

	if (toml_type(t) == TOML_TABLE || toml_type(t) == TOML_ARRAY) {
		(void)fputs(toml_type(t) == TOML_TABLE ? "{" : "[", f);
		for (i = 0; i < toml_len(t); i++) {
			(void)fputs(i > 0 ? ", " : "", f);
			if (toml_type(t) == TOML_ARRAY) {
				emit(f, toml_at(t, i));
				continue;
			}
			k = toml_key_at(t, i, &len, &v);
			emit_str(f, k, len);
			(void)fputs(" = ", f);
			emit(f, v);
		}
		(void)fputs(toml_type(t) == TOML_TABLE ? "}" : "]", f);
	} else if (toml_int(t, &n) == 0)
		(void)fprintf(f, "%" PRId64, n);
	else if (toml_bool(t, &b) == 0)
		(void)fputs(b ? "true" : "false", f);
	else if (toml_float(t, &d) == 0) {
		(void)snprintf(buf, sizeof(buf), "%.17g", d);
		/* "1" would read back as an integer. */
		(void)fprintf(f, "%s%s", buf, strpbrk(buf, ".eni") ? "" : ".0");
	} else if ((s = toml_string(t, &len)) != NULL) {
		if (toml_type(t) == TOML_STRING)
			emit_str(f, s, len);
		else
			(void)fputs(s, f);
	}
}

/* Write the document back as TOML; reading it must give the same. */
static void
check_roundtrip(const struct toml *t)
{
	struct toml_error	 err;
	struct toml		*t2;
	struct toml		*v;
	json_t			*a, *b;
	const char		*k;
	char			*text = NULL, *sa, *sb;
	size_t			 i, len, tlen = 0;
	FILE			*f;

	if ((f = open_memstream(&text, &tlen)) == NULL)
		fail("open_memstream");
	for (i = 0; (k = toml_key_at(t, i, &len, &v)) != NULL; i++) {
		emit_str(f, k, len);
		(void)fputs(" = ", f);
		emit(f, v);
		(void)fputc('\n', f);
	}
	if (fclose(f) != 0)
		fail("memstream");
	if ((t2 = toml_parse(text, tlen, &err)) == NULL) {
		(void)fprintf(stderr, "%s\n--\n%d:%d: %s\n", text, err.line,
		    err.column, err.msg);
		fail("the document written back does not parse");
	}
	/*
	 * Compared as text, since json_equal() cannot find keys with NUL
	 * bytes in them; the order of keys is the document's in both.
	 */
	if ((a = toml_to_json(t, TOML_JSON_TAGGED)) == NULL ||
	    (b = toml_to_json(t2, TOML_JSON_TAGGED)) == NULL ||
	    (sa = json_dumps(a, JSON_COMPACT)) == NULL ||
	    (sb = json_dumps(b, JSON_COMPACT)) == NULL)
		fail("no JSON for a parsed document");
	if (strcmp(sa, sb) != 0) {
		(void)fprintf(stderr, "%s\n", text);
		fail("the document written back reads differently");
	}
	free(sa);
	free(sb);
	json_decref(a);
	json_decref(b);
	toml_free(t2);
	free(text);
}

/* "-c KEY=VALUE": set the value in an empty document, find it again. */
static void
check_override(const char *buf, size_t len)
{
	struct toml_error	 err;
	struct toml		*root, *val;
	const char		*eq;
	char			*key;

	if ((eq = memchr(buf, '=', len)) == NULL)
		return;
	if ((key = strndup(buf, eq - buf)) == NULL)
		fail("out of memory");
	if ((root = toml_parse("", 0, &err)) == NULL)
		fail("empty document rejected");
	memset(&err, 0, sizeof(err));
	if ((val = toml_parse_value(eq + 1, len - (eq + 1 - buf),
	    &err)) == NULL) {
		if (err.msg[0] == '\0')
			fail("value rejected without a reason");
	} else if (toml_set(root, key, val, &err) == -1) {
		toml_free(val);
	} else {
		if (toml_get(root, key) != val)
			fail("toml_get misses what toml_set stored");
		walk(root, root, NULL, 0);
		check_json(root);
	}
	toml_free(root);
	free(key);
}

int
fuzz_toml(const uint8_t *buf, size_t len)
{
	struct toml_error	 err;
	struct toml		*t;

	if (len >= 3 && memcmp(buf, "-c ", 3) == 0) {
		check_override((const char *)buf + 3, len - 3);
		return 0;
	}
	memset(&err, 0, sizeof(err));
	if ((t = toml_parse((const char *)buf, len, &err)) == NULL) {
		if (err.msg[0] == '\0' || err.line < 0 || err.column < 0)
			fail("document rejected without a reason");
		return 0;
	}
	if (toml_type(t) != TOML_TABLE)
		fail("a document that is not a table");
	walk(t, t, "", 0);
	check_json(t);
	check_roundtrip(t);
	toml_free(t);
	return 0;
}

#ifdef FUZZ_LIBFUZZER
int
LLVMFuzzerTestOneInput(const uint8_t *buf, size_t len)
{
	return fuzz_toml(buf, len);
}
#endif
