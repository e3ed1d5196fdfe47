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

#ifndef TUI_INT_H
#define TUI_INT_H

#include <jansson.h>
#include <stddef.h>

/* What the keyboard is doing. */
enum tui_state {
	TS_IDLE,	/* editing a prompt with libedit */
	TS_BUSY,	/* a turn runs: only Ctrl-C means something */
	TS_APPROVAL	/* waiting for y, a, n, Esc or Ctrl-C */
};

/* tui-input.c: the terminal, libedit and the keys. */
void	 tin_start(void);
void	 tin_restore(void);
void	 tin_busy(void);
void	 tin_idle(void);
void	 tin_approval(const char *);
void	 tin_history(json_t *);
int	 tin_state(void);
int	 tin_width(void);
void	 tin_out(const char *, size_t);
void	 tin_printf(const char *, ...)
	    __attribute__((__format__ (printf, 1, 2)));
void	 tin_quit(void);
void	 tin_redisplay(void);
void	 tin_pick(size_t);

/* tui.c: what the keys and slash commands ask the screen to show. */
void	 tui_status_line(void);
void	 tui_help(void);
void	 tui_note(const char *, const char *);
void	 tui_user(const char *);
void	 tui_safe(const char *);

#endif /* TUI_INT_H */
