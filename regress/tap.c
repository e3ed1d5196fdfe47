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
 * TAP output and fixtures for the C test programs: a plan, one line per
 * assertion, a skip, the exit status, and private temporary directories
 * with HOME, CODEX_HOME and git's configuration pointed into them.
 */

#include <sys/stat.h>

#include <err.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "regress/tap.h"

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

	if (asprintf(&d, "%s/ocodex-test.XXXXXX", t != NULL && *t != '\0' ?
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
