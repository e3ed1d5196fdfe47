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
#define OCODEX_PROTOCOL_VERSION	1

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
	IMSG_MAX
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

#endif /* PROTO_H */
