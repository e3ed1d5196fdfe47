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
 * Unit cases for the apply_patch parser, seek_sequence, the applier's
 * confinement and atomicity, and the invocation recogniser.
 */

#include <sys/types.h>
#include <sys/stat.h>

#include <sys/wait.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "execproc/patch.h"
#include "util.h"

#define HUNK_HEADERS	"Valid hunk headers: '*** Add File: {path}', " \
			"'*** Delete File: {path}', '*** Update File: {path}'"
#define EVERY_LINE	"Every line should start with ' ' (context line), " \
			"'+' (added line), or '-' (removed line)"

static char	*tmp;
static int	 ncase;

/* A fresh directory for one case. */
static char *
newdir(void)
{
	char	*d;

	if (asprintf(&d, "%s/case%d", tmp, ++ncase) == -1)
		err(1, "asprintf");
	if (mkdir(d, 0755) == -1)
		err(1, "mkdir %s", d);
	return d;
}

static void
put(const char *dir, const char *name, const char *data)
{
	char	*p = path_join(dir, name);

	spit(p, data, 0644);
	free(p);
}

/* The content of dir/name, or "(missing)". */
static char *
get(const char *dir, const char *name)
{
	char	*p = path_join(dir, name), *d;

	if ((d = slurp(p, NULL)) == NULL && (d = strdup("(missing)")) == NULL)
		err(1, NULL);
	free(p);
	return d;
}

static int
is_content(const char *dir, const char *name, const char *want,
    const char *what)
{
	char	*d = get(dir, name);
	int	 r;

	r = tap_is(d, want, what);
	free(d);
	return r;
}

/* Parse text; return the error, or "" if it parsed. */
static const char *
parse_err(const char *text)
{
	static char	 err[1024];
	struct patch	*p;

	err[0] = '\0';
	if ((p = patch_parse(text, strlen(text), err, sizeof(err))) != NULL) {
		patch_free(p);
		err[0] = '\0';
	}
	return err;
}

/*
 * Parse and apply text in dir; the error (or the rendered summary) goes
 * to out.  Returns 0 on success.
 */
static int
apply_fd(int fd, const char *text, char *out, size_t outlen)
{
	struct patch_result	 res;
	struct patch		*p;
	char			*s;
	int			 rv;

	if ((p = patch_parse(text, strlen(text), out, outlen)) == NULL)
		return -1;
	if ((rv = patch_apply(fd, p, &res, out, outlen)) == 0) {
		if ((s = patch_result_render(&res)) == NULL)
			err(1, NULL);
		if (strlcpy(out, s, outlen) >= outlen)
			errx(1, "summary too long");
		free(s);
	}
	patch_result_free(&res);
	patch_free(p);
	return rv;
}

static int
apply(const char *dir, const char *text, char *out, size_t outlen)
{
	int	 fd, rv;

	if ((fd = open(dir, O_RDONLY | O_DIRECTORY)) == -1)
		err(1, "open %s", dir);
	rv = apply_fd(fd, text, out, outlen);
	(void)close(fd);
	return rv;
}

static void
test_parse_errors(void)
{
	tap_is(parse_err("bad"), "invalid patch: The first line of the patch "
	    "must be '*** Begin Patch'", "error: first line");
	tap_is(parse_err("*** Begin Patch\nbad"), "invalid patch: The last "
	    "line of the patch must be '*** End Patch'", "error: last line");
	tap_is(parse_err("  \n"), "invalid patch: The last line of the patch "
	    "must be '*** End Patch'", "error: empty text");
	tap_is(parse_err("*** Begin Patch\n*** Frobnicate File: foo\n"
	    "*** End Patch"), "invalid hunk at line 2, '*** Frobnicate File: "
	    "foo' is not a valid hunk header. " HUNK_HEADERS,
	    "error: invalid hunk header");
	tap_is(parse_err("*** Begin Patch\n*** Update File: test.py\n"
	    "*** End Patch"), "invalid hunk at line 2, Update file hunk for "
	    "path 'test.py' is empty", "error: empty update hunk");
	tap_is(parse_err("*** Begin Patch\n*** Update File: a\n@@\n-x\n+y\n"
	    "bad\n*** End Patch"), "invalid hunk at line 6, Expected update "
	    "hunk to start with a @@ context marker, got: 'bad'",
	    "error: second chunk without @@");
	tap_is(parse_err("*** Begin Patch\n*** Update File: a\n@@\nbad\n"
	    "*** End Patch"), "invalid hunk at line 4, Unexpected line found "
	    "in update hunk: 'bad'. " EVERY_LINE, "error: unexpected line");
	tap_is(parse_err("*** Begin Patch\n*** Update File: a\n@@\n"
	    "*** End of File\n*** End Patch"), "invalid hunk at line 4, "
	    "Update hunk does not contain any lines",
	    "error: End of File without lines");
	tap_is(parse_err("*** Begin Patch\n*** Update File: a\n@@\n"
	    "*** End Patch"), "invalid hunk at line 4, Update hunk does not "
	    "contain any lines", "error: @@ at the end");
	tap_is(parse_err("*** Begin Patch\n*** Add File: a\n+x\n"
	    "*** Update File: b\n*** End Patch"), "invalid hunk at line 4, "
	    "Update file hunk for path 'b' is empty",
	    "error: line numbers count earlier hunks");
}

static void
test_parse_shapes(void)
{
	const char		*t;
	struct patch		*p;
	struct patch_hunk	*h;
	struct patch_chunk	*c;
	char			 err[256];

	t = "*** Begin Patch\n*** Add File: path/add.py\n+abc\n+def\n"
	    "*** Delete File: path/delete.py\n*** Update File: path/update.py\n"
	    "*** Move to: path/update2.py\n@@ def f():\n-    pass\n"
	    "+    return 123\n*** End Patch";
	if ((p = patch_parse(t, strlen(t), err, sizeof(err))) == NULL)
		errx(1, "parse: %s", err);
	h = TAILQ_FIRST(&p->hunks);
	tap_ok(p->nhunks == 3 && h->kind == PATCH_ADD &&
	    strcmp(h->path.s, "path/add.py") == 0 &&
	    strcmp(h->contents.s, "abc\ndef\n") == 0, "parse: add hunk");
	h = TAILQ_NEXT(h, entry);
	tap_ok(h->kind == PATCH_DELETE && strcmp(h->path.s,
	    "path/delete.py") == 0 && h->line == 5, "parse: delete hunk");
	h = TAILQ_NEXT(h, entry);
	c = TAILQ_FIRST(&h->chunks);
	tap_ok(h->kind == PATCH_UPDATE && strcmp(h->move_to.s,
	    "path/update2.py") == 0 && strcmp(c->context.s, "def f():") == 0 &&
	    c->old_lines.n == 1 &&
	    strcmp(c->old_lines.v[0].s, "    pass") == 0 &&
	    c->new_lines.n == 1 && strcmp(c->new_lines.v[0].s,
	    "    return 123") == 0 && !c->eof, "parse: update hunk with move");
	patch_free(p);

	/* The first chunk may omit @@; CRLF patch text loses its "\r". */
	t = "*** Begin Patch\r\n*** Update File: f\r\n import foo\r\n+bar\r\n"
	    "*** End Patch\r\n";
	if ((p = patch_parse(t, strlen(t), err, sizeof(err))) == NULL)
		errx(1, "parse: %s", err);
	c = TAILQ_FIRST(&TAILQ_FIRST(&p->hunks)->chunks);
	tap_ok(c->context.s == NULL && c->old_lines.n == 1 &&
	    strcmp(c->old_lines.v[0].s, "import foo") == 0 &&
	    c->new_lines.n == 2 && strcmp(c->new_lines.v[1].s, "bar") == 0,
	    "parse: chunk without @@, CRLF patch");
	patch_free(p);

	t = "*** Begin Patch \n*** Add File: foo\n+hi\n *** End Patch";
	if ((p = patch_parse(t, strlen(t), err, sizeof(err))) == NULL)
		errx(1, "parse: %s", err);
	h = TAILQ_FIRST(&p->hunks);
	tap_ok(strcmp(h->contents.s, "hi\n") == 0,
	    "parse: whitespace-padded markers");
	patch_free(p);

	t = "*** Begin Patch\n   *** Delete File: x  \n*** End Patch";
	if ((p = patch_parse(t, strlen(t), err, sizeof(err))) == NULL)
		errx(1, "parse: %s", err);
	tap_ok(strcmp(TAILQ_FIRST(&p->hunks)->path.s, "x") == 0,
	    "parse: padded hunk header is trimmed");
	patch_free(p);
}

static void
test_heredoc(void)
{
	tap_is(parse_err("<<EOF\n*** Begin Patch\n*** Add File: foo\n+hi\n"
	    "*** End Patch\nEOF\n"), "", "heredoc: <<EOF");
	tap_is(parse_err("<<'EOF'\n*** Begin Patch\n*** Add File: foo\n+hi\n"
	    "*** End Patch\nEOF\n"), "", "heredoc: <<'EOF'");
	tap_is(parse_err("<<\"EOF\"\n*** Begin Patch\n*** Add File: foo\n"
	    "+hi\n*** End Patch\nEOF"), "", "heredoc: <<\"EOF\"");
	tap_is(parse_err("<<EOF\n*** Begin Patch\nEOF"), "invalid patch: The "
	    "first line of the patch must be '*** Begin Patch'",
	    "heredoc: too short keeps the original error");
	tap_is(parse_err("<<'EOF'\n*** Begin Patch\n*** Add File: foo\n+hi\n"
	    "EOF"), "invalid patch: The last line of the patch must be "
	    "'*** End Patch'", "heredoc: inner markers are checked");
	tap_is(parse_err("<<EOF \n*** Begin Patch\n*** End Patch\nEOF"),
	    "invalid patch: The first line of the patch must be "
	    "'*** Begin Patch'", "heredoc: opener must match exactly");
}

static struct patch_str *
mklines(const char **v, size_t n)
{
	struct patch_str	*l;
	size_t			 i;

	if ((l = calloc(n + 1, sizeof(*l))) == NULL)
		err(1, NULL);
	for (i = 0; i < n; i++) {
		l[i].s = (char *)v[i];
		l[i].len = strlen(v[i]);
	}
	return l;
}

/* Where pattern pat is found in lines, or -1. */
static long
seek(const char **lines, size_t nl, const char **pat, size_t np,
    size_t start, int eof)
{
	struct patch_str	*a = mklines(lines, nl), *b = mklines(pat, np);
	size_t			 at;
	long			 r = -1;

	if (patch_seek(a, nl, b, np, start, eof, &at))
		r = at;
	free(a);
	free(b);
	return r;
}

static void
test_seek(void)
{
	const char	*l1[] = { "foo", "bar", "baz" };
	const char	*p1[] = { "bar", "baz" };
	const char	*l2[] = { "foo   ", "bar\t\t" };
	const char	*l3[] = { "    foo   ", "   bar\t" };
	const char	*p23[] = { "foo", "bar" };
	const char	*l4[] = { "a \u2013 b \u2014 c",
	    "\u201chi\u201d \u2018x\u2019",
	    "x\u00a0=\u3000y" };
	const char	*p4[] = { "a - b - c", "\"hi\" 'x'", "x = y" };
	const char	*l5[] = { "a ", "a", "b", "a" };
	const char	*p5[] = { "a" };
	const char	*p6[] = { "too", "many", "lines", "here", "now" };

	tap_ok(seek(l1, 3, p1, 2, 0, 0) == 1, "seek: exact");
	tap_ok(seek(l2, 2, p23, 2, 0, 0) == 0, "seek: trim_end pass");
	tap_ok(seek(l3, 2, p23, 2, 0, 0) == 0, "seek: trim pass");
	tap_ok(seek(l4, 3, p4, 3, 0, 0) == 0,
	    "seek: unicode dashes, quotes and spaces");
	tap_ok(seek(l4, 3, p4, 1, 1, 0) == -1, "seek: honours start");
	tap_ok(seek(l5, 4, p5, 1, 0, 0) == 1, "seek: exact pass wins first");
	tap_ok(seek(l5, 4, p5, 1, 0, 1) == 3, "seek: eof tries the tail");
	tap_ok(seek(l5, 4, p6, 5, 0, 0) == -1, "seek: pattern too long");
	tap_ok(seek(l5, 4, p5, 0, 2, 0) == 2, "seek: empty pattern");
}

static void
test_apply_basics(void)
{
	char	 out[2048], *d;

	d = newdir();
	put(d, "f.txt", "x\ny\nx\n");
	tap_ok(apply(d, "*** Begin Patch\n*** Update File: f.txt\n@@\n-x\n+z\n"
	    "*** End of File\n*** End Patch", out, sizeof(out)) == 0,
	    "eof: applies");
	is_content(d, "f.txt", "x\ny\nz\n", "eof: last occurrence replaced");
	free(d);

	d = newdir();
	put(d, "u.txt", "title \u2014 one\n  indented\t\nend\n");
	tap_ok(apply(d, "*** Begin Patch\n*** Update File: u.txt\n@@\n"
	    "-title - one\n-indented\n+title - two\n+ indented\n"
	    "*** End Patch", out, sizeof(out)) == 0, "fuzzy: applies");
	is_content(d, "u.txt", "title - two\n indented\nend\n",
	    "fuzzy: unicode and whitespace passes");
	free(d);

	d = newdir();
	put(d, "a.txt", "one\ntwo\n");
	put(d, "gone.txt", "bye\n");
	tap_ok(apply(d, "*** Begin Patch\n*** Add File: new.txt\n+n\n"
	    "*** Delete File: gone.txt\n*** Update File: a.txt\n"
	    "*** Move to: sub/dir/b.txt\n@@ one\n-two\n+2\n*** End Patch",
	    out, sizeof(out)) == 0, "move: applies");
	tap_is(out, "Success. Updated the following files:\nA new.txt\n"
	    "M sub/dir/b.txt\nD gone.txt\n", "summary: A, M, D order");
	is_content(d, "sub/dir/b.txt", "one\n2\n", "move: new directory made");
	is_content(d, "a.txt", "(missing)", "move: source removed");
	is_content(d, "gone.txt", "(missing)", "delete: file removed");
	free(d);

	d = newdir();
	tap_ok(apply(d, "*** Begin Patch\n*** Add File: s.txt\n+a\n"
	    "*** Update File: s.txt\n@@\n-a\n+b\n*** Update File: ./s.txt\n"
	    "@@\n+c\n*** End Patch", out, sizeof(out)) == 0,
	    "sequence: later hunks see earlier ones");
	is_content(d, "s.txt", "b\nc\n", "sequence: result");
	free(d);

	d = newdir();
	tap_ok(apply(d, "*** Begin Patch\n*** End Patch", out,
	    sizeof(out)) == -1 && strcmp(out, "No files were modified.") == 0,
	    "empty patch: No files were modified.");
	free(d);
}

/* Cases from the unit tests of Codex's apply-patch crate. */
static void
test_upstream(void)
{
	char	 out[2048], *d;

	d = newdir();
	put(d, "i.txt", "a\nb\nc\nd\ne\nf\n");
	put(d, "p.txt", "line1\nline2\nline3\n");
	put(d, "u.py", "import asyncio  # local import \u2013 avoids "
	    "top\u2011level dep\n");
	put(d, "cr.txt", "foo\r\r\nbar\r\n");
	tap_ok(apply(d, "*** Begin Patch\n*** Update File: i.txt\n@@\n a\n-b\n"
	    "+B\n@@\n c\n d\n-e\n+E\n@@\n f\n+g\n*** End of File\n"
	    "*** Update File: p.txt\n@@\n+after-context\n+second-line\n@@\n"
	    " line1\n-line2\n-line3\n+line2-replacement\n"
	    "*** Update File: u.py\n@@\n-import asyncio  # local import - "
	    "avoids top-level dep\n+import asyncio  # HELLO\n"
	    "*** Update File: cr.txt\n@@\n+BAZ\n*** End of File\n"
	    "*** End Patch", out, sizeof(out)) == 0, "upstream: applies");
	is_content(d, "i.txt", "a\nB\nc\nd\nE\nf\ng\n",
	    "upstream: interleaved changes");
	is_content(d, "p.txt", "line1\nline2-replacement\nafter-context\n"
	    "second-line\n", "upstream: pure addition then removal");
	is_content(d, "u.py", "import asyncio  # HELLO\n",
	    "upstream: unicode dash");
	is_content(d, "cr.txt", "foo\r\r\nbar\r\nBAZ\r\n",
	    "upstream: CRLF with an embedded CR");
	free(d);
}

/* Whether this process may open the read-only file path for writing. */
static int
writes_readonly(const char *path)
{
	int	 fd;

	if ((fd = open(path, O_WRONLY | O_NONBLOCK | O_NOCTTY)) == -1) {
		if (errno != EACCES)
			err(1, "open %s", path);
		return 0;
	}
	if (close(fd) == -1)
		err(1, "close %s", path);
	return 1;
}

/*
 * A read-only file stays unchanged, as with Codex's in-place write.  Root
 * with CAP_DAC_OVERRIDE may write anything, so then the check runs as
 * nobody; root without capabilities (inside a sandbox) is refused like
 * anyone else, and could not chown to nobody anyway.
 */
static void
test_readonly(void)
{
	char	 out[2048], *d, *p;
	pid_t	 pid;
	int	 fd, status, r;
	const char *patch = "*** Begin Patch\n*** Update File: ro.txt\n@@\n"
	    "-before\n+after\n*** End Patch";

	d = newdir();
	p = path_join(d, "ro.txt");
	spit(p, "before\n", 0444);
	if ((fd = open(d, O_RDONLY | O_DIRECTORY)) == -1)
		err(1, "open %s", d);
	if (!writes_readonly(p))
		r = apply_fd(fd, patch, out, sizeof(out)) == -1 &&
		    strstr(out, "Permission denied") != NULL;
	else {
		if (chown(d, 65534, 65534) == -1 ||
		    chown(p, 65534, 65534) == -1)
			err(1, "chown");
		if ((pid = fork()) == -1)
			err(1, "fork");
		if (pid == 0) {
			if (setgroups(0, NULL) == -1 ||
			    setresgid(65534, 65534, 65534) == -1 ||
			    setresuid(65534, 65534, 65534) == -1)
				_exit(2);
			r = apply_fd(fd, patch, out, sizeof(out)) == -1 &&
			    strstr(out, "Permission denied") != NULL;
			/* Leave nothing for valgrind to call a leak. */
			free(p);
			free(d);
			free(tmp);
			_exit(r ? 0 : 1);
		}
		if (waitpid(pid, &status, 0) == -1)
			err(1, "waitpid");
		r = WIFEXITED(status) && WEXITSTATUS(status) == 0;
	}
	tap_ok(r, "read-only file: update refused");
	is_content(d, "ro.txt", "before\n", "read-only file: unchanged");
	(void)close(fd);
	free(p);
	free(d);
}

static void
test_apply_errors(void)
{
	char	 out[2048], *d;

	d = newdir();
	put(d, "m.txt", "line\n");
	apply(d, "*** Begin Patch\n*** Update File: m.txt\n@@\n-missing\n"
	    "-lines\n+x\n*** End Patch", out, sizeof(out));
	tap_is(out, "Failed to find expected lines in m.txt:\nmissing\nlines",
	    "error: expected lines");
	apply(d, "*** Begin Patch\n*** Update File: m.txt\n@@ nope\n-line\n"
	    "*** End Patch", out, sizeof(out));
	tap_is(out, "Failed to find context 'nope' in m.txt",
	    "error: context");
	apply(d, "*** Begin Patch\n*** Update File: no.txt\n@@\n-a\n"
	    "*** End Patch", out, sizeof(out));
	tap_is(out, "Failed to read file to update no.txt: No such file or "
	    "directory (os error 2)", "error: update of a missing file");
	apply(d, "*** Begin Patch\n*** Delete File: no.txt\n*** End Patch",
	    out, sizeof(out));
	tap_is(out, "Failed to delete file no.txt: No such file or directory "
	    "(os error 2)", "error: delete of a missing file");
	put(d, "bin.txt", "\xff\xfe\n");
	apply(d, "*** Begin Patch\n*** Update File: bin.txt\n@@\n+a\n"
	    "*** End Patch", out, sizeof(out));
	tap_is(out, "Failed to read file to update bin.txt: stream did not "
	    "contain valid UTF-8", "error: file is not UTF-8");
	free(d);
}

static void
test_confinement(void)
{
	char	 out[2048], *d, *outside, *odir, *p;
	int	 before;

	d = newdir();
	outside = path_join(tmp, "outside.txt");
	odir = path_join(tmp, "outside.d");
	spit(outside, "secret\n", 0644);
	if (mkdir(odir, 0755) == -1)
		err(1, "mkdir %s", odir);
	p = path_join(d, "link");
	if (symlink("../outside.txt", p) == -1)
		err(1, "symlink");
	free(p);
	p = path_join(d, "ldir");
	if (symlink(odir, p) == -1)
		err(1, "symlink");
	free(p);

	tap_ok(apply(d, "*** Begin Patch\n*** Update File: link\n@@\n-secret\n"
	    "+owned\n*** End Patch", out, sizeof(out)) == -1 &&
	    strstr(out, "symbolic link") != NULL, "symlink: update refused");
	is_content(tmp, "outside.txt", "secret\n",
	    "symlink: outside unchanged");
	tap_ok(apply(d, "*** Begin Patch\n*** Add File: ldir/x\n+x\n"
	    "*** End Patch", out, sizeof(out)) == -1,
	    "symlink: add through a linked directory refused");
	is_content(odir, "x", "(missing)", "symlink: nothing created outside");
	tap_ok(apply(d, "*** Begin Patch\n*** Add File: link\n+x\n"
	    "*** End Patch", out, sizeof(out)) == -1,
	    "symlink: add over a link refused");
	tap_ok(apply(d, "*** Begin Patch\n*** Delete File: link\n"
	    "*** End Patch", out, sizeof(out)) == -1 &&
	    access(outside, F_OK) == 0, "symlink: delete refused");
	tap_ok(apply(d, "*** Begin Patch\n*** Add File: ../x\n+x\n"
	    "*** End Patch", out, sizeof(out)) == -1 &&
	    strstr(out, "outside the working directory") != NULL,
	    "path: ../x refused");
	is_content(tmp, "x", "(missing)", "path: nothing created above");
	tap_ok(apply(d, "*** Begin Patch\n*** Add File: a/../../x\n+x\n"
	    "*** End Patch", out, sizeof(out)) == -1,
	    "path: a/../../x refused");
	before = access("/etc/x", F_OK);
	tap_ok(apply(d, "*** Begin Patch\n*** Add File: /etc/x\n+x\n"
	    "*** End Patch", out, sizeof(out)) == -1 &&
	    strstr(out, "absolute") != NULL && access("/etc/x", F_OK) == before,
	    "path: /etc/x refused");
	tap_ok(apply(d, "*** Begin Patch\n*** Update File: m.txt\n"
	    "*** Move to: /tmp/stolen\n@@\n+x\n*** End Patch", out,
	    sizeof(out)) == -1, "path: absolute move target refused");
	free(outside);
	free(odir);
	free(d);
}

static void
test_atomic(void)
{
	char	 out[2048], why[4096], *d, *snap;

	d = newdir();
	snap = newdir();
	put(d, "one.txt", "one\n");
	put(d, "two.txt", "two\n");
	copy_tree(d, snap);
	tap_ok(apply(d, "*** Begin Patch\n*** Update File: one.txt\n@@\n-one\n"
	    "+ONE\n*** Add File: new/dir/n.txt\n+n\n*** Delete File: two.txt\n"
	    "*** Update File: two.txt\n@@\n-two\n+TWO\n*** End Patch", out,
	    sizeof(out)) == -1, "atomic: second file fails");
	tap_ok(tree_equal(d, snap, why, sizeof(why)),
	    "atomic: first file untouched, no directory or temp file left");
	tap_ok(apply(d, "*** Begin Patch\n*** Add File: one.txt/x\n+x\n"
	    "*** End Patch", out, sizeof(out)) == -1 &&
	    apply(d, "*** Begin Patch\n*** Add File: z\n+z\n*** Add File: z/y\n"
	    "+y\n*** End Patch", out, sizeof(out)) == -1,
	    "atomic: a file cannot become a directory");
	tap_ok(tree_equal(d, snap, why, sizeof(why)),
	    "atomic: still unchanged");
	free(d);
	free(snap);
}

static void
test_crlf_mode(void)
{
	struct stat	 st;
	char		 out[2048], *d, *p;

	d = newdir();
	put(d, "w.txt", "a\r\nb\r\nc\r\n");
	put(d, "n.txt", "a\r\nb");
	tap_ok(apply(d, "*** Begin Patch\n*** Update File: w.txt\n@@\n a\n-b\n"
	    "+B\n+B2\n*** Update File: n.txt\n@@\n-b\n+x\n*** End Patch", out,
	    sizeof(out)) == 0, "crlf: applies");
	is_content(d, "w.txt", "a\r\nB\r\nB2\r\nc\r\n", "crlf: endings kept");
	is_content(d, "n.txt", "a\r\nx\r\n",
	    "crlf: final newline added as CRLF");

	p = path_join(d, "run.sh");
	spit(p, "#!/bin/sh\necho hi\n", 0754);
	tap_ok(apply(d, "*** Begin Patch\n*** Update File: run.sh\n@@\n"
	    "-echo hi\n+echo bye\n*** End Patch", out, sizeof(out)) == 0 &&
	    stat(p, &st) == 0 && (st.st_mode & 07777) == 0754,
	    "mode: kept on update");
	free(p);
	p = path_join(d, "moved.sh");
	tap_ok(apply(d, "*** Begin Patch\n*** Update File: run.sh\n"
	    "*** Move to: moved.sh\n@@\n+# end\n*** End Patch", out,
	    sizeof(out)) == 0 && stat(p, &st) == 0 &&
	    (st.st_mode & 07777) == 0754, "mode: kept on move");
	free(p);
	free(d);
}

struct inv {
	const char	*argv[4];
	int		 want;
	const char	*cd;
};

#define P	"*** Begin Patch\n*** Add File: foo\n+hi\n*** End Patch"
#define H(pre)	pre "apply_patch <<'PATCH'\n" P "\nPATCH"

static const struct inv invs[] = {
	{ { "apply_patch", P }, 1, NULL },
	{ { "applypatch", P }, 1, NULL },
	{ { "bash", "-lc", H("") }, 1, NULL },
	{ { "bash", "-c", H("") }, 1, NULL },
	{ { "/bin/zsh", "-lc", "applypatch <<EOF\n" P "\nEOF\n" }, 1, NULL },
	{ { "sh", "-c", "apply_patch<<\"EOF\"\n" P "\n\nEOF\n\n" }, 1, NULL },
	{ { "BASH.EXE", "-lc", H("") }, 1, NULL },
	{ { "bash", "-lc", H("cd foo && ") }, 1, "foo" },
	{ { "bash", "-lc", H("cd 'foo bar' && ") }, 1, "foo bar" },
	{ { "bash", "-lc", H("cd \"foo bar\" && ") }, 1, "foo bar" },
	{ { "bash", "-lc", H("cd foo; ") }, 0, NULL },
	{ { "bash", "-lc", H("cd bar || ") }, 0, NULL },
	{ { "bash", "-lc", H("cd bar | ") }, 0, NULL },
	{ { "bash", "-lc", H("echo foo && ") }, 0, NULL },
	{ { "bash", "-lc", H("cd foo && cd bar && ") }, 0, NULL },
	{ { "bash", "-lc", H("cd foo bar && ") }, 0, NULL },
	{ { "bash", "-lc", H("echo foo; cd bar && ") }, 0, NULL },
	{ { "bash", "-lc", H("cd \"$HOME\" && ") }, 0, NULL },
	{ { "bash", "-lc", H("") " && echo done" }, 0, NULL },
	{ { "bash", "-lc", H("") "\necho done" }, 0, NULL },
	{ { "bash", "-lc", "apply_patch foo <<'PATCH'\n" P "\nPATCH" }, 0,
	    NULL },
	{ { "bash", "-lc", "apply_patch <<'PATCH' && echo hi\n" P "\nPATCH" },
	    0, NULL },
	{ { "bash", "-lc", "apply_patch <<'PATCH'\n" P "\n" }, 0, NULL },
	{ { "bash", "-x", H("") }, 0, NULL },
	{ { "python3", "-c", H("") }, 0, NULL },
	{ { P }, 0, NULL },
	{ { "apply_patch", P, "extra" }, 0, NULL },
};

/* The start of an argv on one line, for a TAP description. */
static const char *
oneline(const char * const *argv, int argc, char *buf, size_t len)
{
	size_t	 o = 0;
	int	 i;

	buf[0] = '\0';
	for (i = 0; i < argc && o + 1 < len; i++) {
		if (i > 0)
			buf[o++] = ' ';
		buf[o] = '\0';
		o = strlcat(buf, argv[i], len);
		if (o >= len)
			o = len - 1;
	}
	for (o = 0; buf[o] != '\0'; o++)
		if (buf[o] == '\n' || buf[o] == '#')
			buf[o] = '|';
	return buf;
}

static void
test_invocation(void)
{
	struct patch	*p;
	char		*text, *cd, err[256], desc[64];
	size_t		 i;
	int		 argc, r, good;

	for (i = 0; i < sizeof(invs) / sizeof(invs[0]); i++) {
		for (argc = 0; argc < 4 && invs[i].argv[argc] != NULL; argc++)
			;
		r = patch_invocation((char **)invs[i].argv, argc, &text, &cd);
		good = r == invs[i].want;
		if (good && r == 1) {
			p = patch_parse(text, strlen(text), err, sizeof(err));
			good = p != NULL && p->nhunks == 1 &&
			    strcmp(TAILQ_FIRST(&p->hunks)->contents.s,
			    "hi\n") == 0;
			patch_free(p);
		}
		if (good && invs[i].cd != NULL)
			good = cd != NULL && strcmp(cd, invs[i].cd) == 0;
		else if (good)
			good = cd == NULL;
		tap_ok(good, "invocation %zu: %s", i, oneline(invs[i].argv,
		    argc, desc, sizeof(desc)));
		free(text);
		free(cd);
	}
}

int
main(void)
{
	tmp = tmp_root();
	test_parse_errors();
	test_parse_shapes();
	test_heredoc();
	test_seek();
	test_apply_basics();
	test_upstream();
	test_readonly();
	test_apply_errors();
	test_confinement();
	test_atomic();
	test_crlf_mode();
	test_invocation();
	rm_rf(tmp);
	free(tmp);
	return tap_done();
}
