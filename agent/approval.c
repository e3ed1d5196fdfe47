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

#include <sys/queue.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/approval.h"
#include "agent/shellwords.h"

/*
 * The safe-command rules follow Codex's allow-list so that a Codex user's
 * expectations carry over: a command is "known safe" only when it cannot
 * write, run other programs or reach the network whatever its arguments.
 * Anything we cannot prove safe is simply not safe; the user is asked.
 */

static const char *const always_safe[] = {
	"cat", "cd", "cut", "echo", "expr", "false", "grep", "head", "id",
	"ls", "nl", "numfmt", "paste", "pwd", "rev", "seq", "stat", "tac",
	"tail", "tr", "true", "uname", "uniq", "wc", "which", "whoami", NULL
};

static const char *const find_unsafe[] = {
	"-exec", "-execdir", "-ok", "-okdir", "-delete", "-fls", "-fprint",
	"-fprint0", "-fprintf", NULL
};

static const char *const git_read_only[] = {
	"status", "log", "diff", "show", "branch", NULL
};

static const char *const git_branch_ok[] = {
	"--list", "-l", "--show-current", "-a", "--all", "-r", "--remotes",
	"-v", "-vv", "--verbose", NULL
};

/* Subcommand options that can write files or run helper programs. */
static const char *const git_unsafe_opts[] = {
	"--output", "--ext-diff", "--textconv", "--exec", "--paginate", NULL
};

static int	in_list(const char *, const char *const *);
static int	opt_is(const char *, const char *);
static int	is_safe_plain(char *const *);
static int	is_shell_c(char *const *);

static int
in_list(const char *s, const char *const *list)
{
	for (; *list != NULL; list++)
		if (strcmp(s, *list) == 0)
			return 1;
	return 0;
}

/* Does arg spell the long option opt, alone or as opt=value? */
static int
opt_is(const char *arg, const char *opt)
{
	size_t	 n = strlen(opt);

	return strncmp(arg, opt, n) == 0 && (arg[n] == '\0' || arg[n] == '=');
}

/* A cluster of short options ("-rfv") that contains the letter c. */
static int
short_has(const char *arg, int c)
{
	return arg[0] == '-' && arg[1] != '-' && arg[1] != '\0' &&
	    strchr(arg + 1, c) != NULL;
}

/*
 * base64, find and rg are safe unless an option makes them write a file
 * (base64 -o, find -fprint, -delete) or run a program (find -exec, rg
 * --pre); rg -z runs decompressors.
 */
static int
safe_unless_opts(char *const *argv)
{
	int	 b64 = strcmp(argv[0], "base64") == 0;
	int	 rg = strcmp(argv[0], "rg") == 0;

	for (argv++; *argv != NULL; argv++) {
		if (b64 && (opt_is(*argv, "--output") || short_has(*argv, 'o')))
			return 0;
		if (rg && (opt_is(*argv, "--pre") ||
		    opt_is(*argv, "--hostname-bin") ||
		    opt_is(*argv, "--search-zip") || short_has(*argv, 'z')))
			return 0;
		if (!b64 && !rg && in_list(*argv, find_unsafe))
			return 0;
	}
	return 1;
}

static int
safe_git_branch(char *const *argv)
{
	for (; *argv != NULL; argv++) {
		if (strncmp(*argv, "--format=", 9) == 0)
			continue;
		if (!in_list(*argv, git_branch_ok))
			return 0;
	}
	return 1;
}

/*
 * git is safe only for the read-only subcommands.  Global options before
 * the subcommand are refused except a few harmless ones, because -c,
 * --exec-path, --git-dir and friends can make git run arbitrary programs.
 */
static int
safe_git(char *const *argv)
{
	const char	*sub;

	for (argv++; *argv != NULL && (*argv)[0] == '-'; argv++) {
		if (strcmp(*argv, "--no-pager") == 0 ||
		    strcmp(*argv, "-P") == 0 ||
		    strcmp(*argv, "--no-optional-locks") == 0)
			continue;
		return 0;
	}
	if ((sub = *argv) == NULL || !in_list(sub, git_read_only))
		return 0;
	if (strcmp(sub, "branch") == 0)
		return safe_git_branch(argv + 1);
	for (argv++; *argv != NULL; argv++) {
		const char *const *u;

		for (u = git_unsafe_opts; *u != NULL; u++)
			if (opt_is(*argv, *u))
				return 0;
	}
	return 1;
}

/* "N" or "M,N" followed by "p", digits only. */
static int
sed_print_range(const char *s)
{
	int	 digits = 0, comma = 0;

	for (; *s != '\0' && *s != 'p'; s++) {
		if (isdigit((unsigned char)*s))
			digits++;
		else if (*s == ',' && digits > 0 && !comma) {
			comma = 1;
			digits = 0;
		} else
			return 0;
	}
	return digits > 0 && s[0] == 'p' && s[1] == '\0';
}

static int
safe_sed(char *const *argv)
{
	size_t	 n;

	for (n = 0; argv[n] != NULL; n++)
		;
	if (n < 3 || n > 4 || strcmp(argv[1], "-n") != 0)
		return 0;
	if (!sed_print_range(argv[2]))
		return 0;
	return n == 3 || argv[3][0] != '-';
}

/* A command that is safe on its own, without looking into shell scripts. */
static int
is_safe_plain(char *const *argv)
{
	const char	*cmd;

	if (argv == NULL || (cmd = argv[0]) == NULL)
		return 0;
	if (in_list(cmd, always_safe))
		return 1;
	if (strcmp(cmd, "base64") == 0 || strcmp(cmd, "find") == 0 ||
	    strcmp(cmd, "rg") == 0)
		return safe_unless_opts(argv);
	if (strcmp(cmd, "git") == 0)
		return safe_git(argv);
	if (strcmp(cmd, "sed") == 0)
		return safe_sed(argv);
	return 0;
}

/* ["bash"|"sh"|"zsh", "-c"|"-lc", script]: returns 1 if so. */
static int
is_shell_c(char *const *argv)
{
	static const char *const shells[] = {
		"bash", "sh", "zsh", "/bin/bash", "/bin/sh", "/bin/zsh",
		"/usr/bin/bash", "/usr/bin/sh", "/usr/bin/zsh", NULL
	};

	if (argv == NULL || argv[0] == NULL || argv[1] == NULL ||
	    argv[2] == NULL || argv[3] != NULL)
		return 0;
	if (!in_list(argv[0], shells))
		return 0;
	return strcmp(argv[1], "-c") == 0 || strcmp(argv[1], "-lc") == 0;
}

int
is_known_safe(char *const *argv)
{
	struct sh_script	 sc;
	size_t			 i;
	int			 safe = 1;

	if (!is_shell_c(argv))
		return is_safe_plain(argv);
	if (sh_split(argv[2], 1, &sc) == -1)
		return 0;
	for (i = 0; i < sc.ncmd && safe; i++)
		safe = is_safe_plain(sc.cmd[i].argv);
	sh_free(&sc);
	return safe;
}

/* rm that forces or recurses: the classic way to lose a tree. */
static int
dangerous_rm(char *const *argv)
{
	for (argv++; *argv != NULL; argv++) {
		if (strcmp(*argv, "--") == 0)
			break;
		if (strcmp(*argv, "--force") == 0 ||
		    strcmp(*argv, "--recursive") == 0 ||
		    short_has(*argv, 'f') || short_has(*argv, 'r') ||
		    short_has(*argv, 'R'))
			return 1;
	}
	return 0;
}

/* git commands that throw away work or rewrite a remote's history. */
static int
dangerous_git(char *const *argv)
{
	const char	*sub = argv[1];

	if (sub == NULL)
		return 0;
	for (argv += 2; *argv != NULL; argv++) {
		if (strcmp(sub, "reset") == 0 && strcmp(*argv, "--hard") == 0)
			return 1;
		if (strcmp(sub, "clean") == 0 && (short_has(*argv, 'f') ||
		    strcmp(*argv, "--force") == 0))
			return 1;
		if (strcmp(sub, "push") == 0 && (short_has(*argv, 'f') ||
		    opt_is(*argv, "--force") ||
		    opt_is(*argv, "--force-with-lease") ||
		    strcmp(*argv, "--mirror") == 0 ||
		    strcmp(*argv, "--delete") == 0))
			return 1;
	}
	return 0;
}

static int
dangerous_plain(char *const *argv)
{
	const char	*cmd;

	/* sudo and its options in front of a command change nothing here. */
	while (argv[0] != NULL && strcmp(argv[0], "sudo") == 0) {
		for (argv++; argv[0] != NULL && argv[0][0] == '-'; argv++)
			;
	}
	if ((cmd = argv[0]) == NULL)
		return 0;
	if (strcmp(cmd, "rm") == 0 || strcmp(cmd, "/bin/rm") == 0 ||
	    strcmp(cmd, "/usr/bin/rm") == 0)
		return dangerous_rm(argv);
	if (strcmp(cmd, "git") == 0)
		return dangerous_git(argv);
	if (strcmp(cmd, "shred") == 0 || strncmp(cmd, "mkfs", 4) == 0 ||
	    strcmp(cmd, "wipefs") == 0)
		return 1;
	if (strcmp(cmd, "dd") == 0) {
		for (argv++; *argv != NULL; argv++)
			if (strncmp(*argv, "of=", 3) == 0)
				return 1;
	}
	return 0;
}

int
is_dangerous(char *const *argv)
{
	struct sh_script	 sc;
	size_t			 i;
	int			 bad = 0;

	if (argv == NULL || argv[0] == NULL)
		return 0;
	if (!is_shell_c(argv))
		return dangerous_plain(argv);
	if (sh_split(argv[2], 0, &sc) == -1)
		return 0;
	for (i = 0; i < sc.ncmd && !bad; i++)
		bad = dangerous_plain(sc.cmd[i].argv);
	sh_free(&sc);
	return bad;
}

const char *
approval_verdict_name(int v)
{
	static const char *const names[] = { "run-sandboxed",
	    "run-unsandboxed", "ask", "refuse" };

	return v >= 0 && v <= APPROVAL_REFUSE ? names[v] : "?";
}

static int
verdict(struct approval_result *res, int v, const char *reason)
{
	res->verdict = v;
	if (strlcpy(res->reason, reason, sizeof(res->reason)) >=
	    sizeof(res->reason))
		res->reason[sizeof(res->reason) - 1] = '\0';
	return v;
}

/* How a command that may run runs: without a sandbox only when asked. */
static int
run(const struct approval_request *rq, struct approval_result *res,
    const char *reason)
{
	if (rq->sandbox == APPROVAL_SANDBOX_FULL_ACCESS || rq->escalate)
		return verdict(res, APPROVAL_RUN_UNSANDBOXED, reason);
	return verdict(res, APPROVAL_RUN_SANDBOXED, reason);
}

static int
decide_never(const struct approval_request *rq, struct approval_result *res,
    int danger)
{
	if (rq->sandbox == APPROVAL_SANDBOX_FULL_ACCESS)
		return run(rq, res, "full access: nothing is asked");
	if (danger)
		return verdict(res, APPROVAL_REFUSE, "this command could "
		    "destroy data and approval_policy is never, so it was "
		    "not run");
	if (rq->escalate)
		return verdict(res, APPROVAL_REFUSE, "running outside the "
		    "sandbox needs the user's approval, and approval_policy "
		    "is never; run the command without sandbox_permissions");
	return run(rq, res, "runs in the sandbox");
}

int
approval_decide(const struct approval_request *rq,
    struct approval_result *res)
{
	int	 danger;

	if (rq->argv == NULL || rq->argv[0] == NULL || rq->argv[0][0] == '\0')
		return verdict(res, APPROVAL_REFUSE, "empty command");
	if (rq->cache != NULL && approval_cache_has(rq->cache, rq->argv))
		return run(rq, res, "approved earlier for this session");
	danger = is_dangerous(rq->argv);
	switch (rq->policy) {
	case APPROVAL_NEVER:
		return decide_never(rq, res, danger);
	case APPROVAL_UNTRUSTED:
		if (!danger && !rq->escalate && is_known_safe(rq->argv))
			return run(rq, res, "known safe read-only command");
		return verdict(res, APPROVAL_ASK, danger ? "this command "
		    "could destroy data" : rq->escalate ? "the model asks "
		    "to run outside the sandbox" : "not a known safe "
		    "command");
	case APPROVAL_ON_FAILURE:
	case APPROVAL_ON_REQUEST:
		if (danger)
			return verdict(res, APPROVAL_ASK,
			    "this command could destroy data");
		if (rq->escalate && rq->sandbox != APPROVAL_SANDBOX_FULL_ACCESS)
			return verdict(res, APPROVAL_ASK,
			    "the model asks to run outside the sandbox");
		return run(rq, res, "runs in the sandbox");
	}
	return verdict(res, APPROVAL_REFUSE, "unknown approval policy");
}

/*
 * After a sandboxed run that looks like a sandbox denial: should the user
 * be asked to run the command again without the sandbox?  Under
 * on-request and never the failure goes back to the model instead.
 */
int
approval_ask_after_denial(int policy)
{
	return policy == APPROVAL_UNTRUSTED || policy == APPROVAL_ON_FAILURE;
}

/*
 * Lexically normalise path (relative to cwd when not absolute) into buf:
 * no ".", "..", or repeated slashes.  No symlink is followed: the patch
 * applier refuses symlinks itself, so the lexical path is what it writes.
 */
static int
normalise(const char *cwd, const char *path, char *buf, size_t len)
{
	char	 tmp[4096], *p, *save = NULL;
	size_t	 n = 0;
	int	 r;

	if (path[0] == '/')
		r = snprintf(tmp, sizeof(tmp), "%s", path);
	else
		r = snprintf(tmp, sizeof(tmp), "%s/%s", cwd, path);
	if (r < 0 || (size_t)r >= sizeof(tmp) || tmp[0] != '/' || len < 2)
		return -1;
	buf[0] = '\0';
	for (p = strtok_r(tmp, "/", &save); p != NULL;
	    p = strtok_r(NULL, "/", &save)) {
		if (strcmp(p, ".") == 0)
			continue;
		if (strcmp(p, "..") == 0) {
			while (n > 0 && buf[n] != '/')
				n--;
			buf[n] = '\0';
			continue;
		}
		if (n + 1 + strlen(p) + 1 > len)
			return -1;
		buf[n++] = '/';
		n += strlcpy(buf + n, p, len - n);
	}
	if (n == 0)
		(void)strlcpy(buf, "/", len);
	return 0;
}

/* Is path root itself or below it? Both are normalised. */
static int
under(const char *path, const char *root)
{
	size_t	 n = strlen(root);

	if (strcmp(root, "/") == 0)
		return 1;
	return strncmp(path, root, n) == 0 &&
	    (path[n] == '\0' || path[n] == '/');
}

/* Inside a root but in its .git, .codex or .agents, which stay read-only. */
static int
in_protected(const char *path, const char *root)
{
	static const char *const prot[] = { ".git", ".codex", ".agents", NULL };
	const char *const	*p;
	char			 sub[4096];
	int			 r;

	for (p = prot; *p != NULL; p++) {
		r = snprintf(sub, sizeof(sub), "%s/%s",
		    strcmp(root, "/") == 0 ? "" : root, *p);
		if (r < 0 || (size_t)r >= sizeof(sub))
			return 1;
		if (under(path, sub))
			return 1;
	}
	return 0;
}

/*
 * Are all paths (relative to cwd) inside one of the writable roots and
 * outside their protected subdirectories?  With no paths, cwd itself (an
 * absolute path) is checked.  Returns 1 or 0.
 */
int
approval_within_roots(const char *cwd, char *const *roots, size_t nroots,
    char *const *paths, size_t npaths)
{
	char	 p[4096], r[4096];
	size_t	 i, j;
	int	 ok;

	for (i = 0; i < npaths || (npaths == 0 && i == 0); i++) {
		if (normalise(cwd, npaths == 0 ? "." : paths[i], p,
		    sizeof(p)) == -1)
			return 0;
		for (ok = 0, j = 0; j < nroots && !ok; j++) {
			if (normalise(cwd, roots[j], r, sizeof(r)) == -1)
				continue;
			ok = under(p, r) && !in_protected(p, r);
		}
		if (!ok)
			return 0;
	}
	return 1;
}

/*
 * A patch: auto-approved when every path is writable in the sandbox
 * (within, from approval_within_roots) or under full access; untrusted
 * always asks, as Codex does; never refuses what it cannot do.
 */
int
approval_patch(int policy, int sandbox, int within,
    struct approval_result *res)
{
	if (policy == APPROVAL_UNTRUSTED)
		return verdict(res, APPROVAL_ASK,
		    "every patch needs approval under untrusted");
	if (sandbox == APPROVAL_SANDBOX_FULL_ACCESS)
		return verdict(res, APPROVAL_RUN_UNSANDBOXED,
		    "full access: nothing is asked");
	if (within && sandbox == APPROVAL_SANDBOX_WORKSPACE_WRITE)
		return verdict(res, APPROVAL_RUN_SANDBOXED,
		    "every path is inside a writable root");
	if (policy == APPROVAL_NEVER)
		return verdict(res, APPROVAL_REFUSE, "the patch writes "
		    "outside the writable roots and approval_policy is "
		    "never, so it was not applied");
	return verdict(res, APPROVAL_ASK,
	    "the patch writes outside the writable roots");
}

void
approval_cache_init(struct approval_cache *c)
{
	TAILQ_INIT(c);
}

static int
argv_equal(char *const *a, const struct approval_entry *e)
{
	size_t	 i;

	for (i = 0; i < e->argc; i++)
		if (a[i] == NULL || strcmp(a[i], e->argv[i]) != 0)
			return 0;
	return a[i] == NULL;
}

int
approval_cache_has(const struct approval_cache *c, char *const *argv)
{
	const struct approval_entry	*e;

	TAILQ_FOREACH(e, c, entry)
		if (argv_equal(argv, e))
			return 1;
	return 0;
}

/* Remember an exact argv the user approved for the session. */
int
approval_cache_add(struct approval_cache *c, char *const *argv)
{
	struct approval_entry	*e;
	size_t			 n;

	if (approval_cache_has(c, argv))
		return 0;
	for (n = 0; argv[n] != NULL; n++)
		;
	if ((e = calloc(1, sizeof(*e))) == NULL)
		return -1;
	if ((e->argv = calloc(n + 1, sizeof(*e->argv))) == NULL) {
		free(e);
		return -1;
	}
	for (e->argc = 0; e->argc < n; e->argc++) {
		if ((e->argv[e->argc] = strdup(argv[e->argc])) == NULL) {
			TAILQ_INSERT_TAIL(c, e, entry);
			return -1;
		}
	}
	TAILQ_INSERT_TAIL(c, e, entry);
	return 0;
}

void
approval_cache_clear(struct approval_cache *c)
{
	struct approval_entry	*e, *next;
	size_t			 i;

	TAILQ_FOREACH_SAFE(e, c, entry, next) {
		TAILQ_REMOVE(c, e, entry);
		for (i = 0; i < e->argc; i++)
			free(e->argv[i]);
		free(e->argv);
		free(e);
	}
}
