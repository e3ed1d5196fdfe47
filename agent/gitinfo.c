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
 * Git metadata without running git: the parent process runs no programs,
 * so HEAD, loose refs, packed-refs and the "origin" remote's url are read
 * straight from the repository, including linked worktrees whose .git is
 * a file pointing at a gitdir with a commondir.  Anything that cannot be
 * read is simply left unknown; this never fails a session.
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

#include <jansson.h>

#include "agent/gitinfo.h"

#define GIT_SMALLFILE	4096
#define GIT_MAXSYMREF	5

struct gitdirs {
	char	git[PATH_MAX];		/* this worktree's gitdir */
	char	common[PATH_MAX];	/* where refs and config live */
};

/* Read a small file whole, without its trailing white space. */
static int
read_small(const char *path, char *buf, size_t len)
{
	ssize_t	 n;
	size_t	 off = 0;
	int	 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) == -1)
		return -1;
	while (off < len - 1) {
		n = read(fd, buf + off, len - 1 - off);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		off += n;
	}
	(void)close(fd);
	buf[off] = '\0';
	while (off > 0 && isspace((unsigned char)buf[off - 1]))
		buf[--off] = '\0';
	return 0;
}

static int
join(char *out, size_t len, const char *dir, const char *name)
{
	int	 n;

	if (name[0] == '/')
		n = snprintf(out, len, "%s", name);
	else
		n = snprintf(out, len, "%s/%s", dir, name);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

static int
is_file(const char *dir, const char *name)
{
	struct stat	 sb;
	char		 path[PATH_MAX];

	if (join(path, sizeof(path), dir, name) == -1)
		return 0;
	return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

/*
 * dir/.git is a directory (an ordinary repository) or a file saying
 * "gitdir: <path>" (a linked worktree or a submodule); in the latter the
 * gitdir may name a commondir holding the shared refs and config.
 */
static int
probe_dotgit(const char *dir, struct gitdirs *gd)
{
	struct stat	 sb;
	char		 dotgit[PATH_MAX], buf[GIT_SMALLFILE], cpath[PATH_MAX];

	if (join(dotgit, sizeof(dotgit), dir, ".git") == -1 ||
	    stat(dotgit, &sb) == -1)
		return 0;
	if (S_ISDIR(sb.st_mode)) {
		if (strlcpy(gd->git, dotgit, sizeof(gd->git)) >=
		    sizeof(gd->git))
			return 0;
	} else if (S_ISREG(sb.st_mode)) {
		if (read_small(dotgit, buf, sizeof(buf)) == -1 ||
		    strncmp(buf, "gitdir:", 7) != 0)
			return 0;
		if (join(gd->git, sizeof(gd->git), dir,
		    buf + 7 + strspn(buf + 7, " \t")) == -1)
			return 0;
	} else
		return 0;
	if (!is_file(gd->git, "HEAD"))
		return 0;
	if (join(cpath, sizeof(cpath), gd->git, "commondir") == 0 &&
	    read_small(cpath, buf, sizeof(buf)) == 0 && buf[0] != '\0') {
		if (join(gd->common, sizeof(gd->common), gd->git, buf) == -1)
			return 0;
	} else if (strlcpy(gd->common, gd->git, sizeof(gd->common)) >=
	    sizeof(gd->common))
		return 0;
	return 1;
}

/* Walk up from cwd to the first directory holding a usable .git. */
static int
find_repo(const char *cwd, struct gitdirs *gd)
{
	char	 dir[PATH_MAX], *slash;

	if (strlcpy(dir, cwd, sizeof(dir)) >= sizeof(dir) || dir[0] != '/')
		return 0;
	for (;;) {
		if (probe_dotgit(dir, gd))
			return 1;
		if ((slash = strrchr(dir, '/')) == NULL || dir[1] == '\0')
			return 0;
		if (slash == dir)
			slash[1] = '\0';
		else
			*slash = '\0';
	}
}

static int
is_hash(const char *s)
{
	size_t	 n = strspn(s, "0123456789abcdef");

	return (n == 40 || n == 64) && s[n] == '\0';
}

/* Reference names come from files in the repository: keep them tame. */
static int
ref_ok(const char *ref)
{
	return strncmp(ref, "refs/", 5) == 0 && strstr(ref, "..") == NULL &&
	    strstr(ref, "//") == NULL && strlen(ref) < 1024;
}

static int
packed_ref(const char *common, const char *ref, char *out, size_t len)
{
	FILE	*fp;
	char	 path[PATH_MAX], *line = NULL, *sp;
	size_t	 cap = 0;
	ssize_t	 n;
	int	 found = 0;

	if (join(path, sizeof(path), common, "packed-refs") == -1 ||
	    (fp = fopen(path, "re")) == NULL)
		return 0;
	while (!found && (n = getline(&line, &cap, fp)) != -1) {
		if (n > 0 && line[n - 1] == '\n')
			line[n - 1] = '\0';
		if (line[0] == '#' || line[0] == '^' ||
		    (sp = strchr(line, ' ')) == NULL)
			continue;
		*sp = '\0';
		if (strcmp(sp + 1, ref) == 0 && is_hash(line))
			found = strlcpy(out, line, len) < len;
	}
	free(line);
	(void)fclose(fp);
	return found;
}

/*
 * Resolve a reference to a commit hash, following symbolic references a
 * few levels deep: the worktree's own gitdir first (refs/bisect and the
 * like are per worktree), then the shared loose refs, then packed-refs.
 */
static int
resolve_ref(const struct gitdirs *gd, const char *ref, char *out,
    size_t len)
{
	char	 name[1024], path[PATH_MAX], buf[GIT_SMALLFILE];
	int	 depth;

	if (strlcpy(name, ref, sizeof(name)) >= sizeof(name))
		return 0;
	for (depth = 0; depth < GIT_MAXSYMREF; depth++) {
		if (!ref_ok(name))
			return 0;
		if ((join(path, sizeof(path), gd->git, name) == 0 &&
		    read_small(path, buf, sizeof(buf)) == 0) ||
		    (join(path, sizeof(path), gd->common, name) == 0 &&
		    read_small(path, buf, sizeof(buf)) == 0)) {
			if (strncmp(buf, "ref:", 4) == 0) {
				if (strlcpy(name, buf + 4 + strspn(buf + 4,
				    " \t"), sizeof(name)) >= sizeof(name))
					return 0;
				continue;
			}
			return is_hash(buf) && strlcpy(out, buf, len) < len;
		}
		return packed_ref(gd->common, name, out, len);
	}
	return 0;
}

/* What `git rev-parse --abbrev-ref` prints for a full reference name. */
static char *
short_ref(const char *ref)
{
	const char	*pfx[] = { "refs/heads/", "refs/tags/", "refs/remotes/" };
	size_t		 i, n;

	for (i = 0; i < sizeof(pfx) / sizeof(pfx[0]); i++) {
		n = strlen(pfx[i]);
		if (strncmp(ref, pfx[i], n) == 0 && ref[n] != '\0')
			return strdup(ref + n);
	}
	return strdup(ref);
}

/*
 * HEAD names a branch or, detached, a commit.  Like Codex (which asks
 * git), an unborn branch yields neither, and a detached HEAD no branch.
 */
static int
read_head(const struct gitdirs *gd, struct gitinfo *gi)
{
	char	 path[PATH_MAX], buf[GIT_SMALLFILE], hash[65], *ref;

	if (join(path, sizeof(path), gd->git, "HEAD") == -1 ||
	    read_small(path, buf, sizeof(buf)) == -1)
		return 0;
	if (strncmp(buf, "ref:", 4) != 0) {
		if (!is_hash(buf))
			return 0;
		return (gi->commit_hash = strdup(buf)) == NULL ? -1 : 0;
	}
	ref = buf + 4 + strspn(buf + 4, " \t");
	if (!resolve_ref(gd, ref, hash, sizeof(hash)))
		return 0;
	if ((gi->commit_hash = strdup(hash)) == NULL ||
	    (gi->branch = short_ref(ref)) == NULL)
		return -1;
	return 0;
}

/*
 * A config value: leading blanks skipped, double quotes removed, the
 * usual backslash escapes undone, and a ';' or '#' outside quotes ends
 * it.  Trailing blanks outside quotes are dropped.
 */
static void
config_value(const char *in, char *out, size_t len)
{
	size_t	 o = 0, keep = 0;
	int	 quoted = 0;
	char	 c;

	in += strspn(in, " \t");
	for (; *in != '\0' && *in != '\n' && o < len - 1; in++) {
		c = *in;
		if (c == '"') {
			quoted = !quoted;
			keep = o;
			continue;
		}
		if (!quoted && (c == ';' || c == '#'))
			break;
		if (c == '\\' && in[1] != '\0') {
			c = *++in;
			c = c == 'n' ? '\n' : c == 't' ? '\t' : c;
			out[o++] = c;
			keep = o;
			continue;
		}
		out[o++] = c;
		if (quoted || !isspace((unsigned char)c))
			keep = o;
	}
	out[keep] = '\0';
}

/* Is this line the header [remote "origin"] (or the old [remote.origin])? */
static int
is_origin_section(const char *line)
{
	const char	*p = line + strspn(line, " \t");
	size_t		 n;

	if (*p++ != '[')
		return 0;
	p += strspn(p, " \t");
	if (strncasecmp(p, "remote", 6) != 0)
		return 0;
	p += 6;
	if (strncmp(p, ".origin]", 8) == 0)
		return 1;
	n = strspn(p, " \t");
	return n > 0 && strncmp(p + n, "\"origin\"", 8) == 0 &&
	    p[n + 8 + strspn(p + n + 8, " \t")] == ']';
}

/* The first url of remote "origin", as `git remote get-url origin`. */
static int
read_origin(const struct gitdirs *gd, struct gitinfo *gi)
{
	FILE	*fp;
	char	 path[PATH_MAX], *line = NULL, *p, val[PATH_MAX];
	size_t	 cap = 0;
	int	 in = 0, rv = 0;

	if (join(path, sizeof(path), gd->common, "config") == -1 ||
	    (fp = fopen(path, "re")) == NULL)
		return 0;
	while (getline(&line, &cap, fp) != -1) {
		p = line + strspn(line, " \t");
		if (*p == '[') {
			in = is_origin_section(p);
			continue;
		}
		if (!in || strncasecmp(p, "url", 3) != 0)
			continue;
		p += 3 + strspn(p + 3, " \t");
		if (*p != '=')
			continue;
		config_value(p + 1, val, sizeof(val));
		if (val[0] == '\0')
			continue;
		if ((gi->repository_url = strdup(val)) == NULL)
			rv = -1;
		break;
	}
	free(line);
	(void)fclose(fp);
	return rv;
}

/*
 * Fill gi for the repository containing cwd (an absolute path).  Returns
 * 1 if there is one, 0 if not, -1 if memory ran out.
 */
int
gitinfo_read(const char *cwd, struct gitinfo *gi)
{
	struct gitdirs	*gd;
	int		 found;

	memset(gi, 0, sizeof(*gi));
	if ((gd = calloc(1, sizeof(*gd))) == NULL)
		return -1;
	found = find_repo(cwd, gd);
	if (found && (read_head(gd, gi) == -1 || read_origin(gd, gi) == -1)) {
		free(gd);
		gitinfo_free(gi);
		return -1;
	}
	free(gd);
	return found;
}

void
gitinfo_free(struct gitinfo *gi)
{
	free(gi->commit_hash);
	free(gi->branch);
	free(gi->repository_url);
	memset(gi, 0, sizeof(*gi));
}

/* {commit_hash?, branch?, repository_url?}: unknown fields left out. */
json_t *
gitinfo_json(const struct gitinfo *gi)
{
	json_t	*o;

	if ((o = json_object()) == NULL)
		return NULL;
	if ((gi->commit_hash != NULL && json_object_set_new(o, "commit_hash",
	    json_string(gi->commit_hash)) == -1) ||
	    (gi->branch != NULL && json_object_set_new(o, "branch",
	    json_string(gi->branch)) == -1) ||
	    (gi->repository_url != NULL && json_object_set_new(o,
	    "repository_url", json_string(gi->repository_url)) == -1)) {
		json_decref(o);
		return NULL;
	}
	return o;
}
