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
 * pledge()'s directly written filter against libseccomp's, for every
 * promise set the tree uses and some random ones: both programs run in
 * a small BPF interpreter over every native syscall number, x32 and
 * foreign-architecture numbers, with argument words drawn from the
 * constants the rules compare against (and their neighbours, other high
 * words, random words), and must return the same action every time.
 */

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include <err.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sandbox/landlock.h"

#define NVAL		64	/* argument values in the pool */
#define NARGS		160	/* argument vectors per syscall */
#define NRANDOM		48	/* random promise sets */

static const char *const sets[] = {
	/* agent/privsep.c, netproc/netproc.c, ui/ui.c, with probe. */
	"stdio rpath wpath cpath fattr flock sendfd recvfd",
	"stdio rpath wpath cpath fattr flock sendfd recvfd proc",
	"stdio inet dns recvfd", "stdio inet dns recvfd proc",
	"stdio tty recvfd", "stdio tty recvfd proc",
	/* regress/pledge/pledge-test. */
	"stdio", "stdio proc", "stdio prot_exec", "stdio rpath",
	"stdio rpath wpath", "stdio rpath wpath cpath", "stdio tty",
	"stdio inet dns", "stdio rpath inet dns",
	/* Corners of the table. */
	"", "stdio dns", "stdio unix dns", "stdio inet unix dns",
	"stdio tmppath", "stdio sandbox proc exec id",
	"stdio rpath wpath cpath fattr flock tmppath inet dns unix sendfd "
	    "recvfd proc exec tty id prot_exec sandbox",
};

static uint32_t		 rng = 0x9e3779b9;
static int		 ntest, nfail;

static uint32_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

/*
 * The classic BPF that seccomp filters use: loads from seccomp_data,
 * AND, jumps and returns.  Anything else is a failure of the test.
 */
static uint32_t
interp(const struct sock_filter *ins, size_t len,
    const struct seccomp_data *d)
{
	uint32_t	 a = 0, k;
	size_t		 pc = 0;

	while (pc < len) {
		k = ins[pc].k;
		switch (ins[pc].code) {
		case BPF_LD | BPF_W | BPF_ABS:
			if (k > sizeof(*d) - 4 || k % 4 != 0)
				errx(1, "bad load at %zu", pc);
			memcpy(&a, (const char *)d + k, 4);
			break;
		case BPF_ALU | BPF_AND | BPF_K:
			a &= k;
			break;
		case BPF_JMP | BPF_JA:
			pc += k;
			break;
		case BPF_JMP | BPF_JEQ | BPF_K:
			pc += a == k ? ins[pc].jt : ins[pc].jf;
			break;
		case BPF_JMP | BPF_JGT | BPF_K:
			pc += a > k ? ins[pc].jt : ins[pc].jf;
			break;
		case BPF_JMP | BPF_JGE | BPF_K:
			pc += a >= k ? ins[pc].jt : ins[pc].jf;
			break;
		case BPF_JMP | BPF_JSET | BPF_K:
			pc += (a & k) != 0 ? ins[pc].jt : ins[pc].jf;
			break;
		case BPF_RET | BPF_K:
			return k;
		default:
			errx(1, "opcode %#x at %zu", ins[pc].code, pc);
		}
		pc++;
	}
	errx(1, "fell off the program");
}

static void
ok(int cond, const char *what)
{
	ntest++;
	if (!cond)
		nfail++;
	printf("%s %d - %s\n", cond ? "ok" : "not ok", ntest, what);
}

/* The values the rules of mask compare against, and some around them. */
static void
pool(uint64_t *val, uint32_t self)
{
	static const uint64_t	 fixed[] = {
		0, 1, 2, 3, 0xf, 0x7fffffff, 0x80000000, 0xffffffff,
		0x100000000ULL, UINT64_MAX, 0x1000, 0x800, 0x400, 0x40,
		0x200, 0x241, 0x402, 0x410000, 0x4111, 0x10900, 0x50000000,
		0x7e020000, 0x7e020100, 0x5401, 0x5402, 0x541b, 0x5421,
	};
	size_t	 i;

	for (i = 0; i < NVAL; i++) {
		if (i < sizeof(fixed) / sizeof(fixed[0]))
			val[i] = fixed[i];
		else if (i % 3 == 0)
			val[i] = self + (uint64_t)(i % 2) * 0x100000000ULL;
		else
			val[i] = (uint64_t)(rnd() % 64) |
			    (i % 4 == 1 ? (uint64_t)rnd() << 32 : 0);
	}
	val[NVAL - 1] = self;
	val[NVAL - 2] = (uint64_t)self | 0xffffffff00000000ULL;
}

/* Pick argument words: a pool value, a mix of two, or a random one. */
static uint64_t
pick(const uint64_t *val)
{
	uint32_t	 r = rnd();

	switch (r % 8) {
	case 0:
		return val[rnd() % NVAL] | val[rnd() % NVAL];
	case 1:
		return ((uint64_t)rnd() << 32) | rnd();
	case 2:
		return val[rnd() % NVAL] ^ (1ULL << (rnd() % 64));
	default:
		return val[rnd() % NVAL];
	}
}

static const uint32_t	 arches[] = {
	AUDIT_ARCH_X86_64, AUDIT_ARCH_I386, AUDIT_ARCH_AARCH64, 0,
};

/* Run both programs over the inputs; the number of disagreements. */
static long
compare(const struct sock_filter *a, size_t alen,
    const struct sock_filter *b, size_t blen, const uint64_t *val,
    long *cases)
{
	struct seccomp_data	 d;
	uint32_t		 nr, ra, rb;
	size_t			 i, j, n;
	long			 bad = 0;

	for (i = 0; i < sizeof(arches) / sizeof(arches[0]); i++) {
		for (nr = 0; nr < 0x1e0 + 64; nr++) {
			memset(&d, 0, sizeof(d));
			d.arch = arches[i];
			d.nr = nr < 0x1e0 ? nr : 0x40000000U + (nr - 0x1e0) *
			    7;
			if (nr == 0x1e0)
				d.nr = 0xffffffffU;
			else if (nr == 0x1e1)
				d.nr = rnd();
			n = arches[i] == AUDIT_ARCH_X86_64 ? NARGS : 2;
			for (j = 0; j < n; j++) {
				d.args[0] = pick(val);
				d.args[1] = pick(val);
				d.args[2] = pick(val);
				d.args[3] = pick(val);
				d.args[4] = pick(val);
				d.args[5] = pick(val);
				ra = interp(a, alen, &d);
				rb = interp(b, blen, &d);
				(*cases)++;
				if (ra != rb && bad++ < 5)
					printf("# arch %#x nr %u args %llx "
					    "%llx %llx %llx %llx %llx: "
					    "direct %#x libseccomp %#x\n",
					    d.arch, d.nr,
					    (unsigned long long)d.args[0],
					    (unsigned long long)d.args[1],
					    (unsigned long long)d.args[2],
					    (unsigned long long)d.args[3],
					    (unsigned long long)d.args[4],
					    (unsigned long long)d.args[5],
					    ra, rb);
			}
		}
	}
	return bad;
}

/* Build both programs for mask and compare them; returns 0 if equal. */
static int
check(uint32_t mask, int debug, const char *what)
{
	struct sock_filter	*a, *b;
	size_t			 alen, blen;
	uint64_t		 val[NVAL];
	uint32_t		 self = getpid();
	long			 bad, cases = 0;
	char			 line[256];

	if (pledge_program(mask, debug, self, 1, &a, &alen) == -1) {
		(void)snprintf(line, sizeof(line), "%s%s: written directly",
		    what, debug ? " (debug)" : "");
		ok(0, line);
		return -1;
	}
	if (pledge_program(mask, debug, self, 0, &b, &blen) == -1)
		err(1, "libseccomp program for %s", what);
	pool(val, self);
	bad = compare(a, alen, b, blen, val, &cases);
	(void)snprintf(line, sizeof(line), "%s%s: %ld cases, %zu vs %zu "
	    "instructions, %ld differ", what[0] ? what : "(none)",
	    debug ? " (debug)" : "", cases, alen, blen, bad);
	ok(bad == 0, line);
	free(a);
	free(b);
	return bad == 0 ? 0 : -1;
}

int
main(void)
{
	uint32_t	 mask, all;
	size_t		 i, nsets = sizeof(sets) / sizeof(sets[0]);
	char		 what[64];

#if !defined(__x86_64__)
	printf("1..0 # SKIP the direct filter is x86_64 only\n");
	return 0;
#endif
	printf("1..%zu\n", 2 * nsets + NRANDOM);
	if (pledge_mask(sets[nsets - 1], &all) == -1)
		err(1, "pledge_mask");
	for (i = 0; i < nsets; i++) {
		if (pledge_mask(sets[i], &mask) == -1)
			err(1, "pledge_mask %s", sets[i]);
		(void)check(mask, 0, sets[i]);
		(void)check(mask, 1, sets[i]);
	}
	for (i = 0; i < NRANDOM; i++) {
		mask = rnd() & all;
		(void)snprintf(what, sizeof(what), "random mask %#x", mask);
		(void)check(mask, i % 2, what);
	}
	return nfail != 0;
}
