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

#ifndef SESSION_H
#define SESSION_H

#include <jansson.h>

struct config;
struct policy;
struct rollout;
struct session;

/* How a turn ended, for the front end's exit status. */
enum turn_end {
	TURN_OK,
	TURN_FAILED,
	TURN_INTERRUPTED
};

struct session_params {
	struct config		 *cfg;
	const struct policy	 *policy;	/* the session's sandbox */
	char *const		 *env;		/* for commands, scrubbed */
	const char		 *thread_id;
	/* Called once per turn when it ends; last is the final message. */
	void			(*done)(struct session *, int, const char *);
	/* Call done only once the notify program has finished (exec). */
	int			  wait_notify;
	/* The front end can ask the user to approve (tui, mcp). */
	int			  can_ask;
	/* The policy of a command run without the sandbox. */
	const struct policy	 *full;
	/* Where the session is recorded (NULL: --ephemeral). */
	struct rollout		 *rollout;
	/* A resumed session's history; NULL builds the initial context. */
	json_t			 *history;
	/* $CODEX_HOME/history.jsonl, for each prompt, or -1. */
	int			  histfd;
	/* Instructions instead of the built-in ones (NULL: those). */
	const char		 *base_instructions;
};

struct session	*session_new(const struct session_params *);
void		 session_turn(struct session *, const char *);
void		 session_interrupt(struct session *);
int		 session_compact(struct session *);
void		 session_approval(struct session *, const char *,
		    const char *);
void		 session_free(struct session *);

/* uiclient.c */
void		 uiclient_setup(int, int, int);
void		 uiclient_event(int, json_t *);

#endif /* SESSION_H */
