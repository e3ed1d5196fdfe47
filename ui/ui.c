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
#include <sys/stat.h>

#include <err.h>
#include <errno.h>
#include <event.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <jansson.h>

#include "imsg/log.h"
#include "imsg/proc.h"
#include "imsg/proto.h"
#include "sandbox/probe.h"
#include "sandbox/sandbox.h"
#include "ui/ui.h"

/* The terminal arrives as descriptors; ui opens nothing itself. */
#define UI_PROMISES	"stdio tty recvfd"

/* Bytes written at once to a descriptor that may block (see out_drain). */
#define OUT_SMALL	PIPE_BUF
#define OUT_LARGE	65536

/*
 * One passed descriptor and what is waiting to be written to it.  The
 * descriptors are the user's own standard output and error, whose open
 * file descriptions the parent and the user's shell share, so ui never
 * changes their flags: a blocking descriptor is written only after poll
 * says it can take some bytes, and never more than it surely takes.
 */
struct uiout {
	int		 fd;
	int		 nonblock;	/* O_NONBLOCK set by its opener */
	int		 regular;	/* a regular file never makes us wait */
	int		 armed;		/* waiting for EV_WRITE */
	int		 dead;		/* a write failed; drop output */
	struct evbuffer	*buf;
	struct event	 ev;
};

static void	ui_confine(int, int);
static void	ui_fd(struct peer *, struct imsg *);
static void	ui_mode(struct peer *, struct imsg *);
static void	ui_event(struct peer *, struct imsg *);
static void	ui_gone(struct peer *, const char *);
static int	fd_check(struct uiout *, uint32_t);
static void	out_drain(struct uiout *);
static void	out_ready(int, short, void *);
static void	out_discard(struct uiout *);
static int	out_pending(void);
static void	out_maybe_exit(void);
static __dead void usage(void);

static const struct dispatch ui_dispatch[] = {
	{ IMSG_PROBE,	sizeof(struct msg_probe), probe_dispatch },
	{ IMSG_UI_FD,	0,			ui_fd },
	{ IMSG_UI_MODE,	sizeof(struct msg_ui_mode), ui_mode },
	{ IMSG_UI_EVENT, DISPATCH_ANYLEN,	ui_event },
	{ 0,		0,			NULL }
};

static struct peer		 parent;
static struct uiout		 outs[UI_FD_MAX];
static struct msg_ui_mode	 mode;
static const struct frontend	*fe;
static int			 closing;	/* channel gone, flushing */
static int			 exit_code;

/*
 * ocodex-ui: renders the session to the terminal (or as JSON lines, or as
 * an MCP server on stdio).  It can reach no file and no socket: everything
 * it shows comes over its channel, and the descriptors it writes to are
 * passed to it.
 */
int
main(int argc, char *argv[])
{
	const char	*term = NULL;
	int		 ch, flags = 0, probe = 0, i;

	while ((ch = getopt(argc, argv, "dnPT:v")) != -1) {
		if (ch == 'T')
			term = optarg;
		else if (!proc_child_opt(ch, &flags, &probe))
			usage();
	}
	if (argc != optind)
		usage();

	for (i = 0; i < UI_FD_MAX; i++)
		outs[i].fd = -1;
	/*
	 * jansson seeds its hash function from /dev/urandom on first use;
	 * do it now, since the confined process may open nothing.
	 */
	json_object_seed(0);
	/* The interactive front end's terminal description, read now. */
	if (term != NULL)
		tui_preload(term);
	proc_child_init(&parent, ui_dispatch);
	parent.gone = ui_gone;
	ui_confine(flags, probe);
	proc_child_run(&parent);
}

/* No paths at all: an empty Landlock ruleset, then the promises. */
static void
ui_confine(int flags, int probe)
{
	(void)signal(SIGPIPE, SIG_IGN);
	if (sandbox_init(flags, log_sigsys) == -1)
		fatal("sandbox_init");
	if (sandbox_drop_caps() == -1)
		fatal("dropping privileges");
	if (unveil(NULL, NULL) == -1)
		fatal("unveil");
	probe_setpromises(UI_PROMISES);
	if (pledge(probe ? UI_PROMISES " proc" : UI_PROMISES, NULL) == -1)
		fatal("pledge");
	proc_setrole(PROC_UI, sandbox_disabled() ? 0 :
	    sandbox_landlock_abi(), !sandbox_disabled());
}

/*
 * A descriptor to render to: id says which.  Only this message may carry
 * one; a descriptor attached to any other message is closed unread by
 * imsg_free().  A second descriptor for the same slot replaces the first.
 */
static void
ui_fd(struct peer *p, struct imsg *imsg)
{
	struct uiout	*o;
	uint32_t	 id = imsg_get_id(imsg);
	int		 fd;

	if (id >= UI_FD_MAX)
		fatalx("%s: descriptor for unknown slot %u", p->name, id);
	if ((fd = imsg_get_fd(imsg)) == -1)
		fatalx("%s: IMSG_UI_FD %u without a descriptor", p->name, id);
	o = &outs[id];
	if (o->fd != -1) {
		out_discard(o);
		if (o->buf != NULL)
			evbuffer_free(o->buf);
		(void)close(o->fd);
	}
	memset(o, 0, sizeof(*o));
	o->fd = fd;
	if (fd_check(o, id) == -1)
		fatalx("%s: descriptor for slot %u is not what it claims",
		    p->name, id);
	if (id != UI_FD_STDIN && (o->buf = evbuffer_new()) == NULL)
		fatal("evbuffer_new");
}

/*
 * Check that a passed descriptor is open in the right direction and is
 * a terminal, pipe, socket or regular file: never a directory, which
 * would be a way out of the empty Landlock ruleset, nor an O_PATH handle.
 * Note how it must be written to.
 */
static int
fd_check(struct uiout *o, uint32_t id)
{
	struct stat	 sb;
	int		 fl, acc;

	if (fstat(o->fd, &sb) == -1 || (fl = fcntl(o->fd, F_GETFL)) == -1) {
		log_warn("descriptor %d", o->fd);
		return -1;
	}
	if (!S_ISCHR(sb.st_mode) && !S_ISFIFO(sb.st_mode) &&
	    !S_ISSOCK(sb.st_mode) && !S_ISREG(sb.st_mode))
		return -1;
	if (fl & O_PATH)
		return -1;
	acc = fl & O_ACCMODE;
	if (id == UI_FD_STDIN ? acc == O_WRONLY : acc == O_RDONLY)
		return -1;
	o->nonblock = (fl & O_NONBLOCK) != 0;
	o->regular = S_ISREG(sb.st_mode);
	return 0;
}

static void
ui_mode(struct peer *p, struct imsg *imsg)
{
	(void)imsg_get_exact(imsg, &mode, sizeof(mode));
	if (fe != NULL)
		fatalx("%s: a second IMSG_UI_MODE", p->name);
	switch ((enum ui_mode)mode.mode) {
	case UI_MODE_EXEC:
		fe = &fe_exec_human;
		break;
	case UI_MODE_EXEC_JSON:
		fe = &fe_exec_json;
		break;
	case UI_MODE_TUI:
		fe = &fe_tui;
		break;
	case UI_MODE_MCP:
		/* The descriptors came first: standard input is here. */
		fe = &fe_mcp;
		mcp_start(outs[UI_FD_STDIN].fd);
		break;
	default:
		fatalx("%s: unknown ui mode %u", p->name, mode.mode);
	}
	render_setcolor(mode.color != 0);
}

/* One chunk of a session event; the front end gets each whole one. */
static void
ui_event(struct peer *p, struct imsg *imsg)
{
	json_error_t	 jerr;
	json_t		*ev;
	char		*data;
	size_t		 len;
	uint32_t	 kind = imsg_get_id(imsg);

	if (kind >= UIEV_MAX)
		fatalx("%s: unknown ui event %u", p->name, kind);
	if (fe == NULL)
		fatalx("%s: ui event %u before IMSG_UI_MODE", p->name, kind);
	if (!peer_big_recv(p, imsg, &data, &len))
		return;
	ev = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
	freezero(data, len + 1);
	if (ev == NULL || !json_is_object(ev)) {
		log_warnx("ui event %u: %s", kind, ev == NULL ? jerr.text :
		    "not an object");
		json_decref(ev);
		return;
	}
	fe->event((enum ui_event)kind, ev);
	json_decref(ev);
}

/*
 * The parent closed the channel: let the front end say its last words,
 * write out everything buffered, then exit.
 */
static void
ui_gone(struct peer *p, const char *why)
{
	if (why != NULL) {
		log_warnx("channel to %s: %s", p->name, why);
		exit_code = 1;
	}
	if (fe != NULL)
		fe->finish();
	closing = 1;
	out_maybe_exit();
}

static void
out_maybe_exit(void)
{
	if (closing && !out_pending())
		exit(exit_code);
}

static int
out_pending(void)
{
	int	i;

	for (i = 0; i < UI_FD_MAX; i++)
		if (outs[i].buf != NULL && evbuffer_get_length(outs[i].buf) > 0)
			return 1;
	return 0;
}

/* A passed descriptor, or -1; the interactive front end owns them. */
int
ui_passed_fd(int id)
{
	if (id < 0 || id >= UI_FD_MAX)
		return -1;
	return outs[id].fd;
}

int
ui_hide_reasoning(void)
{
	return mode.hide_reasoning != 0;
}

/* Queue bytes for a passed descriptor; dropped if there is none. */
void
ui_write(int id, const void *data, size_t len)
{
	struct uiout	*o;

	if (id <= UI_FD_STDIN || id >= UI_FD_MAX || len == 0)
		return;
	o = &outs[id];
	if (o->buf == NULL || o->dead)
		return;
	if (evbuffer_add(o->buf, data, len) == -1)
		fatal("evbuffer_add");
	out_drain(o);
}

void
ui_write_buffer(int id, struct evbuffer *b)
{
	size_t	 len = evbuffer_get_length(b);

	if (len == 0)
		return;
	ui_write(id, evbuffer_pullup(b, len), len);
	(void)evbuffer_drain(b, len);
}

void
ui_printf(int id, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;
	int	 n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n == -1)
		fatal("vasprintf");
	ui_write(id, s, n);
	free(s);
}

/*
 * An operation for the parent (big JSON), e.g. an approval decision.
 * Takes over the reference to obj.
 */
void
ui_send_op(enum ui_op op, json_t *obj)
{
	char	*s;

	if (obj == NULL || (s = json_dumps(obj, JSON_COMPACT)) == NULL)
		fatalx("ui operation %u: cannot encode it", op);
	peer_compose_big(&parent, IMSG_UI_OP, op, s, strlen(s));
	free(s);
	json_decref(obj);
}

/*
 * Write as much as the descriptor takes without blocking the loop.  A
 * blocking pipe or terminal that poll says is writable has room for at
 * least PIPE_BUF bytes, so that much is written at a time; otherwise
 * the rest waits for EV_WRITE.  Only a descriptor poll reports as busy
 * is ever given to libevent, which keeps regular files and /dev/null,
 * which epoll refuses, out of it.
 */
static void
out_drain(struct uiout *o)
{
	struct pollfd	 pfd;
	size_t		 len, n;
	ssize_t		 w;

	while (!o->armed && (len = evbuffer_get_length(o->buf)) > 0) {
		if (!o->nonblock && !o->regular) {
			pfd.fd = o->fd;
			pfd.events = POLLOUT;
			pfd.revents = 0;
			if (poll(&pfd, 1, 0) == 0)
				break;
		}
		n = o->nonblock || o->regular ? OUT_LARGE : OUT_SMALL;
		if (n > len)
			n = len;
		w = write(o->fd, evbuffer_pullup(o->buf, n), n);
		if (w == -1 && errno == EINTR)
			continue;
		if (w == -1 && errno == EAGAIN)
			break;
		if (w == -1) {
			/* The reader went away: nobody will see the rest. */
			log_debug("ui output %d: %s", o->fd, strerror(errno));
			out_discard(o);
			o->dead = 1;
			return;
		}
		(void)evbuffer_drain(o->buf, w);
	}
	if (!o->armed && evbuffer_get_length(o->buf) > 0) {
		event_set(&o->ev, o->fd, EV_WRITE, out_ready, o);
		if (event_add(&o->ev, NULL) == -1)
			fatal("event_add");
		o->armed = 1;
	}
}

static void
out_ready(int fd, short event, void *arg)
{
	struct uiout	*o = arg;

	(void)fd;
	(void)event;
	o->armed = 0;
	out_drain(o);
	out_maybe_exit();
}

static void
out_discard(struct uiout *o)
{
	if (o->armed)
		(void)event_del(&o->ev);
	o->armed = 0;
	if (o->buf != NULL)
		(void)evbuffer_drain(o->buf, evbuffer_get_length(o->buf));
}

static __dead void
usage(void)
{
	(void)fprintf(stderr, "usage: ocodex-ui [-dnPv] [-T term]\n"
	    "ocodex-ui is started by ocodex(1), not by hand.\n");
	exit(2);
}
