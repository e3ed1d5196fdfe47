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

#ifndef MOCKMODEL_H
#define MOCKMODEL_H

#include <stddef.h>

#include <jansson.h>

/*
 * mockmodel: a scripted model server for ocodex's end-to-end tests.
 * script.c and fault.c turn the JSON script into the structures below
 * (and are the only places that validate it), render.c turns one turn
 * into the bytes of an SSE body in either wire format, stream.c sends
 * those bytes with the turn's faults, and mockmodel.c is the HTTP front
 * end and keeps the request log.
 */

#define MM_MODEL	"mock-model"
#define MM_NONE		((size_t)-1)	/* "no such position" */

enum mm_item_type {
	MM_MESSAGE,
	MM_REASONING,
	MM_FUNCTION_CALL,
	MM_CUSTOM_TOOL_CALL
};

/* A text and where it is cut into deltas: cut[i] ends delta i. */
struct mm_text {
	char	*s;
	size_t	 len;
	size_t	*cut;
	size_t	 ncut;
};

struct mm_item {
	enum mm_item_type	 type;
	char			*id;		/* NULL: generated */
	char			*name;		/* tool name */
	char			*call_id;	/* NULL: generated */
	char			*phase;		/* message phase, or NULL */
	json_t			*encrypted;	/* reasoning encrypted_content */
	size_t			 delta_size;	/* 0: the whole text at once */
	struct mm_text		*texts;		/* reasoning: one per part */
	size_t			 ntexts;
};

struct mm_header {
	char	*name;
	char	*value;
};

struct mm_fault {
	long long	 delay_ms;	/* before the status line */
	int		 status;	/* 0: a normal stream */
	char		*body;		/* status body, NULL: a default one */
	char		*content_type;
	char		*retry_after;	/* Retry-After value, or NULL */
	long long	 retry_after_date; /* -1, or seconds from now */
	size_t		 cut_after;	/* events, or MM_NONE */
	size_t		 cut_after_bytes; /* body bytes, or MM_NONE */
	long long	 stall_ms;
	size_t		 stall_after;	/* events sent before the stall */
	char		*fail_code;	/* response.failed, or NULL */
	char		*fail_message;
	char		*fail_type;
	char		*incomplete;	/* response.incomplete reason */
	size_t		 malformed_after; /* events, or MM_NONE */
	int		 no_completed;
};

struct mm_turn {
	struct mm_item		*items;
	size_t			 nitems;
	char			**events;	/* raw "data:" payloads */
	size_t			 nevents;
	int			 raw;		/* events, not items */
	json_t			*usage;		/* NULL: default; null: none */
	char			*id;		/* response id, NULL: generated */
	char			*model;		/* NULL: the request's model */
	char			*finish_reason;	/* chat only, NULL: derived */
	struct mm_header	*headers;
	size_t			 nheaders;
	int			 crlf;
	size_t			 chunk;		/* 0: one write per event */
	long long		 interval_ms;
	size_t			 repeat;
	struct mm_fault		 fault;
};

struct mm_script {
	struct mm_turn	*turns;
	size_t		 nturns;
};

/* The bytes of one SSE body and the end offset of every event in it. */
struct mm_body {
	char	*b;
	size_t	 len;
	size_t	 cap;
	size_t	*ends;
	size_t	 nends;
	size_t	 capends;
};

/* What a rendering needs besides the turn. */
struct mm_ctx {
	size_t		 k;		/* turns served before this one */
	const char	*model;
	long long	 created;
	int		 encrypted;	/* reasoning.encrypted_content asked */
};

#define MM_MAX_MS	(24LL * 3600 * 1000)	/* longest scripted pause */
#define MM_MAX_FILL	(64 * 1024 * 1024)	/* largest generated text */

/* Where script checking writes its error message. */
struct mm_err {
	char	*err;
	size_t	 errlen;
};

/* script.c */
int	 script_load(const char *, struct mm_script *, char *, size_t);
void	 script_free(struct mm_script *);
void	 mm_text_cut(struct mm_text *, size_t);
int	 mm_bad(struct mm_err *, const char *, const char *, ...)
	    __attribute__((__format__(__printf__, 3, 4)));
int	 mm_keys_ok(struct mm_err *, json_t *, const char *,
	    const char *const *);
int	 mm_get_str(struct mm_err *, json_t *, const char *, const char *,
	    char **);
int	 mm_get_num(struct mm_err *, json_t *, const char *, const char *,
	    long long, long long, long long *);
int	 mm_get_bool(struct mm_err *, json_t *, const char *, const char *,
	    int *);
char	*mm_strndup(const char *, size_t);

/* fault.c */
int	 mm_fault_load(struct mm_err *, json_t *, const char *,
	    struct mm_turn *);
int	 mm_headers_load(struct mm_err *, json_t *, const char *,
	    struct mm_turn *);
int	 mm_turn_check(struct mm_err *, const char *, struct mm_turn *);

/* render.c */
void	 render_responses(const struct mm_turn *, const struct mm_ctx *,
	    struct mm_body *);
void	 render_chat(const struct mm_turn *, const struct mm_ctx *,
	    struct mm_body *);
void	 body_free(struct mm_body *);

/* stream.c */
struct evhttp_request;
void	 stream_reply(struct evhttp_request *, const struct mm_turn *,
	    const struct mm_ctx *, int);
void	 stream_shutdown(void);

#endif /* MOCKMODEL_H */
