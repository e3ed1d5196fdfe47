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
 * rollout-bench: reading a 100 000-line session file back (resume) and
 * listing 10 000 session files, each the median of a few runs.  Prints
 * figures only.
 */

#include <sys/stat.h>

#include <err.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench/bench.h"

#include "agent/rollout.h"

/* A session with n response items, written through the real writer. */
static char *
make_session(const char *home, int n)
{
	struct rollout	*r;
	struct timespec	 ts = { 1795800000, 0 };
	json_t		*meta, *it;
	char		 e[256], *path;
	int		 i;

	meta = json_pack("{s:s, s:s, s:s}", "id",
	    "01a21f00-0000-7000-8000-000000000001", "cwd", "/tmp", "source",
	    "exec");
	if ((r = rollout_create(home, "01a21f00-0000-7000-8000-000000000001",
	    &ts, meta, e, sizeof(e))) == NULL)
		errx(1, "%s", e);
	json_decref(meta);
	rollout_set_syncpolicy(r, ROLLOUT_SYNC_NEVER);
	for (i = 0; i < n; i++) {
		it = json_pack("{s:s, s:s, s:[{s:s, s:s}]}", "type", "message",
		    "role", i % 2 ? "assistant" : "user", "content", "type",
		    i % 2 ? "output_text" : "input_text", "text",
		    "a line of conversation of a typical length, give or take");
		if (rollout_write(r, ROLLOUT_RESPONSE_ITEM, it) == -1)
			errx(1, "rollout_write");
		json_decref(it);
	}
	if ((path = strdup(rollout_path(r))) == NULL)
		err(1, NULL);
	(void)rollout_close(r);
	return path;
}

int
main(int argc, char *argv[])
{
	struct rollout_entries	 list;
	struct rollout_data	 rd;
	struct timespec		 ts;
	double			 v[5], t0;
	char			 home[] = "/tmp/rollout-bench.XXXXXX", e[256];
	char			*path, id[40];
	int			 i, k;

	(void)argc;
	(void)argv;
	if (mkdtemp(home) == NULL)
		err(1, "mkdtemp");
	path = make_session(home, 100000);
	for (k = 0; k < 5; k++) {
		memset(&rd, 0, sizeof(rd));
		t0 = bench_now_ms();
		if (rollout_read(path, &rd, e, sizeof(e)) == -1)
			errx(1, "%s", e);
		v[k] = bench_now_ms() - t0;
		rollout_data_free(&rd);
	}
	bench_sort(v, 5);
	(void)printf("resume of a 100000-line rollout: %.1f ms (median of 5; "
	    "target <= 200 ms)\n", v[2]);
	for (i = 0; i < 10000; i++) {
		struct rollout	*r;
		json_t		*meta;

		(void)snprintf(id, sizeof(id),
		    "01a21f00-0000-7000-8000-%012d", i);
		meta = json_pack("{s:s, s:s, s:s}", "id", id, "cwd", "/tmp",
		    "source", "exec");
		ts.tv_sec = 1795000000 + i * 60;
		ts.tv_nsec = 0;
		if ((r = rollout_create(home, id, &ts, meta, e, sizeof(e))) ==
		    NULL)
			errx(1, "%s", e);
		json_decref(meta);
		rollout_set_syncpolicy(r, ROLLOUT_SYNC_NEVER);
		(void)rollout_close(r);
	}
	for (k = 0; k < 5; k++) {
		TAILQ_INIT(&list);
		t0 = bench_now_ms();
		if (rollout_list(home, NULL, 0, &list) == -1)
			errx(1, "rollout_list");
		v[k] = bench_now_ms() - t0;
		rollout_list_free(&list);
	}
	bench_sort(v, 5);
	(void)printf("listing 10000 session files: %.1f ms (median of 5; "
	    "target <= 300 ms)\n", v[2]);
	free(path);
	(void)fflush(stdout);
	(void)execlp("rm", "rm", "-rf", home, (char *)NULL);
	return 0;
}
