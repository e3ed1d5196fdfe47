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
 * pledge()'s filter written directly as BPF on x86_64.  libseccomp takes
 * most of a millisecond to turn the rule table into a program, and
 * every process of the tree pays that at start-up; this takes a few
 * microseconds and says the same thing: foreign architectures and x32
 * killed, then a binary search on the syscall number, then for each
 * syscall its rules in turn, each an AND of 64-bit argument tests, the
 * first that holds giving its action, and the default action after the
 * last.  Anything this does not handle (another architecture, an
 * operator other than ==, != and masked ==, rules with different
 * actions that might both hold, a program too large) makes it decline,
 * and pledge.c has libseccomp build the filter instead.
 */

#include <sys/prctl.h>
#include <sys/syscall.h>

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sandbox/landlock.h"

#define PROG_MAX	2048	/* instructions; all promises need ~900 */

struct bprog {
	struct sock_filter	 ins[PROG_MAX];
	size_t			 len;
	int			 overflow;
};

static struct bprog		 prog;
static struct pledge_rule	 sorted[PLEDGE_RULES_MAX];

static void	 emit(struct bprog *, uint16_t, uint32_t, uint8_t, uint8_t);
static void	 patch(struct bprog *, size_t, int);
static int	 rule_cmp(const void *, const void *);
static int	 as_mask(const struct scmp_arg_cmp *, uint64_t *, uint64_t *);
static int	 disjoint(const struct pledge_rule *,
		    const struct pledge_rule *);
static int	 check_rules(const struct pledge_rule *, size_t);
static void	 ld_arg(struct bprog *, unsigned int, int);
static void	 emit_cmp(struct bprog *, const struct scmp_arg_cmp *,
		    size_t *, int *, size_t *);
static void	 emit_call(struct bprog *, const struct pledge_rule *,
		    size_t, uint32_t);
static size_t	 call_end(size_t, size_t);
static void	 emit_range(struct bprog *, size_t, size_t, uint32_t);

static void
emit(struct bprog *p, uint16_t code, uint32_t k, uint8_t jt, uint8_t jf)
{
	if (p->len == PROG_MAX) {
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
static void
patch(struct bprog *p, size_t at, int branch)
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

/* By syscall number, then in table order, which qsort alone loses. */
static int
rule_cmp(const void *a, const void *b)
{
	const struct pledge_rule	*x = a, *y = b;

	if (x->nr != y->nr)
		return x->nr < y->nr ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* An == or masked == test as (arg & mask) == value; 0 for any other. */
static int
as_mask(const struct scmp_arg_cmp *c, uint64_t *mask, uint64_t *val)
{
	if (c->op == SCMP_CMP_EQ) {
		*mask = UINT64_MAX;
		*val = c->datum_a;
		return 1;
	}
	if (c->op == SCMP_CMP_MASKED_EQ) {
		*mask = c->datum_a;
		*val = c->datum_b;
		return 1;
	}
	return 0;
}

/* Whether no arguments can satisfy both rules (1), or it is not sure. */
static int
disjoint(const struct pledge_rule *a, const struct pledge_rule *b)
{
	uint64_t	 ma, va, mb, vb;
	unsigned int	 i, j;

	for (i = 0; i < a->ncmp; i++) {
		if (!as_mask(&a->cmp[i], &ma, &va))
			continue;
		for (j = 0; j < b->ncmp; j++) {
			if (b->cmp[j].arg != a->cmp[i].arg ||
			    !as_mask(&b->cmp[j], &mb, &vb))
				continue;
			if ((va & ma & mb) != (vb & ma & mb) ||
			    (va & ~ma) != 0 || (vb & ~mb) != 0)
				return 1;
		}
	}
	return 0;
}

/*
 * The program tries a syscall's rules in order, while libseccomp merges
 * them into a tree of its own: the two agree only when the rules that
 * might hold together have the same action.  Also refuse operators the
 * code below does not write.
 */
static int
check_rules(const struct pledge_rule *r, size_t n)
{
	size_t		 i, j;
	unsigned int	 k;

	for (i = 0; i < n; i++) {
		if (r[i].ncmp > PLEDGE_CMP_MAX)
			return -1;
		for (k = 0; k < r[i].ncmp; k++)
			if (r[i].cmp[k].arg > 5 ||
			    (r[i].cmp[k].op != SCMP_CMP_EQ &&
			    r[i].cmp[k].op != SCMP_CMP_NE &&
			    r[i].cmp[k].op != SCMP_CMP_MASKED_EQ))
				return -1;
		for (j = i + 1; j < n && r[j].nr == r[i].nr; j++)
			if (r[j].action != r[i].action &&
			    !disjoint(&r[i], &r[j]))
				return -1;
	}
	return 0;
}

/* Load the low or high 32 bits of argument n (little-endian words). */
static void
ld_arg(struct bprog *p, unsigned int n, int high)
{
	emit(p, BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data,
	    args[n]) + (high ? 4 : 0), 0, 0);
}

/*
 * One 64-bit test, high word first as libseccomp does.  The jumps taken
 * when it fails are recorded in fail[], with the branch that fails in
 * branch[], for the caller to point at the next rule.  != fails only
 * when both words are equal.
 */
static void
emit_cmp(struct bprog *p, const struct scmp_arg_cmp *c, size_t *fail,
    int *branch, size_t *nfail)
{
	uint64_t	 mask = 0, val = 0;

	if (c->op == SCMP_CMP_NE) {
		ld_arg(p, c->arg, 1);
		emit(p, BPF_JMP | BPF_JEQ | BPF_K, c->datum_a >> 32, 0, 2);
		ld_arg(p, c->arg, 0);
		branch[*nfail] = 1;
		fail[(*nfail)++] = p->len;
		emit(p, BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)c->datum_a, 0, 0);
		return;
	}
	(void)as_mask(c, &mask, &val);
	if ((mask >> 32) != 0 || (val >> 32) != 0) {
		ld_arg(p, c->arg, 1);
		if ((mask >> 32) != UINT32_MAX)
			emit(p, BPF_ALU | BPF_AND | BPF_K, mask >> 32, 0, 0);
		branch[*nfail] = 0;
		fail[(*nfail)++] = p->len;
		emit(p, BPF_JMP | BPF_JEQ | BPF_K, val >> 32, 0, 0);
	}
	ld_arg(p, c->arg, 0);
	if ((uint32_t)mask != UINT32_MAX)
		emit(p, BPF_ALU | BPF_AND | BPF_K, (uint32_t)mask, 0, 0);
	branch[*nfail] = 0;
	fail[(*nfail)++] = p->len;
	emit(p, BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)val, 0, 0);
}

/*
 * The code for one syscall's n rules: each rule's tests, then its
 * action; a failed test goes on to the next rule, and after the last
 * comes the default action.  It always ends in a return.
 */
static void
emit_call(struct bprog *p, const struct pledge_rule *r, size_t n,
    uint32_t def)
{
	size_t		 fail[2 * PLEDGE_CMP_MAX], nfail, i;
	int		 branch[2 * PLEDGE_CMP_MAX];
	unsigned int	 k;

	for (i = 0; i < n; i++) {
		nfail = 0;
		for (k = 0; k < r[i].ncmp; k++)
			emit_cmp(p, &r[i].cmp[k], fail, branch, &nfail);
		emit(p, BPF_RET | BPF_K, r[i].action, 0, 0);
		if (r[i].ncmp == 0)
			return;		/* the later rules cannot add */
		for (k = 0; k < nfail; k++)
			patch(p, fail[k], branch[k]);
	}
	emit(p, BPF_RET | BPF_K, def, 0, 0);
}

/* The end of the run of rules for the syscall of rule i. */
static size_t
call_end(size_t i, size_t n)
{
	size_t	 j = i + 1;

	while (j < n && sorted[j].nr == sorted[i].nr)
		j++;
	return j;
}

/*
 * Rules lo to hi (sorted, number in A) as a binary search over the
 * syscalls they name, so that any syscall costs a few comparisons and
 * the kernel's check of every number at load time stays short.  The
 * split jumps with JA, whose offset is not limited to 255.
 */
static void
emit_range(struct bprog *p, size_t lo, size_t hi, uint32_t def)
{
	size_t	 mid, at, i, end, ncall = 0;

	for (i = lo; i < hi; i = call_end(i, hi))
		ncall++;
	if (ncall > 4) {
		mid = lo;
		for (i = 0; i < ncall / 2; i++)
			mid = call_end(mid, hi);
		emit(p, BPF_JMP | BPF_JGE | BPF_K, sorted[mid].nr, 0, 1);
		at = p->len;
		emit(p, BPF_JMP | BPF_JA, 0, 0, 0);
		emit_range(p, lo, mid, def);
		if (!p->overflow)
			p->ins[at].k = p->len - at - 1;
		emit_range(p, mid, hi, def);
		return;
	}
	for (i = lo; i < hi; i = end) {
		end = call_end(i, hi);
		at = p->len;
		emit(p, BPF_JMP | BPF_JEQ | BPF_K, sorted[i].nr, 0, 0);
		emit_call(p, &sorted[i], end - i, def);
		patch(p, at, 0);
	}
	emit(p, BPF_RET | BPF_K, def, 0, 0);
}

/*
 * Write the program for n rules with default action def into a static
 * buffer that fp then describes.  -1 when it cannot be written here.
 */
int
pledge_bpf_build(const struct pledge_rule *rules, size_t n, uint32_t def,
    struct sock_fprog *fp)
{
	struct bprog	*p = &prog;

#if defined(__x86_64__) && !defined(__ILP32__)
	if (n > PLEDGE_RULES_MAX)
		return -1;
	memcpy(sorted, rules, n * sizeof(*rules));
	qsort(sorted, n, sizeof(*sorted), rule_cmp);
	if (check_rules(sorted, n) == -1)
		return -1;
	p->len = 0;
	p->overflow = 0;
	emit(p, BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch),
	    0, 0);
	emit(p, BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0);
	emit(p, BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS, 0, 0);
	emit(p, BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr),
	    0, 0);
	/* x32 numbers, all but -1, which libseccomp lets through too. */
	emit(p, BPF_JMP | BPF_JGE | BPF_K, 0x40000000U, 0, 2);
	emit(p, BPF_JMP | BPF_JEQ | BPF_K, 0xffffffffU, 1, 0);
	emit(p, BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS, 0, 0);
	emit_range(p, 0, n, def);
	if (p->overflow)
		return -1;
	fp->len = p->len;
	fp->filter = p->ins;
	return 0;
#else
	(void)rules;
	(void)n;
	(void)def;
	(void)fp;
	(void)p;
	return -1;
#endif
}

/* Load a program as libseccomp would: no_new_privs, then the filter. */
int
pledge_bpf_load(const struct sock_fprog *fp)
{
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1)
		return -1;
	return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, fp) == -1 ?
	    -1 : 0;
}
