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
 * apply_patch without a file system: the parser (execproc/patch.c), the
 * recogniser of shell invocations (patchinvoke.c), the summary, and the
 * text-level application of update hunks (patch_update_text() in
 * patchapply.c, the code patch_apply() runs on each file it updates).
 *
 * An input with a NUL byte is OLD NUL PATCH and every update hunk is
 * also applied to OLD; otherwise it is all patch.  Every update hunk is
 * applied to a text made of its own context and old lines.  A rejected
 * patch must say why; an applied hunk gives a text ending in a newline,
 * valid UTF-8 whenever the old text and the patch were.  A hunk of plain
 * replacements (no context, no pure additions, no end-of-file anchor,
 * no carriage returns) applied to its own old lines must give exactly
 * its new lines, since the exact pass finds every chunk where it is.
 * The input is also tried as the script of `bash -lc`, and a patch
 * found there goes through the same checks; and wrapped in a heredoc,
 * `cd 'd' && apply_patch <<'EOF'`, it must come out as it went in (less
 * trailing newlines) unless a line of it ends the heredoc early.
 */

#include <sys/queue.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "execproc/patch.h"
#include "execproc/patch-int.h"
#include "regress/fuzz/fuzz.h"

struct sbuf {
	char	*s;
	size_t	 len;
};

static void	 fail(const char *);
static void	 sb_add(struct sbuf *, const char *, size_t);
static void	 synth_old(const struct patch_hunk *, struct sbuf *);
static int	 synth_new(const struct patch_hunk *, struct sbuf *);
static void	 try_update(const struct patch_hunk *, const char *, size_t,
		    int, const struct sbuf *);
static void	 check_patch(const char *, size_t, const char *, size_t);
static void	 check_invocation(const uint8_t *, size_t);
static void	 check_heredoc(const uint8_t *, size_t);

static void
fail(const char *why)
{
	(void)fprintf(stderr, "patch-fuzz: %s\n", why);
	abort();
}

static void
sb_add(struct sbuf *b, const char *s, size_t len)
{
	if ((b->s = realloc(b->s, b->len + len + 1)) == NULL)
		fail("out of memory");
	if (len > 0)
		memcpy(b->s + b->len, s, len);
	b->len += len;
	b->s[b->len] = '\0';
}

/* The text the hunk expects: its context and old lines, in order. */
static void
synth_old(const struct patch_hunk *h, struct sbuf *b)
{
	const struct patch_chunk	*c;
	size_t				 i;

	sb_add(b, "", 0);
	TAILQ_FOREACH(c, &h->chunks, entry) {
		if (c->context.s != NULL) {
			sb_add(b, c->context.s, c->context.len);
			sb_add(b, "\n", 1);
		}
		for (i = 0; i < c->old_lines.n; i++) {
			sb_add(b, c->old_lines.v[i].s, c->old_lines.v[i].len);
			sb_add(b, "\n", 1);
		}
	}
}

/*
 * The text a hunk of plain replacements must give; 0 when the hunk is
 * not one, so that fuzzy matching or anchoring could place it elsewhere.
 */
static int
synth_new(const struct patch_hunk *h, struct sbuf *b)
{
	const struct patch_chunk	*c;
	size_t				 i;

	sb_add(b, "", 0);
	TAILQ_FOREACH(c, &h->chunks, entry) {
		if (c->context.s != NULL || c->eof || c->old_lines.n == 0)
			return 0;
		for (i = 0; i < c->old_lines.n; i++)
			if (memchr(c->old_lines.v[i].s, '\r',
			    c->old_lines.v[i].len) != NULL)
				return 0;
		for (i = 0; i < c->new_lines.n; i++) {
			if (memchr(c->new_lines.v[i].s, '\r',
			    c->new_lines.v[i].len) != NULL)
				return 0;
			sb_add(b, c->new_lines.v[i].s, c->new_lines.v[i].len);
			sb_add(b, "\n", 1);
		}
	}
	return 1;
}

static void
try_update(const struct patch_hunk *h, const char *old, size_t oldlen,
    int utf8, const struct sbuf *want)
{
	char	 err[1024], *out = NULL;
	size_t	 outlen = 0;

	err[0] = '\0';
	if (patch_update_text(h, old, oldlen, &out, &outlen, err,
	    sizeof(err)) == -1) {
		if (err[0] == '\0')
			fail("update failed without a reason");
		if (want != NULL && patch_utf8_valid(old, oldlen))
			fail("plain replacements did not apply");
		return;
	}
	if (out == NULL || (outlen > 0 && out[outlen - 1] != '\n'))
		fail("updated text does not end in a newline");
	if (utf8 && patch_utf8_valid(old, oldlen) &&
	    !patch_utf8_valid(out, outlen))
		fail("update made valid UTF-8 invalid");
	if (want != NULL && (outlen != want->len ||
	    (outlen > 0 && memcmp(out, want->s, outlen) != 0)))
		fail("plain replacements did not give the new lines");
	free(out);
}

/* Parse text; apply each update hunk to its own lines and to old. */
static void
check_patch(const char *text, size_t len, const char *old, size_t oldlen)
{
	const struct patch_hunk	*h;
	struct patch_result	 res;
	struct patch		*p;
	struct sbuf		 sb, want;
	char			 err[1024], *clean, *sum;
	size_t			 n = 0;
	int			 utf8;

	err[0] = '\0';
	if ((p = patch_parse(text, len, err, sizeof(err))) == NULL) {
		if (err[0] == '\0')
			fail("patch rejected without a reason");
		return;
	}
	utf8 = patch_utf8_valid(text, len);
	TAILQ_FOREACH(h, &p->hunks, entry) {
		n++;
		if (h->path.s == NULL || strlen(h->path.s) > h->path.len)
			fail("hunk path is not a string of its length");
		if (patch_path_clean(&h->path, &clean, err, sizeof(err)) == 0)
			free(clean);
		if (h->kind != PATCH_UPDATE)
			continue;
		memset(&sb, 0, sizeof(sb));
		memset(&want, 0, sizeof(want));
		synth_old(h, &sb);
		if (synth_new(h, &want))
			try_update(h, sb.s, sb.len, utf8, &want);
		else
			try_update(h, sb.s, sb.len, utf8, NULL);
		free(sb.s);
		free(want.s);
		if (old != NULL)
			try_update(h, old, oldlen, utf8, NULL);
	}
	if (n != p->nhunks)
		fail("hunk count differs from the list");
	patch_result_init(&res);
	if (apply_result_fill(&res, p) == 0 && res.nchanges > 0) {
		if ((sum = patch_result_render(&res)) == NULL)
			fail("no summary");
		free(sum);
	}
	patch_result_free(&res);
	patch_free(p);
}

/* The input as a shell script that may invoke apply_patch. */
static void
check_invocation(const uint8_t *buf, size_t len)
{
	char	*argv[3], *script, *text, *dir;

	if ((script = malloc(len + 1)) == NULL)
		fail("out of memory");
	memcpy(script, buf, len);
	script[len] = '\0';
	argv[0] = "bash";
	argv[1] = "-lc";
	argv[2] = script;
	if (patch_invocation(argv, 3, &text, &dir) == 1) {
		if (text == NULL)
			fail("invocation recognised without a patch");
		check_patch(text, strlen(text), NULL, 0);
		free(text);
		free(dir);
	}
	free(script);
}

/* The input as the body of a heredoc must be extracted unchanged. */
static void
check_heredoc(const uint8_t *buf, size_t len)
{
	static const char	 head[] = "cd 'd' && apply_patch <<'EOF'\n";
	static const char	 tail[] = "\nEOF\n";
	struct sbuf		 sb;
	char			*argv[3], *text, *dir;
	size_t			 want = len, i;
	int			 early = 0, r;

	for (i = 0; i + 3 <= len; i++)
		if ((i == 0 || buf[i - 1] == '\n') &&
		    memcmp(buf + i, "EOF", 3) == 0 &&
		    (i + 3 == len || buf[i + 3] == '\n'))
			early = 1;
	while (want > 0 && buf[want - 1] == '\n')
		want--;
	memset(&sb, 0, sizeof(sb));
	sb_add(&sb, head, sizeof(head) - 1);
	sb_add(&sb, (const char *)buf, len);
	sb_add(&sb, tail, sizeof(tail) - 1);
	argv[0] = "/bin/bash";
	argv[1] = "-c";
	argv[2] = sb.s;
	r = patch_invocation(argv, 3, &text, &dir);
	if (r != !early)
		fail("heredoc recognised wrongly");
	if (r == 1 && (strlen(text) != want || memcmp(text, buf, want) != 0 ||
	    dir == NULL || strcmp(dir, "d") != 0))
		fail("heredoc body or directory changed");
	if (r == 1) {
		free(text);
		free(dir);
	}
	free(sb.s);
}

int
fuzz_patch(const uint8_t *buf, size_t len)
{
	const uint8_t	*nul;
	size_t		 oldlen;

	if ((nul = memchr(buf, '\0', len)) != NULL) {
		oldlen = nul - buf;
		check_patch((const char *)nul + 1, len - oldlen - 1,
		    (const char *)buf, oldlen);
		return 0;
	}
	check_patch((const char *)buf, len, NULL, 0);
	check_invocation(buf, len);
	check_heredoc(buf, len);
	return 0;
}

#ifdef FUZZ_LIBFUZZER
int
LLVMFuzzerTestOneInput(const uint8_t *buf, size_t len)
{
	return fuzz_patch(buf, len);
}
#endif
