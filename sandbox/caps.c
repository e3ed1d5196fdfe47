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
 * Dropping every capability with libcap-ng.  ocodex runs as root on the
 * machines it was built for, so this is what stands between a process
 * that got compromised and the rest of the system once Landlock and
 * seccomp are in place.
 */

#include <sys/prctl.h>

#include <cap-ng.h>
#include <errno.h>

#include "sandbox/sandbox.h"
#include "sandbox/landlock.h"

static int	 caps_verify(int);

/*
 * The securebits are locked first: that needs CAP_SETPCAP, which the
 * drop takes away.  With SECURE_NOROOT locked, an execve of a set-uid
 * root binary (or by uid 0) grants no capabilities; no_new_privs then
 * also stops set-uid and file capabilities from taking effect at all.
 *
 * A process without CAP_SETPCAP (not root) can neither lock the bits nor
 * empty its bounding set; it has no capabilities to lose anyway, and
 * no_new_privs keeps it from gaining any, so that is not an error.
 */
int
sandbox_drop_caps(void)
{
	int	 setpcap;

	if (sandbox_disabled())
		return 0;
	if (capng_get_caps_process() == -1)
		goto fail;
	setpcap = capng_have_capability(CAPNG_EFFECTIVE, CAP_SETPCAP);
	if (setpcap && capng_lock() == -1)
		goto fail;
	capng_clear(CAPNG_SELECT_ALL);
	if (capng_apply(setpcap ? CAPNG_SELECT_ALL :
	    CAPNG_SELECT_CAPS | CAPNG_SELECT_AMBIENT) != 0)
		goto fail;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1)
		return -1;
	return caps_verify(setpcap);
 fail:
	if (errno == 0)
		errno = EPERM;
	return -1;
}

/* Read the sets back from the kernel: trust nothing libcap-ng cached. */
static int
caps_verify(int bounds)
{
	capng_select_t	 set;

	if (capng_get_caps_process() == -1)
		goto fail;
	set = CAPNG_SELECT_CAPS | CAPNG_SELECT_AMBIENT;
	if (bounds)
		set |= CAPNG_SELECT_BOUNDS;
	if (capng_have_capabilities(set) != CAPNG_NONE)
		goto fail;
	if (prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1)
		goto fail;
	return 0;
 fail:
	errno = EPERM;
	return -1;
}
