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

#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent/agent.h"
#include "imsg/log.h"

static void	home_dir(char *, size_t);

/*
 * Work out $CODEX_HOME (default ~/.codex) and the working directory before
 * anything is confined, and create $CODEX_HOME, private to the user, when
 * it does not exist yet: it is the one tree the parent may write.
 */
void
home_init(void)
{
	const char	*env;
	struct stat	 sb;

	if (getcwd(opts.cwd, sizeof(opts.cwd)) == NULL)
		fatal("getcwd");
	if ((env = getenv("CODEX_HOME")) != NULL && *env != '\0') {
		if (strlcpy(opts.codex_home, env, sizeof(opts.codex_home)) >=
		    sizeof(opts.codex_home))
			fatalx("CODEX_HOME is too long");
	} else
		home_dir(opts.codex_home, sizeof(opts.codex_home));
	if (mkdir(opts.codex_home, 0700) == -1 && errno != EEXIST)
		fatal("cannot create %s", opts.codex_home);
	if (stat(opts.codex_home, &sb) == -1)
		fatal("%s", opts.codex_home);
	if (!S_ISDIR(sb.st_mode))
		fatalx("%s is not a directory", opts.codex_home);
}

static void
home_dir(char *buf, size_t len)
{
	const char	*home;
	struct passwd	*pw;
	int		 n;

	if ((home = getenv("HOME")) == NULL || *home == '\0') {
		if ((pw = getpwuid(getuid())) == NULL)
			fatalx("cannot tell the home directory; set HOME "
			    "or CODEX_HOME");
		home = pw->pw_dir;
	}
	n = snprintf(buf, len, "%s/.codex", home);
	if (n < 0 || (size_t)n >= len)
		fatalx("home directory path too long");
}
