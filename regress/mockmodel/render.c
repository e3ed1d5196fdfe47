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
 * Rendering of one scripted turn into the bytes of an SSE body, in the
 * Responses API format (named events with sequence numbers, each output
 * item wrapped in added/delta/done events) or the Chat Completions one
 * (anonymous chunks, then "data: [DONE]").  The event shapes follow what
 * the real services send, so that a client which works against the mock
 * has a fair chance of working against them.
 */

#include <err.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "mockmodel.h"

struct gen {
	const struct mm_turn	*t;
	const struct mm_ctx	*c;
	struct mm_body		*body;
	const char		*eol;
	long long		 seq;		/* Responses sequence_number */
	json_t			*output;	/* items done, for completed */
	int			 malformed;	/* the bad line was sent */
	char			 rid[64];	/* response or completion id */
};

static void	 body_add(struct mm_body *, const char *, size_t);
static void	 body_end_event(struct gen *);
static void	 emit_data(struct gen *, const char *, const char *);
static void	 emit_json(struct gen *, const char *, json_t *);
static void	 jset(json_t *, const char *, json_t *);
static void	 jref(json_t *, const char *, json_t *);
static void	 jupd(json_t *, json_t *);
static json_t	*jchk(json_t *);
static json_t	*jstr(const char *, size_t);
static json_t	*ev_new(struct gen *, const char *);
static void	 gen_init(struct gen *, const struct mm_turn *,
		    const struct mm_ctx *, struct mm_body *, const char *);
static void	 item_ids(struct gen *, const struct mm_item *, size_t,
		    char *, char *);
static json_t	*response_obj(struct gen *, const char *);
static void	 r_added(struct gen *, json_t *, size_t);
static void	 r_deltas(struct gen *, const char *, json_t *,
		    const struct mm_text *, int);
static json_t	*r_message(struct gen *, const struct mm_item *, size_t);
static void	 r_summary(struct gen *, const char *, size_t,
		    const struct mm_text *, size_t);
static json_t	*r_reasoning(struct gen *, const struct mm_item *, size_t);
static json_t	*r_call(struct gen *, const struct mm_item *, size_t);
static void	 r_end(struct gen *);
static void	 malformed(struct gen *);
static void	 raw_events(struct gen *);
static json_t	*c_chunk(struct gen *, json_t *, const char *);
static void	 c_deltas(struct gen *, const char *, const struct mm_text *);
static void	 c_call(struct gen *, const struct mm_item *, size_t, size_t);
static json_t	*c_usage(const json_t *);
static void	 c_end(struct gen *, size_t);

static void
body_add(struct mm_body *b, const char *p, size_t n)
{
	size_t	 ncap;
	char	*nb;

	if (n > SIZE_MAX / 4 - b->len)
		errx(1, "body too large");
	if (b->len + n > b->cap) {
		ncap = b->cap ? b->cap : 4096;
		while (ncap < b->len + n)
			ncap *= 2;
		if ((nb = realloc(b->b, ncap)) == NULL)
			err(1, NULL);
		b->b = nb;
		b->cap = ncap;
	}
	memcpy(b->b + b->len, p, n);
	b->len += n;
}

/*
 * Close an event: note where it ends, so the streamer can stall or cut
 * between events, and put the malformed line in if it is due here.
 */
static void
body_end_event(struct gen *g)
{
	struct mm_body	*b = g->body;
	size_t		 ncap, *ne;

	if (b->nends == b->capends) {
		ncap = b->capends ? b->capends * 2 : 64;
		if ((ne = reallocarray(b->ends, ncap, sizeof(*ne))) == NULL)
			err(1, NULL);
		b->ends = ne;
		b->capends = ncap;
	}
	b->ends[b->nends++] = b->len;
	if (b->nends == g->t->fault.malformed_after && !g->malformed)
		malformed(g);
}

void
body_free(struct mm_body *b)
{
	free(b->b);
	free(b->ends);
	memset(b, 0, sizeof(*b));
}

/* One event: an optional "event:" line, then one "data:" line. */
static void
emit_data(struct gen *g, const char *name, const char *data)
{
	size_t	 el = strlen(g->eol);

	if (name != NULL) {
		body_add(g->body, "event: ", 7);
		body_add(g->body, name, strlen(name));
		body_add(g->body, g->eol, el);
	}
	body_add(g->body, "data: ", 6);
	body_add(g->body, data, strlen(data));
	body_add(g->body, g->eol, el);
	body_add(g->body, g->eol, el);
	body_end_event(g);
}

/* Emit a JSON event and drop the reference to it. */
static void
emit_json(struct gen *g, const char *name, json_t *o)
{
	char	*s;

	if ((s = json_dumps(o, JSON_COMPACT)) == NULL)
		errx(1, "json_dumps");
	emit_data(g, name, s);
	free(s);
	json_decref(o);
}

/*
 * Checked jansson helpers: building a JSON value only fails when memory
 * runs out, and a test server may as well stop then.
 */
static json_t *
jchk(json_t *j)
{
	if (j == NULL)
		errx(1, "json: out of memory");
	return j;
}

static void
jset(json_t *o, const char *k, json_t *v)
{
	if (json_object_set_new(o, k, jchk(v)) == -1)
		errx(1, "json_object_set_new");
}

static void
jref(json_t *o, const char *k, json_t *v)
{
	if (json_object_set(o, k, v) == -1)
		errx(1, "json_object_set");
}

static void
jupd(json_t *o, json_t *from)
{
	if (json_object_update(o, from) == -1)
		errx(1, "json_object_update");
}

/* A JSON string from a piece of text; the script made it valid UTF-8. */
static json_t *
jstr(const char *s, size_t n)
{
	json_t	*j;

	if ((j = json_stringn(s, n)) == NULL)
		errx(1, "json_stringn: invalid UTF-8");
	return j;
}

/* A Responses event with its type and sequence number in front. */
static json_t *
ev_new(struct gen *g, const char *type)
{
	return jchk(json_pack("{s:s, s:I}", "type", type, "sequence_number",
	    (json_int_t)g->seq++));
}

static void
gen_init(struct gen *g, const struct mm_turn *t, const struct mm_ctx *c,
    struct mm_body *b, const char *prefix)
{
	int	 n;

	memset(g, 0, sizeof(*g));
	memset(b, 0, sizeof(*b));
	g->t = t;
	g->c = c;
	g->body = b;
	g->eol = t->crlf ? "\r\n" : "\n";
	if (t->id != NULL)
		n = snprintf(g->rid, sizeof(g->rid), "%s", t->id);
	else
		n = snprintf(g->rid, sizeof(g->rid), "%s%zu", prefix, c->k);
	if (n < 0 || (size_t)n >= sizeof(g->rid))
		errx(1, "response id too long");
	g->output = jchk(json_array());
	if (t->fault.malformed_after == 0)
		malformed(g);
}

/* Ids that say which turn and which output slot an item came from. */
static void
item_ids(struct gen *g, const struct mm_item *it, size_t idx, char *id,
    char *call)
{
	static const char *const pfx[] = { "msg", "rs", "fc", "ctc" };
	int	 n;

	if (it->id != NULL)
		n = snprintf(id, 64, "%s", it->id);
	else
		n = snprintf(id, 64, "%s_%zu_%zu", pfx[it->type], g->c->k,
		    idx);
	if (n < 0 || n >= 64)
		errx(1, "item id too long");
	if (it->call_id != NULL)
		n = snprintf(call, 64, "%s", it->call_id);
	else
		n = snprintf(call, 64, "call_%zu_%zu", g->c->k, idx);
	if (n < 0 || n >= 64)
		errx(1, "call id too long");
}

static json_t *
response_obj(struct gen *g, const char *status)
{
	return jchk(json_pack("{s:s, s:s, s:I, s:s, s:s, s:[], s:n}",
	    "id", g->rid, "object", "response", "created_at",
	    (json_int_t)g->c->created, "status", status, "model",
	    g->c->model, "output", "usage"));
}

static void
r_added(struct gen *g, json_t *item, size_t idx)
{
	json_t	*e;

	e = ev_new(g, "response.output_item.added");
	jset(e, "output_index", json_integer(idx));
	jref(e, "item", item);
	emit_json(g, "response.output_item.added", e);
}

/* The delta events of one text; base holds the fields they share. */
static void
r_deltas(struct gen *g, const char *type, json_t *base,
    const struct mm_text *t, int logprobs)
{
	json_t	*e;
	size_t	 i, from = 0;

	for (i = 0; i < t->ncut; i++) {
		e = ev_new(g, type);
		jupd(e, base);
		jset(e, "delta", jstr(t->s + from, t->cut[i] - from));
		if (logprobs)
			jset(e, "logprobs", json_array());
		emit_json(g, type, e);
		from = t->cut[i];
	}
}

static json_t *
r_message(struct gen *g, const struct mm_item *it, size_t idx)
{
	const struct mm_text	*t = it->texts;
	json_t			*item, *base, *e;
	char			 id[64], call[64];

	item_ids(g, it, idx, id, call);
	item = jchk(json_pack("{s:s, s:s, s:s, s:s, s:[]}", "id", id, "type",
	    "message", "status", "in_progress", "role", "assistant",
	    "content"));
	if (it->phase != NULL)
		jset(item, "phase", json_string(it->phase));
	r_added(g, item, idx);

	base = jchk(json_pack("{s:s, s:I, s:i}", "item_id", id,
	    "output_index", (json_int_t)idx, "content_index", 0));
	e = ev_new(g, "response.content_part.added");
	jupd(e, base);
	jset(e, "part", json_pack("{s:s, s:[], s:s}", "type", "output_text",
	    "annotations", "text", ""));
	emit_json(g, "response.content_part.added", e);
	r_deltas(g, "response.output_text.delta", base, t, 1);
	e = ev_new(g, "response.output_text.done");
	jupd(e, base);
	jset(e, "text", jstr(t->s, t->len));
	jset(e, "logprobs", json_array());
	emit_json(g, "response.output_text.done", e);
	e = ev_new(g, "response.content_part.done");
	jupd(e, base);
	jset(e, "part", json_pack("{s:s, s:[], s:o}", "type", "output_text",
	    "annotations", "text", jstr(t->s, t->len)));
	emit_json(g, "response.content_part.done", e);
	json_decref(base);

	jset(item, "status", json_string("completed"));
	jset(item, "content", json_pack("[{s:s, s:[], s:[], s:o}]", "type",
	    "output_text", "annotations", "logprobs", "text",
	    jstr(t->s, t->len)));
	return item;
}

/* One summary part of a reasoning item: added, deltas, done. */
static void
r_summary(struct gen *g, const char *id, size_t idx,
    const struct mm_text *t, size_t k)
{
	json_t	*base, *e;

	base = jchk(json_pack("{s:s, s:I, s:I}", "item_id", id,
	    "output_index", (json_int_t)idx, "summary_index", (json_int_t)k));
	e = ev_new(g, "response.reasoning_summary_part.added");
	jupd(e, base);
	jset(e, "part", json_pack("{s:s, s:s}", "type", "summary_text",
	    "text", ""));
	emit_json(g, "response.reasoning_summary_part.added", e);
	r_deltas(g, "response.reasoning_summary_text.delta", base, t, 0);
	e = ev_new(g, "response.reasoning_summary_text.done");
	jupd(e, base);
	jset(e, "text", jstr(t->s, t->len));
	emit_json(g, "response.reasoning_summary_text.done", e);
	e = ev_new(g, "response.reasoning_summary_part.done");
	jupd(e, base);
	jset(e, "part", json_pack("{s:s, s:o}", "type", "summary_text",
	    "text", jstr(t->s, t->len)));
	emit_json(g, "response.reasoning_summary_part.done", e);
	json_decref(base);
}

static json_t *
r_reasoning(struct gen *g, const struct mm_item *it, size_t idx)
{
	json_t	*item, *sum;
	char	 id[64], call[64], enc[96];
	size_t	 k;
	int	 n;

	item_ids(g, it, idx, id, call);
	item = jchk(json_pack("{s:s, s:s, s:[]}", "id", id, "type",
	    "reasoning", "summary"));
	/*
	 * A client that asked for encrypted reasoning must send it back in
	 * the next request; a recognisable token lets a test check that.
	 */
	if (it->encrypted != NULL)
		jref(item, "encrypted_content", it->encrypted);
	else if (g->c->encrypted) {
		n = snprintf(enc, sizeof(enc), "gAAAAABmock_%zu_%zu", g->c->k,
		    idx);
		if (n < 0 || (size_t)n >= sizeof(enc))
			errx(1, "snprintf");
		jset(item, "encrypted_content", json_string(enc));
	}
	r_added(g, item, idx);
	sum = json_object_get(item, "summary");
	for (k = 0; k < it->ntexts; k++) {
		r_summary(g, id, idx, &it->texts[k], k);
		if (json_array_append_new(sum, jchk(json_pack("{s:s, s:o}",
		    "type", "summary_text", "text", jstr(it->texts[k].s,
		    it->texts[k].len)))) == -1)
			errx(1, "json_array_append_new");
	}
	return item;
}

/* function_call and custom_tool_call differ only in names. */
static json_t *
r_call(struct gen *g, const struct mm_item *it, size_t idx)
{
	const struct mm_text	*t = it->texts;
	const char		*type, *field, *dtype, *ttype;
	json_t			*item, *base, *e;
	char			 id[64], call[64];

	if (it->type == MM_FUNCTION_CALL) {
		type = "function_call";
		field = "arguments";
		dtype = "response.function_call_arguments.delta";
		ttype = "response.function_call_arguments.done";
	} else {
		type = "custom_tool_call";
		field = "input";
		dtype = "response.custom_tool_call_input.delta";
		ttype = "response.custom_tool_call_input.done";
	}
	item_ids(g, it, idx, id, call);
	item = jchk(json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "id", id,
	    "type", type, "status", "in_progress", field, "", "call_id", call,
	    "name", it->name));
	r_added(g, item, idx);
	base = jchk(json_pack("{s:s, s:I}", "item_id", id, "output_index",
	    (json_int_t)idx));
	r_deltas(g, dtype, base, t, 0);
	e = ev_new(g, ttype);
	jupd(e, base);
	jset(e, field, jstr(t->s, t->len));
	emit_json(g, ttype, e);
	json_decref(base);
	jset(item, "status", json_string("completed"));
	jset(item, field, jstr(t->s, t->len));
	return item;
}

/* The event that ends the response, as the turn's fault says. */
static void
r_end(struct gen *g)
{
	const struct mm_fault	*f = &g->t->fault;
	const char		*type;
	json_t			*r, *e;

	if (f->no_completed)
		return;
	if (f->fail_code != NULL) {
		type = "response.failed";
		r = response_obj(g, "failed");
		e = jchk(json_pack("{s:s, s:s}", "code", f->fail_code,
		    "message", f->fail_message));
		if (f->fail_type != NULL)
			jset(e, "type", json_string(f->fail_type));
		jset(r, "error", e);
	} else if (f->incomplete != NULL) {
		type = "response.incomplete";
		r = response_obj(g, "incomplete");
		jset(r, "incomplete_details", json_pack("{s:s}", "reason",
		    f->incomplete));
	} else {
		type = "response.completed";
		r = response_obj(g, "completed");
		jref(r, "output", g->output);
		if (g->t->usage == NULL)
			jset(r, "usage", json_pack("{s:i, s:{s:i}, s:i, "
			    "s:{s:i}, s:i}", "input_tokens", 100,
			    "input_tokens_details", "cached_tokens", 0,
			    "output_tokens", 20, "output_tokens_details",
			    "reasoning_tokens", 0, "total_tokens", 120));
		else
			jref(r, "usage", g->t->usage);
	}
	e = ev_new(g, type);
	jset(e, "response", r);
	emit_json(g, type, e);
}

/* A data line whose JSON breaks off in the middle of a string. */
static void
malformed(struct gen *g)
{
	g->malformed = 1;
	emit_data(g, NULL,
	    "{\"type\":\"response.output_text.delta\",\"delta\":\"unterminat");
}

static void
raw_events(struct gen *g)
{
	size_t	 i;

	for (i = 0; i < g->t->nevents; i++)
		emit_data(g, NULL, g->t->events[i]);
}

void
render_responses(const struct mm_turn *t, const struct mm_ctx *c,
    struct mm_body *b)
{
	struct gen	 g;
	json_t		*e, *item = NULL;
	size_t		 i;

	gen_init(&g, t, c, b, "resp_mock_");
	if (t->raw)
		raw_events(&g);
	else {
		e = ev_new(&g, "response.created");
		jset(e, "response", response_obj(&g, "in_progress"));
		emit_json(&g, "response.created", e);
		e = ev_new(&g, "response.in_progress");
		jset(e, "response", response_obj(&g, "in_progress"));
		emit_json(&g, "response.in_progress", e);
	}
	for (i = 0; i < t->nitems; i++) {
		switch (t->items[i].type) {
		case MM_MESSAGE:
			item = r_message(&g, &t->items[i], i);
			break;
		case MM_REASONING:
			item = r_reasoning(&g, &t->items[i], i);
			break;
		case MM_FUNCTION_CALL:
		case MM_CUSTOM_TOOL_CALL:
			item = r_call(&g, &t->items[i], i);
			break;
		}
		e = ev_new(&g, "response.output_item.done");
		jset(e, "output_index", json_integer(i));
		jref(e, "item", item);
		if (json_array_append_new(g.output, item) == -1)
			errx(1, "json_array_append_new");
		emit_json(&g, "response.output_item.done", e);
	}
	if (!t->raw)
		r_end(&g);
	json_decref(g.output);
}

/* A chat.completion.chunk with one choice. */
static json_t *
c_chunk(struct gen *g, json_t *delta, const char *finish)
{
	return jchk(json_pack("{s:s, s:s, s:I, s:s, s:[{s:i, s:o, s:s?}]}",
	    "id", g->rid, "object", "chat.completion.chunk", "created",
	    (json_int_t)g->c->created, "model", g->c->model, "choices",
	    "index", 0, "delta", jchk(delta), "finish_reason", finish));
}

static void
c_deltas(struct gen *g, const char *key, const struct mm_text *t)
{
	size_t	 i, from = 0;

	for (i = 0; i < t->ncut; i++) {
		emit_json(g, NULL, c_chunk(g, json_pack("{s:o}", key,
		    jstr(t->s + from, t->cut[i] - from)), NULL));
		from = t->cut[i];
	}
}

/*
 * A tool call: the first chunk names it, the others carry pieces of the
 * arguments.  Chat Completions has no custom tools, so a custom tool
 * call becomes a function call whose arguments are {"input": ...}, the
 * shape of the JSON flavour of apply_patch.
 */
static void
c_call(struct gen *g, const struct mm_item *it, size_t idx, size_t k)
{
	struct mm_text	 args;
	char		 id[64], call[64];
	size_t		 i, from = 0;
	json_t		*in;

	item_ids(g, it, idx, id, call);
	args = it->texts[0];
	if (it->type == MM_CUSTOM_TOOL_CALL) {
		in = jchk(json_pack("{s:o}", "input", jstr(args.s, args.len)));
		if ((args.s = json_dumps(in, JSON_COMPACT)) == NULL)
			errx(1, "json_dumps");
		json_decref(in);
		args.len = strlen(args.s);
		args.cut = NULL;
		mm_text_cut(&args, it->delta_size);
	}
	emit_json(g, NULL, c_chunk(g, json_pack("{s:[{s:I, s:s, s:s, "
	    "s:{s:s, s:s}}]}", "tool_calls", "index", (json_int_t)k, "id",
	    call, "type", "function", "function", "name", it->name,
	    "arguments", ""), NULL));
	for (i = 0; i < args.ncut; i++) {
		emit_json(g, NULL, c_chunk(g, json_pack("{s:[{s:I, s:{s:o}}]}",
		    "tool_calls", "index", (json_int_t)k, "function",
		    "arguments", jstr(args.s + from, args.cut[i] - from)),
		    NULL));
		from = args.cut[i];
	}
	if (it->type == MM_CUSTOM_TOOL_CALL) {
		free(args.s);
		free(args.cut);
	}
}

/* Chat usage from the script's usage, which may use either API's names. */
static json_t *
c_usage(const json_t *u)
{
	json_int_t	 in, out, tot;

	if (u == NULL)
		return jchk(json_pack("{s:i, s:i, s:i}", "prompt_tokens", 100,
		    "completion_tokens", 20, "total_tokens", 120));
	if (json_object_get(u, "prompt_tokens") != NULL)
		return json_deep_copy(u);
	in = json_integer_value(json_object_get(u, "input_tokens"));
	out = json_integer_value(json_object_get(u, "output_tokens"));
	if (json_object_get(u, "total_tokens") != NULL)
		tot = json_integer_value(json_object_get(u, "total_tokens"));
	else
		tot = in + out;
	return jchk(json_pack("{s:I, s:I, s:I}", "prompt_tokens", in,
	    "completion_tokens", out, "total_tokens", tot));
}

static void
c_end(struct gen *g, size_t ntools)
{
	const struct mm_turn	*t = g->t;
	const struct mm_fault	*f = &t->fault;
	const char		*finish;
	json_t			*e;

	if (f->no_completed)
		return;
	if (f->fail_code != NULL) {
		e = jchk(json_pack("{s:{s:s, s:s, s:s}}", "error", "message",
		    f->fail_message, "type", f->fail_type != NULL ?
		    f->fail_type : "server_error", "code", f->fail_code));
		emit_json(g, NULL, e);
		return;
	}
	if (t->finish_reason != NULL)
		finish = t->finish_reason;
	else if (f->incomplete != NULL)
		finish = "length";
	else
		finish = ntools > 0 ? "tool_calls" : "stop";
	emit_json(g, NULL, c_chunk(g, json_object(), finish));
	if (t->usage == NULL || json_is_object(t->usage)) {
		e = jchk(json_pack("{s:s, s:s, s:I, s:s, s:[], s:o}", "id",
		    g->rid, "object", "chat.completion.chunk", "created",
		    (json_int_t)g->c->created, "model", g->c->model, "choices",
		    "usage", jchk(c_usage(t->usage))));
		emit_json(g, NULL, e);
	}
	emit_data(g, NULL, "[DONE]");
}

void
render_chat(const struct mm_turn *t, const struct mm_ctx *c,
    struct mm_body *b)
{
	struct gen	 g;
	size_t		 i, k, ntools = 0;

	gen_init(&g, t, c, b, "chatcmpl-mock-");
	json_decref(g.output);
	if (t->raw) {
		raw_events(&g);
		return;
	}
	emit_json(&g, NULL, c_chunk(&g, json_pack("{s:s, s:s}", "role",
	    "assistant", "content", ""), NULL));
	for (i = 0; i < t->nitems; i++) {
		switch (t->items[i].type) {
		case MM_MESSAGE:
			c_deltas(&g, "content", t->items[i].texts);
			break;
		case MM_REASONING:
			for (k = 0; k < t->items[i].ntexts; k++) {
				if (k > 0)
					emit_json(&g, NULL, c_chunk(&g,
					    json_pack("{s:s}", "reasoning",
					    "\n\n"), NULL));
				c_deltas(&g, "reasoning",
				    &t->items[i].texts[k]);
			}
			break;
		case MM_FUNCTION_CALL:
		case MM_CUSTOM_TOOL_CALL:
			c_call(&g, &t->items[i], i, ntools++);
			break;
		}
	}
	c_end(&g, ntools);
}
