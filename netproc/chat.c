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
 * Chat Completions (wire_api = "chat"), which many local servers still
 * speak: the Responses history turned into messages, and the streamed
 * deltas accumulated into the same items a Responses stream yields.
 */

#include <sys/types.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "imsg/log.h"
#include "netproc/netproc.h"

static json_t	*msg_content(json_t *, int *);
static json_t	*tool_call(json_t *);
static json_t	*output_content(json_t *);
static int	 last_user(json_t *);
static void	 add_message(json_t *, json_t *, json_t **);
static json_t	*chat_tools(json_t *);
static void	 chat_usage(struct decoder *, json_t *);
static void	 chat_calls(struct decoder *, json_t *);
static void	 chat_flush(struct decoder *, int);
static void	 append(json_t **, const char *);

/* The text of a message, or parts when it carries images. */
static json_t *
msg_content(json_t *item, int *images)
{
	json_t		*c = json_object_get(item, "content"), *part, *parts;
	const char	*t, *s;
	size_t		 i;
	char		*all = NULL, *n;

	*images = 0;
	if (json_is_string(c))
		return json_incref(c);
	json_array_foreach(c, i, part)
		if ((t = json_string_value(json_object_get(part, "type"))) !=
		    NULL && strcmp(t, "input_image") == 0)
			*images = 1;
	if (*images) {
		if ((parts = json_array()) == NULL)
			fatal(NULL);
		json_array_foreach(c, i, part) {
			t = json_string_value(json_object_get(part, "type"));
			if (t != NULL && strcmp(t, "input_image") == 0)
				json_array_append_new(parts, json_pack(
				    "{s:s, s:{s:O}}", "type", "image_url",
				    "image_url", "url", json_object_get(part,
				    "image_url")));
			else if ((s = json_string_value(json_object_get(part,
			    "text"))) != NULL)
				json_array_append_new(parts, json_pack(
				    "{s:s, s:s}", "type", "text", "text", s));
		}
		return parts;
	}
	json_array_foreach(c, i, part) {
		if ((s = json_string_value(json_object_get(part, "text"))) ==
		    NULL)
			continue;
		if (asprintf(&n, "%s%s", all != NULL ? all : "", s) == -1)
			fatal(NULL);
		free(all);
		all = n;
	}
	c = json_string(all != NULL ? all : "");
	free(all);
	return c;
}

/* A call item as an entry of an assistant message's tool_calls. */
static json_t *
tool_call(json_t *item)
{
	const char	*t = json_string_value(json_object_get(item, "type"));

	if (strcmp(t, "function_call") == 0)
		return json_pack("{s:O?, s:s, s:{s:O?, s:O?}}", "id",
		    json_object_get(item, "call_id"), "type", "function",
		    "function", "name", json_object_get(item, "name"),
		    "arguments", json_object_get(item, "arguments"));
	if (strcmp(t, "custom_tool_call") == 0)
		return json_pack("{s:O?, s:s, s:{s:O?, s:O?}}", "id",
		    json_object_get(item, "call_id"), "type", "custom",
		    "custom", "name", json_object_get(item, "name"),
		    "input", json_object_get(item, "input"));
	return json_pack("{s:O?, s:s, s:O?, s:O?}", "id",
	    json_object_get(item, "call_id"), "type", "local_shell_call",
	    "status", json_object_get(item, "status"), "action",
	    json_object_get(item, "action"));
}

/* A tool output: a string, or text and image parts. */
static json_t *
output_content(json_t *item)
{
	json_t	*o = json_object_get(item, "output"), *fake;
	int	 images;

	if (json_is_string(o) || !json_is_array(o))
		return json_is_string(o) ? json_incref(o) : json_string("");
	if ((fake = json_pack("{s:O}", "content", o)) == NULL)
		fatal(NULL);
	o = msg_content(fake, &images);
	json_decref(fake);
	return o;
}

/* Index of the last user message in the input, or -1. */
static int
last_user(json_t *input)
{
	json_t		*it;
	const char	*t, *r;
	size_t		 i;
	int		 last = -1;

	json_array_foreach(input, i, it) {
		t = json_string_value(json_object_get(it, "type"));
		r = json_string_value(json_object_get(it, "role"));
		if (t != NULL && r != NULL && strcmp(t, "message") == 0 &&
		    strcmp(r, "user") == 0)
			last = (int)i;
	}
	return last;
}

/*
 * Append a message; reasoning waiting for an assistant message or call
 * is attached to it.
 */
static void
add_message(json_t *msgs, json_t *m, json_t **pending)
{
	const char	*role;

	role = json_string_value(json_object_get(m, "role"));
	if (*pending != NULL && role != NULL &&
	    strcmp(role, "assistant") == 0) {
		json_object_set_new(m, "reasoning", *pending);
		*pending = NULL;
	}
	if (json_array_append_new(msgs, m) == -1)
		fatalx("json_array_append_new");
}

/*
 * The history as Chat Completions messages: the instructions as the
 * system message, calls as assistant tool_calls (consecutive ones merged
 * into one message), their outputs as role "tool", and the reasoning
 * after the last user message re-attached to the assistant message
 * before it, or else the one after it.
 */
json_t *
chat_messages(json_t *input, const char *instructions)
{
	json_t		*msgs, *it, *m, *prev, *tc, *c, *pending = NULL;
	const char	*t, *role, *lasttext = NULL;
	size_t		 i, n;
	int		 images, lu, endsuser;

	if ((msgs = json_array()) == NULL)
		fatal(NULL);
	if (instructions != NULL && *instructions != '\0')
		json_array_append_new(msgs, json_pack("{s:s, s:s}", "role",
		    "system", "content", instructions));
	lu = last_user(input);
	endsuser = lu >= 0 && (size_t)lu + 1 == json_array_size(input);
	json_array_foreach(input, i, it) {
		t = json_string_value(json_object_get(it, "type"));
		if (t == NULL)
			continue;
		n = json_array_size(msgs);
		prev = n > 0 ? json_array_get(msgs, n - 1) : NULL;
		if (strcmp(t, "message") == 0) {
			role = json_string_value(json_object_get(it, "role"));
			c = msg_content(it, &images);
			if (role != NULL && strcmp(role, "assistant") == 0) {
				if (lasttext != NULL && json_is_string(c) &&
				    strcmp(lasttext, json_string_value(c)) == 0) {
					json_decref(c);
					continue;
				}
			}
			m = json_pack("{s:s, s:o}", "role", role != NULL ?
			    role : "user", "content", c);
			add_message(msgs, m, &pending);
			if (role != NULL && strcmp(role, "assistant") == 0)
				lasttext = json_string_value(
				    json_object_get(m, "content"));
		} else if (strcmp(t, "function_call") == 0 ||
		    strcmp(t, "custom_tool_call") == 0 ||
		    strcmp(t, "local_shell_call") == 0) {
			if ((tc = tool_call(it)) == NULL)
				continue;
			if (prev != NULL && json_is_null(json_object_get(prev,
			    "content")) && json_is_array(json_object_get(prev,
			    "tool_calls")) && pending == NULL) {
				json_array_append_new(json_object_get(prev,
				    "tool_calls"), tc);
				continue;
			}
			m = json_pack("{s:s, s:n, s:[o]}", "role", "assistant",
			    "content", "tool_calls", tc);
			add_message(msgs, m, &pending);
		} else if (strcmp(t, "function_call_output") == 0 ||
		    strcmp(t, "custom_tool_call_output") == 0) {
			m = json_pack("{s:s, s:O?, s:o}", "role", "tool",
			    "tool_call_id", json_object_get(it, "call_id"),
			    "content", output_content(it));
			add_message(msgs, m, &pending);
		} else if (strcmp(t, "reasoning") == 0 && !endsuser &&
		    (int)i > lu) {
			json_t	*rt = NULL, *part;
			size_t	 k;
			const char *pt;

			json_array_foreach(json_object_get(it, "content"), k,
			    part) {
				pt = json_string_value(json_object_get(part,
				    "type"));
				if (pt != NULL && (strcmp(pt, "reasoning_text")
				    == 0 || strcmp(pt, "text") == 0))
					append(&rt, json_string_value(
					    json_object_get(part, "text")));
			}
			if (rt == NULL)
				continue;
			role = prev != NULL ? json_string_value(
			    json_object_get(prev, "role")) : NULL;
			if (role != NULL && strcmp(role, "assistant") == 0 &&
			    !json_is_null(json_object_get(prev, "content")))
				json_object_set_new(prev, "reasoning", rt);
			else {
				json_decref(pending);
				pending = rt;
			}
		}
	}
	json_decref(pending);
	return msgs;
}

/* Only function tools survive; each keeps its outer name, as v0.94. */
static json_t *
chat_tools(json_t *tools)
{
	json_t		*out, *t;
	const char	*type;
	size_t		 i;

	if ((out = json_array()) == NULL)
		fatal(NULL);
	json_array_foreach(tools, i, t) {
		type = json_string_value(json_object_get(t, "type"));
		if (type == NULL || strcmp(type, "function") != 0)
			continue;
		json_array_append_new(out, json_pack("{s:s, s:O?, s:{s:O?, "
		    "s:O?, s:O?, s:O?}}", "type", "function", "name",
		    json_object_get(t, "name"), "function", "name",
		    json_object_get(t, "name"), "description",
		    json_object_get(t, "description"), "strict",
		    json_object_get(t, "strict"), "parameters",
		    json_object_get(t, "parameters")));
	}
	return out;
}

/* {"model", "messages", "stream": true, "tools"}, as Codex sent it. */
char *
chat_body(const struct np_provider *p, json_t *req, size_t *lenp)
{
	json_t	*b;
	char	*s;

	(void)p;
	b = json_pack("{s:O?, s:o, s:b, s:o}", "model",
	    json_object_get(req, "model"), "messages",
	    chat_messages(json_object_get(req, "input"),
	    json_string_value(json_object_get(req, "instructions"))),
	    "stream", 1, "tools", chat_tools(json_object_get(req, "tools")));
	if (b == NULL || (s = json_dumps(b, JSON_COMPACT)) == NULL)
		fatalx("building the chat body");
	json_decref(b);
	*lenp = strlen(s);
	return s;
}

/* Append text to a JSON string held in *acc, creating it if needed. */
static void
append(json_t **acc, const char *s)
{
	char	*n;

	if (s == NULL)
		return;
	if (*acc == NULL) {
		if ((*acc = json_string(s)) == NULL)
			fatal(NULL);
		return;
	}
	if (asprintf(&n, "%s%s", json_string_value(*acc), s) == -1)
		fatal(NULL);
	if (json_string_set(*acc, n) == -1)
		fatalx("json_string_set");
	free(n);
}

static void
chat_usage(struct decoder *d, json_t *u)
{
	if (!json_is_object(u))
		return;
	json_decref(d->chat_usage);
	d->chat_usage = json_pack("{s:I, s:I, s:I, s:I, s:I}",
	    "input_tokens", json_integer_value(json_object_get(u,
	    "prompt_tokens")),
	    "cached_input_tokens", json_integer_value(json_object_get(
	    json_object_get(u, "prompt_tokens_details"), "cached_tokens")),
	    "output_tokens", json_integer_value(json_object_get(u,
	    "completion_tokens")),
	    "reasoning_output_tokens", json_integer_value(json_object_get(
	    json_object_get(u, "completion_tokens_details"),
	    "reasoning_tokens")),
	    "total_tokens", json_integer_value(json_object_get(u,
	    "total_tokens")));
}

/*
 * Tool call fragments: keyed by index, else by an id already seen, else
 * the last one; the first id and name stick, arguments are appended.
 */
static void
chat_calls(struct decoder *d, json_t *calls)
{
	json_t		*c, *slot, *fn, *v;
	const char	*id;
	size_t		 i, k;
	long long	 idx;

	if (d->chat_calls == NULL && (d->chat_calls = json_array()) == NULL)
		fatal(NULL);
	json_array_foreach(calls, i, c) {
		id = json_string_value(json_object_get(c, "id"));
		idx = -1;
		if (json_is_integer(json_object_get(c, "index")))
			idx = json_integer_value(json_object_get(c, "index"));
		json_array_foreach(d->chat_calls, k, slot)
			if (idx < 0 && id != NULL && strcmp(id,
			    json_string_value(json_object_get(slot, "id")) ?
			    json_string_value(json_object_get(slot, "id")) :
			    "") == 0)
				idx = json_integer_value(json_object_get(slot,
				    "index"));
		if (idx < 0 && id == NULL && json_array_size(d->chat_calls) > 0)
			idx = json_integer_value(json_object_get(
			    json_array_get(d->chat_calls,
			    json_array_size(d->chat_calls) - 1), "index"));
		if (idx < 0)
			idx = json_array_size(d->chat_calls);
		slot = NULL;
		json_array_foreach(d->chat_calls, k, v)
			if (json_integer_value(json_object_get(v, "index")) ==
			    idx)
				slot = v;
		if (slot == NULL) {
			slot = json_pack("{s:I, s:s}", "index",
			    (json_int_t)idx, "arguments", "");
			json_array_append_new(d->chat_calls, slot);
		}
		if (id != NULL && json_object_get(slot, "id") == NULL)
			json_object_set_new(slot, "id", json_string(id));
		fn = json_object_get(c, "function");
		if ((v = json_object_get(fn, "name")) != NULL &&
		    json_is_string(v) && *json_string_value(v) != '\0' &&
		    json_object_get(slot, "name") == NULL)
			json_object_set(slot, "name", v);
		if ((id = json_string_value(json_object_get(fn,
		    "arguments"))) != NULL) {
			v = json_incref(json_object_get(slot, "arguments"));
			append(&v, id);
			json_object_set_new(slot, "arguments", v);
		}
	}
}

/* Emit the finished items: reasoning, then the message, then calls. */
static void
chat_flush(struct decoder *d, int calls)
{
	json_t		*c, *callid;
	size_t		 i;
	char		 cid[64];

	if (d->chat_reasoning != NULL)
		decoder_emit(d, json_pack("{s:s, s:{s:s, s:[], s:[{s:s, "
		    "s:O}]}}", "type", "item_done", "item", "type",
		    "reasoning", "summary", "content", "type",
		    "reasoning_text", "text", d->chat_reasoning));
	if (d->chat_text != NULL)
		decoder_emit(d, json_pack("{s:s, s:{s:s, s:s, s:[{s:s, "
		    "s:O}]}}", "type", "item_done", "item", "type", "message",
		    "role", "assistant", "content", "type", "output_text",
		    "text", d->chat_text));
	json_decref(d->chat_reasoning);
	json_decref(d->chat_text);
	d->chat_reasoning = d->chat_text = NULL;
	if (!calls || d->chat_calls == NULL)
		return;
	json_array_foreach(d->chat_calls, i, c) {
		if (json_object_get(c, "name") == NULL)
			continue;
		(void)snprintf(cid, sizeof(cid), "tool-call-%lld",
		    (long long)json_integer_value(json_object_get(c,
		    "index")));
		if ((callid = json_object_get(c, "id")) != NULL)
			json_incref(callid);
		else if ((callid = json_string(cid)) == NULL)
			fatal(NULL);
		decoder_emit(d, json_pack("{s:s, s:{s:s, s:O, s:O, s:o}}",
		    "type", "item_done", "item", "type", "function_call",
		    "name", json_object_get(c, "name"), "arguments",
		    json_object_get(c, "arguments"), "call_id", callid));
	}
	json_decref(d->chat_calls);
	d->chat_calls = NULL;
}

/* [DONE], or a clean end after finish_reason: the turn is complete. */
void
chat_done(struct decoder *d)
{
	if (d->end != DEC_OPEN)
		return;
	chat_flush(d, 1);
	decoder_emit(d, json_pack("{s:s, s:s?, s:O?, s:b}", "type",
	    "completed", "response_id", d->response_id, "usage",
	    d->chat_usage != NULL ? d->chat_usage : json_null(), "partial",
	    0));
}

/* One chunk of a Chat Completions stream. */
void
chat_data(struct decoder *d, json_t *j)
{
	json_t		*ch, *delta, *e, *r;
	const char	*fin, *s, *id;

	if ((e = json_object_get(j, "error")) != NULL) {
		classify_failure(d, json_string_value(json_object_get(e,
		    "code")), json_string_value(json_object_get(e,
		    "message")));
		return;
	}
	if (d->response_id == NULL && (id = json_string_value(
	    json_object_get(j, "id"))) != NULL &&
	    (d->response_id = strdup(id)) == NULL)
		fatal(NULL);
	chat_usage(d, json_object_get(j, "usage"));
	ch = json_array_get(json_object_get(j, "choices"), 0);
	delta = json_object_get(ch, "delta");
	if ((s = json_string_value(json_object_get(delta, "content"))) !=
	    NULL && *s != '\0') {
		if (!d->chat_added) {
			d->chat_added = 1;
			decoder_emit(d, json_pack("{s:s, s:{s:s, s:s, s:[]}}",
			    "type", "item_added", "item", "type", "message",
			    "role", "assistant", "content"));
		}
		append(&d->chat_text, s);
		decoder_emit(d, json_pack("{s:s, s:s}", "type", "text_delta",
		    "delta", s));
	}
	r = json_object_get(delta, "reasoning");
	if (json_is_object(r))
		r = json_object_get(r, "text") != NULL ?
		    json_object_get(r, "text") : json_object_get(r, "content");
	if ((s = json_string_value(r)) != NULL && *s != '\0') {
		append(&d->chat_reasoning, s);
		decoder_emit(d, json_pack("{s:s, s:s, s:i}", "type",
		    "reasoning_delta", "delta", s, "content_index", 0));
	}
	if (json_is_array(json_object_get(delta, "tool_calls")))
		chat_calls(d, json_object_get(delta, "tool_calls"));
	if ((fin = json_string_value(json_object_get(ch, "finish_reason"))) ==
	    NULL)
		return;
	d->chat_finished = 1;
	if (strcmp(fin, "length") == 0)
		decoder_fail(d, "context_length_exceeded",
		    "context_length_exceeded", "the model's output hit the "
		    "context window (finish_reason length)", -1);
	else
		chat_flush(d, strcmp(fin, "tool_calls") == 0);
}
