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
 * Unit tests of the terminal sanitiser (ui/render.c): a table of hostile
 * inputs and what may reach the terminal of each, fed whole and then one
 * byte at a time, since output arrives in arbitrary pieces.
 */

#include <sys/types.h>

#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>

#include "ui/ui.h"

#define FFFD	"\xef\xbf\xbd"

static const struct {
	const char	*name;
	const char	*in;
	const char	*out;
} cases[] = {
	{ "plain text", "hello, world\n", "hello, world\n" },
	{ "tab and newline kept", "a\tb\nc\n", "a\tb\nc\n" },
	{ "UTF-8 kept", "h\xc3\xa9llo \xf0\x9f\x98\x80 \xe4\xb8\xad",
	    "h\xc3\xa9llo \xf0\x9f\x98\x80 \xe4\xb8\xad" },
	{ "CSI erase screen", "a\033[2Jb", "ab" },
	{ "CSI colour", "\033[1;31mred\033[0m", "red" },
	{ "CSI private mode", "x\033[?1049hy", "xy" },
	{ "cursor movement", "ok\033[1A\033[2Kfake", "okfake" },
	{ "OSC 52 clipboard (BEL)", "x\033]52;c;cm0gLXJmIC8=\007y", "xy" },
	{ "OSC 52 clipboard (ST)", "x\033]52;c;Zm9v\033\\y", "xy" },
	{ "OSC 0 title", "\033]0;pwned\007text", "text" },
	{ "OSC 8 hyperlink", "\033]8;;http://evil/\033\\click\033]8;;\033\\",
	    "click" },
	{ "DCS", "\033P1$r0m\033\\ok", "ok" },
	{ "APC and PM", "\033_hidden\033\\\033^x\033\\v", "v" },
	{ "charset escape", "\033(0x\033)By", "xy" },
	{ "two-character escape", "a\033cb\0337c", "abc" },
	{ "C1 CSI, raw byte", "a\x9b" "2Jb", "a" FFFD "2Jb" },
	{ "C1 CSI, encoded", "a\xc2\x9b" "2Jb", "ab" },
	{ "C1 OSC, encoded", "a\xc2\x9d" "0;t\xc2\x9c" "b", "ab" },
	{ "C1 NEL dropped", "a\xc2\x85" "b", "ab" },
	{ "BEL", "ding\007dong", "dingdong" },
	{ "CR overwrite", "safe command\rrm -rf /\n",
	    "safe commandrm -rf /\n" },
	{ "backspace overwrite", "ab\b\bXY", "abXY" },
	{ "DEL", "a\x7f" "b", "ab" },
	{ "other C0", "a\001\002\016\017\032b", "ab" },
	{ "OSC cut by newline", "\033]0;title\nvisible", "\nvisible" },
	{ "CSI cut by newline", "\033[12\nx", "\nx" },
	{ "ESC ESC [", "\033\033[2Jz", "z" },
	{ "lone bad byte", "a\xff" "b", "a" FFFD "b" },
	{ "bad continuation", "\xc3(", FFFD "(" },
	{ "overlong", "\xc0\xaf", FFFD FFFD },
	{ "overlong 3-byte", "\xe0\x80\xaf", FFFD FFFD FFFD },
	{ "surrogate", "\xed\xa0\x80", FFFD FFFD FFFD },
	{ "past U+10FFFF", "\xf4\x90\x80\x80", FFFD FFFD FFFD FFFD },
	{ "truncated at end", "ab\xe2\x82", "ab" FFFD },
	{ "bidi override shown", "a\xe2\x80\xae" "b", "a<U+202E>b" },
	{ "bidi isolate shown", "\xe2\x81\xa6x", "<U+2066>x" },
	{ "unterminated CSI dropped", "ok\033[", "ok" },
};
#define NCASES	(sizeof(cases) / sizeof(cases[0]))

static int	ntest;

static int
check(int ok, const char *what, const char *how)
{
	ntest++;
	(void)printf("%sok %d - %s%s\n", ok ? "" : "not ", ntest, what, how);
	return ok;
}

static char *
run(const char *in, int bytewise)
{
	struct sanitizer	 s;
	struct evbuffer		*b;
	size_t			 i, len = strlen(in);
	char			*out;

	if ((b = evbuffer_new()) == NULL)
		err(1, "evbuffer_new");
	san_init(&s);
	if (bytewise)
		for (i = 0; i < len; i++)
			san_feed(&s, b, in + i, 1);
	else
		san_feed(&s, b, in, len);
	if (san_finish(&s, b) == -1 || evbuffer_add(b, "", 1) == -1)
		errx(1, "sanitiser output");
	len = evbuffer_get_length(b);
	if ((out = malloc(len)) == NULL)
		err(1, NULL);
	if (evbuffer_remove(b, out, len) != (int)len)
		errx(1, "evbuffer_remove");
	evbuffer_free(b);
	return out;
}

/* Pieces split where a stream would split them. */
static void
split_cases(void)
{
	struct sanitizer	 s;
	struct evbuffer		*b;
	char			*out;
	size_t			 len;

	if ((b = evbuffer_new()) == NULL)
		err(1, "evbuffer_new");
	san_init(&s);
	san_feed(&s, b, "x\xf0\x9f", 3);
	len = evbuffer_get_length(b);
	san_feed(&s, b, "\x98\x80y\033[3", 6);
	san_feed(&s, b, "1mz\033]52;c;", 10);
	san_feed(&s, b, "AAAA\007w", 6);
	(void)san_finish(&s, b);
	(void)evbuffer_add(b, "", 1);
	out = (char *)evbuffer_pullup(b, -1);
	check(len == 1, "emoji split across writes", ": nothing until whole");
	check(strcmp(out, "x\xf0\x9f\x98\x80yzw") == 0,
	    "emoji, CSI and OSC 52 split across writes", "");
	evbuffer_free(b);
}

static void
color_cases(void)
{
	render_setcolor(0);
	check(*sgr(UC_RED) == '\0' && *sgr(UC_RESET) == '\0',
	    "no colour unless asked", "");
	render_setcolor(1);
	check(strcmp(sgr(UC_RED), "\033[31m") == 0 &&
	    strcmp(sgr(UC_RESET), "\033[0m") == 0, "colour when asked", "");
	render_setcolor(0);
}

int
main(void)
{
	size_t	 i;
	char	*out;
	int	 bytewise;

	(void)printf("1..%zu\n", NCASES * 2 + 4);
	for (bytewise = 0; bytewise <= 1; bytewise++) {
		for (i = 0; i < NCASES; i++) {
			out = run(cases[i].in, bytewise);
			if (!check(strcmp(out, cases[i].out) == 0,
			    cases[i].name, bytewise ? " (byte by byte)" : ""))
				(void)printf("# got \"%s\"\n", out);
			free(out);
		}
	}
	split_cases();
	color_cases();
	return 0;
}
