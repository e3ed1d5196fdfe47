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

#include <sys/types.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <jansson.h>

#include "imsg/log.h"
#include "imsg/proto.h"
#include "ui/ui.h"
#include "ui/tui-int.h"

/* Lines of a command's output shown when it ends. */
#define TAIL_LINES	5

/*
 * Streamed text is sanitised, then word-wrapped: whole words go out as
 * they complete, and a word that would cross the right edge starts a new
 * line.
 */
struct wrap {
	int		 col;
	int		 wordcols;
	struct evbuffer	*word;
	struct evbuffer	*clean;
	struct sanitizer san;
	int		 active;	/* a stream is open */
	int		 streamed;	/* deltas came for this message */
};

static void	 tui_event(enum ui_event, json_t *);
static void	 tui_finish(void);
static void	 tui_dispatch(enum ui_event, json_t *);
static void	 wrap_begin(struct wrap *, enum ui_color);
static void	 wrap_feed(struct wrap *, const char *);
static void	 wrap_end(struct wrap *);
static void	 wrap_word(struct wrap *);
static void	 streams_end(void);
static void	 show_configured(json_t *);
static void	 show_exec_begin(json_t *);
static void	 show_exec_end(json_t *);
static void	 show_changes(json_t *);
static void	 show_patch_end(json_t *);
static void	 show_plan(json_t *);
static void	 show_approval(json_t *);
static void	 show_info(json_t *);
static void	 show_diff(const char *);
static void	 show_outside(json_t *);
static int	 path_outside(const char *);
static int	 path_under(const char *, const char *);
static void	 show_sessions(json_t *);
static void	 show_replay(json_t *);
static void	 show_status(json_t *);
static void	 show_text(struct wrap *, json_t *, enum ui_color);
static void	 show_delta(struct wrap *, json_t *, enum ui_color);
static const char *jstr(json_t *, const char *, const char *);

const struct frontend	fe_tui = { "tui", tui_event, tui_finish };

static int		 started;
static struct wrap	 msg, rsn;
static json_t		*conf;		/* SESSION_CONFIGURED, kept current */
static json_int_t	 tokens;

static void
tui_event(enum ui_event kind, json_t *ev)
{
	int	 idle;

	if (!started) {
		tin_start();
		started = 1;
	}
	/* Output while a prompt is edited goes above it. */
	idle = tin_state() == TS_IDLE;
	if (idle)
		tin_out("\r\033[K", 4);
	tui_dispatch(kind, ev);
	if (idle && tin_state() == TS_IDLE)
		tin_redisplay();
}

/* The parent is gone: give the terminal back as it was. */
static void
tui_finish(void)
{
	streams_end();
	tin_restore();
}

static void
tui_dispatch(enum ui_event kind, json_t *ev)
{
	switch (kind) {
	case UIEV_SESSION_CONFIGURED:
		show_configured(ev);
		break;
	case UIEV_TASK_STARTED:
		if (json_is_true(json_object_get(ev, "compact")))
			tin_printf("%s• Compacting the conversation%s\n",
			    sgr(UC_MAGENTA), sgr(UC_RESET));
		/* A turn the user did not type here: the command line's. */
		else if (tin_state() == TS_IDLE)
			tui_user(jstr(ev, "prompt", ""));
		tin_busy();
		break;
	case UIEV_AGENT_MESSAGE_DELTA:
		show_delta(&msg, ev, UC_RESET);
		break;
	case UIEV_AGENT_MESSAGE:
		show_text(&msg, ev, UC_RESET);
		break;
	case UIEV_REASONING_DELTA:
		if (!ui_hide_reasoning())
			show_delta(&rsn, ev, UC_DIM);
		break;
	case UIEV_REASONING:
		if (!ui_hide_reasoning())
			show_text(&rsn, ev, UC_DIM);
		break;
	case UIEV_EXEC_BEGIN:
		show_exec_begin(ev);
		break;
	case UIEV_EXEC_OUTPUT:
		/* Shown at the end, as the command's last lines. */
		break;
	case UIEV_EXEC_END:
		show_exec_end(ev);
		break;
	case UIEV_PATCH_BEGIN:
		streams_end();
		tin_printf("%s• Editing%s\n", sgr(UC_MAGENTA), sgr(UC_RESET));
		show_changes(ev);
		break;
	case UIEV_PATCH_END:
		show_patch_end(ev);
		break;
	case UIEV_PLAN_UPDATE:
		show_plan(ev);
		break;
	case UIEV_APPROVAL_REQUEST:
		show_approval(ev);
		break;
	case UIEV_TOKEN_COUNT:
		tokens = json_integer_value(json_object_get(json_object_get(ev,
		    "usage"), "total_tokens"));
		break;
	case UIEV_RETRYING:
		streams_end();
		tin_printf("%sreconnecting %lld/%lld in %.1fs: ", sgr(UC_YELLOW),
		    json_integer_value(json_object_get(ev, "attempt")),
		    json_integer_value(json_object_get(ev, "max")),
		    json_integer_value(json_object_get(ev, "delay_ms")) /
		    1000.0);
		tui_safe(jstr(ev, "reason", ""));
		tin_printf("%s\n", sgr(UC_RESET));
		break;
	case UIEV_WARNING:
		tui_note("warning", jstr(ev, "message", ""));
		break;
	case UIEV_ERROR:
		tui_note("error", jstr(ev, "message", ""));
		break;
	case UIEV_TASK_COMPLETE:
		streams_end();
		tokens = json_integer_value(json_object_get(json_object_get(ev,
		    "usage"), "total_tokens"));
		tin_idle();
		break;
	case UIEV_TURN_FAILED:
		streams_end();
		tin_printf("%s■ ", sgr(UC_RED));
		tui_safe(jstr(ev, "message", "interrupted"));
		tin_printf("%s\n", sgr(UC_RESET));
		tin_idle();
		break;
	case UIEV_INFO:
		show_info(ev);
		break;
	case UIEV_MCP_RESULT:	/* mcp-server only */
	case UIEV_MAX:
		break;
	}
}

static const char *
jstr(json_t *o, const char *k, const char *dflt)
{
	const char	*s = json_string_value(json_object_get(o, k));

	return s != NULL ? s : dflt;
}

/* Untrusted text, sanitised, straight to the terminal. */
void
tui_safe(const char *s)
{
	struct evbuffer	*b;
	size_t		 len;

	if ((b = evbuffer_new()) == NULL || san_append(b, s) == -1)
		fatal("sanitising");
	len = evbuffer_get_length(b);
	tin_out((const char *)evbuffer_pullup(b, len), len);
	evbuffer_free(b);
}

/* A label and an untrusted message on one line. */
void
tui_note(const char *label, const char *text)
{
	streams_end();
	tin_printf("%s%s:%s ", sgr(strcmp(label, "error") == 0 ? UC_RED :
	    UC_YELLOW), label, sgr(UC_RESET));
	tui_safe(text);
	tin_printf("\n");
}

/* What the user sent, as a session's first prompt given on the command line. */
void
tui_user(const char *text)
{
	tin_printf("%s> %s", sgr(UC_BOLD), sgr(UC_RESET));
	tui_safe(text);
	tin_printf("\n");
}

static void
wrap_begin(struct wrap *w, enum ui_color c)
{
	if (w->active)
		return;
	if (w->word == NULL && ((w->word = evbuffer_new()) == NULL ||
	    (w->clean = evbuffer_new()) == NULL))
		fatal("evbuffer_new");
	san_init(&w->san);
	w->active = 1;
	w->col = 0;
	w->wordcols = 0;
	tin_printf("\n%s", sgr(c));
}

/* Sanitise a piece of the stream and lay out the words it completes. */
static void
wrap_feed(struct wrap *w, const char *s)
{
	unsigned char	*p;
	size_t		 i, len;

	san_feed(&w->san, w->clean, s, strlen(s));
	len = evbuffer_get_length(w->clean);
	p = evbuffer_pullup(w->clean, len);
	for (i = 0; i < len; i++) {
		if (p[i] == '\n') {
			wrap_word(w);
			tin_out("\n", 1);
			w->col = 0;
		} else if (p[i] == ' ' || p[i] == '\t') {
			wrap_word(w);
			if (w->col > 0 && w->col < tin_width() - 1) {
				tin_out(" ", 1);
				w->col++;
			}
		} else {
			if (evbuffer_add(w->word, p + i, 1) == -1)
				fatal("evbuffer_add");
			if ((p[i] & 0xc0) != 0x80)
				w->wordcols++;
			if (w->wordcols >= tin_width() - 1)
				wrap_word(w);
		}
	}
	(void)evbuffer_drain(w->clean, len);
}

static void
wrap_word(struct wrap *w)
{
	size_t	 len = evbuffer_get_length(w->word);

	if (len == 0)
		return;
	if (w->col > 0 && w->col + w->wordcols >= tin_width()) {
		tin_out("\n", 1);
		w->col = 0;
	}
	tin_out((const char *)evbuffer_pullup(w->word, len), len);
	(void)evbuffer_drain(w->word, len);
	w->col += w->wordcols;
	w->wordcols = 0;
}

static void
wrap_end(struct wrap *w)
{
	if (!w->active)
		return;
	(void)san_finish(&w->san, w->clean);
	wrap_feed(w, "");
	wrap_word(w);
	tin_printf("%s\n", sgr(UC_RESET));
	w->active = 0;
}

static void
streams_end(void)
{
	wrap_end(&rsn);
	wrap_end(&msg);
}

static void
show_delta(struct wrap *w, json_t *ev, enum ui_color c)
{
	if (w == &msg)
		wrap_end(&rsn);
	else
		wrap_end(&msg);
	wrap_begin(w, c);
	w->streamed = 1;
	wrap_feed(w, jstr(ev, "delta", ""));
}

/* A completed message: shown whole unless its deltas were. */
static void
show_text(struct wrap *w, json_t *ev, enum ui_color c)
{
	if (!w->streamed) {
		streams_end();
		wrap_begin(w, c);
		wrap_feed(w, jstr(ev, "text", ""));
	}
	wrap_end(w);
	w->streamed = 0;
}

static void
show_configured(json_t *ev)
{
	json_decref(conf);
	conf = json_deep_copy(ev);
	tokens = 0;
	tin_printf("%s>_ ocodex%s (v%s)\n", sgr(UC_BOLD), sgr(UC_RESET),
	    jstr(ev, "version", "?"));
	tin_printf("%smodel:%s ", sgr(UC_DIM), sgr(UC_RESET));
	tui_safe(jstr(ev, "model", "?"));
	tin_printf("   %sdirectory:%s ", sgr(UC_DIM), sgr(UC_RESET));
	tui_safe(jstr(ev, "cwd", "?"));
	if (json_is_true(json_object_get(ev, "resumed"))) {
		tin_printf("\n%sresumed session%s ", sgr(UC_GREEN),
		    sgr(UC_RESET));
		tui_safe(jstr(ev, "thread_id", "?"));
		tin_printf("\n");
		show_replay(json_object_get(ev, "messages"));
	}
	tin_printf("\n%sType a prompt, or /help for commands.%s\n",
	    sgr(UC_DIM), sgr(UC_RESET));
	tin_idle();
}

/* The status line above each prompt. */
void
tui_status_line(void)
{
	const char	*sep = " · ";

	tin_printf("\n%s", sgr(UC_DIM));
	tui_safe(jstr(conf, "model", "?"));
	tin_printf("%s", sep);
	tui_safe(jstr(conf, "provider", "?"));
	tin_printf("%ssandbox %s%sapproval %s%s", sep, jstr(conf, "sandbox",
	    "?"), sep, jstr(conf, "approval", "?"), sep);
	tui_safe(jstr(conf, "cwd", "?"));
	tin_printf("%s%lld tokens used%s\n", sep, (long long)tokens,
	    sgr(UC_RESET));
}

void
tui_help(void)
{
	tin_printf("%sKeys%s: Enter sends; a line ending in \\ continues on "
	    "the next; Up/Down recall\nhistory; Ctrl-C interrupts a turn "
	    "(twice at an empty prompt quits); Ctrl-D quits.\n"
	    "In an approval: y approve, a approve for the session, n deny, "
	    "Esc or Ctrl-C abort.\n%sCommands%s:\n"
	    "  /help               this text\n"
	    "  /status             settings, session, tokens, sandbox layers\n"
	    "  /new                start a new session\n"
	    "  /model NAME         use another model\n"
	    "  /approvals POLICY   untrusted, on-failure, on-request or never\n"
	    "  /diff               the working tree's git diff\n"
	    "  /compact            summarise the conversation to free context\n"
	    "  /resume             pick a recent session of this directory\n"
	    "  /quit               leave\n", sgr(UC_BOLD), sgr(UC_RESET),
	    sgr(UC_BOLD), sgr(UC_RESET));
}

static void
show_exec_begin(json_t *ev)
{
	streams_end();
	tin_printf("%s• Running%s ", sgr(UC_MAGENTA), sgr(UC_RESET));
	tin_printf("%s", sgr(UC_BOLD));
	tui_safe(jstr(ev, "command", ""));
	tin_printf("%s %sin ", sgr(UC_RESET), sgr(UC_DIM));
	tui_safe(jstr(ev, "cwd", "."));
	tin_printf("%s\n", sgr(UC_RESET));
}

/* The last lines of the output, the exit code and the duration. */
static void
show_exec_end(json_t *ev)
{
	const char	*out = jstr(ev, "aggregated_output", ""), *p;
	json_int_t	 code = json_integer_value(json_object_get(ev,
			    "exit_code"));
	size_t		 len = strlen(out);
	int		 n = 0;
	char		*line;

	streams_end();
	while (len > 0 && out[len - 1] == '\n')
		len--;
	for (p = out + len; p > out; p--)
		if (p[-1] == '\n' && ++n == TAIL_LINES)
			break;
	if (p > out)
		tin_printf("  %s│ …%s\n", sgr(UC_DIM), sgr(UC_RESET));
	while (p < out + len) {
		const char	*nl = memchr(p, '\n', out + len - p);
		size_t		 l = nl != NULL ? (size_t)(nl - p) :
				    (size_t)(out + len - p);

		if ((line = strndup(p, l)) == NULL)
			fatal(NULL);
		tin_printf("  %s│ ", sgr(UC_DIM));
		tui_safe(line);
		tin_printf("%s\n", sgr(UC_RESET));
		free(line);
		p += l + (nl != NULL);
	}
	if (json_is_true(json_object_get(ev, "declined")))
		tin_printf("  %s└ declined%s\n", sgr(UC_RED), sgr(UC_RESET));
	else
		tin_printf("  %s└ %s %lld%s in %.2fs%s\n", sgr(code == 0 ?
		    UC_GREEN : UC_RED), json_is_true(json_object_get(ev,
		    "timed_out")) ? "timed out, exit" : "exit", (long long)code,
		    sgr(UC_DIM), json_integer_value(json_object_get(ev,
		    "duration_ms")) / 1000.0, sgr(UC_RESET));
}

/* A patch: its diff text when the parent sent it, else the file list. */
static void
show_changes(json_t *ev)
{
	json_t	*c;
	size_t	 i;
	const char	*kind;

	if (json_is_string(json_object_get(ev, "patch"))) {
		show_diff(jstr(ev, "patch", ""));
		return;
	}
	json_array_foreach(json_object_get(ev, "changes"), i, c) {
		kind = jstr(c, "kind", "update");
		tin_printf("  %s%s%s ", sgr(strcmp(kind, "add") == 0 ?
		    UC_GREEN : strcmp(kind, "delete") == 0 ? UC_RED :
		    UC_YELLOW), strcmp(kind, "add") == 0 ? "A" :
		    strcmp(kind, "delete") == 0 ? "D" : "M", sgr(UC_RESET));
		tui_safe(jstr(c, "path", "?"));
		tin_printf("\n");
	}
}

static void
show_patch_end(json_t *ev)
{
	streams_end();
	if (json_is_true(json_object_get(ev, "success")))
		tin_printf("  %s└ patch applied%s\n", sgr(UC_GREEN),
		    sgr(UC_RESET));
	else {
		tin_printf("  %s└ patch failed:%s ", sgr(UC_RED),
		    sgr(UC_RESET));
		tui_safe(jstr(ev, "output", ""));
		tin_printf("\n");
	}
}

static void
show_plan(json_t *ev)
{
	json_t		*st;
	size_t		 i;
	const char	*status;

	streams_end();
	tin_printf("%s• Plan%s\n", sgr(UC_MAGENTA), sgr(UC_RESET));
	if (*jstr(ev, "explanation", "") != '\0') {
		tin_printf("  %s", sgr(UC_DIM));
		tui_safe(jstr(ev, "explanation", ""));
		tin_printf("%s\n", sgr(UC_RESET));
	}
	json_array_foreach(json_object_get(ev, "plan"), i, st) {
		status = jstr(st, "status", "pending");
		if (strcmp(status, "completed") == 0)
			tin_printf("  %s[x]%s %s", sgr(UC_GREEN), sgr(UC_RESET),
			    sgr(UC_DIM));
		else if (strcmp(status, "in_progress") == 0)
			tin_printf("  %s[~]%s %s", sgr(UC_CYAN), sgr(UC_RESET),
			    sgr(UC_BOLD));
		else
			tin_printf("  [ ] ");
		tui_safe(jstr(st, "step", ""));
		tin_printf("%s\n", sgr(UC_RESET));
	}
}

static void
show_approval(json_t *ev)
{
	const char	*kind = jstr(ev, "kind", "exec");

	streams_end();
	tin_printf("\n%s%s%s\n", sgr(UC_YELLOW), strcmp(kind, "patch") == 0 ?
	    "Apply this patch?" : "Run this command?", sgr(UC_RESET));
	if (strcmp(kind, "patch") == 0) {
		show_changes(ev);
		show_outside(ev);
	} else {
		tin_printf("  %s$ ", sgr(UC_BOLD));
		tui_safe(jstr(ev, "command", ""));
		tin_printf("%s\n", sgr(UC_RESET));
	}
	tin_printf("  %sin%s ", sgr(UC_DIM), sgr(UC_RESET));
	tui_safe(jstr(ev, "cwd", "."));
	tin_printf("\n");
	if (json_is_string(json_object_get(ev, "justification"))) {
		tin_printf("  %swhy:%s ", sgr(UC_DIM), sgr(UC_RESET));
		tui_safe(jstr(ev, "justification", ""));
		tin_printf("\n");
	}
	if (json_is_string(json_object_get(ev, "reason"))) {
		tin_printf("  %sreason:%s ", sgr(UC_DIM), sgr(UC_RESET));
		tui_safe(jstr(ev, "reason", ""));
		tin_printf("\n");
	}
	tin_approval(jstr(ev, "call_id", ""));
}

/* A unified diff, coloured by line; the text itself is sanitised. */
static void
show_diff(const char *text)
{
	const char	*p = text, *nl;
	char		*line;
	enum ui_color	 c;

	while (*p != '\0') {
		nl = strchr(p, '\n');
		if ((line = strndup(p, nl != NULL ? (size_t)(nl - p) :
		    strlen(p))) == NULL)
			fatal(NULL);
		if (strncmp(line, "+++", 3) == 0 || strncmp(line, "---", 3) ==
		    0 || strncmp(line, "diff ", 5) == 0 ||
		    strncmp(line, "***", 3) == 0)
			c = UC_BOLD;
		else if (line[0] == '+')
			c = UC_GREEN;
		else if (line[0] == '-')
			c = UC_RED;
		else if (strncmp(line, "@@", 2) == 0)
			c = UC_CYAN;
		else
			c = UC_RESET;
		tin_printf("%s", sgr(c));
		tui_safe(line);
		tin_printf("%s\n", sgr(UC_RESET));
		free(line);
		if (nl == NULL)
			break;
		p = nl + 1;
	}
}

static void
show_info(json_t *ev)
{
	const char	*what = jstr(ev, "what", "");
	json_t		*v;

	if (strcmp(what, "history") == 0)
		tin_history(json_object_get(ev, "entries"));
	else if (strcmp(what, "status") == 0)
		show_status(ev);
	else if (strcmp(what, "sessions") == 0)
		show_sessions(json_object_get(ev, "entries"));
	else if (strcmp(what, "diff") == 0) {
		if (*jstr(ev, "text", "") == '\0')
			tin_printf("%sno changes%s\n", sgr(UC_DIM),
			    sgr(UC_RESET));
		else
			show_diff(jstr(ev, "text", ""));
	} else if (strcmp(what, "note") == 0) {
		/* Only what changed: the other key is null. */
		if (json_is_string(v = json_object_get(ev, "model")))
			(void)json_object_set(conf, "model", v);
		if (json_is_string(v = json_object_get(ev, "approval")))
			(void)json_object_set(conf, "approval", v);
		tui_safe(jstr(ev, "text", ""));
		tin_printf("\n");
	}
}

static void
show_status(json_t *ev)
{
	static const char *const keys[] = { "model", "provider", "cwd",
	    "sandbox", "approval", "thread_id", "rollout", NULL };
	const char *const	*k;
	json_t			*l;
	size_t			 i;

	tin_printf("%s/status%s\n", sgr(UC_BOLD), sgr(UC_RESET));
	for (k = keys; *k != NULL; k++) {
		tin_printf("  %-12s ", *k);
		tui_safe(jstr(ev, *k, "-"));
		tin_printf("\n");
	}
	tin_printf("  %-12s %lld\n", "tokens", (long long)json_integer_value(
	    json_object_get(json_object_get(ev, "usage"), "total_tokens")));
	tin_printf("  %-12s %lld\n", "Landlock ABI", (long long)
	    json_integer_value(json_object_get(ev, "landlock_abi")));
	tin_printf("  %-12s", "sandbox layers");
	json_array_foreach(json_object_get(ev, "layers"), i, l) {
		tin_printf(" ");
		tui_safe(json_string_value(l) != NULL ? json_string_value(l) :
		    "?");
	}
	tin_printf("\n");
}

/*
 * The files of a patch that are outside the writable roots: those are
 * why it is asked about.  The paths are normalised by their text only;
 * the parent decides with its own check, this list explains it.
 */
static void
show_outside(json_t *ev)
{
	json_t		*c;
	size_t		 i;
	int		 n = 0;
	const char	*path;

	json_array_foreach(json_object_get(ev, "changes"), i, c) {
		path = jstr(c, "path", "");
		if (!path_outside(path))
			continue;
		if (n++ == 0)
			tin_printf("  %soutside the writable roots:%s\n",
			    sgr(UC_RED), sgr(UC_RESET));
		tin_printf("    %s", sgr(UC_BOLD));
		tui_safe(path);
		tin_printf("%s\n", sgr(UC_RESET));
	}
}

/* Is this absolute path outside every writable root, or read-only? */
static int
path_outside(const char *path)
{
	json_t		*roots = json_object_get(conf, "writable_roots"), *r;
	char		 norm[4096], *seg, *save, *copy;
	size_t		 i, len = 0;

	if (json_is_null(roots) || roots == NULL)
		return 0;
	if ((copy = strdup(path)) == NULL)
		fatal(NULL);
	norm[0] = '\0';
	for (seg = strtok_r(copy, "/", &save); seg != NULL;
	    seg = strtok_r(NULL, "/", &save)) {
		if (strcmp(seg, ".") == 0)
			continue;
		if (strcmp(seg, "..") == 0) {
			while (len > 0 && norm[--len] != '/')
				;
			norm[len] = '\0';
			continue;
		}
		if (len + 1 + strlen(seg) >= sizeof(norm)) {
			free(copy);
			return 1;
		}
		norm[len++] = '/';
		(void)strlcpy(norm + len, seg, sizeof(norm) - len);
		len += strlen(seg);
	}
	free(copy);
	json_array_foreach(json_object_get(conf, "read_only"), i, r)
		if (json_is_string(r) && path_under(norm, json_string_value(r)))
			return 1;
	json_array_foreach(roots, i, r)
		if (json_is_string(r) && path_under(norm, json_string_value(r)))
			return 0;
	return 1;
}

static int
path_under(const char *path, const char *root)
{
	size_t	 n = strlen(root);

	while (n > 1 && root[n - 1] == '/')
		n--;
	return strncmp(path, root, n) == 0 && (path[n] == '\0' ||
	    path[n] == '/' || (n == 1 && root[0] == '/'));
}

/* /resume: the numbered sessions, then ask which. */
static void
show_sessions(json_t *entries)
{
	json_t	*e;
	size_t	 i;

	if (json_array_size(entries) == 0) {
		tin_printf("%sno session to resume in this directory%s\n",
		    sgr(UC_DIM), sgr(UC_RESET));
		return;
	}
	tin_printf("%sRecent sessions here, newest first:%s\n", sgr(UC_BOLD),
	    sgr(UC_RESET));
	json_array_foreach(entries, i, e) {
		tin_printf("  %2lld  %s", (long long)json_integer_value(
		    json_object_get(e, "index")), sgr(UC_DIM));
		tui_safe(jstr(e, "stamp", "?"));
		tin_printf("%s  ", sgr(UC_RESET));
		tui_safe(jstr(e, "preview", "(no prompt)"));
		if (json_is_true(json_object_get(e, "current")))
			tin_printf("  %s(this session)%s", sgr(UC_CYAN),
			    sgr(UC_RESET));
		tin_printf("\n");
	}
	tin_pick(json_array_size(entries));
}

/* The last messages of a resumed session; a summary dimmed. */
static void
show_replay(json_t *msgs)
{
	json_t	*m;
	size_t	 i;

	json_array_foreach(msgs, i, m) {
		if (strcmp(jstr(m, "role", ""), "user") == 0)
			tui_user(jstr(m, "text", ""));
		else if (strcmp(jstr(m, "role", ""), "summary") == 0) {
			tin_printf("%s(summary of the earlier conversation)%s",
			    sgr(UC_DIM), sgr(UC_RESET));
			wrap_begin(&msg, UC_DIM);
			wrap_feed(&msg, jstr(m, "text", ""));
			wrap_end(&msg);
		} else {
			wrap_begin(&msg, UC_RESET);
			wrap_feed(&msg, jstr(m, "text", ""));
			wrap_end(&msg);
		}
	}
}
