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
 * The state shared by pledge.c, unveil.c and caps.c: the flags given to
 * sandbox_init(), the debug reporter, and the cached answers of the
 * availability probes.
 */

#include <sys/prctl.h>
#include <sys/syscall.h>

#include <linux/seccomp.h>

#include <errno.h>
#include <stddef.h>
#include <unistd.h>

#include "sandbox/sandbox.h"
#include "sandbox/landlock.h"

static int			 sb_flags;
static sandbox_report_fn	 sb_report;
/* -1 until asked; the kernel's answer does not change while we run. */
static int			 sb_abi = -1;
static int			 sb_seccomp = -1;

int
sandbox_init(int flags, sandbox_report_fn report)
{
	if (flags & ~(SANDBOX_DEBUG | SANDBOX_DISABLED)) {
		errno = EINVAL;
		return -1;
	}
	sb_flags = flags;
	sb_report = report;

	/*
	 * Ask now, while nothing is confined yet; later calls read the
	 * cached answers and need no system call.  Answers cached before
	 * a fork (or by a test) are asked again.
	 */
	sb_abi = sb_seccomp = -1;
	(void)sandbox_landlock_abi();
	(void)sandbox_seccomp_available();
	if ((flags & SANDBOX_DEBUG) && !(flags & SANDBOX_DISABLED))
		return pledge_debug_prepare();
	return 0;
}

int
sandbox_disabled(void)
{
	return (sb_flags & SANDBOX_DISABLED) != 0;
}

int
sandbox_debug(void)
{
	return (sb_flags & SANDBOX_DEBUG) != 0;
}

sandbox_report_fn
sandbox_reporter(void)
{
	return sb_report;
}

int
sandbox_landlock_abi(void)
{
	if (sb_abi == -1)
		sb_abi = ll_query_abi();
	return sb_abi;
}

/*
 * Filter mode is there when installing a NULL filter fails with EFAULT
 * rather than EINVAL or ENOSYS.  The seccomp(2) call is tried first
 * because our own filters always allow it; prctl(2) covers kernels older
 * than 3.17.
 */
int
sandbox_seccomp_available(void)
{
	int	 saved = errno;

	if (sb_seccomp != -1)
		return sb_seccomp;
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, NULL) == -1 &&
	    errno == EFAULT)
		sb_seccomp = 1;
	else if (errno == ENOSYS &&
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, NULL, 0, 0) == -1 &&
	    errno == EFAULT)
		sb_seccomp = 1;
	else
		sb_seccomp = 0;
	errno = saved;
	return sb_seccomp;
}

/*
 * A process that is not dumpable leaves no core file and cannot be
 * traced or have its /proc files read by other processes of the same
 * user, which is what keeps an API key in netproc from a compromised
 * sibling.
 */
int
sandbox_nodump(void)
{
	if (sandbox_disabled())
		return 0;
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == -1)
		return -1;
	if (prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) != 0) {
		errno = EPERM;
		return -1;
	}
	return 0;
}
