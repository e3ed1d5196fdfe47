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
 * Run the toml-test corpus against agent/toml.c and print TAP, one line
 * per TOML 1.0.0 case of files-toml-1.0.0: valid cases must parse to the
 * tagged JSON of their .json file, invalid ones must be rejected.
 *
 * usage: toml-corpus-test [corpus-dir]
 * Without an argument the corpus is looked for as
 * ../shared/conformance/toml-test next to the repository root, which is
 * found by walking up from the current directory.
 */

#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "agent/toml.h"

#define MAXCASE		(1024 * 1024)	/* no corpus file comes close */
#define CORPUS_REL	"../shared/conformance/toml-test"

struct list {
	char	**v;
	size_t	  n, cap;
};

static char	*read_file(const char *, size_t *);
static int	 find_corpus(char *, size_t);
static void	 read_list(const char *, struct list *);
static int	 is_tagged(json_t *);
static void	 dt_norm(const char *, char *, size_t);
static int	 cmp_value(json_t *, json_t *, const char *, char *, size_t);
static int	 cmp_json(json_t *, json_t *, const char *, char *, size_t);
static json_t	*load_json(char *, size_t, char *, size_t);
static int	 run_valid(const char *, const char *, char *, size_t);
static int	 run_invalid(const char *, const char *, char *, size_t);

static char *
read_file(const char *path, size_t *lenp)
{
	FILE	*fp;
	char	*buf;
	size_t	 n;

	if ((fp = fopen(path, "rb")) == NULL)
		return NULL;
	if ((buf = malloc(MAXCASE + 1)) == NULL)
		err(1, "malloc");
	n = fread(buf, 1, MAXCASE + 1, fp);
	if (ferror(fp) || n > MAXCASE) {
		free(buf);
		(void)fclose(fp);
		return NULL;
	}
	(void)fclose(fp);
	buf[n] = '\0';
	*lenp = n;
	return buf;
}

/* Walk up from the current directory to the root of the repository. */
static int
find_corpus(char *dir, size_t dsz)
{
	char	 up[256] = ".";
	char	 probe[512];
	int	 i;

	for (i = 0; i < 6; i++) {
		if (snprintf(probe, sizeof(probe), "%s/agent/toml.h", up) >=
		    (int)sizeof(probe))
			return -1;
		if (access(probe, R_OK) == 0) {
			if (snprintf(dir, dsz, "%s/%s", up, CORPUS_REL) >=
			    (int)dsz)
				return -1;
			return access(dir, R_OK) == 0 ? 0 : -1;
		}
		if (strlcat(up, "/..", sizeof(up)) >= sizeof(up))
			return -1;
	}
	return -1;
}

/* The .toml entries of files-toml-1.0.0, in the file's order. */
static void
read_list(const char *path, struct list *l)
{
	FILE	*fp;
	char	*line = NULL, **nv;
	size_t	 lsz = 0, n;
	ssize_t	 len;

	if ((fp = fopen(path, "r")) == NULL)
		err(1, "%s", path);
	while ((len = getline(&line, &lsz, fp)) != -1) {
		while (len > 0 && (line[len - 1] == '\n' ||
		    line[len - 1] == '\r'))
			line[--len] = '\0';
		n = strlen(line);
		if (n < 5 || strcmp(line + n - 5, ".toml") != 0)
			continue;
		if (l->n == l->cap) {
			l->cap = l->cap ? l->cap * 2 : 256;
			if ((nv = reallocarray(l->v, l->cap, sizeof(*nv))) ==
			    NULL)
				err(1, "reallocarray");
			l->v = nv;
		}
		if ((l->v[l->n++] = strdup(line)) == NULL)
			err(1, "strdup");
	}
	if (ferror(fp))
		err(1, "%s", path);
	free(line);
	(void)fclose(fp);
}

static int
is_tagged(json_t *o)
{
	return json_is_object(o) && json_object_size(o) == 2 &&
	    json_is_string(json_object_get(o, "type")) &&
	    json_is_string(json_object_get(o, "value"));
}

/*
 * toml-test compares dates as points in time.  Ours keep the offset as
 * written, so comparing a canonical text is enough: T and Z upper case,
 * trailing zeros of the fraction dropped, +00:00 written as Z.
 */
static void
dt_norm(const char *in, char *out, size_t osz)
{
	size_t	 k = 0, i, j, z;

	for (i = 0; in[i] != '\0' && k + 1 < osz; i++) {
		if (in[i] == '.') {
			for (j = i + 1; in[j] >= '0' && in[j] <= '9'; j++)
				;
			for (z = j; z > i + 1 && in[z - 1] == '0'; z--)
				;
			if (z > i + 1 && k + (z - i) < osz) {
				memcpy(out + k, in + i, z - i);
				k += z - i;
			}
			i = j - 1;
			continue;
		}
		if (in[i] == ' ' || in[i] == 't')
			out[k++] = 'T';
		else if (in[i] == 'z')
			out[k++] = 'Z';
		else
			out[k++] = in[i];
	}
	out[k] = '\0';
	if (k >= 6 && (strcmp(out + k - 6, "+00:00") == 0 ||
	    strcmp(out + k - 6, "-00:00") == 0))
		(void)strlcpy(out + k - 6, "Z", osz - (k - 6));
}

static int
cmp_value(json_t *w, json_t *h, const char *path, char *why, size_t wsz)
{
	const char	*wt, *ht, *wv, *hv;
	char		 wn[128], hn[128];
	int		 same;

	wt = json_string_value(json_object_get(w, "type"));
	ht = json_string_value(json_object_get(h, "type"));
	wv = json_string_value(json_object_get(w, "value"));
	hv = json_string_value(json_object_get(h, "value"));
	if (strcmp(wt, ht) != 0) {
		(void)snprintf(why, wsz, "%s: type %s, expected %s", path,
		    ht, wt);
		return -1;
	}
	if (strcmp(wt, "float") == 0) {
		if (strstr(wv, "nan") != NULL || strstr(hv, "nan") != NULL)
			same = strcmp(wv, hv) == 0;
		else
			same = strtod(wv, NULL) == strtod(hv, NULL);
	} else if (strncmp(wt, "date", 4) == 0 || strncmp(wt, "time", 4) == 0) {
		dt_norm(wv, wn, sizeof(wn));
		dt_norm(hv, hn, sizeof(hn));
		same = strcmp(wn, hn) == 0;
	} else
		same = json_equal(json_object_get(w, "value"),
		    json_object_get(h, "value"));
	if (!same)
		(void)snprintf(why, wsz, "%s: value '%s', expected '%s'", path,
		    hv, wv);
	return same ? 0 : -1;
}

/* Semantic comparison: key order is free, leaves per their type. */
static int
cmp_json(json_t *w, json_t *h, const char *path, char *why, size_t wsz)
{
	const char	*key;
	json_t		*wv;
	char		 sub[512];
	size_t		 i, klen;

	if (is_tagged(w) && is_tagged(h))
		return cmp_value(w, h, path, why, wsz);
	if (json_is_array(w) && json_is_array(h)) {
		if (json_array_size(w) != json_array_size(h)) {
			(void)snprintf(why, wsz, "%s: %zu elements, expected "
			    "%zu", path, json_array_size(h),
			    json_array_size(w));
			return -1;
		}
		for (i = 0; i < json_array_size(w); i++) {
			(void)snprintf(sub, sizeof(sub), "%s[%zu]", path, i);
			if (cmp_json(json_array_get(w, i), json_array_get(h, i),
			    sub, why, wsz) == -1)
				return -1;
		}
		return 0;
	}
	if (!json_is_object(w) || !json_is_object(h) || is_tagged(w) ||
	    is_tagged(h)) {
		(void)snprintf(why, wsz, "%s: different kinds of value", path);
		return -1;
	}
	if (json_object_size(w) != json_object_size(h)) {
		(void)snprintf(why, wsz, "%s: %zu keys, expected %zu", path,
		    json_object_size(h), json_object_size(w));
		return -1;
	}
	json_object_keylen_foreach(w, key, klen, wv) {
		(void)snprintf(sub, sizeof(sub), "%s.%s", path, key);
		if (json_object_getn(h, key, klen) == NULL) {
			(void)snprintf(why, wsz, "%s: missing", sub);
			return -1;
		}
		if (cmp_json(wv, json_object_getn(h, key, klen), sub, why,
		    wsz) == -1)
			return -1;
	}
	return 0;
}

/*
 * jansson cannot hold a NUL byte in an object key, which one case
 * (valid/key/quoted-unicode) has.  Both sides are therefore loaded from
 * text in which the escape \u0000 has been rewritten to \uE000, a
 * private-use character no case uses; the two sides stay comparable.
 */
static json_t *
load_json(char *text, size_t len, char *why, size_t wsz)
{
	json_error_t	 je;
	json_t		*j;
	size_t		 i;

	for (i = 0; i + 1 < len; i++) {
		if (text[i] != '\\')
			continue;
		if (len - i >= 6 && memcmp(text + i, "\\u0000", 6) == 0)
			memcpy(text + i, "\\uE000", 6);
		i++;	/* the escaped character */
	}
	if ((j = json_loadb(text, len, JSON_ALLOW_NUL, &je)) == NULL)
		(void)snprintf(why, wsz, "bad JSON: %d: %s", je.line, je.text);
	return j;
}

static int
run_valid(const char *dir, const char *name, char *why, size_t wsz)
{
	struct toml_error	 te;
	struct toml		*t;
	json_t			*want, *have;
	char			 path[1024], *buf, *text;
	size_t			 len;
	int			 r;

	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >=
	    (int)sizeof(path) || (buf = read_file(path, &len)) == NULL) {
		(void)snprintf(why, wsz, "cannot read %.200s", path);
		return -1;
	}
	t = toml_parse(buf, len, &te);
	free(buf);
	if (t == NULL) {
		(void)snprintf(why, wsz, "rejected: %d:%d: %s", te.line,
		    te.column, te.msg);
		return -1;
	}
	have = toml_to_json(t, TOML_JSON_TAGGED);
	toml_free(t);
	text = have ? json_dumps(have, JSON_COMPACT) : NULL;
	json_decref(have);
	if (text == NULL) {
		(void)snprintf(why, wsz, "toml_to_json failed");
		return -1;
	}
	have = load_json(text, strlen(text), why, wsz);
	free(text);
	(void)strlcpy(path + strlen(path) - 5, ".json",
	    sizeof(path) - strlen(path) + 5);
	if ((buf = read_file(path, &len)) == NULL) {
		(void)snprintf(why, wsz, "cannot read %.200s", path);
		json_decref(have);
		return -1;
	}
	want = load_json(buf, len, why, wsz);
	free(buf);
	r = -1;
	if (want != NULL && have != NULL)
		r = cmp_json(want, have, "", why, wsz);
	json_decref(want);
	json_decref(have);
	return r;
}

static int
run_invalid(const char *dir, const char *name, char *why, size_t wsz)
{
	struct toml_error	 te;
	struct toml		*t;
	char			 path[1024], *buf;
	size_t			 len;

	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >=
	    (int)sizeof(path) || (buf = read_file(path, &len)) == NULL) {
		(void)snprintf(why, wsz, "cannot read %.200s", path);
		return -1;
	}
	t = toml_parse(buf, len, &te);
	free(buf);
	if (t != NULL) {
		toml_free(t);
		(void)snprintf(why, wsz, "accepted");
		return -1;
	}
	(void)snprintf(why, wsz, "%d:%d: %s", te.line, te.column, te.msg);
	return 0;
}

int
main(int argc, char *argv[])
{
	struct list	 l = { NULL, 0, 0 };
	char		 dir[512], path[1024], why[1024];
	size_t		 i, k;
	int		 r, failed = 0, verbose;

	verbose = getenv("TOML_VERBOSE") != NULL;
	if (argc > 2)
		errx(1, "usage: toml-corpus-test [corpus-dir]");
	if (argc == 2) {
		if (strlcpy(dir, argv[1], sizeof(dir)) >= sizeof(dir))
			errx(1, "corpus path too long");
	} else if (find_corpus(dir, sizeof(dir)) == -1) {
		printf("1..0 # SKIP toml-test corpus not found\n");
		return 0;
	}
	if (snprintf(path, sizeof(path), "%s/files-toml-1.0.0", dir) >=
	    (int)sizeof(path))
		errx(1, "corpus path too long");
	read_list(path, &l);
	printf("1..%zu\n", l.n);
	for (i = 0; i < l.n; i++) {
		why[0] = '\0';
		if (strncmp(l.v[i], "valid/", 6) == 0)
			r = run_valid(dir, l.v[i], why, sizeof(why));
		else
			r = run_invalid(dir, l.v[i], why, sizeof(why));
		printf("%s %zu - %s\n", r == 0 ? "ok" : "not ok", i + 1,
		    l.v[i]);
		if (r == -1 || verbose) {
			/* Keep diagnostics on one TAP line. */
			for (k = 0; why[k] != '\0'; k++)
				if ((unsigned char)why[k] < 0x20)
					why[k] = '?';
			printf("# %s\n", why);
		}
		if (r == -1)
			failed++;
		free(l.v[i]);
	}
	free(l.v);
	return failed ? 1 : 0;
}
