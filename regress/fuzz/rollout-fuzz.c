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
 * The rollout reader (agent/rollout-read.c), which only reads files: the
 * input is written to a memfd and read through /proc/self/fd.  A file
 * that is refused must say why and leave nothing behind; an accepted one
 * has a session_meta object and an item array, every line is counted
 * exactly once (used, blank, bad or a torn last line), only the last
 * line can be torn, each bad or torn line is warned about once, and the
 * line types add up to no more than the lines used.
 */

#include <sys/mman.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "agent/rollout.h"
#include "regress/fuzz/fuzz.h"

static void	 fail(const char *);
static void	 on_warn(void *, const char *);
static size_t	 count_lines(const uint8_t *, size_t);
static void	 check(const struct rollout_data *, size_t, size_t);

static void
fail(const char *why)
{
	(void)fprintf(stderr, "rollout-fuzz: %s\n", why);
	abort();
}

static void
on_warn(void *arg, const char *msg)
{
	size_t	*n = arg;

	if (msg == NULL || *msg == '\0')
		fail("empty warning");
	(*n)++;
}

/* Lines as the reader cuts them: a final newline ends no extra line. */
static size_t
count_lines(const uint8_t *buf, size_t len)
{
	size_t	 i, n = 0;

	for (i = 0; i < len; i++)
		if (buf[i] == '\n')
			n++;
	if (len > 0 && buf[len - 1] != '\n')
		n++;
	return n;
}

static void
check(const struct rollout_data *rd, size_t lines, size_t warnings)
{
	if (!json_is_object(rd->meta) || !json_is_array(rd->items))
		fail("accepted without meta or items");
	if (rd->nlines == 0 || rd->torn > 1)
		fail("impossible counts");
	if (rd->nlines + rd->nblank + rd->nbad + rd->torn != lines)
		fail("lines not counted exactly once");
	if (rd->nbad + rd->torn != warnings)
		fail("a bad line without its warning");
	if (rd->nresponse + rd->nevent + rd->nturn + rd->ncompacted +
	    rd->nunknown > rd->nlines)
		fail("more typed lines than lines");
	if (rd->turn_context != NULL && !json_is_object(rd->turn_context))
		fail("turn context is not an object");
}

int
fuzz_rollout(const uint8_t *buf, size_t len)
{
	struct rollout_data	 rd;
	char			 path[64], err[512];
	size_t			 off = 0, warnings = 0;
	ssize_t			 n;
	int			 fd, rv;

	if ((fd = memfd_create("rollout-fuzz", MFD_CLOEXEC)) == -1)
		fail("memfd_create");
	while (off < len) {
		if ((n = write(fd, buf + off, len - off)) <= 0)
			fail("write");
		off += n;
	}
	(void)snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	memset(&rd, 0, sizeof(rd));
	rd.warn = on_warn;
	rd.warnarg = &warnings;
	err[0] = '\0';
	rv = rollout_read(path, &rd, err, sizeof(err));
	(void)close(fd);
	if (rv == -1) {
		if (err[0] == '\0' || rd.meta != NULL || rd.items != NULL ||
		    rd.turn_context != NULL)
			fail("refused without a reason, or not cleaned up");
		return 0;
	}
	check(&rd, count_lines(buf, len), warnings);
	rollout_data_free(&rd);
	return 0;
}

#ifdef FUZZ_LIBFUZZER
int
LLVMFuzzerTestOneInput(const uint8_t *buf, size_t len)
{
	return fuzz_rollout(buf, len);
}
#endif
