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

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/output.h"

#define ELLIPSIS	"\xe2\x80\xa6"		/* U+2026 */

/* Bytes of model-visible output for a token limit (<= 0: the default). */
size_t
output_budget(int64_t tokens)
{
	if (tokens <= 0)
		tokens = OUTPUT_DEFAULT_TOKENS;
	if ((uint64_t)tokens > SIZE_MAX / OUTPUT_BYTES_PER_TOKEN)
		return SIZE_MAX;
	return (size_t)tokens * OUTPUT_BYTES_PER_TOKEN;
}

/* Lines as an editor counts them: a final newline adds no empty line. */
size_t
output_count_lines(const char *s, size_t len)
{
	size_t	 i, n = 0;

	for (i = 0; i < len; i++)
		if (s[i] == '\n')
			n++;
	if (len > 0 && s[len - 1] != '\n')
		n++;
	return n;
}

static int
is_cont(unsigned char c)
{
	return (c & 0xc0) == 0x80;
}

/* Characters in s[0..len): every byte that does not continue a UTF-8 one. */
static size_t
count_chars(const char *s, size_t len)
{
	size_t	 i, n = 0;

	for (i = 0; i < len; i++)
		if (!is_cont((unsigned char)s[i]))
			n++;
	return n;
}

/*
 * Keep the head and the tail, half the budget each, and say in the
 * middle how much went.  Cuts move to UTF-8 character boundaries, always
 * towards keeping less, so the result never holds a broken character and
 * never exceeds the budget by more than the marker.  Text within the
 * budget comes back unchanged.  The result is NUL-terminated; its
 * length goes to *outlen unless outlen is NULL.
 */
char *
output_truncate(const char *s, size_t len, size_t budget, int unit,
    size_t *outlen)
{
	char	 marker[64], *out;
	size_t	 left, right, head, tail, cut, n, mlen;
	int	 r;

	if (len <= budget) {
		if ((out = malloc(len + 1)) == NULL)
			return NULL;
		memcpy(out, s, len);
		out[len] = '\0';
		if (outlen != NULL)
			*outlen = len;
		return out;
	}
	left = budget / 2;
	right = budget - left;
	for (head = left; head > 0 && is_cont((unsigned char)s[head]); head--)
		;
	for (tail = len - right; tail < len && is_cont((unsigned char)s[tail]);
	    tail++)
		;
	cut = tail - head;
	if (unit == OUTPUT_UNIT_CHARS)
		r = snprintf(marker, sizeof(marker), ELLIPSIS "%zu chars "
		    "truncated" ELLIPSIS, count_chars(s + head, cut));
	else
		r = snprintf(marker, sizeof(marker), ELLIPSIS "%zu tokens "
		    "truncated" ELLIPSIS, (cut + OUTPUT_BYTES_PER_TOKEN - 1) /
		    OUTPUT_BYTES_PER_TOKEN);
	if (r < 0 || (size_t)r >= sizeof(marker))
		return NULL;
	mlen = (size_t)r;
	n = head + mlen + (len - tail);
	if ((out = malloc(n + 1)) == NULL)
		return NULL;
	memcpy(out, s, head);
	memcpy(out + head, marker, mlen);
	memcpy(out + head + mlen, s + tail, len - tail);
	out[n] = '\0';
	if (outlen != NULL)
		*outlen = n;
	return out;
}

/*
 * Seconds rounded to a tenth, printed without a useless ".0", as Codex
 * prints its rounded float ("0", "1.5", "12").
 */
char *
output_format_wall(double secs, char *buf, size_t len)
{
	size_t	 n;
	int	 r;

	if (!(secs > 0))
		secs = 0;
	r = snprintf(buf, len, "%.1f", secs);
	if (r < 0 || (size_t)r >= len)
		return NULL;
	n = (size_t)r;
	if (n >= 2 && strcmp(buf + n - 2, ".0") == 0)
		buf[n - 2] = '\0';
	return buf;
}

/*
 * Length of the valid UTF-8 character at s, or 0 when there is none; then
 * *bad is how many bytes one replacement character stands for (the
 * longest start of a valid sequence, at least one byte).
 */
static size_t
utf8_char(const unsigned char *s, size_t len, size_t *bad)
{
	unsigned char	 lo = 0x80, hi = 0xbf;
	size_t		 i, n;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		lo = s[0] == 0xe0 ? 0xa0 : 0x80;
		hi = s[0] == 0xed ? 0x9f : 0xbf;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		lo = s[0] == 0xf0 ? 0x90 : 0x80;
		hi = s[0] == 0xf4 ? 0x8f : 0xbf;
	} else {
		*bad = 1;
		return 0;
	}
	for (i = 1; i < n; i++) {
		if (i >= len || s[i] < lo || s[i] > hi) {
			*bad = i;
			return 0;
		}
		lo = 0x80;
		hi = 0xbf;
	}
	return n;
}

/*
 * A copy of s in which every invalid UTF-8 sequence is replaced by
 * U+FFFD, so the text can go into a JSON string.  NUL-terminated; *outlen
 * counts any NUL bytes s itself holds (outlen may be NULL).
 */
char *
output_utf8_lossy(const char *s, size_t len, size_t *outlen)
{
	const unsigned char	*u = (const unsigned char *)s;
	char			*out;
	size_t			 i = 0, n = 0, c, bad;

	/* A replacement is 3 bytes and stands for at least one. */
	if (len > (SIZE_MAX - 1) / 3 || (out = malloc(3 * len + 1)) == NULL)
		return NULL;
	while (i < len) {
		if ((c = utf8_char(u + i, len - i, &bad)) > 0) {
			memcpy(out + n, s + i, c);
			n += c;
			i += c;
		} else {
			memcpy(out + n, "\xef\xbf\xbd", 3);
			n += 3;
			i += bad;
		}
	}
	out[n] = '\0';
	if (outlen != NULL)
		*outlen = n;
	return out;
}

/* The text the model reads, before any truncation: valid UTF-8. */
static char *
raw_text(const struct output_result *res, size_t *lenp)
{
	char	 note[96], *t, *all;
	size_t	 tlen, nlen;
	int	 r;

	if ((t = output_utf8_lossy(res->text == NULL ? "" : res->text,
	    res->len, &tlen)) == NULL)
		return NULL;
	if (!res->timed_out) {
		*lenp = tlen;
		return t;
	}
	r = snprintf(note, sizeof(note), "command timed out after %lld "
	    "milliseconds\n", (long long)res->timeout_ms);
	if (r < 0 || (size_t)r >= sizeof(note) ||
	    (all = malloc((nlen = (size_t)r) + tlen + 1)) == NULL) {
		free(t);
		return NULL;
	}
	memcpy(all, note, nlen);
	memcpy(all + nlen, t, tlen + 1);
	free(t);
	*lenp = nlen + tlen;
	return all;
}

/*
 * "Exit code: N\nWall time: S seconds\n[Total output lines: N\n]Output:\n"
 * followed by the (possibly cut) output.  The line count appears only
 * when the cut removed lines, so the model knows the text is partial.
 * Returns a NUL-terminated string to free, or NULL, and its length in
 * *outlen when outlen is not NULL (the output may hold NUL bytes).
 */
char *
output_format(const struct output_result *res, size_t budget, int unit,
    size_t *outlen)
{
	char	*raw, *cut, *out, wall[32], head[160];
	size_t	 rawlen, cutlen, nraw, hlen;
	int	 r;

	if (output_format_wall(res->wall_seconds, wall, sizeof(wall)) == NULL)
		return NULL;
	if ((raw = raw_text(res, &rawlen)) == NULL)
		return NULL;
	if ((cut = output_truncate(raw, rawlen, budget, unit, &cutlen)) ==
	    NULL) {
		free(raw);
		return NULL;
	}
	nraw = output_count_lines(raw, rawlen);
	free(raw);
	if (cutlen != rawlen && nraw != output_count_lines(cut, cutlen))
		r = snprintf(head, sizeof(head), "Exit code: %d\nWall time: %s "
		    "seconds\nTotal output lines: %zu\nOutput:\n",
		    res->exit_code, wall, nraw);
	else
		r = snprintf(head, sizeof(head), "Exit code: %d\nWall time: %s "
		    "seconds\nOutput:\n", res->exit_code, wall);
	if (r < 0 || (size_t)r >= sizeof(head) ||
	    (out = malloc((hlen = (size_t)r) + cutlen + 1)) == NULL) {
		free(cut);
		return NULL;
	}
	memcpy(out, head, hlen);
	memcpy(out + hlen, cut, cutlen + 1);
	free(cut);
	if (outlen != NULL)
		*outlen = hlen + cutlen;
	return out;
}
