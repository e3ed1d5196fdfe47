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

/* Table tests for agent/approval.c. */

#include <sys/queue.h>

#include <stdio.h>
#include <string.h>

#include "agent/approval.h"
#include "regress/tap.h"

#define A(...)	{ __VA_ARGS__, NULL }

struct safe_case {
	const char	*argv[8];
	int		 safe;
	int		 dangerous;
};

static const struct safe_case safe_cases[] = {
	{ A("ls", "-la"), 1, 0 },
	{ A("cat", "README"), 1, 0 },
	{ A("pwd"), 1, 0 },
	{ A("wc", "-l", "a.c"), 1, 0 },
	{ A("grep", "-rn", "main", "."), 1, 0 },
	{ A("whoami"), 1, 0 },
	{ A("tac", "x"), 1, 0 },
	{ A("/bin/ls"), 0, 0 },
	{ A("touch", "x"), 0, 0 },
	{ A("python3", "-c", "print(1)"), 0, 0 },
	{ A("base64", "file"), 1, 0 },
	{ A("base64", "-d", "file"), 1, 0 },
	{ A("base64", "-o", "out", "in"), 0, 0 },
	{ A("base64", "--output=out", "in"), 0, 0 },
	{ A("base64", "-oout"), 0, 0 },
	{ A("find", ".", "-name", "*.c"), 1, 0 },
	{ A("find", ".", "-delete"), 0, 0 },
	{ A("find", ".", "-exec", "rm", "{}", ";"), 0, 0 },
	{ A("find", ".", "-fprint", "x"), 0, 0 },
	{ A("rg", "-n", "foo"), 1, 0 },
	{ A("rg", "--pre", "sh", "foo"), 0, 0 },
	{ A("rg", "--pre=sh", "foo"), 0, 0 },
	{ A("rg", "-z", "foo"), 0, 0 },
	{ A("rg", "-iz", "foo"), 0, 0 },
	{ A("rg", "--search-zip", "foo"), 0, 0 },
	{ A("rg", "--hostname-bin=x", "foo"), 0, 0 },
	{ A("git", "status"), 1, 0 },
	{ A("git", "log", "--oneline", "-5"), 1, 0 },
	{ A("git", "diff", "HEAD~1"), 1, 0 },
	{ A("git", "show", "HEAD"), 1, 0 },
	{ A("git", "--no-pager", "diff"), 1, 0 },
	{ A("git", "-c", "core.pager=sh", "log"), 0, 0 },
	{ A("git", "--git-dir=/x", "status"), 0, 0 },
	{ A("git", "--exec-path=/x", "status"), 0, 0 },
	{ A("git", "diff", "--output=/tmp/x"), 0, 0 },
	{ A("git", "diff", "--ext-diff"), 0, 0 },
	{ A("git", "log", "--textconv"), 0, 0 },
	{ A("git", "show", "--paginate"), 0, 0 },
	{ A("git", "branch"), 1, 0 },
	{ A("git", "branch", "--show-current"), 1, 0 },
	{ A("git", "branch", "-a", "-v"), 1, 0 },
	{ A("git", "branch", "--format=%(refname)"), 1, 0 },
	{ A("git", "branch", "newbranch"), 0, 0 },
	{ A("git", "branch", "-D", "old"), 0, 0 },
	{ A("git", "commit", "-m", "x"), 0, 0 },
	{ A("git", "push"), 0, 0 },
	{ A("sed", "-n", "1,20p", "a.c"), 1, 0 },
	{ A("sed", "-n", "5p"), 1, 0 },
	{ A("sed", "-n", "1,20p", "a.c", "b.c"), 0, 0 },
	{ A("sed", "-i", "s/a/b/", "a.c"), 0, 0 },
	{ A("sed", "-n", "1,2w out"), 0, 0 },
	{ A("sed", "-n", ",5p"), 0, 0 },
	{ A("bash", "-lc", "ls && pwd"), 1, 0 },
	{ A("bash", "-lc", "git status; git log -1 | head -3"), 1, 0 },
	{ A("sh", "-c", "cat 'a b.txt' || echo \"no file\""), 1, 0 },
	{ A("zsh", "-lc", "ls\npwd"), 1, 0 },
	{ A("bash", "-lc", "ls > out"), 0, 0 },
	{ A("bash", "-lc", "echo $(id)"), 0, 0 },
	{ A("bash", "-lc", "echo `id`"), 0, 0 },
	{ A("bash", "-lc", "echo \"$HOME\""), 0, 0 },
	{ A("bash", "-lc", "ls *.c"), 0, 0 },
	{ A("bash", "-lc", "(ls)"), 0, 0 },
	{ A("bash", "-lc", "ls &"), 0, 0 },
	{ A("bash", "-lc", "ls &&"), 0, 0 },
	{ A("bash", "-lc", "&& ls"), 0, 0 },
	{ A("bash", "-lc", "ls |& cat"), 0, 0 },
	{ A("bash", "-lc", "FOO=1 ls"), 0, 0 },
	{ A("bash", "-lc", "ls; touch x"), 0, 0 },
	{ A("bash", "-lc", "'unterminated"), 0, 0 },
	{ A("bash", "-lc", ""), 0, 0 },
	{ A("bash", "-lc", "bash -lc ls"), 0, 0 },
	{ A("bash", "-x", "ls"), 0, 0 },
	{ A("bash", "-lc", "ls", "extra"), 0, 0 },
	{ A("rm", "-rf", "build"), 0, 1 },
	{ A("rm", "-f", "a.o"), 0, 1 },
	{ A("rm", "-r", "dir"), 0, 1 },
	{ A("rm", "--force", "x"), 0, 1 },
	{ A("rm", "x"), 0, 0 },
	{ A("rm", "--", "-rf"), 0, 0 },
	{ A("sudo", "rm", "-rf", "/"), 0, 1 },
	{ A("sudo", "-E", "rm", "-fr", "/x"), 0, 1 },
	{ A("bash", "-lc", "cd build && rm -rf *"), 0, 1 },
	{ A("bash", "-lc", "echo $(rm -rf /tmp/x)"), 0, 1 },
	{ A("git", "reset", "--hard"), 0, 1 },
	{ A("git", "clean", "-fdx"), 0, 1 },
	{ A("git", "push", "--force"), 0, 1 },
	{ A("git", "push", "origin", "main"), 0, 0 },
	{ A("dd", "if=/dev/zero", "of=/dev/sda"), 0, 1 },
	{ A("mkfs.ext4", "/dev/sdb1"), 0, 1 },
};

enum { U = APPROVAL_UNTRUSTED, F = APPROVAL_ON_FAILURE,
    R = APPROVAL_ON_REQUEST, N = APPROVAL_NEVER };
enum { RO = APPROVAL_SANDBOX_READ_ONLY, WW = APPROVAL_SANDBOX_WORKSPACE_WRITE,
    FA = APPROVAL_SANDBOX_FULL_ACCESS };
enum { SBX = APPROVAL_RUN_SANDBOXED, RAW = APPROVAL_RUN_UNSANDBOXED,
    ASK = APPROVAL_ASK, NO = APPROVAL_REFUSE };

struct decide_case {
	int		 policy;
	int		 sandbox;
	int		 escalate;
	int		 cached;
	const char	*argv[6];
	int		 verdict;
};

static const struct decide_case decide_cases[] = {
	{ U, WW, 0, 0, A("ls"), SBX },
	{ U, WW, 0, 0, A("make"), ASK },
	{ U, WW, 1, 0, A("ls"), ASK },
	{ U, WW, 0, 0, A("rm", "-rf", "x"), ASK },
	{ U, WW, 0, 1, A("make"), SBX },
	{ U, FA, 0, 0, A("ls"), RAW },
	{ U, FA, 0, 0, A("make"), ASK },
	{ U, RO, 0, 0, A("bash", "-lc", "ls && wc -l a"), SBX },
	{ F, WW, 0, 0, A("make"), SBX },
	{ F, WW, 0, 0, A("rm", "-rf", "x"), ASK },
	{ F, WW, 1, 0, A("make"), ASK },
	{ F, FA, 0, 0, A("make"), RAW },
	{ R, WW, 0, 0, A("make"), SBX },
	{ R, RO, 0, 0, A("make", "install"), SBX },
	{ R, WW, 1, 0, A("make"), ASK },
	{ R, WW, 1, 1, A("make"), RAW },
	{ R, WW, 0, 0, A("rm", "-rf", "x"), ASK },
	{ R, WW, 0, 1, A("rm", "-rf", "x"), SBX },
	{ R, FA, 1, 0, A("make"), RAW },
	{ R, FA, 0, 0, A("rm", "-rf", "x"), ASK },
	{ N, WW, 0, 0, A("make"), SBX },
	{ N, WW, 0, 0, A("rm", "-rf", "x"), NO },
	{ N, WW, 1, 0, A("make"), NO },
	{ N, RO, 0, 0, A("bash", "-lc", "git clean -fd"), NO },
	{ N, FA, 0, 0, A("rm", "-rf", "x"), RAW },
	{ N, FA, 1, 0, A("make"), RAW },
	{ N, WW, 0, 0, A(""), NO },
};

struct patch_case {
	int	 policy;
	int	 sandbox;
	const char *paths[4];
	int	 verdict;
};

static const struct patch_case patch_cases[] = {
	{ R, WW, A("src/a.c", "b.c"), SBX },
	{ R, WW, A("../repo/a.c"), SBX },
	{ R, WW, A("../other/a.c"), ASK },
	{ R, WW, A("/tmp/x"), SBX },
	{ R, WW, A("/etc/passwd"), ASK },
	{ R, WW, A("a/../../../etc/x"), ASK },
	{ R, WW, A(".git/config"), ASK },
	{ R, WW, A("sub/.codex/x"), SBX },
	{ R, WW, A(".codex/config.toml"), ASK },
	{ R, WW, A(".gitignore"), SBX },
	{ R, RO, A("a.c"), ASK },
	{ N, WW, A("a.c"), SBX },
	{ N, WW, A("/etc/passwd"), NO },
	{ N, RO, A("a.c"), NO },
	{ F, WW, A("/etc/passwd"), ASK },
	{ U, WW, A("a.c"), ASK },
	{ R, FA, A("/etc/passwd"), RAW },
	{ N, FA, A("/etc/passwd"), RAW },
};

static char *const roots[] = { "/home/u/repo", "/tmp" };

static void
test_safe(void)
{
	size_t	 i;

	for (i = 0; i < sizeof(safe_cases) / sizeof(safe_cases[0]); i++) {
		const struct safe_case *c = &safe_cases[i];
		char *const *av = (char *const *)c->argv;
		char	 desc[160];

		snprintf(desc, sizeof(desc), "%s %s %s", c->argv[0],
		    c->argv[1] ? c->argv[1] : "", c->argv[1] && c->argv[2] ?
		    c->argv[2] : "");
		desc[strcspn(desc, "\n")] = '\0';
		tap_ok(is_known_safe(av) == c->safe &&
		    is_dangerous(av) == c->dangerous,
		    "safe=%d dangerous=%d: %s", c->safe, c->dangerous, desc);
	}
}

static void
test_decide(void)
{
	struct approval_cache	 cache;
	struct approval_request	 rq;
	struct approval_result	 res;
	size_t			 i;
	int			 v;

	for (i = 0; i < sizeof(decide_cases) / sizeof(decide_cases[0]); i++) {
		const struct decide_case *c = &decide_cases[i];

		approval_cache_init(&cache);
		memset(&rq, 0, sizeof(rq));
		rq.policy = c->policy;
		rq.sandbox = c->sandbox;
		rq.escalate = c->escalate;
		rq.argv = (char *const *)c->argv;
		if (c->cached) {
			if (approval_cache_add(&cache, rq.argv) == -1)
				tap_ok(0, "cache add");
			rq.cache = &cache;
		}
		v = approval_decide(&rq, &res);
		tap_ok(v == c->verdict && res.verdict == v &&
		    res.reason[0] != '\0',
		    "decide %d: policy %d sandbox %d esc %d cached %d %s: "
		    "%s (%s)", (int)i, c->policy, c->sandbox, c->escalate,
		    c->cached, c->argv[0], approval_verdict_name(v),
		    res.reason);
		approval_cache_clear(&cache);
	}
}

static void
test_patch(void)
{
	struct approval_result	 res;
	size_t			 i, n;
	int			 in, v;

	for (i = 0; i < sizeof(patch_cases) / sizeof(patch_cases[0]); i++) {
		const struct patch_case *c = &patch_cases[i];

		for (n = 0; c->paths[n] != NULL; n++)
			;
		in = approval_within_roots("/home/u/repo", roots, 2,
		    (char *const *)c->paths, n);
		v = approval_patch(c->policy, c->sandbox, in, &res);
		tap_ok(v == c->verdict, "patch %d: %s: %s (%s)", (int)i,
		    c->paths[0], approval_verdict_name(v), res.reason);
	}
}

static void
test_cache(void)
{
	struct approval_cache	 cache;
	char *const	 a[] = { "make", "install", NULL };
	char *const	 b[] = { "make", NULL };
	char *const	 c[] = { "make", "install", "x", NULL };

	approval_cache_init(&cache);
	tap_ok(approval_cache_add(&cache, a) == 0 &&
	    approval_cache_add(&cache, a) == 0, "cache add twice");
	tap_ok(approval_cache_has(&cache, a), "cache holds the exact argv");
	tap_ok(!approval_cache_has(&cache, b) && !approval_cache_has(&cache, c),
	    "cache does not match a prefix or a longer argv");
	approval_cache_clear(&cache);
	tap_ok(TAILQ_EMPTY(&cache) && !approval_cache_has(&cache, a),
	    "cache cleared");
	tap_ok(approval_ask_after_denial(APPROVAL_ON_FAILURE) &&
	    approval_ask_after_denial(APPROVAL_UNTRUSTED) &&
	    !approval_ask_after_denial(APPROVAL_ON_REQUEST) &&
	    !approval_ask_after_denial(APPROVAL_NEVER),
	    "re-run unsandboxed is offered under on-failure and untrusted");
	tap_ok(approval_within_roots("/home/u/repo/src/a.c", roots, 2, NULL,
	    0) && !approval_within_roots("/home/u/repo/.git/x", roots, 2,
	    NULL, 0) && !approval_within_roots("/etc/passwd", roots, 2, NULL,
	    0) && !approval_within_roots("relative", roots, 2, NULL, 0),
	    "without paths the first argument itself is checked");
}

int
main(void)
{
	tap_plan((int)(sizeof(safe_cases) / sizeof(safe_cases[0]) +
	    sizeof(decide_cases) / sizeof(decide_cases[0]) +
	    sizeof(patch_cases) / sizeof(patch_cases[0])) + 6);
	test_safe();
	test_decide();
	test_patch();
	test_cache();
	return tap_done();
}
