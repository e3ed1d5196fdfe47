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
 * Unit tests of the TOML API as agent/config.c will use it: error
 * positions, lookups by key path, lone values for -c, overrides, limits.
 * Prints TAP.
 */

#include <err.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "agent/toml.h"

static int	ntest, nfail;

static void	ok(int, const char *, ...)
		    __attribute__((__format__(__printf__, 2, 3)));
static struct toml *parse(const char *);
static const char *str(const struct toml *);
static void	err_at(const char *, int, int, const char *);
static void	test_errors(void);
static void	test_lookup(void);
static void	test_value(void);
static void	test_set(void);
static void	test_scalars(void);
static void	test_limits(void);
static void	test_bigtable(void);
static void	test_json(void);
static void	test_garbage(void);

static void
ok(int cond, const char *fmt, ...)
{
	va_list	 ap;

	ntest++;
	if (!cond)
		nfail++;
	printf("%s %d - ", cond ? "ok" : "not ok", ntest);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

static struct toml *
parse(const char *s)
{
	struct toml_error	 te;
	struct toml		*t;

	if ((t = toml_parse(s, strlen(s), &te)) == NULL)
		printf("# parse failed: %d:%d: %s\n", te.line, te.column,
		    te.msg);
	return t;
}

static const char *
str(const struct toml *v)
{
	if (v == NULL)
		return "(null)";
	return toml_string(v, NULL) ? toml_string(v, NULL) : "(not a string)";
}

/* The input must fail at line:col with msg somewhere in the message. */
static void
err_at(const char *in, int line, int col, const char *msg)
{
	struct toml_error	 te;
	struct toml		*t;

	t = toml_parse(in, strlen(in), &te);
	if (t != NULL) {
		toml_free(t);
		ok(0, "error %d:%d %s: input accepted", line, col, msg);
		return;
	}
	ok(te.line == line && te.column == col && strstr(te.msg, msg),
	    "error %d:%d %s (got %d:%d %s)", line, col, msg, te.line,
	    te.column, te.msg);
}

static void
test_errors(void)
{
	err_at("a = 1\nb = \n", 2, 5, "expected a value");
	err_at("[a]\nx = 1\n[a]\n", 3, 2, "already defined");
	err_at("s = \"abc\n", 1, 9, "newline in single-line string");
	err_at("k = '\xc3\xa9\x01'\n", 1, 7, "control character");
	err_at("x = 1\ny = 0x_1\n", 2, 5, "invalid base-16");
	err_at("a.b = 1\na.b.c = 2\n", 2, 3, "not a table");
	err_at("\r\n\r\nbad = \r", 3, 7, "expected a value");
	err_at("x = 1979-02-29\n", 1, 5, "invalid day");
	err_at("x = 9223372036854775808\n", 1, 5, "out of range");
	err_at("x = \"\\ud800\"\n", 1, 6, "not a Unicode scalar");
	err_at("t = {a = 1,}\n", 1, 12, "trailing comma");
	err_at("ok = 1 # \xff\n", 1, 10, "UTF-8");
	ok(toml_parse("=", 1, NULL) == NULL, "error without a toml_error");
}

static const char config[] =
	"model = \"o3\"\n"
	"[sandbox_workspace_write]\n"
	"writable_roots = [\"/tmp\", \"/var/tmp\"]\n"
	"network_access = true\n"
	"[profiles.fast]\n"
	"model = \"gpt-4.1-mini\"\n"
	"approval_policy = \"never\"\n"
	"[model_providers.\"my.proxy\"]\n"
	"base_url = \"http://127.0.0.1:8080/v1\"\n"
	"query_params = { api-version = \"2025-04-01\" }\n";

static void
test_lookup(void)
{
	static const char *const path[] = { "model_providers", "my.proxy",
	    "query_params", "api-version" };
	static const char *const order[] = { "model",
	    "sandbox_workspace_write", "profiles", "model_providers" };
	struct toml	*t, *v;
	const char	*k;
	size_t		 i;
	int		 b, inorder = 1;
	int64_t		 n;

	if ((t = parse(config)) == NULL) {
		ok(0, "config parses");
		return;
	}
	v = toml_get(t, "sandbox_workspace_write.writable_roots");
	ok(v != NULL && toml_type(v) == TOML_ARRAY && toml_len(v) == 2 &&
	    strcmp(str(toml_at(v, 1)), "/var/tmp") == 0,
	    "toml_get dotted path to an array");
	ok(strcmp(str(toml_get(t, "profiles.fast.model")), "gpt-4.1-mini") ==
	    0, "toml_get profiles.fast.model");
	ok(strcmp(str(toml_get(t, "model_providers.\"my.proxy\".base_url")),
	    "http://127.0.0.1:8080/v1") == 0, "toml_get with a quoted part");
	ok(toml_get(t, "model_providers.my.proxy") == NULL,
	    "toml_get does not split quoted keys");
	ok(strcmp(str(toml_get(t, " profiles . fast .approval_policy")),
	    "never") == 0, "toml_get allows blanks around dots");
	ok(toml_get(t, "profiles..fast") == NULL && toml_get(t, "") == NULL &&
	    toml_get(t, "model.x") == NULL, "toml_get on bad paths is NULL");
	ok(strcmp(str(toml_getv(t, path, 4)), "2025-04-01") == 0,
	    "toml_getv with a key list");
	v = toml_getv(t, path, 3);
	ok(v != NULL && (toml_flags(v) & TOML_F_INLINE),
	    "inline table is flagged inline");
	ok((toml_flags(toml_get(t, "profiles.fast")) & TOML_F_HEADER) &&
	    (toml_flags(toml_get(t, "profiles")) & TOML_F_IMPLICIT),
	    "header and implicit tables are flagged");
	for (i = 0; (k = toml_key_at(t, i, NULL, NULL)) != NULL; i++)
		if (i >= 4 || strcmp(k, order[i]) != 0)
			inorder = 0;
	ok(inorder && i == 4, "keys iterate in document order");
	v = toml_table_get(t, "model");
	ok(v != NULL && strcmp(str(v), "o3") == 0, "toml_table_get");
	ok(toml_bool(toml_get(t, "sandbox_workspace_write.network_access"),
	    &b) == 0 && b == 1, "toml_bool");
	ok(toml_int(v, &n) == -1 && toml_bool(v, &b) == -1 &&
	    toml_len(v) == 0 && toml_at(v, 0) == NULL,
	    "accessors of other types fail");
	v = toml_get(t, "no.such.key");
	ok(v == NULL && toml_type(v) == TOML_NONE && toml_int(v, &n) == -1 &&
	    toml_string(v, NULL) == NULL && toml_len(v) == 0 &&
	    toml_key_at(v, 0, NULL, NULL) == NULL && toml_get(v, "x") == NULL,
	    "accessors take a missing node");
	toml_free(t);
}

static void
test_value(void)
{
	struct toml_error	 te;
	struct toml		*v;
	int64_t			 a, b;
	int			 bv;

	v = toml_parse_value("true", 4, &te);
	ok(v != NULL && toml_bool(v, &bv) == 0 && bv == 1,
	    "toml_parse_value(\"true\")");
	toml_free(v);
	v = toml_parse_value("[1,2]", 5, &te);
	ok(v != NULL && toml_len(v) == 2 && toml_int(toml_at(v, 0), &a) == 0 &&
	    toml_int(toml_at(v, 1), &b) == 0 && a == 1 && b == 2,
	    "toml_parse_value(\"[1,2]\")");
	toml_free(v);
	v = toml_parse_value("hello world", 11, &te);
	ok(v == NULL && te.msg[0] != '\0',
	    "toml_parse_value(\"hello world\") fails: %s", te.msg);
	toml_free(v);
	v = toml_parse_value("\"hello world\"", 13, &te);
	ok(v != NULL && strcmp(str(v), "hello world") == 0,
	    "quoted string value");
	toml_free(v);
	v = toml_parse_value(" 42 # answer\n", 13, &te);
	ok(v != NULL && toml_int(v, &a) == 0 && a == 42,
	    "value with blanks and a comment");
	toml_free(v);
	v = toml_parse_value("1 2", 3, &te);
	ok(v == NULL, "two values fail");
	v = toml_parse_value("", 0, &te);
	ok(v == NULL, "empty value fails");
	v = toml_parse_value("{ a = 1, b.c = 2 }", 18, &te);
	ok(v != NULL && toml_type(v) == TOML_TABLE &&
	    toml_get(v, "b.c") != NULL, "inline table value");
	toml_free(v);
}

static void
test_set(void)
{
	struct toml	*t, *v;
	int64_t		 n;
	int		 b;

	if ((t = parse(config)) == NULL) {
		ok(0, "config parses");
		return;
	}
	v = toml_parse_value("\"o4\"", 4, NULL);
	ok(v != NULL && toml_set(t, "model", v, NULL) == 0 &&
	    strcmp(str(toml_get(t, "model")), "o4") == 0,
	    "toml_set replaces a value");
	v = toml_parse_value("false", 5, NULL);
	ok(v != NULL && toml_set(t, "sandbox_workspace_write.network_access",
	    v, NULL) == 0 && toml_bool(toml_get(t,
	    "sandbox_workspace_write.network_access"), &b) == 0 && b == 0,
	    "toml_set in a nested table");
	v = toml_parse_value("5", 1, NULL);
	ok(v != NULL && toml_set(t, "new.deep.key", v, NULL) == 0 &&
	    toml_int(toml_get(t, "new.deep.key"), &n) == 0 && n == 5,
	    "toml_set creates tables");
	v = toml_parse_value("1", 1, NULL);
	ok(v != NULL && toml_set(t, "model.sub", v, NULL) == 0 &&
	    toml_type(toml_get(t, "model")) == TOML_TABLE,
	    "toml_set replaces a value by a table on the way");
	v = toml_parse_value("1", 1, NULL);
	ok(v != NULL && toml_set(t, "a..b", v, NULL) == -1,
	    "toml_set rejects a bad path");
	toml_free(v);
	toml_free(t);
}

static void
test_scalars(void)
{
	struct toml	*t;
	const char	*s;
	size_t		 len;
	int64_t		 n;
	double		 f;

	t = parse("d = 1979-05-27 07:32:00z\nt = 07:32:00.5\n"
	    "l = 1979-05-27t07:32:00\nday = 1979-05-27\n"
	    "o = 1979-05-27T00:32:00.999999-07:00\n"
	    "nul = \"a\\u0000b\"\nmin = -9223372036854775808\n"
	    "h = 0xDEAD_beef\nni = -inf\nnn = nan\nz = -0.0\n"
	    "ml = \"\"\"\r\none\r\ntwo \\\r\n   three\"\"\"\r\n");
	if (t == NULL) {
		ok(0, "scalars parse");
		return;
	}
	ok(toml_type(toml_get(t, "d")) == TOML_DATETIME &&
	    strcmp(str(toml_get(t, "d")), "1979-05-27T07:32:00Z") == 0,
	    "offset datetime normalised");
	ok(toml_type(toml_get(t, "t")) == TOML_TIME_LOCAL &&
	    strcmp(str(toml_get(t, "t")), "07:32:00.5") == 0, "local time");
	ok(toml_type(toml_get(t, "l")) == TOML_DATETIME_LOCAL &&
	    strcmp(str(toml_get(t, "l")), "1979-05-27T07:32:00") == 0,
	    "local datetime");
	ok(toml_type(toml_get(t, "day")) == TOML_DATE_LOCAL &&
	    strcmp(str(toml_get(t, "day")), "1979-05-27") == 0, "local date");
	ok(strcmp(str(toml_get(t, "o")),
	    "1979-05-27T00:32:00.999999-07:00") == 0, "offset kept");
	s = toml_string(toml_get(t, "nul"), &len);
	ok(s != NULL && len == 3 && memcmp(s, "a\0b", 3) == 0,
	    "string with NUL keeps its length");
	ok(toml_int(toml_get(t, "min"), &n) == 0 && n == INT64_MIN,
	    "INT64_MIN");
	ok(toml_int(toml_get(t, "h"), &n) == 0 && n == 0xdeadbeef, "hex");
	ok(toml_float(toml_get(t, "ni"), &f) == 0 && isinf(f) && f < 0,
	    "-inf");
	ok(toml_float(toml_get(t, "nn"), &f) == 0 && isnan(f), "nan");
	ok(toml_float(toml_get(t, "z"), &f) == 0 && f == 0 && signbit(f),
	    "-0.0");
	ok(strcmp(str(toml_get(t, "ml")), "one\ntwo three") == 0,
	    "CRLF multi-line string with line-ending backslash");
	toml_free(t);
}

static void
test_limits(void)
{
	struct toml_error	 te;
	struct toml		*t;
	static char		 buf[16384];
	size_t			 i, n;

	/* 128 nested arrays sit at depths 1 to 128: allowed. */
	n = strlcpy(buf, "a = ", sizeof(buf));
	for (i = 0; i < 128; i++)
		buf[n++] = '[';
	for (i = 0; i < 128; i++)
		buf[n++] = ']';
	t = toml_parse(buf, n, &te);
	ok(t != NULL, "128 nested arrays parse");
	toml_free(t);
	n = strlcpy(buf, "a = ", sizeof(buf));
	for (i = 0; i < 129; i++)
		buf[n++] = '[';
	for (i = 0; i < 129; i++)
		buf[n++] = ']';
	t = toml_parse(buf, n, &te);
	ok(t == NULL && strstr(te.msg, "deeply") != NULL,
	    "129 nested arrays fail: %s", te.msg);
	n = strlcpy(buf, "a = ", sizeof(buf));
	for (i = 0; i < 300; i++)
		n += snprintf(buf + n, sizeof(buf) - n, "{b=");
	t = toml_parse(buf, n, &te);
	ok(t == NULL && strstr(te.msg, "deeply") != NULL,
	    "deep inline tables fail: %s", te.msg);
	n = 0;
	for (i = 0; i < 200; i++)
		n += snprintf(buf + n, sizeof(buf) - n, "k.");
	n += snprintf(buf + n, sizeof(buf) - n, "k = 1\n");
	t = toml_parse(buf, n, &te);
	ok(t == NULL && strstr(te.msg, "too many parts") != NULL,
	    "long dotted key fails: %s", te.msg);
	/* Every level below adds two: the array and its element. */
	n = 0;
	for (i = 0; i < 70; i++)
		n += snprintf(buf + n, sizeof(buf) - n, "[[%.*s]]\n",
		    (int)(i * 2 + 1), "a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a."
		    "a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a."
		    "a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a."
		    "a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a");
	t = toml_parse(buf, n, &te);
	ok(t == NULL && strstr(te.msg, "deeply") != NULL,
	    "deep arrays of tables fail: %s", te.msg);
}

static void
test_bigtable(void)
{
	struct toml_error	 te;
	struct toml		*t;
	char			*buf, key[32];
	size_t			 i, n = 0, cap = 5000 * 24;
	int64_t			 v;
	int			 good = 1, r;

	if ((buf = malloc(cap)) == NULL)
		err(1, "malloc");
	for (i = 0; i < 5000; i++)
		n += snprintf(buf + n, cap - n, "k%zu = %zu\n", i, i);
	if ((t = toml_parse(buf, n, &te)) == NULL)
		good = 0;
	for (i = 0; good && i < 5000; i++) {
		r = snprintf(key, sizeof(key), "k%zu", i);
		if (r < 0 || (size_t)r >= sizeof(key) ||
		    toml_int(toml_table_get(t, key), &v) == -1 ||
		    (size_t)v != i)
			good = 0;
	}
	ok(good && toml_len(t) == 5000 && toml_table_get(t, "k5000") == NULL,
	    "5000 keys, all found");
	toml_free(t);
	n += snprintf(buf + n, cap - n, "k2500 = 1\n");
	t = toml_parse(buf, n, &te);
	ok(t == NULL && te.line == 5001 && strstr(te.msg, "duplicate"),
	    "duplicate found in a big table: %d: %s", te.line, te.msg);
	free(buf);
}

static void
test_json(void)
{
	struct toml	*t;
	json_t		*j;

	t = parse("i = 1\nf = 1.5\nb = true\ns = \"x\"\nd = 1979-05-27\n"
	    "n = nan\na = [1, \"two\"]\n[tab]\nk = 'v'\n");
	j = t ? toml_to_json(t, 0) : NULL;
	ok(j != NULL && json_integer_value(json_object_get(j, "i")) == 1 &&
	    json_real_value(json_object_get(j, "f")) == 1.5 &&
	    json_is_true(json_object_get(j, "b")) &&
	    strcmp(json_string_value(json_object_get(j, "d")),
	    "1979-05-27") == 0 &&
	    strcmp(json_string_value(json_object_get(j, "n")), "nan") == 0 &&
	    json_array_size(json_object_get(j, "a")) == 2 &&
	    strcmp(json_string_value(json_object_get(json_object_get(j, "tab"),
	    "k")), "v") == 0, "toml_to_json plain");
	json_decref(j);
	j = t ? toml_to_json(t, TOML_JSON_TAGGED) : NULL;
	ok(j != NULL && strcmp(json_string_value(json_object_get(
	    json_object_get(j, "i"), "type")), "integer") == 0 &&
	    strcmp(json_string_value(json_object_get(
	    json_object_get(j, "d"), "type")), "date-local") == 0,
	    "toml_to_json tagged");
	json_decref(j);
	toml_free(t);
}

/*
 * Mangle a document many ways: each result must either parse or fail
 * with a position and a message, never crash (run under valgrind too).
 */
static void
test_garbage(void)
{
	static const char seed[] = "a.b = [1, 2.5, \"s\\u00e9\", '''x''']\n"
	    "[t]\nd = 1979-05-27T07:32:00Z\n[[aot]]\ni = { x = 0x1f, y = "
	    "true }\ns = \"\"\"m\\\n  l\"\"\"\n";
	static const char bytes[] = "[]{}=.,\"'#\\\n\r\t 0_xe+-:TZ\x01\xc3";
	struct toml_error	 te;
	struct toml		*t;
	char			 buf[sizeof(seed)];
	uint32_t		 rnd = 1;
	size_t			 i, k, len;
	int			 good = 1;

	for (i = 0; i < 20000; i++) {
		memcpy(buf, seed, sizeof(seed));
		len = sizeof(seed) - 1;
		for (k = 0; k < 1 + i % 4; k++) {
			rnd = rnd * 1103515245 + 12345;
			buf[(rnd >> 8) % len] =
			    bytes[(rnd >> 20) % (sizeof(bytes) - 1)];
		}
		rnd = rnd * 1103515245 + 12345;
		if (i % 3 == 0)
			len = (rnd >> 8) % len;
		t = toml_parse(buf, len, &te);
		if (t == NULL && (te.line < 1 || te.column < 1 ||
		    te.msg[0] == '\0'))
			good = 0;
		toml_free(t);
	}
	ok(good, "20000 mangled documents parse or fail cleanly");
}

int
main(void)
{
	test_errors();
	test_lookup();
	test_value();
	test_set();
	test_scalars();
	test_limits();
	test_bigtable();
	test_json();
	test_garbage();
	printf("1..%d\n", ntest);
	return nfail ? 1 : 0;
}
