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
 * Loading the configuration: defaults, then config.toml, then the
 * selected profile, then the -c overrides, each layer applied in turn to
 * one struct config by the key tables of config-keys.c.  The flags of
 * the command line come last, through the setters at the end.
 */

#include <sys/queue.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent/config.h"
#include "agent/config-int.h"
#include "agent/toml.h"

static int	 config_defaults(struct config *, const char *, char *, size_t);
static int	 read_file(const char *, struct toml **, char *, size_t);
static int	 read_all(int, const char *, char **, size_t *, char *, size_t);
static int	 parse_overrides(char **, int, struct toml **, char *, size_t);
static int	 parse_override(struct toml *, const char *, char *, size_t);
static struct toml *override_value(const char *);
static struct toml *string_node(const char *, size_t);
static int	 select_profile(const struct config *, const struct toml *,
		    const struct toml *, const char *, const char **, char *,
		    size_t);
static int	 profile_name(const struct toml *, const char *, const char **,
		    char *, size_t);
static int	 apply_layers(struct config *, const struct toml *,
		    const struct toml *, const char *, char *, size_t);
static int	 apply_profile(struct cfgctx *, struct config *,
		    const struct toml *, const char *);
static int	 check_profiles(struct cfgctx *, const struct toml *,
		    const char *);
static int	 set_enum(int *, const char *const *, const char *,
		    const char *, char *, size_t);

/*
 * The struct need not be initialised.  Whatever happens, the caller may
 * call config_free() afterwards.
 */
int
config_load(struct config *cfg, const char *codex_home, const char *profile,
    char **overrides, int noverrides, char *err, size_t errlen)
{
	struct toml	*file = NULL, *over = NULL;
	const char	*sel = NULL;
	int		 rc = -1;

	if (config_defaults(cfg, codex_home, err, errlen) == -1 ||
	    read_file(cfg->path, &file, err, errlen) == -1 ||
	    parse_overrides(overrides, noverrides, &over, err, errlen) == -1 ||
	    select_profile(cfg, file, over, profile, &sel, err, errlen) == -1 ||
	    apply_layers(cfg, file, over, sel, err, errlen) == -1 ||
	    provider_finish(cfg, err, errlen) == -1)
		goto done;
	rc = 0;
done:
	toml_free(file);
	toml_free(over);
	if (rc == -1)
		config_free(cfg);
	return rc;
}

void
config_free(struct config *cfg)
{
	struct provider	*p, *tp;

	free(cfg->codex_home);
	free(cfg->path);
	free(cfg->profile);
	free(cfg->cwd);
	free(cfg->model);
	free(cfg->model_provider);
	free(cfg->oss_provider);
	strlist_free(&cfg->sandbox_workspace_write.writable_roots);
	strlist_free(&cfg->shell_environment_policy.exclude);
	kvlist_free(&cfg->shell_environment_policy.set);
	strlist_free(&cfg->shell_environment_policy.include_only);
	strlist_free(&cfg->notify);
	strlist_free(&cfg->project_doc_fallback_filenames);
	TAILQ_FOREACH_SAFE(p, &cfg->providers, entry, tp)
		provider_free(p);
	memset(cfg, 0, sizeof(*cfg));
	TAILQ_INIT(&cfg->providers);
}

/* Codex's defaults, for everything config.toml may leave out. */
static int
config_defaults(struct config *cfg, const char *codex_home, char *err,
    size_t errlen)
{
	char	 cwd[PATH_MAX];

	memset(cfg, 0, sizeof(*cfg));
	TAILQ_INIT(&cfg->providers);
	if (getcwd(cwd, sizeof(cwd)) == NULL) {
		(void)snprintf(err, errlen, "getcwd: %s", strerror(errno));
		return -1;
	}
	if (asprintf(&cfg->path, "%s/config.toml", codex_home) == -1)
		cfg->path = NULL;
	if (cfg->path == NULL ||
	    (cfg->codex_home = strdup(codex_home)) == NULL ||
	    (cfg->cwd = strdup(cwd)) == NULL ||
	    (cfg->model = strdup(CONFIG_DEFAULT_MODEL)) == NULL ||
	    (cfg->model_provider = strdup(CONFIG_DEFAULT_PROVIDER)) == NULL) {
		(void)snprintf(err, errlen, "out of memory");
		return -1;
	}
	cfg->model_context_window = -1;
	cfg->model_auto_compact_token_limit = -1;
	cfg->model_max_output_tokens = -1;
	cfg->tool_output_token_limit = -1;
	cfg->approval_policy = CONFIG_APPROVAL_ON_REQUEST;
	cfg->sandbox_mode = CONFIG_SANDBOX_READ_ONLY;
	cfg->shell_environment_policy.inherit = CONFIG_INHERIT_ALL;
	cfg->shell_environment_policy.ignore_default_excludes = 0;
	cfg->project_doc_max_bytes = CONFIG_PROJECT_DOC_MAX_BYTES;
	cfg->history.persistence = CONFIG_HISTORY_SAVE_ALL;
	cfg->history.max_bytes = -1;
	cfg->file_opener = CONFIG_OPENER_VSCODE;
	return provider_builtins(cfg, err, errlen);
}

/*
 * Parse config.toml.  A missing file is an empty configuration; any
 * other failure is an error, never a quiet fall back to the defaults.
 */
static int
read_file(const char *path, struct toml **tp, char *err, size_t errlen)
{
	struct toml_error	 te;
	char			*buf = NULL;
	size_t			 len = 0;
	int			 fd;

	*tp = NULL;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		if (errno == ENOENT)
			return 0;
		(void)snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (read_all(fd, path, &buf, &len, err, errlen) == -1) {
		(void)close(fd);
		return -1;
	}
	(void)close(fd);
	memset(&te, 0, sizeof(te));
	if ((*tp = toml_parse(buf, len, &te)) == NULL) {
		if (te.line > 0)
			(void)snprintf(err, errlen, "%s:%d:%d: %s", path,
			    te.line, te.column, te.msg);
		else
			(void)snprintf(err, errlen, "%s: %s", path, te.msg);
	}
	free(buf);
	return *tp == NULL ? -1 : 0;
}

static int
read_all(int fd, const char *path, char **bufp, size_t *lenp, char *err,
    size_t errlen)
{
	struct stat	 sb;
	char		*buf;
	size_t		 len = 0, cap;
	ssize_t		 n = 0;

	if (fstat(fd, &sb) == -1) {
		(void)snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (!S_ISREG(sb.st_mode) || sb.st_size > CONFIG_FILE_MAX) {
		(void)snprintf(err, errlen, "%s: not a regular file of at "
		    "most %d bytes", path, CONFIG_FILE_MAX);
		return -1;
	}
	/* One byte more than fstat(2) said tells a file that grew since. */
	cap = (size_t)sb.st_size + 1;
	if ((buf = malloc(cap)) == NULL) {
		(void)snprintf(err, errlen, "out of memory");
		return -1;
	}
	while (len < cap) {
		n = read(fd, buf + len, cap - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += n;
	}
	if (n == -1 || len == cap) {
		(void)snprintf(err, errlen, "%s: %s", path, n == -1 ?
		    strerror(errno) : "file changed while being read");
		free(buf);
		return -1;
	}
	*bufp = buf;
	*lenp = len;
	return 0;
}

/* Gather every `-c key.path=value' into one tree of their own. */
static int
parse_overrides(char **ov, int nov, struct toml **tp, char *err,
    size_t errlen)
{
	struct toml_error	 te;
	int			 i;

	if ((*tp = toml_parse("", 0, &te)) == NULL) {
		(void)snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (i = 0; i < nov; i++)
		if (parse_override(*tp, ov[i], err, errlen) == -1)
			return -1;
	return 0;
}

static int
parse_override(struct toml *root, const char *arg, char *err, size_t errlen)
{
	struct toml_error	 te;
	struct toml		*val;
	const char		*eq;
	char			*key;
	size_t			 b, e;

	if ((eq = strchr(arg, '=')) == NULL) {
		(void)snprintf(err, errlen, "-c '%s': expected key=value", arg);
		return -1;
	}
	for (b = 0; arg[b] == ' ' || arg[b] == '\t'; b++)
		;
	for (e = eq - arg; e > b && (arg[e - 1] == ' ' || arg[e - 1] == '\t');
	    e--)
		;
	if (e == b) {
		(void)snprintf(err, errlen, "-c '%s': empty key", arg);
		return -1;
	}
	if ((key = strndup(arg + b, e - b)) == NULL ||
	    (val = override_value(eq + 1)) == NULL) {
		(void)snprintf(err, errlen, key == NULL ? "out of memory" :
		    "-c '%s': the value is not valid UTF-8", arg);
		free(key);
		return -1;
	}
	memset(&te, 0, sizeof(te));
	if (toml_set(root, key, val, &te) == -1) {
		(void)snprintf(err, errlen, "-c '%s': bad key: %s", arg,
		    te.msg);
		toml_free(val);
		free(key);
		return -1;
	}
	free(key);
	return 0;
}

/*
 * The value is TOML if it parses as such (true, 3, "[\"a\"]", ...),
 * else, as Codex has it, the text itself with blanks and quotes at its
 * ends taken off: -c model=o3 means the string "o3".
 */
static struct toml *
override_value(const char *s)
{
	struct toml	*v;
	size_t		 b, e;

	if ((v = toml_parse_value(s, strlen(s), NULL)) != NULL)
		return v;
	for (b = 0; s[b] != '\0' && strchr(" \t\"'", s[b]) != NULL; b++)
		;
	for (e = strlen(s); e > b && strchr(" \t\"'", s[e - 1]) != NULL; e--)
		;
	return string_node(s + b, e - b);
}

/* A TOML string node holding s, made by quoting s as a basic string. */
static struct toml *
string_node(const char *s, size_t len)
{
	struct toml	*v;
	char		*q;
	size_t		 i, o = 0;

	if ((q = reallocarray(NULL, len + 1, 6)) == NULL)
		return NULL;
	q[o++] = '"';
	for (i = 0; i < len; i++) {
		if (s[i] == '"' || s[i] == '\\') {
			q[o++] = '\\';
			q[o++] = s[i];
		} else if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) {
			(void)snprintf(q + o, 7, "\\u%04x", (unsigned char)s[i]);
			o += 6;
		} else
			q[o++] = s[i];
	}
	q[o++] = '"';
	v = toml_parse_value(q, o, NULL);
	free(q);
	return v;
}

/*
 * The profile in use: -p, else `profile' from -c, else from the file.
 * Naming one that neither the file nor -c defines is an error.
 */
static int
select_profile(const struct config *cfg, const struct toml *file,
    const struct toml *over, const char *arg, const char **selp, char *err,
    size_t errlen)
{
	const char	*name = arg;
	const char	*path[2];

	*selp = NULL;
	if (name == NULL &&
	    (profile_name(over, "-c", &name, err, errlen) == -1 ||
	    (name == NULL &&
	    profile_name(file, cfg->path, &name, err, errlen) == -1)))
		return -1;
	if (name == NULL)
		return 0;
	path[0] = "profiles";
	path[1] = name;
	if (toml_type(toml_getv(file, path, 2)) != TOML_TABLE &&
	    toml_type(toml_getv(over, path, 2)) != TOML_TABLE) {
		(void)snprintf(err, errlen, "%s: profile '%s' not found",
		    cfg->path, name);
		return -1;
	}
	*selp = name;
	return 0;
}

static int
profile_name(const struct toml *root, const char *src, const char **namep,
    char *err, size_t errlen)
{
	struct toml	*v;
	const char	*s;
	size_t		 len;

	*namep = NULL;
	if ((v = toml_table_get(root, "profile")) == NULL)
		return 0;
	if ((s = toml_string(v, &len)) == NULL ||
	    toml_type(v) != TOML_STRING || strlen(s) != len) {
		(void)snprintf(err, errlen, "%s: 'profile' must be a string",
		    src);
		return -1;
	}
	*namep = s;
	return 0;
}

/*
 * The file, then its profile, then -c's changes to that profile, then
 * the rest of -c: so a -c always wins, and a profile beats the top of
 * the file.  Profiles not in use are checked too, so that a mistake in
 * one shows before the day it is selected.
 */
static int
apply_layers(struct config *cfg, const struct toml *file,
    const struct toml *over, const char *sel, char *err, size_t errlen)
{
	struct cfgctx	 fctx, cctx;

	fctx.src = cfg->path;
	fctx.base = cfg->codex_home;
	fctx.inprofile = 0;
	fctx.err = err;
	fctx.errlen = errlen;
	cctx = fctx;
	cctx.src = "-c";
	cctx.base = cfg->cwd;
	if (file != NULL &&
	    (cfg_walk(&fctx, cfg_root_keys, cfg, file, "") == -1 ||
	    check_profiles(&fctx, file, sel) == -1 ||
	    apply_profile(&fctx, cfg, file, sel) == -1))
		return -1;
	if (check_profiles(&cctx, over, sel) == -1 ||
	    apply_profile(&cctx, cfg, over, sel) == -1 ||
	    cfg_walk(&cctx, cfg_root_keys, cfg, over, "") == -1)
		return -1;
	free(cfg->profile);
	cfg->profile = NULL;
	if (sel != NULL && (cfg->profile = strdup(sel)) == NULL) {
		(void)snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

static int
apply_profile(struct cfgctx *ctx, struct config *cfg,
    const struct toml *root, const char *sel)
{
	const char	*path[2];
	struct toml	*t;
	char		 kp[CFG_PATHMAX];
	int		 rc;

	path[0] = "profiles";
	path[1] = sel;
	if (sel == NULL ||
	    toml_type(t = toml_getv(root, path, 2)) != TOML_TABLE)
		return 0;
	(void)cfg_keypath(kp, sizeof(kp), "profiles", sel, strlen(sel));
	ctx->inprofile = 1;
	rc = cfg_walk(ctx, cfg_root_keys, cfg, t, kp);
	ctx->inprofile = 0;
	return rc;
}

/* Read the profiles not in use into a scratch config, for their errors. */
static int
check_profiles(struct cfgctx *ctx, const struct toml *root, const char *sel)
{
	struct config	 scratch;
	struct toml	*profiles, *t;
	const char	*name;
	char		 kp[CFG_PATHMAX];
	size_t		 i, len;
	int		 rc = 0;

	profiles = toml_table_get(root, "profiles");
	if (toml_type(profiles) != TOML_TABLE)
		return 0;
	memset(&scratch, 0, sizeof(scratch));
	TAILQ_INIT(&scratch.providers);
	ctx->inprofile = 1;
	for (i = 0; rc == 0 &&
	    (name = toml_key_at(profiles, i, &len, &t)) != NULL; i++) {
		if ((sel != NULL && strcmp(name, sel) == 0) ||
		    toml_type(t) != TOML_TABLE)
			continue;
		(void)cfg_keypath(kp, sizeof(kp), "profiles", name, len);
		rc = cfg_walk(ctx, cfg_root_keys, &scratch, t, kp);
	}
	ctx->inprofile = 0;
	config_free(&scratch);
	return rc;
}

int
config_set_model(struct config *cfg, const char *model, char *err,
    size_t errlen)
{
	if (*model == '\0') {
		(void)snprintf(err, errlen, "the model name is empty");
		return -1;
	}
	if (cfg_setstr(&cfg->model, model) == -1) {
		(void)snprintf(err, errlen, "out of memory");
		return -1;
	}
	cfg->model_explicit = cfg->model_flag = 1;
	return 0;
}

static int
set_enum(int *field, const char *const *names, const char *what,
    const char *s, char *err, size_t errlen)
{
	char	 list[128];
	int	 i;

	if ((i = cfg_enum_lookup(names, s)) == -1) {
		cfg_names(list, sizeof(list), names);
		(void)snprintf(err, errlen, "invalid %s '%s' (valid values: "
		    "%s)", what, s, list);
		return -1;
	}
	*field = i;
	return 0;
}

int
config_set_sandbox(struct config *cfg, const char *s, char *err,
    size_t errlen)
{
	return set_enum(&cfg->sandbox_mode, cfg_sandbox_names, "sandbox mode",
	    s, err, errlen);
}

int
config_set_approval(struct config *cfg, const char *s, char *err,
    size_t errlen)
{
	return set_enum(&cfg->approval_policy, cfg_approval_names,
	    "approval policy", s, err, errlen);
}

/* -C DIR: relative to the current one, made canonical, a directory. */
int
config_set_cwd(struct config *cfg, const char *dir, char *err, size_t errlen)
{
	struct stat	 sb;
	char		 path[PATH_MAX], *real;
	int		 n;

	if (dir[0] == '/')
		n = snprintf(path, sizeof(path), "%s", dir);
	else
		n = snprintf(path, sizeof(path), "%s/%s", cfg->cwd, dir);
	if (n < 0 || (size_t)n >= sizeof(path)) {
		(void)snprintf(err, errlen, "%s: path too long", dir);
		return -1;
	}
	if ((real = realpath(path, NULL)) == NULL ||
	    stat(real, &sb) == -1) {
		(void)snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		free(real);
		return -1;
	}
	if (!S_ISDIR(sb.st_mode)) {
		(void)snprintf(err, errlen, "%s: not a directory", dir);
		free(real);
		return -1;
	}
	free(cfg->cwd);
	cfg->cwd = real;
	return 0;
}

/*
 * --oss: talk to the local server oss_provider names (ollama unless
 * set), with its default open model unless -m chose one.
 */
int
config_set_oss(struct config *cfg, char *err, size_t errlen)
{
	const char	*id, *model;

	id = cfg->oss_provider != NULL ? cfg->oss_provider : "ollama";
	model = strcmp(id, "lmstudio") == 0 ? CONFIG_OSS_MODEL_LMSTUDIO :
	    CONFIG_OSS_MODEL_OLLAMA;
	if (config_provider_find(cfg, id) == NULL) {
		(void)snprintf(err, errlen, "no provider '%s' for --oss", id);
		return -1;
	}
	if (cfg_setstr(&cfg->model_provider, id) == -1 ||
	    (!cfg->model_flag && cfg_setstr(&cfg->model, model) == -1)) {
		(void)snprintf(err, errlen, "out of memory");
		return -1;
	}
	cfg->oss = 1;
	return 0;
}
