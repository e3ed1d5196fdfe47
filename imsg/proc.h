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

#ifndef PROC_H
#define PROC_H

#include <sys/types.h>
#include <sys/queue.h>

#include <event.h>

#include "imsg/imsg.h"
#include "imsg/proto.h"

struct peer;

/* A big payload being reassembled from its chunks. */
struct bigmsg {
	TAILQ_ENTRY(bigmsg)	 entry;
	uint32_t		 type;
	uint32_t		 id;
	char			*buf;
	size_t			 len;
	size_t			 cap;	/* bytes allocated at buf */
};
TAILQ_HEAD(bigq, bigmsg);

/*
 * A dispatch table entry: the message type, the payload length it must
 * have (DISPATCH_ANYLEN when the handler checks it itself) and the handler.
 * A table ends with an entry whose handler is NULL.  A message whose type
 * is not in the table is a protocol error and fatal.
 */
#define DISPATCH_ANYLEN	((size_t)-1)

struct dispatch {
	uint32_t	  type;
	size_t		  len;
	void		(*fn)(struct peer *, struct imsg *);
};

/*
 * One end of a channel to another ocodex process: an imsg buffer driven by
 * a libevent event that always reads and also writes while messages are
 * queued.  The first message either way is the hello; anything before it,
 * or a hello with another protocol version, is fatal.
 */
struct peer {
	const char		 *name;		/* "netproc", ... */
	int			  role;		/* enum proc_role expected */
	struct imsgbuf		  ibuf;
	struct event		  ev;
	short			  events;
	int			  flags;
#define PEER_HELLO	0x01			/* its hello arrived */
#define PEER_DEAD	0x02			/* channel closed or broken */
	pid_t			  pid;		/* from its hello */
	struct msg_hello	  hello;
	const struct dispatch	 *table;
	void			(*ready)(struct peer *);
	void			(*gone)(struct peer *, const char *);
	void			 *arg;
	struct bigq		  bigs;		/* partial big payloads */
};

void	 proc_setrole(int, int, int);
int	 proc_child_opt(int, int *, int *);
int	 proc_getrole(void);
const char *proc_rolename(int);
void	 proc_child_init(struct peer *, const struct dispatch *);
__dead void proc_child_run(struct peer *);
int	 peer_init(struct peer *, int, int, int, const struct dispatch *,
	    void *);
void	 peer_hello(struct peer *);
void	 peer_compose(struct peer *, uint32_t, uint32_t, int, const void *,
	    size_t);
void	 peer_compose_big(struct peer *, uint32_t, uint32_t, const void *,
	    size_t);
int	 peer_big_recv(struct peer *, struct imsg *, char **, size_t *);
void	 peer_event_add(struct peer *);
void	 peer_flush(struct peer *);
void	 peer_close(struct peer *);
void	 peer_logsink(struct peer *);
int	 imsg_get_exact(struct imsg *, void *, size_t);
char	*imsg_get_cstring(struct imsg *, size_t);

#endif /* PROC_H */
