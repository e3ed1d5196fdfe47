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

#include "sandbox/bpf.h"
#include "sandbox/landlock.h"

#define PROG_MAX	2048	/* instructions; all promises need ~900 */

static struct sock_filter	 prog_ins[PROG_MAX];
static struct bpf_prog		 prog;
static struct pledge_rule	 sorted[PLEDGE_RULES_MAX];

static int	 rule_cmp(const void *, const void *);
static int	 as_mask(const struct scmp_arg_cmp *, uint64_t *, uint64_t *);
static int	 disjoint(const struct pledge_rule *,
		    const struct pledge_rule *);
static int	 check_rules(const struct pledge_rule *, size_t);
static void	 emit_cmp(struct bpf_prog *, const struct scmp_arg_cmp *,
		    size_t *, int *, size_t *);
static void	 emit_call(struct bpf_prog *, const struct pledge_rule *,
		    size_t, uint32_t);
static size_t	 call_end(size_t, size_t);
static void	 emit_range(struct bpf_prog *, size_t, size_t, uint32_t);

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

/*
 * One 64-bit test, high word first as libseccomp does.  The jumps taken
 * when it fails are recorded in fail[], with the branch that fails in
 * branch[], for the caller to point at the next rule.  != fails only
 * when both words are equal.
 */
static void
emit_cmp(struct bpf_prog *p, const struct scmp_arg_cmp *c, size_t *fail,
    int *branch, size_t *nfail)
{
	uint64_t	 mask = 0, val = 0;

	if (c->op == SCMP_CMP_NE) {
		bpf_ld_arg(p, c->arg, 1);
		bpf_emit(p, BPF_JMP | BPF_JEQ | BPF_K, c->datum_a >> 32, 0, 2);
		bpf_ld_arg(p, c->arg, 0);
		branch[*nfail] = 1;
		fail[(*nfail)++] = p->len;
		bpf_emit(p, BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)c->datum_a, 0,
		    0);
		return;
	}
	(void)as_mask(c, &mask, &val);
	if ((mask >> 32) != 0 || (val >> 32) != 0) {
		bpf_ld_arg(p, c->arg, 1);
		if ((mask >> 32) != UINT32_MAX)
			bpf_emit(p, BPF_ALU | BPF_AND | BPF_K, mask >> 32, 0,
			    0);
		branch[*nfail] = 0;
		fail[(*nfail)++] = p->len;
		bpf_emit(p, BPF_JMP | BPF_JEQ | BPF_K, val >> 32, 0, 0);
	}
	bpf_ld_arg(p, c->arg, 0);
	if ((uint32_t)mask != UINT32_MAX)
		bpf_emit(p, BPF_ALU | BPF_AND | BPF_K, (uint32_t)mask, 0, 0);
	branch[*nfail] = 0;
	fail[(*nfail)++] = p->len;
	bpf_emit(p, BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)val, 0, 0);
}

/*
 * The code for one syscall's n rules: each rule's tests, then its
 * action; a failed test goes on to the next rule, and after the last
 * comes the default action.  It always ends in a return.
 */
static void
emit_call(struct bpf_prog *p, const struct pledge_rule *r, size_t n,
    uint32_t def)
{
	size_t		 fail[2 * PLEDGE_CMP_MAX], nfail, i;
	int		 branch[2 * PLEDGE_CMP_MAX];
	unsigned int	 k;

	for (i = 0; i < n; i++) {
		nfail = 0;
		for (k = 0; k < r[i].ncmp; k++)
			emit_cmp(p, &r[i].cmp[k], fail, branch, &nfail);
		bpf_emit(p, BPF_RET | BPF_K, r[i].action, 0, 0);
		if (r[i].ncmp == 0)
			return;		/* the later rules cannot add */
		for (k = 0; k < nfail; k++)
			bpf_patch(p, fail[k], branch[k]);
	}
	bpf_emit(p, BPF_RET | BPF_K, def, 0, 0);
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
emit_range(struct bpf_prog *p, size_t lo, size_t hi, uint32_t def)
{
	size_t	 mid, at, i, end, ncall = 0;

	for (i = lo; i < hi; i = call_end(i, hi))
		ncall++;
	if (ncall > 4) {
		mid = lo;
		for (i = 0; i < ncall / 2; i++)
			mid = call_end(mid, hi);
		bpf_emit(p, BPF_JMP | BPF_JGE | BPF_K, sorted[mid].nr, 0, 1);
		at = p->len;
		bpf_emit(p, BPF_JMP | BPF_JA, 0, 0, 0);
		emit_range(p, lo, mid, def);
		if (!p->overflow)
			p->ins[at].k = p->len - at - 1;
		emit_range(p, mid, hi, def);
		return;
	}
	for (i = lo; i < hi; i = end) {
		end = call_end(i, hi);
		at = p->len;
		bpf_emit(p, BPF_JMP | BPF_JEQ | BPF_K, sorted[i].nr, 0, 0);
		emit_call(p, &sorted[i], end - i, def);
		bpf_patch(p, at, 0);
	}
	bpf_emit(p, BPF_RET | BPF_K, def, 0, 0);
}

/*
 * Write the program for n rules with default action def into a static
 * buffer that fp then describes.  -1 when it cannot be written here.
 */
int
pledge_bpf_build(const struct pledge_rule *rules, size_t n, uint32_t def,
    struct sock_fprog *fp)
{
	struct bpf_prog	*p = &prog;

#if defined(__x86_64__) && !defined(__ILP32__)
	if (n > PLEDGE_RULES_MAX)
		return -1;
	memcpy(sorted, rules, n * sizeof(*rules));
	qsort(sorted, n, sizeof(*sorted), rule_cmp);
	if (check_rules(sorted, n) == -1)
		return -1;
	bpf_init(p, prog_ins, PROG_MAX);
	bpf_prelude(p, AUDIT_ARCH_X86_64);
	emit_range(p, 0, n, def);
	if (p->overflow)
		return -1;
	bpf_fprog(p, fp);
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
