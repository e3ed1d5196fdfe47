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
 * nolandlock: run a program on what looks like a kernel without Landlock.
 * A seccomp filter makes landlock_create_ruleset(2) fail with ENOSYS, as
 * it does on a kernel built without Landlock, then the program is run.
 * Used to test that ocodex refuses to start unconfined.
 */

#include <sys/prctl.h>
#include <sys/syscall.h>

#include <err.h>
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <unistd.h>

int
main(int argc, char *argv[])
{
	scmp_filter_ctx	ctx;

	if (argc < 2) {
		(void)fprintf(stderr, "usage: nolandlock program [arg ...]\n");
		return 2;
	}
	if ((ctx = seccomp_init(SCMP_ACT_ALLOW)) == NULL)
		errx(1, "seccomp_init");
	if (seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS),
	    SCMP_SYS(landlock_create_ruleset), 0) != 0 ||
	    seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS),
	    SCMP_SYS(landlock_add_rule), 0) != 0 ||
	    seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS),
	    SCMP_SYS(landlock_restrict_self), 0) != 0)
		errx(1, "seccomp_rule_add");
	if (seccomp_load(ctx) != 0)
		errx(1, "seccomp_load");
	seccomp_release(ctx);
	execv(argv[1], argv + 1);
	err(127, "%s", argv[1]);
}
