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
 * Internals shared by config.c (loading and layering), config-keys.c
 * (the key tables and typed values), config-provider.c (providers and
 * URLs) and config-util.c (messages and lists).  Nothing else includes
 * this.
 */

#ifndef OCODEX_CONFIG_INT_H
#define OCODEX_CONFIG_INT_H

struct toml;

/* Longest key path named in a message, e.g. profiles.x.model_providers.y.z */
#define CFG_PATHMAX	512

/* One layer being applied to a struct config. */
struct cfgctx {
	const char	*src;		/* the file's path, or "-c" */
	const char	*base;		/* relative paths are taken from here */
	int		 inprofile;	/* inside [profiles.NAME] */
	char		*err;
	size_t		 errlen;
};

enum cfgkind {
	K_STRING,	/* char * */
	K_BOOL,		/* int */
	K_INT,		/* int64_t in [min, max] */
	K_CAPPED,	/* int64_t >= min, above max taken as max */
	K_ENUM,		/* int: index in names plus min */
	K_STRLIST,	/* struct config_strlist, replaced whole */
	K_KVLIST,	/* struct config_kvlist, merged key by key */
	K_TABLE,	/* a table of its own keys */
	K_SILENT,	/* a table accepted and ignored */
	K_IGNORED,	/* accepted, then ignored with a warning */
	K_FUNC		/* handled by fn */
};

#define KF_TOPONLY	0x01	/* not allowed inside a profile */
#define KF_HEADER	0x02	/* K_KVLIST of HTTP header names and values */

struct cfgkey {
	const char		*name;
	enum cfgkind		 kind;
	size_t			 off;	/* in the object being filled */
	int64_t			 min, max;
	const void		*arg;	/* K_ENUM names, K_TABLE keys */
	int			 flags;
	int			(*fn)(struct cfgctx *, const char *,
				    const struct toml *, void *);
};

/* config-keys.c */
extern const struct cfgkey	cfg_root_keys[];
int		 cfg_walk(struct cfgctx *, const struct cfgkey *, void *,
		    const struct toml *, const char *);

/* config-util.c */
int		 cfg_keypath(char *, size_t, const char *, const char *,
		    size_t);
int		 cfg_enum_lookup(const char *const *, const char *);
void		 cfg_names(char *, size_t, const char *const *);
void		 cfg_error(struct cfgctx *, const char *, ...)
		    __attribute__((__format__(printf, 2, 3)));
int		 cfg_type_error(struct cfgctx *, const char *,
		    const struct toml *, const char *);
int		 cfg_string(struct cfgctx *, const char *, const struct toml *,
		    const char **);
int		 cfg_setstr(char **, const char *);
int		 strlist_add(struct config_strlist *, const char *);
void		 strlist_free(struct config_strlist *);
int		 kvlist_set(struct config_kvlist *, const char *,
		    const char *);
void		 kvlist_free(struct config_kvlist *);
extern const char *const cfg_sandbox_names[];
extern const char *const cfg_approval_names[];
extern const char *const cfg_oss_names[];
extern const char *const cfg_wire_names[];

/* config-provider.c */
int		 provider_builtins(struct config *, char *, size_t);
int		 provider_table(struct cfgctx *, const char *,
		    const struct toml *, void *);
int		 provider_openai_url(struct cfgctx *, const char *,
		    const struct toml *, void *);
int		 provider_finish(struct config *, char *, size_t);
void		 provider_free(struct provider *);

#endif /* OCODEX_CONFIG_INT_H */
