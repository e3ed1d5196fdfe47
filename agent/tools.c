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

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "agent/tools.h"

#define ERRPFX	"failed to parse function arguments: "

/*
 * The apply_patch language in Lark notation, for models that can be held
 * to a grammar while they write a custom tool's input.  It accepts the
 * same patches as the parser in execproc/patch.c in its strict form.
 */
static const char patch_grammar[] =
	"start: \"*** Begin Patch\" NL operation+ \"*** End Patch\" NL?\n"
	"\n"
	"operation: add_file | delete_file | update_file\n"
	"\n"
	"add_file: \"*** Add File: \" PATH NL added_line+\n"
	"added_line: \"+\" TEXT? NL\n"
	"\n"
	"delete_file: \"*** Delete File: \" PATH NL\n"
	"\n"
	"update_file: \"*** Update File: \" PATH NL rename? edits?\n"
	"rename: \"*** Move to: \" PATH NL\n"
	"edits: (anchor | diff_line)+ end_of_file?\n"
	"anchor: \"@@\" (\" \" TEXT)? NL\n"
	"diff_line: (\"+\" | \"-\" | \" \") TEXT? NL\n"
	"end_of_file: \"*** End of File\" NL\n"
	"\n"
	"PATH: /[^\\n]+/\n"
	"TEXT: /[^\\n]+/\n"
	"NL: \"\\n\"\n";

static const char shell_desc[] =
	"Run a program and get back its exit code and combined output. "
	"Give the argument vector in `command`; it is executed directly, "
	"not through a shell, so for pipes, redirections or && use "
	"[\"bash\", \"-lc\", \"<script>\"]. Always set `workdir` instead of "
	"starting the script with cd.";

static const char patch_freeform_desc[] =
	"Edit files with a patch in the apply_patch format. This is a "
	"FREEFORM tool: send the patch text itself, not JSON.";

static const char patch_function_desc[] =
	"Edit files by sending a patch in the apply_patch format as the "
	"`input` string.\n"
	"\n"
	"A patch starts with the line `*** Begin Patch` and ends with the "
	"line `*** End Patch`. In between come one or more file operations:\n"
	"\n"
	"*** Add File: <path>        every following line starts with + and "
	"is a line of the new file\n"
	"*** Delete File: <path>     nothing follows\n"
	"*** Update File: <path>     optionally followed by "
	"`*** Move to: <new path>`, then one or more change blocks\n"
	"\n"
	"A change block may start with `@@` or `@@ <line>`, where <line> is a "
	"nearby line of the file (such as a function or class header) that "
	"locates the change when the context alone is ambiguous. Inside a "
	"block, lines starting with a space are unchanged context, lines "
	"starting with - are removed and lines starting with + are added. "
	"Show about three lines of context before and after each change, "
	"copied exactly. A block that ends at the end of the file may be "
	"followed by `*** End of File`.\n"
	"\n"
	"Example:\n"
	"\n"
	"*** Begin Patch\n"
	"*** Update File: src/main.c\n"
	"@@ main(void)\n"
	" \tint n = 0;\n"
	"-\tputs(\"hi\");\n"
	"+\tputs(\"hello\");\n"
	" \treturn n;\n"
	"*** Delete File: old.txt\n"
	"*** End Patch\n"
	"\n"
	"Paths are relative to the working directory; never use absolute "
	"paths.";

static const char plan_desc[] =
	"Record the plan for the current task and its progress, so the user "
	"can follow along. Send the whole plan each time, with every step's "
	"status; at most one step may be in_progress.";

static const char view_image_desc[] =
	"Look at an image file on the local disk, for example a screenshot "
	"or diagram the user mentioned by path.";

const char *
tools_patch_grammar(void)
{
	return patch_grammar;
}

static int
prefixed(const char *s, const char *p)
{
	return strncmp(s, p, strlen(p)) == 0;
}

/*
 * Which apply_patch tool a model gets.  A setting ("freeform",
 * "function", "none") wins.  OpenAI's own GPT-5 and codex models accept
 * grammar-constrained custom tools; gpt-oss and unknown models (local
 * servers, other providers) are safer with a plain function tool.
 */
int
tools_patch_kind(const char *model, const char *setting)
{
	if (setting != NULL) {
		if (strcmp(setting, "freeform") == 0)
			return TOOLS_PATCH_FREEFORM;
		if (strcmp(setting, "function") == 0)
			return TOOLS_PATCH_FUNCTION;
		if (strcmp(setting, "none") == 0)
			return TOOLS_PATCH_NONE;
	}
	if (model == NULL || prefixed(model, "gpt-oss"))
		return TOOLS_PATCH_FUNCTION;
	if (prefixed(model, "gpt-5") || prefixed(model, "codex-") ||
	    prefixed(model, "o3") || prefixed(model, "o4") ||
	    prefixed(model, "gpt-4.1"))
		return TOOLS_PATCH_FREEFORM;
	return TOOLS_PATCH_FUNCTION;
}

/* {"type":"function","name",...,"strict":false,"parameters":{...}} */
static json_t *
function_tool(const char *name, const char *desc, json_t *props,
    json_t *required)
{
	if (props == NULL || required == NULL) {
		json_decref(props);
		json_decref(required);
		return NULL;
	}
	return json_pack("{s:s, s:s, s:s, s:b, s:{s:s, s:o, s:o, s:b}}",
	    "type", "function", "name", name, "description", desc,
	    "strict", 0, "parameters", "type", "object", "properties", props,
	    "required", required, "additionalProperties", 0);
}

json_t *
tools_shell_spec(int escalation)
{
	json_t	*props;

	props = json_pack("{s:{s:s, s:{s:s}, s:s}, s:{s:s, s:s}, "
	    "s:{s:s, s:s}}",
	    "command", "type", "array", "items", "type", "string",
	    "description", "The program and its arguments.",
	    "workdir", "type", "string", "description",
	    "Directory to run the command in.",
	    "timeout_ms", "type", "number", "description",
	    "Time limit in milliseconds (default 10000).");
	if (props != NULL && escalation && json_object_update_new(props,
	    json_pack("{s:{s:s, s:[ss], s:s}, s:{s:s, s:s}}",
	    "sandbox_permissions", "type", "string", "enum", "use_default",
	    "require_escalated", "description",
	    "use_default normally; require_escalated asks the user to let "
	    "this command run outside the sandbox.",
	    "justification", "type", "string", "description",
	    "With require_escalated: one sentence telling the user why the "
	    "command needs it.")) == -1) {
		json_decref(props);
		return NULL;
	}
	return function_tool("shell", shell_desc, props,
	    json_pack("[s]", "command"));
}

json_t *
tools_apply_patch_freeform_spec(void)
{
	return json_pack("{s:s, s:s, s:s, s:{s:s, s:s, s:s}}",
	    "type", "custom", "name", "apply_patch", "description",
	    patch_freeform_desc, "format", "type", "grammar", "syntax",
	    "lark", "definition", patch_grammar);
}

json_t *
tools_apply_patch_function_spec(void)
{
	return function_tool("apply_patch", patch_function_desc,
	    json_pack("{s:{s:s, s:s}}", "input", "type", "string",
	    "description", "The whole patch, from *** Begin Patch to "
	    "*** End Patch."), json_pack("[s]", "input"));
}

json_t *
tools_update_plan_spec(void)
{
	return function_tool("update_plan", plan_desc,
	    json_pack("{s:{s:s, s:s}, s:{s:s, s:s, s:{s:s, s:{s:{s:s}, "
	    "s:{s:s, s:[sss]}}, s:[ss], s:b}}}",
	    "explanation", "type", "string", "description",
	    "Optional note on why the plan changed.",
	    "plan", "type", "array", "description", "The steps, in order.",
	    "items", "type", "object", "properties",
	    "step", "type", "string",
	    "status", "type", "string", "enum", "pending", "in_progress",
	    "completed",
	    "required", "step", "status", "additionalProperties", 0),
	    json_pack("[s]", "plan"));
}

json_t *
tools_view_image_spec(void)
{
	return function_tool("view_image", view_image_desc,
	    json_pack("{s:{s:s, s:s}}", "path", "type", "string",
	    "description", "Path of the image file."),
	    json_pack("[s]", "path"));
}

static int
append(json_t *a, json_t *t)
{
	return t == NULL ? -1 : json_array_append_new(a, t);
}

/* The tools array of a request, in the order Codex lists them. */
json_t *
tools_specs(const struct tools_config *tc)
{
	json_t	*a;

	if ((a = json_array()) == NULL)
		return NULL;
	if (append(a, tools_shell_spec(tc->escalation)) == -1)
		goto fail;
	if (tc->plan && append(a, tools_update_plan_spec()) == -1)
		goto fail;
	if (tc->patch_kind == TOOLS_PATCH_FREEFORM &&
	    append(a, tools_apply_patch_freeform_spec()) == -1)
		goto fail;
	if (tc->patch_kind == TOOLS_PATCH_FUNCTION &&
	    append(a, tools_apply_patch_function_spec()) == -1)
		goto fail;
	if (tc->view_image && append(a, tools_view_image_spec()) == -1)
		goto fail;
	return a;
 fail:
	json_decref(a);
	return NULL;
}

static int
fail(char *err, size_t len, const char *fmt, ...)
{
	va_list	 ap;
	int	 r;

	r = snprintf(err, len, "%s", ERRPFX);
	if (r < 0 || (size_t)r >= len)
		return -1;
	va_start(ap, fmt);
	(void)vsnprintf(err + r, len - r, fmt, ap);
	va_end(ap);
	return -1;
}

/* The arguments string must hold one JSON object. */
static json_t *
load_object(const char *args, char *err, size_t len)
{
	json_error_t	 je;
	json_t		*o;

	if (args == NULL || *args == '\0') {
		fail(err, len, "the arguments are empty; expected a JSON "
		    "object");
		return NULL;
	}
	if ((o = json_loads(args, JSON_REJECT_DUPLICATES, &je)) == NULL) {
		fail(err, len, "invalid JSON at line %d column %d: %s",
		    je.line, je.column, je.text);
		return NULL;
	}
	if (!json_is_object(o)) {
		json_decref(o);
		fail(err, len, "expected a JSON object");
		return NULL;
	}
	return o;
}

/*
 * An optional string field: 0 and *out set (NULL when absent or null),
 * or -1 with an error.
 */
static int
opt_string(json_t *o, const char *key, char **out, char *err, size_t len)
{
	json_t	*v = json_object_get(o, key);

	*out = NULL;
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return fail(err, len, "`%s` must be a string", key);
	if ((*out = strdup(json_string_value(v))) == NULL)
		return fail(err, len, "out of memory");
	return 0;
}

static int
req_string(json_t *o, const char *key, char **out, char *err, size_t len)
{
	if (opt_string(o, key, out, err, len) == -1)
		return -1;
	if (*out == NULL)
		return fail(err, len, "missing field `%s`", key);
	if (**out == '\0') {
		free(*out);
		*out = NULL;
		return fail(err, len, "`%s` must not be empty", key);
	}
	return 0;
}

static int
parse_argv(json_t *v, struct tool_shell *ts, char *err, size_t len)
{
	size_t	 i;
	json_t	*e;

	if (v == NULL)
		return fail(err, len, "missing field `command`");
	if (!json_is_array(v) || json_array_size(v) == 0)
		return fail(err, len, "`command` must be a non-empty array "
		    "of strings, like [\"ls\", \"-l\"]");
	if ((ts->argv = calloc(json_array_size(v) + 1,
	    sizeof(*ts->argv))) == NULL)
		return fail(err, len, "out of memory");
	json_array_foreach(v, i, e) {
		if (!json_is_string(e))
			return fail(err, len, "`command[%zu]` must be a "
			    "string", i);
		if ((ts->argv[i] = strdup(json_string_value(e))) == NULL)
			return fail(err, len, "out of memory");
		ts->argc = i + 1;
	}
	if (ts->argv[0][0] == '\0')
		return fail(err, len, "`command[0]` must name a program");
	return 0;
}

static int
parse_timeout(json_t *o, struct tool_shell *ts, char *err, size_t len)
{
	json_t	*v;
	double	 d;

	ts->timeout_ms = TOOLS_DEFAULT_TIMEOUT_MS;
	if ((v = json_object_get(o, "timeout_ms")) == NULL)
		v = json_object_get(o, "timeout");
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_number(v))
		return fail(err, len, "`timeout_ms` must be a number of "
		    "milliseconds");
	d = json_number_value(v);
	if (!isfinite(d) || d < 0 || d > 86400000.0 * 365)
		return fail(err, len, "`timeout_ms` must be between 0 and "
		    "a year");
	ts->timeout_ms = (int64_t)d;
	return 0;
}

static int
parse_escalation(json_t *o, struct tool_shell *ts, char *err, size_t len)
{
	json_t		*v;
	const char	*s;

	/* Older models send a boolean instead of sandbox_permissions. */
	v = json_object_get(o, "with_escalated_permissions");
	if (v != NULL && !json_is_null(v)) {
		if (!json_is_boolean(v))
			return fail(err, len, "`with_escalated_permissions` "
			    "must be true or false");
		ts->escalate = json_is_true(v);
	}
	v = json_object_get(o, "sandbox_permissions");
	if (v == NULL || json_is_null(v))
		return 0;
	s = json_string_value(v);
	if (s != NULL && strcmp(s, "use_default") == 0)
		ts->escalate = 0;
	else if (s != NULL && strcmp(s, "require_escalated") == 0)
		ts->escalate = 1;
	else
		return fail(err, len, "`sandbox_permissions` must be "
		    "\"use_default\" or \"require_escalated\"");
	return 0;
}

/* Arguments of a shell call; fields the schema does not know are ignored. */
int
tools_parse_shell(const char *args, struct tool_shell *ts, char *err,
    size_t len)
{
	json_t	*o;
	int	 r = -1;

	memset(ts, 0, sizeof(*ts));
	if ((o = load_object(args, err, len)) == NULL)
		return -1;
	if (parse_argv(json_object_get(o, "command"), ts, err, len) == -1 ||
	    opt_string(o, "workdir", &ts->workdir, err, len) == -1 ||
	    parse_timeout(o, ts, err, len) == -1 ||
	    parse_escalation(o, ts, err, len) == -1 ||
	    opt_string(o, "justification", &ts->justification, err,
	    len) == -1)
		goto out;
	if (ts->workdir != NULL && ts->workdir[0] == '\0') {
		free(ts->workdir);
		ts->workdir = NULL;
	}
	r = 0;
 out:
	json_decref(o);
	if (r == -1)
		tools_shell_free(ts);
	return r;
}

void
tools_shell_free(struct tool_shell *ts)
{
	size_t	 i;

	if (ts->argv != NULL) {
		for (i = 0; ts->argv[i] != NULL; i++)
			free(ts->argv[i]);
		free(ts->argv);
	}
	free(ts->workdir);
	free(ts->justification);
	memset(ts, 0, sizeof(*ts));
}

const char *
plan_status_name(int st)
{
	switch (st) {
	case PLAN_PENDING:
		return "pending";
	case PLAN_IN_PROGRESS:
		return "in_progress";
	case PLAN_COMPLETED:
		return "completed";
	}
	return NULL;
}

static int
parse_step(json_t *v, size_t i, struct plan_step *ps, char *err, size_t len)
{
	const char	*s;
	int		 st;

	if (!json_is_object(v))
		return fail(err, len, "`plan[%zu]` must be an object with "
		    "`step` and `status`", i);
	if ((s = json_string_value(json_object_get(v, "step"))) == NULL)
		return fail(err, len, "`plan[%zu].step` must be a string", i);
	if (*s == '\0')
		return fail(err, len, "`plan[%zu].step` is empty", i);
	if ((ps->step = strdup(s)) == NULL)
		return fail(err, len, "out of memory");
	s = json_string_value(json_object_get(v, "status"));
	for (st = PLAN_PENDING; s != NULL && st <= PLAN_COMPLETED; st++)
		if (strcmp(s, plan_status_name(st)) == 0)
			break;
	if (s == NULL || st > PLAN_COMPLETED)
		return fail(err, len, "`plan[%zu].status` must be \"pending\", "
		    "\"in_progress\" or \"completed\"", i);
	ps->status = st;
	return 0;
}

static int
parse_steps(json_t *v, struct tool_plan *tp, char *err, size_t len)
{
	size_t	 i, busy = 0;
	json_t	*e;

	if (v == NULL)
		return fail(err, len, "missing field `plan`");
	if (!json_is_array(v))
		return fail(err, len, "`plan` must be an array of steps");
	if (json_array_size(v) > 0 && (tp->steps = calloc(json_array_size(v),
	    sizeof(*tp->steps))) == NULL)
		return fail(err, len, "out of memory");
	json_array_foreach(v, i, e) {
		tp->nsteps = i + 1;
		if (parse_step(e, i, &tp->steps[i], err, len) == -1)
			return -1;
		if (tp->steps[i].status == PLAN_IN_PROGRESS)
			busy++;
	}
	if (busy > 1)
		return fail(err, len, "at most one step can be in_progress "
		    "at a time, but %zu are", busy);
	return 0;
}

int
tools_parse_plan(const char *args, struct tool_plan *tp, char *err,
    size_t len)
{
	json_t	*o;
	int	 r = -1;

	memset(tp, 0, sizeof(*tp));
	if ((o = load_object(args, err, len)) == NULL)
		return -1;
	if (opt_string(o, "explanation", &tp->explanation, err, len) == 0 &&
	    parse_steps(json_object_get(o, "plan"), tp, err, len) == 0)
		r = 0;
	json_decref(o);
	if (r == -1)
		tools_plan_free(tp);
	return r;
}

void
tools_plan_free(struct tool_plan *tp)
{
	size_t	 i;

	for (i = 0; i < tp->nsteps; i++)
		free(tp->steps[i].step);
	free(tp->steps);
	free(tp->explanation);
	memset(tp, 0, sizeof(*tp));
}

/* One required, non-empty string field. */
static int
parse_one(const char *args, const char *key, char **out, char *err,
    size_t len)
{
	json_t	*o;
	int	 r;

	*out = NULL;
	if ((o = load_object(args, err, len)) == NULL)
		return -1;
	r = req_string(o, key, out, err, len);
	json_decref(o);
	return r;
}

int
tools_parse_view_image(const char *args, char **path, char *err,
    size_t len)
{
	return parse_one(args, "path", path, err, len);
}

int
tools_parse_apply_patch(const char *args, char **input, char *err,
    size_t len)
{
	return parse_one(args, "input", input, err, len);
}
