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

#ifndef NETPROC_H
#define NETPROC_H

#include <sys/queue.h>

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

struct curl_slist;

/*
 * Internal interfaces of ocodex-netproc: the provider table the parent
 * sent, the HTTP layer (http.c), the request lifecycle (request.c), the
 * wire formats (responses.c, chat.c) and the credentials (auth.c).
 */

enum np_wire {
	NP_WIRE_RESPONSES,
	NP_WIRE_CHAT
};

/* What the parent told us about one provider (IMSG_NET_CONFIG). */
struct np_provider {
	TAILQ_ENTRY(np_provider) entry;
	char		*id;
	char		*name;
	char		*base_url;	/* no trailing slash */
	char		*query;		/* "k=v&k2=v2", or NULL */
	json_t		*headers;	/* name -> value, env values resolved */
	int		 wire;		/* enum np_wire */
	int		 azure;		/* store:true */
	int		 request_max_retries;
	int		 stream_max_retries;
	long long	 idle_ms;
	/* The credential, from IMSG_NET_CREDENTIAL; see auth.c. */
	int		 cred;		/* -1 none, else enum cred_kind */
	char		*secret;	/* API key or access token */
	char		*refresh_token;
	char		*id_token;
	char		*account_id;
};
TAILQ_HEAD(np_providers, np_provider);

/* The client identity every request carries. */
struct np_client {
	char		*originator;
	char		*user_agent;
	char		*token_url;	/* ChatGPT token refresh endpoint */
	char		*client_id;
};

extern struct np_providers	 np_providers;
extern struct np_client		 np_client;

/* netproc.c */
void		 np_send_event(uint32_t, json_t *);
void		 np_send_tokens(const struct np_provider *, json_t *);
struct np_provider *np_provider_find(const char *);

/* http.c: libcurl's multi-socket interface on the libevent loop. */
struct http_xfer;
struct http_ops {
	/* Response status, once the headers are in (not for 1xx). */
	void	(*status)(void *, long);
	/* One response header, name without the colon. */
	void	(*header)(void *, const char *, const char *);
	/* Body bytes; return 0 to go on, -1 to abort the transfer. */
	int	(*data)(void *, const char *, size_t);
	/* The transfer ended: error is NULL on success, else curl's text. */
	void	(*done)(void *, const char *);
};
void		 http_init(void);
struct http_xfer *http_post(const char *, struct curl_slist *, const char *,
		    size_t, const struct http_ops *, void *);
void		 http_abort(struct http_xfer *);
int		 http_inflight(void);

/*
 * The decoder of one attempt's event stream, shared by both wire
 * formats.  It turns each SSE data payload into zero or more events for
 * the parent (through emit, which takes the reference) and remembers
 * how the stream ended.
 */
enum dec_end {
	DEC_OPEN,		/* nothing final seen yet */
	DEC_COMPLETED,		/* completed was emitted */
	DEC_FAILED		/* a failure is pending (fail_* below) */
};

struct decoder {
	int		 wire;
	void		(*emit)(void *, json_t *);
	void		*arg;
	int		 end;		/* enum dec_end */
	int		 items_done;	/* item_done events emitted */
	/* A pending failure: kind is NULL when it is retryable. */
	const char	*fail_kind;
	char		*fail_code;
	char		*fail_message;
	long long	 fail_delay_ms;	/* server's hint, -1 if none */
	char		*response_id;
	/* Chat Completions accumulation (chat.c). */
	json_t		*chat_text;	/* the assistant text so far */
	json_t		*chat_reasoning;
	json_t		*chat_calls;	/* [{id, name, arguments}] by index */
	json_t		*chat_usage;
	int		 chat_added;	/* item_added sent for the message */
	int		 chat_finished;	/* finish_reason seen */
};

void		 decoder_init(struct decoder *, int, void (*)(void *, json_t *),
		    void *);
void		 decoder_clear(struct decoder *);
void		 decoder_data(struct decoder *, const char *, size_t);
void		 decoder_eof(struct decoder *);
void		 decoder_fail(struct decoder *, const char *, const char *,
		    const char *, long long);
void		 decoder_emit(struct decoder *, json_t *);

/*
 * A delta event decoded without jansson (fastdelta.c) is an object with
 * "type" and two members no server data can name: the delta as escaped
 * JSON string text, and the text that follows it.  event_text() writes
 * it out as jansson would have written the event.
 */
#define NP_EV_DELTA	"\001delta"
#define NP_EV_TAIL	"\001tail"

/* fastdelta.c */
extern int	 decoder_fastpath;	/* 0: jansson decodes every event */
extern size_t	 decoder_fast_events;	/* events the fast path decoded */
int		 decoder_fast_delta(struct decoder *, const char *, size_t);

/* responses.c */
char		*event_text(json_t *, size_t *);
char		*event_delta_text(const char *, const char *, size_t,
		    const char *, size_t *);
char		*responses_body(const struct np_provider *, json_t *,
		    const char *, size_t, size_t *);
void		 responses_data(struct decoder *, json_t *);
void		 classify_failure(struct decoder *, const char *, const char *);
long long	 retry_hint_ms(const char *);

/* chat.c */
char		*chat_body(const struct np_provider *, json_t *, size_t *);
json_t		*chat_messages(json_t *, const char *);
void		 chat_data(struct decoder *, json_t *);
void		 chat_done(struct decoder *);

/* request.c */
void		 request_new(uint32_t, char *, size_t);
void		 request_cancel(uint32_t);
void		 request_retry_auth(void *, int);

/* auth.c */
void		 auth_credential(const void *, size_t);
int		 auth_refresh(struct np_provider *, void (*)(void *, int),
		    void *);
void		 auth_wipe(void);
long long	 auth_jwt_exp(const char *);
int		 auth_expired(const struct np_provider *);
struct curl_slist *auth_headers(const struct np_provider *,
		    struct curl_slist *);

#endif /* NETPROC_H */
