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

#ifndef REGRESS_IMSG_COMMON_H
#define REGRESS_IMSG_COMMON_H

#include <stddef.h>
#include <stdint.h>

struct imsgbuf;
struct imsg;

/* The wire format, written down again so tests do not trust imsg.c. */
#define WIRE_HDR_SIZE	16
#define WIRE_FD_MARK	0x80000000U

/* TAP output. */
void	 tap_plan(int);
int	 tap_ok(int, const char *, ...)
	    __attribute__((__format__(__printf__, 2, 3)));
void	 tap_skip(const char *, ...)
	    __attribute__((__format__(__printf__, 1, 2)));
void	 tap_diag(const char *, ...)
	    __attribute__((__format__(__printf__, 1, 2)));
int	 tap_end(void);

/* Helpers; they err(3) out on any failure outside the code under test. */
void	 test_init(void);
void	 chan_pair(int [2]);
void	 chan_init(struct imsgbuf *, int, int);
int	 fd_count(void);
int	 fd_is_open(int);
void	 pattern(unsigned char *, size_t, unsigned int);
int	 pattern_ok(const unsigned char *, size_t, unsigned int);
int	 pump(struct imsgbuf *, struct imsgbuf *);
int	 recv_one(struct imsgbuf *, struct imsg *);
void	 write_all(int, const void *, size_t);
size_t	 wire_frame(unsigned char *, size_t, uint32_t, uint32_t,
	    const void *, size_t);
void	 pipe_nb(int [2]);

#endif /* REGRESS_IMSG_COMMON_H */
