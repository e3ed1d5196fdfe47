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
 * The human front end of `ocodex exec`: progress to standard error and
 * the final answer alone to standard output, so that
 * `ocodex exec ... > answer.txt` captures just the answer.  The JSON
 * front end is in exec.c.
 */

#include <sys/types.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <jansson.h>

#include "imsg/log.h"
#include "ui/ui.h"
#include "ui/exec-int.h"

#ifndef OCODEX_VERSION
#define OCODEX_VERSION	"0"
#endif

/* Lines of a command's output shown when it ends, in human mode. */
#define TAIL_LINES	20

static void	human_event(enum ui_event, json_t *);
static void	human_finish(void);

const struct frontend fe_exec_human = { "exec", human_event, human_finish };

static char		*held_message;
static json_int_t	 tokens_used = -1;

/*
 * Human mode.  Everything untrusted goes through the sanitiser; only
 * the labels and colours are ours.
 */
static void
hsafe(int fd, const char *text)
{
	struct evbuffer	*b;

	if ((b = evbuffer_new()) == NULL)
		fatal("evbuffer_new");
	if (san_append(b, text) == -1)
		fatal("sanitising output");
	ui_write_buffer(fd, b);
	evbuffer_free(b);
}

/* Untrusted text as a block of its own, ending with a newline. */
static void
hblock(int fd, const char *text)
{
	size_t	 len = strlen(text);

	hsafe(fd, text);
	if (len == 0 || text[len - 1] != '\n')
		ui_write(fd, "\n", 1);
}

static void
hlabel(enum ui_color c, const char *label)
{
	ui_printf(UI_FD_STDERR, "\n%s%s%s%s\n", sgr(UC_BOLD), sgr(c), label,
	    sgr(UC_RESET));
}

/* An agent message is held until we know whether it is the last one. */
static void
hflush_message(void)
{
	if (held_message == NULL)
		return;
	hlabel(UC_MAGENTA, "codex");
	hblock(UI_FD_STDERR, held_message);
	free(held_message);
	held_message = NULL;
}

static void
hfield(json_t *ev, const char *key, const char *label)
{
	const char	*v = exec_jstr(ev, key);

	if (v == NULL)
		return;
	ui_printf(UI_FD_STDERR, "%s%s:%s ", sgr(UC_BOLD), label,
	    sgr(UC_RESET));
	hblock(UI_FD_STDERR, v);
}

static void
hh_session(json_t *ev)
{
	ui_printf(UI_FD_STDERR, "ocodex v");
	hsafe(UI_FD_STDERR, exec_jstr_or(ev, "version", OCODEX_VERSION));
	ui_printf(UI_FD_STDERR, "\n--------\n");
	hfield(ev, "cwd", "workdir");
	hfield(ev, "model", "model");
	hfield(ev, "provider", "provider");
	hfield(ev, "approval", "approval");
	hfield(ev, "sandbox", "sandbox");
	hfield(ev, "reasoning_effort", "reasoning effort");
	hfield(ev, "thread_id", "session id");
	ui_printf(UI_FD_STDERR, "--------\n");
}

static void
hh_prompt(json_t *ev)
{
	hlabel(UC_CYAN, "user");
	hblock(UI_FD_STDERR, exec_jstr_or(ev, "prompt", ""));
}

static void
hh_message(json_t *ev)
{
	hflush_message();
	if ((held_message = strdup(exec_jstr_or(ev, "text", ""))) == NULL)
		fatal(NULL);
}

static void
hh_reasoning(json_t *ev)
{
	const char	*text = exec_jstr_or(ev, "text", "");

	if (ui_hide_reasoning() || text[strspn(text, " \t\r\n")] == '\0')
		return;
	hlabel(UC_MAGENTA, "thinking");
	ui_printf(UI_FD_STDERR, "%s%s", sgr(UC_DIM), sgr(UC_ITALIC));
	hblock(UI_FD_STDERR, text);
	ui_printf(UI_FD_STDERR, "%s", sgr(UC_RESET));
}

static void
hh_exec_begin(json_t *ev)
{
	hlabel(UC_MAGENTA, "exec");
	ui_printf(UI_FD_STDERR, "%s", sgr(UC_BOLD));
	hsafe(UI_FD_STDERR, exec_jstr_or(ev, "command", ""));
	ui_printf(UI_FD_STDERR, "%s in %s", sgr(UC_RESET), sgr(UC_DIM));
	hsafe(UI_FD_STDERR, exec_jstr_or(ev, "cwd", "."));
	ui_printf(UI_FD_STDERR, "%s\n", sgr(UC_RESET));
}

/* "850ms", "3.2s", "2m05s". */
static void
hduration(char *buf, size_t len, json_int_t ms)
{
	if (ms < 0)
		ms = 0;
	if (ms < 1000)
		(void)snprintf(buf, len, "%lldms", (long long)ms);
	else if (ms < 60000)
		(void)snprintf(buf, len, "%.1fs", ms / 1000.0);
	else
		(void)snprintf(buf, len, "%lldm%02llds", (long long)ms / 60000,
		    (long long)(ms % 60000) / 1000);
}

/* The last TAIL_LINES lines of a command's output, dimmed. */
static void
htail(const char *output)
{
	struct evbuffer	*b;
	const char	*p, *start;
	size_t		 len, shown = 0, skipped = 0, i;

	if ((b = evbuffer_new()) == NULL || san_append(b, output) == -1)
		fatal("sanitising output");
	if ((len = evbuffer_get_length(b)) == 0) {
		evbuffer_free(b);
		return;
	}
	p = (const char *)evbuffer_pullup(b, len);
	while (len > 0 && p[len - 1] == '\n')
		len--;
	/* Walk back over TAIL_LINES lines, then count those before. */
	for (start = p + len; start > p; start--)
		if (start[-1] == '\n' && ++shown == TAIL_LINES)
			break;
	for (i = 0; p + i < start; i++)
		if (p[i] == '\n')
			skipped++;
	ui_printf(UI_FD_STDERR, "%s", sgr(UC_DIM));
	if (skipped > 0)
		ui_printf(UI_FD_STDERR, "... %zu earlier line%s\n", skipped,
		    skipped == 1 ? "" : "s");
	if (len > 0)
		ui_write(UI_FD_STDERR, start, p + len - start);
	ui_printf(UI_FD_STDERR, "%s\n", sgr(UC_RESET));
	evbuffer_free(b);
}

static void
hh_exec_end(json_t *ev)
{
	json_t	*code = json_object_get(ev, "exit_code");
	char	 dur[32];

	hduration(dur, sizeof(dur), exec_jint(ev, "duration_ms", 0));
	if (json_is_true(json_object_get(ev, "declined"))) {
		ui_printf(UI_FD_STDERR, "%sdeclined:%s ", sgr(UC_RED),
		    sgr(UC_RESET));
		hblock(UI_FD_STDERR, exec_jstr_or(ev, "command", ""));
		return;
	}
	if (json_is_true(json_object_get(ev, "timed_out")))
		ui_printf(UI_FD_STDERR, "%stimed out after %s:%s\n",
		    sgr(UC_RED), dur, sgr(UC_RESET));
	else if (json_is_integer(code) && json_integer_value(code) == 0)
		ui_printf(UI_FD_STDERR, "%ssucceeded in %s:%s\n",
		    sgr(UC_GREEN), dur, sgr(UC_RESET));
	else
		ui_printf(UI_FD_STDERR, "%sexited %lld in %s:%s\n",
		    sgr(UC_RED), (long long)exec_jint(ev, "exit_code", -1), dur,
		    sgr(UC_RESET));
	htail(exec_jstr_or(ev, "aggregated_output", ""));
}

static void
hh_patch_begin(json_t *ev)
{
	json_t		*c;
	const char	*kind;
	size_t		 i;

	hlabel(UC_MAGENTA, "apply_patch");
	json_array_foreach(json_object_get(ev, "changes"), i, c) {
		kind = exec_jstr_or(c, "kind", "update");
		if (strcmp(kind, "add") == 0)
			ui_printf(UI_FD_STDERR, "%sA%s ", sgr(UC_GREEN),
			    sgr(UC_RESET));
		else if (strcmp(kind, "delete") == 0)
			ui_printf(UI_FD_STDERR, "%sD%s ", sgr(UC_RED),
			    sgr(UC_RESET));
		else
			ui_printf(UI_FD_STDERR, "%sM%s ", sgr(UC_YELLOW),
			    sgr(UC_RESET));
		hblock(UI_FD_STDERR, exec_jstr_or(c, "path", ""));
	}
}

static void
hh_patch_end(json_t *ev)
{
	if (json_is_true(json_object_get(ev, "success"))) {
		ui_printf(UI_FD_STDERR, "%sapply_patch succeeded%s\n",
		    sgr(UC_GREEN), sgr(UC_RESET));
		return;
	}
	ui_printf(UI_FD_STDERR, "%sapply_patch failed%s\n", sgr(UC_RED),
	    sgr(UC_RESET));
	htail(exec_jstr_or(ev, "output", ""));
}

/* The plan as a checklist: [x] done, [>] in progress, [ ] pending. */
static void
hh_plan(json_t *ev)
{
	json_t		*step;
	const char	*st;
	size_t		 i;

	hlabel(UC_MAGENTA, "plan");
	if (exec_jstr(ev, "explanation") != NULL &&
	    *exec_jstr(ev, "explanation") != '\0')
		hblock(UI_FD_STDERR, exec_jstr(ev, "explanation"));
	json_array_foreach(json_object_get(ev, "plan"), i, step) {
		st = exec_jstr_or(step, "status", "pending");
		if (strcmp(st, "completed") == 0)
			ui_printf(UI_FD_STDERR, "%s[x]%s ", sgr(UC_GREEN),
			    sgr(UC_RESET));
		else if (strcmp(st, "in_progress") == 0)
			ui_printf(UI_FD_STDERR, "%s[>]%s ", sgr(UC_CYAN),
			    sgr(UC_RESET));
		else
			ui_printf(UI_FD_STDERR, "[ ] ");
		hblock(UI_FD_STDERR, exec_jstr_or(step, "step", ""));
	}
}

static void
hh_approval(json_t *ev)
{
	/* exec has nobody to ask: deny, so that the turn goes on. */
	ui_send_op(UIOP_APPROVAL, json_pack("{s:s, s:s}", "call_id",
	    exec_jstr_or(ev, "call_id", ""), "decision", "denied"));
	ui_printf(UI_FD_STDERR, "%sapproval requested, denied (exec does not "
	    "ask):%s ", sgr(UC_YELLOW), sgr(UC_RESET));
	hblock(UI_FD_STDERR, exec_jstr_or(ev, "command", "a patch"));
}

static void
hh_note(enum ui_color c, const char *prefix, json_t *ev)
{
	ui_printf(UI_FD_STDERR, "%s%s:%s ", sgr(c), prefix, sgr(UC_RESET));
	hblock(UI_FD_STDERR, exec_jstr_or(ev, "message", ""));
}

static void
hh_retrying(json_t *ev)
{
	ui_printf(UI_FD_STDERR, "%sreconnecting %lld/%lld:%s ",
	    sgr(UC_YELLOW), (long long)exec_jint(ev, "attempt", 0),
	    (long long)exec_jint(ev, "max", 0), sgr(UC_RESET));
	hblock(UI_FD_STDERR, exec_jstr_or(ev, "reason", ""));
}

static void
hh_tokens(json_t *usage)
{
	json_int_t	 n;

	if (!json_is_object(usage))
		return;
	n = exec_jint(usage, "total_tokens", -1);
	if (n < 0)
		n = exec_jint(usage, "input_tokens", 0) +
		    exec_jint(usage, "output_tokens", 0);
	tokens_used = n;
}

/*
 * The turn is over: the final message goes alone to standard output,
 * any earlier one still held to standard error.
 */
static void
hh_complete(json_t *ev)
{
	const char	*last = exec_jstr(ev, "last_agent_message");

	hh_tokens(json_object_get(ev, "usage"));
	if (held_message != NULL && last != NULL &&
	    strcmp(held_message, last) == 0) {
		free(held_message);
		held_message = NULL;
	}
	hflush_message();
	if (tokens_used >= 0)
		ui_printf(UI_FD_STDERR, "\n%stokens used:%s %lld\n",
		    sgr(UC_MAGENTA), sgr(UC_RESET), (long long)tokens_used);
	if (last != NULL)
		hblock(UI_FD_STDOUT, last);
}

static void
human_event(enum ui_event kind, json_t *ev)
{
	/* Whatever comes next shows that the held message was not last. */
	if (kind != UIEV_TASK_COMPLETE && kind != UIEV_TOKEN_COUNT &&
	    kind != UIEV_AGENT_MESSAGE_DELTA && kind != UIEV_REASONING_DELTA &&
	    kind != UIEV_EXEC_OUTPUT)
		hflush_message();
	switch (kind) {
	case UIEV_SESSION_CONFIGURED:
		hh_session(ev);
		break;
	case UIEV_TASK_STARTED:
		hh_prompt(ev);
		break;
	case UIEV_AGENT_MESSAGE_DELTA:
	case UIEV_REASONING_DELTA:
	case UIEV_EXEC_OUTPUT:
		/* Whole messages and outputs are shown when they end. */
		break;
	case UIEV_AGENT_MESSAGE:
		hh_message(ev);
		break;
	case UIEV_REASONING:
		hh_reasoning(ev);
		break;
	case UIEV_EXEC_BEGIN:
		hh_exec_begin(ev);
		break;
	case UIEV_EXEC_END:
		hh_exec_end(ev);
		break;
	case UIEV_PATCH_BEGIN:
		hh_patch_begin(ev);
		break;
	case UIEV_PATCH_END:
		hh_patch_end(ev);
		break;
	case UIEV_PLAN_UPDATE:
		hh_plan(ev);
		break;
	case UIEV_APPROVAL_REQUEST:
		hh_approval(ev);
		break;
	case UIEV_TOKEN_COUNT:
		hh_tokens(json_object_get(ev, "usage"));
		break;
	case UIEV_RETRYING:
		hh_retrying(ev);
		break;
	case UIEV_WARNING:
		hh_note(UC_YELLOW, "warning", ev);
		break;
	case UIEV_ERROR:
		hh_note(UC_RED, "ERROR", ev);
		break;
	case UIEV_TASK_COMPLETE:
		hh_complete(ev);
		break;
	case UIEV_TURN_FAILED:
		hh_note(UC_RED, "turn failed", ev);
		break;
	case UIEV_MCP_RESULT:	/* mcp-server only */
	case UIEV_INFO:		/* the interactive front end only */
	case UIEV_MAX:
		break;
	}
}

/* The channel closed mid-turn: show what we still hold. */
static void
human_finish(void)
{
	hflush_message();
}
