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
 * gitinfo against what git itself says: a normal repository, a detached
 * HEAD, refs only in packed-refs, a linked worktree (a .git file and a
 * commondir), an unborn branch and no repository at all.  git builds the
 * fixtures; the library under test reads files only.
 */

#include <err.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/gitinfo.h"
#include "regress/rollout/tap.h"

static char	*tmp;

static void
sh(const char *fmt, ...)
	__attribute__((__format__(__printf__, 1, 2)));

static void
sh(const char *fmt, ...)
{
	va_list	 ap;
	char	*cmd;

	va_start(ap, fmt);
	if (vasprintf(&cmd, fmt, ap) == -1)
		err(1, "vasprintf");
	va_end(ap);
	if (system(cmd) != 0)
		errx(1, "failed: %s", cmd);
	free(cmd);
}

/* One line of output of a git command run in dir. */
static void
git_out(const char *dir, const char *args, char *out, size_t len)
{
	FILE	*fp;
	char	*cmd;

	if (asprintf(&cmd, "cd '%s' && git %s 2>/dev/null", dir, args) == -1)
		err(1, "asprintf");
	if ((fp = popen(cmd, "r")) == NULL)
		err(1, "popen");
	out[0] = '\0';
	if (fgets(out, len, fp) != NULL)
		out[strcspn(out, "\n")] = '\0';
	pclose(fp);
	free(cmd);
}

static int
same(const char *a, const char *b)
{
	return a != NULL && strcmp(a, b) == 0;
}

static void
check(const char *what, const char *dir, int want_branch)
{
	struct gitinfo	 gi;
	char		 hash[128], br[256], url[1024];
	int		 rv;

	git_out(dir, "rev-parse HEAD", hash, sizeof(hash));
	git_out(dir, "rev-parse --abbrev-ref HEAD", br, sizeof(br));
	git_out(dir, "remote get-url origin", url, sizeof(url));
	rv = gitinfo_read(dir, &gi);
	tap_ok(rv == 1 && same(gi.commit_hash, hash) &&
	    (want_branch ? same(gi.branch, br) : gi.branch == NULL) &&
	    same(gi.repository_url, url), "%s: %s %s %s", what,
	    gi.commit_hash ? gi.commit_hash : "-", gi.branch ? gi.branch : "-",
	    gi.repository_url ? gi.repository_url : "-");
	gitinfo_free(&gi);
}

int
main(void)
{
	struct gitinfo	 gi;
	char		 r[PATH_MAX], sub[PATH_MAX + 8];
	json_t		*j;

	tmp = tap_tmpdir();
	tap_hermetic(tmp);
	setenv("GIT_AUTHOR_NAME", "t", 1);
	setenv("GIT_AUTHOR_EMAIL", "t@example.invalid", 1);
	setenv("GIT_COMMITTER_NAME", "t", 1);
	setenv("GIT_COMMITTER_EMAIL", "t@example.invalid", 1);
	tap_plan(8);
	(void)snprintf(r, sizeof(r), "%s/repo", tmp);
	sh("git init -q -b main '%s' && cd '%s' && mkdir -p a/b && "
	    "git remote add origin 'https://example.invalid/o/r.git' && "
	    "git config remote.upstream.url https://wrong.invalid/x && "
	    "echo x > f && git add f && git commit -q -m one && "
	    "echo y > f && git commit -q -am two", r, r);
	(void)snprintf(sub, sizeof(sub), "%s/a/b", r);
	check("normal repository, from a subdirectory", sub, 1);

	sh("cd '%s' && git checkout -q --detach HEAD~1", r);
	check("detached HEAD", r, 0);

	sh("cd '%s' && git checkout -q main && git pack-refs --all && "
	    "test ! -e .git/refs/heads/main", r);
	check("packed-refs only", r, 1);

	sh("cd '%s' && git worktree add -q -b side ../wt HEAD~1", r);
	(void)snprintf(sub, sizeof(sub), "%s/wt", tmp);
	check("linked worktree", sub, 1);

	(void)snprintf(sub, sizeof(sub), "%s/empty", tmp);
	sh("git init -q -b main '%s'", sub);
	tap_ok(gitinfo_read(sub, &gi) == 1 && gi.commit_hash == NULL &&
	    gi.branch == NULL && gi.repository_url == NULL,
	    "unborn branch: nothing known");
	j = gitinfo_json(&gi);
	tap_ok(j != NULL && json_object_size(j) == 0, "as an empty object");
	json_decref(j);
	gitinfo_free(&gi);

	(void)snprintf(sub, sizeof(sub), "%s/plain", tmp);
	sh("mkdir '%s'", sub);
	tap_ok(gitinfo_read(sub, &gi) == 0 && gi.commit_hash == NULL,
	    "no repository");
	gitinfo_free(&gi);

	/* Quoting and comments in config, the old [remote.origin] form. */
	sh("cd '%s' && printf '[remote.origin]\\n\\turl = \"/srv/x y\" ; c\\n' "
	    ">> .git/config && git config --unset-all remote.origin.url "
	    "'^https' && git config --get remote.origin.url >/dev/null", r);
	check("config quoting", r, 1);
	tap_rmtree(tmp);
	free(tmp);
	return tap_done();
}
