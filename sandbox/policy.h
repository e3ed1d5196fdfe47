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

#ifndef SANDBOX_POLICY_H
#define SANDBOX_POLICY_H

#include <stddef.h>

/*
 * Sandbox policies for the commands the model runs, with Codex's names
 * and meaning, and the layers that enforce them on Linux: a user and
 * mount namespace (nsbind.c), a Landlock ruleset and a seccomp deny-list
 * (cmdsandbox.c, seccomp-deny.c), and on macOS a Seatbelt profile
 * (seatbelt.c).  env.c builds a command's environment.
 */

enum policy_mode {
	POLICY_READ_ONLY,
	POLICY_WORKSPACE_WRITE,
	POLICY_FULL_ACCESS
};

#define POLICY_MAX_ROOTS	32
#define POLICY_MAX_RO		(3 * POLICY_MAX_ROOTS + POLICY_MAX_ROOTS)

/* A path that stays read-only inside a writable root. */
struct policy_ro {
	char	*path;
	int	 missing;	/* does not exist yet (the cwd's .codex) */
};

struct policy {
	int		 mode;		/* enum policy_mode */
	int		 network;	/* network_access */
	int		 exclude_tmpdir_env_var;
	int		 exclude_slash_tmp;
	char		*cwd;
	/* writable_roots from the configuration, as given */
	char		*config_roots[POLICY_MAX_ROOTS];
	size_t		 nconfig;
	/* filled by policy_resolve(): canonical, existing, no duplicates */
	char		*roots[POLICY_MAX_ROOTS];
	size_t		 nroots;
	struct policy_ro ro[POLICY_MAX_RO];
	size_t		 nro;
};

/* shell_environment_policy */
enum env_inherit {
	ENV_INHERIT_ALL,
	ENV_INHERIT_CORE,
	ENV_INHERIT_NONE
};

#define ENV_MAX_PATTERNS	64

struct envpolicy {
	int	 inherit;		/* enum env_inherit */
	int	 ignore_default_excludes;
	char	*exclude[ENV_MAX_PATTERNS];
	size_t	 nexclude;
	char	*include_only[ENV_MAX_PATTERNS];
	size_t	 ninclude;
	char	*set[ENV_MAX_PATTERNS];	/* "NAME=value" */
	size_t	 nset;
};

/* policy.c */
int		 policy_mode_parse(const char *, int *);
const char	*policy_mode_name(int);
int		 policy_init(struct policy *, int, const char *);
void		 policy_free(struct policy *);
int		 policy_add_root(struct policy *, const char *);
int		 policy_resolve(struct policy *, const char *, char *, size_t);
int		 policy_sandboxed(const struct policy *);
int		 policy_config(struct policy *, struct envpolicy *,
		    const char *, char *, size_t);

/* nsbind.c: enter a user and mount namespace shaped by the policy. */
int		 nsbind_enter(const struct policy *, char *, size_t);

/* seccomp-deny.c: the per-command deny-list, EPERM for each entry. */
#define DENY_NETWORK	0x01	/* no socket but AF_UNIX */
#define DENY_FATTR	0x02	/* no chmod, chown, utimes, xattr writes */
#define DENY_NAMESPACE	0x04	/* no unshare, setns, clone(CLONE_NEW*) */
int		 seccomp_deny_apply(int);

/* cmdsandbox.c: confine the current process before it runs a command. */
int		 cmdsandbox_landlock(const struct policy *, char *, size_t);
int		 cmdsandbox_apply(const struct policy *, int, char *, size_t);

/* seatbelt.c: the SBPL profile for a policy (malloc'd). */
char		*seatbelt_profile(const struct policy *);

/* env.c */
void		 envpolicy_init(struct envpolicy *);
void		 envpolicy_free(struct envpolicy *);
char		**env_build(const struct envpolicy *, char **,
		    const struct policy *);
void		 env_free(char **);

#endif /* SANDBOX_POLICY_H */
