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

#ifndef AGENT_ROLLOUT_H
#define AGENT_ROLLOUT_H

#include <sys/queue.h>

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <jansson.h>

struct gitinfo;

/*
 * Rollout files: one session as JSON lines under
 * $CODEX_HOME/sessions/YYYY/MM/DD/rollout-YYYY-MM-DDThh-mm-ss-<uuid>.jsonl,
 * each line {"timestamp","ordinal","type","payload"} written with a single
 * write(2), so that a crash leaves at most one torn line at the end.
 */

/* The line types. */
#define ROLLOUT_SESSION_META	"session_meta"
#define ROLLOUT_RESPONSE_ITEM	"response_item"
#define ROLLOUT_EVENT_MSG	"event_msg"
#define ROLLOUT_TURN_CONTEXT	"turn_context"
#define ROLLOUT_COMPACTED	"compacted"

/* When rollout_sync() really calls fsync(2). */
enum rollout_syncpolicy {
	ROLLOUT_SYNC_TURN,	/* at the end of every turn and on exit */
	ROLLOUT_SYNC_EXIT,	/* on clean exit only */
	ROLLOUT_SYNC_NEVER	/* leave it to the kernel */
};

/* Where the caller stands when it asks for a sync. */
enum rollout_syncpoint {
	ROLLOUT_AT_TURN_END,
	ROLLOUT_AT_EXIT
};

struct rollout;

struct rollout	*rollout_create(const char *, const char *,
		    const struct timespec *, json_t *, char *, size_t);
struct rollout	*rollout_open_append(const char *, char *, size_t);
int		 rollout_write(struct rollout *, const char *, json_t *);
void		 rollout_set_syncpolicy(struct rollout *,
		    enum rollout_syncpolicy);
int		 rollout_sync(struct rollout *, enum rollout_syncpoint);
int		 rollout_close(struct rollout *);
const char	*rollout_path(const struct rollout *);
uint64_t	 rollout_nsyncs(const struct rollout *);
size_t		 rollout_repaired(const struct rollout *);
size_t		 rollout_lost(const struct rollout *);

int		 rollout_timestamp(const struct timespec *, char *, size_t);

/* Payload builders; each returns a new reference or NULL. */
struct rollout_meta {
	const char		*id;		/* the thread's UUIDv7 */
	const char		*timestamp;	/* NULL: now */
	const char		*cwd;
	const char		*originator;	/* "codex_cli_rs", ... */
	const char		*cli_version;
	const char		*source;	/* "cli", "exec" or "mcp" */
	const char		*model_provider;
	const char		*base_instructions;	/* NULL: left out */
	const struct gitinfo	*git;		/* NULL: not a repository */
};

struct rollout_turn {
	const char	*turn_id;		/* NULL: left out */
	const char	*cwd;
	const char	*approval_policy;	/* "untrusted", "never", ... */
	json_t		*sandbox_policy;	/* from rollout_sandbox_policy */
	const char	*model;
	const char	*effort;		/* NULL: left out */
	const char	*summary;		/* "auto", "none", ... */
};

struct rollout_usage {
	int64_t	input_tokens;
	int64_t	cached_input_tokens;
	int64_t	output_tokens;
	int64_t	reasoning_output_tokens;
	int64_t	total_tokens;
};

json_t	*rollout_session_meta(const struct rollout_meta *);
json_t	*rollout_turn_context(const struct rollout_turn *);
json_t	*rollout_sandbox_policy(const char *, const char *const *, size_t,
	    int, int, int);
json_t	*rollout_ev_user_message(const char *);
json_t	*rollout_ev_agent_message(const char *);
json_t	*rollout_ev_agent_reasoning(const char *);
json_t	*rollout_ev_token_count(const struct rollout_usage *,
	    const struct rollout_usage *, int64_t);
json_t	*rollout_ev_task_started(const char *, int64_t);
json_t	*rollout_ev_task_complete(const char *, const char *);
json_t	*rollout_ev_turn_aborted(const char *, const char *);
json_t	*rollout_ev_context_compacted(void);
json_t	*rollout_compacted(const char *, json_t *);

/*
 * What reading a rollout gives back.  items is the history to resume
 * with: response items in order, where a compacted line replaces what
 * came before it.  The warn callback, if set, hears about skipped lines.
 */
struct rollout_data {
	json_t	*meta;		/* the session_meta payload */
	json_t	*items;		/* array of response items */
	json_t	*turn_context;	/* the last turn_context payload or NULL */
	size_t	 nlines;	/* non-blank lines that parsed */
	size_t	 nresponse;
	size_t	 nevent;
	size_t	 nturn;
	size_t	 ncompacted;
	size_t	 nunknown;	/* line types we do not know */
	size_t	 nblank;
	size_t	 nbad;		/* lines that are not JSON objects */
	int	 torn;		/* the last line was incomplete */
	void	(*warn)(void *, const char *);
	void	*warnarg;
};

int	rollout_read(const char *, struct rollout_data *, char *, size_t);
void	rollout_data_free(struct rollout_data *);

/* One session found by rollout_list. */
struct rollout_entry {
	TAILQ_ENTRY(rollout_entry)	 entry;
	char				*path;
	char				 id[37];
	char				 stamp[20];	/* YYYY-MM-DDThh-mm-ss */
	char				*cwd;
	char				*source;
};
TAILQ_HEAD(rollout_entries, rollout_entry);

#define ROLLOUT_LIST_SCAN_MAX	10000

int	rollout_list(const char *, const char *, size_t,
	    struct rollout_entries *);
void	rollout_list_free(struct rollout_entries *);
int	rollout_find(const char *, const char *, char *, size_t, char *,
	    size_t);

#endif /* AGENT_ROLLOUT_H */
