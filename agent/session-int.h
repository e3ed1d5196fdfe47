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

#ifndef SESSION_INT_H
#define SESSION_INT_H

#include <sys/queue.h>

#include <jansson.h>
#include <stdint.h>
#include <time.h>

#include "agent/approval.h"
#include "agent/session.h"

/* Output of one command kept for the model and the front end. */
#define CALL_OUTPUT_MAX	(1024 * 1024)

/* A tool call of the model, from its item to its output. */
struct call {
	TAILQ_ENTRY(call)	 entry;
	struct session		*sess;		/* the call's session */
	char			*call_id;
	char			*name;
	int			 custom;	/* custom_tool_call (freeform) */
	json_t			*item;		/* as the model sent it */
	uint32_t		 exec_id;	/* running command, or 0 */
	int64_t			 timeout_ms;
	struct timespec		 start;
	char			*display;	/* the command as shown */
	char			*cwd;
	char			*out;
	size_t			 outlen;
	json_t			*changes;	/* of a patch */
	/* Kept while the user is asked to approve. */
	char			**argv;
	char			*patch_text;
	char			*patch_base;
	int			 asking;	/* ASK_* */
#define ASK_EXEC	1
#define ASK_PATCH	2
#define ASK_RERUN	3	/* failed in the sandbox: run without? */
	int			 sandboxed;
	int			 escalate;	/* the model asked for it */
	char			*justification;	/* the model's, for approval */
};
TAILQ_HEAD(callq, call);

struct session {
	struct session_params	 p;
	json_t			*history;	/* every item, in order */
	json_t			*tools;
	json_t			*usage;		/* summed over the session */
	char			*last_message;
	struct callq		 calls;		/* of the current response */
	struct call		*running;
	uint32_t		 req_id;	/* model request in flight */
	int			 active;	/* a turn is running */
	int			 turn;		/* counter, for turn ids */
	char			 turn_id[16];
	int			 partial;
	int			 partial_msg;	/* a message came in it */
	int			 partial_asks;	/* re-asked in this turn */
	char			*prompt;	/* of the current turn */
	size_t			 ninitial;	/* initial context items */
	int			 compacting;
	int			 compact_drops;
	int			 compact_pending; /* compact before asking */
	int			 compact_only;	/* /compact: no request after */
	char			*compact_summary;
	int			 done_how;	/* while notify runs */
	char			*done_text;
	struct approval_cache	 approved;
};

/* session.c */
void	 session_call_done(struct session *, struct call *, const char *);
void	 session_call_done_json(struct session *, struct call *, json_t *);
void	 session_next_call(struct session *);
void	 session_emit(struct session *, int, json_t *);

void	 session_record(struct session *, const char *, json_t *);
const char *session_instructions(struct session *);
uint32_t session_next_req(void);
void	 session_request(struct session *);

/* compact.c */
extern const char compact_summary_prefix[];
int	 compact_needed(struct session *, json_t *);
void	 compact_start(struct session *);
void	 compact_item(struct session *, const char *);
void	 compact_done(struct session *);
int	 compact_failed(struct session *, const char *);

/* toolrun.c */
void	 toolrun_start(struct session *, struct call *);
void	 toolrun_interrupt(struct session *);
void	 call_free(struct call *);

#endif /* SESSION_INT_H */
