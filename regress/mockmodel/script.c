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
 * Loading and validation of a mockmodel script (format in README).  All
 * checking happens here, at start-up, so that a typo in a test's script
 * is a clear error naming the offending key rather than a confusing
 * stream in the middle of a test.  Unknown keys are errors too.
 */

#include <err.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "mockmodel.h"

#define DELTA_SIZE	8		/* bytes per delta unless told */

static void	 text_set(struct mm_text *, const char *, size_t, size_t);
static int	 text_deltas(struct mm_err *, struct mm_text *, json_t *,
		    const char *);
static int	 load_message(struct mm_err *, json_t *, const char *,
		    struct mm_item *);
static int	 load_reasoning(struct mm_err *, json_t *, const char *,
		    struct mm_item *);
static int	 load_call(struct mm_err *, json_t *, const char *,
		    struct mm_item *);
static int	 load_item(struct mm_err *, json_t *, const char *,
		    struct mm_item *);
static int	 load_items(struct mm_err *, json_t *, const char *,
		    struct mm_turn *);
static int	 load_events(struct mm_err *, json_t *, const char *,
		    struct mm_turn *);
static int	 load_turn(struct mm_err *, json_t *, const char *,
		    struct mm_turn *);
static void	 item_free(struct mm_item *);
static void	 turn_free(struct mm_turn *);

int
mm_bad(struct mm_err *c, const char *where, const char *fmt, ...)
{
	char	 msg[512];
	va_list	 ap;
	int	 r;

	va_start(ap, fmt);
	r = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (r < 0)
		(void)strlcpy(msg, "error", sizeof(msg));
	r = snprintf(c->err, c->errlen, "%s: %s", where, msg);
	if (r < 0 || (size_t)r >= c->errlen)
		(void)strlcpy(c->err, msg, c->errlen);
	return -1;
}

char *
mm_strndup(const char *s, size_t n)
{
	char	*r;

	if ((r = malloc(n + 1)) == NULL)
		err(1, NULL);
	memcpy(r, s, n);
	r[n] = '\0';
	return r;
}

/* Every key of o must be in allowed[] (NULL-terminated) or "comment". */
int
mm_keys_ok(struct mm_err *c, json_t *o, const char *where,
    const char *const *allowed)
{
	const char	*key;
	json_t		*v;
	size_t		 i;

	json_object_foreach(o, key, v) {
		if (strcmp(key, "comment") == 0)
			continue;
		for (i = 0; allowed[i] != NULL; i++)
			if (strcmp(key, allowed[i]) == 0)
				break;
		if (allowed[i] == NULL)
			return mm_bad(c, where, "unknown key \"%s\"", key);
	}
	return 0;
}

int
mm_get_str(struct mm_err *c, json_t *o, const char *key, const char *where,
    char **out)
{
	json_t	*v;

	*out = NULL;
	if ((v = json_object_get(o, key)) == NULL)
		return 0;
	if (!json_is_string(v))
		return mm_bad(c, where, "\"%s\" must be a string", key);
	*out = mm_strndup(json_string_value(v), json_string_length(v));
	return 0;
}

int
mm_get_num(struct mm_err *c, json_t *o, const char *key, const char *where,
    long long min, long long max, long long *out)
{
	json_t		*v;
	long long	 n;

	if ((v = json_object_get(o, key)) == NULL)
		return 0;
	if (!json_is_integer(v))
		return mm_bad(c, where, "\"%s\" must be an integer", key);
	n = json_integer_value(v);
	if (n < min || n > max)
		return mm_bad(c, where, "\"%s\" must be in %lld..%lld", key,
		    min, max);
	*out = n;
	return 0;
}

int
mm_get_bool(struct mm_err *c, json_t *o, const char *key, const char *where,
    int *out)
{
	json_t	*v;

	if ((v = json_object_get(o, key)) == NULL)
		return 0;
	if (!json_is_boolean(v))
		return mm_bad(c, where, "\"%s\" must be true or false", key);
	*out = json_is_true(v);
	return 0;
}

/*
 * Cut t into deltas of about size bytes.  A cut never falls inside a
 * UTF-8 sequence, since each delta travels as a JSON string and must be
 * valid UTF-8 on its own.
 */
void
mm_text_cut(struct mm_text *t, size_t size)
{
	size_t	 pos = 0, end;

	free(t->cut);
	t->cut = NULL;
	t->ncut = 0;
	if (t->len == 0)
		return;
	if ((t->cut = reallocarray(NULL, t->len, sizeof(*t->cut))) == NULL)
		err(1, NULL);
	while (pos < t->len) {
		end = size == 0 || size >= t->len - pos ? t->len : pos + size;
		while (end < t->len && end > pos &&
		    ((unsigned char)t->s[end] & 0xc0) == 0x80)
			end--;
		while (end == pos || (end < t->len &&
		    ((unsigned char)t->s[end] & 0xc0) == 0x80))
			end++;
		t->cut[t->ncut++] = end;
		pos = end;
	}
}

static void
text_set(struct mm_text *t, const char *s, size_t len, size_t size)
{
	t->s = mm_strndup(s, len);
	t->len = len;
	t->cut = NULL;
	t->ncut = 0;
	mm_text_cut(t, size);
}

/* "deltas": ["Hel", "lo"] gives the text and its cuts at once. */
static int
text_deltas(struct mm_err *c, struct mm_text *t, json_t *a, const char *where)
{
	json_t	*v;
	size_t	 i, len = 0;

	if (!json_is_array(a) || json_array_size(a) == 0)
		return mm_bad(c, where, "\"deltas\" must be a non-empty array");
	json_array_foreach(a, i, v) {
		if (!json_is_string(v))
			return mm_bad(c, where, "deltas[%zu] must be a string", i);
		len += json_string_length(v);
	}
	if ((t->s = malloc(len + 1)) == NULL ||
	    (t->cut = reallocarray(NULL, json_array_size(a),
	    sizeof(*t->cut))) == NULL)
		err(1, NULL);
	t->len = 0;
	t->ncut = 0;
	json_array_foreach(a, i, v) {
		memcpy(t->s + t->len, json_string_value(v),
		    json_string_length(v));
		t->len += json_string_length(v);
		t->cut[t->ncut++] = t->len;
	}
	t->s[t->len] = '\0';
	return 0;
}

static int
load_message(struct mm_err *c, json_t *o, const char *where,
    struct mm_item *it)
{
	static const char *const keys[] = { "type", "id", "text", "deltas",
	    "fill", "delta_size", "phase", NULL };
	json_t		*text, *deltas;
	long long	 fill = -1;
	size_t		 i;

	if (mm_keys_ok(c, o, where, keys) == -1 ||
	    mm_get_num(c, o, "fill", where, 0, MM_MAX_FILL, &fill) == -1 ||
	    mm_get_str(c, o, "phase", where, &it->phase) == -1)
		return -1;
	text = json_object_get(o, "text");
	deltas = json_object_get(o, "deltas");
	if ((text != NULL) + (deltas != NULL) + (fill >= 0) != 1)
		return mm_bad(c, where, "a message needs exactly one of "
		    "\"text\", \"deltas\" or \"fill\"");
	if ((it->texts = calloc(1, sizeof(*it->texts))) == NULL)
		err(1, NULL);
	it->ntexts = 1;
	if (deltas != NULL)
		return text_deltas(c, it->texts, deltas, where);
	if (text != NULL) {
		if (!json_is_string(text))
			return mm_bad(c, where, "\"text\" must be a string");
		text_set(it->texts, json_string_value(text),
		    json_string_length(text), it->delta_size);
		return 0;
	}
	/* Filler text that is plainly recognisable in a failing test. */
	if ((it->texts->s = malloc(fill + 1)) == NULL)
		err(1, NULL);
	for (i = 0; i < (size_t)fill; i++)
		it->texts->s[i] = "lorem ipsum dolor sit amet "[i % 27];
	it->texts->s[fill] = '\0';
	it->texts->len = fill;
	mm_text_cut(it->texts, it->delta_size);
	return 0;
}

static int
load_reasoning(struct mm_err *c, json_t *o, const char *where,
    struct mm_item *it)
{
	static const char *const keys[] = { "type", "id", "summary",
	    "encrypted_content", "delta_size", NULL };
	json_t	*sum, *v, *enc;
	size_t	 i;

	if (mm_keys_ok(c, o, where, keys) == -1)
		return -1;
	if ((enc = json_object_get(o, "encrypted_content")) != NULL) {
		if (!json_is_string(enc) && !json_is_null(enc))
			return mm_bad(c, where,
			    "\"encrypted_content\" must be a string or null");
		it->encrypted = json_incref(enc);
	}
	sum = json_object_get(o, "summary");
	if (json_is_string(sum)) {
		if ((it->texts = calloc(1, sizeof(*it->texts))) == NULL)
			err(1, NULL);
		it->ntexts = 1;
		text_set(it->texts, json_string_value(sum),
		    json_string_length(sum), it->delta_size);
		return 0;
	}
	if (!json_is_array(sum))
		return mm_bad(c, where, "a reasoning item needs \"summary\", "
		    "a string or an array of strings");
	if ((it->texts = calloc(json_array_size(sum) + 1,
	    sizeof(*it->texts))) == NULL)
		err(1, NULL);
	json_array_foreach(sum, i, v) {
		if (!json_is_string(v))
			return mm_bad(c, where, "summary[%zu] must be a string",
			    i);
		text_set(&it->texts[i], json_string_value(v),
		    json_string_length(v), it->delta_size);
		it->ntexts++;
	}
	return 0;
}

static int
load_call(struct mm_err *c, json_t *o, const char *where, struct mm_item *it)
{
	static const char *const fkeys[] = { "type", "id", "name", "call_id",
	    "arguments", "delta_size", NULL };
	static const char *const ckeys[] = { "type", "id", "name", "call_id",
	    "input", "delta_size", NULL };
	json_t	*v;
	char	*s;

	if (mm_keys_ok(c, o, where, it->type == MM_FUNCTION_CALL ?
	    fkeys : ckeys) == -1 ||
	    mm_get_str(c, o, "name", where, &it->name) == -1 ||
	    mm_get_str(c, o, "call_id", where, &it->call_id) == -1)
		return -1;
	if (it->name == NULL || *it->name == '\0')
		return mm_bad(c, where, "a tool call needs a \"name\"");
	if ((it->texts = calloc(1, sizeof(*it->texts))) == NULL)
		err(1, NULL);
	it->ntexts = 1;
	if (it->type == MM_CUSTOM_TOOL_CALL) {
		v = json_object_get(o, "input");
		if (!json_is_string(v))
			return mm_bad(c, where,
			    "a custom_tool_call needs an \"input\" string");
		text_set(it->texts, json_string_value(v),
		    json_string_length(v), it->delta_size);
		return 0;
	}
	/* Arguments travel as a string of JSON, whatever the script has. */
	if ((v = json_object_get(o, "arguments")) == NULL)
		text_set(it->texts, "{}", 2, it->delta_size);
	else if (json_is_string(v))
		text_set(it->texts, json_string_value(v),
		    json_string_length(v), it->delta_size);
	else {
		if ((s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY)) ==
		    NULL)
			err(1, "json_dumps");
		text_set(it->texts, s, strlen(s), it->delta_size);
		free(s);
	}
	return 0;
}

static int
load_item(struct mm_err *c, json_t *o, const char *where, struct mm_item *it)
{
	const char	*type;
	long long	 ds = DELTA_SIZE;

	if (!json_is_object(o))
		return mm_bad(c, where, "an item must be an object");
	if ((type = json_string_value(json_object_get(o, "type"))) == NULL)
		return mm_bad(c, where, "an item needs a \"type\" string");
	if (mm_get_str(c, o, "id", where, &it->id) == -1 ||
	    mm_get_num(c, o, "delta_size", where, 0, INT32_MAX, &ds) == -1)
		return -1;
	it->delta_size = ds;
	if (strcmp(type, "message") == 0) {
		it->type = MM_MESSAGE;
		return load_message(c, o, where, it);
	}
	if (strcmp(type, "reasoning") == 0) {
		it->type = MM_REASONING;
		return load_reasoning(c, o, where, it);
	}
	if (strcmp(type, "function_call") == 0) {
		it->type = MM_FUNCTION_CALL;
		return load_call(c, o, where, it);
	}
	if (strcmp(type, "custom_tool_call") == 0) {
		it->type = MM_CUSTOM_TOOL_CALL;
		return load_call(c, o, where, it);
	}
	return mm_bad(c, where, "unknown item type \"%s\" (message, reasoning, "
	    "function_call or custom_tool_call)", type);
}

static int
load_items(struct mm_err *c, json_t *a, const char *where, struct mm_turn *t)
{
	char	 w[128];
	json_t	*v;
	size_t	 i;

	if (!json_is_array(a))
		return mm_bad(c, where, "\"items\" must be an array");
	if ((t->items = calloc(json_array_size(a) + 1,
	    sizeof(*t->items))) == NULL)
		err(1, NULL);
	json_array_foreach(a, i, v) {
		(void)snprintf(w, sizeof(w), "%s.items[%zu]", where, i);
		t->nitems++;
		if (load_item(c, v, w, &t->items[i]) == -1)
			return -1;
	}
	return 0;
}

static int
load_events(struct mm_err *c, json_t *a, const char *where, struct mm_turn *t)
{
	json_t	*v;
	size_t	 i;

	if (!json_is_array(a))
		return mm_bad(c, where, "\"events\" must be an array");
	if ((t->events = calloc(json_array_size(a) + 1,
	    sizeof(*t->events))) == NULL)
		err(1, NULL);
	t->raw = 1;
	json_array_foreach(a, i, v) {
		if (json_is_string(v))
			t->events[i] = mm_strndup(json_string_value(v),
			    json_string_length(v));
		else if (json_is_object(v)) {
			if ((t->events[i] = json_dumps(v, JSON_COMPACT)) ==
			    NULL)
				err(1, "json_dumps");
		} else
			return mm_bad(c, where,
			    "events[%zu] must be an object or a string", i);
		t->nevents++;
	}
	return 0;
}

static int
load_turn(struct mm_err *c, json_t *o, const char *where, struct mm_turn *t)
{
	static const char *const keys[] = { "items", "events", "usage",
	    "fault", "id", "model", "headers", "crlf", "chunk", "interval_ms",
	    "finish_reason", "repeat", NULL };
	json_t		*v;
	long long	 chunk = 0, repeat = 1;
	char		 w[128];

	t->fault.retry_after_date = -1;
	t->fault.cut_after = t->fault.cut_after_bytes = MM_NONE;
	t->fault.malformed_after = MM_NONE;
	if (!json_is_object(o))
		return mm_bad(c, where, "a turn must be an object");
	if (mm_keys_ok(c, o, where, keys) == -1 ||
	    mm_get_str(c, o, "id", where, &t->id) == -1 ||
	    mm_get_str(c, o, "model", where, &t->model) == -1 ||
	    mm_get_str(c, o, "finish_reason", where, &t->finish_reason) == -1 ||
	    mm_get_bool(c, o, "crlf", where, &t->crlf) == -1 ||
	    mm_get_num(c, o, "chunk", where, 1, INT32_MAX, &chunk) == -1 ||
	    mm_get_num(c, o, "interval_ms", where, 0, MM_MAX_MS,
	    &t->interval_ms) == -1 ||
	    mm_get_num(c, o, "repeat", where, 1, 100000, &repeat) == -1)
		return -1;
	t->chunk = chunk;
	t->repeat = repeat;
	if ((v = json_object_get(o, "usage")) != NULL) {
		if (!json_is_object(v) && !json_is_null(v))
			return mm_bad(c, where, "\"usage\" must be an object or "
			    "null");
		t->usage = json_incref(v);
	}
	if ((v = json_object_get(o, "items")) != NULL &&
	    load_items(c, v, where, t) == -1)
		return -1;
	if ((v = json_object_get(o, "events")) != NULL &&
	    load_events(c, v, where, t) == -1)
		return -1;
	(void)snprintf(w, sizeof(w), "%s.headers", where);
	if ((v = json_object_get(o, "headers")) != NULL &&
	    mm_headers_load(c, v, w, t) == -1)
		return -1;
	(void)snprintf(w, sizeof(w), "%s.fault", where);
	if ((v = json_object_get(o, "fault")) != NULL &&
	    mm_fault_load(c, v, w, t) == -1)
		return -1;
	return mm_turn_check(c, where, t);
}

int
script_load(const char *path, struct mm_script *sc, char *errbuf,
    size_t errlen)
{
	static const char *const keys[] = { "turns", NULL };
	struct mm_err	 c = { errbuf, errlen };
	json_error_t	 jerr;
	json_t		*root, *turns, *v;
	char		 w[64];
	size_t		 i;
	int		 rc = -1;

	memset(sc, 0, sizeof(*sc));
	if ((root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr)) ==
	    NULL) {
		if (jerr.line > 0)
			(void)snprintf(errbuf, errlen, "line %d column %d: %s",
			    jerr.line, jerr.column, jerr.text);
		else
			(void)strlcpy(errbuf, jerr.text, errlen);
		return -1;
	}
	if (!json_is_object(root)) {
		(void)mm_bad(&c, "script", "must be an object {\"turns\": "
		    "[...]}");
		goto out;
	}
	turns = json_object_get(root, "turns");
	if (mm_keys_ok(&c, root, "script", keys) == -1)
		goto out;
	if (!json_is_array(turns)) {
		(void)mm_bad(&c, "script", "\"turns\" must be an array");
		goto out;
	}
	if ((sc->turns = calloc(json_array_size(turns) + 1,
	    sizeof(*sc->turns))) == NULL)
		err(1, NULL);
	json_array_foreach(turns, i, v) {
		(void)snprintf(w, sizeof(w), "turns[%zu]", i);
		sc->nturns++;
		if (load_turn(&c, v, w, &sc->turns[i]) == -1)
			goto out;
	}
	rc = 0;
 out:
	json_decref(root);
	if (rc == -1)
		script_free(sc);
	return rc;
}

static void
item_free(struct mm_item *it)
{
	size_t	 i;

	for (i = 0; i < it->ntexts; i++) {
		free(it->texts[i].s);
		free(it->texts[i].cut);
	}
	free(it->texts);
	free(it->id);
	free(it->name);
	free(it->call_id);
	free(it->phase);
	json_decref(it->encrypted);
}

static void
turn_free(struct mm_turn *t)
{
	size_t	 i;

	for (i = 0; i < t->nitems; i++)
		item_free(&t->items[i]);
	free(t->items);
	for (i = 0; i < t->nevents; i++)
		free(t->events[i]);
	free(t->events);
	for (i = 0; i < t->nheaders; i++) {
		free(t->headers[i].name);
		free(t->headers[i].value);
	}
	free(t->headers);
	json_decref(t->usage);
	free(t->id);
	free(t->model);
	free(t->finish_reason);
	free(t->fault.body);
	free(t->fault.content_type);
	free(t->fault.retry_after);
	free(t->fault.fail_code);
	free(t->fault.fail_message);
	free(t->fault.fail_type);
	free(t->fault.incomplete);
}

void
script_free(struct mm_script *sc)
{
	size_t	 i;

	for (i = 0; i < sc->nturns; i++)
		turn_free(&sc->turns[i]);
	free(sc->turns);
	memset(sc, 0, sizeof(sc[0]));
}
