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

#ifndef EXECPROC_PATCH_H
#define EXECPROC_PATCH_H

#include <sys/queue.h>

#include <stddef.h>

/*
 * The apply_patch format of Codex CLI: a parser, an all-or-nothing
 * applier and the recogniser for the argv forms a model uses to call it.
 *
 * The parser (patch.c) never touches the file system, so the parent may
 * call it to show a patch and to check its paths before approval.  The
 * applier (patchapply.c) works only beneath a directory descriptor and is
 * meant to run in execproc's sandboxed child.  Neither keeps global
 * state; everything they allocate is released by patch_free() and
 * patch_result_free().
 *
 * Error texts follow Codex: parse errors read "invalid patch: ..." or
 * "invalid hunk at line N, ...", apply errors "Failed to find expected
 * lines in PATH:\n...", "Failed to read file to update PATH: ..." and so
 * on.  PATH is the path as written in the patch (Codex shows the absolute
 * path, which the applier does not know).
 */

/*
 * A byte string.  s is always NUL-terminated, but len is authoritative:
 * patch text may contain NUL bytes and they are kept.
 */
struct patch_str {
	char		*s;
	size_t		 len;
};

struct patch_lines {
	struct patch_str *v;
	size_t		  n;
	size_t		  cap;
};

/*
 * One "@@" block of an Update hunk.  context.s is NULL for a bare "@@" (or
 * a first block without one); old_lines are the ' ' and '-' lines,
 * new_lines the ' ' and '+' lines; eof is set by "*** End of File".
 */
struct patch_chunk {
	TAILQ_ENTRY(patch_chunk) entry;
	struct patch_str	 context;
	struct patch_lines	 old_lines;
	struct patch_lines	 new_lines;
	int			 eof;
};
TAILQ_HEAD(patch_chunkq, patch_chunk);

enum patch_kind {
	PATCH_ADD,
	PATCH_DELETE,
	PATCH_UPDATE
};

/*
 * One file operation.  path is as written in the patch; move_to.s is NULL
 * unless an Update carries "*** Move to:"; contents is the whole new file
 * of an Add (each "+" line plus a newline); chunks belong to an Update.
 * line is the 1-based line of the hunk header within the patch.
 */
struct patch_hunk {
	TAILQ_ENTRY(patch_hunk)	 entry;
	enum patch_kind		 kind;
	size_t			 line;
	struct patch_str	 path;
	struct patch_str	 move_to;
	struct patch_str	 contents;
	struct patch_chunkq	 chunks;
};
TAILQ_HEAD(patch_hunkq, patch_hunk);

struct patch {
	struct patch_hunkq	 hunks;
	size_t			 nhunks;
};

/*
 * Parse text (len bytes, need not be NUL-terminated) leniently, as Codex
 * does: the text is trimmed, markers may be padded with whitespace, and a
 * heredoc wrapper (<<EOF ... EOF) around the patch is stripped.  Returns
 * NULL and writes Codex's error text to err on failure.  A patch with no
 * hunks parses; patch_apply() rejects it.
 */
struct patch	*patch_parse(const char *text, size_t len, char *err,
		    size_t errlen);
void		 patch_free(struct patch *);

/*
 * Turn a patch path into the canonical relative form used beneath the
 * working directory: "." and empty components dropped, ".." resolved
 * lexically.  Absolute paths, paths that climb above the directory and
 * paths that are empty or contain NUL are refused.  On success *out is a
 * malloc'd string.  Returns 0 or -1 with a message in err.  The parent can
 * use this to check a patch's paths before approval.
 */
int		 patch_path_clean(const struct patch_str *path, char **out,
		    char *err, size_t errlen);

/*
 * Codex's seek_sequence(): find pat (npat lines) in lines (nlines) at or
 * after start; with eof only the position that ends at the last line is
 * tried.  Four passes, first match wins: exact, both sides without
 * trailing whitespace, both trimmed, both trimmed with typographic
 * dashes, quotes and spaces folded to ASCII.  Whitespace is Unicode
 * White_Space, text is UTF-8.  Returns 1 and *at, or 0 when not found.
 */
int		 patch_seek(const struct patch_str *lines, size_t nlines,
		    const struct patch_str *pat, size_t npat, size_t start,
		    int eof, size_t *at);

/* Nonzero if buf holds well-formed UTF-8 (no overlongs or surrogates). */
int		 patch_utf8_valid(const char *buf, size_t len);

/* What a successful patch_apply() changed, in the order Codex prints. */
struct patch_change {
	TAILQ_ENTRY(patch_change) entry;
	char			 kind;		/* 'A', 'M' or 'D' */
	char			*path;	/* as written in the patch */
};
TAILQ_HEAD(patch_changeq, patch_change);

struct patch_result {
	struct patch_changeq	 changes;
	size_t			 nchanges;
};

void		 patch_result_init(struct patch_result *);
void		 patch_result_free(struct patch_result *);

/*
 * "Success. Updated the following files:\nA path\nM path\nD path\n" as a
 * malloc'd string, or NULL when out of memory.
 */
char		*patch_result_render(const struct patch_result *);

/*
 * Apply p beneath the directory dirfd, all or nothing.  Every affected
 * file is read and every hunk verified (later hunks see the effect of
 * earlier ones on the same file), and every file to be replaced must be
 * open-able for writing, before anything is written; then each new file
 * content goes to a temporary file in its target directory, which is
 * fsync'd and renamed into place, and deletions come last.  If any check
 * fails nothing has changed; if writing a temporary file fails, the
 * temporary files and the directories made for them are removed again.
 * Only a failing rename(2) itself can leave part of a patch applied.
 *
 * Every path is resolved with openat2(2) RESOLVE_BENEATH |
 * RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS (where openat2 is missing,
 * by an equivalent walk with O_NOFOLLOW), so symbolic links are never
 * followed, not even inside the directory; absolute paths and ".." that
 * climbs out are refused.  Missing parent directories are made with
 * mkdirat(2).  A replaced file keeps its permission bits (and owner,
 * where allowed); a moved file takes the source's.  A "Move to" naming
 * the source itself is a plain update.  CRLF files keep their line
 * endings; added lines take the ending of the file's first line.  Files
 * to update must be UTF-8, as in Codex.
 *
 * res is initialised here and filled on success; the caller frees it
 * with patch_result_free() either way.  Returns 0, or -1 with the reason
 * in err.
 */
int		 patch_apply(int dirfd, const struct patch *p,
		    struct patch_result *res, char *err, size_t errlen);

/*
 * The text-level part of one update hunk: h's chunks applied to old
 * (oldlen bytes), as patch_apply() applies them to a file's contents.
 * Returns 0 with the new text in *out (malloc'd, *outlen bytes), or -1
 * with the reason in err.  No file is touched; the fuzz harness uses it.
 */
int		 patch_update_text(const struct patch_hunk *h, const char *old,
		    size_t oldlen, char **out, size_t *outlen, char *err,
		    size_t errlen);

/*
 * Recognise a command line that invokes apply_patch, as Codex does:
 *	["apply_patch", PATCH] or ["applypatch", PATCH];
 *	[bash|sh|zsh, -lc|-c, "apply_patch <<'EOF'\n...\nEOF\n"];
 *	[bash|sh|zsh, -lc|-c, "cd DIR && apply_patch <<EOF\n...\nEOF"].
 * The heredoc delimiter may be bare, 'quoted' or "quoted"; DIR is one
 * word or one quoted string.  Anything before or after the statement
 * means it is not recognised.  On 1, *patch_text (and, for the cd form,
 * *cd_dir, else NULL) are malloc'd for the caller.  Returns 1 when
 * recognised, 0 when not, -1 when out of memory.
 */
int		 patch_invocation(char **argv, int argc, char **patch_text,
		    char **cd_dir);

#endif /* EXECPROC_PATCH_H */
