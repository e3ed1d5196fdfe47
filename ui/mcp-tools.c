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
 * The MCP server's tools, codex and codex-reply: their schemas, checking
 * a call's arguments, handing the call to the parent, and the answer.
 * While a call runs, its session's events go to the client as codex/event
 * notifications (mcp-event.c), and approvals as elicitation requests.
 */

#include <sys/types.h>
#include <sys/queue.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "imsg/log.h"
#include "ui/mcp-int.h"
#include "ui/ui.h"

/* The tools, as tools/list shows them (kebab-case, as Codex has them). */
static const char tools_json[] =
"[{\"name\":\"codex\",\"title\":\"ocodex\","
"\"description\":\"Run an ocodex session: one turn with the prompt, in "
"the sandbox and under the approval policy given, with commands and "
"patches as the model asks. Returns the last agent message and the "
"threadId to continue with codex-reply.\","
"\"inputSchema\":{\"type\":\"object\",\"properties\":{"
"\"prompt\":{\"type\":\"string\",\"description\":\"The user's request "
"that starts the session.\"},"
"\"model\":{\"type\":\"string\",\"description\":\"Model name, e.g. "
"gpt-5.4.\"},"
"\"profile\":{\"type\":\"string\",\"description\":\"A profile of "
"config.toml to start from.\"},"
"\"cwd\":{\"type\":\"string\",\"description\":\"Working directory of the "
"session; a relative path is taken from the server's.\"},"
"\"approval-policy\":{\"type\":\"string\",\"enum\":[\"untrusted\","
"\"on-failure\",\"on-request\",\"never\"],\"description\":\"When to ask "
"the client before running a command.\"},"
"\"sandbox\":{\"type\":\"string\",\"enum\":[\"read-only\","
"\"workspace-write\",\"danger-full-access\"],\"description\":\"The "
"sandbox commands run in.\"},"
"\"config\":{\"type\":\"object\",\"additionalProperties\":true,"
"\"description\":\"config.toml settings to override, as JSON; a nested "
"object stands for a table.\"},"
"\"base-instructions\":{\"type\":\"string\",\"description\":\"Replaces "
"the default instructions.\"},"
"\"developer-instructions\":{\"type\":\"string\",\"description\":\"Sent "
"to the model as a developer message.\"},"
"\"compact-prompt\":{\"type\":\"string\",\"description\":\"The prompt "
"used when the conversation is compacted.\"}},"
"\"required\":[\"prompt\"]},"
"\"outputSchema\":{\"type\":\"object\",\"properties\":{"
"\"threadId\":{\"type\":\"string\"},\"content\":{\"type\":\"string\"}},"
"\"required\":[\"threadId\",\"content\"]}},"
"{\"name\":\"codex-reply\",\"title\":\"ocodex reply\","
"\"description\":\"Continue an ocodex session with the next prompt.\","
"\"inputSchema\":{\"type\":\"object\",\"properties\":{"
"\"threadId\":{\"type\":\"string\",\"description\":\"The threadId that "
"codex returned.\"},"
"\"conversationId\":{\"type\":\"string\",\"description\":\"Deprecated: "
"the same as threadId.\"},"
"\"prompt\":{\"type\":\"string\",\"description\":\"The next user "
"prompt.\"}},\"required\":[\"prompt\"]},"
"\"outputSchema\":{\"type\":\"object\",\"properties\":{"
"\"threadId\":{\"type\":\"string\"},\"content\":{\"type\":\"string\"}},"
"\"required\":[\"threadId\",\"content\"]}}]";

static const char *const codex_strings[] = { "prompt", "model", "profile",
    "cwd", "base-instructions", "developer-instructions", "compact-prompt",
    NULL };
static const char *const approvals[] = { "untrusted", "on-failure",
    "on-request", "never", NULL };
static const char *const sandboxes[] = { "read-only", "workspace-write",
    "danger-full-access", NULL };

static int	 check_codex(json_t *, char *, size_t);
static int	 check_reply(json_t *, char *, size_t);
static int	 one_of(const char *, const char *const *);

struct mcpcalls		 mcp_calls = TAILQ_HEAD_INITIALIZER(mcp_calls);

json_t *
mcp_tools_list(void)
{
	json_error_t	 jerr;
	json_t		*t;

	if ((t = json_loads(tools_json, 0, &jerr)) == NULL)
		fatalx("mcp: tool table: %s", jerr.text);
	return json_pack("{s:o}", "tools", t);
}

static int
one_of(const char *s, const char *const *set)
{
	for (; *set != NULL; set++)
		if (strcmp(s, *set) == 0)
			return 1;
	return 0;
}

/* The arguments of codex; on error a message naming the field. */
static int
check_codex(json_t *args, char *err, size_t len)
{
	const char	*k;
	json_t		*v;
	size_t		 i;

	if (json_object_get(args, "prompt") == NULL) {
		(void)snprintf(err, len, "arguments.prompt is required");
		return -1;
	}
	json_object_foreach(args, k, v) {
		for (i = 0; codex_strings[i] != NULL; i++)
			if (strcmp(k, codex_strings[i]) == 0)
				break;
		if (codex_strings[i] != NULL && !json_is_string(v)) {
			(void)snprintf(err, len, "arguments.%s must be a "
			    "string", k);
			return -1;
		}
		if (codex_strings[i] != NULL)
			continue;
		if (strcmp(k, "approval-policy") == 0 &&
		    (!json_is_string(v) || !one_of(json_string_value(v),
		    approvals))) {
			(void)snprintf(err, len, "arguments.approval-policy "
			    "must be one of untrusted, on-failure, on-request, "
			    "never");
			return -1;
		}
		if (strcmp(k, "sandbox") == 0 && (!json_is_string(v) ||
		    !one_of(json_string_value(v), sandboxes))) {
			(void)snprintf(err, len, "arguments.sandbox must be "
			    "one of read-only, workspace-write, "
			    "danger-full-access");
			return -1;
		}
		if (strcmp(k, "config") == 0 && !json_is_object(v)) {
			(void)snprintf(err, len, "arguments.config must be "
			    "an object");
			return -1;
		}
		if (strcmp(k, "approval-policy") != 0 &&
		    strcmp(k, "sandbox") != 0 && strcmp(k, "config") != 0)
			log_debug("mcp: codex: ignoring argument %.100s", k);
	}
	return 0;
}

static int
check_reply(json_t *args, char *err, size_t len)
{
	json_t	*tid = json_object_get(args, "threadId");
	json_t	*cid = json_object_get(args, "conversationId");

	if (!json_is_string(json_object_get(args, "prompt"))) {
		(void)snprintf(err, len, "arguments.prompt is required and "
		    "must be a string");
		return -1;
	}
	if ((tid != NULL && !json_is_string(tid)) ||
	    (cid != NULL && !json_is_string(cid)) ||
	    (tid == NULL && cid == NULL)) {
		(void)snprintf(err, len, "arguments.threadId is required and "
		    "must be a string");
		return -1;
	}
	return 0;
}

/*
 * tools/call: check the arguments here, so that the client hears about
 * a bad one at once and the parent gets only well-formed calls; then
 * the call is the parent's until MCP_RESULT answers it.
 */
void
mcp_tools_call(json_t *id, json_t *params)
{
	struct mcpcall	*c;
	json_t		*name, *args;
	const char	*n;
	char		 err[256];

	if (!json_is_object(params)) {
		mcp_send(rpc_error(id, RPC_INVALID_PARAMS, "Invalid params: "
		    "params must be an object"));
		return;
	}
	name = json_object_get(params, "name");
	args = json_object_get(params, "arguments");
	if (!json_is_string(name)) {
		mcp_send(rpc_error(id, RPC_INVALID_PARAMS, "Invalid params: "
		    "params.name must be a string"));
		return;
	}
	n = json_string_value(name);
	if (strcmp(n, "codex") != 0 && strcmp(n, "codex-reply") != 0) {
		mcp_send(rpc_error(id, RPC_INVALID_PARAMS, "Invalid params: "
		    "params.name: unknown tool %.100s", n));
		return;
	}
	if (!json_is_object(args)) {
		mcp_send(rpc_error(id, RPC_INVALID_PARAMS, "Invalid params: "
		    "params.arguments must be an object"));
		return;
	}
	if ((n[5] == '\0' ? check_codex(args, err, sizeof(err)) :
	    check_reply(args, err, sizeof(err))) == -1) {
		mcp_send(rpc_error(id, RPC_INVALID_PARAMS, "Invalid params: "
		    "%s", err));
		return;
	}
	if (mcp_call_find(id) != NULL) {
		mcp_send(rpc_error(id, RPC_INVALID_REQUEST, "Invalid request: "
		    "a call with this id is still running"));
		return;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL)
		fatal(NULL);
	c->id = json_incref(id);
	if (n[5] != '\0') {
		json_t	*t = json_object_get(args, "threadId");

		if (t == NULL)
			t = json_object_get(args, "conversationId");
		if ((c->thread_id = strdup(json_string_value(t))) == NULL)
			fatal(NULL);
	}
	TAILQ_INSERT_TAIL(&mcp_calls, c, entry);
	ui_send_op(UIOP_MCP_CALL, json_pack("{s:O, s:s, s:O}", "request_id",
	    id, "name", n, "arguments", args));
}

struct mcpcall *
mcp_call_find(json_t *id)
{
	struct mcpcall	*c;

	TAILQ_FOREACH(c, &mcp_calls, entry)
		if (json_equal(c->id, id))
			return c;
	return NULL;
}

/* The call running in a thread, which its events belong to. */
struct mcpcall *
mcp_call_thread(const char *tid)
{
	struct mcpcall	*c;

	if (tid == NULL)
		return NULL;
	TAILQ_FOREACH(c, &mcp_calls, entry)
		if (c->thread_id != NULL && strcmp(c->thread_id, tid) == 0)
			return c;
	return NULL;
}

void
mcp_call_free(struct mcpcall *c)
{
	TAILQ_REMOVE(&mcp_calls, c, entry);
	json_decref(c->id);
	free(c->thread_id);
	free(c);
}

/*
 * notifications/cancelled: the client gave up on a call.  Its turn is
 * interrupted, and, as the protocol asks, the call gets no answer.
 */
void
mcp_cancel(json_t *id)
{
	struct mcpcall	*c;

	if ((c = mcp_call_find(id)) == NULL || c->cancelled)
		return;
	c->cancelled = 1;
	ui_send_op(UIOP_INTERRUPT, json_pack("{s:O}", "request_id", id));
}

/*
 * The parent's answer to a call: the last agent message as text, and
 * the same with the thread id as structured content, which the tools'
 * output schema promises even for an error.
 */
void
mcp_result(json_t *ev)
{
	struct mcpcall	*c;
	const char	*tid, *text;
	int		 is_error;

	if ((c = mcp_call_find(json_object_get(ev, "request_id"))) == NULL)
		return;
	tid = json_string_value(json_object_get(ev, "thread_id"));
	text = json_string_value(json_object_get(ev, "text"));
	is_error = json_is_true(json_object_get(ev, "is_error"));
	if (tid == NULL)
		tid = c->thread_id != NULL ? c->thread_id : "";
	if (text == NULL)
		text = "";
	if (!c->cancelled)
		mcp_send(rpc_result(c->id, json_pack("{s:[{s:s, s:s}], "
		    "s:{s:s, s:s}, s:b}", "content", "type", "text", "text",
		    text, "structuredContent", "threadId", tid, "content", text,
		    "isError", is_error)));
	mcp_elicit_drop(c->thread_id);
	mcp_call_free(c);
}
