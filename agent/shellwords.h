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

#ifndef AGENT_SHELLWORDS_H
#define AGENT_SHELLWORDS_H

#include <stddef.h>

/*
 * A shell script split into simple commands and their words, for the
 * approval rules (approval.c); shellwords.c says how.
 */

#define SH_MAXCMDS	64

/* One simple command of a shell script: argv[argc] is NULL. */
struct sh_cmd {
	char	**argv;
	size_t	  argc;
};

struct sh_script {
	struct sh_cmd	cmd[SH_MAXCMDS];
	size_t		ncmd;
};

int	 sh_split(const char *, int, struct sh_script *);
void	 sh_free(struct sh_script *);

#endif /* AGENT_SHELLWORDS_H */
