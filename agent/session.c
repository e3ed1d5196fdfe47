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
#include <time.h>
#include <unistd.h>

#include "agent/agent.h"
#include "agent/config.h"
#include "agent/context.h"
#include "agent/execclient.h"
#include "agent/model.h"
#include "agent/rollout.h"
#include "agent/session-int.h"
#include "agent/setup.h"
#include "agent/tools.h"
#include "imsg/log.h"
#include "imsg/proto.h"
#include "sandbox/policy.h"

static void	 session_event(uint32_t, json_t *);
static void	 on_item(struct session *, json_t *);
static void	 on_completed(struct session *, json_t *);
static void	 on_failed(struct session *, json_t *);
static void	 partial_again(struct session *, json_t *);
static void	 turn_end(struct session *, int, const char *);
static void	 usage_add(struct session *, json_t *);
static char	*item_text(json_t *, const char *, const char *);
static int	 notify_start(struct session *);
static void	 hist_add(struct session *, json_t *);
static void	 record_event(struct session *, json_t *);
static void	 prompt_history(struct session *, const char *);
static void	 record_turn(struct session *);
static json_t	*token_count(struct session *, json_t *);
static size_t	 context_count(json_t *);
static void	 notify_end(void *, const struct msg_exec_end *);

/* The sessions of this process, for routing the model's events. */
static struct session	*sessions[8];
static uint32_t		 next_req = 1;

/*
 * A session: the history every request carries (Codex keeps no state on
 * the server side, and neither do we), the tools offered, and the turn
 * loop.  A turn sends the history to the model, runs every tool call the
 * response holds, one after the other, appends their outputs and asks
 * again, until a response has no tool call.
 */
struct session *
session_new(const struct session_params *sp)
{
	struct session		*s;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		fatal(NULL);
	struct context_params	 cp;
	struct tools_config	 tc;
	size_t			 i;

	s->p = *sp;
	TAILQ_INIT(&s->calls);
	approval_cache_init(&s->approved);
	for (i = 0; i < sizeof(sessions) / sizeof(sessions[0]); i++)
		if (sessions[i] == NULL) {
			sessions[i] = s;
			break;
		}
	if (i == sizeof(sessions) / sizeof(sessions[0]))
		fatalx("too many sessions");
	model_set_handler(session_event);
	memset(&tc, 0, sizeof(tc));
	tc.patch_kind = tools_patch_kind(sp->cfg->model, NULL);
	tc.escalation = sp->cfg->approval_policy == CONFIG_APPROVAL_ON_REQUEST;
	tc.plan = 1;
	tc.view_image = 1;
	memset(&cp, 0, sizeof(cp));
	cp.cwd = sp->policy->cwd;
	cp.codex_home = sp->cfg->codex_home;
	cp.sandbox = sp->cfg->sandbox_mode;
	cp.policy = sp->cfg->approval_policy;
	cp.network = sp->policy->network;
	cp.roots = sp->policy->roots;
	cp.nroots = sp->policy->nroots;
	cp.doc_max = sp->cfg->project_doc_max_bytes > 0 ?
	    (size_t)sp->cfg->project_doc_max_bytes : 0;
	if (sp->history != NULL)
		s->history = json_incref(sp->history);
	/* context items: the leading messages before the first real prompt */
	else if ((s->history = context_initial(&cp)) != NULL) {
		json_t	*it;

		json_array_foreach(s->history, i, it)
			session_record(s, ROLLOUT_RESPONSE_ITEM, json_incref(it));
	}
	if (s->history != NULL)
		s->ninitial = context_count(s->history);
	if (s->history == NULL ||
	    (s->tools = tools_specs(&tc)) == NULL ||
	    (s->usage = json_pack("{s:I, s:I, s:I, s:I, s:I}",
	    "input_tokens", (json_int_t)0, "cached_input_tokens",
	    (json_int_t)0, "output_tokens", (json_int_t)0,
	    "reasoning_output_tokens", (json_int_t)0, "total_tokens",
	    (json_int_t)0)) == NULL)
		fatalx("cannot build the session's initial context");
	return s;
}

void
session_free(struct session *s)
{
	struct call	*c;
	size_t		 i;

	for (i = 0; i < sizeof(sessions) / sizeof(sessions[0]); i++)
		if (sessions[i] == s)
			sessions[i] = NULL;
	while ((c = TAILQ_FIRST(&s->calls)) != NULL) {
		TAILQ_REMOVE(&s->calls, c, entry);
		call_free(c);
	}
	approval_cache_clear(&s->approved);
	json_decref(s->history);
	json_decref(s->tools);
	json_decref(s->usage);
	free(s->last_message);
	free(s->prompt);
	free(s->done_text);
	free(s->compact_summary);
	free(s);
}

/*
 * Send an event of this session to the front end, tagged with the
 * session's thread id (the MCP server runs several at once).
 */
void
session_emit(struct session *s, int kind, json_t *o)
{
	if (o == NULL)
		o = json_object();
	if (o == NULL || json_object_set_new(o, "thread_id",
	    json_string(s->p.thread_id)) == -1)
		fatalx("cannot build a ui event");
	uiclient_event(kind, o);
}

/* The user's message starts a turn. */
void
session_turn(struct session *s, const char *prompt)
{
	json_t	*msg;

	s->active = 1;
	s->turn++;
	free(s->last_message);
	s->last_message = NULL;
	s->partial_asks = 0;
	free(s->prompt);
	if ((s->prompt = strdup(prompt)) == NULL)
		fatal(NULL);
	record_turn(s);
	record_event(s, rollout_ev_task_started(s->turn_id, -1));
	if ((msg = json_pack("{s:s, s:s, s:[{s:s, s:s}]}", "type", "message",
	    "role", "user", "content", "type", "input_text", "text",
	    prompt)) == NULL)
		fatalx("cannot add the prompt to the history");
	hist_add(s, msg);
	record_event(s, rollout_ev_user_message(prompt));
	prompt_history(s, prompt);
	session_emit(s, UIEV_TASK_STARTED, json_pack("{s:i, s:s}", "turn_id",
	    s->turn, "prompt", prompt));
	session_request(s);
}

/* Send the whole history to the model. */
void
session_request(struct session *s)
{
	const struct config	*cfg = s->p.cfg;
	json_t			*req, *reasoning = json_null();

	if (cfg->model_reasoning_effort != CONFIG_EFFORT_UNSET ||
	    cfg->model_reasoning_summary != CONFIG_SUMMARY_UNSET)
		reasoning = json_pack("{s:s?, s:s?}", "effort",
		    config_effort_name(cfg->model_reasoning_effort),
		    "summary", config_summary_name(
		    cfg->model_reasoning_summary));
	req = json_pack("{s:s, s:s, s:s, s:O, s:O, s:s, s:b, s:o, s:s}",
	    "provider", config_provider(cfg)->id, "model", cfg->model,
	    "instructions", session_instructions(s), "input", s->history,
	    "tools", s->tools, "tool_choice", "auto", "parallel_tool_calls", 0,
	    "reasoning", reasoning, "session_id", s->p.thread_id);
	if (req == NULL)
		fatalx("cannot build the model request");
	if (cfg->model_verbosity != CONFIG_VERBOSITY_UNSET)
		(void)json_object_set_new(req, "text", json_pack("{s:s}",
		    "verbosity", config_verbosity_name(cfg->model_verbosity)));
	s->partial = s->partial_msg = 0;
	if (s->compact_pending) {
		s->compact_pending = 0;
		compact_start(s);
		return;
	}
	s->req_id = next_req++;
	model_request(&children[PROC_NETPROC].peer, s->req_id, req);
	json_decref(req);
}

uint32_t
session_next_req(void)
{
	return next_req++;
}

const char *
session_instructions(struct session *s)
{
	if (s->p.base_instructions != NULL)
		return s->p.base_instructions;
	return context_base_instructions();
}

/* One event of the model's response stream, from netproc. */
static void
session_event(uint32_t id, json_t *ev)
{
	struct session	*s = NULL;
	const char	*type = json_string_value(json_object_get(ev, "type"));
	json_t		*d;
	size_t		 i;

	for (i = 0; i < sizeof(sessions) / sizeof(sessions[0]); i++)
		if (sessions[i] != NULL && sessions[i]->req_id == id)
			s = sessions[i];
	if (s == NULL || type == NULL || !s->active)
		return;
	d = json_object_get(ev, "delta");
	if (strcmp(type, "text_delta") == 0 && json_is_string(d))
		session_emit(s, UIEV_AGENT_MESSAGE_DELTA, json_pack("{s:O}",
		    "delta", d));
	else if ((strcmp(type, "reasoning_summary_delta") == 0 ||
	    strcmp(type, "reasoning_delta") == 0) && json_is_string(d))
		session_emit(s, UIEV_REASONING_DELTA, json_pack("{s:O}",
		    "delta", d));
	else if (strcmp(type, "item_done") == 0)
		on_item(s, json_object_get(ev, "item"));
	else if (strcmp(type, "retrying") == 0)
		session_emit(s, UIEV_RETRYING, json_pack("{s:O?, s:O?, s:O?, "
		    "s:O?}", "attempt", json_object_get(ev, "attempt"), "max",
		    json_object_get(ev, "max"), "delay_ms",
		    json_object_get(ev, "delay_ms"), "reason",
		    json_object_get(ev, "reason")));
	else if (strcmp(type, "completed") == 0)
		on_completed(s, ev);
	else if (strcmp(type, "failed") == 0)
		on_failed(s, ev);
}

/*
 * The text of a message or reasoning item: the named parts of its
 * content (or summary) joined.
 */
static char *
item_text(json_t *item, const char *field, const char *part)
{
	json_t	*arr = json_object_get(item, field), *c;
	char	*text = NULL, *t;
	size_t	 i;

	json_array_foreach(arr, i, c) {
		const char	*v;

		if (!json_is_object(c) || strcmp(json_string_value(
		    json_object_get(c, "type")) ? json_string_value(
		    json_object_get(c, "type")) : "", part) != 0 ||
		    (v = json_string_value(json_object_get(c, "text"))) ==
		    NULL)
			continue;
		if (asprintf(&t, "%s%s%s", text ? text : "", text ? "\n" : "",
		    v) == -1)
			fatal(NULL);
		free(text);
		text = t;
	}
	return text;
}

/*
 * A finished output item: only these enter the history.  Messages and
 * reasoning go to the front end; tool calls wait until the response is
 * complete, then run in order.
 */
static void
on_item(struct session *s, json_t *item)
{
	const char	*type = json_string_value(json_object_get(item, "type"));
	struct call	*c;
	char		*text;

	if (type == NULL)
		return;
	if (s->compacting) {
		if (strcmp(type, "message") == 0 &&
		    (text = item_text(item, "content", "output_text")) != NULL) {
			compact_item(s, text);
			free(text);
		}
		return;
	}
	hist_add(s, json_incref(item));
	if (strcmp(type, "message") == 0) {
		s->partial_msg = 1;
		if ((text = item_text(item, "content", "output_text")) == NULL)
			return;
		free(s->last_message);
		s->last_message = text;
		record_event(s, rollout_ev_agent_message(text));
		session_emit(s, UIEV_AGENT_MESSAGE, json_pack("{s:s}", "text",
		    text));
	} else if (strcmp(type, "reasoning") == 0) {
		if ((text = item_text(item, "summary", "summary_text")) ==
		    NULL)
			return;
		session_emit(s, UIEV_REASONING, json_pack("{s:s}", "text",
		    text));
		record_event(s, rollout_ev_agent_reasoning(text));
		free(text);
	} else if (strcmp(type, "function_call") == 0 ||
	    strcmp(type, "custom_tool_call") == 0) {
		if ((c = calloc(1, sizeof(*c))) == NULL)
			fatal(NULL);
		c->item = json_incref(item);
		c->sess = s;
		c->custom = type[0] == 'c';
		c->call_id = strdup(json_string_value(json_object_get(item,
		    "call_id")) ? json_string_value(json_object_get(item,
		    "call_id")) : "");
		c->name = strdup(json_string_value(json_object_get(item,
		    "name")) ? json_string_value(json_object_get(item,
		    "name")) : "");
		if (c->call_id == NULL || c->name == NULL)
			fatal(NULL);
		TAILQ_INSERT_TAIL(&s->calls, c, entry);
	}
}

static void
usage_add(struct session *s, json_t *u)
{
	const char	*k;
	json_t		*v;

	json_object_foreach(u, k, v) {
		json_t	*cur = json_object_get(s->usage, k);

		if (json_is_integer(v) && json_is_integer(cur))
			(void)json_integer_set(cur, json_integer_value(cur) +
			    json_integer_value(v));
	}
	session_emit(s, UIEV_TOKEN_COUNT, json_pack("{s:O}", "usage",
	    s->usage));
	record_event(s, token_count(s, u));
}

/*
 * The response is complete (or cut after items that must not be lost,
 * see IMSG_NET_EVENT): run its tool calls, or end the turn.
 */
static void
on_completed(struct session *s, json_t *ev)
{
	s->req_id = 0;
	s->partial = json_is_true(json_object_get(ev, "partial"));
	usage_add(s, json_object_get(ev, "usage"));
	if (s->compacting) {
		compact_done(s);
		if (s->compact_only) {
			s->compact_only = 0;
			turn_end(s, TURN_OK, NULL);
			return;
		}
		session_next_call(s);
		return;
	}
	if (compact_needed(s, json_object_get(ev, "usage")))
		s->compact_pending = 1;
	if (TAILQ_EMPTY(&s->calls)) {
		if (s->partial && !s->partial_msg)
			partial_again(s, ev);
		else
			turn_end(s, TURN_OK, NULL);
		return;
	}
	session_next_call(s);
}

/*
 * A stream cut after some items but before any message or tool call
 * (say after a reasoning item) holds no answer, and ending the turn
 * there would end it silently.  Ask again with the items kept, as Codex
 * retries a broken stream, at most stream_max_retries times a turn.
 */
static void
partial_again(struct session *s, json_t *ev)
{
	const char	*why = json_string_value(json_object_get(ev, "reason"));
	int64_t		 max = config_provider(s->p.cfg)->stream_max_retries;

	if (why == NULL)
		why = "stream closed before response.completed";
	if (s->partial_asks >= max) {
		turn_end(s, TURN_FAILED, why);
		return;
	}
	s->partial_asks++;
	session_emit(s, UIEV_RETRYING, json_pack("{s:i, s:I, s:i, s:s}",
	    "attempt", s->partial_asks, "max", (json_int_t)max, "delay_ms", 0,
	    "reason", why));
	session_request(s);
}

static void
on_failed(struct session *s, json_t *ev)
{
	const char	*m = json_string_value(json_object_get(ev, "message"));

	s->req_id = 0;
	if (s->compacting && compact_failed(s, json_string_value(
	    json_object_get(ev, "kind"))))
		return;
	s->compacting = 0;
	turn_end(s, TURN_FAILED, m != NULL ? m : "the model request failed");
}

/* Run the next queued tool call, or ask the model again. */
void
session_next_call(struct session *s)
{
	struct call	*c;

	if (!s->active)
		return;
	if ((c = TAILQ_FIRST(&s->calls)) == NULL) {
		session_request(s);
		return;
	}
	s->running = c;
	toolrun_start(s, c);
}

/*
 * A tool call finished: its output joins the history as the item kind
 * that answers the call's kind.
 */
void
session_call_done(struct session *s, struct call *c, const char *output)
{
	json_t	*out;

	if ((out = json_string(output)) == NULL)
		out = json_string("(output was not valid UTF-8)");
	session_call_done_json(s, c, out);
}

/* The same, with output as a JSON value (content items for images). */
void
session_call_done_json(struct session *s, struct call *c, json_t *output)
{
	json_t	*o;

	o = json_pack("{s:s, s:s, s:o}", "type", c->custom ?
	    "custom_tool_call_output" : "function_call_output", "call_id",
	    c->call_id, "output", output);
	if (o == NULL)
		fatalx("cannot record a tool's output");
	hist_add(s, o);
	TAILQ_REMOVE(&s->calls, c, entry);
	if (s->running == c)
		s->running = NULL;
	call_free(c);
	session_next_call(s);
}

static void
turn_end(struct session *s, int how, const char *error)
{
	struct call	*c;

	if (!s->active)
		return;
	s->active = 0;
	s->compacting = s->compact_only = s->compact_pending = 0;
	while ((c = TAILQ_FIRST(&s->calls)) != NULL) {
		TAILQ_REMOVE(&s->calls, c, entry);
		call_free(c);
	}
	s->running = NULL;
	if (how == TURN_OK)
		record_event(s, rollout_ev_task_complete(s->turn_id,
		    s->last_message));
	else
		record_event(s, rollout_ev_turn_aborted(s->turn_id,
		    how == TURN_INTERRUPTED ? "interrupted" : "failed"));
	if (s->p.rollout != NULL &&
	    rollout_sync(s->p.rollout, ROLLOUT_AT_TURN_END) == -1)
		log_warn("%s", rollout_path(s->p.rollout));
	if (how == TURN_OK)
		session_emit(s, UIEV_TASK_COMPLETE, json_pack("{s:s?, s:O}",
		    "last_agent_message", s->last_message, "usage",
		    s->usage));
	else
		session_emit(s, UIEV_TURN_FAILED, json_pack("{s:s}", "message",
		    error != NULL ? error : "interrupted"));
	if (how == TURN_OK && notify_start(s) && s->p.wait_notify) {
		s->done_how = how;
		return;
	}
	s->p.done(s, how, how == TURN_OK ? s->last_message : error);
}

/*
 * The notify program of the configuration, after a completed turn: its
 * argv with Codex's JSON payload as the last argument, run by execproc
 * in the session's sandbox.  Returns whether it was started.
 */
static int
notify_start(struct session *s)
{
	const struct config	*cfg = s->p.cfg;
	struct exec_req		 er;
	json_t			*pl;
	char			**argv, *js, tid[16];
	size_t			 i;

	if (cfg->notify.n == 0)
		return 0;
	(void)snprintf(tid, sizeof(tid), "%d", s->turn);
	pl = json_pack("{s:s, s:s, s:s, s:s, s:[s], s:s?}", "type",
	    "agent-turn-complete", "thread-id", s->p.thread_id, "turn-id", tid,
	    "cwd", s->p.policy->cwd, "input-messages", s->prompt,
	    "last-assistant-message", s->last_message);
	if (pl == NULL || (js = json_dumps(pl, JSON_COMPACT)) == NULL)
		fatalx("cannot encode the notify payload");
	json_decref(pl);
	if ((argv = calloc(cfg->notify.n + 2, sizeof(*argv))) == NULL)
		fatal(NULL);
	for (i = 0; i < cfg->notify.n; i++)
		argv[i] = cfg->notify.v[i];
	argv[i] = js;
	memset(&er, 0, sizeof(er));
	er.argv = argv;
	er.env = s->p.env;
	er.policy = s->p.policy;
	er.workdir = s->p.policy->cwd;
	er.end = notify_end;
	er.arg = s;
	(void)execclient_run(&children[PROC_EXECPROC].peer, &er);
	free(argv);
	free(js);
	return 1;
}

static void
notify_end(void *arg, const struct msg_exec_end *me)
{
	struct session	*s = arg;

	if (me->exit_code != 0)
		log_warnx("notify program exited with status %d",
		    me->exit_code);
	if (s->p.wait_notify)
		s->p.done(s, s->done_how, s->last_message);
}

/*
 * /compact: summarise the conversation now, as a turn of its own (the
 * done callback fires when the history has been replaced).  Returns -1
 * while a turn runs.
 */
int
session_compact(struct session *s)
{
	if (s->active)
		return -1;
	s->active = 1;
	s->turn++;
	s->compact_only = 1;
	compact_start(s);
	return 0;
}

/* Ctrl-C or SIGINT: stop the stream and the running command. */
void
session_interrupt(struct session *s)
{
	if (!s->active)
		return;
	if (s->req_id != 0)
		model_cancel(&children[PROC_NETPROC].peer, s->req_id);
	s->req_id = 0;
	toolrun_interrupt(s);
	turn_end(s, TURN_INTERRUPTED, "interrupted");
}

/* Add an item to the history, and to the rollout. */
static void
hist_add(struct session *s, json_t *item)
{
	if (json_array_append(s->history, item) == -1)
		fatal(NULL);
	session_record(s, ROLLOUT_RESPONSE_ITEM, item);
}

/*
 * Write one rollout line; the payload is consumed.  A failed write is
 * reported, and the session goes on: losing the record is better than
 * losing the work (the writer keeps the file line-complete).
 */
void
session_record(struct session *s, const char *type, json_t *payload)
{
	if (payload == NULL)
		return;
	if (s->p.rollout != NULL &&
	    rollout_write(s->p.rollout, type, payload) == -1)
		log_warn("cannot write %s", rollout_path(s->p.rollout));
	json_decref(payload);
}

static void
record_event(struct session *s, json_t *ev)
{
	session_record(s, ROLLOUT_EVENT_MSG, ev);
}

/* turn_context, once per turn, as Codex writes it. */
static void
record_turn(struct session *s)
{
	const struct config	*cfg = s->p.cfg;
	const struct policy	*pol = s->p.policy;
	struct rollout_turn	 rt;

	(void)snprintf(s->turn_id, sizeof(s->turn_id), "%d", s->turn);
	memset(&rt, 0, sizeof(rt));
	rt.turn_id = s->turn_id;
	rt.cwd = pol->cwd;
	rt.approval_policy = config_approval_name(cfg->approval_policy);
	rt.sandbox_policy = rollout_sandbox_policy(
	    config_sandbox_name(cfg->sandbox_mode),
	    (const char *const *)pol->roots, pol->nroots, pol->network,
	    pol->exclude_tmpdir_env_var, pol->exclude_slash_tmp);
	rt.model = cfg->model;
	rt.effort = config_effort_name(cfg->model_reasoning_effort);
	rt.summary = config_summary_name(cfg->model_reasoning_summary) ?
	    config_summary_name(cfg->model_reasoning_summary) : "auto";
	session_record(s, ROLLOUT_TURN_CONTEXT, rollout_turn_context(&rt));
	json_decref(rt.sandbox_policy);
}

static int64_t
usage_int(json_t *u, const char *k)
{
	return json_integer_value(json_object_get(u, k));
}

static json_t *
token_count(struct session *s, json_t *last)
{
	struct rollout_usage	 t, l;

	t.input_tokens = usage_int(s->usage, "input_tokens");
	t.cached_input_tokens = usage_int(s->usage, "cached_input_tokens");
	t.output_tokens = usage_int(s->usage, "output_tokens");
	t.reasoning_output_tokens = usage_int(s->usage,
	    "reasoning_output_tokens");
	t.total_tokens = usage_int(s->usage, "total_tokens");
	l.input_tokens = usage_int(last, "input_tokens");
	l.cached_input_tokens = usage_int(last, "cached_input_tokens");
	l.output_tokens = usage_int(last, "output_tokens");
	l.reasoning_output_tokens = usage_int(last, "reasoning_output_tokens");
	l.total_tokens = usage_int(last, "total_tokens");
	return rollout_ev_token_count(&t, &l, s->p.cfg->model_context_window);
}

/*
 * $CODEX_HOME/history.jsonl: one line per prompt, for recall in the
 * interactive front end, written in one write(2).
 */
static void
prompt_history(struct session *s, const char *prompt)
{
	json_t	*o;
	char	*line;
	size_t	 len;

	if (s->p.histfd == -1)
		return;
	o = json_pack("{s:s, s:I, s:s}", "conversation_id", s->p.thread_id,
	    "ts", (json_int_t)time(NULL), "text", prompt);
	if (o == NULL || (line = json_dumps(o, JSON_COMPACT)) == NULL)
		fatalx("cannot encode a history line");
	json_decref(o);
	len = strlen(line);
	line[len] = '\n';	/* json_dumps leaves room for the NUL */
	(void)setup_histwrite(s->p.histfd, line, len + 1);
	free(line);
}

/*
 * How many leading items of a history are initial context: developer
 * messages and user messages that carry context, not something typed.
 */
static size_t
context_count(json_t *h)
{
	const char	*role, *type, *t;
	json_t		*it, *c;
	size_t		 i;

	json_array_foreach(h, i, it) {
		type = json_string_value(json_object_get(it, "type"));
		role = json_string_value(json_object_get(it, "role"));
		if (type == NULL || role == NULL || strcmp(type, "message") != 0)
			return i;
		if (strcmp(role, "developer") == 0 || strcmp(role, "system") == 0)
			continue;
		c = json_array_get(json_object_get(it, "content"), 0);
		t = json_string_value(json_object_get(c, "text"));
		if (strcmp(role, "user") != 0 || t == NULL ||
		    (strncmp(t, "# AGENTS.md instructions", 24) != 0 &&
		    strncmp(t, "<environment_context>", 21) != 0))
			return i;
	}
	return i;
}
