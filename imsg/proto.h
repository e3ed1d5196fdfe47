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

#ifndef PROTO_H
#define PROTO_H

#include <stdint.h>

/*
 * Every message that travels between ocodex's processes, and the version
 * of the protocol they speak.  Bump OCODEX_PROTOCOL_VERSION whenever a
 * message is added or a payload changes layout: the four executables are
 * built together, but an installed tree can mix an old helper with a new
 * parent, and the hello handshake must then refuse to go on.
 */
#define OCODEX_PROTOCOL_VERSION	5

/* The descriptor on which every helper finds its channel to the parent. */
#define PROC_CHANNEL_FD		3

/* Process roles; also the index of a helper in the parent's table. */
enum proc_role {
	PROC_PARENT,
	PROC_NETPROC,
	PROC_EXECPROC,
	PROC_UI,
	PROC_MAX
};

enum imsg_type {
	IMSG_NONE,
	/* Both directions, first message on every channel. */
	IMSG_HELLO,		/* struct msg_hello */
	/* Child to parent: a log record (struct msg_log + text). */
	IMSG_LOG,
	/* Parent to child: verbosity changed (int). */
	IMSG_VERBOSE,
	/* Parent to child: run one privsep probe (struct msg_probe). */
	IMSG_PROBE,
	/* Child to parent: what the probe got (struct msg_probe_result). */
	IMSG_PROBE_RESULT,

	/*
	 * agent <-> netproc.  Payloads marked "big" are JSON documents sent
	 * with peer_compose_big(): any length, in chunks.
	 */
	/* Parent to netproc, once: providers and client identity (big). */
	IMSG_NET_CONFIG,
	/* Parent to netproc, once per provider: struct msg_credential. */
	IMSG_NET_CREDENTIAL,
	/* Parent to netproc: a model request, id = request id (big). */
	IMSG_NET_REQUEST,
	/* Parent to netproc: cancel request id; no payload. */
	IMSG_NET_CANCEL,
	/* netproc to parent: one stream event of request id (big). */
	IMSG_NET_EVENT,
	/* netproc to parent: refreshed ChatGPT tokens for auth.json (big). */
	IMSG_NET_TOKENS,

	/*
	 * agent <-> execproc.  A command is sent as its argv elements, its
	 * environment entries and its writable roots, one NUL-terminated
	 * string per message, then optionally up to three descriptors for
	 * its standard input, output and error (IMSG_EXEC_FD, a uint32_t
	 * saying which, with the descriptor attached), and last
	 * IMSG_EXEC_RUN, which starts it.  The imsg id names the command
	 * in every message about it, both ways.
	 */
	IMSG_EXEC_ARG,
	IMSG_EXEC_ENV,
	IMSG_EXEC_ROOT,
	IMSG_EXEC_FD,
	IMSG_EXEC_RUN,		/* struct msg_exec_run + workdir string */
	/* Parent to execproc: kill the command's process group (no data). */
	IMSG_EXEC_KILL,
	/* execproc to parent: output as it arrives (struct msg_exec_output
	   followed by the bytes). */
	IMSG_EXEC_OUTPUT,
	/* execproc to parent: the command ended (struct msg_exec_end). */
	IMSG_EXEC_END,
	/*
	 * Parent to execproc: apply a patch, id = call (big JSON {patch,
	 * workdir, mode, network, roots}); execproc answers with
	 * IMSG_EXEC_PATCH_END (big JSON {success, output}).
	 */
	IMSG_EXEC_PATCH,
	IMSG_EXEC_PATCH_END,

	/*
	 * agent <-> ui.  The parent passes ui the descriptors it renders to
	 * (IMSG_UI_FD, id = enum ui_fd, the descriptor attached), then
	 * IMSG_UI_MODE, then session events (IMSG_UI_EVENT, id = enum
	 * ui_event, a big JSON object; the fields of each kind are listed
	 * below).  ui answers with operations (IMSG_UI_OP, id = enum ui_op,
	 * big JSON).  When the parent closes the channel, ui flushes what
	 * it holds and exits.
	 */
	IMSG_UI_FD,
	IMSG_UI_MODE,		/* struct msg_ui_mode */
	IMSG_UI_EVENT,
	IMSG_UI_OP,
	IMSG_MAX
};

/*
 * A big payload travels as chunks of at most BIG_CHUNK bytes, each
 * prefixed by one byte: BIG_MORE, or BIG_LAST on the final chunk.  The
 * receiver reassembles per message type and id, up to BIG_MAX bytes.
 */
#define BIG_MORE	'+'
#define BIG_LAST	'.'
#define BIG_CHUNK	(16384 - 16 - 1)
#define BIG_MAX		(64 * 1024 * 1024)

/*
 * A credential for one provider.  The secret follows the struct; netproc
 * keeps it, the parent wipes its copy once this is sent.
 */
#define CRED_PROVIDER_MAX	64

enum cred_kind {
	CRED_API_KEY,		/* secret: the key */
	CRED_CHATGPT		/* secret: auth.json's "tokens" object (JSON) */
};

struct msg_credential {
	uint32_t	kind;			/* enum cred_kind */
	char		provider[CRED_PROVIDER_MAX];	/* NUL-terminated */
	/* followed by the secret, not NUL-terminated */
};

struct msg_hello {
	uint32_t	version;	/* OCODEX_PROTOCOL_VERSION */
	uint32_t	role;		/* enum proc_role of the sender */
	int32_t		pid;
	uint32_t	landlock_abi;	/* 0 when unconfined */
	uint32_t	confined;	/* 1 when pledge and unveil are on */
};

#define LOG_MSG_MAX	1024

struct msg_log {
	int32_t		level;		/* LOG_* priority from <syslog.h> */
	/* followed by a NUL-terminated text of at most LOG_MSG_MAX bytes */
};

/* What `ocodex debug privsep` asks a process to try. */
enum probe_kind {
	PROBE_WRITE,		/* open a file for writing outside its roots */
	PROBE_CONNECT,		/* TCP connect to a listener on 127.0.0.1 */
	PROBE_EXEC,		/* execve("/bin/true") */
	PROBE_PTRACE,		/* ptrace(PTRACE_ATTACH) a sibling */
	PROBE_ENVIRON,		/* read a sibling's /proc/PID/environ */
	PROBE_MEM,		/* read a sibling's /proc/PID/mem */
	PROBE_FORK,		/* fork(2) */
	PROBE_READ,		/* open a file for reading and read a byte */
	PROBE_STDOUT,		/* write(2) to its standard output */
	PROBE_MAX
};

#define PROBE_PATH_MAX	1024

struct msg_probe {
	uint32_t	kind;		/* enum probe_kind */
	int32_t		pid;		/* the sibling, for ptrace and /proc */
	uint32_t	port;		/* the listener, for connect */
	char		path[PROBE_PATH_MAX];	/* for write and read */
};

struct msg_probe_result {
	uint32_t	kind;
	int32_t		error;		/* errno of the attempt, 0 if it worked,
					   -1 if the probe could not pledge */
	int32_t		signal;		/* the signal that killed the probe */
};

/* How long a command may run when the parent names no timeout. */
#define EXEC_TIMEOUT_DEFAULT	10000	/* ms */
/* Exit code of a command killed by its timeout, as timeout(1) uses. */
#define EXEC_EXIT_TIMEOUT	124
/* At most this much of each output stream is kept for the model. */
#define EXEC_CAPTURE_MAX	(1024 * 1024)
/* Bytes of output in one IMSG_EXEC_OUTPUT. */
#define EXEC_CHUNK_MAX		16000
/* Arguments, environment entries and roots of one command. */
#define EXEC_ARGS_MAX		4096
#define EXEC_ENV_MAX		4096

struct msg_exec_run {
	uint32_t	mode;		/* enum policy_mode */
	uint32_t	network;	/* 1 when the policy allows network */
	uint32_t	timeout_ms;	/* 0: EXEC_TIMEOUT_DEFAULT */
	uint32_t	flags;
#define EXEC_F_NOTIMEOUT	0x01	/* run until it ends or is killed */
	/* followed by the NUL-terminated working directory */
};

enum exec_stream {
	EXEC_STDOUT = 1,
	EXEC_STDERR = 2
};

struct msg_exec_output {
	uint32_t	stream;		/* enum exec_stream */
	/* followed by up to EXEC_CHUNK_MAX bytes */
};

struct msg_exec_end {
	int32_t		exit_code;	/* 128+signal, or 124 on timeout */
	int32_t		signal;		/* the signal that ended it, or 0 */
	uint32_t	duration_ms;
	uint32_t	timed_out;
	uint32_t	denied;		/* likely a sandbox denial */
	uint32_t	sandboxed;
	uint64_t	bytes[2];	/* stdout, stderr bytes seen */
};

enum ui_fd {
	UI_FD_STDIN,
	UI_FD_STDOUT,
	UI_FD_STDERR,
	UI_FD_MAX
};

enum ui_mode {
	UI_MODE_EXEC,		/* `ocodex exec`: progress to stderr, answer to stdout */
	UI_MODE_EXEC_JSON,	/* `ocodex exec --json`: Codex's JSONL on stdout */
	UI_MODE_TUI,		/* interactive terminal */
	UI_MODE_MCP		/* `ocodex mcp-server` on stdio */
};

struct msg_ui_mode {
	uint32_t	mode;		/* enum ui_mode */
	uint32_t	color;		/* 1: use colour on stderr */
	uint32_t	hide_reasoning;	/* hide_agent_reasoning */
};

/*
 * Session events, parent to ui.  Every front end switches over all of
 * them (no default), so a new kind forces each to decide what to show.
 * Payload fields (JSON):
 *  SESSION_CONFIGURED	thread_id, model, provider, cwd, sandbox, approval,
 *			reasoning_effort, version; the interactive mode adds
 *			writable_roots and read_only (paths, or null under
 *			full access), resumed (bool) and messages (the
 *			resumed session's user and assistant texts)
 *  TASK_STARTED	turn_id, prompt
 *  AGENT_MESSAGE_DELTA	delta
 *  AGENT_MESSAGE	text (a completed assistant message)
 *  REASONING_DELTA	delta
 *  REASONING		text (a completed reasoning summary)
 *  EXEC_BEGIN		call_id, command (a display string), argv, cwd
 *  EXEC_OUTPUT		call_id, stream ("stdout"|"stderr"), chunk
 *  EXEC_END		call_id, command, exit_code, duration_ms,
 *			aggregated_output, timed_out, declined (bool)
 *  PATCH_BEGIN		call_id, changes [{path, kind add|delete|update}]
 *  PATCH_END		call_id, changes, success, output
 *  PLAN_UPDATE		explanation, plan [{step, status}]
 *  APPROVAL_REQUEST	call_id, kind (exec|patch), command, cwd, reason,
 *			changes, argv (exec), patch (the patch text),
 *			justification (the model's)
 *  TOKEN_COUNT		usage {input_tokens, cached_input_tokens,
 *			output_tokens, reasoning_output_tokens, total_tokens}
 *  RETRYING		attempt, max, delay_ms, reason
 *  WARNING		message
 *  ERROR		message (a fatal error of the stream or the turn)
 *  TASK_COMPLETE	last_agent_message (or null), usage
 *  TURN_FAILED		message
 *  MCP_RESULT		request_id (the JSON-RPC id, any JSON value),
 *			thread_id (or null), text, is_error: the answer
 *			to an MCP_CALL operation (`ocodex mcp-server`)
 *  INFO		what: "history" (entries: the prompt history,
 *			oldest first), "status" (model, provider, cwd,
 *			sandbox, approval, thread_id, rollout, landlock_abi,
 *			layers [strings], usage), "diff" (text, exit_code),
 *			"note" (text; model and approval when they changed),
 *			"sessions" (entries [{index, id, stamp, preview}]):
 *			answers to the interactive front end's operations
 */
enum ui_event {
	UIEV_SESSION_CONFIGURED,
	UIEV_TASK_STARTED,
	UIEV_AGENT_MESSAGE_DELTA,
	UIEV_AGENT_MESSAGE,
	UIEV_REASONING_DELTA,
	UIEV_REASONING,
	UIEV_EXEC_BEGIN,
	UIEV_EXEC_OUTPUT,
	UIEV_EXEC_END,
	UIEV_PATCH_BEGIN,
	UIEV_PATCH_END,
	UIEV_PLAN_UPDATE,
	UIEV_APPROVAL_REQUEST,
	UIEV_TOKEN_COUNT,
	UIEV_RETRYING,
	UIEV_WARNING,
	UIEV_ERROR,
	UIEV_TASK_COMPLETE,
	UIEV_TURN_FAILED,
	UIEV_MCP_RESULT,
	UIEV_INFO,
	UIEV_MAX
};

/*
 * Operations, ui to parent.  Payload fields (JSON):
 *  USER_TURN	text
 *  APPROVAL	call_id, decision (approved|approved_for_session|denied|
 *		abort)
 *  INTERRUPT	(none); in mcp-server: request_id, the call to stop
 *  SHUTDOWN	(none)
 *  MCP_CALL	request_id, name (codex|codex-reply), arguments (the
 *		tools/call arguments, checked by ui); answered by the
 *		event MCP_RESULT.  In mcp-server APPROVAL also names the
 *		session: thread_id, call_id, decision.
 *  NEW		(none): a fresh session (the interactive /new)
 *  MODEL	model: use it from the next request on
 *  APPROVALS	approval: the approval policy from now on
 *  STATUS	(none): answered by INFO status
 *  DIFF	(none): `git diff` run read-only, answered by INFO diff
 *  COMPACT	(none): summarise the conversation now (/compact); a
 *		TASK_COMPLETE or TURN_FAILED ends it, then INFO note
 *  SESSIONS	(none): answered by INFO sessions, the recent sessions
 *		of this directory (entries: index, id, stamp, preview)
 *  RESUME	index: resume entry `index` (from 1) of the last SESSIONS
 *		answer; answered by SESSION_CONFIGURED with resumed: true
 */
enum ui_op {
	UIOP_USER_TURN,
	UIOP_APPROVAL,
	UIOP_INTERRUPT,
	UIOP_SHUTDOWN,
	UIOP_MCP_CALL,
	UIOP_NEW,
	UIOP_MODEL,
	UIOP_APPROVALS,
	UIOP_STATUS,
	UIOP_DIFF,
	UIOP_COMPACT,
	UIOP_SESSIONS,
	UIOP_RESUME,
	UIOP_MAX
};

/*
 * Payloads of the agent <-> netproc messages (JSON, "big").
 *
 * IMSG_NET_CONFIG, parent to netproc, once, before anything else:
 *	{"originator", "user_agent", "token_url", "providers": [{"id",
 *	"name", "base_url", "wire_api": "responses"|"chat", "query_params":
 *	{k: v}, "headers": {name: value} (http_headers, and env_http_headers
 *	already resolved by the parent, unset or blank ones left out),
 *	"request_max_retries", "stream_max_retries",
 *	"stream_idle_timeout_ms"}]}
 *
 * IMSG_NET_CREDENTIAL (struct msg_credential above), once per provider
 * that has one; CRED_CHATGPT carries {"access_token", "refresh_token",
 * "account_id"}.
 *
 * IMSG_NET_REQUEST, id = request id: {"provider", "model",
 * "instructions", "tools": [Responses tool specs], "tool_choice",
 * "parallel_tool_calls", "reasoning": {"effort", "summary"} | null,
 * "text": {"verbosity"}?, "session_id", "store"?, "include"?}, then a
 * NUL byte, then the input: [Responses input items: the full history]
 * as JSON text.  netproc makes the Responses or Chat Completions body of
 * it; a Responses body takes the history's text as it is.
 *
 * IMSG_NET_EVENT, id = request id, each {"type": ...}:
 *	created {response_id}
 *	text_delta {delta, item_id?}
 *	reasoning_summary_delta {delta, summary_index}
 *	reasoning_summary_part_added {summary_index}
 *	reasoning_delta {delta, content_index}
 *	item_added {item}
 *	item_done {item}	the authoritative item; only these enter
 *				history, and tool calls run from these alone
 *	retrying {attempt, max, delay_ms, reason}
 *	completed {response_id, usage {input_tokens, cached_input_tokens,
 *	    output_tokens, reasoning_output_tokens, total_tokens} | null,
 *	    partial, reason?}
 *	failed {kind, status, code, message, retryable: false}
 * Exactly one completed or failed ends each request; after it no event
 * of that id follows.  Deltas of an attempt that is retried are not
 * repeated in history: the parent shows them, and on retrying drops
 * what it showed of the broken attempt.
 *
 * The rule that no tool call runs twice: a broken stream (cut, idle
 * timeout, retryable failure) is retried from scratch only if no
 * item_done was sent in that attempt.  Otherwise netproc ends the
 * request with completed {partial: true}: the parent runs exactly the
 * items it got and sends the next request, whose history carries them.
 *
 * failed kinds: invalid_request, unauthorized, rate_limited,
 * usage_limit_reached, usage_not_included, quota_exceeded,
 * context_length_exceeded, server_overloaded, server_error (5xx after
 * the retries), transport (no answer after the retries), stream (broken
 * streams after the retries), http (another status), config, cancelled.
 *
 * IMSG_NET_TOKENS, netproc to parent, after a ChatGPT token refresh:
 *	{"provider", "tokens": {"access_token", "refresh_token"?,
 *	"id_token"?}}; the parent merges them into auth.json.
 */

#endif /* PROTO_H */
