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

#ifndef SANDBOX_H
#define SANDBOX_H

#include <stdint.h>

/*
 * Confinement of ocodex's own processes, shaped like OpenBSD's pledge(2)
 * and unveil(2).  On Linux, unveil() collects Landlock rules and pledge()
 * installs a libseccomp allow-list whose default action kills the whole
 * process.  Every function returns 0 on success and -1 with errno set on
 * failure; the caller decides whether that is fatal (it always is in the
 * daemons, unless --no-confinement was given).
 */

/* Flags for sandbox_init(). */
#define SANDBOX_DEBUG		0x01	/* log the name of a violating syscall */
#define SANDBOX_DISABLED	0x02	/* --no-confinement: everything a no-op */

/*
 * How a process reports a pledge violation in debug mode.  The function
 * is called from the SIGSYS handler with the syscall's name, so it may
 * only use async-signal-safe calls (write(2)).  NULL writes to stderr.
 */
typedef void (*sandbox_report_fn)(const char *);

int	 sandbox_init(int, sandbox_report_fn);
int	 sandbox_disabled(void);

/*
 * Landlock ABI of the running kernel: 0 when Landlock is missing or
 * disabled, else 1..N (the highest we know of is 7).
 */
int	 sandbox_landlock_abi(void);
/* Non-zero when the kernel has seccomp filter mode. */
int	 sandbox_seccomp_available(void);

/*
 * unveil(path, perms): perms is any of "r" (read files and directories),
 * "w" (write and truncate files), "x" (execute), "c" (create and remove
 * files, directories, symlinks, sockets, fifos; rename and link).  An empty
 * string hides the path (it adds no rule).  unveil(NULL, NULL) commits the
 * ruleset with landlock_restrict_self(2); after that further unveil() calls
 * fail with EPERM.  A process that commits without any rule can reach no
 * file at all.  The rule holds an O_PATH descriptor, so the path is resolved
 * at call time; a path that does not exist fails with ENOENT.
 */
int	 unveil(const char *, const char *);

/*
 * TCP ports for the Landlock network rules (ABI >= 4).  Once a process
 * commits its ruleset, it may connect(2) to (bind(2) on) only the ports
 * named here; with no port named, no TCP connect (bind) at all.  On a
 * kernel below ABI 4 these rules cannot be enforced by Landlock and
 * pledge's seccomp promises are the only network gate.
 */
int	 unveil_connect(uint16_t);
int	 unveil_bind(uint16_t);

/*
 * Landlock scoping (ABI >= 6).  By default a committed ruleset scopes
 * abstract unix sockets and signals, so the process can neither connect to
 * an abstract socket nor signal a process created outside its domain.  A
 * parent that must still signal children it started before committing
 * calls unveil_scope(SANDBOX_SCOPE_ABSTRACT) to keep signals unscoped.
 */
#define SANDBOX_SCOPE_ABSTRACT	0x01
#define SANDBOX_SCOPE_SIGNAL	0x02
int	 unveil_scope(int);

/*
 * pledge(promises, execpromises): promises is a space-separated list of
 * promise classes: stdio rpath wpath cpath fattr flock tmppath inet dns
 * unix sendfd recvfd proc exec tty id prot_exec sandbox.  Anything not
 * promised kills the process (SECCOMP_RET_KILL_PROCESS), or with
 * SANDBOX_DEBUG first logs the syscall's name.  A pending unveil ruleset is
 * committed first.  Calling pledge again can only narrow (the filters
 * stack).  execpromises must be NULL: on Linux a filter survives execve,
 * and per-command sandboxes are built by sandbox/policy.c instead.
 * An unknown promise fails with EINVAL.
 */
int	 pledge(const char *, const char *);

/*
 * Drop every capability from all sets, the bounding set and the ambient
 * set, with libcap-ng, and lock the securebits so that a later execve of
 * a set-uid root binary cannot get them back.  Also sets no_new_privs.
 */
int	 sandbox_drop_caps(void);

/* PR_SET_DUMPABLE 0, for processes that hold secrets. */
int	 sandbox_nodump(void);

#endif /* SANDBOX_H */
