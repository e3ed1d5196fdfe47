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

/* Tests for agent/output.c: the model-visible form of a command result. */

#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/output.h"
#include "regress/tap.h"

#define ELL	"\xe2\x80\xa6"
#define HEAD300	"Exit code: 1\nWall time: 2 seconds\n" \
	"Total output lines: 300\nOutput:\nline 0\n"

static int
valid_utf8(const char *s, size_t len)
{
	char	*v;
	size_t	 n;
	int	 same;

	if ((v = output_utf8_lossy(s, len, &n)) == NULL)
		err(1, "lossy");
	same = n == len && memcmp(v, s, len) == 0;
	free(v);
	return same;
}

static void
test_format(void)
{
	struct output_result	 r = { 0, 0.04, "hello\n", 6, 0, 0 };
	char			*s, wall[32];
	size_t			 n;

	s = output_format(&r, output_budget(0), OUTPUT_UNIT_TOKENS, &n);
	tap_ok(s != NULL && strcmp(s, "Exit code: 0\nWall time: 0 seconds\n"
	    "Output:\nhello\n") == 0 && n == strlen(s),
	    "short output is unchanged, no line count");
	free(s);
	r.exit_code = 2;
	r.wall_seconds = 1.25;
	r.text = "";
	r.len = 0;
	s = output_format(&r, 100, OUTPUT_UNIT_TOKENS, &n);
	tap_ok(s != NULL && strcmp(s, "Exit code: 2\nWall time: 1.2 seconds\n"
	    "Output:\n") == 0, "empty output, exit 2");
	free(s);
	s = output_format(&r, 100, OUTPUT_UNIT_TOKENS, NULL);
	tap_ok(s != NULL && strncmp(s, "Exit code: 2\n", 13) == 0,
	    "the length pointer may be NULL");
	free(s);
	tap_ok(strcmp(output_format_wall(12.0, wall, sizeof(wall)), "12") ==
	    0 && strcmp(output_format_wall(0.96, wall, sizeof(wall)), "1") ==
	    0 && strcmp(output_format_wall(3.14, wall, sizeof(wall)), "3.1") ==
	    0 && strcmp(output_format_wall(-1, wall, sizeof(wall)), "0") == 0,
	    "wall time printed to a tenth without a trailing .0");
	r.exit_code = 124;
	r.timed_out = 1;
	r.timeout_ms = 500;
	r.text = "partial";
	r.len = 7;
	s = output_format(&r, 1000, OUTPUT_UNIT_TOKENS, &n);
	tap_ok(s != NULL && strstr(s, "Output:\ncommand timed out after 500 "
	    "milliseconds\npartial") != NULL, "timeout notice before the output");
	free(s);
}

static void
test_truncate(void)
{
	char	 big[1000], *s;
	size_t	 n, i, budget = 100;

	for (i = 0; i < sizeof(big); i++)
		big[i] = i % 10 == 9 ? '\n' : 'a' + i % 10;
	s = output_truncate(big, sizeof(big), budget, OUTPUT_UNIT_TOKENS, &n);
	tap_ok(s != NULL && memcmp(s, big, 50) == 0 &&
	    memcmp(s + n - 50, big + 950, 50) == 0,
	    "head and tail of half the budget each are kept");
	tap_ok(s != NULL && strncmp(s + 50, ELL "225 tokens truncated" ELL,
	    n - 100) == 0 && n - 100 == strlen(ELL "225 tokens truncated" ELL),
	    "token marker counts ceil(900/4) = 225");
	free(s);
	s = output_truncate(big, sizeof(big), budget, OUTPUT_UNIT_CHARS, &n);
	tap_ok(s != NULL && strstr(s, ELL "900 chars truncated" ELL) != NULL,
	    "char marker counts removed characters");
	free(s);
	s = output_truncate(big, 100, budget, OUTPUT_UNIT_TOKENS, &n);
	tap_ok(s != NULL && n == 100 && memcmp(s, big, 100) == 0,
	    "text exactly at the budget is unchanged");
	free(s);
	s = output_truncate(big, 101, budget, OUTPUT_UNIT_TOKENS, &n);
	tap_ok(s != NULL && strstr(s, ELL "1 tokens truncated" ELL) != NULL,
	    "one byte over the budget is cut");
	free(s);
	tap_ok(output_budget(0) == 40000 && output_budget(-3) == 40000 &&
	    output_budget(256) == 1024, "budget is four bytes per token, "
	    "default 10000 tokens");
}

static void
test_utf8(void)
{
	char	 txt[400], *s;
	size_t	 n, i;

	/* "é" is two bytes; every cut point lands inside one at odd sizes. */
	for (i = 0; i + 1 < sizeof(txt); i += 2)
		memcpy(txt + i, "\xc3\xa9", 2);
	for (i = 1; i < 20; i++) {
		s = output_truncate(txt, sizeof(txt), 2 * i + 1,
		    OUTPUT_UNIT_CHARS, &n);
		if (s == NULL || !valid_utf8(s, n))
			break;
		free(s);
		s = NULL;
	}
	tap_ok(i == 20, "cuts never split a two-byte character");
	free(s);
	s = output_truncate("\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac", 9, 4,
	    OUTPUT_UNIT_CHARS, &n);
	tap_ok(s != NULL && strcmp(s, ELL "3 chars truncated" ELL) == 0,
	    "a budget smaller than a character keeps nothing: %s", s);
	free(s);
	s = output_utf8_lossy("a\xffz\xe2\x82", 5, &n);
	tap_ok(s != NULL && strcmp(s, "a\xef\xbf\xbdz\xef\xbf\xbd") == 0,
	    "invalid bytes and a cut sequence become U+FFFD");
	free(s);
	s = output_utf8_lossy("\xed\xa0\x80", 3, &n);
	tap_ok(s != NULL && n == 9, "a surrogate is not valid UTF-8");
	free(s);
	s = output_utf8_lossy("a\0b", 3, &n);
	tap_ok(s != NULL && n == 3 && s[1] == '\0', "NUL bytes are kept");
	free(s);
}

static void
test_lines(void)
{
	struct output_result	 r = { 1, 2.0, NULL, 0, 0, 0 };
	char			*text, *s;
	size_t			 i, n, len = 0;

	tap_ok(output_count_lines("", 0) == 0 &&
	    output_count_lines("a", 1) == 1 &&
	    output_count_lines("a\n", 2) == 1 &&
	    output_count_lines("a\nb", 3) == 2 &&
	    output_count_lines("\n\n", 2) == 2, "line counting");
	if ((text = malloc(300 * 20)) == NULL)
		err(1, NULL);
	for (i = 0; i < 300; i++)
		len += (size_t)snprintf(text + len, 20, "line %zu\n", i);
	r.text = text;
	r.len = len;
	s = output_format(&r, 200, OUTPUT_UNIT_TOKENS, &n);
	tap_ok(s != NULL && strncmp(s, HEAD300, strlen(HEAD300)) == 0 &&
	    strstr(s, "line 299\n") != NULL && strstr(s, "line 150") == NULL,
	    "long output: total line count, head and tail kept");
	tap_ok(s != NULL && n < 200 + 100 + 40, "result near the budget: %zu",
	    n);
	free(s);
	/* A cut inside one long line removes no line: no count shown. */
	memset(text, 'x', 1000);
	r.len = 1000;
	s = output_format(&r, 200, OUTPUT_UNIT_TOKENS, &n);
	tap_ok(s != NULL && strstr(s, "Total output lines") == NULL &&
	    strstr(s, ELL "200 tokens truncated" ELL) != NULL,
	    "cut within one line shows no line count");
	free(s);
	free(text);
}

int
main(void)
{
	tap_plan(20);
	test_format();
	test_truncate();
	test_utf8();
	test_lines();
	return tap_done();
}
