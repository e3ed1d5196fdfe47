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

#ifndef AGENT_TUI_INT_H
#define AGENT_TUI_INT_H

#include <jansson.h>

/*
 * The interactive session of the parent: the command line, the session
 * and ui's operations (tuicmd.c), and the sessions /resume offers and
 * switches to (tuiresume.c).
 */

/* tuicmd.c */
void		 tui_note(const char *, const char *, const char *);
void		 tui_switch(const char *);

/* tuiresume.c */
__dead void	 tui_resume_list(int);
json_t		*tui_replay_messages(json_t *);
void		 tui_sessions(const char *);
void		 tui_resume(json_t *);

#endif /* AGENT_TUI_INT_H */
