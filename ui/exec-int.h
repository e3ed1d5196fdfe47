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

#ifndef UI_EXEC_INT_H
#define UI_EXEC_INT_H

#include <jansson.h>

/*
 * What the two front ends of `ocodex exec` share: exec.c (JSON mode)
 * and exec-human.c (human mode).
 */

/* exec.c: field accessors that tolerate a missing or mistyped field. */
const char	*exec_jstr(json_t *, const char *);
const char	*exec_jstr_or(json_t *, const char *, const char *);
json_int_t	 exec_jint(json_t *, const char *, json_int_t);

#endif /* UI_EXEC_INT_H */
