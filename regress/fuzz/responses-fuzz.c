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
/* The responses decoder; see decoder-fuzz.c. */

#include <stdint.h>

#include <jansson.h>

#include "netproc/netproc.h"
#include "regress/fuzz/fuzz.h"

int
fuzz_responses(const uint8_t *buf, size_t len)
{
	return fuzz_decoder(NP_WIRE_RESPONSES, buf, len);
}

#ifdef FUZZ_LIBFUZZER
int
LLVMFuzzerTestOneInput(const uint8_t *buf, size_t len)
{
	return fuzz_responses(buf, len);
}
#endif
