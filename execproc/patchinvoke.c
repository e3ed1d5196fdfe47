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
 * Recognition of the command lines that invoke apply_patch: the direct
 * argv form and the shell heredoc forms a model writes.  Only the shapes
 * Codex accepts are recognised; anything fancier is left to a real shell.
 */

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "execproc/patch.h"

/* Codex compares the file stem of argv[0], case-insensitively. */
static int
shell_ok(const char *arg0)
{
	const char	*base, *dot;
	size_t		 len;

	if ((base = strrchr(arg0, '/')) != NULL)
		base++;
	else
		base = arg0;
	len = strlen(base);
	if ((dot = strrchr(base, '.')) != NULL && dot != base)
		len = dot - base;
	return (len == 4 && strncasecmp(base, "bash", 4) == 0) ||
	    (len == 3 && strncasecmp(base, "zsh", 3) == 0) ||
	    (len == 2 && strncasecmp(base, "sh", 2) == 0);
}

static const char *
skip_blank(const char *p, int newlines)
{
	while (*p == ' ' || *p == '\t' || (newlines && *p == '\n'))
		p++;
	return p;
}

static int
word_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c >= 0x80 ||
	    (c != '\0' && strchr("_./+,:@%=-", c) != NULL);
}

/*
 * The argument of cd: one plain word, one '...' string, or one "..."
 * string without expansions.  Anything fancier is left to a real shell.
 * Returns 1 with *out malloc'd, 0 when the text does not fit, -1 on ENOMEM.
 */
static int
cd_word(const char **pp, char **out)
{
	const char	*p = *pp, *q;
	size_t		 len;

	if (*p == '\'' || *p == '"') {
		if ((q = strchr(p + 1, *p)) == NULL)
			return 0;
		len = q - (p + 1);
		if (*p == '"' && strcspn(p + 1, "$`\\\"") < len)
			return 0;
		p++;
		*pp = q + 1;
	} else {
		for (q = p; *q != '\0' && word_char(*q); q++)
			;
		if (*p == '-' || (*q != '\0' && *q != ' ' && *q != '\t' &&
		    *q != '&'))
			return 0;
		len = q - p;
		*pp = q;
	}
	if (len == 0)
		return 0;
	if ((*out = strndup(p, len)) == NULL)
		return -1;
	return 1;
}

/* Parse "<<DELIM", "<<'DELIM'" or "<<\"DELIM\"" up to its newline. */
static int
heredoc_start(const char **pp, const char **delim, size_t *dlen)
{
	const char	*p = *pp, *q;
	char		 quote = 0;

	if (strncmp(p, "<<", 2) != 0 || p[2] == '<' || p[2] == '-')
		return 0;
	p = skip_blank(p + 2, 0);
	if (*p == '\'' || *p == '"')
		quote = *p++;
	for (q = p; *q != '\0' && *q != '\n' && *q != quote &&
	    (quote || word_char(*q)); q++)
		;
	if (q == p || (quote && *q != quote))
		return 0;
	*delim = p;
	*dlen = q - p;
	p = skip_blank(quote ? q + 1 : q, 0);
	if (*p != '\n')
		return 0;
	*pp = p + 1;
	return 1;
}

/*
 * Find the line holding only the delimiter; whatever follows it must be
 * blank.  Returns the start of that line, or NULL.
 */
static const char *
heredoc_end(const char *body, const char *delim, size_t dlen)
{
	const char	*l, *e;

	for (l = body; *l != '\0'; l = e + 1) {
		e = strchrnul(l, '\n');
		if ((size_t)(e - l) == dlen && strncmp(l, delim, dlen) == 0) {
			if (*skip_blank(e, 1) != '\0')
				return NULL;
			return l;
		}
		if (*e == '\0')
			break;
	}
	return NULL;
}

static int
heredoc_script(const char *script, char **patch_text, char **cd_dir)
{
	const char	*p, *delim, *body, *end;
	size_t		 dlen, len;
	int		 r;

	p = skip_blank(script, 1);
	if (strncmp(p, "cd", 2) == 0 && (p[2] == ' ' || p[2] == '\t')) {
		p = skip_blank(p + 2, 0);
		if ((r = cd_word(&p, cd_dir)) != 1)
			return r;
		p = skip_blank(p, 0);
		if (strncmp(p, "&&", 2) != 0)
			goto no;
		p = skip_blank(p + 2, 1);
	}
	if (strncmp(p, "apply_patch", 11) == 0)
		p += 11;
	else if (strncmp(p, "applypatch", 10) == 0)
		p += 10;
	else
		goto no;
	if (*p != ' ' && *p != '\t' && *p != '<')
		goto no;
	p = skip_blank(p, 0);
	if (!heredoc_start(&p, &delim, &dlen))
		goto no;
	body = p;
	if ((end = heredoc_end(body, delim, dlen)) == NULL)
		goto no;
	for (len = end - body; len > 0 && body[len - 1] == '\n'; len--)
		;
	if ((*patch_text = strndup(body, len)) == NULL) {
		free(*cd_dir);
		*cd_dir = NULL;
		return -1;
	}
	return 1;
 no:
	free(*cd_dir);
	*cd_dir = NULL;
	return 0;
}

int
patch_invocation(char **argv, int argc, char **patch_text, char **cd_dir)
{
	int	 i;

	*patch_text = NULL;
	*cd_dir = NULL;
	if (argv == NULL || argc < 2 || argc > 3)
		return 0;
	for (i = 0; i < argc; i++)
		if (argv[i] == NULL)
			return 0;
	if (argc == 2) {
		if (strcmp(argv[0], "apply_patch") != 0 &&
		    strcmp(argv[0], "applypatch") != 0)
			return 0;
		if ((*patch_text = strdup(argv[1])) == NULL)
			return -1;
		return 1;
	}
	if (!shell_ok(argv[0]) ||
	    (strcmp(argv[1], "-lc") != 0 && strcmp(argv[1], "-c") != 0))
		return 0;
	return heredoc_script(argv[2], patch_text, cd_dir);
}
