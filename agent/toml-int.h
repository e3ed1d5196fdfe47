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
 * Internals shared by toml.c (the tree), toml-parse.c (the grammar of
 * documents), toml-lex.c (blanks, comments, keys, strings) and
 * toml-scalar.c (numbers, booleans, dates).  Nothing outside those four
 * files includes this.
 */

#ifndef OCODEX_TOML_INT_H
#define OCODEX_TOML_INT_H

struct toml_pair {
	char		*key;
	size_t		 keylen;
	struct toml	*val;
};

struct toml {
	enum toml_type	 type;
	unsigned int	 flags;
	unsigned int	 depth;		/* distance from the root */
	union {
		int64_t		 i;
		double		 f;
		int		 b;
		struct {
			char	*ptr;	/* always NUL-terminated */
			size_t	 len;
		} s;			/* strings and dates */
		struct {
			struct toml	**v;
			size_t		  n, cap;
		} a;
		struct {
			struct toml_pair *p;	/* in document order */
			size_t		  n, cap;
			uint32_t	 *idx;	/* hash index, pair + 1 */
			size_t		  icap;
		} t;
	} u;
};

/* A growing byte buffer for the text of strings and keys. */
struct toml_buf {
	char	*ptr;
	size_t	 len, cap;
};

/* One part of a dotted key and where it started, for messages. */
struct toml_keypart {
	char	*s;
	size_t	 len;
	size_t	 pos;
};

struct toml_key {
	struct toml_keypart	*v;
	size_t			 n, cap;
};

struct toml_parser {
	const char		*buf;
	size_t			 len;
	size_t			 pos;
	struct toml_error	*err;
	int			 failed;
	struct toml		*root;
	struct toml		*cur;	/* table taking key/value pairs */
};

/* toml.c */
struct toml	*toml_node_new(enum toml_type, unsigned int);
struct toml	*toml_tab_find(const struct toml *, const char *, size_t);
int		 toml_tab_add(struct toml *, const char *, size_t,
		    struct toml *);
int		 toml_arr_add(struct toml *, struct toml *);

/* toml-lex.c and toml-scalar.c */
int	 tp_error(struct toml_parser *, size_t, const char *, ...)
	    __attribute__((__format__(__printf__, 3, 4)));
int	 tp_expected(struct toml_parser *, const char *);
int	 tp_utf8_check(struct toml_parser *);
int	 tp_peek(const struct toml_parser *, size_t);
void	 tp_ws(struct toml_parser *);
int	 tp_newline(struct toml_parser *);
int	 tp_comment(struct toml_parser *);
int	 tp_eol(struct toml_parser *);
int	 tp_ws_nl(struct toml_parser *);
int	 tp_key(struct toml_parser *, struct toml_key *);
void	 tp_key_free(struct toml_key *);
int	 tp_string(struct toml_parser *, struct toml_buf *);
int	 tp_scalar(struct toml_parser *, struct toml **);

#endif /* OCODEX_TOML_INT_H */
