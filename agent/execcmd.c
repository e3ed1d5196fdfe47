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
#include <sys/stat.h>

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

#include "agent/agent.h"
#include "agent/config.h"
#include "agent/context.h"
#include "agent/execclient.h"
#include "agent/gitinfo.h"
#include "agent/model.h"
#include "agent/rollout.h"
#include "agent/setup.h"
#include "agent/sandboxcmd.h"
#include "agent/session.h"
#include "imsg/log.h"
#include "sandbox/policy.h"

#define EXEC_OVERRIDES_MAX	64
#define PROMPT_MAX		(16 * 1024 * 1024)
#define EXECPROC_ARGV_MAX	(8 + 2 * POLICY_MAX_ROOTS)

/* What `ocodex exec` was asked to do. */
struct execopts {
	char		*model, *sandbox, *approval, *profile, *cd;
	char		*last_message_file, *color;
	char		*overrides[EXEC_OVERRIDES_MAX];
	int		 noverrides;
	int		 full_auto, yolo, oss, skip_git, json, ephemeral;
	int		 resume, resume_last;
	char		*resume_id;
};

static void	 exec_parse(int, char **, struct execopts *, char **);
static char	*exec_prompt(const char *);
static int	 in_git_repo(const char *);
static void	 exec_ready(void);
static void	 exec_done(struct session *, int, const char *);
static void	 session_start(void);
static __dead void exec_usage(void);

static const struct option exec_longopts[] = {
	{ "cd",			required_argument,	NULL,	'C' },
	{ "color",		required_argument,	NULL,	'K' },
	{ "config",		required_argument,	NULL,	'c' },
	{ "dangerously-bypass-approvals-and-sandbox", no_argument, NULL, 'Y' },
	{ "ephemeral",		no_argument,		NULL,	'E' },
	{ "experimental-json",	no_argument,		NULL,	'J' },
	{ "full-auto",		no_argument,		NULL,	'F' },
	{ "help",		no_argument,		NULL,	'h' },
	{ "json",		no_argument,		NULL,	'J' },
	{ "model",		required_argument,	NULL,	'm' },
	{ "oss",		no_argument,		NULL,	'O' },
	{ "output-last-message", required_argument,	NULL,	'o' },
	{ "profile",		required_argument,	NULL,	'p' },
	{ "sandbox",		required_argument,	NULL,	's' },
	{ "ask-for-approval",	required_argument,	NULL,	'a' },
	{ "skip-git-repo-check", no_argument,		NULL,	'G' },
	{ "yolo",		no_argument,		NULL,	'Y' },
	{ NULL,			0,			NULL,	0 }
};

static struct config	 cfg;
static struct policy	 policy;
static struct session	*sess;
static struct execopts	 xo;
static char		**cmd_env;
static char		*prompt;
static char		 thread_id[40];
static int		 lastfd = -1;
static char		*xargv[EXECPROC_ARGV_MAX];
static struct rollout	*rollout;
static json_t		*resumed;
static int		 histfd = -1;

/*
 * `ocodex exec [options] [PROMPT | -]`: one turn, no questions asked
 * (approval is never), progress on standard error and the final message
 * alone on standard output, or Codex's JSON lines with --json.
 */
__dead void
exec_main(int argc, char **argv)
{
	struct setup_flags	 flags;
	char			 ebuf[1024], *ports[40], *arg = NULL;

	memset(&flags, 0, sizeof(flags));
	exec_parse(argc, argv, &xo, &arg);
	if (xo.cd != NULL && chdir(xo.cd) == -1)
		err(1, "-C %s", xo.cd);
	home_init();
	auth_init();
	if (config_load(&cfg, opts.codex_home, xo.profile, xo.overrides,
	    xo.noverrides, ebuf, sizeof(ebuf)) == -1)
		errx(1, "%s", ebuf);
	/* exec never asks: --full-auto keeps approval at never. */
	flags.model = xo.model;
	flags.sandbox = xo.sandbox;
	flags.approval = xo.approval != NULL ? xo.approval : "never";
	flags.oss = xo.oss;
	flags.full_auto = xo.full_auto;
	flags.yolo = xo.yolo;
	setup_config_flags(&cfg, opts.cwd, &flags);
	if (!xo.skip_git && !in_git_repo(opts.cwd))
		errx(1, "not inside a git repository; ocodex exec runs only "
		    "in one unless --skip-git-repo-check is given");
	if (xo.resume)
		resumed = setup_resume(&cfg, xo.resume_id, xo.resume_last,
		    xo.ephemeral, thread_id, sizeof(thread_id), &rollout);
	prompt = exec_prompt(arg);
	/* exec never asks, so the session's policy is also the widest. */
	if (setup_policy(&cfg, opts.cwd, &policy, ebuf, sizeof(ebuf)) == -1)
		errx(1, "%s", ebuf);
	setup_execproc_argv(&policy, xargv, EXECPROC_ARGV_MAX);
	cmd_env = setup_env(&cfg, &policy);
	if (xo.last_message_file != NULL && (lastfd =
	    open(xo.last_message_file, O_WRONLY | O_CREAT | O_CLOEXEC,
	    0644)) == -1)
		err(1, "%s", xo.last_message_file);
	if (model_ports(&cfg, ports, sizeof(ports) / sizeof(ports[0]), ebuf,
	    sizeof(ebuf)) == -1)
		errx(1, "%s", ebuf);
	if (!xo.resume)
		setup_thread_id(thread_id, sizeof(thread_id));
	if (!xo.ephemeral) {
		histfd = setup_histfd(&cfg);
		if (rollout == NULL && (rollout = setup_rollout(&cfg,
		    opts.cwd, thread_id, "exec", "codex_exec", NULL, ebuf,
		    sizeof(ebuf))) == NULL)
			errx(1, "cannot record the session: %s", ebuf);
	}
	session_start();
	privsep_netproc_ports(ports);
	privsep_execproc_args(xargv);
	privsep_open();
	if (event_init() == NULL)
		fatalx("event_init");
	privsep_start(exec_ready);
	privsep_confine();
	children[PROC_NETPROC].peer.table = model_dispatch;
	children[PROC_EXECPROC].peer.table = execclient_dispatch;
	if (event_dispatch() == -1)
		fatal("event_dispatch");
	privsep_shutdown(1);
}

static void
exec_parse(int argc, char **argv, struct execopts *o, char **arg)
{
	int	ch;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "+a:C:c:hm:o:p:s:", exec_longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'a':
			o->approval = optarg;
			break;
		case 'C':
			o->cd = optarg;
			break;
		case 'c':
			if (o->noverrides == EXEC_OVERRIDES_MAX)
				errx(2, "too many -c options");
			o->overrides[o->noverrides++] = optarg;
			break;
		case 'E':
			o->ephemeral = 1;
			break;
		case 'F':
			o->full_auto = 1;
			break;
		case 'G':
			o->skip_git = 1;
			break;
		case 'J':
			o->json = 1;
			break;
		case 'K':
			if (strcmp(optarg, "always") != 0 &&
			    strcmp(optarg, "never") != 0 &&
			    strcmp(optarg, "auto") != 0)
				errx(2, "--color takes always, never or auto");
			o->color = optarg;
			break;
		case 'm':
			o->model = optarg;
			break;
		case 'O':
			o->oss = 1;
			break;
		case 'o':
			o->last_message_file = optarg;
			break;
		case 'p':
			o->profile = optarg;
			break;
		case 's':
			o->sandbox = optarg;
			break;
		case 'Y':
			o->yolo = 1;
			break;
		default:
			exec_usage();
		}
	}
	if (argc > optind && strcmp(argv[optind], "resume") == 0) {
		o->resume = 1;
		optind++;
		if (argc > optind && strcmp(argv[optind], "--last") == 0) {
			o->resume_last = 1;
			optind++;
		} else if (argc > optind && argv[optind][0] != '-')
			o->resume_id = argv[optind++];
		if (!o->resume_last && o->resume_id == NULL)
			errx(2, "exec resume needs --last or a session id");
	}
	if (argc - optind > 1)
		exec_usage();
	*arg = argc > optind ? argv[optind] : NULL;
}

/* Read all of standard input, up to PROMPT_MAX bytes. */
static char *
read_stdin(void)
{
	char	*buf = NULL, *nb;
	size_t	 len = 0, cap = 0;
	ssize_t	 n;

	for (;;) {
		if (len + 4096 + 1 > cap) {
			cap = cap ? cap * 2 : 65536;
			if (cap > PROMPT_MAX + 1)
				errx(1, "standard input is over %d bytes",
				    PROMPT_MAX);
			if ((nb = realloc(buf, cap)) == NULL)
				err(1, NULL);
			buf = nb;
		}
		if ((n = read(STDIN_FILENO, buf + len, cap - len - 1)) == -1) {
			if (errno == EINTR)
				continue;
			err(1, "standard input");
		}
		if (n == 0)
			break;
		len += n;
	}
	if (buf == NULL && (buf = malloc(1)) == NULL)
		err(1, NULL);
	buf[len] = '\0';
	return buf;
}

/*
 * The prompt: the argument, or standard input when there is none or it
 * is "-"; an argument with standard input piped in gets it appended as a
 * <stdin> block, as Codex does.
 */
static char *
exec_prompt(const char *arg)
{
	char	*in, *p;

	if (arg == NULL || strcmp(arg, "-") == 0) {
		if (isatty(STDIN_FILENO))
			errx(2, "no prompt given: pass one as an argument or "
			    "on standard input");
		p = read_stdin();
	} else if (!isatty(STDIN_FILENO)) {
		in = read_stdin();
		if (*in == '\0')
			p = strdup(arg);
		else if (asprintf(&p, "%s\n\n<stdin>\n%s%s</stdin>", arg, in,
		    in[strlen(in) - 1] == '\n' ? "" : "\n") == -1)
			p = NULL;
		free(in);
	} else
		p = strdup(arg);
	if (p == NULL)
		err(1, NULL);
	if (p[strspn(p, " \t\r\n")] == '\0')
		errx(2, "the prompt is empty");
	return p;
}

/* Is dir inside a git repository (a .git directory or file above it)? */
static int
in_git_repo(const char *dir)
{
	char		 path[PATH_MAX], *slash;
	struct stat	 sb;

	if (strlcpy(path, dir, sizeof(path)) >= sizeof(path))
		return 0;
	for (;;) {
		char	 probe[PATH_MAX];
		int	 n;

		n = snprintf(probe, sizeof(probe), "%s/.git",
		    strcmp(path, "/") == 0 ? "" : path);
		if (n > 0 && (size_t)n < sizeof(probe) &&
		    stat(probe, &sb) == 0)
			return 1;
		if (strcmp(path, "/") == 0 ||
		    (slash = strrchr(path, '/')) == NULL)
			return 0;
		if (slash == path)
			slash[1] = '\0';
		else
			*slash = '\0';
	}
}

/*
 * The session, with its initial context: AGENTS.md files from the
 * repository's root down are read now, before the parent is confined to
 * the working directory and $CODEX_HOME.
 */
static void
session_start(void)
{
	struct session_params	 sp;

	memset(&sp, 0, sizeof(sp));
	sp.cfg = &cfg;
	sp.policy = &policy;
	sp.env = cmd_env;
	sp.thread_id = thread_id;
	sp.done = exec_done;
	sp.wait_notify = 1;
	sp.rollout = rollout;
	sp.history = resumed;
	sp.histfd = histfd;
	sess = session_new(&sp);
}

/* Every helper said hello: configure them and start the turn. */
static void
exec_ready(void)
{
	struct peer		*np = &children[PROC_NETPROC].peer;

	model_config(np, &cfg);
	auth_send(np, &cfg, opts.codex_home);
	uiclient_setup(xo.json ? UI_MODE_EXEC_JSON : UI_MODE_EXEC,
	    setup_want_color(xo.color), cfg.hide_agent_reasoning);
	uiclient_event(UIEV_SESSION_CONFIGURED, json_pack("{s:s, s:s, s:s, "
	    "s:s, s:s, s:s, s:s?, s:s}", "thread_id", thread_id, "model",
	    cfg.model, "provider", config_provider(&cfg)->id, "cwd", opts.cwd,
	    "sandbox", config_sandbox_name(cfg.sandbox_mode), "approval",
	    config_approval_name(cfg.approval_policy), "reasoning_effort",
	    config_effort_name(cfg.model_reasoning_effort), "version",
	    OCODEX_VERSION));
	session_turn(sess, prompt);
}

/*
 * The turn ended: the last message goes to the -o file on success, and
 * the tree stops with exec's exit status (0, 1, or 130 on interrupt).
 * A session file that lost lines (a full disk) fails a turn that
 * otherwise went well: each loss was reported as it happened, but a
 * script sees only the status, and resuming would miss part of the turn.
 */
static void
exec_done(struct session *s, int how, const char *last)
{
	size_t	 len, lost = 0;

	(void)s;
	if (rollout != NULL) {
		if ((lost = rollout_lost(rollout)) > 0)
			log_warnx("%s is incomplete: %zu line%s could not be "
			    "written", rollout_path(rollout), lost,
			    lost == 1 ? "" : "s");
		if (rollout_sync(rollout, ROLLOUT_AT_EXIT) == -1 ||
		    rollout_close(rollout) == -1)
			log_warn("session record");
	}
	rollout = NULL;
	if (lastfd != -1 && how == TURN_OK) {
		len = last != NULL ? strlen(last) : 0;
		if (ftruncate(lastfd, 0) == -1 ||
		    (len > 0 && write(lastfd, last, len) != (ssize_t)len))
			log_warn("%s", xo.last_message_file);
		if (len == 0)
			log_warnx("the turn ended without a message; %s is "
			    "empty", xo.last_message_file);
	}
	privsep_shutdown(how == TURN_OK && lost == 0 ? 0 :
	    how == TURN_INTERRUPTED ? 130 : 1);
}

static __dead void
exec_usage(void)
{
	(void)fprintf(stderr,
	    "usage: ocodex exec [--full-auto] [--json] [--oss] "
	    "[--skip-git-repo-check]\n"
	    "                   [-a policy] [-C dir] [-c key=value] "
	    "[--color when] [-m model]\n"
	    "                   [-o file] [-p profile] [-s mode] "
	    "[prompt | -]\n"
	    "       ocodex exec [options] resume [--last | id] "
	    "[prompt | -]\n");
	exit(2);
}
