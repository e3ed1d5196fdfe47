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

#include <sys/types.h>

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent/agent.h"
#include "agent/session.h"
#include "imsg/log.h"
#include "imsg/proc.h"

/*
 * The parent's side of ui: hand it the descriptors it renders to and its
 * mode, then a stream of session events.  The parent itself never writes
 * to the terminal.
 */
void
uiclient_setup(int mode, int color, int hide_reasoning)
{
	struct peer		*p = &children[PROC_UI].peer;
	struct msg_ui_mode	 mm;
	uint32_t		 slot;
	int			 fd;

	for (slot = 0; slot < UI_FD_MAX; slot++) {
		if ((fd = dup(slot)) == -1)
			fatal("dup %u", slot);
		peer_compose(p, IMSG_UI_FD, slot, fd, NULL, 0);
	}
	memset(&mm, 0, sizeof(mm));
	mm.mode = mode;
	mm.color = color;
	mm.hide_reasoning = hide_reasoning;
	peer_compose(p, IMSG_UI_MODE, 0, -1, &mm, sizeof(mm));
}

/* Send one event; the object is consumed. */
void
uiclient_event(int kind, json_t *o)
{
	char	*s;

	if (o == NULL)
		o = json_object();
	if (o == NULL || (s = json_dumps(o, JSON_COMPACT)) == NULL)
		fatalx("cannot encode a ui event");
	peer_compose_big(&children[PROC_UI].peer, IMSG_UI_EVENT, kind, s,
	    strlen(s));
	free(s);
	json_decref(o);
}
