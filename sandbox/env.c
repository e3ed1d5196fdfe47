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
 * A command's environment, from shell_environment_policy.  The default
 * inherits everything except variables whose name contains KEY, SECRET
 * or TOKEN in any case: unlike Codex, whose default lets OPENAI_API_KEY
 * through, secrets stay out unless the user turns the excludes off.
 * Then come exclude patterns, set, include_only, and the CODEX_SANDBOX
 * variables.
 */

#include <ctype.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "sandbox/policy.h"

static const char *const core_vars[] = {
	"HOME", "LOGNAME", "PATH", "SHELL", "USER", "USERNAME", "TMPDIR",
	"TEMP", "TMP", NULL
};

static int	 name_match(const char *, size_t, const char *);
static int	 has_word(const char *, size_t, const char *);
static int	 keep(const struct envpolicy *, const char *, size_t);
static int	 push(char ***, size_t *, size_t *, const char *);

void
envpolicy_init(struct envpolicy *e)
{
	memset(e, 0, sizeof(*e));
	e->inherit = ENV_INHERIT_ALL;
}

void
envpolicy_free(struct envpolicy *e)
{
	size_t	 i;

	for (i = 0; i < e->nexclude; i++)
		free(e->exclude[i]);
	for (i = 0; i < e->ninclude; i++)
		free(e->include_only[i]);
	for (i = 0; i < e->nset; i++)
		free(e->set[i]);
	memset(e, 0, sizeof(*e));
}

/* A glob matched against the name only, case-insensitively. */
static int
name_match(const char *var, size_t len, const char *pat)
{
	char	 name[256];

	if (len >= sizeof(name))
		return 0;
	memcpy(name, var, len);
	name[len] = '\0';
	return fnmatch(pat, name, FNM_CASEFOLD) == 0;
}

static int
has_word(const char *var, size_t len, const char *word)
{
	size_t	 i, j, wl = strlen(word);

	for (i = 0; i + wl <= len; i++) {
		for (j = 0; j < wl; j++)
			if (toupper((unsigned char)var[i + j]) != word[j])
				break;
		if (j == wl)
			return 1;
	}
	return 0;
}

static int
keep(const struct envpolicy *e, const char *var, size_t len)
{
	const char *const	*c;
	size_t			 i;

	if (e->inherit == ENV_INHERIT_NONE)
		return 0;
	if (e->inherit == ENV_INHERIT_CORE) {
		for (c = core_vars; *c != NULL; c++)
			if (strlen(*c) == len && strncmp(*c, var, len) == 0)
				break;
		if (*c == NULL)
			return 0;
	}
	if (!e->ignore_default_excludes && (has_word(var, len, "KEY") ||
	    has_word(var, len, "SECRET") || has_word(var, len, "TOKEN")))
		return 0;
	for (i = 0; i < e->nexclude; i++)
		if (name_match(var, len, e->exclude[i]))
			return 0;
	if (e->ninclude == 0)
		return 1;
	for (i = 0; i < e->ninclude; i++)
		if (name_match(var, len, e->include_only[i]))
			return 1;
	return 0;
}

static int
push(char ***env, size_t *n, size_t *cap, const char *s)
{
	char	**nv;

	if (*n + 2 > *cap) {
		if ((nv = reallocarray(*env, *cap * 2 + 8, sizeof(**env))) ==
		    NULL)
			return -1;
		*env = nv;
		*cap = *cap * 2 + 8;
	}
	if (((*env)[*n] = strdup(s)) == NULL)
		return -1;
	(*n)++;
	(*env)[*n] = NULL;
	return 0;
}

/*
 * The environment for a command under policy p, from the inherited one.
 * A name set later replaces nothing: "set" entries are added after the
 * filter, and a duplicate name is dropped from the inherited part.
 */
char **
env_build(const struct envpolicy *e, char **inherited, const struct policy *p)
{
	char	**env = NULL, **v;
	size_t	 n = 0, cap = 0, len, i;
	int	 dup;

	if ((env = calloc(8, sizeof(*env))) == NULL)
		return NULL;
	cap = 8;
	for (v = inherited; v != NULL && *v != NULL; v++) {
		if ((len = strcspn(*v, "=")) == 0 || (*v)[len] != '=')
			continue;
		if (strncmp(*v, "CODEX_SANDBOX", 13) == 0 || !keep(e, *v, len))
			continue;
		for (dup = 0, i = 0; i < e->nset; i++)
			if (strncmp(e->set[i], *v, len + 1) == 0)
				dup = 1;
		if (!dup && push(&env, &n, &cap, *v) == -1)
			goto fail;
	}
	for (i = 0; i < e->nset; i++)
		if (push(&env, &n, &cap, e->set[i]) == -1)
			goto fail;
	if (policy_sandboxed(p) && push(&env, &n, &cap,
	    "CODEX_SANDBOX=landlock") == -1)
		goto fail;
	if (!p->network && policy_sandboxed(p) && push(&env, &n, &cap,
	    "CODEX_SANDBOX_NETWORK_DISABLED=1") == -1)
		goto fail;
	return env;
 fail:
	env_free(env);
	return NULL;
}

void
env_free(char **env)
{
	char	**v;

	for (v = env; v != NULL && *v != NULL; v++)
		free(*v);
	free(env);
}
