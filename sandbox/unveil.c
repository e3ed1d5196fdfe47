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
 * unveil(2) on Landlock.  Rules are collected in memory, each holding an
 * O_PATH descriptor opened when unveil() was called, and turned into a
 * ruleset only at commit time: the ruleset's scoping is fixed when it is
 * created, and unveil_scope() may come after the first unveil().
 *
 * Every commit handles all the file-system rights the running ABI knows,
 * so whatever is not unveiled is out of reach, and from ABI 4 on all TCP
 * connects and binds are denied except to the ports named.  Any unveil(),
 * unveil_connect() or unveil_bind() call starts a pending ruleset that
 * pledge() commits; unveil_scope() alone does not, since it only tunes
 * a ruleset that something else asked for.
 */

#include <sys/prctl.h>
#include <sys/queue.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sandbox/sandbox.h"
#include "sandbox/landlock.h"

struct ll_rule {
	TAILQ_ENTRY(ll_rule)	 entry;
	char			*path;
	int			 fd;	/* O_PATH, resolved at unveil() time */
	uint64_t		 access;
};
TAILQ_HEAD(ll_rules, ll_rule);

struct ll_port {
	uint64_t	 access;
	uint16_t	 port;
};

static struct ll_rules	 rules = TAILQ_HEAD_INITIALIZER(rules);
static struct ll_port	*ports;
static size_t		 nports;
static int		 pending;
static int		 committed;
static uint64_t		 scopes = LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET |
			    LANDLOCK_SCOPE_SIGNAL;

static int	 unveil_check(void);
static int	 unveil_perms(const char *, int, uint64_t *);
static int	 unveil_add(const char *, int, uint64_t);
static int	 unveil_port(uint16_t, uint64_t);
static int	 commit_rules(int, int);
static void	 commit_free(void);

/*
 * Common refusals: nothing to do when disabled (returns 1), no Landlock,
 * or a ruleset already committed.
 */
static int
unveil_check(void)
{
	if (sandbox_disabled())
		return 1;
	if (sandbox_landlock_abi() == 0) {
		errno = ENOSYS;
		return -1;
	}
	if (committed) {
		errno = EPERM;
		return -1;
	}
	return 0;
}

int
unveil(const char *path, const char *perms)
{
	struct stat	 st;
	uint64_t	 access;
	int		 fd, rc;

	if ((rc = unveil_check()) != 0)
		return rc == 1 ? 0 : -1;
	if (path == NULL && perms == NULL)
		return unveil_commit();
	if (path == NULL || perms == NULL) {
		errno = EINVAL;
		return -1;
	}
	if ((fd = open(path, O_PATH | O_CLOEXEC)) == -1)
		return -1;
	if (fstat(fd, &st) == -1 ||
	    unveil_perms(perms, st.st_mode, &access) == -1 ||
	    unveil_add(path, fd, access) == -1) {
		rc = errno;
		(void)close(fd);
		errno = rc;
		return -1;
	}
	pending = 1;
	return 0;
}

/*
 * Map "rwxc" to Landlock rights, keep only what the kernel can enforce,
 * and for anything but a directory only the rights a file can carry: the
 * kernel refuses a rule with directory rights on a file.
 */
static int
unveil_perms(const char *perms, int mode, uint64_t *access)
{
	const char	*p;
	uint64_t	 a = 0;

	for (p = perms; *p != '\0'; p++) {
		switch (*p) {
		case 'r':
			a |= LANDLOCK_ACCESS_FS_READ_FILE |
			    LANDLOCK_ACCESS_FS_READ_DIR;
			break;
		case 'w':
			a |= LANDLOCK_ACCESS_FS_WRITE_FILE |
			    LANDLOCK_ACCESS_FS_TRUNCATE;
			/* Without it /dev/null and ttys opened later fail. */
			if (S_ISCHR(mode))
				a |= LANDLOCK_ACCESS_FS_IOCTL_DEV;
			break;
		case 'x':
			a |= LANDLOCK_ACCESS_FS_EXECUTE;
			break;
		case 'c':
			a |= LANDLOCK_ACCESS_FS_MAKE_CHAR |
			    LANDLOCK_ACCESS_FS_MAKE_DIR |
			    LANDLOCK_ACCESS_FS_MAKE_REG |
			    LANDLOCK_ACCESS_FS_MAKE_SOCK |
			    LANDLOCK_ACCESS_FS_MAKE_FIFO |
			    LANDLOCK_ACCESS_FS_MAKE_BLOCK |
			    LANDLOCK_ACCESS_FS_MAKE_SYM |
			    LANDLOCK_ACCESS_FS_REMOVE_DIR |
			    LANDLOCK_ACCESS_FS_REMOVE_FILE |
			    LANDLOCK_ACCESS_FS_REFER;
			break;
		default:
			errno = EINVAL;
			return -1;
		}
	}
	if (!S_ISDIR(mode))
		a &= LL_ACCESS_FILE;
	*access = a & ll_fs_rights(sandbox_landlock_abi());
	return 0;
}

/*
 * Unveiling a path again replaces its rights, as on OpenBSD.  A rule
 * with no right left (an empty perms string, or "c" on a file) hides the
 * path, so it is dropped.  The descriptor is consumed on success.
 */
static int
unveil_add(const char *path, int fd, uint64_t access)
{
	struct ll_rule	*r;

	TAILQ_FOREACH(r, &rules, entry)
		if (strcmp(r->path, path) == 0)
			break;
	if (r != NULL) {
		(void)close(fd);
		if (access != 0) {
			r->access = access;
			return 0;
		}
		TAILQ_REMOVE(&rules, r, entry);
		(void)close(r->fd);
		free(r->path);
		free(r);
		return 0;
	}
	if (access == 0)
		return close(fd);
	if ((r = calloc(1, sizeof(*r))) == NULL)
		return -1;
	if ((r->path = strdup(path)) == NULL) {
		free(r);
		return -1;
	}
	r->fd = fd;
	r->access = access;
	TAILQ_INSERT_TAIL(&rules, r, entry);
	return 0;
}

int
unveil_connect(uint16_t port)
{
	return unveil_port(port, LANDLOCK_ACCESS_NET_CONNECT_TCP);
}

int
unveil_bind(uint16_t port)
{
	return unveil_port(port, LANDLOCK_ACCESS_NET_BIND_TCP);
}

/*
 * Below ABI 4 the port is accepted and ignored, as sandbox.h promises:
 * pledge's seccomp filter is then the only network gate.
 */
static int
unveil_port(uint16_t port, uint64_t access)
{
	struct ll_port	*p;
	size_t		 i;
	int		 rc;

	if ((rc = unveil_check()) != 0)
		return rc == 1 ? 0 : -1;
	pending = 1;
	if (ll_net_rights(sandbox_landlock_abi()) == 0)
		return 0;
	for (i = 0; i < nports; i++) {
		if (ports[i].port == port) {
			ports[i].access |= access;
			return 0;
		}
	}
	if ((p = reallocarray(ports, nports + 1, sizeof(*p))) == NULL)
		return -1;
	ports = p;
	ports[nports].port = port;
	ports[nports].access = access;
	nports++;
	return 0;
}

int
unveil_scope(int which)
{
	int	 rc;

	if ((rc = unveil_check()) != 0)
		return rc == 1 ? 0 : -1;
	if (which & ~(SANDBOX_SCOPE_ABSTRACT | SANDBOX_SCOPE_SIGNAL)) {
		errno = EINVAL;
		return -1;
	}
	scopes = 0;
	if (which & SANDBOX_SCOPE_ABSTRACT)
		scopes |= LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET;
	if (which & SANDBOX_SCOPE_SIGNAL)
		scopes |= LANDLOCK_SCOPE_SIGNAL;
	return 0;
}

int
unveil_pending(void)
{
	return pending && !committed;
}

/*
 * Build the ruleset, load the rules and restrict ourselves.  Landlock
 * wants no_new_privs (or CAP_SYS_ADMIN); we set it either way, so that a
 * confined process can never regain privileges through a set-uid file.
 */
int
unveil_commit(void)
{
	struct ll_ruleset_attr	 attr;
	int			 abi, fd, rc, saved;

	if ((rc = unveil_check()) != 0)
		return rc == 1 ? 0 : -1;
	abi = sandbox_landlock_abi();
	memset(&attr, 0, sizeof(attr));
	attr.handled_access_fs = ll_fs_rights(abi);
	attr.handled_access_net = ll_net_rights(abi);
	attr.scoped = scopes & ll_scopes(abi);
	if ((fd = ll_create_ruleset(&attr, ll_ruleset_size(abi), 0)) == -1)
		return -1;
	rc = commit_rules(fd, abi);
	saved = errno;
	(void)close(fd);
	if (rc == -1) {
		errno = saved;
		return -1;
	}
	commit_free();
	committed = 1;
	pending = 0;
	return 0;
}

static int
commit_rules(int fd, int abi)
{
	struct landlock_path_beneath_attr	 pb;
	struct landlock_net_port_attr		 np;
	struct ll_rule				*r;
	size_t					 i;

	TAILQ_FOREACH(r, &rules, entry) {
		memset(&pb, 0, sizeof(pb));
		pb.allowed_access = r->access;
		pb.parent_fd = r->fd;
		if (ll_add_rule(fd, LANDLOCK_RULE_PATH_BENEATH, &pb, 0) == -1)
			return -1;
	}
	for (i = 0; i < nports; i++) {
		memset(&np, 0, sizeof(np));
		np.allowed_access = ports[i].access;
		np.port = ports[i].port;
		if (ll_add_rule(fd, LANDLOCK_RULE_NET_PORT, &np, 0) == -1)
			return -1;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1)
		return -1;
	/*
	 * Our own denials are bugs or attacks we already handle; auditing
	 * them would only fill the log.  Kernels may refuse the flag, and
	 * then the plain call does the same job.
	 */
	if (abi >= 7 &&
	    ll_restrict_self(fd, LANDLOCK_RESTRICT_SELF_LOG_SAME_EXEC_OFF) == 0)
		return 0;
	return ll_restrict_self(fd, 0);
}

static void
commit_free(void)
{
	struct ll_rule	*r, *tmp;

	TAILQ_FOREACH_SAFE(r, &rules, entry, tmp) {
		TAILQ_REMOVE(&rules, r, entry);
		(void)close(r->fd);
		free(r->path);
		free(r);
	}
	free(ports);
	ports = NULL;
	nports = 0;
}
