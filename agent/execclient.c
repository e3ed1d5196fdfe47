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

#include <stdlib.h>
#include <string.h>

#include "agent/execclient.h"
#include "imsg/imsg.h"
#include "imsg/log.h"
#include "imsg/proc.h"
#include "sandbox/policy.h"

/* A command execproc runs for us. */
struct xcmd {
	TAILQ_ENTRY(xcmd)	 entry;
	uint32_t		 id;
	void			(*output)(void *, int, const char *, size_t);
	void			(*end)(void *, const struct msg_exec_end *);
	void			(*patched)(void *, json_t *);
	void			*arg;
};
TAILQ_HEAD(xcmdq, xcmd);

static void	 on_output(struct peer *, struct imsg *);
static void	 on_end(struct peer *, struct imsg *);
static void	 send_str(struct peer *, uint32_t, uint32_t, const char *);
static struct xcmd *xcmd_find(uint32_t);
static void	 on_patch_end(struct peer *, struct imsg *);

const struct dispatch execclient_dispatch[] = {
	{ IMSG_EXEC_OUTPUT,	DISPATCH_ANYLEN,		on_output },
	{ IMSG_EXEC_END,	sizeof(struct msg_exec_end),	on_end },
	{ IMSG_EXEC_PATCH_END,	DISPATCH_ANYLEN,		on_patch_end },
	{ 0,			0,				NULL }
};

static struct xcmdq	 cmds = TAILQ_HEAD_INITIALIZER(cmds);
static uint32_t		 next_id = 1;

static void
send_str(struct peer *p, uint32_t type, uint32_t id, const char *s)
{
	size_t	 len = strlen(s) + 1;

	if (len > MAX_IMSGSIZE - IMSG_HEADER_SIZE)
		fatalx("an argument or variable of %zu bytes is longer than "
		    "a command may carry", len);
	peer_compose(p, type, id, -1, s, len);
}

/*
 * Send a command to execproc: its arguments, environment and writable
 * roots one string per message, then the run message with the policy.
 * Returns the command's id; the callbacks fire as output arrives and
 * once when it ends.
 */
uint32_t
execclient_run(struct peer *p, const struct exec_req *r)
{
	struct msg_exec_run	 mr;
	struct ibuf		*b;
	struct xcmd		*x;
	char *const		*v;
	size_t			 i, wlen = strlen(r->workdir) + 1;

	if ((x = calloc(1, sizeof(*x))) == NULL)
		fatal(NULL);
	x->id = next_id++;
	x->output = r->output;
	x->end = r->end;
	x->arg = r->arg;
	TAILQ_INSERT_TAIL(&cmds, x, entry);
	for (v = r->argv; *v != NULL; v++)
		send_str(p, IMSG_EXEC_ARG, x->id, *v);
	for (v = r->env; v != NULL && *v != NULL; v++)
		send_str(p, IMSG_EXEC_ENV, x->id, *v);
	for (i = 0; i < r->policy->nroots; i++)
		send_str(p, IMSG_EXEC_ROOT, x->id, r->policy->roots[i]);
	memset(&mr, 0, sizeof(mr));
	mr.mode = r->policy->mode;
	mr.network = r->policy->network;
	mr.timeout_ms = r->timeout_ms;
	if ((b = imsg_create(&p->ibuf, IMSG_EXEC_RUN, x->id, 0,
	    sizeof(mr) + wlen)) == NULL || imsg_add(b, &mr, sizeof(mr)) == -1 ||
	    imsg_add(b, r->workdir, wlen) == -1)
		fatal("imsg_create");
	imsg_close(&p->ibuf, b);
	peer_event_add(p);
	return x->id;
}

/*
 * Kill a command.  Its owner has given up on it (an interrupted turn
 * frees the call), so what it still sends is dropped, not delivered.
 */
void
execclient_kill(struct peer *p, uint32_t id)
{
	struct xcmd	*x;

	if ((x = xcmd_find(id)) == NULL)
		return;
	x->output = NULL;
	x->end = NULL;
	x->patched = NULL;
	x->arg = NULL;
	peer_compose(p, IMSG_EXEC_KILL, id, -1, NULL, 0);
}

/* Kill every command still running (an interrupted turn). */
void
execclient_killall(struct peer *p)
{
	struct xcmd	*x;

	TAILQ_FOREACH(x, &cmds, entry)
		execclient_kill(p, x->id);
}

static struct xcmd *
xcmd_find(uint32_t id)
{
	struct xcmd	*x;

	TAILQ_FOREACH(x, &cmds, entry)
		if (x->id == id)
			return x;
	return NULL;
}

static void
on_output(struct peer *p, struct imsg *imsg)
{
	struct msg_exec_output	 mo;
	struct xcmd		*x;
	struct ibuf		 ib;

	if (imsg_get_ibuf(imsg, &ib) == -1 ||
	    ibuf_get(&ib, &mo, sizeof(mo)) == -1 ||
	    (mo.stream != EXEC_STDOUT && mo.stream != EXEC_STDERR))
		fatalx("%s: malformed output", p->name);
	if ((x = xcmd_find(imsg_get_id(imsg))) == NULL)
		return;		/* killed; its last words do not matter */
	if (x->output != NULL)
		x->output(x->arg, mo.stream, ibuf_data(&ib), ibuf_size(&ib));
}

static void
on_end(struct peer *p, struct imsg *imsg)
{
	struct msg_exec_end	 me;
	struct xcmd		*x;

	(void)p;
	(void)imsg_get_exact(imsg, &me, sizeof(me));
	if ((x = xcmd_find(imsg_get_id(imsg))) == NULL)
		return;
	TAILQ_REMOVE(&cmds, x, entry);
	if (x->end != NULL)
		x->end(x->arg, &me);
	free(x);
}

/*
 * Have execproc apply a patch ({patch, workdir, mode, network, roots});
 * done gets {success, output}.
 */
uint32_t
execclient_patch(struct peer *p, json_t *req, void (*done)(void *, json_t *),
    void *arg)
{
	struct xcmd	*x;
	char		*s;

	if ((x = calloc(1, sizeof(*x))) == NULL)
		fatal(NULL);
	x->id = next_id++;
	x->patched = done;
	x->arg = arg;
	TAILQ_INSERT_TAIL(&cmds, x, entry);
	if ((s = json_dumps(req, JSON_COMPACT)) == NULL)
		fatalx("cannot encode a patch request");
	peer_compose_big(p, IMSG_EXEC_PATCH, x->id, s, strlen(s));
	free(s);
	return x->id;
}

static void
on_patch_end(struct peer *p, struct imsg *imsg)
{
	struct xcmd	*x;
	json_error_t	 jerr;
	json_t		*res;
	char		*data;
	size_t		 len;

	if (peer_big_recv(p, imsg, &data, &len) == 0)
		return;
	res = json_loadb(data, len, 0, &jerr);
	free(data);
	if (res == NULL)
		fatalx("%s: malformed patch result", p->name);
	if ((x = xcmd_find(imsg_get_id(imsg))) != NULL) {
		TAILQ_REMOVE(&cmds, x, entry);
		if (x->patched != NULL)
			x->patched(x->arg, res);
		free(x);
	}
	json_decref(res);
}
