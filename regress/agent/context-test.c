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
 * Tests for agent/context.c: AGENTS.md discovery in a throwaway tree,
 * the permissions and environment texts, and the initial input items.
 */

#include <sys/stat.h>

#include <err.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "agent/approval.h"
#include "agent/context.h"
#include "regress/tap.h"

static char	*top;

static void
mk(const char *rel)
{
	char	 p[PATH_MAX];

	if ((size_t)snprintf(p, sizeof(p), "%s/%s", top, rel) >= sizeof(p) ||
	    mkdir(p, 0755) == -1)
		err(1, "mkdir %s", rel);
}

static void
put(const char *rel, const char *text)
{
	char	 p[PATH_MAX];

	if ((size_t)snprintf(p, sizeof(p), "%s/%s", top, rel) >= sizeof(p) ||
	    tap_write(p, text) == -1)
		err(1, "write %s", rel);
}

static char *
at(const char *rel)
{
	static char	 p[PATH_MAX];

	if ((size_t)snprintf(p, sizeof(p), "%s/%s", top, rel) >= sizeof(p))
		errx(1, "path too long");
	return p;
}

/*
 * home/AGENTS.md (global), repo/.git, repo/AGENTS.md, repo/a/AGENTS.md,
 * repo/a/b (no file), repo/a/b/c/AGENTS.md, and above the repository
 * an AGENTS.md that must not be read.
 */
static void
setup(void)
{
	top = tap_tmpdir();
	mk("home");
	mk("repo");
	mk("repo/.git");
	mk("repo/a");
	mk("repo/a/b");
	mk("repo/a/b/c");
	mk("norepo");
	put("AGENTS.md", "ABOVE THE ROOT\n");
	put("home/AGENTS.md", "\n  global rules  \n\n");
	put("repo/AGENTS.md", "root rules\n");
	put("repo/a/AGENTS.md", "a rules\n");
	put("repo/a/b/c/AGENTS.md", "c rules\n");
	put("norepo/AGENTS.md", "lonely\n");
}

static void
test_discovery(void)
{
	char	 cwd[PATH_MAX], home[PATH_MAX], *doc;
	int	 r;

	strlcpy(home, at("home"), sizeof(home));
	strlcpy(cwd, at("repo/a/b/c"), sizeof(cwd));
	r = context_agents_md(home, cwd, CONTEXT_DOC_MAX_DEFAULT, &doc);
	tap_ok(r == 0 && doc != NULL && strcmp(doc, "global rules\n\n--- "
	    "project-doc ---\n\nroot rules\n\n\na rules\n\n\nc rules\n") == 0,
	    "global, then root to cwd, joined by blank lines");
	free(doc);
	r = context_agents_md(NULL, cwd, CONTEXT_DOC_MAX_DEFAULT, &doc);
	tap_ok(r == 0 && doc != NULL && strncmp(doc, "root rules", 10) == 0 &&
	    strstr(doc, "ABOVE") == NULL, "nothing above the git root");
	free(doc);
	r = context_agents_md(NULL, cwd, 15, &doc);
	tap_ok(r == 0 && doc != NULL && strcmp(doc, "root rules\n\n\na ru") ==
	    0, "project docs are cut at project_doc_max_bytes (file bytes)");
	free(doc);
	r = context_agents_md(home, cwd, 0, &doc);
	tap_ok(r == 0 && doc != NULL && strcmp(doc, "global rules") == 0,
	    "a zero budget leaves only the global file");
	free(doc);
	strlcpy(cwd, at("norepo"), sizeof(cwd));
	r = context_agents_md(NULL, cwd, 100, &doc);
	tap_ok(r == 0 && doc != NULL && strcmp(doc, "lonely\n") == 0,
	    "without a repository only cwd is searched");
	free(doc);
	put("repo/a/AGENTS.override.md", "override a\n");
	put("repo/AGENTS.md", " \n\t\n");
	put("repo/.git/x", "");
	strlcpy(cwd, at("repo/a"), sizeof(cwd));
	r = context_agents_md(NULL, cwd, 100, &doc);
	tap_ok(r == 0 && doc != NULL && strcmp(doc, "override a\n") == 0,
	    "AGENTS.override.md wins; blank files are skipped");
	free(doc);
	strlcpy(cwd, at("home"), sizeof(cwd));
	r = context_agents_md(NULL, cwd, 100, &doc);
	tap_ok(r == 0 && doc != NULL, "home has a file");
	free(doc);
	/* A cut inside a UTF-8 character drops the whole character. */
	put("norepo/AGENTS.md", "caf\xc3\xa9!");
	strlcpy(cwd, at("norepo"), sizeof(cwd));
	r = context_agents_md(NULL, cwd, 4, &doc);
	tap_ok(r == 0 && doc != NULL && strcmp(doc, "caf") == 0,
	    "the cap does not split a character");
	free(doc);
	doc = context_agents_block("/w", "be nice");
	tap_ok(doc != NULL && strcmp(doc, "# AGENTS.md instructions for /w\n\n"
	    "<INSTRUCTIONS>\nbe nice\n</INSTRUCTIONS>") == 0, "the wrapping");
	free(doc);
}

static void
test_texts(void)
{
	char *const		 roots[] = { "/w/repo", "/tmp" };
	struct context_params	 cp;
	char			*s;

	memset(&cp, 0, sizeof(cp));
	cp.cwd = "/w/repo";
	cp.sandbox = APPROVAL_SANDBOX_WORKSPACE_WRITE;
	cp.policy = APPROVAL_ON_REQUEST;
	cp.roots = roots;
	cp.nroots = 2;
	s = context_permissions(&cp);
	tap_ok(s != NULL && strncmp(s, "<permissions instructions>\n", 27) ==
	    0 && strstr(s, "`workspace-write`") && strstr(s, "`on-request`") &&
	    strstr(s, "Network access is restricted.") &&
	    strstr(s, "`/w/repo`, `/tmp`") && strstr(s, "require_escalated") &&
	    strstr(s, "\n</permissions instructions>") != NULL,
	    "permissions: mode, policy, network, roots");
	free(s);
	cp.sandbox = APPROVAL_SANDBOX_READ_ONLY;
	cp.policy = APPROVAL_NEVER;
	cp.network = 1;
	s = context_permissions(&cp);
	tap_ok(s != NULL && strstr(s, "`read-only`") && strstr(s, "`never`") &&
	    strstr(s, "Network access is enabled.") &&
	    strstr(s, "writable roots are") == NULL,
	    "read-only, never, network on, no roots listed");
	free(s);
	cp.sandbox = APPROVAL_SANDBOX_FULL_ACCESS;
	cp.policy = APPROVAL_UNTRUSTED;
	cp.network = 0;
	s = context_permissions(&cp);
	tap_ok(s != NULL && strstr(s, "`danger-full-access`") &&
	    strstr(s, "`untrusted`") && strstr(s, "Network access is enabled."),
	    "full access has the network");
	free(s);
	cp.policy = APPROVAL_ON_FAILURE;
	s = context_permissions(&cp);
	tap_ok(s != NULL && strstr(s, "`on-failure`"), "on-failure named");
	free(s);
	cp.shell = "zsh";
	cp.timezone = "Europe/Paris";
	cp.now = 1795810080;	/* 2026-11-27 */
	s = context_environment(&cp);
	tap_ok(s != NULL && strcmp(s, "<environment_context>\n  <cwd>/w/repo"
	    "</cwd>\n  <shell>zsh</shell>\n  <current_date>2026-11-27"
	    "</current_date>\n  <timezone>Europe/Paris</timezone>\n"
	    "</environment_context>") == 0, "environment_context fields");
	free(s);
}

static void
test_timezone(void)
{
	char	*tz;

	setenv("TZ", ":America/New_York", 1);
	tz = context_timezone();
	tap_ok(tz != NULL && strcmp(tz, "America/New_York") == 0, "TZ name");
	free(tz);
	setenv("TZ", "/usr/share/zoneinfo/Asia/Tokyo", 1);
	tz = context_timezone();
	tap_ok(tz != NULL && strcmp(tz, "Asia/Tokyo") == 0, "TZ file path");
	free(tz);
	setenv("TZ", "UTC", 1);
	tz = context_timezone();
	tap_ok(tz != NULL && strcmp(tz, "UTC") == 0, "TZ=UTC");
	free(tz);
	setenv("SHELL", "/usr/bin/fish", 1);
	tz = context_shell_name();
	tap_ok(tz != NULL && strcmp(tz, "fish") == 0, "shell from $SHELL");
	free(tz);
}

static const char *
part(json_t *items, size_t item, size_t idx)
{
	return json_string_value(json_object_get(json_array_get(
	    json_object_get(json_array_get(items, item), "content"), idx),
	    "text"));
}

static void
test_initial(void)
{
	char *const		 roots[] = { "/tmp" };
	struct context_params	 cp;
	char			 cwd[PATH_MAX], home[PATH_MAX];
	json_t			*items, *m;

	strlcpy(home, at("home"), sizeof(home));
	strlcpy(cwd, at("repo/a/b/c"), sizeof(cwd));
	memset(&cp, 0, sizeof(cp));
	cp.cwd = cwd;
	cp.codex_home = home;
	cp.shell = "bash";
	cp.timezone = "Etc/UTC";
	cp.sandbox = APPROVAL_SANDBOX_WORKSPACE_WRITE;
	cp.policy = APPROVAL_NEVER;
	cp.roots = roots;
	cp.nroots = 1;
	cp.doc_max = CONTEXT_DOC_MAX_DEFAULT;
	cp.developer_instructions = "Be terse.";
	items = context_initial(&cp);
	m = json_array_get(items, 0);
	tap_ok(items != NULL && json_array_size(items) == 2 &&
	    strcmp(json_string_value(json_object_get(m, "type")), "message") ==
	    0 && strcmp(json_string_value(json_object_get(m, "role")),
	    "developer") == 0 && strncmp(part(items, 0, 0),
	    "<permissions instructions>", 26) == 0 &&
	    strcmp(part(items, 0, 1), "Be terse.") == 0,
	    "developer message: permissions, then developer_instructions");
	m = json_array_get(items, 1);
	tap_ok(strcmp(json_string_value(json_object_get(m, "role")), "user") ==
	    0 && json_array_size(json_object_get(m, "content")) == 2 &&
	    strncmp(part(items, 1, 0), "# AGENTS.md instructions for ", 29) ==
	    0 && strstr(part(items, 1, 0), "global rules") &&
	    strncmp(part(items, 1, 1), "<environment_context>", 21) == 0,
	    "user message: AGENTS.md block, then environment_context");
	tap_ok(strcmp(json_string_value(json_object_get(json_array_get(
	    json_object_get(m, "content"), 0), "type")), "input_text") == 0,
	    "parts are input_text");
	json_decref(items);
	cp.codex_home = NULL;
	cp.cwd = "/";
	cp.developer_instructions = NULL;
	items = context_initial(&cp);
	tap_ok(items != NULL && json_array_size(json_object_get(
	    json_array_get(items, 1), "content")) == 1 &&
	    json_array_size(json_object_get(json_array_get(items, 0),
	    "content")) == 1, "no AGENTS.md: environment only");
	json_decref(items);
	m = context_message("user", "hi");
	tap_ok(m != NULL && strcmp(json_string_value(json_object_get(
	    json_array_get(json_object_get(m, "content"), 0), "text")), "hi") ==
	    0, "a user message");
	json_decref(m);
	tap_ok(strlen(context_base_instructions()) > 2000 &&
	    strstr(context_base_instructions(), "apply_patch") != NULL,
	    "base instructions present");
}

int
main(void)
{
	tap_plan(9 + 5 + 4 + 6);
	/* The date of a fixed instant must not depend on the machine. */
	if (setenv("TZ", "UTC", 1) == -1)
		err(1, "setenv");
	tzset();
	setup();
	test_discovery();
	test_texts();
	test_timezone();
	test_initial();
	tap_rmtree(top);
	free(top);
	return tap_done();
}
