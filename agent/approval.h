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

#ifndef AGENT_APPROVAL_H
#define AGENT_APPROVAL_H

#include <sys/queue.h>

#include <stddef.h>

/*
 * Whether a command or a patch the model asked for may run, and how.
 * The policies are numbered as enum config_approval (config.h) and the
 * sandbox modes as enum policy_mode (sandbox/policy.h), so the caller
 * can pass either straight through.
 */
enum approval_policy {
	APPROVAL_UNTRUSTED,
	APPROVAL_ON_FAILURE,
	APPROVAL_ON_REQUEST,
	APPROVAL_NEVER
};

enum approval_sandbox {
	APPROVAL_SANDBOX_READ_ONLY,
	APPROVAL_SANDBOX_WORKSPACE_WRITE,
	APPROVAL_SANDBOX_FULL_ACCESS
};

enum approval_verdict {
	APPROVAL_RUN_SANDBOXED,
	APPROVAL_RUN_UNSANDBOXED,
	APPROVAL_ASK,
	APPROVAL_REFUSE
};

#define APPROVAL_REASON_MAX	256

/* Exact argvs (or patch path sets) the user approved for the session. */
struct approval_entry {
	TAILQ_ENTRY(approval_entry)	 entry;
	char				**argv;
	size_t				 argc;
};
TAILQ_HEAD(approval_cache, approval_entry);

struct approval_request {
	int		  policy;	/* enum approval_policy */
	int		  sandbox;	/* enum approval_sandbox */
	char *const	 *argv;		/* NULL-terminated */
	int		  escalate;	/* sandbox_permissions require_escalated */
	const struct approval_cache *cache;	/* may be NULL */
};

struct approval_result {
	int	verdict;		/* enum approval_verdict */
	char	reason[APPROVAL_REASON_MAX];
};

int	 is_known_safe(char *const *);
int	 is_dangerous(char *const *);
int	 approval_decide(const struct approval_request *,
	    struct approval_result *);
int	 approval_ask_after_denial(int);
int	 approval_within_roots(const char *, char *const *, size_t,
	    char *const *, size_t);
int	 approval_patch(int, int, int, struct approval_result *);
void	 approval_cache_init(struct approval_cache *);
int	 approval_cache_add(struct approval_cache *, char *const *);
int	 approval_cache_has(const struct approval_cache *, char *const *);
void	 approval_cache_clear(struct approval_cache *);
const char *approval_verdict_name(int);

#endif /* AGENT_APPROVAL_H */
