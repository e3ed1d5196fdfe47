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

#ifndef AGENT_H
#define AGENT_H

#include <sys/types.h>

#include <limits.h>

#include "imsg/proc.h"
#include "imsg/proto.h"

/* Options of the parent that shape the whole process tree. */
struct options {
	int		 debug;		/* -d: name pledge violations */
	int		 verbose;	/* -v */
	int		 noconfine;	/* --no-confinement */
	int		 probe;		/* debug privsep: helpers may fork */
	char		 codex_home[PATH_MAX];
	char		 cwd[PATH_MAX];
};

/* One helper process, as the parent sees it. */
struct child {
	int		 role;
	const char	*exe;		/* file name of its executable */
	int		 exefd;		/* opened once at start-up */
	pid_t		 pid;
	int		 reaped;
	int		 status;	/* from waitpid */
	struct peer	 peer;
};

extern struct options	 opts;
extern struct child	 children[PROC_MAX];

/* privsep.c */
void	 privsep_open(void);
void	 privsep_start(void (*)(void));
void	 privsep_confine(void);
void	 privsep_save_tty(int);
__dead void privsep_shutdown(int);
void	 privsep_ui_args(char **);

/* home.c */
void	 home_init(void);

/* execcmd.c */
__dead void exec_main(int, char **);

/* mcpcmd.c */
__dead void mcp_main(int, char **);

/* tuicmd.c */
__dead void tui_main(int, char **);

/* debug.c */
__dead void debug_privsep(void);
__dead void debug_tree(void);

#endif /* AGENT_H */
