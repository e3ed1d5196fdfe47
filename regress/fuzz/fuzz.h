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

#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>

/*
 * The fuzz harnesses.  Each is a function of one input that abort()s
 * when an invariant breaks; sanitizers catch the rest.  Built with
 * -DFUZZ_LIBFUZZER each file also defines libFuzzer's entry point;
 * without it, replay.c runs the stored corpora through all of them.
 */
int	fuzz_sse(const uint8_t *, size_t);
int	fuzz_responses(const uint8_t *, size_t);
int	fuzz_chat(const uint8_t *, size_t);
int	fuzz_decoder(int, const uint8_t *, size_t);
int	fuzz_sanitize(const uint8_t *, size_t);
int	fuzz_mcp(const uint8_t *, size_t);
int	fuzz_mcp_broken(const char *, size_t);
int	fuzz_imsg(const uint8_t *, size_t);
int	fuzz_patch(const uint8_t *, size_t);
int	fuzz_toml(const uint8_t *, size_t);
int	fuzz_rollout(const uint8_t *, size_t);

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#endif /* FUZZ_H */
