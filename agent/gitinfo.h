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

#ifndef AGENT_GITINFO_H
#define AGENT_GITINFO_H

#include <jansson.h>

/*
 * What session_meta records about the repository around cwd, read from
 * the repository's own files (HEAD, refs, packed-refs, config) since the
 * parent runs no programs.  Each field is NULL when unknown.
 */
struct gitinfo {
	char	*commit_hash;
	char	*branch;
	char	*repository_url;
};

int	 gitinfo_read(const char *, struct gitinfo *);
void	 gitinfo_free(struct gitinfo *);
json_t	*gitinfo_json(const struct gitinfo *);

#endif /* AGENT_GITINFO_H */
