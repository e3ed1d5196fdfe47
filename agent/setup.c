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
#include <fcntl.h>
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
#include "agent/gitinfo.h"
#include "agent/rollout.h"
#include "agent/setup.h"
#include "imsg/log.h"
#include "sandbox/policy.h"


/*
 * The session's sandbox, from the configuration.  Returns -1 with a
 * message in ebuf when the configuration cannot be a policy.
 */
int
setup_policy(const struct config *cfg, const char *cwd, struct policy *pol,
    char *ebuf, size_t elen)
{
	size_t	 i;

	if (policy_init(pol, cfg->sandbox_mode, cwd) == -1)
		fatal(NULL);
	pol->network = cfg->sandbox_workspace_write.network_access;
	pol->exclude_slash_tmp = cfg->sandbox_workspace_write.exclude_slash_tmp;
	pol->exclude_tmpdir_env_var =
	    cfg->sandbox_workspace_write.exclude_tmpdir_env_var;
	for (i = 0; i < cfg->sandbox_workspace_write.writable_roots.n; i++)
		if (policy_add_root(pol,
		    cfg->sandbox_workspace_write.writable_roots.v[i]) == -1) {
			(void)snprintf(ebuf, elen, "too many writable roots");
			return -1;
		}
	return policy_resolve(pol, getenv("TMPDIR"), ebuf, elen);
}

/* A policy of the given mode with no configured extras (full, read-only). */
int
setup_policy_mode(int mode, const char *cwd, struct policy *pol,
    char *ebuf, size_t elen)
{
	if (policy_init(pol, mode, cwd) == -1)
		fatal(NULL);
	pol->network = mode == POLICY_FULL_ACCESS;
	return policy_resolve(pol, getenv("TMPDIR"), ebuf, elen);
}

/*
 * execproc's arguments: the widest policy the session can ever grant,
 * which execproc confines itself to before it reads its channel.
 */
void
setup_execproc_argv(const struct policy *wide, char **xargv, size_t max)
{
	size_t	 i, n = 0;

	xargv[n++] = "-s";
	xargv[n++] = (char *)policy_mode_name(wide->mode);
	if (wide->network)
		xargv[n++] = "-N";
	xargv[n++] = "-C";
	xargv[n++] = wide->cwd;
	for (i = 0; i < wide->nroots && n + 3 < max; i++) {
		xargv[n++] = "-w";
		xargv[n++] = wide->roots[i];
	}
	xargv[n] = NULL;
}

/* Commands' environment, from shell_environment_policy. */
char **
setup_env(const struct config *cfg, const struct policy *pol)
{
	extern char		**environ;
	static struct envpolicy	 ep;
	char			**env, *kv;
	size_t			 i;

	envpolicy_init(&ep);
	ep.inherit = cfg->shell_environment_policy.inherit;
	ep.ignore_default_excludes =
	    cfg->shell_environment_policy.ignore_default_excludes;
	for (i = 0; i < cfg->shell_environment_policy.exclude.n &&
	    i < ENV_MAX_PATTERNS; i++)
		ep.exclude[ep.nexclude++] =
		    cfg->shell_environment_policy.exclude.v[i];
	for (i = 0; i < cfg->shell_environment_policy.include_only.n &&
	    i < ENV_MAX_PATTERNS; i++)
		ep.include_only[ep.ninclude++] =
		    cfg->shell_environment_policy.include_only.v[i];
	for (i = 0; i < cfg->shell_environment_policy.set.n &&
	    i < ENV_MAX_PATTERNS; i++) {
		if (asprintf(&kv, "%s=%s",
		    cfg->shell_environment_policy.set.v[i].key,
		    cfg->shell_environment_policy.set.v[i].value) == -1)
			err(1, NULL);
		ep.set[ep.nset++] = kv;
	}
	if ((env = env_build(&ep, environ, pol)) == NULL)
		err(1, "environment");
	return env;
}

/*
 * A UUIDv7 for the session: 48 bits of Unix milliseconds, then random
 * bits with the version and variant set, so ids sort by time as Codex's
 * do.
 */
void
setup_thread_id(char *buf, size_t len)
{
	struct timespec	 ts;
	unsigned char	 b[16];
	uint64_t	 ms;
	int		 i;

	if (clock_gettime(CLOCK_REALTIME, &ts) == -1)
		err(1, "clock_gettime");
	ms = (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	arc4random_buf(b, sizeof(b));
	for (i = 0; i < 6; i++)
		b[i] = ms >> (40 - 8 * i);
	b[6] = 0x70 | (b[6] & 0x0f);
	b[8] = 0x80 | (b[8] & 0x3f);
	(void)snprintf(buf, len, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x%02x%02x%02x%02x", b[0], b[1], b[2], b[3], b[4], b[5],
	    b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

/* $CODEX_HOME/history.jsonl for appending prompts, or -1. */
int
setup_histfd(const struct config *cfg)
{
	char	 hist[PATH_MAX];
	int	 fd;

	if (cfg->history.persistence == CONFIG_HISTORY_NONE)
		return -1;
	if (snprintf(hist, sizeof(hist), "%s/history.jsonl",
	    opts.codex_home) >= (int)sizeof(hist))
		errx(1, "CODEX_HOME too long");
	if ((fd = open(hist, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC |
	    O_NOFOLLOW, 0600)) == -1)
		log_warn("%s", hist);
	return fd;
}

/*
 * Append one line of len bytes to history.jsonl in a single write(2).
 * If the disk fills up and the kernel takes only part of it, that part
 * is cut off again: left there, the next prompt would be glued onto it
 * and both lines would be lost to every reader.  Failures are reported
 * with the file's name; returns -1 with errno set.
 */
int
setup_histwrite(int fd, const char *line, size_t len)
{
	struct stat	 st;
	ssize_t		 n;
	int		 e;

	do {
		n = write(fd, line, len);
	} while (n == -1 && errno == EINTR);
	if (n >= 0 && (size_t)n == len)
		return 0;
	e = n == -1 ? errno : ENOSPC;
	/* O_APPEND put our bytes at the end, unless a writer came since. */
	if (n > 0) {
		if (fstat(fd, &st) == -1)
			e = errno;
		else if (st.st_size >= n &&
		    ftruncate(fd, st.st_size - n) == -1)
			e = errno;
	}
	log_warnx("cannot write %s/history.jsonl: %s", opts.codex_home,
	    strerror(e));
	errno = e;
	return -1;
}

/*
 * A new rollout file with its session_meta for a session in cwd (base:
 * its base instructions, NULL for ours).  Best done before the parent is
 * confined, while it may still read the repository's git metadata.
 * Returns NULL with a message in ebuf on failure.
 */
struct rollout *
setup_rollout(const struct config *cfg, const char *cwd,
    const char *thread_id, const char *source, const char *originator,
    const char *base, char *ebuf, size_t elen)
{
	struct rollout_meta	 rm;
	struct rollout		*r;
	struct gitinfo		 gi;
	struct timespec		 now;
	json_t			*meta;
	int			 git;

	memset(&gi, 0, sizeof(gi));
	git = gitinfo_read(cwd, &gi) == 0;
	memset(&rm, 0, sizeof(rm));
	rm.id = thread_id;
	rm.cwd = cwd;
	rm.originator = originator;
	rm.cli_version = OCODEX_VERSION;
	rm.source = source;
	rm.model_provider = config_provider(cfg)->id;
	rm.base_instructions = base != NULL ? base :
	    context_base_instructions();
	rm.git = git ? &gi : NULL;
	if ((meta = rollout_session_meta(&rm)) == NULL)
		fatalx("cannot build the session record");
	if (git)
		gitinfo_free(&gi);
	if (clock_gettime(CLOCK_REALTIME, &now) == -1)
		fatal("clock_gettime");
	r = rollout_create(opts.codex_home, thread_id, &now, meta, ebuf, elen);
	json_decref(meta);
	return r;
}

/*
 * A session killed while a tool call ran has the call in its history but
 * not its output, which the model's API refuses.  Such calls get an
 * output saying what happened, added where the output would have been.
 */
void
setup_close_calls(json_t *items)
{
	json_t		*it, *o, *done;
	const char	*type, *id;
	size_t		 i;

	if ((done = json_object()) == NULL)
		err(1, NULL);
	json_array_foreach(items, i, it) {
		type = json_string_value(json_object_get(it, "type"));
		id = json_string_value(json_object_get(it, "call_id"));
		if (type != NULL && id != NULL && strstr(type, "_output") != NULL)
			(void)json_object_set_new(done, id, json_true());
	}
	for (i = 0; i < json_array_size(items); i++) {
		it = json_array_get(items, i);
		type = json_string_value(json_object_get(it, "type"));
		id = json_string_value(json_object_get(it, "call_id"));
		if (type == NULL || id == NULL || json_object_get(done, id) ||
		    (strcmp(type, "function_call") != 0 &&
		    strcmp(type, "custom_tool_call") != 0))
			continue;
		o = json_pack("{s:s, s:s, s:s}", "type", type[0] == 'c' ?
		    "custom_tool_call_output" : "function_call_output",
		    "call_id", id, "output", "aborted: the session ended "
		    "before this call finished");
		if (o == NULL || json_array_insert_new(items, i + 1, o) == -1)
			err(1, NULL);
		(void)json_object_set_new(done, id, json_true());
	}
	json_decref(done);
}

/* The rollout to resume: the newest here, by id or prefix, or a path. */
static void
resume_path(const char *id, int last, char *path, size_t len)
{
	struct rollout_entries	 list;
	struct rollout_entry	*e;
	char			 ebuf[1024];

	if (last) {
		TAILQ_INIT(&list);
		if (rollout_list(opts.codex_home, opts.cwd, 1, &list) == -1 ||
		    (e = TAILQ_FIRST(&list)) == NULL)
			errx(1, "no session to resume in %s", opts.cwd);
		if (strlcpy(path, e->path, len) >= len)
			errx(1, "path too long");
		rollout_list_free(&list);
	} else if (strchr(id, '/') != NULL) {
		if (strlcpy(path, id, len) >= len)
			errx(1, "path too long");
	} else if (rollout_find(opts.codex_home, id, path, len, ebuf,
	    sizeof(ebuf)) == -1)
		errx(1, "%s", ebuf);
}

/*
 * Resume a session: its history (with cut-off calls closed), its id in
 * thread_id, its model unless one was chosen, and its rollout opened
 * for appending (not with ephemeral).
 */
json_t *
setup_resume(struct config *cfg, const char *id, int last, int ephemeral,
    char *thread_id, size_t tlen, struct rollout **r)
{
	struct rollout_data	 rd;
	const char		*tid, *model;
	char			 path[PATH_MAX], ebuf[1024];
	json_t			*items;

	resume_path(id, last, path, sizeof(path));
	memset(&rd, 0, sizeof(rd));
	if (rollout_read(path, &rd, ebuf, sizeof(ebuf)) == -1)
		errx(1, "%s: %s", path, ebuf);
	if ((tid = json_string_value(json_object_get(rd.meta, "id"))) == NULL ||
	    strlcpy(thread_id, tid, tlen) >= tlen)
		errx(1, "%s: the session has no id", path);
	model = json_string_value(json_object_get(rd.turn_context, "model"));
	if (model != NULL && !cfg->model_explicit &&
	    config_set_model(cfg, model, ebuf, sizeof(ebuf)) == -1)
		errx(1, "%s", ebuf);
	items = json_incref(rd.items);
	rollout_data_free(&rd);
	setup_close_calls(items);
	*r = NULL;
	if (!ephemeral && (*r = rollout_open_append(path, ebuf,
	    sizeof(ebuf))) == NULL)
		errx(1, "%s: %s", path, ebuf);
	return items;
}

/*
 * The command line's session flags over the loaded configuration, in
 * the cwd: -m, --oss, -s and -a first, then --full-auto (workspace-write
 * unless -s said otherwise, and on-request approval where it asks and -a
 * said nothing), then the bypass flag over all.  A bad value is a usage
 * error, exit 2.
 */
void
setup_config_flags(struct config *cfg, const char *cwd,
    const struct setup_flags *f)
{
	char	 ebuf[1024];

	if ((f->model != NULL && config_set_model(cfg, f->model, ebuf,
	    sizeof(ebuf)) == -1) || (f->oss && config_set_oss(cfg, ebuf,
	    sizeof(ebuf)) == -1) || config_set_cwd(cfg, cwd, ebuf,
	    sizeof(ebuf)) == -1 || (f->sandbox != NULL &&
	    config_set_sandbox(cfg, f->sandbox, ebuf, sizeof(ebuf)) == -1) ||
	    (f->approval != NULL && config_set_approval(cfg, f->approval, ebuf,
	    sizeof(ebuf)) == -1))
		errx(2, "%s", ebuf);
	if (f->full_auto) {
		if (f->sandbox == NULL)
			cfg->sandbox_mode = CONFIG_SANDBOX_WORKSPACE_WRITE;
		if (f->full_auto_asks && f->approval == NULL)
			cfg->approval_policy = CONFIG_APPROVAL_ON_REQUEST;
	}
	if (f->yolo) {
		cfg->sandbox_mode = CONFIG_SANDBOX_DANGER_FULL_ACCESS;
		cfg->approval_policy = CONFIG_APPROVAL_NEVER;
	}
}

/* --color, then NO_COLOR, then whether standard error is a terminal. */
int
setup_want_color(const char *c)
{
	const char	*nc = getenv("NO_COLOR");

	if (c != NULL && strcmp(c, "always") == 0)
		return 1;
	if (c != NULL && strcmp(c, "never") == 0)
		return 0;
	if (nc != NULL && *nc != '\0')
		return 0;
	return isatty(STDERR_FILENO);
}
