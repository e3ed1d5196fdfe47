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

/* The sandbox-denial heuristic, case by case. */

#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "execproc/exec.h"

struct dcase {
	int		 sandboxed;
	int		 exit_code;
	int		 sig;
	const char	*out;
	const char	*err;
	int		 want;
	const char	*what;
};

static const struct dcase cases[] = {
	{ 0, 1, 0, "", "Permission denied", 0, "unsandboxed: never" },
	{ 1, 0, 0, "", "Permission denied", 0, "exit 0: never" },
	{ 1, 1, 0, "", "bash: x: Permission denied", 1, "permission denied" },
	{ 1, 1, 0, "OPERATION NOT PERMITTED", "", 1,
	    "operation not permitted, any case, stdout" },
	{ 1, 1, 0, "", "touch: Read-only file system", 1,
	    "read-only file system" },
	{ 1, 1, 0, "", "killed by seccomp", 1, "seccomp" },
	{ 1, 1, 0, "", "sandbox said no", 1, "sandbox" },
	{ 1, 1, 0, "", "Landlock", 1, "landlock" },
	{ 1, 1, 0, "", "error: failed to write file x", 1,
	    "failed to write file" },
	{ 1, 2, 0, "", "usage: x", 0, "exit 2: not denied" },
	{ 1, 126, 0, "", "cannot execute", 0, "exit 126: not denied" },
	{ 1, 127, 0, "", "x: not found", 0, "exit 127: never a denial" },
	{ 1, 2, 0, "", "Permission denied", 1, "keyword beats exit 2" },
	{ 1, 128 + SIGSYS, SIGSYS, "", "", 1, "SIGSYS: denied" },
	{ 1, 1, 0, "", "some other failure", 0, "plain failure: not denied" },
	{ 1, 137, SIGKILL, "", "", 0, "SIGKILL: not denied" },
	{ 1, 124, 0, "", "", 0, "timeout: not denied" },
};

int
main(void)
{
	const struct dcase	*c;
	const char		*out[2];
	size_t			 len[2], i, n = sizeof(cases) / sizeof(cases[0]);
	int			 got, fail = 0;

	printf("1..%zu\n", n + 1);
	for (i = 0; i < n; i++) {
		c = &cases[i];
		out[0] = c->out;
		out[1] = c->err;
		len[0] = strlen(c->out);
		len[1] = strlen(c->err);
		got = denial_guess(c->sandboxed, c->exit_code, c->sig, out,
		    len, 2);
		if (got != c->want)
			fail = 1;
		printf("%sok %zu - %s\n", got == c->want ? "" : "not ",
		    i + 1, c->what);
	}
	/* A NUL inside the phrase must not make a match. */
	out[0] = "permission\0denied";
	len[0] = 17;
	got = denial_guess(1, 1, 0, out, len, 1);
	printf("%sok %zu - a NUL breaks a phrase\n", got == 0 ? "" : "not ",
	    n + 1);
	return fail || got != 0;
}
