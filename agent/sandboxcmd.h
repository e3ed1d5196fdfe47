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

#ifndef AGENT_SANDBOXCMD_H
#define AGENT_SANDBOXCMD_H

/* Most arguments the parent passes execproc for its widest policy. */
#define EXECPROC_ARGS_MAX	(8 + 2 * 32)

/* privsep.c */
void	 privsep_execproc_args(char **);
void	 privsep_start_roles(unsigned int, void (*)(void));

/* sandboxcmd.c */
__dead void debug_landlock(int, char **);
__dead void debug_seatbelt(int, char **);

#endif /* AGENT_SANDBOXCMD_H */
