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

#include <err.h>
#include <errno.h>
#include <event.h>
#include <fcntl.h>
#include <getopt.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>

#include "agent/agent.h"
#include "agent/config.h"
#include "agent/execclient.h"
#include "agent/model.h"
#include "agent/rollout.h"
#include "agent/sandboxcmd.h"
#include "agent/session.h"
#include "agent/session-int.h"
#include "agent/setup.h"
#include "agent/tui-int.h"
#include "imsg/log.h"
#include "sandbox/policy.h"
#include "sandbox/sandbox.h"

#define TUI_OVERRIDES_MAX	64
#define TUI_ARGV_MAX		(8 + 2 * POLICY_MAX_ROOTS)
#define HISTORY_SEND_MAX	1000
#define HISTORY_READ_MAX	(4 * 1024 * 1024)
#define DIFF_MAX		(1024 * 1024)

/* What `ocodex [options] [PROMPT]` was asked to do. */
struct tuiopts {
	char		*model, *sandbox, *approval, *profile, *cd, *color;
	char		*overrides[TUI_OVERRIDES_MAX];
	int		 noverrides;
	int		 full_auto, yolo, oss;
	int		 resume, resume_last, resume_all;
	char		*resume_id;
};

static void	 tui_parse(int, char **, char **);
static void	 tui_policy(void);
static void	 tui_ready(void);
static void	 tui_done(struct session *, int, const char *);
static void	 tui_session(void);
static void	 tui_configured(int);
static json_t	*tui_roots(int);
static void	 tui_op(struct peer *, struct imsg *);
static void	 op_status(void);
static void	 op_diff(void);
static void	 op_setting(int, json_t *);
static void	 op_new(void);
static void	 op_compact(void);
static void	 diff_output(void *, int, const char *, size_t);
static void	 diff_end(void *, const struct msg_exec_end *);
static json_t	*history_load(void);
static __dead void tui_usage(void);

static const struct option tui_longopts[] = {
	{ "ask-for-approval",	required_argument,	NULL,	'a' },
	{ "cd",			required_argument,	NULL,	'C' },
	{ "color",		required_argument,	NULL,	'K' },
	{ "config",		required_argument,	NULL,	'c' },
	{ "dangerously-bypass-approvals-and-sandbox", no_argument, NULL, 'Y' },
	{ "full-auto",		no_argument,		NULL,	'F' },
	{ "help",		no_argument,		NULL,	'h' },
	{ "model",		required_argument,	NULL,	'm' },
	{ "oss",		no_argument,		NULL,	'O' },
	{ "profile",		required_argument,	NULL,	'p' },
	{ "sandbox",		required_argument,	NULL,	's' },
	{ "yolo",		no_argument,		NULL,	'Y' },
	{ NULL,			0,			NULL,	0 }
};

static struct config	 cfg;
static struct policy	 policy, fullpol, ropol;
static struct session	*sess;
static struct tuiopts	 to;
static char		**cmd_env;
static char		*prompt;
static char		 thread_id[40];
static char		*xargv[TUI_ARGV_MAX];
static char		*uiargv[3];
static int		 landlock_abi, histfd = -1;
static struct evbuffer	*diffbuf;
static struct rollout	*rollout;
static json_t		*resumed;
static int		 compacting;	/* /compact runs */
static size_t		 compact_before;

static const struct dispatch tui_ui_dispatch[] = {
	{ IMSG_UI_OP,	DISPATCH_ANYLEN,	tui_op },
	{ 0,		0,			NULL }
};

/*
 * `ocodex [options] [PROMPT]`: the interactive session.  ui owns the
 * terminal; the parent runs turns as ui asks, and asks ui, in turn,
 * before it runs what the approval policy does not allow on its own.
 */
__dead void
tui_main(int argc, char **argv)
{
	struct setup_flags	 flags;
	char			 ebuf[1024], *ports[40], *term;

	memset(&flags, 0, sizeof(flags));
	tui_parse(argc, argv, &prompt);
	if (to.resume && !to.resume_last && to.resume_id == NULL) {
		home_init();
		tui_resume_list(to.resume_all);
	}
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		errx(1, "the interactive mode needs a terminal on standard "
		    "input and output; use ocodex exec otherwise");
	if (to.cd != NULL && chdir(to.cd) == -1)
		err(1, "-C %s", to.cd);
	home_init();
	auth_init();
	if (config_load(&cfg, opts.codex_home, to.profile, to.overrides,
	    to.noverrides, ebuf, sizeof(ebuf)) == -1)
		errx(1, "%s", ebuf);
	flags.model = to.model;
	flags.sandbox = to.sandbox;
	flags.approval = to.approval;
	flags.oss = to.oss;
	flags.full_auto = to.full_auto;
	flags.full_auto_asks = 1;
	flags.yolo = to.yolo;
	setup_config_flags(&cfg, opts.cwd, &flags);
	if (to.resume)
		resumed = setup_resume(&cfg, to.resume_id, to.resume_last, 0,
		    thread_id, sizeof(thread_id), &rollout);
	tui_policy();
	cmd_env = setup_env(&cfg, &policy);
	if (model_ports(&cfg, ports, sizeof(ports) / sizeof(ports[0]), ebuf,
	    sizeof(ebuf)) == -1)
		errx(1, "%s", ebuf);
	landlock_abi = opts.noconfine ? 0 : sandbox_landlock_abi();
	if ((term = getenv("TERM")) == NULL || *term == '\0' ||
	    strlen(term) > 64 || term[strspn(term, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.+")] != '\0')
		term = "dumb";
	uiargv[0] = "-T";
	uiargv[1] = term;
	if (!to.resume)
		setup_thread_id(thread_id, sizeof(thread_id));
	tui_session();
	privsep_netproc_ports(ports);
	privsep_execproc_args(xargv);
	privsep_ui_args(uiargv);
	privsep_save_tty(STDIN_FILENO);
	privsep_open();
	if (event_init() == NULL)
		fatalx("event_init");
	privsep_start(tui_ready);
	privsep_confine();
	children[PROC_NETPROC].peer.table = model_dispatch;
	children[PROC_EXECPROC].peer.table = execclient_dispatch;
	children[PROC_UI].peer.table = tui_ui_dispatch;
	if (event_dispatch() == -1)
		fatal("event_dispatch");
	privsep_shutdown(0);
}

static void
tui_parse(int argc, char **argv, char **arg)
{
	int	ch;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "+a:C:c:hm:p:s:", tui_longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'a':
			to.approval = optarg;
			break;
		case 'C':
			to.cd = optarg;
			break;
		case 'c':
			if (to.noverrides == TUI_OVERRIDES_MAX)
				errx(2, "too many -c options");
			to.overrides[to.noverrides++] = optarg;
			break;
		case 'F':
			to.full_auto = 1;
			break;
		case 'K':
			if (strcmp(optarg, "always") != 0 &&
			    strcmp(optarg, "never") != 0 &&
			    strcmp(optarg, "auto") != 0)
				errx(2, "--color takes always, never or auto");
			to.color = optarg;
			break;
		case 'm':
			to.model = optarg;
			break;
		case 'O':
			to.oss = 1;
			break;
		case 'p':
			to.profile = optarg;
			break;
		case 's':
			to.sandbox = optarg;
			break;
		case 'Y':
			to.yolo = 1;
			break;
		default:
			tui_usage();
		}
	}
	if (argc > optind && strcmp(argv[optind], "resume") == 0) {
		to.resume = 1;
		for (optind++; argc > optind && argv[optind][0] == '-';
		    optind++) {
			if (strcmp(argv[optind], "--last") == 0)
				to.resume_last = 1;
			else if (strcmp(argv[optind], "--all") == 0)
				to.resume_all = 1;
			else
				tui_usage();
		}
		if (!to.resume_last && argc > optind)
			to.resume_id = argv[optind++];
	}
	if (argc - optind > 1)
		tui_usage();
	*arg = argc > optind ? argv[optind] : NULL;
}

/*
 * The session's sandbox from the configuration, the full-access policy
 * of a command the user lets run unsandboxed, and the read-only one of
 * /diff.  When the approval policy can escalate, execproc itself must be
 * allowed the widest of them.
 */
static void
tui_policy(void)
{
	const struct policy	*wide;
	char			 ebuf[1024];

	if (setup_policy(&cfg, opts.cwd, &policy, ebuf, sizeof(ebuf)) == -1 ||
	    setup_policy_mode(POLICY_FULL_ACCESS, opts.cwd, &fullpol, ebuf,
	    sizeof(ebuf)) == -1 || setup_policy_mode(POLICY_READ_ONLY,
	    opts.cwd, &ropol, ebuf, sizeof(ebuf)) == -1)
		errx(1, "%s", ebuf);
	wide = cfg.approval_policy == CONFIG_APPROVAL_NEVER ? &policy :
	    &fullpol;
	setup_execproc_argv(wide, xargv, TUI_ARGV_MAX);
}

/*
 * A session that may ask the user; prompts go to history.jsonl unless
 * the configuration says not to keep them.
 */
static void
tui_session(void)
{
	struct session_params	 sp;
	char			 ebuf[1024];

	if (histfd == -1)
		histfd = setup_histfd(&cfg);
	if (rollout == NULL && (rollout = setup_rollout(&cfg, opts.cwd,
	    thread_id, "cli", "codex_cli_rs", NULL, ebuf, sizeof(ebuf))) ==
	    NULL)
		log_warnx("the session is not recorded: %s", ebuf);
	memset(&sp, 0, sizeof(sp));
	sp.cfg = &cfg;
	sp.policy = &policy;
	sp.env = cmd_env;
	sp.thread_id = thread_id;
	sp.done = tui_done;
	sp.can_ask = 1;
	sp.full = &fullpol;
	sp.histfd = histfd;
	sp.rollout = rollout;
	sp.history = resumed;
	sess = session_new(&sp);
}

/* Every helper said hello: give ui the terminal and start. */
static void
tui_ready(void)
{
	struct peer	*np = &children[PROC_NETPROC].peer;

	model_config(np, &cfg);
	auth_send(np, &cfg, opts.codex_home);
	uiclient_setup(UI_MODE_TUI, setup_want_color(to.color),
	    cfg.hide_agent_reasoning);
	uiclient_event(UIEV_INFO, json_pack("{s:s, s:o}", "what", "history",
	    "entries", history_load()));
	tui_configured(to.resume);
	if (prompt != NULL)
		session_turn(sess, prompt);
}

/*
 * The session's settings for the banner and the status line; with the
 * writable roots, so that a patch approval can name the files outside
 * them, and a resumed session's last messages.
 */
static void
tui_configured(int was_resumed)
{
	uiclient_event(UIEV_SESSION_CONFIGURED, json_pack("{s:s, s:s, s:s, "
	    "s:s, s:s, s:s, s:s?, s:s, s:o, s:o, s:b, s:o}", "thread_id",
	    thread_id, "model", cfg.model, "provider",
	    config_provider(&cfg)->id, "cwd", opts.cwd, "sandbox",
	    config_sandbox_name(cfg.sandbox_mode), "approval",
	    config_approval_name(cfg.approval_policy), "reasoning_effort",
	    config_effort_name(cfg.model_reasoning_effort), "version",
	    OCODEX_VERSION, "writable_roots", tui_roots(0), "read_only",
	    tui_roots(1), "resumed", was_resumed, "messages",
	    was_resumed ? tui_replay_messages(resumed) : json_array()));
}

/* The writable roots (or their read-only parts); null: all writable. */
static json_t *
tui_roots(int ro)
{
	json_t	*a;
	size_t	 i;

	if (policy.mode == POLICY_FULL_ACCESS)
		return json_null();
	if ((a = json_array()) == NULL)
		fatal(NULL);
	for (i = 0; !ro && policy.mode != POLICY_READ_ONLY &&
	    i < policy.nroots; i++)
		(void)json_array_append_new(a, json_string(policy.roots[i]));
	for (i = 0; ro && i < policy.nro; i++)
		(void)json_array_append_new(a, json_string(policy.ro[i].path));
	return a;
}

/* A turn ended; the session goes on until the user leaves. */
static void
tui_done(struct session *s, int how, const char *last)
{
	char	 text[128];

	(void)last;
	if (!compacting)
		return;
	compacting = 0;
	if (how == TURN_OK)
		(void)snprintf(text, sizeof(text), "conversation compacted: "
		    "%zu items now, %zu before", json_array_size(s->history),
		    compact_before);
	else
		(void)strlcpy(text, "the conversation was not compacted",
		    sizeof(text));
	tui_note(text, NULL, NULL);
}

/* An operation from the user, through ui. */
static void
tui_op(struct peer *p, struct imsg *imsg)
{
	json_error_t	 jerr;
	json_t		*o;
	char		*data;
	size_t		 len;
	uint32_t	 op = imsg_get_id(imsg);

	if (!peer_big_recv(p, imsg, &data, &len))
		return;
	o = json_loadb(data, len, 0, &jerr);
	free(data);
	if (o == NULL || !json_is_object(o))
		fatalx("ui sent a malformed operation %u", op);
	switch (op) {
	case UIOP_USER_TURN:
		if (json_is_string(json_object_get(o, "text")) &&
		    !sess->active)
			session_turn(sess, json_string_value(json_object_get(o,
			    "text")));
		break;
	case UIOP_APPROVAL:
		if (json_is_string(json_object_get(o, "call_id")) &&
		    json_is_string(json_object_get(o, "decision")))
			session_approval(sess, json_string_value(
			    json_object_get(o, "call_id")), json_string_value(
			    json_object_get(o, "decision")));
		break;
	case UIOP_INTERRUPT:
		session_interrupt(sess);
		break;
	case UIOP_SHUTDOWN:
		json_decref(o);
		privsep_shutdown(0);
	case UIOP_NEW:
		op_new();
		break;
	case UIOP_COMPACT:
		op_compact();
		break;
	case UIOP_SESSIONS:
		tui_sessions(thread_id);
		break;
	case UIOP_RESUME:
		tui_resume(o);
		break;
	case UIOP_MODEL:
	case UIOP_APPROVALS:
		op_setting(op, o);
		break;
	case UIOP_STATUS:
		op_status();
		break;
	case UIOP_DIFF:
		op_diff();
		break;
	default:
		fatalx("ui sent an unknown operation %u", op);
	}
	json_decref(o);
}

/* Close the current session and its record, to start another. */
static int
session_close(void)
{
	if (sess->active) {
		tui_note("a turn is running; interrupt it first (Ctrl-C)", NULL,
		    NULL);
		return -1;
	}
	session_free(sess);
	sess = NULL;
	if (rollout != NULL && rollout_close(rollout) == -1)
		log_warn("closing the rollout");
	rollout = NULL;
	json_decref(resumed);
	resumed = NULL;
	return 0;
}

/* /new: a fresh session with a new id, same settings. */
static void
op_new(void)
{
	if (session_close() == -1)
		return;
	setup_thread_id(thread_id, sizeof(thread_id));
	tui_session();
	tui_configured(0);
}

/*
 * /compact: the summary request runs as a turn of its own, shown busy
 * (Ctrl-C stops it); tui_done() says how it went.
 */
static void
op_compact(void)
{
	if (sess->active) {
		tui_note("a turn is running; /compact after it", NULL, NULL);
		return;
	}
	compact_before = json_array_size(sess->history);
	uiclient_event(UIEV_TASK_STARTED, json_pack("{s:s, s:s, s:b}",
	    "turn_id", "compact", "prompt", "", "compact", 1));
	compacting = 1;
	if (session_compact(sess) == -1) {
		compacting = 0;
		uiclient_event(UIEV_TURN_FAILED, json_pack("{s:s}", "message",
		    "cannot compact now"));
	}
}

/* Close the current session and continue the one recorded at path. */
void
tui_switch(const char *path)
{
	if (session_close() == -1)
		return;
	resumed = setup_resume(&cfg, path, 0, 0, thread_id,
	    sizeof(thread_id), &rollout);
	tui_session();
	tui_configured(1);
}

/* /model NAME and /approvals POLICY: from the next request on. */
static void
op_setting(int op, json_t *o)
{
	const char	*v;
	char		 ebuf[1024], text[1200];

	if (op == UIOP_MODEL) {
		if ((v = json_string_value(json_object_get(o, "model"))) ==
		    NULL || config_set_model(&cfg, v, ebuf, sizeof(ebuf)) == -1) {
			tui_note(v == NULL ? "no model named" : ebuf, NULL,
			    NULL);
			return;
		}
		(void)snprintf(text, sizeof(text), "model set to %s", cfg.model);
		tui_note(text, cfg.model, NULL);
		return;
	}
	if ((v = json_string_value(json_object_get(o, "approval"))) == NULL ||
	    config_set_approval(&cfg, v, ebuf, sizeof(ebuf)) == -1) {
		tui_note(v == NULL ? "no policy named" : ebuf, NULL, NULL);
		return;
	}
	(void)snprintf(text, sizeof(text), "approval policy set to %s",
	    config_approval_name(cfg.approval_policy));
	tui_note(text, NULL, config_approval_name(cfg.approval_policy));
}

void
tui_note(const char *text, const char *model, const char *approval)
{
	uiclient_event(UIEV_INFO, json_pack("{s:s, s:s, s:s?, s:s?}", "what",
	    "note", "text", text, "model", model, "approval", approval));
}

/* /status: the settings, the session and what confines the commands. */
static void
op_status(void)
{
	json_t	*layers;

	if ((layers = json_array()) == NULL)
		fatal(NULL);
	if (opts.noconfine)
		(void)json_array_append_new(layers, json_string("none "
		    "(--no-confinement)"));
	else {
		(void)json_array_append_new(layers, json_string(
		    "helpers: pledge+unveil (seccomp, Landlock)"));
		(void)json_array_append_new(layers, json_string(
		    policy.mode == CONFIG_SANDBOX_DANGER_FULL_ACCESS ?
		    "commands: none (danger-full-access)" :
		    "commands: Landlock, seccomp, mount namespace, "
		    "no_new_privs"));
	}
	uiclient_event(UIEV_INFO, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, "
	    "s:s, s:s, s:O, s:i, s:o}", "what", "status", "model", cfg.model,
	    "provider", config_provider(&cfg)->id, "cwd", opts.cwd,
	    "sandbox", config_sandbox_name(cfg.sandbox_mode), "approval",
	    config_approval_name(cfg.approval_policy), "thread_id", thread_id,
	    "rollout", rollout != NULL ? rollout_path(rollout) : "-", "usage", sess->usage, "landlock_abi",
	    landlock_abi, "layers", layers));
}

/* /diff: `git diff` in the working directory, run read-only. */
static void
op_diff(void)
{
	static char *const	 argv[] = { "git", "--no-pager", "diff",
	    "--no-color", "--no-ext-diff", NULL };
	struct exec_req		 er;

	if (diffbuf != NULL)
		return;
	if ((diffbuf = evbuffer_new()) == NULL)
		fatal("evbuffer_new");
	memset(&er, 0, sizeof(er));
	er.argv = argv;
	er.env = cmd_env;
	er.policy = &ropol;
	er.workdir = opts.cwd;
	er.output = diff_output;
	er.end = diff_end;
	(void)execclient_run(&children[PROC_EXECPROC].peer, &er);
}

static void
diff_output(void *arg, int stream, const char *buf, size_t len)
{
	(void)arg;
	if (evbuffer_get_length(diffbuf) + len <= DIFF_MAX &&
	    evbuffer_add(diffbuf, buf, len) == -1)
		fatal("evbuffer_add");
	(void)stream;
}

static void
diff_end(void *arg, const struct msg_exec_end *me)
{
	size_t	 len;
	char	*text;

	(void)arg;
	len = evbuffer_get_length(diffbuf);
	if ((text = malloc(len + 1)) == NULL)
		fatal(NULL);
	(void)evbuffer_remove(diffbuf, text, len);
	text[len] = '\0';
	evbuffer_free(diffbuf);
	diffbuf = NULL;
	uiclient_event(UIEV_INFO, json_pack("{s:s, s:s%, s:i}", "what", "diff",
	    "text", text, len, "exit_code", me->exit_code));
	free(text);
}

/*
 * The texts of $CODEX_HOME/history.jsonl, oldest first, at most the last
 * HISTORY_SEND_MAX of them, for ui's history recall.
 */
static json_t *
history_load(void)
{
	json_t	*all, *e, *t;
	FILE	*fp;
	char	 path[PATH_MAX], *line = NULL;
	size_t	 cap = 0, total = 0;
	ssize_t	 n;

	if ((all = json_array()) == NULL)
		fatal(NULL);
	if (snprintf(path, sizeof(path), "%s/history.jsonl",
	    opts.codex_home) >= (int)sizeof(path) ||
	    (fp = fopen(path, "re")) == NULL)
		return all;
	while ((n = getline(&line, &cap, fp)) != -1 &&
	    (total += n) < HISTORY_READ_MAX) {
		if ((e = json_loads(line, 0, NULL)) == NULL)
			continue;
		if (json_is_string(t = json_object_get(e, "text")))
			(void)json_array_append(all, t);
		json_decref(e);
		if (json_array_size(all) > HISTORY_SEND_MAX)
			(void)json_array_remove(all, 0);
	}
	free(line);
	(void)fclose(fp);
	return all;
}

static __dead void
tui_usage(void)
{
	(void)fprintf(stderr,
	    "usage: ocodex [--full-auto] [--oss] [-a policy] [-C dir] "
	    "[-c key=value]\n"
	    "              [--color when] [-m model] [-p profile] [-s mode] "
	    "[prompt]\n"
	    "       ocodex [options] resume [--last | --all | id]\n");
	exit(2);
}
