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
 *
 * The filter is applied once to execproc and once more to every command,
 * so it must be cheap to build: libseccomp takes a few hundred
 * microseconds for this list (the personality rules alone are 62), which
 * is most of a command's start.  On the little-endian architectures
 * without socketcall(2) multiplexing, the program is written here
 * directly, which takes microseconds and says the same thing as the
 * libseccomp rules it replaces (the same x32 and foreign-architecture
 * kill, the same comparisons); elsewhere libseccomp builds it.  A
 * process that already carries the deny-list (a command forked by a
 * confined execproc) only adds what its own policy denies beyond it.
 */

#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include <endian.h>
#include <errno.h>
#include <sched.h>
#include <seccomp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "sandbox/bpf.h"
#include "sandbox/policy.h"

#define DENY_BASE	0x100	/* the always-denied part, internal */
#define PROG_MAX	512	/* instructions; the full list needs ~250 */
#define ENT_MAX		128	/* syscalls named; the full list has ~80 */

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

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* The deny flags this process already carries, -1 before the first. */
static int	 applied = -1;

/* What the program does with one syscall it names. */
enum what {
	W_DENY,			/* fail with err */
	W_IOCTL,		/* TIOCSTI and TIOCLINUX fail */
	W_PERSONALITY,		/* all but 0 and 0xffffffff fail */
	W_SOCKET,		/* all families but AF_UNIX fail */
	W_NAMESPACE		/* namespace flags fail */
};

struct entry {
	uint32_t	 nr;
	enum what	 what;
	int		 err;
};

struct prog {
	struct bpf_prog		 b;
	struct sock_filter	 insbuf[PROG_MAX];
	struct entry		 ent[ENT_MAX];
	size_t			 nent;
};

static int	 native_direct(uint32_t *);
static void	 add(struct prog *, const char *, enum what, int);
static void	 collect(struct prog *, int);
static int	 ent_cmp(const void *, const void *);
static void	 entry_code(struct prog *, const struct entry *);
static void	 emit_range(struct prog *, size_t, size_t);
static int	 build(struct prog *, uint32_t, int);
static int	 load_direct(int, uint32_t);
static int	 deny(scmp_filter_ctx, const char *, int, unsigned int,
		    const struct scmp_arg_cmp *);
static int	 deny_list(scmp_filter_ctx, const char *const *, size_t);
static int	 deny_personality(scmp_filter_ctx);
static int	 deny_special(scmp_filter_ctx, int);
static int	 load_libseccomp(int);

/*
 * The audit architecture when the program can be written here: native
 * syscalls only, little-endian argument words, no socketcall(2).
 */
static int
native_direct(uint32_t *arch)
{
#if __BYTE_ORDER == __LITTLE_ENDIAN && \
    (defined(__x86_64__) || defined(__aarch64__))
	*arch = seccomp_arch_native();
	return *arch == AUDIT_ARCH_X86_64 || *arch == AUDIT_ARCH_AARCH64;
#else
	(void)arch;
	return 0;
#endif
}

/* Name a syscall in the program; one this architecture lacks is skipped. */
static void
add(struct prog *p, const char *name, enum what what, int err)
{
	int	 nr;

	if ((nr = seccomp_syscall_resolve_name(name)) < 0)
		return;
	if (p->nent == ENT_MAX) {
		p->b.overflow = 1;
		return;
	}
	p->ent[p->nent].nr = nr;
	p->ent[p->nent].what = what;
	p->ent[p->nent].err = err;
	p->nent++;
}

static void
collect(struct prog *p, int flags)
{
	size_t	 i;

	if (flags & DENY_BASE) {
		for (i = 0; i < NELEM(always); i++)
			add(p, always[i], W_DENY, EPERM);
		add(p, "clone3", W_DENY, ENOSYS);
		add(p, "ioctl", W_IOCTL, 0);
		add(p, "personality", W_PERSONALITY, 0);
	}
	if (flags & DENY_NETWORK) {
		add(p, "socket", W_SOCKET, 0);
		add(p, "socketpair", W_SOCKET, 0);
	}
	if (flags & DENY_NAMESPACE) {
		add(p, "setns", W_DENY, EPERM);
		add(p, "unshare", W_NAMESPACE, 0);
		add(p, "clone", W_NAMESPACE, 0);
	}
	for (i = 0; (flags & DENY_FATTR) && i < NELEM(fattr); i++)
		add(p, fattr[i], W_DENY, EPERM);
}

static int
ent_cmp(const void *a, const void *b)
{
	uint32_t	 x = ((const struct entry *)a)->nr;
	uint32_t	 y = ((const struct entry *)b)->nr;

	return x < y ? -1 : x > y;
}


/*
 * The code for one syscall; it always ends in a return.  The argument
 * tests compare what libseccomp's rules compared: the low word of the
 * ioctl request and of the personality and clone/unshare flags, the
 * whole 64 bits of the socket family.
 */
static void
entry_code(struct prog *p, const struct entry *e)
{
	const uint32_t	 eperm = SECCOMP_RET_ERRNO | EPERM;
	const uint32_t	 allow = SECCOMP_RET_ALLOW;
	uint32_t	 nsmask = 0;
	size_t		 i;

	switch (e->what) {
	case W_DENY:
		bpf_emit(&p->b, BPF_RET | BPF_K, SECCOMP_RET_ERRNO |
		    (e->err & SECCOMP_RET_DATA), 0, 0);
		return;
	case W_IOCTL:
		bpf_ld_arg(&p->b, 1, 0);
		bpf_emit(&p->b, BPF_JMP | BPF_JEQ | BPF_K, TIOCSTI, 2, 0);
		bpf_emit(&p->b, BPF_JMP | BPF_JEQ | BPF_K, TIOCLINUX, 1, 0);
		break;
	case W_PERSONALITY:
		bpf_ld_arg(&p->b, 0, 0);
		bpf_emit(&p->b, BPF_JMP | BPF_JEQ | BPF_K, 0, 2, 0);
		bpf_emit(&p->b, BPF_JMP | BPF_JEQ | BPF_K, 0xffffffffU, 1, 0);
		bpf_emit(&p->b, BPF_RET | BPF_K, eperm, 0, 0);
		bpf_emit(&p->b, BPF_RET | BPF_K, allow, 0, 0);
		return;
	case W_SOCKET:
		bpf_ld_arg(&p->b, 0, 1);
		bpf_emit(&p->b, BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 2);
		bpf_ld_arg(&p->b, 0, 0);
		bpf_emit(&p->b, BPF_JMP | BPF_JEQ | BPF_K, AF_UNIX, 1, 0);
		bpf_emit(&p->b, BPF_RET | BPF_K, eperm, 0, 0);
		bpf_emit(&p->b, BPF_RET | BPF_K, allow, 0, 0);
		return;
	case W_NAMESPACE:
		for (i = 0; i < NELEM(ns_flags); i++)
			nsmask |= ns_flags[i];
		bpf_ld_arg(&p->b, 0, 0);
		bpf_emit(&p->b, BPF_JMP | BPF_JSET | BPF_K, nsmask, 1, 0);
		break;
	}
	/* W_IOCTL and W_NAMESPACE: a match jumped over the allow. */
	bpf_emit(&p->b, BPF_RET | BPF_K, allow, 0, 0);
	bpf_emit(&p->b, BPF_RET | BPF_K, eperm, 0, 0);
}

/*
 * Entries lo to hi (sorted by number, number in A) as a binary search:
 * a few comparisons for any syscall instead of one per entry.  That
 * matters twice: the kernel runs the program for every syscall number
 * when it loads it (to find those it may always allow without running
 * it), and a long chain made that most of the cost of loading.
 */
static void
emit_range(struct prog *p, size_t lo, size_t hi)
{
	size_t	 at, mid, i;

	if (hi - lo > 4) {
		mid = lo + (hi - lo) / 2;
		at = p->b.len;
		bpf_emit(&p->b, BPF_JMP | BPF_JGE | BPF_K, p->ent[mid].nr, 0,
		    0);
		emit_range(p, lo, mid);
		bpf_patch(&p->b, at, 1);
		emit_range(p, mid, hi);
		return;
	}
	for (i = lo; i < hi; i++) {
		at = p->b.len;
		bpf_emit(&p->b, BPF_JMP | BPF_JEQ | BPF_K, p->ent[i].nr, 0, 0);
		entry_code(p, &p->ent[i]);
		bpf_patch(&p->b, at, 0);
	}
	bpf_emit(&p->b, BPF_RET | BPF_K, SECCOMP_RET_ALLOW, 0, 0);
}

/*
 * The program: kill a foreign architecture, and on x86_64 the x32
 * numbers (all but -1, which libseccomp lets through too); then the
 * search for the syscall.  Returns -1 when it does not fit.
 */
static int
build(struct prog *p, uint32_t arch, int flags)
{
	size_t	 i;

	bpf_init(&p->b, p->insbuf, PROG_MAX);
	p->nent = 0;
	bpf_prelude(&p->b, arch);
	collect(p, flags);
	qsort(p->ent, p->nent, sizeof(p->ent[0]), ent_cmp);
	for (i = 1; i < p->nent; i++)
		if (p->ent[i].nr == p->ent[i - 1].nr)
			p->b.overflow = 1;	/* two rules for one call */
	emit_range(p, 0, p->nent);
	return p->b.overflow ? -1 : 0;
}

/* Write and load the program; libseccomp if it cannot be written. */
static int
load_direct(int flags, uint32_t arch)
{
	static struct prog	 p;
	struct sock_fprog	 fp;

	if (build(&p, arch, flags) == -1)
		return load_libseccomp(flags);
	bpf_fprog(&p.b, &fp);
	return bpf_load(&fp);
}

/* One libseccomp rule; a name this architecture lacks is skipped. */
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

/*
 * personality(0) and the query 0xffffffff stay allowed, anything else
 * fails.  A rule may compare an argument only once, so the set is
 * spelled bit by bit: with bit 31 clear any other bit set is denied;
 * with bit 31 set any other bit clear is denied.
 */
static int
deny_personality(scmp_filter_ctx ctx)
{
	struct scmp_arg_cmp	 c;
	int			 i, rc;

	for (i = 0; i < 31; i++) {
		c = SCMP_A0(SCMP_CMP_MASKED_EQ, 0x80000000U | 1U << i,
		    1U << i);
		if ((rc = deny(ctx, "personality", EPERM, 1, &c)) != 0)
			return rc;
		c = SCMP_A0(SCMP_CMP_MASKED_EQ, 0x80000000U | 1U << i,
		    0x80000000U);
		if ((rc = deny(ctx, "personality", EPERM, 1, &c)) != 0)
			return rc;
	}
	return 0;
}

static int
deny_special(scmp_filter_ctx ctx, int flags)
{
	struct scmp_arg_cmp	 c[1];
	size_t			 i;
	int			 rc;

	if (flags & DENY_BASE) {
		c[0] = SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffff, TIOCSTI);
		if ((rc = deny(ctx, "ioctl", EPERM, 1, c)) != 0)
			return rc;
		c[0] = SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffff, TIOCLINUX);
		if ((rc = deny(ctx, "ioctl", EPERM, 1, c)) != 0 ||
		    (rc = deny(ctx, "clone3", ENOSYS, 0, NULL)) != 0 ||
		    (rc = deny_personality(ctx)) != 0)
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
		for (i = 0; i < NELEM(ns_flags); i++) {
			c[0] = SCMP_A0(SCMP_CMP_MASKED_EQ, ns_flags[i],
			    ns_flags[i]);
			if ((rc = deny(ctx, "unshare", EPERM, 1, c)) != 0 ||
			    (rc = deny(ctx, "clone", EPERM, 1, c)) != 0)
				return rc;
		}
	}
	return 0;
}

static int
load_libseccomp(int flags)
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
	if ((flags & DENY_BASE) && (rc = deny_list(ctx, always,
	    NELEM(always))) != 0)
		goto out;
	if ((rc = deny_special(ctx, flags)) != 0)
		goto out;
	if ((flags & DENY_FATTR) && (rc = deny_list(ctx, fattr,
	    NELEM(fattr))) != 0)
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

/*
 * Deny what flags say on top of what this process already denies: a
 * second identical filter would only slow every syscall down.
 */
int
seccomp_deny_apply(int flags)
{
	uint32_t	 arch;
	int		 want = flags | DENY_BASE, rc;

	if (applied != -1)
		want &= ~applied;
	if (want == 0)
		return 0;
	if (native_direct(&arch))
		rc = load_direct(want, arch);
	else
		rc = load_libseccomp(want);
	if (rc == 0)
		applied = applied == -1 ? want : (applied | want);
	return rc;
}
