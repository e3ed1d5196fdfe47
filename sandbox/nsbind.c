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
 * The mount layer of a sandbox: a new user namespace (mapping only our
 * own uid and gid) and mount namespace in which the whole file system is
 * read-only and nosuid except the writable roots, and the read-only
 * subpaths (.git, .codex, .agents, a .git file's gitdir) are bound
 * read-only again inside them.  Landlock cannot carve a read-only hole
 * out of a writable tree and does not govern chmod, chown, utimes or
 * extended attributes; a read-only mount stops all of them with EROFS.
 *
 * The writable roots are cloned with open_tree(2) before / is made
 * read-only, so each keeps its own flags (and its submounts theirs), and
 * the clones are then attached over the read-only originals.  /dev/shm
 * becomes a private tmpfs, so that POSIX semaphores work without letting
 * a command reach the host's shared memory.
 */

#include <sys/types.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sandbox/policy.h"

static int	 write_file(const char *, const char *);
static int	 userns_enter(char *, size_t);
static int	 setattr(int, const char *, unsigned int, uint64_t);
static int	 bind_ro(const struct policy_ro *, char *, size_t);
static int	 root_cmp(const void *, const void *);

static int
write_file(const char *path, const char *s)
{
	size_t	 len = strlen(s);
	int	 fd, saved;

	if ((fd = open(path, O_WRONLY | O_CLOEXEC)) == -1)
		return -1;
	if (write(fd, s, len) != (ssize_t)len) {
		saved = errno;
		(void)close(fd);
		errno = saved;
		return -1;
	}
	return close(fd);
}

static int
userns_enter(char *err, size_t len)
{
	char	 map[64];
	uid_t	 uid = geteuid();
	gid_t	 gid = getegid();

	if (unshare(CLONE_NEWUSER | CLONE_NEWNS) == -1) {
		/*
		 * Under someone else's seccomp filter (ocodex's own command
		 * sandbox, Codex's, a container's) the sysctls are not the
		 * cause, and saying so saves the user a wrong turn.
		 */
		if (errno == EPERM && prctl(PR_GET_SECCOMP, 0, 0, 0, 0) == 2) {
			(void)snprintf(err, len, "cannot create a user "
			    "namespace (%s): an enclosing seccomp sandbox "
			    "forbids it, so read-only and workspace-write "
			    "cannot be nested here; run outside that sandbox, "
			    "or with -s danger-full-access to rely on the "
			    "enclosing one", strerror(errno));
			return -1;
		}
		(void)snprintf(err, len, "cannot create a user namespace "
		    "(%s), which read-only and workspace-write need for "
		    "their read-only mounts; allow unprivileged user "
		    "namespaces (sysctl user.max_user_namespaces=10000, and "
		    "on Debian kernels sysctl "
		    "kernel.unprivileged_userns_clone=1; AppArmor may also "
		    "need kernel.apparmor_restrict_unprivileged_userns=0), "
		    "or run with -s danger-full-access", strerror(errno));
		return -1;
	}
	(void)snprintf(map, sizeof(map), "%u %u 1\n", (unsigned)uid,
	    (unsigned)uid);
	if (write_file("/proc/self/setgroups", "deny") == -1 &&
	    errno != ENOENT)
		goto fail;
	if (write_file("/proc/self/uid_map", map) == -1)
		goto fail;
	(void)snprintf(map, sizeof(map), "%u %u 1\n", (unsigned)gid,
	    (unsigned)gid);
	if (write_file("/proc/self/gid_map", map) == -1)
		goto fail;
	return 0;
 fail:
	(void)snprintf(err, len, "user namespace id maps: %s",
	    strerror(errno));
	return -1;
}

static int
setattr(int dfd, const char *path, unsigned int flags, uint64_t set)
{
	struct mount_attr	 attr;

	memset(&attr, 0, sizeof(attr));
	attr.attr_set = set;
	return mount_setattr(dfd, path, flags | AT_RECURSIVE, &attr,
	    sizeof(attr));
}

/*
 * Bind a path onto itself read-only.  A protected name that does not
 * exist yet (the cwd's .codex) is created empty first: a mount needs a
 * mount point, and an empty read-only directory is what makes creating
 * it, or anything in it, fail.
 */
static int
bind_ro(const struct policy_ro *ro, char *err, size_t len)
{
	if (ro->missing && mkdir(ro->path, 0755) == -1 && errno != EEXIST) {
		(void)snprintf(err, len, "mkdir %s: %s", ro->path,
		    strerror(errno));
		return -1;
	}
	if (mount(ro->path, ro->path, NULL, MS_BIND | MS_REC, NULL) == -1 ||
	    setattr(AT_FDCWD, ro->path, 0, MOUNT_ATTR_RDONLY |
	    MOUNT_ATTR_NOSUID) == -1) {
		if (errno == ENOENT)
			return 0;	/* gone meanwhile: nothing to guard */
		(void)snprintf(err, len, "read-only bind of %s: %s",
		    ro->path, strerror(errno));
		return -1;
	}
	return 0;
}

/* Shorter paths first, so that a root inside another is attached later. */
static int
root_cmp(const void *a, const void *b)
{
	size_t	 la = strlen(*(char *const *)a), lb = strlen(*(char *const *)b);

	return la < lb ? -1 : la > lb;
}

int
nsbind_enter(const struct policy *p, char *err, size_t len)
{
	char	*roots[POLICY_MAX_ROOTS];
	int	 fds[POLICY_MAX_ROOTS];
	size_t	 i, n = p->nroots;
	int	 rc = -1;

	if (userns_enter(err, len) == -1)
		return -1;
	memcpy(roots, p->roots, n * sizeof(roots[0]));
	qsort(roots, n, sizeof(roots[0]), root_cmp);
	for (i = 0; i < n; i++)
		fds[i] = -1;
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == -1) {
		(void)snprintf(err, len, "private mounts: %s",
		    strerror(errno));
		return -1;
	}
	for (i = 0; i < n; i++)
		if ((fds[i] = open_tree(AT_FDCWD, roots[i], OPEN_TREE_CLONE |
		    OPEN_TREE_CLOEXEC | AT_RECURSIVE)) == -1) {
			(void)snprintf(err, len, "clone of %s: %s", roots[i],
			    strerror(errno));
			goto out;
		}
	if (setattr(AT_FDCWD, "/", 0, MOUNT_ATTR_RDONLY |
	    MOUNT_ATTR_NOSUID) == -1) {
		(void)snprintf(err, len, "read-only /: %s", strerror(errno));
		goto out;
	}
	/* A private /dev/shm; a system without one simply has none. */
	if (mount("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV,
	    "mode=1777,size=64m") == -1 && errno != ENOENT) {
		(void)snprintf(err, len, "private /dev/shm: %s",
		    strerror(errno));
		goto out;
	}
	for (i = 0; i < n; i++)
		if (setattr(fds[i], "", AT_EMPTY_PATH, MOUNT_ATTR_NOSUID) ==
		    -1 || move_mount(fds[i], "", AT_FDCWD, roots[i],
		    MOVE_MOUNT_F_EMPTY_PATH) == -1) {
			(void)snprintf(err, len, "writable %s: %s", roots[i],
			    strerror(errno));
			goto out;
		}
	for (i = 0; i < p->nro; i++)
		if (bind_ro(&p->ro[i], err, len) == -1)
			goto out;
	rc = 0;
 out:
	for (i = 0; i < n; i++)
		if (fds[i] != -1)
			(void)close(fds[i]);
	return rc;
}
