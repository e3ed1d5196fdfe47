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

#ifndef PLEDGE_TEST_H
#define PLEDGE_TEST_H

#include <limits.h>
#include <stdint.h>

/* The number of TAP lines main() plans; every test_*() adds its share. */
#define NTESTS		68

extern char	 tmpdir[PATH_MAX];	/* ro/file, rw/, other */
extern int	 report_fd;		/* debug reports travel here */
extern uint16_t	 port_a, port_b;	/* 127.0.0.1 listeners */

int		 ok(int, const char *, ...)
		    __attribute__((__format__(printf, 2, 3)));
void		 skip(const char *);
int		 run(int (*)(void));
int		 passed(int, const char *);
int		 killed(int, int, const char *);
const char	*tpath(char *, const char *);

void		 test_pledge(void);
void		 test_unveil(void);
void		 test_net(void);
void		 test_misc(void);

#endif /* PLEDGE_TEST_H */
