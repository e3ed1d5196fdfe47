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

#ifndef SSE_H
#define SSE_H

#include <stddef.h>

/*
 * Incremental parser for a text/event-stream body (the "server-sent
 * events" format of the WHATWG HTML standard, section 9.2).
 *
 * The byte stream may be fed in pieces of any size, split anywhere: in
 * the middle of a line, of a field name, or between the CR and LF of a
 * CRLF.  Lines may end in CRLF, LF or a lone CR.  A byte-order mark at
 * the very start of the stream is skipped.  Per line:
 *
 *	empty line	dispatch the pending event, if it has data
 *	":..."		comment, ignored
 *	"data:VALUE"	append VALUE; several data lines are joined by "\n"
 *	"event:NAME"	name of the pending event
 *	anything else	("id:", "retry:", unknown fields) ignored
 *
 * One space after the colon is removed, so "data:x" and "data: x" carry
 * the same value; a line without a colon is a field with an empty value.
 * An event without any data line is not dispatched, and the event name
 * is reset after every blank line, as the standard says.
 *
 * At the end of the stream an event that has not been closed by a blank
 * line is NOT dispatched by sse_feed(), because the standard says such
 * an incomplete event must be discarded and because a connection that
 * drops mid-event must not look like a complete one.  A caller that
 * knows the body ended cleanly and wants the lenient behaviour calls
 * sse_finish(), which treats an unterminated last line as complete and
 * dispatches the pending event.
 *
 * Limits: a line longer than max_line bytes (without its terminator), or
 * an event whose joined data would exceed the data cap, fails the
 * parser.  After a failure every call returns -1 and sse_error() says
 * why; no further event is dispatched.
 */

struct sse;

/*
 * Called once per dispatched event.  name is the "event:" value, or NULL
 * when the event had none (or an empty one).  data is the joined data,
 * len bytes, followed by a NUL that is not counted in len; the data may
 * itself contain NUL bytes.  Both pointers are only valid during the
 * call.  The callback must not call sse_free() on the parser that is
 * calling it.
 */
typedef void	(*sse_cb)(const char *name, const char *data, size_t len,
		    void *arg);

/* Data cap used unless sse_set_max_data() says otherwise. */
#define SSE_MAX_DATA_DEFAULT	(16 * 1024 * 1024)

struct sse	*sse_new(size_t, sse_cb, void *);
void		 sse_set_max_data(struct sse *, size_t);
int		 sse_feed(struct sse *, const void *, size_t);
int		 sse_finish(struct sse *);
const char	*sse_error(const struct sse *);
void		 sse_free(struct sse *);

#endif /* SSE_H */
