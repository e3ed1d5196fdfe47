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

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "agent/approval.h"
#include "agent/context.h"
#include "agent/output.h"

#define DOC_SEPARATOR	"\n\n--- project-doc ---\n\n"
#define MAX_DEPTH	128

/* A growing string. */
struct sbuf {
	char	*s;
	size_t	 len;
	size_t	 cap;
};

/*
 * The base instructions: who the agent is and how it should work with
 * the tools it is given.  Sent as the request's "instructions".
 */
static const char base_instructions[] =
"You are ocodex, a coding agent working in the user's terminal. You help\n"
"with software tasks in the repository the user started you in: reading\n"
"and explaining code, fixing bugs, adding features, running builds and\n"
"tests, and answering questions about the project.\n"
"\n"
"# How you work\n"
"\n"
"- Keep going until the task is done, then stop and report. Do not hand\n"
"  the task back half finished when you could find out more yourself.\n"
"- Base what you say on what you have looked at. Read the relevant files\n"
"  before changing them, and do not guess at APIs or file contents.\n"
"- Make the smallest change that solves the problem at its root. Keep to\n"
"  the project's existing style, naming and structure. Do not reformat or\n"
"  rename things you were not asked to touch.\n"
"- Do not add licence headers, copyright notices or comments that merely\n"
"  restate the code. Explain why, not what, when a comment is needed.\n"
"- Never undo changes you did not make: the user may be editing the same\n"
"  tree. If files change under you in ways you did not expect, stop and\n"
"  ask.\n"
"- Do not commit, create branches or push unless the user asks for it.\n"
"\n"
"# Project instructions\n"
"\n"
"Files named AGENTS.md carry instructions from the people who maintain a\n"
"project: conventions, how to build, how to test. The ones that apply to\n"
"the working directory are included in your context. A deeper file takes\n"
"precedence over a shallower one, and direct instructions from the user\n"
"take precedence over both.\n"
"\n"
"# Tools\n"
"\n"
"- `shell` runs a program given as an argument vector. Use\n"
"  [\"bash\", \"-lc\", \"...\"] when you need pipes, redirections or\n"
"  several commands, and set `workdir` rather than running cd. Prefer rg\n"
"  to grep and rg --files to find when searching. Read files in chunks of\n"
"  at most a few hundred lines.\n"
"- `apply_patch` edits files. Use it for every change you make to a\n"
"  file, rather than writing files through the shell. Paths in a patch\n"
"  are relative to the working directory.\n"
"- `update_plan` keeps a short checklist of the steps of a larger task.\n"
"  Use it when the work has several distinct steps; skip it for simple\n"
"  requests. Keep exactly one step in_progress while working and mark\n"
"  steps completed as you finish them.\n"
"- `view_image` shows you an image file from disk when the user refers\n"
"  to one by path.\n"
"\n"
"Commands run in a sandbox described in the permissions message. When\n"
"one fails because the sandbox forbids it, do not try to work around\n"
"the sandbox: ask for escalation if the approval policy allows it, or\n"
"explain to the user what you could not do.\n"
"\n"
"# Testing\n"
"\n"
"When the project has tests or a build, use them to check your work,\n"
"starting with the tests closest to what you changed and widening from\n"
"there. Do not fix unrelated failures, but mention them. When you cannot\n"
"run something, say so instead of claiming it works.\n"
"\n"
"# Talking to the user\n"
"\n"
"- Before running a group of related commands, say in one short sentence\n"
"  what you are about to do.\n"
"- Your final message is read in a terminal. Be brief and concrete: what\n"
"  you changed, where (file paths, with line numbers when useful), how\n"
"  you checked it, and anything left for the user to do.\n"
"- Use plain text with light Markdown: short paragraphs, `code` for\n"
"  paths, commands and identifiers, and bullet lists only where they\n"
"  help. Do not paste whole files you wrote; the user can open them.\n"
"- When the user asks a question rather than for a change, answer it;\n"
"  do not start editing files.\n"
"- If a request is ambiguous in a way that matters, ask before acting.\n";

const char *
context_base_instructions(void)
{
	return base_instructions;
}

static int
sb_add(struct sbuf *b, const char *s, size_t n)
{
	char	*p;
	size_t	 cap;

	if (n > SIZE_MAX / 2 - b->len - 1)
		return -1;
	if (b->len + n + 1 > b->cap) {
		cap = b->cap == 0 ? 256 : b->cap;
		while (cap < b->len + n + 1)
			cap *= 2;
		if ((p = realloc(b->s, cap)) == NULL)
			return -1;
		b->s = p;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
	return 0;
}

static int
sb_str(struct sbuf *b, const char *s)
{
	return sb_add(b, s, strlen(s));
}

/*
 * Read at most max bytes of a regular file.  A missing file, or one
 * that is not a regular file, gives 0 and *out NULL.  A cut never splits
 * a UTF-8 character.
 */
static int
read_doc(const char *path, size_t max, char **out, size_t *lenp)
{
	struct stat	 st;
	char		*buf;
	size_t		 n = 0;
	ssize_t		 r;
	int		 fd;

	*out = NULL;
	*lenp = 0;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) == -1)
		return errno == ENOENT || errno == ENOTDIR ||
		    errno == ELOOP ? 0 : -1;
	if (fstat(fd, &st) == -1) {
		close(fd);
		return -1;
	}
	/* A directory or a FIFO named AGENTS.md is not instructions. */
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return 0;
	}
	if ((buf = malloc(max + 1)) == NULL) {
		close(fd);
		return -1;
	}
	while (n < max && (r = read(fd, buf + n, max - n)) != 0) {
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1) {
			free(buf);
			close(fd);
			return -1;
		}
		n += (size_t)r;
	}
	close(fd);
	/* Drop a partial character the budget cut off. */
	if (n == max && n > 0 && (unsigned char)buf[n - 1] >= 0x80) {
		size_t	 k = n;

		while (k > 0 && ((unsigned char)buf[k - 1] & 0xc0) == 0x80)
			k--;
		if (k > 0 && (unsigned char)buf[k - 1] >= 0xc0)
			n = k - 1;
	}
	buf[n] = '\0';
	*out = buf;
	*lenp = n;
	return 0;
}

static int
blank(const char *s, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
			return 0;
	return 1;
}

/* The first non-blank of dir/AGENTS.override.md and dir/AGENTS.md. */
static int
doc_in(const char *dir, size_t max, char **out, size_t *lenp)
{
	static const char *const names[] = { "AGENTS.override.md",
	    "AGENTS.md", NULL };
	const char *const	*n;
	char			 path[PATH_MAX];
	int			 r;

	for (n = names; *n != NULL; n++) {
		r = snprintf(path, sizeof(path), "%s/%s",
		    strcmp(dir, "/") == 0 ? "" : dir, *n);
		if (r < 0 || (size_t)r >= sizeof(path))
			return -1;
		if (read_doc(path, max, out, lenp) == -1)
			return -1;
		if (*out != NULL && !blank(*out, *lenp))
			return 0;
		free(*out);
		*out = NULL;
	}
	return 0;
}

/*
 * The directories from the project root down to cwd.  The root is the
 * nearest directory at or above cwd holding .git (a directory, or a file
 * in a worktree); without one, only cwd is searched.  dirs[0] is the
 * root; each entry is allocated.
 */
static int
project_dirs(const char *cwd, char **dirs, size_t *ndirs)
{
	struct stat	 st;
	char		 path[PATH_MAX], *up[MAX_DEPTH], *slash;
	size_t		 n = 0, i, top = 0;
	int		 found = 0, r;

	if (strlcpy(path, cwd, sizeof(path)) >= sizeof(path))
		return -1;
	for (;;) {
		if (n == MAX_DEPTH || (up[n] = strdup(path)) == NULL)
			goto fail;
		n++;
		r = snprintf(path, sizeof(path), "%s/.git",
		    strcmp(up[n - 1], "/") == 0 ? "" : up[n - 1]);
		if (r < 0 || (size_t)r >= sizeof(path))
			goto fail;
		if (lstat(path, &st) == 0) {
			found = 1;
			top = n - 1;
			break;
		}
		(void)strlcpy(path, up[n - 1], sizeof(path));
		if ((slash = strrchr(path, '/')) == NULL || strcmp(path, "/") == 0)
			break;
		slash[slash == path ? 1 : 0] = '\0';
	}
	if (!found)
		top = 0;
	for (i = 0; i <= top; i++)
		dirs[i] = up[top - i];
	*ndirs = top + 1;
	for (i = top + 1; i < n; i++)
		free(up[i]);
	return 0;
 fail:
	for (i = 0; i < n; i++)
		free(up[i]);
	return -1;
}

static int
project_docs(const char *cwd, size_t max, struct sbuf *b)
{
	char	*dirs[MAX_DEPTH], *doc;
	size_t	 ndirs = 0, i, len, left = max;
	int	 r = 0;

	if (max == 0)
		return 0;
	if (project_dirs(cwd, dirs, &ndirs) == -1)
		return -1;
	for (i = 0; i < ndirs; i++) {
		if (r == 0 && left > 0 &&
		    (r = doc_in(dirs[i], left, &doc, &len)) == 0 &&
		    doc != NULL) {
			if ((b->len > 0 && sb_str(b, "\n\n") == -1) ||
			    sb_add(b, doc, len) == -1)
				r = -1;
			left -= len;
			free(doc);
		}
		free(dirs[i]);
	}
	return r;
}

/*
 * The AGENTS.md text for cwd: the global file from codex_home, trimmed,
 * then every project AGENTS.md from the root down to cwd, joined by
 * blank lines and cut to doc_max bytes in all.  *out is NULL when there
 * is nothing to send.
 */
int
context_agents_md(const char *codex_home, const char *cwd, size_t doc_max,
    char **out)
{
	struct sbuf	 g = { NULL, 0, 0 }, p = { NULL, 0, 0 };
	char		*doc = NULL;
	size_t		 len = 0, s = 0;

	*out = NULL;
	if (codex_home != NULL &&
	    doc_in(codex_home, CONTEXT_GLOBAL_MAX, &doc, &len) == -1)
		return -1;
	if (doc != NULL) {
		while (s < len && blank(doc + s, 1))
			s++;
		while (len > s && blank(doc + len - 1, 1))
			len--;
		if (sb_add(&g, doc + s, len - s) == -1)
			goto fail;
	}
	if (project_docs(cwd, doc_max, &p) == -1)
		goto fail;
	if (g.len > 0 && p.len > 0 && (sb_str(&g, DOC_SEPARATOR) == -1 ||
	    sb_add(&g, p.s, p.len) == -1))
		goto fail;
	free(doc);
	if (g.len > 0) {
		free(p.s);
		*out = g.s;
	} else
		*out = p.s;
	return 0;
 fail:
	free(doc);
	free(g.s);
	free(p.s);
	return -1;
}

/* Wrapped so that the model never takes it for the user's message. */
char *
context_agents_block(const char *cwd, const char *text)
{
	char	*s;

	if (asprintf(&s, "# AGENTS.md instructions for %s\n\n<INSTRUCTIONS>\n"
	    "%s\n</INSTRUCTIONS>", cwd, text) == -1)
		return NULL;
	return s;
}

static const char *
sandbox_text(int mode)
{
	switch (mode) {
	case APPROVAL_SANDBOX_READ_ONLY:
		return "`sandbox_mode` is `read-only`: commands may read any "
		    "file but cannot create, change or delete files anywhere. "
		    "Every edit needs the user's approval.";
	case APPROVAL_SANDBOX_WORKSPACE_WRITE:
		return "`sandbox_mode` is `workspace-write`: commands may read "
		    "any file and may write only inside the writable roots "
		    "listed below, where `.git`, `.codex` and `.agents` stay "
		    "read-only. Writing anywhere else needs the user's "
		    "approval.";
	}
	return "`sandbox_mode` is `danger-full-access`: commands run without "
	    "a sandbox and can read and write everything the user can.";
}

static const char *
policy_text(int policy)
{
	switch (policy) {
	case APPROVAL_UNTRUSTED:
		return "`approval_policy` is `untrusted`: only commands known "
		    "to be read-only run without asking. Every other command "
		    "and every patch is shown to the user first; asking is "
		    "normal, so propose what is needed and wait for the "
		    "answer.";
	case APPROVAL_ON_FAILURE:
		return "`approval_policy` is `on-failure`: commands run in "
		    "the sandbox without asking. When one fails because the "
		    "sandbox blocked it, the user is asked whether to run it "
		    "again without the sandbox.";
	case APPROVAL_ON_REQUEST:
		return "`approval_policy` is `on-request`: commands run in "
		    "the sandbox without asking. When a command really needs "
		    "to run outside it (to write elsewhere or to use the "
		    "network), set `sandbox_permissions` to "
		    "`require_escalated` with a one-sentence `justification`, "
		    "and the user decides. Destructive commands such as "
		    "`rm -rf` are also shown to the user first.";
	}
	return "`approval_policy` is `never`: the user is never asked. Do "
	    "not set `sandbox_permissions`; requests to leave the sandbox "
	    "are refused, and so are destructive commands. Work within "
	    "these limits and, when something cannot be done, say so in "
	    "the final answer.";
}

/* The permissions message, in our words: mode, network, policy, roots. */
char *
context_permissions(const struct context_params *cp)
{
	struct sbuf	 b = { NULL, 0, 0 };
	size_t		 i;
	int		 net, ok;

	net = cp->network || cp->sandbox == APPROVAL_SANDBOX_FULL_ACCESS;
	ok = sb_str(&b, "<permissions instructions>\nThe sandbox decides "
	    "what commands may touch. ") == 0 &&
	    sb_str(&b, sandbox_text(cp->sandbox)) == 0 &&
	    sb_str(&b, net ? " Network access is enabled.\n" :
	    " Network access is restricted.\n") == 0 &&
	    sb_str(&b, policy_text(cp->policy)) == 0;
	if (ok && cp->sandbox == APPROVAL_SANDBOX_WORKSPACE_WRITE &&
	    cp->nroots > 0) {
		ok = sb_str(&b, "\nThe writable roots are ") == 0;
		for (i = 0; ok && i < cp->nroots; i++)
			ok = sb_str(&b, i > 0 ? ", `" : "`") == 0 &&
			    sb_str(&b, cp->roots[i]) == 0 &&
			    sb_str(&b, "`") == 0;
		ok = ok && sb_str(&b, ".") == 0;
	}
	if (!ok || sb_str(&b, "\n</permissions instructions>") == -1) {
		free(b.s);
		return NULL;
	}
	return b.s;
}

/* A zone name such as Europe/Paris out of a path into a zoneinfo tree. */
static char *
zone_from_path(const char *p)
{
	const char	*z;

	if ((z = strstr(p, "zoneinfo/")) == NULL || z[9] == '\0')
		return NULL;
	return strdup(z + 9);
}

static int
zone_name_ok(const char *s)
{
	if (*s == '\0' || *s == '/' || strstr(s, "..") != NULL)
		return 0;
	return strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789_+-/") == strlen(s);
}

/*
 * The IANA name of the local time zone: from TZ when it names a zone,
 * else from the /etc/localtime link, else /etc/timezone.  NULL when it
 * cannot be told; the line is then left out.
 */
char *
context_timezone(void)
{
	char	 buf[PATH_MAX], *nl;
	ssize_t	 n;
	FILE	*fp;
	const char *tz = getenv("TZ");

	if (tz != NULL && *tz == ':')
		tz++;
	if (tz != NULL && *tz == '/')
		return zone_from_path(tz);
	if (tz != NULL && zone_name_ok(tz))
		return strdup(tz);
	if ((n = readlink("/etc/localtime", buf, sizeof(buf) - 1)) > 0) {
		buf[n] = '\0';
		return zone_from_path(buf);
	}
	if ((fp = fopen("/etc/timezone", "re")) == NULL)
		return NULL;
	nl = fgets(buf, sizeof(buf), fp);
	fclose(fp);
	if (nl == NULL)
		return NULL;
	buf[strcspn(buf, "\n")] = '\0';
	return zone_name_ok(buf) ? strdup(buf) : NULL;
}

/*
 * The name of the user's shell: basename of $SHELL or the passwd entry.
 * The answer is kept: getpwuid(3) may read /etc/passwd or connect to
 * nscd, which the confined parent may do neither of, so the parent asks
 * once before it confines itself (context_prime) and every later call,
 * one per MCP session say, is served from here.
 */
char *
context_shell_name(void)
{
	static char	 name[NAME_MAX + 1];
	struct passwd	*pw;
	const char	*sh, *base;

	if (name[0] != '\0')
		return strdup(name);
	sh = getenv("SHELL");
	if ((sh == NULL || *sh == '\0') && (pw = getpwuid(getuid())) != NULL)
		sh = pw->pw_shell;
	if (sh == NULL || *sh == '\0')
		sh = "bash";
	base = strrchr(sh, '/');
	base = base == NULL ? sh : base + 1;
	if (*base == '\0' || strlcpy(name, base, sizeof(name)) >= sizeof(name))
		strlcpy(name, "bash", sizeof(name));
	return strdup(name);
}

/* Look up what needs files or sockets the confined parent lacks. */
void
context_prime(void)
{
	free(context_shell_name());
}

char *
context_environment(const struct context_params *cp)
{
	struct tm	 tm;
	time_t		 now = cp->now != 0 ? cp->now : time(NULL);
	char		 date[32], *tz, *sh, *s, zone[PATH_MAX + 32];
	int		 r;

	if (localtime_r(&now, &tm) == NULL ||
	    strftime(date, sizeof(date), "%Y-%m-%d", &tm) == 0)
		return NULL;
	tz = cp->timezone != NULL ? strdup(cp->timezone) : context_timezone();
	sh = cp->shell != NULL ? strdup(cp->shell) : context_shell_name();
	zone[0] = '\0';
	if (tz != NULL) {
		r = snprintf(zone, sizeof(zone), "  <timezone>%s</timezone>\n",
		    tz);
		if (r < 0 || (size_t)r >= sizeof(zone))
			zone[0] = '\0';
	}
	r = asprintf(&s, "<environment_context>\n  <cwd>%s</cwd>\n"
	    "  <shell>%s</shell>\n  <current_date>%s</current_date>\n"
	    "%s</environment_context>", cp->cwd,
	    sh != NULL ? sh : "bash", date, zone);
	free(tz);
	free(sh);
	return r == -1 ? NULL : s;
}

/* {"type":"message","role":role,"content":[{"type":"input_text",...}]} */
json_t *
context_message(const char *role, const char *text)
{
	return json_pack("{s:s, s:s, s:[{s:s, s:s}]}", "type", "message",
	    "role", role, "content", "type", "input_text", "text", text);
}

static int
add_part(json_t *msg, char *text)
{
	json_t	*part;
	char	*valid;
	size_t	 len;

	if (text == NULL)
		return -1;
	/* AGENTS.md files and paths need not be UTF-8; JSON must be. */
	valid = output_utf8_lossy(text, strlen(text), &len);
	free(text);
	if (valid == NULL)
		return -1;
	part = json_pack("{s:s, s:s%}", "type", "input_text", "text", valid,
	    len);
	free(valid);
	if (part == NULL)
		return -1;
	return json_array_append_new(json_object_get(msg, "content"), part);
}

static json_t *
empty_message(const char *role)
{
	return json_pack("{s:s, s:s, s:[]}", "type", "message", "role", role,
	    "content");
}

/*
 * The items every session starts with: the developer message (the
 * permissions, then developer_instructions from the configuration), and
 * a user message holding the AGENTS.md block, if any, and the
 * environment context.
 */
json_t *
context_initial(const struct context_params *cp)
{
	json_t	*items, *dev = NULL, *user = NULL;
	char	*doc = NULL;

	if ((items = json_array()) == NULL)
		return NULL;
	if ((dev = empty_message("developer")) == NULL ||
	    (user = empty_message("user")) == NULL ||
	    add_part(dev, context_permissions(cp)) == -1)
		goto fail;
	if (cp->developer_instructions != NULL &&
	    *cp->developer_instructions != '\0' &&
	    add_part(dev, strdup(cp->developer_instructions)) == -1)
		goto fail;
	if (context_agents_md(cp->codex_home, cp->cwd, cp->doc_max,
	    &doc) == -1)
		goto fail;
	if (doc != NULL && add_part(user, context_agents_block(cp->cwd,
	    doc)) == -1)
		goto fail;
	if (add_part(user, context_environment(cp)) == -1)
		goto fail;
	free(doc);
	/* json_array_append_new() drops its reference even on failure. */
	if (json_array_append_new(items, dev) == -1) {
		json_decref(user);
		json_decref(items);
		return NULL;
	}
	if (json_array_append_new(items, user) == -1) {
		json_decref(items);
		return NULL;
	}
	return items;
 fail:
	free(doc);
	json_decref(dev);
	json_decref(user);
	json_decref(items);
	return NULL;
}
