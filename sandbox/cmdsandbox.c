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
 * Confine the current process to a policy just before it runs a command:
 * a Landlock ruleset (read and execute everywhere, write only in the
 * writable roots and a few devices, no TCP unless the policy has network,
 * abstract sockets and signals scoped), the seccomp deny-list, no
 * capabilities and no_new_privs.  The mount namespace is nsbind.c's.
 *
 * The rules are built here rather than through unveil(): unveil() keeps
 * one ruleset per process and refuses a second commit, but execproc,
 * which is itself confined by unveil(), stacks one more layer on each
 * child it forks.
 */

#include <sys/prctl.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sandbox/landlock.h"
#include "sandbox/policy.h"
#include "sandbox/sandbox.h"

/* Devices every command may write, as bubblewrap's minimal /dev has. */
static const char *const devices[] = {
	"/dev/null", "/dev/zero", "/dev/full", "/dev/random",
	"/dev/urandom", NULL
};

static int	 rule(int, const char *, uint64_t, int);

/* Add a path rule; a path that does not exist is skipped. */
static int
rule(int rfd, const char *path, uint64_t access, int abi)
{
	struct landlock_path_beneath_attr	 pb;
	struct stat				 st;
	int					 fd, rc, saved;

	if ((fd = open(path, O_PATH | O_CLOEXEC)) == -1)
		return errno == ENOENT ? 0 : -1;
	if (fstat(fd, &st) == -1) {
		saved = errno;
		(void)close(fd);
		errno = saved;
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		access &= LL_ACCESS_FILE;
	memset(&pb, 0, sizeof(pb));
	pb.allowed_access = access & ll_fs_rights(abi);
	pb.parent_fd = fd;
	rc = ll_add_rule(rfd, LANDLOCK_RULE_PATH_BENEATH, &pb, 0);
	saved = errno;
	(void)close(fd);
	errno = saved;
	return rc;
}

int
cmdsandbox_landlock(const struct policy *p, char *err, size_t len)
{
	struct ll_ruleset_attr	 attr;
	const char *const	*d;
	uint64_t		 rx, dev;
	size_t			 i;
	int			 abi, rfd;

	if ((abi = sandbox_landlock_abi()) == 0) {
		(void)snprintf(err, len, "this kernel has no Landlock; "
		    "sandboxed commands cannot run (use "
		    "danger-full-access, or enable Landlock with lsm=)");
		return -1;
	}
	memset(&attr, 0, sizeof(attr));
	attr.handled_access_fs = ll_fs_rights(abi);
	attr.handled_access_net = p->network ? 0 : ll_net_rights(abi);
	attr.scoped = ll_scopes(abi);
	if ((rfd = ll_create_ruleset(&attr, ll_ruleset_size(abi), 0)) == -1)
		goto fail;
	rx = LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR |
	    LANDLOCK_ACCESS_FS_EXECUTE;
	dev = LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_WRITE_FILE |
	    LANDLOCK_ACCESS_FS_TRUNCATE | LANDLOCK_ACCESS_FS_IOCTL_DEV;
	if (rule(rfd, "/", rx, abi) == -1)
		goto fail;
	for (d = devices; *d != NULL; d++)
		if (rule(rfd, *d, dev, abi) == -1)
			goto fail;
	/* The private tmpfs nsbind.c mounted. */
	if (rule(rfd, "/dev/shm", ll_fs_rights(abi), abi) == -1)
		goto fail;
	if (p->mode == POLICY_WORKSPACE_WRITE)
		for (i = 0; i < p->nroots; i++)
			if (rule(rfd, p->roots[i], ll_fs_rights(abi), abi) ==
			    -1)
				goto fail;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1 ||
	    ll_restrict_self(rfd, 0) == -1)
		goto fail;
	(void)close(rfd);
	return 0;
 fail:
	(void)snprintf(err, len, "landlock: %s", strerror(errno));
	if (rfd != -1)
		(void)close(rfd);
	return -1;
}

/*
 * Everything but the mount namespace, in the order the kernel needs:
 * no_new_privs (which Landlock and seccomp want), Landlock, the seccomp
 * deny-list, then the capabilities.  nsdone says the mount namespace is
 * execproc's own and this process may not build one: then namespaces are
 * denied too.
 */
int
cmdsandbox_apply(const struct policy *p, int nsdone, char *err, size_t len)
{
	int	 flags = DENY_NAMESPACE;

	if (!policy_sandboxed(p))
		return 0;
	(void)nsdone;
	if (!p->network)
		flags |= DENY_NETWORK;
	if (p->mode == POLICY_READ_ONLY)
		flags |= DENY_FATTR;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1) {
		(void)snprintf(err, len, "no_new_privs: %s", strerror(errno));
		return -1;
	}
	if (cmdsandbox_landlock(p, err, len) == -1)
		return -1;
	if (seccomp_deny_apply(flags) == -1) {
		(void)snprintf(err, len, "seccomp: %s", strerror(errno));
		return -1;
	}
	if (sandbox_drop_caps() == -1) {
		(void)snprintf(err, len, "dropping capabilities: %s",
		    strerror(errno));
		return -1;
	}
	return 0;
}
