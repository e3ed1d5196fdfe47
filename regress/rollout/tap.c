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

#include <sys/stat.h>

#include <err.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "agent/rollout.h"
#include "regress/rollout/tap.h"

static int	ntest, nfail, planned;

void
tap_plan(int n)
{
	planned = n;
	printf("1..%d\n", n);
}

int
tap_ok(int cond, const char *fmt, ...)
{
	va_list	 ap;

	ntest++;
	if (!cond)
		nfail++;
	printf("%sok %d - ", cond ? "" : "not ", ntest);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	return cond;
}

void
tap_skip(int n, const char *why)
{
	while (n-- > 0)
		printf("ok %d # skip %s\n", ++ntest, why);
}

/* The exit status: failure if a test failed or the count is off. */
int
tap_done(void)
{
	if (ntest != planned)
		printf("# planned %d tests but ran %d\n", planned, ntest);
	fflush(stdout);
	return nfail == 0 && ntest == planned ? 0 : 1;
}

char *
tap_tmpdir(void)
{
	const char	*t = getenv("TMPDIR");
	char		*d;

	if (asprintf(&d, "%s/ocodex-rollout.XXXXXX", t != NULL && *t != '\0' ?
	    t : "/tmp") == -1)
		err(1, "asprintf");
	if (mkdtemp(d) == NULL)
		err(1, "mkdtemp");
	return d;
}

/* Point everything a test could touch at its own directory. */
void
tap_hermetic(const char *dir)
{
	char	 home[1024];

	if (snprintf(home, sizeof(home), "%s/codex-home", dir) >=
	    (int)sizeof(home))
		errx(1, "path too long");
	if (setenv("HOME", dir, 1) == -1 || setenv("CODEX_HOME", home, 1) ==
	    -1 || setenv("GIT_CONFIG_GLOBAL", "/dev/null", 1) == -1 ||
	    setenv("GIT_CONFIG_NOSYSTEM", "1", 1) == -1)
		err(1, "setenv");
}

static int
rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	if (remove(path) == -1)
		warn("remove %s", path);
	return 0;
}

/* rm -rf of a test's own temporary directory, never following links. */
void
tap_rmtree(const char *dir)
{
	if (nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS) == -1)
		warn("nftw %s", dir);
}

int
tap_write(const char *path, const char *text)
{
	FILE	*fp;

	if ((fp = fopen(path, "we")) == NULL)
		return -1;
	if (fputs(text, fp) == EOF) {
		fclose(fp);
		return -1;
	}
	return fclose(fp) == EOF ? -1 : 0;
}

/* Every line of a JSON lines file, parsed, as an array. */
json_t *
tap_lines(const char *path)
{
	json_error_t	 je;
	json_t		*a, *j;
	FILE		*fp;
	char		*line = NULL;
	size_t		 cap = 0;

	if ((fp = fopen(path, "re")) == NULL)
		err(1, "%s", path);
	if ((a = json_array()) == NULL)
		errx(1, "json_array");
	while (getline(&line, &cap, fp) != -1) {
		if ((j = json_loads(line, 0, &je)) == NULL)
			errx(1, "%s: %s", path, je.text);
		json_array_append_new(a, j);
	}
	free(line);
	fclose(fp);
	return a;
}

json_t *
tap_meta(const char *id, const char *cwd)
{
	struct rollout_meta	 m;
	json_t			*j;

	memset(&m, 0, sizeof(m));
	m.id = id;
	m.cwd = cwd;
	m.originator = "codex_cli_rs";
	m.cli_version = "0.1.0";
	m.source = "exec";
	m.model_provider = "mock";
	m.base_instructions = "You are a test.";
	if ((j = rollout_session_meta(&m)) == NULL)
		errx(1, "rollout_session_meta");
	return j;
}

/* A message response item: role user or assistant. */
json_t *
tap_message(const char *role, const char *text)
{
	json_t	*j;

	j = json_pack("{s:s, s:s, s:[{s:s, s:s}]}", "type", "message", "role",
	    role, "content", "type", strcmp(role, "assistant") == 0 ?
	    "output_text" : "input_text", "text", text);
	if (j == NULL)
		errx(1, "json_pack");
	return j;
}
