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

#include <locale.h>
#include <stdlib.h>
#include <unistd.h>

#include <term.h>

#include "imsg/log.h"
#include "ui/ui.h"

/*
 * Before ui confines itself (it may open no file afterwards): the
 * terminal's description and a UTF-8 character type.  ncurses keeps the
 * description it loaded, and libedit's tgetent() of the same terminal
 * later finds it there instead of reading the terminfo files.  Alone in
 * this file because <term.h> defines a macro for every capability name.
 */
void
tui_preload(const char *term)
{
	int	 rc;

	if (setenv("TERM", term, 1) == -1)
		fatal("setenv");
	if (setlocale(LC_CTYPE, "C.UTF-8") == NULL)
		log_warnx("no C.UTF-8 locale: non-ASCII input is not edited");
	if (setupterm(term, STDOUT_FILENO, &rc) != 0)
		log_warnx("no terminal description for %s", term);
}
