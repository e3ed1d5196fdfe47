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

#include <sys/types.h>
#include <sys/queue.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/agent.h"
#include "agent/config.h"
#include "agent/model.h"
#include "agent/rollout.h"
#include "agent/session-int.h"
#include "imsg/log.h"
#include "imsg/proto.h"

/*
 * Compaction: when the conversation nears the model's context window, the
 * model writes a handoff summary, and the history becomes the initial
 * context, the most recent user messages and that summary.  The words
 * are ours; the shape is Codex's, so that either can resume the other's
 * compacted sessions.
 */

/* How much of the recent user messages survives, in bytes (~20k tokens). */
#define KEEP_USER_BYTES		80000
/* Attempts at dropping the oldest item when even compaction is too big. */
#define COMPACT_DROPS_MAX	32

static const char compact_prompt[] =
    "The conversation is about to be compacted to fit the model's context "
    "window, and another instance of you will carry on from a handoff note."
    "  Write that note now instead of continuing the task.  Be concise and "
    "structured, and include:\n"
    "- what has been done so far and the decisions taken, with the files "
    "involved;\n"
    "- the user's goals, constraints and preferences that still apply;\n"
    "- what remains to be done, as concrete next steps;\n"
    "- any data the next instance needs that it could not easily find again "
    "(commands, paths, error messages, identifiers).\n"
    "Do not call any tool.";

const char compact_summary_prefix[] =
    "Another language model worked on this task before you and left the "
    "summary below of what it did and what remains.  Build on it rather "
    "than starting over, and do not redo work it reports as finished:";

static int	 is_context_text(const char *);
static const char *user_text(json_t *);

/* Is this the text of a context message rather than something typed? */
static int
is_context_text(const char *t)
{
	return strncmp(t, "# AGENTS.md instructions", 24) == 0 ||
	    strncmp(t, "<environment_context>", 21) == 0 ||
	    strncmp(t, compact_summary_prefix,
	    sizeof(compact_summary_prefix) - 1) == 0;
}

/* The text of a user message item, or NULL for anything else. */
static const char *
user_text(json_t *it)
{
	const char	*role, *type;
	json_t		*c;

	type = json_string_value(json_object_get(it, "type"));
	role = json_string_value(json_object_get(it, "role"));
	if (type == NULL || role == NULL || strcmp(type, "message") != 0 ||
	    strcmp(role, "user") != 0)
		return NULL;
	c = json_array_get(json_object_get(it, "content"), 0);
	return json_string_value(json_object_get(c, "text"));
}

/*
 * Whether the last response brought the conversation near the limit:
 * model_auto_compact_token_limit, or 90 % of model_context_window when
 * that is lower or the limit is unset.  Without either, never.
 */
int
compact_needed(struct session *s, json_t *usage)
{
	int64_t	 window = s->p.cfg->model_context_window, used, limit;

	limit = s->p.cfg->model_auto_compact_token_limit;
	if (window > 0 && (limit <= 0 || window / 10 * 9 < limit))
		limit = window / 10 * 9;
	if (limit <= 0 || s->compacting)
		return 0;
	used = json_integer_value(json_object_get(usage, "input_tokens")) +
	    json_integer_value(json_object_get(usage, "output_tokens"));
	return used >= limit;
}

/*
 * Ask the model for the handoff summary: the whole history plus our
 * prompt, no tools.  The answer comes back through compact_event().
 */
void
compact_start(struct session *s)
{
	json_t	*input, *req, *msg;

	s->compacting = 1;
	free(s->compact_summary);
	s->compact_summary = NULL;
	session_emit(s, UIEV_WARNING, json_pack("{s:s}", "message",
	    "compacting the conversation to fit the context window"));
	if ((input = json_copy(s->history)) == NULL ||
	    (msg = json_pack("{s:s, s:s, s:[{s:s, s:s}]}", "type", "message",
	    "role", "user", "content", "type", "input_text", "text",
	    compact_prompt)) == NULL || json_array_append_new(input, msg) == -1)
		fatalx("cannot build the compaction request");
	req = json_pack("{s:s, s:s, s:s, s:o, s:[], s:s, s:b, s:n, s:s}",
	    "provider", config_provider(s->p.cfg)->id, "model", s->p.cfg->model,
	    "instructions", session_instructions(s), "input", input, "tools",
	    "tool_choice", "auto", "parallel_tool_calls", 0, "reasoning",
	    "session_id", s->p.thread_id);
	if (req == NULL)
		fatalx("cannot build the compaction request");
	s->req_id = session_next_req();
	model_request(&children[PROC_NETPROC].peer, s->req_id, req);
	json_decref(req);
}

/* An item of the summary's response: keep the assistant's text. */
void
compact_item(struct session *s, const char *text)
{
	free(s->compact_summary);
	if ((s->compact_summary = strdup(text)) == NULL)
		fatal(NULL);
}

/*
 * The summary is in: rebuild the history from the initial context, the
 * newest user messages that fit in KEEP_USER_BYTES (the last one to fit
 * cut in the middle), and the summary; record it as a compacted line.
 */
void
compact_done(struct session *s)
{
	json_t		*nh, *users, *it, *msg;
	const char	*t;
	char		*summary;
	size_t		 i, kept = 0, len;

	s->compacting = 0;
	if ((nh = json_array()) == NULL || (users = json_array()) == NULL)
		fatal(NULL);
	for (i = 0; i < s->ninitial && i < json_array_size(s->history); i++)
		(void)json_array_append(nh, json_array_get(s->history, i));
	for (i = json_array_size(s->history); i > s->ninitial; i--) {
		it = json_array_get(s->history, i - 1);
		if ((t = user_text(it)) == NULL || is_context_text(t))
			continue;
		if (kept >= KEEP_USER_BYTES)
			break;
		len = strlen(t);
		if (kept + len > KEEP_USER_BYTES)
			it = json_pack("{s:s, s:s, s:[{s:s, s:s%}]}", "type",
			    "message", "role", "user", "content", "type",
			    "input_text", "text", t + len -
			    (KEEP_USER_BYTES - kept), KEEP_USER_BYTES - kept);
		else
			json_incref(it);
		if (it == NULL || json_array_insert_new(users, 0, it) == -1)
			fatal(NULL);
		kept += len;
	}
	(void)json_array_extend(nh, users);
	json_decref(users);
	if (asprintf(&summary, "%s\n%s", compact_summary_prefix,
	    s->compact_summary != NULL ? s->compact_summary :
	    "(no summary available)") == -1)
		fatal(NULL);
	msg = json_pack("{s:s, s:s, s:[{s:s, s:s}]}", "type", "message",
	    "role", "user", "content", "type", "input_text", "text", summary);
	if (msg == NULL || json_array_append_new(nh, msg) == -1)
		fatal(NULL);
	session_record(s, ROLLOUT_COMPACTED, rollout_compacted(summary, nh));
	session_record(s, ROLLOUT_EVENT_MSG, rollout_ev_context_compacted());
	free(summary);
	json_decref(s->history);
	s->history = nh;
	session_emit(s, UIEV_WARNING, json_pack("{s:s}", "message",
	    "the conversation was compacted; long threads and repeated "
	    "compactions can make the model less accurate"));
}

/*
 * The summary request failed.  Too big even for that: drop the oldest
 * item after the initial context and try again, a bounded number of
 * times.  Returns 1 when a new attempt is on its way.
 */
int
compact_failed(struct session *s, const char *kind)
{
	if (kind == NULL || strcmp(kind, "context_length_exceeded") != 0 ||
	    s->compact_drops >= COMPACT_DROPS_MAX ||
	    json_array_size(s->history) <= s->ninitial + 1)
		return 0;
	s->compact_drops++;
	(void)json_array_remove(s->history, s->ninitial);
	compact_start(s);
	return 1;
}
