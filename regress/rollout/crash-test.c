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
 * Crash safety.  A child appends numbered items as fast as it can (some
 * large, so that a kill can land inside a multi-page write) and reports
 * each one the kernel accepted on a pipe; it is SIGKILLed at a random
 * moment.  Every reported item must then read back, in order, once, with
 * at most one more that was written but not yet reported, and resuming
 * must go on from there.  Twenty seeded rounds.
 */

#include <sys/wait.h>

#include <err.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "agent/rollout.h"
#include "regress/rollout/tap.h"

#define ROUNDS	20

static char	 home[1024];

static json_t *
item(long n)
{
	static char	 pad[200001];
	size_t		 len = (n % 7 == 3) ? sizeof(pad) - 1 : (size_t)(n % 50);

	memset(pad, 'p', len);
	pad[len] = '\0';
	return json_pack("{s:s, s:I, s:s}", "type", "test_item", "n",
	    (json_int_t)n, "pad", pad);
}

static __dead void
writer(const char *id, int fd)
{
	struct rollout	*r;
	json_t		*meta, *it;
	char		 eb[256];
	long		 n;

	meta = tap_meta(id, "/crash");
	if ((r = rollout_create(home, id, NULL, meta, eb, sizeof(eb))) == NULL)
		errx(1, "%s", eb);
	rollout_set_syncpolicy(r, ROLLOUT_SYNC_NEVER);
	for (n = 0;; n++) {
		it = item(n);
		if (rollout_write(r, ROLLOUT_RESPONSE_ITEM, it) == -1)
			err(1, "write");
		json_decref(it);
		if (write(fd, &n, sizeof(n)) != sizeof(n))
			err(1, "report");
	}
}

/* Items 0..k in order, each once; returns k + 1, or -1. */
static long
count_items(json_t *items)
{
	json_t	*it;
	size_t	 i;

	json_array_foreach(items, i, it)
		if (json_integer_value(json_object_get(it, "n")) !=
		    (json_int_t)i)
			return -1;
	return (long)json_array_size(items);
}

static int
round_ok(int seed, const char *id)
{
	struct rollout_data	 rd;
	struct rollout		*r;
	json_t			*it;
	char			 path[PATH_MAX], eb[256];
	long			 n, last = -1, got, after;
	ssize_t			 m;
	pid_t			 pid;
	int			 p[2], status;

	srandom(seed);
	if (pipe(p) == -1 || (pid = fork()) == -1)
		err(1, "pipe/fork");
	if (pid == 0) {
		close(p[0]);
		writer(id, p[1]);
	}
	close(p[1]);
	usleep(2000 + random() % 30000);
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	while ((m = read(p[0], &n, sizeof(n))) == sizeof(n))
		last = n;
	close(p[0]);
	if (rollout_find(home, id, path, sizeof(path), eb, sizeof(eb)) == -1)
		return last == -1;	/* killed before the file existed */
	memset(&rd, 0, sizeof(rd));
	if (rollout_read(path, &rd, eb, sizeof(eb)) == -1)
		return last == -1;	/* killed inside the first line */
	got = count_items(rd.items);
	rollout_data_free(&rd);
	if (got < last + 1 || got > last + 2) {
		printf("# seed %d: reported %ld, read %ld\n", seed, last + 1,
		    got);
		return 0;
	}
	/* Resume and add one: it follows the survivors, nothing repeats. */
	if ((r = rollout_open_append(path, eb, sizeof(eb))) == NULL)
		return 0;
	it = item(got);
	rollout_write(r, ROLLOUT_RESPONSE_ITEM, it);
	json_decref(it);
	rollout_close(r);
	if (rollout_read(path, &rd, eb, sizeof(eb)) == -1)
		return 0;
	after = count_items(rd.items);
	rollout_data_free(&rd);
	printf("# seed %d: %ld items reported, %ld read%s\n", seed, last + 1,
	    got, rd.torn ? " (torn tail)" : "");
	return after == got + 1;
}

int
main(void)
{
	char	*tmp, id[64];
	int	 i;

	tmp = tap_tmpdir();
	tap_hermetic(tmp);
	(void)snprintf(home, sizeof(home), "%s/codex-home", tmp);
	tap_plan(ROUNDS);
	for (i = 0; i < ROUNDS; i++) {
		(void)snprintf(id, sizeof(id),
		    "01a21e9f-0000-7000-8000-%012d", i);
		tap_ok(round_ok(i + 1, id), "kill -9 round %d", i + 1);
	}
	tap_rmtree(tmp);
	free(tmp);
	return tap_done();
}
