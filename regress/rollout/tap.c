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

#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "agent/rollout.h"
#include "regress/rollout/tap.h"

/* Every line of a JSON lines file, parsed, as an array. */
json_t *
tap_lines(const char *path)
{
	json_error_t	 je;
	json_t		*a, *j;
	FILE		*fp;
	char		*line = NULL;
	size_t		 cap = 0;

	if ((fp = fopen(path, "re")) == NULL)
		err(1, "%s", path);
	if ((a = json_array()) == NULL)
		errx(1, "json_array");
	while (getline(&line, &cap, fp) != -1) {
		if ((j = json_loads(line, 0, &je)) == NULL)
			errx(1, "%s: %s", path, je.text);
		json_array_append_new(a, j);
	}
	free(line);
	fclose(fp);
	return a;
}

json_t *
tap_meta(const char *id, const char *cwd)
{
	struct rollout_meta	 m;
	json_t			*j;

	memset(&m, 0, sizeof(m));
	m.id = id;
	m.cwd = cwd;
	m.originator = "codex_cli_rs";
	m.cli_version = "0.1.0";
	m.source = "exec";
	m.model_provider = "mock";
	m.base_instructions = "You are a test.";
	if ((j = rollout_session_meta(&m)) == NULL)
		errx(1, "rollout_session_meta");
	return j;
}

/* A message response item: role user or assistant. */
json_t *
tap_message(const char *role, const char *text)
{
	json_t	*j;

	j = json_pack("{s:s, s:s, s:[{s:s, s:s}]}", "type", "message", "role",
	    role, "content", "type", strcmp(role, "assistant") == 0 ?
	    "output_text" : "input_text", "text", text);
	if (j == NULL)
		errx(1, "json_pack");
	return j;
}
