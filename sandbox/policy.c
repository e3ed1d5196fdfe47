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
 * Sandbox policies: which roots a command may write, which paths inside
 * them stay read-only, and whether it may reach the network.  The names
 * and the order of the roots follow Codex: configured writable_roots, the
 * session's cwd, /tmp, $TMPDIR.
 */

#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sandbox/policy.h"

static const char *const mode_names[] = {
	[POLICY_READ_ONLY] = "read-only",
	[POLICY_WORKSPACE_WRITE] = "workspace-write",
	[POLICY_FULL_ACCESS] = "danger-full-access",
};

static int	 root_add(struct policy *, const char *);
static int	 ro_add(struct policy *, const char *, int);
static int	 ro_root(struct policy *, const char *);
static int	 ro_gitfile(struct policy *, const char *, const char *);
static int	 val_bool(const char *, int *);
static char	*val_string(const char *);
static int	 val_strarray(const char *, char **, size_t, size_t *);
static int	 env_config(struct envpolicy *, const char *, const char *);

int
policy_mode_parse(const char *s, int *mode)
{
	size_t	 i;

	for (i = 0; i < sizeof(mode_names) / sizeof(mode_names[0]); i++)
		if (strcmp(s, mode_names[i]) == 0) {
			*mode = i;
			return 0;
		}
	errno = EINVAL;
	return -1;
}

const char *
policy_mode_name(int mode)
{
	if (mode < 0 || mode > POLICY_FULL_ACCESS)
		return "unknown";
	return mode_names[mode];
}

int
policy_init(struct policy *p, int mode, const char *cwd)
{
	memset(p, 0, sizeof(*p));
	p->mode = mode;
	if ((p->cwd = strdup(cwd)) == NULL)
		return -1;
	return 0;
}

void
policy_free(struct policy *p)
{
	size_t	 i;

	free(p->cwd);
	for (i = 0; i < p->nconfig; i++)
		free(p->config_roots[i]);
	for (i = 0; i < p->nroots; i++)
		free(p->roots[i]);
	for (i = 0; i < p->nro; i++)
		free(p->ro[i].path);
	memset(p, 0, sizeof(*p));
}

int
policy_sandboxed(const struct policy *p)
{
	return p->mode != POLICY_FULL_ACCESS;
}

/* A configured writable root; it must be absolute. */
int
policy_add_root(struct policy *p, const char *path)
{
	if (path[0] != '/') {
		errno = EINVAL;
		return -1;
	}
	if (p->nconfig == POLICY_MAX_ROOTS) {
		errno = E2BIG;
		return -1;
	}
	if ((p->config_roots[p->nconfig] = strdup(path)) == NULL)
		return -1;
	p->nconfig++;
	return 0;
}

/*
 * Canonicalise a root and add it unless it is missing or already there.
 * A root that does not exist is skipped, as Codex does: there is nothing
 * to write in, and a later mkdir would happen outside every root anyway.
 */
static int
root_add(struct policy *p, const char *path)
{
	char	 real[PATH_MAX];
	size_t	 i;

	if (realpath(path, real) == NULL)
		return errno == ENOENT || errno == ENOTDIR ? 0 : -1;
	for (i = 0; i < p->nroots; i++)
		if (strcmp(p->roots[i], real) == 0)
			return 0;
	if (p->nroots == POLICY_MAX_ROOTS) {
		errno = E2BIG;
		return -1;
	}
	if ((p->roots[p->nroots] = strdup(real)) == NULL)
		return -1;
	p->nroots++;
	return 0;
}

static int
ro_add(struct policy *p, const char *path, int missing)
{
	size_t	 i;

	for (i = 0; i < p->nro; i++)
		if (strcmp(p->ro[i].path, path) == 0)
			return 0;
	if (p->nro == POLICY_MAX_RO) {
		errno = E2BIG;
		return -1;
	}
	if ((p->ro[p->nro].path = strdup(path)) == NULL)
		return -1;
	p->ro[p->nro].missing = missing;
	p->nro++;
	return 0;
}

/*
 * A .git file says "gitdir: PATH"; a relative PATH is relative to the
 * directory holding the file.  The gitdir must exist to be protected.
 */
static int
ro_gitfile(struct policy *p, const char *root, const char *gitfile)
{
	char	 buf[PATH_MAX], path[PATH_MAX], real[PATH_MAX], *s;
	FILE	*fp;
	int	 n;

	if ((fp = fopen(gitfile, "re")) == NULL)
		return 0;
	s = fgets(buf, sizeof(buf), fp);
	(void)fclose(fp);
	if (s == NULL || strncmp(buf, "gitdir:", 7) != 0)
		return 0;
	s = buf + 7;
	while (isspace((unsigned char)*s))
		s++;
	s[strcspn(s, "\r\n")] = '\0';
	if (*s == '\0')
		return 0;
	if (*s == '/')
		n = snprintf(path, sizeof(path), "%s", s);
	else
		n = snprintf(path, sizeof(path), "%s/%s", root, s);
	if (n < 0 || (size_t)n >= sizeof(path))
		return 0;
	if (realpath(path, real) == NULL)
		return 0;
	return ro_add(p, real, 0);
}

/* The read-only subpaths of one writable root. */
static int
ro_root(struct policy *p, const char *root)
{
	static const char *const names[] = { ".git", ".codex", ".agents" };
	struct stat	 st;
	char		 path[PATH_MAX];
	size_t		 i;
	int		 n, cwdroot, exists;

	cwdroot = p->cwd != NULL && strcmp(root, p->cwd) == 0;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		n = snprintf(path, sizeof(path), "%s/%s",
		    strcmp(root, "/") == 0 ? "" : root, names[i]);
		if (n < 0 || (size_t)n >= sizeof(path)) {
			errno = ENAMETOOLONG;
			return -1;
		}
		exists = lstat(path, &st) == 0;
		if (i == 0 && exists && S_ISREG(st.st_mode)) {
			if (ro_add(p, path, 0) == -1 ||
			    ro_gitfile(p, root, path) == -1)
				return -1;
			continue;
		}
		if (exists && (S_ISDIR(st.st_mode) || S_ISLNK(st.st_mode))) {
			if (ro_add(p, path, 0) == -1)
				return -1;
		} else if (!exists && i == 1 && cwdroot) {
			if (ro_add(p, path, 1) == -1)
				return -1;
		}
	}
	return 0;
}

/*
 * Compute the writable roots and the read-only paths inside them.  tmpdir
 * is $TMPDIR as the session sees it (NULL when unset).
 */
int
policy_resolve(struct policy *p, const char *tmpdir, char *err, size_t len)
{
	char	 real[PATH_MAX];
	size_t	 i;

	if (p->cwd != NULL && realpath(p->cwd, real) != NULL) {
		free(p->cwd);
		if ((p->cwd = strdup(real)) == NULL)
			return -1;
	}
	if (p->mode != POLICY_WORKSPACE_WRITE)
		return 0;
	for (i = 0; i < p->nconfig; i++)
		if (root_add(p, p->config_roots[i]) == -1)
			goto fail;
	if (p->cwd != NULL && root_add(p, p->cwd) == -1)
		goto fail;
	if (!p->exclude_slash_tmp && root_add(p, "/tmp") == -1)
		goto fail;
	if (!p->exclude_tmpdir_env_var && tmpdir != NULL && *tmpdir == '/' &&
	    root_add(p, tmpdir) == -1)
		goto fail;
	for (i = 0; i < p->nroots; i++)
		if (ro_root(p, p->roots[i]) == -1)
			goto fail;
	return 0;
 fail:
	(void)snprintf(err, len, "writable roots: %s", strerror(errno));
	return -1;
}

/*
 * One -c key=value.  The value is TOML: true/false, a "string", or an
 * array of strings.  Only the keys that shape a sandbox are known here.
 */
int
policy_config(struct policy *p, struct envpolicy *e, const char *kv,
    char *err, size_t len)
{
	static const char	 sww[] = "sandbox_workspace_write.";
	static const char	 sep[] = "shell_environment_policy.";
	char			 key[128], *s, *roots[POLICY_MAX_ROOTS];
	const char		*val;
	size_t			 i, n = 0, klen;
	int			 rc = -1;

	if ((val = strchr(kv, '=')) == NULL || val == kv)
		goto bad;
	klen = val - kv;
	while (klen > 0 && kv[klen - 1] == ' ')
		klen--;
	if (klen >= sizeof(key))
		goto bad;
	memcpy(key, kv, klen);
	key[klen] = '\0';
	val++;
	while (*val == ' ')
		val++;
	if (strcmp(key, "sandbox_mode") == 0) {
		if ((s = val_string(val)) == NULL)
			goto bad;
		rc = policy_mode_parse(s, &p->mode);
		free(s);
	} else if (strncmp(key, sww, sizeof(sww) - 1) == 0) {
		s = key + sizeof(sww) - 1;
		if (strcmp(s, "network_access") == 0)
			rc = val_bool(val, &p->network);
		else if (strcmp(s, "exclude_tmpdir_env_var") == 0)
			rc = val_bool(val, &p->exclude_tmpdir_env_var);
		else if (strcmp(s, "exclude_slash_tmp") == 0)
			rc = val_bool(val, &p->exclude_slash_tmp);
		else if (strcmp(s, "writable_roots") == 0 &&
		    (rc = val_strarray(val, roots, POLICY_MAX_ROOTS, &n)) == 0) {
			for (i = 0; i < n; i++) {
				if (rc == 0 && policy_add_root(p, roots[i]))
					rc = -1;
				free(roots[i]);
			}
		}
	} else if (strncmp(key, sep, sizeof(sep) - 1) == 0)
		rc = env_config(e, key + sizeof(sep) - 1, val);
	if (rc == 0)
		return 0;
 bad:
	(void)snprintf(err, len, "cannot use -c %s", kv);
	return -1;
}

static int
env_config(struct envpolicy *e, const char *key, const char *val)
{
	char	*s;
	int	 n;

	if (strcmp(key, "inherit") == 0) {
		if ((s = val_string(val)) == NULL)
			return -1;
		n = 0;
		if (strcmp(s, "all") == 0)
			e->inherit = ENV_INHERIT_ALL;
		else if (strcmp(s, "core") == 0)
			e->inherit = ENV_INHERIT_CORE;
		else if (strcmp(s, "none") == 0)
			e->inherit = ENV_INHERIT_NONE;
		else
			n = -1;
		free(s);
		return n;
	}
	if (strcmp(key, "ignore_default_excludes") == 0)
		return val_bool(val, &e->ignore_default_excludes);
	if (strcmp(key, "exclude") == 0)
		return val_strarray(val, e->exclude, ENV_MAX_PATTERNS,
		    &e->nexclude);
	if (strcmp(key, "include_only") == 0)
		return val_strarray(val, e->include_only, ENV_MAX_PATTERNS,
		    &e->ninclude);
	if (strncmp(key, "set.", 4) == 0 && key[4] != '\0') {
		if (e->nset == ENV_MAX_PATTERNS ||
		    (s = val_string(val)) == NULL)
			return -1;
		n = asprintf(&e->set[e->nset], "%s=%s", key + 4, s);
		free(s);
		if (n == -1)
			return -1;
		e->nset++;
		return 0;
	}
	return -1;
}

static int
val_bool(const char *v, int *b)
{
	if (strcmp(v, "true") == 0)
		*b = 1;
	else if (strcmp(v, "false") == 0)
		*b = 0;
	else
		return -1;
	return 0;
}

/* A basic or literal TOML string without escapes, or a bare word. */
static char *
val_string(const char *v)
{
	size_t	 n = strlen(v);

	if (n >= 2 && (v[0] == '"' || v[0] == '\'') && v[n - 1] == v[0]) {
		if (memchr(v + 1, '\\', n - 2) != NULL)
			return NULL;
		return strndup(v + 1, n - 2);
	}
	if (n == 0 || strpbrk(v, "\"'[]{}, ") != NULL)
		return NULL;
	return strdup(v);
}

/* ["a", "b"]; the strings are appended at list[*n]. */
static int
val_strarray(const char *v, char **list, size_t max, size_t *n)
{
	const char	*p = v, *q;
	char		 quote;

	if (*p++ != '[')
		return -1;
	for (;;) {
		while (*p == ' ' || *p == ',')
			p++;
		if (*p == ']')
			return p[1] == '\0' ? 0 : -1;
		if (*p != '"' && *p != '\'')
			return -1;
		quote = *p++;
		if ((q = strchr(p, quote)) == NULL || *n == max ||
		    memchr(p, '\\', q - p) != NULL)
			return -1;
		if ((list[*n] = strndup(p, q - p)) == NULL)
			return -1;
		(*n)++;
		p = q + 1;
	}
}
