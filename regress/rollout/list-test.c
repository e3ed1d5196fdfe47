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

/* Listing sessions newest first by cwd, and finding one by id. */

#include <err.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "agent/rollout.h"
#include "regress/rollout/tap.h"

static char	 home[1024];

static void
make(const char *id, time_t t, const char *cwd)
{
	struct timespec	 now = { t, 0 };
	struct rollout	*r;
	json_t		*meta;
	char		 eb[256];

	meta = tap_meta(id, cwd);
	if ((r = rollout_create(home, id, &now, meta, eb, sizeof(eb))) == NULL)
		errx(1, "%s", eb);
	json_decref(meta);
	if (rollout_close(r) == -1)
		err(1, "close");
}

static size_t
ids(struct rollout_entries *l, char *out, size_t len)
{
	struct rollout_entry	*e;
	size_t			 n = 0;

	out[0] = '\0';
	TAILQ_FOREACH(e, l, entry) {
		strlcat(out, e->id + 34, len);
		n++;
	}
	return n;
}

int
main(void)
{
	struct rollout_entries	 l;
	char			*tmp, got[256], path[PATH_MAX], eb[256];

	tmp = tap_tmpdir();
	tap_hermetic(tmp);
	(void)snprintf(home, sizeof(home), "%s/codex-home", tmp);
	setenv("TZ", "UTC0", 1);
	tzset();
	tap_plan(10);
	tap_ok(rollout_list(home, NULL, 0, &l) == 0 && TAILQ_EMPTY(&l),
	    "no sessions directory: empty list");
	/* Across years, months and days, and two in the same second. */
	make("01a21e9f-0000-7000-8000-0000000000a1", 1700000000, "/a");
	make("01a21e9f-0000-7000-8000-0000000000b2", 1790000000, "/b");
	make("01a21e9f-0000-7000-8000-0000000000a3", 1795000000, "/a");
	make("01a21e9f-0000-7000-8000-0000000000a4", 1795000000, "/a");
	make("01a21e9f-1111-7000-8000-0000000000c5", 1795100000, "/c");

	tap_ok(rollout_list(home, NULL, 0, &l) == 0 &&
	    ids(&l, got, sizeof(got)) == 5 && strcmp(got, "c5a4a3b2a1") == 0,
	    "all, newest first: %s", got);
	tap_ok(strcmp(TAILQ_FIRST(&l)->cwd, "/c") == 0 &&
	    strcmp(TAILQ_FIRST(&l)->source, "exec") == 0 &&
	    strcmp(TAILQ_FIRST(&l)->stamp, "2026-11-19T14-53-20") == 0,
	    "entry cwd, source and stamp");
	rollout_list_free(&l);
	tap_ok(rollout_list(home, "/a", 0, &l) == 0 &&
	    ids(&l, got, sizeof(got)) == 3 && strcmp(got, "a4a3a1") == 0,
	    "by cwd: %s", got);
	rollout_list_free(&l);
	tap_ok(rollout_list(home, "/a", 1, &l) == 0 &&
	    ids(&l, got, sizeof(got)) == 1 && strcmp(got, "a4") == 0,
	    "--last: %s", got);
	rollout_list_free(&l);

	tap_ok(rollout_find(home, "01a21e9f-0000-7000-8000-0000000000b2", path,
	    sizeof(path), eb, sizeof(eb)) == 0 &&
	    strstr(path, "/2026/09/21/") != NULL, "find by full id: %s", path);
	tap_ok(rollout_find(home, "01A21E9F-1", path, sizeof(path), eb,
	    sizeof(eb)) == 0 && strstr(path, "c5.jsonl") != NULL,
	    "find by unique prefix");
	tap_ok(rollout_find(home, "01a21e9f-0000", path, sizeof(path), eb,
	    sizeof(eb)) == -1 && strstr(eb, "ambiguous") != NULL,
	    "ambiguous prefix: %s", eb);
	tap_ok(rollout_find(home, "ffff", path, sizeof(path), eb,
	    sizeof(eb)) == -1 && strstr(eb, "no session") != NULL,
	    "unknown id: %s", eb);
	tap_ok(rollout_find(home, "../x", path, sizeof(path), eb,
	    sizeof(eb)) == -1, "not an id: %s", eb);
	tap_rmtree(tmp);
	free(tmp);
	return tap_done();
}
