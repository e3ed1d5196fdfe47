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
 * Was a failed command likely stopped by its sandbox?  The same
 * heuristic as Codex, since it drives the same "retry without the
 * sandbox?" question: never for an unsandboxed command or exit 0; yes
 * when the output has one of a few telltale phrases; no for exit 2, 126
 * and 127 (a missing command is never a denial); yes for 128+SIGSYS.
 * It can be fooled by a command that prints those words, which is why
 * the answer only ever leads to a question, never to escalation.
 */

#include <signal.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "execproc/exec.h"

static const char *const phrases[] = {
	"operation not permitted", "permission denied",
	"read-only file system", "seccomp", "sandbox", "landlock",
	"failed to write file",
};

static int	 contains(const char *, size_t, const char *);

/* Case-insensitive search of a phrase in bytes that may hold NULs. */
static int
contains(const char *buf, size_t len, const char *word)
{
	size_t	 wl = strlen(word), i;

	for (i = 0; i + wl <= len; i++)
		if (strncasecmp(buf + i, word, wl) == 0 &&
		    memchr(buf + i, '\0', wl) == NULL)
			return 1;
	return 0;
}

int
denial_guess(int sandboxed, int exit_code, int sig, const char *const *out,
    const size_t *len, size_t nout)
{
	size_t	 i, j;

	if (!sandboxed || exit_code == 0)
		return 0;
	for (i = 0; i < nout; i++)
		for (j = 0; j < sizeof(phrases) / sizeof(phrases[0]); j++)
			if (out[i] != NULL && contains(out[i], len[i],
			    phrases[j]))
				return 1;
	if (exit_code == 2 || exit_code == 126 || exit_code == 127)
		return 0;
	return sig == SIGSYS || exit_code == 128 + SIGSYS;
}
