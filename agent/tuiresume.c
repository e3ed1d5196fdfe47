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
 * The sessions of the interactive mode one can go back to: the list
 * `ocodex resume` prints, the /resume picker and the switch to the
 * session picked, and the last messages of a resumed session.
 */

#include <sys/types.h>

#include <err.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/agent.h"
#include "agent/rollout.h"
#include "agent/session.h"
#include "agent/session-int.h"
#include "agent/tui-int.h"
#include "imsg/log.h"

#define PICK_MAX		10	/* sessions offered by /resume */
#define PREVIEW_LINES		200	/* rollout lines read for a preview */
#define PREVIEW_COLS		60
#define REPLAY_MAX		10	/* messages shown of a resumed session */

static json_t	*session_preview(const char *);

static char		*picks[PICK_MAX];	/* paths /resume offered */
static size_t		 npicks;

/*
 * `ocodex resume` with neither --last nor an id: the sessions begun in
 * this directory, newest first, numbered, to pick from with an id.
 */
__dead void
tui_resume_list(int all)
{
	struct rollout_entries	 list;
	struct rollout_entry	*e;
	int			 n = 0;

	TAILQ_INIT(&list);
	if (rollout_list(opts.codex_home, all ? NULL : opts.cwd, 20,
	    &list) == -1)
		errx(1, "cannot list the sessions in %s", opts.codex_home);
	TAILQ_FOREACH(e, &list, entry)
		(void)printf("%2d  %s  %s  %s\n", ++n, e->stamp, e->id,
		    e->cwd != NULL ? e->cwd : "");
	if (n == 0)
		(void)printf("no session to resume%s\n", all ? "" :
		    " in this directory (--all lists every directory)");
	else
		(void)printf("resume one with: ocodex resume ID (or "
		    "--last)\n");
	rollout_list_free(&list);
	exit(0);
}

/*
 * The last messages of a resumed session, for the user to see where the
 * conversation stands: [{role, text}], oldest first, context left out;
 * a compaction's summary has the role "summary".
 */
json_t *
tui_replay_messages(json_t *resumed)
{
	json_t		*out, *it, *c;
	const char	*role, *text;
	size_t		 i;

	if ((out = json_array()) == NULL)
		fatal(NULL);
	json_array_foreach(resumed, i, it) {
		role = json_string_value(json_object_get(it, "role"));
		c = json_array_get(json_object_get(it, "content"), 0);
		text = json_string_value(json_object_get(c, "text"));
		if (role == NULL || text == NULL || (strcmp(role, "user") != 0 &&
		    strcmp(role, "assistant") != 0) || text[0] == '<' ||
		    strncmp(text, "# AGENTS.md", 11) == 0)
			continue;
		if (strncmp(text, compact_summary_prefix,
		    strlen(compact_summary_prefix)) == 0) {
			role = "summary";
			text += strlen(compact_summary_prefix);
			text += strspn(text, "\n");
		}
		(void)json_array_append_new(out, json_pack("{s:s, s:s}",
		    "role", role, "text", text));
		if (json_array_size(out) > REPLAY_MAX)
			(void)json_array_remove(out, 0);
	}
	return out;
}

/* /resume: the recent sessions of this directory, newest first. */
void
tui_sessions(const char *thread_id)
{
	struct rollout_entries	 list;
	struct rollout_entry	*e;
	json_t			*a;

	for (; npicks > 0; npicks--)
		free(picks[npicks - 1]);
	TAILQ_INIT(&list);
	if ((a = json_array()) == NULL)
		fatal(NULL);
	if (rollout_list(opts.codex_home, opts.cwd, PICK_MAX, &list) == -1)
		log_warnx("cannot list the sessions in %s", opts.codex_home);
	TAILQ_FOREACH(e, &list, entry) {
		if (npicks == PICK_MAX)
			break;
		if ((picks[npicks++] = strdup(e->path)) == NULL)
			fatal(NULL);
		(void)json_array_append_new(a, json_pack("{s:I, s:s, s:s, "
		    "s:o, s:b}", "index", (json_int_t)npicks, "id", e->id,
		    "stamp", e->stamp, "preview", session_preview(e->path),
		    "current", strcmp(e->id, thread_id) == 0));
	}
	rollout_list_free(&list);
	uiclient_event(UIEV_INFO, json_pack("{s:s, s:o}", "what", "sessions",
	    "entries", a));
}

/* The first prompt of a recorded session, cut short, or null. */
static json_t *
session_preview(const char *path)
{
	FILE		*fp;
	json_t		*l, *pl, *r = NULL;
	const char	*type, *m;
	char		*line = NULL;
	size_t		 cap = 0, len;
	int		 n = 0;

	if ((fp = fopen(path, "re")) == NULL)
		return json_null();
	while (r == NULL && n++ < PREVIEW_LINES &&
	    getline(&line, &cap, fp) != -1) {
		if ((l = json_loads(line, 0, NULL)) == NULL)
			continue;
		pl = json_object_get(l, "payload");
		type = json_string_value(json_object_get(pl, "type"));
		m = json_string_value(json_object_get(pl, "message"));
		if (type != NULL && m != NULL &&
		    strcmp(type, "user_message") == 0) {
			/* Its first line, cut short on a character. */
			len = strcspn(m, "\n");
			if (len > PREVIEW_COLS)
				len = PREVIEW_COLS;
			while (len > 0 && (m[len] & 0xc0) == 0x80)
				len--;
			r = json_stringn(m, len);
		}
		json_decref(l);
	}
	free(line);
	(void)fclose(fp);
	return r != NULL ? r : json_null();
}

/*
 * Resume the session the user picked from the last list: the current
 * one is closed, the chosen one read back and continued, as `ocodex
 * resume ID` does.  The file is read once first so that a broken one
 * is reported instead of ending the program.
 */
void
tui_resume(json_t *o)
{
	struct rollout_data	 rd;
	json_int_t		 i;
	char			 ebuf[1024], path[PATH_MAX];

	i = json_integer_value(json_object_get(o, "index"));
	if (i < 1 || (size_t)i > npicks) {
		tui_note("no such session; /resume lists them", NULL, NULL);
		return;
	}
	if (strlcpy(path, picks[i - 1], sizeof(path)) >= sizeof(path))
		fatalx("rollout path too long");
	memset(&rd, 0, sizeof(rd));
	if (rollout_read(path, &rd, ebuf, sizeof(ebuf)) == -1 ||
	    !json_is_string(json_object_get(rd.meta, "id"))) {
		rollout_data_free(&rd);
		tui_note("that session cannot be read back", NULL, NULL);
		return;
	}
	rollout_data_free(&rd);
	tui_switch(path);
}
