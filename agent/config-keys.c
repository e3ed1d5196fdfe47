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
 * The keys of config.toml and how each is read.  One table per TOML
 * table lists its keys with their type and where the value goes; a
 * single walker applies a layer (the file, a profile, the -c overrides)
 * to a struct config with them, so that every layer gets the same type
 * checks and the same messages.
 */

#include <sys/queue.h>

#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/config.h"
#include "agent/config-int.h"
#include "agent/toml.h"
#include "imsg/log.h"

#define OFF(f)		offsetof(struct config, f)

static void		 elem_path(char *, size_t, const char *, size_t);
static int		 apply_key(struct cfgctx *, const struct cfgkey *, void *,
			    const struct toml *, const char *);
static int		 apply_int(struct cfgctx *, const struct cfgkey *,
			    int64_t *, const struct toml *, const char *);
static int		 apply_enum(struct cfgctx *, const struct cfgkey *, int *,
			    const struct toml *, const char *);
static int		 apply_strlist(struct cfgctx *, struct config_strlist *,
			    const struct toml *, const char *);
static int		 apply_kvlist(struct cfgctx *, const struct cfgkey *,
			    struct config_kvlist *, const struct toml *,
			    const char *);
static int		 header_check(struct cfgctx *, const char *,
			    const char *, const char *);
static int		 set_model(struct cfgctx *, const char *,
			    const struct toml *, void *);
static int		 set_oss_provider(struct cfgctx *, const char *,
			    const struct toml *, void *);
static int		 set_writable_roots(struct cfgctx *, const char *,
			    const struct toml *, void *);
static int		 resolve_path(struct cfgctx *, const char *, const char *,
			    char *, size_t);
static int		 check_profiles(struct cfgctx *, const char *,
			    const struct toml *, void *);

const char *const cfg_sandbox_names[] = {
	"read-only", "workspace-write", "danger-full-access", NULL
};
const char *const cfg_approval_names[] = {
	"untrusted", "on-failure", "on-request", "never", NULL
};
const char *const cfg_oss_names[] = { "ollama", "lmstudio", NULL };
static const char *const effort_names[] = {
	"none", "minimal", "low", "medium", "high", "xhigh", NULL
};
static const char *const summary_names[] = {
	"auto", "concise", "detailed", "none", NULL
};
static const char *const verbosity_names[] = {
	"low", "medium", "high", NULL
};
static const char *const inherit_names[] = { "all", "core", "none", NULL };
static const char *const history_names[] = { "save-all", "none", NULL };
static const char *const opener_names[] = {
	"vscode", "vscode-insiders", "windsurf", "cursor", "none", NULL
};
const char *const cfg_wire_names[] = { "responses", "chat", NULL };

static const struct cfgkey sww_keys[] = {
	{ "writable_roots", K_FUNC, 0, 0, 0, NULL, 0, set_writable_roots },
	{ "network_access", K_BOOL,
	    OFF(sandbox_workspace_write.network_access), 0, 0, NULL, 0, NULL },
	{ "exclude_tmpdir_env_var", K_BOOL,
	    OFF(sandbox_workspace_write.exclude_tmpdir_env_var), 0, 0, NULL, 0,
	    NULL },
	{ "exclude_slash_tmp", K_BOOL,
	    OFF(sandbox_workspace_write.exclude_slash_tmp), 0, 0, NULL, 0,
	    NULL },
	{ NULL, 0, 0, 0, 0, NULL, 0, NULL }
};

static const struct cfgkey sep_keys[] = {
	{ "inherit", K_ENUM, OFF(shell_environment_policy.inherit), 0, 0,
	    inherit_names, 0, NULL },
	{ "ignore_default_excludes", K_BOOL,
	    OFF(shell_environment_policy.ignore_default_excludes), 0, 0, NULL,
	    0, NULL },
	{ "exclude", K_STRLIST, OFF(shell_environment_policy.exclude), 0, 0,
	    NULL, 0, NULL },
	{ "set", K_KVLIST, OFF(shell_environment_policy.set), 0, 0, NULL, 0,
	    NULL },
	{ "include_only", K_STRLIST,
	    OFF(shell_environment_policy.include_only), 0, 0, NULL, 0, NULL },
	{ "experimental_use_profile", K_BOOL,
	    OFF(shell_environment_policy.experimental_use_profile), 0, 0, NULL,
	    0, NULL },
	{ NULL, 0, 0, 0, 0, NULL, 0, NULL }
};

static const struct cfgkey history_keys[] = {
	{ "persistence", K_ENUM, OFF(history.persistence), 0, 0,
	    history_names, 0, NULL },
	{ "max_bytes", K_INT, OFF(history.max_bytes), 0, INT64_MAX, NULL, 0,
	    NULL },
	{ NULL, 0, 0, 0, 0, NULL, 0, NULL }
};

/*
 * Top-level keys.  A profile may hold any of them except the ones marked
 * KF_TOPONLY.  tui, mcp_servers, projects and notice belong to parts of
 * Codex that ocodex does not have (or manages elsewhere); a Codex user's
 * file keeps them, so they pass without a word.
 */
const struct cfgkey cfg_root_keys[] = {
	{ "model", K_FUNC, 0, 0, 0, NULL, 0, set_model },
	{ "model_provider", K_STRING, OFF(model_provider), 0, 0, NULL, 0,
	    NULL },
	{ "model_providers", K_FUNC, 0, 0, 0, NULL, 0, provider_table },
	{ "model_reasoning_effort", K_ENUM, OFF(model_reasoning_effort), 1, 0,
	    effort_names, 0, NULL },
	{ "model_reasoning_summary", K_ENUM, OFF(model_reasoning_summary), 1,
	    0, summary_names, 0, NULL },
	{ "model_verbosity", K_ENUM, OFF(model_verbosity), 1, 0,
	    verbosity_names, 0, NULL },
	{ "model_context_window", K_INT, OFF(model_context_window), 1,
	    INT64_MAX, NULL, 0, NULL },
	{ "model_auto_compact_token_limit", K_INT,
	    OFF(model_auto_compact_token_limit), 1, INT64_MAX, NULL, 0, NULL },
	{ "model_max_output_tokens", K_INT, OFF(model_max_output_tokens), 1,
	    INT64_MAX, NULL, 0, NULL },
	{ "approval_policy", K_ENUM, OFF(approval_policy), 0, 0,
	    cfg_approval_names, 0, NULL },
	{ "sandbox_mode", K_ENUM, OFF(sandbox_mode), 0, 0, cfg_sandbox_names,
	    0, NULL },
	{ "sandbox_workspace_write", K_TABLE, 0, 0, 0, sww_keys, 0, NULL },
	{ "shell_environment_policy", K_TABLE, 0, 0, 0, sep_keys, 0, NULL },
	{ "notify", K_STRLIST, OFF(notify), 0, 0, NULL, 0, NULL },
	{ "profile", K_STRING, OFF(profile), 0, 0, NULL, KF_TOPONLY, NULL },
	{ "profiles", K_FUNC, 0, 0, 0, NULL, KF_TOPONLY, check_profiles },
	{ "project_doc_max_bytes", K_INT, OFF(project_doc_max_bytes), 0,
	    INT64_MAX, NULL, 0, NULL },
	{ "project_doc_fallback_filenames", K_STRLIST,
	    OFF(project_doc_fallback_filenames), 0, 0, NULL, 0, NULL },
	{ "hide_agent_reasoning", K_BOOL, OFF(hide_agent_reasoning), 0, 0,
	    NULL, 0, NULL },
	{ "show_raw_agent_reasoning", K_BOOL, OFF(show_raw_agent_reasoning),
	    0, 0, NULL, 0, NULL },
	{ "tool_output_token_limit", K_INT, OFF(tool_output_token_limit), 0,
	    INT64_MAX, NULL, 0, NULL },
	{ "disable_response_storage", K_IGNORED, 0, 0, 0,
	    "ocodex never asks the server to store requests", 0, NULL },
	{ "oss_provider", K_FUNC, 0, 0, 0, NULL, 0, set_oss_provider },
	{ "openai_base_url", K_FUNC, 0, 0, 0, NULL, 0, provider_openai_url },
	{ "history", K_TABLE, 0, 0, 0, history_keys, 0, NULL },
	{ "file_opener", K_ENUM, OFF(file_opener), 0, 0, opener_names, 0,
	    NULL },
	{ "tui", K_SILENT, 0, 0, 0, NULL, 0, NULL },
	{ "mcp_servers", K_SILENT, 0, 0, 0, NULL, 0, NULL },
	{ "projects", K_SILENT, 0, 0, 0, NULL, KF_TOPONLY, NULL },
	{ "notice", K_SILENT, 0, 0, 0, NULL, KF_TOPONLY, NULL },
	{ NULL, 0, 0, 0, 0, NULL, 0, NULL }
};

/*
 * Apply every key of the table tbl, whose own key path is path ("" for
 * the root), to obj with the key list keys.  Unknown keys are warned
 * about and skipped; a bad value stops everything.
 */
int
cfg_walk(struct cfgctx *ctx, const struct cfgkey *keys, void *obj,
    const struct toml *tbl, const char *path)
{
	const struct cfgkey	*k;
	struct toml		*val;
	const char		*name;
	char			 kp[CFG_PATHMAX];
	size_t			 i, len;

	for (i = 0; (name = toml_key_at(tbl, i, &len, &val)) != NULL; i++) {
		if (cfg_keypath(kp, sizeof(kp), path, name, len) == -1) {
			cfg_error(ctx, "key path too long: %s...", kp);
			return -1;
		}
		for (k = keys; k->name != NULL; k++)
			if (strlen(k->name) == len && strcmp(k->name, name) == 0)
				break;
		if (k->name == NULL ||
		    (ctx->inprofile && (k->flags & KF_TOPONLY))) {
			log_warnx("%s: unknown key '%s'", ctx->src, kp);
			continue;
		}
		if (apply_key(ctx, k, obj, val, kp) == -1)
			return -1;
	}
	return 0;
}

static int
apply_key(struct cfgctx *ctx, const struct cfgkey *k, void *obj,
    const struct toml *val, const char *kp)
{
	char		*field = (char *)obj + k->off;
	const char	*s;

	switch (k->kind) {
	case K_STRING:
		if (cfg_string(ctx, kp, val, &s) == -1)
			return -1;
		if (cfg_setstr((char **)(void *)field, s) == -1) {
			cfg_error(ctx, "out of memory");
			return -1;
		}
		return 0;
	case K_BOOL:
		if (toml_bool(val, (int *)(void *)field) == -1)
			return cfg_type_error(ctx, kp, val, "a boolean");
		return 0;
	case K_INT:
	case K_CAPPED:
		return apply_int(ctx, k, (int64_t *)(void *)field, val, kp);
	case K_ENUM:
		return apply_enum(ctx, k, (int *)(void *)field, val, kp);
	case K_STRLIST:
		return apply_strlist(ctx, (struct config_strlist *)(void *)field,
		    val, kp);
	case K_KVLIST:
		return apply_kvlist(ctx, k,
		    (struct config_kvlist *)(void *)field, val, kp);
	case K_TABLE:
		if (toml_type(val) != TOML_TABLE)
			return cfg_type_error(ctx, kp, val, "a table");
		return cfg_walk(ctx, k->arg, obj, val, kp);
	case K_SILENT:
		if (toml_type(val) != TOML_TABLE)
			return cfg_type_error(ctx, kp, val, "a table");
		return 0;
	case K_IGNORED:
		log_warnx("%s: '%s' is ignored: %s", ctx->src, kp,
		    (const char *)k->arg);
		return 0;
	case K_FUNC:
		return k->fn(ctx, kp, val, obj);
	}
	cfg_error(ctx, "'%s': internal error: bad key kind", kp);
	return -1;
}

static int
apply_int(struct cfgctx *ctx, const struct cfgkey *k, int64_t *field,
    const struct toml *val, const char *kp)
{
	int64_t	 i;

	if (toml_int(val, &i) == -1)
		return cfg_type_error(ctx, kp, val, "an integer");
	if (k->kind == K_CAPPED && i > k->max)
		i = k->max;
	if (i < k->min || i > k->max) {
		if (k->max == INT64_MAX)
			cfg_error(ctx, "'%s' must be at least %lld, not %lld",
			    kp, (long long)k->min, (long long)i);
		else
			cfg_error(ctx, "'%s' must be between %lld and %lld, "
			    "not %lld", kp, (long long)k->min,
			    (long long)k->max, (long long)i);
		return -1;
	}
	*field = i;
	return 0;
}

static int
apply_enum(struct cfgctx *ctx, const struct cfgkey *k, int *field,
    const struct toml *val, const char *kp)
{
	const char	*s;
	char		 names[256];
	int		 i;

	if (cfg_string(ctx, kp, val, &s) == -1)
		return -1;
	if ((i = cfg_enum_lookup(k->arg, s)) == -1) {
		cfg_names(names, sizeof(names), k->arg);
		cfg_error(ctx, "invalid %s '%s' (valid values: %s)", kp, s,
		    names);
		return -1;
	}
	*field = i + (int)k->min;
	return 0;
}

/* "notify[2]", or just "notify" should that not fit: it only names. */
static void
elem_path(char *buf, size_t len, const char *kp, size_t i)
{
	int	 n;

	n = snprintf(buf, len, "%s[%zu]", kp, i);
	if (n < 0 || (size_t)n >= len)
		(void)strlcpy(buf, kp, len);
}

/* An array of strings replaces what an earlier layer gave. */
static int
apply_strlist(struct cfgctx *ctx, struct config_strlist *field,
    const struct toml *val, const char *kp)
{
	struct config_strlist	 l = { NULL, 0 };
	char			 ep[CFG_PATHMAX];
	const char		*s;
	size_t			 i;

	if (toml_type(val) != TOML_ARRAY)
		return cfg_type_error(ctx, kp, val, "an array of strings");
	for (i = 0; i < toml_len(val); i++) {
		elem_path(ep, sizeof(ep), kp, i);
		if (cfg_string(ctx, ep, toml_at(val, i), &s) == -1 ||
		    strlist_add(&l, s) == -1) {
			strlist_free(&l);
			return -1;
		}
	}
	strlist_free(field);
	*field = l;
	return 0;
}

/* A table of strings is merged into what an earlier layer gave. */
static int
apply_kvlist(struct cfgctx *ctx, const struct cfgkey *k,
    struct config_kvlist *field, const struct toml *val, const char *kp)
{
	struct toml	*v;
	const char	*name, *s;
	char		 ep[CFG_PATHMAX];
	size_t		 i, len;

	if (toml_type(val) != TOML_TABLE)
		return cfg_type_error(ctx, kp, val, "a table of strings");
	for (i = 0; (name = toml_key_at(val, i, &len, &v)) != NULL; i++) {
		if (cfg_keypath(ep, sizeof(ep), kp, name, len) == -1 ||
		    len != strlen(name)) {
			cfg_error(ctx, "bad key in '%s'", kp);
			return -1;
		}
		if (cfg_string(ctx, ep, v, &s) == -1)
			return -1;
		if ((k->flags & KF_HEADER) && header_check(ctx, ep, name, s))
			return -1;
		if (kvlist_set(field, name, s) == -1) {
			cfg_error(ctx, "out of memory");
			return -1;
		}
	}
	return 0;
}

/*
 * Header names are RFC 9110 tokens and values hold no line breaks, so
 * that nothing in config.toml can smuggle a header into a request.
 */
static int
header_check(struct cfgctx *ctx, const char *kp, const char *name,
    const char *value)
{
	static const char	 tchar[] = "!#$%&'*+-.^_`|~";
	const char		*p;

	if (*name == '\0')
		goto badname;
	for (p = name; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr(tchar, *p) != NULL))
			goto badname;
	for (p = value; *p != '\0'; p++)
		if (((unsigned char)*p < 0x20 && *p != '\t') || *p == 0x7f) {
			cfg_error(ctx, "'%s': a header value may not hold "
			    "control characters", kp);
			return -1;
		}
	return 0;
badname:
	cfg_error(ctx, "'%s': '%s' is not a valid HTTP header name", kp,
	    name);
	return -1;
}

static int
set_model(struct cfgctx *ctx, const char *kp, const struct toml *val,
    void *obj)
{
	struct config	*cfg = obj;
	const char	*s;

	if (cfg_string(ctx, kp, val, &s) == -1)
		return -1;
	if (*s == '\0') {
		cfg_error(ctx, "'%s' must not be empty", kp);
		return -1;
	}
	if (cfg_setstr(&cfg->model, s) == -1) {
		cfg_error(ctx, "out of memory");
		return -1;
	}
	cfg->model_explicit = 1;
	return 0;
}

/* Codex knows two local providers for --oss; so do we. */
static int
set_oss_provider(struct cfgctx *ctx, const char *kp, const struct toml *val,
    void *obj)
{
	struct config	*cfg = obj;
	const char	*s;
	char		 names[64];

	if (cfg_string(ctx, kp, val, &s) == -1)
		return -1;
	if (cfg_enum_lookup(cfg_oss_names, s) == -1) {
		cfg_names(names, sizeof(names), cfg_oss_names);
		cfg_error(ctx, "invalid %s '%s' (valid values: %s)", kp, s,
		    names);
		return -1;
	}
	if (cfg_setstr(&cfg->oss_provider, s) == -1) {
		cfg_error(ctx, "out of memory");
		return -1;
	}
	return 0;
}

/*
 * Writable roots are made absolute when read, as Codex does: "~/" is
 * the home directory and a relative path starts from the directory of
 * the file that named it (the working directory for -c).
 */
static int
set_writable_roots(struct cfgctx *ctx, const char *kp,
    const struct toml *val, void *obj)
{
	struct config		*cfg = obj;
	struct config_strlist	*roots =
	    &cfg->sandbox_workspace_write.writable_roots;
	struct config_strlist	 l = { NULL, 0 };
	char			 ep[CFG_PATHMAX], path[PATH_MAX];
	const char		*s;
	size_t			 i;

	if (toml_type(val) != TOML_ARRAY)
		return cfg_type_error(ctx, kp, val, "an array of strings");
	for (i = 0; i < toml_len(val); i++) {
		elem_path(ep, sizeof(ep), kp, i);
		if (cfg_string(ctx, ep, toml_at(val, i), &s) == -1 ||
		    resolve_path(ctx, ep, s, path, sizeof(path)) == -1 ||
		    strlist_add(&l, path) == -1) {
			strlist_free(&l);
			return -1;
		}
	}
	strlist_free(roots);
	*roots = l;
	return 0;
}

static int
resolve_path(struct cfgctx *ctx, const char *kp, const char *s, char *buf,
    size_t len)
{
	const char	*home;
	int		 n;

	if (*s == '\0') {
		cfg_error(ctx, "'%s' is an empty path", kp);
		return -1;
	}
	if (s[0] == '~' && (s[1] == '\0' || s[1] == '/')) {
		if ((home = getenv("HOME")) == NULL || *home != '/') {
			cfg_error(ctx, "'%s': cannot expand ~ without HOME",
			    kp);
			return -1;
		}
		n = snprintf(buf, len, "%s%s", home, s + 1);
	} else if (s[0] == '/')
		n = snprintf(buf, len, "%s", s);
	else
		n = snprintf(buf, len, "%s/%s", ctx->base, s);
	if (n < 0 || (size_t)n >= len) {
		cfg_error(ctx, "'%s': path too long", kp);
		return -1;
	}
	return 0;
}

/*
 * The profiles themselves are applied by config.c; here their shape is
 * checked wherever they appear.
 */
static int
check_profiles(struct cfgctx *ctx, const char *kp, const struct toml *val,
    void *obj)
{
	struct toml	*p;
	const char	*name;
	char		 pp[CFG_PATHMAX];
	size_t		 i, len;

	(void)obj;
	if (toml_type(val) != TOML_TABLE)
		return cfg_type_error(ctx, kp, val, "a table");
	for (i = 0; (name = toml_key_at(val, i, &len, &p)) != NULL; i++) {
		if (toml_type(p) == TOML_TABLE)
			continue;
		(void)cfg_keypath(pp, sizeof(pp), kp, name, len);
		return cfg_type_error(ctx, pp, p, "a table");
	}
	return 0;
}

static const char *
enum_name(const char *const *names, int v, int base)
{
	int	 i;

	if (v < base)
		return NULL;
	for (i = 0; names[i] != NULL; i++)
		if (i == v - base)
			return names[i];
	return NULL;
}

const char *
config_sandbox_name(int v)
{
	return enum_name(cfg_sandbox_names, v, 0);
}

const char *
config_approval_name(int v)
{
	return enum_name(cfg_approval_names, v, 0);
}

const char *
config_effort_name(int v)
{
	return enum_name(effort_names, v, 1);
}

const char *
config_summary_name(int v)
{
	return enum_name(summary_names, v, 1);
}

const char *
config_verbosity_name(int v)
{
	return enum_name(verbosity_names, v, 1);
}

const char *
config_wire_api_name(int v)
{
	return enum_name(cfg_wire_names, v, 0);
}

const char *
config_inherit_name(int v)
{
	return enum_name(inherit_names, v, 0);
}

const char *
config_history_name(int v)
{
	return enum_name(history_names, v, 0);
}

const char *
config_opener_name(int v)
{
	return enum_name(opener_names, v, 0);
}
