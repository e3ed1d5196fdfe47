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
 * Tests of agent/config.c: defaults, every key, the order of the layers,
 * -c values, error and warning texts, providers and their ports.  Each
 * case writes a config.toml into a private CODEX_HOME.  Prints TAP.
 */

#include <sys/queue.h>
#include <sys/stat.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent/config.h"
#include "imsg/log.h"
#include "regress/config/config-test.h"

int		 ntest, nfail;
char		 tmpdir[PATH_MAX], home[PATH_MAX], cfgpath[PATH_MAX];
struct config	 cfg;
char		 errbuf[1024];
static char	 logbuf[8192];

void
ok(int cond, const char *fmt, ...)
{
	va_list	 ap;

	ntest++;
	if (!cond)
		nfail++;
	printf("%s %d - ", cond ? "ok" : "not ok", ntest);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!cond && errbuf[0] != '\0')
		printf("# err: %s\n", errbuf);
	if (!cond && logbuf[0] != '\0')
		printf("# log: %s\n", logbuf);
}

/* snprintf(3) that gives up on truncation: a test path must fit. */
void
xsnprintf(char *buf, size_t len, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= len)
		errx(1, "xsnprintf: truncated");
}

static void
capture(int pri, const char *msg)
{
	(void)pri;
	(void)strlcat(logbuf, msg, sizeof(logbuf));
	(void)strlcat(logbuf, "\n", sizeof(logbuf));
}

const char *
logged(void)
{
	return logbuf;
}

void
write_config(const char *text)
{
	int	 fd;
	size_t	 len = strlen(text);

	if ((fd = open(cfgpath, O_WRONLY | O_CREAT | O_TRUNC, 0600)) == -1)
		err(1, "%s", cfgpath);
	if (write(fd, text, len) != (ssize_t)len)
		err(1, "write %s", cfgpath);
	if (close(fd) == -1)
		err(1, "close");
}

void
remove_config(void)
{
	if (unlink(cfgpath) == -1 && errno != ENOENT)
		err(1, "unlink %s", cfgpath);
}

/*
 * Load with profile p (or NULL) and the -c arguments that follow, up to
 * a NULL.  The previous config is freed and the log emptied first.
 */
int
load(const char *p, ...)
{
	char		*ov[16];
	va_list		 ap;
	int		 n = 0;

	va_start(ap, p);
	while (n < 16 && (ov[n] = va_arg(ap, char *)) != NULL)
		n++;
	va_end(ap);
	config_free(&cfg);
	logbuf[0] = errbuf[0] = '\0';
	return config_load(&cfg, home, p, ov, n, errbuf, sizeof(errbuf));
}

static int
rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	if (remove(path) == -1)
		warn("remove %s", path);
	return 0;
}

static void
cleanup(void)
{
	config_free(&cfg);
	if (tmpdir[0] == '/' &&
	    nftw(tmpdir, rm_entry, 16, FTW_DEPTH | FTW_PHYS) == -1)
		warn("nftw %s", tmpdir);
}

static void
setup(void)
{
	int	 n;

	(void)strlcpy(tmpdir, "/tmp/ocodex-config.XXXXXX", sizeof(tmpdir));
	if (mkdtemp(tmpdir) == NULL)
		err(1, "mkdtemp");
	n = snprintf(home, sizeof(home), "%s/codex", tmpdir);
	if (n < 0 || (size_t)n >= sizeof(home))
		errx(1, "path too long");
	n = snprintf(cfgpath, sizeof(cfgpath), "%s/config.toml", home);
	if (n < 0 || (size_t)n >= sizeof(cfgpath))
		errx(1, "path too long");
	if (mkdir(home, 0700) == -1)
		err(1, "mkdir %s", home);
	if (setenv("HOME", tmpdir, 1) == -1 ||
	    setenv("CODEX_HOME", home, 1) == -1 ||
	    setenv("GIT_CONFIG_GLOBAL", "/dev/null", 1) == -1 ||
	    setenv("GIT_CONFIG_NOSYSTEM", "1", 1) == -1 ||
	    unsetenv("CODEX_OSS_PORT") == -1 ||
	    unsetenv("CODEX_OSS_BASE_URL") == -1)
		err(1, "setenv");
	if (chdir(tmpdir) == -1)
		err(1, "chdir");
	memset(&cfg, 0, sizeof(cfg));
	TAILQ_INIT(&cfg.providers);
	log_init(0, "config-test");
	log_setsink(capture);
}

int
main(void)
{
	setup();
	test_defaults();
	test_keys();
	test_layers();
	test_overrides();
	test_errors();
	test_warnings();
	test_providers();
	test_ports();
	test_setters();
	test_example();
	cleanup();
	printf("1..%d\n", ntest);
	return nfail != 0;
}
