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
 * The two front ends of `ocodex exec`.
 *
 * JSON mode prints Codex's `exec --json` stream: one object per line on
 * standard output, keys in Codex's order, items numbered item_0, item_1,
 * ... in order of first appearance.  Human mode writes progress to
 * standard error and the final answer alone to standard output, so that
 * `ocodex exec ... > answer.txt` captures just the answer.
 *
 * Each front end has one function per event kind, reached through one
 * switch over enum ui_event that names every kind and has no default:
 * built with -Wswitch-enum, a new kind does not compile until both have
 * decided what to show for it.  Human mode is in exec-human.c.
 */

#include <sys/types.h>
#include <sys/queue.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "imsg/log.h"
#include "ui/ui.h"
#include "ui/exec-int.h"

/* An item in progress in JSON mode: a command or a patch, by call id. */
struct jitem {
	TAILQ_ENTRY(jitem)	 entry;
	char			*call_id;
	unsigned int		 num;
	json_t			*changes;
};
TAILQ_HEAD(jitemq, jitem);

static void	json_event(enum ui_event, json_t *);
static void	json_finish(void);

const struct frontend fe_exec_json = { "exec-json", json_event, json_finish };

static struct jitemq	 jitems = TAILQ_HEAD_INITIALIZER(jitems);
static unsigned int	 item_next;
static int		 todo_num = -1;
static json_t		*todo_items;
static json_t		*last_usage;

/* Field accessors that tolerate a missing or mistyped field. */
const char *
exec_jstr(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

const char *
exec_jstr_or(json_t *o, const char *key, const char *def)
{
	const char	*s = exec_jstr(o, key);

	return s != NULL ? s : def;
}

json_int_t
exec_jint(json_t *o, const char *key, json_int_t def)
{
	json_t	*v = json_object_get(o, key);

	return json_is_integer(v) ? json_integer_value(v) : def;
}

/*
 * jansson writes a \u escape in upper case, serde_json (Codex) in lower
 * case; both are JSON, but the stream should be Codex's byte for byte.
 */
static void
jlower_escapes(char *s)
{
	int	i;

	for (; *s != '\0'; s++) {
		if (*s != '\\')
			continue;
		if (s[1] != 'u') {
			s++;
			continue;
		}
		for (i = 2; i < 6 && s[i] != '\0'; i++)
			s[i] = tolower((unsigned char)s[i]);
		s += i - 1;
	}
}

/* Print one object of the JSON stream and drop our reference. */
static void
jemit(json_t *obj)
{
	char	*s;

	if (obj == NULL)
		fatalx("json_pack");
	if ((s = json_dumps(obj, JSON_COMPACT)) == NULL)
		fatalx("json_dumps");
	jlower_escapes(s);
	ui_printf(UI_FD_STDOUT, "%s\n", s);
	free(s);
	json_decref(obj);
}

/* {"type":ev,"item":{"id":"item_N","type":type, ...fields}} */
static void
jitem_emit(const char *ev, unsigned int num, const char *type, json_t *fields)
{
	json_t	*item;
	char	 id[32];

	(void)snprintf(id, sizeof(id), "item_%u", num);
	if ((item = json_pack("{s:s, s:s}", "id", id, "type", type)) == NULL ||
	    json_object_update(item, fields) == -1)
		fatalx("json_pack");
	json_decref(fields);
	jemit(json_pack("{s:s, s:o}", "type", ev, "item", item));
}

static struct jitem *
jitem_find(const char *call_id)
{
	struct jitem	*ji;

	if (call_id == NULL)
		return NULL;
	TAILQ_FOREACH(ji, &jitems, entry)
		if (strcmp(ji->call_id, call_id) == 0)
			return ji;
	return NULL;
}

static struct jitem *
jitem_start(const char *call_id)
{
	struct jitem	*ji;

	if ((ji = calloc(1, sizeof(*ji))) == NULL ||
	    (ji->call_id = strdup(call_id != NULL ? call_id : "")) == NULL)
		fatal(NULL);
	ji->num = item_next++;
	TAILQ_INSERT_TAIL(&jitems, ji, entry);
	return ji;
}

static void
jitem_free(struct jitem *ji)
{
	TAILQ_REMOVE(&jitems, ji, entry);
	json_decref(ji->changes);
	free(ji->call_id);
	free(ji);
}

/* A patch's changes as Codex lists them: [{path, kind}]. */
static json_t *
jchanges(json_t *changes)
{
	json_t	*out, *c;
	size_t	 i;

	if ((out = json_array()) == NULL)
		fatalx("json_array");
	json_array_foreach(changes, i, c) {
		if (json_array_append_new(out, json_pack("{s:s, s:s}",
		    "path", exec_jstr_or(c, "path", ""),
		    "kind", exec_jstr_or(c, "kind", "update"))) == -1)
			fatalx("json_pack");
	}
	return out;
}

static void
je_session(json_t *ev)
{
	jemit(json_pack("{s:s, s:s}", "type", "thread.started",
	    "thread_id", exec_jstr_or(ev, "thread_id", "")));
}

static void
je_message(json_t *ev, const char *type)
{
	const char	*text = exec_jstr_or(ev, "text", "");

	/* Codex leaves out a reasoning item with nothing to read. */
	if (strcmp(type, "reasoning") == 0 && text[strspn(text, " \t\r\n")] ==
	    '\0')
		return;
	jitem_emit("item.completed", item_next++, type,
	    json_pack("{s:s}", "text", text));
}

static void
je_exec_begin(json_t *ev)
{
	struct jitem	*ji = jitem_start(exec_jstr(ev, "call_id"));

	jitem_emit("item.started", ji->num, "command_execution",
	    json_pack("{s:s, s:s, s:n, s:s}",
	    "command", exec_jstr_or(ev, "command", ""), "aggregated_output", "",
	    "exit_code", "status", "in_progress"));
}

static void
je_exec_end(json_t *ev)
{
	struct jitem	*ji = jitem_find(exec_jstr(ev, "call_id"));
	json_t		*code = json_object_get(ev, "exit_code");
	const char	*status;
	unsigned int	 num;

	if (json_is_true(json_object_get(ev, "declined")))
		status = "declined";
	else if (json_is_integer(code) && json_integer_value(code) == 0)
		status = "completed";
	else
		status = "failed";
	num = ji != NULL ? ji->num : item_next++;
	if (ji != NULL)
		jitem_free(ji);
	jitem_emit("item.completed", num, "command_execution",
	    json_pack("{s:s, s:s, s:O, s:s}",
	    "command", exec_jstr_or(ev, "command", ""),
	    "aggregated_output", exec_jstr_or(ev, "aggregated_output", ""),
	    "exit_code", json_is_integer(code) ? code : json_null(),
	    "status", status));
}

static void
je_patch_begin(json_t *ev)
{
	struct jitem	*ji = jitem_start(exec_jstr(ev, "call_id"));

	ji->changes = jchanges(json_object_get(ev, "changes"));
	jitem_emit("item.started", ji->num, "file_change",
	    json_pack("{s:O, s:s}", "changes", ji->changes,
	    "status", "in_progress"));
}

static void
je_patch_end(json_t *ev)
{
	struct jitem	*ji = jitem_find(exec_jstr(ev, "call_id"));
	json_t		*changes = json_object_get(ev, "changes");
	unsigned int	 num;

	if (json_is_array(changes))
		changes = jchanges(changes);
	else if (ji != NULL && ji->changes != NULL)
		changes = json_incref(ji->changes);
	else
		changes = json_array();
	num = ji != NULL ? ji->num : item_next++;
	if (ji != NULL)
		jitem_free(ji);
	jitem_emit("item.completed", num, "file_change",
	    json_pack("{s:o, s:s}", "changes", changes, "status",
	    json_is_true(json_object_get(ev, "success")) ? "completed" :
	    "failed"));
}

/* The plan is one todo_list item, started once and then updated. */
static void
je_plan(json_t *ev)
{
	json_t		*items, *step;
	size_t		 i;

	if ((items = json_array()) == NULL)
		fatalx("json_array");
	json_array_foreach(json_object_get(ev, "plan"), i, step) {
		if (json_array_append_new(items, json_pack("{s:s, s:b}",
		    "text", exec_jstr_or(step, "step", ""), "completed",
		    strcmp(exec_jstr_or(step, "status", ""), "completed") ==
		    0)) == -1)
			fatalx("json_pack");
	}
	json_decref(todo_items);
	todo_items = items;
	if (todo_num == -1) {
		todo_num = item_next++;
		jitem_emit("item.started", todo_num, "todo_list",
		    json_pack("{s:O}", "items", items));
	} else
		jitem_emit("item.updated", todo_num, "todo_list",
		    json_pack("{s:O}", "items", items));
}

/* At the end of a turn the todo list, if any, is completed. */
static void
je_todo_done(void)
{
	if (todo_num == -1)
		return;
	jitem_emit("item.completed", todo_num, "todo_list",
	    json_pack("{s:o}", "items", todo_items));
	todo_items = NULL;
	todo_num = -1;
}

static void
je_approval(json_t *ev)
{
	const char	*call_id = exec_jstr_or(ev, "call_id", "");
	char		*msg;

	/* exec has nobody to ask: deny, so that the turn goes on. */
	ui_send_op(UIOP_APPROVAL, json_pack("{s:s, s:s}", "call_id", call_id,
	    "decision", "denied"));
	if (asprintf(&msg, "approval requested for %s; denied, since exec "
	    "does not ask", exec_jstr_or(ev, "command", "a patch")) == -1)
		fatal("asprintf");
	jitem_emit("item.completed", item_next++, "error",
	    json_pack("{s:s}", "message", msg));
	free(msg);
}

static void
je_retrying(json_t *ev)
{
	const char	*why = exec_jstr_or(ev, "reason", "");
	char		*msg;

	/* Codex's stream error: "<message> (<details>)". */
	if (asprintf(&msg, "Reconnecting... %lld/%lld%s%s%s",
	    (long long)exec_jint(ev, "attempt", 0),
	    (long long)exec_jint(ev, "max", 0),
	    *why ? " (" : "", why, *why ? ")" : "") == -1)
		fatal("asprintf");
	jemit(json_pack("{s:s, s:s}", "type", "error", "message", msg));
	free(msg);
}

static void
je_complete(json_t *ev)
{
	json_t	*u = json_object_get(ev, "usage");

	if (!json_is_object(u))
		u = last_usage;
	je_todo_done();
	jemit(json_pack("{s:s, s:{s:I, s:I, s:I, s:I, s:I}}",
	    "type", "turn.completed", "usage",
	    "input_tokens", exec_jint(u, "input_tokens", 0),
	    "cached_input_tokens", exec_jint(u, "cached_input_tokens", 0),
	    "cache_write_input_tokens",
	    exec_jint(u, "cache_write_input_tokens", 0),
	    "output_tokens", exec_jint(u, "output_tokens", 0),
	    "reasoning_output_tokens",
	    exec_jint(u, "reasoning_output_tokens", 0)));
}

static void
json_event(enum ui_event kind, json_t *ev)
{
	switch (kind) {
	case UIEV_SESSION_CONFIGURED:
		je_session(ev);
		break;
	case UIEV_TASK_STARTED:
		jemit(json_pack("{s:s}", "type", "turn.started"));
		break;
	case UIEV_AGENT_MESSAGE_DELTA:
	case UIEV_REASONING_DELTA:
	case UIEV_EXEC_OUTPUT:
		/* Codex's stream carries whole items only. */
		break;
	case UIEV_AGENT_MESSAGE:
		je_message(ev, "agent_message");
		break;
	case UIEV_REASONING:
		je_message(ev, "reasoning");
		break;
	case UIEV_EXEC_BEGIN:
		je_exec_begin(ev);
		break;
	case UIEV_EXEC_END:
		je_exec_end(ev);
		break;
	case UIEV_PATCH_BEGIN:
		je_patch_begin(ev);
		break;
	case UIEV_PATCH_END:
		je_patch_end(ev);
		break;
	case UIEV_PLAN_UPDATE:
		je_plan(ev);
		break;
	case UIEV_APPROVAL_REQUEST:
		je_approval(ev);
		break;
	case UIEV_TOKEN_COUNT:
		/* Printed with turn.completed, not as it changes. */
		json_decref(last_usage);
		last_usage = json_incref(json_object_get(ev, "usage"));
		break;
	case UIEV_RETRYING:
		je_retrying(ev);
		break;
	case UIEV_WARNING:
		jitem_emit("item.completed", item_next++, "error",
		    json_pack("{s:s}", "message",
		    exec_jstr_or(ev, "message", "")));
		break;
	case UIEV_ERROR:
		jemit(json_pack("{s:s, s:s}", "type", "error", "message",
		    exec_jstr_or(ev, "message", "")));
		break;
	case UIEV_TASK_COMPLETE:
		je_complete(ev);
		break;
	case UIEV_TURN_FAILED:
		je_todo_done();
		jemit(json_pack("{s:s, s:{s:s}}", "type", "turn.failed",
		    "error", "message", exec_jstr_or(ev, "message", "")));
		break;
	case UIEV_MCP_RESULT:	/* mcp-server only */
	case UIEV_INFO:		/* the interactive front end only */
	case UIEV_MAX:
		break;
	}
}

static void
json_finish(void)
{
	struct jitem	*ji;

	while ((ji = TAILQ_FIRST(&jitems)) != NULL)
		jitem_free(ji);
	json_decref(todo_items);
	todo_items = NULL;
	json_decref(last_usage);
	last_usage = NULL;
}
