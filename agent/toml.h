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

#ifndef OCODEX_TOML_H
#define OCODEX_TOML_H

#include <stddef.h>
#include <stdint.h>

/*
 * A TOML 1.0.0 parser.  A document parses into a tree of struct toml
 * nodes whose root is a table.  Every string handed out by the accessors
 * stays valid until the tree is freed.  The parser never depends on the
 * size of its input being reasonable; the caller bounds it.
 */

/* Deepest nesting of tables and arrays a document may have. */
#define TOML_MAXDEPTH	128

enum toml_type {
	TOML_NONE = 0,		/* what toml_type(NULL) says */
	TOML_TABLE,
	TOML_ARRAY,
	TOML_STRING,
	TOML_INTEGER,
	TOML_FLOAT,
	TOML_BOOL,
	TOML_DATETIME,		/* offset date-time */
	TOML_DATETIME_LOCAL,	/* local date-time */
	TOML_DATE_LOCAL,	/* local date */
	TOML_TIME_LOCAL		/* local time */
};

/*
 * How a table or array came to be; the redefinition rules of TOML depend
 * on it.  Returned by toml_flags().
 */
#define TOML_F_IMPLICIT	0x01	/* table created as the parent of [a.b] */
#define TOML_F_HEADER	0x02	/* table defined by a [header] */
#define TOML_F_DOTTED	0x04	/* table created by a dotted key */
#define TOML_F_INLINE	0x08	/* inline table { }: immutable */
#define TOML_F_AOT	0x10	/* array created by [[header]] */

struct toml_error {
	int	line;		/* 1-based; 0 if not tied to the input */
	int	column;		/* 1-based, in characters */
	char	msg[160];
};

struct toml;

/*
 * Parse a whole document.  On failure return NULL and, if err is not
 * NULL, describe the first problem found.
 */
struct toml	*toml_parse(const char *, size_t, struct toml_error *);

/*
 * Parse a lone TOML value, as given to `-c key=value'.  Surrounding
 * blanks and a trailing comment are allowed.  NULL if it is not a value.
 */
struct toml	*toml_parse_value(const char *, size_t, struct toml_error *);

void		 toml_free(struct toml *);

enum toml_type	 toml_type(const struct toml *);
const char	*toml_type_name(enum toml_type);
unsigned int	 toml_flags(const struct toml *);

/*
 * All accessors take NULL as a node that has no type, so that lookups
 * can be chained: toml_int(toml_get(t, "a.b"), &i) is simply -1 when
 * a.b is missing.  Scalar accessors return -1 (or NULL) when the node
 * has another type.
 * toml_string() also returns the text of the four date and time kinds:
 * YYYY-MM-DDTHH:MM:SS[.frac][Z|+HH:MM] with upper-case T and Z and the
 * parts a kind lacks left out.  Strings may contain NUL bytes (from
 * \u0000); *lenp tells their real length.
 */
const char	*toml_string(const struct toml *, size_t *);
int		 toml_int(const struct toml *, int64_t *);
int		 toml_float(const struct toml *, double *);
int		 toml_bool(const struct toml *, int *);

/* Number of elements of an array or keys of a table, else 0. */
size_t		 toml_len(const struct toml *);
/* Element i of an array, or NULL. */
struct toml	*toml_at(const struct toml *, size_t);
/*
 * Key i of a table in document order; its value goes to *valp and its
 * length to *lenp (either may be NULL).  NULL past the end.
 */
const char	*toml_key_at(const struct toml *, size_t, size_t *,
		    struct toml **);
/* The value of one key (not a path) in a table, or NULL. */
struct toml	*toml_table_get(const struct toml *, const char *);
/*
 * Look up a key path written in TOML key syntax, "a.b.c" or
 * 'a."b.c".d', starting from a table.  NULL if absent or malformed.
 */
struct toml	*toml_get(const struct toml *, const char *);
/* The same with the path given as a list of keys. */
struct toml	*toml_getv(const struct toml *, const char *const *, size_t);

/*
 * Store val at a key path below the table root, creating tables on the
 * way and replacing whatever was there (as `-c key=value' does).  The tree
 * takes ownership of val on success only.
 */
int		 toml_set(struct toml *, const char *, struct toml *,
		    struct toml_error *);

/*
 * In agent/toml-json.c, which needs jansson: convert a node to JSON.  By
 * default values become their natural JSON type (dates and times become
 * strings, non-finite floats the strings "nan", "inf", "-inf");
 * TOML_JSON_TAGGED gives toml-test's {"type": T, "value": S} form.
 */
#define TOML_JSON_TAGGED	0x01
struct json_t;
struct json_t	*toml_to_json(const struct toml *, int);

#endif /* OCODEX_TOML_H */
