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
#include <sys/queue.h>

#include <err.h>
#include <errno.h>
#include <event.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "imsg/imsg.h"
#include "imsg/log.h"
#include "imsg/proc.h"
#include "imsg/proto.h"
#include "sandbox/sandbox.h"

static void	 peer_dispatch(int, short, void *);
static void	 peer_lost(struct peer *, const char *);
static void	 peer_handle(struct peer *, struct imsg *);
static void	 peer_hello_recv(struct peer *, struct imsg *);
static void	 peer_log_recv(struct peer *, struct imsg *);
static void	 peer_verbose_recv(struct imsg *);
static void	 peer_sink(int, const char *);

static const char *const role_names[PROC_MAX] = {
	[PROC_PARENT] = "ocodex",
	[PROC_NETPROC] = "netproc",
	[PROC_EXECPROC] = "execproc",
	[PROC_UI] = "ui",
};

static int		 my_role = PROC_PARENT;
static int		 my_abi;
static int		 my_confined;
static struct peer	*log_peer;

/* Record who this process is, for the hello it sends. */
void
proc_setrole(int role, int abi, int confined)
{
	my_role = role;
	my_abi = abi;
	my_confined = confined;
}

int
proc_getrole(void)
{
	return my_role;
}

const char *
proc_rolename(int role)
{
	if (role < 0 || role >= PROC_MAX)
		return "unknown";
	return role_names[role];
}

/*
 * Wire a peer to the channel on fd, which must be a non-blocking socket.
 * Only channels that carry descriptors allow fd passing; on the others
 * an arriving descriptor is closed by the imsg layer.  Nothing is read
 * or written until the event loop runs.
 */
int
peer_init(struct peer *p, int fd, int role, int fdpass,
    const struct dispatch *table, void *arg)
{
	memset(p, 0, sizeof(*p));
	p->name = proc_rolename(role);
	p->role = role;
	p->table = table;
	p->arg = arg;
	TAILQ_INIT(&p->bigs);
	if (imsgbuf_init(&p->ibuf, fd) == -1)
		return -1;
	if (fdpass)
		imsgbuf_allow_fdpass(&p->ibuf);
	return 0;
}

/* Queue our hello: protocol version, role and confinement. */
void
peer_hello(struct peer *p)
{
	struct msg_hello	 h;

	memset(&h, 0, sizeof(h));
	h.version = OCODEX_PROTOCOL_VERSION;
	h.role = my_role;
	h.pid = getpid();
	h.landlock_abi = my_abi;
	h.confined = my_confined;
	peer_compose(p, IMSG_HELLO, 0, -1, &h, sizeof(h));
}

/*
 * The first steps of every helper: an event base and the channel to the
 * parent, so that an error while the helper confines itself reaches the
 * parent as a log record (a helper has no standard error of its own).
 * Nothing is read from the channel before proc_child_run().
 */
void
proc_child_init(struct peer *p, const struct dispatch *table)
{
	if (event_init() == NULL)
		errx(1, "event_init");
	if (peer_init(p, PROC_CHANNEL_FD, PROC_PARENT, 1, table, NULL) == -1)
		err(1, "channel");
	peer_logsink(p);
}

/* Say hello and serve the channel until the parent closes it. */
__dead void
proc_child_run(struct peer *p)
{
	peer_hello(p);
	if (event_dispatch() == -1)
		fatal("event_dispatch");
	exit(0);
}

/*
 * Queue a message and re-arm the event, so that no caller can forget to
 * ask for write readiness.  A message that cannot be queued is fatal:
 * between our own processes it means a bug or memory exhaustion.
 */
void
peer_compose(struct peer *p, uint32_t type, uint32_t id, int fd,
    const void *data, size_t len)
{
	if (p->flags & PEER_DEAD) {
		if (fd != -1)
			(void)close(fd);
		return;
	}
	if (imsg_compose(&p->ibuf, type, id, 0, fd, data, len) == -1)
		fatal("%s: imsg_compose type %u", p->name, type);
	peer_event_add(p);
}

/*
 * Queue a payload of any length as chunks that each fit in one message
 * (see BIG_CHUNK in proto.h).  The receiver puts it together again with
 * peer_big_recv().
 */
void
peer_compose_big(struct peer *p, uint32_t type, uint32_t id,
    const void *data, size_t len)
{
	const unsigned char	*d = data;
	struct ibuf		*b;
	size_t			 n;
	unsigned char		 flag;

	if (p->flags & PEER_DEAD)
		return;
	if (len > BIG_MAX)
		fatalx("%s: message type %u of %zu bytes is over the limit",
		    p->name, type, len);
	do {
		n = len > BIG_CHUNK ? BIG_CHUNK : len;
		flag = n == len ? BIG_LAST : BIG_MORE;
		if ((b = imsg_create(&p->ibuf, type, id, 0, 1 + n)) == NULL ||
		    imsg_add(b, &flag, 1) == -1 || imsg_add(b, d, n) == -1)
			fatal("%s: imsg_create type %u", p->name, type);
		imsg_close(&p->ibuf, b);
		d += n;
		len -= n;
	} while (flag == BIG_MORE);
	peer_event_add(p);
}

static struct bigmsg *
big_find(struct peer *p, uint32_t type, uint32_t id)
{
	struct bigmsg	*bm;

	TAILQ_FOREACH(bm, &p->bigs, entry)
		if (bm->type == type && bm->id == id)
			return bm;
	if ((bm = calloc(1, sizeof(*bm))) == NULL)
		fatal(NULL);
	bm->type = type;
	bm->id = id;
	TAILQ_INSERT_TAIL(&p->bigs, bm, entry);
	return bm;
}

/*
 * Add one chunk of a big payload.  Returns 1 with the whole payload in
 * *data (NUL-terminated, *len bytes without the NUL; the caller frees it
 * with freezero, since credentials travel this way) once the last chunk
 * is in, 0 while more are to come.  A malformed chunk or a payload over
 * BIG_MAX is fatal: between our processes it means a bug or a compromise.
 */
int
peer_big_recv(struct peer *p, struct imsg *imsg, char **data, size_t *len)
{
	struct bigmsg	*bm;
	struct ibuf	 ib;
	unsigned char	 flag;
	size_t		 n, ncap;
	char		*nbuf;

	if (imsg_get_ibuf(imsg, &ib) == -1 || ibuf_get(&ib, &flag, 1) == -1 ||
	    (flag != BIG_MORE && flag != BIG_LAST))
		fatalx("%s: malformed chunk of message type %u", p->name,
		    imsg_get_type(imsg));
	bm = big_find(p, imsg_get_type(imsg), imsg_get_id(imsg));
	n = ibuf_size(&ib);
	if (n > BIG_MAX - bm->len)
		fatalx("%s: message type %u over %d bytes", p->name,
		    bm->type, BIG_MAX);
	/*
	 * The buffer doubles: recallocarray always copies (and wipes the
	 * old copy), so growing it by one chunk at a time made an 11 MB
	 * resumed history cost gigabytes of copying.
	 */
	if (bm->len + n + 1 > bm->cap) {
		ncap = bm->cap ? bm->cap : BIG_CHUNK + 1;
		while (ncap < bm->len + n + 1)
			ncap *= 2;
		if ((nbuf = recallocarray(bm->buf, bm->cap, ncap, 1)) == NULL)
			fatal(NULL);
		bm->buf = nbuf;
		bm->cap = ncap;
	}
	if (ibuf_get(&ib, bm->buf + bm->len, n) == -1)
		fatalx("%s: short chunk", p->name);
	bm->len += n;
	bm->buf[bm->len] = '\0';
	if (flag == BIG_MORE)
		return 0;
	*data = bm->buf;
	*len = bm->len;
	TAILQ_REMOVE(&p->bigs, bm, entry);
	free(bm);
	return 1;
}

/* Drain the queue; only at start-up and exit, since it may spin. */
void
peer_flush(struct peer *p)
{
	if (p->flags & PEER_DEAD)
		return;
	if (imsgbuf_flush(&p->ibuf) == -1)
		log_debug("%s: flush: %s", p->name, strerror(errno));
}

/* Close the channel; the other side reads end-of-file. */
void
peer_close(struct peer *p)
{
	struct bigmsg	*bm;

	if (p->events != 0)
		(void)event_del(&p->ev);
	p->events = 0;
	while ((bm = TAILQ_FIRST(&p->bigs)) != NULL) {
		TAILQ_REMOVE(&p->bigs, bm, entry);
		freezero(bm->buf, bm->cap);
		free(bm);
	}
	if (p->ibuf.fd != -1) {
		imsgbuf_clear(&p->ibuf);
		(void)close(p->ibuf.fd);
		p->ibuf.fd = -1;
	}
	p->flags |= PEER_DEAD;
}

/*
 * Watch the channel for reading, and for writing while messages are
 * queued.  Callers that queue with imsg_create()/imsg_close() call this.
 */
void
peer_event_add(struct peer *p)
{
	short	events = EV_READ;

	if (p->flags & PEER_DEAD)
		return;
	if (imsgbuf_queuelen(&p->ibuf) > 0)
		events |= EV_WRITE;
	if (p->events != 0 && events == p->events)
		return;
	if (p->events != 0)
		(void)event_del(&p->ev);
	event_set(&p->ev, p->ibuf.fd, events | EV_PERSIST, peer_dispatch, p);
	if (event_add(&p->ev, NULL) == -1)
		fatal("%s: event_add", p->name);
	p->events = events;
}

static void
peer_lost(struct peer *p, const char *why)
{
	peer_close(p);
	if (p->gone != NULL)
		p->gone(p, why);
	else if (why == NULL)
		exit(0);
	else
		fatalx("channel to %s: %s", p->name, why);
}

static void
peer_dispatch(int fd, short event, void *arg)
{
	struct peer	*p = arg;
	struct imsg	 imsg;
	ssize_t		 n;

	(void)fd;
	if (event & EV_READ) {
		n = imsgbuf_read(&p->ibuf);
		if (n == -1) {
			/* The frame reader's errors for a bad header. */
			peer_lost(p, errno == EBADMSG || errno == ERANGE ?
			    "malformed message" : strerror(errno));
			return;
		}
		if (n == 0) {
			peer_lost(p, NULL);
			return;
		}
	}
	if ((event & EV_WRITE) && imsgbuf_write(&p->ibuf) == -1) {
		peer_lost(p, errno == EPIPE ? NULL : strerror(errno));
		return;
	}
	for (;;) {
		n = imsgbuf_get(&p->ibuf, &imsg);
		if (n == -1) {
			peer_lost(p, "malformed message");
			return;
		}
		if (n == 0)
			break;
		peer_handle(p, &imsg);
		imsg_free(&imsg);
		if (p->flags & PEER_DEAD)
			return;
	}
	peer_event_add(p);
}

/*
 * Hand one message to its handler after the generic checks: the hello
 * comes first, log records only flow towards the parent, and every other
 * type must be in the table with the payload length it declares.
 */
static void
peer_handle(struct peer *p, struct imsg *imsg)
{
	const struct dispatch	*d;
	uint32_t		 type = imsg_get_type(imsg);

	if (type == IMSG_HELLO) {
		peer_hello_recv(p, imsg);
		return;
	}
	if (!(p->flags & PEER_HELLO))
		fatalx("%s sent message type %u before its hello", p->name,
		    type);
	if (type == IMSG_LOG && my_role == PROC_PARENT) {
		peer_log_recv(p, imsg);
		return;
	}
	if (type == IMSG_VERBOSE && my_role != PROC_PARENT) {
		peer_verbose_recv(imsg);
		return;
	}
	for (d = p->table; d != NULL && d->fn != NULL; d++) {
		if (d->type != type)
			continue;
		if (d->len != DISPATCH_ANYLEN && imsg_get_len(imsg) != d->len)
			fatalx("%s: message type %u has length %zu, "
			    "expected %zu", p->name, type,
			    imsg_get_len(imsg), d->len);
		d->fn(p, imsg);
		return;
	}
	fatalx("%s: unexpected message type %u", p->name, type);
}

static void
peer_hello_recv(struct peer *p, struct imsg *imsg)
{
	struct msg_hello	h;

	if (p->flags & PEER_HELLO)
		fatalx("%s: second hello", p->name);
	if (imsg_get_data(imsg, &h, sizeof(h)) == -1)
		fatalx("%s: hello of the wrong size (%zu bytes): "
		    "protocol version mismatch?", p->name,
		    imsg_get_len(imsg));
	if (h.version != OCODEX_PROTOCOL_VERSION)
		fatalx("protocol version mismatch: %s speaks version %u, "
		    "%s speaks version %u; install matching executables",
		    p->name, h.version, proc_rolename(my_role),
		    OCODEX_PROTOCOL_VERSION);
	if ((int)h.role != p->role)
		fatalx("channel to %s: the other end says it is %s",
		    p->name, proc_rolename(h.role));
	p->hello = h;
	p->pid = h.pid;
	p->flags |= PEER_HELLO;
	if (p->ready != NULL)
		p->ready(p);
}

/* A log record from a helper: print it with the helper's name. */
static void
peer_log_recv(struct peer *p, struct imsg *imsg)
{
	struct msg_log	 ml;
	char		 text[LOG_MSG_MAX];
	struct ibuf	 ib;

	if (imsg_get_ibuf(imsg, &ib) == -1 ||
	    ibuf_get(&ib, &ml, sizeof(ml)) == -1 ||
	    ibuf_size(&ib) == 0 || ibuf_size(&ib) > sizeof(text))
		fatalx("%s: malformed log record", p->name);
	if (ibuf_get_strbuf(&ib, text, ibuf_size(&ib)) == -1)
		fatalx("%s: log record without a terminating NUL", p->name);
	log_stderr(p->name, ml.level, text);
}

/* The parent changed the verbosity of the whole tree. */
static void
peer_verbose_recv(struct imsg *imsg)
{
	int	v;

	(void)imsg_get_exact(imsg, &v, sizeof(v));
	log_setverbose(v);
}

/*
 * The options every helper takes: -d logs the name of a system call that
 * breaks a pledge, -n runs without confinement (--no-confinement), -P is
 * probe mode for `ocodex debug privsep`, -v is verbose.  Returns 0 when ch
 * is none of them.
 */
int
proc_child_opt(int ch, int *sflags, int *probe)
{
	switch (ch) {
	case 'd':
		*sflags |= SANDBOX_DEBUG;
		return 1;
	case 'n':
		*sflags |= SANDBOX_DISABLED;
		return 1;
	case 'P':
		*probe = 1;
		return 1;
	case 'v':
		log_setverbose(1);
		return 1;
	default:
		return 0;
	}
}

/* From now on this process's log records travel over p. */
void
peer_logsink(struct peer *p)
{
	log_peer = p;
	log_setsink(peer_sink);
}

static void
peer_sink(int level, const char *msg)
{
	struct msg_log	 ml;
	struct ibuf	*b;
	size_t		 len = strlen(msg) + 1;

	if (log_peer == NULL || (log_peer->flags & PEER_DEAD)) {
		log_stderr(proc_rolename(my_role), level, msg);
		return;
	}
	memset(&ml, 0, sizeof(ml));
	ml.level = level;
	if ((b = imsg_create(&log_peer->ibuf, IMSG_LOG, 0, 0,
	    sizeof(ml) + len)) == NULL ||
	    imsg_add(b, &ml, sizeof(ml)) == -1 ||
	    imsg_add(b, msg, len) == -1)
		return;
	imsg_close(&log_peer->ibuf, b);
	if (level == LOG_CRIT)
		peer_flush(log_peer);
	else
		peer_event_add(log_peer);
}

/* Copy a fixed-size payload out, fatal on a size mismatch. */
int
imsg_get_exact(struct imsg *imsg, void *dst, size_t len)
{
	if (imsg_get_data(imsg, dst, len) == -1)
		fatalx("message type %u: payload of %zu bytes, expected %zu",
		    imsg_get_type(imsg), imsg_get_len(imsg), len);
	return 0;
}

/*
 * Return a copy of a payload that must be a NUL-terminated string of at
 * most max bytes with no NUL inside it.
 */
char *
imsg_get_cstring(struct imsg *imsg, size_t max)
{
	size_t	 len = imsg_get_len(imsg);
	char	*s;

	if (len == 0 || len > max)
		fatalx("message type %u: string of %zu bytes",
		    imsg_get_type(imsg), len);
	if ((s = malloc(len)) == NULL)
		fatal(NULL);
	if (imsg_get_data(imsg, s, len) == -1 || s[len - 1] != '\0' ||
	    strlen(s) != len - 1)
		fatalx("message type %u: malformed string",
		    imsg_get_type(imsg));
	return s;
}
