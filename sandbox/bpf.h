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

#ifndef SANDBOX_BPF_H
#define SANDBOX_BPF_H

#include <linux/filter.h>

#include <stddef.h>
#include <stdint.h>

/*
 * A seccomp program written by hand (pledge's allow-list, the
 * per-command deny-list): instructions in a buffer the caller owns, and
 * an overflow flag set instead of failing at each step, so that a writer
 * checks once at the end and falls back to libseccomp.
 */
struct bpf_prog {
	struct sock_filter	*ins;
	size_t			 max;
	size_t			 len;
	int			 overflow;
};

void	bpf_init(struct bpf_prog *, struct sock_filter *, size_t);
void	bpf_emit(struct bpf_prog *, uint16_t, uint32_t, uint8_t, uint8_t);
void	bpf_patch(struct bpf_prog *, size_t, int);
void	bpf_ld_arg(struct bpf_prog *, unsigned int, int);
void	bpf_prelude(struct bpf_prog *, uint32_t);
void	bpf_fprog(const struct bpf_prog *, struct sock_fprog *);
int	bpf_load(const struct sock_fprog *);

#endif /* SANDBOX_BPF_H */
