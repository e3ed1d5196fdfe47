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

#include <stdlib.h>
#include <string.h>

#include "agent/shellwords.h"

/*
 * The shell word splitter.  In strict mode it accepts only plain words,
 * quotes and the operators && || ; | (and newlines); anything the shell
 * would expand or redirect makes the script unparsable, hence unsafe.
 * In lenient mode, used to look for dangerous commands, those characters
 * split commands instead, so "echo $(rm -rf x)" still shows the rm.
 */

#define SH_MAXWORDS	256
#define SH_MAXLEN	(64 * 1024)

/* How an operator ends a command. */
#define SH_OP_SEMI	0	/* ; or a lenient separator */
#define SH_OP_AND	1	/* && || | */
#define SH_OP_NL	2	/* newline */

/* State of the word splitter. */
struct sh_state {
	const char	*s;
	size_t		 i;
	int		 strict;
	struct sh_script *out;
	char		*word;
	size_t		 wlen;
	int		 inword;
	int		 needcmd;	/* an && || | wants a command after it */
};

void
sh_free(struct sh_script *sc)
{
	size_t	 i, j;

	for (i = 0; i < sc->ncmd; i++) {
		for (j = 0; j < sc->cmd[i].argc; j++)
			free(sc->cmd[i].argv[j]);
		free(sc->cmd[i].argv);
	}
	sc->ncmd = 0;
}

static int
sh_putc(struct sh_state *st, char c)
{
	if (st->wlen + 1 >= SH_MAXLEN)
		return -1;
	st->word[st->wlen++] = c;
	st->inword = 1;
	return 0;
}

static struct sh_cmd *
sh_cur(struct sh_state *st)
{
	struct sh_script	*sc = st->out;

	if (sc->ncmd == 0) {
		sc->cmd[0].argv = NULL;
		sc->cmd[0].argc = 0;
		sc->ncmd = 1;
	}
	return &sc->cmd[sc->ncmd - 1];
}

static int
sh_endword(struct sh_state *st)
{
	struct sh_cmd	*c;
	char		**nv;

	if (!st->inword)
		return 0;
	c = sh_cur(st);
	if (c->argc + 2 > SH_MAXWORDS)
		return -1;
	if ((nv = reallocarray(c->argv, c->argc + 2, sizeof(*nv))) == NULL)
		return -1;
	c->argv = nv;
	if ((c->argv[c->argc] = strndup(st->word, st->wlen)) == NULL)
		return -1;
	c->argv[++c->argc] = NULL;
	st->wlen = 0;
	st->inword = 0;
	st->needcmd = 0;
	return 0;
}

/*
 * End the current command at an operator.  An && || or | needs a command
 * on both sides; a newline may follow one (the command continues on the
 * next line), and a ";" after a command is just a terminator.
 */
static int
sh_endcmd(struct sh_state *st, int op)
{
	struct sh_script	*sc = st->out;

	if (sh_endword(st) == -1)
		return -1;
	if (sc->ncmd == 0 || sc->cmd[sc->ncmd - 1].argc == 0) {
		if (op == SH_OP_NL)
			return 0;
		if ((op == SH_OP_AND || st->needcmd) && st->strict)
			return -1;
		return 0;
	}
	if (sc->ncmd == SH_MAXCMDS)
		return -1;
	sc->cmd[sc->ncmd].argv = NULL;
	sc->cmd[sc->ncmd].argc = 0;
	sc->ncmd++;
	st->needcmd = op == SH_OP_AND;
	return 0;
}

static int
sh_squote(struct sh_state *st)
{
	char	 c;

	st->inword = 1;
	while ((c = st->s[st->i++]) != '\'') {
		if (c == '\0' || sh_putc(st, c) == -1)
			return -1;
	}
	return 0;
}

static int
sh_dquote(struct sh_state *st)
{
	char	 c;

	st->inword = 1;
	while ((c = st->s[st->i++]) != '"') {
		if (c == '\0')
			return -1;
		if ((c == '$' || c == '`') && st->strict)
			return -1;
		if (c == '\\' && strchr("$`\"\\\n", st->s[st->i]) != NULL &&
		    st->s[st->i] != '\0') {
			c = st->s[st->i++];
			if (c == '\n')
				continue;
		}
		if (sh_putc(st, c) == -1)
			return -1;
	}
	return 0;
}

/* An operator character at st->i - 1; returns -1 on a refused form. */
static int
sh_operator(struct sh_state *st, char c)
{
	char	 next = st->s[st->i];

	if (c == ';')
		return sh_endcmd(st, SH_OP_SEMI);
	if (c == '\n')
		return sh_endcmd(st, SH_OP_NL);
	if (c == '|' && next == '&')
		return -1;
	if ((c == '|' && next == '|') || (c == '&' && next == '&')) {
		st->i++;
		return sh_endcmd(st, SH_OP_AND);
	}
	if (c == '|')
		return sh_endcmd(st, SH_OP_AND);
	/* A lone & puts a command in the background. */
	return st->strict ? -1 : sh_endcmd(st, SH_OP_SEMI);
}

/* Characters that expand, redirect or group in an unquoted word. */
static int
sh_special(struct sh_state *st, char c)
{
	if (strchr("$`<>(){}*?[]!", c) != NULL)
		return 1;
	/* ~ and # only act at the start of a word. */
	return !st->inword && (c == '~' || c == '#');
}

static int
sh_step(struct sh_state *st, char c)
{
	if (c == ' ' || c == '\t')
		return sh_endword(st);
	if (strchr(";\n|&", c) != NULL)
		return sh_operator(st, c);
	if (c == '\'')
		return sh_squote(st);
	if (c == '"')
		return sh_dquote(st);
	if (c == '\\') {
		c = st->s[st->i++];
		if (c == '\0')
			return -1;
		return c == '\n' ? 0 : sh_putc(st, c);
	}
	if (sh_special(st, c)) {
		if (st->strict)
			return -1;
		/* Lenient: a substitution or group starts a new command. */
		return sh_endcmd(st, SH_OP_SEMI);
	}
	return sh_putc(st, c);
}

int
sh_split(const char *s, int strict, struct sh_script *sc)
{
	struct sh_state	 st;
	char		 c;
	size_t		 i;

	memset(sc, 0, sizeof(*sc));
	memset(&st, 0, sizeof(st));
	st.s = s;
	st.strict = strict;
	st.out = sc;
	if ((st.word = malloc(SH_MAXLEN)) == NULL)
		return -1;
	while ((c = s[st.i++]) != '\0') {
		if (sh_step(&st, c) == -1)
			goto fail;
	}
	if (sh_endword(&st) == -1 || (st.needcmd && strict))
		goto fail;
	free(st.word);
	/* Drop the empty command a trailing ";" leaves behind. */
	if (sc->ncmd > 0 && sc->cmd[sc->ncmd - 1].argc == 0)
		sc->ncmd--;
	if (sc->ncmd == 0)
		return -1;
	for (i = 0; strict && i < sc->ncmd; i++) {
		/* "A=b cmd" sets a variable; not a plain command. */
		if (strchr(sc->cmd[i].argv[0], '=') != NULL) {
			sh_free(sc);
			return -1;
		}
	}
	return 0;
 fail:
	free(st.word);
	if (sc->ncmd > 0 && sc->cmd[sc->ncmd - 1].argc == 0)
		sc->ncmd--;
	sh_free(sc);
	return -1;
}
