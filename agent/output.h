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

#ifndef AGENT_OUTPUT_H
#define AGENT_OUTPUT_H

#include <stddef.h>
#include <stdint.h>

/*
 * What a command's result looks like to the model.  The text is cut in
 * the middle when it exceeds a byte budget, derived from the
 * tool_output_token_limit setting at about four bytes a token.
 */
#define OUTPUT_DEFAULT_TOKENS	10000
#define OUTPUT_BYTES_PER_TOKEN	4

/* How the truncation marker counts what it cut. */
enum output_unit {
	OUTPUT_UNIT_TOKENS,	/* "…N tokens truncated…" */
	OUTPUT_UNIT_CHARS	/* "…N chars truncated…" */
};

struct output_result {
	int		 exit_code;
	double		 wall_seconds;
	const char	*text;		/* stdout and stderr as read */
	size_t		 len;
	int		 timed_out;
	int64_t		 timeout_ms;	/* for the timed-out notice */
};

size_t	 output_budget(int64_t);
size_t	 output_count_lines(const char *, size_t);
char	*output_truncate(const char *, size_t, size_t, int, size_t *);
char	*output_format(const struct output_result *, size_t, int, size_t *);
char	*output_utf8_lossy(const char *, size_t, size_t *);
char	*output_format_wall(double, char *, size_t);

#endif /* AGENT_OUTPUT_H */
