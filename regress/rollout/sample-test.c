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
 * Codex compatibility: the real Codex 0.171 rollout reads, and every line
 * our writer produces has the shape of the same kind of line in it (the
 * keys are a subset of Codex's, and the keys Codex needs are there).
 * The sample lives next to the repository, in ../shared/conformance, or
 * where ROLLOUT_SAMPLE says.
 */

#include <err.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "agent/gitinfo.h"
#include "agent/rollout.h"
#include "regress/rollout/tap.h"

#define SAMPLE	"../shared/conformance/codex-0.171/sample-rollout.jsonl"
#define NSAMPLE	8
#define NSHAPE	8

static void
test_sample(const char *path)
{
	struct rollout_data	 rd;
	const char		*want[] = { "message", "message", "message",
	    "function_call", "function_call_output", "custom_tool_call",
	    "custom_tool_call_output", "message" };
	json_t			*it;
	char			 eb[256];
	size_t			 i;
	int			 ok;

	memset(&rd, 0, sizeof(rd));
	if (!tap_ok(rollout_read(path, &rd, eb, sizeof(eb)) == 0,
	    "the Codex sample reads")) {
		tap_skip(NSAMPLE - 1, eb);
		return;
	}
	tap_ok(strcmp(json_string_value(json_object_get(rd.meta, "id")),
	    "01a21e9f-36ee-7af1-9da9-c89eb41b3d10") == 0, "meta id");
	tap_ok(strcmp(json_string_value(json_object_get(rd.meta, "cwd")),
	    "/tmp/demo/repo-e2e-json") == 0 &&
	    strcmp(json_string_value(json_object_get(rd.meta, "source")),
	    "exec") == 0 &&
	    strcmp(json_string_value(json_object_get(rd.meta,
	    "cli_version")), "0.171.0") == 0, "meta cwd, source, version");
	tap_ok(json_array_size(rd.items) == 8, "8 response items (%zu)",
	    json_array_size(rd.items));
	ok = json_array_size(rd.items) == 8;
	json_array_foreach(rd.items, i, it)
		if (i < 8 && strcmp(json_string_value(json_object_get(it,
		    "type")), want[i]) != 0)
			ok = 0;
	tap_ok(ok, "item types in order");
	tap_ok(rd.nevent == 10 && rd.nturn == 1 && rd.nunknown == 4 &&
	    rd.nbad == 0 && !rd.torn && rd.nlines == 24,
	    "line counts: 10 events, 1 turn_context, 4 unknown");
	tap_ok(strcmp(json_string_value(json_object_get(rd.turn_context,
	    "model")), "mock-model") == 0, "last turn_context");
	tap_ok(strcmp(json_string_value(json_object_get(json_array_get(
	    rd.items, 7), "role")), "assistant") == 0, "last item assistant");
	rollout_data_free(&rd);
}

/* The kind of a line: its type, and for events and items theirs. */
static void
kind_of(json_t *line, char *buf, size_t len)
{
	const char	*t, *pt;

	t = json_string_value(json_object_get(line, "type"));
	pt = json_string_value(json_object_get(json_object_get(line,
	    "payload"), "type"));
	if (t != NULL && (strcmp(t, ROLLOUT_EVENT_MSG) == 0 ||
	    strcmp(t, ROLLOUT_RESPONSE_ITEM) == 0) && pt != NULL)
		(void)snprintf(buf, len, "%s/%s", t, pt);
	else
		(void)snprintf(buf, len, "%s", t != NULL ? t : "?");
}

static int
keys_subset(json_t *ours, json_t *theirs, const char *what, const char *kind)
{
	const char	*k;
	json_t		*v;
	int		 ok = 1;

	json_object_foreach(ours, k, v)
		if (json_object_get(theirs, k) == NULL) {
			printf("# %s %s: key %s not in the sample\n", kind, what,
			    k);
			ok = 0;
		}
	return ok;
}

/* Keys Codex cannot do without, by kind. */
static int
has_required(json_t *payload, const char *kind)
{
	const char	*req[][8] = {
	    { "session_meta", "id", "timestamp", "cwd", "originator",
	      "cli_version", "source", NULL },
	    { "turn_context", "cwd", "approval_policy", "sandbox_policy",
	      "model", "summary", NULL },
	    { "event_msg/token_count", "type", "info", NULL },
	    { "event_msg/task_started", "type", "turn_id", NULL },
	    { "event_msg/task_complete", "type", "turn_id",
	      "last_agent_message", NULL },
	    { "response_item/message", "type", "role", "content", NULL },
	    { "response_item/function_call", "type", "name", "arguments",
	      "call_id", NULL },
	    { "response_item/function_call_output", "type", "call_id",
	      "output", NULL } };
	size_t		 i, j;

	for (i = 0; i < sizeof(req) / sizeof(req[0]); i++) {
		if (strcmp(req[i][0], kind) != 0)
			continue;
		for (j = 1; j < 8 && req[i][j] != NULL; j++)
			if (json_object_get(payload, req[i][j]) == NULL)
				return 0;
	}
	return 1;
}

static json_t *
find_kind(json_t *lines, const char *kind)
{
	json_t	*l;
	size_t	 i;
	char	 k[128];

	json_array_foreach(lines, i, l) {
		kind_of(l, k, sizeof(k));
		if (strcmp(k, kind) == 0)
			return l;
	}
	return NULL;
}

static void
write_ours(const char *home, char *path, size_t len)
{
	struct rollout_usage	 u = { 100, 0, 20, 0, 120 };
	struct rollout_turn	 tc = { NULL, "/w", "never", NULL, "m", NULL,
	    "none" };
	struct gitinfo		 gi = { NULL, NULL, NULL };
	struct rollout_meta	 m = { "01a21e9f-0000-7000-8000-00000000aaaa",
	    NULL, "/w", "codex_exec", "0.1.0", "exec", "mock", "base", &gi };
	struct rollout		*r;
	json_t			*meta, *p[6];
	char			 eb[256];
	size_t			 i;

	if ((meta = rollout_session_meta(&m)) == NULL ||
	    (r = rollout_create(home, m.id, NULL, meta, eb, sizeof(eb))) ==
	    NULL)
		errx(1, "create %s", eb);
	tc.sandbox_policy = rollout_sandbox_policy("workspace-write", NULL, 0,
	    0, 0, 0);
	p[0] = rollout_ev_task_started("t1", 258400);
	p[1] = rollout_turn_context(&tc);
	p[2] = json_pack("{s:s, s:s, s:s, s:s}", "type", "function_call",
	    "name", "exec_command", "arguments", "{}", "call_id", "c");
	p[3] = json_pack("{s:s, s:s, s:s}", "type", "function_call_output",
	    "call_id", "c", "output", "x");
	p[4] = rollout_ev_token_count(&u, &u, 258400);
	p[5] = rollout_ev_task_complete("t1", "done");
	for (i = 0; i < 6; i++)
		if (p[i] == NULL || rollout_write(r, i == 1 ?
		    ROLLOUT_TURN_CONTEXT : (i == 2 || i == 3) ?
		    ROLLOUT_RESPONSE_ITEM : ROLLOUT_EVENT_MSG, p[i]) == -1)
			errx(1, "write %zu", i);
	strlcpy(path, rollout_path(r), len);
	for (i = 0; i < 6; i++)
		json_decref(p[i]);
	json_decref(tc.sandbox_policy);
	json_decref(meta);
	rollout_close(r);
}

static void
test_shapes(const char *sample, const char *home)
{
	json_t		*theirs, *ours, *l, *t;
	char		 path[PATH_MAX], kind[128];
	size_t		 i;
	int		 ok;

	write_ours(home, path, sizeof(path));
	theirs = tap_lines(sample);
	ours = tap_lines(path);
	json_array_foreach(ours, i, l) {
		kind_of(l, kind, sizeof(kind));
		if ((t = find_kind(theirs, kind)) == NULL) {
			tap_ok(0, "%s: no such line in the sample", kind);
			continue;
		}
		ok = keys_subset(l, t, "line", kind);
		ok &= keys_subset(json_object_get(l, "payload"),
		    json_object_get(t, "payload"), "payload", kind);
		ok &= has_required(json_object_get(l, "payload"), kind);
		tap_ok(ok, "%s has the sample's shape", kind);
	}
	/* git {} when nothing is known, as in the sample. */
	tap_ok(json_equal(json_object_get(json_object_get(json_array_get(ours,
	    0), "payload"), "git"), json_object_get(json_object_get(
	    json_array_get(theirs, 0), "payload"), "git")), "empty git object");
	printf("# %zu of our lines compared\n", json_array_size(ours));
	json_decref(theirs);
	json_decref(ours);
}

int
main(void)
{
	const char	*sample = getenv("ROLLOUT_SAMPLE");
	char		*tmp, home[1024];

	if (sample == NULL)
		sample = SAMPLE;
	tmp = tap_tmpdir();
	tap_hermetic(tmp);
	(void)snprintf(home, sizeof(home), "%s/codex-home", tmp);
	tap_plan(NSAMPLE + NSHAPE);
	if (access(sample, R_OK) == -1) {
		tap_skip(NSAMPLE + NSHAPE, "no Codex sample rollout");
	} else {
		test_sample(sample);
		test_shapes(sample, home);
	}
	tap_rmtree(tmp);
	free(tmp);
	return tap_done();
}
