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

#ifndef EXECPROC_EXEC_H
#define EXECPROC_EXEC_H

#include <sys/types.h>
#include <sys/queue.h>

#include <event.h>
#include <stdint.h>

#include "imsg/proto.h"
#include "sandbox/policy.h"

struct imsg;
struct peer;

/* One command, from its first message to its end. */
struct cmd {
	TAILQ_ENTRY(cmd)	 entry;
	uint32_t		 id;
	int			 started;
	char			**argv;
	size_t			 argc;
	char			**env;
	size_t			 envc;
	char			*roots[POLICY_MAX_ROOTS];
	size_t			 nroots;
	int			 fds[3];	/* passed by the parent, or -1 */
	struct msg_exec_run	 run;
	struct policy		 policy;
	char			*workdir;
	pid_t			 pid;
	int			 reaped;
	int			 status;
	int			 timed_out;
	int			 pipes[2];	/* stdout, stderr; -1 at EOF */
	struct event		 ev[2];
	int			 reading;
	struct event		 timer;
	struct timespec		 start;
	char			*cap[2];	/* the first EXEC_CAPTURE_MAX */
	size_t			 caplen[2];
	uint64_t		 bytes[2];
};

/* run.c */
void	 run_init(struct peer *, const struct policy *);
void	 run_msg(struct peer *, struct imsg *);
void	 run_kill(struct peer *, struct imsg *);

/* patchrun.c */
void	 patchrun_init(struct peer *, const struct policy *);
void	 patchrun_msg(struct peer *, struct imsg *);

/* spawn.c */
int	 spawn_cmd(struct cmd *, const struct policy *, char *, size_t);

/* denial.c */
int	 denial_guess(int, int, int, const char *const *, const size_t *,
	    size_t);

#endif /* EXECPROC_EXEC_H */
