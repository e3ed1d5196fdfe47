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
 * The per-command seccomp filter: a deny-list whose entries fail with
 * EPERM, so that a tool meeting one reports an error instead of dying.
 * Everything else is allowed; Landlock, the mount namespace and the lack
 * of capabilities do the rest.  A syscall of a foreign architecture
 * (int 0x80, x32 numbers) kills the process: the list speaks only of
 * native numbers.
 *
 * Always denied: ptrace, process_vm_readv/writev, io_uring, TIOCSTI and
 * TIOCLINUX, the mount family, bpf, perf_event_open, the key ring calls,
 * kexec, module loading, and other calls only an administrator needs;
 * personality other than the default (or a query); clone3, with ENOSYS,
 * so that libc falls back to clone, whose flags can be inspected.  With
 * DENY_NAMESPACE also unshare, setns and clone with namespace flags;
 * with DENY_NETWORK every socket family but AF_UNIX; with DENY_FATTR the
 * chmod, chown, utimes and extended attribute writers.
 */

#include <sys/ioctl.h>
#include <sys/socket.h>

#include <errno.h>
#include <sched.h>
#include <seccomp.h>
#include <stddef.h>
#include <stdint.h>

#include "sandbox/policy.h"

static const char *const always[] = {
	"ptrace", "process_vm_readv", "process_vm_writev",
	"io_uring_setup", "io_uring_enter", "io_uring_register",
	"mount", "umount2", "pivot_root", "chroot", "open_tree",
	"move_mount", "fsopen", "fsconfig", "fsmount", "fspick",
	"mount_setattr", "bpf", "perf_event_open", "keyctl", "add_key",
	"request_key", "kexec_load", "kexec_file_load", "init_module",
	"finit_module", "delete_module", "userfaultfd",
	"open_by_handle_at", "iopl", "ioperm", "acct", "swapon", "swapoff",
	"reboot", "settimeofday", "clock_settime", "clock_adjtime",
	"adjtimex", "quotactl", "quotactl_fd", "lookup_dcookie", "syslog",
	"vhangup", "nfsservctl", "uselib", "fanotify_init",
};

static const char *const fattr[] = {
	"chmod", "fchmod", "fchmodat", "fchmodat2", "chown", "fchown",
	"lchown", "fchownat", "utime", "utimes", "utimensat", "futimesat",
	"setxattr", "lsetxattr", "fsetxattr", "removexattr",
	"lremovexattr", "fremovexattr",
};

static const uint64_t ns_flags[] = {
	CLONE_NEWNS, CLONE_NEWCGROUP, CLONE_NEWUTS, CLONE_NEWIPC,
	CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET, CLONE_NEWTIME,
};

static int	 deny(scmp_filter_ctx, const char *, int, unsigned int,
		    const struct scmp_arg_cmp *);
static int	 deny_list(scmp_filter_ctx, const char *const *, size_t);
static int	 deny_special(scmp_filter_ctx, int);

/* One rule; a name this architecture lacks is skipped. */
static int
deny(scmp_filter_ctx ctx, const char *name, int err, unsigned int n,
    const struct scmp_arg_cmp *cmp)
{
	int	 nr, rc;

	if ((nr = seccomp_syscall_resolve_name(name)) < 0)
		return 0;
	rc = seccomp_rule_add_array(ctx, SCMP_ACT_ERRNO(err), nr, n, cmp);
	return rc == -EEXIST ? 0 : rc;
}

static int
deny_list(scmp_filter_ctx ctx, const char *const *names, size_t n)
{
	size_t	 i;
	int	 rc;

	for (i = 0; i < n; i++)
		if ((rc = deny(ctx, names[i], EPERM, 0, NULL)) != 0)
			return rc;
	return 0;
}

static int
deny_special(scmp_filter_ctx ctx, int flags)
{
	struct scmp_arg_cmp	 c[2];
	size_t			 i;
	int			 rc;

	c[0] = SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffff, TIOCSTI);
	if ((rc = deny(ctx, "ioctl", EPERM, 1, c)) != 0)
		return rc;
	c[0] = SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffff, TIOCLINUX);
	if ((rc = deny(ctx, "ioctl", EPERM, 1, c)) != 0)
		return rc;
	if ((rc = deny(ctx, "clone3", ENOSYS, 0, NULL)) != 0)
		return rc;
	/*
	 * personality(0) and the query 0xffffffff stay allowed, anything
	 * else fails.  A rule may compare an argument only once, so the
	 * set is spelled bit by bit: with bit 31 clear any other bit set
	 * is denied; with bit 31 set any other bit clear is denied.
	 */
	for (i = 0; i < 31; i++) {
		c[0] = SCMP_A0(SCMP_CMP_MASKED_EQ, 0x80000000U | 1U << i,
		    1U << i);
		if ((rc = deny(ctx, "personality", EPERM, 1, c)) != 0)
			return rc;
		c[0] = SCMP_A0(SCMP_CMP_MASKED_EQ, 0x80000000U | 1U << i,
		    0x80000000U);
		if ((rc = deny(ctx, "personality", EPERM, 1, c)) != 0)
			return rc;
	}
	if (flags & DENY_NETWORK) {
		c[0] = SCMP_A0(SCMP_CMP_NE, AF_UNIX);
		if ((rc = deny(ctx, "socket", EPERM, 1, c)) != 0 ||
		    (rc = deny(ctx, "socketpair", EPERM, 1, c)) != 0)
			return rc;
	}
	if (flags & DENY_NAMESPACE) {
		if ((rc = deny(ctx, "setns", EPERM, 0, NULL)) != 0)
			return rc;
		for (i = 0; i < sizeof(ns_flags) / sizeof(ns_flags[0]); i++) {
			c[0] = SCMP_A0(SCMP_CMP_MASKED_EQ, ns_flags[i],
			    ns_flags[i]);
			if ((rc = deny(ctx, "unshare", EPERM, 1, c)) != 0 ||
			    (rc = deny(ctx, "clone", EPERM, 1, c)) != 0)
				return rc;
		}
	}
	return 0;
}

int
seccomp_deny_apply(int flags)
{
	scmp_filter_ctx	 ctx;
	int		 rc;

	if ((ctx = seccomp_init(SCMP_ACT_ALLOW)) == NULL) {
		errno = ENOMEM;
		return -1;
	}
	if ((rc = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH,
	    SCMP_ACT_KILL_PROCESS)) != 0 ||
	    (rc = seccomp_attr_set(ctx, SCMP_FLTATR_API_SYSRAWRC, 1)) != 0 ||
	    (rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 1)) != 0)
		goto out;
	if ((rc = deny_list(ctx, always, sizeof(always) /
	    sizeof(always[0]))) != 0 ||
	    (rc = deny_special(ctx, flags)) != 0)
		goto out;
	if ((flags & DENY_FATTR) && (rc = deny_list(ctx, fattr,
	    sizeof(fattr) / sizeof(fattr[0]))) != 0)
		goto out;
	rc = seccomp_load(ctx);
 out:
	seccomp_release(ctx);
	if (rc != 0) {
		errno = rc < 0 ? -rc : EINVAL;
		return -1;
	}
	return 0;
}
