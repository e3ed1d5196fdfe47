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
 * Raw Landlock system calls (glibc 2.36 has no wrappers) and the masks
 * that depend on the ABI of the running kernel.
 */

#include <sys/syscall.h>

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>

#include "sandbox/landlock.h"

#ifndef __NR_landlock_create_ruleset
#define __NR_landlock_create_ruleset	444
#endif
#ifndef __NR_landlock_add_rule
#define __NR_landlock_add_rule		445
#endif
#ifndef __NR_landlock_restrict_self
#define __NR_landlock_restrict_self	446
#endif

int
ll_create_ruleset(const struct ll_ruleset_attr *attr, size_t size,
    uint32_t flags)
{
	return syscall(__NR_landlock_create_ruleset, attr, size, flags);
}

int
ll_add_rule(int fd, int type, const void *attr, uint32_t flags)
{
	return syscall(__NR_landlock_add_rule, fd, type, attr, flags);
}

int
ll_restrict_self(int fd, uint32_t flags)
{
	return syscall(__NR_landlock_restrict_self, fd, flags);
}

/*
 * The ABI version, 0 when Landlock is not built in (ENOSYS) or built in
 * but not enabled at boot (EOPNOTSUPP).  Any other error also means we
 * cannot use it, so it reads as 0 too.
 */
int
ll_query_abi(void)
{
	int	 abi, saved = errno;

	abi = ll_create_ruleset(NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
	errno = saved;
	if (abi < 0)
		return 0;
	return abi;
}

/*
 * How many bytes of struct ll_ruleset_attr to hand the kernel: a kernel
 * rejects fields it does not know unless they are zero, and passing only
 * what it knows keeps that question from arising.
 */
size_t
ll_ruleset_size(int abi)
{
	if (abi >= 6)
		return sizeof(struct ll_ruleset_attr);
	if (abi >= 4)
		return offsetof(struct ll_ruleset_attr, scoped);
	return offsetof(struct ll_ruleset_attr, handled_access_net);
}

/* Every file-system right the given ABI can enforce. */
uint64_t
ll_fs_rights(int abi)
{
	uint64_t	 r;

	if (abi < 1)
		return 0;
	r = LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE |
	    LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR |
	    LANDLOCK_ACCESS_FS_REMOVE_DIR | LANDLOCK_ACCESS_FS_REMOVE_FILE |
	    LANDLOCK_ACCESS_FS_MAKE_CHAR | LANDLOCK_ACCESS_FS_MAKE_DIR |
	    LANDLOCK_ACCESS_FS_MAKE_REG | LANDLOCK_ACCESS_FS_MAKE_SOCK |
	    LANDLOCK_ACCESS_FS_MAKE_FIFO | LANDLOCK_ACCESS_FS_MAKE_BLOCK |
	    LANDLOCK_ACCESS_FS_MAKE_SYM;
	if (abi >= 2)
		r |= LANDLOCK_ACCESS_FS_REFER;
	if (abi >= 3)
		r |= LANDLOCK_ACCESS_FS_TRUNCATE;
	if (abi >= 5)
		r |= LANDLOCK_ACCESS_FS_IOCTL_DEV;
	return r;
}

/* TCP bind and connect, from ABI 4 on. */
uint64_t
ll_net_rights(int abi)
{
	if (abi < 4)
		return 0;
	return LANDLOCK_ACCESS_NET_BIND_TCP | LANDLOCK_ACCESS_NET_CONNECT_TCP;
}

/* Abstract unix sockets and signals, from ABI 6 on. */
uint64_t
ll_scopes(int abi)
{
	if (abi < 6)
		return 0;
	return LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET | LANDLOCK_SCOPE_SIGNAL;
}
