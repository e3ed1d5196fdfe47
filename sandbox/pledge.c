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
 * pledge(2) on seccomp: each promise class is a set of libseccomp rules,
 * some with argument checks, and everything no promise allows kills the
 * process.  Paths and TCP ports are Landlock's business (unveil.c); this
 * filter decides which kinds of operation exist at all.
 *
 * Promise classes (names are those of x86_64; a name the native arch
 * lacks is skipped):
 *
 * always     exit, exit_group, rt_sigreturn, restart_syscall; also what
 *            only ever narrows, so that pledge() and unveil() can be
 *            called again after a pledge: seccomp, landlock_*,
 *            prctl(PR_SET_NO_NEW_PRIVS).  clone3 fails with ENOSYS, so
 *            glibc falls back to clone, whose flags we can inspect.
 * stdio      I/O on open descriptors (read, write, the v/p variants,
 *            close, close_range, dup*, lseek, fsync), fcntl on descriptor
 *            flags, pipe sizes and seals, fstat and newfstatat/statx with
 *            AT_EMPTY_PATH, memory (mmap/mprotect without PROT_EXEC,
 *            munmap, mremap, madvise, brk), futex, robust lists, rseq,
 *            threads (clone with CLONE_THREAD and no CLONE_NEW*), clocks,
 *            timers and sleeps, get*id, getrandom, signal handling and
 *            kill/tgkill of our own pid (abort and raise), pipes,
 *            socketpair(AF_UNIX), poll/select/epoll, eventfd, timerfd,
 *            sendmsg/recvmsg, sendto with no address, recvfrom, shutdown,
 *            umask, sched_yield, sched_getaffinity, reading rlimits,
 *            wait4/waitid, ioctl FIONREAD/FIONBIO/FIOCLEX/FIONCLEX/TCGETS,
 *            uname, sysinfo, getrusage, getcwd, membarrier.
 * rpath      open/openat read-only without O_CREAT or O_TRUNC, the stat
 *            family on paths, readlink(at), getdents, access/faccessat,
 *            statfs, chdir/fchdir.
 * wpath      open/openat write-only or read-write without O_CREAT,
 *            truncate, ftruncate, fallocate.
 * cpath      open/openat with O_CREAT or O_TMPFILE, creat, mkdir(at),
 *            unlink(at), rmdir, rename(at/at2), link(at), symlink(at).
 *            openat2 hides its flags behind a pointer, so it needs
 *            rpath, wpath and cpath together.
 * tmppath    open/openat with any flags, unlink(at), the stat family:
 *            meant for a process that unveiled /tmp "rwc".
 * fattr      chmod, chown and utimes families.
 * flock      flock, fcntl record and open-file-description locks.
 * inet       socket(AF_INET/AF_INET6), connect, bind, listen, accept(4),
 *            get/setsockopt, getsockname, getpeername.
 * unix       the same with socket(AF_UNIX).
 * dns        UDP sockets, AF_NETLINK route sockets and sendto with a
 *            netlink-sized address (getaddrinfo's AI_ADDRCONFIG),
 *            setsockopt IP_RECVERR/IPV6_RECVERR, sendmmsg, bind, connect,
 *            getsockname, the read-only opens and stats of rpath for
 *            resolv.conf, hosts and nsswitch.conf (Landlock decides
 *            which files); socket(AF_UNIX) fails with EACCES instead of
 *            killing, which makes glibc give up on nscd quietly.
 * sendfd,    nothing: seccomp cannot see SCM_RIGHTS behind the msghdr
 * recvfd     pointer.  imsg only passes descriptors on channels opened
 *            with allow_fdpass, and that is where they are gated.
 * proc       fork, vfork, clone without CLONE_NEW*, kill/tgkill of any
 *            pid, setpgid, setsid, getpgid, getsid, prctl PR_SET_PDEATHSIG
 *            and PR_SET_NAME, get/setpriority.
 * exec       execve, execveat, and arch_prctl and set_tid_address, which
 *            the loader and libc of the new program call first.
 * tty        ioctl TCGETS, TCSETS, TCSETSW, TCSETSF, TIOCGWINSZ,
 *            TIOCSWINSZ, TIOCGPGRP, TIOCSPGRP (never TIOCSTI, TIOCLINUX).
 * id         the setuid family and setgroups.
 * prot_exec  mmap and mprotect with PROT_EXEC.
 * sandbox    what execproc needs to build a per-command sandbox in a
 *            child: clone with namespace flags, unshare, setns, mount and
 *            the new mount API, umount2, pivot_root, chroot, any prctl,
 *            capget, capset.
 */

#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <netinet/in.h>

#include <linux/netlink.h>

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <seccomp.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "sandbox/sandbox.h"
#include "sandbox/bpf.h"
#include "sandbox/landlock.h"

#ifndef SYS_SECCOMP
#define SYS_SECCOMP	1	/* si_code of a SIGSYS sent by seccomp */
#endif

enum {
	P_STDIO		= 1 << 0,
	P_RPATH		= 1 << 1,
	P_WPATH		= 1 << 2,
	P_CPATH		= 1 << 3,
	P_FATTR		= 1 << 4,
	P_FLOCK		= 1 << 5,
	P_TMPPATH	= 1 << 6,
	P_INET		= 1 << 7,
	P_DNS		= 1 << 8,
	P_UNIX		= 1 << 9,
	P_SENDFD	= 1 << 10,
	P_RECVFD	= 1 << 11,
	P_PROC		= 1 << 12,
	P_EXEC		= 1 << 13,
	P_TTY		= 1 << 14,
	P_ID		= 1 << 15,
	P_PROTEXEC	= 1 << 16,
	P_SANDBOX	= 1 << 17
};

static const struct {
	const char	*name;
	uint32_t	 bit;
} promises[] = {
	{ "stdio",	P_STDIO },	{ "rpath",	P_RPATH },
	{ "wpath",	P_WPATH },	{ "cpath",	P_CPATH },
	{ "fattr",	P_FATTR },	{ "flock",	P_FLOCK },
	{ "tmppath",	P_TMPPATH },	{ "inet",	P_INET },
	{ "dns",	P_DNS },	{ "unix",	P_UNIX },
	{ "sendfd",	P_SENDFD },	{ "recvfd",	P_RECVFD },
	{ "proc",	P_PROC },	{ "exec",	P_EXEC },
	{ "tty",	P_TTY },	{ "id",		P_ID },
	{ "prot_exec",	P_PROTEXEC },	{ "sandbox",	P_SANDBOX },
};

/*
 * One rule: the syscall is allowed (or fails with err) when every
 * promise in need was made and none in unless, and the comparisons hold.
 * self replaces the first comparison's value with our pid at pledge time.
 */
struct sysrule {
	uint32_t		 need;
	uint32_t		 unless;
	const char		*name;
	int			 err;
	int			 self;
	unsigned int		 ncmp;
	struct scmp_arg_cmp	 cmp[2];
};

#define CMP(i, o, a, b)	\
	{ .arg = (i), .op = (o), .datum_a = (a), .datum_b = (b) }
#define EQ(i, v)	CMP(i, SCMP_CMP_EQ, (v), 0)
#define MASK(i, m, v)	CMP(i, SCMP_CMP_MASKED_EQ, (m), (v))
#define SYS(p, n)	{ .need = (p), .name = (n) }
#define SYS1(p, n, c)	\
	{ .need = (p), .name = (n), .ncmp = 1, .cmp = { c } }
#define SYS2(p, n, c, d) \
	{ .need = (p), .name = (n), .ncmp = 2, .cmp = { c, d } }
#define SELF(p, n)	{ .need = (p), .name = (n), .self = 1, .ncmp = 1 }
#define FAIL(p, u, n, e) \
	{ .need = (p), .unless = (u), .name = (n), .err = (e) }
#define FAIL1(p, u, n, e, c) \
	{ .need = (p), .unless = (u), .name = (n), .err = (e), \
	    .ncmp = 1, .cmp = { c } }

/* Open flags that decide the promise an open needs. */
#define O_TMPF		(O_TMPFILE & ~O_DIRECTORY)
#define O_RMASK		(O_ACCMODE | O_CREAT | O_TRUNC | O_TMPF)
#define O_WMASK		(O_ACCMODE | O_CREAT | O_TMPF)
#define CLONE_NS	(CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | \
			    CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | \
			    CLONE_NEWNET)
#define CLONE_THR	(CLONE_THREAD | CLONE_VM)

/* An open(2)-style call gated on its flags argument i. */
#define OPENS(n, i)							\
	SYS1(P_RPATH, n, MASK(i, O_RMASK, O_RDONLY)),			\
	SYS1(P_DNS, n, MASK(i, O_RMASK, O_RDONLY)),			\
	SYS1(P_WPATH, n, MASK(i, O_WMASK, O_WRONLY)),			\
	SYS1(P_WPATH, n, MASK(i, O_WMASK, O_RDWR)),			\
	SYS1(P_WPATH, n, MASK(i, O_RMASK, O_TRUNC)),			\
	SYS1(P_CPATH, n, MASK(i, O_CREAT, O_CREAT)),			\
	SYS1(P_CPATH, n, MASK(i, O_TMPF, O_TMPF)),			\
	SYS(P_TMPPATH, n)

/* The calls every socket promise shares. */
#define SOCKCALLS(p)							\
	SYS(p, "connect"), SYS(p, "bind"), SYS(p, "listen"),		\
	SYS(p, "accept"), SYS(p, "accept4"), SYS(p, "getsockopt"),	\
	SYS(p, "setsockopt"), SYS(p, "getsockname"),			\
	SYS(p, "getpeername")

static const struct sysrule sysrules[] = {
	SYS(0, "exit"), SYS(0, "exit_group"), SYS(0, "rt_sigreturn"),
	SYS(0, "restart_syscall"), SYS(0, "seccomp"),
	SYS(0, "landlock_create_ruleset"), SYS(0, "landlock_add_rule"),
	SYS(0, "landlock_restrict_self"),
	SYS1(0, "prctl", EQ(0, PR_SET_NO_NEW_PRIVS)),
	FAIL(0, 0, "clone3", ENOSYS),

	/* stdio: descriptors */
	SYS(P_STDIO, "read"), SYS(P_STDIO, "write"), SYS(P_STDIO, "readv"),
	SYS(P_STDIO, "writev"), SYS(P_STDIO, "pread64"),
	SYS(P_STDIO, "pwrite64"), SYS(P_STDIO, "preadv"),
	SYS(P_STDIO, "pwritev"), SYS(P_STDIO, "preadv2"),
	SYS(P_STDIO, "pwritev2"), SYS(P_STDIO, "close"),
	SYS(P_STDIO, "close_range"), SYS(P_STDIO, "dup"),
	SYS(P_STDIO, "dup2"), SYS(P_STDIO, "dup3"), SYS(P_STDIO, "lseek"),
	SYS(P_STDIO, "fsync"), SYS(P_STDIO, "fdatasync"),
	SYS(P_STDIO, "fstat"),
	SYS1(P_STDIO, "newfstatat", MASK(3, AT_EMPTY_PATH, AT_EMPTY_PATH)),
	SYS1(P_STDIO, "statx", MASK(2, AT_EMPTY_PATH, AT_EMPTY_PATH)),
	SYS1(P_STDIO, "fcntl", EQ(1, F_DUPFD)),
	SYS1(P_STDIO, "fcntl", EQ(1, F_DUPFD_CLOEXEC)),
	SYS1(P_STDIO, "fcntl", EQ(1, F_GETFD)),
	SYS1(P_STDIO, "fcntl", EQ(1, F_SETFD)),
	SYS1(P_STDIO, "fcntl", EQ(1, F_GETFL)),
	SYS1(P_STDIO, "fcntl", EQ(1, F_SETFL)),
	SYS1(P_STDIO, "fcntl", EQ(1, F_GETPIPE_SZ)),
	SYS1(P_STDIO, "fcntl", EQ(1, F_SETPIPE_SZ)),
	SYS1(P_STDIO, "fcntl", EQ(1, F_ADD_SEALS)),
	SYS1(P_STDIO, "fcntl", EQ(1, F_GET_SEALS)),
	SYS1(P_STDIO, "ioctl", EQ(1, FIONREAD)),
	SYS1(P_STDIO, "ioctl", EQ(1, FIONBIO)),
	SYS1(P_STDIO, "ioctl", EQ(1, FIOCLEX)),
	SYS1(P_STDIO, "ioctl", EQ(1, FIONCLEX)),
	SYS1(P_STDIO, "ioctl", EQ(1, TCGETS)),
	SYS(P_STDIO, "pipe"), SYS(P_STDIO, "pipe2"),
	SYS1(P_STDIO, "socketpair", EQ(0, AF_UNIX)),
	SYS(P_STDIO, "poll"), SYS(P_STDIO, "ppoll"), SYS(P_STDIO, "select"),
	SYS(P_STDIO, "pselect6"), SYS(P_STDIO, "epoll_create"),
	SYS(P_STDIO, "epoll_create1"), SYS(P_STDIO, "epoll_ctl"),
	SYS(P_STDIO, "epoll_wait"), SYS(P_STDIO, "epoll_pwait"),
	SYS(P_STDIO, "epoll_pwait2"), SYS(P_STDIO, "eventfd2"),
	SYS(P_STDIO, "timerfd_create"), SYS(P_STDIO, "timerfd_settime"),
	SYS(P_STDIO, "timerfd_gettime"), SYS(P_STDIO, "sendmsg"),
	SYS(P_STDIO, "recvmsg"), SYS1(P_STDIO, "sendto", EQ(4, 0)),
	SYS(P_STDIO, "recvfrom"), SYS(P_STDIO, "shutdown"),

	/* stdio: memory, threads and synchronisation */
	SYS1(P_STDIO, "mmap", MASK(2, PROT_EXEC, 0)),
	SYS1(P_STDIO, "mprotect", MASK(2, PROT_EXEC, 0)),
	SYS(P_STDIO, "munmap"), SYS(P_STDIO, "mremap"),
	SYS(P_STDIO, "madvise"), SYS(P_STDIO, "brk"), SYS(P_STDIO, "futex"),
	SYS(P_STDIO, "set_robust_list"), SYS(P_STDIO, "get_robust_list"),
	SYS(P_STDIO, "rseq"), SYS(P_STDIO, "membarrier"),
	SYS1(P_STDIO, "clone", MASK(0, CLONE_THR | CLONE_NS, CLONE_THR)),

	/* stdio: time, identity, signals, limits, children */
	SYS(P_STDIO, "clock_gettime"), SYS(P_STDIO, "clock_getres"),
	SYS(P_STDIO, "clock_nanosleep"), SYS(P_STDIO, "gettimeofday"),
	SYS(P_STDIO, "time"), SYS(P_STDIO, "nanosleep"),
	SYS(P_STDIO, "alarm"), SYS(P_STDIO, "getitimer"),
	SYS(P_STDIO, "setitimer"), SYS(P_STDIO, "getpid"),
	SYS(P_STDIO, "gettid"), SYS(P_STDIO, "getppid"),
	SYS(P_STDIO, "getuid"), SYS(P_STDIO, "geteuid"),
	SYS(P_STDIO, "getgid"), SYS(P_STDIO, "getegid"),
	SYS(P_STDIO, "getresuid"), SYS(P_STDIO, "getresgid"),
	SYS(P_STDIO, "getgroups"), SYS(P_STDIO, "getpgrp"),
	SYS(P_STDIO, "getrandom"), SYS(P_STDIO, "rt_sigaction"),
	SYS(P_STDIO, "rt_sigprocmask"), SYS(P_STDIO, "rt_sigpending"),
	SYS(P_STDIO, "rt_sigsuspend"), SYS(P_STDIO, "rt_sigtimedwait"),
	SYS(P_STDIO, "sigaltstack"), SYS(P_STDIO, "pause"),
	SELF(P_STDIO, "kill"), SELF(P_STDIO, "tgkill"),
	SYS1(P_STDIO, "prlimit64", EQ(2, 0)), SYS(P_STDIO, "getrlimit"),
	SYS(P_STDIO, "getrusage"), SYS(P_STDIO, "times"),
	SYS(P_STDIO, "wait4"), SYS(P_STDIO, "waitid"),
	SYS(P_STDIO, "umask"), SYS(P_STDIO, "sched_yield"),
	SYS(P_STDIO, "sched_getaffinity"), SYS(P_STDIO, "uname"),
	SYS(P_STDIO, "sysinfo"), SYS(P_STDIO, "getcwd"),

	/* rpath, wpath, cpath, tmppath */
	OPENS("open", 1), OPENS("openat", 2),
	SYS(P_RPATH | P_WPATH | P_CPATH, "openat2"),
	SYS(P_RPATH, "stat"), SYS(P_RPATH, "lstat"),
	SYS(P_RPATH, "newfstatat"), SYS(P_RPATH, "statx"),
	SYS(P_RPATH, "readlink"), SYS(P_RPATH, "readlinkat"),
	SYS(P_RPATH, "getdents"), SYS(P_RPATH, "getdents64"),
	SYS(P_RPATH, "access"), SYS(P_RPATH, "faccessat"),
	SYS(P_RPATH, "faccessat2"), SYS(P_RPATH, "statfs"),
	SYS(P_RPATH, "fstatfs"), SYS(P_RPATH, "chdir"),
	SYS(P_RPATH, "fchdir"),
	SYS(P_WPATH, "truncate"), SYS(P_WPATH, "ftruncate"),
	SYS(P_WPATH, "fallocate"),
	SYS(P_CPATH, "creat"), SYS(P_CPATH, "mkdir"),
	SYS(P_CPATH, "mkdirat"), SYS(P_CPATH, "unlink"),
	SYS(P_CPATH, "unlinkat"), SYS(P_CPATH, "rmdir"),
	SYS(P_CPATH, "rename"), SYS(P_CPATH, "renameat"),
	SYS(P_CPATH, "renameat2"), SYS(P_CPATH, "link"),
	SYS(P_CPATH, "linkat"), SYS(P_CPATH, "symlink"),
	SYS(P_CPATH, "symlinkat"),
	SYS(P_TMPPATH, "unlink"), SYS(P_TMPPATH, "unlinkat"),
	SYS(P_TMPPATH, "stat"), SYS(P_TMPPATH, "lstat"),
	SYS(P_TMPPATH, "newfstatat"), SYS(P_TMPPATH, "statx"),

	/* fattr, flock */
	SYS(P_FATTR, "chmod"), SYS(P_FATTR, "fchmod"),
	SYS(P_FATTR, "fchmodat"), SYS(P_FATTR, "fchmodat2"),
	SYS(P_FATTR, "chown"), SYS(P_FATTR, "fchown"),
	SYS(P_FATTR, "lchown"), SYS(P_FATTR, "fchownat"),
	SYS(P_FATTR, "utimensat"), SYS(P_FATTR, "utime"),
	SYS(P_FATTR, "utimes"), SYS(P_FATTR, "futimesat"),
	SYS(P_FLOCK, "flock"),
	SYS1(P_FLOCK, "fcntl", EQ(1, F_GETLK)),
	SYS1(P_FLOCK, "fcntl", EQ(1, F_SETLK)),
	SYS1(P_FLOCK, "fcntl", EQ(1, F_SETLKW)),
	SYS1(P_FLOCK, "fcntl", EQ(1, F_OFD_GETLK)),
	SYS1(P_FLOCK, "fcntl", EQ(1, F_OFD_SETLK)),
	SYS1(P_FLOCK, "fcntl", EQ(1, F_OFD_SETLKW)),

	/* inet, unix, dns */
	SYS1(P_INET, "socket", EQ(0, AF_INET)),
	SYS1(P_INET, "socket", EQ(0, AF_INET6)),
	SOCKCALLS(P_INET),
	SYS1(P_UNIX, "socket", EQ(0, AF_UNIX)),
	SOCKCALLS(P_UNIX),
	SYS2(P_DNS, "socket", EQ(0, AF_INET), MASK(1, 0xf, SOCK_DGRAM)),
	SYS2(P_DNS, "socket", EQ(0, AF_INET6), MASK(1, 0xf, SOCK_DGRAM)),
	SYS2(P_DNS, "socket", EQ(0, AF_NETLINK), EQ(2, NETLINK_ROUTE)),
	FAIL1(P_DNS, P_UNIX, "socket", EACCES, EQ(0, AF_UNIX)),
	SYS1(P_DNS, "sendto", EQ(5, sizeof(struct sockaddr_nl))),
	SYS2(P_DNS, "setsockopt", EQ(1, SOL_IP), EQ(2, IP_RECVERR)),
	SYS2(P_DNS, "setsockopt", EQ(1, SOL_IPV6), EQ(2, IPV6_RECVERR)),
	SYS(P_DNS, "sendmmsg"), SYS(P_DNS, "bind"), SYS(P_DNS, "connect"),
	SYS(P_DNS, "getsockname"), SYS(P_DNS, "stat"),
	SYS(P_DNS, "newfstatat"), SYS(P_DNS, "statx"),

	/* proc, exec, tty, id, prot_exec */
	SYS(P_PROC, "fork"), SYS(P_PROC, "vfork"),
	SYS1(P_PROC, "clone", MASK(0, CLONE_NS, 0)),
	SYS(P_PROC, "kill"), SYS(P_PROC, "tgkill"),
	SYS(P_PROC, "setpgid"), SYS(P_PROC, "setsid"),
	SYS(P_PROC, "getpgid"), SYS(P_PROC, "getsid"),
	SYS(P_PROC, "getpriority"), SYS(P_PROC, "setpriority"),
	SYS1(P_PROC, "prctl", EQ(0, PR_SET_PDEATHSIG)),
	SYS1(P_PROC, "prctl", EQ(0, PR_SET_NAME)),
	SYS(P_EXEC, "execve"), SYS(P_EXEC, "execveat"),
	/* What a freshly executed program's loader and libc set up. */
	SYS(P_EXEC, "arch_prctl"), SYS(P_EXEC, "set_tid_address"),
	SYS1(P_TTY, "ioctl", EQ(1, TCGETS)),
	SYS1(P_TTY, "ioctl", EQ(1, TCSETS)),
	SYS1(P_TTY, "ioctl", EQ(1, TCSETSW)),
	SYS1(P_TTY, "ioctl", EQ(1, TCSETSF)),
	SYS1(P_TTY, "ioctl", EQ(1, TIOCGWINSZ)),
	SYS1(P_TTY, "ioctl", EQ(1, TIOCSWINSZ)),
	SYS1(P_TTY, "ioctl", EQ(1, TIOCGPGRP)),
	SYS1(P_TTY, "ioctl", EQ(1, TIOCSPGRP)),
	SYS(P_ID, "setuid"), SYS(P_ID, "setgid"), SYS(P_ID, "setreuid"),
	SYS(P_ID, "setregid"), SYS(P_ID, "setresuid"),
	SYS(P_ID, "setresgid"), SYS(P_ID, "setgroups"),
	SYS(P_ID, "setfsuid"), SYS(P_ID, "setfsgid"),
	SYS(P_PROTEXEC, "mmap"), SYS(P_PROTEXEC, "mprotect"),

	/* sandbox */
	SYS(P_SANDBOX, "clone"), SYS(P_SANDBOX, "unshare"),
	SYS(P_SANDBOX, "setns"), SYS(P_SANDBOX, "mount"),
	SYS(P_SANDBOX, "umount2"), SYS(P_SANDBOX, "pivot_root"),
	SYS(P_SANDBOX, "chroot"), SYS(P_SANDBOX, "prctl"),
	SYS(P_SANDBOX, "capget"), SYS(P_SANDBOX, "capset"),
	SYS(P_SANDBOX, "mount_setattr"), SYS(P_SANDBOX, "open_tree"),
	SYS(P_SANDBOX, "move_mount"), SYS(P_SANDBOX, "fsopen"),
	SYS(P_SANDBOX, "fsconfig"), SYS(P_SANDBOX, "fsmount"),
};

/*
 * The SIGSYS reporter may not call into libseccomp (it allocates), so
 * the names of the native syscalls are looked up once, beforehand.
 */
#define SYSNAMES_MAX	1024
static char		*sysnames[SYSNAMES_MAX];
static uint32_t		 native_arch;
static int		 sigsys_installed;

static int	 pledge_filter(uint32_t);
static int	 pledge_collect(uint32_t, uint32_t, struct pledge_rule *,
		    size_t *);
static int	 pledge_ctx(const struct pledge_rule *, size_t, uint32_t,
		    scmp_filter_ctx *);
static int	 pledge_export(scmp_filter_ctx, struct sock_filter **,
		    size_t *);
static int	 pledge_sigsys_install(void);
static void	 pledge_sigsys(int, siginfo_t *, void *);
static void	 pledge_report(const char *);
static size_t	 cat(char *, size_t, size_t, const char *);
static size_t	 catnum(char *, size_t, size_t, unsigned long);

int
pledge(const char *promstr, const char *execpromises)
{
	uint32_t	 mask;

	if (sandbox_disabled())
		return 0;
	if (promstr == NULL || execpromises != NULL) {
		errno = EINVAL;
		return -1;
	}
	if (pledge_mask(promstr, &mask) == -1)
		return -1;
	if (sandbox_landlock_abi() == 0 || !sandbox_seccomp_available()) {
		errno = ENOSYS;
		return -1;
	}
	if (unveil_pending() && unveil_commit() == -1)
		return -1;
	if (sandbox_debug() && pledge_sigsys_install() == -1)
		return -1;
	return pledge_filter(mask);
}

/* Space-separated promise names; an unknown one is EINVAL. */
int
pledge_mask(const char *promstr, uint32_t *mask)
{
	const char	*p = promstr;
	size_t		 i, len;

	*mask = 0;
	while (*p != '\0') {
		if (*p == ' ') {
			p++;
			continue;
		}
		len = strcspn(p, " ");
		for (i = 0; i < sizeof(promises) / sizeof(promises[0]); i++)
			if (strlen(promises[i].name) == len &&
			    strncmp(promises[i].name, p, len) == 0)
				break;
		if (i == sizeof(promises) / sizeof(promises[0])) {
			errno = EINVAL;
			return -1;
		}
		*mask |= promises[i].bit;
		p += len;
	}
	return 0;
}

/*
 * Resolve the rules the promises in mask select, with self as the pid
 * of the SELF rules.  A name the native arch lacks is skipped.
 */
static int
pledge_collect(uint32_t mask, uint32_t self, struct pledge_rule *out,
    size_t *n)
{
	const struct sysrule	*r;
	size_t			 i;
	int			 nr;

	*n = 0;
	for (i = 0; i < sizeof(sysrules) / sizeof(sysrules[0]); i++) {
		r = &sysrules[i];
		if ((r->need & mask) != r->need || (r->unless & mask) != 0)
			continue;
		if ((nr = seccomp_syscall_resolve_name(r->name)) < 0)
			continue;
		if (*n == PLEDGE_RULES_MAX) {
			errno = E2BIG;
			return -1;
		}
		out[*n].nr = nr;
		out[*n].action = r->err != 0 ? SCMP_ACT_ERRNO(r->err) :
		    SCMP_ACT_ALLOW;
		out[*n].seq = i;
		out[*n].ncmp = r->ncmp;
		memcpy(out[*n].cmp, r->cmp, sizeof(out[*n].cmp));
		if (r->self) {
			out[*n].cmp[0].arg = 0;
			out[*n].cmp[0].op = SCMP_CMP_EQ;
			out[*n].cmp[0].datum_a = self;
			out[*n].cmp[0].datum_b = 0;
		}
		(*n)++;
	}
	return 0;
}

/*
 * The libseccomp filter for the rules.  Foreign architectures (and on
 * x86_64 the x32 ABI, which libseccomp treats as one) are killed even
 * in debug mode: the table above only speaks of native syscall numbers.
 * Returns 0 or a negative errno.
 */
static int
pledge_ctx(const struct pledge_rule *r, size_t n, uint32_t def,
    scmp_filter_ctx *ctxp)
{
	scmp_filter_ctx	 ctx;
	size_t		 i;
	int		 rc;

	if ((ctx = seccomp_init(def)) == NULL)
		return -ENOMEM;
	/* Have seccomp_load() pass on the kernel's errno, not ECANCELED. */
	if ((rc = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH,
	    SCMP_ACT_KILL_PROCESS)) != 0 ||
	    (rc = seccomp_attr_set(ctx, SCMP_FLTATR_API_SYSRAWRC, 1)) != 0)
		goto fail;
	for (i = 0; i < n; i++) {
		rc = seccomp_rule_add_array(ctx, r[i].action, r[i].nr,
		    r[i].ncmp, r[i].cmp);
		/* Two promises may allow the very same thing. */
		if (rc != 0 && rc != -EEXIST)
			goto fail;
	}
	*ctxp = ctx;
	return 0;
 fail:
	seccomp_release(ctx);
	return rc < 0 ? rc : -EINVAL;
}

/*
 * Build and load the filter: written directly where pledge-bpf.c can,
 * which is about a hundred times cheaper, by libseccomp elsewhere.
 */
static int
pledge_filter(uint32_t mask)
{
	static struct pledge_rule	 rules[PLEDGE_RULES_MAX];
	struct sock_fprog		 fp;
	scmp_filter_ctx			 ctx;
	size_t				 n;
	uint32_t			 def;
	int				 rc;

	def = sandbox_debug() ? SCMP_ACT_TRAP : SCMP_ACT_KILL_PROCESS;
	if (pledge_collect(mask, getpid(), rules, &n) == -1)
		return -1;
	if (pledge_bpf_build(rules, n, def, &fp) == 0)
		return bpf_load(&fp);
	if ((rc = pledge_ctx(rules, n, def, &ctx)) == 0) {
		rc = seccomp_load(ctx);
		seccomp_release(ctx);
	}
	if (rc != 0) {
		errno = rc < 0 ? -rc : EINVAL;
		return -1;
	}
	return 0;
}

/* libseccomp's program for ctx, copied into a buffer of our own. */
static int
pledge_export(scmp_filter_ctx ctx, struct sock_filter **ins, size_t *len)
{
	struct stat	 st;
	ssize_t		 got;
	int		 fd, rc = -1;

	if ((fd = memfd_create("pledge-bpf", MFD_CLOEXEC)) == -1)
		return -1;
	if (seccomp_export_bpf(ctx, fd) != 0 || fstat(fd, &st) == -1 ||
	    st.st_size <= 0 || st.st_size % sizeof(**ins) != 0)
		goto out;
	if ((*ins = malloc(st.st_size)) == NULL)
		goto out;
	got = pread(fd, *ins, st.st_size, 0);
	if (got != st.st_size) {
		free(*ins);
		goto out;
	}
	*len = st.st_size / sizeof(**ins);
	rc = 0;
 out:
	(void)close(fd);
	return rc;
}

/*
 * For the equivalence test: the program pledge() would load for mask,
 * written directly (direct) or by libseccomp, in a new buffer.
 */
int
pledge_program(uint32_t mask, int debug, uint32_t self, int direct,
    struct sock_filter **ins, size_t *len)
{
	static struct pledge_rule	 rules[PLEDGE_RULES_MAX];
	struct sock_fprog		 fp;
	scmp_filter_ctx			 ctx;
	size_t				 n;
	uint32_t			 def;
	int				 rc;

	def = debug ? SCMP_ACT_TRAP : SCMP_ACT_KILL_PROCESS;
	if (pledge_collect(mask, self, rules, &n) == -1)
		return -1;
	if (direct) {
		if (pledge_bpf_build(rules, n, def, &fp) == -1)
			return -1;
		if ((*ins = reallocarray(NULL, fp.len, sizeof(**ins))) == NULL)
			return -1;
		memcpy(*ins, fp.filter, fp.len * sizeof(**ins));
		*len = fp.len;
		return 0;
	}
	if (pledge_ctx(rules, n, def, &ctx) != 0)
		return -1;
	rc = pledge_export(ctx, ins, len);
	seccomp_release(ctx);
	return rc;
}

int
pledge_debug_prepare(void)
{
	int	 n;

	native_arch = seccomp_arch_native();
	for (n = 0; n < SYSNAMES_MAX; n++) {
		if (sysnames[n] != NULL)
			continue;
		sysnames[n] = seccomp_syscall_resolve_num_arch(native_arch, n);
	}
	return 0;
}

static int
pledge_sigsys_install(void)
{
	struct sigaction	 sa;

	if (sigsys_installed)
		return 0;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = pledge_sigsys;
	sa.sa_flags = SA_SIGINFO | SA_RESETHAND | SA_NODEFER;
	if (sigemptyset(&sa.sa_mask) == -1 ||
	    sigaction(SIGSYS, &sa, NULL) == -1)
		return -1;
	sigsys_installed = 1;
	return 0;
}

/*
 * Name the syscall, then die of SIGSYS all the same: SA_RESETHAND put
 * the default action back, and SA_NODEFER lets the signal we send
 * ourselves through at once.  Should kill(2) itself be forbidden, the
 * kernel forces the default action of the SIGSYS that this second
 * violation raises.
 */
static void
pledge_sigsys(int sig, siginfo_t *si, void *uctx)
{
	char			 buf[32];
	const char		*name = buf;
	sandbox_report_fn	 report;
	unsigned int		 nr;
	size_t			 len;

	(void)uctx;
	if (si->si_code == SYS_SECCOMP) {
		nr = (unsigned int)si->si_syscall;
		if (si->si_arch == native_arch && nr < SYSNAMES_MAX &&
		    sysnames[nr] != NULL)
			name = sysnames[nr];
		else {
			len = cat(buf, sizeof(buf), 0, "syscall ");
			(void)catnum(buf, sizeof(buf), len, nr);
		}
		if ((report = sandbox_reporter()) != NULL)
			report(name);
		else
			pledge_report(name);
	}
	(void)kill(getpid(), sig);
	_exit(128 + sig);
}

/* The default reporter: one line on standard error, as pledge logs. */
static void
pledge_report(const char *name)
{
	char	 line[256];
	size_t	 len;

	len = cat(line, sizeof(line), 0, getprogname());
	len = cat(line, sizeof(line), len, "[");
	len = catnum(line, sizeof(line), len, (unsigned long)getpid());
	len = cat(line, sizeof(line), len, "]: pledge violation: ");
	len = cat(line, sizeof(line), len, name);
	len = cat(line, sizeof(line), len, "\n");
	/* Nothing better to do if this fails: we are about to die. */
	if (write(STDERR_FILENO, line, len) == -1)
		return;
}

/*
 * Async-signal-safe string building: append s at off, truncating, keep
 * the buffer NUL-terminated and return the new length.
 */
static size_t
cat(char *buf, size_t size, size_t off, const char *s)
{
	while (*s != '\0' && off + 1 < size)
		buf[off++] = *s++;
	buf[off] = '\0';
	return off;
}

static size_t
catnum(char *buf, size_t size, size_t off, unsigned long n)
{
	char	 d[24];
	size_t	 i = sizeof(d);

	d[--i] = '\0';
	do {
		d[--i] = '0' + n % 10;
		n /= 10;
	} while (n != 0 && i > 0);
	return cat(buf, size, off, d + i);
}
