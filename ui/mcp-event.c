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
 * Session events of the MCP server.  Each goes to the client as a
 * codex/event notification, {_meta: {requestId, threadId}, id, msg:
 * {type, ...}}, in the shape of Codex's EventMsg; an approval request
 * also becomes an elicitation/create request, whose answer goes back to
 * the parent as the decision.
 */

#include <sys/types.h>
#include <sys/queue.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "imsg/log.h"
#include "ui/mcp-int.h"
#include "ui/ui.h"

/* An elicitation we sent and whose answer we wait for. */
struct elicit {
	TAILQ_ENTRY(elicit)	 entry;
	json_int_t		 id;
	char			*thread_id;
	char			*call_id;
};
TAILQ_HEAD(elicits, elicit);

static struct elicits	 elicits = TAILQ_HEAD_INITIALIZER(elicits);
static json_int_t	 elicit_next;

static void	 ev_send(struct mcpcall *, json_t *, json_t *);
static json_t	*ev_msg(enum ui_event, json_t *);
static json_t	*ev_exec_output(json_t *);
static json_t	*ev_changes(json_t *);
static void	 elicit_ask(struct mcpcall *, json_t *);
static void	 elicit_free(struct elicit *);
static const char *decision_of(json_t *);

static const char *
jstr(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/*
 * The front end's one switch over the event kinds.  Events of a thread
 * no call is running in (a turn the client cancelled) are dropped.
 */
void
mcp_event(enum ui_event kind, json_t *ev)
{
	struct mcpcall	*c;

	switch (kind) {
	case UIEV_MCP_RESULT:
		mcp_result(ev);
		return;
	case UIEV_SESSION_CONFIGURED:
		/* The first event of a codex call names its thread. */
		c = mcp_call_find(json_object_get(ev, "request_id"));
		if (c != NULL && c->thread_id == NULL &&
		    jstr(ev, "thread_id") != NULL &&
		    (c->thread_id = strdup(jstr(ev, "thread_id"))) == NULL)
			fatal(NULL);
		break;
	case UIEV_TASK_STARTED:
	case UIEV_AGENT_MESSAGE_DELTA:
	case UIEV_AGENT_MESSAGE:
	case UIEV_REASONING_DELTA:
	case UIEV_REASONING:
	case UIEV_EXEC_BEGIN:
	case UIEV_EXEC_OUTPUT:
	case UIEV_EXEC_END:
	case UIEV_PATCH_BEGIN:
	case UIEV_PATCH_END:
	case UIEV_PLAN_UPDATE:
	case UIEV_APPROVAL_REQUEST:
	case UIEV_TOKEN_COUNT:
	case UIEV_RETRYING:
	case UIEV_WARNING:
	case UIEV_ERROR:
	case UIEV_TASK_COMPLETE:
	case UIEV_TURN_FAILED:
	case UIEV_INFO:		/* the interactive front end's */
	case UIEV_MAX:
		break;
	}
	if ((c = mcp_call_thread(jstr(ev, "thread_id"))) == NULL ||
	    c->cancelled)
		return;
	ev_send(c, ev, ev_msg(kind, ev));
	if (kind == UIEV_APPROVAL_REQUEST)
		elicit_ask(c, ev);
}

static void
ev_send(struct mcpcall *c, json_t *ev, json_t *msg)
{
	json_t	*tid = json_object_get(ev, "turn_id");
	char	 id[32];

	if (msg == NULL)
		return;
	if (json_is_integer(tid))
		(void)snprintf(id, sizeof(id), "%lld",
		    (long long)json_integer_value(tid));
	else
		(void)strlcpy(id, "0", sizeof(id));
	mcp_send(rpc_message(NULL, "codex/event", json_pack("{s:{s:O, s:s}, "
	    "s:s, s:o}", "_meta", "requestId", c->id, "threadId",
	    c->thread_id, "id", id, "msg", msg)));
}

/* Codex's EventMsg for one of our events, or NULL to send nothing. */
static json_t *
ev_msg(enum ui_event kind, json_t *ev)
{
	json_t	*o = NULL;

	switch (kind) {
	case UIEV_SESSION_CONFIGURED:
		o = json_pack("{s:s, s:O?, s:O?, s:O?, s:O?, s:O?, s:i, s:i}",
		    "type", "session_configured", "session_id",
		    json_object_get(ev, "thread_id"), "model",
		    json_object_get(ev, "model"), "reasoning_effort",
		    json_object_get(ev, "reasoning_effort"), "cwd",
		    json_object_get(ev, "cwd"), "sandbox",
		    json_object_get(ev, "sandbox"), "history_log_id", 0,
		    "history_entry_count", 0);
		break;
	case UIEV_TASK_STARTED:
		o = json_pack("{s:s, s:n}", "type", "task_started",
		    "model_context_window");
		break;
	case UIEV_AGENT_MESSAGE_DELTA:
	case UIEV_REASONING_DELTA:
		o = json_pack("{s:s, s:O?}", "type", kind ==
		    UIEV_AGENT_MESSAGE_DELTA ? "agent_message_delta" :
		    "agent_reasoning_delta", "delta", json_object_get(ev,
		    "delta"));
		break;
	case UIEV_AGENT_MESSAGE:
		o = json_pack("{s:s, s:O?}", "type", "agent_message",
		    "message", json_object_get(ev, "text"));
		break;
	case UIEV_REASONING:
		o = json_pack("{s:s, s:O?}", "type", "agent_reasoning",
		    "text", json_object_get(ev, "text"));
		break;
	case UIEV_EXEC_BEGIN:
		o = json_pack("{s:s, s:O?, s:[O?], s:O?, s:[]}", "type",
		    "exec_command_begin", "call_id", json_object_get(ev,
		    "call_id"), "command", json_object_get(ev, "command"),
		    "cwd", json_object_get(ev, "cwd"), "parsed_cmd");
		break;
	case UIEV_EXEC_OUTPUT:
		o = ev_exec_output(ev);
		break;
	case UIEV_EXEC_END:
		o = json_pack("{s:s, s:O?, s:s, s:s, s:O?, s:O?, s:O?, s:O?}",
		    "type", "exec_command_end", "call_id", json_object_get(ev,
		    "call_id"), "stdout", "", "stderr", "",
		    "aggregated_output", json_object_get(ev,
		    "aggregated_output"), "exit_code", json_object_get(ev,
		    "exit_code"), "duration_ms", json_object_get(ev,
		    "duration_ms"), "formatted_output", json_object_get(ev,
		    "aggregated_output"));
		break;
	case UIEV_PATCH_BEGIN:
		o = json_pack("{s:s, s:O?, s:b, s:o}", "type",
		    "patch_apply_begin", "call_id", json_object_get(ev,
		    "call_id"), "auto_approved", 0, "changes",
		    ev_changes(json_object_get(ev, "changes")));
		break;
	case UIEV_PATCH_END:
		o = json_pack("{s:s, s:O?, s:O?, s:s, s:O?}", "type",
		    "patch_apply_end", "call_id", json_object_get(ev,
		    "call_id"), "stdout", json_object_get(ev, "output"),
		    "stderr", "", "success", json_object_get(ev, "success"));
		break;
	case UIEV_PLAN_UPDATE:
		o = json_pack("{s:s, s:O?, s:O?}", "type", "plan_update",
		    "explanation", json_object_get(ev, "explanation"), "plan",
		    json_object_get(ev, "plan"));
		break;
	case UIEV_APPROVAL_REQUEST:
		if (jstr(ev, "kind") != NULL &&
		    strcmp(jstr(ev, "kind"), "patch") == 0)
			o = json_pack("{s:s, s:O?, s:o, s:O?}", "type",
			    "apply_patch_approval_request", "call_id",
			    json_object_get(ev, "call_id"), "changes",
			    ev_changes(json_object_get(ev, "changes")),
			    "reason", json_object_get(ev, "reason"));
		else
			o = json_pack("{s:s, s:O?, s:[O?], s:O?, s:O?}",
			    "type", "exec_approval_request", "call_id",
			    json_object_get(ev, "call_id"), "command",
			    json_object_get(ev, "command"), "cwd",
			    json_object_get(ev, "cwd"), "reason",
			    json_object_get(ev, "reason"));
		break;
	case UIEV_TOKEN_COUNT:
		o = json_pack("{s:s, s:{s:O?}, s:n}", "type", "token_count",
		    "info", "total_token_usage", json_object_get(ev, "usage"),
		    "rate_limits");
		break;
	case UIEV_RETRYING:
		o = json_pack("{s:s, s:O?}", "type", "stream_error",
		    "message", json_object_get(ev, "reason"));
		break;
	case UIEV_WARNING:
	case UIEV_ERROR:
		o = json_pack("{s:s, s:O?}", "type", kind == UIEV_WARNING ?
		    "warning" : "error", "message", json_object_get(ev,
		    "message"));
		break;
	case UIEV_TASK_COMPLETE:
		o = json_pack("{s:s, s:O?}", "type", "task_complete",
		    "last_agent_message", json_object_get(ev,
		    "last_agent_message"));
		break;
	case UIEV_TURN_FAILED:
		if (jstr(ev, "message") != NULL &&
		    strcmp(jstr(ev, "message"), "interrupted") == 0)
			o = json_pack("{s:s, s:s}", "type", "turn_aborted",
			    "reason", "interrupted");
		else
			o = json_pack("{s:s, s:O?}", "type", "error",
			    "message", json_object_get(ev, "message"));
		break;
	case UIEV_MCP_RESULT:
	case UIEV_INFO:
	case UIEV_MAX:
		break;
	}
	return o;
}

/* Codex sends a chunk of command output as base64 of its bytes. */
static json_t *
ev_exec_output(json_t *ev)
{
	static const char b64[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char	*s;
	json_t			*chunk = json_object_get(ev, "chunk"), *o;
	size_t			 len, i, j = 0;
	unsigned int		 v;
	char			*out;

	if (!json_is_string(chunk))
		return NULL;
	s = (const unsigned char *)json_string_value(chunk);
	len = json_string_length(chunk);
	if ((out = malloc((len + 2) / 3 * 4 + 1)) == NULL)
		fatal(NULL);
	for (i = 0; i < len; i += 3) {
		v = s[i] << 16;
		if (i + 1 < len)
			v |= s[i + 1] << 8;
		if (i + 2 < len)
			v |= s[i + 2];
		out[j++] = b64[(v >> 18) & 63];
		out[j++] = b64[(v >> 12) & 63];
		out[j++] = i + 1 < len ? b64[(v >> 6) & 63] : '=';
		out[j++] = i + 2 < len ? b64[v & 63] : '=';
	}
	out[j] = '\0';
	o = json_pack("{s:s, s:O?, s:O?, s:s}", "type",
	    "exec_command_output_delta", "call_id", json_object_get(ev,
	    "call_id"), "stream", json_object_get(ev, "stream"), "chunk", out);
	free(out);
	return o;
}

/* Our [{path, kind}] as Codex's {path: {type}}. */
static json_t *
ev_changes(json_t *changes)
{
	json_t	*o, *c;
	size_t	 i;

	if ((o = json_object()) == NULL)
		fatal(NULL);
	json_array_foreach(changes, i, c) {
		const char	*path = jstr(c, "path"), *k = jstr(c, "kind");

		if (path != NULL && k != NULL)
			(void)json_object_set_new(o, path, json_pack("{s:s}",
			    "type", k));
	}
	return o;
}

/*
 * Ask the client to approve: an elicitation/create request with an empty
 * requested schema and the codex_* fields Codex's clients read.
 */
static void
elicit_ask(struct mcpcall *c, json_t *ev)
{
	struct elicit	*e;
	const char	*kind = jstr(ev, "kind"), *cmd = jstr(ev, "command");
	const char	*cwd = jstr(ev, "cwd"), *reason = jstr(ev, "reason");
	const char	*call_id = jstr(ev, "call_id");
	json_t		*p;
	char		*msg;
	int		 patch = kind != NULL && strcmp(kind, "patch") == 0;

	if (call_id == NULL)
		return;
	if ((patch ? asprintf(&msg, "%s%sAllow ocodex to apply proposed code "
	    "changes?", reason ? reason : "", reason ? "\n" : "") :
	    asprintf(&msg, "Allow ocodex to run `%s` in `%s`?", cmd ? cmd : "",
	    cwd ? cwd : "")) == -1)
		fatal(NULL);
	if ((e = calloc(1, sizeof(*e))) == NULL ||
	    (e->thread_id = strdup(c->thread_id)) == NULL ||
	    (e->call_id = strdup(call_id)) == NULL)
		fatal(NULL);
	e->id = elicit_next++;
	TAILQ_INSERT_TAIL(&elicits, e, entry);
	p = json_pack("{s:s, s:{s:s, s:{}}, s:s, s:s, s:O, s:s, s:s}",
	    "message", msg, "requestedSchema", "type", "object", "properties",
	    "threadId", c->thread_id, "codex_elicitation", patch ?
	    "patch-approval" : "exec-approval", "codex_mcp_tool_call_id",
	    c->id, "codex_event_id", call_id, "codex_call_id", call_id);
	free(msg);
	if (p == NULL)
		fatalx("mcp: cannot build an elicitation");
	if (patch)
		(void)json_object_set_new(p, "codex_changes",
		    ev_changes(json_object_get(ev, "changes")));
	else {
		/* The argv when the parent sent it, as Codex does. */
		if (json_is_array(json_object_get(ev, "argv")))
			(void)json_object_set(p, "codex_command",
			    json_object_get(ev, "argv"));
		else
			(void)json_object_set_new(p, "codex_command",
			    json_pack("[s]", cmd ? cmd : ""));
		(void)json_object_set_new(p, "codex_cwd", json_string(cwd ?
		    cwd : ""));
		(void)json_object_set_new(p, "codex_parsed_cmd", json_array());
	}
	if (reason != NULL)
		(void)json_object_set_new(p, "codex_reason",
		    json_string(reason));
	mcp_send(rpc_message(json_integer(e->id), "elicitation/create", p));
}

/*
 * What the client decided.  Codex's clients answer {decision}; a client
 * that follows the MCP schema answers {action, content}, where
 * content.decision may say more.  Anything else is a denial.
 */
static const char *
decision_of(json_t *res)
{
	static const char *const ok[] = { "approved", "approved_for_session",
	    "denied", "abort", NULL };
	json_t		*d = json_object_get(res, "decision");
	const char	*a;
	size_t		 i;

	if (d == NULL)
		d = json_object_get(json_object_get(res, "content"),
		    "decision");
	if (json_is_object(d) &&
	    json_object_get(d, "approved_execpolicy_amendment") != NULL)
		return "approved";
	if (json_is_string(d)) {
		for (i = 0; ok[i] != NULL; i++)
			if (strcmp(json_string_value(d), ok[i]) == 0)
				return ok[i];
		return "denied";
	}
	if (d == NULL && (a = jstr(res, "action")) != NULL &&
	    strcmp(a, "accept") == 0)
		return "approved";
	return "denied";
}

/* The client answered one of our requests: an elicitation. */
void
mcp_response(struct rpcmsg *m)
{
	struct elicit	*e;
	const char	*d;

	if (!json_is_integer(m->id))
		return;
	TAILQ_FOREACH(e, &elicits, entry)
		if (e->id == json_integer_value(m->id))
			break;
	if (e == NULL)
		return;
	d = m->result != NULL ? decision_of(m->result) : "denied";
	ui_send_op(UIOP_APPROVAL, json_pack("{s:s, s:s, s:s}", "thread_id",
	    e->thread_id, "call_id", e->call_id, "decision", d));
	elicit_free(e);
}

/* The call of a thread ended: answers to its questions are moot. */
void
mcp_elicit_drop(const char *thread_id)
{
	struct elicit	*e, *next;

	if (thread_id == NULL)
		return;
	TAILQ_FOREACH_SAFE(e, &elicits, entry, next)
		if (strcmp(e->thread_id, thread_id) == 0)
			elicit_free(e);
}

static void
elicit_free(struct elicit *e)
{
	TAILQ_REMOVE(&elicits, e, entry);
	free(e->thread_id);
	free(e->call_id);
	free(e);
}
