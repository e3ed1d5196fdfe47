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
 * The terminal sanitiser and the colour helpers.
 *
 * Model text, reasoning, command output and file names are untrusted: a
 * model or a command can print escape sequences that set the window
 * title, write the clipboard (OSC 52), move the cursor to overwrite what
 * was shown, or hide text.  Only ocodex's own colours may reach the
 * terminal as control sequences, so untrusted bytes pass through a small
 * state machine that decodes UTF-8 (invalid bytes become U+FFFD), drops
 * C0 controls other than newline and tab, drops C1 controls, and swallows
 * every ESC- or C1-introduced sequence whole: CSI, OSC, DCS, SOS, PM, APC
 * and two- or three-character escapes.  Bidirectional overrides, which can
 * make text read differently from what it is, are shown as <U+XXXX>.
 */

#include <sys/types.h>

#include <stdio.h>
#include <string.h>

#include <event2/buffer.h>

#include "ui/ui.h"

/* Where the escape state machine is. */
enum {
	SAN_TEXT,	/* ordinary text */
	SAN_ESC,	/* after ESC */
	SAN_ESCI,	/* after ESC and intermediate bytes */
	SAN_CSI,	/* in a control sequence */
	SAN_STR,	/* in a command string (OSC, DCS, SOS, PM, APC) */
	SAN_STRESC	/* after ESC inside a command string */
};

#define CP_BAD		0xfffd	/* U+FFFD REPLACEMENT CHARACTER */

static void	san_cp(struct sanitizer *, struct evbuffer *, unsigned int);
static int	san_text(struct sanitizer *, struct evbuffer *, unsigned int);
static void	san_emit(struct sanitizer *, struct evbuffer *, unsigned int);
static void	san_byte(struct sanitizer *, struct evbuffer *, unsigned char);
static int	u8_lead(unsigned char, size_t *);
static int	u8_second_ok(unsigned char, unsigned char);

static int	use_color;

void
san_init(struct sanitizer *s)
{
	memset(s, 0, sizeof(*s));
	s->state = SAN_TEXT;
}

void
san_feed(struct sanitizer *s, struct evbuffer *out, const void *data,
    size_t len)
{
	const unsigned char	*p = data;
	size_t			 i;

	for (i = 0; i < len; i++)
		san_byte(s, out, p[i]);
}

/*
 * End of the stream: a character cut short is replaced, and a sequence
 * left open is dropped, so the next stream starts clean.  Returns -1 if
 * some output could not be buffered since the last call.
 */
int
san_finish(struct sanitizer *s, struct evbuffer *out)
{
	int	error;

	if (s->u8len > 0) {
		s->u8len = 0;
		san_cp(s, out, CP_BAD);
	}
	error = s->error;
	san_init(s);
	return error ? -1 : 0;
}

/* Sanitise a whole NUL-terminated string; -1 if out of memory. */
int
san_append(struct evbuffer *out, const char *str)
{
	struct sanitizer	 s;

	san_init(&s);
	san_feed(&s, out, str, strlen(str));
	return san_finish(&s, out);
}

/*
 * The UTF-8 decoder.  A byte that cannot continue the pending character
 * turns the pending bytes into one U+FFFD and is then looked at afresh,
 * as the start of something new.
 */
static void
san_byte(struct sanitizer *s, struct evbuffer *out, unsigned char b)
{
	unsigned int	cp;
	size_t		i;

	if (s->u8len > 0) {
		if ((b & 0xc0) != 0x80 ||
		    (s->u8len == 1 && !u8_second_ok(s->u8[0], b))) {
			s->u8len = 0;
			san_cp(s, out, CP_BAD);
			san_byte(s, out, b);
			return;
		}
		s->u8[s->u8len++] = b;
		if (s->u8len < s->u8need)
			return;
		cp = s->u8[0] & (0x7f >> s->u8need);
		for (i = 1; i < s->u8need; i++)
			cp = (cp << 6) | (s->u8[i] & 0x3f);
		s->u8len = 0;
		san_cp(s, out, cp);
		return;
	}
	if (b < 0x80) {
		san_cp(s, out, b);
		return;
	}
	if (!u8_lead(b, &s->u8need)) {
		san_cp(s, out, CP_BAD);
		return;
	}
	s->u8[0] = b;
	s->u8len = 1;
}

/* Is b a lead byte, and of how long a character? */
static int
u8_lead(unsigned char b, size_t *need)
{
	if (b >= 0xc2 && b <= 0xdf)
		*need = 2;
	else if (b >= 0xe0 && b <= 0xef)
		*need = 3;
	else if (b >= 0xf0 && b <= 0xf4)
		*need = 4;
	else
		return 0;
	return 1;
}

/* Rule out overlong forms, surrogates and code points past U+10FFFF. */
static int
u8_second_ok(unsigned char lead, unsigned char b)
{
	switch (lead) {
	case 0xe0:
		return b >= 0xa0;
	case 0xed:
		return b <= 0x9f;
	case 0xf0:
		return b >= 0x90;
	case 0xf4:
		return b <= 0x8f;
	default:
		return 1;
	}
}

/*
 * The escape state machine, over code points.  A character that cannot
 * belong to the sequence in progress ends it and is then treated as
 * text, as a terminal would execute it.
 */
static void
san_cp(struct sanitizer *s, struct evbuffer *out, unsigned int cp)
{
	switch (s->state) {
	case SAN_TEXT:
		s->state = san_text(s, out, cp);
		return;
	case SAN_ESC:
		if (cp == '[')
			s->state = SAN_CSI;
		else if (cp == ']' || cp == 'P' || cp == 'X' || cp == '^' ||
		    cp == '_')
			s->state = SAN_STR;
		else if (cp >= 0x20 && cp <= 0x2f)
			s->state = SAN_ESCI;
		else if (cp >= 0x30 && cp <= 0x7e)
			s->state = SAN_TEXT;
		else if (cp != 0x1b)
			s->state = san_text(s, out, cp);
		return;
	case SAN_ESCI:
		if (cp >= 0x30 && cp <= 0x7e)
			s->state = SAN_TEXT;
		else if (cp < 0x20 || cp > 0x2f)
			s->state = san_text(s, out, cp);
		return;
	case SAN_CSI:
		if (cp >= 0x40 && cp <= 0x7e)
			s->state = SAN_TEXT;
		else if (cp < 0x20 || cp > 0x3f)
			s->state = san_text(s, out, cp);
		return;
	case SAN_STR:
		/* BEL or ST ends it; a line break means it was never one. */
		if (cp == 0x07 || cp == 0x9c)
			s->state = SAN_TEXT;
		else if (cp == 0x1b)
			s->state = SAN_STRESC;
		else if (cp < 0x20)
			s->state = san_text(s, out, cp);
		return;
	case SAN_STRESC:
		s->state = SAN_ESC;
		if (cp == '\\')
			s->state = SAN_TEXT;
		else
			san_cp(s, out, cp);
		return;
	}
}

/* One character of text; returns the state it leads to. */
static int
san_text(struct sanitizer *s, struct evbuffer *out, unsigned int cp)
{
	char	vis[16];

	if (cp == 0x1b)
		return SAN_ESC;
	if (cp == 0x9b)
		return SAN_CSI;
	if (cp == 0x90 || cp == 0x98 || cp == 0x9d || cp == 0x9e ||
	    cp == 0x9f)
		return SAN_STR;
	if (cp == '\n' || cp == '\t') {
		san_emit(s, out, cp);
		return SAN_TEXT;
	}
	if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
		return SAN_TEXT;
	if ((cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069)) {
		(void)snprintf(vis, sizeof(vis), "<U+%04X>", cp);
		if (evbuffer_add(out, vis, strlen(vis)) == -1)
			s->error = 1;
		return SAN_TEXT;
	}
	san_emit(s, out, cp);
	return SAN_TEXT;
}

static void
san_emit(struct sanitizer *s, struct evbuffer *out, unsigned int cp)
{
	unsigned char	b[4];
	size_t		n;

	if (cp < 0x80) {
		b[0] = cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = 0xc0 | (cp >> 6);
		b[1] = 0x80 | (cp & 0x3f);
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = 0xe0 | (cp >> 12);
		b[1] = 0x80 | ((cp >> 6) & 0x3f);
		b[2] = 0x80 | (cp & 0x3f);
		n = 3;
	} else {
		b[0] = 0xf0 | (cp >> 18);
		b[1] = 0x80 | ((cp >> 12) & 0x3f);
		b[2] = 0x80 | ((cp >> 6) & 0x3f);
		b[3] = 0x80 | (cp & 0x3f);
		n = 4;
	}
	if (evbuffer_add(out, b, n) == -1)
		s->error = 1;
}

/* Colour follows the mode's flag (set from --color and NO_COLOR). */
void
render_setcolor(int on)
{
	use_color = on;
}

const char *
sgr(enum ui_color c)
{
	static const char *const codes[UC_MAX] = {
		[UC_RESET] = "\033[0m",
		[UC_BOLD] = "\033[1m",
		[UC_DIM] = "\033[2m",
		[UC_ITALIC] = "\033[3m",
		[UC_RED] = "\033[31m",
		[UC_GREEN] = "\033[32m",
		[UC_YELLOW] = "\033[33m",
		[UC_BLUE] = "\033[34m",
		[UC_MAGENTA] = "\033[35m",
		[UC_CYAN] = "\033[36m",
	};

	if (!use_color || c >= UC_MAX)
		return "";
	return codes[c];
}
