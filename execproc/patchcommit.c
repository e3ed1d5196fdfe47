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
 * Phases two and three of patch_apply(), which patchapply.c runs once
 * phase one has checked the whole patch: missing directories are made
 * and every new content goes to a temporary file beside its target, all
 * undone if any of that fails; then the temporary files are renamed into
 * place and deleted files removed.  Also the summary of what a patch
 * changes, which is built before anything is written.
 */

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "execproc/patch.h"
#include "execproc/patch-int.h"

#define TMP_TRIES	64

static int
newdir_add(struct actx *a, int pfd, const char *name)
{
	struct newdir	*v;
	size_t		 cap;

	if (a->ndirs == a->capdirs) {
		cap = a->capdirs == 0 ? 8 : a->capdirs * 2;
		if ((v = reallocarray(a->dirs, cap, sizeof(*v))) == NULL)
			return -1;
		a->dirs = v;
		a->capdirs = cap;
	}
	if ((a->dirs[a->ndirs].name = strdup(name)) == NULL)
		return -1;
	if ((a->dirs[a->ndirs].pfd = dup(pfd)) == -1) {
		free(a->dirs[a->ndirs].name);
		return -1;
	}
	a->ndirs++;
	return 0;
}

/*
 * Open the directory that holds f, creating missing directories one
 * component at a time with mkdirat(2) beneath the working directory.
 */
static int
open_parent(struct actx *a, struct pfile *f, int create)
{
	char	*dir, *comp, *slash;
	int	 fd, nfd;

	if ((dir = strdup(f->key)) == NULL)
		return apply_oom(a);
	slash = strrchr(dir, '/');
	f->base = slash == NULL ? f->key : f->key + (slash - dir) + 1;
	if (slash == NULL)
		*dir = '\0';
	else
		*slash = '\0';
	fd = apply_open_beneath(a->dirfd, ".", O_PATH | O_DIRECTORY);
	if (fd == -1)
		goto err;
	for (comp = dir; comp != NULL && *comp != '\0'; comp = slash) {
		if ((slash = strchr(comp, '/')) != NULL)
			*slash++ = '\0';
		nfd = apply_open_beneath(fd, comp, O_PATH | O_DIRECTORY);
		if (nfd == -1 && errno == ENOENT && create) {
			if (mkdirat(fd, comp, 0777) == -1 ||
			    newdir_add(a, fd, comp) == -1)
				goto err;
			nfd = apply_open_beneath(fd, comp,
			    O_PATH | O_DIRECTORY);
		}
		if (nfd == -1)
			goto err;
		(void)close(fd);
		fd = nfd;
	}
	free(dir);
	f->pfd = fd;
	return 0;
 err:
	apply_failerr(a, create ? "Failed to create parent directories for" :
	    "Failed to delete file", f->key, errno);
	if (fd != -1)
		(void)close(fd);
	free(dir);
	return -1;
}

static int
write_all(int fd, const char *buf, size_t len)
{
	ssize_t	 r;

	while (len > 0) {
		if ((r = write(fd, buf, len)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		buf += r;
		len -= r;
	}
	return 0;
}

/* Owner first: chown(2) clears the set-id bits that fchmod() restores. */
static int
copy_meta(int fd, const struct pfile *f)
{
	struct stat	 st;

	if (!f->keepmeta)
		return 0;
	if (fstat(fd, &st) == -1)
		return -1;
	if ((st.st_uid != f->st.st_uid || st.st_gid != f->st.st_gid) &&
	    fchown(fd, f->st.st_uid, f->st.st_gid) == -1 && errno != EPERM)
		return -1;
	return fchmod(fd, f->st.st_mode & 07777);
}

static int
make_tmp(struct pfile *f)
{
	static const char	 set[] =
	    "abcdefghijklmnopqrstuvwxyz0123456789";
	char			 name[64];
	size_t			 i, o;
	int			 fd = -1, tries, n;

	for (tries = 0; fd == -1 && tries < TMP_TRIES; tries++) {
		n = snprintf(name, sizeof(name), ".%.24s.ocodex-", f->base);
		if (n < 0 || (size_t)n + 13 > sizeof(name)) {
			errno = ENAMETOOLONG;
			return -1;
		}
		for (o = n, i = 0; i < 12; i++)
			name[o++] = set[arc4random_uniform(sizeof(set) - 1)];
		name[o] = '\0';
		fd = openat(f->pfd, name, O_WRONLY | O_CREAT | O_EXCL |
		    O_NOFOLLOW | O_CLOEXEC, 0666);
		if (fd == -1 && errno != EEXIST)
			return -1;
	}
	if (fd == -1)
		return -1;
	if ((f->tmp = strdup(name)) == NULL) {
		(void)unlinkat(f->pfd, name, 0);
		(void)close(fd);
		errno = ENOMEM;
		return -1;
	}
	if (write_all(fd, f->data, f->len) == -1 || copy_meta(fd, f) == -1 ||
	    fsync(fd) == -1) {
		(void)close(fd);
		return -1;
	}
	return close(fd);
}

/* Undo phase two: nothing the patch meant to change has changed yet. */
static void
rollback(struct actx *a)
{
	struct pfile	*f;

	TAILQ_FOREACH(f, &a->files, entry) {
		if (f->tmp != NULL)
			(void)unlinkat(f->pfd, f->tmp, 0);
		free(f->tmp);
		f->tmp = NULL;
	}
	while (a->ndirs > 0) {
		a->ndirs--;
		(void)unlinkat(a->dirs[a->ndirs].pfd, a->dirs[a->ndirs].name,
		    AT_REMOVEDIR);
	}
}

int
apply_prepare(struct actx *a)
{
	struct pfile	*f;

	TAILQ_FOREACH(f, &a->files, entry) {
		if (!f->touched || (!f->exists && !S_ISREG(f->disktype)))
			continue;
		if (open_parent(a, f, f->exists) == -1)
			goto bad;
		if (f->exists && make_tmp(f) == -1) {
			apply_failerr(a, "Failed to write file", f->key, errno);
			goto bad;
		}
	}
	return 0;
 bad:
	rollback(a);
	return -1;
}

int
apply_commit(struct actx *a)
{
	struct pfile	*f;
	int		 rv = 0;

	TAILQ_FOREACH(f, &a->files, entry) {
		if (f->tmp == NULL)
			continue;
		if (rv == 0 &&
		    renameat(f->pfd, f->tmp, f->pfd, f->base) == -1) {
			apply_failerr(a, "Failed to write file", f->key, errno);
			rv = -1;
		}
		if (rv == -1)
			(void)unlinkat(f->pfd, f->tmp, 0);
	}
	if (rv == -1)
		return -1;
	TAILQ_FOREACH(f, &a->files, entry) {
		if (f->exists || f->pfd == -1)
			continue;
		if (unlinkat(f->pfd, f->base, 0) == -1 && errno != ENOENT) {
			apply_failerr(a, "Failed to delete file", f->key,
			    errno);
			rv = -1;
		}
	}
	return rv;
}

void
apply_ctx_free(struct actx *a)
{
	struct pfile	*f, *tf;
	size_t		 i;

	TAILQ_FOREACH_SAFE(f, &a->files, entry, tf) {
		if (f->pfd != -1)
			(void)close(f->pfd);
		free(f->key);
		free(f->data);
		free(f->tmp);
		free(f);
	}
	for (i = 0; i < a->ndirs; i++) {
		(void)close(a->dirs[i].pfd);
		free(a->dirs[i].name);
	}
	free(a->dirs);
}

static int
result_add(struct patch_result *res, char kind, const struct patch_str *p)
{
	struct patch_change	*c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return -1;
	if ((c->path = strdup(p->s)) == NULL) {
		free(c);
		return -1;
	}
	c->kind = kind;
	TAILQ_INSERT_TAIL(&res->changes, c, entry);
	res->nchanges++;
	return 0;
}

/* Codex lists additions, then modifications, then deletions. */
int
apply_result_fill(struct patch_result *res, const struct patch *p)
{
	const struct patch_hunk	*h;
	int			 rv = 0;

	TAILQ_FOREACH(h, &p->hunks, entry)
		if (h->kind == PATCH_ADD)
			rv |= result_add(res, 'A', &h->path);
	TAILQ_FOREACH(h, &p->hunks, entry)
		if (h->kind == PATCH_UPDATE)
			rv |= result_add(res, 'M', h->move_to.s != NULL ?
			    &h->move_to : &h->path);
	TAILQ_FOREACH(h, &p->hunks, entry)
		if (h->kind == PATCH_DELETE)
			rv |= result_add(res, 'D', &h->path);
	return rv;
}

void
patch_result_init(struct patch_result *res)
{
	TAILQ_INIT(&res->changes);
	res->nchanges = 0;
}

void
patch_result_free(struct patch_result *res)
{
	struct patch_change	*c, *tc;

	TAILQ_FOREACH_SAFE(c, &res->changes, entry, tc) {
		free(c->path);
		free(c);
	}
	patch_result_init(res);
}

char *
patch_result_render(const struct patch_result *res)
{
	static const char	 head[] =
	    "Success. Updated the following files:\n";
	const struct patch_change *c;
	size_t			 len = sizeof(head), o;
	char			*buf;

	TAILQ_FOREACH(c, &res->changes, entry)
		len += strlen(c->path) + 3;
	if ((buf = malloc(len)) == NULL)
		return NULL;
	o = strlcpy(buf, head, len);
	TAILQ_FOREACH(c, &res->changes, entry) {
		buf[o++] = c->kind;
		buf[o++] = ' ';
		o += strlcpy(buf + o, c->path, len - o);
		buf[o++] = '\n';
	}
	buf[o] = '\0';
	return buf;
}
