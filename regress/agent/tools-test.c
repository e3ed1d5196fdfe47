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
 * Tests for agent/tools.c: tool specs against the shapes of the requests
 * Codex 0.171 sent (../shared/conformance/codex-0.171), and the parsing
 * of the model's arguments.
 */

#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "agent/tools.h"
#include "regress/tap.h"

#define SAMPLES	"../shared/conformance/codex-0.171/sample-requests.jsonl"

static char	 errbuf[TOOLS_ERR_MAX];

/* The tools array of the first request in the samples, or NULL. */
static json_t *
sample_tools(void)
{
	const char	*path = getenv("CODEX_SAMPLES");
	json_error_t	 je;
	json_t		*req, *tools;
	FILE		*fp;
	char		*line = NULL;
	size_t		 cap = 0;

	if ((fp = fopen(path != NULL ? path : SAMPLES, "re")) == NULL)
		return NULL;
	if (getline(&line, &cap, fp) == -1) {
		free(line);
		fclose(fp);
		return NULL;
	}
	fclose(fp);
	req = json_loads(line, 0, &je);
	free(line);
	if (req == NULL)
		errx(1, "samples: %s", je.text);
	tools = json_incref(json_object_get(json_object_get(req, "body"),
	    "tools"));
	json_decref(req);
	return tools;
}

static json_t *
find_tool(json_t *tools, const char *name)
{
	size_t	 i;
	json_t	*t;

	json_array_foreach(tools, i, t) {
		const char *n = json_string_value(json_object_get(t, "name"));

		if (n != NULL && strcmp(n, name) == 0)
			return t;
	}
	return NULL;
}

/* Same keys at the top level and, for functions, in "parameters". */
static int
same_keys(json_t *a, json_t *b)
{
	const char	*k;
	json_t		*v;

	if (json_object_size(a) != json_object_size(b))
		return 0;
	json_object_foreach(a, k, v)
		if (json_object_get(b, k) == NULL)
			return 0;
	return 1;
}

static int
same_shape(json_t *ours, json_t *theirs)
{
	json_t	*pa, *pb;

	if (!same_keys(ours, theirs) || !json_equal(json_object_get(ours,
	    "type"), json_object_get(theirs, "type")))
		return 0;
	if (json_object_get(ours, "strict") != NULL &&
	    !json_equal(json_object_get(ours, "strict"),
	    json_object_get(theirs, "strict")))
		return 0;
	pa = json_object_get(ours, "parameters");
	pb = json_object_get(theirs, "parameters");
	if (pa == NULL)
		return pb == NULL;
	return same_keys(pa, pb) &&
	    json_equal(json_object_get(pa, "type"), json_object_get(pb,
	    "type")) && json_equal(json_object_get(pa,
	    "additionalProperties"), json_object_get(pb,
	    "additionalProperties"));
}

static const char *
prop_type(json_t *tool, const char *prop)
{
	return json_string_value(json_object_get(json_object_get(
	    json_object_get(json_object_get(tool, "parameters"),
	    "properties"), prop), "type"));
}

static void
test_shapes(void)
{
	json_t	*sample, *t, *s, *fmt;
	int	 i;

	if ((sample = sample_tools()) == NULL) {
		for (i = 0; i < 5; i++)
			tap_ok(1, "# SKIP no %s", SAMPLES);
		return;
	}
	t = tools_view_image_spec();
	s = find_tool(sample, "view_image");
	tap_ok(s != NULL && same_shape(t, s) && json_equal(json_object_get(
	    json_object_get(t, "parameters"), "required"), json_object_get(
	    json_object_get(s, "parameters"), "required")) &&
	    strcmp(prop_type(t, "path"), prop_type(s, "path")) == 0,
	    "view_image has Codex's shape and required path");
	json_decref(t);
	t = tools_apply_patch_freeform_spec();
	s = find_tool(sample, "apply_patch");
	fmt = json_object_get(t, "format");
	tap_ok(s != NULL && same_shape(t, s) && same_keys(fmt,
	    json_object_get(s, "format")) && json_equal(json_object_get(fmt,
	    "syntax"), json_object_get(json_object_get(s, "format"),
	    "syntax")) && strcmp(json_string_value(json_object_get(fmt,
	    "type")), "grammar") == 0, "apply_patch freeform: custom, lark "
	    "grammar format");
	tap_ok(s != NULL && strcmp(json_string_value(json_object_get(fmt,
	    "definition")), json_string_value(json_object_get(
	    json_object_get(s, "format"), "definition"))) != 0,
	    "the grammar is our own text");
	json_decref(t);
	/* shell is not in the samples; exec_command has the same frame. */
	t = tools_shell_spec(1);
	s = find_tool(sample, "exec_command");
	tap_ok(s != NULL && same_keys(t, s) && same_keys(json_object_get(t,
	    "parameters"), json_object_get(s, "parameters")) &&
	    strcmp(prop_type(t, "workdir"), prop_type(s, "workdir")) == 0 &&
	    strcmp(prop_type(t, "justification"),
	    prop_type(s, "justification")) == 0,
	    "shell has the frame of Codex's command tool");
	tap_ok(s != NULL && json_equal(json_object_get(json_object_get(
	    json_object_get(json_object_get(t, "parameters"), "properties"),
	    "sandbox_permissions"), "enum"), json_object_get(json_object_get(
	    json_object_get(json_object_get(s, "parameters"), "properties"),
	    "sandbox_permissions"), "enum")), "sandbox_permissions values");
	json_decref(t);
	json_decref(sample);
}

static int
names_are(json_t *tools, const char *want)
{
	char	 got[256] = "";
	size_t	 i;
	json_t	*t;

	json_array_foreach(tools, i, t) {
		if (i > 0)
			strlcat(got, " ", sizeof(got));
		strlcat(got, json_string_value(json_object_get(t, "name")),
		    sizeof(got));
	}
	return strcmp(got, want) == 0;
}

static void
test_specs(void)
{
	struct tools_config	 tc = { TOOLS_PATCH_FREEFORM, 1, 1, 1 };
	const char		*g = tools_patch_grammar();
	json_t			*a, *t, *st;

	a = tools_specs(&tc);
	tap_ok(a != NULL && names_are(a, "shell update_plan apply_patch "
	    "view_image"), "all tools, in order");
	tap_ok(strcmp(json_string_value(json_object_get(json_array_get(a, 2),
	    "type")), "custom") == 0, "freeform apply_patch is custom");
	json_decref(a);
	tc.patch_kind = TOOLS_PATCH_FUNCTION;
	tc.plan = tc.view_image = tc.escalation = 0;
	a = tools_specs(&tc);
	t = json_array_get(a, 1);
	tap_ok(a != NULL && names_are(a, "shell apply_patch") &&
	    strcmp(prop_type(t, "input"), "string") == 0 &&
	    strcmp(json_string_value(json_array_get(json_object_get(
	    json_object_get(t, "parameters"), "required"), 0)), "input") == 0,
	    "function apply_patch takes a required input string");
	tap_ok(prop_type(json_array_get(a, 0), "sandbox_permissions") == NULL,
	    "no escalation parameters when they cannot be used");
	json_decref(a);
	t = tools_update_plan_spec();
	st = json_object_get(json_object_get(json_object_get(json_object_get(
	    json_object_get(json_object_get(t, "parameters"), "properties"),
	    "plan"), "items"), "properties"), "status");
	tap_ok(strcmp(prop_type(t, "plan"), "array") == 0 &&
	    json_array_size(json_object_get(st, "enum")) == 3,
	    "update_plan: plan array, three statuses");
	json_decref(t);
	tap_ok(strstr(g, "\"*** Begin Patch\"") && strstr(g, "\"*** End Patch\"")
	    && strstr(g, "\"*** Add File: \"") &&
	    strstr(g, "\"*** Delete File: \"") &&
	    strstr(g, "\"*** Update File: \"") &&
	    strstr(g, "\"*** Move to: \"") &&
	    strstr(g, "\"*** End of File\"") && strstr(g, "\"@@\"") &&
	    strncmp(g, "start:", 6) == 0, "grammar has every keyword");
	tap_ok(tools_patch_kind("gpt-5-codex", NULL) == TOOLS_PATCH_FREEFORM &&
	    tools_patch_kind("gpt-5.4", NULL) == TOOLS_PATCH_FREEFORM &&
	    tools_patch_kind("gpt-oss:20b", NULL) == TOOLS_PATCH_FUNCTION &&
	    tools_patch_kind("llama3", NULL) == TOOLS_PATCH_FUNCTION &&
	    tools_patch_kind("llama3", "freeform") == TOOLS_PATCH_FREEFORM &&
	    tools_patch_kind("gpt-5", "function") == TOOLS_PATCH_FUNCTION &&
	    tools_patch_kind("gpt-5", "none") == TOOLS_PATCH_NONE,
	    "apply_patch kind per model family and setting");
}

struct shell_case {
	const char	*args;
	const char	*error;		/* NULL: must parse */
};

static const struct shell_case shell_cases[] = {
	{ "{\"command\":[\"ls\",\"-l\"]}", NULL },
	{ "{\"command\":[\"ls\"],\"workdir\":\"/w\",\"timeout_ms\":2500,"
	    "\"sandbox_permissions\":\"require_escalated\","
	    "\"justification\":\"needs network\",\"extra\":1}", NULL },
	{ "{\"command\":[\"ls\"],\"timeout\":7}", NULL },
	{ "{\"command\":[\"ls\"],\"with_escalated_permissions\":true}", NULL },
	{ "", "the arguments are empty" },
	{ "{\"command\":", "invalid JSON at line 1" },
	{ "[\"ls\"]", "expected a JSON object" },
	{ "{}", "missing field `command`" },
	{ "{\"command\":\"ls -l\"}", "`command` must be a non-empty array" },
	{ "{\"command\":[]}", "`command` must be a non-empty array" },
	{ "{\"command\":[\"ls\",3]}", "`command[1]` must be a string" },
	{ "{\"command\":[\"\"]}", "`command[0]` must name a program" },
	{ "{\"command\":[\"ls\"],\"timeout_ms\":-1}", "`timeout_ms` must be "
	    "between" },
	{ "{\"command\":[\"ls\"],\"timeout_ms\":\"5\"}", "`timeout_ms` must "
	    "be a number" },
	{ "{\"command\":[\"ls\"],\"workdir\":5}", "`workdir` must be a "
	    "string" },
	{ "{\"command\":[\"ls\"],\"sandbox_permissions\":\"root\"}",
	    "`sandbox_permissions` must be" },
	{ "{\"command\":[\"ls\"],\"command\":[\"rm\"]}", "duplicate" },
};

static void
test_shell(void)
{
	struct tool_shell	 ts;
	size_t			 i;
	int			 r;

	for (i = 0; i < sizeof(shell_cases) / sizeof(shell_cases[0]); i++) {
		const struct shell_case *c = &shell_cases[i];

		errbuf[0] = '\0';
		r = tools_parse_shell(c->args, &ts, errbuf, sizeof(errbuf));
		if (c->error == NULL)
			tap_ok(r == 0 && ts.argc > 0 && ts.argv[ts.argc] ==
			    NULL, "shell args %zu parse", i);
		else
			tap_ok(r == -1 && strncmp(errbuf, "failed to parse "
			    "function arguments: ", 36) == 0 &&
			    strstr(errbuf, c->error) != NULL && ts.argv ==
			    NULL, "shell args %zu: %s", i, errbuf);
		tools_shell_free(&ts);
	}
	tools_parse_shell(shell_cases[1].args, &ts, errbuf, sizeof(errbuf));
	tap_ok(ts.argc == 1 && strcmp(ts.workdir, "/w") == 0 &&
	    ts.timeout_ms == 2500 && ts.escalate &&
	    strcmp(ts.justification, "needs network") == 0,
	    "every shell field is read");
	tools_shell_free(&ts);
	tools_parse_shell(shell_cases[0].args, &ts, errbuf, sizeof(errbuf));
	tap_ok(ts.timeout_ms == TOOLS_DEFAULT_TIMEOUT_MS && !ts.escalate &&
	    ts.workdir == NULL && ts.argc == 2, "shell defaults");
	tools_shell_free(&ts);
	tools_parse_shell(shell_cases[3].args, &ts, errbuf, sizeof(errbuf));
	tap_ok(ts.escalate, "with_escalated_permissions is understood");
	tools_shell_free(&ts);
}

static void
test_plan(void)
{
	struct tool_plan	 tp;
	char			*s;
	int			 r;

	r = tools_parse_plan("{\"explanation\":\"why\",\"plan\":["
	    "{\"step\":\"read\",\"status\":\"completed\"},"
	    "{\"step\":\"fix\",\"status\":\"in_progress\"},"
	    "{\"step\":\"test\",\"status\":\"pending\"}]}", &tp, errbuf,
	    sizeof(errbuf));
	tap_ok(r == 0 && tp.nsteps == 3 && strcmp(tp.explanation, "why") == 0 &&
	    tp.steps[0].status == PLAN_COMPLETED &&
	    tp.steps[1].status == PLAN_IN_PROGRESS &&
	    strcmp(tp.steps[2].step, "test") == 0, "a plan parses");
	tools_plan_free(&tp);
	r = tools_parse_plan("{\"plan\":[{\"step\":\"a\",\"status\":"
	    "\"in_progress\"},{\"step\":\"b\",\"status\":\"in_progress\"}]}",
	    &tp, errbuf, sizeof(errbuf));
	tap_ok(r == -1 && strstr(errbuf, "at most one step can be "
	    "in_progress") != NULL, "two steps in progress: %s", errbuf);
	r = tools_parse_plan("{\"plan\":[{\"step\":\"a\",\"status\":\"done\"}]}",
	    &tp, errbuf, sizeof(errbuf));
	tap_ok(r == -1 && strstr(errbuf, "`plan[0].status` must be") != NULL,
	    "unknown status: %s", errbuf);
	r = tools_parse_plan("{\"plan\":[{\"step\":1,\"status\":\"pending\"}]}",
	    &tp, errbuf, sizeof(errbuf));
	tap_ok(r == -1 && strstr(errbuf, "`plan[0].step` must be a string"),
	    "step not a string: %s", errbuf);
	r = tools_parse_plan("{\"explanation\":null}", &tp, errbuf,
	    sizeof(errbuf));
	tap_ok(r == -1 && strstr(errbuf, "missing field `plan`") != NULL,
	    "missing plan: %s", errbuf);
	r = tools_parse_plan("{\"plan\":[]}", &tp, errbuf, sizeof(errbuf));
	tap_ok(r == 0 && tp.nsteps == 0 && tp.explanation == NULL,
	    "an empty plan is accepted");
	tools_plan_free(&tp);
	r = tools_parse_view_image("{\"path\":\"/tmp/a.png\"}", &s, errbuf,
	    sizeof(errbuf));
	tap_ok(r == 0 && strcmp(s, "/tmp/a.png") == 0, "view_image path");
	free(s);
	r = tools_parse_view_image("{\"path\":\"\"}", &s, errbuf,
	    sizeof(errbuf));
	tap_ok(r == -1 && s == NULL && strstr(errbuf, "`path` must not be "
	    "empty"), "view_image empty path: %s", errbuf);
	r = tools_parse_apply_patch("{\"input\":\"*** Begin Patch\\n\"}", &s,
	    errbuf, sizeof(errbuf));
	tap_ok(r == 0 && strcmp(s, "*** Begin Patch\n") == 0,
	    "apply_patch input");
	free(s);
	r = tools_parse_apply_patch("{\"patch\":\"x\"}", &s, errbuf,
	    sizeof(errbuf));
	tap_ok(r == -1 && strstr(errbuf, "missing field `input`"),
	    "apply_patch without input: %s", errbuf);
}

int
main(void)
{
	tap_plan(5 + 7 + (int)(sizeof(shell_cases) / sizeof(shell_cases[0])) +
	    3 + 10);
	test_shapes();
	test_specs();
	test_shell();
	test_plan();
	return tap_done();
}
