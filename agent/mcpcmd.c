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

/*
 * `ocodex mcp-server`: the parent's side.  ui speaks MCP on standard
 * input and output and hands us each tool call as an operation; every
 * codex call gets a session of its own, with the call's settings on top
 * of the server's configuration, and codex-reply continues one.  Several
 * sessions run at once, interleaved through the one netproc and execproc.
 */

#include <sys/types.h>
#include <sys/queue.h>

#include <err.h>
#include <fcntl.h>
#include <event.h>
#include <getopt.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "agent/agent.h"
#include "agent/config.h"
#include "agent/context.h"
#include "agent/execclient.h"
#include "agent/gitinfo.h"
#include "agent/model.h"
#include "agent/rollout.h"
#include "agent/sandboxcmd.h"
#include "agent/session-int.h"
#include "agent/setup.h"
#include "agent/session.h"
#include "imsg/log.h"
#include "sandbox/policy.h"

#define MCP_OVERRIDES_MAX	64
/* session.c keeps eight sessions; idle ones are closed to make room. */
#define MCP_SESSIONS_MAX	8

/* One session of the server and the call running in it, if any. */
struct mcpsess {
	TAILQ_ENTRY(mcpsess)	 entry;
	struct session		*s;
	struct config		 cfg;
	struct policy		 policy;
	struct policy		 full;
	char			**env;
	char			 thread_id[40];
	json_t			*request_id;	/* NULL when idle */
	struct rollout		*rollout;	/* its record */
	char			*base;		/* base-instructions, or NULL */
};
TAILQ_HEAD(mcpsessq, mcpsess);

static void	 mcp_parse(int, char **);
static void	 mcp_history(void);
static void	 mcp_ready(void);
static void	 mcp_op(struct peer *, struct imsg *);
static void	 mcp_call(json_t *);
static void	 mcp_codex(json_t *, json_t *);
static void	 mcp_reply(json_t *, json_t *);
static void	 mcp_resume(json_t *, const char *, const char *);
static void	 mcp_start(struct mcpsess *, json_t *, json_t *, json_t *,
		    const char *);
static int	 mcp_record(struct mcpsess *, char *, size_t);
static int	 mcp_setup(struct mcpsess *, json_t *, char *, size_t);
static int	 mcp_overrides(json_t *, const char *, char ***, int *,
		    char *, size_t);
static int	 ov_add(char ***, int *, char *, char *, size_t);
static void	 mcp_answer(json_t *, const char *, const char *, int);
static void	 mcp_done(struct session *, int, const char *);
static struct mcpsess *mcp_room(void);
static struct mcpsess *mcp_by_thread(const char *);
static void	 mcp_sess_free(struct mcpsess *);
static char	*mcp_toml_value(json_t *);
static int	 toml_put(FILE *, json_t *, int);
static void	 toml_string(FILE *, const char *);
static __dead void mcp_usage(void);

static const struct dispatch mcp_ui_dispatch[] = {
	{ IMSG_UI_OP,	DISPATCH_ANYLEN,	mcp_op },
	{ 0,		0,			NULL }
};

static struct config	 cfg;		/* the server's own */
static char		*overrides[MCP_OVERRIDES_MAX];
static int		 noverrides;
static struct mcpsessq	 sessq = TAILQ_HEAD_INITIALIZER(sessq);
static int		 nsess;
static int		 histfd = -1;

/*
 * `ocodex mcp-server [-c key=value]...`: start the tree with ui serving
 * MCP on our standard input and output, and run until the client closes
 * its end.  execproc is confined to full access, since each call picks
 * its own sandbox and may be approved to run without one; every command
 * still runs in the sandbox of its session.
 */
__dead void
mcp_main(int argc, char **argv)
{
	static char	*xargv[] = { "-s", "danger-full-access", "-N", "-C",
			    NULL, NULL };
	char		 ebuf[1024], *ports[40];

	mcp_parse(argc, argv);
	home_init();
	auth_init();
	if (config_load(&cfg, opts.codex_home, NULL, overrides, noverrides,
	    ebuf, sizeof(ebuf)) == -1)
		errx(1, "%s", ebuf);
	if (config_set_cwd(&cfg, opts.cwd, ebuf, sizeof(ebuf)) == -1)
		errx(1, "%s", ebuf);
	if (model_ports(&cfg, ports, sizeof(ports) / sizeof(ports[0]), ebuf,
	    sizeof(ebuf)) == -1)
		errx(1, "%s", ebuf);
	xargv[4] = opts.cwd;
	mcp_history();
	privsep_netproc_ports(ports);
	privsep_execproc_args(xargv);
	privsep_open();
	if (event_init() == NULL)
		fatalx("event_init");
	privsep_start(mcp_ready);
	privsep_confine();
	children[PROC_NETPROC].peer.table = model_dispatch;
	children[PROC_EXECPROC].peer.table = execclient_dispatch;
	children[PROC_UI].peer.table = mcp_ui_dispatch;
	if (event_dispatch() == -1)
		fatal("event_dispatch");
	privsep_shutdown(1);
}

static void
mcp_parse(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config",	required_argument,	NULL,	'c' },
		{ "help",	no_argument,		NULL,	'h' },
		{ NULL,		0,			NULL,	0 }
	};
	int	 ch;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "+c:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			if (noverrides == MCP_OVERRIDES_MAX)
				errx(2, "too many -c options");
			overrides[noverrides++] = optarg;
			break;
		default:
			mcp_usage();
		}
	}
	if (argc != optind)
		mcp_usage();
}

/* Every prompt goes to $CODEX_HOME/history.jsonl too, as exec's do. */
static void
mcp_history(void)
{
	char	 hist[PATH_MAX];

	if (cfg.history.persistence == CONFIG_HISTORY_NONE)
		return;
	if (snprintf(hist, sizeof(hist), "%s/history.jsonl",
	    opts.codex_home) >= (int)sizeof(hist))
		errx(1, "CODEX_HOME too long");
	if ((histfd = open(hist, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC |
	    O_NOFOLLOW, 0600)) == -1)
		log_warn("%s", hist);
}

/* Every helper said hello: configure them and let ui serve. */
static void
mcp_ready(void)
{
	struct peer	*np = &children[PROC_NETPROC].peer;

	model_config(np, &cfg);
	auth_send(np, &cfg, opts.codex_home);
	uiclient_setup(UI_MODE_MCP, 0, cfg.hide_agent_reasoning);
}

/* An operation from ui: a tool call, an approval, a cancel, the end. */
static void
mcp_op(struct peer *p, struct imsg *imsg)
{
	struct mcpsess	*m;
	json_error_t	 jerr;
	json_t		*o, *rid;
	char		*data;
	size_t		 len;
	uint32_t	 op = imsg_get_id(imsg);

	if (!peer_big_recv(p, imsg, &data, &len))
		return;
	o = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
	freezero(data, len + 1);
	if (o == NULL || !json_is_object(o))
		fatalx("%s: malformed operation %u", p->name, op);
	switch (op) {
	case UIOP_MCP_CALL:
		mcp_call(o);
		break;
	case UIOP_APPROVAL:
		m = mcp_by_thread(json_string_value(json_object_get(o,
		    "thread_id")));
		if (m != NULL && json_is_string(json_object_get(o,
		    "call_id")) && json_is_string(json_object_get(o,
		    "decision")))
			session_approval(m->s, json_string_value(
			    json_object_get(o, "call_id")), json_string_value(
			    json_object_get(o, "decision")));
		break;
	case UIOP_INTERRUPT:
		rid = json_object_get(o, "request_id");
		TAILQ_FOREACH(m, &sessq, entry)
			if (m->request_id != NULL && rid != NULL &&
			    json_equal(m->request_id, rid)) {
				session_interrupt(m->s);
				break;
			}
		break;
	case UIOP_SHUTDOWN:
		TAILQ_FOREACH(m, &sessq, entry)
			if (m->rollout != NULL && rollout_sync(m->rollout,
			    ROLLOUT_AT_EXIT) == -1)
				log_warn("%s", rollout_path(m->rollout));
		privsep_shutdown(0);
	default:
		log_warnx("%s: operation %u is not for mcp-server", p->name,
		    op);
		break;
	}
	json_decref(o);
}

static void
mcp_call(json_t *o)
{
	json_t		*rid = json_object_get(o, "request_id");
	json_t		*args = json_object_get(o, "arguments");
	const char	*name = json_string_value(json_object_get(o, "name"));

	if (rid == NULL || name == NULL || !json_is_object(args))
		fatalx("ui: malformed tool call");
	if (strcmp(name, "codex") == 0)
		mcp_codex(rid, args);
	else if (strcmp(name, "codex-reply") == 0)
		mcp_reply(rid, args);
	else
		mcp_answer(rid, NULL, "unknown tool", 1);
}

/* The answer to a call that ends at once (or the turn's, mcp_done). */
static void
mcp_answer(json_t *rid, const char *thread_id, const char *text,
    int is_error)
{
	uiclient_event(UIEV_MCP_RESULT, json_pack("{s:O, s:s?, s:s, s:b}",
	    "request_id", rid, "thread_id", thread_id, "text", text,
	    "is_error", is_error));
}

/*
 * codex: a new session with the call's settings, recorded in a rollout
 * file of its own (source "mcp"), then its first turn.
 */
static void
mcp_codex(json_t *rid, json_t *args)
{
	struct mcpsess		*m;
	char			 ebuf[1024], msg[1100];

	if ((m = mcp_room()) == NULL) {
		mcp_answer(rid, NULL, "Failed to start Codex session: too "
		    "many sessions are running", 1);
		return;
	}
	setup_thread_id(m->thread_id, sizeof(m->thread_id));
	if (json_is_string(json_object_get(args, "base-instructions")) &&
	    (m->base = strdup(json_string_value(json_object_get(args,
	    "base-instructions")))) == NULL)
		fatal(NULL);
	if (mcp_setup(m, args, ebuf, sizeof(ebuf)) == -1 ||
	    mcp_record(m, ebuf, sizeof(ebuf)) == -1) {
		(void)snprintf(msg, sizeof(msg), "Failed to start Codex "
		    "session: %s", ebuf);
		mcp_answer(rid, NULL, msg, 1);
		mcp_sess_free(m);
		return;
	}
	mcp_start(m, rid, NULL, json_object_get(args, "prompt"),
	    json_string_value(json_object_get(args,
	    "developer-instructions")));
}

/*
 * Make the session of m (with a resumed history, or a fresh context and
 * the developer instructions, if any), tell ui which thread serves the
 * request, and start the turn.
 */
static void
mcp_start(struct mcpsess *m, json_t *rid, json_t *history, json_t *prompt,
    const char *dev)
{
	struct session_params	 sp;
	json_t			*item;

	memset(&sp, 0, sizeof(sp));
	sp.cfg = &m->cfg;
	sp.policy = &m->policy;
	sp.full = &m->full;
	sp.env = m->env;
	sp.thread_id = m->thread_id;
	sp.done = mcp_done;
	sp.wait_notify = 1;
	sp.can_ask = 1;
	sp.rollout = m->rollout;
	sp.history = history;
	sp.histfd = histfd;
	sp.base_instructions = m->base;
	m->s = session_new(&sp);
	if (dev != NULL) {
		if ((item = context_message("developer", dev)) == NULL ||
		    json_array_append(m->s->history, item) == -1)
			fatalx("cannot add the developer instructions");
		session_record(m->s, ROLLOUT_RESPONSE_ITEM, item);
	}
	m->request_id = json_incref(rid);
	TAILQ_INSERT_TAIL(&sessq, m, entry);
	nsess++;
	uiclient_event(UIEV_SESSION_CONFIGURED, json_pack("{s:O, s:s, s:s, "
	    "s:s, s:s, s:s, s:s, s:s?, s:s}", "request_id", rid, "thread_id",
	    m->thread_id, "model", m->cfg.model, "provider",
	    config_provider(&m->cfg)->id, "cwd", m->policy.cwd, "sandbox",
	    config_sandbox_name(m->cfg.sandbox_mode), "approval",
	    config_approval_name(m->cfg.approval_policy), "reasoning_effort",
	    config_effort_name(m->cfg.model_reasoning_effort), "version",
	    OCODEX_VERSION));
	session_turn(m->s, json_string_value(prompt));
}

/* A new rollout file for a new session. */
static int
mcp_record(struct mcpsess *m, char *ebuf, size_t elen)
{
	m->rollout = setup_rollout(&m->cfg, m->policy.cwd, m->thread_id, "mcp",
	    "codex_mcp_server", m->base, ebuf, elen);
	return m->rollout == NULL ? -1 : 0;
}


/* codex-reply: the next turn of a session this server runs. */
static void
mcp_reply(json_t *rid, json_t *args)
{
	struct mcpsess	*m;
	const char	*tid, *prompt;

	tid = json_string_value(json_object_get(args, "threadId"));
	if (tid == NULL)
		tid = json_string_value(json_object_get(args,
		    "conversationId"));
	prompt = json_string_value(json_object_get(args, "prompt"));
	if (tid == NULL || prompt == NULL) {
		mcp_answer(rid, tid, "threadId and prompt are required", 1);
		return;
	}
	if ((m = mcp_by_thread(tid)) == NULL) {
		mcp_resume(rid, tid, prompt);
		return;
	}
	if (m->request_id != NULL) {
		mcp_answer(rid, tid, "the session is still running a turn", 1);
		return;
	}
	/* The most recently used session is the last to be closed. */
	TAILQ_REMOVE(&sessq, m, entry);
	TAILQ_INSERT_TAIL(&sessq, m, entry);
	m->request_id = json_incref(rid);
	session_turn(m->s, prompt);
}

/*
 * codex-reply of a session this server does not hold (an earlier server
 * ran it, or it was closed to make room): its rollout gives the history,
 * the working directory and the last turn's model, approval policy and
 * sandbox, and the next lines are appended to the same file.
 */
static void
mcp_resume(json_t *rid, const char *tid, const char *prompt)
{
	struct rollout_data	 rd;
	struct mcpsess		*m;
	json_t			*args, *tc, *p;
	char			 path[PATH_MAX], ebuf[1024], msg[1200];
	const char		*id;

	memset(&rd, 0, sizeof(rd));
	if (rollout_find(opts.codex_home, tid, path, sizeof(path), ebuf,
	    sizeof(ebuf)) == -1 || rollout_read(path, &rd, ebuf,
	    sizeof(ebuf)) == -1 || (id = json_string_value(json_object_get(
	    rd.meta, "id"))) == NULL || strcasecmp(id, tid) != 0) {
		(void)snprintf(msg, sizeof(msg), "Session not found for "
		    "thread_id: %.64s", tid);
		mcp_answer(rid, tid, msg, 1);
		rollout_data_free(&rd);
		return;
	}
	if ((m = mcp_room()) == NULL) {
		mcp_answer(rid, tid, "too many sessions are running", 1);
		rollout_data_free(&rd);
		return;
	}
	tc = rd.turn_context;
	args = json_pack("{s:O?, s:O?, s:O?, s:O?}", "cwd", json_object_get(
	    rd.meta, "cwd"), "model", json_object_get(tc, "model"),
	    "approval-policy", json_object_get(tc, "approval_policy"),
	    "sandbox", json_object_get(json_object_get(tc, "sandbox_policy"),
	    "type"));
	(void)strlcpy(m->thread_id, id, sizeof(m->thread_id));
	p = json_object_get(json_object_get(rd.meta, "base_instructions"),
	    "text");
	if (json_is_string(p) && strcmp(json_string_value(p),
	    context_base_instructions()) != 0 &&
	    (m->base = strdup(json_string_value(p))) == NULL)
		fatal(NULL);
	if (args == NULL || mcp_setup(m, args, ebuf, sizeof(ebuf)) == -1 ||
	    (m->rollout = rollout_open_append(path, ebuf, sizeof(ebuf))) ==
	    NULL) {
		(void)snprintf(msg, sizeof(msg), "Failed to resume session "
		    "%.64s: %s", tid, ebuf);
		mcp_answer(rid, tid, msg, 1);
		mcp_sess_free(m);
	} else {
		/* A call cut off by the server's end gets its output. */
		setup_close_calls(rd.items);
		p = json_string(prompt);
		mcp_start(m, rid, rd.items, p, NULL);
		json_decref(p);
	}
	json_decref(args);
	rollout_data_free(&rd);
}

/*
 * The call's settings: the server's -c overrides and the call's config
 * object (JSON made TOML) as overrides, the profile, then the named
 * fields as the matching command-line flags would set them.
 */
static int
mcp_setup(struct mcpsess *m, json_t *args, char *ebuf, size_t elen)
{
	const char	*model, *profile, *cwd, *sandbox, *approval;
	char		**ov = NULL;
	int		 nov = 0, i, rc;

	model = json_string_value(json_object_get(args, "model"));
	profile = json_string_value(json_object_get(args, "profile"));
	cwd = json_string_value(json_object_get(args, "cwd"));
	sandbox = json_string_value(json_object_get(args, "sandbox"));
	approval = json_string_value(json_object_get(args,
	    "approval-policy"));
	for (i = 0; i < noverrides; i++)
		if (ov_add(&ov, &nov, strdup(overrides[i]), ebuf, elen) == -1)
			goto fail;
	if (json_is_object(json_object_get(args, "config")) &&
	    mcp_overrides(json_object_get(args, "config"), "", &ov, &nov,
	    ebuf, elen) == -1)
		goto fail;
	rc = config_load(&m->cfg, opts.codex_home, profile, ov, nov, ebuf,
	    elen);
	for (i = 0; i < nov; i++)
		free(ov[i]);
	free(ov);
	ov = NULL;
	nov = 0;
	if (rc == -1 || config_set_cwd(&m->cfg, cwd != NULL ? cwd : opts.cwd,
	    ebuf, elen) == -1 || (model != NULL && config_set_model(&m->cfg,
	    model, ebuf, elen) == -1) || (sandbox != NULL &&
	    config_set_sandbox(&m->cfg, sandbox, ebuf, elen) == -1) ||
	    (approval != NULL && config_set_approval(&m->cfg, approval, ebuf,
	    elen) == -1))
		return -1;
	if (setup_policy(&m->cfg, m->cfg.cwd, &m->policy, ebuf, elen) == -1 ||
	    setup_policy_mode(POLICY_FULL_ACCESS, m->cfg.cwd, &m->full, ebuf,
	    elen) == -1)
		return -1;
	m->env = setup_env(&m->cfg, &m->policy);
	return 0;
 fail:
	for (i = 0; i < nov; i++)
		free(ov[i]);
	free(ov);
	return -1;
}

/* Add one key=value to the overrides, which are bounded like -c's. */
static int
ov_add(char ***ov, int *nov, char *kv, char *ebuf, size_t elen)
{
	char	**nv;

	if (kv == NULL)
		fatal(NULL);
	if (*nov >= MCP_OVERRIDES_MAX * 4) {
		free(kv);
		(void)snprintf(ebuf, elen, "config: too many keys");
		return -1;
	}
	if ((nv = reallocarray(*ov, *nov + 1, sizeof(**ov))) == NULL)
		fatal(NULL);
	*ov = nv;
	(*ov)[(*nov)++] = kv;
	return 0;
}

/*
 * Append each leaf of a config object as key.path=TOML, a nested object
 * standing for a table; null leaves are skipped.
 */
static int
mcp_overrides(json_t *v, const char *prefix, char ***ov, int *nov,
    char *ebuf, size_t elen)
{
	const char	*k;
	json_t		*x;
	char		*path, *val, *kv;
	int		 rc = 0;

	json_object_foreach(v, k, x) {
		if (asprintf(&path, "%s%s%s", prefix, *prefix ? "." : "", k) ==
		    -1)
			fatal(NULL);
		if (json_is_object(x))
			rc = mcp_overrides(x, path, ov, nov, ebuf, elen);
		else if (json_is_null(x))
			rc = 0;
		else if ((val = mcp_toml_value(x)) == NULL) {
			(void)snprintf(ebuf, elen, "config.%s: cannot be "
			    "written as TOML", path);
			rc = -1;
		} else {
			if (asprintf(&kv, "%s=%s", path, val) == -1)
				fatal(NULL);
			free(val);
			rc = ov_add(ov, nov, kv, ebuf, elen);
		}
		free(path);
		if (rc == -1)
			return -1;
	}
	return 0;
}

/* A turn ended: answer the call it served. */
static void
mcp_done(struct session *s, int how, const char *last)
{
	struct mcpsess	*m;

	TAILQ_FOREACH(m, &sessq, entry)
		if (m->s == s)
			break;
	if (m == NULL || m->request_id == NULL)
		return;
	mcp_answer(m->request_id, m->thread_id, how == TURN_OK ? (last !=
	    NULL ? last : "") : (last != NULL ? last : "the turn failed"),
	    how != TURN_OK);
	json_decref(m->request_id);
	m->request_id = NULL;
}

/*
 * A fresh session slot, closing the least recently used idle session
 * if all are taken; NULL if every one is busy.
 */
static struct mcpsess *
mcp_room(void)
{
	struct mcpsess	*m;

	if (nsess >= MCP_SESSIONS_MAX) {
		TAILQ_FOREACH(m, &sessq, entry)
			if (m->request_id == NULL)
				break;
		if (m == NULL)
			return NULL;
		log_debug("mcp: closing idle session %s", m->thread_id);
		TAILQ_REMOVE(&sessq, m, entry);
		nsess--;
		mcp_sess_free(m);
	}
	if ((m = calloc(1, sizeof(*m))) == NULL)
		fatal(NULL);
	return m;
}

static struct mcpsess *
mcp_by_thread(const char *tid)
{
	struct mcpsess	*m;

	if (tid == NULL)
		return NULL;
	TAILQ_FOREACH(m, &sessq, entry)
		if (strcmp(m->thread_id, tid) == 0)
			return m;
	return NULL;
}

/* Free what mcp_setup() and session_new() made; m is in no list. */
static void
mcp_sess_free(struct mcpsess *m)
{
	char	**e;

	if (m->s != NULL)
		session_free(m->s);
	if (m->rollout != NULL && (rollout_sync(m->rollout,
	    ROLLOUT_AT_EXIT) == -1 || rollout_close(m->rollout) == -1))
		log_warn("session record");
	json_decref(m->request_id);
	config_free(&m->cfg);
	policy_free(&m->policy);
	policy_free(&m->full);
	free(m->base);
	for (e = m->env; e != NULL && *e != NULL; e++)
		free(*e);
	free(m->env);
	free(m);
}


/*
 * A JSON value as a TOML value, for a -c style override: strings
 * quoted, arrays, and objects inside arrays as inline tables.  NULL if
 * it holds a null, which TOML cannot say.
 */
static char *
mcp_toml_value(json_t *v)
{
	FILE	*fp;
	char	*buf = NULL;
	size_t	 len = 0;
	int	 rc;

	if ((fp = open_memstream(&buf, &len)) == NULL)
		fatal("open_memstream");
	rc = toml_put(fp, v, 0);
	if (fclose(fp) != 0)
		fatal("open_memstream");
	if (rc == -1) {
		free(buf);
		return NULL;
	}
	return buf;
}

static int
toml_put(FILE *fp, json_t *v, int depth)
{
	const char	*k, *sep = "";
	json_t		*x;
	size_t		 i;

	if (depth > 32)
		return -1;
	switch (json_typeof(v)) {
	case JSON_STRING:
		toml_string(fp, json_string_value(v));
		return 0;
	case JSON_INTEGER:
		(void)fprintf(fp, "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
		return 0;
	case JSON_REAL:
		(void)fprintf(fp, "%.17g", json_real_value(v));
		return 0;
	case JSON_TRUE:
	case JSON_FALSE:
		(void)fputs(json_is_true(v) ? "true" : "false", fp);
		return 0;
	case JSON_ARRAY:
		(void)fputc('[', fp);
		json_array_foreach(v, i, x) {
			(void)fputs(sep, fp);
			if (toml_put(fp, x, depth + 1) == -1)
				return -1;
			sep = ", ";
		}
		(void)fputc(']', fp);
		return 0;
	case JSON_OBJECT:
		(void)fputc('{', fp);
		json_object_foreach(v, k, x) {
			(void)fputs(sep, fp);
			toml_string(fp, k);
			(void)fputs(" = ", fp);
			if (toml_put(fp, x, depth + 1) == -1)
				return -1;
			sep = ", ";
		}
		(void)fputc('}', fp);
		return 0;
	case JSON_NULL:
		break;
	}
	return -1;
}

/* A TOML basic string: quotes, backslashes and controls escaped. */
static void
toml_string(FILE *fp, const char *s)
{
	(void)fputc('"', fp);
	for (; *s != '\0'; s++) {
		unsigned char	c = *s;

		if (c == '"' || c == '\\')
			(void)fprintf(fp, "\\%c", c);
		else if (c == '\n')
			(void)fputs("\\n", fp);
		else if (c < 0x20 || c == 0x7f)
			(void)fprintf(fp, "\\u%04x", c);
		else
			(void)fputc(c, fp);
	}
	(void)fputc('"', fp);
}

static __dead void
mcp_usage(void)
{
	(void)fprintf(stderr, "usage: ocodex mcp-server [-c key=value]...\n");
	exit(2);
}
