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

#include <sys/prctl.h>
#include <sys/syscall.h>

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include <stddef.h>
#include <stdint.h>
#include <unistd.h>

#include "sandbox/bpf.h"

/* An empty program writing into ins, at most max instructions. */
void
bpf_init(struct bpf_prog *p, struct sock_filter *ins, size_t max)
{
	p->ins = ins;
	p->max = max;
	p->len = 0;
	p->overflow = 0;
}

void
bpf_emit(struct bpf_prog *p, uint16_t code, uint32_t k, uint8_t jt,
    uint8_t jf)
{
	if (p->len == p->max) {
		p->overflow = 1;
		return;
	}
	p->ins[p->len].code = code;
	p->ins[p->len].jt = jt;
	p->ins[p->len].jf = jf;
	p->ins[p->len].k = k;
	p->len++;
}

/* Point the true (or false) branch of the jump at to what comes next. */
void
bpf_patch(struct bpf_prog *p, size_t at, int branch)
{
	size_t	 off = p->len - at - 1;

	if (p->overflow || at >= p->len || off > 255) {
		p->overflow = 1;
		return;
	}
	if (branch)
		p->ins[at].jt = off;
	else
		p->ins[at].jf = off;
}

/* Load the low or high 32 bits of argument n (little-endian words). */
void
bpf_ld_arg(struct bpf_prog *p, unsigned int n, int high)
{
	bpf_emit(p, BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data,
	    args[n]) + (high ? 4 : 0), 0, 0);
}

/*
 * The start every program of ours shares: a foreign architecture is
 * killed, and so is any x32 system call but -1 (which libseccomp lets
 * through too); the syscall number is left loaded for what follows.
 */
void
bpf_prelude(struct bpf_prog *p, uint32_t arch)
{
	bpf_emit(p, BPF_LD | BPF_W | BPF_ABS,
	    offsetof(struct seccomp_data, arch), 0, 0);
	bpf_emit(p, BPF_JMP | BPF_JEQ | BPF_K, arch, 1, 0);
	bpf_emit(p, BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS, 0, 0);
	bpf_emit(p, BPF_LD | BPF_W | BPF_ABS,
	    offsetof(struct seccomp_data, nr), 0, 0);
	if (arch == AUDIT_ARCH_X86_64) {
		bpf_emit(p, BPF_JMP | BPF_JGE | BPF_K, 0x40000000U, 0, 2);
		bpf_emit(p, BPF_JMP | BPF_JEQ | BPF_K, 0xffffffffU, 1, 0);
		bpf_emit(p, BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS, 0, 0);
	}
}

/* Describe the program for seccomp(2). */
void
bpf_fprog(const struct bpf_prog *p, struct sock_fprog *fp)
{
	fp->len = p->len;
	fp->filter = p->ins;
}

/* Load a program as libseccomp would: no_new_privs, then the filter. */
int
bpf_load(const struct sock_fprog *fp)
{
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1)
		return -1;
	return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, fp) == -1 ?
	    -1 : 0;
}
