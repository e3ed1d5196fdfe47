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
 * unveil(): the Landlock file-system rules.  Each case checks that the
 * kernel really refuses what was not unveiled, not merely that the calls
 * returned 0.
 */

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "sandbox/sandbox.h"
#include "regress/pledge/pledge-test.h"

/* 0 when opening path with flags fails with EACCES. */
static int
denied(const char *path, int flags)
{
	int	 fd;

	if ((fd = open(path, flags, 0644)) != -1) {
		(void)close(fd);
		return 1;
	}
	return errno == EACCES ? 0 : 2;
}

/* Unveil one path and commit. */
static int
unveil_one(const char *name, const char *perms)
{
	char	 p[PATH_MAX];

	if (sandbox_init(0, NULL) == -1)
		return -1;
	if (name != NULL && unveil(tpath(p, name), perms) == -1)
		return -1;
	return unveil(NULL, NULL);
}

static int
c_read(void)
{
	char	 p[PATH_MAX], buf[8];
	int	 fd;

	if (unveil_one("ro", "r") == -1)
		return 1;
	if ((fd = open(tpath(p, "ro/file"), O_RDONLY)) == -1)
		return 2;
	if (read(fd, buf, 5) != 5 || memcmp(buf, "hello", 5) != 0)
		return 3;
	if (close(fd) == -1)
		return 4;
	/* "r" on a directory also lets it be listed. */
	if ((fd = open(tpath(p, "ro"), O_RDONLY | O_DIRECTORY)) == -1)
		return 5;
	return close(fd) == -1 ? 6 : 0;
}

static int
c_write(void)
{
	char	 p[PATH_MAX];

	if (unveil_one("ro", "r") == -1)
		return 1;
	return denied(tpath(p, "ro/file"), O_WRONLY) ? 2 : 0;
}

static int
c_other(void)
{
	char	 p[PATH_MAX];

	if (unveil_one("ro", "r") == -1)
		return 1;
	if (denied(tpath(p, "other"), O_RDONLY))
		return 2;
	return denied("/etc/passwd", O_RDONLY) ? 3 : 0;
}

static int
c_rwc(void)
{
	char	 a[PATH_MAX], b[PATH_MAX], d[PATH_MAX];
	int	 fd;

	if (unveil_one("rw", "rwc") == -1)
		return 1;
	tpath(a, "rw/a");
	tpath(b, "rw/b");
	tpath(d, "rw/d");
	if ((fd = open(a, O_RDWR | O_CREAT | O_EXCL, 0644)) == -1)
		return 2;
	if (write(fd, "data", 4) != 4 || ftruncate(fd, 2) == -1 ||
	    close(fd) == -1)
		return 3;
	if (rename(a, b) == -1)
		return 4;
	if (mkdir(d, 0755) == -1 || rmdir(d) == -1)
		return 5;
	if (unlink(b) == -1)
		return 6;
	return 0;
}

static int
c_rwc_outside(void)
{
	char	 p[PATH_MAX];

	if (unveil_one("rw", "rwc") == -1)
		return 1;
	if (denied(tpath(p, "new"), O_WRONLY | O_CREAT) != 0)
		return 2;
	return denied(tpath(p, "other"), O_WRONLY) ? 3 : 0;
}

/* A ruleset without a single rule reaches no file at all. */
static int
c_empty(void)
{
	char	 p[PATH_MAX];

	if (unveil_one(NULL, NULL) == -1)
		return 1;
	if (denied("/", O_RDONLY | O_DIRECTORY))
		return 2;
	if (denied(tpath(p, "ro/file"), O_RDONLY))
		return 3;
	if (denied("/dev/null", O_WRONLY))
		return 4;
	return denied("/etc/passwd", O_RDONLY) ? 5 : 0;
}

static int
c_after(void)
{
	char	 p[PATH_MAX];

	if (unveil_one(NULL, NULL) == -1)
		return 1;
	if (unveil(tpath(p, "ro"), "r") != -1 || errno != EPERM)
		return 2;
	if (unveil(NULL, NULL) != -1 || errno != EPERM)
		return 3;
	if (unveil_connect(80) != -1 || errno != EPERM)
		return 4;
	return 0;
}

static int
c_badargs(void)
{
	char	 p[PATH_MAX];

	if (sandbox_init(0, NULL) == -1)
		return 1;
	if (unveil("/nonexistent/ocodex", "r") != -1 || errno != ENOENT)
		return 2;
	if (unveil(tpath(p, "ro"), "rz") != -1 || errno != EINVAL)
		return 3;
	if (unveil(p, NULL) != -1 || errno != EINVAL)
		return 4;
	if (unveil_scope(0x10) != -1 || errno != EINVAL)
		return 5;
	return 0;
}

/* A rule on a file: directory rights are dropped, not refused. */
static int
c_file(void)
{
	char	 p[PATH_MAX];
	int	 fd;

	if (unveil_one("ro/file", "rwc") == -1)
		return 1;
	if ((fd = open(tpath(p, "ro/file"), O_RDWR)) == -1)
		return 2;
	if (write(fd, "h", 1) != 1 || close(fd) == -1)
		return 3;
	return denied(tpath(p, "ro"), O_RDONLY | O_DIRECTORY) ? 4 : 0;
}

/*
 * "w" on a character device brings IOCTL_DEV along: without it a
 * terminal ioctl would be EACCES rather than the device's own ENOTTY.
 */
static int
c_devnull(void)
{
	struct termios	 t;
	int		 fd;

	if (sandbox_init(0, NULL) == -1 || unveil("/dev/null", "rw") == -1 ||
	    unveil(NULL, NULL) == -1)
		return 1;
	if ((fd = open("/dev/null", O_RDWR)) == -1)
		return 2;
	if (write(fd, "x", 1) != 1)
		return 3;
	if (tcgetattr(fd, &t) != -1 || errno != ENOTTY)
		return 4;
	return close(fd) == -1 ? 5 : 0;
}

/* pledge() commits what was unveiled; a denial is then EACCES. */
static int
c_pledge_commits(void)
{
	char	 p[PATH_MAX];
	int	 fd;

	if (sandbox_init(0, NULL) == -1 || unveil(tpath(p, "ro"), "r") == -1)
		return 1;
	if (pledge("stdio rpath wpath", NULL) == -1)
		return 2;
	if (denied(tpath(p, "ro/file"), O_WRONLY))
		return 3;
	if ((fd = open(p, O_RDONLY)) == -1 || close(fd) == -1)
		return 4;
	if (unveil(tpath(p, "rw"), "rwc") != -1 || errno != EPERM)
		return 5;
	return 0;
}

static int
c_hide(void)
{
	char	 p[PATH_MAX];

	if (sandbox_init(0, NULL) == -1 || unveil(tpath(p, "ro"), "r") == -1 ||
	    unveil(p, "") == -1 || unveil(NULL, NULL) == -1)
		return 1;
	return denied(tpath(p, "ro/file"), O_RDONLY) ? 2 : 0;
}

/* Unveiling a path again replaces its rights. */
static int
c_replace(void)
{
	char	 p[PATH_MAX];
	int	 fd;

	if (sandbox_init(0, NULL) == -1 || unveil(tpath(p, "rw"), "r") == -1 ||
	    unveil(p, "rwc") == -1 || unveil(NULL, NULL) == -1)
		return 1;
	if ((fd = open(tpath(p, "rw/a"), O_WRONLY | O_CREAT, 0644)) == -1)
		return 2;
	if (close(fd) == -1 || unlink(p) == -1)
		return 3;
	return 0;
}

void
test_unveil(void)
{
	passed(run(c_read), "unveil r: reading works");
	passed(run(c_write), "unveil r: writing is EACCES");
	passed(run(c_other), "unveil r: other paths are EACCES");
	passed(run(c_rwc), "unveil rwc: create, truncate, rename, unlink");
	passed(run(c_rwc_outside), "unveil rwc: nothing outside");
	passed(run(c_empty), "empty ruleset denies every open");
	passed(run(c_after), "unveil after commit is EPERM");
	passed(run(c_badargs), "unveil: ENOENT, bad perms EINVAL");
	passed(run(c_file), "unveil of a file with rwc");
	passed(run(c_devnull), "unveil /dev/null rw: open and write");
	passed(run(c_pledge_commits), "pledge commits pending unveils");
	passed(run(c_hide), "unveil \"\" hides an unveiled path");
	passed(run(c_replace), "unveil again replaces the rights");
}
