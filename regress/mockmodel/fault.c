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
 * The "fault" and "headers" parts of a script turn, and the checks that
 * a turn's parts fit together.  Kept apart from script.c, which reads
 * the items, only to keep both files short.
 */

#include <err.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "mockmodel.h"

static int	 load_status(struct mm_err *, json_t *, const char *,
		    struct mm_fault *);
static int	 load_failed(struct mm_err *, json_t *, const char *,
		    struct mm_fault *);
static void	 big_delta(struct mm_turn *, size_t);

static int
load_status(struct mm_err *c, json_t *o, const char *where, struct mm_fault *f)
{
	char		 buf[64];
	json_t		*v;
	long long	 n;

	n = 0;
	if (mm_get_num(c, o, "status", where, 200, 599, &n) == -1 ||
	    mm_get_str(c, o, "content_type", where, &f->content_type) == -1 ||
	    mm_get_num(c, o, "retry_after_date", where, -86400, 86400,
	    &f->retry_after_date) == -1)
		return -1;
	f->status = n;
	if ((v = json_object_get(o, "body")) != NULL) {
		if (json_is_string(v))
			f->body = mm_strndup(json_string_value(v),
			    json_string_length(v));
		else if ((f->body = json_dumps(v, JSON_COMPACT |
		    JSON_ENCODE_ANY)) == NULL)
			err(1, "json_dumps");
	}
	if ((v = json_object_get(o, "retry_after")) == NULL)
		return 0;
	if (json_is_string(v)) {
		f->retry_after = mm_strndup(json_string_value(v),
		    json_string_length(v));
		return 0;
	}
	if (json_is_integer(v) && json_integer_value(v) >= 0)
		n = snprintf(buf, sizeof(buf), "%lld",
		    (long long)json_integer_value(v));
	else if (json_is_real(v) && json_real_value(v) >= 0)
		n = snprintf(buf, sizeof(buf), "%g", json_real_value(v));
	else
		return mm_bad(c, where, "\"retry_after\" must be a number of "
		    "seconds or a string");
	if (n < 0 || (size_t)n >= sizeof(buf))
		return mm_bad(c, where, "\"retry_after\" is too long");
	f->retry_after = mm_strndup(buf, n);
	return 0;
}

/* "failed": "code" or {"code", "message", "type"} makes response.failed. */
static int
load_failed(struct mm_err *c, json_t *o, const char *where, struct mm_fault *f)
{
	static const char *const keys[] = { "code", "message", "type", NULL };
	static const struct {
		const char	*code;
		const char	*msg;
	} dflt[] = {
		{ "rate_limit_exceeded", "Rate limit reached for gpt-5 on "
		    "tokens per min (TPM). Please try again in 1.5s." },
		{ "context_length_exceeded", "Your input exceeds the context "
		    "window of this model. Please adjust your input and try "
		    "again." },
		{ "insufficient_quota", "You exceeded your current quota, "
		    "please check your plan and billing details." },
		{ "server_is_overloaded", "Our servers are currently "
		    "overloaded. Please try again later." },
	};
	json_t	*v;
	size_t	 i;

	if ((v = json_object_get(o, "failed")) == NULL)
		return 0;
	if (json_is_string(v))
		f->fail_code = mm_strndup(json_string_value(v),
		    json_string_length(v));
	else if (json_is_object(v)) {
		if (mm_keys_ok(c, v, where, keys) == -1 ||
		    mm_get_str(c, v, "code", where, &f->fail_code) == -1 ||
		    mm_get_str(c, v, "message", where, &f->fail_message) == -1 ||
		    mm_get_str(c, v, "type", where, &f->fail_type) == -1)
			return -1;
	} else
		return mm_bad(c, where, "\"failed\" must be a code string or "
		    "an object");
	if (f->fail_code == NULL)
		return mm_bad(c, where, "\"failed\" needs a \"code\"");
	for (i = 0; f->fail_message == NULL &&
	    i < sizeof(dflt) / sizeof(dflt[0]); i++)
		if (strcmp(dflt[i].code, f->fail_code) == 0)
			f->fail_message = mm_strndup(dflt[i].msg,
			    strlen(dflt[i].msg));
	if (f->fail_message == NULL)
		f->fail_message = mm_strndup("mockmodel: scripted failure", 27);
	return 0;
}

int
mm_fault_load(struct mm_err *c, json_t *o, const char *where, struct mm_turn *t)
{
	static const char *const keys[] = { "delay_ms", "status", "body",
	    "content_type", "retry_after", "retry_after_date", "cut_after",
	    "cut_after_bytes", "stall_ms", "stall_after", "stall_before",
	    "failed", "incomplete", "malformed_after", "no_completed",
	    "big_delta", NULL };
	struct mm_fault	*f = &t->fault;
	long long	 cut = -1, cutb = -1, sa = -1, sb = -1, mal = -1;
	long long	 big = 0;

	if (!json_is_object(o))
		return mm_bad(c, where, "\"fault\" must be an object");
	if (mm_keys_ok(c, o, where, keys) == -1 ||
	    mm_get_num(c, o, "delay_ms", where, 0, MM_MAX_MS, &f->delay_ms) == -1 ||
	    load_status(c, o, where, f) == -1 ||
	    mm_get_num(c, o, "cut_after", where, 0, INT32_MAX, &cut) == -1 ||
	    mm_get_num(c, o, "cut_after_bytes", where, 0, INT32_MAX, &cutb) ==
	    -1 ||
	    mm_get_num(c, o, "stall_ms", where, 1, MM_MAX_MS, &f->stall_ms) == -1 ||
	    mm_get_num(c, o, "stall_after", where, 0, INT32_MAX, &sa) == -1 ||
	    mm_get_num(c, o, "stall_before", where, 1, INT32_MAX, &sb) == -1 ||
	    load_failed(c, o, where, f) == -1 ||
	    mm_get_str(c, o, "incomplete", where, &f->incomplete) == -1 ||
	    mm_get_num(c, o, "malformed_after", where, 0, INT32_MAX, &mal) ==
	    -1 ||
	    mm_get_bool(c, o, "no_completed", where, &f->no_completed) == -1 ||
	    mm_get_num(c, o, "big_delta", where, 1, MM_MAX_FILL, &big) == -1)
		return -1;
	if (cut >= 0 && cutb >= 0)
		return mm_bad(c, where, "use one of \"cut_after\" and "
		    "\"cut_after_bytes\"");
	if (sa >= 0 && sb >= 0)
		return mm_bad(c, where, "use one of \"stall_after\" and "
		    "\"stall_before\"");
	if ((sa >= 0 || sb >= 0) && f->stall_ms == 0)
		return mm_bad(c, where, "a stall position needs \"stall_ms\"");
	f->cut_after = cut >= 0 ? (size_t)cut : MM_NONE;
	f->cut_after_bytes = cutb >= 0 ? (size_t)cutb : MM_NONE;
	/* Stalling after response.created is the usual idle-timeout case. */
	f->stall_after = sa >= 0 ? (size_t)sa : sb >= 1 ? (size_t)sb - 1 : 1;
	f->malformed_after = mal >= 0 ? (size_t)mal : MM_NONE;
	if (big > 0 && t->items == NULL)
		return mm_bad(c, where, "\"big_delta\" needs \"items\"");
	if (big > 0)
		big_delta(t, big);
	return 0;
}

/* Put a message with one delta of n bytes in front of the turn's items. */
static void
big_delta(struct mm_turn *t, size_t n)
{
	struct mm_item	*items, *it;
	size_t		 i;

	if ((items = calloc(t->nitems + 2, sizeof(*items))) == NULL)
		err(1, NULL);
	memcpy(items + 1, t->items, t->nitems * sizeof(*items));
	free(t->items);
	t->items = items;
	t->nitems++;
	it = &items[0];
	it->type = MM_MESSAGE;
	if ((it->texts = calloc(1, sizeof(*it->texts))) == NULL ||
	    (it->texts->s = malloc(n + 1)) == NULL)
		err(1, NULL);
	it->ntexts = 1;
	for (i = 0; i < n; i++)
		it->texts->s[i] = "0123456789abcdef"[i % 16];
	it->texts->s[n] = '\0';
	it->texts->len = n;
	mm_text_cut(it->texts, 0);
}

int
mm_headers_load(struct mm_err *c, json_t *o, const char *where,
    struct mm_turn *t)
{
	const char	*k;
	json_t		*v;

	if (!json_is_object(o))
		return mm_bad(c, where, "\"headers\" must be an object");
	if ((t->headers = calloc(json_object_size(o) + 1,
	    sizeof(*t->headers))) == NULL)
		err(1, NULL);
	json_object_foreach(o, k, v) {
		if (!json_is_string(v))
			return mm_bad(c, where, "header \"%s\" must be a string",
			    k);
		if (*k == '\0' || strpbrk(k, ":\r\n ") != NULL ||
		    strpbrk(json_string_value(v), "\r\n") != NULL)
			return mm_bad(c, where, "header \"%s\" is malformed", k);
		t->headers[t->nheaders].name = mm_strndup(k, strlen(k));
		t->headers[t->nheaders].value = mm_strndup(json_string_value(v),
		    json_string_length(v));
		t->nheaders++;
	}
	return 0;
}

/* Faults that only make sense together with certain others. */
int
mm_turn_check(struct mm_err *c, const char *where, struct mm_turn *t)
{
	struct mm_fault	*f = &t->fault;
	int		 ends;

	ends = (f->fail_code != NULL) + (f->incomplete != NULL) +
	    f->no_completed;
	if (ends > 1)
		return mm_bad(c, where, "use one of \"failed\", \"incomplete\" "
		    "and \"no_completed\"");
	if (f->status != 0) {
		if (t->items != NULL || t->events != NULL)
			return mm_bad(c, where, "fault.status replaces the "
			    "stream: drop \"items\" and \"events\"");
		if (ends > 0 || f->cut_after != MM_NONE ||
		    f->cut_after_bytes != MM_NONE || f->stall_ms > 0 ||
		    f->malformed_after != MM_NONE || t->chunk > 0 ||
		    t->interval_ms > 0)
			return mm_bad(c, where, "fault.status cannot be combined "
			    "with stream faults");
		return 0;
	}
	if (f->body != NULL || f->retry_after != NULL ||
	    f->retry_after_date != -1 || f->content_type != NULL)
		return mm_bad(c, where, "\"body\", \"retry_after\", "
		    "\"retry_after_date\" and \"content_type\" need "
		    "fault.status");
	if (t->items == NULL && t->events == NULL)
		return mm_bad(c, where, "a turn needs \"items\" (may be empty), "
		    "\"events\" or fault.status");
	if (t->items != NULL && t->events != NULL)
		return mm_bad(c, where, "use one of \"items\" and \"events\"");
	if (t->raw && ends > 0)
		return mm_bad(c, where, "\"failed\", \"incomplete\" and "
		    "\"no_completed\" need \"items\"; with \"events\" send "
		    "what you want verbatim");
	return 0;
}
