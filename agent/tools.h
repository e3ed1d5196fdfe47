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

#ifndef AGENT_TOOLS_H
#define AGENT_TOOLS_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

/*
 * The tools offered to the model, as Responses API tool objects, and the
 * parsing of the arguments the model sends back.  Parse errors are
 * written to a caller's buffer in words meant for the model, which gets
 * them as the tool's output and can correct its call.
 */

enum tools_patch_kind {
	TOOLS_PATCH_NONE,	/* no apply_patch tool */
	TOOLS_PATCH_FREEFORM,	/* custom tool with a lark grammar */
	TOOLS_PATCH_FUNCTION	/* function tool with one "input" string */
};

struct tools_config {
	int	 patch_kind;	/* enum tools_patch_kind */
	int	 escalation;	/* offer sandbox_permissions/justification */
	int	 plan;		/* offer update_plan */
	int	 view_image;	/* offer view_image */
};

enum plan_status {
	PLAN_PENDING,
	PLAN_IN_PROGRESS,
	PLAN_COMPLETED
};

#define TOOLS_ERR_MAX		512
/* Codex's default for a shell call without timeout_ms. */
#define TOOLS_DEFAULT_TIMEOUT_MS	10000

struct tool_shell {
	char		**argv;		/* NULL-terminated */
	size_t		  argc;
	char		 *workdir;	/* NULL: the session's cwd */
	int64_t		  timeout_ms;	/* TOOLS_DEFAULT_TIMEOUT_MS if unset */
	int		  escalate;	/* require_escalated */
	char		 *justification;	/* may be NULL */
};

struct plan_step {
	char	*step;
	int	 status;		/* enum plan_status */
};

struct tool_plan {
	char		 *explanation;	/* may be NULL */
	struct plan_step *steps;
	size_t		  nsteps;
};

int	 tools_patch_kind(const char *, const char *);
json_t	*tools_shell_spec(int);
json_t	*tools_apply_patch_freeform_spec(void);
json_t	*tools_apply_patch_function_spec(void);
json_t	*tools_update_plan_spec(void);
json_t	*tools_view_image_spec(void);
json_t	*tools_specs(const struct tools_config *);
const char *tools_patch_grammar(void);

int	 tools_parse_shell(const char *, struct tool_shell *, char *, size_t);
void	 tools_shell_free(struct tool_shell *);
int	 tools_parse_plan(const char *, struct tool_plan *, char *, size_t);
void	 tools_plan_free(struct tool_plan *);
int	 tools_parse_view_image(const char *, char **, char *, size_t);
int	 tools_parse_apply_patch(const char *, char **, char *, size_t);
const char *plan_status_name(int);

#endif /* AGENT_TOOLS_H */
