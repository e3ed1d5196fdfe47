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

#ifndef REGRESS_CONFIG_TEST_H
#define REGRESS_CONFIG_TEST_H

#include <limits.h>
#include <stddef.h>

/* config-test.c: the harness. */
extern int		 ntest, nfail;
extern char		 tmpdir[PATH_MAX], home[PATH_MAX], cfgpath[PATH_MAX];
extern struct config	 cfg;
extern char		 errbuf[1024];

void		 ok(int, const char *, ...)
		    __attribute__((__format__(__printf__, 2, 3)));
void		 xsnprintf(char *, size_t, const char *, ...)
		    __attribute__((__format__(__printf__, 3, 4)));
const char	*logged(void);
void		 write_config(const char *);
void		 remove_config(void);
int		 load(const char *, ...) __attribute__((__sentinel__));

/* config-cases.c: the cases of every area. */
void		 test_defaults(void);
void		 test_keys(void);
void		 test_layers(void);
void		 test_overrides(void);
void		 test_errors(void);
void		 test_warnings(void);
void		 test_providers(void);
void		 test_ports(void);
void		 test_setters(void);

/* config-example.c: a real user's file. */
void		 test_example(void);

#endif /* REGRESS_CONFIG_TEST_H */
