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
 * The rollout writer and reader: file name and modes, a round trip,
 * ordinals and timestamps, append on resume, compaction, a torn last
 * line, blank lines and unknown types, a file that is not a rollout,
 * O_NOFOLLOW, a short write undone, and the fsync policy.
 */

#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "agent/rollout.h"
#include "regress/rollout/tap.h"

#define ID1	"01a21e9f-36ee-7af1-9da9-c89eb41b3d10"

static char	*tmp, home[1024];
static int	 nwarn;

static void
count_warn(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
	nwarn++;
}

/* Write one line and drop the payload reference. */
static int
put(struct rollout *r, const char *type, json_t *payload)
{
	int	 rv;

	if (payload == NULL)
		errx(1, "payload");
	rv = rollout_write(r, type, payload);
	json_decref(payload);
	return rv;
}

static int
mode_of(const char *path)
{
	struct stat	 sb;

	if (lstat(path, &sb) == -1)
		return -1;
	return sb.st_mode & 07777;
}

static struct rollout *
make_session(const char *id, time_t t, json_t **items)
{
	struct timespec	 now = { t, 123456789 };
	struct rollout	*r;
	json_t		*meta, *sp, *it;
	size_t		 i;
	struct rollout_turn tc = { "turn-1", "/work/x", "on-request", NULL,
	    "gpt-5", "medium", "auto" };
	char		 eb[256];

	meta = tap_meta(id, "/work/x");
	if ((r = rollout_create(home, id, &now, meta, eb, sizeof(eb))) == NULL)
		errx(1, "rollout_create: %s", eb);
	json_decref(meta);
	sp = rollout_sandbox_policy("workspace-write", NULL, 0, 0, 0, 0);
	tc.sandbox_policy = sp;
	*items = json_pack("[o, o, {s:s, s:s, s:s, s:s}, {s:s, s:s, s:s}]",
	    tap_message("user", "hello"), tap_message("assistant", "hi"),
	    "type", "function_call", "name", "shell", "arguments", "{}",
	    "call_id", "c1", "type", "function_call_output", "call_id", "c1",
	    "output", "ok");
	if (put(r, ROLLOUT_EVENT_MSG, rollout_ev_task_started("turn-1",
	    1000)) == -1 || put(r, ROLLOUT_TURN_CONTEXT,
	    rollout_turn_context(&tc)) == -1 ||
	    put(r, ROLLOUT_EVENT_MSG, rollout_ev_user_message("hello")) == -1)
		err(1, "rollout_write");
	json_decref(sp);
	json_array_foreach(*items, i, it)
		if (rollout_write(r, ROLLOUT_RESPONSE_ITEM, it) == -1)
			err(1, "rollout_write");
	if (put(r, ROLLOUT_EVENT_MSG, rollout_ev_task_complete("turn-1",
	    "hi")) == -1)
		err(1, "rollout_write");
	return r;
}

static void
test_create_and_modes(void)
{
	struct rollout	*r;
	json_t		*items;
	char		 want[PATH_MAX], dir[PATH_MAX];

	/* 1795810080 is 2026-11-27T20:08:00Z, 01:38 the next day at +5:30. */
	r = make_session(ID1, 1795810080, &items);
	(void)snprintf(want, sizeof(want), "%s/sessions/2026/11/28/"
	    "rollout-2026-11-28T01-38-00-%s.jsonl", home, ID1);
	tap_ok(strcmp(rollout_path(r), want) == 0,
	    "file named by local time: %s", rollout_path(r));
	tap_ok(mode_of(want) == 0600, "file mode 0600 (%o)", mode_of(want));
	(void)snprintf(dir, sizeof(dir), "%s/sessions/2026/11/28", home);
	tap_ok(mode_of(dir) == 0700 && mode_of(home) == 0700,
	    "directories 0700 (%o)", mode_of(dir));
	tap_ok(rollout_close(r) == 0, "close");
	json_decref(items);
}

static void
check_lines(const char *path, size_t n)
{
	json_t		*lines, *l;
	const char	*ts;
	size_t		 i;
	int		 ok = 1;

	lines = tap_lines(path);
	json_array_foreach(lines, i, l) {
		ts = json_string_value(json_object_get(l, "timestamp"));
		if (ts == NULL || strlen(ts) != 24 || ts[10] != 'T' ||
		    ts[19] != '.' || ts[23] != 'Z' ||
		    json_integer_value(json_object_get(l, "ordinal")) !=
		    (json_int_t)i || json_object_size(l) != 4)
			ok = 0;
	}
	tap_ok(ok && json_array_size(lines) == n,
	    "%zu lines, UTC millisecond timestamps, ordinals in order", n);
	json_decref(lines);
}

static void
test_round_trip(void)
{
	struct rollout_data	 rd;
	struct rollout		*r;
	json_t			*items, *more;
	char			 path[PATH_MAX], eb[256];
	const char		*model;

	r = make_session("01a21e9f-0000-7000-8000-000000000002", 1795900000,
	    &items);
	strlcpy(path, rollout_path(r), sizeof(path));
	rollout_close(r);
	memset(&rd, 0, sizeof(rd));
	tap_ok(rollout_read(path, &rd, eb, sizeof(eb)) == 0, "read back");
	tap_ok(json_equal(rd.items, items), "items read back as written");
	model = json_string_value(json_object_get(rd.turn_context, "model"));
	tap_ok(model != NULL && strcmp(model, "gpt-5") == 0 &&
	    strcmp(json_string_value(json_object_get(rd.meta, "id")),
	    "01a21e9f-0000-7000-8000-000000000002") == 0,
	    "meta and turn_context");
	tap_ok(rd.nlines == 9 && rd.nresponse == 4 && rd.nevent == 3 &&
	    rd.nturn == 1 && rd.nunknown == 0 && !rd.torn, "counts");
	rollout_data_free(&rd);
	check_lines(path, 9);

	/* Resume: append to the same file, ordinals go on. */
	if ((r = rollout_open_append(path, eb, sizeof(eb))) == NULL)
		errx(1, "open_append: %s", eb);
	more = tap_message("user", "again");
	tap_ok(rollout_write(r, ROLLOUT_RESPONSE_ITEM, more) == 0 &&
	    rollout_repaired(r) == 0, "append after resume");
	rollout_close(r);
	json_array_append_new(items, more);
	check_lines(path, 10);
	tap_ok(rollout_read(path, &rd, eb, sizeof(eb)) == 0 &&
	    json_equal(rd.items, items), "appended item read back");
	rollout_data_free(&rd);
	json_decref(items);
}

static void
test_compacted(void)
{
	struct rollout_data	 rd;
	struct rollout		*r;
	json_t			*items, *repl, *want;
	char			 path[PATH_MAX], eb[256];

	r = make_session("01a21e9f-0000-7000-8000-000000000003", 1795900100,
	    &items);
	repl = json_pack("[o, o]", tap_message("user", "hello"),
	    tap_message("user", "SUMMARY"));
	put(r, ROLLOUT_COMPACTED, rollout_compacted("SUMMARY", repl));
	put(r, ROLLOUT_EVENT_MSG, rollout_ev_context_compacted());
	put(r, ROLLOUT_RESPONSE_ITEM, tap_message("assistant", "after"));
	strlcpy(path, rollout_path(r), sizeof(path));
	rollout_close(r);
	want = json_copy(repl);
	json_array_append_new(want, tap_message("assistant", "after"));
	tap_ok(rollout_read(path, &rd, eb, sizeof(eb)) == 0 &&
	    json_equal(rd.items, want) && rd.ncompacted == 1,
	    "compacted replaces the history before it");
	rollout_data_free(&rd);
	json_decref(want);

	/* An old-style compacted line has only the summary. */
	if ((r = rollout_open_append(path, eb, sizeof(eb))) == NULL)
		errx(1, "%s", eb);
	put(r, ROLLOUT_COMPACTED, rollout_compacted("S2", NULL));
	rollout_close(r);
	want = json_pack("[o, o, o]", tap_message("user", "hello"),
	    tap_message("user", "SUMMARY"), tap_message("user", "S2"));
	tap_ok(rollout_read(path, &rd, eb, sizeof(eb)) == 0 &&
	    json_equal(rd.items, want), "legacy compacted keeps user messages");
	rollout_data_free(&rd);
	json_decref(want);
	json_decref(repl);
	json_decref(items);
}

static off_t
size_of(const char *path)
{
	struct stat	 sb;

	if (stat(path, &sb) == -1)
		err(1, "%s", path);
	return sb.st_size;
}

static void
test_torn(void)
{
	struct rollout_data	 rd;
	struct rollout		*r;
	json_t			*items;
	char			 path[PATH_MAX], eb[256];
	off_t			 sz;

	r = make_session("01a21e9f-0000-7000-8000-000000000004", 1795900200,
	    &items);
	put(r, ROLLOUT_RESPONSE_ITEM, tap_message("assistant", "lost"));
	strlcpy(path, rollout_path(r), sizeof(path));
	rollout_close(r);
	sz = size_of(path);
	if (truncate(path, sz - 20) == -1)
		err(1, "truncate");
	memset(&rd, 0, sizeof(rd));
	rd.warn = count_warn;
	nwarn = 0;
	tap_ok(rollout_read(path, &rd, eb, sizeof(eb)) == 0 && rd.torn &&
	    nwarn == 1 && json_equal(rd.items, items),
	    "torn last line skipped with a warning");
	rollout_data_free(&rd);

	if ((r = rollout_open_append(path, eb, sizeof(eb))) == NULL)
		errx(1, "%s", eb);
	tap_ok(rollout_repaired(r) > 0, "resume cuts the torn tail (%zu bytes)",
	    rollout_repaired(r));
	put(r, ROLLOUT_RESPONSE_ITEM, tap_message("assistant", "kept"));
	rollout_close(r);
	json_array_append_new(items, tap_message("assistant", "kept"));
	nwarn = 0;
	tap_ok(rollout_read(path, &rd, eb, sizeof(eb)) == 0 && !rd.torn &&
	    nwarn == 0 && json_equal(rd.items, items),
	    "the next line after a repair is whole");
	rollout_data_free(&rd);
	check_lines(path, 10);

	/* Only the newline lost: the line is kept and the newline added. */
	sz = size_of(path);
	if (truncate(path, sz - 1) == -1)
		err(1, "truncate");
	tap_ok(rollout_read(path, &rd, eb, sizeof(eb)) == 0 && !rd.torn &&
	    json_equal(rd.items, items), "a line without its newline is kept");
	rollout_data_free(&rd);
	if ((r = rollout_open_append(path, eb, sizeof(eb))) == NULL)
		errx(1, "%s", eb);
	rollout_close(r);
	tap_ok(size_of(path) == sz, "resume restores the newline");
	json_decref(items);
}

static void
test_tolerant(void)
{
	struct rollout_data	 rd;
	char			 path[PATH_MAX], eb[256];
	int			 rv;

	(void)snprintf(path, sizeof(path), "%s/odd.jsonl", tmp);
	tap_write(path,
	    "{\"timestamp\":\"t\",\"type\":\"session_meta\",\"payload\":"
	    "{\"id\":\"x\",\"cwd\":\"/\"}}\n"
	    "\n  \n"
	    "{\"timestamp\":\"t\",\"type\":\"world_state\",\"payload\":{}}\n"
	    "{\"timestamp\":\"t\",\"type\":\"response_item\",\"payload\":"
	    "{\"type\":\"message\",\"role\":\"user\",\"content\":[]}}\n"
	    "not json\n"
	    "{\"timestamp\":\"t\",\"type\":\"response_item\",\"payload\":"
	    "{\"type\":\"message\",\"role\":\"assistant\",\"content\":[]}}\n");
	memset(&rd, 0, sizeof(rd));
	rv = rollout_read(path, &rd, eb, sizeof(eb));
	tap_ok(rv == 0 && rd.nblank == 2 && rd.nunknown == 1 && rd.nbad == 1 &&
	    json_array_size(rd.items) == 2,
	    "blank lines, unknown types and a bad line skipped");
	if (rv == 0)
		rollout_data_free(&rd);

	tap_write(path, "{\"timestamp\":\"t\",\"type\":\"response_item\","
	    "\"payload\":{\"type\":\"message\"}}\n");
	eb[0] = '\0';
	tap_ok(rollout_read(path, &rd, eb, sizeof(eb)) == -1 &&
	    strstr(eb, "session_meta") != NULL && rd.items == NULL,
	    "first line not session_meta rejected: %s", eb);
	tap_write(path, "");
	tap_ok(rollout_read(path, &rd, eb, sizeof(eb)) == -1,
	    "empty file rejected: %s", eb);
}

static void
test_nofollow(void)
{
	struct timespec	 now = { 1795900300, 0 };
	struct rollout	*r;
	json_t		*meta;
	char		 target[PATH_MAX], link[PATH_MAX], eb[256];
	const char	*id = "01a21e9f-0000-7000-8000-000000000005";

	(void)snprintf(target, sizeof(target), "%s/target", tmp);
	(void)snprintf(link, sizeof(link), "%s/link.jsonl", tmp);
	tap_write(target, "");
	if (symlink(target, link) == -1)
		err(1, "symlink");
	r = rollout_open_append(link, eb, sizeof(eb));
	tap_ok(r == NULL && errno == ELOOP, "resume refuses a symlink: %s",
	    eb);

	/* A symlink planted where the new file goes is not followed. */
	r = make_session(id, 1795900300, &meta);
	unlink(link);
	strlcpy(link, rollout_path(r), sizeof(link));
	rollout_close(r);
	json_decref(meta);
	meta = tap_meta(id, "/");
	if (unlink(link) == -1 || symlink(target, link) == -1)
		err(1, "plant symlink %s", link);
	r = rollout_create(home, id, &now, meta, eb, sizeof(eb));
	tap_ok(r == NULL && size_of(target) == 0,
	    "create does not follow a planted symlink: %s", eb);
	json_decref(meta);
}

/*
 * RLIMIT_FSIZE makes the kernel take only part of a line.  The writer
 * must undo the part and report the error; run in a child so the limit
 * stays there.
 */
static void
test_short_write(void)
{
	struct rollout	*r;
	struct rlimit	 rl;
	json_t		*items, *big;
	char		 path[PATH_MAX], eb[256], *text;
	off_t		 before;
	pid_t		 pid;
	int		 status;

	r = make_session("01a21e9f-0000-7000-8000-000000000006", 1795900400,
	    &items);
	strlcpy(path, rollout_path(r), sizeof(path));
	rollout_close(r);
	before = size_of(path);
	if ((pid = fork()) == -1)
		err(1, "fork");
	if (pid == 0) {
		signal(SIGXFSZ, SIG_IGN);
		rl.rlim_cur = rl.rlim_max = before + 1000;
		if (setrlimit(RLIMIT_FSIZE, &rl) == -1)
			_exit(2);
		if ((r = rollout_open_append(path, eb, sizeof(eb))) == NULL)
			_exit(3);
		if ((text = calloc(1, 5000)) == NULL)
			_exit(4);
		memset(text, 'x', 4999);
		big = tap_message("assistant", text);
		if (rollout_write(r, ROLLOUT_RESPONSE_ITEM, big) != -1)
			_exit(5);
		json_decref(big);
		free(text);
		json_decref(items);
		/* A line after the gap is refused: no hole in the history. */
		if (put(r, ROLLOUT_RESPONSE_ITEM,
		    tap_message("assistant", "small")) != -1)
			_exit(6);
		if (rollout_lost(r) != 2)
			_exit(8);
		_exit(rollout_close(r) == 0 ? 0 : 7);
	}
	if (waitpid(pid, &status, 0) == -1)
		err(1, "waitpid");
	tap_ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "a short write is reported, and no line is written after it "
	    "(child status %d)", status);
	check_lines(path, 9);
	json_decref(items);
}

static void
test_fsync_policy(void)
{
	struct rollout	*r;
	json_t		*items;
	uint64_t	 n[3][3];
	int		 p;

	for (p = ROLLOUT_SYNC_TURN; p <= ROLLOUT_SYNC_NEVER; p++) {
		char	 id[64];

		(void)snprintf(id, sizeof(id),
		    "01a21e9f-0000-7000-8000-00000000001%d", p);
		r = make_session(id, 1795900500 + p, &items);
		rollout_set_syncpolicy(r, p);
		rollout_sync(r, ROLLOUT_AT_TURN_END);
		n[p][0] = rollout_nsyncs(r);
		rollout_sync(r, ROLLOUT_AT_TURN_END);
		n[p][1] = rollout_nsyncs(r);
		put(r, ROLLOUT_EVENT_MSG, rollout_ev_agent_message("x"));
		rollout_sync(r, ROLLOUT_AT_EXIT);
		n[p][2] = rollout_nsyncs(r);
		rollout_close(r);
		json_decref(items);
	}
	tap_ok(n[0][0] == 1 && n[0][1] == 1 && n[0][2] == 2,
	    "policy turn: fsync at turn end (only if written) and exit");
	tap_ok(n[1][0] == 0 && n[1][1] == 0 && n[1][2] == 1,
	    "policy exit: fsync on exit only");
	tap_ok(n[2][0] == 0 && n[2][2] == 0, "policy never: no fsync");
}

int
main(void)
{
	tmp = tap_tmpdir();
	tap_hermetic(tmp);
	(void)snprintf(home, sizeof(home), "%s/codex-home", tmp);
	/* A zone east of UTC shows that file names use local time. */
	setenv("TZ", "IST-5:30", 1);
	tzset();
	umask(022);
	tap_plan(30);
	test_create_and_modes();
	test_round_trip();
	test_compacted();
	test_torn();
	test_tolerant();
	test_nofollow();
	test_short_write();
	test_fsync_policy();
	tap_rmtree(tmp);
	free(tmp);
	return tap_done();
}
