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

/* TAP and temporary-tree helpers shared by the apply_patch tests. */

#include <sys/types.h>
#include <sys/stat.h>

#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

static int	ntests;
static int	nfailed;

int
tap_ok(int cond, const char *fmt, ...)
{
	va_list	 ap;

	ntests++;
	if (!cond)
		nfailed++;
	printf("%sok %d - ", cond ? "" : "not ", ntests);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	return cond;
}

/* Compare strings; on a mismatch show both, since that is the clue. */
int
tap_is(const char *got, const char *want, const char *what)
{
	int	 cond;

	cond = got != NULL && strcmp(got, want) == 0;
	if (!tap_ok(cond, "%s", what)) {
		tap_diag("got:  '%s'", got ? got : "(null)");
		tap_diag("want: '%s'", want);
	}
	return cond;
}

void
tap_diag(const char *fmt, ...)
{
	va_list	 ap;
	char	 buf[4096], *p, *nl;

	va_start(ap, fmt);
	(void)vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	for (p = buf; p != NULL; p = nl) {
		if ((nl = strchr(p, '\n')) != NULL)
			*nl++ = '\0';
		printf("# %s\n", p);
	}
	fflush(stdout);
}

int
tap_done(void)
{
	printf("1..%d\n", ntests);
	if (nfailed > 0)
		tap_diag("%d of %d tests failed", nfailed, ntests);
	return nfailed > 0;
}

char *
tmp_root(void)
{
	const char	*t;
	char		*p;

	if ((t = getenv("TMPDIR")) == NULL || *t == '\0')
		t = "/tmp";
	if (asprintf(&p, "%s/ocodex-patch.XXXXXXXX", t) == -1)
		err(1, "asprintf");
	if (mkdtemp(p) == NULL)
		err(1, "mkdtemp %s", p);
	return p;
}

char *
path_join(const char *a, const char *b)
{
	char	*p;

	if (asprintf(&p, "%s/%s", a, b) == -1)
		err(1, "asprintf");
	return p;
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if ((flag == FTW_DP ? rmdir(path) : unlink(path)) == -1)
		warn("remove %s", path);
	return 0;
}

void
rm_rf(const char *path)
{
	if (nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS) == -1 &&
	    errno != ENOENT)
		warn("nftw %s", path);
}

void
spit(const char *path, const char *data, mode_t mode)
{
	size_t	 len = strlen(data);
	int	 fd;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode)) == -1)
		err(1, "open %s", path);
	if (write(fd, data, len) != (ssize_t)len)
		err(1, "write %s", path);
	if (fchmod(fd, mode) == -1)
		err(1, "fchmod %s", path);
	if (close(fd) == -1)
		err(1, "close %s", path);
}

/* Read a whole file; NULL if it does not exist. */
char *
slurp(const char *path, size_t *lenp)
{
	struct stat	 st;
	char		*buf;
	ssize_t		 r;
	int		 fd;

	if ((fd = open(path, O_RDONLY)) == -1) {
		if (errno == ENOENT)
			return NULL;
		err(1, "open %s", path);
	}
	if (fstat(fd, &st) == -1)
		err(1, "fstat %s", path);
	if ((buf = malloc(st.st_size + 1)) == NULL)
		err(1, NULL);
	if ((r = read(fd, buf, st.st_size)) != st.st_size)
		err(1, "read %s", path);
	buf[r] = '\0';
	if (lenp != NULL)
		*lenp = r;
	(void)close(fd);
	return buf;
}

static int
no_dots(const struct dirent *d)
{
	return strcmp(d->d_name, ".") != 0 && strcmp(d->d_name, "..") != 0;
}

static void
free_list(struct dirent **v, int n)
{
	int	 i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void
copy_tree(const char *src, const char *dst)
{
	struct dirent	**v;
	struct stat	  st;
	char		 *s, *d, *data;
	int		  i, n;

	if ((n = scandir(src, &v, no_dots, alphasort)) == -1)
		err(1, "scandir %s", src);
	for (i = 0; i < n; i++) {
		s = path_join(src, v[i]->d_name);
		d = path_join(dst, v[i]->d_name);
		if (lstat(s, &st) == -1)
			err(1, "lstat %s", s);
		if (S_ISDIR(st.st_mode)) {
			if (mkdir(d, 0755) == -1)
				err(1, "mkdir %s", d);
			copy_tree(s, d);
		} else if (S_ISREG(st.st_mode)) {
			/*
			 * The copy is writable by its owner, as a git
			 * checkout of the scenarios always is, even when the
			 * source was made read-only: only root with
			 * CAP_DAC_OVERRIDE could write a 0444 copy, and root
			 * in a sandbox has no capabilities.
			 */
			data = slurp(s, NULL);
			spit(d, data, (st.st_mode & 07777) | S_IWUSR);
			free(data);
		} else
			errx(1, "%s: unexpected file type", s);
		free(s);
		free(d);
	}
	free_list(v, n);
}

static int
entry_equal(const char *pa, const char *pb, char *why, size_t whylen)
{
	struct stat	 sa, sb;
	char		*da, *db;
	size_t		 la, lb;
	int		 eq;

	if (lstat(pa, &sa) == -1 || lstat(pb, &sb) == -1)
		err(1, "lstat %s", pa);
	if ((sa.st_mode & S_IFMT) != (sb.st_mode & S_IFMT)) {
		snprintf(why, whylen, "%s: file types differ", pa);
		return 0;
	}
	if (S_ISDIR(sa.st_mode))
		return tree_equal(pa, pb, why, whylen);
	if (!S_ISREG(sa.st_mode)) {
		snprintf(why, whylen, "%s: not a regular file", pa);
		return 0;
	}
	da = slurp(pa, &la);
	db = slurp(pb, &lb);
	eq = la == lb && memcmp(da, db, la) == 0;
	if (!eq)
		snprintf(why, whylen,
		    "%s: content differs:\n%s\n-- want --\n%s", pa, da, db);
	free(da);
	free(db);
	return eq;
}

/* Same names, same types and byte-identical files, recursively. */
int
tree_equal(const char *a, const char *b, char *why, size_t whylen)
{
	struct dirent	**va, **vb;
	char		 *pa, *pb;
	int		  i, na, nb, eq = 1;

	if ((na = scandir(a, &va, no_dots, alphasort)) == -1)
		err(1, "scandir %s", a);
	if ((nb = scandir(b, &vb, no_dots, alphasort)) == -1)
		err(1, "scandir %s", b);
	for (i = 0; eq && i < na && i < nb; i++) {
		if (strcmp(va[i]->d_name, vb[i]->d_name) != 0) {
			snprintf(why, whylen,
			    "%s: '%s' where '%s' was expected", a,
			    va[i]->d_name, vb[i]->d_name);
			eq = 0;
			break;
		}
		pa = path_join(a, va[i]->d_name);
		pb = path_join(b, vb[i]->d_name);
		eq = entry_equal(pa, pb, why, whylen);
		free(pa);
		free(pb);
	}
	if (eq && na != nb) {
		snprintf(why, whylen, "%s: %d entries where %d were expected",
		    a, na, nb);
		eq = 0;
	}
	free_list(va, na);
	free_list(vb, nb);
	return eq;
}
