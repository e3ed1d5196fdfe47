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
 * Applying a parsed patch beneath a directory descriptor, all or nothing.
 *
 * Phase one builds, in memory, the state every touched file has after
 * all hunks ran in order (so a later hunk sees what an earlier one did to
 * the same file), reading each file once and failing before anything on
 * disk changed.  Phase two creates missing directories and writes every
 * new content to a temporary file beside its target; if that fails, the
 * temporary files and the new directories are removed again.  Phase
 * three renames the temporary files into place and removes deleted files.
 *
 * This file holds phase one and patch_apply(), which runs the phases;
 * phases two and three are in patchcommit.c.
 */

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#if defined(__has_include)
#if __has_include(<linux/openat2.h>)
#include <linux/openat2.h>
#define HAVE_OPENAT2_H
#endif
#endif

#include "execproc/patch.h"
#include "execproc/patch-int.h"

#ifndef HAVE_OPENAT2_H
struct open_how {
	uint64_t	flags;
	uint64_t	mode;
	uint64_t	resolve;
};
#define RESOLVE_NO_MAGICLINKS	0x02
#define RESOLVE_NO_SYMLINKS	0x04
#define RESOLVE_BENEATH		0x08
#endif
#ifndef SYS_openat2
#define SYS_openat2		437
#endif

/* A line of a file being updated: its text and its line ending. */
enum eol { EOL_NONE, EOL_LF, EOL_CRLF };

struct text {
	struct patch_str *l;
	unsigned char	 *eol;
	size_t		  n;
	enum eol	  pref;	/* ending of the first ended line */
};

struct repl {
	size_t			 start;
	size_t			 oldlen;
	const struct patch_str	*nl;
	size_t			 nnew;
	size_t			 seq;
};

static void	fail(struct actx *, const char *, ...)
		    __attribute__((__format__(printf, 2, 3)));

static void
fail(struct actx *a, const char *fmt, ...)
{
	va_list	 ap;

	if (a->err == NULL || a->errlen == 0)
		return;
	va_start(ap, fmt);
	(void)vsnprintf(a->err, a->errlen, fmt, ap);
	va_end(ap);
}

/* What to tell the model about errno, in the words of Rust's io::Error. */
void
apply_failerr(struct actx *a, const char *what, const char *path, int e)
{
	if (e == ELOOP)
		fail(a, "%s %s: refusing to follow a symbolic link", what,
		    path);
	else if (e == EXDEV)
		fail(a, "%s %s: path leads outside the working directory",
		    what, path);
	else
		fail(a, "%s %s: %s (os error %d)", what, path, strerror(e), e);
}

/*
 * Without openat2(2) (kernels before 5.6, valgrind, a seccomp filter that
 * answers ENOSYS) walk the path one component at a time and refuse every
 * symbolic link.  Paths were cleaned of "." and ".." and cannot be
 * absolute, so this reaches the same file openat2() would.
 */
static int
open_walk(int dirfd, const char *path, int flags)
{
	struct stat	 st;
	char		*copy, *comp, *next;
	int		 fd, nfd, e;

	if ((copy = strdup(path)) == NULL)
		return -1;
	fd = openat(dirfd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	for (comp = copy; fd != -1 && comp != NULL; comp = next) {
		if ((next = strchr(comp, '/')) != NULL)
			*next++ = '\0';
		nfd = openat(fd, comp, (next != NULL ? O_PATH | O_DIRECTORY :
		    flags) | O_NOFOLLOW | O_CLOEXEC);
		if (nfd != -1 && (fstat(nfd, &st) == -1 ||
		    S_ISLNK(st.st_mode))) {
			(void)close(nfd);
			nfd = -1;
			errno = ELOOP;
		}
		e = errno;
		(void)close(fd);
		errno = e;
		fd = nfd;
	}
	free(copy);
	return fd;
}

/* openat(2) beneath dirfd, never through a symbolic link. */
int
apply_open_beneath(int dirfd, const char *path, int flags)
{
	struct open_how	 how;
	int		 fd, tries = 0;

	memset(&how, 0, sizeof(how));
	how.flags = flags | O_CLOEXEC;
	how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
	    RESOLVE_NO_MAGICLINKS;
	/* EAGAIN means a concurrent rename upset the check; retry. */
	do {
		fd = syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
	} while (fd == -1 && (errno == EAGAIN || errno == EINTR) &&
	    ++tries < 16);
	if (fd == -1 && errno == ENOSYS)
		return open_walk(dirfd, path, flags);
	return fd;
}

static struct pfile *
pfile_get(struct actx *a, const struct patch_str *path)
{
	struct pfile	*f;
	char		*key;
	int		 fd;

	if (patch_path_clean(path, &key, a->err, a->errlen) == -1)
		return NULL;
	TAILQ_FOREACH(f, &a->files, entry) {
		if (strcmp(f->key, key) == 0) {
			free(key);
			return f;
		}
	}
	if ((f = calloc(1, sizeof(*f))) == NULL) {
		free(key);
		fail(a, "out of memory");
		return NULL;
	}
	f->key = key;
	f->pfd = -1;
	TAILQ_INSERT_TAIL(&a->files, f, entry);
	if ((fd = apply_open_beneath(a->dirfd, key, O_PATH)) == -1) {
		if (errno != ENOENT && errno != ENOTDIR) {
			apply_failerr(a, "Failed to access", path->s, errno);
			return NULL;
		}
		if (errno == ENOTDIR)
			f->disktype = -1;
		return f;
	}
	if (fstat(fd, &f->st) == -1) {
		apply_failerr(a, "Failed to access", path->s, errno);
		(void)close(fd);
		return NULL;
	}
	(void)close(fd);
	f->disktype = f->st.st_mode & S_IFMT;
	f->exists = S_ISREG(f->st.st_mode);
	f->keepmeta = f->exists;
	return f;
}

int
apply_oom(struct actx *a)
{
	fail(a, "out of memory");
	return -1;
}

/*
 * Why f, which is not a regular file in our view, cannot be used: it is
 * missing, below a file, a directory or something else.
 */
static int
failtype(struct actx *a, const char *what, const char *path,
    const struct pfile *f)
{
	if (f->touched || f->disktype == 0)
		apply_failerr(a, what, path, ENOENT);
	else if (f->disktype == -1)
		apply_failerr(a, what, path, ENOTDIR);
	else if (f->disktype == S_IFDIR)
		apply_failerr(a, what, path, EISDIR);
	else
		fail(a, "%s %s: not a regular file", what, path);
	return -1;
}

static int
read_all(struct actx *a, struct pfile *f, const char *path)
{
	struct stat	 st;
	char		*buf = NULL, *nb;
	size_t		 len = 0, cap = 0;
	ssize_t		 r;
	int		 fd;

	fd = apply_open_beneath(a->dirfd, f->key,
	    O_RDONLY | O_NONBLOCK | O_NOCTTY);
	if (fd == -1) {
		apply_failerr(a, "Failed to read file to update", path, errno);
		return -1;
	}
	/* Make sure it is still the regular file we looked at. */
	if (fstat(fd, &st) == -1 || st.st_dev != f->st.st_dev ||
	    st.st_ino != f->st.st_ino || !S_ISREG(st.st_mode)) {
		fail(a, "Failed to read file to update %s: file changed "
		    "while reading", path);
		goto bad;
	}
	for (;;) {
		if (len == cap) {
			cap = cap == 0 ? (size_t)st.st_size + 1 : cap * 2;
			if ((nb = realloc(buf, cap)) == NULL) {
				fail(a, "out of memory");
				goto bad;
			}
			buf = nb;
		}
		if ((r = read(fd, buf + len, cap - len)) == -1) {
			if (errno == EINTR)
				continue;
			apply_failerr(a, "Failed to read file to update", path,
			    errno);
			goto bad;
		}
		if (r == 0)
			break;
		len += r;
	}
	(void)close(fd);
	f->data = buf;
	f->len = len;
	f->loaded = 1;
	return 0;
 bad:
	free(buf);
	(void)close(fd);
	return -1;
}

static void
text_free(struct text *t)
{
	free(t->l);
	free(t->eol);
}

/*
 * Split a file into lines, remembering each line's ending, so that a
 * CRLF file is matched without its "\r" and keeps its endings; lines
 * the patch adds take the ending of the file's first line.
 */
static int
text_split(const char *buf, size_t len, struct text *t)
{
	const char	*p;
	size_t		 i, n = 1, start = 0, l;

	for (i = 0; i < len; i++)
		if (buf[i] == '\n')
			n++;
	memset(t, 0, sizeof(*t));
	t->pref = EOL_LF;
	if ((t->l = reallocarray(NULL, n, sizeof(*t->l))) == NULL ||
	    (t->eol = malloc(n)) == NULL) {
		text_free(t);
		return -1;
	}
	while (start < len) {
		t->l[t->n].s = (char *)buf + start;
		t->eol[t->n] = EOL_NONE;
		if ((p = memchr(buf + start, '\n', len - start)) == NULL) {
			t->l[t->n++].len = len - start;
			break;
		}
		l = p - (buf + start);
		t->eol[t->n] = EOL_LF;
		if (l > 0 && buf[start + l - 1] == '\r') {
			l--;
			t->eol[t->n] = EOL_CRLF;
		}
		if (t->n == 0)
			t->pref = t->eol[0];
		t->l[t->n++].len = l;
		start = (p - buf) + 1;
	}
	return 0;
}

static int
repl_cmp(const void *va, const void *vb)
{
	const struct repl	*a = va, *b = vb;

	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static void
fail_lines(struct actx *a, const char *path, const struct patch_lines *old)
{
	size_t	 i, o;
	int	 n;

	fail(a, "Failed to find expected lines in %s:", path);
	if (a->err == NULL || a->errlen == 0)
		return;
	for (i = 0; i < old->n; i++) {
		o = strlen(a->err);
		n = snprintf(a->err + o, a->errlen - o, "\n%s", old->v[i].s);
		if (n < 0 || (size_t)n >= a->errlen - o)
			return;
	}
}

/* Codex's compute_replacements(), one chunk at a time, in order. */
static int
find_repls(struct actx *a, const struct text *t, const struct patch_hunk *h,
    struct repl *r)
{
	const struct patch_chunk *c;
	const struct patch_str	*pat;
	size_t			 at, cursor = 0, npat, nnew, k = 0;
	int			 found;

	TAILQ_FOREACH(c, &h->chunks, entry) {
		if (c->context.s != NULL) {
			if (!patch_seek(t->l, t->n, &c->context, 1, cursor, 0,
			    &at)) {
				fail(a, "Failed to find context '%s' in %s",
				    c->context.s, h->path.s);
				return -1;
			}
			cursor = at + 1;
		}
		r[k].seq = k;
		r[k].nl = c->new_lines.v;
		r[k].nnew = nnew = c->new_lines.n;
		if (c->old_lines.n == 0) {
			/* A pure addition goes to the end of the file. */
			r[k].start = t->n;
			if (t->n > 0 && t->l[t->n - 1].len == 0)
				r[k].start = t->n - 1;
			r[k++].oldlen = 0;
			continue;
		}
		pat = c->old_lines.v;
		npat = c->old_lines.n;
		found = patch_seek(t->l, t->n, pat, npat, cursor, c->eof, &at);
		if (!found && pat[npat - 1].len == 0) {
			/* An empty last line may be the final newline. */
			npat--;
			if (nnew > 0 && c->new_lines.v[nnew - 1].len == 0)
				r[k].nnew = nnew - 1;
			found = patch_seek(t->l, t->n, pat, npat, cursor,
			    c->eof, &at);
		}
		if (!found) {
			fail_lines(a, h->path.s, &c->old_lines);
			return -1;
		}
		r[k].start = at;
		r[k++].oldlen = npat;
		cursor = at + npat;
	}
	return 0;
}

/*
 * Splice the replacements in from the last to the first, as Codex does,
 * so overlapping replacements (possible with "*** End of File") give the
 * same result and never run out of bounds.
 */
static int
text_splice(struct text *t, const struct repl *r, size_t nr)
{
	size_t		 i, j, start, del, total = t->n;
	void		*p;

	for (i = 0; i < nr; i++)
		total += r[i].nnew;
	if ((p = reallocarray(t->l, total + 1, sizeof(*t->l))) == NULL)
		return -1;
	t->l = p;
	if ((p = realloc(t->eol, total + 1)) == NULL)
		return -1;
	t->eol = p;
	for (i = nr; i-- > 0;) {
		start = r[i].start < t->n ? r[i].start : t->n;
		del = r[i].oldlen < t->n - start ? r[i].oldlen : t->n - start;
		memmove(t->l + start + r[i].nnew, t->l + start + del,
		    (t->n - start - del) * sizeof(*t->l));
		memmove(t->eol + start + r[i].nnew, t->eol + start + del,
		    t->n - start - del);
		for (j = 0; j < r[i].nnew; j++) {
			t->l[start + j] = r[i].nl[j];
			t->eol[start + j] = t->pref;
		}
		t->n = t->n - del + r[i].nnew;
	}
	return 0;
}

static int
text_join(const struct text *t, char **out, size_t *outlen)
{
	size_t	 i, len = 0;
	char	*buf, *p;

	for (i = 0; i < t->n; i++)
		len += t->l[i].len + 2;
	if ((buf = malloc(len + 1)) == NULL)
		return -1;
	p = buf;
	for (i = 0; i < t->n; i++) {
		if (t->l[i].len > 0)
			memcpy(p, t->l[i].s, t->l[i].len);
		p += t->l[i].len;
		/* Every line ends, so the file always ends with a newline. */
		if ((t->eol[i] == EOL_NONE ? t->pref : t->eol[i]) == EOL_CRLF)
			*p++ = '\r';
		*p++ = '\n';
	}
	*out = buf;
	*outlen = p - buf;
	return 0;
}

static int
update_content(struct actx *a, struct pfile *f, const struct patch_hunk *h)
{
	const struct patch_chunk *c;
	struct text		 t;
	struct repl		*r;
	size_t			 nr = 0, len;
	char			*out = NULL;
	int			 rv = -1;

	if (!patch_utf8_valid(f->data, f->len)) {
		fail(a, "Failed to read file to update %s: stream did not "
		    "contain valid UTF-8", h->path.s);
		return -1;
	}
	TAILQ_FOREACH(c, &h->chunks, entry)
		nr++;
	if (text_split(f->data, f->len, &t) == -1)
		return apply_oom(a);
	if ((r = calloc(nr + 1, sizeof(*r))) == NULL) {
		fail(a, "out of memory");
		goto done;
	}
	if (find_repls(a, &t, h, r) == -1)
		goto done;
	qsort(r, nr, sizeof(*r), repl_cmp);
	if (text_splice(&t, r, nr) == -1 || text_join(&t, &out, &len) == -1) {
		fail(a, "out of memory");
		goto done;
	}
	free(f->data);
	f->data = out;
	f->len = len;
	rv = 0;
 done:
	free(r);
	text_free(&t);
	return rv;
}

/*
 * update_content() on a text in memory rather than a file read beneath
 * the directory: patch_apply() runs the same code on each file it
 * updates, and this entry point lets the fuzz harness reach the matching
 * and splicing without a file system.
 */
int
patch_update_text(const struct patch_hunk *h, const char *old, size_t oldlen,
    char **out, size_t *outlen, char *err, size_t errlen)
{
	struct actx	 a;
	struct pfile	 f;

	memset(&a, 0, sizeof(a));
	a.dirfd = -1;
	a.err = err;
	a.errlen = errlen;
	TAILQ_INIT(&a.files);
	if (h->kind != PATCH_UPDATE) {
		fail(&a, "not an update hunk");
		return -1;
	}
	memset(&f, 0, sizeof(f));
	if ((f.data = malloc(oldlen + 1)) == NULL)
		return apply_oom(&a);
	if (oldlen > 0)
		memcpy(f.data, old, oldlen);
	f.len = oldlen;
	if (update_content(&a, &f, h) == -1) {
		free(f.data);
		return -1;
	}
	*out = f.data;
	*outlen = f.len;
	return 0;
}

static int
set_content(struct actx *a, struct pfile *f, const char *s, size_t len)
{
	char	*d;

	if ((d = malloc(len + 1)) == NULL)
		return apply_oom(a);
	if (len > 0)
		memcpy(d, s, len);
	free(f->data);
	f->data = d;
	f->len = len;
	f->loaded = f->exists = f->touched = 1;
	return 0;
}

static void
drop_content(struct pfile *f)
{
	free(f->data);
	f->data = NULL;
	f->len = 0;
	f->loaded = f->exists = f->keepmeta = 0;
	f->touched = 1;
}

/* A file may be written where nothing or a regular file is. */
static int
writable(struct actx *a, const struct pfile *f, const char *path)
{
	if (f->exists || f->touched || f->disktype == 0)
		return 0;
	return failtype(a, f->disktype == -1 ?
	    "Failed to create parent directories for" : "Failed to write file",
	    path, f);
}

static int
verify_update(struct actx *a, const struct patch_hunk *h)
{
	struct pfile	*f, *d;

	if ((f = pfile_get(a, &h->path)) == NULL)
		return -1;
	if (!f->exists)
		return failtype(a, "Failed to read file to update", h->path.s,
		    f);
	if (!f->loaded && read_all(a, f, h->path.s) == -1)
		return -1;
	if (update_content(a, f, h) == -1)
		return -1;
	f->touched = 1;
	if (h->move_to.s == NULL)
		return 0;
	if ((d = pfile_get(a, &h->move_to)) == NULL)
		return -1;
	if (d == f)
		return 0;
	if (writable(a, d, h->move_to.s) == -1)
		return -1;
	/* The moved file keeps the source's permissions and owner. */
	d->st = f->st;
	d->keepmeta = f->keepmeta;
	if (set_content(a, d, f->data, f->len) == -1)
		return -1;
	drop_content(f);
	return 0;
}

static int
verify_hunk(struct actx *a, const struct patch_hunk *h)
{
	struct pfile	*f;

	switch (h->kind) {
	case PATCH_ADD:
		if ((f = pfile_get(a, &h->path)) == NULL ||
		    writable(a, f, h->path.s) == -1)
			return -1;
		return set_content(a, f, h->contents.s, h->contents.len);
	case PATCH_DELETE:
		if ((f = pfile_get(a, &h->path)) == NULL)
			return -1;
		if (!f->exists)
			return failtype(a, "Failed to delete file", h->path.s,
			    f);
		drop_content(f);
		return 0;
	case PATCH_UPDATE:
		return verify_update(a, h);
	}
	return -1;
}

/*
 * Codex writes files in place, so one it may not write stays as it is,
 * whereas a rename would replace it regardless.  Opening it for writing,
 * without O_TRUNC so that nothing changes, asks the kernel (and Landlock)
 * the question Codex's write would have asked.
 */
static int
verify_writable(struct actx *a, const struct pfile *f)
{
	struct stat	 st;
	int		 fd;

	fd = apply_open_beneath(a->dirfd, f->key,
	    O_WRONLY | O_NONBLOCK | O_NOCTTY);
	if (fd == -1) {
		apply_failerr(a, "Failed to write file", f->key, errno);
		return -1;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		fail(a, "Failed to write file %s: not a regular file", f->key);
		(void)close(fd);
		return -1;
	}
	return close(fd);
}

/*
 * Checks on the final state: a file that will exist must not sit below
 * another one that will ("a" and "a/b" cannot both be files), and every
 * file to be replaced must be writable.
 */
static int
verify_final(struct actx *a)
{
	struct pfile	*f, *g;
	size_t		 n;

	TAILQ_FOREACH(f, &a->files, entry) {
		if (!f->exists || !f->touched)
			continue;
		if (S_ISREG(f->disktype) && verify_writable(a, f) == -1)
			return -1;
		TAILQ_FOREACH(g, &a->files, entry) {
			n = strlen(g->key);
			if (g == f || !g->exists ||
			    strncmp(f->key, g->key, n) != 0 || f->key[n] != '/')
				continue;
			apply_failerr(a,
			    "Failed to create parent directories for", f->key,
			    ENOTDIR);
			return -1;
		}
	}
	return 0;
}

int
patch_apply(int dirfd, const struct patch *p, struct patch_result *res,
    char *err, size_t errlen)
{
	const struct patch_hunk	*h;
	struct actx		 a;
	int			 rv = -1;

	patch_result_init(res);
	memset(&a, 0, sizeof(a));
	a.dirfd = dirfd;
	a.err = err;
	a.errlen = errlen;
	TAILQ_INIT(&a.files);
	if (p == NULL || TAILQ_EMPTY(&p->hunks)) {
		fail(&a, "No files were modified.");
		return -1;
	}
	TAILQ_FOREACH(h, &p->hunks, entry)
		if (verify_hunk(&a, h) == -1)
			goto done;
	if (verify_final(&a) == -1)
		goto done;
	/* The summary is built while a failure still changes nothing. */
	if (apply_result_fill(res, p) != 0) {
		fail(&a, "out of memory");
		goto done;
	}
	if (apply_prepare(&a) == -1 || apply_commit(&a) == -1)
		goto done;
	rv = 0;
 done:
	if (rv == -1)
		patch_result_free(res);
	apply_ctx_free(&a);
	return rv;
}
