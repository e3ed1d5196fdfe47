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
 * The Responses API: the request body Codex sends, and the decoding of
 * the server's events into the events netproc hands the parent.  The
 * decoder core shared with chat.c lives here too; the fast path for
 * delta events is in fastdelta.c.
 */

#include <sys/types.h>

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "imsg/log.h"
#include "netproc/netproc.h"

static json_t	*usage_map(json_t *);
static void	 set_str(json_t *, const char *, const char *);
static void	 copy_key(json_t *, json_t *, const char *, const char *);
static void	 responses_failed(struct decoder *, json_t *);
static int	 arg_delta(const char *, size_t);
static char	*splice_input(char *, size_t *, const char *, size_t);

/* The longest "try again in" hint taken as it is, in milliseconds. */
#define RETRY_HINT_MAX_MS	86400000.0

/* response.failed codes that no retry can fix, and how we name them. */
static const struct {
	const char	*code;
	const char	*kind;
} final_codes[] = {
	{ "context_length_exceeded",	"context_length_exceeded" },
	{ "insufficient_quota",		"quota_exceeded" },
	{ "usage_not_included",		"usage_not_included" },
	{ "invalid_prompt",		"invalid_request" },
	{ "server_is_overloaded",	"server_overloaded" },
	{ "slow_down",			"server_overloaded" },
	{ NULL,				NULL }
};

void
decoder_init(struct decoder *d, int wire, void (*emit)(void *, json_t *),
    void *arg)
{
	memset(d, 0, sizeof(*d));
	d->wire = wire;
	d->emit = emit;
	d->arg = arg;
	d->fail_delay_ms = -1;
}

void
decoder_clear(struct decoder *d)
{
	free(d->fail_code);
	free(d->fail_message);
	free(d->response_id);
	json_decref(d->chat_text);
	json_decref(d->chat_reasoning);
	json_decref(d->chat_calls);
	json_decref(d->chat_usage);
	decoder_init(d, d->wire, d->emit, d->arg);
}

/* Every event leaves through here, so that item_done can be counted. */
void
decoder_emit(struct decoder *d, json_t *ev)
{
	const char	*type;

	/* json_pack() fails on a server event that lacks a field. */
	if (ev == NULL) {
		log_debug("skipping an event with missing fields");
		return;
	}
	type = json_string_value(json_object_get(ev, "type"));
	if (type != NULL && strcmp(type, "item_done") == 0)
		d->items_done++;
	if (type != NULL && strcmp(type, "completed") == 0)
		d->end = DEC_COMPLETED;
	d->emit(d->arg, ev);
}

/*
 * Remember a failure, reported when the stream ends.  kind NULL means
 * another attempt may succeed; delay_ms is the server's hint or -1.
 */
void
decoder_fail(struct decoder *d, const char *kind, const char *code,
    const char *message, long long delay_ms)
{
	if (d->end != DEC_OPEN)
		return;
	d->end = DEC_FAILED;
	d->fail_kind = kind;
	free(d->fail_code);
	free(d->fail_message);
	d->fail_code = code != NULL ? strdup(code) : NULL;
	d->fail_message = strdup(message != NULL ? message : "unknown error");
	if (d->fail_message == NULL || (code != NULL && d->fail_code == NULL))
		fatal(NULL);
	d->fail_delay_ms = delay_ms;
}

/*
 * The pieces of a tool call's arguments as they stream in: nothing uses
 * them (the call's output_item.done carries it whole), and a long patch
 * arrives as thousands of them, so they are dropped unparsed.  Only an
 * event that begins with its type is recognised, as the service writes
 * them; any other shape takes the ordinary path and is ignored there.
 */
static int
arg_delta(const char *data, size_t len)
{
	static const char *const kinds[] = {
		"{\"type\":\"response.function_call_arguments.delta\",",
		"{\"type\":\"response.custom_tool_call_input.delta\",",
		NULL
	};
	const char *const	*k;
	size_t			 n;

	for (k = kinds; *k != NULL; k++) {
		n = strlen(*k);
		if (len > n && memcmp(data, *k, n) == 0)
			return 1;
	}
	return 0;
}

/* One SSE data payload; the kind is the JSON "type", never "event:". */
void
decoder_data(struct decoder *d, const char *data, size_t len)
{
	json_error_t	 jerr;
	json_t		*j;

	if (d->end == DEC_COMPLETED)
		return;
	if (d->wire == NP_WIRE_CHAT && len == 6 &&
	    memcmp(data, "[DONE]", 6) == 0) {
		chat_done(d);
		return;
	}
	if (d->wire == NP_WIRE_RESPONSES && (arg_delta(data, len) ||
	    decoder_fast_delta(d, data, len)))
		return;
	if ((j = json_loadb(data, len, 0, &jerr)) == NULL) {
		log_debug("skipping an event that is not JSON: %s", jerr.text);
		return;
	}
	if (d->wire == NP_WIRE_CHAT)
		chat_data(d, j);
	else
		responses_data(d, j);
	json_decref(j);
}

/*
 * The body ended cleanly.  Chat Completions servers may end without
 * [DONE] once they sent a finish_reason; a Responses stream must say
 * response.completed, or it counts as cut.
 */
void
decoder_eof(struct decoder *d)
{
	if (d->wire == NP_WIRE_CHAT && d->chat_finished &&
	    d->end == DEC_OPEN)
		chat_done(d);
}

static void
set_str(json_t *o, const char *key, const char *v)
{
	if (v != NULL && json_object_set_new(o, key, json_string(v)) == -1)
		fatalx("json_object_set_new");
}

/* Copy src[skey] to dst[dkey] if present. */
static void
copy_key(json_t *dst, json_t *src, const char *skey, const char *dkey)
{
	json_t	*v;

	/* dst is NULL when json_pack() found a field missing. */
	if (dst != NULL && (v = json_object_get(src, skey)) != NULL &&
	    json_object_set(dst, dkey, v) == -1)
		fatalx("json_object_set");
}

/*
 * The body, fields in the order Codex 0.171 sends them: model,
 * instructions (when given), stream, input (the full history, every
 * time), tools, tool_choice, parallel_tool_calls, reasoning (null when
 * off), store (false, true for Azure), include, prompt_cache_key (the
 * session id), text.  previous_response_id is never sent.
 */
char *
responses_body(const struct np_provider *p, json_t *req, const char *raw,
    size_t rawlen, size_t *lenp)
{
	json_t		*b, *reasoning, *v, *inc;
	const char	*instr;
	char		*s;

	if ((b = json_object()) == NULL)
		fatal(NULL);
	copy_key(b, req, "model", "model");
	instr = json_string_value(json_object_get(req, "instructions"));
	if (instr != NULL && *instr != '\0')
		set_str(b, "instructions", instr);
	json_object_set_new(b, "stream", json_true());
	if (raw != NULL)
		json_object_set_new(b, "input", json_null());
	else if ((v = json_object_get(req, "input")) != NULL)
		json_object_set(b, "input", v);
	else
		json_object_set_new(b, "input", json_array());
	if ((v = json_object_get(req, "tools")) != NULL)
		json_object_set(b, "tools", v);
	else
		json_object_set_new(b, "tools", json_array());
	if ((v = json_object_get(req, "tool_choice")) != NULL)
		json_object_set(b, "tool_choice", v);
	else
		set_str(b, "tool_choice", "auto");
	v = json_object_get(req, "parallel_tool_calls");
	json_object_set_new(b, "parallel_tool_calls",
	    json_boolean(json_is_true(v)));
	reasoning = json_object_get(req, "reasoning");
	if (reasoning != NULL && json_is_object(reasoning))
		json_object_set(b, "reasoning", reasoning);
	else
		json_object_set_new(b, "reasoning", json_null());
	if ((v = json_object_get(req, "store")) != NULL && json_is_boolean(v))
		json_object_set(b, "store", v);
	else
		json_object_set_new(b, "store", json_boolean(p->azure));
	if ((inc = json_object_get(req, "include")) != NULL &&
	    json_is_array(inc))
		json_object_set(b, "include", inc);
	else if ((inc = json_array()) == NULL ||
	    (json_is_object(reasoning) && json_array_append_new(inc,
	    json_string("reasoning.encrypted_content")) == -1) ||
	    json_object_set_new(b, "include", inc) == -1)
		fatalx("building include");
	copy_key(b, req, "session_id", "prompt_cache_key");
	if ((v = json_object_get(req, "text")) != NULL && json_is_object(v))
		json_object_set(b, "text", v);
	if ((s = json_dumps(b, JSON_COMPACT)) == NULL)
		fatalx("json_dumps");
	json_decref(b);
	*lenp = strlen(s);
	return raw != NULL ? splice_input(s, lenp, raw, rawlen) : s;
}

/*
 * Put the history, as the parent serialised it, where the body holds
 * "input":null.  The first such byte sequence is that key: inside a
 * string value every quote is escaped, so it cannot occur there.
 * Parsing and printing a long history again here cost as much as the
 * parent's own reading of it.
 */
static char *
splice_input(char *s, size_t *lenp, const char *raw, size_t rawlen)
{
	static const char	 key[] = "\"input\":null";
	char			*at, *out;
	size_t			 head, tail, klen = sizeof(key) - 1;

	if ((at = strstr(s, key)) == NULL)
		fatalx("no input in the request body");
	head = at - s + klen - 4;
	tail = *lenp - (at - s) - klen;
	if (rawlen > SIZE_MAX - head - tail - 1 ||
	    (out = malloc(head + rawlen + tail + 1)) == NULL)
		fatal(NULL);
	memcpy(out, s, head);
	memcpy(out + head, raw, rawlen);
	memcpy(out + head + rawlen, at + klen, tail);
	out[head + rawlen + tail] = '\0';
	*lenp = head + rawlen + tail;
	free(s);
	return out;
}

/* Codex's TokenUsage from the Responses usage object; NULL if none. */
static json_t *
usage_map(json_t *u)
{
	json_t	*o;

	if (!json_is_object(u))
		return json_null();
	o = json_pack("{s:I, s:I, s:I, s:I, s:I}",
	    "input_tokens", json_integer_value(json_object_get(u,
	    "input_tokens")),
	    "cached_input_tokens", json_integer_value(json_object_get(
	    json_object_get(u, "input_tokens_details"), "cached_tokens")),
	    "output_tokens", json_integer_value(json_object_get(u,
	    "output_tokens")),
	    "reasoning_output_tokens", json_integer_value(json_object_get(
	    json_object_get(u, "output_tokens_details"), "reasoning_tokens")),
	    "total_tokens", json_integer_value(json_object_get(u,
	    "total_tokens")));
	if (o == NULL)
		fatalx("json_pack");
	return o;
}

/*
 * The delay in "Please try again in 1.5s" (or "in 20ms", "in 3
 * seconds"), case-insensitively, in milliseconds; -1 if there is none.
 */
long long
retry_hint_ms(const char *msg)
{
	const char	*p, *q;
	char		*end;
	double		 v;

	for (p = msg; p != NULL && (p = strcasestr(p, "try again in")) !=
	    NULL; p++) {
		q = p + strlen("try again in");
		while (isspace((unsigned char)*q))
			q++;
		if (!isdigit((unsigned char)*q))
			continue;
		v = strtod(q, &end);
		while (isspace((unsigned char)*end))
			end++;
		if (strncasecmp(end, "ms", 2) == 0)
			;	/* milliseconds already */
		else if (tolower((unsigned char)*end) == 's')
			v *= 1000;
		else
			continue;
		/*
		 * The server's number: bound it before it becomes an
		 * integer (a day is already longer than any retry waits).
		 */
		if (!(v >= 0 && v <= RETRY_HINT_MAX_MS))
			return RETRY_HINT_MAX_MS;
		return (long long)v;
	}
	return -1;
}

/*
 * Classify a failure reported by the server (response.failed, or an
 * error body): some codes are final, the rest may be retried, with the
 * server's "try again in" hint as the delay.
 */
void
classify_failure(struct decoder *d, const char *code, const char *message)
{
	int	i;

	for (i = 0; code != NULL && final_codes[i].code != NULL; i++)
		if (strcmp(code, final_codes[i].code) == 0) {
			decoder_fail(d, final_codes[i].kind, code,
			    message != NULL ? message : code, -1);
			return;
		}
	decoder_fail(d, NULL, code, message, message != NULL ?
	    retry_hint_ms(message) : -1);
}

static void
responses_failed(struct decoder *d, json_t *resp)
{
	json_t	*e = json_object_get(resp, "error");

	classify_failure(d, json_string_value(json_object_get(e, "code")),
	    json_string_value(json_object_get(e, "message")));
}

/* Turn one Responses event into zero or one event for the parent. */
void
responses_data(struct decoder *d, json_t *j)
{
	const char	*t = json_string_value(json_object_get(j, "type"));
	json_t		*resp = json_object_get(j, "response"), *ev = NULL;
	const char	*id, *why;
	char		 msg[256];

	if (t == NULL)
		return;
	if (strcmp(t, "response.created") == 0) {
		ev = json_pack("{s:s}", "type", "created");
		copy_key(ev, resp, "id", "response_id");
		id = json_string_value(json_object_get(resp, "id"));
		free(d->response_id);
		if ((d->response_id = id != NULL ? strdup(id) : NULL) ==
		    NULL && id != NULL)
			fatal(NULL);
	} else if (strcmp(t, "response.output_text.delta") == 0) {
		ev = json_pack("{s:s, s:O}", "type", "text_delta", "delta",
		    json_object_get(j, "delta"));
		copy_key(ev, j, "item_id", "item_id");
	} else if (strcmp(t, "response.reasoning_summary_text.delta") == 0) {
		ev = json_pack("{s:s, s:O}", "type",
		    "reasoning_summary_delta", "delta",
		    json_object_get(j, "delta"));
		copy_key(ev, j, "summary_index", "summary_index");
	} else if (strcmp(t, "response.reasoning_summary_part.added") == 0) {
		ev = json_pack("{s:s}", "type",
		    "reasoning_summary_part_added");
		copy_key(ev, j, "summary_index", "summary_index");
	} else if (strcmp(t, "response.reasoning_text.delta") == 0) {
		ev = json_pack("{s:s, s:O}", "type", "reasoning_delta",
		    "delta", json_object_get(j, "delta"));
		copy_key(ev, j, "content_index", "content_index");
	} else if (strcmp(t, "response.output_item.added") == 0 ||
	    strcmp(t, "response.output_item.done") == 0) {
		if (!json_is_object(json_object_get(j, "item")))
			return;
		ev = json_pack("{s:s, s:O}", "type", t[21] == 'a' ?
		    "item_added" : "item_done", "item",
		    json_object_get(j, "item"));
	} else if (strcmp(t, "response.completed") == 0) {
		id = json_string_value(json_object_get(resp, "id"));
		ev = json_pack("{s:s, s:s?, s:o}", "type", "completed",
		    "response_id", id, "usage",
		    usage_map(json_object_get(resp, "usage")));
	} else if (strcmp(t, "response.failed") == 0) {
		responses_failed(d, resp);
		return;
	} else if (strcmp(t, "response.incomplete") == 0) {
		why = json_string_value(json_object_get(json_object_get(resp,
		    "incomplete_details"), "reason"));
		(void)snprintf(msg, sizeof(msg), "Incomplete response "
		    "returned, reason: %s", why != NULL ? why : "unknown");
		decoder_fail(d, NULL, "incomplete", msg, -1);
		return;
	} else
		return;
	decoder_emit(d, ev);
}

/*
 * The text of a delta event for the parent from its parts: the type,
 * the delta's body as escaped JSON, and the tail after it.  Several
 * bodies of one kind may be joined before (see netproc.c).
 */
char *
event_delta_text(const char *type, const char *body, size_t blen,
    const char *tail, size_t *lenp)
{
	size_t	 tylen = strlen(type), tlen = strlen(tail), n;
	char	*s;

	n = 9 + tylen + 11 + blen + 1 + tlen;
	if ((s = malloc(n + 1)) == NULL)
		fatal(NULL);
	memcpy(s, "{\"type\":\"", 9);
	memcpy(s + 9, type, tylen);
	memcpy(s + 9 + tylen, "\",\"delta\":\"", 11);
	memcpy(s + 20 + tylen, body, blen);
	s[20 + tylen + blen] = '"';
	memcpy(s + 21 + tylen + blen, tail, tlen);
	s[n] = '\0';
	*lenp = n;
	return s;
}

/* The JSON text of any event for the parent; the caller frees it. */
char *
event_text(json_t *ev, size_t *lenp)
{
	json_t	*body = json_object_get(ev, NP_EV_DELTA);
	char	*s;

	if (body != NULL)
		return event_delta_text(json_string_value(json_object_get(ev,
		    "type")), json_string_value(body),
		    json_string_length(body), json_string_value(
		    json_object_get(ev, NP_EV_TAIL)), lenp);
	if ((s = json_dumps(ev, JSON_COMPACT)) == NULL)
		fatalx("json_dumps");
	*lenp = strlen(s);
	return s;
}
