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

#ifndef REGRESS_PATCH_UTIL_H
#define REGRESS_PATCH_UTIL_H

#include <sys/types.h>

#include <stddef.h>

/* TAP output; the plan is printed last, by tap_done(). */
int	 tap_ok(int, const char *, ...)
	    __attribute__((__format__(printf, 2, 3)));
int	 tap_is(const char *, const char *, const char *);
void	 tap_diag(const char *, ...)
	    __attribute__((__format__(printf, 1, 2)));
int	 tap_done(void);

/* File system helpers for temporary trees; they err(3) on failure. */
char	*tmp_root(void);
char	*path_join(const char *, const char *);
void	 rm_rf(const char *);
void	 copy_tree(const char *, const char *);
void	 spit(const char *, const char *, mode_t);
char	*slurp(const char *, size_t *);
int	 tree_equal(const char *, const char *, char *, size_t);

#endif /* REGRESS_PATCH_UTIL_H */
