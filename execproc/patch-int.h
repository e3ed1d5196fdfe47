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

#ifndef EXECPROC_PATCH_INT_H
#define EXECPROC_PATCH_INT_H

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/stat.h>

#include <stddef.h>

#include "execproc/patch.h"

/*
 * Internals shared by the files that implement apply_patch; the public
 * interface is execproc/patch.h.
 */

/*
 * patchtext.c: the bounds of s without trailing whitespace (and, with
 * lead, without leading whitespace), and byte-wise equality.
 */
void	 patch_u8_trim(const char *s, size_t len, int lead, size_t *b,
	    size_t *e);
int	 patch_bytes_eq(const char *a, size_t alen, const char *b,
	    size_t blen);

/*
 * A file the patch touches, with its state after the hunks so far.
 * disktype is the S_IFMT of what is on disk at key, 0 if nothing is and
 * -1 if a parent component is not a directory.  With keepmeta the new
 * content takes st's permissions and owner.
 */
struct pfile {
	TAILQ_ENTRY(pfile)	 entry;
	char			*key;	/* canonical relative path */
	int			 disktype;
	struct stat		 st;
	int			 exists;
	int			 loaded;	/* data holds the content */
	int			 touched;
	char			*data;
	size_t			 len;
	int			 keepmeta;
	int			 pfd;	/* parent directory, O_PATH */
	const char		*base;	/* last component of key */
	char			*tmp;	/* temporary name in pfd */
};
TAILQ_HEAD(pfileq, pfile);

struct newdir {
	int	 pfd;
	char	*name;
};

struct actx {
	int		 dirfd;
	struct pfileq	 files;
	struct newdir	*dirs;
	size_t		 ndirs;
	size_t		 capdirs;
	char		*err;
	size_t		 errlen;
};

/* patchapply.c: error texts and path resolution for both phases. */
void	 apply_failerr(struct actx *, const char *, const char *, int);
int	 apply_oom(struct actx *);
int	 apply_open_beneath(int, const char *, int);

/*
 * patchcommit.c: the summary of a patch, the writing of temporary files
 * (phase two), the renames and deletions (phase three) and the release
 * of the applier's state.
 */
int	 apply_result_fill(struct patch_result *, const struct patch *);
int	 apply_prepare(struct actx *);
int	 apply_commit(struct actx *);
void	 apply_ctx_free(struct actx *);

#endif /* EXECPROC_PATCH_INT_H */
