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

#ifndef SANDBOX_LANDLOCK_H
#define SANDBOX_LANDLOCK_H

/*
 * Private to sandbox/: the raw Landlock system calls, the ABI-dependent
 * masks, and the few functions the files of this folder share.  Nothing
 * outside sandbox/ includes this header.
 */

#include <stddef.h>
#include <stdint.h>

#include <linux/filter.h>
#include <linux/landlock.h>

#include <seccomp.h>

#include "sandbox/sandbox.h"

/*
 * Debian 12's <linux/landlock.h> stops at ABI 2.  Everything newer is
 * defined here with the kernel's values, and only when the installed
 * header lacks it, so a newer header always wins.
 */
#ifndef LANDLOCK_CREATE_RULESET_VERSION
#define LANDLOCK_CREATE_RULESET_VERSION		(1U << 0)
#endif
#ifndef LANDLOCK_ACCESS_FS_REFER
#define LANDLOCK_ACCESS_FS_REFER		(1ULL << 13)
#endif
#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE		(1ULL << 14)
#endif
#ifndef LANDLOCK_ACCESS_FS_IOCTL_DEV
#define LANDLOCK_ACCESS_FS_IOCTL_DEV		(1ULL << 15)
#endif

/*
 * The network rule type is an enum constant in the kernel header, so its
 * presence is told by the access macros that arrived with it (ABI 4).
 */
#ifndef LANDLOCK_ACCESS_NET_BIND_TCP
#define LANDLOCK_ACCESS_NET_BIND_TCP		(1ULL << 0)
#define LANDLOCK_ACCESS_NET_CONNECT_TCP		(1ULL << 1)
#define LANDLOCK_RULE_NET_PORT			2
struct landlock_net_port_attr {
	__u64	allowed_access;
	__u64	port;
};
#endif

#ifndef LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET
#define LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET	(1ULL << 0)
#endif
#ifndef LANDLOCK_SCOPE_SIGNAL
#define LANDLOCK_SCOPE_SIGNAL			(1ULL << 1)
#endif

#ifndef LANDLOCK_RESTRICT_SELF_LOG_SAME_EXEC_OFF
#define LANDLOCK_RESTRICT_SELF_LOG_SAME_EXEC_OFF	(1U << 0)
#endif
#ifndef LANDLOCK_RESTRICT_SELF_LOG_NEW_EXEC_ON
#define LANDLOCK_RESTRICT_SELF_LOG_NEW_EXEC_ON		(1U << 1)
#endif
#ifndef LANDLOCK_RESTRICT_SELF_LOG_SUBDOMAINS_OFF
#define LANDLOCK_RESTRICT_SELF_LOG_SUBDOMAINS_OFF	(1U << 2)
#endif

/*
 * struct landlock_ruleset_attr grew two fields after ABI 2, and a struct
 * cannot be extended with #ifndef.  This copy has the kernel's layout up
 * to ABI 7; ll_ruleset_size() tells how much of it a given ABI accepts.
 */
struct ll_ruleset_attr {
	uint64_t	handled_access_fs;
	uint64_t	handled_access_net;	/* ABI >= 4 */
	uint64_t	scoped;			/* ABI >= 6 */
};

/* The highest ABI this code knows the rights of. */
#define LL_ABI_KNOWN		7

/* Rights that make sense on a file (the rest apply to directories). */
#define LL_ACCESS_FILE							\
	(LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE |	\
	LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_TRUNCATE |	\
	LANDLOCK_ACCESS_FS_IOCTL_DEV)

/* landlock.c: system calls and ABI masks. */
int		 ll_query_abi(void);
int		 ll_create_ruleset(const struct ll_ruleset_attr *, size_t,
		    uint32_t);
int		 ll_add_rule(int, int, const void *, uint32_t);
int		 ll_restrict_self(int, uint32_t);
size_t		 ll_ruleset_size(int);
uint64_t	 ll_fs_rights(int);
uint64_t	 ll_net_rights(int);
uint64_t	 ll_scopes(int);

/* sandbox.c: the state sandbox_init() recorded. */
int		 sandbox_debug(void);
sandbox_report_fn sandbox_reporter(void);

/* unveil.c: a ruleset waiting for pledge() to commit it. */
int		 unveil_pending(void);
int		 unveil_commit(void);

/* pledge.c: the syscall name table for the SIGSYS reporter. */
int		 pledge_debug_prepare(void);

/*
 * One rule of a pledge filter, resolved: syscall nr gets action (a
 * libseccomp action, which is also the kernel's return value) when the
 * comparisons hold.  seq keeps the table's order.
 */
#define PLEDGE_CMP_MAX		2
#define PLEDGE_RULES_MAX	512
struct pledge_rule {
	uint32_t		 nr;
	uint32_t		 action;
	size_t			 seq;
	unsigned int		 ncmp;
	struct scmp_arg_cmp	 cmp[PLEDGE_CMP_MAX];
};

/*
 * pledge.c, for the equivalence test: the promise mask of a string, and
 * the program for it (with self as our pid) written directly or by
 * libseccomp, in a buffer the caller frees.
 */
int		 pledge_mask(const char *, uint32_t *);
int		 pledge_program(uint32_t, int, uint32_t, int,
		    struct sock_filter **, size_t *);

/* pledge-bpf.c: the program written without libseccomp. */
int		 pledge_bpf_build(const struct pledge_rule *, size_t,
		    uint32_t, struct sock_fprog *);

#endif /* SANDBOX_LANDLOCK_H */
