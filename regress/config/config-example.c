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
 * The config.toml of a Codex user who has used it for a while: comments,
 * profiles, a local proxy and Azure, MCP servers, trusted projects and
 * TUI settings.  It must load with no error and no warning.
 */

#include <sys/queue.h>

#include <stdio.h>
#include <string.h>

#include "agent/config.h"
#include "regress/config/config-test.h"

static const char example[] =
"# ~/.codex/config.toml\n"
"#\n"
"# Written by hand over a few months; Codex itself added the [projects]\n"
"# and [notice] tables.\n"
"\n"
"model = \"gpt-5.3-codex\"            # the everyday model\n"
"model_provider = \"openai\"\n"
"model_reasoning_effort = \"medium\"\n"
"model_reasoning_summary = \"concise\"\n"
"model_verbosity = \"medium\"\n"
"approval_policy = \"on-request\"\n"
"sandbox_mode = \"workspace-write\"\n"
"file_opener = \"vscode\"\n"
"hide_agent_reasoning = false\n"
"project_doc_max_bytes = 65536\n"
"notify = [\"python3\", \"/home/dev/.codex/notify.py\"]\n"
"\n"
"[sandbox_workspace_write]\n"
"writable_roots = [\"/home/dev/.cache/go-build\", \"~/.npm\"]\n"
"network_access = false\n"
"\n"
"[shell_environment_policy]\n"
"inherit = \"core\"\n"
"ignore_default_excludes = false\n"
"exclude = [\"AWS_*\", \"AZURE_*\"]\n"
"set = { PAGER = \"cat\", GIT_PAGER = \"cat\" }\n"
"\n"
"[history]\n"
"persistence = \"save-all\"\n"
"\n"
"[tui]\n"
"notifications = [\"agent-turn-complete\", \"approval-requested\"]\n"
"animations = false\n"
"\n"
"[model_providers.litellm]\n"
"name = \"LiteLLM on the workstation\"\n"
"base_url = \"http://127.0.0.1:4000/v1\"\n"
"env_key = \"LITELLM_KEY\"\n"
"wire_api = \"chat\"\n"
"stream_idle_timeout_ms = 600000\n"
"\n"
"[model_providers.azure]\n"
"name = \"Azure\"\n"
"base_url = \"https://dev-openai.openai.azure.com/openai\"\n"
"env_key = \"AZURE_OPENAI_API_KEY\"\n"
"wire_api = \"responses\"\n"
"query_params = { api-version = \"2025-04-01-preview\" }\n"
"env_http_headers = { \"X-Request-Source\" = \"CODEX_SOURCE\" }\n"
"request_max_retries = 6\n"
"\n"
"# Profiles: codex -p deep, codex -p local\n"
"[profiles.deep]\n"
"model = \"gpt-5.4\"\n"
"model_reasoning_effort = \"xhigh\"\n"
"approval_policy = \"untrusted\"\n"
"\n"
"[profiles.local]\n"
"model = \"qwen3-coder\"\n"
"model_provider = \"litellm\"\n"
"sandbox_mode = \"read-only\"\n"
"\n"
"[profiles.azure]\n"
"model = \"gpt-5.2\"\n"
"model_provider = \"azure\"\n"
"\n"
"[mcp_servers.context7]\n"
"command = \"npx\"\n"
"args = [\"-y\", \"@upstash/context7-mcp\"]\n"
"startup_timeout_sec = 20\n"
"\n"
"[mcp_servers.github]\n"
"url = \"https://api.githubcopilot.com/mcp/\"\n"
"bearer_token_env_var = \"GITHUB_TOKEN\"\n"
"\n"
"[mcp_servers.github.env]\n"
"LOG = \"warn\"\n"
"\n"
"[projects.\"/home/dev/src/ocodex\"]\n"
"trust_level = \"trusted\"\n"
"\n"
"[projects.\"/home/dev/src/scratch\"]\n"
"trust_level = \"untrusted\"\n"
"\n"
"[notice]\n"
"hide_full_access_warning = true\n";

static int
streq_model(const char *m)
{
	return cfg.model != NULL && strcmp(cfg.model, m) == 0;
}

void
test_example(void)
{
	const struct provider	*p;

	write_config(example);
	ok(load(NULL, NULL) == 0, "example: a real config.toml loads");
	ok(logged()[0] == '\0', "example: without a warning");
	ok(streq_model("gpt-5.3-codex") &&
	    cfg.sandbox_mode == CONFIG_SANDBOX_WORKSPACE_WRITE &&
	    cfg.model_reasoning_summary == CONFIG_SUMMARY_CONCISE &&
	    cfg.project_doc_max_bytes == 65536,
	    "example: top-level values");
	ok(load("local", NULL) == 0 && streq_model("qwen3-coder") &&
	    (p = config_provider(&cfg)) != NULL &&
	    strcmp(p->id, "litellm") == 0 &&
	    p->wire_api == CONFIG_WIRE_CHAT &&
	    p->stream_idle_timeout_ms == 600000 &&
	    cfg.sandbox_mode == CONFIG_SANDBOX_READ_ONLY,
	    "example: -p local uses the LiteLLM provider");
	ok(load("azure", "model_reasoning_effort=high", NULL) == 0 &&
	    (p = config_provider(&cfg)) != NULL &&
	    strcmp(p->id, "azure") == 0 && p->request_max_retries == 6 &&
	    p->query_params.n == 1 &&
	    cfg.model_reasoning_effort == CONFIG_EFFORT_HIGH,
	    "example: -p azure with -c");
}
