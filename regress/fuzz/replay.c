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
 * Run every stored fuzz input through its harness, without libFuzzer:
 * the seed corpora (regress/fuzz/corpus/NAME/) and the inputs that once
 * broke something (regress/fuzz/crashes/NAME/).  A harness abort()s on
 * a broken invariant, which ends this program and fails the test.
 * TAP output, run from the top of the tree.
 */

#include <sys/types.h>
#include <sys/stat.h>

#include <dirent.h>
#include <err.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "regress/fuzz/fuzz.h"

#define INPUT_MAX	(4 * 1024 * 1024)

static const struct {
	const char	*name;
	int		(*fn)(const uint8_t *, size_t);
} harnesses[] = {
	{ "sse",	fuzz_sse },
	{ "responses",	fuzz_responses },
	{ "chat",	fuzz_chat },
	{ "sanitize",	fuzz_sanitize },
	{ "mcp",	fuzz_mcp },
	{ "imsg",	fuzz_imsg },
	{ "patch",	fuzz_patch },
	{ "toml",	fuzz_toml },
	{ "rollout",	fuzz_rollout }
};

static int	 run_file(int (*)(const uint8_t *, size_t), const char *);
static int	 run_dir(int (*)(const uint8_t *, size_t), const char *);

/* Return 0 when the harness ran, -1 if the file could not be read. */
static int
run_file(int (*fn)(const uint8_t *, size_t), const char *path)
{
	struct stat	 sb;
	uint8_t		*buf;
	ssize_t		 n;
	int		 fd;

	if ((fd = open(path, O_RDONLY)) == -1)
		return -1;
	if (fstat(fd, &sb) == -1 || !S_ISREG(sb.st_mode) ||
	    sb.st_size > INPUT_MAX) {
		(void)close(fd);
		return -1;
	}
	/* A copy of exactly the file's size, so ASan sees any overread. */
	if ((buf = malloc(sb.st_size > 0 ? sb.st_size : 1)) == NULL)
		err(1, NULL);
	n = read(fd, buf, sb.st_size);
	(void)close(fd);
	if (n != sb.st_size) {
		free(buf);
		return -1;
	}
	(void)fn(buf, sb.st_size);
	free(buf);
	return 0;
}

/* The number of inputs run, or -1 when the directory is missing. */
static int
run_dir(int (*fn)(const uint8_t *, size_t), const char *dir)
{
	DIR		*d;
	struct dirent	*de;
	char		 path[1024];
	int		 n = 0, len;

	if ((d = opendir(dir)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		len = snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (len < 0 || (size_t)len >= sizeof(path))
			errx(1, "%s/%s: path too long", dir, de->d_name);
		if (run_file(fn, path) == -1)
			err(1, "%s", path);
		n++;
	}
	(void)closedir(d);
	return n;
}

int
main(void)
{
	char	 dir[256];
	size_t	 i;
	int	 n, t = 0;

	(void)printf("1..%zu\n", 2 * (sizeof(harnesses) /
	    sizeof(harnesses[0])));
	for (i = 0; i < sizeof(harnesses) / sizeof(harnesses[0]); i++) {
		(void)snprintf(dir, sizeof(dir), "regress/fuzz/corpus/%s",
		    harnesses[i].name);
		n = run_dir(harnesses[i].fn, dir);
		(void)printf("%sok %d - %s: %d seed inputs\n", n > 0 ? "" :
		    "not ", ++t, harnesses[i].name, n);
		(void)snprintf(dir, sizeof(dir), "regress/fuzz/crashes/%s",
		    harnesses[i].name);
		n = run_dir(harnesses[i].fn, dir);
		(void)printf("ok %d - %s: %d former crashes%s\n", ++t,
		    harnesses[i].name, n < 0 ? 0 : n, n < 0 ? " # skip none" :
		    "");
		(void)fflush(stdout);
	}
	return 0;
}
