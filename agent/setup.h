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

#ifndef SETUP_H
#define SETUP_H

#include <stddef.h>

#include <jansson.h>

struct config;
struct policy;
struct rollout;

/* The session flags exec and the interactive mode both take. */
struct setup_flags {
	const char	*model;		/* -m */
	const char	*sandbox;	/* -s */
	const char	*approval;	/* -a */
	int		 oss;		/* --oss */
	int		 full_auto;	/* --full-auto */
	int		 full_auto_asks; /* it also means -a on-request */
	int		 yolo;		/* --dangerously-bypass-... */
};

/*
 * What every kind of session (exec, interactive, MCP) sets up the same
 * way before the parent is confined: the sandbox policy from the
 * configuration, execproc's arguments, the commands' environment, the
 * session id, and its record under $CODEX_HOME.
 */
int		 setup_policy(const struct config *, const char *,
		    struct policy *, char *, size_t);
int		 setup_policy_mode(int, const char *, struct policy *, char *,
		    size_t);
void		 setup_execproc_argv(const struct policy *, char **, size_t);
char		**setup_env(const struct config *, const struct policy *);
void		 setup_thread_id(char *, size_t);
int		 setup_histfd(const struct config *);
int		 setup_histwrite(int, const char *, size_t);
struct rollout	*setup_rollout(const struct config *, const char *,
		    const char *, const char *, const char *, const char *,
		    char *, size_t);
json_t		*setup_resume(struct config *, const char *, int, int, char *,
		    size_t, struct rollout **);
void		 setup_config_flags(struct config *, const char *,
		    const struct setup_flags *);
int		 setup_want_color(const char *);
void		 setup_close_calls(json_t *);

#endif /* SETUP_H */
