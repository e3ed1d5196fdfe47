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

#ifndef AGENT_CONTEXT_H
#define AGENT_CONTEXT_H

#include <stddef.h>
#include <time.h>

#include <jansson.h>

/*
 * The context a session starts with, as Responses API input items: a
 * developer message describing the sandbox and approval rules, then a
 * user message holding the AGENTS.md instructions and the
 * <environment_context> block.  The user's own prompt follows those.
 */

#define CONTEXT_DOC_MAX_DEFAULT	32768	/* project_doc_max_bytes */
/* The global AGENTS.md is not counted in the budget, but is bounded. */
#define CONTEXT_GLOBAL_MAX	(1024 * 1024)

struct context_params {
	const char	 *cwd;		/* absolute */
	const char	 *codex_home;	/* may be NULL: no global file */
	const char	 *shell;	/* NULL: from $SHELL, else bash */
	const char	 *timezone;	/* NULL: from TZ or /etc/localtime */
	int		  sandbox;	/* enum approval_sandbox */
	int		  policy;	/* enum approval_policy */
	int		  network;	/* network_access */
	char *const	 *roots;	/* writable roots, absolute */
	size_t		  nroots;
	size_t		  doc_max;	/* project_doc_max_bytes; 0: none */
	time_t		  now;		/* 0: time(NULL) */
	const char	 *developer_instructions;	/* may be NULL */
};

int	 context_agents_md(const char *, const char *, size_t, char **);
char	*context_agents_block(const char *, const char *);
char	*context_permissions(const struct context_params *);
char	*context_environment(const struct context_params *);
char	*context_timezone(void);
char	*context_shell_name(void);
void	 context_prime(void);
json_t	*context_message(const char *, const char *);
json_t	*context_initial(const struct context_params *);
const char *context_base_instructions(void);

#endif /* AGENT_CONTEXT_H */
