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

#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "agent/agent.h"
#include "agent/approval.h"
#include "agent/config.h"
#include "agent/execclient.h"
#include "agent/output.h"
#include "agent/session-int.h"
#include "agent/tools.h"
#include "execproc/patch.h"
#include "imsg/log.h"
#include "imsg/proto.h"
#include "sandbox/policy.h"

static void	 shell_start(struct session *, struct call *);
static void	 shell_run(struct session *, struct call *, int);
static void	 ask(struct session *, struct call *, int, const char *);
static void	 patch_send(struct session *, struct call *);
static void	 patch_start(struct session *, struct call *, const char *,
		    const char *);
static void	 plan_update(struct session *, struct call *);
static char	*result_text(struct session *, int, double, const char *,
		    size_t, int);
static void	 exec_output(void *, int, const char *, size_t);
static void	 exec_end(void *, const struct msg_exec_end *);
static void	 patch_end(void *, json_t *);
static void	 view_image(struct session *, struct call *);
static void	 image_end(void *, json_t *);
static json_t	*sandbox_req(struct session *, const char *, const char *,
		    const char *);
static char	*shell_join(char *const *);
static double	 elapsed(const struct timespec *);

void
call_free(struct call *c)
{
	json_decref(c->item);
	json_decref(c->changes);
	free(c->call_id);
	free(c->name);
	free(c->display);
	free(c->cwd);
	free(c->out);
	free(c->patch_text);
	free(c->patch_base);
	free(c->justification);
	if (c->argv != NULL) {
		char	**v;

		for (v = c->argv; *v != NULL; v++)
			free(*v);
		free(c->argv);
	}
	free(c);
}

static const char *
call_arguments(struct call *c)
{
	const char	*a;

	a = json_string_value(json_object_get(c->item, "arguments"));
	return a != NULL ? a : "{}";
}

/* Dispatch one tool call by name. */
void
toolrun_start(struct session *s, struct call *c)
{
	char	 err[TOOLS_ERR_MAX], *msg, *ptext;

	(void)clock_gettime(CLOCK_MONOTONIC, &c->start);
	if (strcmp(c->name, "apply_patch") == 0) {
		if (c->custom) {
			patch_start(s, c, json_string_value(json_object_get(
			    c->item, "input")), NULL);
			return;
		}
		if (tools_parse_apply_patch(call_arguments(c), &ptext, err,
		    sizeof(err)) == -1) {
			session_call_done(s, c, err);
			return;
		}
		patch_start(s, c, ptext, NULL);
		free(ptext);
		return;
	}
	if (!c->custom && strcmp(c->name, "shell") == 0) {
		shell_start(s, c);
		return;
	}
	if (!c->custom && strcmp(c->name, "update_plan") == 0) {
		plan_update(s, c);
		return;
	}
	if (!c->custom && strcmp(c->name, "view_image") == 0) {
		view_image(s, c);
		return;
	}
	if (asprintf(&msg, "unsupported call: %s", c->name) == -1)
		fatal(NULL);
	session_call_done(s, c, msg);
	free(msg);
}

/* The working directory of a call: absolute, relative to the session's. */
static char *
call_workdir(struct session *s, const char *wd)
{
	char	*p;

	if (wd == NULL || *wd == '\0')
		wd = s->p.policy->cwd;
	if (wd[0] == '/')
		p = strdup(wd);
	else if (asprintf(&p, "%s/%s", s->p.policy->cwd, wd) == -1)
		p = NULL;
	if (p == NULL)
		fatal(NULL);
	return p;
}

static void
shell_refuse(struct session *s, struct call *c, const char *why)
{
	char	*msg;

	session_emit(s, UIEV_EXEC_END, json_pack("{s:s, s:s, s:i, s:i, s:s, "
	    "s:b, s:b}", "call_id", c->call_id, "command", c->display, "exit_code",
	    -1, "duration_ms", 0, "aggregated_output", "", "timed_out", 0,
	    "declined", 1));
	if (asprintf(&msg, "command rejected: %s", why) == -1)
		fatal(NULL);
	session_call_done(s, c, msg);
	free(msg);
}

/*
 * Run a shell call: an apply_patch in disguise goes to the patch path;
 * otherwise the approval policy decides, and execproc runs it in the
 * session's sandbox (or without one, where the policy grants that).
 */
static void
shell_start(struct session *s, struct call *c)
{
	struct approval_request	 ar;
	struct approval_result	 res;
	struct tool_shell	 ts;
	char			 err[TOOLS_ERR_MAX], *ptext = NULL, *cd = NULL;

	if (tools_parse_shell(call_arguments(c), &ts, err, sizeof(err)) ==
	    -1) {
		session_call_done(s, c, err);
		return;
	}
	c->cwd = call_workdir(s, ts.workdir);
	if (patch_invocation(ts.argv, ts.argc, &ptext, &cd) == 1) {
		patch_start(s, c, ptext, cd);
		free(ptext);
		free(cd);
		tools_shell_free(&ts);
		return;
	}
	c->display = shell_join(ts.argv);
	memset(&ar, 0, sizeof(ar));
	ar.policy = s->p.cfg->approval_policy;
	ar.sandbox = s->p.cfg->sandbox_mode;
	ar.argv = ts.argv;
	ar.escalate = ts.escalate;
	ar.cache = &s->approved;
	(void)approval_decide(&ar, &res);
	c->escalate = ts.escalate;
	if (ts.justification != NULL &&
	    (c->justification = strdup(ts.justification)) == NULL)
		fatal(NULL);
	c->argv = ts.argv;		/* the call owns it now */
	ts.argv = NULL;
	ts.argc = 0;
	c->timeout_ms = ts.timeout_ms;
	tools_shell_free(&ts);
	switch (res.verdict) {
	case APPROVAL_RUN_SANDBOXED:
	case APPROVAL_RUN_UNSANDBOXED:
		shell_run(s, c, res.verdict == APPROVAL_RUN_SANDBOXED);
		break;
	case APPROVAL_ASK:
		if (s->p.can_ask) {
			ask(s, c, ASK_EXEC, res.reason);
			break;
		}
		/* FALLTHROUGH */
	default:
		session_emit(s, UIEV_EXEC_BEGIN, json_pack("{s:s, s:s, s:s}",
		    "call_id", c->call_id, "command", c->display, "cwd",
		    c->cwd));
		shell_refuse(s, c, res.reason[0] != '\0' ? res.reason :
		    "approval is required and cannot be asked for here");
		break;
	}
}

/* Run the call's command, in the session's sandbox or without one. */
static void
shell_run(struct session *s, struct call *c, int sandboxed)
{
	struct exec_req	 er;

	if (!sandboxed && s->p.full == NULL) {
		shell_refuse(s, c, "running without the sandbox is not "
		    "possible in this session");
		return;
	}
	c->sandboxed = sandboxed;
	free(c->out);
	c->out = NULL;
	c->outlen = 0;
	session_emit(s, UIEV_EXEC_BEGIN, json_pack("{s:s, s:s, s:s}", "call_id",
	    c->call_id, "command", c->display, "cwd", c->cwd));
	memset(&er, 0, sizeof(er));
	er.argv = c->argv;
	er.env = s->p.env;
	er.policy = sandboxed ? s->p.policy : s->p.full;
	er.workdir = c->cwd;
	er.timeout_ms = c->timeout_ms;
	er.output = exec_output;
	er.end = exec_end;
	er.arg = c;
	c->exec_id = execclient_run(&children[PROC_EXECPROC].peer, &er);
}

/*
 * Ask the front end (the user, or an MCP client) to approve; the answer
 * comes back through session_approval().
 */
static void
ask(struct session *s, struct call *c, int what, const char *reason)
{
	json_t	*argv = NULL;
	size_t	 i;

	c->asking = what;
	if (c->argv != NULL && (argv = json_array()) != NULL)
		for (i = 0; c->argv[i] != NULL; i++)
			(void)json_array_append_new(argv,
			    json_string(c->argv[i]));
	session_emit(s, UIEV_APPROVAL_REQUEST, json_pack("{s:s, s:s, s:s?, "
	    "s:s, s:s?, s:O?, s:s?, s:s?, s:o?}", "call_id", c->call_id,
	    "kind", what == ASK_PATCH ? "patch" : "exec", "command",
	    c->display, "cwd", c->cwd, "reason", reason != NULL &&
	    *reason != '\0' ? reason : NULL, "changes", c->changes, "patch",
	    c->patch_text, "justification", c->justification, "argv", argv));
}

/*
 * The answer to an approval request: approved, approved_for_session,
 * denied or abort.  Anything else counts as denied.
 */
void
session_approval(struct session *s, const char *call_id,
    const char *decision)
{
	struct call	*c = s->running;
	int		 what, yes;

	if (c == NULL || c->asking == 0 || strcmp(c->call_id, call_id) != 0)
		return;		/* stale: the turn moved on */
	what = c->asking;
	c->asking = 0;
	if (strcmp(decision, "abort") == 0) {
		session_interrupt(s);
		return;
	}
	yes = strcmp(decision, "approved") == 0 ||
	    strcmp(decision, "approved_for_session") == 0;
	if (yes && strcmp(decision, "approved_for_session") == 0 &&
	    c->argv != NULL)
		(void)approval_cache_add(&s->approved, c->argv);
	if (!yes) {
		if (what == ASK_PATCH)
			session_call_done(s, c, "patch rejected by user");
		else
			shell_refuse(s, c, "rejected by user");
		return;
	}
	if (what == ASK_PATCH)
		patch_send(s, c);
	else
		shell_run(s, c, what == ASK_EXEC && !c->escalate);
}

static void
exec_output(void *arg, int stream, const char *buf, size_t len)
{
	struct call	*c = arg;
	size_t		 n = len;
	char		*nb;

	if (c->outlen + n > CALL_OUTPUT_MAX)
		n = CALL_OUTPUT_MAX - c->outlen;
	/*
	 * Past the cap nothing more goes to the front end either: a command
	 * can print faster than ui renders, and every chunk forwarded would
	 * wait in our queue to ui (1 GiB of output grew this process to over
	 * 300 MB).  Codex caps its output deltas per call the same way.
	 */
	if (n == 0)
		return;
	if ((nb = realloc(c->out, c->outlen + n + 1)) == NULL)
		fatal(NULL);
	c->out = nb;
	memcpy(c->out + c->outlen, buf, n);
	c->outlen += n;
	c->out[c->outlen] = '\0';
	session_emit(c->sess, UIEV_EXEC_OUTPUT, json_pack("{s:s, s:s, s:s%}",
	    "call_id", c->call_id, "stream", stream == EXEC_STDOUT ? "stdout" :
	    "stderr", "chunk", buf, n));
}

static void
exec_end(void *arg, const struct msg_exec_end *me)
{
	struct call	*c = arg;
	char		*text;

	c->exec_id = 0;
	if (c->sandboxed && me->denied && c->sess->p.can_ask &&
	    approval_ask_after_denial(c->sess->p.cfg->approval_policy)) {
		c->sandboxed = 0;
		ask(c->sess, c, ASK_RERUN, "the command failed in the sandbox; "
		    "run it again without the sandbox?");
		return;
	}
	session_emit(c->sess, UIEV_EXEC_END, json_pack("{s:s, s:s, s:i, s:i, s:s%, "
	    "s:b, s:b}", "call_id", c->call_id, "command", c->display,
	    "exit_code", me->exit_code, "duration_ms", me->duration_ms,
	    "aggregated_output", c->out != NULL ? c->out : "", c->outlen,
	    "timed_out", me->timed_out != 0, "declined", 0));
	text = result_text(c->sess, me->exit_code, me->duration_ms / 1000.0,
	    c->out != NULL ? c->out : "", c->outlen, me->timed_out ?
	    (int)c->timeout_ms : 0);
	session_call_done(c->sess, c, text);
	free(text);
}

/*
 * An apply_patch call: parsed here to show it and to check its paths,
 * applied by execproc in a sandboxed child.
 */
static void
patch_start(struct session *s, struct call *c, const char *text,
    const char *cd)
{
	struct approval_result	 res;
	struct patch_hunk	*h;
	struct patch		*pt;
	char			 err[1024], *base, *abs, *paths[256];
	size_t			 npaths = 0, i;
	int			 within = 1;

	if (c->cwd == NULL)
		c->cwd = call_workdir(s, NULL);
	base = cd != NULL ? call_workdir(s, cd) : strdup(c->cwd);
	if (base == NULL)
		fatal(NULL);
	if (text == NULL || (pt = patch_parse(text, strlen(text), err,
	    sizeof(err))) == NULL) {
		char	*m;

		if (asprintf(&m, "apply_patch verification failed: %s",
		    text == NULL ? "no patch given" : err) == -1)
			fatal(NULL);
		session_call_done(s, c, m);
		free(m);
		free(base);
		return;
	}
	if ((c->changes = json_array()) == NULL)
		fatal(NULL);
	TAILQ_FOREACH(h, &pt->hunks, entry) {
		const char	*kind = h->kind == PATCH_ADD ? "add" :
		    h->kind == PATCH_DELETE ? "delete" : "update";

		if (asprintf(&abs, "%s%s%.*s", h->path.len > 0 &&
		    h->path.s[0] == '/' ? "" : base, h->path.len > 0 &&
		    h->path.s[0] == '/' ? "" : "/", (int)h->path.len,
		    h->path.s) == -1)
			fatal(NULL);
		if (npaths < sizeof(paths) / sizeof(paths[0]) &&
		    (paths[npaths++] = strndup(h->path.s, h->path.len)) == NULL)
			fatal(NULL);
		if (npaths == sizeof(paths) / sizeof(paths[0]))
			within = 0;	/* too many to check: ask */
		(void)json_array_append_new(c->changes, json_pack("{s:s, s:s}",
		    "path", abs, "kind", kind));
		free(abs);
	}
	patch_free(pt);
	if (!approval_within_roots(base, s->p.policy->roots,
	    s->p.policy->nroots, paths, npaths))
		within = 0;
	for (i = 0; i < npaths; i++)
		free(paths[i]);
	(void)approval_patch(s->p.cfg->approval_policy, s->p.cfg->sandbox_mode,
	    within, &res);
	if ((c->patch_text = strdup(text)) == NULL)
		fatal(NULL);
	c->patch_base = base;
	if (res.verdict == APPROVAL_ASK && s->p.can_ask) {
		ask(s, c, ASK_PATCH, res.reason);
		return;
	}
	if (res.verdict == APPROVAL_REFUSE || res.verdict == APPROVAL_ASK) {
		char	*m;

		if (asprintf(&m, "patch rejected: %s", res.reason[0] ?
		    res.reason : "writing outside of the project") == -1)
			fatal(NULL);
		session_call_done(s, c, m);
		free(m);
		return;
	}
	patch_send(s, c);
}

/* Hand an approved patch to execproc. */
static void
patch_send(struct session *s, struct call *c)
{
	json_t	*req;

	session_emit(s, UIEV_PATCH_BEGIN, json_pack("{s:s, s:O, s:s?}",
	    "call_id", c->call_id, "changes", c->changes, "patch",
	    c->patch_text));
	req = sandbox_req(s, "patch", c->patch_text, c->patch_base);
	c->exec_id = execclient_patch(&children[PROC_EXECPROC].peer, req,
	    patch_end, c);
	json_decref(req);
}

static void
patch_end(void *arg, json_t *res)
{
	struct call	*c = arg;
	const char	*out = json_string_value(json_object_get(res, "output"));
	int		 ok = json_is_true(json_object_get(res, "success"));
	char		*text;

	c->exec_id = 0;
	if (out == NULL)
		out = "";
	session_emit(c->sess, UIEV_PATCH_END, json_pack("{s:s, s:O, s:b, s:s}",
	    "call_id", c->call_id, "changes", c->changes, "success", ok,
	    "output", out));
	text = result_text(c->sess, ok ? 0 : 1, elapsed(&c->start), out,
	    strlen(out), 0);
	session_call_done(c->sess, c, text);
	free(text);
}

/* A request for a sandboxed child of execproc: a patch or an image. */
static json_t *
sandbox_req(struct session *s, const char *what, const char *arg,
    const char *workdir)
{
	json_t	*req;
	size_t	 i;

	req = json_pack("{s:s, s:s, s:i, s:b, s:[]}", what, arg, "workdir",
	    workdir, "mode", s->p.policy->mode, "network",
	    s->p.policy->network, "roots");
	if (req == NULL)
		fatal(NULL);
	for (i = 0; i < s->p.policy->nroots; i++)
		(void)json_array_append_new(json_object_get(req, "roots"),
		    json_string(s->p.policy->roots[i]));
	return req;
}

/*
 * view_image: execproc reads the file in a child confined as a command
 * is, and the model gets it as an input_image content item.
 */
static void
view_image(struct session *s, struct call *c)
{
	char	 err[TOOLS_ERR_MAX], *path, *abs;
	json_t	*req;

	if (tools_parse_view_image(call_arguments(c), &path, err,
	    sizeof(err)) == -1) {
		session_call_done(s, c, err);
		return;
	}
	c->cwd = call_workdir(s, NULL);
	abs = call_workdir(s, path);
	free(path);
	req = sandbox_req(s, "image", abs, c->cwd);
	c->exec_id = execclient_patch(&children[PROC_EXECPROC].peer, req,
	    image_end, c);
	json_decref(req);
	free(abs);
}

static void
image_end(void *arg, json_t *res)
{
	struct call	*c = arg;
	const char	*out = json_string_value(json_object_get(res, "output"));

	c->exec_id = 0;
	if (out == NULL)
		out = "view_image failed";
	if (!json_is_true(json_object_get(res, "success"))) {
		session_call_done(c->sess, c, out);
		return;
	}
	session_call_done_json(c->sess, c, json_pack("[{s:s, s:s}]", "type",
	    "input_image", "image_url", out));
}

static void
plan_update(struct session *s, struct call *c)
{
	struct tool_plan	 tp;
	char			 err[TOOLS_ERR_MAX];
	json_t			*plan;
	size_t			 i;

	if (tools_parse_plan(call_arguments(c), &tp, err, sizeof(err)) == -1) {
		session_call_done(s, c, err);
		return;
	}
	if ((plan = json_array()) == NULL)
		fatal(NULL);
	for (i = 0; i < tp.nsteps; i++)
		(void)json_array_append_new(plan, json_pack("{s:s, s:s}",
		    "step", tp.steps[i].step, "status",
		    plan_status_name(tp.steps[i].status)));
	session_emit(s, UIEV_PLAN_UPDATE, json_pack("{s:s?, s:o}",
	    "explanation", tp.explanation, "plan", plan));
	tools_plan_free(&tp);
	session_call_done(s, c, "Plan updated");
}

/* Kill what runs for the session's current call. */
void
toolrun_interrupt(struct session *s)
{
	if (s->running != NULL && s->running->exec_id != 0)
		execclient_kill(&children[PROC_EXECPROC].peer,
		    s->running->exec_id);
}

/* The text the model gets for a finished command or patch. */
static char *
result_text(struct session *s, int code, double secs, const char *out,
    size_t len, int timeout_ms)
{
	struct output_result	 r;
	char			*t;

	memset(&r, 0, sizeof(r));
	r.exit_code = code;
	r.wall_seconds = secs;
	r.text = out;
	r.len = len;
	r.timed_out = timeout_ms != 0;
	r.timeout_ms = timeout_ms;
	if ((t = output_format(&r, output_budget(
	    s->p.cfg->tool_output_token_limit), OUTPUT_UNIT_TOKENS, NULL)) ==
	    NULL)
		fatal(NULL);
	return t;
}

static double
elapsed(const struct timespec *t0)
{
	struct timespec	 now;

	(void)clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - t0->tv_sec) + (now.tv_nsec - t0->tv_nsec) / 1e9;
}

/* argv as a shell would need it typed, for display: 'a b' "it's". */
static char *
shell_join(char *const *argv)
{
	char	*out = NULL, *t;
	size_t	 i;

	for (i = 0; argv[i] != NULL; i++) {
		const char	*a = argv[i];
		int		 plain = *a != '\0' &&
		    strspn(a, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTU"
		    "VWXYZ0123456789-_./=:,+@%") == strlen(a);
		char		*q = NULL, *qp;
		const char	*p;

		if (!plain) {
			if ((q = malloc(strlen(a) * 4 + 3)) == NULL)
				fatal(NULL);
			qp = q;
			*qp++ = '\'';
			for (p = a; *p != '\0'; p++) {
				if (*p == '\'') {
					memcpy(qp, "'\\''", 4);
					qp += 4;
				} else
					*qp++ = *p;
			}
			*qp++ = '\'';
			*qp = '\0';
		}
		if (asprintf(&t, "%s%s%s", out ? out : "", out ? " " : "",
		    plain ? a : q) == -1)
			fatal(NULL);
		free(q);
		free(out);
		out = t;
	}
	return out != NULL ? out : strdup("");
}
