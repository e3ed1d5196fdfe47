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

#ifndef EXECCLIENT_H
#define EXECCLIENT_H

#include <jansson.h>
#include <stdint.h>

#include "imsg/proc.h"
#include "imsg/proto.h"

struct policy;

/*
 * The parent's side of execproc: run a command in its sandbox and hear
 * its output and end, keyed by a command id.
 */
struct exec_req {
	char *const		 *argv;
	char *const		 *env;
	const struct policy	 *policy;	/* mode, network, roots */
	const char		 *workdir;
	uint32_t		  timeout_ms;	/* 0: execproc's default */
	void			(*output)(void *, int, const char *, size_t);
	void			(*end)(void *, const struct msg_exec_end *);
	void			 *arg;
};

extern const struct dispatch	execclient_dispatch[];

uint32_t	 execclient_run(struct peer *, const struct exec_req *);
void		 execclient_kill(struct peer *, uint32_t);
void		 execclient_killall(struct peer *);
uint32_t	 execclient_patch(struct peer *, json_t *,
		    void (*)(void *, json_t *), void *);

#endif /* EXECCLIENT_H */
